/**
 * The `drift:` section of mlops.yaml:
 *
 *   drift:
 *     reference: data/penguins.csv          # or a profile.json, or model@production
 *     current: data/production/*.jsonl
 *     drift_share: 0.5                      # dataset drift when this share of features drifted
 *     method: psi                           # one test for every column it serves (default: per column, Evidently's rule)
 *     threshold: 0.2                        # that test's threshold (needs `method`)
 *     null_share_threshold: 0.1             # a rise in the null share by more than this flags a column
 *     null_share_in_drift_share: false      # true: a column whose null share rose counts as drifted
 *     method_options:
 *       jensenshannon: { base: 2 }          # logarithm base (default e, as scipy and Evidently)
 *       chisquare: { test: contingency }    # 2 x k contingency test (default goodness-of-fit, as Evidently)
 *       psi: { bins: reference-deciles }    # numeric bins (default sturges, as Evidently; see below)
 *     min_current_rows: 30                  # fewer current rows: "not enough data", no dataset verdict
 *     prediction_column: _prediction
 *     fail_on_drift: false
 *     columns:
 *       bill_length_mm: { method: ks, threshold: 0.01 }
 *       island: { skip: true }
 *       zip: { kind: categorical }
 *       comment: { method: chisquare }      # a text column (skipped by default) tested as categorical
 *
 * `psi: { bins: reference-deciles }` bins numeric columns by the reference's 10%, ..., 90%
 * quantiles instead of Evidently's Sturges bins over both sides. It is there for one reader:
 * the online monitor of `mlops serve`, whose PSI gauge uses those bins (their edges must be
 * fixed before the first request, and Sturges' depend on the current data's min, max and
 * size): with it, drift-check on the same rows gives the dashboard's number.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { formatZodError } from '../zod-errors.js';
import { CHISQUARE_TESTS, DEFAULT_METHOD_OPTIONS, METHOD_NAMES, PSI_BINNINGS } from './methods.js';
import type { MethodOptions } from './methods.js';

const Method = z.enum(METHOD_NAMES);
const Share = z.number().min(0).max(1);
const Threshold = z.number().min(0);

const ColumnSettings = z.strictObject({
  method: Method.optional(),
  threshold: Threshold.optional(),
  skip: z.boolean().optional(),
  kind: z.enum(['numeric', 'categorical', 'text']).optional(),
  null_share_threshold: Share.optional(),
});

const MethodOptionsSettings = z.strictObject({
  jensenshannon: z.strictObject({ base: z.number().gt(1) }).optional(),
  chisquare: z.strictObject({ test: z.enum(CHISQUARE_TESTS) }).optional(),
  psi: z.strictObject({ bins: z.enum(PSI_BINNINGS) }).optional(),
});

export const DriftSettings = z
  .strictObject({
    reference: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    current: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    drift_share: Share.optional(),
    method: Method.optional(),
    threshold: Threshold.optional(),
    null_share_threshold: Share.optional(),
    null_share_in_drift_share: z.boolean().optional(),
    method_options: MethodOptionsSettings.optional(),
    min_current_rows: z.number().int().min(1).optional(),
    prediction_column: z.string().min(1).optional(),
    target: z.string().min(1).optional(),
    fail_on_drift: z.boolean().optional(),
    issue_labels: z.array(z.string().min(1)).optional(),
    retrain_workflow: z.string().min(1).optional(),
    columns: z.record(z.string(), ColumnSettings).optional(),
  })
  .refine((s) => s.threshold === undefined || s.method !== undefined, {
    message: '`threshold` needs `method` (thresholds differ by test: p-values for ks, chisquare, z; distances for the others)',
    path: ['threshold'],
  });
export type DriftSettings = z.infer<typeof DriftSettings>;
export type ColumnSettings = z.infer<typeof ColumnSettings>;

export const DEFAULT_DRIFT_SHARE = 0.5;
export const DEFAULT_NULL_SHARE_THRESHOLD = 0.1;
/**
 * Fewer current rows than this give "not enough data" instead of a dataset verdict.
 * Evidently has no such floor. 30: below it one unusual row decides the tests (one current
 * value beyond the reference's range gives an exact KS p-value of 2 / (n + 1), under 0.05
 * for any reference of 40 rows or more; one value of a category the reference lacks gives
 * a chi-square p of 0), and the chi-square approximation wants expected counts of 5 or more
 * (Cochran), which 30 rows give to categories holding a sixth of the reference.
 */
export const DEFAULT_MIN_CURRENT_ROWS = 30;

/** The test settings of drift.method_options, defaults filled in. */
export function methodOptions(settings: DriftSettings): MethodOptions {
  const given = settings.method_options ?? {};
  return {
    jensenshannonBase: given.jensenshannon?.base ?? DEFAULT_METHOD_OPTIONS.jensenshannonBase,
    chisquareTest: given.chisquare?.test ?? DEFAULT_METHOD_OPTIONS.chisquareTest,
    psiBins: given.psi?.bins ?? DEFAULT_METHOD_OPTIONS.psiBins,
  };
}

/** Validates the drift section; errors name the key (`drift.columns.island.method`). */
export function parseDriftSettings(value: unknown, file = 'mlops.yaml'): DriftSettings {
  const result = DriftSettings.safeParse(value ?? {});
  if (!result.success) {
    const prefixed = new z.ZodError(result.error.issues.map((issue) => ({ ...issue, path: ['drift', ...issue.path] })));
    throw new UserError(
      `${file}: invalid drift settings:\n${formatZodError(prefixed)}`,
      `Methods: ${METHOD_NAMES.join(', ')}. Shares and null_share_threshold are between 0 and 1. See the README section "drift-check".`,
    );
  }
  return result.data;
}
