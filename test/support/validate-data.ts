/**
 * The example's penguins data as validate-data's tests read it (expected values are
 * computed from these lines, never taken from an earlier run), and Markdown tables as
 * GitHub reads them.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { copyExample, EXAMPLE, makeTempDir } from './action-runner.js';

export { EXAMPLE };
const PENGUINS_TEXT = readFileSync(join(EXAMPLE, 'data', 'penguins.csv'), 'utf8');
/** The example's lines (no quoting in this file, so a line is a record). */
export const PENGUIN_LINES: readonly string[] = PENGUINS_TEXT.replace(/\n$/, '').split('\n');
export const HEADER: readonly string[] = PENGUIN_LINES[0]!.split(',');
export const NULL_TEXTS = new Set(['', 'NA', 'N/A', 'null', 'NULL', 'Null', 'None', '#N/A']);

/** A fresh copy of the example project (without any earlier run's .mlops folder). */
export function penguinsProject(prefix = 'mlops-penguins-'): Promise<string> {
  return copyExample(prefix);
}

/** Per column: values that are not null, in comma-split lines (short lines lack trailing fields). */
export function nonNullCounts(lines: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(HEADER.map((name) => [name, 0]));
  for (const line of lines.slice(1)) {
    const fields = line.split(',');
    HEADER.forEach((name, i) => {
      const value = fields[i];
      if (value !== undefined && !NULL_TEXTS.has(value)) counts[name]!++;
    });
  }
  return counts;
}

/** Line `line` (1-based, the header is line 1) with `column` set to `value`; the value replaced must not be null. */
export function setField(lines: readonly string[], line: number, column: string, value: string): string {
  const fields = lines[line - 1]!.split(',');
  const index = HEADER.indexOf(column);
  // The test only means something if the value it replaces was there.
  expect(NULL_TEXTS.has(fields[index]!)).toBe(false);
  fields[index] = value;
  return fields.join(',');
}

/** The example's lines with an extra column `ring_id` (a warning: unexpected_column). */
export function withExtraColumn(): string {
  return `${PENGUIN_LINES.map((l, i) => `${l},${i === 0 ? 'ring_id' : `R${i}`}`).join('\n')}\n`;
}

/** The cells of a table row `| a | b |` (a pipe escaped with a backslash stays in its cell, unescaped). */
export function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  const out: string[] = [];
  let cell = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '\\' && inner[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (c === '|') {
      out.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  out.push(cell.trim());
  return out;
}

/** Tables of a Markdown document: runs of lines that start with a pipe. */
export function tables(markdown: string): string[][][] {
  const found: string[][][] = [];
  let current: string[][] | null = null;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) {
      if (!current) found.push((current = []));
      current.push(cells(line));
    } else current = null;
  }
  return found;
}

/** Column names that try HTML, Markdown, mentions, and (the last) a workflow command of its own on a new line. */
export const HOSTILE_NAMES = [
  'id',
  '<script>alert(1)</script>',
  'a|b',
  '`tick`',
  '@octocat',
  '**bold** _it_',
  '<img src=x onerror=alert(2)>',
  'evil\n::error::injected',
] as const;

/**
 * A project of hostile.csv (HOSTILE_NAMES and values like them) and schema.yaml, whose
 * checks fail on most of them, and which names a missing column that is hostile too.
 */
export async function hostileProject(): Promise<string> {
  const dir = await makeTempDir('mlops-hostile-');
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = [
    ['1', '<script>x()</script>', 'p|q', '`x`', '@admin', '[link](https://example.com)', '<b>bold</b>', 'a\n::warning::value'],
    ['2', '<img src=x onerror=alert(3)>', '|||', '```', '@org/team', '# heading', '| --- |', 'b'],
    ['3', '&lt;script&gt;', 'x\\|y', 'a ` b', '@@', '<!-- c -->', '<script', 'c'],
  ];
  await writeFile(join(dir, 'hostile.csv'), [HOSTILE_NAMES, ...rows].map((r) => r.map(quote).join(',')).join('\n') + '\n');
  const schemaNames = {
    id: '{ type: integer }',
    '<script>alert(1)</script>': '{ type: integer }',
    '`tick`': '{ type: string, domain: [ok] }',
    '@octocat': '{ type: integer }',
    '**bold** _it_': '{ type: string, domain: [ok] }',
    '<img src=x onerror=alert(2)>': '{ type: integer }',
    '| missing <script>alert(4)</script> @here': '{ type: string }',
  };
  await writeFile(
    join(dir, 'schema.yaml'),
    `version: 1\ncolumns:\n${Object.entries(schemaNames)
      .map(([name, spec]) => `  ${JSON.stringify(name)}: ${spec}`)
      .join('\n')}\n`,
  );
  return dir;
}
