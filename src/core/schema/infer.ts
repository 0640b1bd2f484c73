/**
 * A schema inferred from a profile: a starting point that the data it came from
 * passes, for users to read, tighten or loosen, and commit.
 */
import { FrequentItems } from '../sketch/index.js';
import type { DatasetProfile } from '../profile/profile.js';
import { columnTotal } from '../profile/profile.js';
import { inferColumnType } from '../profile/summary.js';
import { columnRecord } from './schema.js';
import type { ColumnSchema, DataSchema } from './schema.js';

export interface InferOptions {
  /** A string column with at most this many distinct values gets a `domain`. */
  maxDomainSize?: number;
}

export const DEFAULT_MAX_DOMAIN_SIZE = 20;

export function inferSchema(profile: DatasetProfile, options: InferOptions = {}): DataSchema {
  const maxDomain = options.maxDomainSize ?? DEFAULT_MAX_DOMAIN_SIZE;
  const columns: [string, ColumnSchema][] = [];
  for (const column of profile.columns) {
    const type = inferColumnType(column);
    const total = columnTotal(column);
    const nulls = column.counts.null;
    const schema: ColumnSchema = { type: type === 'empty' ? 'string' : type };
    if (nulls === 0) schema.nullable = false;
    else schema.max_null_fraction = roundUp(Math.min(1, (2 * nulls) / total), 3);
    if ((type === 'integer' || type === 'number') && column.numeric) {
      schema.min = column.numeric.min;
      schema.max = column.numeric.max;
    }
    if (type === 'number') {
      if (column.counts.nan > 0) schema.allow_nan = true;
      if (column.counts.infinity > 0) schema.allow_infinity = true;
    }
    if (type === 'datetime' && column.datetime) {
      schema.min = new Date(column.datetime.min).toISOString();
      schema.max = new Date(column.datetime.max).toISOString();
    }
    if (type === 'string') {
      const top = FrequentItems.fromJSON(column.top);
      const nonNull = total - nulls;
      // Categorical: few distinct values, each seen more than once on average.
      if (top.exact && column.numbersInTop && top.size <= maxDomain && top.size * 2 <= nonNull) {
        schema.domain = top
          .top(top.size)
          .map(([value]) => value)
          .sort();
      }
    }
    columns.push([column.name, schema]);
  }
  return {
    version: 1,
    dataset: {
      min_rows: Math.floor(profile.rows / 10),
      max_rows: profile.rows * 10,
      unexpected_columns: 'warning',
    },
    columns: columnRecord(columns),
  };
}

function roundUp(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.ceil(value * scale) / scale;
}
