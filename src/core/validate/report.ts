/** The data validation report in Markdown (for PR comments, job summaries and files). */
import { code, escapeText, formatNumber, table, truncate } from '../markdown.js';
import type { ColumnSummary } from '../profile/summary.js';
import { splitMarkdownSections } from '../report/pr-comment.js';
import type { CommentSection, FitOptions } from '../report/pr-comment.js';
import type { Anomaly } from './anomalies.js';
import { percent } from './column-checks.js';

export interface ValidationReportInput {
  title?: string;
  files: string[];
  schemaFile: string | null;
  rows: number;
  bytes: number;
  elapsedMs: number;
  anomalies: Anomaly[];
  columns: ColumnSummary[];
}

const MAX_ANOMALY_ROWS = 100;

export function renderValidationReport(input: ValidationReportInput): string {
  const errors = input.anomalies.filter((a) => a.severity === 'error').length;
  const warnings = input.anomalies.length - errors;
  const verdict =
    errors > 0
      ? `❌ ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`
      : warnings > 0
        ? `⚠️ passed with ${plural(warnings, 'warning')}`
        : '✅ passed';
  const lines: string[] = [];
  lines.push(`## ${escapeText(input.title ?? 'Data validation')}: ${verdict}`);
  lines.push('');
  const fileList = input.files.length <= 5 ? input.files.map((f) => code(f, 120, false)).join(', ') : `${input.files.length} files`;
  const mb = input.bytes / 1e6;
  const seconds = input.elapsedMs / 1000;
  lines.push(
    `${fileList}: ${plural(input.rows, 'row')}, ${plural(input.columns.length, 'column')}, ${mb.toFixed(1)} MB in ${seconds.toFixed(1)} s. ` +
      (input.schemaFile
        ? `Schema: ${code(input.schemaFile, 120, false)}.`
        : 'No schema given: only the file structure was checked (write one with `mlops infer-schema`).'),
  );
  lines.push('');
  if (input.anomalies.length > 0) {
    lines.push('### Anomalies');
    lines.push('');
    const rows = input.anomalies
      .slice(0, MAX_ANOMALY_ROWS)
      .map((a) => [
        a.severity === 'error' ? '❌ error' : '⚠️ warning',
        `\`${a.kind}\``,
        a.column !== undefined ? code(a.column, 60) : a.file !== undefined ? code(a.file, 60) : '',
        escapeText(a.message, 300),
        a.expected !== undefined ? escapeText(a.expected, 160) : '',
        a.samples
          .map(
            (s) =>
              `${input.files.length > 1 ? `${escapeText(s.file.split('/').pop() ?? s.file, 40)} ` : ''}row ${s.row}${s.line > 0 ? ` (line ${s.line})` : ''}: ${code(s.value, 40)}`,
          )
          .join('<br>'),
      ]);
    lines.push(table(['', 'Anomaly', 'Column', 'Found', 'Expected', 'Sample rows'], rows));
    if (input.anomalies.length > MAX_ANOMALY_ROWS)
      lines.push('', `… and ${input.anomalies.length - MAX_ANOMALY_ROWS} more (see validation.json).`);
    lines.push('');
  }
  lines.push('### Columns');
  lines.push('');
  const columnRows = input.columns.map((c) => [
    code(c.name, 40),
    c.type,
    formatNumber(c.count),
    c.nulls > 0 ? `${formatNumber(c.nulls)} (${percent(c.nullFraction)})` : '0',
    `${c.distinctExact ? '' : '~'}${formatNumber(c.distinct)}`,
    formatNumber(c.mean),
    formatNumber(c.std),
    typeof c.min === 'string' ? code(c.min, 30) : formatNumber(c.min),
    c.quantiles ? formatNumber(c.quantiles.p50) : '',
    typeof c.max === 'string' ? code(c.max, 30) : formatNumber(c.max),
    c.top.length > 0 && c.type !== 'number'
      ? c.top
          .slice(0, 3)
          .map((t) => `${code(truncate(t.value, 24), 26)} ${formatNumber(t.count)}`)
          .join(', ')
      : '',
  ]);
  lines.push(
    table(['Column', 'Type', 'Count', 'Nulls', 'Distinct', 'Mean', 'Std', 'Min', 'Median', 'Max', 'Top values'], columnRows, [
      'left',
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'left',
    ]),
  );
  lines.push('');
  return lines.join('\n');
}

/**
 * The report as a pull request comment: its title and summary line always shown, then its
 * sections (the anomalies, folded when long; the column table always folded), each kept or
 * left out whole when the comment must shrink.
 */
export function validationComment(report: string, footer = ''): { sections: CommentSection[] } & FitOptions {
  const { header, sections } = splitMarkdownSections(report);
  return {
    header,
    sections: sections.map((section) => ({
      title: section.name,
      body: section.text.replace(/^#{1,6}[^\n]*\n+/, ''),
      ...(section.name === 'Columns' ? { fold: true } : {}),
    })),
    footer,
  };
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
