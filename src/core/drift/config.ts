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
 *     prediction_column: _prediction
 *     fail_on_drift: false
 *     columns:
 *       bill_length_mm: { method: ks, threshold: 0.01 }
 *       island: { skip: true }
 *       zip: { kind: categorical }
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { formatZodError } from '../zod-errors.js';
import { METHOD_NAMES } from './methods.js';

const Method = z.enum(METHOD_NAMES);
const Share = z.number().min(0).max(1);
const Threshold = z.number().min(0);

const ColumnSettings = z.strictObject({
  method: Method.optional(),
  threshold: Threshold.optional(),
  skip: z.boolean().optional(),
  kind: z.enum(['numeric', 'categorical']).optional(),
  null_share_threshold: Share.optional(),
});

export const DriftSettings = z
  .strictObject({
    reference: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    current: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    drift_share: Share.optional(),
    method: Method.optional(),
    threshold: Threshold.optional(),
    null_share_threshold: Share.optional(),
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
