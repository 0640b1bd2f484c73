/**
 * Request bodies of the two protocols into raw records (feature name -> value), and
 * the checks that name the field at fault: TF Serving's row format
 * (`{"instances": [record, ...]}`) and columnar format (`{"inputs": {column: [values]}}`),
 * and the Open Inference Protocol v2's typed tensors (`{"inputs": [{name, shape,
 * datatype, data}]}`, one tensor per feature column).
 */
import { DEFAULT_NULL_VALUES, Kind, ValueClassifier } from '../data/values.js';
import { describeJsonType, encodeRecords } from '../model/preprocess.js';
import type { RawValue } from '../model/preprocess.js';
import type { ServedModel } from './model.js';

/** An answer other than 200, with a message for the client. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

type Record_ = Record<string, RawValue>;

/** Raw records with how to name a value of one of them in a message. */
export interface DecodedRecords {
  records: Record_[];
  /** How to name record i in the request, e.g. `instances[3]`. */
  row(record: number): string;
  /** The path of record i's feature in the request, e.g. `instances[3].bill_length_mm`. */
  where(record: number, feature: string): string;
  /** Feature names in the request that the model does not take, each with the path of its first use. */
  names: Array<{ name: string; where: string }>;
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

/** A 413 for a request of more rows than the server takes. */
function tooManyRows(at: string, rows: number, maxRows: number): HttpError {
  return new HttpError(
    413,
    `${at}: ${rows} records where a request may carry at most ${maxRows}; send fewer records per request (the server's limit is set by mlops serve --max-rows)`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(message: string): HttpError {
  return new HttpError(400, message);
}

/** The body of `POST /v1/models/{name}:predict`. */
export function decodeTfServing(body: unknown, maxRows = DEFAULT_MAX_ROWS): TfServingRequest {
  if (!isObject(body)) throw bad(`the body must be a JSON object with "instances" or "inputs", got ${describeJsonType(body)}`);
  const hasInstances = Object.prototype.hasOwnProperty.call(body, 'instances');
  const hasInputs = Object.prototype.hasOwnProperty.call(body, 'inputs');
  if (hasInstances && hasInputs) throw bad('give either "instances" (row format) or "inputs" (columnar format), not both');
  if (hasInstances) {
    const instances = body.instances;
    if (!Array.isArray(instances)) throw bad(`instances: expected an array of records, got ${describeJsonType(instances)}`);
    if (instances.length === 0) throw bad('instances: the array is empty');
    if (instances.length > maxRows) throw tooManyRows('instances', instances.length, maxRows);
    const names = new Map<string, string>();
    instances.forEach((instance, i) => {
      if (!isObject(instance)) throw bad(`instances[${i}]: expected an object of feature name -> value, got ${describeJsonType(instance)}`);
      for (const name of Object.keys(instance)) if (!names.has(name)) names.set(name, `instances[${i}]`);
    });
    return {
      columnar: false,
      records: instances as Record_[],
      row: (i) => `instances[${i}]`,
      where: (i, feature) => `instances[${i}].${feature}`,
      names: [...names].map(([name, where]) => ({ name, where: `${where}.${name}` })),
    };
  }
  if (hasInputs) {
    const inputs = body.inputs;
    if (!isObject(inputs)) throw bad(`inputs: expected an object of feature name -> array of values, got ${describeJsonType(inputs)}`);
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
    };
  }
  throw bad('the body needs "instances" (row format: an array of records) or "inputs" (columnar format: feature name -> values)');
}

/** Rows from columns, as objects without a prototype (a column may be called __proto__). */
function toRecords(columns: Array<[string, unknown[]]>, rows: number): Record_[] {
  const records: Record_[] = [];
  for (let i = 0; i < rows; i++) {
    const record = Object.create(null) as Record_;
    for (const [name, values] of columns) record[name] = values[i];
    records.push(record);
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
      throw bad(`${at}.shape: expected [rows] or [rows, 1], got ${short(shape)}`);
    if (shape.length === 2 && shape[1] !== 1)
      throw bad(`${at}.shape: a feature column has one value per row: [rows] or [rows, 1], got ${short(shape)}`);
    if (shape[0] > maxRows) throw tooManyRows(`${at}.shape`, shape[0] as number, maxRows);
    if (!Array.isArray(data)) throw bad(`${at}.data: expected an array of values, got ${describeJsonType(data)}`);
    const flat = data.some(Array.isArray) ? flattenRows(data, at) : data;
    const n = shape[0] as number;
    if (flat.length !== n) throw bad(`${at}.data: ${flat.length} values where the shape ${JSON.stringify(shape)} needs ${n}`);
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
    columns.push([name, flat]);
  });
  if (rows === 0) throw bad('inputs: the tensors have no rows');
  return {
    id,
    outputs,
    records: toRecords(columns, rows),
    row: (i) => `row ${i} of inputs (data[${i}] of every input)`,
    where: (i, feature) => `inputs[${index.get(feature) ?? '?'}].data[${i}] (${feature})`,
    names: columns.map(([name]) => ({ name, where: `inputs[${index.get(name)}].name` })),
  };
}

/** data given as nested rows ([[1], [2]]) for a [rows, 1] shape. */
function flattenRows(data: unknown[], at: string): unknown[] {
  return data.map((row, i) => {
    if (!Array.isArray(row)) return row;
    if (row.length !== 1 || Array.isArray(row[0])) throw bad(`${at}.data[${i}]: expected one value per row, got an array of ${row.length}`);
    return row[0];
  });
}

function kindNoun(kind: 'bool' | 'int' | 'float' | 'bytes'): string {
  return kind === 'bool' ? 'booleans' : kind === 'bytes' ? 'texts' : kind === 'int' ? 'whole numbers' : 'numbers';
}

function short(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = describeJsonType(value);
  }
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/**
 * Checks decoded records against the model and encodes them: every name must be a
 * feature (the target's name is allowed and ignored, so rows of the training file can
 * be sent as they are), every value one a file could hold in that column, and every
 * encoded number finite. Throws a 400 naming the fields at fault (up to ten).
 *
 * What is imputed and what is refused: a missing feature (left out, null, or a text of
 * `nullValues` such as "NA") is imputed as in training, so a record may leave out some
 * features. Refused, because a client sending them has a bug rather than a gap: a
 * record with no feature value at all (`{}`, all null), which would get an answer made
 * up entirely of imputed values; "NaN" and "Infinity" texts; and numbers too large for
 * a double (`1e400`, which JSON.parse reads as Infinity).
 */
export function encodeRequest(model: ServedModel, request: DecodedRecords, nullValues?: readonly string[]): Float32Array {
  const pre = model.preprocess;
  const unknown = request.names.filter(({ name }) => !model.featureNames.has(name) && name !== pre.target.name);
  const { x, issues } = encodeRecords(pre, request.records, { nullValues });
  const messages = [
    ...unknown.map((u) => `${u.where}: unknown feature "${truncate(u.name)}"`),
    ...issues.map((issue) => `${request.where(issue.record, truncate(issue.feature))}: ${issue.message}`),
    ...nonValues(model, request, nullValues),
  ];
  const total = messages.length;
  messages.splice(MAX_ISSUES);
  if (messages.length === 0) {
    // Finite inputs can still overflow 32-bit floats once standardised (1e308).
    const offsets: Array<{ name: string; start: number; end: number }> = [];
    let offset = 0;
    for (const f of pre.features) {
      const width = f.kind === 'numeric' ? 1 : f.categories.length + 1;
      offsets.push({ name: f.name, start: offset, end: offset + width });
      offset += width;
    }
    for (let k = 0; k < x.length && messages.length < MAX_ISSUES; k++) {
      if (Number.isFinite(x[k]!)) continue;
      const row = Math.floor(k / pre.width);
      const column = k % pre.width;
      const feature = offsets.find((o) => column >= o.start && column < o.end)!.name;
      messages.push(`${request.where(row, feature)}: ${short(request.records[row]![feature])} is out of the range the model can take`);
    }
  }
  if (messages.length > 0) {
    const more = total > MAX_ISSUES ? `; and ${total - MAX_ISSUES} more` : '';
    const features = unknown.length > 0 ? ` (the model's features: ${pre.features.map((f) => f.name).join(', ')})` : '';
    throw bad(`${messages.join('; ')}${more}${features}`);
  }
  return x;
}

/** Messages for records with no feature value, and for NaN and infinite values (see encodeRequest). */
function nonValues(model: ServedModel, request: DecodedRecords, nullValues?: readonly string[]): string[] {
  const classifier = new ValueClassifier(nullValues ?? DEFAULT_NULL_VALUES);
  const features = model.preprocess.features.map((f) => f.name);
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
        `${request.row(i)}: the record has no value for any feature (${truncate(features.join(', '))}); send at least one, the rest is imputed`,
      );
  });
  return messages;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
