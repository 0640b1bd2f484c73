import { jensenShannon } from '../drift/stats.js';

/**
 * Canary analysis as Argo Rollouts, Flagger and SageMaker guardrails do it: after a
 * share of traffic has gone to the candidate for the bake time, compare its error
 * rate and latency with limits (absolute, and relative to the stable version), and
 * promote or roll back. One pure function returns every reason it failed.
 */

export interface VersionStats {
  requests: number;
  errors: number;
  /** Latency in milliseconds. */
  p50: number | null;
  p99: number | null;
  /** Predicted classes and how often (classification), when the server reports them. */
  classes?: Record<string, number>;
  /** Mean and standard deviation of predicted values (regression), when the server reports them. */
  mean?: number | null;
  std?: number | null;
}

export interface CanaryLimits {
  /** Requests the candidate must have served before it can be judged. */
  minRequests: number;
  /** Highest error share the candidate may have (0.01 = 1 %). */
  maxErrorRate: number;
  /** How much higher than the stable version's error share the candidate's may be (absolute, 0.005 = 0.5 points). */
  maxErrorRateIncrease: number;
  /** Highest p99 latency in ms the candidate may have; null for no absolute limit. */
  maxP99Ms: number | null;
  /** The candidate's p99 may be at most this times the stable version's (with stable traffic to compare). */
  maxP99Ratio: number;
  /**
   * Largest Jensen-Shannon distance (base 2, 0 to 1) between the candidate's and the stable
   * version's predicted classes on the same traffic: a model that suddenly predicts other
   * classes is suspect even when it answers fast and without errors.
   */
  maxPredictionShift: number;
  /** Regression: how far the candidate's mean prediction may move from the stable version's, in the stable version's standard deviations. */
  maxMeanShift: number;
}

export const DEFAULT_CANARY_LIMITS: CanaryLimits = {
  minRequests: 20,
  maxErrorRate: 0.01,
  maxErrorRateIncrease: 0.005,
  maxP99Ms: null,
  maxP99Ratio: 2,
  maxPredictionShift: 0.2,
  maxMeanShift: 0.5,
};

export interface CanaryCheck {
  name: string;
  passed: boolean;
  /** What was measured, and against what, in words. */
  detail: string;
}

export interface CanaryVerdict {
  promote: boolean;
  /** Why not, one sentence per failed check; empty when promoted. */
  reasons: string[];
  checks: CanaryCheck[];
}

const percent = (x: number): string => `${(x * 100).toFixed(2)} %`;
const ms = (x: number | null): string => (x === null ? 'n/a' : `${x.toFixed(1)} ms`);

/** Judges the candidate against the limits, with the stable version's figures as the baseline (null when it served nothing). */
export function judgeCanary(candidate: VersionStats, stable: VersionStats | null, limits: CanaryLimits): CanaryVerdict {
  const checks: CanaryCheck[] = [];
  const rate = candidate.requests > 0 ? candidate.errors / candidate.requests : 0;
  checks.push({
    name: 'traffic',
    passed: candidate.requests >= limits.minRequests,
    detail: `the candidate served ${candidate.requests} requests (at least ${limits.minRequests} needed to judge it)`,
  });
  checks.push({
    name: 'error rate',
    passed: rate <= limits.maxErrorRate,
    detail: `candidate error rate ${percent(rate)} (${candidate.errors} of ${candidate.requests}), limit ${percent(limits.maxErrorRate)}`,
  });
  const stableRate = stable && stable.requests > 0 ? stable.errors / stable.requests : null;
  if (stableRate !== null) {
    checks.push({
      name: 'error rate vs stable',
      passed: rate - stableRate <= limits.maxErrorRateIncrease,
      detail: `candidate ${percent(rate)} vs stable ${percent(stableRate)}: may be at most ${percent(limits.maxErrorRateIncrease)} higher`,
    });
  }
  if (limits.maxP99Ms !== null) {
    checks.push({
      name: 'p99 latency',
      passed: candidate.p99 !== null && candidate.p99 <= limits.maxP99Ms,
      detail: `candidate p99 ${ms(candidate.p99)}, limit ${ms(limits.maxP99Ms)}`,
    });
  }
  if (stable && stable.requests > 0 && stable.p99 !== null && stable.p99 > 0 && candidate.p99 !== null) {
    checks.push({
      name: 'p99 latency vs stable',
      passed: candidate.p99 <= stable.p99 * limits.maxP99Ratio,
      detail: `candidate p99 ${ms(candidate.p99)} vs stable ${ms(stable.p99)}: may be at most ${limits.maxP99Ratio}x`,
    });
  }
  const classes = [...new Set([...Object.keys(candidate.classes ?? {}), ...Object.keys(stable?.classes ?? {})])].sort();
  const counted = (c: Record<string, number> | undefined) => classes.map((k) => c?.[k] ?? 0);
  const total = (c: Record<string, number> | undefined) => Object.values(c ?? {}).reduce((a, b) => a + b, 0);
  if (stable && total(candidate.classes) > 0 && total(stable.classes) > 0) {
    const shift = jensenShannon(counted(stable.classes), counted(candidate.classes)).statistic;
    checks.push({
      name: 'predictions vs stable',
      passed: shift <= limits.maxPredictionShift,
      detail: `Jensen-Shannon distance ${shift.toFixed(3)} between the classes the candidate and the stable version predicted, limit ${limits.maxPredictionShift}`,
    });
  }
  if (stable && typeof candidate.mean === 'number' && typeof stable.mean === 'number' && typeof stable.std === 'number' && stable.std > 0) {
    const shift = Math.abs(candidate.mean - stable.mean) / stable.std;
    checks.push({
      name: 'predictions vs stable',
      passed: shift <= limits.maxMeanShift,
      detail: `mean prediction ${candidate.mean.toPrecision(4)} vs stable ${stable.mean.toPrecision(4)}: ${shift.toFixed(2)} standard deviations apart, limit ${limits.maxMeanShift}`,
    });
  }
  const failed = checks.filter((c) => !c.passed);
  return { promote: failed.length === 0, reasons: failed.map((c) => `${c.name}: ${c.detail}.`), checks };
}
