/**
 * ONNX Runtime for Node, chosen once per process: `onnxruntime-node` (native, the
 * faster one; optional, never bundled) when it can be found, else `onnxruntime-web`
 * (WebAssembly, shipped in the bundle: it runs on every OS and architecture).
 * MLOPS_ONNX_RUNTIME = node | web | auto (the default) forces or leaves the choice.
 *
 * Conventions: onnxruntime-node is looked up from the bundle's own location, then from
 * the working directory (a project that installed it), and imported by a computed file
 * URL the bundler leaves alone. onnxruntime-web runs single-threaded (no worker) from
 * `ort-wasm-simd-threaded.wasm` and its glue `.mjs`: in the built bundle they sit in
 * dist/bundle/ort/ (scripts/build.mjs copies them there), from source in the installed
 * package. Sessions are created through `createSession`, which turns ONNX Runtime's
 * errors (unknown operator, opset too new, not ONNX, invalid graph) into UserErrors
 * naming the file and what to do.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { cwd } from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Ort from 'onnxruntime-web';
import { UserError } from '../errors.js';
import { envCount } from '../threads.js';
import { inspectOnnx } from './graph.js';

/** The ONNX Runtime JavaScript API (onnxruntime-common), as both runtimes export it. */
export type OrtApi = typeof Ort;
export type OnnxRuntimeName = 'node' | 'web';
export type OnnxRuntimeChoice = OnnxRuntimeName | 'auto';

export interface OnnxRuntime {
  name: OnnxRuntimeName;
  ort: OrtApi;
  /** The runtime package's version (for logs and the server's metadata). */
  version: string;
}

/** The environment variable choosing the runtime. */
export const ONNX_RUNTIME_ENV = 'MLOPS_ONNX_RUNTIME';
/** How to add the native runtime to a project (the flag skips its CUDA download). */
export const INSTALL_ONNXRUNTIME_NODE = 'npm install onnxruntime-node --onnxruntime-node-install=skip';
/** The WebAssembly build onnxruntime-web loads in Node, and its JavaScript glue (the pair the build ships). */
export const ORT_WASM_FILES = ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs'] as const;
/** The folder of the bundle that holds ORT_WASM_FILES (dist/bundle/ort/). */
export const ORT_WASM_FOLDER = 'ort';

const CHOICES: readonly OnnxRuntimeChoice[] = ['auto', 'node', 'web'];
const loaded = new Map<OnnxRuntimeChoice, Promise<OnnxRuntime>>();
let webRuntime: Promise<OnnxRuntime> | null = null;
const nodeRuntimes = new Map<string, Promise<OnnxRuntime>>();
const announced = new Set<OnnxRuntimeName>();

/**
 * The runtime MLOPS_ONNX_RUNTIME asks for (default auto), loaded once per choice: every
 * call with the same setting returns the same runtime. The first caller passing `log`
 * gets one line saying which runtime it is (once per process and runtime).
 */
export async function onnxRuntime(log?: (line: string) => void): Promise<OnnxRuntime> {
  const choice = runtimeChoice();
  let loading = loaded.get(choice);
  if (!loading) {
    loading = loadOnnxRuntime(choice, { log });
    loaded.set(choice, loading);
    // A failed load is not remembered: the next call tries again (and throws again, with its reason).
    loading.catch(() => loaded.delete(choice));
  }
  const runtime = await loading;
  // Which runtime scores, said once per process to the first caller that logs.
  if (log && !announced.has(runtime.name)) {
    announced.add(runtime.name);
    log(
      runtime.name === 'node'
        ? `ONNX Runtime: onnxruntime-node ${runtime.version} (native)`
        : `ONNX Runtime: onnxruntime-web ${runtime.version} (WebAssembly, one thread)`,
    );
  }
  return runtime;
}

/** MLOPS_ONNX_RUNTIME, checked. */
export function runtimeChoice(value = process.env[ONNX_RUNTIME_ENV]): OnnxRuntimeChoice {
  const choice = (value ?? '').trim().toLowerCase() || 'auto';
  if (!(CHOICES as readonly string[]).includes(choice))
    throw new UserError(
      `${ONNX_RUNTIME_ENV} is "${value}": not an ONNX Runtime`,
      `Set it to node (onnxruntime-node, native), web (onnxruntime-web, WebAssembly) or auto (node when installed, else web), or leave it unset.`,
    );
  return choice as OnnxRuntimeChoice;
}

export interface LoadOnnxRuntimeOptions {
  /** Gets a warning when auto finds onnxruntime-node but it does not load (and web is used instead). */
  log?: (line: string) => void;
  /**
   * Folders to look for onnxruntime-node from, in order (default: this module's own
   * folder, then the working directory).
   */
  searchFrom?: readonly string[];
}

/** Loads a runtime (not memoized, and says nothing of it; `onnxRuntime` is and does). The packages themselves are imported once. */
export async function loadOnnxRuntime(choice: OnnxRuntimeChoice, options: LoadOnnxRuntimeOptions = {}): Promise<OnnxRuntime> {
  const log = options.log ?? (() => {});
  if (choice === 'web') return loadWeb();
  const searchFrom = options.searchFrom ?? [moduleFolder(), cwd()];
  const found = await resolveOnnxRuntimeNode(searchFrom);
  if (!found) {
    if (choice === 'node')
      throw new UserError(
        `${ONNX_RUNTIME_ENV}=node, but onnxruntime-node is not installed (looked from ${searchFrom.join(', ')})`,
        `Install it in the project (${INSTALL_ONNXRUNTIME_NODE}), or unset ${ONNX_RUNTIME_ENV} to use the WebAssembly runtime shipped with the action.`,
      );
    return loadWeb();
  }
  try {
    return await loadNode(found);
  } catch (error) {
    if (choice === 'node')
      throw new UserError(
        `onnxruntime-node (${found}) did not load: ${(error as Error).message}`,
        `Reinstall it for this platform (${INSTALL_ONNXRUNTIME_NODE}), or unset ${ONNX_RUNTIME_ENV} to use the WebAssembly runtime shipped with the action.`,
      );
    log(`warning: onnxruntime-node (${found}) did not load (${(error as Error).message}); using onnxruntime-web (WebAssembly) instead`);
    return loadWeb();
  }
}

/** This module's folder: dist/bundle/ in the built bundle (chunks live there too), src/core/onnx/ from source. */
function moduleFolder(): string {
  return dirname(fileURLToPath(import.meta.url));
}

/**
 * A require() resolving from `folder`. node:module is imported in a way the bundler leaves
 * alone: bundlers rewrite createRequire(...) calls to point into the bundle.
 */
async function requireFrom(folder: string): Promise<NodeJS.Require> {
  const { createRequire } = (await import(/* webpackIgnore: true */ 'node:module')) as unknown as {
    createRequire(path: string): NodeJS.Require;
  };
  return createRequire(join(folder, 'noop.js'));
}

/** Where onnxruntime-node's entry is, searching from each folder in turn, or null. */
export async function resolveOnnxRuntimeNode(searchFrom: readonly string[]): Promise<string | null> {
  for (const folder of searchFrom) {
    try {
      return (await requireFrom(folder)).resolve('onnxruntime-node');
    } catch {
      // not installed there
    }
  }
  return null;
}

function loadNode(entry: string): Promise<OnnxRuntime> {
  let runtime = nodeRuntimes.get(entry);
  if (!runtime) {
    runtime = (async () => {
      // A computed specifier, so the bundler neither bundles nor rewrites it.
      const module = (await import(/* webpackIgnore: true */ pathToFileURL(entry).href)) as OrtApi & { default?: OrtApi };
      const ort = module.default && typeof module.default.InferenceSession === 'function' ? module.default : module;
      if (typeof ort.InferenceSession?.create !== 'function') throw new Error('it does not export InferenceSession');
      ort.env.logLevel = 'error';
      return { name: 'node' as const, ort, version: String(ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown') };
    })();
    nodeRuntimes.set(entry, runtime);
    runtime.catch(() => nodeRuntimes.delete(entry));
  }
  return runtime;
}

/**
 * The folder holding ORT_WASM_FILES: the bundle's ort/ folder when built, else the
 * installed onnxruntime-web (from this module, then from the working directory).
 */
async function wasmFolder(): Promise<string | null> {
  const here = moduleFolder();
  const has = (dir: string) => ORT_WASM_FILES.every((file) => existsSync(join(dir, file)));
  if (has(join(here, ORT_WASM_FOLDER))) return join(here, ORT_WASM_FOLDER);
  for (const folder of [here, cwd()]) {
    try {
      const dir = dirname((await requireFrom(folder)).resolve(`onnxruntime-web/${ORT_WASM_FILES[0]}`));
      if (has(dir)) return dir;
    } catch {
      // not installed there
    }
  }
  return null;
}

function loadWeb(): Promise<OnnxRuntime> {
  if (!webRuntime) {
    webRuntime = (async () => {
      const dir = await wasmFolder();
      if (!dir)
        throw new UserError(
          `ONNX Runtime's WebAssembly files (${ORT_WASM_FILES.join(', ')}) are not beside the bundle, and onnxruntime-web is not installed`,
          'Rebuild the bundle (npm run build copies them into dist/bundle/ort/), or run from a checkout with its dependencies installed (npm ci).',
        );
      // A plain specifier: the bundler bundles its Node build (a small chunk), ts-jest and Node resolve the same file.
      const module = (await import('onnxruntime-web')) as OrtApi & { default?: OrtApi };
      const ort = typeof module.InferenceSession?.create === 'function' ? module : module.default!;
      ort.env.wasm.numThreads = 1;
      ort.env.wasm.proxy = false;
      // A file URL ending in a slash: the glue is imported from it, the .wasm read from it.
      ort.env.wasm.wasmPaths = `${pathToFileURL(dir).href.replace(/\/?$/, '/')}`;
      ort.env.logLevel = 'error';
      return { name: 'web' as const, ort, version: String(ort.env.versions?.web ?? ort.env.versions?.common ?? 'unknown') };
    })();
    webRuntime.catch(() => (webRuntime = null));
  }
  return webRuntime;
}

/**
 * How a session is used. `batch`: one caller scoring large batches (predict, evaluate,
 * train's checks), where the native runtime runs each batch on up to 4 cores (tree
 * ensembles score about 1.8x faster on two cores than on one, `npm run bench:score`).
 * `requests`: a server, running many small requests at once, one thread each.
 */
export type SessionUse = 'batch' | 'requests';

/** Threads per native run: MLOPS_ONNX_THREADS when set (0: by use), else by `use` (SessionUse). */
export function sessionThreads(use: SessionUse): number {
  const threads = envCount('MLOPS_ONNX_THREADS');
  if (threads) return threads;
  return use === 'batch' ? Math.max(1, Math.min(4, availableParallelism())) : 1;
}

/**
 * Session options both runtimes take: full graph optimization, errors only in the log,
 * and (native) sessionThreads per run.
 */
function sessionOptions(runtime: OnnxRuntime, use: SessionUse): Ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [runtime.name === 'node' ? 'cpu' : 'wasm'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    ...(runtime.name === 'node' ? { intraOpNumThreads: sessionThreads(use), interOpNumThreads: 1 } : {}),
  };
}

/**
 * An inference session for a graph's bytes on the runtime MLOPS_ONNX_RUNTIME chooses
 * (or `runtime`). Errors ONNX Runtime gives while loading become UserErrors naming
 * `shownPath`.
 */
export async function createSession(
  bytes: Uint8Array,
  shownPath: string,
  runtime?: OnnxRuntime,
  use: SessionUse = 'batch',
): Promise<{ session: Ort.InferenceSession; runtime: OnnxRuntime }> {
  const rt = runtime ?? (await onnxRuntime());
  try {
    return { session: await rt.ort.InferenceSession.create(bytes, sessionOptions(rt, use)), runtime: rt };
  } catch (error) {
    throw sessionError(error, bytes, shownPath, rt);
  }
}

const EXPORT_HINT =
  'Export it again with an opset this runtime supports: torch.onnx.export(..., opset_version=17); ' +
  'skl2onnx and onnxmltools: convert(..., target_opset=17) (or {"": 17, "ai.onnx.ml": 3}).';

/** ONNX Runtime's message without the web runtime's prefix and the C++ source location. */
function plainMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .replace(/^Can't create a session\.\s*ERROR_CODE:\s*\d+,\s*ERROR_MESSAGE:\s*/s, '')
    .replace(/^\S+\.(?:h|cc|cpp):\d+ [^\n]*?\)\s+(?=[A-Z])/s, '')
    .trim();
}

/** The domain of an operator as the graph names it ("ai.onnx" for the default), when the graph can be read. */
function domainOf(bytes: Uint8Array, shownPath: string, opType: string): string | null {
  try {
    const op = inspectOnnx(bytes, shownPath).operators.find((o) => o.opType === opType);
    return op ? op.domain || 'ai.onnx' : null;
  } catch {
    return null;
  }
}

/** The UserError for a session ONNX Runtime would not create (exported for tests). */
export function sessionError(error: unknown, bytes: Uint8Array, shownPath: string, runtime: OnnxRuntime): UserError {
  if (error instanceof UserError) return error;
  const message = plainMessage(error);
  const ortName = `onnxruntime-${runtime.name} ${runtime.version}`;
  let match: RegExpMatchArray | null;
  if ((match = message.match(/Opset (\d+) is under development.*?support for domain (\S+?) is till opset (\d+)/s)))
    return new UserError(
      `${shownPath}: the graph uses opset ${match[1]} of ${match[2]}, newer than ${ortName} supports (up to ${match[3]})`,
      EXPORT_HINT,
    );
  if ((match = message.match(/Unsupported model IR version: (\d+), max supported IR version: (\d+)/)))
    return new UserError(
      `${shownPath}: the file's ONNX IR version ${match[1]} is newer than ${ortName} reads (up to ${match[2]})`,
      `Save it with an older onnx Python package (or set model.ir_version = ${match[2]} before onnx.save when the graph uses nothing newer). ${EXPORT_HINT}`,
    );
  if ((match = message.match(/(?:In Node, \("[^"]*", (\S+), "([^"]*)".*?)?No Op registered for (\S+) with domain_version of (\d+)/s))) {
    const opType = match[3]!;
    const domain =
      match[1] === opType && match[2] !== undefined ? match[2] || 'ai.onnx' : (domainOf(bytes, shownPath, opType) ?? 'ai.onnx');
    return new UserError(
      `${shownPath}: ${ortName} has no operator ${opType} (domain ${domain}) at opset ${match[4]}`,
      `The operator does not exist in that opset, or not in ONNX Runtime. ${EXPORT_HINT} If it is a custom operator, replace it with standard ONNX operators.`,
    );
  }
  if ((match = message.match(/(\S*):(\S+)\((-?\d+)\) is not a registered function\/op/)))
    return new UserError(
      `${shownPath}: ${ortName} does not know the operator ${match[2]} (domain ${match[1] || 'ai.onnx'})`,
      'Custom operators cannot run here: export the model with standard ONNX operators only (ai.onnx and ai.onnx.ml).',
    );
  if ((match = message.match(/Could not find an implementation for (\S+)\((\d+)\) node with name '([^']*)'/))) {
    const domain = domainOf(bytes, shownPath, match[1]!) ?? 'ai.onnx';
    return new UserError(
      `${shownPath}: ${ortName} has no implementation of operator ${match[1]} (domain ${domain}, opset ${match[2]}) for the types the node${match[3] ? ` "${match[3]}"` : ''} uses`,
      `Export the model with float32 or float64 tensors (cast other types first), or with another opset. ${EXPORT_HINT}`,
    );
  }
  if (/protobuf parsing failed|Protobuf parsing failed|Failed to load model/i.test(message))
    return new UserError(
      `${shownPath} is not an ONNX model (ONNX Runtime could not parse it)`,
      "Point at a model.onnx written by your framework's ONNX exporter (torch.onnx.export, skl2onnx, onnxmltools, tf2onnx); check that the file was not changed or cut short (Git LFS pointers are not models).",
    );
  if (/invalid model|INVALID_GRAPH|Type Error|Type \(|not a graph input|ShapeInferenceError|invalid graph/i.test(message))
    return new UserError(
      `${shownPath}: ONNX Runtime rejects the graph as invalid: ${message}`,
      'Check the exported model with onnx.checker.check_model(model, full_check=True) and export it again.',
    );
  return new UserError(`${shownPath}: ONNX Runtime could not load the model: ${message}`, EXPORT_HINT);
}
