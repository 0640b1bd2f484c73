/** evaluate: score a candidate (and the baseline) on held-out data, gate it, report, comment on the pull request. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { asList, configPath, loadConfig } from '../core/config/config.js';
import type { LoadedConfig } from '../core/config/config.js';
import { expandPaths } from '../core/data/paths.js';
import { readTable, tableColumn } from '../core/data/table.js';
import type { Table } from '../core/data/table.js';
import type { DataFormat } from '../core/data/source.js';
import { UserError } from '../core/errors.js';
import { evaluateGates, parseGates } from '../core/evaluate/gates.js';
import type { Gate } from '../core/evaluate/gates.js';
import { renderHtmlReport } from '../core/evaluate/html-report.js';
import { evaluationSections, renderEvaluationMarkdown } from '../core/evaluate/markdown-report.js';
import { classificationMetrics, downsampleCurve, precisionRecallCurve, regressionMetrics, rocCurve } from '../core/evaluate/metrics.js';
import type { ClassificationMetrics, RegressionMetrics } from '../core/evaluate/metrics.js';
import type { EvaluationReportData } from '../core/evaluate/report-model.js';
import { runUrl } from '../core/lineage.js';
import { formatZodError } from '../core/zod-errors.js';
import { code, formatNumber, table } from '../core/markdown.js';
import { publishPrComment } from '../core/report/pr-comment.js';
import { initBackend } from '../core/train/backend.js';
import { loadModel } from '../core/train/model-io.js';
import { inferTask, labelOf } from '../core/train/preprocess.js';
import { fullMetrics, scalarMetrics, scoreRows } from '../core/train/score.js';
import type { Scored } from '../core/train/score.js';
import { gitHubFromEnvironment } from '../adapters/github/github-api.js';
import type { GitHubPort, RepoRef } from '../ports/github.js';
import type { StepIO } from '../ports/step-io.js';
import { downloadArtifactInput, uploadArtifact } from './artifacts.js';
import { choiceInput, listInput } from './spec.js';
import type { StepSpec } from './spec.js';
import { registryFor } from './register.js';
import { outputDirFor, shown } from './validate-data.js';

const EvaluateConfig = z
  .strictObject({
    gates: z.array(z.unknown()).optional(),
    slices: z.array(z.string()).optional(),
    baseline: z.strictObject({ model: z.string().optional(), metrics: z.string().optional(), alias: z.string().optional() }).optional(),
    fail_on_unblessed: z.boolean().optional(),
  })
  .default({});

export const evaluate: StepSpec = {
  name: 'evaluate',
  title: 'Evaluate',
  description:
    'Scores the candidate model (and the baseline) on held-out data, applies the gates (value and change bounds, as TFMA does), writes a blessing, Markdown and HTML reports, and keeps one comment on the pull request up to date.',
  inputs: {
    config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
    'model-dir': {
      description: "The candidate's model directory (train's model-dir output). Default: the train step's output beside mlops.yaml.",
    },
    predictions: {
      description:
        'Instead of a model: a CSV of predictions from any framework, with columns y_true and y_pred, and for classification optional score:<class> columns of probabilities.',
    },
    data: { description: 'Held-out test data files or globs, one per line. Default: data.test in mlops.yaml.', list: true },
    'baseline-model-dir': {
      description:
        'A baseline model directory (for example the model in production), scored on the same test data. Default: evaluate.baseline.model.',
    },
    'baseline-metrics': {
      description: 'Or a JSON file of baseline metrics (a previous evaluation.json or metrics.json). Default: evaluate.baseline.metrics.',
    },
    registry: {
      description:
        'The registry baseline-alias is read from: oci://host/namespace or a folder. Default: registry.url or registry.path in mlops.yaml, else .mlops/registry beside mlops.yaml.',
    },
    'baseline-alias': {
      description:
        'Or the model at this alias of the registry (for example production), pulled and scored on the same test data; while the alias does not exist yet, the candidate is a first model. Default: evaluate.baseline.alias.',
    },
    gates: { description: 'A YAML or JSON file with a list of gates. Default: evaluate.gates in mlops.yaml (no gates: always blessed).' },
    slices: { description: 'Columns to report metrics per value of, one per line. Default: evaluate.slices.', list: true },
    'fail-on-unblessed': {
      description: 'true to fail the step when the candidate is not blessed. Default: evaluate.fail_on_unblessed, else true.',
      choices: ['true', 'false'],
    },
    comment: {
      description:
        'Post or update the report comment on the pull request: auto (when the event is a pull request and a token is set), true or false. Default: auto.',
      choices: ['auto', 'true', 'false'],
    },
    'comment-key': { description: 'Tells apart the comments of several models on one pull request. Default: the model name.' },
    token: {
      description: "GitHub token for the comment (the job needs permissions: pull-requests: write). Default: the workflow's token.",
      actionDefault: '${{ github.token }}',
    },
    'validation-report': {
      description: "validate-data's report.md, included in the comment. Default: validate-data's report beside mlops.yaml, when present.",
    },
    'output-dir': {
      description:
        'Where report.md, report.html, evaluation.json, blessing.json (and comment.json on pull requests) go. Default: .mlops/evaluate beside mlops.yaml.',
    },
    'model-artifact': {
      description:
        "On GitHub: download the candidate model from this artifact of the run (train's artifact-name, uploaded by an earlier job) into model-dir first. Default: none (the model is already on disk).",
    },
    'validation-artifact': {
      description:
        "On GitHub: download validate-data's reports from this artifact of the run (its artifact-name) first, so the comment includes them. Default: none.",
    },
    'artifact-name': { description: 'Name of the reports artifact uploaded on GitHub. Default: evaluation-<model name>.' },
    'comment-from': {
      description:
        'Fork-safe reporting, in a workflow_run workflow: instead of evaluating, post the comment a pull request run saved (the comment.json of its reports artifact, or the folder holding it) on that pull request, after checking the pull request’s head commit is the triggering run’s. Default: none.',
    },
  },
  outputs: {
    blessed: { description: '"true" when every gate passed.' },
    metrics: { description: "The candidate's metrics as a JSON object." },
    'baseline-metrics': { description: "The baseline's metrics as a JSON object, or null." },
    blessing: { description: 'Path of blessing.json (read by register and deploy).' },
    report: { description: 'Path of the Markdown report.' },
    'html-report': { description: 'Path of the self-contained HTML report.' },
    'comment-url': { description: 'URL of the pull request comment, when one was posted.' },
  },
  async run(io: StepIO): Promise<void> {
    await runEvaluate(io);
  },
};

interface Evaluated {
  metrics: ClassificationMetrics | RegressionMetrics;
  scored: Scored;
}

async function readStructured(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UserError(
      `cannot read ${what} ${path}`,
      'Check the path (relative to the working directory for inputs, to mlops.yaml for its keys).',
    );
  }
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new UserError(`${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
}

/** Metrics from a file: a flat object, or the `metrics` (or `candidate.metrics`) of our own outputs. */
async function readBaselineMetrics(path: string): Promise<Record<string, unknown>> {
  const value = await readStructured(path, 'baseline metrics');
  const object = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!object(value)) throw new UserError(`${path}: expected a JSON object of metrics`);
  if (object(value.candidate) && object((value.candidate as Record<string, unknown>).metrics))
    return (value.candidate as { metrics: Record<string, unknown> }).metrics;
  if (object(value.metrics)) return value.metrics;
  return value;
}

async function scoreModel(dir: string, table: Table, warn?: (message: string) => void): Promise<Evaluated> {
  const loaded = await loadModel(dir);
  const rows = Array.from({ length: table.rows }, (_, i) => i);
  const scored = await scoreRows(loaded.model, loaded.preprocess, table, rows, true);
  loaded.model.dispose();
  if (scored.task === 'classification' && scored.classes.length > (loaded.preprocess.target as { classes: string[] }).classes.length) {
    const unseen = scored.classes.slice((loaded.preprocess.target as { classes: string[] }).classes.length);
    const count = scored.yTrue.filter((y) => y >= (loaded.preprocess.target as { classes: string[] }).classes.length).length;
    warn?.(
      `${count} test rows have a class the model ${dir} never saw in training (${unseen.join(', ')}); they count as wrong predictions.`,
    );
  }
  if (scored.rows.length === 0)
    throw new UserError(
      `no test rows have a usable target "${loaded.preprocess.target.name}"`,
      'Check the test data and the target column.',
    );
  return { metrics: fullMetrics(scored), scored };
}

/** Predictions from any framework: y_true, y_pred and optional score:<class> columns. */
async function scorePredictions(path: string, format: DataFormat | 'auto'): Promise<Evaluated> {
  const table = await readTable([path], { format });
  const yTrue = tableColumn(table, 'y_true', 'predictions column');
  const yPred = tableColumn(table, 'y_pred', 'predictions column');
  const scoreColumns = table.columns.filter((c) => c.name.startsWith('score:'));
  const rows = Array.from({ length: table.rows }, (_, i) => i).filter((r) => labelOf(yTrue, r) !== null && labelOf(yPred, r) !== null);
  // Classification for text labels, score columns, or a few whole-number labels (0/1); else regression.
  const classification =
    yTrue.texts !== null || yPred.texts !== null || scoreColumns.length > 0 || inferTask(yTrue, rows) === 'classification';
  if (!classification) {
    const truth = rows.map((r) => yTrue.numbers[r]!);
    const predicted = rows.map((r) => yPred.numbers[r]!);
    return { metrics: regressionMetrics(truth, predicted), scored: { task: 'regression', rows, yTrue: truth, yPred: predicted } };
  }
  const labels = new Set<string>();
  for (const r of rows) {
    labels.add(labelOf(yTrue, r)!);
    labels.add(labelOf(yPred, r)!);
  }
  for (const c of scoreColumns) labels.add(c.name.slice('score:'.length));
  const classes = [...labels].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const truth = rows.map((r) => index.get(labelOf(yTrue, r)!)!);
  const predicted = rows.map((r) => index.get(labelOf(yPred, r)!)!);
  let scores: number[][] | undefined;
  if (scoreColumns.length > 0) {
    if (scoreColumns.length !== classes.length) {
      throw new UserError(
        `${path}: score columns for ${scoreColumns.length} classes, but the labels name ${classes.length}: ${classes.join(', ')}`,
        'Give one score:<class> column per class, or none.',
      );
    }
    const byClass = classes.map((c) => scoreColumns.find((s) => s.name === `score:${c}`)!);
    scores = rows.map((r) => byClass.map((c) => c.numbers[r]!));
  }
  return {
    metrics: classificationMetrics({ classes, yTrue: truth, yPred: predicted, scores }),
    scored: { task: 'classification', classes, rows, yTrue: truth, yPred: predicted, scores: scores ?? [] },
  };
}

function curvesOf(scored: Scored): EvaluationReportData['curves'] {
  if (scored.task !== 'classification' || scored.scores.length === 0) return [];
  const k = scored.classes.length;
  const targets = k === 2 ? [1] : scored.classes.map((_, i) => i);
  const curves: EvaluationReportData['curves'] = [];
  for (const c of targets) {
    const positives = scored.yTrue.map((y) => y === c);
    if (!positives.some(Boolean) || positives.every(Boolean)) continue; // undefined for this class
    const scores = scored.scores.map((s) => s[c]!);
    curves.push({
      class: scored.classes[c]!,
      roc: downsampleCurve(rocCurve(positives, scores), 200),
      pr: downsampleCurve(precisionRecallCurve(positives, scores), 200),
    });
  }
  return curves;
}

export async function runEvaluate(io: StepIO): Promise<{ blessed: boolean }> {
  if (io.getInput('comment-from')) {
    await publishSavedComment(io, resolve(io.getInput('comment-from')));
    return { blessed: false };
  }
  const loaded = await loadConfig(io.getInput('config') || undefined);
  const config = parseEvaluateConfig(loaded);
  const format = (loaded.config.data.format ?? 'auto') as DataFormat | 'auto';
  const outputDir = outputDirFor(io, loaded, 'evaluate');
  const modelName = loaded.config.model?.name ?? 'model';
  // A blessing from an earlier run must not outlive a failed one.
  await rm(join(outputDir, 'blessing.json'), { force: true });

  // The candidate.
  const predictionsInput = io.getInput('predictions');
  let candidate: Evaluated;
  let candidateSource: string;
  let table: Table | null = null;
  let dataFiles: string[] = [];
  let candidateCard: Record<string, unknown> | null = null;
  if (predictionsInput) {
    candidate = await scorePredictions(resolve(predictionsInput), 'auto');
    candidateSource = shown(resolve(predictionsInput));
    dataFiles = [candidateSource];
  } else {
    const dataInputs = listInput(io, 'data');
    const patterns =
      dataInputs.length > 0 ? dataInputs.map((p) => resolve(p)) : asList(loaded.config.data.test).map((p) => configPath(loaded, p));
    if (patterns.length === 0)
      throw new UserError(
        'no test data to evaluate on',
        'Set the `data` input (or --data), or data.test in mlops.yaml: held-out rows the model never trained on.',
      );
    dataFiles = (await expandPaths(patterns)).map(shown);
    const modelDir = io.getInput('model-dir') ? resolve(io.getInput('model-dir')) : join(outputDirFor(io, loaded, 'train', false), 'model');
    await downloadArtifactInput(io, 'model-artifact', modelDir, 'the model');
    if (!io.getInput('validation-report'))
      await downloadArtifactInput(io, 'validation-artifact', outputDirFor(io, loaded, 'validate-data', false), "validate-data's reports");
    if (!existsSync(modelDir))
      throw new UserError(`no model at ${shown(modelDir)}`, 'Run train first, or set the `model-dir` input to its model-dir output.');
    const backend = await initBackend(undefined, (line) => io.warning(line));
    io.info(`TensorFlow.js backend: ${backend}`);
    table = await readTable(dataFiles, { format, nullValues: loaded.config.data.null_values });
    candidate = await io.group(`Scoring ${shown(modelDir)} on ${table.rows} test rows`, () =>
      scoreModel(modelDir, table!, (m) => io.warning(m)),
    );
    candidateSource = shown(modelDir);
    candidateCard = await readCard(modelDir);
  }

  // The baseline, on the same test rows.
  let baseline: EvaluationReportData['baseline'] = null;
  const baselineDirInput = io.getInput('baseline-model-dir');
  const baselineDir = baselineDirInput
    ? resolve(baselineDirInput)
    : config.baseline?.model
      ? configPath(loaded, config.baseline.model)
      : null;
  const baselineMetricsInput = io.getInput('baseline-metrics');
  const baselineMetricsFile = baselineMetricsInput
    ? resolve(baselineMetricsInput)
    : config.baseline?.metrics
      ? configPath(loaded, config.baseline.metrics)
      : null;
  const baselineAlias = io.getInput('baseline-alias') || config.baseline?.alias || '';
  if (baselineAlias && !baselineDir) {
    if (!table) throw new UserError('a baseline from the registry needs test data to score it on', 'Give a model-dir and test data.');
    const registry = registryFor(io, loaded);
    let aliases: Record<string, number> = {};
    try {
      aliases = await registry.aliases(modelName);
    } catch {
      aliases = {}; // no versions of this model yet
    }
    if (aliases[baselineAlias] === undefined) {
      io.info(`No ${modelName} model at alias "${baselineAlias}" yet: evaluating as a first model (only value bounds apply).`);
    } else {
      const pulled = join(outputDir, `.baseline-${baselineAlias}`);
      await rm(pulled, { recursive: true, force: true });
      const version = await registry.pull(modelName, baselineAlias, pulled);
      const scored = await io.group(`Scoring the baseline: ${modelName} at ${baselineAlias} (v${version.version})`, () =>
        scoreModel(pulled, table!, (m) => io.warning(m)),
      );
      baseline = {
        source: `${baselineAlias} = ${modelName} v${version.version} (${version.uri})`,
        metrics: scored.metrics as unknown as Record<string, unknown>,
      };
      await rm(pulled, { recursive: true, force: true });
    }
  } else if (baselineDir) {
    if (!table)
      throw new UserError(
        'a baseline model needs test data to score it on',
        'Use baseline-metrics with predictions, or give a model-dir and test data.',
      );
    const scored = await io.group(`Scoring the baseline ${shown(baselineDir)}`, () =>
      scoreModel(baselineDir, table!, (m) => io.warning(m)),
    );
    baseline = { source: shown(baselineDir), metrics: scored.metrics as unknown as Record<string, unknown> };
  } else if (baselineMetricsFile) {
    baseline = { source: shown(baselineMetricsFile), metrics: await readBaselineMetrics(baselineMetricsFile) };
  }

  // Gates and the blessing.
  const gatesInput = io.getInput('gates');
  const gates: Gate[] = gatesInput
    ? parseGates(await readStructured(resolve(gatesInput), 'gates file'), gatesInput)
    : parseGates(config.gates, 'evaluate.gates in mlops.yaml');
  const numeric = (m: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v === 'number' || v === null)) as Record<string, number | null>;
  const candidateScalars = scalarMetrics(candidate.metrics);
  const blessing = evaluateGates(candidateScalars, baseline ? numeric(baseline.metrics) : null, gates);

  // Slices.
  const sliceColumns = listInput(io, 'slices').length > 0 ? listInput(io, 'slices') : (config.slices ?? []);
  const slices: EvaluationReportData['slices'] = [];
  if (table && sliceColumns.length > 0) {
    for (const name of sliceColumns) {
      const column = tableColumn(table, name, 'slice column');
      const groups = new Map<string, number[]>();
      candidate.scored.rows.forEach((row, i) => {
        const value = column.texts
          ? (column.texts[row] ?? '(missing)')
          : Number.isNaN(column.numbers[row]!)
            ? '(missing)'
            : String(column.numbers[row]);
        (groups.get(value) ?? groups.set(value, []).get(value)!).push(i);
      });
      for (const [value, indexes] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        const s = candidate.scored;
        const metrics =
          s.task === 'classification'
            ? classificationMetrics({
                classes: s.classes,
                yTrue: indexes.map((i) => s.yTrue[i]!),
                yPred: indexes.map((i) => s.yPred[i]!),
                scores: s.scores.length > 0 ? indexes.map((i) => s.scores[i]!) : undefined,
              })
            : regressionMetrics(
                indexes.map((i) => s.yTrue[i]!),
                indexes.map((i) => s.yPred[i]!),
              );
        slices.push({ column: name, value, count: indexes.length, metrics: scalarMetrics(metrics) });
      }
    }
  }

  const url = runUrl();
  const report: EvaluationReportData = {
    modelName,
    task: candidate.scored.task,
    data: { files: dataFiles, rows: candidate.scored.rows.length },
    candidate: { source: candidateSource, metrics: candidate.metrics },
    baseline,
    blessing,
    curves: curvesOf(candidate.scored),
    residuals:
      candidate.scored.task === 'regression'
        ? candidate.scored.yTrue.slice(0, 2000).map((actual, i) => ({ actual, predicted: candidate.scored.yPred[i]! }))
        : [],
    slices,
    links: url ? [{ label: 'Workflow run and artifacts', url }] : [],
    evaluatedAt: new Date().toISOString(),
  };

  await mkdir(outputDir, { recursive: true });
  const paths = {
    report: join(outputDir, 'report.md'),
    html: join(outputDir, 'report.html'),
    evaluation: join(outputDir, 'evaluation.json'),
    blessing: join(outputDir, 'blessing.json'),
  };
  const markdown = renderEvaluationMarkdown(report);
  await writeFileAtomic(paths.report, markdown);
  await writeFileAtomic(paths.html, await renderHtmlReport(report));
  await writeFileAtomic(paths.evaluation, `${JSON.stringify({ ...report, curves: undefined, residuals: undefined }, null, 2)}\n`);
  await writeFileAtomic(
    paths.blessing,
    `${JSON.stringify({ format: 'mlops-blessing/v1', blessed: blessing.blessed, reasons: blessing.reasons, checks: blessing.checks, model: { name: modelName, source: candidateSource }, metrics: candidateScalars, baseline: baseline ? { source: baseline.source } : null, evaluatedAt: report.evaluatedAt }, null, 2)}\n`,
  );
  await io.appendSummary(markdown);
  const content = await commentContent(io, loaded, report, candidateCard);
  const event = await readEvent();
  const pr = pullRequestOf(event);
  if (pr) {
    // For the fork-safe reporter (workflow_run): what to post, and where, travels with the reports artifact.
    await writeFileAtomic(
      join(outputDir, COMMENT_FILE),
      `${JSON.stringify({ format: COMMENT_FORMAT, pullRequest: pr.number, headSha: pr.headSha, ...content }, null, 2)}\n`,
    );
  }
  io.info(`${blessing.blessed ? 'Blessed' : 'Not blessed'}: ${blessing.blessed ? 'every gate passed' : blessing.reasons.join(' ')}`);
  io.info(`Reports: ${shown(paths.report)}, ${shown(paths.html)}`);

  // The reports (HTML included) as an artifact of the run, linked from the comment's run link.
  await uploadArtifact(io, io.getInput('artifact-name') || `evaluation-${modelName}`, outputDir, 'the reports');
  const commentUrl = await comment(io, content, event);
  io.setOutput('blessed', String(blessing.blessed));
  io.setOutput('metrics', JSON.stringify(candidateScalars));
  io.setOutput('baseline-metrics', JSON.stringify(baseline ? numeric(baseline.metrics) : null));
  io.setOutput('blessing', shown(paths.blessing));
  io.setOutput('report', shown(paths.report));
  io.setOutput('html-report', shown(paths.html));
  io.setOutput('comment-url', commentUrl ?? '');
  const failOnUnblessed =
    (choiceInput<'true' | 'false'>(io, evaluate, 'fail-on-unblessed') ?? String(config.fail_on_unblessed ?? true)) === 'true';
  if (!blessing.blessed && failOnUnblessed) io.fail(`The candidate is not blessed: ${blessing.reasons.join(' ')}`);
  return { blessed: blessing.blessed };
}

function parseEvaluateConfig(loaded: LoadedConfig): z.infer<typeof EvaluateConfig> {
  const result = EvaluateConfig.safeParse(loaded.config.evaluate ?? {});
  if (!result.success)
    throw new UserError(`mlops.yaml: invalid evaluate settings:\n${formatZodError(result.error)}`, 'See the README section "evaluate".');
  return result.data;
}

const COMMENT_FILE = 'comment.json';
const COMMENT_FORMAT = 'mlops-comment/v1';

interface CommentContent {
  key: string;
  header: string;
  sections: Array<{ title: string; body: string; fold?: boolean }>;
  footer: string;
}

/** The pull request of the event (number and head commit), or null when the event is not a pull request. */
function pullRequestOf(event: Record<string, unknown> | null): { number: number; headSha: string | null } | null {
  const pr = event?.pull_request as { number?: unknown; head?: { sha?: unknown } } | undefined;
  if (typeof pr?.number !== 'number') return null;
  const sha = pr.head?.sha;
  return { number: pr.number, headSha: typeof sha === 'string' ? sha : null };
}

/** The webhook payload of the run (GITHUB_EVENT_PATH), or null outside a workflow run. */
async function readEvent(): Promise<Record<string, unknown> | null> {
  const eventPath = process.env.GITHUB_EVENT_PATH;
  if (!eventPath || !existsSync(eventPath)) return null;
  return JSON.parse(await readFile(eventPath, 'utf8')) as Record<string, unknown>;
}

/** The sticky pull request comment: data validation, training and evaluation in one place. */
async function commentContent(
  io: StepIO,
  loaded: LoadedConfig,
  report: EvaluationReportData,
  candidateCard: Record<string, unknown> | null,
): Promise<CommentContent> {
  const { header, sections } = evaluationSections(report);
  const validationPath = io.getInput('validation-report')
    ? resolve(io.getInput('validation-report'))
    : join(outputDirFor(io, loaded, 'validate-data', false), 'report.md');
  const extra: Array<{ title: string; body: string; fold?: boolean }> = [];
  if (existsSync(validationPath))
    extra.push({ title: 'Data validation', body: (await readFile(validationPath, 'utf8')).replace(/^## /gm, '#### '), fold: true });
  if (candidateCard) extra.push({ title: 'Training', body: trainingSection(candidateCard), fold: true });
  const footer = report.links.map((l) => `[${l.label}](${l.url})`).join(' · ');
  return { key: io.getInput('comment-key') || report.modelName, header, sections: [...sections, ...extra], footer };
}

async function comment(io: StepIO, content: CommentContent, event: Record<string, unknown> | null): Promise<string | null> {
  const mode = choiceInput<'auto' | 'true' | 'false'>(io, evaluate, 'comment') ?? 'auto';
  if (mode === 'false') return null;
  const github = gitHubFromEnvironment(process.env, io.getInput('token') || undefined);
  if (!event || !github) {
    if (mode === 'true')
      io.warning(
        `No pull request comment: ${!event ? 'no GitHub event (GITHUB_EVENT_PATH)' : 'no token (set the `token` input or GITHUB_TOKEN)'}.`,
      );
    return null;
  }
  const result = await publishPrComment(
    github.github,
    github.repo,
    event,
    content.key,
    { header: content.header, sections: content.sections, footer: content.footer },
    io,
    { eventName: process.env.GITHUB_EVENT_NAME },
  );
  return result.posted ? result.comment.url : null;
}

const SavedComment = z.object({
  format: z.literal(COMMENT_FORMAT),
  pullRequest: z.number().int().positive(),
  headSha: z.string().regex(/^[0-9a-f]{40}$/),
  key: z.string().min(1).max(200),
  header: z.string().max(65_536),
  sections: z.array(z.object({ title: z.string().max(500), body: z.string(), fold: z.boolean().optional() })).max(50),
  footer: z.string().max(2000),
});

/**
 * The reporter half of the fork-safe pattern: runs in the base repository on
 * workflow_run, with a token that may comment. The saved comment came from a pull
 * request's run and is untrusted: its pull request must exist and have the triggering
 * run's head commit, so one pull request's run cannot write on another's comment.
 */
async function publishSavedComment(io: StepIO, from: string): Promise<void> {
  // A comment.json, a folder holding one, or a folder of downloaded artifacts each holding one (several models).
  let paths: string[] = [];
  if (from.endsWith('.json')) paths = existsSync(from) ? [from] : [];
  else if (existsSync(join(from, COMMENT_FILE))) paths = [join(from, COMMENT_FILE)];
  else if (existsSync(from))
    paths = (await readdir(from, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && existsSync(join(from, e.name, COMMENT_FILE)))
      .map((e) => join(from, e.name, COMMENT_FILE))
      .sort();
  if (paths.length === 0) {
    io.info(`No saved comment in ${shown(from)}: the run was not for a pull request, or its evaluation did not finish. Nothing to post.`);
    io.setOutput('comment-url', '');
    return;
  }
  const event = await readEvent();
  const run = event?.workflow_run as { head_sha?: unknown } | undefined;
  if (!run || typeof run.head_sha !== 'string')
    throw new UserError(
      'comment-from runs in a workflow triggered by workflow_run (the event has no workflow_run)',
      'See workflows in the README: mlops-report.yml.',
    );
  const github = gitHubFromEnvironment(process.env, io.getInput('token') || undefined);
  if (!github)
    throw new UserError('no token to comment with', 'Set the `token` input or GITHUB_TOKEN (permissions: pull-requests: write).');
  const urls: string[] = [];
  for (const path of paths) {
    const url = await publishOneSavedComment(io, path, run.head_sha, github);
    if (url) urls.push(url);
  }
  io.setOutput('comment-url', urls.join('\n'));
}

async function publishOneSavedComment(
  io: StepIO,
  path: string,
  runHeadSha: string,
  github: { github: GitHubPort; repo: RepoRef },
): Promise<string | null> {
  let saved: z.infer<typeof SavedComment>;
  try {
    const parsed = SavedComment.safeParse(JSON.parse(await readFile(path, 'utf8')));
    if (!parsed.success) throw new Error(formatZodError(parsed.error));
    saved = parsed.data;
  } catch (error) {
    throw new UserError(`${shown(path)} is not a saved comment of evaluate: ${(error as Error).message}`);
  }
  if (saved.headSha !== runHeadSha)
    throw new UserError(`the saved comment is for commit ${saved.headSha}, but the triggering run built ${runHeadSha}: not posted`);
  const pr = await github.github.getPullRequest(github.repo, saved.pullRequest);
  if (pr.headSha !== runHeadSha) {
    // Expected when a newer push came in meanwhile: its own run posts its own comment.
    io.warning(
      `Pull request #${saved.pullRequest} is at commit ${pr.headSha}, not the triggering run's ${runHeadSha}: the comment was not posted (the newer commit's run will post its own).`,
    );
    return null;
  }
  const result = await publishPrComment(
    github.github,
    github.repo,
    { pull_request: { number: saved.pullRequest } },
    saved.key,
    { header: saved.header, sections: saved.sections, footer: saved.footer },
    io,
    { eventName: 'workflow_run' },
  );
  return result.posted ? result.comment.url : null;
}

async function readCard(modelDir: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await readFile(join(modelDir, 'model-card.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The training part of the PR comment, from the model card: trainer, parameters, data, lineage and metrics. */
function trainingSection(card: Record<string, unknown>): string {
  const get = <T>(path: string): T | undefined =>
    path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), card) as
      T | undefined;
  const params = (get<Record<string, unknown>>('params') ?? {}) as Record<string, unknown>;
  const trainer = get<Record<string, unknown>>('trainer') ?? {};
  const lines = [
    `Trainer: ${code(String(trainer.kind === 'command' ? trainer.command : `${String(trainer.model ?? 'builtin')} on ${String(trainer.backend ?? '?')}`), 120, false)}` +
      (get<number>('durationMs') !== undefined ? `, ${(get<number>('durationMs')! / 1000).toFixed(1)} s` : '') +
      (get<number>('epochs.run') !== undefined ? `, ${get<number>('epochs.run')} epochs (best ${get<number>('epochs.best')})` : '') +
      '.',
    `Data: ${(get<Array<{ path: string; sha256: string }>>('data.files') ?? []).map((f) => `${code(f.path, 60, false)} (sha256 ${f.sha256.slice(0, 12)})`).join(', ')}` +
      (get<string>('git.commit') ? `; commit ${code(String(get<string>('git.commit')).slice(0, 12), 12, false)}` : '') +
      '.',
    '',
    table(
      ['Parameter', 'Value'],
      Object.entries(params).map(([k, v]) => [`\`${k}\``, code(typeof v === 'string' ? v : JSON.stringify(v), 60)]),
    ),
  ];
  const validation = get<Record<string, unknown>>('metrics.validation');
  if (validation) {
    const rows = Object.entries(validation)
      .filter(([, v]) => typeof v === 'number')
      .map(([k, v]) => [`\`${k}\``, formatNumber(v as number)]);
    if (rows.length > 0) lines.push('', '**Validation metrics**', '', table(['Metric', 'Value'], rows, ['left', 'right']));
  }
  return lines.join('\n');
}
