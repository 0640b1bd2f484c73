/**
 * The model seam, over every registered kind (describe.each on the registry): a kind
 * fits classification and regression and leaves an ONNX graph with its preprocessing
 * inside; the graph, loaded through the one inference path (ONNX Runtime), predicts
 * probabilities that sum to one (or values) from the raw columns, exactly as the
 * preprocessing plus the network would; saved into a model directory it loads back to
 * the same predictions. Directories written before ONNX still load (converted).
 * Then the registry's parameters: the train section's schema and the old `model` key.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { writeContract, MODEL_CARD_FORMAT } from '../src/core/contracts/index.js';
import { readTable } from '../src/core/data/table.js';
import type { Table } from '../src/core/data/table.js';
import { ALGORITHMS, MODEL_KINDS } from '../src/core/model/kinds.js';
import type { ModelKind } from '../src/core/model/model.js';
import { loadModel, MODEL_FILE } from '../src/core/model/model-io.js';
import { openOnnxModel } from '../src/core/model/onnx-model.js';
import type { OnnxModel } from '../src/core/model/onnx-model.js';
import { parseTrainParams, renameLegacyModelKey, TrainSection } from '../src/core/train/params.js';
import { encodeFeatures, encodeTarget, fitPreprocessor, preprocessSignature } from '../src/core/model/preprocess.js';
import type { Preprocessor } from '../src/core/model/preprocess.js';
import { fullMetrics, scoreRows } from '../src/core/evaluate/score.js';
import { makeTempDir, removeTempDirs } from './support/action-runner.js';
import { userErrorOf } from './support/errors.js';
import { prng } from './support/random.js';

afterAll(removeTempDirs);

/** 300 rows: two numbers and a colour; a class from a linear rule (3 classes), and a value linear in the inputs. */
async function dataset(): Promise<Table> {
  const dir = await makeTempDir('mlops-kinds-');
  const random = prng(11);
  const lines = ['a,b,colour,label,value'];
  for (let i = 0; i < 300; i++) {
    const a = random() * 4 - 2;
    const b = random() * 4 - 2;
    const colour = ['red', 'green', 'blue'][i % 3]!;
    const score = a + b + (colour === 'red' ? 1 : 0);
    const label = score < -0.5 ? 'low' : score < 1 ? 'mid' : 'high';
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${colour},${label},${(2 * a - b + 3).toFixed(4)}`);
  }
  await writeFile(join(dir, 'data.csv'), lines.join('\n') + '\n');
  return readTable([join(dir, 'data.csv')]);
}

const ALL_ROWS = Array.from({ length: 300 }, (_, i) => i);

async function fit(
  kind: ModelKind,
  table: Table,
  target: string,
  features: string[],
): Promise<{ model: OnnxModel; pre: Preprocessor; onnx: Uint8Array }> {
  await kind.setup(() => {});
  const pre = fitPreprocessor(table, ALL_ROWS, { target, features });
  const params = { ...z.object(kind.params).parse({}), epochs: 60, learning_rate: 0.05, batch_size: 64 };
  const before = tf.memory().numTensors;
  const { onnx, epochs } = await kind.fit({
    preprocess: pre,
    train: { x: encodeFeatures(pre, table, ALL_ROWS), y: encodeTarget(pre, table, ALL_ROWS) },
    validation: null,
    rows: { table, train: ALL_ROWS, validation: [] },
    params,
    seed: 42,
    onEpoch: () => {},
  });
  // The network and the optimizer's state are freed once the graph is exported.
  expect(tf.memory().numTensors).toBe(before);
  expect(epochs.run).toBeGreaterThan(0);
  expect(epochs.best).toBeLessThanOrEqual(epochs.run);
  const model = await openOnnxModel(onnx, { shownPath: 'model.onnx', algorithm: kind.name, signature: preprocessSignature(pre) });
  expect(model.algorithm).toBe(kind.name);
  return { model, pre, onnx };
}

describe.each(ALGORITHMS)('model kind %s', (algorithm) => {
  const kind = MODEL_KINDS[algorithm] as ModelKind;
  let table: Table;
  beforeAll(async () => {
    table = await dataset();
  });
  /** The classification fit, made once for the two tests that read it (each opens its own model from the graph). */
  let classification: Promise<{ pre: Preprocessor; onnx: Uint8Array }> | undefined;
  const classified = async (): Promise<{ model: OnnxModel; pre: Preprocessor; onnx: Uint8Array }> => {
    classification ??= fit(kind, table, 'label', ['a', 'b', 'colour']).then(({ model, pre, onnx }) => {
      model.dispose();
      return { pre, onnx };
    });
    const { pre, onnx } = await classification;
    const model = await openOnnxModel(onnx, { shownPath: 'model.onnx', algorithm: kind.name, signature: preprocessSignature(pre) });
    return { model, pre, onnx };
  };

  test('is registered under its own name, and every parameter has a default', () => {
    expect(kind.name).toBe(algorithm);
    expect(() => z.object(kind.params).parse({})).not.toThrow();
  });

  test('classification: the graph takes the raw columns and gives probabilities per class that sum to one', async () => {
    const { model, pre } = await classified();
    try {
      expect(pre.target.task).toBe('classification');
      expect(model.signature.features).toEqual([
        { name: 'a', type: 'number' },
        { name: 'b', type: 'number' },
        { name: 'colour', type: 'string' },
      ]);
      expect(model.signature.target).toEqual({ name: 'label', task: 'classification', classes: ['high', 'low', 'mid'] });
      expect(model.graphInputs.map((i) => [i.name, i.datatype])).toEqual([
        ['a', 'FP32'],
        ['b', 'FP32'],
        ['colour', 'BYTES'],
      ]);
      const output = await model.predict(table, ALL_ROWS);
      expect(output.length).toBe(300 * 3);
      for (let i = 0; i < 300; i++) expect(output[i * 3]! + output[i * 3 + 1]! + output[i * 3 + 2]!).toBeCloseTo(1, 5);
      expect((await model.predict(table, [])).length).toBe(0);
      // A rule linear in the inputs: both kinds learn it well.
      const metrics = fullMetrics(await scoreRows(model, table, ALL_ROWS));
      expect((metrics as { accuracy: number }).accuracy).toBeGreaterThan(0.85);
    } finally {
      model.dispose();
    }
  });

  test('regression: values in the target units', async () => {
    const { model, pre } = await fit(kind, table, 'value', ['a', 'b']);
    try {
      expect(pre.target.task).toBe('regression');
      expect(model.graphOutputs.map((o) => o.name)).toEqual(['variable']);
      const metrics = fullMetrics(await scoreRows(model, table, ALL_ROWS)) as { r2: number };
      expect(metrics.r2).toBeGreaterThan(0.95);
    } finally {
      model.dispose();
    }
  });

  test('saved into a model directory, it loads back with its card to the same predictions', async () => {
    const { model, pre, onnx } = await classified();
    const dir = join(await makeTempDir('mlops-kind-dir-'), 'model');
    await mkdir(dir);
    await writeFile(join(dir, MODEL_FILE), onnx);
    await writeContract('modelCard', dir, {
      format: MODEL_CARD_FORMAT,
      name: 'm',
      trainer: { kind: 'builtin', version: 'test', algorithm },
      signature: preprocessSignature(pre),
      params: {},
      data: { target: 'label', files: [] },
      metrics: {},
    });
    const expected = await model.predict(table, ALL_ROWS);
    model.dispose();
    const loaded = await loadModel(dir);
    expect(loaded.model.algorithm).toBe(algorithm);
    expect(loaded.model.signature).toEqual(preprocessSignature(pre));
    expect(loaded.card?.name).toBe('m');
    expect(Array.from(await loaded.model.predict(table, ALL_ROWS))).toEqual(Array.from(expected));
    loaded.model.dispose();
  });
});

describe('the model directory loader', () => {
  test('a folder without model.onnx is not a model directory (a clear error)', async () => {
    const dir = await makeTempDir('mlops-not-a-model-');
    await writeFile(join(dir, 'model.pkl'), 'x');
    const error = await loadModel(dir).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/is not a model directory: model\.onnx is missing/);
    expect((error as { hint?: string }).hint).toMatch(/Bring your own model/);
  });

  test('a model.onnx that is not ONNX is refused, naming the file', async () => {
    const dir = await makeTempDir('mlops-not-onnx-');
    await writeFile(join(dir, MODEL_FILE), '{"not": "onnx"}');
    await expect(loadModel(dir)).rejects.toThrow(/model\.onnx is not an ONNX model/);
  });

  test('a directory from before ONNX with a preprocess.json of another format is refused', async () => {
    const dir = await makeTempDir('mlops-bad-pre-');
    await writeFile(join(dir, 'model.json'), '{}');
    await writeFile(join(dir, 'weights.bin'), '');
    await writeFile(join(dir, 'preprocess.json'), '{"format": "other/v9"}');
    await expect(loadModel(dir)).rejects.toThrow(/unknown format other\/v9 \(expected mlops-preprocess\/v1\)/);
  });
});

describe('training parameters', () => {
  test("a run's parameters: the run's keys and its algorithm's own, with defaults", () => {
    const mlp = parseTrainParams({}, 'defaults');
    expect(mlp).toMatchObject({ algorithm: 'mlp', task: 'auto', seed: 42, validation_split: 0.2, epochs: 1000, hidden: [64, 32] });
    const linear = parseTrainParams({ algorithm: 'linear', hidden: [8], learning_rate: 0.1 }, 'defaults');
    expect(linear).toMatchObject({ algorithm: 'linear', learning_rate: 0.1, epochs: 1000 });
    // Another kind's key is accepted (a sweep switches algorithm with one file) but is not the linear model's.
    expect(linear).not.toHaveProperty('hidden');
    expect(linear).not.toHaveProperty('activation');
  });

  test('a typo or a bad value is an error naming the key and where it came from', () => {
    expect(userErrorOf(() => parseTrainParams({ epochz: 3 }, 'p.yaml')).message).toMatch(
      /^p.yaml: invalid training parameters:\n.*epochz/s,
    );
    expect(userErrorOf(() => parseTrainParams({ algorithm: 'forest' }, 'inputs')).message).toMatch(/algorithm/);
    expect(userErrorOf(() => parseTrainParams({ hidden: [0] }, 'inputs')).message).toMatch(/hidden/);
    expect(userErrorOf(() => parseTrainParams({ batch_size: 0 }, 'inputs')).message).toMatch(/batch_size/);
  });

  test("mlops.yaml's train section: every kind's keys, command, the old model key, and your trainer's own keys; no defaults filled in", () => {
    expect(TrainSection.parse({})).toEqual({});
    const keys = { algorithm: 'linear', hidden: [4], dropout: 0.1, learning_rate: 0.01, epochs: 5, command: 'python t.py', model: 'mlp' };
    expect(TrainSection.parse(keys)).toEqual(keys);
    // A key no built-in kind has is your own trainer's (checked when the run's parameters are resolved).
    expect(TrainSection.parse({ n_estimators: 50 })).toEqual({ n_estimators: 50 });
    // A built-in key still has its type.
    expect(TrainSection.safeParse({ epochs: 'many' }).success).toBe(false);
    expect(TrainSection.safeParse({ algorithm: 'forest' }).success).toBe(false);
  });

  test('your own trainer gets exactly the keys you set: no built-in defaults, no built-in schema', () => {
    expect(parseTrainParams({ n_estimators: 50, max_depth: 3, seed: 7 }, 'train in mlops.yaml', 'command')).toEqual({
      n_estimators: 50,
      max_depth: 3,
      seed: 7,
    });
    expect(parseTrainParams(undefined, 'defaults', 'command')).toEqual({});
    // For the built-in kinds the same key is an error that says where your own trainer's keys go.
    const error = userErrorOf(() => parseTrainParams({ n_estimators: 50 }, 'train in mlops.yaml'));
    expect(error.message).toMatch(/n_estimators/);
    expect(error.hint).toMatch(/train\.command/);
  });

  test('the old `model` key is read as algorithm, with one warning; disagreeing with algorithm is an error', () => {
    const warnings: string[] = [];
    expect(renameLegacyModelKey({ model: 'linear', epochs: 3 }, 'train in mlops.yaml', (w) => warnings.push(w))).toEqual({
      algorithm: 'linear',
      epochs: 3,
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^train in mlops.yaml: `model: linear` is now `algorithm: linear`/);
    expect(renameLegacyModelKey({ epochs: 3 }, 'x', (w) => warnings.push(w))).toEqual({ epochs: 3 });
    expect(renameLegacyModelKey({ model: 'mlp', algorithm: 'mlp' }, 'x', () => {})).toEqual({ algorithm: 'mlp' });
    expect(userErrorOf(() => renameLegacyModelKey({ model: 'mlp', algorithm: 'linear' }, 'p.yaml', () => {})).message).toMatch(
      /p.yaml: both model \(mlp\) and algorithm \(linear\) are set/,
    );
    expect(warnings).toHaveLength(1);
  });
});
