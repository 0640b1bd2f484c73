import type { Severity } from '../schema/schema.js';

export const ANOMALY_KINDS = {
  empty_file: 'The file has no data rows',
  unreadable_file: 'The file could not be read',
  malformed_row: 'Rows that do not parse (wrong number of fields, bad quoting or bad JSON)',
  duplicate_header: 'A column name appears twice in the header',
  missing_column: 'A column of the schema is missing',
  unexpected_column: 'A column the schema does not know',
  wrong_type: 'Values of the wrong type',
  too_many_nulls: 'More missing values than allowed',
  below_min: 'Values below the minimum',
  above_max: 'Values above the maximum',
  not_in_domain: 'Values outside the allowed set',
  nan: 'NaN where it is not allowed',
  infinity: 'Infinity where it is not allowed',
  duplicate_value: 'Repeated values in a column declared unique',
  too_few_rows: 'Fewer rows than the minimum',
  too_many_rows: 'More rows than the maximum',
} as const;
export type AnomalyKind = keyof typeof ANOMALY_KINDS;

/** A row that shows an anomaly: its file, data row (1-based, header excluded) and line in the file (0 in a Parquet file, which has no lines). */
export interface Sample {
  file: string;
  row: number;
  line: number;
  value: string;
}

export interface Anomaly {
  kind: AnomalyKind;
  severity: Severity;
  /** The column, for column anomalies. */
  column?: string;
  /** The file, for anomalies of one file. */
  file?: string;
  /** One sentence: what was found and what was expected. */
  message: string;
  expected?: string;
  /** Values that failed (Great Expectations' unexpected_count). */
  unexpectedCount?: number;
  /** Values checked. */
  checked?: number;
  /** unexpectedCount / checked. */
  unexpectedFraction?: number;
  /** The tolerance: the share of values that had to pass. */
  mostly?: number;
  samples: Sample[];
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1 };
