/**
 * The data schema: a YAML file users read, edit and commit. Each check can be
 * written plainly (`min: 0`) or with its own tolerance and severity
 * (`min: { value: 0, mostly: 0.99, severity: warning }`), as in Great Expectations.
 */
import { readFile } from 'node:fs/promises';
import { parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { formatZodError } from '../zod-errors.js';

export const Severity = z.enum(['error', 'warning']);
export type Severity = z.infer<typeof Severity>;

const Fraction = z.number().min(0).max(1);

const checkOptions = { mostly: Fraction.optional(), severity: Severity.optional() };

/** A check's value, plain or with its own `mostly` and `severity`. */
function check<T extends z.ZodType>(value: T) {
  return z.union([value, z.strictObject({ value, ...checkOptions })]);
}

export const ColumnType = z.enum(['integer', 'number', 'boolean', 'string', 'datetime']);
export type ColumnTypeName = z.infer<typeof ColumnType>;

export const ColumnSchema = z.strictObject({
  type: check(ColumnType),
  description: z.string().optional(),
  /** Whether a file must have this column (default true). */
  required: z.boolean().optional(),
  /** false: no nulls at all. */
  nullable: z.boolean().optional(),
  max_null_fraction: check(Fraction).optional(),
  min: check(z.union([z.number(), z.string()])).optional(),
  max: check(z.union([z.number(), z.string()])).optional(),
  domain: z.union([z.array(z.string()), z.strictObject({ values: z.array(z.string()), ...checkOptions })]).optional(),
  allow_nan: z.boolean().optional(),
  allow_infinity: z.boolean().optional(),
  unique: z.boolean().optional(),
  /** Default tolerance for this column's value checks: the share of non-null values that must pass. */
  mostly: Fraction.optional(),
  /** Default severity of this column's anomalies. */
  severity: Severity.optional(),
});
export type ColumnSchema = z.infer<typeof ColumnSchema>;

export const DataSchema = z.strictObject({
  version: z.literal(1).default(1),
  dataset: z
    .strictObject({
      min_rows: z.number().int().min(0).optional(),
      max_rows: z.number().int().min(0).optional(),
      /** What a column not in the schema is: error, warning (default) or ignore. */
      unexpected_columns: z.enum(['error', 'warning', 'ignore']).optional(),
    })
    .default({}),
  columns: z.record(z.string(), ColumnSchema),
});
export type DataSchema = z.infer<typeof DataSchema>;

/** A check resolved to its parts. */
export interface ResolvedCheck<T> {
  value: T;
  mostly: number;
  severity: Severity;
}

export function resolveCheck<T>(
  check: T | { value: T; mostly?: number | undefined; severity?: Severity | undefined } | undefined,
  column: ColumnSchema,
): ResolvedCheck<T> | undefined {
  if (check === undefined) return undefined;
  const defaults = { mostly: column.mostly ?? 1, severity: column.severity ?? 'error' };
  if (typeof check === 'object' && check !== null && !Array.isArray(check) && 'value' in check) {
    return { value: check.value, mostly: check.mostly ?? defaults.mostly, severity: check.severity ?? defaults.severity };
  }
  return { value: check as T, ...defaults };
}

export function resolveDomain(column: ColumnSchema): ResolvedCheck<string[]> | undefined {
  const domain = column.domain;
  if (domain === undefined) return undefined;
  if (Array.isArray(domain)) return { value: domain, mostly: column.mostly ?? 1, severity: column.severity ?? 'error' };
  return { value: domain.values, mostly: domain.mostly ?? column.mostly ?? 1, severity: domain.severity ?? column.severity ?? 'error' };
}

/** Parses schema YAML text; `file` names the file in errors. */
export function parseSchema(text: string, file: string): DataSchema {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    throw new UserError(`${file}: not valid YAML: ${first.message}`, 'Fix the YAML syntax at the line shown.');
  }
  const raw: unknown = document.toJS();
  const result = DataSchema.safeParse(raw);
  if (!result.success) throw invalidSchema(file, result.error);
  // zod leaves a `__proto__` key out of a record's output (a guard against
  // prototype pollution), but it is a legitimate column name: check it here.
  const rawColumns = (raw as { columns: Record<string, unknown> }).columns;
  const columns = columnRecord(
    Object.keys(rawColumns).map((name): [string, ColumnSchema] => {
      if (name !== '__proto__') return [name, result.data.columns[name]!];
      const column = ColumnSchema.safeParse(rawColumns[name]);
      if (!column.success) {
        const issues = column.error.issues.map((issue) => ({ ...issue, path: ['columns', name, ...issue.path] }));
        throw invalidSchema(file, new z.ZodError(issues));
      }
      return [name, column.data];
    }),
  );
  return { ...result.data, columns };
}

function invalidSchema(file: string, error: z.ZodError): UserError {
  return new UserError(
    `${file}: not a valid data schema:\n${formatZodError(error)}`,
    'Compare with `mlops infer-schema DATA`, which writes a valid schema.',
  );
}

/**
 * Schema columns by name, in a prototype-less object: a column may be named
 * `constructor`, `toString` or `__proto__`, and looking it up must find that
 * column or nothing, never a property of `Object.prototype`. Readers should
 * still use `Object.hasOwn` (a schema passed to a worker thread arrives as a
 * plain object).
 */
export function columnRecord(entries: Iterable<readonly [string, ColumnSchema]>): Record<string, ColumnSchema> {
  const columns = Object.create(null) as Record<string, ColumnSchema>;
  for (const [name, column] of entries) columns[name] = column;
  return columns;
}

/** The schema of column `name`, or undefined: own keys only. */
export function schemaColumn(schema: DataSchema, name: string): ColumnSchema | undefined {
  return Object.hasOwn(schema.columns, name) ? schema.columns[name] : undefined;
}

/** Reads and checks the schema at `file`; messages name it `name` (how people know it). */
export async function loadSchema(file: string, name = file): Promise<DataSchema> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(
      `cannot read schema ${name}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      'Check the schema path, or create one with `mlops infer-schema DATA > schema.yaml`.',
    );
  }
  return parseSchema(text, name);
}

export function schemaToYaml(schema: DataSchema, header?: string): string {
  const body = stringify(schema, { lineWidth: 0 });
  return header
    ? `${header
        .split('\n')
        .map((line) => `# ${line}`.trimEnd())
        .join('\n')}\n${body}`
    : body;
}
