/**
 * Any ONNX graph as a TabularModel: ours (exported with their preprocessing inside) or
 * any framework's, scored through ONNX Runtime (../onnx/runtime.ts) from a table's raw
 * columns.
 *
 * Conventions. Inputs: one graph input per feature column (named as the column; a tensor
 * [N,1] or [N]), or one tensor [N,k] whose column order is the model card's features, else
 * the graph's metadata `feature_names` (a JSON list of names) or `mlops.features` (a JSON
 * list of {name, type}). Element types float32, float64, int64, int32, bool (numbers:
 * missing stays NaN for floats and is an error for the others) and string (text; missing is
 * ""). Outputs are recognised by role: class probabilities (a float [N,C], or [N,1] for the
 * positive class of a binary model; a scikit-learn ZipMap is replaced by the tensor it is
 * built from before loading), labels (int64, int32 or string [N]) and a regression value (a
 * float [N] or [N,1]); an output named like "logits" gets a softmax (a sigmoid for one
 * column). Classes are in the graph's order when it lists them (a classifier's classlabels),
 * reordered to the card's when the card orders them differently. Rows are scored in batches
 * of BATCH_ROWS, each feed built straight from the columns into a typed array; on the
 * WebAssembly runtime one run at a time (its module is shared by every session).
 */
import { endianness } from 'node:os';
import type * as Ort from 'onnxruntime-web';
import type { Table, TableColumn } from '../data/table.js';
import { UserError } from '../errors.js';
import { inspectOnnx, stripZipMap } from '../onnx/graph.js';
import type { GraphInfo, ValueInfo } from '../onnx/graph.js';
import { createSession } from '../onnx/runtime.js';
import type { OnnxRuntime, OnnxRuntimeName, SessionUse } from '../onnx/runtime.js';
import type { ModelSignature, ModelTarget, SignatureFeature, TabularModel } from './model.js';

/** Rows scored per run of the graph: bounds the memory of feeds and outputs. */
export const BATCH_ROWS = 65_536;

/** The element types an input may have. */
const INPUT_TYPES = ['float32', 'float64', 'int64', 'int32', 'bool', 'string'] as const;
type InputType = (typeof INPUT_TYPES)[number];

/** KServe Open Inference Protocol (v2) data type names, by ONNX Runtime's type names. */
const OIP_DATATYPES: Record<string, string> = {
  float32: 'FP32',
  float64: 'FP64',
  float16: 'FP16',
  bfloat16: 'BF16',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  bool: 'BOOL',
  string: 'BYTES',
};

/** A graph input or output as a server describes it (OIP v2): its datatype name, and -1 for a dynamic dimension. */
export interface GraphTensor {
  name: string;
  datatype: string;
  shape: number[];
}

export interface OpenOnnxModelOptions {
  /** The file as messages name it. */
  shownPath: string;
  /** A key of MODEL_KINDS for built-in models; default "onnx". */
  algorithm?: string;
  /** What the model card says (features in a single tensor's column order, target, classes), when there is one. */
  signature?: Partial<ModelSignature> & { features?: SignatureFeature[] };
  log?: (line: string) => void;
  /** How the session is used (runtime.ts SessionUse); default batch. */
  use?: SessionUse;
}

/** A graph value as loaded: name, element type (ONNX Runtime's names, null when not a tensor) and shape (null when unknown). */
interface Value {
  name: string;
  tensor: boolean;
  type: string | null;
  shape: Array<number | string | null> | null;
}

type Feed =
  /** One input per column: rank 1 ([N]) or 2 ([N,1]). */
  | { mode: 'columns'; inputs: Array<{ input: string; column: string; type: InputType; rank: 1 | 2 }> }
  /** One tensor [N,k] of k columns. */
  | { mode: 'tensor'; input: string; type: InputType; columns: string[]; rank: 1 | 2 };

type Output =
  | {
      kind: 'probabilities';
      name: string;
      /** Columns of the graph's output (1 for a binary model's positive class). */
      width: number;
      /** For each class of the signature, its column in the (expanded) graph output. */
      order: Int32Array;
      transform: 'none' | 'softmax' | 'sigmoid';
    }
  | { kind: 'labels'; name: string; classes: Map<string, number>; width: number }
  | { kind: 'value'; name: string };

const isFloat = (type: string | null) => type === 'float32' || type === 'float64';
const isLabelType = (type: string | null) => type === 'int64' || type === 'int32' || type === 'string';
const rankOf = (v: Value) => v.shape?.length ?? null;
/** The second dimension when it is a number, else null. */
const widthOf = (v: Value) => (v.shape && v.shape.length >= 2 && typeof v.shape[1] === 'number' && v.shape[1] >= 0 ? v.shape[1] : null);
const quoted = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(', ');
const littleEndian = endianness() === 'LE';

/** One run at a time on the WebAssembly runtime: its module (and its stack) is shared by every session. */
let webQueue: Promise<unknown> = Promise.resolve();
function exclusive<T>(run: () => Promise<T>): Promise<T> {
  const next = webQueue.then(run, run);
  webQueue = next.catch(() => {});
  return next;
}

/** A graph loaded into ONNX Runtime, predicting from a table's columns. */
export class OnnxModel implements TabularModel {
  readonly algorithm: string;
  readonly signature: ModelSignature;
  /** The runtime scoring it. */
  readonly runtime: OnnxRuntimeName;
  /** Opset per domain ("" is ai.onnx), as the graph imports them. */
  readonly opsets: Record<string, number>;
  readonly producer: string;
  /** The graph's metadata (key, value). */
  readonly metadata: Readonly<Record<string, string>>;
  /** The graph's inputs, as the server describes them. */
  readonly graphInputs: readonly GraphTensor[];
  /** The graph's tensor outputs (after a ZipMap is replaced by its probability tensor). */
  readonly graphOutputs: readonly GraphTensor[];
  private session: Ort.InferenceSession | null;
  private readonly arrays: Arrays;
  /** Whether to read the session's raw results (see run). */
  private rawResults = false;

  /** @internal Use openOnnxModel. */
  constructor(
    private readonly ort: OnnxRuntime,
    session: Ort.InferenceSession,
    private readonly shownPath: string,
    private readonly feed: Feed,
    private readonly output: Output,
    init: {
      algorithm: string;
      signature: ModelSignature;
      info: GraphInfo;
      inputs: Value[];
      outputs: Value[];
    },
  ) {
    this.session = session;
    this.arrays = realmArrays(ort.ort);
    this.runtime = ort.name;
    this.algorithm = init.algorithm;
    this.signature = init.signature;
    this.opsets = { ...init.info.opsets };
    this.producer = init.info.producer;
    this.metadata = { ...init.info.metadata };
    const describe = (v: Value): GraphTensor => ({
      name: v.name,
      datatype: OIP_DATATYPES[v.type ?? ''] ?? String(v.type ?? 'UNKNOWN').toUpperCase(),
      shape: (v.shape ?? [-1]).map((d) => (typeof d === 'number' && d >= 0 ? d : -1)),
    });
    this.graphInputs = init.inputs.map(describe);
    this.graphOutputs = init.outputs.filter((v) => v.tensor).map(describe);
  }

  /** Values per predicted row: the classes, or 1. */
  private get width(): number {
    const target = this.signature.target;
    return target.task === 'classification' ? target.classes.length : 1;
  }

  async predict(table: Table, rows: readonly number[]): Promise<Float64Array> {
    if (!this.session) throw new Error(`${this.shownPath}: the model was disposed`);
    const width = this.width;
    const out = new Float64Array(rows.length * width);
    if (rows.length === 0) return out;
    const columns = this.columnsOf(table);
    for (let start = 0; start < rows.length; start += BATCH_ROWS) {
      const count = Math.min(BATCH_ROWS, rows.length - start);
      const feeds = this.feeds(columns, rows, start, count);
      const results = await this.run(feeds, [this.output.name]);
      this.write(results[this.output.name]!, out, start, count);
    }
    return out;
  }

  dispose(): void {
    const session = this.session;
    this.session = null;
    // On the WebAssembly runtime, after any run already queued.
    if (session) void (this.ort.name === 'web' ? exclusive(() => session.release()) : session.release()).catch(() => {});
  }

  /** Runs the session (one run at a time on the WebAssembly runtime). */
  private run(feeds: Ort.InferenceSession.FeedsType, fetches: string[]): Promise<Record<string, Result>> {
    const session = this.session;
    if (!session) return Promise.reject(new Error(`${this.shownPath}: the model was disposed`));
    const go = async (): Promise<Record<string, Result>> => {
      try {
        if (this.rawResults) return await runRaw(session, feeds, fetches);
        return (await session.run(feeds, fetches)) as Record<string, Result>;
      } catch (error) {
        if (!this.rawResults && error instanceof TypeError && /tensor's data must be type of/.test(error.message) && handlerOf(session)) {
          // The native runtime answered with typed arrays of another JavaScript realm than
          // onnxruntime-common's (a host running modules in a sandbox, as jest does): read its raw results.
          this.rawResults = true;
          return go();
        }
        throw new UserError(
          `${this.shownPath}: ONNX Runtime could not score the rows: ${(error as Error).message}`,
          'Check that the data has the columns and types the graph takes (and, for a single tensor, their order).',
        );
      }
    };
    return this.ort.name === 'web' ? exclusive(go) : go();
  }

  /** The table's column for each column the graph takes (the first of a name), or a UserError naming what is missing. */
  private columnsOf(table: Table): Map<string, TableColumn> {
    const byName = new Map<string, TableColumn>();
    for (const c of table.columns) if (!byName.has(c.name)) byName.set(c.name, c);
    const wanted = this.feed.mode === 'columns' ? this.feed.inputs.map((i) => i.column) : this.feed.columns;
    const missing = wanted.filter((name) => !byName.has(name));
    if (missing.length > 0) {
      const where = table.files.length > 0 ? table.files.join(', ') : 'the data';
      const have = table.columns.map((c) => c.name);
      throw new UserError(
        `${this.shownPath} takes ${missing.length === 1 ? 'the column' : 'the columns'} ${quoted(missing)}, not in ${where}: ` +
          `the graph's ${this.feed.mode === 'columns' ? 'inputs are' : `input ${JSON.stringify(this.feed.input)} takes`} ${quoted(wanted)}; ` +
          `the data's columns are ${quoted(have.slice(0, 40))}${have.length > 40 ? ', …' : ''}`,
        this.feed.mode === 'columns'
          ? 'Name the graph inputs after the data columns (one input per column) when exporting, or rename the columns.'
          : "Give the model card's signature.features (or the graph's metadata feature_names) the data's column names, in the tensor's order.",
      );
    }
    return byName;
  }

  private feeds(columns: Map<string, TableColumn>, rows: readonly number[], start: number, count: number): Ort.InferenceSession.FeedsType {
    const { Tensor } = this.ort.ort;
    // Own properties only (defineProperty): an input may be named "__proto__".
    const feeds: Ort.InferenceSession.FeedsType = {};
    const set = (name: string, tensor: Ort.Tensor) =>
      Object.defineProperty(feeds, name, { value: tensor, enumerable: true, writable: true, configurable: true });
    if (this.feed.mode === 'columns') {
      for (const input of this.feed.inputs) {
        const data = fill(this.arrays, input.type, [columns.get(input.column)!], rows, start, count, input.input, this.shownPath);
        set(input.input, new Tensor(input.type, data as never, input.rank === 1 ? [count] : [count, 1]));
      }
    } else {
      const { input, type, rank } = this.feed;
      const sources = this.feed.columns.map((c) => columns.get(c)!);
      const data = fill(this.arrays, type, sources, rows, start, count, input, this.shownPath);
      set(input, new Tensor(type, data as never, rank === 1 ? [count] : [count, sources.length]));
    }
    return feeds;
  }

  /** Writes a batch's output into `out` (rows start.. of the prediction). */
  private write(tensor: Result, out: Float64Array, start: number, count: number): void {
    const output = this.output;
    const width = this.width;
    const unexpected = (expected: string) =>
      new UserError(
        `${this.shownPath}: output "${output.name}" has shape [${tensor.dims.join(', ')}] for ${count} rows; expected ${expected}`,
        'Export the model with one row of output per input row (the batch dimension first).',
      );
    if (output.kind === 'value') {
      const data = tensor.data as Float32Array | Float64Array;
      if (data.length !== count) throw unexpected(`[${count}] or [${count}, 1]`);
      for (let i = 0; i < count; i++) out[start + i] = data[i]!;
      return;
    }
    if (output.kind === 'labels') {
      const data = tensor.data as BigInt64Array | Int32Array | string[];
      if (data.length !== count) throw unexpected(`[${count}] labels`);
      for (let i = 0; i < count; i++) {
        const c = output.classes.get(String(data[i]));
        if (c === undefined)
          throw new UserError(
            `${this.shownPath}: output "${output.name}" gives the label ${JSON.stringify(String(data[i]))} for row ${start + i + 1}, which is not one of the classes (${[...output.classes.keys()].join(', ')})`,
            "Make the model card's signature.target.classes the labels the model predicts.",
          );
        out[(start + i) * width + c] = 1;
      }
      return;
    }
    const data = tensor.data as Float32Array | Float64Array;
    const k = output.width;
    if (data.length !== count * k) throw unexpected(`[${count}, ${k}]`);
    const order = output.order;
    if (k === 1) {
      // A binary model's positive class: [1 - p, p] (p after a sigmoid for logits).
      const sigmoid = output.transform === 'sigmoid';
      const pos = order[1] === 1 ? 1 : 0;
      for (let i = 0; i < count; i++) {
        const p = sigmoid ? 1 / (1 + Math.exp(-data[i]!)) : data[i]!;
        const row = (start + i) * 2;
        out[row + pos] = p;
        out[row + 1 - pos] = 1 - p;
      }
      return;
    }
    const softmax = output.transform === 'softmax';
    for (let i = 0; i < count; i++) {
      const src = i * k;
      const row = (start + i) * width;
      if (softmax) {
        let max = -Infinity;
        for (let j = 0; j < k; j++) max = Math.max(max, data[src + j]!);
        let sum = 0;
        for (let j = 0; j < k; j++) sum += Math.exp(data[src + j]! - max);
        for (let j = 0; j < width; j++) out[row + j] = Math.exp(data[src + order[j]!]! - max) / sum;
      } else for (let j = 0; j < width; j++) out[row + j] = data[src + order[j]!]!;
    }
  }
}

type NumericType = Exclude<InputType, 'string'>;
type Arrays = { [T in NumericType]: new (length: number) => Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array };

/**
 * The typed array classes of the runtime's own JavaScript realm (its Tensor checks them
 * with instanceof): the usual ones, except where a host runs modules in another realm
 * (as jest does).
 */
function realmArrays(ort: OnnxRuntime['ort']): Arrays {
  const of = (type: NumericType, value: number | bigint | boolean) =>
    (new ort.Tensor(type, [value] as never, [1]).data as object).constructor as Arrays[NumericType];
  return { float32: of('float32', 0), float64: of('float64', 0), int64: of('int64', 0n), int32: of('int32', 0), bool: of('bool', false) };
}

/** What predict reads of an output tensor. */
interface Result {
  readonly data: unknown;
  readonly dims: readonly number[];
}

type Handler = { run(feeds: unknown, fetches: Record<string, null>, options: object): Promise<Record<string, Result>> };
/** The backend's session handler behind onnxruntime-common's InferenceSession (not public API: used only as a fallback). */
function handlerOf(session: Ort.InferenceSession): Handler | null {
  const handler = (session as unknown as { handler?: Handler }).handler;
  return handler && typeof handler.run === 'function' ? handler : null;
}

/** A run through the session's handler: its results as the backend gives them, not wrapped in onnxruntime-common's Tensor. */
async function runRaw(
  session: Ort.InferenceSession,
  feeds: Ort.InferenceSession.FeedsType,
  fetches: string[],
): Promise<Record<string, Result>> {
  const wanted: Record<string, null> = {};
  for (const name of fetches) Object.defineProperty(wanted, name, { value: null, enumerable: true, writable: true, configurable: true });
  return handlerOf(session)!.run(feeds, wanted, {});
}

/** Rows per block when filling a [N, k] tensor. */
const FILL_BLOCK = 512;

/** The value of a numeric cell, reading a boolean text as 1/0; NaN when missing or not a number. */
function numberAt(column: TableColumn, r: number): number {
  const v = column.numbers[r]!;
  if (v === v || !column.texts) return v;
  const t = column.texts[r];
  return t === 'true' ? 1 : t === 'false' ? 0 : NaN;
}

/**
 * A feed's data for `count` rows from `rows[start]` on: row-major rows x sources, built
 * straight into one typed array (strings: an array of texts).
 */
function fill(
  arrays: Arrays,
  type: InputType,
  sources: TableColumn[],
  rows: readonly number[],
  start: number,
  count: number,
  input: string,
  shownPath: string,
): Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | string[] {
  const k = sources.length;
  const missing = (column: TableColumn, r: number, value: number): never => {
    const what = Number.isNaN(value)
      ? 'has no number'
      : `holds ${value}, not a whole number ${type === 'int32' ? 'of 32 bits' : ''}`.trim();
    throw new UserError(
      `${shownPath}: the graph's input "${input}" takes ${type === 'bool' ? 'true/false (bool)' : `whole numbers (${type})`}, but column "${column.name}" ${what} in row ${r + 1} (data rows counted from 1)`,
      Number.isNaN(value)
        ? 'Fill in missing values before scoring, or export the model with a float input (a float input takes a missing value as NaN).'
        : 'Round the column before scoring, or export the model with a float input.',
    );
  };
  switch (type) {
    case 'float32':
    case 'float64': {
      const data = new arrays[type](count * k) as Float32Array | Float64Array;
      // Blocks of rows, column by column in each: the block's part of `data` stays in cache.
      for (let from = 0; from < count; from += FILL_BLOCK) {
        const to = Math.min(count, from + FILL_BLOCK);
        for (let j = 0; j < k; j++) {
          const column = sources[j]!;
          const numbers = column.numbers;
          if (!column.texts) for (let i = from, o = from * k + j; i < to; i++, o += k) data[o] = numbers[rows[start + i]!]!;
          else
            for (let i = from, o = from * k + j; i < to; i++, o += k) {
              const r = rows[start + i]!;
              const v = numbers[r]!;
              data[o] = v === v ? v : numberAt(column, r);
            }
        }
      }
      return data;
    }
    case 'int32': {
      const data = new arrays.int32(count * k) as Int32Array;
      for (let j = 0; j < k; j++) {
        const column = sources[j]!;
        for (let i = 0, o = j; i < count; i++, o += k) {
          const r = rows[start + i]!;
          const v = numberAt(column, r);
          if ((v | 0) !== v) missing(column, r, v);
          data[o] = v;
        }
      }
      return data;
    }
    case 'int64': {
      const data = new arrays.int64(count * k) as BigInt64Array;
      // Small whole numbers (most) are written as two 32-bit words; others through BigInt.
      const words = littleEndian ? new Int32Array(data.buffer, data.byteOffset, data.length * 2) : null;
      for (let j = 0; j < k; j++) {
        const column = sources[j]!;
        for (let i = 0, o = j; i < count; i++, o += k) {
          const r = rows[start + i]!;
          const v = numberAt(column, r);
          if (words && (v | 0) === v) {
            words[2 * o] = v;
            words[2 * o + 1] = v < 0 ? -1 : 0;
          } else if (Number.isInteger(v)) data[o] = BigInt(v);
          else missing(column, r, v);
        }
      }
      return data;
    }
    case 'bool': {
      const data = new arrays.bool(count * k) as Uint8Array;
      for (let j = 0; j < k; j++) {
        const column = sources[j]!;
        for (let i = 0, o = j; i < count; i++, o += k) {
          const r = rows[start + i]!;
          const v = numberAt(column, r);
          if (v !== v) missing(column, r, v);
          data[o] = v !== 0 ? 1 : 0;
        }
      }
      return data;
    }
    case 'string': {
      const data = new Array<string>(count * k);
      for (let j = 0; j < k; j++) {
        const { numbers, texts } = sources[j]!;
        for (let i = 0, o = j; i < count; i++, o += k) {
          const r = rows[start + i]!;
          if (texts) data[o] = texts[r] ?? '';
          else {
            const v = numbers[r]!;
            data[o] = v === v ? String(v) : '';
          }
        }
      }
      return data;
    }
  }
}

/** Parses a JSON metadata value, or undefined. */
function jsonMetadata(info: GraphInfo, key: string): unknown {
  const text = Object.hasOwn(info.metadata, key) ? info.metadata[key] : undefined;
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The feature order the graph's metadata gives (mlops.features, else feature_names), or null. */
function metadataFeatures(info: GraphInfo): SignatureFeature[] | null {
  const features = jsonMetadata(info, 'mlops.features');
  if (Array.isArray(features) && features.length > 0 && features.every((f) => f && typeof (f as { name?: unknown }).name === 'string'))
    return features.map((f) => ({
      name: (f as { name: string }).name,
      type: (f as { type?: unknown }).type === 'string' ? 'string' : 'number',
    }));
  const names = jsonMetadata(info, 'feature_names');
  if (Array.isArray(names) && names.length > 0 && names.every((n) => typeof n === 'string'))
    return (names as string[]).map((name) => ({ name, type: 'number' }));
  return null;
}

/** The target the graph's metadata names (mlops.target: a JSON object, or a plain name). */
function metadataTarget(info: GraphInfo): { name?: string; task?: string; classes?: string[] } {
  const text = Object.hasOwn(info.metadata, 'mlops.target') ? info.metadata['mlops.target'] : undefined;
  if (text === undefined) return {};
  const value = jsonMetadata(info, 'mlops.target');
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const t = value as { name?: unknown; task?: unknown; classes?: unknown };
    return {
      name: typeof t.name === 'string' ? t.name : undefined,
      task: typeof t.task === 'string' ? t.task : undefined,
      classes: Array.isArray(t.classes) ? t.classes.map(String) : undefined,
    };
  }
  return typeof value === 'string' ? { name: value } : text.trim() ? { name: text.trim() } : {};
}

/**
 * The graph's values in the order ONNX Runtime lists them: as the graph describes them
 * (after a ZipMap strip), else as the runtime's metadata does.
 */
function values(
  names: readonly string[],
  metadata: readonly Ort.InferenceSession.ValueMetadata[] | undefined,
  graph: ValueInfo[],
): Value[] {
  const own = new Map(graph.map((v) => [v.name, v]));
  return names.map((name, i) => {
    const info = own.get(name);
    if (info) return { name, tensor: info.kind === 'tensor', type: info.elemType, shape: info.kind === 'tensor' ? info.shape : null };
    const meta = metadata?.[i];
    if (!meta || meta.name !== name) return { name, tensor: true, type: null, shape: null };
    if (!meta.isTensor) return { name, tensor: false, type: null, shape: null };
    // Dynamic dimensions come as names, or as -1 (which the web runtime reads as 2^32 - 1).
    const shape = meta.shape.map((d) =>
      typeof d === 'number' && d >= 0 && d < 2 ** 31 ? d : typeof d === 'string' && d !== '' ? d : null,
    );
    return { name, tensor: true, type: meta.type, shape };
  });
}

/** How the table's columns feed the graph: one input per column, or one tensor in a known column order. */
function planFeed(inputs: Value[], info: GraphInfo, options: OpenOnnxModelOptions): { feed: Feed; features: SignatureFeature[] } {
  const { shownPath } = options;
  for (const input of inputs) {
    if (!input.tensor)
      throw new UserError(
        `${shownPath}: the graph's input "${input.name}" is not a tensor`,
        'Export the model with tensor inputs (one per column, or one [N, k] tensor).',
      );
    if (!(INPUT_TYPES as readonly string[]).includes(input.type ?? ''))
      throw new UserError(
        `${shownPath}: the graph's input "${input.name}" is ${input.type ?? 'of an unknown type'}; inputs may be ${INPUT_TYPES.join(', ')}`,
        'Export the model with float32 (or float64, int64, string) inputs; cast inside the graph if it needs another type.',
      );
  }
  const typeOf = (t: InputType): SignatureFeature['type'] => (t === 'string' ? 'string' : 'number');
  const oneColumn = (v: Value) => v.shape === null || v.shape.length === 1 || (v.shape.length === 2 && v.shape[1] === 1);
  const order = options.signature?.features && options.signature.features.length > 0 ? options.signature.features : metadataFeatures(info);
  if (inputs.length === 1) {
    const input = inputs[0]!;
    const type = input.type as InputType;
    const rank = rankOf(input);
    const sameColumn = order !== null && order.length === 1 && order[0]!.name === input.name;
    if (rank !== null && rank > 2)
      throw new UserError(
        `${shownPath}: the graph's input "${input.name}" has rank ${rank}; a tabular model takes [N, k] or one input per column`,
        'Export the model with a [N, k] input (or one [N, 1] input per column).',
      );
    if (order && !sameColumn) {
      const width = widthOf(input);
      if ((rank === 1 && order.length !== 1) || (width !== null && width !== order.length))
        throw new UserError(
          `${shownPath}: the graph's input "${input.name}" takes ${rank === 1 ? 1 : width} columns, but ${options.signature?.features?.length ? "the model card's signature lists" : 'the graph metadata lists'} ${order.length} features`,
          "Make the feature list (the card's signature.features, or the graph's metadata feature_names) the columns of the tensor, in order.",
        );
      return {
        feed: { mode: 'tensor', input: input.name, type, columns: order.map((f) => f.name), rank: rank === 1 ? 1 : 2 },
        features: order.map((f) => ({ name: f.name, type: typeOf(type) })),
      };
    }
    if (!oneColumn(input))
      throw new UserError(
        `${shownPath}: the graph takes one tensor "${input.name}" [${(input.shape ?? []).map((d) => d ?? '?').join(', ')}] and says nothing of its column order`,
        "Give the model card's signature.features (the columns in the tensor's order), or add the graph metadata feature_names (a JSON list of the column names) when exporting; or export one input per column, named as the columns.",
      );
  }
  const columnInputs = inputs.map((input) => {
    if (!oneColumn(input))
      throw new UserError(
        `${shownPath}: the graph has ${inputs.length} inputs, so each must be one column ([N, 1] or [N]), but "${input.name}" is [${(input.shape ?? []).map((d) => d ?? '?').join(', ')}]`,
        'Export one input per column (each [N, 1], named as the column), or a single [N, k] tensor with its column order in the metadata feature_names.',
      );
    return { input: input.name, column: input.name, type: input.type as InputType, rank: (rankOf(input) === 1 ? 1 : 2) as 1 | 2 };
  });
  // The card's order when it names the same columns, else the graph's.
  const cardOrder = options.signature?.features?.map((f) => f.name);
  const names = new Set(columnInputs.map((i) => i.column));
  if (cardOrder && cardOrder.length === names.size && cardOrder.every((n) => names.has(n)))
    columnInputs.sort((a, b) => cardOrder.indexOf(a.column) - cardOrder.indexOf(b.column));
  return {
    feed: { mode: 'columns', inputs: columnInputs },
    // The card's type of a column when it names it (what the column held in training; the server checks requests by it).
    features: columnInputs.map((i) => ({
      name: i.column,
      type: options.signature?.features?.find((f) => f.name === i.column)?.type ?? typeOf(i.type),
    })),
  };
}

const PROBABILITY_NAME = /prob/i;
const LOGIT_NAME = /logit/i;
const VALUE_NAMES = /^(variable|output|outputs?_?0?|predictions?|predicted|pred|y|y_?pred|yhat|target|value|score|scores)$/i;

interface OutputRoles {
  probabilities: Value | null;
  labels: Value | null;
  values: Value[];
}

function outputRoles(outputs: Value[]): OutputRoles {
  const tensors = outputs.filter((v) => v.tensor);
  const labelLike = tensors.filter(
    (v) => isLabelType(v.type) && (v.shape === null || v.shape.length === 1 || (v.shape.length === 2 && v.shape[1] === 1)),
  );
  const labels = labelLike.find((v) => /label/i.test(v.name)) ?? labelLike[0] ?? null;
  const floats = tensors.filter((v) => isFloat(v.type));
  const matrices = floats.filter((v) => v.shape === null || v.shape.length === 2);
  // By name; else a classifier's float output; else a matrix of several (or an unknown number of) columns.
  const probabilities =
    matrices.find((v) => PROBABILITY_NAME.test(v.name)) ??
    matrices.find((v) => LOGIT_NAME.test(v.name)) ??
    (labels
      ? (matrices[0] ?? null)
      : (matrices.find((v) => (widthOf(v) ?? 0) > 1) ?? matrices.find((v) => v.shape !== null && widthOf(v) === null) ?? null));
  const values = floats.filter((v) => v.shape === null || v.shape.length === 1 || (v.shape.length === 2 && v.shape[1] === 1));
  return { probabilities, labels, values };
}

/** The outputs a model must have, listed for messages. */
function describeOutputs(outputs: Value[]): string {
  return outputs
    .map((v) => `"${v.name}" (${v.tensor ? `${v.type ?? '?'} [${(v.shape ?? []).map((d) => d ?? '?').join(', ')}]` : 'not a tensor'})`)
    .join(', ');
}

/** Runs the graph on one row of placeholder values to learn an output's width, when its shape does not say. */
async function probeWidth(
  runtime: OnnxRuntime,
  session: Ort.InferenceSession,
  feed: Feed,
  output: string,
  shownPath: string,
): Promise<number> {
  const { Tensor } = runtime.ort;
  const feeds: Ort.InferenceSession.FeedsType = {};
  const placeholder = (type: InputType, n: number) =>
    type === 'string'
      ? new Array<string>(n).fill('')
      : type === 'float32'
        ? new Float32Array(n)
        : type === 'float64'
          ? new Float64Array(n)
          : type === 'int64'
            ? new BigInt64Array(n)
            : type === 'int32'
              ? new Int32Array(n)
              : new Uint8Array(n);
  const set = (name: string, tensor: Ort.Tensor) => Object.defineProperty(feeds, name, { value: tensor, enumerable: true });
  if (feed.mode === 'columns')
    for (const i of feed.inputs) set(i.input, new Tensor(i.type, placeholder(i.type, 1) as never, i.rank === 1 ? [1] : [1, 1]));
  else
    set(
      feed.input,
      new Tensor(feed.type, placeholder(feed.type, feed.columns.length) as never, feed.rank === 1 ? [1] : [1, feed.columns.length]),
    );
  try {
    const run = () =>
      session.run(feeds, [output]).catch((error: unknown) => {
        // Typed arrays of another realm (see OnnxModel.run): the raw results.
        if (error instanceof TypeError && /tensor's data must be type of/.test(error.message) && handlerOf(session))
          return runRaw(session, feeds, [output]);
        throw error;
      });
    const result = (await (runtime.name === 'web' ? exclusive(run) : run())) as Record<string, Result>;
    return result[output]!.dims.length >= 2 ? Number(result[output]!.dims[1]) : 1;
  } catch (error) {
    throw new UserError(
      `${shownPath}: the number of columns of output "${output}" is not in the graph, and a trial run failed: ${(error as Error).message}`,
      'Export the model with a fixed number of output columns (the classes), or list the classes in the model card (signature.target.classes).',
    );
  }
}

/** Decides the task, the classes (in the order predict gives them) and the output to read. */
async function planOutput(
  outputs: Value[],
  info: GraphInfo,
  options: OpenOnnxModelOptions,
  probe: (output: string) => Promise<number>,
): Promise<{ output: Output; target: ModelTarget; probabilities: boolean }> {
  const { shownPath } = options;
  const card = options.signature?.target;
  const meta = metadataTarget(info);
  const targetName = card?.name ?? meta.name ?? 'target';
  const roles = outputRoles(outputs);
  const none = () =>
    new UserError(
      `${shownPath}: none of the graph's outputs is class probabilities, labels or a single value: ${describeOutputs(outputs) || 'it has no outputs'}`,
      'A classifier should output probabilities (float [N, classes]) and/or labels ([N]); a regressor one float value per row ([N] or [N, 1]).',
    );
  const cardClasses = card?.task === 'classification' && card.classes.length > 0 ? [...card.classes] : null;
  const metaClasses = meta.classes && meta.classes.length > 0 ? meta.classes : null;
  const graphClasses = info.classLabels && info.classLabels.length > 0 ? [...info.classLabels] : null;

  let task = card?.task ?? (meta.task === 'classification' || meta.task === 'regression' ? meta.task : undefined);
  let probWidth = roles.probabilities ? widthOf(roles.probabilities) : null;
  if (!task) {
    if (
      roles.labels ||
      (roles.probabilities && (PROBABILITY_NAME.test(roles.probabilities.name) || LOGIT_NAME.test(roles.probabilities.name)))
    )
      task = 'classification';
    else if (roles.probabilities) {
      if (probWidth === null) probWidth = await probe(roles.probabilities.name);
      task = probWidth > 1 ? 'classification' : 'regression';
    } else task = 'regression';
  }

  if (task === 'regression') {
    // A matrix found to have one column is a value too.
    const candidates =
      roles.probabilities && probWidth === 1 && !roles.values.includes(roles.probabilities)
        ? [...roles.values, roles.probabilities]
        : roles.values;
    const value = candidates.length === 1 ? candidates[0]! : (candidates.find((v) => VALUE_NAMES.test(v.name)) ?? null);
    if (!value) {
      if (task === (card?.task ?? meta.task) && (roles.labels || roles.probabilities))
        throw new UserError(
          `${shownPath}: ${card ? 'the model card says' : 'the graph metadata mlops.target says'} the task is regression, but the graph gives no single float value per row: ${describeOutputs(outputs)}`,
          "A regressor should output one float value per row ([N] or [N, 1]); for a classifier, make the card's signature.target a classification with its classes.",
        );
      if (candidates.length > 1)
        throw new UserError(
          `${shownPath}: the graph has several float outputs (${quoted(candidates.map((v) => v.name))}) and none is named as the prediction`,
          'Export the regressor with one float output [N, 1] (named variable, output or predictions).',
        );
      throw none();
    }
    return { output: { kind: 'value', name: value.name }, target: { name: targetName, task: 'regression' }, probabilities: true };
  }

  // Classification: probabilities when the graph gives them, else labels.
  const source = roles.probabilities ?? (roles.labels ? null : (roles.values[0] ?? null));
  if (source) {
    const width = probWidth ?? widthOf(source) ?? (rankOf(source) === 1 ? 1 : await probe(source.name));
    const columns = width === 1 ? 2 : width;
    const inGraph = graphClasses ?? cardClasses ?? metaClasses;
    const graphOrder = inGraph ?? Array.from({ length: columns }, (_, i) => String(i));
    if (graphOrder.length !== columns)
      throw new UserError(
        `${shownPath}: output "${source.name}" gives ${width === 1 ? 'one probability (a binary model: 2 classes)' : `${width} class probabilities`}, but ${graphClasses ? 'the graph lists' : cardClasses ? 'the model card lists' : 'the graph metadata lists'} ${graphOrder.length} classes (${graphOrder.join(', ')})`,
        "Make the classes (the model card's signature.target.classes) those the model was trained on, in its order.",
      );
    const classes = cardClasses ?? graphOrder;
    const order = classOrder(classes, graphOrder, shownPath);
    const transform = LOGIT_NAME.test(source.name) ? (width === 1 ? 'sigmoid' : 'softmax') : 'none';
    if (transform !== 'none')
      options.log?.(
        `${shownPath}: output "${source.name}" holds logits; predictions apply ${transform === 'sigmoid' ? 'a sigmoid' : 'a softmax'} to make them probabilities.`,
      );
    return {
      output: { kind: 'probabilities', name: source.name, width, order, transform },
      target: { name: targetName, task: 'classification', classes },
      probabilities: true,
    };
  }
  if (!roles.labels) throw none();
  const known = graphClasses ?? cardClasses ?? metaClasses;
  if (!known)
    throw new UserError(
      `${shownPath}: the graph outputs labels only ("${roles.labels.name}") and does not list its classes`,
      'List the classes in the model card (signature.target.classes) or the graph metadata mlops.target, or export the classifier with its probabilities.',
    );
  const classes = cardClasses ?? known;
  if (graphClasses && cardClasses) classOrder(cardClasses, graphClasses, shownPath);
  options.log?.(`${shownPath} gives labels only, no probabilities: each prediction is one class with probability 1.`);
  return {
    output: { kind: 'labels', name: roles.labels.name, classes: new Map(classes.map((c, i) => [c, i])), width: classes.length },
    target: { name: targetName, task: 'classification', classes },
    probabilities: false,
  };
}

/** For each of `classes`, its column in `graphOrder` (the same classes); a UserError when they are not the same. */
function classOrder(classes: readonly string[], graphOrder: readonly string[], shownPath: string): Int32Array {
  const index = new Map(graphOrder.map((c, i) => [c, i]));
  const order = Int32Array.from(classes, (c) => index.get(c) ?? -1);
  if (classes.length !== graphOrder.length || order.includes(-1) || new Set(order).size !== order.length)
    throw new UserError(
      `${shownPath}: the model card's classes (${classes.join(', ')}) are not the classes the graph gives (${graphOrder.join(', ')})`,
      "Make the card's signature.target.classes the labels the model was trained on (a classifier's classlabels).",
    );
  return order;
}

/** Loads a graph into ONNX Runtime and works out how to feed it and read it (see the header). */
export async function openOnnxModel(bytes: Uint8Array, options: OpenOnnxModelOptions): Promise<OnnxModel> {
  const { shownPath } = options;
  const log = options.log ?? (() => {});
  const info = inspectOnnx(bytes, shownPath);
  const stripped = stripZipMap(bytes);
  for (const name of stripped.stripped)
    log(
      `${shownPath}: output "${name}" is a ZipMap (a list of per-row maps, which ONNX Runtime cannot return in JavaScript); replaced by the probability tensor it is built from.`,
    );
  const graph = stripped.stripped.length > 0 ? inspectOnnx(stripped.bytes, shownPath) : info;
  const { session, runtime } = await createSession(stripped.bytes, shownPath, undefined, options.use);
  try {
    const inputs = values(session.inputNames, session.inputMetadata, graph.inputs);
    const outputs = values(session.outputNames, session.outputMetadata, graph.outputs);
    const { feed, features } = planFeed(inputs, graph, options);
    const { output, target, probabilities } = await planOutput(outputs, info, options, (name) =>
      probeWidth(runtime, session, feed, name, shownPath),
    );
    return new OnnxModel(runtime, session, shownPath, feed, output, {
      algorithm: options.algorithm ?? 'onnx',
      signature: { features, target, probabilities },
      info,
      inputs,
      outputs,
    });
  } catch (error) {
    void session.release().catch(() => {});
    throw error;
  }
}
