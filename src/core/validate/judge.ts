/**
 * The dataset-level judgement, written once for one scan and for merged shards: given the
 * whole data set's profile, the anomalies each file showed on its own (empty files, rows
 * that do not parse, missing or unexpected columns, repeated header names) and the schema
 * columns' check counts, it applies every check that needs the whole data set: each
 * check's `mostly` tolerance (value counts over all rows), null fractions, uniqueness, and
 * the row count bounds. The same inputs give the same anomalies, in the same order.
 */
import { columnTotal } from '../profile/profile.js';
import type { DatasetProfile } from '../profile/profile.js';
import type { DataSchema } from '../schema/schema.js';
import { ANOMALY_KINDS, SEVERITY_ORDER } from './anomalies.js';
import type { Anomaly } from './anomalies.js';
import type { ColumnChecker } from './column-checks.js';

export interface DatasetJudgement {
  schema: DataSchema | null;
  /** The whole data set's profile (rows, and each column's value counts). */
  profile: DatasetProfile;
  /** Anomalies of single files, in file order. */
  fileAnomalies: readonly Anomaly[];
  /** The schema columns' checkers, in schema order, holding every row's counts. */
  checkers: Iterable<ColumnChecker>;
}

/** Every anomaly of the data set: errors first, then by kind (stable: file order and schema order within a kind). */
export function judgeDataset({ schema, profile, fileAnomalies, checkers }: DatasetJudgement): Anomaly[] {
  const anomalies = [...fileAnomalies];
  const columns = new Map(profile.columns.map((column) => [column.name, column]));
  for (const checker of checkers) {
    const column = columns.get(checker.name);
    const total = column ? columnTotal(column) : 0;
    if (total === 0) continue; // missing everywhere: reported as missing_column
    anomalies.push(...checker.finish(total, column!.counts.null));
  }
  if (schema) anomalies.push(...rowCountAnomalies(schema, profile.rows));
  const kindOrder = Object.keys(ANOMALY_KINDS);
  return anomalies.sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind),
  );
}

function rowCountAnomalies(schema: DataSchema, rows: number): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const { min_rows: minRows, max_rows: maxRows } = schema.dataset;
  if (minRows !== undefined && rows < minRows) {
    anomalies.push({
      kind: 'too_few_rows',
      severity: 'error',
      message: `${rows} rows; the schema asks for at least ${minRows}.`,
      expected: `>= ${minRows} rows`,
      samples: [],
    });
  }
  if (maxRows !== undefined && rows > maxRows) {
    anomalies.push({
      kind: 'too_many_rows',
      severity: 'error',
      message: `${rows} rows; the schema allows at most ${maxRows}.`,
      expected: `<= ${maxRows} rows`,
      samples: [],
    });
  }
  return anomalies;
}
