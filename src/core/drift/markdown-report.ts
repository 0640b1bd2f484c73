/**
 * The drift report in Markdown, for the job summary and an issue body: the verdict, model
 * features missing from the current data (errors, first), a table of every feature column
 * (method, statistic, threshold, null shares, verdict; text columns and verdicts within a
 * sketch's error of their threshold marked), the other columns apart (not counted), and
 * small Mermaid charts of reference against current for the worst columns. Column names and category values
 * come from users' files: in Markdown they go through code()/escapeText(); inside Mermaid
 * blocks (where Markdown escaping does not apply) labels are reduced to a safe alphabet and
 * column names are never written (they head the chart in Markdown instead).
 */
import { code, escapeText, formatNumber, table } from '../markdown.js';
import { NEAR_THRESHOLD_NOTE } from './compute.js';
import type { ColumnDrift, DriftReport } from './compute.js';

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** Columns charted in Markdown. */
export const MARKDOWN_CHARTS = 3;
/** Table rows shown before the rest is left to the JSON report. */
export const MARKDOWN_MAX_ROWS = 200;

/** How far past its threshold a column is (> 1 means drift), for ordering. */
export function severity(c: ColumnDrift): number {
  if (c.statistic === null || c.threshold === null) return c.nullDrift ? 1 + c.nullShare.change : 0;
  let s: number;
  if (c.direction === 'p-value') {
    const p = Math.max(c.pValue ?? 1, 1e-300);
    s = c.threshold > 0 && c.threshold < 1 ? Math.log(p) / Math.log(c.threshold) : p < c.threshold ? 2 : 0;
  } else s = c.threshold > 0 ? c.statistic / c.threshold : c.statistic > 0 ? 2 : 0;
  return c.nullDrift ? Math.max(s, 1 + c.nullShare.change) : s;
}

const STATUS_TEXT: Record<ColumnDrift['status'], string> = {
  tested: '',
  skipped: 'skipped',
  'missing-in-reference': 'not in reference',
  'missing-in-current': 'not in current',
  'no-values-in-reference': 'no values in reference',
  'no-values-in-current': 'no values in current',
  'method-does-not-fit': 'test does not fit',
};

function verdict(c: ColumnDrift): string {
  if (c.status === 'missing-in-current' && c.drifted) return '🔴 missing in current';
  if (c.kind === 'text' && c.status === 'skipped') return c.nullDrift ? '⚪ text, not tested; 🟠 nulls up' : '⚪ text, not tested';
  if (c.status !== 'tested' && !c.nullDrift) return `⚪ ${STATUS_TEXT[c.status]}`;
  const near = c.nearThreshold ? ' (⚠ near threshold)' : '';
  if (c.valueDrift && c.nullDrift) return `🔴 drift, nulls up${near}`;
  if (c.valueDrift) return `🔴 drift${near}`;
  if (c.nullDrift) return `🟠 nulls up${near}`;
  return `🟢 ok${near}`;
}

function percent(share: number): string {
  return `${formatNumber(Math.round(share * 1000) / 10)}%`;
}

function row(c: ColumnDrift): string[] {
  const stat = c.statistic === null ? '' : formatNumber(c.statistic);
  const p = c.pValue === null ? '' : formatNumber(c.pValue);
  const test = c.method ? `${c.method}${c.approximate ? ' ≈' : ''}` : '';
  const threshold = c.threshold === null ? '' : `${c.direction === 'p-value' ? 'p < ' : '≥ '}${formatNumber(c.threshold)}`;
  const nulls = c.reference && c.current ? `${percent(c.nullShare.reference)} → ${percent(c.nullShare.current)}` : '';
  const notes = c.notes.length > 0 ? escapeText(c.notes.join('; '), 200) : '';
  return [code(c.column, 60), c.kind ?? '', test, stat, p, threshold, nulls, verdict(c), notes];
}

const HEADERS = ['Column', 'Kind', 'Test', 'Statistic', 'p-value', 'Drift if', 'Nulls (ref → cur)', 'Verdict', 'Notes'];
const ALIGN: Array<'left' | 'right'> = ['left', 'left', 'left', 'right', 'right', 'left', 'left', 'left', 'left'];

/** A label safe inside a Mermaid string: letters, digits and a few signs; at most 16 characters. */
export function mermaidLabel(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9 _.+-]/g, '_').slice(0, 16);
  return safe === '' ? '_' : safe;
}

/** A Mermaid xychart-beta of a column's distribution: reference as bars, current as a line. */
export function mermaidChart(c: ColumnDrift): string | null {
  const d = c.distribution;
  if (!d || d.labels.length === 0) return null;
  const values = (xs: number[]) => `[${xs.map((v) => String(Math.round(v * 1000) / 1000)).join(', ')}]`;
  const top = Math.max(...d.reference, ...d.current, 0.01);
  return [
    '```mermaid',
    'xychart-beta',
    `  x-axis [${d.labels.map((l) => `"${mermaidLabel(l)}"`).join(', ')}]`,
    `  y-axis "share" 0 --> ${Math.min(1, Math.ceil(top * 10) / 10)}`,
    `  bar ${values(d.reference)}`,
    `  line ${values(d.current)}`,
    '```',
  ].join('\n');
}

function sectionTable(columns: ColumnDrift[]): string {
  const shown = columns.slice(0, MARKDOWN_MAX_ROWS);
  const more = columns.length - shown.length;
  return table(HEADERS, shown.map(row), ALIGN) + (more > 0 ? `\n\n${more} more columns are in the JSON report.` : '');
}

/** The whole report. `links` (already safe Markdown) go at the end. */
export function renderDriftMarkdown(report: DriftReport, links: string[] = []): string {
  const verdict =
    report.verdict === 'not-enough-data' ? '⚪ not enough data' : report.drifted ? '🔴 drift detected' : '🟢 no dataset drift';
  const title = `## Drift check: ${escapeText(report.subject, 100)}: ${verdict}`;
  const features = [...report.features].sort((a, b) => Number(b.drifted) - Number(a.drifted) || severity(b) - severity(a));
  const lines = [title, ''];
  const missing = report.missingFeatures ?? [];
  if (missing.length > 0) {
    const names = missing.slice(0, 20).map((c) => code(c, 40, false));
    lines.push(
      `**Error: ${plural(missing.length, 'model feature')} not in the current data:** ${names.join(', ')}${missing.length > 20 ? ', …' : ''}. The model gets no values for ${missing.length === 1 ? 'it' : 'them'}: counted as drifted.`,
      '',
    );
  }
  lines.push(
    `${report.driftedColumns.length} of ${report.comparedFeatures} feature columns drifted (share ${formatNumber(report.driftShare)}; dataset drift at ${formatNumber(report.driftShareThreshold)} or more).` +
      ` Reference: ${escapeText(report.reference.description, 200)} (${report.reference.rows.toLocaleString('en-US')} rows);` +
      ` current: ${escapeText(report.current.description, 200)} (${report.current.rows.toLocaleString('en-US')} rows).`,
    '',
  );
  if (report.verdict === 'not-enough-data')
    lines.push(
      `**Not enough data:** ${plural(report.current.rows, 'current row')}, fewer than the ${report.minCurrentRows.toLocaleString('en-US')} needed for a dataset verdict (drift.min_current_rows). The column tests below are for information only.`,
      '',
    );
  if (report.driftedColumns.length > 0) {
    const names = report.driftedColumns.slice(0, 20).map((c) => code(c, 40, false));
    lines.push(`Drifted: ${names.join(', ')}${report.driftedColumns.length > 20 ? ', …' : ''}.`, '');
  }
  if (report.nullShareDriftedColumns.length > 0) {
    const names = report.nullShareDriftedColumns.slice(0, 20).map((c) => code(c, 40, false));
    lines.push(
      `Null share rose: ${names.join(', ')}${report.nullShareDriftedColumns.length > 20 ? ', …' : ''} (${
        report.nullShareCounted
          ? 'counted as drift: null_share_in_drift_share is true'
          : 'a signal of its own, not counted in the drift share; set drift.null_share_in_drift_share to count it'
      }).`,
      '',
    );
  }
  const others = report.others ?? [];
  const text = [...report.features, ...others].filter((c) => c.kind === 'text' && c.status === 'skipped');
  if (text.length > 0) {
    const names = text.slice(0, 20).map((c) => code(c.column, 40, false));
    lines.push(
      `Text columns, not tested: ${names.join(', ')}${text.length > 20 ? ', …' : ''} (Evidently tests text with a domain classifier, which drift-check does not run; not counted in the drift share; set a column's \`method\` under drift.columns to test it as categorical).`,
      '',
    );
  }
  lines.push('### Features', '', sectionTable(features), '');
  if (others.length > 0) {
    const sorted = [...others].sort((a, b) => Number(b.drifted) - Number(a.drifted) || severity(b) - severity(a));
    lines.push('### Other columns (not model features, not counted)', '', sectionTable(sorted), '');
  }
  const outputs = [report.prediction, report.target].filter((c): c is ColumnDrift => c !== null);
  if (outputs.length > 0) {
    lines.push('### Prediction and target', '', '(Not counted in the feature drift share.)', '');
    lines.push(
      table(
        ['Role', ...HEADERS],
        outputs.map((c) => [c.role, ...row(c)]),
        ['left', ...ALIGN],
      ),
      '',
    );
  }
  const charted = [...outputs, ...features].filter((c) => c.drifted && c.distribution).sort((a, b) => severity(b) - severity(a));
  const worst = (charted.length > 0 ? charted : features.filter((c) => c.distribution)).slice(0, MARKDOWN_CHARTS);
  if (worst.length > 0) {
    lines.push('### Distributions', '', 'Bars: reference share; line: current share.', '');
    for (const c of worst) {
      const chart = mermaidChart(c);
      if (!chart) continue;
      const d = c.distribution!;
      const what = d.binned ? 'bins from the lower edge' : d.labels.every((l) => /^-?\d+$/.test(l)) ? 'one bar per value' : 'categories';
      lines.push(`**${code(c.column, 60, false)}** (${c.role}, ${what}):`, '', chart, '');
    }
  }
  const all = [...report.features, ...others, ...outputs];
  if (all.some((c) => c.approximate)) lines.push('≈: computed from a stored profile (sketches), not the data itself.', '');
  if (all.some((c) => c.nearThreshold))
    lines.push(
      `⚠ near threshold: ${NEAR_THRESHOLD_NOTE}; the verdict could go either way. Compare with the data itself for an exact one.`,
      '',
    );
  if (links.length > 0) lines.push(links.join(' · '), '');
  return lines.join('\n');
}
