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
export function instantiateWasm(base64: string): unknown {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return null;
  try {
    return new wasm.Instance(new wasm.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)))).exports;
  } catch {
    return null;
  }
}
