/**
 * JSON records (feature name -> value, as a request carries them) into a Table with one
 * column per signature feature, cell for cell as the table reader (data/table.ts) reads
 * the same row from a file, so the model sees at serving exactly what it saw when train
 * and evaluate read files (no train/serve skew). The preprocessing itself (imputation,
 * scaling, one-hot) is inside the model's ONNX graph, which takes these raw columns.
 *
 * Value rules (the rules the server has applied since before ONNX):
 * - number features: finite numbers; strings parse as the CSV reader parses them ("3.5",
 *   "1e3"); null, a missing key, null texts ("NA", ""; the configured null_values), NaN
 *   and infinities are missing (NaN in `numbers`);
 * - string features: strings as the CSV reader classifies them (a number in text reads
 *   as its canonical text, "007" as "7", "7.0" as "7"; "TRUE" as "true"); numbers as
 *   their text; booleans as "true"/"false"; null, a missing key and null texts are
 *   missing (null in `texts`). String columns always carry `texts`, and `numbers` holds
 *   the number of a numeric cell, as the table reader keeps them.
 * Values no file could hold in that column (an object or array anywhere; a boolean or
 * a non-numeric text for a number feature) are `issues` (record, feature, message) and
 * read as missing. Keys that are not features are not looked at here (the caller
 * decides about them: the server refuses them, see decode.ts).
 */
import type { Table, TableColumn } from '../data/table.js';
import { DEFAULT_NULL_VALUES, Kind, ValueClassifier } from '../data/values.js';
import { UserError } from '../errors.js';
import type { SignatureFeature } from '../model/model.js';

/** A raw feature value as a JSON request carries it. */
export type RawValue = unknown;

/** One record of a request: feature name -> raw value. */
export type RawRecord = Readonly<Record<string, RawValue>>;

/** A value that cannot be a cell of its column: where (record index and feature name) and why. */
export interface RecordIssue {
  record: number;
  feature: string;
  /** For example "expected a number, got an object". */
  message: string;
}

export interface RecordsOptions {
  /** Texts that mean "missing", as the table reader's null_values (default: DEFAULT_NULL_VALUES). */
  nullValues?: readonly string[];
  /**
   * Number features the model takes as booleans (a BOOL graph input): there JSON booleans
   * and boolean texts ("true", "FALSE") read as 1 and 0, as the model reads them from a file.
   */
  booleanFeatures?: ReadonlySet<string>;
}

/** What a JSON value is, for messages: "a string", "an object", "an array", "a boolean". */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : type === 'string' ? 'a string' : type === 'number' ? 'a number' : `a ${type}`;
}

/** `{"b64": "..."}` and nothing else: TF Serving REST's way to send a binary string. */
function isB64(value: unknown): value is { b64: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'b64' && typeof (value as { b64: unknown }).b64 === 'string';
}

/** The UTF-8 text of standard or URL-safe base64 (padding optional), or null when it is not base64. */
function decodeB64(text: string): string | null {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) return null;
  return Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64').toString('utf8');
}

/** Records to a Table of the features (in signature order), with the values that could not be cells. */
export function recordsToTable(
  features: readonly SignatureFeature[],
  records: readonly RawRecord[],
  options: RecordsOptions = {},
): { table: Table; issues: RecordIssue[] } {
  const classifier = new ValueClassifier(options.nullValues ?? DEFAULT_NULL_VALUES);
  const n = records.length;
  const issues: RecordIssue[] = [];
  const has = Object.prototype.hasOwnProperty;
  const columns: TableColumn[] = [];
  for (const feature of features) {
    const numbers = new Float64Array(n).fill(Number.NaN);
    let present = 0;
    let numeric = 0;
    if (feature.type === 'number') {
      const booleans = options.booleanFeatures?.has(feature.name) ?? false;
      for (let i = 0; i < n; i++) {
        const record = records[i]!;
        const raw = has.call(record, feature.name) ? record[feature.name] : undefined;
        let v = Number.NaN;
        if (typeof raw === 'number') v = raw;
        else if (booleans && typeof raw === 'boolean') v = raw ? 1 : 0;
        else if (typeof raw === 'string') {
          const kind = classifier.classifyText(raw);
          if (kind === Kind.Integer || kind === Kind.Number || (booleans && kind === Kind.Boolean)) v = classifier.value;
          else if (kind !== Kind.Null && kind !== Kind.NaN && kind !== Kind.Infinity)
            issues.push({ record: i, feature: feature.name, message: `expected a number, got the text ${quoteShort(raw)}` });
        } else if (raw !== null && raw !== undefined)
          issues.push({ record: i, feature: feature.name, message: `expected a number, got ${describeJsonType(raw)}` });
        if (Number.isFinite(v)) {
          numbers[i] = v;
          present++;
          numeric++;
        }
      }
      columns.push({ name: feature.name, numbers, texts: null, present, numeric });
      continue;
    }
    const texts: Array<string | null> = new Array<string | null>(n).fill(null);
    for (let i = 0; i < n; i++) {
      const record = records[i]!;
      let raw = has.call(record, feature.name) ? record[feature.name] : undefined;
      let text: string | null = null;
      // TF Serving's binary string: {"b64": "..."}, decoded (as UTF-8) and then read as the text it holds.
      if (isB64(raw)) {
        const decoded = decodeB64(raw.b64);
        if (decoded === null) {
          issues.push({ record: i, feature: feature.name, message: `b64: ${quoteShort(raw.b64)} is not base64` });
          raw = undefined;
        } else raw = decoded;
      }
      if (typeof raw === 'string') {
        const kind = classifier.classifyText(raw);
        if (kind === Kind.Integer || kind === Kind.Number) {
          numbers[i] = classifier.value;
          numeric++;
          text = String(classifier.value);
        } else if (kind === Kind.Boolean) text = classifier.value ? 'true' : 'false';
        else if (kind === Kind.String || kind === Kind.Datetime) text = raw;
      } else if (typeof raw === 'number') {
        if (Number.isFinite(raw)) {
          numbers[i] = raw;
          numeric++;
          text = String(raw);
        }
      } else if (typeof raw === 'boolean') text = raw ? 'true' : 'false';
      else if (raw !== null && raw !== undefined)
        issues.push({ record: i, feature: feature.name, message: `expected a text or a number, got ${describeJsonType(raw)}` });
      texts[i] = text;
      if (text !== null) present++;
    }
    columns.push({ name: feature.name, numbers, texts, present, numeric });
  }
  return { table: { rows: n, columns, files: [] }, issues };
}

/**
 * The feature columns of a table read from files, in signature order, as the model takes
 * them: a string feature whose file held only numbers gets its texts (each number's
 * canonical text, as the reader gives them in a column that also holds text). Throws a
 * UserError naming the first feature the files do not have.
 */
export function featureTable(features: readonly SignatureFeature[], table: Table): Table {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const missing = features.filter((f) => !byName.has(f.name)).map((f) => f.name);
  if (missing.length > 0) {
    const where = table.files.length > 0 ? table.files.join(', ') : 'the data';
    throw new UserError(
      `${missing.length === 1 ? 'feature column' : 'feature columns'} ${missing.map((m) => `"${m}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in ${where}`,
      `The model takes ${features.map((f) => f.name).join(', ')}; a column may be empty, but it must be there.`,
    );
  }
  const columns = features.map((feature) => {
    const column = byName.get(feature.name)!;
    if (feature.type === 'number' || column.texts) return column;
    const texts = Array.from(column.numbers, (v) => (Number.isNaN(v) ? null : String(v)));
    return { ...column, texts };
  });
  return { rows: table.rows, columns, files: table.files };
}

function quoteShort(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
