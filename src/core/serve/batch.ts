/**
 * Batch scoring of a table (`mlops predict`): every row of the input with its
 * prediction, as CSV, TSV or JSON Lines. Rows go to the model in chunks, through the
 * same `predict(table, rows)` as evaluate (the preprocessing is inside the graph), so
 * the numbers are the same. Output columns: the input's, then `prediction` (the label,
 * or the value) and, for a classifier that gives probabilities, `probability_<class>`
 * per class.
 */
import type { Table } from '../data/table.js';
import type { ServedModel } from './model.js';
import { featureTable } from './records.js';

export type OutputFormat = 'csv' | 'tsv' | 'jsonl';

export const CHUNK_ROWS = 8192;

export function outputFormatOf(path: string): OutputFormat {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.tsv') || name.endsWith('.tab')) return 'tsv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  return 'csv';
}

/** Predicts every row and renders the output: the input columns, `prediction`, and `probability_<class>` for classification. */
export async function predictTable(
  model: ServedModel,
  table: Table,
  format: OutputFormat,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<{ text: string; rows: number }> {
  const features = featureTable(model.signature.features, table);
  const inputNames = table.columns.map((c) => c.name);
  const extra = model.probabilities ? ['prediction', ...model.classes.map((c) => `probability_${c}`)] : ['prediction'];
  const names = [...inputNames, ...extra.filter((n) => !inputNames.includes(n))];
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
