/**
 * The evaluation report as one self-contained HTML file: no scripts and nothing loaded from
 * anywhere (a Content-Security-Policy says so too), inline CSS only, and the charts drawn on the
 * server by Vega-Lite as inline SVG. Every string that comes from users (model, class, column,
 * slice and file names, reasons, links) is escaped; in the charts such strings are data values
 * under fixed field names, never parts of Vega expressions, and Vega escapes them in the SVG.
 * With bootstrap intervals, the metrics table shows each metric's interval and each change's
 * paired interval, marking a change whose interval includes 0 as not significant.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ModelCard } from '../contracts/index.js';
import { renderSvg } from '../report/svg.js';
import { unreliableIntervals, type BootstrapResult, type MetricInterval } from './bootstrap.js';
import { defaultDirection, type Direction, type GateCheck } from './gates.js';
import {
  CLASSIFICATION_METRIC_NAMES,
  REGRESSION_METRIC_NAMES,
  downsampleCurve,
  type ClassificationMetrics,
  type PrPoint,
  type RocPoint,
} from './metrics.js';
import type { EvaluationReportData } from './report-model.js';
import { fidelityFigures } from './fidelity.js';
import { escapeHtml, formatNumber } from '../markdown.js';

/** Points kept per curve in the ROC and precision-recall charts. */
export const MAX_CURVE_POINTS = 200;
/** Classes drawn in the ROC and precision-recall charts (a colour each); the rest are left out, with a note. */
export const MAX_CURVE_CLASSES = 20;
/** Above this many classes the confusion matrix is not drawn (the per-class table remains). */
export const MAX_MATRIX_CLASSES = 50;
/** Up to this many classes the confusion matrix shows its counts in the cells. */
const MAX_LABELLED_CLASSES = 15;
/** Points kept in the predicted-vs-actual scatter plot. */
export const MAX_SCATTER_POINTS = 2000;

const GREY = '#8c959f';
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;max-width:76rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .5rem}
h2{font-size:1.2rem;margin:2rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 .2rem;border-radius:3px}
.verdict{display:inline-block;padding:.15rem .7rem;border-radius:1rem;font-weight:600}
.blessed{background:#dafbe1;color:#116329}
.not-blessed{background:#ffebe9;color:#a40e26}
.pass,.better{color:#116329}
.fail,.worse{color:#a40e26}
.pass,.fail{font-weight:600}
.muted{color:#59636e}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}
figure{margin:0}
figcaption{font-weight:600;margin-bottom:.25rem}
svg{max-width:100%;height:auto}
`;

// ---------------------------------------------------------------------------------------------
// Text

const esc = escapeHtml;

/** A number for a cell; missing values as a dash. */
function num(value: unknown): string {
  return typeof value === 'number' ? esc(formatNumber(value)) : '—';
}

function cell(content: string, numeric = false): string {
  return numeric ? `<td class="num">${content}</td>` : `<td>${content}</td>`;
}

/** A table; headers are plain text (escaped here), cells already HTML. */
function table(headers: string[], rows: string[][]): string {
  const head = headers.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.join('')}</tr>`).join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function section(title: string, body: string): string {
  return `<section>\n<h2>${esc(title)}</h2>\n${body}\n</section>`;
}

function safeUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url);
}

// ---------------------------------------------------------------------------------------------
// Tables

function verdict(data: EvaluationReportData): string {
  const { blessed, reasons, checks } = data.blessing;
  const failed = checks.filter((c) => !c.passed).length;
  const gates = (n: number) => `${n} ${n === 1 ? 'gate' : 'gates'}`;
  const fidelity = data.fidelity ?? null;
  const passedText =
    checks.length === 0
      ? fidelity
        ? 'No gates are set; passed the conversion fidelity check.'
        : 'No gates are set.'
      : `Passed ${gates(checks.length)}${fidelity ? ' and the conversion fidelity check' : ''}.`;
  const failedText =
    fidelity && !fidelity.passed
      ? failed > 0
        ? `Failed ${failed} of ${gates(checks.length)} and the conversion fidelity check:`
        : 'Failed the conversion fidelity check:'
      : `Failed ${failed} of ${gates(checks.length)}:`;
  const summary = blessed
    ? `<p><span class="verdict blessed">Blessed</span> ${passedText}</p>`
    : `<p><span class="verdict not-blessed">Not blessed</span> ${failedText}</p>`;
  const why = reasons.length > 0 ? `\n<ul class="reasons">\n${reasons.map((r) => `<li>${esc(r)}</li>`).join('\n')}\n</ul>` : '';
  const notes = checks.flatMap((c) => c.notes);
  const noted = notes.length > 0 ? `\n<ul class="muted">\n${notes.map((n) => `<li>${esc(n)}</li>`).join('\n')}\n</ul>` : '';
  return summary + why + noted;
}

/** The metric names in the order shown: the task's own, then any others gates name or the candidate has. */
function metricNames(data: EvaluationReportData, candidate: Record<string, unknown>): string[] {
  const known: readonly string[] = data.task === 'classification' ? CLASSIFICATION_METRIC_NAMES : REGRESSION_METRIC_NAMES;
  const names = new Set(known.filter((m) => m in candidate || (data.baseline !== null && m in data.baseline.metrics)));
  for (const check of data.blessing.checks) names.add(check.metric);
  for (const [key, value] of Object.entries(candidate)) if (typeof value === 'number') names.add(key);
  return [...names];
}

function change(value: unknown, base: unknown, direction: Direction): string {
  if (typeof value !== 'number' || typeof base !== 'number' || !Number.isFinite(value - base)) return '—';
  const diff = value - base;
  const sign = diff > 0 ? '+' : '';
  const relative = base === 0 ? '' : ` (${sign}${formatNumber((100 * diff) / Math.abs(base))}%)`;
  const better = direction === 'higher' ? diff > 0 : diff < 0;
  const mood = diff === 0 ? '' : better ? ' class="better"' : ' class="worse"';
  return `<span${mood}>${esc(`${sign}${formatNumber(diff)}${relative}`)}</span>`;
}

/** A signed number for a change: +0.012, -0.003, 0. */
function signed(value: number): string {
  return value > 0 ? `+${formatNumber(value)}` : formatNumber(value);
}

/** A muted ` [lower, upper]` (with † when less reliable), or nothing without an interval. */
function intervalHtml(interval: MetricInterval | undefined, show: (value: number) => string = formatNumber): string {
  if (!interval || interval.lower === null || interval.upper === null) return '';
  return ` <span class="muted">${esc(`[${show(interval.lower)}, ${show(interval.upper)}]${interval.unreliable ? '†' : ''}`)}</span>`;
}

/** What the intervals are, why changes have none, which are less reliable. */
function intervalNotesHtml(bootstrap: BootstrapResult): string {
  const level = `${Number((bootstrap.confidence * 100).toPrecision(6))}%`;
  const paired = bootstrap.paired;
  const notes = [
    `Intervals: ${level} bootstrap percentile intervals, ${formatNumber(bootstrap.resamples)} resamples of the ` +
      `${formatNumber(bootstrap.rows)} test rows (seed ${bootstrap.seed}).` +
      (paired && paired.unavailable === null
        ? " A change's interval is paired (both models on the same resampled rows); not significant: it includes 0."
        : ''),
  ];
  if (paired?.unavailable) notes.push(`No intervals for the changes: ${paired.unavailable}.`);
  const shaky = unreliableIntervals(bootstrap);
  if (shaky.length > 0) {
    notes.push(
      `† Less reliable: the metric was undefined on more than 10% of the resamples (left out: ${shaky.map(([name, i]) => `${name} ${i.skipped}`).join(', ')}).`,
    );
  }
  return notes.map((note) => `<p class="muted">${esc(note)}</p>`).join('\n');
}

function gateCell(checks: GateCheck[]): string {
  if (checks.length === 0) return '<span class="muted">no gate</span>';
  return checks.map((c) => (c.passed ? '<span class="pass">pass</span>' : '<span class="fail">fail</span>')).join(' ');
}

function metricTable(data: EvaluationReportData): string {
  const candidate = data.candidate.metrics as unknown as Record<string, unknown>;
  const baseline = data.baseline?.metrics ?? {};
  const bootstrap = data.bootstrap ?? null;
  const rows = metricNames(data, candidate).map((metric) => {
    const checks = data.blessing.checks.filter((c) => c.metric === metric);
    const direction = checks[0]?.direction ?? defaultDirection(metric);
    const difference = bootstrap?.paired?.differences[metric];
    const changed = change(candidate[metric], baseline[metric], direction);
    const pairedInterval =
      changed !== '—' && difference
        ? `${intervalHtml(difference, signed)}${difference.lower !== null && !difference.significant ? ' <span class="muted">not significant</span>' : ''}`
        : '';
    return [
      cell(`<code>${esc(metric)}</code>`),
      cell(`${num(candidate[metric])}${typeof candidate[metric] === 'number' ? intervalHtml(bootstrap?.metrics[metric]) : ''}`, true),
      cell(num(baseline[metric]), true),
      cell(`${changed}${pairedInterval}`, true),
      cell(gateCell(checks)),
    ];
  });
  const sources =
    `<p class="muted">Candidate: <code>${esc(data.candidate.source)}</code>. Baseline: ` +
    (data.baseline === null ? 'none (first model).' : `<code>${esc(data.baseline.source)}</code>.`) +
    '</p>';
  const notes = bootstrap ? `\n${intervalNotesHtml(bootstrap)}` : '';
  return `${sources}\n${table(['Metric', 'Candidate', 'Baseline', 'Change', 'Gate'], rows)}${notes}`;
}

function perClassTable(metrics: ClassificationMetrics): string {
  const rows = metrics.per_class.map((c) => [
    cell(esc(c.class)),
    cell(num(c.precision), true),
    cell(num(c.recall), true),
    cell(num(c.f1), true),
    cell(num(c.support), true),
  ]);
  return table(['Class', 'Precision', 'Recall', 'F1', 'Support'], rows);
}

function sliceTable(slices: EvaluationReportData['slices']): string {
  const metrics = [...new Set(slices.flatMap((s) => Object.keys(s.metrics)))];
  const rows = slices.map((s) => [
    cell(esc(s.column)),
    cell(esc(s.value)),
    cell(num(s.count), true),
    ...metrics.map((m) => cell(num(s.metrics[m]), true)),
  ]);
  return table(['Column', 'Value', 'Rows', ...metrics], rows);
}

/** The conversion fidelity check: what was compared, and one row of figures. */
function fidelityTable(fidelity: NonNullable<EvaluationReportData['fidelity']>): string {
  const figures = fidelityFigures(fidelity);
  const cells = figures.cells.map((text, i) =>
    i === 4 ? cell(`<span class="${fidelity.passed ? 'pass' : 'fail'}">${esc(text)}</span>`) : cell(esc(text), i < 3),
  );
  if (figures.at) cells[2] = cell(`${esc(figures.cells[2])} (row ${figures.at.row}, <code>${esc(figures.at.column)}</code>)`, true);
  return (
    `<p class="muted">The ONNX graph against the original framework's ${esc(figures.measured)} in <code>${esc(fidelity.file)}</code>.</p>\n` +
    table(figures.headers, [cells])
  );
}

function dataAndLinks(data: EvaluationReportData): string {
  const files = data.data.files.map((f) => `<li><code>${esc(f)}</code></li>`).join('\n');
  const links = data.links.map(({ label, url }) =>
    safeUrl(url)
      ? `<li><a href="${esc(url)}" rel="noopener noreferrer">${esc(label)}</a></li>`
      : `<li>${esc(label)}: <code>${esc(url)}</code></li>`,
  );
  return (
    `<p>${esc(formatNumber(data.data.rows))} rows scored from ${data.data.files.length === 1 ? 'one file' : `${data.data.files.length} files`}:</p>\n` +
    `<ul>\n${files}\n</ul>` +
    (links.length > 0 ? `\n<ul>\n${links.join('\n')}\n</ul>` : '')
  );
}

// ---------------------------------------------------------------------------------------------
// Chart specs (class names are data values under fixed field names)

const CHART_CONFIG = {
  aria: false,
  view: { stroke: '#d0d7de' },
  legend: { orient: 'bottom', labelLimit: 320, titleLimit: 320 },
  axis: { labelLimit: 160 },
} as const;

/** Area under a ROC curve (trapezoids); exact for the full curve. */
function rocArea(points: readonly RocPoint[]): number | null {
  if (points.length < 2) return null;
  let area = 0;
  for (let i = 1; i < points.length; i++) area += ((points[i]!.fpr - points[i - 1]!.fpr) * (points[i]!.tpr + points[i - 1]!.tpr)) / 2;
  return Number.isFinite(area) ? area : null;
}

/** Average precision, as sklearn's average_precision_score: the sum of precision × recall step. */
function averagePrecision(points: readonly PrPoint[]): number | null {
  if (points.length < 2) return null;
  let area = 0;
  for (let i = 0; i < points.length - 1; i++) area -= (points[i + 1]!.recall - points[i]!.recall) * points[i]!.precision;
  return Number.isFinite(area) ? area : null;
}

function confusionMatrixSpec(classes: string[], matrix: number[][]): TopLevelSpec {
  const rows = matrix.flatMap((counts, t) => {
    const total = counts.reduce((s, c) => s + c, 0);
    return counts.map((count, p) => ({ actual: classes[t], predicted: classes[p], t, p, count, share: total === 0 ? 0 : count / total }));
  });
  const labelled = classes.length <= MAX_LABELLED_CLASSES;
  const step = labelled ? 40 : Math.max(8, Math.floor(600 / classes.length));
  const x = { field: 'predicted', type: 'nominal', sort: { field: 'p' }, title: 'Predicted', axis: { labelAngle: -45 } } as const;
  const y = { field: 'actual', type: 'nominal', sort: { field: 't' }, title: 'Actual' } as const;
  const cells = {
    mark: 'rect',
    encoding: {
      x,
      y,
      color: { field: 'share', type: 'quantitative', title: 'Share of actual class', scale: { scheme: 'blues', domain: [0, 1] } },
    },
  } as const;
  const labels = {
    mark: { type: 'text', fontSize: 10 },
    encoding: {
      x,
      y,
      text: { field: 'count', type: 'quantitative' },
      color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: 'black' },
    },
  } as const;
  return {
    config: CHART_CONFIG,
    width: { step },
    height: { step },
    data: { values: rows },
    layer: labelled ? [cells, labels] : [cells],
  };
}

type CurveKind = 'roc' | 'pr';

function curveSpec(kind: CurveKind, curves: EvaluationReportData['curves']): TopLevelSpec {
  const rows = curves.flatMap((curve, order) => {
    const area = kind === 'roc' ? rocArea(curve.roc) : averagePrecision(curve.pr);
    const series = area === null ? curve.class : `${curve.class} (${kind === 'roc' ? 'AUC' : 'AP'} ${area.toFixed(3)})`;
    const points =
      kind === 'roc'
        ? downsampleCurve(curve.roc, MAX_CURVE_POINTS).map((pt) => ({ x: pt.fpr, y: pt.tpr }))
        : downsampleCurve(curve.pr, MAX_CURVE_POINTS).map((pt) => ({ x: pt.recall, y: pt.precision }));
    return points.filter((pt) => Number.isFinite(pt.x) && Number.isFinite(pt.y)).map((pt, i) => ({ series, order, i, ...pt }));
  });
  const [xTitle, yTitle] = kind === 'roc' ? ['False positive rate', 'True positive rate'] : ['Recall', 'Precision'];
  const diagonal = [
    { x: 0, y: 0 },
    { x: 1, y: 1 },
  ];
  return {
    config: CHART_CONFIG,
    width: 320,
    height: 320,
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle, scale: { domain: [0, 1] } },
      y: { field: 'y', type: 'quantitative', title: yTitle, scale: { domain: [0, 1] } },
    },
    layer: [
      ...(kind === 'roc'
        ? [{ data: { values: diagonal }, mark: { type: 'line' as const, strokeDash: [4, 4], color: GREY, strokeWidth: 1 } }]
        : []),
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          color: {
            field: 'series',
            type: 'nominal',
            sort: { field: 'order' },
            title: null,
            scale: { scheme: curves.length > 10 ? 'tableau20' : 'tableau10' },
            legend: { direction: 'vertical', columns: 1 },
          },
          order: { field: 'i', type: 'quantitative' },
        },
      },
    ],
  };
}

function scatterSpec(points: EvaluationReportData['residuals']): TopLevelSpec {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of points) {
    lo = Math.min(lo, r.actual, r.predicted);
    hi = Math.max(hi, r.actual, r.predicted);
  }
  if (lo === hi) hi = lo + 1;
  const scale = { domain: [lo, hi], zero: false, nice: false };
  return {
    config: CHART_CONFIG,
    width: 360,
    height: 360,
    layer: [
      {
        data: { values: [{ v: lo }, { v: hi }] },
        mark: { type: 'line', strokeDash: [4, 4], color: GREY, strokeWidth: 1 },
        encoding: {
          x: { field: 'v', type: 'quantitative', title: 'Actual', scale },
          y: { field: 'v', type: 'quantitative', title: 'Predicted', scale },
        },
      },
      {
        data: { values: points },
        mark: { type: 'circle', size: 14, opacity: 0.5, color: '#0969da' },
        encoding: {
          x: { field: 'actual', type: 'quantitative', title: 'Actual', scale },
          y: { field: 'predicted', type: 'quantitative', title: 'Predicted', scale },
        },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering

async function figure(caption: string, spec: TopLevelSpec, note = ''): Promise<string> {
  const svg = await renderSvg(spec);
  return `<figure>\n<figcaption>${esc(caption)}</figcaption>\n${svg}${note ? `\n<p class="muted">${esc(note)}</p>` : ''}\n</figure>`;
}

async function charts(data: EvaluationReportData): Promise<string[]> {
  const out: string[] = [];
  if (data.task === 'classification') {
    const metrics = data.candidate.metrics as ClassificationMetrics;
    const classes = (metrics.per_class ?? []).map((c) => c.class);
    const matrix = metrics.confusion_matrix ?? [];
    if (classes.length > 0 && classes.length <= MAX_MATRIX_CLASSES && matrix.length === classes.length) {
      const note = classes.length <= MAX_LABELLED_CLASSES ? 'Cells show counts, coloured by the share of the actual class.' : '';
      out.push(
        await figure('Confusion matrix', confusionMatrixSpec(classes, matrix), note || 'Coloured by the share of the actual class.'),
      );
    } else if (classes.length > MAX_MATRIX_CLASSES) {
      out.push(`<p class="muted">The confusion matrix is not drawn for more than ${MAX_MATRIX_CLASSES} classes.</p>`);
    }
    const curves = data.curves.slice(0, MAX_CURVE_CLASSES);
    if (curves.length > 0) {
      const note = data.curves.length > curves.length ? `Curves for the first ${curves.length} of ${data.curves.length} classes.` : '';
      out.push(await figure('ROC curves', curveSpec('roc', curves), note));
      out.push(await figure('Precision-recall curves', curveSpec('pr', curves), note));
    }
  } else {
    const finite = data.residuals.filter((r) => Number.isFinite(r.actual) && Number.isFinite(r.predicted));
    const points = downsampleCurve(finite, MAX_SCATTER_POINTS);
    const note = points.length < finite.length ? `${points.length} of ${finite.length} points shown. ` : '';
    if (points.length > 0) {
      out.push(await figure('Predicted vs actual', scatterSpec(points), `${note}The dashed line is predicted = actual.`));
    }
  }
  return out;
}

/** Features in the importance chart and table (as the Markdown report). */
const TOP_FEATURES = 10;

/** Horizontal bars of the top features' mean drop (negative drops, noise, drawn as 0). */
function importanceSpec(features: ReadonlyArray<{ name: string; mean: number }>, metric: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 520,
    height: Math.max(60, features.length * 22),
    data: { values: features.map((f, i) => ({ rank: `${i + 1}. ${f.name}`, drop: Math.max(0, f.mean) })) },
    mark: { type: 'bar', color: '#0969da' },
    encoding: {
      y: { field: 'rank', type: 'nominal', sort: null, title: null, axis: { labelLimit: 240 } },
      x: { field: 'drop', type: 'quantitative', title: `Mean drop in ${metric} when shuffled` },
    },
  };
}

/**
 * What the candidate's model card adds, as in the Markdown report: "Model selection"
 * (algorithm: auto's leaderboard) and "Which features matter" (permutation importance:
 * a bar chart and a table of the top features). Names are the user's: escaped.
 */
async function cardSectionsHtml(card: ModelCard | null): Promise<string[]> {
  const out: string[] = [];
  const leaderboard = card?.leaderboard ?? [];
  if (leaderboard.length > 0) {
    const names = ['accuracy', 'log_loss', 'f1_macro', 'r2', 'rmse', 'mae'].filter((name) =>
      leaderboard.some((entry) => typeof entry.validation[name] === 'number'),
    );
    const chosen = leaderboard.find((entry) => entry.chosen);
    out.push(
      section(
        'Model selection',
        `<p><code>algorithm: auto</code> trained ${leaderboard.length} candidates on the same split and kept ${
          chosen ? `<code>${esc(chosen.algorithm)}</code>` : 'none'
        } (validation metrics).</p>\n${table(
          ['Algorithm', ...names, 'Training', 'Kept'],
          leaderboard.map((entry) => [
            cell(`<code>${esc(entry.algorithm)}</code>`),
            ...names.map((n) => cell(num(entry.validation[n]), true)),
            cell(esc(`${(entry.trainingMs / 1000).toFixed(1)} s`), true),
            cell(entry.chosen ? 'kept' : ''),
          ]),
        )}`,
      ),
    );
  }
  const importance = card?.importance;
  if (importance && importance.features.length > 0) {
    const top = importance.features.slice(0, TOP_FEATURES);
    const metric = importance.metric === 'r2' ? 'r2' : 'accuracy';
    const more = importance.features.length - top.length;
    const chart = await figure('Which features matter', importanceSpec(top, metric));
    out.push(
      section(
        'Which features matter',
        `<p>Permutation importance: how much the ${importance.on === 'training' ? 'training' : 'validation'} ${esc(metric)} drops when one column's values are shuffled (${esc(
          formatNumber(importance.rows),
        )} rows, ${esc(formatNumber(importance.repeats))} repeats; about 0: the model does not use it).</p>\n${chart}\n${table(
          ['#', 'Feature', `Mean drop in ${metric}`, 'Std'],
          top.map((f, i) => [
            cell(String(i + 1), true),
            cell(`<code>${esc(f.name)}</code>`),
            cell(num(f.mean), true),
            cell(num(f.std), true),
          ]),
        )}${more > 0 ? `\n<p class="muted">${more} more feature${more === 1 ? '' : 's'} in the model card.</p>` : ''}`,
      ),
    );
  }
  return out;
}

/** The evaluation report as one HTML document that loads nothing and runs no script; `card`: the candidate's model card, when it has one. */
export async function renderHtmlReport(data: EvaluationReportData, card: ModelCard | null = null): Promise<string> {
  const title = `Evaluation of ${data.modelName}: ${data.blessing.blessed ? 'blessed' : 'not blessed'}`;
  const figures = await charts(data);
  const sections = [section('Metrics', metricTable(data))];
  if (data.fidelity) sections.push(section('Conversion fidelity', fidelityTable(data.fidelity)));
  if (data.task === 'classification' && Array.isArray((data.candidate.metrics as ClassificationMetrics).per_class)) {
    sections.push(section('Per class', perClassTable(data.candidate.metrics as ClassificationMetrics)));
  }
  if (figures.length > 0) sections.push(section('Charts', `<div class="charts">\n${figures.join('\n')}\n</div>`));
  if (data.slices.length > 0) sections.push(section('Slices', sliceTable(data.slices)));
  sections.push(...(await cardSectionsHtml(card)));
  sections.push(section('Data', dataAndLinks(data)));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Evaluation of ${esc(data.modelName)}</h1>
${verdict(data)}
<p class="muted">${data.task === 'classification' ? 'Classification' : 'Regression'}${data.taskReason ? ` (task: ${esc(data.taskReason)})` : ''}, evaluated <time datetime="${esc(data.evaluatedAt)}">${esc(data.evaluatedAt)}</time>.</p>
</header>
<main>
${sections.join('\n')}
</main>
</body>
</html>
`;
}
