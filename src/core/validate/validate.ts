/**
 * validate-data's use case: scan data files against a schema (or without one, their
 * structure only), judge the anomalies by the fail-on severity, and write the three
 * outputs: report.md (what people read), profile.json (the mergeable profile) and
 * validation.json (anomalies and column statistics, for machines). A scan of one shard
 * of the files can also write shard.json; merging shards (shards.ts) writes the same
 * three outputs one scan of all the files would have written.
 */
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { FailOn } from '../config/config.js';
import type { DataFormat } from '../data/source.js';
import { DEFAULT_NULL_VALUES } from '../data/values.js';
import { summarizeProfile } from '../profile/summary.js';
import type { ColumnSummary } from '../profile/summary.js';
import type { DataSchema, Severity } from '../schema/schema.js';
import type { Anomaly } from './anomalies.js';
import { renderValidationReport } from './report.js';
import { scanData } from './scan.js';
import type { ScanProgress, ScanResult } from './scan.js';
import { findShards, mergeShards, readShard, shardSettings, writeShard } from './shards.js';

export interface ValidateDataOptions {
  /** The data files, named as they are shown (and annotated): relative to `baseDir` when inside it. */
  files: readonly string[];
  /** The folder relative file names are read from: the working directory. */
  baseDir: string;
  schema: DataSchema | null;
  /** The schema's file as shown, or null. */
  schemaFile: string | null;
  format: DataFormat | 'auto';
  nullValues?: readonly string[];
  /** Sample rows kept per anomaly. */
  sampleRows: number;
  failOn: FailOn;
  /** Where report.md, profile.json and validation.json go (created by the caller). */
  outputDir: string;
  onProgress?: (progress: ScanProgress) => void;
  /** Also write shard.json (and the unique columns' values): what a merge with other shards needs. */
  mergeable?: boolean;
}

export interface MergeShardsOptions {
  /** The shards' folders (or shard.json files, or globs of either), in shard order. */
  shards: readonly string[];
  /** How a path is shown to people. */
  shown: (path: string) => string;
  schema: DataSchema | null;
  schemaFile: string | null;
  nullValues: readonly string[];
  sampleRows: number;
  failOn: FailOn;
  outputDir: string;
}

export interface ValidateDataResult {
  /** True when no anomaly reached the fail-on severity. */
  valid: boolean;
  errors: number;
  warnings: number;
  failOn: FailOn;
  /** The Markdown report (also written to `paths.report`). */
  report: string;
  paths: { report: string; profile: string; results: string; shard?: string };
  columns: ColumnSummary[];
  scan: ScanResult;
  /** Shards merged (merge mode only). */
  shards?: number;
}

/** Whether data with these anomaly counts passes at `failOn`. */
export function passes(failOn: FailOn, errors: number, warnings: number): boolean {
  return failOn === 'never' ? true : failOn === 'warning' ? errors + warnings === 0 : errors === 0;
}

/** Scans the data, judges it and writes the reports into `outputDir`. */
export async function validateDataFiles(options: ValidateDataOptions): Promise<ValidateDataResult> {
  const nullValues = options.nullValues ?? DEFAULT_NULL_VALUES;
  const scan = await scanData(options.files, {
    schema: options.schema,
    format: options.format,
    nullValues,
    baseDir: options.baseDir,
    sampleLimit: options.sampleRows,
    onProgress: options.onProgress,
    mergeable: options.mergeable,
  });
  const result = await writeResults(scan, options, {});
  if (options.mergeable)
    result.paths.shard = await writeShard(options.outputDir, scan, shardSettings(options.schema, nullValues, options.sampleRows));
  return result;
}

/**
 * Merges the shards' outputs (each written with `mergeable`) and writes the reports one scan
 * of all their files, in shard order, would have written; validation.json also lists the shards.
 */
export async function mergeValidationShards(options: MergeShardsOptions): Promise<ValidateDataResult> {
  const dirs = await findShards(options.shards);
  const shards = [];
  for (const dir of dirs) shards.push(await readShard(dir, options.shown(dir)));
  const settings = shardSettings(options.schema, options.nullValues, options.sampleRows);
  const scan = await mergeShards(shards, options.schema, settings);
  const list = shards.map(({ shownAs, shard }) => ({ from: shownAs, files: shard.files.length, rows: shard.rows }));
  return { ...(await writeResults(scan, options, { shards: list })), shards: shards.length };
}

async function writeResults(
  scan: ScanResult,
  options: { schemaFile: string | null; failOn: FailOn; outputDir: string },
  extra: Record<string, unknown>,
): Promise<ValidateDataResult> {
  const errors = scan.anomalies.filter((a) => a.severity === 'error').length;
  const warnings = scan.anomalies.length - errors;
  const { failOn, schemaFile, outputDir } = options;
  const valid = passes(failOn, errors, warnings);
  const columns = summarizeProfile(scan.profile);

  const paths = {
    report: join(outputDir, 'report.md'),
    profile: join(outputDir, 'profile.json'),
    results: join(outputDir, 'validation.json'),
  };
  const report = renderValidationReport({
    files: scan.profile.files,
    schemaFile,
    rows: scan.rows,
    bytes: scan.bytes,
    elapsedMs: scan.elapsedMs,
    anomalies: scan.anomalies,
    columns,
  });
  await writeFileAtomic(paths.profile, `${JSON.stringify(scan.profile)}\n`);
  await writeFileAtomic(
    paths.results,
    `${JSON.stringify({ valid, errors, warnings, failOn, rows: scan.rows, files: scan.profile.files, schema: schemaFile, anomalies: scan.anomalies, columns, ...extra }, null, 2)}\n`,
  );
  await writeFileAtomic(paths.report, report);
  return { valid, errors, warnings, failOn, report, paths, columns, scan };
}

/** One line of reading progress: file, share read, rows, speed and time left. */
export function progressLine(p: ScanProgress): string {
  const seconds = p.elapsedMs / 1000;
  const done = p.fileSize > 0 ? p.bytesRead / p.fileSize : 0;
  const rate = p.bytesRead / 1e6 / Math.max(seconds, 1e-3);
  const eta = rate > 0 ? (p.fileSize - p.bytesRead) / 1e6 / rate : 0;
  const fileNote = p.files > 1 ? ` (file ${p.fileIndex + 1} of ${p.files})` : '';
  return `${p.file}${fileNote}: ${(p.bytesRead / 1e6).toFixed(0)} of ${(p.fileSize / 1e6).toFixed(0)} MB (${(done * 100).toFixed(0)}%), ${p.rows.toLocaleString('en-US')} rows, ${rate.toFixed(0)} MB/s, about ${eta.toFixed(0)} s left`;
}

/** The closing log line: rows, size, time and speed, and the anomaly counts. */
export function throughputLine(result: ValidateDataResult): string {
  const { scan, errors, warnings } = result;
  const mbPerSecond = scan.bytes / 1e6 / Math.max(scan.elapsedMs / 1000, 1e-3);
  return `${scan.rows.toLocaleString('en-US')} rows, ${(scan.bytes / 1e6).toFixed(1)} MB in ${(scan.elapsedMs / 1000).toFixed(2)} s (${mbPerSecond.toFixed(0)} MB/s): ${errors} errors, ${warnings} warnings.`;
}

/** An annotation of an anomaly: on the first offending line of its file (or the file), with a title naming kind and column. */
export interface AnomalyAnnotation {
  severity: Severity;
  message: string;
  where: { file?: string; line?: number; title: string };
}

/** Annotations of the first `limit` anomalies (GitHub shows only ten of a step's annotations of a kind). */
export function anomalyAnnotations(anomalies: readonly Anomaly[], limit = 10): AnomalyAnnotation[] {
  return anomalies.slice(0, limit).map((anomaly) => {
    const sample = anomaly.samples.find((s) => s.line > 0);
    return {
      severity: anomaly.severity,
      message: anomaly.column !== undefined ? `${anomaly.column}: ${anomaly.message}` : anomaly.message,
      where: {
        file: sample?.file ?? anomaly.file,
        line: sample?.line,
        title: `validate-data: ${anomaly.kind}${anomaly.column !== undefined ? ` in ${anomaly.column}` : ''}`,
      },
    };
  });
}
