/**
 * Batch scoring of a table (`mlops predict`): every row of the input with its
 * prediction, as CSV, TSV, JSON Lines or Parquet. Rows go to the model in chunks, through
 * the same `predict(table, rows)` as evaluate (the preprocessing is inside the graph), so
 * the numbers are the same. Output columns: the input's, then `prediction` (the label,
 * or the value) and, for a classifier that gives probabilities, `probability_<class>`
 * per class.
 *
 * Parquet output (hyparquet-writer, snappy, row groups of up to 65,536 rows): a text column
 * is STRING; a numeric one INT64 when every value is a whole number within +/-2^53, else
 * DOUBLE; missing values are nulls. The labels are STRING, values and probabilities DOUBLE.
 */
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import type { Table, TableColumn } from '../data/table.js';
import type { ServedModel } from './model.js';
import { featureTable } from './records.js';

export type OutputFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

export const CHUNK_ROWS = 8192;
/** Rows per row group of Parquet output. */
export const PARQUET_ROW_GROUP_ROWS = 65536;

export function outputFormatOf(path: string): OutputFormat {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.tsv') || name.endsWith('.tab')) return 'tsv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  if (name.endsWith('.parquet') || name.endsWith('.pq')) return 'parquet';
  return 'csv';
}

/**
 * Predicts every row and renders the output: the input columns, `prediction`, and `probability_<class>` for
 * classification. `text` is the output file's content: text, or for Parquet the file's bytes.
 */
export async function predictTable(
  model: ServedModel,
  table: Table,
  format: Exclude<OutputFormat, 'parquet'>,
  onProgress?: (done: number, total: number) => void,
): Promise<{ text: string; rows: number }>;
export async function predictTable(
  model: ServedModel,
  table: Table,
  format: OutputFormat,
  onProgress?: (done: number, total: number) => void,
): Promise<{ text: string | Buffer; rows: number }>;
export async function predictTable(
  model: ServedModel,
  table: Table,
  format: OutputFormat,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<{ text: string | Buffer; rows: number }> {
  const features = featureTable(model.signature.features, table);
  const inputNames = table.columns.map((c) => c.name);
  const extra = model.probabilities ? ['prediction', ...model.classes.map((c) => `probability_${c}`)] : ['prediction'];
  const names = [...inputNames, ...extra.filter((n) => !inputNames.includes(n))];
  if (format === 'parquet')
    return predictParquet(
      model,
      table,
      features,
      extra.filter((n) => !inputNames.includes(n)),
      onProgress,
    );
  const parts: string[] = [];
  const separator = format === 'tsv' ? '\t' : ',';
  if (format !== 'jsonl') parts.push(`${names.map((n) => field(n, separator)).join(separator)}\n`);
  for (let start = 0; start < table.rows; start += CHUNK_ROWS) {
    const rows = Array.from({ length: Math.min(CHUNK_ROWS, table.rows - start) }, (_, i) => start + i);
    const predictions = await model.predict(features, rows);
    const lines: string[] = [];
    rows.forEach((r, i) => {
      const values = new Map<string, string | number | boolean | null>();
      for (const column of table.columns) {
        const text = column.texts ? column.texts[r] : Number.isNaN(column.numbers[r]!) ? null : column.numbers[r]!;
        values.set(column.name, text ?? null);
      }
      const p = predictions[i]!;
      if ('label' in p) {
        values.set('prediction', p.label);
        if (model.probabilities) model.classes.forEach((c, k) => values.set(`probability_${c}`, p.probabilities[k]!));
      } else values.set('prediction', p.value);
      if (format === 'jsonl') {
        const entry = Object.create(null) as Record<string, unknown>;
        for (const n of names) entry[n] = values.get(n) ?? null;
        lines.push(JSON.stringify(entry));
      } else lines.push(names.map((n) => field(values.get(n) ?? null, separator)).join(separator));
    });
    parts.push(`${lines.join('\n')}\n`);
    onProgress(start + rows.length, table.rows);
  }
  return { text: parts.join(''), rows: table.rows };
}

/** One delimited field, quoted when it holds the separator, a quote or a line break. */
function field(value: string | number | boolean | null, separator: string): string {
  if (value === null) return '';
  const text = String(value);
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The Parquet type of an input column: STRING for text, INT64 for whole numbers within +/-2^53, else DOUBLE. */
function inputColumnType(column: TableColumn): 'STRING' | 'INT64' | 'DOUBLE' {
  if (column.texts) return 'STRING';
  for (const value of column.numbers) if (!Number.isNaN(value) && !Number.isSafeInteger(value)) return 'DOUBLE';
  return 'INT64';
}

const PARQUET_ELEMENTS: Record<'STRING' | 'INT64' | 'DOUBLE', Omit<SchemaElement, 'name'>> = {
  STRING: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'OPTIONAL' },
  INT64: { type: 'INT64', repetition_type: 'OPTIONAL' },
  DOUBLE: { type: 'DOUBLE', repetition_type: 'OPTIONAL' },
};

/** The output as a Parquet file: input columns, then the predictions, a row group per PARQUET_ROW_GROUP_ROWS rows. */
async function predictParquet(
  model: ServedModel,
  table: Table,
  features: Table,
  extra: readonly string[],
  onProgress: (done: number, total: number) => void,
): Promise<{ text: Buffer; rows: number }> {
  const inputs = table.columns.map((column) => ({ column, type: inputColumnType(column) }));
  const outputTypes = extra.map((name) => (name === 'prediction' && model.task === 'classification' ? 'STRING' : 'DOUBLE'));
  const schema: SchemaElement[] = [
    { name: 'schema', num_children: inputs.length + extra.length },
    ...inputs.map(({ column, type }) => ({ name: column.name, ...PARQUET_ELEMENTS[type] })),
    ...extra.map((name, k) => ({ name, ...PARQUET_ELEMENTS[outputTypes[k]!] })),
  ];
  const bytes = new ByteWriter();
  const writer = new ParquetWriter({ writer: bytes, schema, createdBy: 'mlops predict (hyparquet-writer)' });
  for (let groupStart = 0; groupStart < table.rows; groupStart += PARQUET_ROW_GROUP_ROWS) {
    const groupRows = Math.min(PARQUET_ROW_GROUP_ROWS, table.rows - groupStart);
    const outputs = extra.map(() => new Array<string | number | null>(groupRows).fill(null));
    for (let start = groupStart; start < groupStart + groupRows; start += CHUNK_ROWS) {
      const rows = Array.from({ length: Math.min(CHUNK_ROWS, groupStart + groupRows - start) }, (_, i) => start + i);
      const predictions = await model.predict(features, rows);
      rows.forEach((r, i) => {
        const p = predictions[i]!;
        const at = r - groupStart;
        const values = new Map<string, string | number>();
        if ('label' in p) {
          values.set('prediction', p.label);
          if (model.probabilities) model.classes.forEach((c, k) => values.set(`probability_${c}`, p.probabilities[k]!));
        } else values.set('prediction', p.value);
        extra.forEach((name, k) => (outputs[k]![at] = values.get(name) ?? null));
      });
      onProgress(start + rows.length, table.rows);
    }
    const columnData = [
      ...inputs.map(({ column, type }) => ({ name: column.name, data: inputValues(column, type, groupStart, groupRows) })),
      ...extra.map((name, k) => ({ name, data: outputs[k]! })),
    ];
    await writer.write({ columnData, rowGroupSize: groupRows });
  }
  writer.finish();
  return { text: Buffer.from(bytes.getBuffer()), rows: table.rows };
}

function inputValues(
  column: TableColumn,
  type: 'STRING' | 'INT64' | 'DOUBLE',
  start: number,
  count: number,
): Array<string | number | bigint | null> {
  const out = new Array<string | number | bigint | null>(count);
  for (let i = 0; i < count; i++) {
    const r = start + i;
    if (type === 'STRING') out[i] = column.texts![r] ?? null;
    else {
      const value = column.numbers[r]!;
      out[i] = Number.isNaN(value) ? null : type === 'INT64' ? BigInt(value) : value;
    }
  }
  return out;
}
