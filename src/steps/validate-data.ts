/** validate-data: check data against its schema, profile every column, report. */
import { Config } from '../core/config/config.js';
import type { FailOn } from '../core/config/config.js';
import { expandPaths } from '../core/data/paths.js';
import type { DataFormat } from '../core/data/source.js';
import { UserError } from '../core/errors.js';
import { loadSchema } from '../core/schema/schema.js';
import type { DataSchema } from '../core/schema/schema.js';
import { anomalyAnnotations, progressLine, throughputLine, validateDataFiles } from '../core/validate/validate.js';
import { ensureWritableDir } from '../core/workspace.js';
import { uploadArtifact } from './artifacts.js';
import type { StepContext } from './context.js';
import { choiceInput, pathInput, pathsInput } from './spec.js';
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
  },
  outputs: {
    valid: { description: '"true" when no anomaly reached the fail-on severity, else "false".' },
    errors: { description: 'Number of error anomalies.' },
    warnings: { description: 'Number of warning anomalies.' },
    report: { description: 'Path of the Markdown report.' },
    profile: { description: 'Path of the mergeable data profile (JSON).' },
    results: { description: 'Path of the machine-readable anomalies and statistics (JSON).' },
  },
  // The section is declared with the shared keys (infer-schema reads validate.max_domain_size too).
  config: { key: 'validate', schema: Config.shape.validate },
  async run(ctx: StepContext): Promise<void> {
    await runValidateData(ctx);
  },
};

/** Resolves the inputs, validates the data, and publishes the result (outputs, annotations, summary, artifact). */
async function runValidateData(ctx: StepContext): Promise<void> {
  const { io, workspace, config: loaded } = ctx;
  const step = validateData;
  const patterns = pathsInput(ctx, step, 'data');
  if (patterns.length === 0) {
    throw new UserError('no data to validate', 'Set the `data` input (or --data), or data.path in mlops.yaml.');
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
  const result = await io.group(`Reading ${files.length === 1 ? workspace.shown(files[0]!) : `${files.length} files`}`, () =>
    validateDataFiles({
      files: files.map((f) => workspace.shown(f)),
      baseDir: workspace.cwd,
      schema,
      schemaFile: schemaFile ? workspace.shown(schemaFile) : null,
      format,
      nullValues: loaded.config.data.null_values,
      sampleRows: loaded.config.validate.sample_rows ?? 5,
      failOn,
      outputDir,
      onProgress: (p) => io.info(progressLine(p)),
    }),
  );

  for (const annotation of anomalyAnnotations(result.scan.anomalies)) {
    if (annotation.severity === 'error') io.error(annotation.message, annotation.where);
    else io.warning(annotation.message, annotation.where);
  }
  await io.appendSummary(result.report);
  io.info(throughputLine(result));
  const { paths, valid, errors, warnings } = result;
  io.info(`Report: ${workspace.shown(paths.report)}`);
  io.setOutput('valid', String(valid));
  io.setOutput('errors', String(errors));
  io.setOutput('warnings', String(warnings));
  io.setOutput('report', workspace.shown(paths.report));
  io.setOutput('profile', workspace.shown(paths.profile));
  io.setOutput('results', workspace.shown(paths.results));
  const artifact = io.getInput('artifact-name');
  if (artifact) {
    if (await ctx.artifacts()) await uploadArtifact(ctx, artifact, outputDir, 'the reports');
    else io.info(`artifact-name is set but this is not a GitHub Actions job step: the reports stay in ${workspace.shown(outputDir)}.`);
  }
  if (!valid) {
    io.fail(`Data validation failed: ${errors} errors, ${warnings} warnings (fail-on: ${failOn}). See ${workspace.shown(paths.report)}.`);
  }
}
