/**
 * The ONNX Runtime loader: MLOPS_ONNX_RUNTIME's choice (node, web, auto), the error when
 * onnxruntime-node is asked for and not installed, the same predictions from both runtimes
 * (the real-framework fixtures and a larger network), and the UserErrors for graphs ONNX
 * Runtime will not load (unknown operator, opset or IR version too new, not ONNX, invalid).
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTable } from '../src/core/data/table.js';
import type { Table } from '../src/core/data/table.js';
import { UserError } from '../src/core/errors.js';
import { openOnnxModel } from '../src/core/model/onnx-model.js';
import { attr, makeGraph, makeModel, makeNode, makeTensor, makeValueInfo } from '../src/core/onnx/graph.js';
import type { Message } from '../src/core/onnx/graph.js';
import {
  INSTALL_ONNXRUNTIME_NODE,
  createSession,
  loadOnnxRuntime,
  onnxRuntime,
  resolveOnnxRuntimeNode,
  runtimeChoice,
  sessionError,
  sessionThreads,
} from '../src/core/onnx/runtime.js';
import type { OnnxRuntime } from '../src/core/onnx/runtime.js';
import { prng } from './support/random.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'onnx');
const savedChoice = process.env.MLOPS_ONNX_RUNTIME;
const temps: string[] = [];

afterAll(async () => {
  if (savedChoice === undefined) delete process.env.MLOPS_ONNX_RUNTIME;
  else process.env.MLOPS_ONNX_RUNTIME = savedChoice;
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

async function emptyDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-onnx-runtime-'));
  temps.push(dir);
  return dir;
}

function model(
  nodes: Message[],
  options: { opsets?: Record<string, number>; irVersion?: number; initializers?: Message[]; input?: string } = {},
): Uint8Array {
  return makeModel({
    irVersion: options.irVersion ?? 8,
    opsets: options.opsets ?? { '': 15 },
    producerName: 'onnx-runtime.test',
    graph: makeGraph({
      name: 'g',
      nodes,
      initializers: options.initializers ?? [],
      inputs: [makeValueInfo(options.input ?? 'x', 'float32', ['N', 2])],
      outputs: [makeValueInfo('y', 'float32', ['N', 2])],
    }),
  });
}

async function withChoice<T>(choice: string | undefined, run: () => Promise<T>): Promise<T> {
  const before = process.env.MLOPS_ONNX_RUNTIME;
  if (choice === undefined) delete process.env.MLOPS_ONNX_RUNTIME;
  else process.env.MLOPS_ONNX_RUNTIME = choice;
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env.MLOPS_ONNX_RUNTIME;
    else process.env.MLOPS_ONNX_RUNTIME = before;
  }
}

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('choosing the runtime (MLOPS_ONNX_RUNTIME)', () => {
  test('web logs one line when it loads, and is loaded once', async () => {
    const lines: string[] = [];
    const web = await withChoice('web', () => onnxRuntime((line) => lines.push(line)));
    expect(web.name).toBe('web');
    expect(web.version).toMatch(/^1\.\d+\.\d+/);
    expect(lines).toEqual([`ONNX Runtime: onnxruntime-web ${web.version} (WebAssembly, one thread)`]);
    expect(web.ort.env.wasm.numThreads).toBe(1);
    expect(String(web.ort.env.wasm.wasmPaths)).toMatch(/^file:\/\/.*\/$/);
    expect(await withChoice('WEB ', () => onnxRuntime((line) => lines.push(line)))).toBe(web);
    expect(lines).toHaveLength(1);
  });

  test('node, and auto (node when it is installed, as here)', async () => {
    const node = await withChoice('node', () => onnxRuntime());
    expect(node.name).toBe('node');
    expect(await withChoice(undefined, () => onnxRuntime())).toBe(node);
    expect(await withChoice('auto', () => onnxRuntime())).toBe(node);
    expect(await resolveOnnxRuntimeNode([process.cwd()])).toMatch(/onnxruntime-node/);
  });

  test('an unknown choice is a UserError naming the variable and the choices', () => {
    expect(runtimeChoice(undefined)).toBe('auto');
    expect(runtimeChoice('')).toBe('auto');
    expect(runtimeChoice(' Node')).toBe('node');
    let error: unknown;
    try {
      runtimeChoice('gpu');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('MLOPS_ONNX_RUNTIME');
    expect((error as UserError).hint).toMatch(/node.*web.*auto/);
  });

  test('node when onnxruntime-node cannot be found: a UserError saying how to install it; auto falls back to web', async () => {
    const nowhere = await emptyDir();
    expect(await resolveOnnxRuntimeNode([nowhere])).toBeNull();
    const error = await rejection(loadOnnxRuntime('node', { searchFrom: [nowhere] }));
    expect(error.message).toContain('onnxruntime-node is not installed');
    expect(error.message).toContain(nowhere);
    expect(error.hint).toContain(INSTALL_ONNXRUNTIME_NODE);
    expect(INSTALL_ONNXRUNTIME_NODE).toBe('npm install onnxruntime-node --onnxruntime-node-install=skip');
    expect((await loadOnnxRuntime('auto', { searchFrom: [nowhere] })).name).toBe('web');
  });
});

describe('threads per native run (MLOPS_ONNX_THREADS)', () => {
  const withThreads = <T>(value: string | undefined, run: () => T): T => {
    const before = process.env.MLOPS_ONNX_THREADS;
    if (value === undefined) delete process.env.MLOPS_ONNX_THREADS;
    else process.env.MLOPS_ONNX_THREADS = value;
    try {
      return run();
    } finally {
      if (before === undefined) delete process.env.MLOPS_ONNX_THREADS;
      else process.env.MLOPS_ONNX_THREADS = before;
    }
  };

  test('batch scoring takes the cores (at most 4), a server one thread per request; the variable overrides both', () => {
    const cores = Math.min(4, availableParallelism());
    expect(withThreads(undefined, () => [sessionThreads('batch'), sessionThreads('requests')])).toEqual([cores, 1]);
    expect(withThreads('0', () => [sessionThreads('batch'), sessionThreads('requests')])).toEqual([cores, 1]);
    expect(withThreads('3', () => [sessionThreads('batch'), sessionThreads('requests')])).toEqual([3, 3]);
    for (const bad of ['two', '-1', '1.5']) {
      let error: unknown;
      try {
        withThreads(bad, () => sessionThreads('batch'));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toContain(`MLOPS_ONNX_THREADS: "${bad}"`);
    }
  });
});

describe('the same predictions from onnxruntime-web and onnxruntime-node', () => {
  const fixtures = ['sklearn-gbdt', 'sklearn-logreg-zipmap', 'sklearn-strings', 'torch-mlp', 'xgboost-regressor'].filter((name) =>
    existsSync(join(FIXTURES, name, 'model.onnx')),
  );

  async function both(bytes: Uint8Array, table: Table): Promise<Float64Array[]> {
    const out: Float64Array[] = [];
    for (const choice of ['web', 'node']) {
      const m = await withChoice(choice, () => openOnnxModel(bytes, { shownPath: 'model.onnx' }));
      try {
        expect(m.runtime).toBe(choice);
        out.push(
          await m.predict(
            table,
            Array.from({ length: table.rows }, (_, i) => i),
          ),
        );
      } finally {
        m.dispose();
      }
    }
    return out;
  }

  function expectSame([web, node]: Float64Array[], tolerance: number): void {
    expect(web!.length).toBe(node!.length);
    let worst = 0;
    for (let i = 0; i < web!.length; i++) worst = Math.max(worst, Math.abs(web![i]! - node![i]!) / Math.max(1, Math.abs(node![i]!)));
    expect(worst).toBeLessThanOrEqual(tolerance);
  }

  test.each(fixtures)('%s', async (name) => {
    const bytes = new Uint8Array(await readFile(join(FIXTURES, name, 'model.onnx')));
    expectSame(await both(bytes, await readTable([join(FIXTURES, name, 'data.csv')])), 1e-6);
  });

  test('a network on 5,000 rows of 20 columns', async () => {
    const random = prng(7);
    const k = 20;
    const h = 32;
    const names = Array.from({ length: k }, (_, i) => `f${i}`);
    const bytes = makeModel({
      irVersion: 8,
      opsets: { '': 15 },
      producerName: 'onnx-runtime.test',
      metadata: [['feature_names', JSON.stringify(names)]],
      graph: makeGraph({
        name: 'mlp',
        nodes: [
          makeNode('Gemm', ['input', 'w1', 'b1'], ['h']),
          makeNode('Tanh', ['h'], ['a']),
          makeNode('Gemm', ['a', 'w2', 'b2'], ['logits']),
          makeNode('Softmax', ['logits'], ['probabilities'], { attributes: [attr.int('axis', 1)] }),
        ],
        initializers: [
          makeTensor('w1', [k, h], { type: 'float32', values: Array.from({ length: k * h }, () => random() - 0.5) }),
          makeTensor('b1', [h], { type: 'float32', values: Array.from({ length: h }, () => random() - 0.5) }),
          makeTensor('w2', [h, 4], { type: 'float32', values: Array.from({ length: h * 4 }, () => random() - 0.5) }),
          makeTensor('b2', [4], { type: 'float32', values: [0, 0.1, 0.2, 0.3] }),
        ],
        inputs: [makeValueInfo('input', 'float32', ['N', k])],
        outputs: [makeValueInfo('probabilities', 'float32', ['N', 4])],
      }),
    });
    const rows = 5000;
    const table: Table = {
      rows,
      files: ['random.csv'],
      columns: names.map((name) => ({
        name,
        numbers: Float64Array.from({ length: rows }, () => random() * 4 - 2),
        texts: null,
        present: rows,
        numeric: rows,
      })),
    };
    expectSame(await both(bytes, table), 1e-5);
  });
});

describe('graphs ONNX Runtime will not load: UserErrors naming the file and what to do', () => {
  const cases: Array<[string, Uint8Array, RegExp[]]> = [
    ['an unknown operator', model([makeNode('FancyOp', ['x'], ['y'])]), [/operator FancyOp \(domain ai\.onnx\)/, /opset 15/]],
    [
      'a custom domain',
      model([makeNode('FancyOp', ['x'], ['y'], { domain: 'com.example' })], { opsets: { '': 15, 'com.example': 1 } }),
      [/operator FancyOp \(domain com\.example\)/],
    ],
    [
      'an operator older than its opset',
      model([makeNode('Sin', ['x'], ['y'])], { opsets: { '': 5 } }),
      [/operator Sin \(domain ai\.onnx\) at opset 5/],
    ],
    [
      'an opset newer than the runtime',
      model([makeNode('Relu', ['x'], ['y'])], { opsets: { '': 99 } }),
      [/opset 99 of ai\.onnx/, /up to \d+/],
    ],
    [
      'an ai.onnx.ml opset newer than the runtime',
      model([makeNode('Relu', ['x'], ['y'])], { opsets: { '': 15, 'ai.onnx.ml': 99 } }),
      [/opset 99 of ai\.onnx\.ml/],
    ],
    ['an IR version newer than the runtime', model([makeNode('Relu', ['x'], ['y'])], { irVersion: 99 }), [/IR version 99/]],
    ['an invalid graph', model([makeNode('Relu', ['z'], ['y'])]), [/invalid/, /'z'/]],
    ['bytes that are not ONNX', new TextEncoder().encode('this is not a protobuf file \u0000\u00ff'), [/is not an ONNX model/]],
  ];

  describe.each(['web', 'node'] as const)('on onnxruntime-%s', (choice) => {
    let runtime: OnnxRuntime;
    test.each(cases)('%s', async (_, bytes, patterns) => {
      runtime ??= await loadOnnxRuntime(choice);
      const error = await rejection(createSession(bytes, 'models/bad.onnx', runtime));
      expect(error.message).toMatch(/^models\/bad\.onnx/);
      for (const pattern of patterns) expect(error.message).toMatch(pattern);
      expect(error.message).not.toMatch(/ERROR_CODE|\.cc:\d|\.h:\d/);
      expect(error.hint).toBeTruthy();
      if (/com\.example/.test(error.message)) expect(error.hint).toContain('standard ONNX operators');
      else if (/opset|operator/.test(error.message)) {
        expect(error.hint).toContain('opset_version=17');
        expect(error.hint).toContain('target_opset');
      }
    });
  });

  test('openOnnxModel gives the same errors', async () => {
    const error = await rejection(openOnnxModel(model([makeNode('FancyOp', ['x'], ['y'])]), { shownPath: 'models/bad.onnx' }));
    expect(error.message).toContain('FancyOp');
    const notOnnx = await rejection(openOnnxModel(new TextEncoder().encode('{"not": "onnx"}'), { shownPath: 'models/bad.onnx' }));
    expect(notOnnx.message).toContain('models/bad.onnx is not an ONNX model');
  });

  test('the message forms of both runtimes for an operator with no kernel for its types', async () => {
    const runtime = await loadOnnxRuntime('web');
    const bytes = model([makeNode('Relu', ['x'], ['y'])]);
    for (const message of [
      "Can't create a session. ERROR_CODE: 9, ERROR_MESSAGE: Could not find an implementation for Relu(14) node with name 'r1'",
      "Could not find an implementation for Relu(14) node with name 'r1'",
    ]) {
      const error = sessionError(new Error(message), bytes, 'm.onnx', runtime);
      expect(error.message).toContain('no implementation of operator Relu (domain ai.onnx, opset 14)');
      expect(error.message).toContain('"r1"');
      expect(error.hint).toContain('float32');
    }
    const other = sessionError(new Error('something else entirely'), bytes, 'm.onnx', runtime);
    expect(other.message).toBe('m.onnx: ONNX Runtime could not load the model: something else entirely');
  });
});
