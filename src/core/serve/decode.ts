/**
 * Request bodies of the two protocols into raw records (feature name -> value), and
 * the checks that name the field at fault: TF Serving's row format
 * (`{"instances": [record, ...]}`) and columnar format (`{"inputs": {column: [values]}}`),
 * and the Open Inference Protocol v2's typed tensors (`{"inputs": [{name, shape,
 * datatype, data}]}`).
 *
 * Every model takes its feature columns by name: a record per row, a column or a
 * [rows] / [rows, 1] tensor per feature (BYTES for string features). A model whose ONNX
 * graph takes every feature as one [rows, k] tensor (ServedModel.tensorInput) also takes
 * that tensor, its columns mapped to the signature's features in order: an OIP input
 * of shape [rows, k] named as the graph's input; TF Serving rows `{"instances": [[v1,
 * ..., vk], ...]}` or `[{"<input>": [v1, ..., vk]}, ...]`, and columns `{"inputs":
 * [[...], ...]}` or `{"inputs": {"<input>": [[...], ...]}}`. Decoding is done before a
 * model is picked (a refused body counts against no version); what depends on the model
 * (the one-tensor form, unknown names, values) is checked by `requestTable`.
 */
import type { Table } from '../data/table.js';
import { DEFAULT_NULL_VALUES, Kind, ValueClassifier } from '../data/values.js';
import { describeJsonType, recordsToTable } from './records.js';
import type { RawValue } from './records.js';
import type { ServedModel } from './model.js';

/** An answer other than 200, with a message for the client. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Why the request was refused, as metrics count it (`mlops_serve_rejected_requests_total{reason}`); default: by status. */
    readonly reason: string = REASONS[status] ?? `status_${status}`,
  ) {
    super(message);
  }
}

/** The reason a refusal of each status counts under, unless the error names a finer one. */
const REASONS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'timeout',
  409: 'conflict',
  413: 'body_too_large',
  415: 'unsupported_media_type',
  422: 'load_failed',
  431: 'headers_too_large',
};

type Record_ = Record<string, RawValue>;

/** Raw records with how to name a value of one of them in a message. */
export interface DecodedRecords {
  records: Record_[];
  /** How to name record i in the request, e.g. `instances[3]`. */
  row(record: number): string;
  /** The path of record i's feature in the request, e.g. `instances[3].bill_length_mm`. */
  where(record: number, feature: string): string;
  /** Names in the request (features, or a graph's one input), each with the path of its first use. */
  names: Array<{ name: string; where: string }>;
  /** The path of value j of record i's `name` when that value is a row of a tensor: `instances[3].input[1]`, `inputs[0].data[7]`. */
  element(record: number, name: string, j: number): string;
  /**
   * Rows of values without a name (TF Serving's `instances: [[...], ...]` or `inputs:
   * [[...], ...]`): only a graph that takes one tensor takes them. `refusal` is the
   * answer of any other model. Null when the request names its inputs.
   */
  unnamed: { rows: unknown[][]; element(record: number, j: number): string; refusal: string } | null;
  /** OIP inputs of shape [rows, k > 1] by name: their width, and the answer of a model that takes no such tensor. */
  wide: Map<string, { width: number; at: string; shape: string; refusal: string }>;
}

export interface TfServingRequest extends DecodedRecords {
  columnar: boolean;
}

export interface OipRequest extends DecodedRecords {
  id: string | undefined;
  /** Outputs asked for by name, or null for all. */
  outputs: string[] | null;
}

const MAX_ISSUES = 10;

/** The default limit of records (rows) in one prediction request. */
export const DEFAULT_MAX_ROWS = 10_000;

/** The largest finite float32: a number feature the graph takes as FP32 (or as an unknown type) must fit. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** A 413 for a request of more rows than the server takes. */
function tooManyRows(at: string, rows: number, maxRows: number): HttpError {
  return new HttpError(
    413,
    `${at}: ${rows} records where a request may carry at most ${maxRows}; send fewer records per request (the server's limit is set by mlops serve --max-rows)`,
    {},
    'too_many_rows',
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(message: string): HttpError {
  return new HttpError(400, message);
}

/** `count` empty records (prototype-free: a name may be __proto__). */
function emptyRecords(count: number): Record_[] {
  return Array.from({ length: count }, () => Object.create(null) as Record_);
}

/** Rows of values (every one an array of the first's length), for the one-tensor form; throws naming the first that is not. */
function valueRows(rows: unknown[], path: (i: number) => string): unknown[][] {
  const width = (rows[0] as unknown[]).length;
  rows.forEach((row, i) => {
    if (!Array.isArray(row)) throw bad(`${path(i)}: expected a row of values like ${path(0)}, got ${describeJsonType(row)}`);
    if (row.length !== width) throw bad(`${path(i)}: ${row.length} values where ${path(0)} has ${width}; every row needs the same number`);
  });
  return rows as unknown[][];
}

/** The one signature every served model has (TF Serving's default). */
export const SERVING_SIGNATURE = 'serving_default';

/** The body of `POST /v1/models/{name}:predict`. */
export function decodeTfServing(body: unknown, maxRows = DEFAULT_MAX_ROWS): TfServingRequest {
  if (!isObject(body)) throw bad(`the body must be a JSON object with "instances" or "inputs", got ${describeJsonType(body)}`);
  // One signature, as a model exported with its defaults has: any other name is a 400, as TF Serving answers.
  if (Object.prototype.hasOwnProperty.call(body, 'signature_name') && body.signature_name !== SERVING_SIGNATURE)
    throw bad(
      `signature_name: ${typeof body.signature_name === 'string' ? JSON.stringify(body.signature_name) : describeJsonType(body.signature_name)} is not a signature of this model; its one signature is "${SERVING_SIGNATURE}"`,
    );
  const hasInstances = Object.prototype.hasOwnProperty.call(body, 'instances');
  const hasInputs = Object.prototype.hasOwnProperty.call(body, 'inputs');
  if (hasInstances && hasInputs) throw bad('give either "instances" (row format) or "inputs" (columnar format), not both');
  const none = { unnamed: null, wide: new Map() };
  if (hasInstances) {
    const instances = body.instances;
    if (!Array.isArray(instances)) throw bad(`instances: expected an array of records, got ${describeJsonType(instances)}`);
    if (instances.length === 0) throw bad('instances: the array is empty');
    if (instances.length > maxRows) throw tooManyRows('instances', instances.length, maxRows);
    const row = (i: number) => `instances[${i}]`;
    if (Array.isArray(instances[0])) {
      return {
        columnar: false,
        records: emptyRecords(instances.length),
        row,
        where: (i, feature) => `instances[${i}].${feature}`,
        names: [],
        element: (i, name, j) => `instances[${i}].${name}[${j}]`,
        unnamed: {
          rows: valueRows(instances, row),
          element: (i, j) => `instances[${i}][${j}]`,
          refusal: 'instances[0]: expected an object of feature name -> value, got an array',
        },
        wide: new Map(),
      };
    }
    const names = new Map<string, string>();
    instances.forEach((instance, i) => {
      if (!isObject(instance)) throw bad(`instances[${i}]: expected an object of feature name -> value, got ${describeJsonType(instance)}`);
      for (const name of Object.keys(instance)) if (!names.has(name)) names.set(name, `instances[${i}]`);
    });
    return {
      columnar: false,
      records: instances as Record_[],
      row,
      where: (i, feature) => `instances[${i}].${feature}`,
      names: [...names].map(([name, where]) => ({ name, where: `${where}.${name}` })),
      element: (i, name, j) => `instances[${i}].${name}[${j}]`,
      ...none,
    };
  }
  if (hasInputs) {
    const inputs = body.inputs;
    const refusal = `inputs: expected an object of feature name -> array of values, got ${describeJsonType(inputs)}`;
    if (Array.isArray(inputs)) {
      if (inputs.length === 0) throw bad('inputs: the array is empty');
      if (inputs.length > maxRows) throw tooManyRows('inputs', inputs.length, maxRows);
      if (!Array.isArray(inputs[0])) throw bad(refusal);
      return {
        columnar: true,
        records: emptyRecords(inputs.length),
        row: (i) => `inputs[${i}]`,
        where: (i, feature) => `inputs.${feature}[${i}]`,
        names: [],
        element: (i, name, j) => `inputs.${name}[${i}][${j}]`,
        unnamed: { rows: valueRows(inputs, (i) => `inputs[${i}]`), element: (i, j) => `inputs[${i}][${j}]`, refusal },
        wide: new Map(),
      };
    }
    if (!isObject(inputs)) throw bad(refusal);
    let rows = -1;
    let first = '';
    const columns = Object.entries(inputs);
    if (columns.length === 0) throw bad('inputs: the object has no columns');
    for (const [name, values] of columns) {
      if (!Array.isArray(values)) throw bad(`inputs.${name}: expected an array of values, got ${describeJsonType(values)}`);
      if (rows === -1) {
        rows = values.length;
        first = name;
      } else if (values.length !== rows)
        throw bad(`inputs.${name}: ${values.length} values where inputs.${first} has ${rows}; every column needs one value per row`);
    }
    if (rows === 0) throw bad(`inputs.${first}: the array is empty`);
    if (rows > maxRows) throw tooManyRows(`inputs.${first}`, rows, maxRows);
    return {
      columnar: true,
      records: toRecords(columns as Array<[string, unknown[]]>, rows),
      row: (i) => `row ${i} of inputs (inputs.*[${i}])`,
      where: (i, feature) => `inputs.${feature}[${i}]`,
      names: columns.map(([name]) => ({ name, where: `inputs.${name}` })),
      element: (i, name, j) => `inputs.${name}[${i}][${j}]`,
      ...none,
    };
  }
  throw bad('the body needs "instances" (row format: an array of records) or "inputs" (columnar format: feature name -> values)');
}

/** Rows from columns, as objects without a prototype (a column may be called __proto__). */
function toRecords(columns: Array<[string, unknown[]]>, rows: number): Record_[] {
  const records = emptyRecords(rows);
  for (let i = 0; i < rows; i++) {
    const record = records[i]!;
    for (const [name, values] of columns) record[name] = values[i];
  }
  return records;
}

const OIP_TYPES: Record<string, 'bool' | 'int' | 'float' | 'bytes'> = {
  BOOL: 'bool',
  UINT8: 'int',
  UINT16: 'int',
  UINT32: 'int',
  UINT64: 'int',
  INT8: 'int',
  INT16: 'int',
  INT32: 'int',
  INT64: 'int',
  FP16: 'float',
  FP32: 'float',
  FP64: 'float',
  BYTES: 'bytes',
};

/** The body of `POST /v2/models/{name}/infer`. */
export function decodeOip(body: unknown, maxRows = DEFAULT_MAX_ROWS): OipRequest {
  if (!isObject(body)) throw bad(`the body must be a JSON object with "inputs", got ${describeJsonType(body)}`);
  let id: string | undefined;
  if (body.id !== undefined) {
    if (typeof body.id !== 'string') throw bad(`id: expected a string, got ${describeJsonType(body.id)}`);
    id = body.id;
  }
  let outputs: string[] | null = null;
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs)) throw bad(`outputs: expected an array of {"name": ...}, got ${describeJsonType(body.outputs)}`);
    outputs = body.outputs.map((o: unknown, i) => {
      if (!isObject(o) || typeof o.name !== 'string') throw bad(`outputs[${i}]: expected an object with a "name"`);
      return o.name;
    });
  }
  const inputs = body.inputs;
  if (!Array.isArray(inputs)) throw bad(`inputs: expected an array of tensors, got ${describeJsonType(inputs)}`);
  if (inputs.length === 0) throw bad('inputs: the array is empty');
  const columns: Array<[string, unknown[]]> = [];
  const index = new Map<string, number>();
  /** Per input: its width and whether its data came nested (for element paths). */
  const layout = new Map<string, { width: number; nested: boolean }>();
  const wide: OipRequest['wide'] = new Map();
  let rows = -1;
  inputs.forEach((tensor: unknown, t) => {
    const at = `inputs[${t}]`;
    if (!isObject(tensor)) throw bad(`${at}: expected a tensor object {name, shape, datatype, data}, got ${describeJsonType(tensor)}`);
    const { name, shape, datatype, data } = tensor;
    if (typeof name !== 'string' || name === '') throw bad(`${at}.name: expected a feature name, got ${describeJsonType(name)}`);
    if (index.has(name)) throw bad(`${at}.name: "${name}" is given twice (also inputs[${index.get(name)}])`);
    if (typeof datatype !== 'string' || !(datatype in OIP_TYPES))
      throw bad(`${at}.datatype: expected one of ${Object.keys(OIP_TYPES).join(', ')}, got ${short(datatype)}`);
    if (!Array.isArray(shape) || shape.length === 0 || shape.length > 2 || !shape.every((d) => Number.isInteger(d) && d >= 0))
      throw bad(`${at}.shape: expected [rows] or [rows, 1] (or [rows, k] for a graph's one tensor input), got ${short(shape)}`);
    if (shape[0] > maxRows) throw tooManyRows(`${at}.shape`, shape[0] as number, maxRows);
    const n = shape[0] as number;
    const width = shape.length === 2 ? (shape[1] as number) : 1;
    if (width === 0) throw bad(`${at}.shape: a tensor of no columns, ${short(shape)}`);
    if (!Array.isArray(data)) throw bad(`${at}.data: expected an array of values, got ${describeJsonType(data)}`);
    const nested = data.some(Array.isArray);
    const flat = nested ? flattenRows(data, at, width) : data;
    if (flat.length !== n * width)
      throw bad(`${at}.data: ${flat.length} values where the shape ${JSON.stringify(shape)} needs ${n * width}`);
    if (rows === -1) rows = n;
    else if (n !== rows) throw bad(`${at}.shape: ${n} rows where inputs[0] has ${rows}; every input needs one value per row`);
    const kind = OIP_TYPES[datatype]!;
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i];
      if (v === null) continue;
      const ok =
        kind === 'bool'
          ? typeof v === 'boolean'
          : kind === 'bytes'
            ? typeof v === 'string'
            : typeof v === 'number' && (kind === 'float' || Number.isInteger(v));
      if (!ok) throw bad(`${at}.data[${i}] (${name}): ${datatype} holds ${kindNoun(kind)}, got ${describeJsonType(v)}`);
    }
    index.set(name, t);
    layout.set(name, { width, nested });
    if (width === 1) columns.push([name, flat]);
    else {
      columns.push([name, Array.from({ length: n }, (_, i) => flat.slice(i * width, (i + 1) * width))]);
      wide.set(name, {
        width,
        at,
        shape: short(shape),
        refusal: `${at}.shape: a feature column has one value per row: [rows] or [rows, 1], got ${short(shape)}`,
      });
    }
  });
  if (rows === 0) throw bad('inputs: the tensors have no rows');
  return {
    id,
    outputs,
    records: toRecords(columns, rows),
    row: (i) => `row ${i} of inputs (data[${i}] of every input)`,
    where: (i, feature) =>
      index.has(feature) ? `inputs[${index.get(feature)}].data[${i}] (${feature})` : `row ${i} of inputs (no input ${feature})`,
    names: columns.map(([name]) => ({ name, where: `inputs[${index.get(name)}].name` })),
    element: (i, name, j) => {
      const { width, nested } = layout.get(name) ?? { width: 1, nested: false };
      return `inputs[${index.get(name) ?? '?'}].data[${nested ? `${i}][${j}` : i * width + j}]`;
    },
    unnamed: null,
    wide,
  };
}

/** data given as nested rows ([[1], [2]] for [rows, 1]; [[1, 2, 3], ...] for [rows, 3]), flattened row-major. */
function flattenRows(data: unknown[], at: string, width: number): unknown[] {
  const flat: unknown[] = [];
  data.forEach((row, i) => {
    if (!Array.isArray(row)) {
      if (width !== 1) throw bad(`${at}.data[${i}]: expected a row of ${width} values, got ${describeJsonType(row)}`);
      flat.push(row);
      return;
    }
    if (row.length !== width || row.some(Array.isArray))
      throw bad(
        `${at}.data[${i}]: expected ${width === 1 ? 'one value per row' : `a row of ${width} values`}, got an array of ${row.length}`,
      );
    flat.push(...(row as unknown[]));
  });
  return flat;
}

function kindNoun(kind: 'bool' | 'int' | 'float' | 'bytes'): string {
  return kind === 'bool' ? 'booleans' : kind === 'bytes' ? 'texts' : kind === 'int' ? 'whole numbers' : 'numbers';
}

/** A value as messages show it: its JSON, cut at 60 characters. */
export function short(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = describeJsonType(value);
  }
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/**
 * The request as records of the model's features: a graph's one [rows, k] tensor (see
 * the header) spread over the features in signature order; the one-tensor forms
 * refused for a model that takes columns, with the message the server gave before
 * the one-tensor form existed.
 */
export function bindInputs(model: ServedModel, request: DecodedRecords): DecodedRecords {
  const input = model.tensorInput;
  const given = input !== null && (request.unnamed !== null || request.names.some((n) => n.name === input.name));
  if (!input || !given) {
    if (request.unnamed) throw bad(request.unnamed.refusal);
    for (const { name } of request.names) {
      const wide = request.wide.get(name);
      if (wide) throw bad(input ? `${wide.refusal} (only the model's input "${input.name}" takes [rows, k])` : wide.refusal);
    }
    return request;
  }
  const features = model.signature.features;
  const k = features.length;
  const list = truncate(features.map((f) => f.name).join(', '));
  const mixed = request.names.find((n) => n.name !== input.name && model.featureNames.has(n.name));
  if (mixed)
    throw bad(
      `${mixed.where}: the request gives both the model's input "${input.name}" (every feature as one tensor) and the feature "${truncate(mixed.name)}"; send one or the other`,
    );
  const wide = request.wide.get(input.name);
  if (wide && wide.width !== k)
    throw bad(`${wide.at}.shape: ${wide.shape} where the model's input "${input.name}" is [rows, ${k}] (${list})`);
  const has = Object.prototype.hasOwnProperty;
  const unnamed = request.unnamed;
  const rowPath = (i: number) => (unnamed ? request.row(i) : request.where(i, input.name));
  const element = (i: number, j: number) => (unnamed ? unnamed.element(i, j) : request.element(i, input.name, j));
  const records = request.records.map((source, i) => {
    const record = Object.create(null) as Record_;
    for (const key of Object.keys(source)) if (key !== input.name) record[key] = source[key];
    const value = unnamed ? unnamed.rows[i] : has.call(source, input.name) ? source[input.name] : undefined;
    if (value === null || value === undefined) return record;
    let values: unknown[];
    if (Array.isArray(value)) values = value;
    else if (k === 1) values = [value];
    else throw bad(`${rowPath(i)}: expected a row of ${k} values (${list}), got ${describeJsonType(value)}`);
    if (values.length !== k)
      throw bad(`${rowPath(i)}: ${values.length} values where the model's input "${input.name}" takes ${k} per row (${list})`);
    features.forEach((f, j) => (record[f.name] = values[j]));
    return record;
  });
  // Messages name features truncated (see truncate): both spellings find the column.
  const position = new Map(features.flatMap((f, j) => [[truncate(f.name), j] as const, [f.name, j] as const]));
  return {
    ...request,
    records,
    where: (i, feature) => {
      const j = position.get(feature);
      return j === undefined ? request.where(i, feature) : `${element(i, j)} (${feature})`;
    },
    names: request.names.filter((n) => n.name !== input.name),
    unnamed: null,
    wide: new Map(),
  };
}

/**
 * Checks decoded records against the model and turns them into a Table of its features
 * (records.ts: the same cells as the rows read from a file): every name must be a
 * feature (the target's name is allowed and ignored, so rows of the training file can
 * be sent as they are), every value one a file could hold in that column, and every
 * number one the graph can take (a float32 unless the graph takes the feature as FP64).
 * Throws a 400 naming the fields at fault (up to ten). Returns the table with the
 * records it was made of (after `bindInputs`: feature name -> value).
 *
 * What is imputed (by the graph) and what is refused: a missing feature (left out,
 * null, or a text of `nullValues` such as "NA") is imputed as in training, so a record
 * may leave out some features. Refused, because a client sending them has a bug rather
 * than a gap: a record with no feature value at all (`{}`, all null), which would get
 * an answer made up entirely of imputed values; "NaN" and "Infinity" texts; and numbers
 * too large for a double (`1e400`, which JSON.parse reads as Infinity).
 */
export function requestTable(
  model: ServedModel,
  decoded: DecodedRecords,
  options: RequestPolicy = {},
): { table: Table; request: DecodedRecords } {
  const { nullValues, missing = 'impute' } = options;
  const request = bindInputs(model, decoded);
  const features = model.signature.features;
  const target = model.signature.target.name;
  const unknown = request.names.filter(({ name }) => !model.featureNames.has(name) && name !== target);
  const booleanFeatures = new Set(features.filter((f) => f.type === 'number' && model.inputDatatype(f.name) === 'BOOL').map((f) => f.name));
  const { table, issues } = recordsToTable(features, request.records, { nullValues, booleanFeatures });
  const messages = [
    ...unknown.map((u) => `${u.where}: unknown feature "${truncate(u.name)}"`),
    ...issues.map((issue) => `${request.where(issue.record, truncate(issue.feature))}: ${issue.message}`),
    ...nonValues(model, request, nullValues),
  ];
  const total = messages.length;
  messages.splice(MAX_ISSUES);
  let missingCount = 0;
  if (messages.length === 0) {
    // Finite doubles can still be out of the graph's range (1e308 in a float32 input), and
    // a whole-number or boolean input has no missing value and no fractions.
    const checked = features.flatMap((f, c) => {
      if (f.type !== 'number') return [];
      const datatype = model.inputDatatype(f.name);
      const whole = datatype !== null && /^(U?INT\d+|BOOL)$/.test(datatype);
      const limit = numberLimit(datatype);
      return whole || limit < Infinity ? [{ c, name: f.name, datatype, whole, limit }] : [];
    });
    // Under `reject`, a feature the training data never lacked may not be missing here.
    const strict =
      missing === 'reject'
        ? features.flatMap((f, c) => (model.missingSeenInTraining.has(f.name) ? [] : [{ c, name: f.name, text: f.type !== 'number' }]))
        : [];
    const isMissing = (c: number, text: boolean, row: number) => {
      const column = table.columns[c]!;
      return text ? column.texts![row] === null : Number.isNaN(column.numbers[row]!);
    };
    // A feature the request never names (in any record) is one message, not one per record.
    const named = new Set(request.names.map((n) => n.name));
    const absent = request === decoded ? strict.filter(({ name }) => !named.has(name)) : [];
    for (const { name } of absent.slice(0, MAX_ISSUES)) {
      messages.push(`${truncate(name)}: no record has it, ${missingRefusal(model, name)}`);
      missingCount++;
    }
    const perRecord = strict.filter((f) => !absent.includes(f));
    for (let row = 0; row < table.rows && messages.length < MAX_ISSUES; row++) {
      for (const { c, name, text } of perRecord) {
        if (!isMissing(c, text, row)) continue;
        messages.push(`${request.where(row, truncate(name))}: missing, ${missingRefusal(model, name)}`);
        missingCount++;
        if (messages.length >= MAX_ISSUES) break;
      }
      for (const { c, name, datatype, whole, limit } of checked) {
        const v = table.columns[c]!.numbers[row]!;
        const at = request.where(row, name);
        if (Math.abs(v) > limit) messages.push(`${at}: ${short(request.records[row]![name])} is out of the range the model can take`);
        else if (whole && Number.isNaN(v))
          messages.push(`${at}: missing, but the model takes ${truncate(name)} as ${datatype}, which has no missing value; send a value`);
        else if (whole && !Number.isInteger(v))
          messages.push(
            `${at}: ${short(request.records[row]![name])} is not a whole number, and the model takes ${truncate(name)} as ${datatype}`,
          );
        else continue;
        if (messages.length >= MAX_ISSUES) break;
      }
    }
  }
  const missingOnly = missingCount > 0 && missingCount === messages.length;
  if (messages.length > 0) {
    const more = total > MAX_ISSUES ? `; and ${total - MAX_ISSUES} more` : '';
    const list = unknown.length > 0 ? ` (the model's features: ${features.map((f) => f.name).join(', ')})` : '';
    throw new HttpError(400, `${messages.join('; ')}${more}${list}`, {}, missingOnly ? 'missing_value' : 'invalid_input');
  }
  return { table, request };
}

/**
 * Records start..end-1 of a request, as a request of their own whose messages still
 * name them by their place in the whole request (the server checks and scores a large
 * request slice by slice). The names are the whole request's.
 */
export function sliceRecords<T extends DecodedRecords>(request: T, start: number, end: number): T {
  if (start === 0 && end >= request.records.length) return request;
  const unnamed = request.unnamed;
  return {
    ...request,
    records: request.records.slice(start, end),
    row: (i) => request.row(start + i),
    where: (i, feature) => request.where(start + i, feature),
    element: (i, name, j) => request.element(start + i, name, j),
    unnamed: unnamed && {
      rows: unnamed.rows.slice(start, end),
      element: (i, j) => unnamed.element(start + i, j),
      refusal: unnamed.refusal,
    },
  };
}

/** What the server does with a feature a record leaves out (or sends as null or a null text). */
export const MISSING_POLICIES = ['reject', 'impute'] as const;
export type MissingPolicy = (typeof MISSING_POLICIES)[number];

export interface RequestPolicy {
  /** Texts that mean "missing" (data.null_values of mlops.yaml), as in training. */
  nullValues?: readonly string[];
  /**
   * `reject`: a missing value is a 400 unless the training data had missing values in
   * that feature (the model's training profile says so); `impute` (this function's
   * default; the server's default is `reject`): the graph fills it in as in training.
   */
  missing?: MissingPolicy;
}

/** Why a missing value is refused under the `reject` policy, and what to do. */
function missingRefusal(model: ServedModel, name: string): string {
  const fix = 'send a value, or start the server with --missing impute to have the model fill it in as in training';
  if (!model.profile) return `and this model has no training profile to show it takes ${truncate(name)} missing; ${fix}`;
  return `and the training data never lacked ${truncate(name)}; ${fix}`;
}

/** The largest magnitude a graph input of this datatype holds (exactly, for whole numbers; unknown: a float32, as most graphs take). */
function numberLimit(datatype: string | null): number {
  switch (datatype) {
    case 'FP64':
    case 'BOOL':
      return Infinity;
    case 'FP16':
      return 65504;
    case 'INT64':
    case 'UINT64':
      return 2 ** 63 - 1024; // the largest double below 2^63
    case 'INT32':
      return 2147483647;
    default:
      return FLOAT32_MAX;
  }
}

/** Messages for records with no feature value, and for NaN and infinite values (see requestTable). */
function nonValues(model: ServedModel, request: DecodedRecords, nullValues?: readonly string[]): string[] {
  const classifier = new ValueClassifier(nullValues ?? DEFAULT_NULL_VALUES);
  const features = model.signature.features.map((f) => f.name);
  const has = Object.prototype.hasOwnProperty;
  const messages: string[] = [];
  request.records.forEach((record, i) => {
    let values = 0;
    for (const name of features) {
      const raw = has.call(record, name) ? record[name] : undefined;
      if (raw === null || raw === undefined) continue;
      if (typeof raw === 'number' && !Number.isFinite(raw)) {
        messages.push(`${request.where(i, truncate(name))}: the number is too large for a double (it reads as Infinity)`);
      } else if (typeof raw === 'string') {
        const kind = classifier.classifyText(raw);
        if (kind === Kind.Null) continue;
        if (kind === Kind.NaN || kind === Kind.Infinity)
          messages.push(
            `${request.where(i, truncate(name))}: ${short(raw)} is not a value the model can take; send null or leave the feature out for a missing value`,
          );
      }
      values++;
    }
    if (values === 0)
      messages.push(
        `${request.row(i)}: the record has no value for any feature (${truncate(features.join(', '))}); send its feature values`,
      );
  });
  return messages;
}

/** A name as messages show it: cut at 60 characters. */
export function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
