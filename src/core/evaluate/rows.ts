/**
 * Where a row of a table is in its file, for messages: "row 3 (line 4)". Rows are counted
 * as validate-data counts them, from 1 at the first data row (the header of a CSV or TSV is
 * not a row); the line is the file's own (1-based, where the record starts), found by
 * reading the file again with the same tokenizer, so blank lines and quoted line breaks are
 * counted right. Only called to word an error, so the second read costs nothing otherwise.
 */
import { DelimitedTokenizer, tokenizeChunks } from '../data/delimited.js';
import { detectFormat, openSource } from '../data/source.js';

/** The 1-based line where each of `rows` (0-based data rows) starts; a row not found maps to null. */
export async function linesOfRows(file: string, rows: readonly number[]): Promise<Map<number, number | null>> {
  const wanted = new Set(rows);
  const found = new Map<number, number | null>(rows.map((r) => [r, null]));
  try {
    const format = detectFormat(file);
    if (format === 'parquet') return found; // Parquet rows have no lines
    const source = await openSource(file);
    if (format === 'jsonl') {
      let line = 0;
      let row = 0;
      let pending = '';
      const take = (text: string) => {
        line++;
        if (text.trim() === '') return;
        if (wanted.has(row)) found.set(row, line);
        row++;
      };
      for await (const chunk of source.chunks) {
        const parts = (pending + chunk.toString('utf8')).split('\n');
        pending = parts.pop()!;
        for (const part of parts) take(part);
      }
      if (pending !== '') take(pending);
      return found;
    }
    const tokenizer = new DelimitedTokenizer(format === 'tsv' ? 9 : 44);
    let row = -1; // the header
    await tokenizeChunks(source.chunks, tokenizer, {
      record(_buf, _starts, _ends, _flags, _count, line) {
        if (row >= 0 && wanted.has(row)) found.set(row, line);
        row++;
      },
    });
  } catch {
    // The file was read once already; if it cannot be read again, the message goes without lines.
  }
  return found;
}

/** "row 3 (line 4)" for 0-based data row `row`, given the lines found by linesOfRows. */
export function rowLabel(row: number, lines: ReadonlyMap<number, number | null>): string {
  const line = lines.get(row);
  return line ? `row ${row + 1} (line ${line})` : `row ${row + 1}`;
}

/** rowLabel for one row, reading the file for its line. */
export async function locateRow(file: string, row: number): Promise<string> {
  return rowLabel(row, await linesOfRows(file, [row]));
}
