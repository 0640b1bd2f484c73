/**
 * The evaluate use case: score a candidate (a model on held-out data, or a predictions
 * file) and its baseline on the same rows, judge the gates and the conversion fidelity, and
 * write what evaluate hands on: the blessing (register, deploy), evaluation.json (a later
 * baseline), the Markdown and HTML reports, and, on a pull request, the comment for the
 * fork-safe reporter. Everything it needs comes in the request; it reads no environment.
 *
 * Which rows a baseline model is scored on (it always gets the candidate's rows and truth):
 * - a model candidate: the test data, the truth in the baseline's own target column;
 * - a predictions file: the file's own rows when it holds every feature column the baseline
 *   takes (signature.features); else the test data's rows, in order, when the test data has
 *   exactly as many rows as the file (and, where it holds the target, the same truth as
 *   y_true); else an error naming the missing columns and the two row counts. The truth is
 *   the file's y_true.
 * The candidate model's conversion fidelity (fidelity.ts) is checked when its directory
 * holds reference-predictions.csv; failing it fails the blessing, with its reasons.
 *
 * Every metric of the candidate gets a bootstrap confidence interval, and, when the baseline
 * was scored on the same rows (a model, not a metrics file), each change a paired interval
 * (bootstrap.ts); change bounds with `significant` judge those (gates.ts). They go into the
 * reports, evaluation.json (`bootstrap`) and the blessing's checks that judged one.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { parse as parseYaml } from 'yaml';
import { BLESSING_FORMAT, SAVED_COMMENT_FORMAT, contractPath, parseContract, readContract, writeContract } from '../contracts/index.js';
import type { Blessing as BlessingFile, Evaluation, ModelCard } from '../contracts/index.js';
import { expandPaths } from '../data/paths.js';
import type { DataFormat } from '../data/source.js';
import { readTable } from '../data/table.js';
import type { Table } from '../data/table.js';
import { UserError } from '../errors.js';
import type { TabularModel } from '../model/model.js';
import { modelFileDigest } from '../model/model-io.js';
import type { CommentSection } from '../report/pr-comment.js';
import { labelOf, scalarMetrics } from './score.js';
import type { Scored } from './score.js';
import type { Registry } from '../../ports/registry.js';
import { compareFidelity, referenceOf } from './fidelity.js';
import type { FidelityResult, FidelityTolerance } from './fidelity.js';
import { DEFAULT_BOOTSTRAP } from './bootstrap.js';
import type { BootstrapResult, BootstrapSettings } from './bootstrap.js';
import { bootstrapOnThreads } from './bootstrap-threads.js';
import { evaluateGates, parseGates } from './gates.js';
import type { Gate } from './gates.js';
import { HISTORY_LAST, historyMetric, readHistory } from '../history/history.js';
import { historySection } from '../history/markdown.js';
import type { ChangeIntervals } from './gates.js';
import { renderHtmlReport } from './html-report.js';
import { cardSections, evaluationSections, renderEvaluationMarkdown, trainingSection } from './markdown-report.js';
import { scorePredictions } from './predictions.js';
import type { CardTask, ScoredPredictions, TaskSetting } from './predictions.js';
import type { EvaluationReportData } from './report-model.js';
import { locateRow } from './rows.js';
import { curvesOf, loadModelDir, scoreModel, slicesOf } from './scoring.js';
import type { Evaluated } from './scoring.js';

/** The most (actual, predicted) pairs kept for the regression scatter plot. */
const MAX_RESIDUALS = 2000;

/**
 * What is evaluated: a model directory (scored on the test data), or a predictions file
 * (with the model directory whose card may tell its task, when there is one).
 */
export type CandidateSource = { kind: 'model'; dir: string } | { kind: 'predictions'; file: string; modelDir: string | null };

/** Held-out test data: files or globs (none when unset). */
export interface TestData {
  files: string[];
  format: DataFormat | 'auto';
  nullValues?: string[];
}

/** What the candidate is compared with: a model (scored on the same rows), a registry alias, a metrics file, or nothing. */
export type BaselineSource =
  { kind: 'model'; dir: string } | { kind: 'alias'; alias: string; registry: Registry } | { kind: 'metrics'; file: string } | null;

/** The gates: a YAML or JSON file of them, or the list from mlops.yaml. */
export type GatesSource = { kind: 'file'; file: string; shownAs: string } | { kind: 'config'; value: unknown };

export interface EvaluateLog {
  info(message: string): void;
  warning(message: string): void;
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export interface EvaluateRequest {
  modelName: string;
  candidate: CandidateSource;
  /** The test data: what a model is scored on, and what a predictions file's rows may be aligned with. */
  testData: TestData;
  /** The task of a predictions file (auto: from the model card, else from the file), and where it was set. */
  task: { setting: TaskSetting; setBy: string };
  /** The tolerance of the conversion fidelity check (reference-predictions.csv in the model directory). */
  fidelity: FidelityTolerance;
  baseline: BaselineSource;
  gates: GatesSource;
  /** Columns to report metrics per value of. */
  slices: readonly string[];
  /** Where the reports, the blessing and evaluation.json go (checked writable by the caller). */
  outputDir: string;
  /** validate-data's report.md, included in the comment when it exists. */
  validationReport: string;
  /** The sticky comment's key. */
  commentKey: string;
  /** The pull request of the run: its comment is saved for the fork-safe reporter. */
  pullRequest: { number: number; headSha: string | null } | null;
  /** Links at the foot of reports (the run). */
  links: Array<{ label: string; url: string }>;
  /**
   * Bootstrap confidence intervals (bootstrap.ts): resamples (0 turns them off), confidence level
   * and seed; default DEFAULT_BOOTSTRAP (1000 resamples, 95%, a fixed seed).
   */
  bootstrap?: BootstrapSettings;
  /**
   * The positive class of a two-class task, by label (evaluate.positive_class); null or absent for
   * the usual choice (positiveClassIndex in metrics.ts). Candidate and baseline are scored with it.
   */
  positiveClass?: string | null;
  /**
   * The model's history in the comment (with a registry baseline): how many of the last registered
   * versions (default 10; 0: none) and which metric (default: the first gate's, else accuracy or rmse).
   */
  history?: { versions: number; metric?: string };
  /** How paths are shown to people. */
  shown(path: string): string;
  log: EvaluateLog;
}

/** The pull request comment: a header, sections kept or left out whole, a footer. */
export interface EvaluationComment {
  key: string;
  header: string;
  sections: CommentSection[];
  footer: string;
}

export interface EvaluateResult {
  report: EvaluationReportData;
  blessing: BlessingFile;
  /** The report as Markdown (the job summary). */
  markdown: string;
  /** The candidate's scalar metrics (what gates read). */
  metrics: Record<string, number | null>;
  /** The baseline's numeric metrics, or null without a baseline. */
  baselineMetrics: Record<string, number | null> | null;
  comment: EvaluationComment;
  paths: { report: string; html: string; evaluation: string; blessing: string; comment: string | null };
}

/** The baseline as scored: its metrics, and its scored rows when it is a model (null for a metrics file). */
type ScoredBaseline = { source: string; metrics: Record<string, unknown>; scored: Scored | null };

/** What a baseline model is scored against: the candidate's test data, or the candidate's predictions file. */
type BaselineTarget =
  | { kind: 'test'; table: Table }
  | { kind: 'predictions'; predictions: ScoredPredictions; shown: string; test: () => Promise<{ table: Table; files: string[] } | null> };

/** Scores, gates and reports a candidate; see the module comment. */
export async function evaluateCandidate(request: EvaluateRequest): Promise<EvaluateResult> {
  const { log, shown, outputDir, modelName } = request;
  // A blessing from an earlier run must not outlive a failed one.
  await rm(contractPath('blessing', outputDir), { force: true });

  // The candidate.
  let candidate: Evaluated;
  let candidateSource: string;
  let sliceTable: Table;
  let dataFiles: string[];
  let card: ModelCard | null = null;
  let fidelity: FidelityResult | null = null;
  let taskReason: string | null = null;
  let modelDigest: string | null = null;
  let baselineTarget: BaselineTarget;
  if (request.candidate.kind === 'predictions') {
    const { file, modelDir } = request.candidate;
    candidateSource = shown(file);
    const beside = cardDir(file, modelDir);
    card = beside ? await readCard(beside, shown, log) : null;
    const predictions = await scorePredictions({
      positiveClass: request.positiveClass ?? null,
      file,
      shown: candidateSource,
      task: request.task.setting,
      taskSetBy: request.task.setBy,
      card: card && beside ? cardTask(card, shown(contractPath('modelCard', beside))) : null,
      log,
    });
    candidate = predictions;
    taskReason = predictions.taskReason;
    sliceTable = predictions.table;
    dataFiles = [candidateSource];
    baselineTarget = {
      kind: 'predictions',
      predictions,
      shown: candidateSource,
      test: async () => (request.testData.files.length > 0 ? readTestData(request.testData, shown) : null),
    };
  } else {
    const { dir } = request.candidate;
    if (request.testData.files.length === 0)
      throw new UserError(
        'no test data to evaluate on',
        'Set the `data` input (or --data), or data.test in mlops.yaml: held-out rows the model never trained on.',
      );
    candidateSource = shown(dir);
    if (!existsSync(dir))
      throw new UserError(`no model at ${candidateSource}`, 'Run train first, or set the `model-dir` input to its model-dir output.');
    const test = await readTestData(request.testData, shown);
    const testRows = test.table;
    dataFiles = test.files;
    sliceTable = testRows;
    // The bytes judged: the blessing names them, and register checks it registers the same.
    modelDigest = await modelFileDigest(dir);
    const loaded = await loadModelDir(dir, (line) => log.info(line));
    try {
      candidate = await log.group(`Scoring ${candidateSource} on ${testRows.rows} test rows`, () =>
        scoreModel(loaded.model, testRows, candidateSource, (m) => log.warning(m), { positiveClass: request.positiveClass ?? null }),
      );
      fidelity = await checkFidelity(dir, loaded.model, testRows, request);
    } finally {
      loaded.model.dispose();
    }
    card = await readCard(dir, shown, log);
    baselineTarget = { kind: 'test', table: testRows };
  }

  const scoredBaseline = await scoreBaseline(request, baselineTarget);
  const baseline = scoredBaseline ? { source: scoredBaseline.source, metrics: scoredBaseline.metrics } : null;
  const gates = await readGates(request.gates);
  const candidateScalars = scalarMetrics(candidate.metrics);
  const baselineMetrics = baseline ? numeric(baseline.metrics) : null;
  const settings = request.bootstrap ?? DEFAULT_BOOTSTRAP;
  const bootstrap = settings.resamples > 0 ? await runBootstrap(request, settings, candidate.scored, scoredBaseline) : null;
  const intervals: ChangeIntervals | null =
    bootstrap?.paired ??
    (settings.resamples > 0
      ? null
      : { confidence: settings.confidence, unavailable: 'the bootstrap is off (resamples 0)', differences: {} });
  const gated = evaluateGates(candidateScalars, baselineMetrics, gates, intervals);
  // Fidelity fails the blessing as a gate would, its reasons after the gates'.
  const judged = fidelity && !fidelity.passed ? { ...gated, blessed: false, reasons: [...gated.reasons, ...fidelity.reasons] } : gated;
  const slices =
    request.slices.length > 0
      ? slicesOf(sliceTable, candidate.scored, request.slices, {
          shown: request.candidate.kind === 'predictions' ? candidateSource : dataFiles.join(', '),
          predictions: request.candidate.kind === 'predictions',
        })
      : [];

  const scored = candidate.scored;
  const report: EvaluationReportData = {
    modelName,
    task: scored.task,
    taskReason,
    data: { files: dataFiles, rows: scored.rows.length },
    candidate: { source: candidateSource, metrics: candidate.metrics },
    baseline,
    blessing: judged,
    fidelity,
    curves: curvesOf(scored),
    residuals:
      scored.task === 'regression'
        ? scored.yTrue.slice(0, MAX_RESIDUALS).map((actual, i) => ({ actual, predicted: scored.yPred[i]! }))
        : [],
    slices,
    bootstrap,
    links: request.links,
    evaluatedAt: new Date().toISOString(),
  };
  const blessing: BlessingFile = {
    format: BLESSING_FORMAT,
    blessed: judged.blessed,
    reasons: judged.reasons,
    checks: judged.checks.map((check) => ({ ...check })),
    model: { name: modelName, source: candidateSource, digest: modelDigest },
    metrics: candidateScalars,
    // Registered with the version: the model's history (mlops history, the PR comment) draws them.
    ...(bootstrap ? { intervals: intervalsOf(bootstrap), confidence: bootstrap.confidence } : {}),
    baseline: baseline ? { source: baseline.source } : null,
    fidelity: fidelity ? { ...fidelity } : null,
    evaluatedAt: report.evaluatedAt,
  };

  const markdown = renderEvaluationMarkdown(report, card ? cardSections(card) : []);
  const paths = { report: join(outputDir, 'report.md'), html: join(outputDir, 'report.html') };
  await writeFileAtomic(paths.report, markdown);
  await writeFileAtomic(paths.html, await renderHtmlReport(report, card));
  const evaluation = await writeContract('evaluation', outputDir, evaluationOf(report));
  const blessingPath = await writeContract('blessing', outputDir, blessing);

  const comment = await commentOf(request, report, card, await historyOf(request, report, gates, bootstrap));
  const commentPath = await saveComment(request, comment);
  return {
    report,
    blessing,
    markdown,
    metrics: candidateScalars,
    baselineMetrics,
    comment,
    paths: { ...paths, evaluation, blessing: blessingPath, comment: commentPath },
  };
}

/** The test data, read (globs expanded), with its files as people see them. */
async function readTestData(data: TestData, shown: (path: string) => string): Promise<{ table: Table; files: string[] }> {
  const files = await expandPaths(data.files);
  return { table: await readTable(files, { format: data.format, nullValues: data.nullValues }), files: files.map(shown) };
}

/** Where the card of a predictions file is: beside the file, else in the model directory; null when neither has one. */
function cardDir(file: string, modelDir: string | null): string | null {
  if (existsSync(contractPath('modelCard', dirname(file)))) return dirname(file);
  if (modelDir && existsSync(contractPath('modelCard', modelDir))) return modelDir;
  return null;
}

/** What a card says of the task: its `task` (or its signature's), and the classes. */
function cardTask(card: ModelCard, source: string): CardTask | null {
  const target = card.signature?.target;
  const task = card.task ?? target?.task;
  if (!task) return null;
  const classes = target && 'classes' in target ? (target.classes as string[]) : (card.data.classes ?? null);
  return { task, classes: task === 'classification' ? classes : null, source };
}

/**
 * Conversion fidelity of the candidate model (see fidelity.ts): null when its directory holds
 * no reference predictions.
 */
async function checkFidelity(dir: string, model: TabularModel, test: Table, request: EvaluateRequest): Promise<FidelityResult | null> {
  const { REFERENCE_PREDICTIONS_FILE } = await import('../model/model-io.js');
  const file = join(dir, REFERENCE_PREDICTIONS_FILE);
  if (!existsSync(file)) return null;
  const shownFile = request.shown(file);
  const table = await readTable([file], { format: 'auto' });
  const reference = await referenceOf(table, model.signature, shownFile, test.rows, (row) => locateRow(file, row));
  const scoredOn = reference.alignedWith === 'reference file' ? table : test;
  const output = await request.log.group(`Checking the conversion: the graph on the ${reference.rows} rows of ${shownFile}`, () =>
    model.predict(
      scoredOn,
      Array.from({ length: reference.rows }, (_, i) => i),
    ),
  );
  const result = compareFidelity(reference, output, request.fidelity, shownFile);
  const figures = [
    result.labelAgreement !== null
      ? `labels agree on ${result.rows - result.differingLabels!} of ${result.rows} rows`
      : `${result.rows} rows`,
    result.maxDifference !== null ? `largest difference ${result.maxDifference.toExponential(2)}` : null,
  ].filter(Boolean);
  request.log.info(
    `Conversion fidelity (${shownFile}, ${reference.alignedWith} rows): ${figures.join(', ')}: ${result.passed ? 'pass' : 'fail'}.`,
  );
  return result;
}

/**
 * Bootstrap intervals of the candidate's metrics and, with a baseline model scored on the same
 * rows, paired intervals of the changes (see bootstrap.ts); logs what it did and how long it took.
 */
async function runBootstrap(
  request: EvaluateRequest,
  settings: BootstrapSettings,
  candidate: Scored,
  baseline: ScoredBaseline | null,
): Promise<BootstrapResult> {
  const pairWith =
    baseline === null
      ? null
      : (baseline.scored ?? `the baseline is a metrics file (${baseline.source}), without per-row predictions to resample`);
  const started = performance.now();
  const { result, threads, batches, helperBatches } = await bootstrapOnThreads(candidate, pairWith, settings);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const paired = result.paired && result.paired.unavailable === null ? ', paired with the baseline on the same rows' : '';
  const shared = threads > 1 ? ` on ${threads} threads (helpers drew ${helperBatches} of ${batches} batches of 4)` : '';
  request.log.info(
    `Bootstrap: ${result.resamples} resamples of ${result.rows} rows${paired} in ${seconds} s${shared} ` +
      `(${Number((result.confidence * 100).toPrecision(6))}% percentile intervals, seed ${result.seed}).`,
  );
  if (result.paired?.unavailable) request.log.info(`No paired intervals for the changes: ${result.paired.unavailable}.`);
  return result;
}

/** evaluation.json: the report without its curves and residuals (chart data). */
function evaluationOf(report: EvaluationReportData): Evaluation {
  const { curves: _curves, residuals: _residuals, ...rest } = report;
  return {
    ...rest,
    candidate: { source: rest.candidate.source, metrics: { ...rest.candidate.metrics } },
    fidelity: rest.fidelity ? { ...rest.fidelity } : null,
  };
}

/** The numbers (and nulls) of a metrics object: what gates compare. */
function numeric(metrics: Record<string, unknown>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === 'number' || v === null)) as Record<
    string,
    number | null
  >;
}

/** The baseline, scored on the candidate's rows (or read from a metrics file); null for a first model. */
async function scoreBaseline(request: EvaluateRequest, target: BaselineTarget): Promise<ScoredBaseline | null> {
  const { baseline: source, log, shown, modelName } = request;
  if (!source) return null;
  if (source.kind === 'metrics')
    return { source: shown(source.file), metrics: await readBaselineMetrics(source.file, shown), scored: null };
  if (source.kind === 'model') {
    const shownDir = shown(source.dir);
    if (!existsSync(source.dir))
      throw new UserError(
        `no baseline model at ${shownDir}`,
        'Check the `baseline-model-dir` input (relative to the working directory) or evaluate.baseline.model in mlops.yaml (relative to mlops.yaml).',
      );
    const { metrics, scored } = await scoreBaselineModel(request, source.dir, shownDir, `the baseline ${shownDir}`, target);
    return { source: shownDir, metrics, scored };
  }
  const { alias, registry } = source;
  let aliases: Record<string, number> = {};
  try {
    aliases = await registry.aliases(modelName);
  } catch {
    aliases = {}; // no versions of this model yet
  }
  // No model at the alias yet (nothing promoted so far): the latest registered version, when there is one, so
  // that only the very first model of a registry is judged without a baseline.
  let ref = alias;
  if (aliases[alias] === undefined) {
    const versions = await registry
      .list(modelName, (n, reason) => log.warning(`Version ${n} of ${modelName} left out: ${reason}`))
      .catch((error: unknown) => {
        if (error instanceof UserError) return [];
        throw error;
      });
    const latest = versions.at(-1);
    if (!latest) {
      log.info(
        `No ${modelName} model at alias "${alias}" and no version registered yet: evaluating as a first model (only value bounds apply).`,
      );
      return null;
    }
    log.info(`No ${modelName} model at alias "${alias}" yet: comparing with the latest registered version, v${latest.version}.`);
    ref = String(latest.version);
  }
  const pulled = join(request.outputDir, `.baseline-${alias}`);
  await rm(pulled, { recursive: true, force: true });
  try {
    const version = await registry.pull(modelName, ref, pulled);
    const at = ref === alias ? `${alias} (v${version.version})` : `v${version.version}, the latest version (no model at ${alias} yet)`;
    const what = `the baseline: ${modelName} at ${at}`;
    const { metrics, scored } = await scoreBaselineModel(request, pulled, shown(pulled), what, target);
    const source = ref === alias ? `${alias} = ${modelName} v${version.version} (${version.uri})` : `${modelName} ${at} (${version.uri})`;
    return { source, metrics, scored };
  } finally {
    await rm(pulled, { recursive: true, force: true });
  }
}

/** Loads a baseline model and scores it on the candidate's rows (see the module comment); its metrics and scored rows. */
async function scoreBaselineModel(
  request: EvaluateRequest,
  dir: string,
  shownDir: string,
  what: string,
  target: BaselineTarget,
): Promise<{ metrics: Record<string, unknown>; scored: Scored }> {
  const { log } = request;
  const loaded = await loadModelDir(dir, (line) => log.info(line));
  try {
    const model = loaded.model;
    if (target.kind === 'test') {
      const scored = await log.group(`Scoring ${what}`, () =>
        scoreModel(model, target.table, shownDir, (m) => log.warning(m), { positiveClass: request.positiveClass ?? null }),
      );
      return { metrics: { ...scored.metrics }, scored: scored.scored };
    }
    const { predictions } = target;
    const baselineTask = model.signature.target.task;
    if (baselineTask !== predictions.scored.task)
      throw new UserError(
        `the baseline ${shownDir} is a ${baselineTask} model, but ${target.shown} is scored as ${predictions.taskReason}`,
        'Compare with a baseline of the same task, or set `task` (evaluate.task in mlops.yaml, or the task input).',
      );
    const { table, on } = await baselineRowsFor(model, shownDir, target);
    const scored = await log.group(`Scoring ${what} on ${on}`, () =>
      scoreModel(model, table, shownDir, (m) => log.warning(m), {
        rows: predictions.scored.rows,
        truth: predictions.truth,
        positiveClass: request.positiveClass ?? null,
      }),
    );
    return { metrics: { ...scored.metrics }, scored: scored.scored };
  } finally {
    loaded.model.dispose();
  }
}

/**
 * The table a baseline model is scored on for a predictions file: the file itself when it
 * holds every feature column the model takes, else the test data when its rows line up
 * with the file's; else a UserError saying what is missing (see the module comment).
 */
async function baselineRowsFor(
  model: TabularModel,
  shownDir: string,
  target: Extract<BaselineTarget, { kind: 'predictions' }>,
): Promise<{ table: Table; on: string }> {
  const { predictions, shown } = target;
  const file = predictions.table;
  const columns = new Set(file.columns.map((c) => c.name));
  const missing = model.signature.features.map((f) => f.name).filter((name) => !columns.has(name));
  if (missing.length === 0) return { table: file, on: `the rows of ${shown}` };
  const test = await target.test();
  const lacks = `${shown} lacks ${missing.length} of the ${model.signature.features.length} feature columns the baseline ${shownDir} takes (${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''})`;
  const hint =
    'Write the feature columns of the test rows into the predictions file beside y_true and y_pred, ' +
    'or give the test data the predictions were made on, in the same order (the `data` input or data.test in mlops.yaml), ' +
    'or compare with metrics instead (baseline-metrics: an earlier evaluation.json).';
  if (!test) throw new UserError(`${lacks}, and there is no test data to score it on instead`, hint);
  if (test.table.rows !== file.rows)
    throw new UserError(
      `${lacks}, and the test data (${test.files.join(', ')}) has ${test.table.rows} rows where ${shown} has ${file.rows}, so their rows cannot be paired`,
      hint,
    );
  await checkSameTruth(test.table, test.files.join(', '), model, predictions, shown);
  return {
    table: test.table,
    on: `the ${test.table.rows} rows of the test data (${test.files.join(', ')}), paired in order with ${shown}`,
  };
}

/** When the test data holds the baseline's target column, it must agree with y_true on every scored row: else the rows are not in the same order. */
async function checkSameTruth(
  test: Table,
  testShown: string,
  model: TabularModel,
  predictions: ScoredPredictions,
  shown: string,
): Promise<void> {
  const targetName = model.signature.target.name;
  const column = test.columns.find((c) => c.name === targetName);
  if (!column) return;
  const truth = predictions.truth;
  const regression = model.signature.target.task === 'regression';
  const differs = (r: number): boolean => {
    if (regression) {
      const a = column.numbers[r]!;
      const b = truth.numbers[r]!;
      return Number.isFinite(a) && Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(b));
    }
    const label = labelOf(column, r);
    return label !== null && label !== labelOf(truth, r);
  };
  const bad = predictions.scored.rows.filter(differs);
  if (bad.length === 0) return;
  const first = bad[0]!;
  throw new UserError(
    `the test data (${testShown}) and ${shown} are not in the same order: at ${await locateRow(predictions.table.files[0]!, first)} of ${shown}, ` +
      `y_true is ${labelOf(truth, first)} but the test data's ${targetName} is ${labelOf(column, first)} (${bad.length} of ${predictions.scored.rows.length} rows differ)`,
    'Write the predictions in the order of the test data rows, or write the feature columns into the predictions file so the baseline is scored on its own rows.',
  );
}

async function readStructured(path: string, what: string, shown: (path: string) => string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UserError(
      `cannot read ${what} ${shown(path)}`,
      'Check the path (relative to the working directory for inputs, to mlops.yaml for its keys).',
    );
  }
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new UserError(`${shown(path)}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Metrics from a file: a flat object, the `metrics` of a metrics file, or the candidate's of an evaluation.json. */
async function readBaselineMetrics(path: string, shown: (path: string) => string): Promise<Record<string, unknown>> {
  const value = await readStructured(path, 'baseline metrics', shown);
  if (!isObject(value)) throw new UserError(`${shown(path)}: expected a JSON object of metrics`);
  if (isObject(value.candidate)) return parseContract('evaluation', value, shown(path)).candidate.metrics;
  if (isObject(value.metrics)) return value.metrics;
  return value;
}

async function readGates(source: GatesSource): Promise<ReturnType<typeof parseGates>> {
  if (source.kind === 'config') return parseGates(source.value, 'evaluate.gates in mlops.yaml');
  return parseGates(await readStructured(source.file, 'gates file', () => source.shownAs), source.shownAs);
}

/** The candidate's model card, for the comment's training section; a card that does not read is a warning, not a failure. */
async function readCard(dir: string, shown: (path: string) => string, log: EvaluateLog): Promise<ModelCard | null> {
  try {
    return await readContract('modelCard', dir, shown(contractPath('modelCard', dir)));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    log.warning(`The model card was not read (the comment has no training section): ${error.message}`);
    return null;
  }
}

/** The sticky pull request comment: evaluation, data validation and training in one place. */
/** Each metric's interval as the blessing records it: `{ lower, upper }` where both ends are known. */
function intervalsOf(bootstrap: BootstrapResult): Record<string, { lower: number; upper: number }> {
  const out: Record<string, { lower: number; upper: number }> = {};
  for (const [metric, interval] of Object.entries(bootstrap.metrics))
    if (interval.lower !== null && interval.upper !== null) out[metric] = { lower: interval.lower, upper: interval.upper };
  return out;
}

/**
 * The model's history for the pull request comment: the last registered versions of the model
 * in the registry of the baseline alias, charted with the candidate (core/history). Null without
 * a registry baseline, with `history.versions` 0, or when the registry cannot be read (a warning, never a failure).
 */
async function historyOf(
  request: EvaluateRequest,
  report: EvaluationReportData,
  gates: readonly Gate[],
  bootstrap: BootstrapResult | null,
): Promise<CommentSection | null> {
  const source = request.baseline;
  const versions = request.history?.versions ?? HISTORY_LAST;
  if (source?.kind !== 'alias' || versions === 0) return null;
  try {
    const records = await readHistory(source.registry, request.modelName, {
      onForeign: (n, reason) => request.log.warning(`History: version ${n} left out: ${reason}`),
    });
    if (records.length === 0) return null;
    const aliases = await source.registry.aliases(request.modelName);
    return historySection({
      records,
      candidate: { metrics: report.candidate.metrics, intervals: bootstrap ? intervalsOf(bootstrap) : undefined },
      metric: request.history?.metric ?? historyMetric(report.task, gates),
      productionVersion: aliases[source.alias] ?? null,
      last: versions,
    });
  } catch (error) {
    // The history decorates the comment: a registry that cannot list versions never fails an evaluation.
    request.log.warning(
      `The model's history could not be read from the registry: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }
}

async function commentOf(
  request: EvaluateRequest,
  report: EvaluationReportData,
  card: ModelCard | null,
  history: CommentSection | null,
): Promise<EvaluationComment> {
  const { header, sections } = evaluationSections(report);
  const extra: CommentSection[] = history ? [history] : [];
  if (existsSync(request.validationReport))
    extra.push({
      title: 'Data validation',
      body: (await readFile(request.validationReport, 'utf8')).replace(/^## /gm, '#### '),
      fold: true,
    });
  if (card)
    extra.push(...cardSections(card).map((section) => ({ ...section, fold: true })), {
      title: 'Training',
      body: trainingSection(card),
      fold: true,
    });
  const footer = report.links.map((l) => `[${l.label}](${l.url})`).join(' · ');
  return { key: request.commentKey, header, sections: [...sections, ...extra], footer };
}

/**
 * On a pull request: what to post, and where, saved beside the reports, so the fork-safe
 * reporter (a workflow_run workflow, which may comment) can post it. A comment that cannot
 * be saved is a warning: the evaluation itself stands.
 */
async function saveComment(request: EvaluateRequest, comment: EvaluationComment): Promise<string | null> {
  const pr = request.pullRequest;
  if (!pr) return null;
  if (!pr.headSha) {
    request.log.warning(`Pull request #${pr.number} has no head commit in the event: its comment was not saved for the reporter.`);
    return null;
  }
  try {
    return await writeContract('savedComment', request.outputDir, {
      format: SAVED_COMMENT_FORMAT,
      pullRequest: pr.number,
      headSha: pr.headSha,
      ...comment,
    });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    request.log.warning(`The comment was not saved for the reporter: ${error.message}`);
    return null;
  }
}
