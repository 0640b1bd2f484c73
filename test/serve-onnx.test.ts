/**
 * The server and batch scoring over graphs other frameworks made (test/fixtures/onnx:
 * PyTorch, scikit-learn, XGBoost; see its README), in process against src, on both ONNX
 * Runtimes: each model directory is loaded as `mlops serve --model-dir` loads it, its
 * held-out rows go through TF Serving rows and columns and OIP v2 tensors (a tensor per
 * column, and the graph's one [rows, k] tensor where it takes one), and the answers are
 * the framework's own predictions (reference-predictions.csv): the same labels, and
 * probabilities or values within 1e-5. `GET /v2/models/{name}` lists the graph's inputs
 * and outputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTable } from '../src/core/data/table.js';
import { ONNX_RUNTIME_ENV } from '../src/core/onnx/runtime.js';
import { predictTable } from '../src/core/serve/batch.js';
import { PredictionLog } from '../src/core/serve/prediction-log.js';
import type { ServedModel } from '../src/core/serve/model.js';
import { InferenceServer } from '../src/core/serve/server.js';
import { ModelSource } from '../src/core/serve/source.js';
import { makeTempDir, removeTempDirs, ROOT } from './support/action-runner.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'onnx');
const TOLERANCE = 1e-5;

interface Fixture {
  name: string;
  /** The graph's inputs and outputs as GET /v2/models/{name} lists them. */
  inputs: Array<{ name: string; datatype: string; shape: number[] }>;
  outputs: Array<{ name: string; datatype: string; shape: number[] }>;
}

const f32 = (name: string, shape = [-1, 1]) => ({ name, datatype: 'FP32', shape });
const FIXTURE_LIST: Fixture[] = [
  {
    name: 'torch-mlp',
    inputs: [f32('input', [-1, 13])],
    outputs: [{ name: 'label', datatype: 'INT64', shape: [-1] }, f32('probabilities', [-1, 3])],
  },
  {
    name: 'sklearn-gbdt',
    inputs: [
      'mean_radius',
      'mean_texture',
      'mean_smoothness',
      'mean_compactness',
      'mean_concave_points',
      'worst_radius',
      'worst_texture',
      'worst_concave_points',
    ].map((n) => f32(n)),
    outputs: [{ name: 'label', datatype: 'INT64', shape: [-1] }, f32('probabilities', [-1, 2])],
  },
  {
    name: 'sklearn-strings',
    inputs: [
      { name: 'island', datatype: 'BYTES', shape: [-1, 1] },
      { name: 'sex', datatype: 'BYTES', shape: [-1, 1] },
      ...['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'].map((n) => f32(n)),
    ],
    outputs: [{ name: 'label', datatype: 'BYTES', shape: [-1] }, f32('probabilities', [-1, 3])],
  },
  {
    name: 'xgboost-regressor',
    inputs: [f32('input', [-1, 10])],
    outputs: [f32('prediction', [-1]), f32('variable', [-1, 1])],
  },
  {
    name: 'sklearn-logreg-zipmap',
    inputs: [f32('float_input', [-1, 4])],
    outputs: [{ name: 'label', datatype: 'INT64', shape: [-1] }, f32('probabilities', [-1, 3])],
  },
];

/** reference-predictions.csv: the feature cells (text, '' missing), y_pred, and the score:<class> columns. */
interface Reference {
  features: string[];
  rows: string[][];
  labels: string[];
  /** Per row: the class probabilities (classes in the file's order) or the one value. */
  numbers: number[][];
  classes: string[];
}

function readReference(dir: string): Reference {
  const [header, ...lines] = readFileSync(join(dir, 'reference-predictions.csv'), 'utf8').trim().split('\n');
  const names = header!.split(',');
  const yTrue = names.indexOf('y_true');
  const yPred = names.indexOf('y_pred');
  const scores = names.map((n, i) => [n, i] as const).filter(([n]) => n.startsWith('score:'));
  const cells = lines.map((l) => l.split(','));
  return {
    features: names.slice(0, yTrue),
    rows: cells.map((c) => c.slice(0, yTrue)),
    labels: cells.map((c) => c[yPred]!),
    numbers: cells.map((c) => (scores.length > 0 ? scores.map(([, i]) => Number(c[i])) : [Number(c[yPred])])),
    classes: scores.map(([n]) => n.slice('score:'.length)),
  };
}

const close = (actual: number, expected: number, relative: boolean) =>
  Math.abs(actual - expected) <= TOLERANCE * (relative ? Math.max(1, Math.abs(expected)) : 1);

for (const runtime of ['node', 'web'] as const) {
  describe(`onnxruntime-${runtime}`, () => {
    const previous = process.env[ONNX_RUNTIME_ENV];
    beforeAll(() => {
      process.env[ONNX_RUNTIME_ENV] = runtime;
    });
    afterAll(async () => {
      if (previous === undefined) delete process.env[ONNX_RUNTIME_ENV];
      else process.env[ONNX_RUNTIME_ENV] = previous;
      await removeTempDirs();
    });

    describe.each(FIXTURE_LIST)('$name', (fixture) => {
      const dir = join(FIXTURES, fixture.name);
      const reference = readReference(dir);
      let model: ServedModel;
      let server: InferenceServer;
      let base: string;
      let numberFeature: (name: string) => boolean;

      beforeAll(async () => {
        const source = new ModelSource(null, fixture.name, await makeTempDir('mlops-serve-onnx-'));
        model = await source.loadDir(dir);
        const types = new Map(model.signature.features.map((f) => [f.name, f.type]));
        numberFeature = (name) => types.get(name) === 'number';
        // Missing values as the frameworks took them: these folders hold no training profile, so only `impute` takes them.
        server = new InferenceServer({ source, initial: model, follow: null, pollSeconds: 0, adminToken: null, missing: 'impute' });
        base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
      }, 60_000);
      afterAll(async () => {
        await server?.close(1000);
      });

      /** A cell as a client sends it: null when missing, a number for a number feature, else the text. */
      const value = (feature: string, cell: string): string | number | null =>
        cell === '' ? null : numberFeature(feature) ? Number(cell) : cell;
      const records = () => reference.rows.map((row) => Object.fromEntries(reference.features.map((f, j) => [f, value(f, row[j]!)])));

      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of several shapes, checked field by field below
      async function post(path: string, body: unknown): Promise<any> {
        const response = await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        const json = (await response.json()) as { error?: string };
        expect([response.status, json.error]).toEqual([200, undefined]);
        return json;
      }

      /** Labels equal y_pred; probabilities (per class) or values within the tolerance. */
      function expectReference(labels: Array<string | number> | null, numbers: number[][]) {
        expect(numbers).toHaveLength(reference.rows.length);
        if (labels) expect(labels.map(String)).toEqual(reference.labels);
        const regression = reference.classes.length === 0;
        const order = regression ? [0] : reference.classes.map((c) => model.classes.indexOf(c));
        if (!regression) expect([...model.classes].sort()).toEqual([...reference.classes].sort());
        const far = numbers.flatMap((row, i) =>
          order.map((k, j) => ({ i, j, got: row[k]!, want: reference.numbers[i]![j]! })).filter((d) => !close(d.got, d.want, regression)),
        );
        expect(far).toEqual([]);
      }

      const classification = fixture.outputs[0]!.name === 'label';

      test('the model takes the reference file columns, in its runtime', () => {
        expect(model.graph?.runtime).toBe(runtime);
        // A one-tensor graph's columns in the tensor's order (its feature_names); else the graph's inputs, by name.
        const names = model.signature.features.map((f) => f.name);
        if (model.tensorInput) expect(names).toEqual(reference.features);
        else expect([...names].sort()).toEqual([...reference.features].sort());
      });

      test('GET /v2/models/{name} lists the graph inputs and the outputs with their datatypes and shapes', async () => {
        const metadata = (await (await fetch(`${base}/v2/models/${fixture.name}`)).json()) as Record<string, unknown>;
        expect(metadata).toMatchObject({ name: fixture.name, versions: ['0'], platform: 'onnxruntime_onnx' });
        expect(metadata.inputs).toEqual(fixture.inputs);
        expect(metadata.outputs).toEqual(fixture.outputs);
        expect(metadata.features).toEqual(model.signature.features.map((f) => f.name));
        const tf = (await (await fetch(`${base}/v1/models/${fixture.name}/metadata`)).json()) as {
          metadata: { signature_def: { signature_def: { serving_default: { inputs: object; outputs: object } } } };
        };
        const signature = tf.metadata.signature_def.signature_def.serving_default;
        expect(Object.keys(signature.inputs)).toEqual(fixture.inputs.map((i) => i.name));
        expect(Object.keys(signature.outputs)).toEqual(fixture.outputs.map((o) => o.name));
      });

      test('TF Serving rows and columns answer what the framework predicted', async () => {
        // Text as TF Serving's binary strings ({"b64": ...}) and the default signature named: the same answers.
        const b64 = (v: unknown) => (typeof v === 'string' ? { b64: Buffer.from(v, 'utf8').toString('base64') } : v);
        const instances = records().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, b64(v)])));
        const rows = await post(`/v1/models/${fixture.name}:predict`, { signature_name: 'serving_default', instances });
        if (classification) {
          expectReference(
            rows.predictions.map((p: { label: string | number }) => p.label),
            rows.predictions.map((p: { probabilities: number[] }) => p.probabilities),
          );
        } else
          expectReference(
            null,
            rows.predictions.map((v: number) => [v]),
          );
        const columns = Object.fromEntries(reference.features.map((f, j) => [f, reference.rows.map((r) => value(f, r[j]!))]));
        const columnar = await post(`/v1/models/${fixture.name}:predict`, { inputs: columns });
        if (classification) expectReference(columnar.outputs.label, columnar.outputs.probabilities);
        else
          expectReference(
            null,
            columnar.outputs.map((v: number) => [v]),
          );
      });

      test('OIP v2: a tensor per feature column (BYTES for strings) answers what the framework predicted', async () => {
        const n = reference.rows.length;
        const inputs = reference.features.map((f, j) => ({
          name: f,
          shape: [n, 1],
          datatype: numberFeature(f) ? 'FP32' : 'BYTES',
          data: reference.rows.map((r) => value(f, r[j]!)),
        }));
        const answer = await post(`/v2/models/${fixture.name}/infer`, { id: 'r1', inputs });
        expect(answer).toMatchObject({ model_name: fixture.name, model_version: '0', id: 'r1' });
        expect(answer.outputs.map((o: { name: string; datatype: string }) => [o.name, o.datatype])).toEqual(
          fixture.outputs.map((o) => [o.name, o.datatype]),
        );
        const [first, second] = answer.outputs as Array<{ shape: number[]; data: Array<number | string> }>;
        if (classification) {
          const k = model.classes.length;
          expect(second!.shape).toEqual([n, k]);
          const data = second!.data as number[];
          expectReference(
            first!.data,
            Array.from({ length: n }, (_, i) => data.slice(i * k, (i + 1) * k)),
          );
        } else {
          expect(first!.shape).toEqual([n]);
          expect(second!.shape).toEqual([n, 1]);
          expect(second!.data).toEqual(first!.data);
          expectReference(
            null,
            (first!.data as number[]).map((v) => [v]),
          );
        }
      });

      test('OIP v2 binary tensors (as the Triton client sends them, binary answers asked for) answer what the framework predicted', async () => {
        const n = reference.rows.length;
        const parts: Buffer[] = [];
        const inputs = reference.features.map((f, j) => {
          const cells = reference.rows.map((r) => value(f, r[j]!));
          // Binary FP32 has no null: a missing number travels as NaN; a missing text as an empty string (a null text).
          const bytes = numberFeature(f)
            ? Buffer.from(Float32Array.from(cells, (v) => (v === null ? NaN : Number(v))).buffer)
            : Buffer.concat(
                cells.flatMap((v) => {
                  const text = Buffer.from(v === null ? '' : String(v), 'utf8');
                  return [Buffer.from(Uint32Array.of(text.length).buffer), text];
                }),
              );
          parts.push(bytes);
          return { name: f, shape: [n, 1], datatype: numberFeature(f) ? 'FP32' : 'BYTES', parameters: { binary_data_size: bytes.length } };
        });
        const json = Buffer.from(JSON.stringify({ inputs, parameters: { binary_data_output: true } }));
        const response = await fetch(`${base}/v2/models/${fixture.name}/infer`, {
          method: 'POST',
          headers: { 'Inference-Header-Content-Length': String(json.length) },
          body: Buffer.concat([json, ...parts]),
        });
        const bytes = Buffer.from(await response.arrayBuffer());
        expect([response.status, response.status === 200 ? '' : bytes.toString()]).toEqual([200, '']);
        const length = Number(response.headers.get('inference-header-content-length'));
        const head = JSON.parse(bytes.subarray(0, length).toString()) as {
          outputs: Array<{ name: string; datatype: string; shape: number[]; parameters: { binary_data_size: number } }>;
        };
        let offset = length;
        const decoded = head.outputs.map((o) => {
          const data = bytes.subarray(offset, (offset += o.parameters.binary_data_size));
          const copy = data.buffer.slice(data.byteOffset, data.byteOffset + data.length);
          if (o.datatype === 'FP32') return Array.from(new Float32Array(copy));
          if (o.datatype === 'FP64') return Array.from(new Float64Array(copy));
          if (o.datatype === 'INT64') return Array.from(new BigInt64Array(copy), Number);
          const texts: string[] = [];
          for (let at = 0; at < data.length; at += 4 + data.readUInt32LE(at))
            texts.push(data.subarray(at + 4, at + 4 + data.readUInt32LE(at)).toString());
          return texts;
        });
        if (classification) {
          const k = model.classes.length;
          const probabilities = decoded[1] as number[];
          expectReference(
            decoded[0] as Array<string | number>,
            Array.from({ length: n }, (_, i) => probabilities.slice(i * k, (i + 1) * k)),
          );
        } else
          expectReference(
            null,
            (decoded[0] as number[]).map((v) => [v]),
          );
      });

      const tensor = fixture.inputs.length === 1 ? fixture.inputs[0]! : null;
      if (tensor)
        test('the graph input as one [rows, k] FP32 tensor, and TF Serving rows of values', async () => {
          const n = reference.rows.length;
          const k = reference.features.length;
          const matrix = reference.rows.map((r) => r.map((cell) => (cell === '' ? null : Number(cell))));
          const answer = await post(`/v2/models/${fixture.name}/infer`, {
            inputs: [{ name: tensor!.name, shape: [n, k], datatype: 'FP32', data: matrix.flat() }],
            outputs: [{ name: classification ? 'probabilities' : 'variable' }],
          });
          expect(answer.outputs).toHaveLength(1);
          const data = answer.outputs[0].data as number[];
          const width = classification ? model.classes.length : 1;
          expectReference(
            null,
            Array.from({ length: n }, (_, i) => data.slice(i * width, (i + 1) * width)),
          );
          const rows = await post(`/v1/models/${fixture.name}:predict`, { instances: matrix });
          if (classification)
            expectReference(
              rows.predictions.map((p: { label: string | number }) => p.label),
              rows.predictions.map((p: { probabilities: number[] }) => p.probabilities),
            );
          else
            expectReference(
              null,
              rows.predictions.map((v: number) => [v]),
            );
        });

      test('mlops predict (batch) on data.csv gives the same predictions', async () => {
        const table = await readTable([join(dir, 'data.csv')]);
        const { text, rows } = await predictTable(model, table, 'csv');
        expect(rows).toBe(reference.rows.length);
        const [header, ...lines] = text.trim().split('\n');
        const names = header!.split(',');
        const cells = lines.map((l) => l.split(','));
        const prediction = names.indexOf('prediction');
        if (classification) {
          const columns = model.classes.map((c) => names.indexOf(`probability_${c}`));
          expectReference(
            cells.map((c) => c[prediction]!),
            cells.map((c) => columns.map((i) => Number(c[i]))),
          );
        } else
          expectReference(
            null,
            cells.map((c) => [Number(c[prediction])]),
          );
      });
    });
  });
}

describe('what a framework graph cannot take', () => {
  let server: InferenceServer;
  let base: string;
  let logDir: string;
  beforeAll(async () => {
    logDir = await makeTempDir('mlops-serve-onnx-log-');
    const source = new ModelSource(null, 'wine', await makeTempDir('mlops-serve-onnx-'));
    const log = await PredictionLog.open({ path: join(logDir, 'predictions.jsonl') });
    server = new InferenceServer({
      source,
      initial: await source.loadDir(join(FIXTURES, 'torch-mlp')),
      follow: null,
      pollSeconds: 0,
      adminToken: null,
      missing: 'impute',
      log,
    });
    base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  }, 60_000);
  afterAll(async () => {
    await server?.close(1000);
    await removeTempDirs();
  });

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as { error?: string } };
  };
  const WINE = readReference(join(FIXTURES, 'torch-mlp'));
  const row = WINE.rows[0]!.map(Number);

  test('a missing value in a graph that does not impute (NaN out) is a 400 naming the record and the feature', async () => {
    const record = Object.fromEntries(WINE.features.map((f, j) => [f, j === 2 ? null : row[j]]));
    const answer = await post('/v1/models/wine:predict', {
      instances: [Object.fromEntries(WINE.features.map((f, j) => [f, row[j]])), record],
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe(
      'instances[1]: the model gives no finite prediction for this record: it has no value for ash, and this model does not fill in missing values; send every feature',
    );
  });

  test('the prediction log holds the features of one-tensor requests by name', async () => {
    const answer = await post('/v2/models/wine/infer', {
      inputs: [{ name: 'input', shape: [1, row.length], datatype: 'FP32', data: row }],
    });
    expect(answer.status).toBe(200);
    await server.close(1000);
    const lines = readFileSync(join(logDir, 'predictions.jsonl'), 'utf8').trim().split('\n');
    const entry = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(Object.keys(entry)).toEqual([...WINE.features, '_time', '_model', '_version', '_request_id', '_prediction']);
    expect(entry.alcohol).toBe(row[0]);
    expect(entry._prediction).toBe(WINE.labels[0]);
  });
});

describe('a graph with integer and boolean inputs (pandas integer columns, flags)', () => {
  test('loads (the warm-up gives them zeros, not "missing") and serves', async () => {
    const { attr, makeGraph, makeModel, makeNode, makeValueInfo } = await import('../src/core/onnx/graph.js');
    // variable = float(count) + float(flag)
    const bytes = makeModel({
      irVersion: 8,
      opsets: { '': 15 },
      producerName: 'serve-onnx.test',
      graph: makeGraph({
        name: 'g',
        nodes: [
          makeNode('Cast', ['count'], ['count_f'], { attributes: [attr.int('to', 1)] }),
          makeNode('Cast', ['flag'], ['flag_f'], { attributes: [attr.int('to', 1)] }),
          makeNode('Add', ['count_f', 'flag_f'], ['variable']),
        ],
        initializers: [],
        inputs: [makeValueInfo('count', 'int64', ['N', 1]), makeValueInfo('flag', 'bool', ['N', 1])],
        outputs: [makeValueInfo('variable', 'float32', ['N', 1])],
      }),
    });
    const dir = await makeTempDir('mlops-serve-int-');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'model.onnx'), bytes);
    const source = new ModelSource(null, 'counts', await makeTempDir('mlops-serve-int-work-'));
    const model = await source.loadDir(dir);
    const server = new InferenceServer({ source, initial: model, follow: null, pollSeconds: 0, adminToken: null, log: null });
    try {
      const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
      const response = await fetch(`${base}/v1/models/counts:predict`, {
        method: 'POST',
        body: JSON.stringify({
          instances: [
            { count: 41, flag: true },
            { count: 2, flag: false },
          ],
        }),
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { predictions: unknown[] };
      expect(JSON.stringify(answer.predictions)).toMatch(/42.*2/);
    } finally {
      await server.close(1000);
    }
  });
});
