/**
 * validate-data: check data against its schema, profile every column, report. In merge
 * mode (input `shards`), merge the outputs of runs over shards of the files instead, and
 * report what one run over all of them would have.
 */
import { join } from 'node:path';
import { Config } from '../core/config/config.js';
import type { FailOn } from '../core/config/config.js';
import { expandPaths } from '../core/data/paths.js';
import type { DataFormat } from '../core/data/source.js';
import { DEFAULT_NULL_VALUES } from '../core/data/values.js';
import { UserError } from '../core/errors.js';
import { publishPrComment } from '../core/report/pr-comment.js';
import { loadSchema } from '../core/schema/schema.js';
import type { DataSchema } from '../core/schema/schema.js';
import { validationComment } from '../core/validate/report.js';
import { anomalyAnnotations, mergeValidationShards, progressLine, throughputLine, validateDataFiles } from '../core/validate/validate.js';
import type { ValidateDataResult } from '../core/validate/validate.js';
import { ensureWritableDir } from '../core/workspace.js';
import { uploadArtifact } from './artifacts.js';
import type { StepContext } from './context.js';
import { booleanInput, choiceInput, listInput, pathInput, pathsInput, stringInput } from './spec.js';
import type { StepSpec } from './spec.js';

export const validateData: StepSpec = {
  name: 'validate-data',
  title: 'Validate data',
  description:
    'Checks data files (CSV, TSV, JSON Lines, gzip too; Parquet) against a schema, profiles every column into a mergeable profile, and reports every anomaly with sample rows.',
  inputs: {
    config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
    data: { description: 'Data files or globs, one per line. Default: data.path in mlops.yaml.', list: true, config: 'data.path' },
    schema: {
      description:
        'The schema (YAML) to validate against. Default: data.schema in mlops.yaml; without one only the file structure is checked.',
      config: 'data.schema',
    },
    format: {
      description: 'File format: auto (from the file name), csv, tsv, jsonl or parquet. Default: data.format in mlops.yaml, else auto.',
      choices: ['auto', 'csv', 'tsv', 'jsonl', 'parquet'],
      config: 'data.format',
      default: 'auto',
    },
    'fail-on': {
      description:
        'Fail the step on anomalies of this severity or worse: error, warning or never. Default: validate.fail_on in mlops.yaml, else error.',
      choices: ['error', 'warning', 'never'],
      config: 'validate.fail_on',
      default: 'error',
    },
    'output-dir': { description: 'Where report.md, profile.json and validation.json go. Default: .mlops/validate-data beside mlops.yaml.' },
    'artifact-name': {
      description:
        "On GitHub: upload the reports as an artifact of this name, for a later job (evaluate's validation-artifact puts them in its PR comment). Default: no upload.",
    },
    mergeable: {
      description:
        'true: this run reads one shard of the files; also write shard.json (check counts and samples before any tolerance is judged, and the values of columns declared unique), which a later run merges with the other shards (input shards). Default: false.',
      type: 'boolean',
      default: 'false',
    },
    shards: {
      description:
        'Merge mode, instead of `data`: the output folders of runs over shards of the files (each with mergeable: true; folders, or globs of them, one per line, in shard order). The report, profile and results are those of one run over all the shards’ files in that order. Default: none (read `data`).',
      list: true,
    },
    'shard-artifacts': {
      description:
        'Merge mode on GitHub: download these artifacts of the run first (the shards’ artifact-name, one per line, in shard order), each into a folder of its own, and merge them as `shards`. Default: none.',
      list: true,
    },
    comment: {
      description:
        'Post the report as a comment on the pull request, updated in place on every run: true, auto (when the event is a pull request) or false. The job needs permissions: pull-requests: write. Default: false.',
      choices: ['auto', 'true', 'false'],
      default: 'false',
    },
    'comment-key': {
      description: 'Tells apart the comments of several validations on one pull request. Default: validate-data.',
      default: 'validate-data',
    },
    token: {
      description: "GitHub token for the comment (the job needs permissions: pull-requests: write). Default: the workflow's token.",
      actionDefault: '${{ github.token }}',
    },
  },
  outputs: {
    valid: { description: '"true" when no anomaly reached the fail-on severity, else "false".' },
    errors: { description: 'Number of error anomalies.' },
    warnings: { description: 'Number of warning anomalies.' },
    report: { description: 'Path of the Markdown report.' },
    profile: { description: 'Path of the mergeable data profile (JSON).' },
    results: { description: 'Path of the machine-readable anomalies and statistics (JSON).' },
    shard: { description: 'Path of shard.json, what a merge with other shards needs (with mergeable: true); else empty.' },
    'comment-url': { description: 'URL of the pull request comment, when one was posted.' },
  },
  // The section is declared with the shared keys (infer-schema reads validate.max_domain_size too).
  config: { key: 'validate', schema: Config.shape.validate },
  async run(ctx: StepContext): Promise<void> {
    await runValidateData(ctx);
  },
};

/** Resolves the inputs, validates the data (or merges shards), and publishes the result (outputs, annotations, summary, artifact, comment). */
async function runValidateData(ctx: StepContext): Promise<void> {
  const { io, workspace, config: loaded } = ctx;
  const step = validateData;
  const shardPatterns = pathsInput(ctx, step, 'shards');
  const shardArtifacts = listInput(ctx, step, 'shard-artifacts');
  const merging = shardPatterns.length > 0 || shardArtifacts.length > 0;
  if (merging && io.getInput('data') !== '')
    throw new UserError(
      'give either `data` (read the files) or `shards` / `shard-artifacts` (merge shards read earlier), not both',
      'A merge takes the files each shard read from its shard.json.',
    );
  const patterns = merging ? [] : pathsInput(ctx, step, 'data');
  if (!merging && patterns.length === 0) {
    throw new UserError(
      'no data to validate',
      'Set the `data` input (or --data), or data.path in mlops.yaml (or `shards` to merge shards).',
    );
  }
  const schemaFile = pathInput(ctx, step, 'schema') ?? null;
  const format = choiceInput<DataFormat | 'auto'>(ctx, step, 'format') ?? 'auto';
  const failOn = choiceInput<FailOn>(ctx, step, 'fail-on') ?? 'error';
  const outputOverride = io.getInput('output-dir');
  const outputDir = workspace.dir('validate-data', outputOverride);
  await ensureWritableDir(outputDir, outputOverride ? 'input output-dir' : 'the validate-data folder');

  const files = await expandPaths(patterns);
  const schema: DataSchema | null = schemaFile ? await loadSchema(schemaFile, workspace.shown(schemaFile)) : null;
  if (!schema)
    io.warning(
      'No schema given: only the file structure is checked. Write one with `mlops infer-schema DATA > schema.yaml` and set data.schema in mlops.yaml.',
    );
  const common = {
    schemaFile: schemaFile ? workspace.shown(schemaFile) : null,
    nullValues: loaded.config.data.null_values ?? DEFAULT_NULL_VALUES,
    sampleRows: loaded.config.validate.sample_rows ?? 5,
    failOn,
    outputDir,
  };
  let result: ValidateDataResult;
  if (merging) {
    if (booleanInput(ctx, step, 'mergeable'))
      io.warning('mergeable is for the runs over shards: a merge writes no shard.json (merge all the shards at once).');
    const shards = [...shardPatterns, ...(await downloadShards(ctx, shardArtifacts))];
    result = await io.group(`Merging ${shards.length === 1 ? 'one shard' : `${shards.length} shard folders`}`, () =>
      mergeValidationShards({ ...common, shards, schema, shown: (path) => workspace.shown(path) }),
    );
    io.info(`Merged ${result.shards ?? 0} shards (${result.scan.profile.files.length} files): the report is one run's over all of them.`);
  } else {
    result = await io.group(`Reading ${files.length === 1 ? workspace.shown(files[0]!) : `${files.length} files`}`, () =>
      validateDataFiles({
        ...common,
        files: files.map((f) => workspace.shown(f)),
        baseDir: workspace.cwd,
        schema,
        format,
        mergeable: booleanInput(ctx, step, 'mergeable') ?? false,
        onProgress: (p) => io.info(progressLine(p)),
      }),
    );
  }
  await publish(ctx, result, outputDir);
}

/** Downloads the shards' artifacts (GitHub only), each into a folder of its own, in the order given; returns the folders. */
async function downloadShards(ctx: StepContext, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const store = await ctx.artifacts();
  if (!store)
    throw new UserError(
      'shard-artifacts can only be downloaded in a GitHub Actions job step',
      'Locally, the shards are already on disk: give their folders as `shards`.',
    );
  const root = join(ctx.workspace.root, 'validate-data-shards');
  const dirs: string[] = [];
  for (const [index, name] of names.entries()) {
    const dir = join(root, String(index + 1).padStart(String(names.length).length, '0'));
    await store.download(name, dir);
    dirs.push(dir);
  }
  ctx.io.info(`Downloaded ${names.length} shard artifacts into ${ctx.workspace.shown(root)}.`);
  return dirs;
}

/** Outputs, annotations, the job summary, the artifact and the comment; fails the step when the data is not valid. */
async function publish(ctx: StepContext, result: ValidateDataResult, outputDir: string): Promise<void> {
  const { io, workspace } = ctx;
  for (const annotation of anomalyAnnotations(result.scan.anomalies)) {
    if (annotation.severity === 'error') io.error(annotation.message, annotation.where);
    else io.warning(annotation.message, annotation.where);
  }
  await io.appendSummary(result.report);
  io.info(throughputLine(result));
  const { paths, valid, errors, warnings, failOn } = result;
  io.info(`Report: ${workspace.shown(paths.report)}`);
  io.setOutput('valid', String(valid));
  io.setOutput('errors', String(errors));
  io.setOutput('warnings', String(warnings));
  io.setOutput('report', workspace.shown(paths.report));
  io.setOutput('profile', workspace.shown(paths.profile));
  io.setOutput('results', workspace.shown(paths.results));
  io.setOutput('shard', paths.shard ? workspace.shown(paths.shard) : '');
  const artifact = io.getInput('artifact-name');
  if (artifact) {
    if (await ctx.artifacts()) await uploadArtifact(ctx, artifact, outputDir, 'the reports');
    else io.info(`artifact-name is set but this is not a GitHub Actions job step: the reports stay in ${workspace.shown(outputDir)}.`);
  }
  io.setOutput('comment-url', (await postComment(ctx, result.report)) ?? '');
  if (!valid) {
    io.fail(`Data validation failed: ${errors} errors, ${warnings} warnings (fail-on: ${failOn}). See ${workspace.shown(paths.report)}.`);
  }
}

/** Posts or updates the report's sticky comment on the event's pull request (input comment); its URL, or null. */
async function postComment(ctx: StepContext, report: string): Promise<string | null> {
  const mode = choiceInput<'auto' | 'true' | 'false'>(ctx, validateData, 'comment') ?? 'false';
  if (mode === 'false') return null;
  const event = await ctx.env.event();
  const client = ctx.github(stringInput(ctx, validateData, 'token'));
  if (!event || !client) {
    if (mode === 'true')
      ctx.io.warning(
        `No pull request comment: ${!event ? 'no GitHub event (GITHUB_EVENT_PATH)' : 'no token (set the `token` input or GITHUB_TOKEN)'}.`,
      );
    return null;
  }
  const footer = ctx.env.runUrl ? `[Workflow run and artifacts](${ctx.env.runUrl})` : '';
  const key = stringInput(ctx, validateData, 'comment-key') || 'validate-data';
  const result = await publishPrComment(client.github, client.repo, event, key, validationComment(report, footer), ctx.io, {
    eventName: ctx.env.eventName ?? undefined,
  });
  if (!result.posted && mode === 'true' && result.reason === 'not a pull request event')
    ctx.io.info('No pull request comment: the event is not a pull request.');
  return result.posted ? result.comment.url : null;
}
