/** drift-check: compare production data (or prediction logs) with the training data or its stored profile; report, open an issue, start retraining. */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { asList, configPath, loadConfig } from '../core/config/config.js';
import type { LoadedConfig } from '../core/config/config.js';
import { expandPaths } from '../core/data/paths.js';
import type { DataFormat } from '../core/data/source.js';
import { sideFromProfile } from '../core/drift/columns.js';
import type { Side } from '../core/drift/columns.js';
import { checkDrift, LOG_COLUMNS, PREDICTION_COLUMN } from '../core/drift/compute.js';
import type { DriftReport } from '../core/drift/compute.js';
import { parseDriftSettings } from '../core/drift/config.js';
import { renderDriftHtml } from '../core/drift/html-report.js';
import { renderDriftMarkdown } from '../core/drift/markdown-report.js';
import { readSide } from '../core/drift/read.js';
import { UserError } from '../core/errors.js';
import { runUrl } from '../core/lineage.js';
import { escapeText } from '../core/markdown.js';
import { mergeProfiles, PROFILE_FORMAT, TRAINING_PROFILE_FILE } from '../core/profile/profile.js';
import type { DatasetProfile } from '../core/profile/profile.js';
import { gitHubFromEnvironment } from '../adapters/github/github-api.js';
import { GitHubApiError } from '../ports/github.js';
import type { GitHubPort, RepoRef } from '../ports/github.js';
import { NAME_PATTERN } from '../ports/registry.js';
import type { StepIO } from '../ports/step-io.js';
import { uploadArtifact } from './artifacts.js';
import { registryFor } from './register.js';
import { choiceInput, InputError, listInput } from './spec.js';
import type { StepSpec } from './spec.js';
import { outputDirFor, shown } from './validate-data.js';

export const driftCheck: StepSpec = {
  name: 'drift-check',
  title: 'Drift check',
  description:
    'Compares current data (production data or the prediction logs of mlops serve) with the reference (the training data, a stored profile, or the profile registered with a model version), column by column with the statistical tests Evidently uses by default, reports feature, prediction and target drift in Markdown, JSON and HTML, keeps one GitHub issue open while drift lasts, and can dispatch a retraining workflow.',
  inputs: {
    config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
    reference: {
      description:
        'The reference, one per line: data files or globs (CSV, TSV, JSON Lines; gzip too), or profile.json files (validate-data or train write them), or model@alias / model@3: the training profile registered with that model version. Default: drift.reference in mlops.yaml, else data.path.',
      list: true,
    },
    current: {
      description:
        'The current data, one per line: files or globs (prediction logs of mlops serve included: _time, _model and _version are ignored), or profile.json files. Default: drift.current in mlops.yaml.',
      list: true,
    },
    columns: { description: 'Feature columns to compare, one per line. Default: every column of either side.', list: true },
    target: {
      description: 'The target (label) column, checked for target drift when both sides have it. Default: drift.target, else data.target.',
    },
    'prediction-column': {
      description:
        'The model-output column, checked for prediction drift when both sides have it. Default: drift.prediction_column, else _prediction.',
    },
    'drift-share': {
      description:
        'Dataset drift when at least this share of the compared feature columns drifted (0 to 1). Default: drift.drift_share, else 0.5.',
    },
    'output-dir': { description: 'Where report.md, report.html and drift.json go. Default: .mlops/drift-check beside mlops.yaml.' },
    'artifact-name': {
      description: 'On GitHub: the name of the artifact the reports (the HTML one included) are uploaded as. Default: drift-<model name>.',
    },
    'fail-on-drift': {
      description: 'true to fail the step when dataset drift is found. Default: drift.fail_on_drift, else false.',
      choices: ['true', 'false'],
    },
    issue: {
      description:
        'true to keep one GitHub issue open while drift lasts (opened on drift, updated on later drifted runs, commented on and closed when drift is gone; the job needs permissions: issues: write). Default: true when a token and GITHUB_REPOSITORY are available.',
      choices: ['true', 'false'],
    },
    'issue-labels': { description: 'Labels of the drift issue, one per line. Default: drift.issue_labels, else drift.', list: true },
    'retrain-workflow': {
      description:
        'A workflow file name (retrain.yml) or id to dispatch (workflow_dispatch) when drift is found; the job needs permissions: actions: write. Default: drift.retrain_workflow, else none.',
    },
    'retrain-ref': { description: 'The branch or tag to run the retraining workflow on. Default: GITHUB_REF_NAME.' },
    'retrain-inputs': { description: 'Inputs of the retraining workflow, one key=value per line. Default: none.', list: true },
    token: {
      description: "GitHub token for the issue and the dispatch, and for an OCI registry. Default: the workflow's token.",
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
  async run(io: StepIO): Promise<void> {
    await runDriftCheck(io);
  },
};

export interface DriftCheckResult {
  report: DriftReport;
  paths: { markdown: string; json: string; html: string };
  issueNumber: number | null;
}

const MODEL_REF = /^([a-z0-9][a-z0-9._-]*)@([A-Za-z0-9][A-Za-z0-9._:-]*)$/;

async function readProfile(path: string): Promise<DatasetProfile> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UserError(
      `cannot read profile ${shown(path)}: ${(error as Error).message}`,
      'Give a profile.json written by validate-data or train.',
    );
  }
  const profile = value as Partial<DatasetProfile> | null;
  if (!profile || profile.format !== PROFILE_FORMAT || !Array.isArray(profile.columns) || typeof profile.rows !== 'number')
    throw new UserError(
      `${shown(path)} is not a data profile (format ${PROFILE_FORMAT})`,
      'Give a profile.json written by validate-data or train.',
    );
  return profile as DatasetProfile;
}

interface ResolvedSide {
  side: Side;
  description: string;
}

async function sideOf(
  entries: string[],
  what: 'reference' | 'current',
  format: DataFormat | 'auto',
  nullValues: readonly string[] | undefined,
  only: ReadonlySet<string> | null,
): Promise<ResolvedSide> {
  const profiles = entries.filter((e) => /\.json$/i.test(e));
  if (profiles.length > 0) {
    if (profiles.length !== entries.length)
      throw new UserError(`${what}: mixes profile.json files with data files`, 'Give either data files or profiles for one side.');
    const read = await Promise.all(profiles.map(readProfile));
    const profile = read.reduce((a, b) => mergeProfiles(a, b));
    return { side: sideFromProfile(profile), description: `profile ${profiles.map(shown).join(', ')}` };
  }
  const files = await expandPaths(entries);
  const read = await readSide(files, { format, nullValues, ignore: new Set(LOG_COLUMNS), only });
  // Reports name files as the project does (relative to the working directory), never by this machine's paths.
  const side = { ...read, files: read.files.map(shown) };
  if (side.rows === 0)
    throw new UserError(`${what}: no data rows in ${files.map(shown).join(', ')}`, 'Check that the files hold rows below the header.');
  return {
    side,
    description:
      files.length === 1
        ? shown(files[0]!)
        : `${files.length} files (${files.slice(0, 3).map(shown).join(', ')}${files.length > 3 ? ', …' : ''})`,
  };
}

/** `model@alias` / `model@3`: the profile.json registered with that version, pulled into a temporary folder. */
async function registeredProfile(io: StepIO, loaded: LoadedConfig, model: string, ref: string): Promise<ResolvedSide> {
  if (!NAME_PATTERN.test(model)) throw new UserError(`reference ${model}@${ref}: "${model}" is not a model name`);
  const registry = registryFor(io, loaded);
  let version;
  try {
    version = await registry.resolve(model, ref);
  } catch (error) {
    throw new UserError(
      `reference ${model}@${ref}: ${(error as Error).message}`,
      'Check the model name and the alias or version (mlops registry list), and the `registry` input.',
    );
  }
  if (!version.files.some((f) => f.path === TRAINING_PROFILE_FILE))
    throw new UserError(
      `reference ${model}@${ref} (version ${version.version}) has no ${TRAINING_PROFILE_FILE}`,
      'Models trained by this version of train store the profile of their training data; retrain and register, or give the training data as the reference.',
    );
  const dir = await mkdtemp(join(tmpdir(), 'mlops-drift-'));
  try {
    // Only the profile: the weights are not needed to compare data.
    await registry.pull(model, String(version.version), dir, { paths: [TRAINING_PROFILE_FILE] });
    const profile = await readProfile(join(dir, TRAINING_PROFILE_FILE));
    return { side: sideFromProfile(profile), description: `profile of ${model} version ${version.version} (${ref})` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function numberInput(io: StepIO, name: string, min: number, max: number): number | undefined {
  const text = io.getInput(name);
  if (text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) throw new InputError(name, `"${text}" is not a number from ${min} to ${max}`);
  return value;
}

export async function runDriftCheck(io: StepIO): Promise<DriftCheckResult> {
  const loaded = await loadConfig(io.getInput('config') || undefined);
  const settings = parseDriftSettings(loaded.config.drift, loaded.file ? shown(loaded.file) : 'mlops.yaml');
  const format = (loaded.config.data.format ?? 'auto') as DataFormat | 'auto';
  const nullValues = loaded.config.data.null_values;
  const outputDir = outputDirFor(io, loaded, 'drift-check');
  const subject = loaded.config.model?.name ?? loaded.config.project ?? 'data';

  const columns = listInput(io, 'columns');
  const target = io.getInput('target') || settings.target || loaded.config.data.target || null;
  const predictionColumn = io.getInput('prediction-column') || settings.prediction_column || null;
  const driftShare = numberInput(io, 'drift-share', 0, 1);
  const only = columns.length > 0 ? new Set([...columns, ...(target ? [target] : []), predictionColumn ?? PREDICTION_COLUMN]) : null;

  const referenceInputs = listInput(io, 'reference');
  const fromInput = referenceInputs.length > 0;
  const referenceEntries = fromInput ? referenceInputs : asList(settings.reference ?? loaded.config.data.path);
  const referencePath = (p: string) => (fromInput ? resolve(p) : configPath(loaded, p));
  if (referenceEntries.length === 0)
    throw new UserError(
      'no reference to compare with',
      'Set the `reference` input (or --reference), or drift.reference or data.path in mlops.yaml.',
    );
  const currentInputs = listInput(io, 'current');
  const currentEntries =
    currentInputs.length > 0 ? currentInputs.map((p) => resolve(p)) : asList(settings.current).map((p) => configPath(loaded, p));
  if (currentEntries.length === 0)
    throw new UserError('no current data to check', 'Set the `current` input (or --current), or drift.current in mlops.yaml.');

  const first = referenceEntries[0]!;
  const modelRef = referenceEntries.length === 1 && !existsSync(referencePath(first)) ? MODEL_REF.exec(first) : null;
  const reference = await io.group('Reading the reference', async () =>
    modelRef
      ? registeredProfile(io, loaded, modelRef[1]!, modelRef[2]!)
      : sideOf(referenceEntries.map(referencePath), 'reference', format, nullValues, only),
  );
  const current = await io.group('Reading the current data', () => sideOf(currentEntries, 'current', format, nullValues, only));

  const report = checkDrift(reference.side, current.side, {
    settings,
    columns,
    target,
    predictionColumn,
    driftShare,
    subject,
    referenceDescription: reference.description,
    currentDescription: current.description,
  });
  for (const c of report.features) {
    if (c.status === 'method-does-not-fit') io.warning(`drift-check: column ${c.column}: ${c.notes.at(-1) ?? 'the test does not fit'}`);
  }
  if (report.comparedFeatures === 0)
    io.warning(
      'drift-check: no feature column is on both sides with values; nothing was compared. Check the column names and the `columns` input.',
    );

  await mkdir(outputDir, { recursive: true });
  const paths = { markdown: join(outputDir, 'report.md'), json: join(outputDir, 'drift.json'), html: join(outputDir, 'report.html') };
  const link = runUrl();
  const markdown = renderDriftMarkdown(report, link ? [`[Workflow run](${link})`] : []);
  await writeFileAtomic(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(paths.markdown, markdown);
  await writeFileAtomic(paths.html, await renderDriftHtml(report));
  await io.appendSummary(markdown);
  io.info(
    `${report.drifted ? 'Drift detected' : 'No dataset drift'}: ${report.driftedColumns.length} of ${report.comparedFeatures} feature columns drifted (share ${report.driftShare.toFixed(3)}, threshold ${report.driftShareThreshold}).`,
  );
  for (const c of [report.prediction, report.target]) {
    if (c)
      io.info(
        `${c.role === 'prediction' ? 'Prediction' : 'Target'} column ${c.column}: ${c.drifted ? 'drifted' : 'no drift'} (${c.method ?? c.status}).`,
      );
  }
  io.info(`Reports: ${shown(paths.markdown)}, ${shown(paths.json)}, ${shown(paths.html)}`);
  await uploadArtifact(io, io.getInput('artifact-name') || `drift-${subject}`, outputDir, 'the reports');

  const issueNumber = await publishToGitHub(io, report, markdown, settings.issue_labels, settings.retrain_workflow);

  io.setOutput('drifted', String(report.drifted));
  io.setOutput('drift-share', String(report.driftShare));
  io.setOutput('drifted-columns', JSON.stringify(report.driftedColumns));
  io.setOutput('report', shown(paths.markdown));
  io.setOutput('report-json', shown(paths.json));
  io.setOutput('report-html', shown(paths.html));
  io.setOutput('issue-number', issueNumber === null ? '' : String(issueNumber));
  const failOnDrift =
    (choiceInput<'true' | 'false'>(io, driftCheck, 'fail-on-drift') ?? String(settings.fail_on_drift ?? false)) === 'true';
  if (report.drifted && failOnDrift)
    io.fail(
      `Dataset drift: ${report.driftedColumns.length} of ${report.comparedFeatures} feature columns drifted (${report.driftedColumns.join(', ')}).`,
    );
  return { report, paths, issueNumber };
}

/** An issue or comment body is at most 65,536 characters; keep well under it. */
const MAX_BODY = 60_000;

function issueBody(marker: string, markdown: string, link: string | null): string {
  let body = markdown;
  if (body.length > MAX_BODY) {
    const cut = body.lastIndexOf('\n### ', MAX_BODY);
    body = `${body.slice(0, cut > 0 ? cut : MAX_BODY)}\n\n(The report is longer than an issue allows: see ${link ? `[the run](${link})` : 'the run'} for all of it.)\n`;
  }
  return `${marker}\n${body}`;
}

function permissionHint(error: GitHubApiError, permission: string): string {
  return error.status === 403 || error.status === 404
    ? ` The token may lack the permission: give the job \`permissions: ${permission}\` (and check the repository's Actions settings allow it).`
    : '';
}

/** The drift issue (found again by the hidden marker its body starts with; a column named like the marker sits later, in a code span) and the retraining dispatch. */
async function publishToGitHub(
  io: StepIO,
  report: DriftReport,
  markdown: string,
  configuredLabels: string[] | undefined,
  configuredWorkflow: string | undefined,
): Promise<number | null> {
  const mode = choiceInput<'true' | 'false'>(io, driftCheck, 'issue');
  const workflow = io.getInput('retrain-workflow') || configuredWorkflow || '';
  if (mode === 'false' && !workflow) return null;
  const token = io.getInput('token') || undefined;
  const hasRepo = Boolean(process.env.GITHUB_REPOSITORY);
  const gh = hasRepo ? gitHubFromEnvironment(process.env, token) : null;
  if (!gh) {
    if (mode === 'true' || workflow)
      io.warning(
        `No GitHub issue or dispatch: ${!hasRepo ? 'GITHUB_REPOSITORY is not set' : 'no token (set the `token` input or GITHUB_TOKEN)'}.`,
      );
    return null;
  }
  let issueNumber: number | null = null;
  if (mode !== 'false') {
    const labels = listInput(io, 'issue-labels');
    issueNumber = await updateIssue(io, gh.github, gh.repo, report, markdown, labels.length > 0 ? labels : (configuredLabels ?? ['drift']));
  }
  if (workflow && report.drifted) await dispatchRetraining(io, gh.github, gh.repo, workflow);
  return issueNumber;
}

async function updateIssue(
  io: StepIO,
  github: GitHubPort,
  repo: RepoRef,
  report: DriftReport,
  markdown: string,
  labels: string[],
): Promise<number | null> {
  const marker = `<!-- mlops-drift:${report.subject.replace(/--/g, '- -').replace(/>/g, '')} -->`;
  const link = runUrl();
  try {
    let open = null;
    for await (const issue of github.listIssues(repo, { labels, state: 'open' })) {
      if (issue.body.startsWith(marker)) {
        open = issue;
        break;
      }
    }
    if (report.drifted) {
      const body = issueBody(marker, markdown, link);
      if (open) {
        await github.updateIssue(repo, open.number, { body });
        io.info(`Updated drift issue #${open.number}: ${open.url}`);
        return open.number;
      }
      const created = await github.createIssue(repo, { title: `Data drift: ${report.subject}`, body, labels });
      io.info(`Opened drift issue #${created.number}: ${created.url}`);
      return created.number;
    }
    if (open) {
      await github.createIssueComment(
        repo,
        open.number,
        `Drift is gone: ${report.driftedColumns.length} of ${report.comparedFeatures} feature columns drifted (share ${report.driftShare.toFixed(3)}, below ${report.driftShareThreshold}), checked ${escapeText(report.checkedAt)}${link ? ` in [this run](${link})` : ''}. Closing.`,
      );
      await github.updateIssue(repo, open.number, { state: 'closed' });
      io.info(`Closed drift issue #${open.number}: drift is gone.`);
      return open.number;
    }
    return null;
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error;
    io.warning(`The drift issue could not be updated: ${error.message}.${permissionHint(error, 'issues: write')}`);
    return null;
  }
}

async function dispatchRetraining(io: StepIO, github: GitHubPort, repo: RepoRef, workflow: string): Promise<void> {
  const ref = io.getInput('retrain-ref') || process.env.GITHUB_REF_NAME || '';
  if (!ref) {
    io.warning('No retraining dispatched: no branch to run it on (set `retrain-ref`).');
    return;
  }
  const inputs: Record<string, string> = {};
  for (const line of listInput(io, 'retrain-inputs')) {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new InputError('retrain-inputs', `"${line}" is not key=value`);
    inputs[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  try {
    await github.dispatchWorkflow(repo, workflow, ref, inputs);
    io.info(`Dispatched retraining: workflow ${workflow} on ${ref}.`);
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error;
    io.warning(`The retraining workflow ${workflow} could not be dispatched: ${error.message}.${permissionHint(error, 'actions: write')}`);
  }
}
