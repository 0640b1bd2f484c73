/**
 * The project's hand-written WebAssembly modules (the .wat files under src/, compiled by
 * `npm run build:wasm` into modules of their bytes) are instantiated here.
 */

/** What the project uses of the WebAssembly global (its type libraries do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

/** The exports of the module whose bytes are `base64` (it imports nothing), or null when it cannot be instantiated here. */
function instantiateWasm(base64: string): unknown {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return null;
  try {
    return new wasm.Instance(new wasm.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)))).exports;
  } catch {
    return null;
  }
}

/**
 * A thread's instance of one of the modules, wrapped for its caller: made when first asked for,
 * null where it cannot be instantiated or once `use(false)` turned it off (the tests and benchmarks
 * compare it with the JavaScript it stands for).
 */
export class WasmModule<T> {
  private instance: T | null | undefined;

  constructor(
    private readonly base64: string,
    private readonly wrap: (exports: unknown) => T,
  ) {}

  get(): T | null {
    if (this.instance === undefined) this.instance = this.load();
    return this.instance;
  }

  /** Whether it is used from now on (when it can run here); returns whether it is. */
  use(on: boolean): boolean {
    this.instance = on ? (this.instance ?? this.load()) : null;
    return this.instance !== null;
  }

  private load(): T | null {
    const exports = instantiateWasm(this.base64);
    return exports === null ? null : this.wrap(exports);
  }
}
