/** validate-data: check data against its schema, profile every column, report. */
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { asList, configPath, loadConfig } from '../core/config/config.js';
import type { FailOn, LoadedConfig } from '../core/config/config.js';
import { UserError } from '../core/errors.js';
import { expandPaths } from '../core/data/paths.js';
import type { DataFormat } from '../core/data/source.js';
import { summarizeProfile } from '../core/profile/summary.js';
import { loadSchema } from '../core/schema/schema.js';
import type { DataSchema } from '../core/schema/schema.js';
import { renderValidationReport } from '../core/validate/report.js';
import { scanData } from '../core/validate/scan.js';
import type { ScanProgress, ScanResult } from '../core/validate/scan.js';
import type { StepIO } from '../ports/step-io.js';
import { artifactsAvailable, uploadArtifact } from './artifacts.js';
import { choiceInput, listInput } from './spec.js';
import type { StepSpec } from './spec.js';

export interface ValidateDataResult {
  valid: boolean;
  errors: number;
  warnings: number;
  reportPath: string;
  profilePath: string;
  resultsPath: string;
  scan: ScanResult;
}

export const validateData: StepSpec = {
  name: 'validate-data',
  title: 'Validate data',
  description:
    'Checks data files (CSV, TSV, JSON Lines; gzip too) against a schema, profiles every column into a mergeable profile, and reports every anomaly with sample rows.',
  inputs: {
    config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
    data: { description: 'Data files or globs, one per line. Default: data.path in mlops.yaml.', list: true },
    schema: {
      description:
        'The schema (YAML) to validate against. Default: data.schema in mlops.yaml; without one only the file structure is checked.',
    },
    format: {
      description: 'File format: auto (from the file name), csv, tsv or jsonl. Default: data.format in mlops.yaml, else auto.',
      choices: ['auto', 'csv', 'tsv', 'jsonl'],
      default: 'auto',
    },
    'fail-on': {
      description:
        'Fail the step on anomalies of this severity or worse: error, warning or never. Default: validate.fail_on in mlops.yaml, else error.',
      choices: ['error', 'warning', 'never'],
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
  async run(io: StepIO): Promise<void> {
    await runValidateData(io);
  },
};

export async function runValidateData(io: StepIO): Promise<ValidateDataResult> {
  const loaded = await loadConfig(io.getInput('config') || undefined);
  const cwd = process.cwd();
  const dataInputs = listInput(io, 'data');
  const patterns =
    dataInputs.length > 0 ? dataInputs.map((p) => resolve(cwd, p)) : asList(loaded.config.data.path).map((p) => configPath(loaded, p));
  if (patterns.length === 0) {
    throw new UserError('no data to validate', 'Set the `data` input (or --data), or data.path in mlops.yaml.');
  }
  const files = await expandPaths(patterns);
  const schemaInput = io.getInput('schema');
  const schemaFile = schemaInput
    ? resolve(cwd, schemaInput)
    : loaded.config.data.schema
      ? configPath(loaded, loaded.config.data.schema)
      : null;
  const schema: DataSchema | null = schemaFile ? await loadSchema(shown(schemaFile)) : null;
  const format = (choiceInput<DataFormat | 'auto'>(io, validateData, 'format') ?? loaded.config.data.format ?? 'auto') as
    DataFormat | 'auto';
  const failOn = choiceInput<FailOn>(io, validateData, 'fail-on') ?? loaded.config.validate.fail_on ?? 'error';
  const outputDir = outputDirFor(io, loaded, 'validate-data');

  if (!schema)
    io.warning(
      'No schema given: only the file structure is checked. Write one with `mlops infer-schema DATA > schema.yaml` and set data.schema in mlops.yaml.',
    );
  const scan = await io.group(`Reading ${files.length === 1 ? shown(files[0]!) : `${files.length} files`}`, () =>
    scanData(files.map(shown), {
      schema,
      format,
      nullValues: loaded.config.data.null_values,
      sampleLimit: loaded.config.validate.sample_rows ?? 5,
      onProgress: (p) => io.info(progressLine(p)),
    }),
  );
  const errors = scan.anomalies.filter((a) => a.severity === 'error').length;
  const warnings = scan.anomalies.length - errors;
  const valid = failOn === 'never' ? true : failOn === 'warning' ? errors + warnings === 0 : errors === 0;
  const columns = summarizeProfile(scan.profile);

  await mkdir(outputDir, { recursive: true });
  const reportPath = join(outputDir, 'report.md');
  const profilePath = join(outputDir, 'profile.json');
  const resultsPath = join(outputDir, 'validation.json');
  const report = renderValidationReport({
    files: scan.profile.files,
    schemaFile: schemaFile ? shown(schemaFile) : null,
    rows: scan.rows,
    bytes: scan.bytes,
    elapsedMs: scan.elapsedMs,
    anomalies: scan.anomalies,
    columns,
  });
  await writeFileAtomic(profilePath, `${JSON.stringify(scan.profile)}\n`);
  await writeFileAtomic(
    resultsPath,
    `${JSON.stringify({ valid, errors, warnings, failOn, rows: scan.rows, files: scan.profile.files, schema: schemaFile ? shown(schemaFile) : null, anomalies: scan.anomalies, columns }, null, 2)}\n`,
  );
  await writeFileAtomic(reportPath, report);

  // Annotations point at the first offending line of each anomaly.
  for (const anomaly of scan.anomalies.slice(0, 10)) {
    const sample = anomaly.samples.find((s) => s.line > 0);
    const where = {
      file: sample?.file ?? anomaly.file,
      line: sample?.line,
      title: `validate-data: ${anomaly.kind}${anomaly.column !== undefined ? ` in ${anomaly.column}` : ''}`,
    };
    const text = anomaly.column !== undefined ? `${anomaly.column}: ${anomaly.message}` : anomaly.message;
    if (anomaly.severity === 'error') io.error(text, where);
    else io.warning(text, where);
  }
  await io.appendSummary(report);
  const mbPerSecond = scan.bytes / 1e6 / Math.max(scan.elapsedMs / 1000, 1e-3);
  io.info(
    `${scan.rows.toLocaleString('en-US')} rows, ${(scan.bytes / 1e6).toFixed(1)} MB in ${(scan.elapsedMs / 1000).toFixed(2)} s (${mbPerSecond.toFixed(0)} MB/s): ${errors} errors, ${warnings} warnings.`,
  );
  io.info(`Report: ${shown(reportPath)}`);
  io.setOutput('valid', String(valid));
  io.setOutput('errors', String(errors));
  io.setOutput('warnings', String(warnings));
  io.setOutput('report', shown(reportPath));
  io.setOutput('profile', shown(profilePath));
  io.setOutput('results', shown(resultsPath));
  const artifact = io.getInput('artifact-name');
  if (artifact) {
    if (artifactsAvailable(io)) await uploadArtifact(io, artifact, outputDir, 'the reports');
    else io.info(`artifact-name is set but this is not a GitHub Actions job step: the reports stay in ${shown(outputDir)}.`);
  }
  if (!valid) {
    io.fail(`Data validation failed: ${errors} errors, ${warnings} warnings (fail-on: ${failOn}). See ${shown(reportPath)}.`);
  }
  return { valid, errors, warnings, reportPath, profilePath, resultsPath, scan };
}

/**
 * A step's output folder: for the running step (`own`), the `output-dir` input when
 * set; else output_dir in mlops.yaml, else .mlops beside mlops.yaml. Other steps'
 * folders (a model to evaluate, a report to include) never follow this step's input.
 */
export function outputDirFor(io: StepIO, loaded: LoadedConfig, step: string, own = true): string {
  const input = own ? io.getInput('output-dir') : '';
  if (input) return resolve(process.cwd(), input);
  if (loaded.config.output_dir) return join(configPath(loaded, loaded.config.output_dir), step);
  return join(loaded.baseDir, '.mlops', step);
}

/** A path as users should see it: relative to the working directory when inside it. */
export function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function progressLine(p: ScanProgress): string {
  const seconds = p.elapsedMs / 1000;
  const done = p.fileSize > 0 ? p.bytesRead / p.fileSize : 0;
  const rate = p.bytesRead / 1e6 / Math.max(seconds, 1e-3);
  const eta = rate > 0 ? (p.fileSize - p.bytesRead) / 1e6 / rate : 0;
  const fileNote = p.files > 1 ? ` (file ${p.fileIndex + 1} of ${p.files})` : '';
  return `${p.file}${fileNote}: ${(p.bytesRead / 1e6).toFixed(0)} of ${(p.fileSize / 1e6).toFixed(0)} MB (${(done * 100).toFixed(0)}%), ${p.rows.toLocaleString('en-US')} rows, ${rate.toFixed(0)} MB/s, about ${eta.toFixed(0)} s left`;
}
