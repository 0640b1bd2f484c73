/**
 * The project's hand-written WebAssembly: each .wat file under src/ and the module generated from
 * it (`npm run build:wasm`, scripts/wasm.mjs) are in step, and the bytes are a valid module that
 * exports what its caller uses.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
// @ts-expect-error: a plain .mjs script, without type declarations
import { compileWat, wasmModuleSource, watFiles } from '../scripts/wasm.mjs';
import { WASM_BYTES as PAGES } from '../src/core/data/pages-wasm.js';
import { WASM_BYTES as RADIX } from '../src/core/sketch/radix-wasm.js';
import { WASM_BYTES as RECORDS } from '../src/core/validate/records-wasm.js';

type WatFile = { wat: string; ts: string };

describe('hand-written WebAssembly', () => {
  const files = (watFiles as (dir: string) => WatFile[])('src');

  test('the files compiled are pages.wat, radix.wat and records.wat', () => {
    expect(files.map((file) => file.wat)).toEqual([
      'src/core/data/pages.wat',
      'src/core/sketch/radix.wat',
      'src/core/validate/records.wat',
    ]);
  });

  test.each(files.map((file) => [file.wat, file.ts]))('%s compiles to what %s holds', async (wat, ts) => {
    const bytes = (await compileWat(basename(wat), readFileSync(wat, 'utf8'))) as Uint8Array;
    expect(readFileSync(ts, 'utf8')).toBe(wasmModuleSource(basename(wat), bytes));
  });

  test.each([
    [
      'pages.wat',
      PAGES,
      ['expand:function', 'indices:function', 'levels:function', 'memory:memory', 'setCodes:function', 'snappy:function'],
    ],
    ['radix.wat', RADIX, ['memory:memory', 'setCapacity:function', 'sort:function']],
    [
      'records.wat',
      RECORDS,
      [
        'endsOffset:global',
        'fieldsCapacity:global',
        'flagsOffset:global',
        'inputOffset:global',
        'kindsOffset:global',
        'linesCapacity:global',
        'linesOffset:global',
        'mayBeNullOffset:global',
        'memory:memory',
        'pow10Offset:global',
        'scan:function',
        'setCodes:function',
        'startsOffset:global',
        'stopHeld:global',
        'stopLine:global',
        'stopPos:global',
        'valuesOffset:global',
      ],
    ],
  ])('%s is a valid module with the exports its caller uses', (_name, bytes, exports) => {
    const wasm = (
      globalThis as unknown as {
        WebAssembly: { Module: { new (b: Uint8Array): object; exports(m: object): Array<{ name: string; kind: string }> } };
      }
    ).WebAssembly;
    const module = new wasm.Module(Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0)));
    expect(
      wasm.Module.exports(module)
        .map(({ name, kind }) => `${name}:${kind}`)
        .sort(),
    ).toEqual(exports);
  });

  test('a broken .wat is refused with the line of its error', async () => {
    await expect(compileWat('broken.wat', '(module\n  (func (result i32) (i32.add)))')).rejects.toThrow(/broken\.wat:2/);
  });
});
