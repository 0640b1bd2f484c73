/**
 * The `environments:` section of mlops.yaml (how each environment is deployed to), and
 * environment names. Names follow GitHub's environments: letters of either case, and
 * compared without regard to case (`Production` and `production` are one environment).
 * The registry alias that records what an environment runs is its name in lower case,
 * spaces as "-": `Production` -> `production`, `EU west` -> `eu-west`.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { DEFAULT_CANARY_LIMITS } from './canary.js';
import type { CanaryLimits } from './canary.js';

export const DEPLOY_TARGETS = ['registry', 'http', 'command'] as const;
export type DeployTargetName = (typeof DEPLOY_TARGETS)[number];
export const STRATEGIES = ['direct', 'canary'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/**
 * An environment name: letters (either case), digits, spaces, ".", "_" and "-", starting
 * with a letter or digit, at most 128 characters. GitHub allows more (255 characters,
 * more punctuation); these are the names that also make a registry alias (an OCI tag)
 * one way only.
 */
export const ENVIRONMENT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9 ._-]{0,126}[A-Za-z0-9._-])?$/;

export const ENVIRONMENT_NAME_RULE = 'letters, digits, spaces, ".", "_" and "-", starting with a letter or digit, at most 128 characters';

/** The registry alias of an environment: its name in lower case, each run of spaces as "-". */
export function aliasOf(environment: string): string {
  return environment.toLowerCase().replace(/ +/g, '-');
}

/** A name the user may give an environment. */
export function isEnvironmentName(name: string): boolean {
  return ENVIRONMENT_NAME.test(name);
}

const Canary = z.strictObject({
  /** Percent of requests sent to the candidate while it bakes. */
  weight: z.number().min(1).max(100).optional(),
  bake_seconds: z
    .number()
    .min(0)
    .max(6 * 3600)
    .optional(),
  min_requests: z.number().int().min(0).optional(),
  max_error_rate: z.number().min(0).max(1).optional(),
  max_error_rate_increase: z.number().min(0).max(1).optional(),
  max_p99_ms: z.number().positive().optional(),
  max_p99_ratio: z.number().positive().optional(),
  max_prediction_shift: z.number().min(0).max(1).optional(),
  max_mean_shift: z.number().min(0).optional(),
});

/** Names of environment variables a user's command may be given (shell variable names). */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const EnvironmentSettings = z.strictObject({
  /** Locally, deploying here needs --approve true (on GitHub, the environment's protection rules do this). */
  protected: z.boolean().optional(),
  /** GitHub's production_environment flag of the Deployment (default: true for an environment named production). */
  production: z.boolean().optional(),
  /** How to deploy (the deploy-target input). */
  target: z.enum(DEPLOY_TARGETS).optional(),
  url: z.string().url().optional(),
  /** The reload webhook path on `url` (default /admin/reload, the path of `mlops serve`). */
  webhook_path: z.string().startsWith('/').optional(),
  /**
   * The readiness check after an http deploy: default /v2/models/<model>/ready (mlops serve, KServe,
   * Triton); "" for none (a plain webhook receiver). With a custom webhook_path the default is none.
   */
  ready_path: z.union([z.literal(''), z.string().startsWith('/')]).optional(),
  command: z.string().optional(),
  verify_command: z.string().optional(),
  /** Variables (secrets) the deploy and verify commands get although they are withheld by default. */
  command_env: z.array(z.string().regex(VARIABLE_NAME, 'a variable name (letters, digits and "_")')).optional(),
  strategy: z.enum(STRATEGIES).optional(),
  canary: Canary.optional(),
  /** What GitHub shows as the environment's address (default: url). */
  environment_url: z.string().url().optional(),
});
export type EnvironmentSettings = z.infer<typeof EnvironmentSettings>;

/** The `environments:` section: settings by environment name; two names for one environment are refused. */
export const EnvironmentsSection = z
  .record(z.string().regex(ENVIRONMENT_NAME, ENVIRONMENT_NAME_RULE), EnvironmentSettings)
  .superRefine((section, context) => {
    const seen = new Map<string, string>();
    for (const name of Object.keys(section)) {
      const other = seen.get(aliasOf(name));
      if (other !== undefined)
        context.addIssue({
          code: 'custom',
          path: [name],
          message: `"${name}" and "${other}" name the same environment (names are compared without case, spaces as "-")`,
        });
      seen.set(aliasOf(name), name);
    }
  });
export type EnvironmentsSection = z.infer<typeof EnvironmentsSection>;

/** The settings of `environment` (found without regard to case), or {} when the section has none. */
export function settingsOf(section: EnvironmentsSection | undefined, environment: string): EnvironmentSettings {
  if (!isEnvironmentName(environment))
    throw new UserError(`environment name "${environment}" is not allowed`, `Use ${ENVIRONMENT_NAME_RULE}.`);
  const alias = aliasOf(environment);
  const name = Object.keys(section ?? {}).find((key) => aliasOf(key) === alias);
  return name === undefined ? {} : section![name]!;
}

/** The canary limits of an environment's settings, each unset one at its default. */
export function canaryLimits(settings: EnvironmentSettings): CanaryLimits {
  const c = settings.canary ?? {};
  return {
    minRequests: c.min_requests ?? DEFAULT_CANARY_LIMITS.minRequests,
    maxErrorRate: c.max_error_rate ?? DEFAULT_CANARY_LIMITS.maxErrorRate,
    maxErrorRateIncrease: c.max_error_rate_increase ?? DEFAULT_CANARY_LIMITS.maxErrorRateIncrease,
    maxP99Ms: c.max_p99_ms ?? DEFAULT_CANARY_LIMITS.maxP99Ms,
    maxP99Ratio: c.max_p99_ratio ?? DEFAULT_CANARY_LIMITS.maxP99Ratio,
    maxPredictionShift: c.max_prediction_shift ?? DEFAULT_CANARY_LIMITS.maxPredictionShift,
    maxMeanShift: c.max_mean_shift ?? DEFAULT_CANARY_LIMITS.maxMeanShift,
  };
}
