/**
 * The ONNX fixtures in test/fixtures/onnx/ are real: each model.onnx was made from a model a
 * framework trained (PyTorch, scikit-learn, XGBoost; see scripts/onnx-fixtures.py), and ONNX
 * Runtime, fed the rows of reference-predictions.csv, gives the labels the framework gave and its
 * probabilities (or regression values) within 1e-5. The graphs are run with onnxruntime-node
 * directly, not through our own code, so these tests vouch for the fixtures the rest of the suite
 * builds on.
 *
 * onnxruntime-node runs in a child Node process: inside Jest's module sandbox the native binding
 * hands back typed arrays of the outer realm, which onnxruntime-common's `instanceof` checks
 * refuse ("A float32 tensor's data must be type of Float32Array").
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'onnx');
const TOLERANCE = 1e-5;

interface Csv {
  header: string[];
  rows: string[][];
}

/** The fixtures' CSV: comma-separated, never quoted, "\n" line ends; an empty cell is missing. */
function readCsv(path: string): Csv {
  const text = readFileSync(path, 'utf8');
  expect(text).not.toMatch(/["\r]/);
  const lines = text.split('\n').filter((line) => line !== '');
  const [head, ...body] = lines;
  const header = head!.split(',');
  const rows = body.map((line) => line.split(','));
  for (const row of rows) expect(row).toHaveLength(header.length);
  return { header, rows };
}

function column(csv: Csv, name: string): string[] {
  const j = csv.header.indexOf(name);
  if (j < 0) throw new Error(`no column ${name} in ${csv.header.join(',')}`);
  return csv.rows.map((row) => row[j]!);
}

/* ------------------------------------------------------------------------------------------------
 * Just enough protobuf to read what onnxruntime-node does not tell: the model's metadata_props
 * (ModelProto field 14) and the op types of the graph's nodes (ModelProto.graph = 7,
 * GraphProto.node = 1, NodeProto.op_type = 4).
 * ---------------------------------------------------------------------------------------------- */

interface Field {
  field: number;
  bytes?: Uint8Array;
}

function* protoFields(buf: Uint8Array): Generator<Field> {
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = buf[pos++]!;
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) return value;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) varint();
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const length = varint();
      yield { field, bytes: buf.subarray(pos, pos + length) };
      pos += length;
      continue;
    } else throw new Error(`unexpected protobuf wire type ${wire}`);
    yield { field };
  }
}

const utf8 = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);
const subMessages = (buf: Uint8Array, field: number): Uint8Array[] =>
  [...protoFields(buf)].filter((f) => f.field === field && f.bytes).map((f) => f.bytes!);

function modelMetadata(model: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of subMessages(model, 14)) {
    const fields = [...protoFields(entry)];
    out[utf8(fields.find((f) => f.field === 1)?.bytes)] = utf8(fields.find((f) => f.field === 2)?.bytes);
  }
  return out;
}

function graphOpTypes(model: Uint8Array): string[] {
  const graph = subMessages(model, 7)[0]!;
  return subMessages(graph, 1).map((node) => utf8(subMessages(node, 4)[0]));
}
/* ------------------------------------------------------------------------------------------------
 * onnxruntime-node in a child process: `describe` a model (its inputs and outputs), `run` it on
 * feeds. Tensors cross as JSON: float data as numbers (null for NaN), int64 as decimal text.
 * ---------------------------------------------------------------------------------------------- */

type ValueMetadata = { name: string; isTensor: false } | { name: string; isTensor: true; type: string; shape: Array<number | string> };

interface ModelInfo {
  inputNames: string[];
  outputNames: string[];
  inputMetadata: ValueMetadata[];
  outputMetadata: ValueMetadata[];
}

interface Feed {
  type: 'float32' | 'string';
  dims: number[];
  data: Array<number | string | null>;
}

interface Output {
  type: string;
  dims: number[];
  data: Array<number | string>;
}

const RUNNER = `
import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
const request = JSON.parse(readFileSync(0, 'utf8'));
const session = await ort.InferenceSession.create(request.model);
let reply;
if (request.feeds === undefined) {
  const { inputNames, outputNames, inputMetadata, outputMetadata } = session;
  reply = { inputNames, outputNames, inputMetadata, outputMetadata };
} else {
  const feeds = {};
  for (const [name, f] of Object.entries(request.feeds)) {
    const data = f.type === 'string' ? f.data : Float32Array.from(f.data, (v) => (v === null ? NaN : v));
    feeds[name] = new ort.Tensor(f.type, data, f.dims);
  }
  const out = await session.run(feeds, request.fetches);
  reply = {};
  for (const [name, t] of Object.entries(out)) {
    reply[name] = { type: t.type, dims: t.dims, data: Array.from(t.data, (v) => (typeof v === 'bigint' ? String(v) : v)) };
  }
}
await session.release();
process.stdout.write(JSON.stringify(reply));
`;

function ortChild<T>(request: { model: string; feeds?: Record<string, Feed>; fetches?: string[] }): T {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', RUNNER], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`onnxruntime-node failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as T;
}

const describeModel = (model: string): ModelInfo => ortChild<ModelInfo>({ model });
const runModel = (model: string, feeds: Record<string, Feed>, fetches?: string[]): Record<string, Output> =>
  ortChild<Record<string, Output>>({ model, feeds, fetches });

/* ------------------------------------------------------------------------------------------------
 * Feeding a graph the rows of a CSV: either ONE float tensor [N, k] whose column order is the
 * `feature_names` metadata, or one [N, 1] input per column, named as the column, typed as the graph
 * declares (float or string). An empty cell is NaN for a float input, '' for a string input.
 * ---------------------------------------------------------------------------------------------- */

const floatCell = (cell: string): number | null => (cell === '' ? null : Number(cell));

function feedsFor(info: ModelInfo, model: Uint8Array, csv: Csv): Record<string, Feed> {
  const n = csv.rows.length;
  const featureNames = modelMetadata(model)['feature_names'];
  if (featureNames !== undefined) {
    const names = JSON.parse(featureNames) as string[];
    expect(info.inputNames).toHaveLength(1);
    const columns = names.map((name) => column(csv, name).map(floatCell));
    const data = csv.rows.flatMap((_, i) => columns.map((c) => c[i]!));
    return { [info.inputNames[0]!]: { type: 'float32', dims: [n, names.length], data } };
  }
  const feeds: Record<string, Feed> = {};
  for (const meta of info.inputMetadata) {
    if (!meta.isTensor) throw new Error(`input ${meta.name} is not a tensor`);
    const cells = column(csv, meta.name);
    feeds[meta.name] =
      meta.type === 'string'
        ? { type: 'string', dims: [n, 1], data: cells }
        : { type: 'float32', dims: [n, 1], data: cells.map(floatCell) };
  }
  return feeds;
}

/** The largest |actual - expected| over a [N, k] output against k CSV columns. */
function maxDifference(output: Output, csv: Csv, columns: string[]): number {
  expect(output.dims).toEqual([csv.rows.length, columns.length]);
  let max = 0;
  columns.forEach((name, j) =>
    column(csv, name).forEach((cell, i) => {
      max = Math.max(max, Math.abs((output.data[i * columns.length + j] as number) - Number(cell)));
    }),
  );
  return max;
}

interface Fixture {
  name: string;
  target: string;
  /** Every graph input: name, element type, shape after the batch dimension. */
  inputs: Array<[string, string, number[]]>;
  outputs: string[];
}

const perColumn = (type: string, names: string[]): Array<[string, string, number[]]> => names.map((name) => [name, type, [1]]);

const FIXTURE_LIST: Fixture[] = [
  { name: 'torch-mlp', target: 'target', inputs: [['input', 'float32', [13]]], outputs: ['label', 'probabilities'] },
  { name: 'sklearn-logreg-zipmap', target: 'target', inputs: [['float_input', 'float32', [4]]], outputs: ['label', 'output_probability'] },
  {
    name: 'sklearn-gbdt',
    target: 'target',
    inputs: perColumn('float32', [
      'mean_radius',
      'mean_texture',
      'mean_smoothness',
      'mean_compactness',
      'mean_concave_points',
      'worst_radius',
      'worst_texture',
      'worst_concave_points',
    ]),
    outputs: ['label', 'probabilities'],
  },
  { name: 'xgboost-regressor', target: 'target', inputs: [['input', 'float32', [10]]], outputs: ['variable'] },
  {
    name: 'sklearn-strings',
    target: 'species',
    inputs: [
      ...perColumn('string', ['island', 'sex']),
      ...perColumn('float32', ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g']),
    ],
    outputs: ['label', 'probabilities'],
  },
];

describe.each(FIXTURE_LIST)('ONNX fixture $name', (fixture) => {
  const dir = join(FIXTURES, fixture.name);
  const modelPath = join(dir, 'model.onnx');
  const model = new Uint8Array(readFileSync(modelPath));
  const reference = readCsv(join(dir, 'reference-predictions.csv'));
  let info: ModelInfo | undefined;
  const modelInfo = (): ModelInfo => (info ??= describeModel(modelPath));

  test('is small, and data.csv holds the same rows as reference-predictions.csv', () => {
    expect(statSync(modelPath).size).toBeLessThan(200 * 1024);
    const data = readCsv(join(dir, 'data.csv'));
    expect(data.rows.length).toBeGreaterThan(0);
    expect(data.rows.length).toBeLessThanOrEqual(150);
    expect(reference.rows).toHaveLength(data.rows.length);
    const features = data.header.slice(0, -1);
    expect(data.header.at(-1)).toBe(fixture.target);
    expect(reference.header.slice(0, features.length + 2)).toEqual([...features, 'y_true', 'y_pred']);
    for (const name of features) expect(column(reference, name)).toEqual(column(data, name));
    expect(column(reference, 'y_true')).toEqual(column(data, fixture.target));
  });

  test('declares the inputs and outputs the fixture documents, with a dynamic batch dimension', () => {
    const { inputMetadata, outputNames } = modelInfo();
    const inputs = inputMetadata.map((m) => {
      if (!m.isTensor) throw new Error(`input ${m.name} is not a tensor`);
      expect(typeof m.shape[0]).toBe('string');
      return [m.name, m.type, m.shape.slice(1)];
    });
    expect(inputs).toEqual(fixture.inputs);
    expect(outputNames).toEqual(fixture.outputs);
  });

  test('tells what a caller needs: the column order of a single-tensor graph, ZipMap where it is', () => {
    const { inputNames, outputMetadata } = modelInfo();
    const metadata = modelMetadata(model);
    if (inputNames.length === 1) {
      const names = JSON.parse(metadata['feature_names']!) as string[];
      expect(names).toEqual(reference.header.slice(0, names.length));
      expect(reference.header[names.length]).toBe('y_true');
    } else {
      expect(metadata['feature_names']).toBeUndefined();
      expect(inputNames.every((name) => reference.header.includes(name))).toBe(true);
    }
    const opTypes = graphOpTypes(model);
    if (fixture.outputs.includes('output_probability')) {
      expect(opTypes).toEqual(['LinearClassifier', 'Normalizer', 'ZipMap']);
      expect(outputMetadata.find((m) => m.name === 'output_probability')?.isTensor).toBe(false);
    } else {
      expect(opTypes).not.toContain('ZipMap');
      for (const meta of outputMetadata) expect(meta.isTensor).toBe(true);
    }
  });

  test("ONNX Runtime gives the framework's predictions", () => {
    const feeds = feedsFor(modelInfo(), model, reference);
    const expected = column(reference, 'y_pred');
    if (fixture.outputs.includes('variable')) {
      const out = runModel(modelPath, feeds);
      const values = out['variable']!;
      expect(values.dims).toEqual([expected.length, 1]);
      // Both sides are float32 sums, added in a different order: compare relative to the value.
      const worst = Math.max(
        ...expected.map((v, i) => Math.abs((values.data[i] as number) - Number(v)) / Math.max(1, Math.abs(Number(v)))),
      );
      expect(worst).toBeLessThanOrEqual(TOLERANCE);
    } else if (fixture.outputs.includes('probabilities')) {
      const out = runModel(modelPath, feeds);
      expect(out['label']!.data.map(String)).toEqual(expected);
      const scores = reference.header.filter((h) => h.startsWith('score:'));
      expect(maxDifference(out['probabilities']!, reference, scores)).toBeLessThanOrEqual(TOLERANCE);
    } else {
      // ZipMap: the probabilities are a sequence of maps, which JavaScript runtimes cannot return;
      // fetch only the label.
      const out = runModel(modelPath, feeds, ['label']);
      expect(Object.keys(out)).toEqual(['label']);
      expect(out['label']!.data.map(String)).toEqual(expected);
    }
  });
});
