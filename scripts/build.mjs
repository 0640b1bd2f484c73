// Bundles each entry with @vercel/ncc into dist/<name>/index.js (committed: actions run these files).
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';

const entries = {
  'validate-data': 'src/actions/validate-data.ts',
  main: 'src/actions/main.ts',
  cli: 'src/cli.ts',
};

const only = process.argv.slice(2);
for (const [name, entry] of Object.entries(entries)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const out = `dist/${name}`;
  // Build beside, then swap: a failed build leaves the last bundle in place.
  const next = `dist/.next-${name}`;
  rmSync(next, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', entry, '-o', next, '--license', 'licenses.txt', '--quiet', '--target', 'es2022'],
    { stdio: 'inherit' },
  );
  rmSync(out, { recursive: true, force: true });
  renameSync(next, out);
  console.log(`built ${out}/index.js`);
}
