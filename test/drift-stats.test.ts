/**
 * The drift statistics against published or hand-derived values. Reference values
 * marked "scipy" were computed with scipy 1.17 on the same samples: the samples come
 * from the seeded xorshift32 generator of support/random.ts, which gives bit-identical
 * floats in Python (`s ^= s << 13 & 0xffffffff; s ^= s >> 17; s ^= s << 5 & 0xffffffff`).
 * Values marked "scipy, this run" are computed by SciPy in a python3 process the test
 * starts: skipped (with the reason) when python3 or scipy is missing, an error on CI.
 */
import { spawnSync } from 'node:child_process';
import { exactNumeric } from '../src/core/drift/columns.js';
import { METHODS } from '../src/core/drift/methods.js';
import {
  binCounts,
  chiSquareGoodnessOfFit,
  chiSquareHomogeneity,
  jensenShannon,
  ksExactPValue,
  ksStatistic,
  ksTwoSample,
  NATURAL_LOG,
  populationStd,
  psi,
  PSI_FLOOR,
  histogramCounts,
  quantileEdges,
  sortFinite,
  sorted,
  sturgesEdges,
  twoProportionZTest,
  wasserstein,
  wassersteinNorm,
} from '../src/core/drift/stats.js';
import { chiSquareSf, gammaQ, kolmogorovNSf, kolmogorovSf, logGamma, normalSf } from '../src/core/drift/special.js';
import { prng } from './support/random.js';

function sample(seed: number, n: number, scale: number, shift: number, rounded = false): Float64Array {
  const random = prng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = random();
    out[i] = rounded ? Math.round(u * scale) : u * scale + shift;
  }
  return out;
}

const close = (actual: number, expected: number, relative: number) => {
  if (!Number.isFinite(expected)) return expect(actual).toBe(expected);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected) + 1e-300);
};

/**
 * Runs `code` (Python; reads JSON from stdin, prints JSON) with scipy. Returns the reason
 * when python3 or scipy is missing; on CI that is an error instead.
 */
function runScipy(code: string, input: unknown): { value: unknown } | { missing: string } {
  const probe =
    'import json, sys, math\nimport numpy as np\nimport scipy\nfrom scipy.stats import chisquare, chi2_contingency\nfrom scipy.spatial.distance import jensenshannon\n';
  // The first Python on the PATH, else Debian's (python3-scipy installs there).
  const reasons: string[] = [];
  for (const python of ['python3', '/usr/bin/python3']) {
    const run = spawnSync(python, ['-c', probe + code], { input: JSON.stringify(input), encoding: 'utf8' });
    if (run.error || (run.status !== 0 && /ModuleNotFoundError|No module named/.test(run.stderr))) {
      reasons.push(
        run.error
          ? `${python} could not be started (${run.error.message})`
          : `${python} has no scipy (${run.stderr.trim().split('\n').at(-1)})`,
      );
      continue;
    }
    if (run.status !== 0) throw new Error(`${python} failed: ${run.stderr}`);
    return { value: JSON.parse(run.stdout) as unknown };
  }
  const reason = reasons.join('; ');
  if (process.env.CI === 'true') throw new Error(`The scipy comparisons must run on CI: ${reason}`);
  return { missing: reason };
}

/** Numbers from Python's json (inf and nan as strings, since JSON has neither). */
const num = (v: number | string): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : (v as number));
const PY_NUM =
  'def num(x):\n    x = float(x)\n    return "inf" if x == math.inf else "-inf" if x == -math.inf else "nan" if x != x else x\n';

describe('sortFinite (the radix sort of exact columns)', () => {
  const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const shapes: Array<[string, (i: number, rand: () => number) => number]> = [
    ['uniform in [-1, 1)', (_i, rand) => rand() * 2 - 1],
    ['positive only, wide range', (_i, rand) => Math.exp(rand() * 80 - 40)],
    ['negative only', (_i, rand) => -rand() * 1000],
    ['few distinct, with -0 and +0', (i) => [0, -0, 1, -1, 2.5, -0, 0][i % 7]!],
    ['subnormals and extremes', (i, rand) => [5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 2.2e-308, rand()][i % 6]!],
    ['integers (counts)', (_i, rand) => Math.floor(rand() * 50)],
    ['one value', () => 3.25],
    ['already sorted', (i) => i * 0.5 - 100],
    ['reversed', (i) => -i * 0.5],
  ];
  test.each(shapes)('equals Float64Array sort() bit for bit: %s', (_name, make) => {
    for (const n of [0, 1, 1023, 1024, 5000, 70_000]) {
      const rand = prng(n + 7);
      const values = Float64Array.from({ length: n }, (_, i) => make(i, rand));
      const expected = Float64Array.from(values).sort();
      const got = sortFinite(values);
      expect(got).toBe(values); // in place
      expect(bytes(got).equals(bytes(expected))).toBe(true);
    }
  });

  test('a view into a larger buffer is sorted in place, the rest left alone', () => {
    const all = Float64Array.from({ length: 6000 }, (_, i) => ((i * 7919) % 6000) - 3000);
    const before = Float64Array.from(all);
    const view = all.subarray(1000, 5000);
    sortFinite(view);
    expect(bytes(all.subarray(0, 1000)).equals(bytes(before.subarray(0, 1000)))).toBe(true);
    expect(bytes(all.subarray(5000)).equals(bytes(before.subarray(5000)))).toBe(true);
    expect(bytes(view).equals(bytes(Float64Array.from(before.subarray(1000, 5000)).sort()))).toBe(true);
  });
});

describe('special functions', () => {
  test('log-gamma of integers and half-integers', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
    close(logGamma(10), Math.log(362880), 1e-14);
    close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
    close(logGamma(100), 359.1342053695754, 1e-14); // log(99!)
  });

  test('chi-square tails (scipy.stats.chi2.sf)', () => {
    close(chiSquareSf(3.84, 1), 0.05004352124870519, 1e-12);
    close(chiSquareSf(100, 10), 5.4497019829205215e-17, 1e-10);
    close(chiSquareSf(0.5, 4), 0.9735009788392561, 1e-13);
    close(chiSquareSf(25.3, 7), 0.0006712440753544802, 1e-11);
    expect(chiSquareSf(2000, 30)).toBe(0);
    // df = 2: Q(1, x/2) = exp(-x/2), by hand.
    close(chiSquareSf(7, 2), Math.exp(-3.5), 1e-14);
    expect(gammaQ(3, 0)).toBe(1);
  });

  test('normal tails (scipy.stats.norm.sf)', () => {
    close(normalSf(1.96), 0.024997895148220435, 1e-12);
    close(normalSf(5), 2.866515718791933e-7, 1e-11);
    close(normalSf(0.1), 0.460172162722971, 1e-13);
    close(normalSf(12), 1.776482112077653e-33, 1e-9);
    close(normalSf(0), 0.5, 1e-15);
  });

  test('Kolmogorov distributions (scipy.stats.kstwobign.sf, kstwo.sf)', () => {
    close(kolmogorovSf(1), 0.26999967167735456, 1e-12);
    close(kolmogorovSf(0.5), 0.9639452436648751, 1e-12);
    close(kolmogorovSf(2), 0.0006709252557796953, 1e-10);
    close(kolmogorovNSf(500000, 0.01), 7.374635645083527e-44, 1e-6);
    close(kolmogorovNSf(500000, 0.002), 0.036582179671620585, 1e-4);
    close(kolmogorovNSf(5000, 0.05), 2.6523052328711187e-11, 1e-6);
    close(kolmogorovNSf(40, 0.3), 0.0010904155041397967, 1e-6);
    close(kolmogorovNSf(30, 0.6), 7.392006292214292e-11, 1e-6);
    close(kolmogorovNSf(1000, 0.02), 0.8108971656895577, 1e-3);
  });
});

describe('Kolmogorov-Smirnov', () => {
  test('disjoint samples of 3 and 3: D = 1, p = 2 / C(6, 3) = 0.1 (by hand)', () => {
    const r = ksTwoSample(Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6));
    expect(r.statistic).toBe(1);
    close(r.pValue!, 0.1, 1e-14);
    expect(r.exact).toBe(true);
  });

  test('disjoint samples of 2 and 3: p = 2 / C(5, 2) = 0.2 (by hand)', () => {
    const r = ksTwoSample(Float64Array.of(1, 2), Float64Array.of(4, 5, 6));
    expect(r.statistic).toBe(1);
    close(r.pValue!, 0.2, 1e-14);
  });

  test('identical samples: D = 0, p = 1', () => {
    const a = sorted(sample(1, 50, 1, 0));
    const r = ksTwoSample(a, a.slice());
    expect(r.statistic).toBe(0);
    expect(r.pValue).toBe(1);
  });

  test('ties: ECDFs compared after every distinct value (by hand)', () => {
    // F_a: after 1 -> 2/4, after 2 -> 4/4; F_b: after 1 -> 1/4, after 2 -> 2/4, after 3 -> 1. Max gap 1/2 at 2.
    const r = ksTwoSample(Float64Array.of(1, 1, 2, 2), Float64Array.of(1, 2, 3, 3));
    expect(r.statistic).toBe(0.5);
    // m = n = 4, h = 2: P = 2 (C(8,2) - C(8,0)) / C(8,4) = 2 (28 - 1) / 70, by the alternating sum.
    close(r.pValue!, (2 * (28 - 1)) / 70, 1e-14);
  });

  test('one value on each side, equal or not', () => {
    expect(ksTwoSample(Float64Array.of(5), Float64Array.of(5)).pValue).toBe(1);
    const r = ksTwoSample(Float64Array.of(5, 5, 5), Float64Array.of(7, 7));
    expect(r.statistic).toBe(1);
    close(r.pValue!, 0.2, 1e-14);
  });

  const cases: Array<[string, [number, number, number, number, boolean?], [number, number, number, number], number, number]> = [
    // name, reference (seed, n, scale, shift, rounded), current, scipy D, scipy p
    ['n 20 / 30, shifted', [1, 20, 1, 0], [2, 30, 1, 0.3], 0.5, 0.003356115391389148],
    ['n 100 / 110, shifted', [3, 100, 1, 0], [4, 110, 1, 0.1], 0.25363636363636366, 0.001845247142136783],
    ['n 60 / 80, integer ties', [5, 60, 10, 0, true], [6, 80, 10, 0], 0.09583333333333334, 0.8855526423089145],
    ['n 200 / 200 (square formula)', [7, 200, 1, 0], [8, 200, 1, 0.05], 0.155, 0.016258459276759563],
    ['n 1000 / 1500, wider', [9, 1000, 1, 0], [10, 1500, 1.1, 0], 0.126, 9.606550600165974e-9],
    ['n 3000 / 2000', [11, 3000, 1, 0], [12, 2000, 1, 0.02], 0.043, 0.023165179008799986],
    ['n 500 / 700, same distribution', [13, 500, 1, 0], [14, 700, 1, 0], 0.04342857142857143, 0.624487104195666],
  ];
  test.each(cases)('exact p-value matches scipy to 1e-6: %s', (_, [s1, n1, sc1, sh1, r1], [s2, n2, sc2, sh2], d, p) => {
    const a = sorted(sample(s1, n1, sc1, sh1, r1));
    const b = sorted(sample(s2, n2, sc2, sh2, r1));
    const r = ksTwoSample(a, b);
    expect(r.exact).toBe(true);
    close(r.statistic, d, 1e-12);
    expect(Math.abs(r.pValue! - p)).toBeLessThan(1e-6);
    close(r.pValue!, p, 1e-8);
  });

  const asymptotic: Array<[string, [number, number, number], [number, number, number], number, number]> = [
    ['n 20000 / 15000', [15, 20000, 0], [16, 15000, 0.01], 0.015583333333333282, 0.03080338243807834],
    ['n 12000 / 40', [17, 12000, 0], [18, 40, 0.1], 0.18341666666666667, 0.11921506667619386],
    ['n 50000 / 60000', [19, 50000, 0], [20, 60000, 0.003], 0.005536666666666745, 0.3718713525167717],
  ];
  test.each(asymptotic)('asymptotic p-value (a sample over 10,000) is close to scipy: %s', (_, [s1, n1, sh1], [s2, n2, sh2], d, p) => {
    const r = ksTwoSample(sorted(sample(s1, n1, 1, sh1)), sorted(sample(s2, n2, 1, sh2)));
    expect(r.exact).toBe(false);
    close(r.statistic, d, 1e-9);
    expect(Math.abs(r.pValue! - p)).toBeLessThan(1e-3);
  });

  test('the statistic is symmetric and the exact p-value does not depend on the order', () => {
    const a = sorted(sample(21, 37, 1, 0));
    const b = sorted(sample(22, 53, 1, 0.2));
    expect(ksStatistic(a, b)).toBe(ksStatistic(b, a));
    expect(ksExactPValue(37, 53, ksStatistic(a, b))).toBe(ksExactPValue(53, 37, ksStatistic(a, b)));
  });

  test('empty samples are refused', () => {
    expect(() => ksTwoSample(new Float64Array(0), Float64Array.of(1))).toThrow(RangeError);
  });
});

describe('chi-square test of homogeneity', () => {
  test('2 x 3 table (scipy.stats.chi2_contingency, correction=False)', () => {
    const r = chiSquareHomogeneity([10, 20, 30], [15, 25, 20]);
    close(r.statistic, 3.5555555555555554, 1e-13);
    close(r.pValue!, 0.16901331540606607, 1e-12);
    expect(r.df).toBe(2);
  });

  test('a category only the current data has (scipy)', () => {
    const r = chiSquareHomogeneity([500, 300, 200, 0], [450, 350, 150, 50]);
    close(r.statistic, 63.62058993637942, 1e-12);
    close(r.pValue!, 9.894082802228537e-14, 1e-9);
    expect(r.df).toBe(3);
  });

  test('by hand: the 2 x 2 table [[10, 0], [0, 10]] gives chi2 = 20 with df = 1', () => {
    // Expected counts are all 5: chi2 = 4 * 25 / 5 = 20; for df = 1, P(X >= x) = erfc(sqrt(x / 2)) = 2 normalSf(sqrt(x)).
    const r = chiSquareHomogeneity([10, 0], [0, 10]);
    close(r.statistic, 20, 1e-14);
    close(r.pValue!, 2 * normalSf(Math.sqrt(20)), 1e-10);
  });

  test('one category, or categories nobody has: no test (p = 1)', () => {
    expect(chiSquareHomogeneity([10], [20]).pValue).toBe(1);
    expect(chiSquareHomogeneity([10, 0], [20, 0]).pValue).toBe(1);
    expect(chiSquareHomogeneity([0, 0], [3, 4]).pValue).toBe(1);
  });
});

describe("chi-square goodness of fit (Evidently's chisquare, the default)", () => {
  test('by hand: current 30/70 against reference shares 0.5/0.5 of 100 rows', () => {
    // Expected 50/50: chi2 = 2 * 400 / 50 = 16, df = 1, p = 2 normalSf(4).
    const r = chiSquareGoodnessOfFit([10, 10], [30, 70]);
    close(r.statistic, 16, 1e-14);
    close(r.pValue!, 2 * normalSf(4), 1e-10);
    expect(r.df).toBe(1);
  });

  test('a category the reference lacks: expected 0, statistic infinite, p = 0 (as scipy); one category: p = 1', () => {
    const r = chiSquareGoodnessOfFit([500, 300, 200, 0], [450, 350, 149, 1]);
    expect(r.statistic).toBe(Infinity);
    expect(r.pValue).toBe(0);
    expect(r.df).toBe(3);
    expect(chiSquareGoodnessOfFit([10], [20]).pValue).toBe(1);
    expect(chiSquareGoodnessOfFit([10, 0], [20, 0]).pValue).toBe(1);
    // A category only the reference has is a category with observed 0.
    expect(chiSquareGoodnessOfFit([10, 10], [20, 0]).statistic).toBe(20);
  });

  // Two disjoint ID columns: 500 distinct reference values, 500 other current values.
  const ids = {
    reference: [...Array<number>(500).fill(1), ...Array<number>(500).fill(0)],
    current: [...Array<number>(500).fill(0), ...Array<number>(500).fill(1)],
  };
  const tables: Array<[string, number[], number[]]> = [
    ['2 x 3', [10, 20, 30], [15, 25, 20]],
    ['reference only category', [500, 300, 200, 7], [450, 350, 150, 0]],
    ['unequal sizes, small counts', [3, 1, 4, 1, 5, 9, 2, 6], [5, 3, 5, 8, 9, 7, 9, 3]],
    [
      'rounded samples',
      ...(() => {
        const count = (v: Float64Array) => Array.from({ length: 11 }, (_, k) => v.filter((x) => x === k).length);
        return [
          count(sample(41, 300, 10, 0, true)),
          count(sample(42, 200, 10, 0, true).map((x) => Math.min(10, x + (x % 3 === 0 ? 1 : 0)))),
        ] as [number[], number[]];
      })(),
    ],
    ['new category in current', [500, 300, 200, 0], [450, 350, 149, 1]],
    ['disjoint ID columns, 500 + 500', ids.reference, ids.current],
  ];
  const py = runScipy(
    PY_NUM +
      'out = []\n' +
      'for r, c in json.load(sys.stdin):\n' +
      '    with np.errstate(divide="ignore", invalid="ignore"):\n' +
      '        g = chisquare(c, np.array(r, dtype=float) * sum(c) / sum(r))\n' +
      '    keep = [i for i in range(len(r)) if r[i] + c[i] > 0]\n' +
      '    t = chi2_contingency([[r[i] for i in keep], [c[i] for i in keep]], correction=False)\n' +
      '    out.append([num(g.statistic), num(g.pvalue), num(t.statistic), num(t.pvalue)])\n' +
      'print(json.dumps(out))',
    tables.map(([, r, c]) => [r, c]),
  );
  (('value' in py ? test : test.skip) as typeof test).each(tables.map(([name, r, c], i) => [name, i, r, c] as const))(
    `${'missing' in py ? `(skipped: ${py.missing}) ` : ''}chisquare and chi2_contingency match scipy (this run) to 1e-9 relative: %s`,
    (_, i, r, c) => {
      const [gof, gofP, contingency, contingencyP] = ((py as { value: unknown }).value as Array<Array<number | string>>)[i]!.map(num);
      const g = chiSquareGoodnessOfFit(r, c);
      const t = chiSquareHomogeneity(r, c);
      close(g.statistic, gof!, 1e-9);
      close(g.pValue!, gofP!, 1e-9);
      close(t.statistic, contingency!, 1e-9);
      close(t.pValue!, contingencyP!, 1e-9);
    },
  );

  test('disjoint ID columns: goodness of fit says drift (p = 0), the contingency test does not (p ~ 0.48)', () => {
    expect(chiSquareGoodnessOfFit(ids.reference, ids.current).pValue).toBe(0);
    const t = chiSquareHomogeneity(ids.reference, ids.current);
    expect(t.statistic).toBeCloseTo(1000, 9);
    expect(t.pValue!).toBeGreaterThan(0.4);
  });
});

describe('two-proportion z-test (Evidently)', () => {
  test('by hand: 30 of 100 against 50 of 100', () => {
    // P = 0.4, se = sqrt(0.4 * 0.6 * 0.02) = sqrt(0.0048); z = -0.2 / se = -2.886751...
    const r = twoProportionZTest(30, 100, 50, 100);
    close(r.statistic, -0.2 / Math.sqrt(0.0048), 1e-13);
    close(r.pValue!, 0.003892417122778628, 1e-9); // 2 * scipy.stats.norm.sf(0.2 / sqrt(0.0048))
  });

  test('the same single value on both sides: p = 1; different single values: p ~ 0', () => {
    expect(twoProportionZTest(10, 10, 20, 20).pValue).toBe(1);
    const r = twoProportionZTest(100, 100, 0, 100);
    expect(r.pValue!).toBeLessThan(1e-40);
  });
});

describe('Wasserstein distance, normalized', () => {
  test('scipy.stats.wasserstein_distance by hand', () => {
    expect(wasserstein(Float64Array.of(0, 1, 3), Float64Array.of(5, 6, 8))).toBeCloseTo(5, 14);
    expect(wasserstein(Float64Array.of(0, 1), Float64Array.of(0, 1))).toBe(0);
    expect(wasserstein(Float64Array.of(1, 1, 1), Float64Array.of(2, 2))).toBe(1);
  });

  test.each([
    ['small', [1, 20, 1, 0], [2, 30, 1, 0.3], 0.3683849489471565, 0.31451523382853097],
    ['ties', [5, 60, 10, 0, 1], [6, 80, 10, 0, 1], 0.4708333333333335, 2.942929379603482],
    ['n 20000 / 15000', [15, 20000, 1, 0], [16, 15000, 1, 0.01], 0.011367760682226322, 0.2898605375743066],
  ] as Array<[string, number[], number[], number, number]>)('matches scipy and numpy.std: %s', (_, r, c, w, std) => {
    const a = sorted(sample(r[0]!, r[1]!, r[2]!, r[3]!, r[4] === 1));
    const b = sorted(sample(c[0]!, c[1]!, c[2]!, c[3]!, c[4] === 1));
    close(wasserstein(a, b), w, 1e-10);
    close(populationStd(a), std, 1e-12);
    close(wassersteinNorm(a, b).statistic, w / std, 1e-10);
  });

  test('a constant reference divides by the 0.001 floor', () => {
    const r = wassersteinNorm(Float64Array.of(2, 2, 2), Float64Array.of(2, 2, 2.001));
    close(r.statistic, 0.001 / 3 / 0.001, 1e-9);
  });
});

describe('Jensen-Shannon distance', () => {
  test('base 2 (an option): scipy.spatial.distance.jensenshannon(base=2), stored values', () => {
    expect(jensenShannon([1, 0, 0], [0, 1, 0], 2).statistic).toBe(1); // disjoint supports
    close(jensenShannon([0.5, 0.5, 0], [0, 0.5, 0.5], 2).statistic, 0.7071067811865476, 1e-14);
    close(jensenShannon([0.1, 0.2, 0.7], [0.3, 0.3, 0.4], 2).statistic, 0.2736668758986993, 1e-13);
    // Counts are normalized first.
    close(jensenShannon([1, 2, 7], [3, 3, 4], 2).statistic, 0.2736668758986993, 1e-13);
    expect(jensenShannon([3, 4], [3, 4], 2).statistic).toBe(0);
    expect(jensenShannon([0, 0], [1, 1], 2).statistic).toBeNaN();
  });

  test('natural log (scipy and Evidently, the drift default): disjoint supports give sqrt(ln 2), base 2 is 1.2011x larger', () => {
    close(jensenShannon([1, 0, 0], [0, 1, 0], NATURAL_LOG).statistic, Math.sqrt(Math.LN2), 1e-15);
    const natural = jensenShannon([1, 2, 7], [3, 3, 4], NATURAL_LOG).statistic;
    close(jensenShannon([1, 2, 7], [3, 3, 4], 2).statistic / natural, 1 / Math.sqrt(Math.LN2), 1e-14);
    expect(1 / Math.sqrt(Math.LN2)).toBeCloseTo(1.2011, 4);
  });

  const vectors: Array<[number[], number[]]> = [
    [
      [1, 2, 7],
      [3, 3, 4],
    ],
    [
      [500, 300, 200, 0],
      [450, 350, 150, 50],
    ],
    [
      [1, 0, 0],
      [0, 1, 0],
    ],
    [
      [0.5, 0.5, 0],
      [0, 0.5, 0.5],
    ],
    [Array.from(sample(31, 30, 100, 1, true)), Array.from(sample(32, 30, 100, 0, true))],
    [
      [1e-9, 1, 1e6],
      [1e6, 1, 1e-9],
    ],
  ];
  const js = runScipy(
    PY_NUM + 'print(json.dumps([[num(jensenshannon(p, q)), num(jensenshannon(p, q, base=2))] for p, q in json.load(sys.stdin)]))',
    vectors,
  );
  (('value' in js ? test : test.skip) as typeof test).each(vectors.map((v, i) => [i, ...v] as const))(
    `${'missing' in js ? `(skipped: ${js.missing}) ` : ''}natural and base 2 match scipy (this run) to 1e-9 relative: case %i`,
    (i, p, q) => {
      const [natural, base2] = ((js as { value: unknown }).value as Array<[number | string, number | string]>)[i]!;
      close(jensenShannon(p, q, NATURAL_LOG).statistic, num(natural), 1e-9);
      close(jensenShannon(p, q, 2).statistic, num(base2), 1e-9);
    },
  );
});

describe('PSI', () => {
  test('by hand: shares 0.5/0.5 against 0.8/0.2', () => {
    // (0.5 - 0.8) ln(0.5/0.8) + (0.5 - 0.2) ln(0.5/0.2) = 0.141 + 0.2749 = 0.41589...
    close(psi([50, 50], [80, 20]).statistic, -0.3 * Math.log(0.625) + 0.3 * Math.log(2.5), 1e-14);
    expect(psi([1, 2, 3], [2, 4, 6]).statistic).toBe(0);
  });

  test("an empty bin takes Evidently's small share: 0.0001, or the smallest share / 10^6 when that is 0.0001 or less", () => {
    const value = (0.5 - PSI_FLOOR) * Math.log(0.5 / PSI_FLOOR) + (0.5 - 1) * Math.log(0.5 / 1);
    close(psi([1, 1], [0, 10]).statistic, value, 1e-14);
    // Shares 1e-5, 0.99999, 0 against 0.5, 0.5, 0: only the zeros change, to 1e-5 / 10^6 on the reference side (as
    // get_binned_data's feel_zeroes), and 0.0001 on the current side (its smallest share, 0.5, is larger).
    const r = [1e-5, 1 - 1e-5, 1e-11];
    const c = [0.5, 0.5, 1e-4];
    const expected = r.reduce((sum, ri, i) => sum + (ri - c[i]!) * Math.log(ri / c[i]!), 0);
    close(psi([1, 99_999, 0], [1, 1, 0]).statistic, expected, 1e-13);
  });

  test('reference deciles as bins (numpy.quantile, linear)', () => {
    const ref = sorted(Array.from({ length: 101 }, (_, i) => i)); // 0..100: deciles 10, 20, ..., 90
    expect(quantileEdges(ref)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    const counts = binCounts(ref, quantileEdges(ref));
    expect(Array.from(counts)).toEqual([11, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    // Current values above the reference all land in the last, open bin.
    expect(Array.from(binCounts(Float64Array.of(200, 300), quantileEdges(ref))).at(-1)).toBe(2);
    // A constant reference has one edge: two bins.
    expect(quantileEdges(Float64Array.of(3, 3, 3, 3))).toEqual([3]);
  });
});

describe("Evidently's bins (get_binned_data) against numpy", () => {
  const uniform = (seed: number, n: number, scale: number, shift = 0) => Array.from(sample(seed, n, scale, shift));
  const normalSample = (seed: number, n: number, shift: number) => {
    const random = prng(seed);
    return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random()) + shift);
  };
  const round = (xs: number[], digits: number) => xs.map((x) => Math.round(x * 10 ** digits) / 10 ** digits);
  const cases: Array<{ name: string; ref: number[]; cur: number[]; int: boolean }> = [
    { name: 'normal, shifted', ref: normalSample(41, 1000, 0), cur: normalSample(42, 700, 0.3), int: false },
    { name: 'ties (one decimal)', ref: round(uniform(43, 800, 5), 1), cur: round(uniform(44, 600, 5, 0.5), 1), int: false },
    { name: 'an outlier', ref: [...uniform(45, 500, 1), 1e6], cur: uniform(46, 400, 1), int: false },
    { name: 'a constant', ref: Array<number>(50).fill(7), cur: Array<number>(30).fill(7), int: false },
    { name: '1024 values (log2 exact)', ref: uniform(47, 512, 3.7), cur: uniform(48, 512, 3.7, 0.2), int: false },
    { name: '2048 values, ptp 1', ref: [0, ...uniform(49, 1022, 1), 1], cur: uniform(50, 1024, 1), int: false },
    { name: 'integers, range 5', ref: round(uniform(51, 600, 5), 0), cur: round(uniform(52, 400, 5), 0), int: true },
    { name: 'integers, 41 values', ref: round(uniform(53, 1000, 40), 0), cur: round(uniform(54, 1000, 40, 3), 0), int: true },
    {
      name: 'tiny scale',
      ref: normalSample(55, 300, 0).map((x) => x * 1e-9 - 5e-9),
      cur: normalSample(56, 300, 1).map((x) => x * 1e-9),
      int: false,
    },
    { name: 'large offset', ref: uniform(57, 400, 1, 1e9), cur: uniform(58, 400, 1.5, 1e9), int: false },
    {
      name: '10 distinct values (per value)',
      ref: round(uniform(59, 300, 9), 0).map((x) => x + 0.5),
      cur: round(uniform(60, 300, 9), 0),
      int: false,
    },
    { name: 'current beyond the reference', ref: uniform(61, 500, 1), cur: uniform(62, 500, 1, 3), int: false },
  ];
  const numpy = runScipy(
    PY_NUM +
      `data = json.load(sys.stdin)
# numpy 2.1 and later make the Sturges width of integer data at least 1: probe which numpy this is.
floor = len(np.histogram_bin_edges(np.repeat(np.arange(6, dtype=np.int64), 200), bins="sturges")) - 1 == 5
def fill(p):
    p = p.copy()
    smallest = p[p != 0].min()
    np.place(p, p == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001)
    return p
out = []
for case in data:
    dtype = np.int64 if case["int"] else float
    ref = np.asarray(case["ref"], dtype=dtype)
    cur = np.asarray(case["cur"], dtype=dtype)
    edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
    rc, cc = np.histogram(ref, edges)[0], np.histogram(cur, edges)[0]
    # evidently/legacy/calculations/stattests/utils.py, get_binned_data (numerical columns)
    if len(set(ref.tolist())) > 20:
        rp, cp = rc / len(ref), cc / len(cur)
    else:
        keys = list(set(ref.tolist()) | set(cur.tolist()))
        rp = np.array([np.sum(ref == k) / len(ref) for k in keys])
        cp = np.array([np.sum(cur == k) / len(cur) for k in keys])
    r2, c2 = fill(rp), fill(cp)
    out.append({"edges": edges.tolist(), "ref": rc.tolist(), "cur": cc.tolist(),
                "js": num(jensenshannon(rp, cp)), "psi": num(np.sum((r2 - c2) * np.log(r2 / c2)))})
print(json.dumps({"floor": bool(floor), "version": np.__version__, "cases": out}))
`,
    cases,
  );
  interface NumpyCase {
    edges: number[];
    ref: number[];
    cur: number[];
    js: number | string;
    psi: number | string;
  }
  const result = 'value' in numpy ? (numpy.value as { floor: boolean; version: string; cases: NumpyCase[] }) : null;

  (result ? test : test.skip).each(cases.map((c, i) => [c.name, i] as const))(
    `${'missing' in numpy ? `(skipped: ${numpy.missing}) ` : ''}%s: edges bit for bit, counts, and Jensen-Shannon and PSI to 1e-12`,
    (_, i) => {
      const c = cases[i]!;
      const expected = result!.cases[i]!;
      const ref = sorted(c.ref);
      const cur = sorted(c.cur);
      const integers = c.int && result!.floor;
      const edges = sturgesEdges(Math.min(ref[0]!, cur[0]!), Math.max(ref.at(-1)!, cur.at(-1)!), ref.length + cur.length, integers);
      expect(Array.from(edges)).toEqual(expected.edges);
      expect(Array.from(histogramCounts(ref, edges))).toEqual(expected.ref);
      expect(Array.from(histogramCounts(cur, edges))).toEqual(expected.cur);
      // The drift tests on a numeric pair: get_binned_data (per value up to 20 distinct reference values) and the statistic.
      const pair = {
        kind: 'numeric' as const,
        reference: exactNumeric(ref.slice())!,
        current: exactNumeric(cur.slice())!,
        integerDtype: integers,
      };
      close(METHODS.jensenshannon.compute(pair).statistic, num(expected.js), 1e-12);
      close(METHODS.psi.compute(pair).statistic, num(expected.psi), 1e-12);
    },
  );

  test('the rules by hand: the last bin is closed, the others half-open; a constant gets [v - 0.5, v + 0.5]', () => {
    // 10 values: log2(10) + 1 = 4.32, 5 bins of width 0.8 over [0, 4].
    expect(Array.from(sturgesEdges(0, 4, 10))).toEqual([0, 0.8, 1.6, 2.4000000000000004, 3.2, 4]);
    expect(Array.from(histogramCounts(Float64Array.of(0, 0.8, 0.8, 1.6, 3.9, 4, 4), sturgesEdges(0, 4, 10)))).toEqual([1, 2, 1, 0, 3]);
    expect(Array.from(sturgesEdges(7, 7, 80))).toEqual([6.5, 7.5]);
    // Integer data (numpy 2.1+): the width is at least 1, so 5 bins over [0, 5] instead of 11.
    expect(sturgesEdges(0, 5, 1000, true).length - 1).toBe(5);
    expect(sturgesEdges(0, 5, 1000, false).length - 1).toBe(11);
  });
});
