// Prepares a release: the reusable workflows call the actions of this repository by their
// full name (inside a called workflow, ./actions/x would mean the caller's repository), so
// the placeholder OWNER/mlops-actions and the @v1 ref are rewritten to the published owner
// and the release ref (a tag, or better a commit SHA) in the workflows, the caller
// templates and the README. Usage: node scripts/release.mjs <owner> <ref> [--root DIR]
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = rootAt >= 0 ? args.splice(rootAt, 2)[1] : '.';
const [owner, ref] = args;
if (!owner || !ref || !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(owner) || !/^[A-Za-z0-9._/-]{1,100}$/.test(ref)) {
  console.error('usage: node scripts/release.mjs <owner> <ref>   (owner: a GitHub account; ref: a tag or commit SHA)');
  process.exit(2);
}

const files = [
  ...readdirSync(join(root, '.github', 'workflows'))
    .filter((f) => f.startsWith('mlops-') && f.endsWith('.yml'))
    .map((f) => join(root, '.github', 'workflows', f)),
  ...(existsSync(join(root, 'workflows'))
    ? readdirSync(join(root, 'workflows'))
        .filter((f) => f.endsWith('.yml'))
        .map((f) => join(root, 'workflows', f))
    : []),
  join(root, 'README.md'),
];
const pattern = /\bOWNER\/mlops-actions((?:\/[A-Za-z0-9._/-]+)?)@v1\b/g;
let changed = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const next = text
    .replace(pattern, (_, path) => `${owner}/mlops-actions${path}@${ref}`)
    .replace(/\bOWNER\/mlops-actions\b/g, `${owner}/mlops-actions`);
  if (next !== text) {
    writeFileSync(file, next);
    changed++;
    console.log(`rewrote ${file}`);
  }
}
console.log(`${changed} files now name ${owner}/mlops-actions@${ref}`);
