/** drift-check: compare production data (or prediction logs) with the training data or its stored profile; report, open an issue, start retraining. */
import { existsSync } from 'node:fs';
import { asList } from '../core/config/config.js';
import { checkDrift, PREDICTION_COLUMN } from '../core/drift/compute.js';
import type { DriftReport } from '../core/drift/compute.js';
import { DEFAULT_DRIFT_SHARE, DriftSettings, parseDriftSettings } from '../core/drift/config.js';
import { dispatchRetraining, updateDriftIssue } from '../core/drift/issue.js';
import { writeDriftReports } from '../core/drift/output.js';
import { parseModelRef, sideFromFiles, sideFromRegistry } from '../core/drift/sources.js';
import { UserError } from '../core/errors.js';
import { ensureWritableDir } from '../core/workspace.js';
import { uploadArtifact } from './artifacts.js';
import type { StepContext } from './context.js';
import { booleanInput, InputError, listInput, numberInput, placePath, resolveInput, stringInput } from './spec.js';
import type { StepSpec } from './spec.js';

export const driftCheck: StepSpec = {
  name: 'drift-check',
  title: 'Drift check',
  description:
    'Compares current data (production data or the prediction logs of mlops serve) with the reference (the training data, a stored profile, or the profile registered with a model version), column by column with the statistical tests Evidently uses by default, reports feature, prediction and target drift in Markdown, JSON and HTML, keeps one GitHub issue open while drift lasts, and can dispatch a retraining workflow.',
  inputs: {
    config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
    reference: {
      description:
        'The reference, one per line: data files or globs (CSV, TSV, JSON Lines, gzip too; Parquet), or profile.json files (validate-data or train write them), or model@alias / model@3: the training profile registered with that model version. Default: drift.reference in mlops.yaml, else data.path.',
      list: true,
      config: 'drift.reference',
    },
    current: {
      description:
        'The current data, one per line: files or globs (prediction logs of mlops serve included: _time, _model and _version are ignored), or profile.json files. Default: drift.current in mlops.yaml.',
      list: true,
      config: 'drift.current',
    },
    columns: {
      description:
        "Feature columns to compare, one per line (one missing from the current data is drift). Default: the model's features (from the card of a model@alias reference, else train.features in mlops.yaml), other columns compared but not counted; without them, every column of either side.",
      list: true,
    },
    target: {
      description: 'The target (label) column, checked for target drift when both sides have it. Default: drift.target, else data.target.',
      config: 'drift.target',
    },
    'prediction-column': {
      description:
        'The model-output column, checked for prediction drift when both sides have it. Default: drift.prediction_column, else _prediction.',
      config: 'drift.prediction_column',
    },
    'drift-share': {
      description:
        'Dataset drift when at least this share of the compared feature columns drifted (0 to 1). Default: drift.drift_share, else 0.5.',
      type: 'number',
      min: 0,
      max: 1,
      config: 'drift.drift_share',
      default: String(DEFAULT_DRIFT_SHARE),
    },
    'output-dir': { description: 'Where report.md, report.html and drift.json go. Default: .mlops/drift-check beside mlops.yaml.' },
    'artifact-name': {
      description: 'On GitHub: the name of the artifact the reports (the HTML one included) are uploaded as. Default: drift-<model name>.',
    },
    'fail-on-drift': {
      description: 'true to fail the step when dataset drift is found. Default: drift.fail_on_drift, else false.',
      choices: ['true', 'false'],
      type: 'boolean',
      config: 'drift.fail_on_drift',
      default: 'false',
    },
    issue: {
      description:
        'true to keep one GitHub issue open while drift lasts (opened on drift, updated on later drifted runs, commented on and closed when drift is gone; the job needs permissions: issues: write). Default: true when a token and GITHUB_REPOSITORY are available.',
      choices: ['true', 'false'],
      type: 'boolean',
    },
    'issue-labels': {
      description: 'Labels of the drift issue, one per line. Default: drift.issue_labels, else drift.',
      list: true,
      config: 'drift.issue_labels',
      default: 'drift',
    },
    'retrain-workflow': {
      description:
        'A workflow file name (retrain.yml) or id to dispatch (workflow_dispatch) when drift is found; the job needs permissions: actions: write. Default: drift.retrain_workflow, else none.',
      config: 'drift.retrain_workflow',
    },
    'retrain-ref': { description: 'The branch or tag to run the retraining workflow on. Default: GITHUB_REF_NAME.' },
    'retrain-inputs': { description: 'Inputs of the retraining workflow, one key=value per line. Default: none.', list: true },
    token: {
      description:
        "GitHub token for the issue and the dispatch, and for ghcr.io (never sent to another registry). Default: the workflow's token.",
      actionDefault: '${{ github.token }}',
    },
    registry: {
      description:
        'The registry holding model@alias references: oci://host/namespace or a folder. Default: registry.url or registry.path in mlops.yaml, else .mlops/registry beside it.',
    },
  },
  outputs: {
    drifted: { description: '"true" when dataset drift was found, else "false".' },
    'drift-share': { description: 'The drifted share of the compared feature columns.' },
    'drifted-columns': { description: 'The drifted feature columns as a JSON array.' },
    report: { description: 'Path of the Markdown report.' },
    'report-json': { description: 'Path of the machine-readable report (drift.json).' },
    'report-html': { description: 'Path of the self-contained HTML report.' },
    'issue-number': { description: 'The drift issue opened or updated, when there is one.' },
  },
  config: { key: 'drift', schema: DriftSettings },
  async run(ctx: StepContext): Promise<void> {
    await runDriftCheck(ctx);
  },
};

/** Resolves the sides, compares them, writes the reports, and publishes (outputs, summary, artifact, issue, dispatch). */
async function runDriftCheck(ctx: StepContext): Promise<void> {
  const { io, workspace, config: loaded } = ctx;
  const step = driftCheck;
  const shown = (path: string) => workspace.shown(path);
  // Checked with the whole file at load; parsed again here for its type.
  const settings = parseDriftSettings(loaded.config.drift, loaded.file ? shown(loaded.file) : 'mlops.yaml');
  const format = loaded.config.data.format ?? 'auto';
  const nullValues = loaded.config.data.null_values;
  const subject = loaded.config.model?.name ?? loaded.config.project ?? 'data';

  const columns = listInput(ctx, step, 'columns');
  const target = stringInput(ctx, step, 'target') || loaded.config.data.target || null;
  const predictionColumn = stringInput(ctx, step, 'prediction-column') || null;
  const driftShare = numberInput(ctx, step, 'drift-share');
  const failOnDrift = booleanInput(ctx, step, 'fail-on-drift') ?? false;
  const retrain = retrainInputs(ctx);
  const only = columns.length > 0 ? new Set([...columns, ...(target ? [target] : []), predictionColumn ?? PREDICTION_COLUMN]) : null;

  const reference = resolveInput(ctx, step, 'reference');
  const referenceEntries = reference ? (reference.value as string[]) : asList(loaded.config.data.path);
  const referenceSource = reference?.source ?? 'mlops.yaml';
  if (referenceEntries.length === 0)
    throw new UserError(
      'no reference to compare with',
      'Set the `reference` input (or --reference), or drift.reference or data.path in mlops.yaml.',
    );
  const current = resolveInput(ctx, step, 'current');
  const currentEntries = current ? (current.value as string[]).map((path) => placePath(ctx, current.source, path)) : [];
  if (currentEntries.length === 0)
    throw new UserError('no current data to check', 'Set the `current` input (or --current), or drift.current in mlops.yaml.');

  const outputOverride = io.getInput('output-dir');
  const outputDir = workspace.dir('drift-check', outputOverride);
  await ensureWritableDir(outputDir, outputOverride ? 'input output-dir' : 'the drift-check folder');

  const fileOptions = { format, nullValues, only, shown };
  const first = referenceEntries[0]!;
  const modelRef = referenceEntries.length === 1 && !existsSync(placePath(ctx, referenceSource, first)) ? parseModelRef(first) : null;
  const referenceSide = await io.group('Reading the reference', async () =>
    modelRef
      ? sideFromRegistry(ctx.registry(io.getInput('registry'), io.getInput('token')), modelRef.model, modelRef.ref, shown)
      : sideFromFiles(
          referenceEntries.map((path) => placePath(ctx, referenceSource, path)),
          'reference',
          fileOptions,
        ),
  );
  const currentSide = await io.group('Reading the current data', () => sideFromFiles(currentEntries, 'current', fileOptions));

  for (const note of [...(referenceSide.side.notes ?? []), ...(currentSide.side.notes ?? [])]) io.warning(`drift-check: ${note}`);
  const configured = trainFeatures(loaded.config.train);
  const modelFeatures = referenceSide.modelFeatures ?? configured;
  if (columns.length === 0 && modelFeatures)
    io.info(
      `Model features: ${modelFeatures.length} (${referenceSide.modelFeatures ? 'from the model card' : 'train.features in mlops.yaml'}); other columns are compared but not counted.`,
    );
  const report = checkDrift(referenceSide.side, currentSide.side, {
    settings,
    columns,
    modelFeatures,
    target,
    predictionColumn,
    driftShare,
    subject,
    referenceDescription: referenceSide.description,
    currentDescription: currentSide.description,
  });
  for (const name of report.missingFeatures)
    io.error(`drift-check: model feature ${name} is not in the current data: the model gets no values for it (counted as drifted).`);
  for (const c of report.features) {
    if (c.status === 'method-does-not-fit') io.warning(`drift-check: column ${c.column}: ${c.notes.at(-1) ?? 'the test does not fit'}`);
  }
  const text = [...report.features, ...report.others].filter((c) => c.kind === 'text' && c.status === 'skipped').map((c) => c.column);
  if (text.length > 0)
    io.info(
      `Text columns not tested (Evidently tests text with a domain classifier, which drift-check does not run; not counted): ${text.join(', ')}. Set a column's method under drift.columns to test it as categorical.`,
    );
  const near = [...report.features, ...report.others].filter((c) => c.nearThreshold).map((c) => c.column);
  if (near.length > 0)
    io.info(`Within the sketch's error of their threshold (compare with the data itself for an exact verdict): ${near.join(', ')}.`);
  if (report.comparedFeatures === 0)
    io.warning(
      'drift-check: no feature column is on both sides with values; nothing was compared. Check the column names and the `columns` input.',
    );

  const { paths, markdown } = await writeDriftReports(outputDir, report, ctx.env.runUrl);
  await io.appendSummary(markdown);
  if (report.verdict === 'not-enough-data')
    io.warning(
      `Only ${report.current.rows} current rows, fewer than ${report.minCurrentRows} (drift.min_current_rows): not enough data for a dataset verdict.`,
    );
  io.info(
    `${report.drifted ? 'Drift detected' : report.verdict === 'not-enough-data' ? 'No verdict (not enough data)' : 'No dataset drift'}: ${report.driftedColumns.length} of ${report.comparedFeatures} feature columns drifted (share ${report.driftShare.toFixed(3)}, threshold ${report.driftShareThreshold})${report.missingFeatures.length > 0 ? `, ${report.missingFeatures.length} of them missing from the current data` : ''}.`,
  );
  for (const c of [report.prediction, report.target]) {
    if (c)
      io.info(
        `${c.role === 'prediction' ? 'Prediction' : 'Target'} column ${c.column}: ${c.drifted ? 'drifted' : 'no drift'} (${c.method ?? c.status}).`,
      );
  }
  io.info(`Reports: ${shown(paths.markdown)}, ${shown(paths.json)}, ${shown(paths.html)}`);
  await uploadArtifact(ctx, io.getInput('artifact-name') || `drift-${subject}`, outputDir, 'the reports');

  const issueNumber = await publishToGitHub(ctx, report, markdown, retrain);

  io.setOutput('drifted', String(report.drifted));
  io.setOutput('drift-share', String(report.driftShare));
  io.setOutput('drifted-columns', JSON.stringify(report.driftedColumns));
  io.setOutput('report', shown(paths.markdown));
  io.setOutput('report-json', shown(paths.json));
  io.setOutput('report-html', shown(paths.html));
  io.setOutput('issue-number', issueNumber === null ? '' : String(issueNumber));
  if (report.drifted && failOnDrift)
    io.fail(
      `Dataset drift: ${report.driftedColumns.length} of ${report.comparedFeatures} feature columns drifted (${report.driftedColumns.join(', ')}).`,
    );
}

/** The drift issue and the retraining dispatch, when asked for and possible; returns the issue's number. */
async function publishToGitHub(
  ctx: StepContext,
  report: DriftReport,
  markdown: string,
  retrain: Record<string, string>,
): Promise<number | null> {
  const { io } = ctx;
  const step = driftCheck;
  const mode = booleanInput(ctx, step, 'issue');
  const workflow = stringInput(ctx, step, 'retrain-workflow') ?? '';
  if (mode === false && !workflow) return null;
  const gh = ctx.env.repository ? ctx.github(io.getInput('token')) : null;
  if (!gh) {
    if (mode === true || workflow)
      io.warning(
        `No GitHub issue or dispatch: ${!ctx.env.repository ? 'GITHUB_REPOSITORY is not set' : 'no token (set the `token` input or GITHUB_TOKEN)'}.`,
      );
    return null;
  }
  let issueNumber: number | null = null;
  if (mode !== false) {
    issueNumber = await updateDriftIssue({
      github: gh.github,
      repo: gh.repo,
      report,
      markdown,
      labels: listInput(ctx, step, 'issue-labels'),
      runUrl: ctx.env.runUrl,
      log: io,
    });
  }
  if (workflow && report.drifted) {
    const ref = stringInput(ctx, step, 'retrain-ref') || ctx.env.refName || '';
    if (!ref) io.warning('No retraining dispatched: no branch to run it on (set `retrain-ref`).');
    else await dispatchRetraining(gh.github, gh.repo, workflow, ref, retrain, io);
  }
  return issueNumber;
}

/** train.features in mlops.yaml (the columns the model is trained on), or null when not set. */
function trainFeatures(train: Record<string, unknown> | undefined): string[] | null {
  const features = train?.features;
  return Array.isArray(features) && features.length > 0 && features.every((f) => typeof f === 'string') ? (features as string[]) : null;
}

/** The retraining workflow's inputs: one key=value per line. */
function retrainInputs(ctx: StepContext): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const line of listInput(ctx, driftCheck, 'retrain-inputs')) {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new InputError('retrain-inputs', `"${line}" is not key=value`);
    inputs[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return inputs;
}
