/**
 * The evaluate use case: score a candidate (a model on held-out data, or a predictions
 * file) and its baseline on the same rows, judge the gates, and write what evaluate
 * hands on: the blessing (register, deploy), evaluation.json (a later baseline), the
 * Markdown and HTML reports, and, on a pull request, the comment for the fork-safe
 * reporter. Everything it needs comes in the request; it reads no environment.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { parse as parseYaml } from 'yaml';
import { BLESSING_FORMAT, SAVED_COMMENT_FORMAT, contractPath, parseContract, readContract, writeContract } from '../contracts/index.js';
import type { Blessing as BlessingFile, Evaluation, ModelCard } from '../contracts/index.js';
import { expandPaths } from '../data/paths.js';
import type { DataFormat } from '../data/source.js';
import { readTable } from '../data/table.js';
import type { Table } from '../data/table.js';
import { UserError } from '../errors.js';
import type { CommentSection } from '../report/pr-comment.js';
import { scalarMetrics } from './score.js';
import type { Registry } from '../../ports/registry.js';
import { evaluateGates, parseGates } from './gates.js';
import { renderHtmlReport } from './html-report.js';
import { evaluationSections, renderEvaluationMarkdown, trainingSection } from './markdown-report.js';
import type { EvaluationReportData } from './report-model.js';
import { curvesOf, scoreModel, scorePredictions, slicesOf } from './scoring.js';
import type { Evaluated } from './scoring.js';

/** The most (actual, predicted) pairs kept for the regression scatter plot. */
const MAX_RESIDUALS = 2000;

/** What is evaluated: a model directory scored on test data, or a predictions file. */
export type CandidateSource =
  | { kind: 'model'; dir: string; data: string[]; format: DataFormat | 'auto'; nullValues?: string[] }
  | { kind: 'predictions'; file: string };

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

/** Scores, gates and reports a candidate; see the module comment. */
export async function evaluateCandidate(request: EvaluateRequest): Promise<EvaluateResult> {
  const { log, shown, outputDir, modelName } = request;
  // A blessing from an earlier run must not outlive a failed one.
  await rm(contractPath('blessing', outputDir), { force: true });

  // The candidate.
  let candidate: Evaluated;
  let candidateSource: string;
  let table: Table | null = null;
  let dataFiles: string[];
  let card: ModelCard | null = null;
  if (request.candidate.kind === 'predictions') {
    candidateSource = shown(request.candidate.file);
    candidate = await scorePredictions(request.candidate.file, candidateSource);
    dataFiles = [candidateSource];
  } else {
    const { dir, data, format, nullValues } = request.candidate;
    if (data.length === 0)
      throw new UserError(
        'no test data to evaluate on',
        'Set the `data` input (or --data), or data.test in mlops.yaml: held-out rows the model never trained on.',
      );
    const files = await expandPaths(data);
    dataFiles = files.map(shown);
    candidateSource = shown(dir);
    if (!existsSync(dir))
      throw new UserError(`no model at ${candidateSource}`, 'Run train first, or set the `model-dir` input to its model-dir output.');
    // TensorFlow.js loads only here, when a model is scored (a predictions file needs none).
    const { initBackend } = await import('../model/backend.js');
    const backend = await initBackend(undefined, (line) => log.warning(line));
    log.info(`TensorFlow.js backend: ${backend}`);
    const testRows = await readTable(files, { format, nullValues });
    table = testRows;
    candidate = await log.group(`Scoring ${candidateSource} on ${testRows.rows} test rows`, () =>
      scoreModel(dir, testRows, candidateSource, (m) => log.warning(m)),
    );
    card = await readCard(dir, shown, log);
  }

  const baseline = await scoreBaseline(request, table);
  const gates = await readGates(request.gates);
  const candidateScalars = scalarMetrics(candidate.metrics);
  const baselineMetrics = baseline ? numeric(baseline.metrics) : null;
  const gated = evaluateGates(candidateScalars, baselineMetrics, gates);
  const slices = table && request.slices.length > 0 ? slicesOf(table, candidate.scored, request.slices) : [];

  const scored = candidate.scored;
  const report: EvaluationReportData = {
    modelName,
    task: scored.task,
    data: { files: dataFiles, rows: scored.rows.length },
    candidate: { source: candidateSource, metrics: candidate.metrics },
    baseline,
    blessing: gated,
    curves: curvesOf(scored),
    residuals:
      scored.task === 'regression'
        ? scored.yTrue.slice(0, MAX_RESIDUALS).map((actual, i) => ({ actual, predicted: scored.yPred[i]! }))
        : [],
    slices,
    links: request.links,
    evaluatedAt: new Date().toISOString(),
  };
  const blessing: BlessingFile = {
    format: BLESSING_FORMAT,
    blessed: gated.blessed,
    reasons: gated.reasons,
    checks: gated.checks.map((check) => ({ ...check })),
    model: { name: modelName, source: candidateSource },
    metrics: candidateScalars,
    baseline: baseline ? { source: baseline.source } : null,
    evaluatedAt: report.evaluatedAt,
  };

  const markdown = renderEvaluationMarkdown(report);
  const paths = { report: join(outputDir, 'report.md'), html: join(outputDir, 'report.html') };
  await writeFileAtomic(paths.report, markdown);
  await writeFileAtomic(paths.html, await renderHtmlReport(report));
  const evaluation = await writeContract('evaluation', outputDir, evaluationOf(report));
  const blessingPath = await writeContract('blessing', outputDir, blessing);

  const comment = await commentOf(request, report, card);
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

/** evaluation.json: the report without its curves and residuals (chart data). */
function evaluationOf(report: EvaluationReportData): Evaluation {
  const { curves: _curves, residuals: _residuals, ...rest } = report;
  return { ...rest, candidate: { source: rest.candidate.source, metrics: { ...rest.candidate.metrics } } };
}

/** The numbers (and nulls) of a metrics object: what gates compare. */
function numeric(metrics: Record<string, unknown>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === 'number' || v === null)) as Record<
    string,
    number | null
  >;
}

/** The baseline, scored on the candidate's test rows (or read from a metrics file); null for a first model. */
async function scoreBaseline(request: EvaluateRequest, table: Table | null): Promise<EvaluationReportData['baseline']> {
  const { baseline: source, log, shown, modelName } = request;
  if (!source) return null;
  if (source.kind === 'metrics') return { source: shown(source.file), metrics: await readBaselineMetrics(source.file, shown) };
  if (source.kind === 'model') {
    if (!table)
      throw new UserError(
        'a baseline model needs test data to score it on',
        'Use baseline-metrics with predictions, or give a model-dir and test data.',
      );
    const shownDir = shown(source.dir);
    const scored = await log.group(`Scoring the baseline ${shownDir}`, () =>
      scoreModel(source.dir, table, shownDir, (m) => log.warning(m)),
    );
    return { source: shownDir, metrics: { ...scored.metrics } };
  }
  if (!table) throw new UserError('a baseline from the registry needs test data to score it on', 'Give a model-dir and test data.');
  const { alias, registry } = source;
  let aliases: Record<string, number> = {};
  try {
    aliases = await registry.aliases(modelName);
  } catch {
    aliases = {}; // no versions of this model yet
  }
  if (aliases[alias] === undefined) {
    log.info(`No ${modelName} model at alias "${alias}" yet: evaluating as a first model (only value bounds apply).`);
    return null;
  }
  const pulled = join(request.outputDir, `.baseline-${alias}`);
  await rm(pulled, { recursive: true, force: true });
  try {
    const version = await registry.pull(modelName, alias, pulled);
    const scored = await log.group(`Scoring the baseline: ${modelName} at ${alias} (v${version.version})`, () =>
      scoreModel(pulled, table, shown(pulled), (m) => log.warning(m)),
    );
    return { source: `${alias} = ${modelName} v${version.version} (${version.uri})`, metrics: { ...scored.metrics } };
  } finally {
    await rm(pulled, { recursive: true, force: true });
  }
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
async function commentOf(request: EvaluateRequest, report: EvaluationReportData, card: ModelCard | null): Promise<EvaluationComment> {
  const { header, sections } = evaluationSections(report);
  const extra: CommentSection[] = [];
  if (existsSync(request.validationReport))
    extra.push({
      title: 'Data validation',
      body: (await readFile(request.validationReport, 'utf8')).replace(/^## /gm, '#### '),
      fold: true,
    });
  if (card) extra.push({ title: 'Training', body: trainingSection(card), fold: true });
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
