import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import {
  MIN_USABLE_SHARE,
  Resampler,
  bootstrapMetrics,
  resampleCounts,
  pairingProblem,
  prepareScored,
  weightedMetrics,
} from '../src/core/evaluate/bootstrap.js';
import type { BootstrapResult } from '../src/core/evaluate/bootstrap.js';
import { evaluateCandidate } from '../src/core/evaluate/evaluate.js';
import type { EvaluateRequest } from '../src/core/evaluate/evaluate.js';
import { DEFAULT_FIDELITY_TOLERANCE } from '../src/core/evaluate/fidelity.js';
import { evaluateGates } from '../src/core/evaluate/gates.js';
import { renderHtmlReport } from '../src/core/evaluate/html-report.js';
import { evaluationSections } from '../src/core/evaluate/markdown-report.js';
import { classificationMetrics, regressionMetrics } from '../src/core/evaluate/metrics.js';
import type { EvaluationReportData } from '../src/core/evaluate/report-model.js';
import { fullMetrics, scalarMetrics } from '../src/core/evaluate/score.js';
import type { Scored } from '../src/core/evaluate/score.js';
import { userErrorOf } from './support/errors.js';
import { classifiedRows } from './support/scored.js';
import type { Classified } from './support/scored.js';

type Regressed = Extract<Scored, { task: 'regression' }>;

// ---------------------------------------------------------------------------------------------
// Fixtures

/** A deterministic generator of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A classifier on n rows: scores rounded to `decimals` (so many ties), predictions their argmax. */
function classified(k: number, n: number, seed: number, decimals = 1, skill = 0.5): Classified {
  return classifiedRows(k, n, random(seed), { skill, decimals });
}

/** A regressor on n rows, values rounded to whole numbers (ties, and zeros for the MAPE). */
function regressed(n: number, seed: number): Regressed {
  const rand = random(seed);
  const yTrue = Array.from({ length: n }, () => Math.round(rand() * 10 - 2));
  const yPred = yTrue.map((y) => y + Math.round((rand() - 0.5) * 60) / 10);
  return { task: 'regression', rows: yTrue.map((_, i) => i), yTrue, yPred };
}

/** The scored set with row i written out weights[i] times. */
function materialize<T extends Scored>(scored: T, weights: ArrayLike<number>): T {
  const pick = <V>(values: V[]): V[] => values.flatMap((v, i) => Array.from({ length: weights[i]! }, () => v));
  if (scored.task === 'regression') return { ...scored, rows: pick(scored.rows), yTrue: pick(scored.yTrue), yPred: pick(scored.yPred) };
  return {
    ...scored,
    rows: pick(scored.rows),
    yTrue: pick(scored.yTrue),
    yPred: pick(scored.yPred),
    scores: scored.scores.length > 0 ? pick(scored.scores) : [],
  } as T;
}

/** metrics.ts on the materialized rows, against the weighted metrics: every key both give, to 1e-12 (relative above 1). */
function expectSameMetrics(scored: Scored, weights: ArrayLike<number>, positive?: number): void {
  const weighted = weightedMetrics(prepareScored(scored, positive), weights);
  const rows = materialize(scored, weights);
  const reference =
    rows.task === 'regression'
      ? (regressionMetrics(rows.yTrue, rows.yPred) as unknown as Record<string, unknown>)
      : (classificationMetrics({
          classes: rows.classes,
          yTrue: rows.yTrue,
          yPred: rows.yPred,
          scores: rows.scores.length > 0 ? rows.scores : undefined,
          probabilities: rows.probabilities,
          positiveClass: positive === undefined ? rows.positiveClass : rows.classes[positive],
        }) as unknown as Record<string, unknown>);
  let compared = 0;
  for (const [key, value] of Object.entries(weighted)) {
    expect(Object.hasOwn(reference, key)).toBe(true);
    const expected = reference[key];
    if (expected === null || value === null) {
      expect({ key, value }).toEqual({ key, value: expected });
      continue;
    }
    expect(typeof expected).toBe('number');
    const tolerance = 1e-12 * Math.max(1, Math.abs(expected as number));
    if (!(Math.abs((value as number) - (expected as number)) <= tolerance)) {
      throw new Error(`${key}: weighted ${value} but metrics.ts gives ${String(expected)} on the materialized rows`);
    }
    compared++;
  }
  // Every number metrics.ts gives is compared, but the label of the positive class.
  for (const [key, value] of Object.entries(reference)) {
    if (typeof value === 'number' || (value === null && key !== 'positive_class')) {
      if (!(key in weighted) && value !== null) throw new Error(`the weighted metrics lack ${key} (${String(value)})`);
    }
  }
  expect(compared).toBeGreaterThan(3);
}

/** The resamples bootstrapMetrics draws, as a list. */
function resamplesOf(n: number, resamples: number, seed: number): Int32Array[] {
  return [...resampleCounts(n, resamples, seed)];
}

/** The q-quantile of values, linear between order statistics (numpy.percentile's default), written independently. */
function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!);
}

// ---------------------------------------------------------------------------------------------
// Weighted metrics = metrics.ts on the resample written out

describe('weighted metrics equal metrics.ts on the materialized resample', () => {
  test('binary with tied scores, over many resamples (and all-ones weights: the test set itself)', () => {
    const scored = classified(2, 80, 1);
    expectSameMetrics(scored, new Int32Array(80).fill(1));
    for (const counts of resamplesOf(80, 40, 11)) expectSameMetrics(scored, counts);
  });

  test('binary: the positive class chosen by index, and by label on the scored set', () => {
    const scored = classified(2, 60, 2);
    for (const counts of resamplesOf(60, 10, 12)) {
      expectSameMetrics(scored, counts, 0);
      expectSameMetrics(scored, counts, 1);
      expectSameMetrics({ ...scored, positiveClass: 'c0' }, counts);
    }
    const weighted = weightedMetrics(prepareScored(scored, 0), new Int32Array(60).fill(1));
    const m = classificationMetrics({ classes: scored.classes, yTrue: scored.yTrue, yPred: scored.yPred, scores: scored.scores });
    expect(weighted.precision).toBe(m.per_class[0]!.precision);
    expect(weighted.recall).toBe(m.per_class[0]!.recall);
  });

  test('multiclass with ties, and resamples missing a class (small sets)', () => {
    const scored = classified(4, 120, 3);
    for (const counts of resamplesOf(120, 30, 13)) expectSameMetrics(scored, counts);
    const small = classified(5, 9, 4);
    for (const counts of resamplesOf(9, 60, 14)) expectSameMetrics(small, counts);
  });

  test('without scores, and with ranking scores (no log loss)', () => {
    const scored = classified(3, 50, 5);
    for (const counts of resamplesOf(50, 10, 15)) {
      expectSameMetrics({ ...scored, scores: [] }, counts);
      expectSameMetrics({ ...scored, probabilities: false }, counts);
    }
    expect(Object.keys(weightedMetrics(prepareScored({ ...scored, probabilities: false }), new Int32Array(50).fill(1)))).not.toContain(
      'log_loss',
    );
  });

  test('hand-picked weights: zeros, large counts, one row only', () => {
    const scored = classified(3, 6, 6);
    expectSameMetrics(scored, [0, 5, 0, 1, 40, 2]);
    expectSameMetrics(scored, [0, 0, 7, 0, 0, 0]);
    const binary = classified(2, 5, 7);
    expectSameMetrics(binary, [3, 0, 0, 0, 0]); // one class only: roc_auc null on both sides
  });

  test('regression: ties, zeros in y (MAPE), constant truth in a resample (r2 rule), one row', () => {
    const scored = regressed(70, 8);
    for (const counts of resamplesOf(70, 40, 16)) expectSameMetrics(scored, counts);
    const constant: Regressed = { task: 'regression', rows: [0, 1, 2], yTrue: [0.1, 0.1, 0.7], yPred: [0.1, 0.1, 0.5] };
    expectSameMetrics(constant, [2, 1, 0]); // y constant, perfect: r2 = 1
    expectSameMetrics({ ...constant, yPred: [0.1, 0.3, 0.5] }, [0, 3, 0]); // y constant, not perfect: r2 = 0
    expectSameMetrics(constant, [0, 0, 1]); // one row: r2 null
    expectSameMetrics(constant, [3, 4, 5]);
  });

  test('the point estimates are metrics.ts on the test set', () => {
    for (const scored of [classified(2, 200, 9), classified(4, 200, 10), regressed(200, 11)]) {
      const result = bootstrapMetrics(scored, null, { resamples: 5 });
      const expected = scalarMetrics(fullMetrics(scored));
      for (const [name, interval] of Object.entries(result.metrics)) expect(interval.estimate).toBeCloseTo(expected[name]!, 12);
      const names = Object.keys(expected).filter((name) => name !== 'count' && expected[name] !== null);
      expect(Object.keys(result.metrics).sort()).toEqual(names.sort());
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Resampling

describe('Resampler', () => {
  test('draws n rows per resample, every row about once on average', () => {
    const n = 50;
    const totals = new Float64Array(n);
    for (const counts of resamplesOf(n, 2000, 3)) {
      expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
      counts.forEach((c, i) => (totals[i]! += c));
    }
    // Each row's total over 2000 resamples: mean 2000, sd ≈ √(2000·0.98) ≈ 44.
    for (const total of totals) expect(Math.abs(total - 2000)).toBeLessThan(250);
  });

  test('the same seed draws the same rows; another seed other rows', () => {
    expect(resamplesOf(100, 3, 42)).toEqual(resamplesOf(100, 3, 42));
    expect(resamplesOf(100, 3, 42)).not.toEqual(resamplesOf(100, 3, 43));
    expect(resamplesOf(100, 1, 2 ** 40)).not.toEqual(resamplesOf(100, 1, 0));
  });

  test('the counts follow the multinomial distribution exactly: every way to draw 3 rows', () => {
    // Multinomial(3, 1/3 each): 300, 030, 003 with probability 1/27; 210 and the like 3/27; 111 6/27.
    const draws = 27_000;
    const seen = new Map<string, number>();
    for (const counts of resamplesOf(3, draws, 8)) seen.set(counts.join(''), (seen.get(counts.join('')) ?? 0) + 1);
    expect(seen.size).toBe(10);
    let chiSquare = 0;
    for (const [key, observed] of seen) {
      const expected = (draws * (key.includes('3') ? 1 : key === '111' ? 6 : 3)) / 27;
      chiSquare += (observed - expected) ** 2 / expected;
    }
    expect(chiSquare).toBeLessThan(27.9); // 9 degrees of freedom: p = 0.001
  });

  test('row counts of a large resample: shares of 0, 1, 2 as Binomial(n, 1/n), each resample summing to n', () => {
    const n = 20_000;
    const shares = [0, 0, 0];
    const resamples = resamplesOf(n, 10, 9);
    for (const counts of resamples) {
      expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
      for (const c of counts) if (c < 3) shares[c]! += 1 / (n * resamples.length);
    }
    const p0 = (1 - 1 / n) ** n;
    expect(shares[0]).toBeCloseTo(p0, 2);
    expect(shares[1]).toBeCloseTo(p0 * (n / (n - 1)), 2);
    expect(shares[2]).toBeCloseTo(p0 / 2, 2);
  });

  test('a seed that is not a whole number is refused', () => {
    expect(userErrorOf(() => new Resampler(1.5)).message).toMatch(/seed is 1.5/);
  });
});

// ---------------------------------------------------------------------------------------------
// Intervals

describe('bootstrapMetrics', () => {
  test('deterministic with a seed; a different seed gives different intervals', () => {
    const scored = classified(3, 300, 20);
    const a = bootstrapMetrics(scored, null, { resamples: 200, seed: 5 });
    expect(bootstrapMetrics(scored, null, { resamples: 200, seed: 5 })).toEqual(a);
    const b = bootstrapMetrics(scored, null, { resamples: 200, seed: 6 });
    // Accuracy on 300 rows takes few values, so its percentiles may coincide for two seeds; the metrics as a whole do not.
    expect(b.metrics).not.toEqual(a.metrics);
    expect(b.metrics.f1_macro).not.toEqual(a.metrics.f1_macro);
    expect(a).toMatchObject({ method: 'percentile', resamples: 200, confidence: 0.95, seed: 5, rows: 300, positive: null, paired: null });
    for (const interval of Object.values(a.metrics)) {
      expect(interval.lower!).toBeLessThanOrEqual(interval.estimate!);
      expect(interval.upper!).toBeGreaterThanOrEqual(interval.estimate!);
    }
  });

  test('its intervals are the percentiles of the weighted metrics over resampleCounts', () => {
    for (const scored of [classified(2, 90, 70, 2), classified(4, 90, 71), regressed(90, 72)]) {
      const resamples = 21;
      const result = bootstrapMetrics(scored, null, { resamples, seed: 3 });
      const prepared = prepareScored(scored);
      const values = resamplesOf(90, resamples, 3).map((counts) => weightedMetrics(prepared, counts));
      for (const [name, interval] of Object.entries(result.metrics)) {
        const usable = values.map((v) => v[name]).filter((v): v is number => v !== null);
        expect({ name, skipped: interval.skipped }).toEqual({ name, skipped: resamples - usable.length });
        const lower = percentile(usable, 0.025);
        const upper = percentile(usable, 0.975);
        expect({ name, lower: Math.abs(interval.lower! - lower) <= 1e-12 * Math.max(1, Math.abs(lower)) }).toEqual({ name, lower: true });
        expect({ name, upper: Math.abs(interval.upper! - upper) <= 1e-12 * Math.max(1, Math.abs(upper)) }).toEqual({ name, upper: true });
      }
    }
  });

  test('coverage: the 95% interval of accuracy on Bernoulli(0.8) rows covers 0.8 at about the nominal rate', () => {
    const trials = 150;
    let covered = 0;
    for (let trial = 0; trial < trials; trial++) {
      const rand = random(1000 + trial);
      const n = 100;
      const yTrue = Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0));
      const yPred = yTrue.map((y) => (rand() < 0.8 ? y : 1 - y));
      const scored: Classified = { task: 'classification', classes: ['a', 'b'], rows: yTrue.map((_, i) => i), yTrue, yPred, scores: [] };
      const { accuracy } = bootstrapMetrics(scored, null, { resamples: 200, seed: trial }).metrics;
      if (accuracy!.lower! <= 0.8 && 0.8 <= accuracy!.upper!) covered++;
    }
    // Binomial sd of the rate at 0.95 over 150 trials ≈ 0.018; percentile intervals run a little narrow at n = 100.
    // (Seeded, so the rate is the same on every run: 0.88 to 0.99 catches intervals of the wrong width.)
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(0.99);
  });

  test('paired: a model against itself gives exactly [0, 0], not significant', () => {
    for (const scored of [classified(2, 100, 21), classified(4, 100, 22), regressed(100, 23)]) {
      const { paired } = bootstrapMetrics(scored, scored, { resamples: 100 });
      expect(paired!.unavailable).toBeNull();
      expect(Object.keys(paired!.differences).length).toBeGreaterThan(3);
      for (const difference of Object.values(paired!.differences)) {
        expect(difference).toEqual({ estimate: 0, lower: 0, upper: 0, skipped: 0, unreliable: false, significant: false });
      }
    }
  });

  test('paired: a better model is significantly better; the paired interval is narrower than the two apart', () => {
    const rand = random(31);
    const n = 1000;
    const yTrue = Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0));
    const base = yTrue.map((y) => (rand() < 0.8 ? y : 1 - y));
    // The candidate fixes 40% of the baseline's mistakes and makes none of its own.
    const cand = base.map((p, i) => (p !== yTrue[i] && rand() < 0.4 ? yTrue[i]! : p));
    const make = (yPred: number[]): Classified => ({
      task: 'classification',
      classes: ['a', 'b'],
      rows: yTrue.map((_, i) => i),
      yTrue,
      yPred,
      scores: [],
    });
    const result = bootstrapMetrics(make(cand), make(base), { resamples: 300 });
    const diff = result.paired!.differences.accuracy!;
    expect(diff.significant).toBe(true);
    expect(diff.lower!).toBeGreaterThan(0);
    expect(diff.estimate).toBeCloseTo(
      cand.filter((p, i) => p === yTrue[i]).length / n - base.filter((p, i) => p === yTrue[i]).length / n,
      12,
    );
    const alone = bootstrapMetrics(make(base), null, { resamples: 300 }).metrics.accuracy!;
    const own = result.metrics.accuracy!;
    expect(diff.upper! - diff.lower!).toBeLessThan((own.upper! - own.lower! + alone.upper! - alone.lower!) / 2);
  });

  test('no paired interval when the rows or the truth differ, or the baseline is only metrics: saying why', () => {
    const scored = classified(3, 40, 24);
    const shifted = { ...scored, rows: scored.rows.map((r) => r + 1) };
    expect(pairingProblem(scored, shifted)).toBe(
      'the baseline was scored on other rows than the candidate (40 of 40 differ, the first at scored row 1)',
    );
    const fewer = {
      ...scored,
      rows: scored.rows.slice(1),
      yTrue: scored.yTrue.slice(1),
      yPred: scored.yPred.slice(1),
      scores: scored.scores.slice(1),
    };
    expect(pairingProblem(scored, fewer)).toMatch(/baseline was scored on 39 rows and the candidate on 40/);
    const relabelled = { ...scored, yTrue: scored.yTrue.map((y, i) => (i === 5 ? (y + 1) % 3 : y)) };
    expect(pairingProblem(scored, relabelled)).toBe(
      "the baseline's truth differs from the candidate's on 1 of 40 rows (the first at scored row 6)",
    );
    // The same truth under another class order pairs.
    const reordered: Classified = {
      ...scored,
      classes: ['c2', 'c0', 'c1'],
      yTrue: scored.yTrue.map((y) => (y + 1) % 3),
      yPred: scored.yPred.map((y) => (y + 1) % 3),
      scores: scored.scores.map((s) => [s[2]!, s[0]!, s[1]!]),
    };
    expect(pairingProblem(scored, reordered)).toBeNull();
    expect(pairingProblem(scored, regressed(40, 1))).toMatch(/scored as regression and the candidate as classification/);

    const result = bootstrapMetrics(scored, shifted, { resamples: 10 });
    expect(result.paired).toEqual({ confidence: 0.95, unavailable: expect.stringMatching(/other rows/), differences: {} });
    expect(bootstrapMetrics(scored, 'the baseline is a metrics file', { resamples: 10 }).paired!.unavailable).toBe(
      'the baseline is a metrics file',
    );
  });

  test('degenerate resamples are left out and counted; below 90% usable the interval is marked', () => {
    // 12 rows, 1 positive: a resample misses it with probability (11/12)^12 ≈ 35%, and roc_auc is undefined there.
    const yTrue = [1, ...Array.from({ length: 11 }, () => 0)];
    const scored: Classified = {
      task: 'classification',
      classes: ['a', 'b'],
      rows: yTrue.map((_, i) => i),
      yTrue,
      yPred: yTrue.map((_, i) => (i < 2 ? 1 : 0)),
      scores: yTrue.map((_, i) => [1 - i / 20, i / 20]),
    };
    const { roc_auc, accuracy } = bootstrapMetrics(scored, null, { resamples: 1000 }).metrics;
    expect(roc_auc!.skipped).toBeGreaterThan(250);
    expect(roc_auc!.skipped).toBeLessThan(450);
    expect(roc_auc!.unreliable).toBe(true);
    expect(accuracy).toMatchObject({ skipped: 0, unreliable: false });
    expect(MIN_USABLE_SHARE).toBe(0.9);
  });

  test('hostile input: no rows, NaN scores and values, bad settings are UserErrors; one row gives [v, v]', () => {
    const empty: Classified = { task: 'classification', classes: ['a', 'b'], rows: [], yTrue: [], yPred: [], scores: [] };
    expect(userErrorOf(() => bootstrapMetrics(empty, null)).message).toMatch(/no rows/);
    const scored = classified(2, 10, 40);
    scored.scores[3] = [NaN, 0.5];
    expect(userErrorOf(() => bootstrapMetrics(scored, null)).message).toBe('scores[3] (row 4) has NaN for class 0, not a finite number');
    const reg = regressed(10, 41);
    reg.yPred[2] = Infinity;
    expect(userErrorOf(() => bootstrapMetrics(reg, null)).message).toMatch(/yPred\[2\] \(row 3\) is Infinity/);
    const ok = classified(2, 10, 42);
    expect(userErrorOf(() => bootstrapMetrics(ok, null, { resamples: 0 })).message).toMatch(/resamples is 0/);
    expect(userErrorOf(() => bootstrapMetrics(ok, null, { confidence: 1.5 })).message).toMatch(/confidence is 1.5/);
    expect(userErrorOf(() => bootstrapMetrics(ok, null, { seed: 0.5 })).message).toMatch(/seed is 0.5/);
    expect(userErrorOf(() => bootstrapMetrics(ok, null, { positive: 2 })).message).toMatch(/positive class index is 2/);

    const one: Classified = { task: 'classification', classes: ['a', 'b'], rows: [7], yTrue: [1], yPred: [1], scores: [[0.2, 0.8]] };
    const result = bootstrapMetrics(one, one, { resamples: 50 });
    expect(result.metrics.accuracy).toEqual({ estimate: 1, lower: 1, upper: 1, skipped: 0, unreliable: false });
    expect(result.metrics.roc_auc).toEqual({ estimate: null, lower: null, upper: null, skipped: 50, unreliable: true });
    const oneReg: Regressed = { task: 'regression', rows: [0], yTrue: [3], yPred: [2] };
    const r = bootstrapMetrics(oneReg, null, { resamples: 20 }).metrics;
    expect(r.mae).toEqual({ estimate: 1, lower: 1, upper: 1, skipped: 0, unreliable: false });
    expect(r.r2).toEqual({ estimate: null, lower: null, upper: null, skipped: 20, unreliable: true });
  });
});

// ---------------------------------------------------------------------------------------------
// Against numpy and scikit-learn

const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import numpy, sklearn'], { stdio: 'ignore' }).status === 0);

describe('against scikit-learn and numpy.percentile on the same resampled rows', () => {
  (PYTHON ? test : test.skip)('binary classification and regression intervals agree', () => {
    const n = 150;
    const resamples = 120;
    const seed = 77;
    const binary = classified(2, n, 50, 2);
    const reg = regressed(n, 51);
    const counts = resamplesOf(n, resamples, seed).map((c) => Array.from(c));
    const dir = mkdtempSync(join(tmpdir(), 'bootstrap-'));
    try {
      const input = join(dir, 'input.json');
      writeFileSync(input, JSON.stringify({ binary, reg, counts }));
      const script = [
        'import json, sys',
        'import numpy as np',
        'from sklearn import metrics as m',
        'd = json.load(open(sys.argv[1]))',
        'b, r = d["binary"], d["reg"]',
        'bt, bp, bs = np.array(b["yTrue"]), np.array(b["yPred"]), np.array(b["scores"])',
        'rt, rp = np.array(r["yTrue"], dtype=float), np.array(r["yPred"], dtype=float)',
        'vals = {k: [] for k in ["accuracy", "balanced_accuracy", "f1_macro", "precision_weighted", "precision", "recall", "f1", "roc_auc", "log_loss", "mae", "rmse", "r2", "mape"]}',
        'for c in d["counts"]:',
        '    i = np.repeat(np.arange(len(c)), c)',
        '    t, p, s = bt[i], bp[i], bs[i]',
        '    vals["accuracy"].append(m.accuracy_score(t, p))',
        '    vals["balanced_accuracy"].append(m.balanced_accuracy_score(t, p))',
        '    vals["f1_macro"].append(m.f1_score(t, p, average="macro", zero_division=0))',
        '    vals["precision_weighted"].append(m.precision_score(t, p, average="weighted", zero_division=0))',
        '    vals["precision"].append(m.precision_score(t, p, zero_division=0))',
        '    vals["recall"].append(m.recall_score(t, p, zero_division=0))',
        '    vals["f1"].append(m.f1_score(t, p, zero_division=0))',
        '    vals["roc_auc"].append(m.roc_auc_score(t, s[:, 1]))',
        '    q = np.clip(s[np.arange(len(t)), t], 1e-15, 1 - 1e-15)',
        '    vals["log_loss"].append(float(np.mean(-np.log(q))))',
        '    yt, yp = rt[i], rp[i]',
        '    vals["mae"].append(m.mean_absolute_error(yt, yp))',
        '    vals["rmse"].append(float(np.sqrt(m.mean_squared_error(yt, yp))))',
        '    vals["r2"].append(m.r2_score(yt, yp))',
        '    vals["mape"].append(m.mean_absolute_percentage_error(yt, yp))',
        'print(json.dumps({k: [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))] for k, v in vals.items()}))',
      ].join('\n');
      const run = spawnSync(PYTHON!, ['-c', script, input], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const expected = JSON.parse(run.stdout) as Record<string, [number, number]>;
      const ours: BootstrapResult['metrics'] = {
        ...bootstrapMetrics(binary, null, { resamples, seed }).metrics,
        ...bootstrapMetrics(reg, null, { resamples, seed }).metrics,
      };
      // To 1e-9, relative above 1 (the MAPE of rows with y = 0 is about 1e14).
      const near = (a: number | null, b: number): boolean => a !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
      expect(Object.keys(expected).length).toBe(13);
      for (const [name, [lower, upper]] of Object.entries(expected)) {
        const { lower: ourLower, upper: ourUpper } = ours[name]!;
        expect({ name, lower: near(ourLower, lower), upper: near(ourUpper, upper) }).toEqual({ name, lower: true, upper: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  (PYTHON ? test : test.skip)('multiclass intervals agree, one-vs-rest roc_auc included (scores in twentieths: many ties)', () => {
    const n = 160;
    const k = 4;
    const resamples = 40; // more than one batch of resamples drawn together, and a part of one
    const seed = 78;
    // Scores in twentieths that sum to 1 (scikit-learn asks it of multiclass roc_auc), the true class favoured.
    const rand = random(52);
    const yTrue: number[] = [];
    const scores: number[][] = [];
    for (let i = 0; i < n; i++) {
      const t = Math.floor(rand() * k);
      const parts = Array.from({ length: k }, () => 0);
      for (let unit = 0; unit < 20; unit++) parts[rand() < 0.35 ? t : Math.floor(rand() * k)]! += 1;
      yTrue.push(t);
      scores.push(parts.map((p) => p / 20));
    }
    const yPred = scores.map((row) => row.indexOf(Math.max(...row)));
    const multi: Classified = { task: 'classification', classes: ['a', 'b', 'c', 'd'], rows: yTrue.map((_, i) => i), yTrue, yPred, scores };
    const counts = resamplesOf(n, resamples, seed).map((c) => Array.from(c));
    const dir = mkdtempSync(join(tmpdir(), 'bootstrap-'));
    try {
      const input = join(dir, 'input.json');
      writeFileSync(input, JSON.stringify({ multi, counts }));
      const script = [
        'import json, sys',
        'import numpy as np',
        'from sklearn import metrics as m',
        'd = json.load(open(sys.argv[1]))',
        'c = d["multi"]',
        'yt, yp, ys = np.array(c["yTrue"]), np.array(c["yPred"]), np.array(c["scores"])',
        'vals = {k: [] for k in ["accuracy", "balanced_accuracy", "f1_macro", "recall_weighted", "roc_auc"]}',
        'for w in d["counts"]:',
        '    i = np.repeat(np.arange(len(w)), w)',
        '    t, p, s = yt[i], yp[i], ys[i]',
        '    vals["accuracy"].append(m.accuracy_score(t, p))',
        '    vals["balanced_accuracy"].append(m.balanced_accuracy_score(t, p))',
        '    vals["f1_macro"].append(m.f1_score(t, p, average="macro", zero_division=0))',
        '    vals["recall_weighted"].append(m.recall_score(t, p, average="weighted", zero_division=0))',
        '    vals["roc_auc"].append(m.roc_auc_score(t, s, multi_class="ovr", average="macro", labels=[0, 1, 2, 3]))',
        // The intervals at 95%, 80% and 50%: many of the resamples' values are ends of one of them.
        'q = [2.5, 97.5, 10, 90, 25, 75]',
        'print(json.dumps({k: [float(np.percentile(v, x)) for x in q] for k, v in vals.items()}))',
      ].join('\n');
      const run = spawnSync(PYTHON!, ['-c', script, input], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const expected = JSON.parse(run.stdout) as Record<string, number[]>;
      const near = (a: number | null, b: number): boolean => a !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
      expect(Object.keys(expected).length).toBe(5);
      [0.95, 0.8, 0.5].forEach((confidence, level) => {
        const ours = bootstrapMetrics(multi, null, { resamples, seed, confidence }).metrics;
        for (const [name, ends] of Object.entries(expected)) {
          const [lower, upper] = [ends[2 * level]!, ends[2 * level + 1]!];
          const { lower: ourLower, upper: ourUpper } = ours[name]!;
          expect({ name, confidence, lower: near(ourLower, lower), upper: near(ourUpper, upper) }).toEqual({
            name,
            confidence,
            lower: true,
            upper: true,
          });
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Gates and reports

describe('intervals in gates and reports', () => {
  function reportOf(candidate: Classified, baseline: Classified): EvaluationReportData {
    const bootstrap = bootstrapMetrics(candidate, baseline, { resamples: 300 });
    const candidateMetrics = fullMetrics(candidate);
    const baselineMetrics = scalarMetrics(fullMetrics(baseline));
    const blessing = evaluateGates(
      scalarMetrics(candidateMetrics),
      baselineMetrics,
      [
        { metric: 'accuracy', change: { absolute: 0, significant: true } },
        { metric: 'log_loss', change: { absolute: 0 } },
      ],
      bootstrap.paired,
    );
    return {
      modelName: 'm',
      task: 'classification',
      data: { files: ['test.csv'], rows: candidate.rows.length },
      candidate: { source: 'model', metrics: candidateMetrics },
      baseline: { source: 'production', metrics: baselineMetrics },
      blessing,
      curves: [],
      residuals: [],
      slices: [],
      bootstrap,
      links: [],
      evaluatedAt: '2025-01-01T00:00:00.000Z',
    };
  }

  test('the Markdown metrics table shows intervals, paired changes and "not significant"; the gate judged the interval', async () => {
    const candidate = classified(3, 400, 60);
    const same = reportOf(candidate, candidate);
    const check = same.blessing.checks[0]!;
    expect(check.interval).toEqual({ confidence: 0.95, lower: 0, upper: 0 });
    expect(check.passed).toBe(true);
    const { sections } = evaluationSections(same);
    const body = sections.find((s) => s.title === 'Metrics')!.body;
    const accuracy = same.bootstrap!.metrics.accuracy!;
    const fmt = (v: number) => String(Number(v.toPrecision(4)));
    expect(body).toContain(`| \`accuracy\` | ${fmt(accuracy.estimate!)} [${fmt(accuracy.lower!)}, ${fmt(accuracy.upper!)}] |`);
    expect(body).toMatch(/\| ±0 \[0, 0\] not significant \| ✅ pass \|/);
    expect(body).toContain('95% bootstrap percentile intervals, 300 resamples of the 400 test rows');
    expect(body).not.toMatch(/\| `precision` \|/); // null for three classes: no row

    const better = classified(3, 400, 60, 1, 2); // the same truth, a stronger signal
    const html = await renderHtmlReport(reportOf(better, candidate));
    expect(html).toMatch(
      /<td class="num"><span class="better">\+[0-9.]+ \([^)]*\)<\/span> <span class="muted">\[\+[0-9.]+, \+[0-9.]+\]<\/span><\/td>/,
    );
    expect(html).toContain('95% bootstrap percentile intervals, 300 resamples of the 400 test rows');
    const sameHtml = await renderHtmlReport(same);
    expect(sameHtml).toContain('<span class="muted">[0, 0]</span> <span class="muted">not significant</span>');
  });

  test('without a paired interval the report says why', () => {
    const candidate = classified(2, 100, 61);
    const data = reportOf(candidate, candidate);
    data.bootstrap = bootstrapMetrics(candidate, 'the baseline is a metrics file (b.json), without per-row predictions to resample', {
      resamples: 50,
    });
    const body = evaluationSections(data).sections.find((s) => s.title === 'Metrics')!.body;
    expect(body).toContain(
      'No intervals for the changes: the baseline is a metrics file \\(b\\.json\\), without per\\-row predictions to resample.',
    );
    expect(body).not.toContain('not significant');
  });
});

// ---------------------------------------------------------------------------------------------
// evaluate

describe('evaluateCandidate with the bootstrap', () => {
  /** A predictions file of 200 binary rows, a baseline metrics file, and a request gating accuracy on a significant change. */
  function request(dir: string, bootstrap: EvaluateRequest['bootstrap'], lines: string[]): EvaluateRequest {
    const scored = classified(2, 200, 80, 3);
    const csv = [
      'y_true,y_pred,score:a,score:b',
      ...scored.yTrue.map((t, i) => `${'ab'[t]},${'ab'[scored.yPred[i]!]},${scored.scores[i]!.join(',')}`),
    ];
    writeFileSync(join(dir, 'predictions.csv'), `${csv.join('\n')}\n`);
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify({ accuracy: 0.5, f1_macro: 0.5 }));
    return {
      modelName: 'demo',
      candidate: { kind: 'predictions', file: join(dir, 'predictions.csv'), modelDir: null },
      testData: { files: [], format: 'auto' },
      task: { setting: 'classification', setBy: 'the task input' },
      fidelity: DEFAULT_FIDELITY_TOLERANCE,
      baseline: { kind: 'metrics', file: join(dir, 'baseline.json') },
      gates: { kind: 'config', value: [{ metric: 'accuracy', lower: 0.5, change: { absolute: 0, significant: true } }] },
      slices: [],
      outputDir: dir,
      validationReport: join(dir, 'no-validation-report.md'),
      commentKey: 'demo',
      pullRequest: null,
      links: [],
      bootstrap,
      shown: (path) => path.slice(dir.length + 1),
      log: { info: (m) => lines.push(m), warning: (m) => lines.push(m), group: (_title, fn) => fn() },
    };
  }

  test('intervals go into the report, evaluation.json and the log; a metrics-file baseline gives no paired interval, and the gate says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bootstrap-evaluate-'));
    try {
      const lines: string[] = [];
      const result = await evaluateCandidate(request(dir, { resamples: 200, confidence: 0.9, seed: 5 }, lines));
      expect(result.report.bootstrap).toMatchObject({ resamples: 200, confidence: 0.9, seed: 5, rows: 200 });
      expect(result.report.bootstrap!.paired!.unavailable).toBe(
        'the baseline is a metrics file (baseline.json), without per-row predictions to resample',
      );
      expect(
        lines.some((line) => /^Bootstrap: 200 resamples of 200 rows in \d+\.\d\d s \(90% percentile intervals, seed 5\)\.$/.test(line)),
      ).toBe(true);
      expect(result.blessing.blessed).toBe(false);
      expect(result.blessing.reasons).toEqual([
        'no paired interval: the baseline is a metrics file (baseline.json), without per-row predictions to resample; ' +
          'the gate on accuracy requires a significant change (change.significant), so it cannot be checked',
      ]);
      const evaluation = JSON.parse(readFileSync(result.paths.evaluation, 'utf8')) as { bootstrap: BootstrapResult };
      expect(evaluation.bootstrap.metrics.accuracy).toEqual(result.report.bootstrap!.metrics.accuracy);
      expect(result.markdown).toContain('90% bootstrap percentile intervals, 200 resamples of the 200 test rows (seed 5)');
      expect(result.markdown).toContain('No intervals for the changes: the baseline is a metrics file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('resamples 0 turns the bootstrap off: no intervals, and a significant gate fails saying why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bootstrap-evaluate-'));
    try {
      const lines: string[] = [];
      const result = await evaluateCandidate(request(dir, { resamples: 0, confidence: 0.95, seed: 1 }, lines));
      expect(result.report.bootstrap).toBeNull();
      expect(lines.some((line) => line.startsWith('Bootstrap:'))).toBe(false);
      expect(result.blessing.reasons[0]).toMatch(/^no paired interval: the bootstrap is off \(resamples 0\);/);
      expect(result.markdown).not.toContain('bootstrap percentile intervals');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
