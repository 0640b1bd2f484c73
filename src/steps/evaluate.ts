/**
 * evaluate: score a candidate (and the baseline) on held-out data, gate it, report, comment on
 * the pull request. The candidate is train's model directory (any framework's model as
 * ONNX, its conversion checked against reference-predictions.csv when the trainer left one),
 * or a predictions file (any framework, no ONNX needed). This entry only resolves inputs
 * and reports; the work is evaluateCandidate's (core/evaluate/evaluate.ts).
 */
import { aliasOf } from '../core/deploy/environments.js';
import { join } from 'node:path';
import { z } from 'zod';
import { evaluateCandidate } from '../core/evaluate/evaluate.js';
import type { BaselineSource, CandidateSource, EvaluationComment, GatesSource } from '../core/evaluate/evaluate.js';
import { publishPrComment, pullRequestHead } from '../core/report/pr-comment.js';
import { ensureWritableDir } from '../core/workspace.js';
import { downloadArtifactInput, uploadArtifact } from './artifacts.js';
import type { StepContext } from './context.js';
import { DEFAULT_FIDELITY_TOLERANCE } from '../core/evaluate/fidelity.js';
import { DEFAULT_BOOTSTRAP } from '../core/evaluate/bootstrap.js';
import { HISTORY_LAST } from '../core/history/history.js';
import type { TaskSetting } from '../core/evaluate/predictions.js';
import { booleanInput, choiceInput, listInput, numberInput, pathInput, pathsInput, resolveInput, stringInput } from './spec.js';
import type { StepSpec } from './spec.js';

/** evaluate's section of mlops.yaml. */
const EvaluateConfig = z
  .strictObject({
    gates: z.array(z.unknown()).optional(),
    slices: z.array(z.string()).optional(),
    /** A predictions file (relative to mlops.yaml) evaluated instead of the model directory. */
    predictions: z.string().optional(),
    task: z.enum(['auto', 'classification', 'regression']).optional(),
    fidelity: z
      .strictObject({
        max_difference: z.number().min(0).optional(),
        min_label_agreement: z.number().min(0).max(1).optional(),
      })
      .optional(),
    baseline: z.strictObject({ model: z.string().optional(), metrics: z.string().optional(), alias: z.string().optional() }).optional(),
    fail_on_unblessed: z.boolean().optional(),
    /** The positive class of a two-class task, by its label. */
    positive_class: z.union([z.string(), z.number(), z.boolean()]).optional(),
    /** Bootstrap confidence intervals: resamples (0: off), confidence level, seed. */
    bootstrap: z
      .strictObject({
        resamples: z.number().int().min(0).max(100_000).optional(),
        confidence: z.number().gt(0).lt(1).optional(),
        seed: z.number().int().optional(),
      })
      .optional(),
    /** The model's history in the pull request comment: the last N registered versions (0: none). */
    history: z.strictObject({ versions: z.number().int().min(0).max(50).optional(), metric: z.string().optional() }).optional(),
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
        'Instead of a model: a CSV of predictions from any framework (no ONNX needed), one row per test row, with columns y_true and y_pred, for classification optionally one score:<class> column of probabilities per class, and any other columns (slices, the features a baseline model takes). Default: evaluate.predictions in mlops.yaml.',
      config: 'evaluate.predictions',
    },
    task: {
      description:
        "The task of a predictions file: auto (the model card's beside it or in model-dir, else from the file: score columns or text labels mean classification, numbers with fractions regression), classification or regression. Default: evaluate.task, else auto.",
      choices: ['auto', 'classification', 'regression'],
      config: 'evaluate.task',
      default: 'auto',
    },
    'fidelity-max-difference': {
      description:
        "The conversion fidelity gate (when model-dir holds reference-predictions.csv, the original framework's predictions): the largest difference allowed between the ONNX graph's probabilities and the reference's (regression: values, relative above 1). Default: evaluate.fidelity.max_difference, else 0.0001.",
      type: 'number',
      min: 0,
      config: 'evaluate.fidelity.max_difference',
      default: String(DEFAULT_FIDELITY_TOLERANCE.maxDifference),
    },
    'fidelity-min-label-agreement': {
      description:
        "The conversion fidelity gate: the smallest share of rows (0 to 1) where the ONNX graph's label equals the reference's. Default: evaluate.fidelity.min_label_agreement, else 1 (every label).",
      type: 'number',
      min: 0,
      max: 1,
      config: 'evaluate.fidelity.min_label_agreement',
      default: String(DEFAULT_FIDELITY_TOLERANCE.minLabelAgreement),
    },
    data: {
      description:
        'Held-out test data files or globs, one per line: what the model is scored on (with a predictions file: what a baseline model is scored on when the file lacks its feature columns, paired row by row). Default: data.test in mlops.yaml.',
      list: true,
      config: 'data.test',
    },
    'baseline-model-dir': {
      description:
        'A baseline model directory (for example the model in production), scored on the same test data. Default: evaluate.baseline.model.',
      config: 'evaluate.baseline.model',
    },
    'baseline-metrics': {
      description: 'Or a JSON file of baseline metrics (a previous evaluation.json or metrics.json). Default: evaluate.baseline.metrics.',
      config: 'evaluate.baseline.metrics',
    },
    registry: {
      description:
        'The registry baseline-alias is read from: oci://host/namespace or a folder. Default: registry.url or registry.path in mlops.yaml, else .mlops/registry beside mlops.yaml.',
    },
    'baseline-alias': {
      description:
        'Or the model at this alias of the registry (for example production; an environment name such as Production means its alias, production), pulled and scored on the same test data; while the alias does not exist yet, the latest registered version (the candidate is a first model only when there is none). Default: evaluate.baseline.alias.',
      config: 'evaluate.baseline.alias',
    },
    'positive-class': {
      description:
        'The positive class of a two-class task (its label): precision, recall, f1, roc_auc and the curves are its. Default: evaluate.positive_class, else a class labelled 1, true, yes or positive, else the second label in sorted order.',
      config: 'evaluate.positive_class',
    },
    'bootstrap-resamples': {
      description:
        'Resamples of the test rows for the confidence interval of every metric and the paired interval of every change against the baseline (0 turns them off). Default: evaluate.bootstrap.resamples, else 1000.',
      type: 'integer',
      min: 0,
      max: 100000,
      config: 'evaluate.bootstrap.resamples',
      default: String(DEFAULT_BOOTSTRAP.resamples),
    },
    'confidence-level': {
      description: 'The confidence level of the intervals, between 0 and 1. Default: evaluate.bootstrap.confidence, else 0.95.',
      type: 'number',
      min: 0.5,
      max: 0.999,
      config: 'evaluate.bootstrap.confidence',
      default: String(DEFAULT_BOOTSTRAP.confidence),
    },
    'history-versions': {
      description:
        "How many of the model's last registered versions the pull request comment charts against the candidate (read from the registry of baseline-alias; 0: none). Default: evaluate.history.versions, else 10.",
      type: 'integer',
      min: 0,
      max: 50,
      config: 'evaluate.history.versions',
      default: String(HISTORY_LAST),
    },
    gates: { description: 'A YAML or JSON file with a list of gates. Default: evaluate.gates in mlops.yaml (no gates: always blessed).' },
    slices: {
      description: 'Columns to report metrics per value of, one per line. Default: evaluate.slices.',
      list: true,
      config: 'evaluate.slices',
    },
    'fail-on-unblessed': {
      description: 'true to fail the step when the candidate is not blessed. Default: evaluate.fail_on_unblessed, else true.',
      type: 'boolean',
      config: 'evaluate.fail_on_unblessed',
      default: 'true',
    },
    comment: {
      description:
        'Post or update the report comment on the pull request: auto (when the event is a pull request and a token is set), true or false. Default: auto.',
      choices: ['auto', 'true', 'false'],
      default: 'auto',
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
  config: { key: 'evaluate', schema: EvaluateConfig },
  run: runEvaluate,
};

async function runEvaluate(ctx: StepContext): Promise<void> {
  const { io, workspace } = ctx;
  const section = EvaluateConfig.parse(ctx.config.config.evaluate ?? {});
  const modelName = ctx.config.config.model?.name ?? 'model';
  const outputDirInput = stringInput(ctx, evaluate, 'output-dir');
  const outputDir = workspace.dir('evaluate', outputDirInput);
  await ensureWritableDir(outputDir, outputDirInput ? 'input output-dir' : "evaluate's folder");

  // The candidate, and what it is compared with and judged by.
  const predictions = pathInput(ctx, evaluate, 'predictions');
  const modelDirInput = stringInput(ctx, evaluate, 'model-dir');
  const modelDir = modelDirInput ? workspace.path(modelDirInput) : workspace.modelDir();
  const candidate: CandidateSource = predictions ? { kind: 'predictions', file: predictions, modelDir } : { kind: 'model', dir: modelDir };
  const task = resolveInput(ctx, evaluate, 'task');
  const taskSetBy = task?.source === 'mlops.yaml' ? 'evaluate.task in mlops.yaml' : 'the task input';
  const baselineDir = pathInput(ctx, evaluate, 'baseline-model-dir');
  const baselineAlias = stringInput(ctx, evaluate, 'baseline-alias');
  const baselineMetrics = pathInput(ctx, evaluate, 'baseline-metrics');
  const token = stringInput(ctx, evaluate, 'token');
  const baseline: BaselineSource = baselineDir
    ? { kind: 'model', dir: baselineDir }
    : baselineAlias
      ? { kind: 'alias', alias: aliasOf(baselineAlias), registry: ctx.registry(stringInput(ctx, evaluate, 'registry'), token) }
      : baselineMetrics
        ? { kind: 'metrics', file: baselineMetrics }
        : null;
  const gatesFile = stringInput(ctx, evaluate, 'gates');
  const gates: GatesSource = gatesFile
    ? { kind: 'file', file: workspace.path(gatesFile), shownAs: workspace.shown(workspace.path(gatesFile)) }
    : { kind: 'config', value: section.gates };
  const validationReport = stringInput(ctx, evaluate, 'validation-report');
  const failOnUnblessed = booleanInput(ctx, evaluate, 'fail-on-unblessed') ?? true;
  const commentMode = choiceInput<'auto' | 'true' | 'false'>(ctx, evaluate, 'comment') ?? 'auto';

  // Files earlier jobs of the run uploaded (GitHub only). With a predictions file too: a
  // trainer may write it into its model directory, beside the card that tells its task.
  await downloadArtifactInput(ctx, 'model-artifact', modelDir, 'the model');
  if (!validationReport) await downloadArtifactInput(ctx, 'validation-artifact', workspace.dir('validate-data'), "validate-data's reports");

  const event = await ctx.env.event();
  const result = await evaluateCandidate({
    modelName,
    candidate,
    testData: {
      files: pathsInput(ctx, evaluate, 'data'),
      format: ctx.config.config.data.format ?? 'auto',
      nullValues: ctx.config.config.data.null_values,
    },
    task: { setting: (task?.value ?? 'auto') as TaskSetting, setBy: taskSetBy },
    fidelity: {
      maxDifference: numberInput(ctx, evaluate, 'fidelity-max-difference') ?? DEFAULT_FIDELITY_TOLERANCE.maxDifference,
      minLabelAgreement: numberInput(ctx, evaluate, 'fidelity-min-label-agreement') ?? DEFAULT_FIDELITY_TOLERANCE.minLabelAgreement,
    },
    baseline,
    gates,
    slices: listInput(ctx, evaluate, 'slices'),
    outputDir,
    validationReport: validationReport ? workspace.path(validationReport) : join(workspace.dir('validate-data'), 'report.md'),
    commentKey: stringInput(ctx, evaluate, 'comment-key') || modelName,
    pullRequest: pullRequestHead(event),
    links: ctx.env.runUrl ? [{ label: 'Workflow run and artifacts', url: ctx.env.runUrl }] : [],
    positiveClass: stringInput(ctx, evaluate, 'positive-class') ?? null,
    history: { versions: numberInput(ctx, evaluate, 'history-versions') ?? HISTORY_LAST, metric: section.history?.metric },
    bootstrap: {
      resamples: numberInput(ctx, evaluate, 'bootstrap-resamples') ?? DEFAULT_BOOTSTRAP.resamples,
      confidence: numberInput(ctx, evaluate, 'confidence-level') ?? DEFAULT_BOOTSTRAP.confidence,
      seed: section.bootstrap?.seed ?? DEFAULT_BOOTSTRAP.seed,
    },
    shown: (path) => workspace.shown(path),
    log: io,
  });

  const { blessing, paths } = result;
  await io.appendSummary(result.markdown);
  io.info(`${blessing.blessed ? 'Blessed' : 'Not blessed'}: ${blessing.blessed ? 'every gate passed' : blessing.reasons.join(' ')}`);
  io.info(`Reports: ${workspace.shown(paths.report)}, ${workspace.shown(paths.html)}`);
  // The reports (HTML included) as an artifact of the run, linked from the comment's run link.
  await uploadArtifact(ctx, stringInput(ctx, evaluate, 'artifact-name') || `evaluation-${modelName}`, outputDir, 'the reports');
  const commentUrl = commentMode === 'false' ? null : await postComment(ctx, result.comment, event, commentMode, token);

  io.setOutput('blessed', String(blessing.blessed));
  io.setOutput('metrics', JSON.stringify(result.metrics));
  io.setOutput('baseline-metrics', JSON.stringify(result.baselineMetrics));
  io.setOutput('blessing', workspace.shown(paths.blessing));
  io.setOutput('report', workspace.shown(paths.report));
  io.setOutput('html-report', workspace.shown(paths.html));
  io.setOutput('comment-url', commentUrl ?? '');
  if (!blessing.blessed && failOnUnblessed) io.fail(`The candidate is not blessed: ${blessing.reasons.join(' ')}`);
}

/** Posts or updates the sticky comment on the event's pull request; its URL, or null when none was posted. */
async function postComment(
  ctx: StepContext,
  comment: EvaluationComment,
  event: Record<string, unknown> | null,
  mode: 'auto' | 'true',
  token: string | undefined,
): Promise<string | null> {
  const client = ctx.github(token);
  if (!event || !client) {
    if (mode === 'true')
      ctx.io.warning(
        `No pull request comment: ${!event ? 'no GitHub event (GITHUB_EVENT_PATH)' : 'no token (set the `token` input or GITHUB_TOKEN)'}.`,
      );
    return null;
  }
  const { key, ...content } = comment;
  const result = await publishPrComment(client.github, client.repo, event, key, content, ctx.io, {
    eventName: ctx.env.eventName ?? undefined,
  });
  return result.posted ? result.comment.url : null;
}
