import { describe, expect, test } from '@jest/globals';
import { defaultDirection, evaluateGates, parseGates } from '../src/core/evaluate/gates.js';
import type { ChangeIntervals, Gate } from '../src/core/evaluate/gates.js';
import { userErrorOf } from './support/errors.js';

/** The result of a single gate. */
function one(candidate: Record<string, number | null>, baseline: Record<string, number | null> | null, gate: Gate) {
  const blessing = evaluateGates(candidate, baseline, [gate]);
  expect(blessing.checks).toHaveLength(1);
  expect(blessing.blessed).toBe(blessing.checks[0]!.passed);
  expect(blessing.reasons).toEqual(blessing.checks[0]!.reasons);
  return blessing.checks[0]!;
}

describe('defaultDirection', () => {
  test('lower is better for losses and errors, higher for the rest', () => {
    for (const metric of ['log_loss', 'mae', 'mse', 'rmse', 'mape', 'hinge_loss', 'mean_squared_log_error']) {
      expect({ metric, direction: defaultDirection(metric) }).toEqual({ metric, direction: 'lower' });
    }
    for (const metric of ['accuracy', 'f1_macro', 'roc_auc', 'r2', 'balanced_accuracy', 'count', 'loss_rate', 'errors']) {
      expect({ metric, direction: defaultDirection(metric) }).toEqual({ metric, direction: 'higher' });
    }
  });
});

describe('evaluateGates: value bounds', () => {
  test('below the minimum fails with a sentence; at the minimum passes', () => {
    const failed = one({ accuracy: 0.812 }, null, { metric: 'accuracy', lower: 0.85 });
    expect(failed.passed).toBe(false);
    expect(failed.reasons).toEqual(['accuracy 0.812 is below the minimum 0.85']);
    expect(failed.candidate).toBe(0.812);
    expect(one({ accuracy: 0.85 }, null, { metric: 'accuracy', lower: 0.85 }).passed).toBe(true);
    expect(one({ accuracy: 0.9 }, null, { metric: 'accuracy', lower: 0.85 }).passed).toBe(true);
  });

  test('above the maximum fails; at the maximum passes', () => {
    const failed = one({ log_loss: 0.52 }, null, { metric: 'log_loss', upper: 0.5 });
    expect(failed.reasons).toEqual(['log_loss 0.52 is above the maximum 0.5']);
    expect(one({ log_loss: 0.5 }, null, { metric: 'log_loss', upper: 0.5 }).passed).toBe(true);
  });

  test('both bounds', () => {
    const gate: Gate = { metric: 'r2', lower: 0.5, upper: 0.99 };
    expect(one({ r2: 0.7 }, null, gate).passed).toBe(true);
    expect(one({ r2: 0.4 }, null, gate).reasons).toEqual(['r2 0.4 is below the minimum 0.5']);
    expect(one({ r2: 0.995 }, null, gate).reasons).toEqual(['r2 0.995 is above the maximum 0.99']);
  });

  test('floating-point noise in a value is not shown', () => {
    // 0.1 + 0.2 = 0.30000000000000004
    expect(one({ accuracy: 0.1 + 0.2 }, null, { metric: 'accuracy', lower: 0.5 }).reasons).toEqual([
      'accuracy 0.3 is below the minimum 0.5',
    ]);
  });
});

describe('evaluateGates: change against the baseline', () => {
  test('absolute, higher is better: a fall beyond the allowed change fails (the documented sentence)', () => {
    // diff = 0.83 − 0.861 = −0.031; relative = −0.031 / 0.861 = −3.6%
    const check = one({ f1_macro: 0.83 }, { f1_macro: 0.861 }, { metric: 'f1_macro', change: { absolute: -0.01 } });
    expect(check.passed).toBe(false);
    expect(check.reasons).toEqual([
      'f1_macro fell by 0.031 (-3.6%) against the baseline 0.861; the gate allows a change of at least -0.01',
    ]);
    expect(check.direction).toBe('higher');
    expect(check.baseline).toBe(0.861);
    expect(check.diff).toBeCloseTo(-0.031, 12);
    expect(check.relative).toBeCloseTo(-0.031 / 0.861, 12);
  });

  test('absolute, higher is better: a smaller fall or a rise passes', () => {
    const gate: Gate = { metric: 'f1_macro', change: { absolute: -0.01 } };
    expect(one({ f1_macro: 0.855 }, { f1_macro: 0.861 }, gate).passed).toBe(true);
    expect(one({ f1_macro: 0.9 }, { f1_macro: 0.861 }, gate).passed).toBe(true);
  });

  test('absolute: the bound itself passes despite floating-point rounding; just beyond it fails', () => {
    // 0.84 − 0.85 = −0.010000000000000009 in floating point.
    const gate: Gate = { metric: 'accuracy', change: { absolute: -0.01 } };
    expect(one({ accuracy: 0.84 }, { accuracy: 0.85 }, gate).passed).toBe(true);
    expect(one({ accuracy: 0.8399 }, { accuracy: 0.85 }, gate).passed).toBe(false);
  });

  test('absolute, higher is better, requiring an improvement', () => {
    const check = one({ accuracy: 0.9 }, { accuracy: 0.9 }, { metric: 'accuracy', change: { absolute: 0.01 } });
    expect(check.reasons).toEqual(['accuracy did not change against the baseline 0.9; the gate requires a change of at least 0.01']);
    expect(one({ accuracy: 0.92 }, { accuracy: 0.9 }, { metric: 'accuracy', change: { absolute: 0.01 } }).passed).toBe(true);
  });

  test('absolute, lower is better: a rise beyond the allowed change fails', () => {
    // diff = 0.40 − 0.35 = 0.05; relative = 0.05 / 0.35 = +14.3%
    const check = one({ log_loss: 0.4 }, { log_loss: 0.35 }, { metric: 'log_loss', change: { absolute: 0.02 } });
    expect(check.direction).toBe('lower');
    expect(check.reasons).toEqual(['log_loss rose by 0.05 (+14.3%) against the baseline 0.35; the gate allows a change of at most 0.02']);
    expect(one({ log_loss: 0.36 }, { log_loss: 0.35 }, { metric: 'log_loss', change: { absolute: 0.02 } }).passed).toBe(true);
    expect(one({ log_loss: 0.3 }, { log_loss: 0.35 }, { metric: 'log_loss', change: { absolute: 0.02 } }).passed).toBe(true);
  });

  test('absolute, lower is better, requiring an improvement', () => {
    // mae must fall by at least 0.1: 1.95 against 2 fell by only 0.05.
    const check = one({ mae: 1.95 }, { mae: 2 }, { metric: 'mae', change: { absolute: -0.1 } });
    expect(check.reasons).toEqual(['mae fell by 0.05 (-2.5%) against the baseline 2; the gate requires a change of at most -0.1']);
    expect(one({ mae: 1.8 }, { mae: 2 }, { metric: 'mae', change: { absolute: -0.1 } }).passed).toBe(true);
  });

  test('relative, higher is better', () => {
    // 0.88 against 0.9: −0.02 / 0.9 = −2.22% < −2%
    const gate: Gate = { metric: 'accuracy', change: { relative: -0.02 } };
    const check = one({ accuracy: 0.88 }, { accuracy: 0.9 }, gate);
    expect(check.reasons).toEqual([
      'accuracy fell by 0.02 (-2.22%) against the baseline 0.9; the gate allows a relative change of at least -2%',
    ]);
    expect(check.relative).toBeCloseTo(-0.02 / 0.9, 12);
    // 0.89 against 0.9: −1.11% >= −2%
    expect(one({ accuracy: 0.89 }, { accuracy: 0.9 }, gate).passed).toBe(true);
  });

  test('relative, lower is better', () => {
    // 2.2 against 2: +10% > +5%
    const gate: Gate = { metric: 'mae', change: { relative: 0.05 } };
    expect(one({ mae: 2.2 }, { mae: 2 }, gate).reasons).toEqual([
      'mae rose by 0.2 (+10%) against the baseline 2; the gate allows a relative change of at most 5%',
    ]);
    // 2.05 against 2: +2.5% <= +5%
    expect(one({ mae: 2.05 }, { mae: 2 }, gate).passed).toBe(true);
  });

  test('relative change is measured against |baseline|, so a negative baseline keeps the sign of the improvement', () => {
    // r2 from −0.5 to −0.4: diff +0.1, relative +0.1 / 0.5 = +20%: an improvement.
    const check = one({ r2: -0.4 }, { r2: -0.5 }, { metric: 'r2', change: { relative: 0 } });
    expect(check.passed).toBe(true);
    expect(check.relative).toBeCloseTo(0.2, 12);
    const worse = one({ r2: -0.6 }, { r2: -0.5 }, { metric: 'r2', change: { relative: -0.1 } });
    expect(worse.reasons).toEqual(['r2 fell by 0.1 (-20%) against the baseline -0.5; the gate allows a relative change of at least -10%']);
  });

  test('absolute and relative together: both must hold, and both failures are reported', () => {
    const gate: Gate = { metric: 'accuracy', change: { absolute: -0.01, relative: -0.01 } };
    const check = one({ accuracy: 0.8 }, { accuracy: 0.85 }, gate);
    expect(check.reasons).toEqual([
      'accuracy fell by 0.05 (-5.88%) against the baseline 0.85; the gate allows a change of at least -0.01',
      'accuracy fell by 0.05 (-5.88%) against the baseline 0.85; the gate allows a relative change of at least -1%',
    ]);
    // 0.845 against 0.85: −0.005 and −0.59% are within both bounds.
    expect(one({ accuracy: 0.845 }, { accuracy: 0.85 }, gate).passed).toBe(true);
    // 0.5 against 0.6: the absolute bound −0.2 holds, the relative −10% does not (−16.7%).
    const relOnly = one({ accuracy: 0.5 }, { accuracy: 0.6 }, { metric: 'accuracy', change: { absolute: -0.2, relative: -0.1 } });
    expect(relOnly.reasons).toEqual([
      'accuracy fell by 0.1 (-16.7%) against the baseline 0.6; the gate allows a relative change of at least -10%',
    ]);
  });

  test('an explicit direction overrides the default', () => {
    // "count" defaults to higher; with lower, a rise of 10 beyond the allowed 0 fails.
    const check = one({ count: 110 }, { count: 100 }, { metric: 'count', direction: 'lower', change: { absolute: 0 } });
    expect(check.direction).toBe('lower');
    expect(check.reasons).toEqual(['count rose by 10 (+10%) against the baseline 100; the gate allows a change of at most 0']);
    expect(one({ count: 110 }, { count: 100 }, { metric: 'count', change: { absolute: 0 } }).passed).toBe(true);
  });

  test('default directions apply to change bounds', () => {
    // rmse rose: fails with lower-is-better; my_error too; custom_score rose: passes (higher).
    expect(one({ rmse: 1.2 }, { rmse: 1 }, { metric: 'rmse', change: { absolute: 0 } }).passed).toBe(false);
    expect(one({ my_error: 1.2 }, { my_error: 1 }, { metric: 'my_error', change: { absolute: 0 } }).passed).toBe(false);
    expect(one({ custom_score: 1.2 }, { custom_score: 1 }, { metric: 'custom_score', change: { absolute: 0 } }).passed).toBe(true);
    expect(one({ custom_score: 0.8 }, { custom_score: 1 }, { metric: 'custom_score', change: { absolute: 0 } }).passed).toBe(false);
  });
});

describe('evaluateGates: missing values, baseline 0, no baseline, NaN', () => {
  test('a metric missing from the candidate fails, naming what it has', () => {
    const check = one({ accuracy: 0.9, f1_macro: 0.8 }, null, { metric: 'roc_auc', lower: 0.8 });
    expect(check.passed).toBe(false);
    expect(check.candidate).toBeNull();
    expect(check.reasons).toEqual(["roc_auc is missing from the candidate model's metrics (it has accuracy, f1_macro)"]);
  });

  test('a null candidate metric fails as missing', () => {
    const check = one({ accuracy: 0.9, roc_auc: null }, { roc_auc: 0.8 }, { metric: 'roc_auc', lower: 0.8, change: { absolute: 0 } });
    expect(check.reasons).toEqual(["roc_auc is missing from the candidate model's metrics (it has accuracy)"]);
    expect(check.diff).toBeNull();
  });

  test('a name on Object.prototype is just missing', () => {
    expect(one({}, {}, { metric: 'constructor', lower: 0 }).reasons).toEqual([
      "constructor is missing from the candidate model's metrics (it has no metrics)",
    ]);
  });

  test('a metric missing from the baseline fails the change bound; value bounds are still checked', () => {
    const check = one({ accuracy: 0.8 }, { f1_macro: 0.8 }, { metric: 'accuracy', lower: 0.85, change: { absolute: -0.01 } });
    expect(check.reasons).toEqual([
      'accuracy 0.8 is below the minimum 0.85',
      "accuracy is missing from the baseline model's metrics, so its change cannot be checked (it has f1_macro)",
    ]);
    expect(check.baseline).toBeNull();
  });

  test('a baseline missing the metric does not matter for a gate without change bounds', () => {
    expect(one({ accuracy: 0.9 }, {}, { metric: 'accuracy', lower: 0.85 }).passed).toBe(true);
  });

  test('baseline 0 with a relative bound fails with an explicit reason', () => {
    const check = one({ accuracy: 0.5 }, { accuracy: 0 }, { metric: 'accuracy', change: { relative: -0.01 } });
    expect(check.passed).toBe(false);
    expect(check.relative).toBeNull();
    expect(check.diff).toBe(0.5);
    expect(check.reasons).toEqual([
      "accuracy: relative change undefined: baseline is 0, so the gate's relative bound (at least -1%) cannot be checked; use an absolute bound for this metric",
    ]);
  });

  test('baseline 0 with an absolute bound alone works', () => {
    expect(one({ mae: 0.5 }, { mae: 0 }, { metric: 'mae', change: { absolute: 1 } }).passed).toBe(true);
    expect(one({ mae: 0.5 }, { mae: 0 }, { metric: 'mae', change: { absolute: 0.1 } }).reasons).toEqual([
      'mae rose by 0.5 against the baseline 0; the gate allows a change of at most 0.1',
    ]);
  });

  test('baseline 0 with both bounds: the absolute one is checked, the relative one fails', () => {
    const check = one({ mae: 0.05 }, { mae: 0 }, { metric: 'mae', change: { absolute: 0.1, relative: 0.1 } });
    expect(check.reasons).toHaveLength(1);
    expect(check.reasons[0]).toMatch(/^mae: relative change undefined: baseline is 0/);
  });

  test('no baseline (the first model): value bounds apply, change bounds are skipped with a note', () => {
    const gates: Gate[] = [
      { metric: 'accuracy', lower: 0.8, change: { absolute: -0.01 } },
      { metric: 'log_loss', change: { relative: 0.05 } },
    ];
    const blessed = evaluateGates({ accuracy: 0.9, log_loss: 0.3 }, null, gates);
    expect(blessed.blessed).toBe(true);
    expect(blessed.reasons).toEqual([]);
    expect(blessed.checks.map((c) => c.notes)).toEqual([
      ['change bounds on accuracy skipped: no baseline (this is the first model)'],
      ['change bounds on log_loss skipped: no baseline (this is the first model)'],
    ]);
    expect(blessed.checks.map((c) => [c.baseline, c.diff, c.relative])).toEqual([
      [null, null, null],
      [null, null, null],
    ]);
    const failed = evaluateGates({ accuracy: 0.7, log_loss: 0.3 }, null, gates);
    expect(failed.blessed).toBe(false);
    expect(failed.reasons).toEqual(['accuracy 0.7 is below the minimum 0.8']);
  });

  test('a gate without change bounds gets no note', () => {
    expect(one({ accuracy: 0.9 }, null, { metric: 'accuracy', lower: 0.8 }).notes).toEqual([]);
  });

  test('NaN in the candidate, the baseline or a bound fails with a reason', () => {
    const candidateNaN = one({ accuracy: NaN }, { accuracy: 0.9 }, { metric: 'accuracy', lower: 0.5, change: { absolute: -0.1 } });
    expect(candidateNaN.reasons).toEqual(['accuracy is NaN for the candidate model']);
    expect(candidateNaN.candidate).toBeNaN();

    const baselineNaN = one({ accuracy: 0.9 }, { accuracy: NaN }, { metric: 'accuracy', change: { absolute: -0.1 } });
    expect(baselineNaN.reasons).toEqual(['accuracy is NaN for the baseline model, so its change cannot be checked']);

    const boundNaN = one({ accuracy: 0.9 }, null, { metric: 'accuracy', lower: NaN });
    expect(boundNaN.passed).toBe(false);
    expect(boundNaN.reasons).toEqual(['the gate on accuracy has lower NaN, not a number; fix the gate']);

    const changeNaN = one({ accuracy: 0.9 }, { accuracy: 0.9 }, { metric: 'accuracy', change: { relative: NaN } });
    expect(changeNaN.reasons).toEqual(['the gate on accuracy has change.relative NaN, not a number; fix the gate']);
  });

  test('a value that is not a number (from a hand-edited baseline file) fails', () => {
    const baseline = { accuracy: '0.9' } as unknown as Record<string, number>;
    const check = one({ accuracy: 0.9 }, baseline, { metric: 'accuracy', change: { absolute: 0 } });
    expect(check.reasons).toEqual(['accuracy is not a number for the baseline model (got "0.9"), so its change cannot be checked']);
  });
});

describe('evaluateGates: several gates', () => {
  test('every failure of every gate is reported, in gate order', () => {
    const blessing = evaluateGates({ accuracy: 0.7, f1_macro: 0.6, log_loss: 0.9 }, { accuracy: 0.9, f1_macro: 0.6, log_loss: 0.5 }, [
      { metric: 'accuracy', lower: 0.8, change: { absolute: -0.05 } },
      { metric: 'f1_macro', lower: 0.5 },
      { metric: 'log_loss', upper: 0.8, change: { relative: 0.1 } },
      { metric: 'roc_auc', lower: 0.7 },
    ]);
    expect(blessing.blessed).toBe(false);
    expect(blessing.checks.map((c) => c.passed)).toEqual([false, true, false, false]);
    expect(blessing.reasons).toEqual([
      'accuracy 0.7 is below the minimum 0.8',
      'accuracy fell by 0.2 (-22.2%) against the baseline 0.9; the gate allows a change of at least -0.05',
      'log_loss 0.9 is above the maximum 0.8',
      'log_loss rose by 0.4 (+80%) against the baseline 0.5; the gate allows a relative change of at most 10%',
      "roc_auc is missing from the candidate model's metrics (it has accuracy, f1_macro, log_loss)",
    ]);
  });

  test('all passing blesses; no gates at all blesses', () => {
    const blessing = evaluateGates({ accuracy: 0.9, mae: 1 }, { accuracy: 0.89, mae: 1.1 }, [
      { metric: 'accuracy', lower: 0.8, change: { absolute: 0 } },
      { metric: 'mae', change: { absolute: 0 } },
    ]);
    expect(blessing).toEqual({
      blessed: true,
      reasons: [],
      checks: [
        expect.objectContaining({ metric: 'accuracy', direction: 'higher', candidate: 0.9, baseline: 0.89, passed: true, reasons: [] }),
        expect.objectContaining({ metric: 'mae', direction: 'lower', candidate: 1, baseline: 1.1, passed: true, reasons: [] }),
      ],
    });
    expect(evaluateGates({ accuracy: 0.1 }, null, [])).toEqual({ blessed: true, reasons: [], checks: [] });
  });
});

describe('evaluateGates: significant change bounds judge the paired interval', () => {
  /** Paired intervals of candidate − baseline at 95%. */
  const paired = (differences: ChangeIntervals['differences']): ChangeIntervals => ({ confidence: 0.95, unavailable: null, differences });
  const significant = (metric: string, absolute?: number, relative?: number): Gate => ({
    metric,
    change: { ...(absolute !== undefined ? { absolute } : {}), ...(relative !== undefined ? { relative } : {}), significant: true },
  });

  function judged(
    candidate: Record<string, number | null>,
    baseline: Record<string, number | null> | null,
    gate: Gate,
    intervals: ChangeIntervals | null,
  ) {
    const blessing = evaluateGates(candidate, baseline, [gate], intervals);
    expect(blessing.blessed).toBe(blessing.checks[0]!.passed);
    return blessing.checks[0]!;
  }

  test('higher is better: a point improvement whose interval reaches below the bound fails, naming the interval', () => {
    const check = judged(
      { accuracy: 0.86 },
      { accuracy: 0.85 },
      significant('accuracy', 0),
      paired({ accuracy: { lower: -0.004, upper: 0.024 } }),
    );
    expect(check.passed).toBe(false);
    expect(check.reasons).toEqual([
      "accuracy rose by 0.01 (+1.18%) against the baseline 0.85, 95% paired interval [-0.004, 0.024]; the gate allows a change of at least 0 at the interval's lower end",
    ]);
    expect(check.diff).toBeCloseTo(0.01, 12);
    expect(check.interval).toEqual({ confidence: 0.95, lower: -0.004, upper: 0.024 });
    // The same gate without `significant` judges the point difference and passes.
    expect(judged({ accuracy: 0.86 }, { accuracy: 0.85 }, { metric: 'accuracy', change: { absolute: 0 } }, null).passed).toBe(true);
  });

  test('higher is better: an interval whose lower end clears the bound passes (the bound itself too)', () => {
    const intervals = paired({ accuracy: { lower: 0.002, upper: 0.018 } });
    expect(judged({ accuracy: 0.86 }, { accuracy: 0.85 }, significant('accuracy', 0), intervals).passed).toBe(true);
    expect(judged({ accuracy: 0.86 }, { accuracy: 0.85 }, significant('accuracy', 0.002), intervals).passed).toBe(true);
    expect(judged({ accuracy: 0.86 }, { accuracy: 0.85 }, significant('accuracy', 0.0021), intervals).passed).toBe(false);
    // Non-inferiority: a fall of at most 0.01 at the interval's lower end.
    const flat = paired({ accuracy: { lower: -0.008, upper: 0.006 } });
    expect(judged({ accuracy: 0.85 }, { accuracy: 0.85 }, significant('accuracy', -0.01), flat).passed).toBe(true);
    expect(judged({ accuracy: 0.85 }, { accuracy: 0.85 }, significant('accuracy', -0.005), flat).passed).toBe(false);
  });

  test('lower is better: the upper end is judged', () => {
    const intervals = paired({ log_loss: { lower: -0.05, upper: 0.01 } });
    const check = judged({ log_loss: 0.3 }, { log_loss: 0.32 }, significant('log_loss', 0), intervals);
    expect(check.direction).toBe('lower');
    expect(check.reasons).toEqual([
      "log_loss fell by 0.02 (-6.25%) against the baseline 0.32, 95% paired interval [-0.05, 0.01]; the gate allows a change of at most 0 at the interval's upper end",
    ]);
    expect(judged({ log_loss: 0.3 }, { log_loss: 0.32 }, significant('log_loss', 0.01), intervals).passed).toBe(true);
    expect(
      judged({ log_loss: 0.3 }, { log_loss: 0.32 }, significant('log_loss', -0.001), paired({ log_loss: { lower: -0.05, upper: -0.002 } }))
        .passed,
    ).toBe(true);
  });

  test('relative bounds judge the interval end over |baseline|', () => {
    // Lower end −0.0085 over 0.85 = −1%: passes a relative bound of −1%, fails −0.5%.
    const intervals = paired({ accuracy: { lower: -0.0085, upper: 0.01 } });
    expect(judged({ accuracy: 0.85 }, { accuracy: 0.85 }, significant('accuracy', undefined, -0.01), intervals).passed).toBe(true);
    expect(judged({ accuracy: 0.85 }, { accuracy: 0.85 }, significant('accuracy', undefined, -0.005), intervals).reasons).toEqual([
      "accuracy did not change against the baseline 0.85, 95% paired interval [-0.0085, 0.01]; the gate allows a relative change of at least -0.5% at the interval's lower end",
    ]);
  });

  test('without a paired interval the gate fails, saying why', () => {
    const gate = significant('accuracy', 0);
    const cases: Array<[ChangeIntervals | null, string]> = [
      [null, 'no paired interval: no bootstrap intervals were computed for this evaluation'],
      [
        {
          confidence: 0.95,
          unavailable: 'the baseline is a metrics file (b.json), without per-row predictions to resample',
          differences: {},
        },
        'no paired interval: the baseline is a metrics file (b.json), without per-row predictions to resample',
      ],
      [paired({ f1_macro: { lower: 0, upper: 0.1 } }), 'no paired interval: the bootstrap gives no interval for accuracy'],
      [
        paired({ accuracy: { lower: null, upper: null, skipped: 1000 } }),
        'no paired interval: the change of accuracy was undefined on every resample',
      ],
    ];
    for (const [intervals, reason] of cases) {
      const check = judged({ accuracy: 0.9 }, { accuracy: 0.8 }, gate, intervals);
      expect(check.passed).toBe(false);
      expect(check.reasons).toEqual([
        `${reason}; the gate on accuracy requires a significant change (change.significant), so it cannot be checked`,
      ]);
      expect(check.interval).toBeUndefined();
    }
  });

  test('a less reliable interval is judged, with a note; no baseline skips the bound as before', () => {
    const check = judged(
      { roc_auc: 0.9 },
      { roc_auc: 0.85 },
      significant('roc_auc', 0),
      paired({ roc_auc: { lower: 0.01, upper: 0.09, skipped: 150, unreliable: true } }),
    );
    expect(check.passed).toBe(true);
    expect(check.notes).toEqual([
      'the paired interval of roc_auc is less reliable: roc_auc was undefined on 150 resamples (more than 10%)',
    ]);
    const first = judged({ accuracy: 0.9 }, null, significant('accuracy', 0), null);
    expect(first.passed).toBe(true);
    expect(first.notes).toEqual(['change bounds on accuracy skipped: no baseline (this is the first model)']);
  });

  test('value bounds and other gates are untouched by intervals', () => {
    const intervals = paired({ accuracy: { lower: -0.1, upper: 0.1 } });
    const blessing = evaluateGates(
      { accuracy: 0.9, f1_macro: 0.8 },
      { accuracy: 0.85, f1_macro: 0.8 },
      [
        { metric: 'accuracy', lower: 0.85, change: { absolute: 0 } },
        { metric: 'f1_macro', lower: 0.85 },
      ],
      intervals,
    );
    expect(blessing.reasons).toEqual(['f1_macro 0.8 is below the minimum 0.85']);
    expect(blessing.checks[0]!.interval).toBeUndefined();
  });
});

describe('parseGates', () => {
  test('reads a valid list, keeping only what was written', () => {
    const gates = parseGates(
      [
        { metric: 'accuracy', lower: 0.8, change: { absolute: -0.01 } },
        { metric: 'log_loss', direction: 'lower', upper: 0.5, change: { relative: 0.05, absolute: 0.02 } },
        { metric: 'r2', lower: 0, upper: 1 },
      ],
      'evaluate.gates',
    );
    expect(gates).toEqual([
      { metric: 'accuracy', lower: 0.8, change: { absolute: -0.01 } },
      { metric: 'log_loss', direction: 'lower', upper: 0.5, change: { absolute: 0.02, relative: 0.05 } },
      { metric: 'r2', lower: 0, upper: 1 },
    ]);
  });

  test('null or undefined (no gates written) is an empty list', () => {
    expect(parseGates(undefined, 'evaluate.gates')).toEqual([]);
    expect(parseGates(null, 'evaluate.gates')).toEqual([]);
    expect(parseGates([], 'evaluate.gates')).toEqual([]);
  });

  test('not a list', () => {
    const error = userErrorOf(() => parseGates({ metric: 'accuracy' }, 'evaluate.gates'));
    expect(error.message).toBe('evaluate.gates must be a list of gates, got a mapping');
    expect(error.hint).toMatch(/metric: accuracy/);
  });

  test('each problem names its key and what is allowed', () => {
    const cases: Array<[unknown, string]> = [
      [
        'accuracy',
        'evaluate.gates[0] must be a mapping such as { metric: accuracy, lower: 0.8, change: { absolute: -0.01 } }, got "accuracy"',
      ],
      [
        { metric: 'accuracy', minimum: 0.8 },
        'evaluate.gates[0].minimum is not a setting here; allowed: metric, direction, lower, upper, change',
      ],
      [{ lower: 0.8 }, 'evaluate.gates[0].metric is required: the name of a metric such as accuracy or f1_macro'],
      [{ metric: 3, lower: 0.8 }, 'evaluate.gates[0].metric must be a metric name such as accuracy or f1_macro, got 3'],
      [{ metric: ' ', lower: 0.8 }, 'evaluate.gates[0].metric must be a metric name such as accuracy or f1_macro, got " "'],
      [{ metric: 'accuracy', direction: 'up', lower: 0.8 }, 'evaluate.gates[0].direction must be higher or lower, got "up"'],
      [{ metric: 'accuracy', lower: 'high' }, 'evaluate.gates[0].lower must be a finite number, got "high"'],
      [{ metric: 'accuracy', upper: NaN }, 'evaluate.gates[0].upper must be a finite number, got NaN'],
      [{ metric: 'accuracy', lower: null }, 'evaluate.gates[0].lower must be a finite number, got null'],
      [
        { metric: 'accuracy', lower: 0.9, upper: 0.8 },
        'evaluate.gates[0].lower (0.9) is greater than evaluate.gates[0].upper (0.8): no value can pass',
      ],
      [
        { metric: 'accuracy', change: -0.01 },
        'evaluate.gates[0].change must be a mapping with absolute and/or relative, e.g. { absolute: -0.01 }, got -0.01',
      ],
      [{ metric: 'accuracy', change: { abs: -0.01 } }, 'evaluate.gates[0].change.abs is not a setting here; allowed: absolute, relative'],
      [
        { metric: 'accuracy', change: {} },
        'evaluate.gates[0].change needs absolute or relative (or both), e.g. { absolute: -0.01 } or { relative: -0.02 }',
      ],
      [{ metric: 'accuracy', change: { relative: '5%' } }, 'evaluate.gates[0].change.relative must be a finite number, got "5%"'],
      [{ metric: 'accuracy', change: { absolute: Infinity } }, 'evaluate.gates[0].change.absolute must be a finite number, got Infinity'],
      [{ metric: 'accuracy' }, 'evaluate.gates[0] has no bound: give lower, upper or change'],
      [
        [{ metric: 'accuracy', lower: 1 }],
        'evaluate.gates[0] must be a mapping such as { metric: accuracy, lower: 0.8, change: { absolute: -0.01 } }, got a list',
      ],
    ];
    for (const [item, expected] of cases) {
      const error = userErrorOf(() => parseGates([item], 'evaluate.gates'));
      expect(error.message).toContain(expected);
    }
  });

  test('every problem of every gate is reported at once', () => {
    const error = userErrorOf(() =>
      parseGates(
        [
          { metric: 'accuracy', lower: 0.8 },
          { metric: 'f1_macro', direction: 'HIGHER_IS_BETTER', lower: 'x' },
          { lower: 1, typo: true },
        ],
        'gates',
      ),
    );
    expect(error.message).toBe(
      [
        'invalid gates:',
        '  - gates[1].direction must be higher or lower, got "HIGHER_IS_BETTER"',
        '  - gates[1].lower must be a finite number, got "x"',
        '  - gates[2].typo is not a setting here; allowed: metric, direction, lower, upper, change',
        '  - gates[2].metric is required: the name of a metric such as accuracy or f1_macro',
      ].join('\n'),
    );
  });

  test('a single problem reads as one line', () => {
    expect(userErrorOf(() => parseGates([{ metric: 'accuracy', lower: 'x' }], 'gates')).message).toBe(
      'invalid gate: gates[0].lower must be a finite number, got "x"',
    );
  });

  test('significant: true on a change bound; anything but a boolean, or no bound beside it, is a problem', () => {
    expect(parseGates([{ metric: 'accuracy', change: { absolute: 0, significant: true } }], 'evaluate.gates')).toEqual([
      { metric: 'accuracy', change: { absolute: 0, significant: true } },
    ]);
    expect(parseGates([{ metric: 'accuracy', change: { relative: -0.01, significant: false } }], 'evaluate.gates')).toEqual([
      { metric: 'accuracy', change: { relative: -0.01 } },
    ]);
    expect(userErrorOf(() => parseGates([{ metric: 'accuracy', change: { absolute: 0, significant: 'yes' } }], 'g')).message).toBe(
      'invalid gate: g[0].change.significant must be true or false, got "yes"',
    );
    expect(userErrorOf(() => parseGates([{ metric: 'accuracy', change: { significant: true } }], 'g')).message).toBe(
      'invalid gate: g[0].change needs absolute or relative (or both), e.g. { absolute: -0.01 } or { relative: -0.02 }; ' +
        'for a significant improvement: { absolute: 0, significant: true }',
    );
  });

  test('parsed gates evaluate as written', () => {
    const gates = parseGates([{ metric: 'accuracy', lower: 0.85 }], 'evaluate.gates');
    expect(evaluateGates({ accuracy: 0.812 }, null, gates).reasons).toEqual(['accuracy 0.812 is below the minimum 0.85']);
  });
});
