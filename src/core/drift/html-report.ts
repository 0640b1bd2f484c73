/**
 * The drift report as one self-contained HTML file, in the manner of the evaluation report:
 * no script, nothing loaded from anywhere (a Content-Security-Policy says so), inline CSS,
 * and charts drawn by Vega-Lite on the server as inline SVG. User strings (column names,
 * categories, file names) are escaped in HTML and are data values under fixed field names in
 * the charts, never parts of Vega expressions. Size stays bounded: at most `HTML_CHARTS` (8)
 * charts of at most 10 bars each, and a table row per column.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../report/svg.js';
import { escapeHtml, formatNumber } from '../markdown.js';
import type { ColumnDrift, DriftReport } from './compute.js';
import { severity } from './markdown-report.js';

/** Columns charted in the HTML report. */
export const HTML_CHARTS = 8;
/** Table rows at most (the JSON report has every column). */
export const HTML_MAX_ROWS = 2000;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
const STYLE = `
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;max-width:80rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .5rem}
h2{font-size:1.2rem;margin:2rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 .2rem;border-radius:3px}
.verdict{display:inline-block;padding:.15rem .7rem;border-radius:1rem;font-weight:600}
.drift{background:#ffebe9;color:#a40e26}
.ok{background:#dafbe1;color:#116329}
.bad{color:#a40e26;font-weight:600}
.good{color:#116329}
.muted{color:#59636e}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}
figure{margin:0}
figcaption{font-weight:600;margin-bottom:.25rem}
svg{max-width:100%;height:auto}
`;

const esc = escapeHtml;
const num = (v: number | null) => (v === null ? '—' : esc(formatNumber(v)));

/** Grouped bars: reference and current share per bin or category. */
function distributionSpec(c: ColumnDrift): TopLevelSpec {
  const d = c.distribution!;
  const values = d.labels.flatMap((label, i) => [
    { order: i, label: label.length > 24 ? `${label.slice(0, 23)}…` : label, side: 'reference', share: d.reference[i]! },
    { order: i, label: label.length > 24 ? `${label.slice(0, 23)}…` : label, side: 'current', share: d.current[i]! },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 260,
    height: 140,
    data: { values },
    mark: 'bar',
    encoding: {
      x: {
        field: 'label',
        type: 'nominal',
        sort: { field: 'order' },
        title: d.binned ? 'bin (lower edge)' : null,
        axis: { labelAngle: -40 },
      },
      xOffset: { field: 'side', sort: ['reference', 'current'] },
      y: { field: 'share', type: 'quantitative', title: 'share', axis: { format: '.0%' } },
      color: { field: 'side', type: 'nominal', sort: ['reference', 'current'], scale: { range: ['#8c959f', '#cf222e'] }, title: null },
    },
  } as TopLevelSpec;
}

function row(c: ColumnDrift): string {
  const cls = c.drifted || c.nullDrift ? ' class="bad"' : c.status === 'tested' ? ' class="good"' : ' class="muted"';
  const verdict = c.valueDrift
    ? c.nullDrift
      ? 'drift, nulls up'
      : 'drift'
    : c.nullDrift
      ? 'nulls up'
      : c.status === 'tested'
        ? 'ok'
        : c.status;
  const threshold = c.threshold === null ? '—' : `${c.direction === 'p-value' ? 'p &lt; ' : '≥ '}${num(c.threshold)}`;
  const nulls = c.reference && c.current ? `${esc(formatNumber(c.nullShare.reference))} → ${esc(formatNumber(c.nullShare.current))}` : '—';
  return `<tr><td><code>${esc(c.column)}</code></td><td>${esc(c.role)}</td><td>${esc(c.kind ?? '—')}</td><td>${esc(c.method ?? '—')}${c.approximate ? ' ≈' : ''}</td><td class="num">${num(c.statistic)}</td><td class="num">${num(c.pValue)}</td><td>${threshold}</td><td>${nulls}</td><td${cls}>${esc(verdict)}</td><td>${esc(c.notes.join('; '))}</td></tr>`;
}

/** The drift report as one HTML document that loads nothing and runs no script. */
export async function renderDriftHtml(report: DriftReport): Promise<string> {
  const columns = [report.prediction, report.target, ...report.features].filter((c): c is ColumnDrift => c !== null);
  const ordered = [...columns].sort((a, b) => Number(b.drifted) - Number(a.drifted) || severity(b) - severity(a));
  const figures: string[] = [];
  for (const c of ordered.filter((x) => x.distribution).slice(0, HTML_CHARTS)) {
    const svg = await renderSvg(distributionSpec(c));
    figures.push(
      `<figure>\n<figcaption><code>${esc(c.column)}</code> (${esc(c.role)}${c.drifted ? ', drifted' : ''})</figcaption>\n${svg}\n</figure>`,
    );
  }
  const shown = ordered.slice(0, HTML_MAX_ROWS);
  const headers = ['Column', 'Role', 'Kind', 'Test', 'Statistic', 'p-value', 'Drift if', 'Null share (ref → cur)', 'Verdict', 'Notes'];
  const tableHtml = `<table>\n<thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${shown.map(row).join('\n')}\n</tbody>\n</table>${
    ordered.length > shown.length ? `\n<p class="muted">${ordered.length - shown.length} more columns are in the JSON report.</p>` : ''
  }`;
  const status =
    report.verdict === 'not-enough-data'
      ? `<span class="verdict">Not enough data</span> ${esc(`(${report.current.rows} current rows, fewer than ${report.minCurrentRows}: the column tests are for information only).`)}`
      : report.drifted
        ? `<span class="verdict drift">Drift detected</span>`
        : `<span class="verdict ok">No dataset drift</span>`;
  const side = (s: DriftReport['reference']) =>
    `${esc(s.description)} (${s.rows.toLocaleString('en-US')} rows${s.source === 'profile' ? ', a stored profile' : ''})`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`Drift check of ${report.subject}: ${report.verdict === 'not-enough-data' ? 'not enough data' : report.drifted ? 'drift' : 'no drift'}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Drift check of ${esc(report.subject)}</h1>
<p>${status} ${report.driftedColumns.length} of ${report.comparedFeatures} feature columns drifted (share ${esc(formatNumber(report.driftShare))}; dataset drift at ${esc(formatNumber(report.driftShareThreshold))} or more).</p>
<p class="muted">Reference: ${side(report.reference)}. Current: ${side(report.current)}. Checked <time datetime="${esc(report.checkedAt)}">${esc(report.checkedAt)}</time>.</p>
</header>
<main>
<section>
<h2>Columns</h2>
${tableHtml}
<p class="muted">Prediction and target columns are not counted in the feature drift share. ≈: computed from a stored profile's sketches.</p>
</section>
${figures.length > 0 ? `<section>\n<h2>Distributions</h2>\n<div class="charts">\n${figures.join('\n')}\n</div>\n</section>` : ''}
</main>
</body>
</html>
`;
}
