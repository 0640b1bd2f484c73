// Bundles each entry with @vercel/ncc into dist/<name>/index.js (committed: actions run these files).
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, renameSync, rmSync } from 'node:fs';

const entries = {
  'validate-data': 'src/actions/validate-data.ts',
  train: 'src/actions/train.ts',
  evaluate: 'src/actions/evaluate.ts',
  register: 'src/actions/register.ts',
  deploy: 'src/actions/deploy.ts',
  'drift-check': 'src/actions/drift-check.ts',
  main: 'src/actions/main.ts',
  cli: 'src/cli.ts',
};
/** Bundles that train or score models carry TensorFlow.js's WebAssembly files beside them. */
const withWasm = new Set(['train', 'evaluate', 'cli']);
const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';

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
  if (withWasm.has(name)) {
    for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(`${wasmDir}/${file}`, `${next}/${file}`);
  }
  rmSync(out, { recursive: true, force: true });
  renameSync(next, out);
  console.log(`built ${out}/index.js`);
}
