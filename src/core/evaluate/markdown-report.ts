/**
 * The evaluation report in Markdown, for the job summary and the pull request
 * comment: the blessing with every reason, candidate against baseline per metric,
 * per-class results, the confusion matrix, and charts as Mermaid `xychart-beta`
 * blocks, which GitHub renders without any image host. With bootstrap intervals,
 * a metric reads `0.9123 [0.8871, 0.9342]` and a change `+0.012 [−0.003, +0.027]
 * not significant` when its paired interval includes 0.
 */
import type { ModelCard } from '../contracts/index.js';
import { code, escapeText, formatNumber, table } from '../markdown.js';
import { fidelityFigures } from './fidelity.js';
import { unreliableIntervals, type BootstrapResult, type MetricInterval } from './bootstrap.js';
import type { ClassificationMetrics, RegressionMetrics } from './metrics.js';
import type { EvaluationReportData } from './report-model.js';

/** Text safe inside a quoted Mermaid label: letters, digits, space and a little punctuation. */
export function mermaidLabel(text: string, max = 24): string {
  const clean = text.replace(/[^\p{L}\p{N} _.+-]/gu, '_').slice(0, max);
  return `"${clean === '' ? '_' : clean}"`;
}

function isClassification(metrics: ClassificationMetrics | RegressionMetrics): metrics is ClassificationMetrics {
  return 'confusion_matrix' in metrics;
}

function delta(candidate: number | null, baseline: number | null): string {
  if (candidate === null || baseline === null) return '';
  const d = candidate - baseline;
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  return `${sign}${formatNumber(Math.abs(d))}`;
}

/** A signed number for a change: +0.012, −0.003, 0. */
function signed(value: number): string {
  return value > 0 ? `+${formatNumber(value)}` : value < 0 ? `−${formatNumber(-value)}` : '0';
}

/** ` [lower, upper]` (with † when less reliable), or nothing without an interval. */
function intervalText(interval: MetricInterval | undefined, show: (value: number) => string = formatNumber): string {
  if (!interval || interval.lower === null || interval.upper === null) return '';
  return ` [${show(interval.lower)}, ${show(interval.upper)}]${interval.unreliable ? '†' : ''}`;
}

/** What the intervals are, which changes have none and why, and which intervals are less reliable: lines under the metrics table. */
export function intervalNotes(bootstrap: BootstrapResult): string[] {
  const level = `${Number((bootstrap.confidence * 100).toPrecision(6))}%`;
  const paired = bootstrap.paired;
  const lines = [
    `Intervals: ${level} bootstrap percentile intervals, ${bootstrap.resamples.toLocaleString('en-US')} resamples of the ` +
      `${bootstrap.rows.toLocaleString('en-US')} test rows (seed ${bootstrap.seed}).` +
      (paired && paired.unavailable === null
        ? " A change's interval is paired: both models on the same resampled rows; *not significant*: it includes 0."
        : ''),
  ];
  if (paired?.unavailable) lines.push(`No intervals for the changes: ${escapeText(paired.unavailable, 300)}.`);
  const shaky = unreliableIntervals(bootstrap);
  if (shaky.length > 0) {
    const listed = shaky.map(([name, i]) => `${name} ${i.skipped.toLocaleString('en-US')}`).join(', ');
    lines.push(`† Less reliable: the metric was undefined on more than 10% of the resamples (left out: ${listed}).`);
  }
  return lines;
}

/** The report's sections, each whole, so a PR comment can fold or drop them one by one. */
export function evaluationSections(data: EvaluationReportData): {
  header: string;
  sections: Array<{ title: string; body: string; fold?: boolean }>;
} {
  const { blessing, candidate, baseline } = data;
  const verdict = blessing.blessed ? '✅ blessed' : '❌ not blessed';
  const header = [
    `## Evaluation: ${escapeText(data.modelName)}: ${verdict}`,
    '',
    `${data.task}, ${data.data.rows.toLocaleString('en-US')} test rows from ${data.data.files.map((f) => code(f, 80, false)).join(', ')}. ` +
      `Candidate: ${code(candidate.source, 120, false)}. ` +
      (baseline ? `Baseline: ${code(baseline.source, 120, false)}.` : 'No baseline (a first model): only value bounds apply.') +
      (data.taskReason ? ` Task: ${escapeText(data.taskReason, 200)}.` : ''),
    '',
    ...(blessing.reasons.length > 0 ? ['**Why not blessed:**', '', ...blessing.reasons.map((r) => `- ${escapeText(r, 400)}`), ''] : []),
  ].join('\n');
  const sections: Array<{ title: string; body: string; fold?: boolean }> = [];

  // Metrics: every scalar metric of the candidate, with baseline, change and gate.
  const checks = new Map(blessing.checks.map((c) => [c.metric, c]));
  const baselineMetrics = (baseline?.metrics ?? {}) as Record<string, unknown>;
  const rows: string[][] = [];
  const bootstrap = data.bootstrap ?? null;
  for (const [name, value] of Object.entries(candidate.metrics)) {
    if (typeof value !== 'number' && value !== null) continue;
    if (name === 'count') continue;
    const base = typeof baselineMetrics[name] === 'number' ? (baselineMetrics[name] as number) : null;
    const check = checks.get(name);
    if (value === null && base === null && !check) continue; // not a metric of this task (binary precision of 3 classes)
    const difference = bootstrap?.paired?.differences[name];
    const change = delta(value, base);
    rows.push([
      `\`${name}\``,
      `${formatNumber(value)}${value === null ? '' : intervalText(bootstrap?.metrics[name])}`,
      formatNumber(base),
      change && difference
        ? `${change}${intervalText(difference, signed)}${difference.lower !== null && !difference.significant ? ' not significant' : ''}`
        : change,
      check ? (check.passed ? '✅ pass' : '❌ fail') : '',
    ]);
  }
  for (const check of blessing.checks) {
    if (!(check.metric in candidate.metrics)) rows.push([code(check.metric, 40), '(missing)', formatNumber(check.baseline), '', '❌ fail']);
  }
  const metricsTable = table(['Metric', 'Candidate', 'Baseline', 'Change', 'Gate'], rows, ['left', 'right', 'right', 'right', 'left']);
  sections.push({
    title: 'Metrics',
    body: bootstrap ? [metricsTable, ...intervalNotes(bootstrap)].join('\n\n') : metricsTable,
    fold: false,
  });

  if (data.fidelity) {
    const figures = fidelityFigures(data.fidelity);
    // The figures are numbers and fixed words; the column name, from the user's file, goes in a code span.
    const cells: string[] = [...figures.cells];
    if (figures.at) cells[2] = `${cells[2]} (row ${figures.at.row}, ${code(figures.at.column, 40)})`;
    cells[4] = data.fidelity.passed ? '✅ pass' : '❌ fail';
    sections.push({
      title: 'Conversion fidelity',
      body: `The ONNX graph against the original framework's ${figures.measured} in ${code(data.fidelity.file, 120, false)}.\n\n${table(figures.headers, [cells], ['right', 'right', 'right', 'left', 'left'])}`,
      fold: false,
    });
  }

  const metrics = candidate.metrics;
  if (isClassification(metrics)) {
    const classes = metrics.per_class.map((c) => c.class);
    const baselinePerClass = Array.isArray(baselineMetrics.per_class)
      ? (baselineMetrics.per_class as Array<{ class: string; f1: number }>)
      : null;
    sections.push({
      title: 'Per class',
      body: table(
        ['Class', 'Precision', 'Recall', 'F1', 'Support'],
        metrics.per_class.map((c) => [
          code(c.class, 40),
          formatNumber(c.precision),
          formatNumber(c.recall),
          formatNumber(c.f1),
          formatNumber(c.support),
        ]),
        ['left', 'right', 'right', 'right', 'right'],
      ),
    });
    sections.push({
      title: 'Confusion matrix',
      body: table(
        ['true ↓ / predicted →', ...classes.map((c) => code(c, 24))],
        metrics.confusion_matrix.map((row, i) => [code(classes[i]!, 24), ...row.map((n) => (n === 0 ? '·' : String(n)))]),
        ['left', ...classes.map(() => 'right' as const)],
      ),
      fold: classes.length > 8,
    });
    // F1 per class, candidate bars and baseline line.
    const chart = [
      '```mermaid',
      'xychart-beta',
      '  title "F1 per class"',
      `  x-axis [${classes.map((c) => mermaidLabel(c)).join(', ')}]`,
      '  y-axis "F1" 0 --> 1',
      `  bar [${metrics.per_class.map((c) => c.f1.toFixed(4)).join(', ')}]`,
      ...(baselinePerClass && baselinePerClass.length === classes.length
        ? [`  line [${baselinePerClass.map((c) => Number(c.f1).toFixed(4)).join(', ')}]`]
        : []),
      '```',
      ...(baselinePerClass ? ['', 'Bars: candidate. Line: baseline.'] : []),
    ].join('\n');
    sections.push({ title: 'F1 per class (chart)', body: chart });
    const positive = data.curves.length === 1 ? data.curves[0] : null;
    if (positive && positive.roc.length > 1) {
      // The ROC curve as TPR at evenly spaced false positive rates.
      const grid = Array.from({ length: 21 }, (_, i) => i / 20);
      const tpr = grid.map((fpr) => {
        let best = 0;
        for (const p of positive.roc) if (p.fpr <= fpr + 1e-12) best = Math.max(best, p.tpr);
        return best.toFixed(4);
      });
      sections.push({
        title: 'ROC curve (chart)',
        body: [
          '```mermaid',
          'xychart-beta',
          `  title ${mermaidLabel(`ROC, positive class ${positive.class}`, 60)}`,
          `  x-axis "False positive rate" [${grid.map((g) => `"${g.toFixed(2)}"`).join(', ')}]`,
          '  y-axis "True positive rate" 0 --> 1',
          `  line [${tpr.join(', ')}]`,
          '```',
        ].join('\n'),
      });
    }
  } else if (data.residuals.length > 0) {
    // Residuals (predicted − actual) as a histogram.
    const residuals = data.residuals.map((r) => r.predicted - r.actual);
    const lo = Math.min(...residuals);
    const hi = Math.max(...residuals);
    const bins = 12;
    const width = hi > lo ? (hi - lo) / bins : 1;
    const counts = new Array<number>(bins).fill(0);
    for (const r of residuals) counts[Math.min(bins - 1, Math.floor((r - lo) / width))]!++;
    sections.push({
      title: 'Residuals (chart)',
      body: [
        '```mermaid',
        'xychart-beta',
        '  title "Residuals: predicted minus actual"',
        `  x-axis [${counts.map((_, i) => `"${formatNumber(lo + (i + 0.5) * width)}"`).join(', ')}]`,
        '  y-axis "Rows"',
        `  bar [${counts.join(', ')}]`,
        '```',
      ].join('\n'),
    });
  }
  if (data.slices.length > 0) {
    const names = [...new Set(data.slices.flatMap((s) => Object.keys(s.metrics)))].filter((n) => n !== 'count').slice(0, 4);
    sections.push({
      title: 'Slices',
      body: table(
        ['Column', 'Value', 'Rows', ...names.map((n) => `\`${n}\``)],
        data.slices.map((s) => [
          code(s.column, 30),
          code(s.value, 30),
          formatNumber(s.count),
          ...names.map((n) => formatNumber(s.metrics[n] ?? null)),
        ]),
      ),
      fold: true,
    });
  }
  return { header, sections };
}

/** The whole report as one Markdown document; `extra` sections (from the model card: cardSections) go after the evaluation's. */
export function renderEvaluationMarkdown(data: EvaluationReportData, extra: ReadonlyArray<{ title: string; body: string }> = []): string {
  const { header, sections: own } = evaluationSections(data);
  const sections = [...own, ...extra];
  const links = data.links.length > 0 ? `\n${data.links.map((l) => `[${escapeText(l.label, 80)}](${l.url})`).join(' · ')}\n` : '';
  return `${header}\n${sections.map((s) => `### ${s.title}\n\n${s.body}\n`).join('\n')}${links}`;
}

/**
 * How the model was trained, in a few words: your command, or the built-in model kind
 * (`algorithm`, named `model` by cards of earlier versions) and backend.
 */
function trainerText(trainer: ModelCard['trainer']): string {
  if (trainer.kind === 'command') return trainer.command;
  const algorithm = trainer.algorithm ?? trainer.model ?? 'builtin';
  return `${algorithm} on ${trainer.backend ?? '?'}`;
}

/** The training part of the pull request comment, from the model card: trainer, data, lineage, parameters and validation metrics. */
export function trainingSection(card: ModelCard): string {
  const duration = card.durationMs !== undefined ? `, ${(card.durationMs / 1000).toFixed(1)} s` : '';
  const epochs = card.epochs ? `, ${card.epochs.run} epochs (best ${card.epochs.best})` : '';
  const files = card.data.files.map((f) => `${code(f.path, 60, false)} (sha256 ${f.sha256.slice(0, 12)})`).join(', ');
  const commit = card.git?.commit ? `; commit ${code(card.git.commit.slice(0, 12), 12, false)}` : '';
  const lines = [
    `Trainer: ${code(trainerText(card.trainer), 120, false)}${duration}${epochs}.`,
    `Data: ${files}${commit}.`,
    '',
    table(
      ['Parameter', 'Value'],
      Object.entries(card.params).map(([k, v]) => [code(k, 60), code(typeof v === 'string' ? v : JSON.stringify(v), 60)]),
    ),
  ];
  const validation = card.metrics.validation;
  if (validation) {
    const rows = Object.entries(validation)
      .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
      .map(([k, v]) => [code(k, 60), formatNumber(v)]);
    if (rows.length > 0) lines.push('', '**Validation metrics**', '', table(['Metric', 'Value'], rows, ['left', 'right']));
  }
  return lines.join('\n');
}

/** Features in the importance chart and table. */
const TOP_FEATURES = 10;

/**
 * The gain share of each feature (the card's importance.gain, which tree kinds add beside
 * permutation importance), by name; null when the card has none or it is not of that shape.
 */
function gainShares(importance: object): Map<string, number> | null {
  const gain = (importance as { gain?: unknown }).gain;
  if (!gain || typeof gain !== 'object' || !Array.isArray((gain as { features?: unknown }).features)) return null;
  const shares = new Map<string, number>();
  for (const feature of (gain as { features: unknown[] }).features) {
    const { name, share } = (feature ?? {}) as { name?: unknown; share?: unknown };
    if (typeof name === 'string' && typeof share === 'number' && Number.isFinite(share)) shares.set(name, share);
  }
  return shares.size > 0 ? shares : null;
}

/**
 * What the candidate's model card adds to the report: "Model selection" (algorithm:
 * auto's leaderboard) and "Which features matter" (permutation importance, the top
 * features as a Mermaid bar chart and a table, with each one's gain share beside it when
 * the card has gain importance: gbdt), each when the card has it. Names come
 * from the user's data: in code spans in tables, through mermaidLabel in charts.
 */
export function cardSections(card: ModelCard): Array<{ title: string; body: string; fold?: boolean }> {
  const sections: Array<{ title: string; body: string; fold?: boolean }> = [];
  const leaderboard = card.leaderboard;
  if (leaderboard && leaderboard.length > 0) {
    const names = ['accuracy', 'log_loss', 'f1_macro', 'r2', 'rmse', 'mae'].filter((name) =>
      leaderboard.some((entry) => typeof entry.validation[name] === 'number'),
    );
    const chosen = leaderboard.find((entry) => entry.chosen);
    sections.push({
      title: 'Model selection',
      body: [
        `\`algorithm: auto\` trained ${leaderboard.length} candidates on the same split and kept ` +
          `${chosen ? code(chosen.algorithm, 40, false) : 'none'} (validation metrics).`,
        '',
        table(
          ['Algorithm', ...names.map((n) => `\`${n}\``), 'Training', 'Kept'],
          leaderboard.map((entry) => [
            code(entry.algorithm, 40),
            ...names.map((n) => formatNumber(entry.validation[n] ?? null)),
            `${(entry.trainingMs / 1000).toFixed(1)} s`,
            entry.chosen ? '✅' : '',
          ]),
          ['left', ...names.map(() => 'right' as const), 'right', 'left'],
        ),
      ].join('\n'),
    });
  }
  const importance = card.importance;
  if (importance && importance.features.length > 0) {
    const top = importance.features.slice(0, TOP_FEATURES);
    const metric = importance.metric === 'r2' ? 'r2' : 'accuracy';
    // Labels are numbered so that two names that clean to the same label stay two bars; negative drops (noise) show as 0.
    const chart = [
      '```mermaid',
      'xychart-beta',
      `  title ${mermaidLabel(`Drop in ${metric} when shuffled`, 60)}`,
      `  x-axis [${top.map((f, i) => mermaidLabel(`${i + 1} ${f.name}`)).join(', ')}]`,
      `  y-axis ${mermaidLabel(`${metric} drop`)}`,
      `  bar [${top.map((f) => Math.max(0, f.mean).toFixed(4)).join(', ')}]`,
      '```',
    ].join('\n');
    const gain = gainShares(importance);
    const rows = top.map((f, i) => [
      String(i + 1),
      code(f.name, 60),
      formatNumber(f.mean),
      formatNumber(f.std),
      ...(gain ? [gain.has(f.name) ? `${(gain.get(f.name)! * 100).toFixed(1)}%` : ''] : []),
    ]);
    const more = importance.features.length - top.length;
    sections.push({
      title: 'Which features matter',
      body: [
        `Permutation importance: how much the ${importance.on === 'training' ? 'training' : 'validation'} ${metric} drops when one column's values are shuffled ` +
          `(${formatNumber(importance.rows)} rows, ${formatNumber(importance.repeats)} repeats; about 0: the model does not use it).` +
          (gain ? " Gain share: the feature's share of the loss reduction of every split of the trees (training rows)." : ''),
        '',
        chart,
        '',
        table(['#', 'Feature', `Mean drop in ${metric}`, 'Std', ...(gain ? ['Gain share'] : [])], rows, [
          'right',
          'left',
          'right',
          'right',
          ...(gain ? (['right'] as const) : []),
        ]),
        ...(more > 0 ? ['', `${more} more feature${more === 1 ? '' : 's'} in the model card.`] : []),
      ].join('\n'),
    });
  }
  return sections;
}
