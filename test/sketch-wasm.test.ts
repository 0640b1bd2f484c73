/**
 * The project's hand-written WebAssembly: each .wat file under src/ and the module generated from
 * it (`npm run build:wasm`, scripts/wasm.mjs) are in step, and the bytes are a valid module that
 * exports what its caller uses.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
// @ts-expect-error: a plain .mjs script, without type declarations
import { compileWat, wasmModuleSource, watFiles } from '../scripts/wasm.mjs';
import { WASM_BYTES } from '../src/core/sketch/radix-wasm.js';

type WatFile = { wat: string; ts: string };

describe('hand-written WebAssembly', () => {
  const files = (watFiles as (dir: string) => WatFile[])('src');

  test('radix.wat is among the files compiled', () => {
    expect(files.map((file) => file.wat)).toContain('src/core/sketch/radix.wat');
  });

  test.each(files.map((file) => [file.wat, file.ts]))('%s compiles to what %s holds', async (wat, ts) => {
    const bytes = (await compileWat(basename(wat), readFileSync(wat, 'utf8'))) as Uint8Array;
    expect(readFileSync(ts, 'utf8')).toBe(wasmModuleSource(basename(wat), bytes));
  });

  test('the radix sort module exports its memory, setCapacity and sort', () => {
    const wasm = (
      globalThis as unknown as {
        WebAssembly: { Module: { new (b: Uint8Array): object; exports(m: object): Array<{ name: string; kind: string }> } };
      }
    ).WebAssembly;
    const module = new wasm.Module(Uint8Array.from(atob(WASM_BYTES), (c) => c.charCodeAt(0)));
    expect(
      wasm.Module.exports(module)
        .map(({ name, kind }) => `${name}:${kind}`)
        .sort(),
    ).toEqual(['memory:memory', 'setCapacity:function', 'sort:function']);
  });

  test('a broken .wat is refused with the line of its error', async () => {
    await expect(compileWat('broken.wat', '(module\n  (func (result i32) (i32.add)))')).rejects.toThrow(/broken\.wat:2/);
  });
});
