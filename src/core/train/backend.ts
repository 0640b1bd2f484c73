/**
 * The TensorFlow.js backend: tfjs-node when it is installed (an optional
 * accelerator), else WebAssembly (SIMD, from the .wasm files shipped beside the
 * bundle or in node_modules), else the plain JavaScript cpu backend, with a warning.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
// Only what tabular models need: the core, layers, and the cpu and wasm backends
// (the @tensorflow/tfjs union package would add WebGL, the converter and data loaders).
import * as tf from '@tensorflow/tfjs-core';
// A named import: the package marks its node build free of side effects, so a bare
// `import '…'` would be dropped by the bundler and the cpu backend never registered.
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const WASM_FILE = 'tfjs-backend-wasm.wasm';
let chosen: string | null = null;

/** Where the .wasm files are: beside this bundle when built, else in the installed package. */
/**
 * A require() that resolves from the user's working directory. Loaded through an
 * import the bundler leaves alone: bundlers rewrite createRequire(...) calls to
 * point into the bundle, which would hide packages the user installed.
 */
async function projectRequire(): Promise<NodeJS.Require> {
  const { createRequire } = (await import(/* webpackIgnore: true */ 'node:module')) as unknown as {
    createRequire(path: string): NodeJS.Require;
  };
  return createRequire(join(process.cwd(), 'package.json'));
}

async function wasmDirectory(): Promise<string | null> {
  const here = (globalThis as { __dirname?: string }).__dirname;
  if (here && existsSync(join(here, WASM_FILE))) return here;
  try {
    const require = await projectRequire();
    const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    if (existsSync(join(dir, 'dist', WASM_FILE))) return join(dir, 'dist');
  } catch {
    // not installed there
  }
  return null;
}

/**
 * Initialises the fastest backend available and returns its name. `preferred`
 * ('wasm' or 'cpu', or MLOPS_TF_BACKEND) forces one.
 */
export async function initBackend(preferred = process.env.MLOPS_TF_BACKEND, log: (line: string) => void = () => {}): Promise<string> {
  if (chosen !== null && (!preferred || preferred === chosen)) return chosen;
  if (!preferred || preferred === 'tensorflow') {
    try {
      // An optional accelerator: used only when the project has it installed.
      (await projectRequire())('@tensorflow/tfjs-node');
      if (await tf.setBackend('tensorflow')) return (chosen = 'tensorflow');
    } catch {
      // not installed: fine
    }
  }
  if (!preferred || preferred === 'wasm') {
    const dir = await wasmDirectory();
    if (dir) {
      setWasmPaths(dir.endsWith('/') ? dir : `${dir}/`);
      try {
        if (await tf.setBackend('wasm')) {
          await tf.ready();
          return (chosen = 'wasm');
        }
      } catch (error) {
        log(`warning: the WebAssembly backend did not start (${(error as Error).message}); training on the slower cpu backend`);
      }
    } else log(`warning: ${WASM_FILE} not found; training on the slower cpu backend`);
  }
  if (!(await tf.setBackend('cpu'))) throw new Error(`the TensorFlow.js cpu backend ${version_cpu} did not start`);
  await tf.ready();
  return (chosen = 'cpu');
}
