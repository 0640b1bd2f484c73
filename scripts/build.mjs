// Bundles each entry with @vercel/ncc into dist/<name>/index.js (committed: actions run these files).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const entries = {
  'validate-data': 'src/actions/validate-data.ts',
  main: 'src/actions/main.ts',
  cli: 'src/cli.ts',
};

const only = process.argv.slice(2);
for (const [name, entry] of Object.entries(entries)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const out = `dist/${name}`;
  rmSync(out, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', entry, '-o', out, '--license', 'licenses.txt', '--quiet', '--target', 'es2022'],
    {
      stdio: 'inherit',
    },
  );
  console.log(`built ${out}/index.js`);
}
