// Builds dist/ (committed: actions run these files). One @vercel/ncc build of src/bundle.ts into
// dist/bundle/ (index.js, the chunks ncc splits off, TensorFlow.js's .wasm files, ONNX Runtime Web's
// WebAssembly build and its glue in ort/, licenses.txt), and tiny entries that import it: dist/<step>/index.js per step, dist/main/index.js (the root action)
// and dist/cli/index.js (the CLI). The whole of dist/ is built beside it, in .build/<pid>/dist, then
// swapped in: a failed build leaves the last dist/ in place.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const started = performance.now();
let lap = started;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
function done(what) {
  const now = performance.now();
  console.log(`${what}: ${seconds(now - lap)}`);
  lap = now;
}

// ncc compiles TypeScript with the tsconfig.json nearest the entry. The project's (module NodeNext)
// type-checks src/; for the bundler the same options with ES modules, and no type-check here
// (`npm run typecheck` does that): so the entry is a file re-exporting src/bundle.ts, beside a
// tsconfig.json saying so, in .build/ (its path is named in the bundle: the same every time).
const build = '.build';
const entry = join(build, 'bundle.ts');
const support = {
  [entry]: "export * from '../src/bundle.js';\n",
  [join(build, 'tsconfig.json')]: `${JSON.stringify(
    { extends: '../tsconfig.json', compilerOptions: { module: 'ES2022', moduleResolution: 'Bundler' }, files: ['bundle.ts'] },
    null,
    2,
  )}\n`,
};
// This build's own folder (builds may run at once, as test runs do).
const work = join(build, String(process.pid));
const next = join(work, 'dist');
const old = join(work, 'dist-old');
const bundle = join(next, 'bundle');
const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
// ONNX Runtime Web in Node: only the plain SIMD build (not jsep, jspi or asyncify: those are for
// WebGPU/WebNN in browsers) and its JavaScript glue, which src/core/onnx/runtime.ts looks for in
// dist/bundle/ort/ and imports at run time (so the bundler never sees it).
const ortDir = 'node_modules/onnxruntime-web/dist';
const ortFiles = ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs'];

// What builds that were stopped left behind.
for (const name of existsSync(build) ? readdirSync(build) : []) {
  if (/^\d+$/.test(name) && !alive(Number(name))) rmSync(join(build, name), { recursive: true, force: true });
}
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
try {
  for (const [path, text] of Object.entries(support)) {
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    // Written whole or not at all: another build may be reading it.
    writeFileSync(join(work, 'file'), text);
    renameSync(join(work, 'file'), path);
  }
  execFileSync(
    process.execPath,
    [
      'node_modules/@vercel/ncc/dist/ncc/cli.js',
      'build',
      entry,
      '-o',
      bundle,
      '--license',
      'licenses.txt',
      '--target',
      'es2022',
      '--transpile-only',
      // No cache (in ~/.cache/ncc): CI starts without one, and builds running at once would share it.
      '--no-cache',
      '--minify',
      '--quiet',
    ],
    { stdio: 'inherit' },
  );
  done('ncc (src/bundle.ts)');

  // ncc minifies its entry only: the chunks it splits off (most of the bundle) are minified here,
  // names kept (messages and checks read constructor and function names), one worker per core.
  await minifyChunks(
    readdirSync(bundle)
      .filter((f) => f.endsWith('.index.js'))
      .map((f) => join(bundle, f)),
  );
  done('minify (the chunks)');

  // The licences of everything bundled, once, at the top.
  renameSync(join(bundle, 'licenses.txt'), join(next, 'licenses.txt'));
  // TensorFlow.js's WebAssembly files, once, beside the bundle: src/shims.ts makes the bundle's
  // folder its __dirname, where src/core/model/backend.ts looks for them.
  for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, file), join(bundle, file));
  // ONNX Runtime Web's WebAssembly and glue, once, in dist/bundle/ort/ (onnxruntime-node is never
  // bundled: a project that wants the native runtime installs it).
  mkdirSync(join(bundle, 'ort'));
  for (const file of ortFiles) copyFileSync(join(ortDir, file), join(bundle, 'ort', file));

  // The steps, as src/steps/index.ts lists them (from the new bundle, which this also proves loads).
  const steps = JSON.parse(
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { stepNames } = await import(${JSON.stringify(pathToFileURL(join(bundle, 'index.js')).href)});` +
          'process.stdout.write(JSON.stringify(await stepNames()));',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    ),
  );
  if (
    !Array.isArray(steps) ||
    steps.length === 0 ||
    !steps.every((s) => /^[a-z][a-z0-9-]*$/.test(s) && s !== 'bundle' && s !== 'main' && s !== 'cli')
  )
    throw new Error(`the bundle's step names will not do as folder names: ${JSON.stringify(steps)}`);

  const entries = {
    ...Object.fromEntries(
      steps.map((step) => [
        step,
        `// The ${step} action: the step, from the shared bundle. Written by scripts/build.mjs.\n` +
          `import { runActionByName } from '../bundle/index.js';\nawait runActionByName('${step}');\n`,
      ]),
    ),
    main:
      '// The root action: the step its `step` input names, from the shared bundle. Written by scripts/build.mjs.\n' +
      "import { runRootAction } from '../bundle/index.js';\nawait runRootAction();\n",
    cli: "#!/usr/bin/env node\nimport { runCli } from '../bundle/index.js';\nawait runCli();\n",
  };
  for (const [name, text] of Object.entries(entries)) {
    mkdirSync(join(next, name));
    writeFileSync(join(next, name, 'index.js'), text);
  }
  chmodSync(join(next, 'cli', 'index.js'), 0o755);
  done(`entries (${Object.keys(entries).join(', ')})`);

  // Swap.
  if (existsSync('dist')) renameSync('dist', old);
  renameSync(next, 'dist');
} finally {
  rmSync(work, { recursive: true, force: true });
  // .build/ goes too, unless another build is using it.
  if (readdirSync(build).every((name) => !/^\d+$/.test(name))) rmSync(build, { recursive: true, force: true });
}

let bytes = 0;
const files = [];
for (const file of readdirSync('dist', { recursive: true })) {
  const path = join('dist', String(file));
  if (statSync(path).isFile()) {
    bytes += statSync(path).size;
    files.push(path);
  }
}
console.log(`built dist/ in ${seconds(performance.now() - started)}: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB`);

/**
 * Minifies files in place with terser, on as many worker threads as there are cores (largest
 * files first, so the slowest starts first). The output does not depend on which worker ran.
 */
async function minifyChunks(paths) {
  const options = {
    module: true,
    ecma: 2022,
    compress: { passes: 1 },
    mangle: true,
    keep_classnames: true,
    keep_fnames: true,
    format: { comments: false },
  };
  const queue = [...paths].sort((a, b) => statSync(b).size - statSync(a).size);
  const code = `
    const { parentPort } = require('node:worker_threads');
    const { readFileSync, writeFileSync } = require('node:fs');
    const { minify } = require('terser');
    parentPort.on('message', async ({ path, options }) => {
      try {
        writeFileSync(path, (await minify(readFileSync(path, 'utf8'), options)).code);
        parentPort.postMessage({ ok: true });
      } catch (error) {
        parentPort.postMessage({ ok: false, error: path + ': ' + (error && error.stack ? error.stack : String(error)) });
      }
    });`;
  const workers = Math.max(1, Math.min(availableParallelism(), queue.length));
  await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise((resolve, reject) => {
          const worker = new Worker(code, { eval: true });
          const next = () => {
            const path = queue.shift();
            if (path === undefined) return void worker.terminate().then(resolve, reject);
            worker.postMessage({ path, options });
          };
          worker.on('message', (message) => (message.ok ? next() : worker.terminate().then(() => reject(new Error(message.error)))));
          worker.on('error', reject);
          next();
        }),
    ),
  );
}
