/**
 * The serving core without a process: records become exactly the cells of the same
 * rows read from a file (no train/serve skew), request decoding names the field at
 * fault (for models that take columns and for graphs that take one tensor), the canary
 * split is exact, credentials compare as they should, and the prediction log keeps
 * whole lines through rotation under load.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readTable } from '../src/core/data/table.js';
import type { Table } from '../src/core/data/table.js';
import type { ModelSignature, TabularModel } from '../src/core/model/model.js';
import { HttpError, decodeOip, decodeTfServing, requestTable } from '../src/core/serve/decode.js';
import type { DecodedRecords } from '../src/core/serve/decode.js';
import { ModelSlots } from '../src/core/serve/canary.js';
import { ServedModel } from '../src/core/serve/model.js';
import type { GraphTensor } from '../src/core/serve/model.js';
import { featureTable, recordsToTable } from '../src/core/serve/records.js';
import { bearerMatches, checkSignedReload, signBody, signReload, signatureMatches } from '../src/core/serve/auth.js';
import { PredictionLog } from '../src/core/serve/prediction-log.js';
import { ServeStats } from '../src/core/serve/stats.js';
import { makeTempDir, removeTempDirs } from './support/action-runner.js';

afterAll(removeTempDirs);

// Columns of every kind the table reader tells apart: numbers (with missing, NA, NaN,
// infinities, exponents), text categories, booleans in several spellings, numbers used
// as categories in a column that also holds text ("007" reads as 7), dates.
const TRAIN_CSV = [
  'y,num,cat,flag,code,day',
  'a,1.5,red,true,007,2024-01-02',
  'b,,blue,FALSE,12,2024-01-03',
  'a,NA,red,True,x1,',
  'b,1e3,green,false,7.0,2024-01-02',
  'a,-2.25,,TRUE,12,2024-01-04',
  'b,NaN,blue,,007,2024-01-02',
  'a,inf,red,true,x1,2024-01-03',
  'b,3,purple,false,12,2024-01-02',
].join('\n');

// Rows to encode: seen and unseen values, missing cells, numbers as text.
const TEST_CSV = [
  'y,num,cat,flag,code,day',
  'a,2,red,TRUE,7,2024-01-02',
  'b,,orange,False,0012,2024-01-09',
  'a,-Infinity,NA,true,x2,',
  'b,4.5e-1,green,,12.0,2024-01-03',
  'a,nan,blue,FALSE,x1,2024-01-04',
].join('\n');

/** The cells of a CSV as records of strings (what a client sending text would send), empty cells left as "". */
function textRecords(csv: string): Array<Record<string, string>> {
  const [header, ...lines] = csv.split('\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i]!, cell])));
}

/** The same cells as typed JSON: numbers as numbers, true/false as booleans, missing as null or left out. */
function typedRecords(csv: string): Array<Record<string, unknown>> {
  return textRecords(csv).map((record, r) => {
    const out: Record<string, unknown> = {};
    for (const [name, cell] of Object.entries(record)) {
      if (cell === '' || cell === 'NA') {
        if (r % 2 === 0) out[name] = null; // and left out on odd rows
        continue;
      }
      const n = Number(cell);
      if (name === 'num' && /^[-+]?[\d.]+(e[-+]?\d+)?$/i.test(cell)) out[name] = n;
      else if (name === 'code' && /^\d+(\.\d+)?$/.test(cell)) out[name] = n;
      else if (name === 'flag') out[name] = cell.toLowerCase() === 'true';
      else out[name] = cell;
    }
    return out;
  });
}

/** The signature of a model of those columns: `num` a number, the rest strings (as their files hold text). */
const MIXED: ModelSignature = {
  features: [
    { name: 'num', type: 'number' },
    { name: 'cat', type: 'string' },
    { name: 'flag', type: 'string' },
    { name: 'code', type: 'string' },
    { name: 'day', type: 'string' },
  ],
  target: { name: 'y', task: 'classification', classes: ['a', 'b'] },
  probabilities: true,
};

/** The cells of a table's columns, as the model sees them: numbers (NaN missing) or texts (null missing). */
function cells(table: Table): Record<string, Array<number | string | null>> {
  return Object.fromEntries(table.columns.map((c) => [c.name, c.texts ? [...c.texts] : Array.from(c.numbers)]));
}

describe('recordsToTable: a record becomes the cells of the same row read from a file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('mlops-serve-records-');
    await writeFile(join(dir, 'train.csv'), TRAIN_CSV);
    await writeFile(join(dir, 'test.csv'), TEST_CSV);
  });

  for (const [file, csv] of [
    ['train.csv', TRAIN_CSV],
    ['test.csv', TEST_CSV],
  ] as const) {
    test(`${file}: text records and typed JSON records both give the table reader's cells`, async () => {
      const table = featureTable(MIXED.features, await readTable([join(dir, file)]));
      const expected = cells(table);
      expect(Object.keys(expected)).toEqual(['num', 'cat', 'flag', 'code', 'day']);
      const asText = recordsToTable(MIXED.features, textRecords(csv));
      expect(asText.issues).toEqual([]);
      expect(cells(asText.table)).toEqual(expected);
      const typed = recordsToTable(MIXED.features, typedRecords(csv));
      expect(typed.issues).toEqual([]);
      expect(cells(typed.table)).toEqual(expected);
      // Numbers of string columns are kept as the reader keeps them.
      const code = asText.table.columns[3]!;
      expect(Array.from(code.numbers)).toEqual(Array.from(table.columns[3]!.numbers));
    });
  }

  test('canonical texts: numbers in text, booleans, dates', () => {
    const { table } = recordsToTable(MIXED.features, [
      { num: '1e3', cat: 7, flag: true, code: '007', day: '2024-01-02' },
      { num: ' 2', cat: 7.5, flag: 'FALSE', code: '7.0', day: 'NA' },
    ]);
    expect(cells(table)).toEqual({
      num: [1000, NaN],
      cat: ['7', '7.5'],
      flag: ['true', 'false'],
      code: ['7', '7'],
      day: ['2024-01-02', null],
    });
  });

  test('values no file could hold in the column are issues naming record and feature; they read as missing', () => {
    const { table, issues } = recordsToTable(MIXED.features, [{ num: { a: 1 } }, { num: true, cat: [1] }, { num: 'abc', code: {} }]);
    expect(issues).toEqual([
      { record: 0, feature: 'num', message: 'expected a number, got an object' },
      { record: 1, feature: 'num', message: 'expected a number, got a boolean' },
      { record: 2, feature: 'num', message: 'expected a number, got the text "abc"' },
      { record: 1, feature: 'cat', message: 'expected a text or a number, got an array' },
      { record: 2, feature: 'code', message: 'expected a text or a number, got an object' },
    ]);
    expect(cells(table)).toEqual(cells(recordsToTable(MIXED.features, [{}, {}, {}]).table));
  });

  test('TF Serving binary strings ({"b64": ...}) read as the text they hold; a value that is not base64 is an issue', () => {
    const b64 = (text: string) => ({ b64: Buffer.from(text, 'utf8').toString('base64') });
    const { table, issues } = recordsToTable(MIXED.features, [
      { cat: b64('Biscoe'), code: b64('007'), day: b64('2024-01-02') },
      { cat: { b64: 'QmlzY29l' }, code: { b64: 'Ymlz-2Nv_w' } },
      { cat: { b64: 'not base64!' }, num: { b64: 'MQ==' } },
    ]);
    expect(cells(table).cat).toEqual(['Biscoe', 'Biscoe', null]);
    expect(cells(table).code![0]).toBe('7');
    expect(cells(table).day![0]).toBe('2024-01-02');
    expect(issues).toEqual([
      { record: 2, feature: 'num', message: 'expected a number, got an object' },
      { record: 2, feature: 'cat', message: 'b64: "not base64!" is not base64' },
    ]);
  });

  test('null values follow the configured list, as in the table reader', () => {
    const custom = recordsToTable(MIXED.features, [{ num: '-', cat: '-' }], { nullValues: ['-'] });
    expect(custom.issues).toEqual([]);
    expect(cells(custom.table)).toEqual(cells(recordsToTable(MIXED.features, [{}]).table));
    expect(recordsToTable(MIXED.features, [{ num: '-' }]).issues).toHaveLength(1);
  });

  test('featureTable: the features in signature order, texts for a string feature whose file held numbers; a missing column is named', async () => {
    await writeFile(join(dir, 'numbers.csv'), 'day,code,num,cat,flag,extra\n2024-01-02,7,1,2,3,x\n,8,,,,y\n');
    const table = featureTable(MIXED.features, await readTable([join(dir, 'numbers.csv')]));
    expect(cells(table)).toEqual({ num: [1, NaN], cat: ['2', null], flag: ['3', null], code: ['7', '8'], day: ['2024-01-02', null] });
    await writeFile(join(dir, 'short.csv'), 'num,cat\n1,a\n');
    const short = await readTable([join(dir, 'short.csv')]);
    expect(() => featureTable(MIXED.features, short)).toThrow(/feature columns "flag", "code", "day" are not in .*short\.csv/);
  });
});

/** A TabularModel that answers `answer` for every row, with graph inputs and outputs when given. */
function tabular(
  signature: ModelSignature,
  graph?: { inputs: GraphTensor[]; outputs: GraphTensor[] },
  answer: number[] = [0.25, 0.75],
): TabularModel & { disposed: boolean; tables: Table[] } {
  const model = {
    algorithm: 'fake',
    signature,
    disposed: false,
    tables: [] as Table[],
    predict: async (table: Table, rows: readonly number[]) => {
      model.tables.push(table);
      return Float64Array.from({ length: rows.length * answer.length }, (_, i) => answer[i % answer.length]!);
    },
    dispose: () => {
      model.disposed = true;
    },
    ...(graph ? { graphInputs: graph.inputs, graphOutputs: graph.outputs, runtime: 'node' } : {}),
  };
  return model;
}

/** A served model around a fake TabularModel, version `version`. */
function fakeModel(signature: ModelSignature, version: number, graph?: { inputs: GraphTensor[]; outputs: GraphTensor[] }) {
  const inner = tabular(signature, graph);
  const served = new ServedModel(
    { name: 'm', version, digest: `sha256:${version}`, uri: `local://m/${version}` },
    { model: inner, card: null },
  );
  return Object.assign(served, { wasDisposed: () => inner.disposed });
}

const XC: ModelSignature = {
  features: [
    { name: 'x', type: 'number' },
    { name: 'c', type: 'string' },
  ],
  target: { name: 'y', task: 'classification', classes: ['a', 'b'] },
  probabilities: true,
};

describe('request decoding', () => {
  const model = fakeModel(XC, 1);
  const tableOf = (decoded: DecodedRecords) => cells(requestTable(model, decoded).table);
  const errorOf = (fn: () => unknown): HttpError => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(HttpError);
      return error as HttpError;
    }
    throw new Error('no error');
  };

  test('signature_name: the one signature (serving_default) or none; any other name is a 400 saying which there is', () => {
    expect(decodeTfServing({ signature_name: 'serving_default', instances: [{ x: 1 }] }).records).toHaveLength(1);
    const error = errorOf(() => decodeTfServing({ signature_name: 'predict_images', instances: [{ x: 1 }] }));
    expect(error.status).toBe(400);
    expect(error.message).toBe('signature_name: "predict_images" is not a signature of this model; its one signature is "serving_default"');
    expect(errorOf(() => decodeTfServing({ signature_name: 7, instances: [{ x: 1 }] })).message).toMatch(
      /^signature_name: a number is not/,
    );
  });

  test('the three request shapes give the same records and the same encoding', () => {
    const rows = decodeTfServing({
      instances: [
        { x: 12, c: 'v' },
        { x: '8', c: null, y: 'a' },
      ],
    });
    const columns = decodeTfServing({ inputs: { x: [12, '8'], c: ['v', null] } });
    const tensors = decodeOip({
      inputs: [
        { name: 'x', shape: [2], datatype: 'FP32', data: [12, 8] },
        { name: 'c', shape: [2, 1], datatype: 'BYTES', data: [['v'], [null]] },
      ],
    });
    for (const decoded of [rows, columns, tensors]) expect(tableOf(decoded)).toEqual({ x: [12, 8], c: ['v', null] });
    expect(rows.columnar).toBe(false);
    expect(columns.columnar).toBe(true);
  });

  test.each([
    [{}, /needs "instances".*or "inputs"/],
    [[1, 2], /must be a JSON object.*got an array/],
    [{ instances: {} }, /^instances: expected an array of records, got an object/],
    [{ instances: [] }, /^instances: the array is empty/],
    [{ instances: [{ x: 1 }, 5] }, /^instances\[1\]: expected an object of feature name -> value, got a number/],
    [{ instances: [{}], inputs: {} }, /not both/],
    [{ inputs: { x: [1, 2], c: ['u'] } }, /^inputs\.c: 1 values where inputs\.x has 2/],
    [{ inputs: { x: 3 } }, /^inputs\.x: expected an array of values, got a number/],
  ])('TF Serving body %j is refused: %s', (body, message) => {
    const error = errorOf(() => decodeTfServing(body));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });

  test.each([
    [{ inputs: 'x' }, /^inputs: expected an array of tensors, got a string/],
    [{ inputs: [{ name: 'x', shape: [2], datatype: 'FP64', data: [1] }] }, /^inputs\[0\]\.data: 1 values where the shape \[2\] needs 2/],
    [{ inputs: [{ name: 'x', shape: [1], datatype: 'FLOAT', data: [1] }] }, /^inputs\[0\]\.datatype: expected one of BOOL/],
    [
      { inputs: [{ name: 'x', shape: [1], datatype: 'INT64', data: [1.5] }] },
      /^inputs\[0\]\.data\[0\] \(x\): INT64 holds whole numbers, got a number/,
    ],
    [
      { inputs: [{ name: 'c', shape: [1], datatype: 'BYTES', data: [7] }] },
      /^inputs\[0\]\.data\[0\] \(c\): BYTES holds texts, got a number/,
    ],
    [
      {
        inputs: [
          { name: 'x', shape: [1], datatype: 'FP64', data: [1] },
          { name: 'x', shape: [1], datatype: 'FP64', data: [1] },
        ],
      },
      /^inputs\[1\]\.name: "x" is given twice/,
    ],
    [
      {
        inputs: [
          { name: 'x', shape: [1], datatype: 'FP64', data: [1] },
          { name: 'c', shape: [2], datatype: 'BYTES', data: ['u', 'v'] },
        ],
      },
      /^inputs\[1\]\.shape: 2 rows where inputs\[0\] has 1/,
    ],
    [{ id: 5, inputs: [] }, /^id: expected a string, got a number/],
  ])('OIP body %j is refused: %s', (body, message) => {
    const error = errorOf(() => decodeOip(body));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });

  test('a [rows, k] tensor or rows of values, for a model that takes a column per feature: 400 as before the one-tensor form', () => {
    const wide = errorOf(() =>
      requestTable(model, decodeOip({ inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP64', data: [1, 2, 3] }] })),
    );
    expect(wide.status).toBe(400);
    expect(wide.message).toBe('inputs[0].shape: a feature column has one value per row: [rows] or [rows, 1], got [1,3]');
    const nested = errorOf(() => decodeOip({ inputs: [{ name: 'x', shape: [2, 2], datatype: 'FP64', data: [[1, 2], [3]] }] }));
    expect(nested.message).toBe('inputs[0].data[1]: expected a row of 2 values, got an array of 1');
    expect(errorOf(() => requestTable(model, decodeTfServing({ instances: [[1, 'u']] }))).message).toBe(
      'instances[0]: expected an object of feature name -> value, got an array',
    );
    expect(errorOf(() => requestTable(model, decodeTfServing({ inputs: [[1, 'u']] }))).message).toBe(
      'inputs: expected an object of feature name -> array of values, got an array',
    );
    expect(errorOf(() => decodeTfServing({ instances: [[1, 'u'], { x: 1 }] })).message).toBe(
      'instances[1]: expected a row of values like instances[0], got an object',
    );
    expect(errorOf(() => decodeTfServing({ instances: [[1, 'u'], [1]] })).message).toBe(
      'instances[1]: 1 values where instances[0] has 2; every row needs the same number',
    );
  });

  test('values and names the model cannot take are reported with their path, unknown names with the feature list', () => {
    const row = errorOf(() => requestTable(model, decodeTfServing({ instances: [{ x: 1 }, { x: 2 }, { x: 3 }, { x: {}, zz: 1 }] })));
    expect(row.message).toBe(
      `instances[3].zz: unknown feature "zz"; instances[3].x: expected a number, got an object (the model's features: x, c)`,
    );
    const columnar = errorOf(() => requestTable(model, decodeTfServing({ inputs: { x: [1, [2]] } })));
    expect(columnar.message).toBe('inputs.x[1]: expected a number, got an array');
    const oip = errorOf(() => requestTable(model, decodeOip({ inputs: [{ name: '__proto__', shape: [1], datatype: 'FP64', data: [1] }] })));
    expect(oip.message).toMatch(/^inputs\[0\]\.name: unknown feature "__proto__"/);
    const huge = errorOf(() => requestTable(model, decodeTfServing({ instances: [{ x: 1e308 }] })));
    expect(huge.message).toBe('instances[0].x: 1e+308 is out of the range the model can take');
    const many = errorOf(() => requestTable(model, decodeTfServing({ instances: Array.from({ length: 30 }, () => ({ x: [] })) })));
    expect(many.message).toMatch(/instances\[9\]\.x: .*; and 20 more$/);
  });
});

describe('a graph that takes every feature as one tensor', () => {
  const signature: ModelSignature = {
    features: [
      { name: 'a', type: 'number' },
      { name: 'b', type: 'number' },
      { name: 'c', type: 'number' },
    ],
    target: { name: 'y', task: 'regression' },
    probabilities: false,
  };
  const graph = {
    inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 3] }],
    outputs: [{ name: 'variable', datatype: 'FP32', shape: [-1, 1] }],
  };
  const model = fakeModel(signature, 1, graph);
  const errorOf = (fn: () => unknown): HttpError => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(HttpError);
      return error as HttpError;
    }
    throw new Error('no error');
  };
  const tableOf = (decoded: DecodedRecords) => cells(requestTable(model, decoded).table);
  const expected = { a: [1, 4], b: [2, NaN], c: [3, 6] };

  test('is recognised: one input whose name is not a feature', () => {
    expect(model.tensorInput).toEqual(graph.inputs[0]);
    expect(model.inputDatatype('b')).toBe('FP32');
    expect(
      fakeModel(XC, 1, {
        inputs: [
          { name: 'x', datatype: 'FP32', shape: [-1, 1] },
          { name: 'c', datatype: 'BYTES', shape: [-1, 1] },
        ],
        outputs: [],
      }).tensorInput,
    ).toBeNull();
  });

  test('OIP [rows, k] by the input name, TF Serving rows and columns, named or not, and per-feature columns give the same table', () => {
    const forms: DecodedRecords[] = [
      decodeOip({ inputs: [{ name: 'input', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, null, 6] }] }),
      decodeOip({
        inputs: [
          {
            name: 'input',
            shape: [2, 3],
            datatype: 'FP32',
            data: [
              [1, 2, 3],
              [4, null, 6],
            ],
          },
        ],
      }),
      decodeTfServing({
        instances: [
          [1, 2, 3],
          [4, null, 6],
        ],
      }),
      decodeTfServing({ instances: [{ input: [1, 2, 3] }, { input: [4, null, 6] }] }),
      decodeTfServing({
        inputs: [
          [1, 2, 3],
          [4, null, 6],
        ],
      }),
      decodeTfServing({
        inputs: {
          input: [
            [1, 2, 3],
            [4, null, 6],
          ],
        },
      }),
      decodeTfServing({
        instances: [
          { a: 1, b: 2, c: 3 },
          { a: 4, c: 6 },
        ],
      }),
      decodeOip({
        inputs: [
          { name: 'a', shape: [2], datatype: 'FP64', data: [1, 4] },
          { name: 'b', shape: [2, 1], datatype: 'FP64', data: [[2], [null]] },
          { name: 'c', shape: [2], datatype: 'INT64', data: [3, 6] },
        ],
      }),
    ];
    for (const decoded of forms) expect(tableOf(decoded)).toEqual(expected);
  });

  test('messages name the element of the tensor and its feature', () => {
    expect(
      errorOf(() =>
        requestTable(model, decodeOip({ inputs: [{ name: 'input', shape: [1, 3], datatype: 'BYTES', data: ['1', 'x', '3'] }] })),
      ).message,
    ).toBe('inputs[0].data[1] (b): expected a number, got the text "x"');
    expect(
      errorOf(() =>
        requestTable(
          model,
          decodeTfServing({
            instances: [
              [1, 2, 3],
              [1, 'NaN', 3],
            ],
          }),
        ),
      ).message,
    ).toBe('instances[1][1] (b): "NaN" is not a value the model can take; send null or leave the feature out for a missing value');
    expect(errorOf(() => requestTable(model, decodeTfServing({ inputs: { input: [[1, 2, 1e39]] } }))).message).toBe(
      'inputs.input[0][2] (c): 1e+39 is out of the range the model can take',
    );
    expect(errorOf(() => requestTable(model, decodeTfServing({ instances: [[null, null, null]] }))).message).toBe(
      'instances[0]: the record has no value for any feature (a, b, c); send its feature values',
    );
  });

  test('a tensor of the wrong width, a bare value, and a tensor with feature columns are refused', () => {
    expect(
      errorOf(() => requestTable(model, decodeOip({ inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP32', data: [1, 2] }] }))).message,
    ).toBe('inputs[0].shape: [1,2] where the model\'s input "input" is [rows, 3] (a, b, c)');
    expect(errorOf(() => requestTable(model, decodeTfServing({ instances: [[1, 2]] }))).message).toBe(
      'instances[0]: 2 values where the model\'s input "input" takes 3 per row (a, b, c)',
    );
    expect(errorOf(() => requestTable(model, decodeTfServing({ instances: [{ input: 5 }] }))).message).toBe(
      'instances[0].input: expected a row of 3 values (a, b, c), got a number',
    );
    expect(errorOf(() => requestTable(model, decodeTfServing({ instances: [{ input: [1, 2, 3], a: 1 }] }))).message).toMatch(
      /^instances\[0\]\.a: the request gives both the model's input "input" \(every feature as one tensor\) and the feature "a"/,
    );
    expect(
      errorOf(() => requestTable(model, decodeOip({ inputs: [{ name: 'other', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }] })))
        .message,
    ).toBe(
      'inputs[0].shape: a feature column has one value per row: [rows] or [rows, 1], got [1,3] (only the model\'s input "input" takes [rows, k])',
    );
  });

  test('a number the graph takes as FP64 may be any double; FP32 and unknown inputs stop at the float32 range', () => {
    const fp64 = fakeModel(signature, 1, { inputs: [{ name: 'input', datatype: 'FP64', shape: [-1, 3] }], outputs: [] });
    expect(cells(requestTable(fp64, decodeTfServing({ instances: [[1e308, 0, 0]] })).table).a).toEqual([1e308]);
    expect(errorOf(() => requestTable(fakeModel(signature, 1), decodeTfServing({ instances: [{ a: -1e39 }] }))).message).toBe(
      'instances[0].a: -1e+39 is out of the range the model can take',
    );
  });
});

describe('numbers the graph takes as whole numbers or booleans', () => {
  const signature: ModelSignature = {
    features: [
      { name: 'n', type: 'number' },
      { name: 'b', type: 'number' },
    ],
    target: { name: 'y', task: 'regression' },
    probabilities: true,
  };
  const model = fakeModel(signature, 1, {
    inputs: [
      { name: 'n', datatype: 'INT64', shape: [-1, 1] },
      { name: 'b', datatype: 'BOOL', shape: [-1, 1] },
    ],
    outputs: [{ name: 'variable', datatype: 'FP32', shape: [-1, 1] }],
  });
  const messageOf = (body: unknown) => {
    try {
      requestTable(model, decodeTfServing(body));
    } catch (error) {
      return (error as HttpError).message;
    }
    return null;
  };

  test('booleans read as 1 and 0 for a BOOL input, as the model reads them from a file', () => {
    const { table } = requestTable(
      model,
      decodeTfServing({
        instances: [
          { n: 3, b: true },
          { n: '4', b: 'FALSE' },
          { n: 5, b: 1 },
        ],
      }),
    );
    expect(cells(table)).toEqual({ n: [3, 4, 5], b: [1, 0, 1] });
    expect(messageOf({ instances: [{ n: true, b: false }] })).toBe('instances[0].n: expected a number, got a boolean');
  });

  test('a missing value or a fraction is a 400 naming the input type, not a failure of the model', () => {
    expect(messageOf({ instances: [{ n: 1.5, b: true }, { n: 2 }] })).toBe(
      'instances[0].n: 1.5 is not a whole number, and the model takes n as INT64; instances[1].b: missing, but the model takes b as BOOL, which has no missing value; send a value',
    );
    expect(messageOf({ instances: [{ n: 2 ** 64, b: true }] })).toBe(
      'instances[0].n: 18446744073709552000 is out of the range the model can take',
    );
  });
});

describe('canary routing', () => {
  const pre = XC;

  test.each([0, 1, 10, 25, 50, 99, 100])('weight %i sends exactly that share of every 100 requests to the candidate', (weight) => {
    const slots = new ModelSlots(fakeModel(pre, 1));
    slots.setCandidate(fakeModel(pre, 2), weight);
    for (let round = 0; round < 3; round++) {
      let candidate = 0;
      for (let i = 0; i < 100; i++) {
        const model = slots.route();
        if (model.identity.version === 2) candidate++;
        model.release();
      }
      expect(candidate).toBe(weight);
    }
  });

  test('a model swapped out is disposed only after its last request; promote and rollback', () => {
    const v1 = fakeModel(pre, 1);
    const v2 = fakeModel(pre, 2);
    const v3 = fakeModel(pre, 3);
    const slots = new ModelSlots(v1);
    const inFlight = slots.route();
    expect(inFlight).toBe(v1);
    slots.swapStable(v2);
    expect(slots.route()).toBe(v2);
    v2.release();
    expect(v1.wasDisposed()).toBe(false);
    inFlight.release();
    expect(v1.wasDisposed()).toBe(true);
    slots.setCandidate(v3, 100);
    expect(slots.byVersion(3)).toBe(v3);
    v3.release();
    slots.promote();
    expect(slots.stable).toBe(v3);
    expect(slots.candidate).toBeNull();
    expect(slots.weight).toBe(0);
    expect(v2.wasDisposed()).toBe(true);
    slots.setCandidate(v2, 50);
    slots.rollback();
    expect(slots.candidate).toBeNull();
    expect(slots.route()).toBe(v3);
  });

  test('stats: percentiles, errors and a class histogram per version; reset', () => {
    const stats = new ServeStats();
    for (let i = 1; i <= 100; i++) stats.record(1, 'classification', 200, i, [{ label: i % 4 === 0 ? 'b' : 'a', probabilities: [] }]);
    stats.record(2, 'regression', 500, 3, null);
    stats.record(2, 'regression', 200, 1, [{ value: 2 }, { value: 4 }]);
    const view = stats.view();
    expect(view['1']!.latency_ms).toMatchObject({ p50: 50, p99: 99 });
    expect(view['1']!.predictions).toEqual({ count: 100, classes: { a: 75, b: 25 } });
    // Values 2 and 4: mean 3, sample standard deviation sqrt(((2-3)^2 + (4-3)^2) / 1) = sqrt(2).
    expect(view['2']).toMatchObject({ requests: 2, errors: 1, server_errors: 1, predictions: { count: 2, mean: 3 } });
    expect(view['2']!.predictions.std).toBeCloseTo(Math.SQRT2, 12);
    stats.reset();
    expect(stats.view()).toEqual({});
  });
});

describe('admin credentials', () => {
  test('bearer tokens match exactly', () => {
    expect(bearerMatches('Bearer s3cret-token', 's3cret-token')).toBe(true);
    expect(bearerMatches('bearer s3cret-token', 's3cret-token')).toBe(true);
    for (const header of [undefined, '', 'Bearer', 'Bearer s3cret-toke', 'Bearer s3cret-token2', 'Basic s3cret-token', 's3cret-token'])
      expect(bearerMatches(header, 's3cret-token')).toBe(false);
  });

  test('a signature is the HMAC-SHA256 of the exact body, as GitHub signs webhooks', () => {
    const body = Buffer.from('{"ref":"3"}');
    // The GitHub documentation's example: secret "It's a Secret to Everybody", payload "Hello, World!".
    expect(signBody('Hello, World!', "It's a Secret to Everybody")).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
    const signature = signBody(body, 'key');
    expect(signatureMatches(signature, body, 'key')).toBe(true);
    expect(signatureMatches(signature.toUpperCase().replace('SHA256=', 'sha256='), body, 'key')).toBe(true);
    expect(signatureMatches(signature, Buffer.from('{"ref":"4"}'), 'key')).toBe(false);
    expect(signatureMatches(signature, body, 'other')).toBe(false);
    expect(signatureMatches(signature.slice(0, -2), body, 'key')).toBe(false);
    expect(signatureMatches(undefined, body, 'key')).toBe(false);
  });

  test('signed reloads: within the window of their timestamp, once; a missing or far timestamp or a replay says why', () => {
    const body = '{"ref":"sha256:' + 'a'.repeat(64) + '"}';
    const seen = new Map<string, number>();
    const now = 1_800_000_000;
    const check = (h: Record<string, string>, at = now) =>
      checkSignedReload({ timestamp: h['x-mlops-timestamp'], signature: h['x-mlops-signature-256'] }, Buffer.from(body), 'key', seen, at);
    const headers = signReload(body, 'key', now - 10);
    expect(check(headers)).toBeNull();
    expect(check(headers)).toBe('this signed reload was already taken: a replayed request');
    // After the window the replay is refused by its age, and the memory of it is gone.
    expect(check(headers, now + 400)).toMatch(
      /^the signed reload's timestamp is 410 s from the server's clock .*stale or replayed request$/,
    );
    expect(check(signReload(body, 'key', now + 400), now + 400)).toBeNull();
    expect(seen.size).toBe(1); // the expired one pruned
    expect(check(signReload(body, 'key', now + 301))).toMatch(/-301 s from the server's clock/);
    expect(check({ 'x-mlops-signature-256': signReload(body, 'key', now)['x-mlops-signature-256']! })).toMatch(
      /^a signed reload needs x-mlops-timestamp/,
    );
    expect(check({ ...signReload(body, 'key', now), 'x-mlops-timestamp': String(now + 1) })).toBe(
      'the signature does not match the timestamp and body',
    );
    expect(check(signReload(body, 'other', now + 2))).toBe('the signature does not match the timestamp and body');
    // The memory is bounded: past maxSeen the oldest is forgotten.
    const small = new Map<string, number>();
    for (let i = 0; i < 5; i++)
      expect(
        checkSignedReload(
          { timestamp: String(now + i), signature: signReload(body, 'key', now + i)['x-mlops-signature-256'] },
          Buffer.from(body),
          'key',
          small,
          now,
          3,
        ),
      ).toBeNull();
    expect(small.size).toBe(3);
  });
});

describe('prediction log', () => {
  test('every line of every file is a whole JSON object after many rotations under load; none is lost', async () => {
    const dir = await makeTempDir('mlops-serve-log-');
    const path = join(dir, 'predictions.jsonl');
    const log = await PredictionLog.open({ path, maxBytes: 65536, keep: 100 });
    const total = 20_000;
    for (let i = 0; i < total; i++) {
      // Uneven line lengths, and text that needs escaping.
      log.write({ i, text: 'x'.repeat(i % 97), quote: 'a "b"\n', _prediction: i % 3 });
      if (i % 1000 === 0) await new Promise((r) => setImmediate(r));
    }
    await log.close();
    const files = (await readdir(dir)).filter((f) => f.startsWith('predictions.jsonl'));
    expect(files.length).toBeGreaterThan(20);
    const seen = new Set<number>();
    for (const file of files) {
      const text = await readFile(join(dir, file), 'utf8');
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(65536);
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.slice(0, -1).split('\n')) {
        const entry = JSON.parse(line) as { i: number; quote: string };
        expect(entry.quote).toBe('a "b"\n');
        seen.add(entry.i);
      }
    }
    expect(seen.size).toBe(total);
    expect(log.dropped).toBe(0);
  });

  test('keeps at most `keep` rotated files, the newest as .1; samples', async () => {
    const dir = await makeTempDir('mlops-serve-log-');
    const path = join(dir, 'p.jsonl');
    const log = await PredictionLog.open({ path, maxBytes: 100, keep: 2 });
    for (let i = 0; i < 50; i++) {
      log.write({ i, pad: '0123456789' });
      await log.flush();
    }
    await log.close();
    expect((await readdir(dir)).sort()).toEqual(['p.jsonl', 'p.jsonl.1', 'p.jsonl.2']);
    const last = (name: string) => readFile(join(dir, name), 'utf8').then((t) => JSON.parse(t.trim().split('\n').at(-1)!).i as number);
    expect(await last('p.jsonl')).toBe(49);
    expect(await last('p.jsonl.1')).toBeLessThan(await last('p.jsonl'));
    expect(await last('p.jsonl.2')).toBeLessThan(await last('p.jsonl.1'));
    let n = 0;
    const sampled = await PredictionLog.open({ path: join(dir, 's.jsonl'), sample: 0.25, random: () => (n++ % 4) / 4 });
    expect(Array.from({ length: 100 }, () => sampled.sampled()).filter(Boolean)).toHaveLength(25);
    await sampled.close();
  });

  test('bounded whatever a client sends: records per request capped, long texts cut and marked, drops counted by reason', async () => {
    const dir = await makeTempDir('mlops-serve-log-');
    const path = join(dir, 'bounded.jsonl');
    const drops: Array<[string, number]> = [];
    const log = await PredictionLog.open({
      path,
      maxRowsPerRequest: 3,
      maxValueChars: 20,
      maxPendingBytes: 4096,
      onDrop: (reason, count) => drops.push([reason, count]),
    });
    log.writeRequest(10, (i) => ({ i, text: i === 0 ? 'y'.repeat(900_000) : 'short', __proto__x: 1, _prediction: 'a' }));
    await log.flush();
    const lines = (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.i)).toEqual([0, 1, 2]);
    expect(lines[0]!.text).toBe(`${'y'.repeat(20)}…`);
    expect(lines[0]!._cut).toEqual(['text']);
    expect(lines[1]!.text).toBe('short');
    expect(lines[1]!._cut).toBeUndefined();
    expect(drops).toEqual([['request_cap', 7]]);
    expect(log.droppedByCap).toBe(7);
    // The queue bound: while nothing is flushed, lines past maxPendingBytes are dropped and counted one by one.
    for (let i = 0; i < 200; i++) log.write({ i, text: 'z'.repeat(19) });
    expect(log.dropped).toBeGreaterThan(0);
    expect(drops.filter(([reason]) => reason === 'queue_full')).toHaveLength(log.dropped);
    await log.close();
  });
});
