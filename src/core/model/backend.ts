/**
 * The TensorFlow.js backend: tfjs-node when it is installed (an optional
 * accelerator), else WebAssembly (SIMD, from the .wasm files shipped beside the
 * bundle or in node_modules), else the plain JavaScript cpu backend, with a warning.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cwd } from 'node:process';
// Only what tabular models need: the core, layers, and the cpu and wasm backends
// (the @tensorflow/tfjs union package would add WebGL, the converter and data loaders).
import * as tf from '@tensorflow/tfjs-core';
// A named import: the package marks its node build free of side effects, so a bare
// `import '…'` would be dropped by the bundler and the cpu backend never registered.
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const WASM_FILE = 'tfjs-backend-wasm.wasm';
let chosen: string | null = null;

/**
 * A require() that resolves from the user's working directory. Loaded through an
 * import the bundler leaves alone: bundlers rewrite createRequire(...) calls to
 * point into the bundle, which would hide packages the user installed. And `cwd`
 * imported, not `process.cwd()`: ncc evaluates the latter at build time, which made
 * this the build's own package.json (copied into the bundle) instead of the user's.
 */
async function projectRequire(): Promise<NodeJS.Require> {
  const { createRequire } = (await import(/* webpackIgnore: true */ 'node:module')) as unknown as {
    createRequire(path: string): NodeJS.Require;
  };
  return createRequire(join(cwd(), 'package.json'));
}

/**
 * Where the .wasm files are: beside the bundle when built (dist/bundle/, its __dirname
 * from src/shims.ts), else in the tfjs-backend-wasm package installed in the project.
 */
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
          useFastTransposedMatMul('wasm');
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

interface KernelArgs {
  inputs: Record<string, tf.TensorInfo>;
  backend: { disposeData(dataId: object): void };
  attrs: Record<string, unknown>;
}

/**
 * The WebAssembly backend multiplies matrices fast only when neither is transposed;
 * its transposed cases (which every backward pass of a dense layer uses) run several
 * times slower. This re-registers BatchMatMul to transpose explicitly first and then
 * multiply on the fast path: the same numbers, about twice the training speed.
 */
function useFastTransposedMatMul(backendName: string): void {
  const matMul = tf.getKernel('BatchMatMul', backendName);
  const transpose = tf.getKernel('Transpose', backendName);
  if (!matMul || !transpose || (matMul as { fastTransposed?: boolean }).fastTransposed) return;
  const call = (kernel: tf.KernelConfig, args: KernelArgs) =>
    kernel.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  const flip = (x: tf.TensorInfo, args: KernelArgs): tf.TensorInfo => {
    const perm = x.shape.map((_, i) => i);
    const r = perm.length;
    [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
    return call(transpose, { inputs: { x }, backend: args.backend, attrs: { perm } });
  };
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { transposeA, transposeB } = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    if (!transposeA && !transposeB) return call(matMul, args);
    const a = transposeA ? flip(args.inputs.a!, args) : args.inputs.a!;
    const b = transposeB ? flip(args.inputs.b!, args) : args.inputs.b!;
    try {
      return call(matMul, {
        inputs: { ...args.inputs, a, b },
        backend: args.backend,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      if (a !== args.inputs.a) args.backend.disposeData(a.dataId);
      if (b !== args.inputs.b) args.backend.disposeData(b.dataId);
    }
  };
  tf.unregisterKernel('BatchMatMul', backendName);
  tf.registerKernel({ ...matMul, kernelFunc: kernelFunc as unknown as tf.KernelFunc, fastTransposed: true } as tf.KernelConfig);
}
