import { evaluateGates, type Gate } from '../src/core/evaluate/gates.js';
import type { ModelCard } from '../src/core/contracts/index.js';
import { MAX_CURVE_POINTS, renderHtmlReport } from '../src/core/evaluate/html-report.js';
import {
  classificationMetrics,
  precisionRecallCurve,
  regressionMetrics,
  rocCurve,
  type ClassificationMetrics,
} from '../src/core/evaluate/metrics.js';
import type { EvaluationReportData } from '../src/core/evaluate/report-model.js';
import { escapeHtml, formatNumber } from '../src/core/markdown.js';

// ---------------------------------------------------------------------------------------------
// Fixtures

/** A deterministic generator of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Noisy predictions of `classes` on n rows: metrics and one-vs-rest curves (one curve, of classes[1], when binary). */
function classify(classes: string[], n: number, seed: number, withScores = true): Pick<EvaluationReportData, 'candidate' | 'curves'> {
  const rand = random(seed);
  const yTrue: number[] = [];
  const yPred: number[] = [];
  const scores: number[][] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.floor(rand() * classes.length);
    const raw = classes.map((_, c) => rand() + (c === t ? 0.6 : 0));
    const sum = raw.reduce((s, v) => s + v, 0);
    const row = raw.map((v) => v / sum);
    yTrue.push(t);
    yPred.push(row.indexOf(Math.max(...row)));
    scores.push(row);
  }
  const metrics = classificationMetrics({ classes, yTrue, yPred, scores: withScores ? scores : undefined });
  const curveOf = (c: number) => {
    const labels = yTrue.map((t) => (t === c ? 1 : 0));
    const s = scores.map((row) => row[c]!);
    return { class: classes[c]!, roc: rocCurve(labels, s), pr: precisionRecallCurve(labels, s) };
  };
  const curves = !withScores ? [] : classes.length === 2 ? [curveOf(1)] : classes.map((_, c) => curveOf(c));
  return { candidate: { source: 'models/candidate.json', metrics }, curves };
}

function scalars(metrics: object): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [key, value] of Object.entries(metrics)) if (typeof value === 'number' || value === null) out[key] = value;
  return out;
}

function report(
  parts: Pick<EvaluationReportData, 'candidate' | 'curves'> & Partial<EvaluationReportData>,
  gates: Gate[],
): EvaluationReportData {
  const baseline = parts.baseline ?? null;
  const blessing = evaluateGates(
    scalars(parts.candidate.metrics),
    baseline === null ? null : (scalars(baseline.metrics) as Record<string, number | null>),
    gates,
  );
  return {
    modelName: 'iris',
    task: 'classification',
    data: { files: ['data/test.csv'], rows: (parts.candidate.metrics as { count: number }).count },
    baseline,
    blessing,
    residuals: [],
    slices: [],
    links: [{ label: 'Workflow run', url: 'https://github.com/o/r/actions/runs/1' }],
    evaluatedAt: '2025-01-02T03:04:05.000Z',
    ...parts,
  };
}

const threeClass = (): EvaluationReportData => {
  const parts = classify(['setosa', 'versicolor', 'virginica'], 300, 1);
  const baselineMetrics = { ...scalars(parts.candidate.metrics), accuracy: 0.99, f1_macro: 0.5 };
  return report({ ...parts, baseline: { source: 'registry:iris@production', metrics: baselineMetrics } }, [
    { metric: 'accuracy', lower: 0.5, change: { absolute: -0.01 } },
    { metric: 'f1_macro', change: { absolute: -0.01 } },
    { metric: 'log_loss', upper: 5 },
  ]);
};

const binary = (): EvaluationReportData =>
  report({ ...classify(['no', 'yes'], 5000, 2), modelName: 'churn' }, [{ metric: 'roc_auc', lower: 0.5 }]);

const regression = (): EvaluationReportData => {
  const rand = random(3);
  const residuals = Array.from({ length: 300 }, () => {
    const actual = 100 * rand();
    return { actual, predicted: actual + 10 * (rand() - 0.5) };
  });
  const metrics = regressionMetrics(
    residuals.map((r) => r.actual),
    residuals.map((r) => r.predicted),
  );
  return report(
    {
      modelName: 'house-prices',
      task: 'regression',
      candidate: { source: 'models/house.json', metrics },
      curves: [],
      residuals,
    },
    [
      { metric: 'rmse', upper: 10, change: { relative: 0.05 } },
      { metric: 'r2', lower: 0.9 },
    ],
  );
};

const sliced = (): EvaluationReportData =>
  report(
    {
      ...classify(['a', 'b', 'c'], 120, 4, false),
      slices: [
        { column: 'island', value: 'Biscoe', count: 60, metrics: { accuracy: 0.75, f1_macro: 0.7125 } },
        { column: 'island', value: 'Dream', count: 40, metrics: { accuracy: 0.5, f1_macro: null } },
        { column: 'sex', value: '', count: 20, metrics: { accuracy: 0.9 } },
      ],
    },
    [],
  );

const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '{{x}}', '</svg>', `it's "quoted" \\ and \\" back`];

const hostile = (): EvaluationReportData =>
  report(
    {
      ...classify(HOSTILE, 400, 5),
      modelName: '<script>alert("model")</script>',
      data: { files: ['"><img src=x onerror=alert(2)>.csv', '</svg><script>x</script>.csv'], rows: 400 },
      slices: [{ column: '<b onmouseover=alert(3)>col</b>', value: '"><svg onload=alert(4)>', count: 400, metrics: { '<i>m</i>': 1 } }],
      links: [
        { label: '<script>alert(5)</script>', url: 'javascript:alert(6)' },
        { label: 'run " onclick="alert(7)', url: 'https://example.com/run?a=1&b="><script>alert(8)</script>' },
      ],
      evaluatedAt: '"><script>alert(9)</script>',
    },
    [{ metric: '<img src=x onerror=alert(10)>', lower: 1 }],
  );

// ---------------------------------------------------------------------------------------------
// Checks

const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link', 'wbr']);
const FORBIDDEN = new Set([
  'script',
  'link',
  'img',
  'image',
  'iframe',
  'object',
  'embed',
  'foreignobject',
  'use',
  'audio',
  'video',
  'base',
  'form',
]);
const TAG = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/y;
const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

interface Tag {
  name: string;
  attributes: Array<[string, string]>;
}

/**
 * Tokenizes the document: every "<" must open a well-formed tag (or the doctype), and elements
 * must nest properly. Returns the start tags with their attributes.
 */
function parse(html: string): Tag[] {
  const tags: Tag[] = [];
  const open: string[] = [];
  let at = html.indexOf('<');
  while (at !== -1) {
    if (html.startsWith('<!DOCTYPE html>', at)) {
      at = html.indexOf('<', at + 1);
      continue;
    }
    TAG.lastIndex = at;
    const match = TAG.exec(html);
    if (match === null) throw new Error(`not a tag at ${at}: ${html.slice(at, at + 80)}`);
    const [, closing, rawName, rawAttributes, selfClosing] = match;
    const name = rawName!.toLowerCase();
    if (closing) {
      const expected = open.pop();
      if (expected !== name) throw new Error(`</${name}> closes <${expected}> at ${at}`);
    } else {
      const attributes = [...rawAttributes!.matchAll(ATTRIBUTE)].map((a): [string, string] => [
        a[1]!.toLowerCase(),
        a[2] ?? a[3] ?? a[4] ?? '',
      ]);
      tags.push({ name, attributes });
      if (!selfClosing && !VOID.has(name)) open.push(name);
      if (name === 'style') {
        const end = html.indexOf('</style>', at);
        const css = html.slice(at, end);
        expect(css).not.toMatch(/url\(|@import/i);
        at = html.indexOf('<', end);
        continue;
      }
    }
    at = html.indexOf('<', at + match[0].length);
  }
  if (open.length > 0) throw new Error(`unclosed: ${open.join(', ')}`);
  return tags;
}

function count(html: string, pattern: RegExp): number {
  return html.match(pattern)?.length ?? 0;
}

/** A complete, inert document: no script, nothing loaded, no event handler, balanced markup; `svgs` charts. */
function checkDocument(html: string, svgs: number): Tag[] {
  expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
  expect(html.trimEnd().endsWith('</html>')).toBe(true);
  expect(count(html, /<html[\s>]/g)).toBe(1);
  expect(count(html, /<\/html>/g)).toBe(1);
  expect(html).toContain('<meta charset="utf-8">');
  expect(html).toContain(
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
  );
  expect(html).not.toMatch(/<script/i);
  expect(count(html, /<svg[\s>]/g)).toBe(svgs);
  expect(count(html, /<\/svg>/g)).toBe(svgs);

  const tags = parse(html);
  for (const tag of tags) {
    expect(FORBIDDEN.has(tag.name)).toBe(false);
    for (const [name, value] of tag.attributes) {
      expect(name.startsWith('on')).toBe(false);
      expect(['src', 'srcset', 'xlink:href', 'style', 'action', 'formaction']).not.toContain(name);
      if (name === 'href') {
        expect(tag.name).toBe('a');
        expect(value).toMatch(/^https?:\/\//);
      }
    }
  }
  return tags;
}

/** The text of `<td class="num">` cells. */
function numericCells(html: string): string[] {
  return [...html.matchAll(/<td class="num">(.*?)<\/td>/g)].map((m) => m[1]!);
}

// ---------------------------------------------------------------------------------------------
// Tests

describe('renderHtmlReport', () => {
  test('a 3-class classifier: tables, confusion matrix, ROC and PR curves, the verdict and every reason', async () => {
    const data = threeClass();
    expect(data.blessing.blessed).toBe(false);
    const html = await renderHtmlReport(data);
    checkDocument(html, 3);

    expect(html).toContain('<title>Evaluation of iris: not blessed</title>');
    expect(html).toContain('<span class="verdict not-blessed">Not blessed</span> Failed 1 of 3 gates:');
    expect(data.blessing.reasons.length).toBeGreaterThan(0);
    for (const reason of data.blessing.reasons) expect(html).toContain(`<li>${escapeHtml(reason)}</li>`);

    const cells = numericCells(html);
    const metrics = data.candidate.metrics as ClassificationMetrics;
    for (const [name, value] of Object.entries(scalars(metrics))) {
      if (value === null) continue; // precision, recall and f1 of a positive class: binary tasks only
      expect(html).toContain(`<code>${name}</code>`);
      expect(cells).toContain(formatNumber(value));
    }
    expect(cells).toContain('0.99'); // the baseline's accuracy...
    expect(html).toMatch(/<span class="worse">-0\.\d+ \(-\d+(\.\d+)? ?%\)<\/span>/); // ...which the candidate's is below
    for (const c of metrics.per_class) {
      expect(html).toContain(`<td>${c.class}</td>`);
      for (const value of [c.precision, c.recall, c.f1, c.support]) expect(cells).toContain(formatNumber(value));
    }
    expect(html).toContain('<span class="fail">fail</span>');
    expect(html).toContain('<span class="pass">pass</span>');
    expect(html).toContain('registry:iris@production');

    for (const caption of ['Confusion matrix', 'ROC curves', 'Precision-recall curves'])
      expect(html).toContain(`<figcaption>${caption}</figcaption>`);
    expect(count(html, /\(AUC 0\.\d{3}\)/g)).toBe(3);
    expect(count(html, /\(AP 0\.\d{3}\)/g)).toBe(3);
    expect(html).toContain('300 rows scored from one file');
    expect(html).toContain('<code>data/test.csv</code>');
    expect(html).toContain('<a href="https://github.com/o/r/actions/runs/1" rel="noopener noreferrer">Workflow run</a>');
    expect(html).toContain('<time datetime="2025-01-02T03:04:05.000Z">');
  });

  test('a binary classifier: one curve with the AUC of the positive class, downsampled', async () => {
    const data = binary();
    expect(data.curves[0]!.roc.length).toBeGreaterThan(1000);
    const html = await renderHtmlReport(data);
    checkDocument(html, 3);
    expect(html).toContain('<span class="verdict blessed">Blessed</span> Passed 1 gate.');
    expect(html).toContain('<title>Evaluation of churn: blessed</title>');
    const auc = (data.candidate.metrics as ClassificationMetrics).roc_auc!;
    expect(html).toContain(`yes (AUC ${auc.toFixed(3)})`);
    expect(html).toContain('yes (AP ');
    // Each drawn line has at most MAX_CURVE_POINTS points (one M or L command each).
    const commands = [...html.matchAll(/ d="([^"]*)"/g)].map((m) => count(m[1]!, /[ML]/g));
    expect(Math.max(...commands)).toBeGreaterThan(50);
    expect(Math.max(...commands)).toBeLessThanOrEqual(MAX_CURVE_POINTS);
    expect(html.length).toBeLessThan(200_000);
  });

  test('a regressor without a baseline: predicted-vs-actual scatter, notes on skipped change bounds', async () => {
    const data = regression();
    const html = await renderHtmlReport(data);
    checkDocument(html, 1);
    expect(html).toContain('<figcaption>Predicted vs actual</figcaption>');
    expect(html).toContain('Baseline: none (first model).');
    expect(html).toContain(escapeHtml('change bounds on rmse skipped: no baseline (this is the first model)'));
    expect(html).not.toContain('Per class');
    const cells = numericCells(html);
    for (const [name, value] of Object.entries(scalars(data.candidate.metrics))) {
      expect(html).toContain(`<code>${name}</code>`);
      expect(cells).toContain(formatNumber(value!));
    }
    expect(count(html, /<circle|<path/g)).toBeGreaterThanOrEqual(300);
  });

  test('a regressor without usable residuals draws no chart', async () => {
    const data = { ...regression(), residuals: [{ actual: NaN, predicted: 1 }] };
    checkDocument(await renderHtmlReport(data), 0);
    checkDocument(await renderHtmlReport({ ...data, residuals: [] }), 0);
  });

  test('slices: one row per slice value, missing metrics as a dash; no curves without scores', async () => {
    const data = sliced();
    const html = await renderHtmlReport(data);
    checkDocument(html, 1);
    expect(html).toContain('<h2>Slices</h2>');
    expect(html).toContain('<th>Column</th><th>Value</th><th>Rows</th><th>accuracy</th><th>f1_macro</th>');
    expect(html).toContain('<tr><td>island</td><td>Dream</td><td class="num">40</td><td class="num">0.5</td><td class="num">—</td></tr>');
    expect(html).toContain('<td>sex</td><td></td>');
    expect(html).toContain('0.7125');
    expect(html).toContain('No gates are set.');
    expect(html).not.toContain('ROC curves');
  });

  test('hostile names appear only escaped, in tables and in charts', async () => {
    const data = hostile();
    const html = await renderHtmlReport(data);
    checkDocument(html, 3);
    // `</svg>` as a class name is covered by the count of `</svg>` tags matching the charts.
    const raw = [
      ...HOSTILE.filter((name) => /[<>]/.test(name) && name !== '</svg>'),
      data.modelName,
      ...data.data.files,
      data.slices[0]!.column,
      data.slices[0]!.value,
      data.links[0]!.label,
      data.links[1]!.label,
      data.links[1]!.url,
      data.evaluatedAt,
      'onerror=alert(1)>',
    ];
    for (const text of raw) expect(html).not.toContain(text);
    for (const name of HOSTILE) expect(html).toContain(`<td>${escapeHtml(name)}</td>`);
    expect(html).toContain('{{x}}');
    expect(html).toContain(`<h1>Evaluation of ${escapeHtml(data.modelName)}</h1>`);
    for (const file of data.data.files) expect(html).toContain(`<code>${escapeHtml(file)}</code>`);
    expect(html).toContain(`<th>${escapeHtml('<i>m</i>')}</th>`);
    for (const reason of data.blessing.reasons) expect(html).toContain(`<li>${escapeHtml(reason)}</li>`);
    // A link that is not http(s) is shown as text; an http(s) one keeps its (escaped) address.
    expect(html).toContain(`${escapeHtml(data.links[0]!.label)}: <code>javascript:alert(6)</code>`);
    expect(html).toContain(`<a href="${escapeHtml(data.links[1]!.url)}" rel="noopener noreferrer">${escapeHtml(data.links[1]!.label)}</a>`);
    // Class names reach the SVG as escaped text (axis and legend labels), never as markup.
    expect(html).toMatch(/<text[^>]*>&lt;\/svg&gt;/);
    expect(html).toMatch(/<text[^>]*>\{\{x\}\}/);
  });

  test("the model card's leaderboard and feature importance: tables and a bar chart, names escaped", async () => {
    const data = threeClass();
    const features = [...HOSTILE, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'].map((name, i) => ({
      name,
      mean: 0.3 - i * 0.02,
      std: 0.01,
    }));
    const card = {
      leaderboard: [
        { algorithm: 'linear', validation: { accuracy: 0.9, log_loss: 0.3 }, trainingMs: 1200, chosen: false },
        { algorithm: 'gbdt', validation: { accuracy: 0.98, log_loss: 0.05 }, trainingMs: 4500, chosen: true },
      ],
      importance: { method: 'permutation', metric: 'accuracy', on: 'validation', rows: 55, repeats: 5, features },
    } as unknown as ModelCard;
    const html = await renderHtmlReport(data, card);
    checkDocument(html, count(await renderHtmlReport(data), /<svg[\s>]/g) + 1);
    expect(html).toContain('<h2>Model selection</h2>');
    expect(html).toContain('kept <code>gbdt</code> (validation metrics)');
    expect(html).toContain('<td class="num">4.5 s</td>');
    expect(html).toContain('<h2>Which features matter</h2>');
    for (const f of features.slice(0, 10)) expect(html).toContain(`<td><code>${escapeHtml(f.name)}</code></td>`);
    expect(html).not.toContain(`<td><code>${escapeHtml(features[10]!.name)}</code></td>`);
    expect(html).toContain(`${features.length - 10} more features in the model card.`);
    for (const name of HOSTILE.filter((n) => /[<>]/.test(n) && n !== '</svg>')) expect(html).not.toContain(name);
    // Without a card, neither section.
    expect(await renderHtmlReport(data)).not.toContain('Which features matter');
  });
});
