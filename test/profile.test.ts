import { describe, expect, test } from '@jest/globals';
import { Kind, ValueClassifier } from '../src/core/data/values.js';
import { ColumnProfileBuilder, PROFILE_FORMAT, columnTotal, mergeColumnStates, mergeProfiles } from '../src/core/profile/profile.js';
import type { ColumnProfileState, DatasetProfile } from '../src/core/profile/profile.js';
import { HISTOGRAM_BINS, QUANTILES, inferColumnType, summarizeColumn } from '../src/core/profile/summary.js';
import { prng } from './support/random.js';

/** A column profile of text values, classified as the CSV reader would. */
function profileTexts(name: string, values: ReadonlyArray<string>): ColumnProfileState {
  const builder = new ColumnProfileBuilder(name);
  const classifier = new ValueClassifier();
  for (const text of values) {
    const kind = classifier.classifyText(text);
    builder.add(kind, classifier.value, kind === Kind.String || kind === Kind.Datetime ? text : null);
  }
  return builder.toState();
}

function profileNumbers(name: string, values: ArrayLike<number>, from = 0, to = values.length): ColumnProfileState {
  const builder = new ColumnProfileBuilder(name);
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    builder.add(Number.isInteger(v) ? Kind.Integer : Kind.Number, v, null);
  }
  return builder.toState();
}

/** Exact statistics by a two-pass method in extended steps (mean of the differences from the first value, then squared deviations). */
function exactStats(values: ArrayLike<number>): { n: number; mean: number; std: number; min: number; max: number } {
  const n = values.length;
  const base = values[0]!;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    sum += values[i]! - base;
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  const meanOffset = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - base - meanOffset;
    ss += d * d;
  }
  return { n, mean: base + meanOffset, std: Math.sqrt(ss / (n - 1)), min, max };
}

const relClose = (actual: number | null, expected: number, rel: number): void => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), Number.MIN_VALUE));
};

describe('ColumnProfileBuilder counts', () => {
  test('counts every kind', () => {
    const values = [
      '1',
      '2',
      '-3',
      '1.5',
      '2e3',
      'NaN',
      'inf',
      '-Infinity',
      'true',
      'False',
      '2024-01-02',
      'hello',
      'hello',
      'world',
      '',
      'NA',
      'null',
    ];
    const column = profileTexts('mixed', values);
    expect(column.counts).toEqual({ null: 3, integer: 3, number: 2, nan: 1, infinity: 2, boolean: 2, datetime: 1, string: 3 });
    expect(columnTotal(column)).toBe(values.length);
    // Only finite numbers feed the moments.
    expect(column.numeric!.count).toBe(5);
    expect(column.numeric!.min).toBe(-3);
    expect(column.numeric!.max).toBe(2000);
    expect(column.lengths).toEqual({ count: 3, sum: 15, min: 5, max: 5 });
    expect(column.datetime).toEqual({ min: Date.UTC(2024, 0, 2), max: Date.UTC(2024, 0, 2) });
  });

  test('addNulls adds to the null count only', () => {
    const builder = new ColumnProfileBuilder('x');
    builder.add(Kind.Integer, 4, null);
    builder.addNulls(7);
    const state = builder.toState();
    expect(state.counts.null).toBe(7);
    expect(state.counts.integer).toBe(1);
    expect(summarizeColumn(state)).toMatchObject({ count: 1, nulls: 7, nullFraction: 7 / 8 });
  });

  test('an all-null column has no numeric part and is "empty"', () => {
    const column = profileTexts('e', ['', 'NA', '']);
    expect(column.numeric).toBeNull();
    expect(inferColumnType(column)).toBe('empty');
    const summary = summarizeColumn(column);
    expect(summary).toMatchObject({
      type: 'empty',
      count: 0,
      nulls: 3,
      nullFraction: 1,
      mean: null,
      std: null,
      min: null,
      max: null,
      quantiles: null,
      histogram: null,
    });
  });
});

describe('ColumnProfileBuilder.addNumbers', () => {
  test('runs of numbers make the same state as one at a time, across the batches of the sketch', () => {
    const next = prng(21);
    const values = Float64Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? Math.floor(next() * 50) : next() * 1000 - 500));
    const one = new ColumnProfileBuilder('x');
    const runs = new ColumnProfileBuilder('x');
    for (let from = 0; from < values.length;) {
      const to = Math.min(values.length, from + 1 + Math.floor(next() * 3000));
      const kind = from % 2 === 0 ? Kind.Number : Kind.Integer;
      for (let i = from; i < to; i++) one.addNumber(kind, values[i]!);
      runs.addNumbers(kind, values, from, to);
      one.add(Kind.Null, 0, null);
      runs.add(Kind.Null, 0, null);
      from = to;
    }
    expect(runs.toState()).toEqual(one.toState());
    expect(runs.toState().counts.integer + runs.toState().counts.number).toBe(values.length);
  });
});

describe('moments', () => {
  test('mean, std (sample), min and max equal exact values', () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    // Sum 40, mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; sample variance 32/7.
    const summary = summarizeColumn(profileNumbers('x', values));
    expect(summary.mean).toBe(5);
    expect(summary.std).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(summary.min).toBe(2);
    expect(summary.max).toBe(9);
    expect(summary.count).toBe(8);
    expect(summary.type).toBe('integer');
  });

  test('a single value has std 0', () => {
    const summary = summarizeColumn(profileNumbers('x', [3.5]));
    expect(summary).toMatchObject({ mean: 3.5, std: 0, min: 3.5, max: 3.5 });
  });

  test('large offset (1e9 + small noise): no catastrophic cancellation', () => {
    const rand = prng(7);
    const n = 10_000;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = 1e9 + (rand() - 0.5) * 1e-3;
    const exact = exactStats(values);
    // The noise is uniform on a width of 1e-3: std about 1e-3 / sqrt(12).
    expect(exact.std).toBeGreaterThan(2.5e-4);
    expect(exact.std).toBeLessThan(3.3e-4);
    const summary = summarizeColumn(profileNumbers('x', values));
    relClose(summary.std, exact.std, 1e-9);
    relClose(summary.mean, exact.mean, 1e-15);
    expect(summary.min).toBe(exact.min);
    expect(summary.max).toBe(exact.max);
  });

  test('large offset when the first value is an outlier', () => {
    const rand = prng(11);
    const values = [0, ...Array.from({ length: 5000 }, () => 1e9 + rand())];
    const exact = exactStats(values);
    const summary = summarizeColumn(profileNumbers('x', values));
    relClose(summary.std, exact.std, 1e-9);
    relClose(summary.mean, exact.mean, 1e-12);
  });

  test('negative large offset with integers', () => {
    const values = Array.from({ length: 1000 }, (_, i) => -5e12 + (i % 7));
    const exact = exactStats(values);
    const summary = summarizeColumn(profileNumbers('x', values));
    relClose(summary.std, exact.std, 1e-9);
    expect(summary.mean).toBe(exact.mean);
  });
});

describe('merging', () => {
  const rand = prng(2024);
  const n = 6000;
  const numbers = Float64Array.from({ length: n }, () => Math.round((50 + 30 * (rand() + rand() + rand() - 1.5)) * 100) / 100);
  const cities = ['Oslo', 'Lima', 'Pune', 'Kiev', 'Rome', 'Cairo'];
  const texts = Array.from({ length: n }, (_, i) => (i % 17 === 0 ? '' : cities[Math.floor(rand() * rand() * cities.length)]!));

  test('numeric: the merge of two shards equals the profile of the whole', () => {
    for (const cut of [1, 1234, 3000, n - 1]) {
      const whole = summarizeColumn(profileNumbers('x', numbers));
      const merged = summarizeColumn(mergeColumnStates(profileNumbers('x', numbers, 0, cut), profileNumbers('x', numbers, cut)));
      expect(merged.count).toBe(whole.count);
      expect(merged.nulls).toBe(whole.nulls);
      relClose(merged.mean, whole.mean!, 1e-9);
      relClose(merged.std, whole.std!, 1e-9);
      expect(merged.min).toBe(whole.min);
      expect(merged.max).toBe(whole.max);
      // The numbers have at most 10,000 distinct values of which > 1024 occur: distinct is estimated.
      expect(merged.distinctExact).toBe(whole.distinctExact);
      const exact = exactStats(numbers);
      relClose(merged.std, exact.std, 1e-9);
      relClose(merged.mean, exact.mean, 1e-12);
    }
  });

  test('large offset: shards merge without cancellation', () => {
    const rand = prng(5);
    const values = Float64Array.from({ length: 9000 }, () => 1e9 + rand() * 1e-2);
    const exact = exactStats(values);
    const a = profileNumbers('x', values, 0, 4000);
    const b = profileNumbers('x', values, 4000, 7000);
    const c = profileNumbers('x', values, 7000);
    const merged = summarizeColumn(mergeColumnStates(mergeColumnStates(a, b), c));
    expect(merged.count).toBe(9000);
    // Each shard's mean is a double near 1e9, known only to its spacing (1.2e-7); that bounds the
    // between-shard term of the merged variance to about 1e-7 relative here. A naive sum of squares
    // would be off by many orders of magnitude.
    relClose(merged.std, exact.std, 1e-6);
    relClose(merged.mean, exact.mean, 1e-15);
    expect(merged.min).toBe(exact.min);
    expect(merged.max).toBe(exact.max);
  });

  test('strings: counts, exact distinct and top values survive a merge', () => {
    const whole = summarizeColumn(profileTexts('city', texts));
    const merged = summarizeColumn(mergeColumnStates(profileTexts('city', texts.slice(0, 2500)), profileTexts('city', texts.slice(2500))));
    const nulls = texts.filter((t) => t === '').length;
    expect(whole.nulls).toBe(nulls);
    expect(merged.nulls).toBe(nulls);
    expect(merged.count).toBe(n - nulls);
    const present = new Set(texts.filter((t) => t !== ''));
    expect(whole.distinctExact).toBe(true);
    expect(merged.distinctExact).toBe(true);
    expect(whole.distinct).toBe(present.size);
    expect(merged.distinct).toBe(present.size);
    // Exact top values, counted here by hand.
    const counts = new Map<string, number>();
    for (const t of texts) if (t !== '') counts.set(t, (counts.get(t) ?? 0) + 1);
    const expectedTop = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([value, count]) => ({ value, count }));
    expect(whole.top).toEqual(expectedTop);
    expect(merged.top).toEqual(expectedTop);
  });

  test('small-integer column: exact distinct and numeric top values merge', () => {
    const values = Array.from({ length: 3000 }, (_, i) => (i * 7919) % 13);
    const merged = summarizeColumn(mergeColumnStates(profileNumbers('k', values, 0, 1000), profileNumbers('k', values, 1000)));
    expect(merged.distinctExact).toBe(true);
    expect(merged.distinct).toBe(13);
    const counts = new Map<string, number>();
    for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    const total = merged.top.reduce((a, t) => a + t.count, 0);
    expect(merged.top).toHaveLength(10);
    for (const t of merged.top) expect(t.count).toBe(counts.get(t.value));
    expect(total).toBeLessThanOrEqual(3000);
  });

  test('many distinct numbers: the distinct estimate is close and merges like the union', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => i * 0.5);
    const a = profileNumbers('x', values, 0, 12_000);
    const b = profileNumbers('x', values, 8_000); // overlapping shards: 20,000 distinct in the union
    const merged = summarizeColumn(mergeColumnStates(a, b));
    expect(merged.distinctExact).toBe(false);
    expect(Math.abs(merged.distinct - 20_000) / 20_000).toBeLessThan(0.05);
  });

  test('many distinct strings: exact while they fit, then an estimate', () => {
    const fits = summarizeColumn(
      profileTexts(
        's',
        Array.from({ length: 1500 }, (_, i) => `v${i}`),
      ),
    );
    expect(fits.distinctExact).toBe(true);
    expect(fits.distinct).toBe(1500);
    const values = Array.from({ length: 6000 }, (_, i) => `v${i % 3000}`);
    const merged = summarizeColumn(mergeColumnStates(profileTexts('s', values.slice(0, 3500)), profileTexts('s', values.slice(3500))));
    expect(merged.distinctExact).toBe(false);
    expect(Math.abs(merged.distinct - 3000) / 3000).toBeLessThan(0.05);
    expect(merged.count).toBe(6000);
  });

  test('mergeProfiles: a column present in only one shard gets nulls for the other shard rows', () => {
    const shard = (rows: number, columns: ColumnProfileState[], file: string): DatasetProfile => ({
      format: PROFILE_FORMAT,
      rows,
      files: [file],
      columns,
    });
    const a = shard(3, [profileTexts('id', ['1', '2', '3']), profileTexts('only_a', ['x', 'y', ''])], 'a.csv');
    const b = shard(2, [profileTexts('id', ['4', '5']), profileTexts('only_b', ['7', '8'])], 'b.csv');
    const merged = mergeProfiles(a, b);
    expect(merged.rows).toBe(5);
    expect(merged.files).toEqual(['a.csv', 'b.csv']);
    expect(merged.columns.map((c) => c.name)).toEqual(['id', 'only_a', 'only_b']);
    for (const column of merged.columns) expect(columnTotal(column)).toBe(5);
    const byName = Object.fromEntries(merged.columns.map((c) => [c.name, summarizeColumn(c)]));
    expect(byName.id).toMatchObject({ count: 5, nulls: 0, min: 1, max: 5, mean: 3 });
    expect(byName.only_a).toMatchObject({ count: 2, nulls: 3, nullFraction: 3 / 5 });
    expect(byName.only_b).toMatchObject({ count: 2, nulls: 3, min: 7, max: 8, mean: 7.5 });
  });

  test('mergeColumnStates: lengths and datetimes combine', () => {
    const a = profileTexts('c', ['ab', 'abcd', '2024-01-05']);
    const b = profileTexts('c', ['abcdefg', '2023-12-31T23:00:00Z', '2024-03-01']);
    const merged = mergeColumnStates(a, b);
    expect(merged.lengths).toEqual({ count: 3, sum: 13, min: 2, max: 7 });
    expect(merged.datetime).toEqual({ min: Date.UTC(2023, 11, 31, 23), max: Date.UTC(2024, 2, 1) });
    expect(merged.counts).toMatchObject({ string: 3, datetime: 3 });
  });
});

describe('quantiles and histogram', () => {
  const rand = prng(99);
  const n = 50_000;
  // A skewed distribution (exponential), so quantiles are not evenly spaced.
  const values = Float64Array.from({ length: n }, () => -Math.log(1 - rand()) * 10);
  const sorted = Float64Array.from(values).sort();
  const summary = summarizeColumn(profileNumbers('x', values));

  test('quantiles are within 1.5% rank of the exact ones', () => {
    expect(summary.quantiles).not.toBeNull();
    for (const q of QUANTILES) {
      const got = summary.quantiles![`p${Math.round(q * 100)}`]!;
      // Rank of the reported value in the exact data.
      let below = 0;
      while (below < n && sorted[below]! < got) below++;
      let atOrBelow = below;
      while (atOrBelow < n && sorted[atOrBelow]! <= got) atOrBelow++;
      const error = Math.max(0, below / n - q, q - atOrBelow / n);
      expect({ q, error: error <= 0.015 }).toEqual({ q, error: true });
    }
    // p50 of Exp(mean 10) is 10 ln 2.
    expect(Math.abs(summary.quantiles!.p50! - 10 * Math.LN2)).toBeLessThan(0.5);
  });

  test('histogram: equal-width bins from min to max whose counts sum to the numeric count', () => {
    const h = summary.histogram!;
    expect(h).toHaveLength(HISTOGRAM_BINS);
    expect(h.reduce((a, b) => a + b.count, 0)).toBe(n);
    expect(h[0]!.low).toBe(sorted[0]);
    expect(h.at(-1)!.high).toBe(sorted[n - 1]);
    for (let i = 1; i < h.length; i++) expect(h[i]!.low).toBeCloseTo(h[i - 1]!.high, 9);
    // Each bin's count is within 2% of n of the exact count.
    for (const bin of h) {
      let exact = 0;
      for (const v of sorted) if ((v > bin.low || (bin === h[0] && v === bin.low)) && v <= bin.high) exact++;
      expect(Math.abs(bin.count - exact)).toBeLessThanOrEqual(0.02 * n);
    }
  });

  test('histogram counts are exact for small data and sum to the count even with nulls and NaN around', () => {
    const texts = ['1', '2', '2', '3', '10', '', 'NaN', 'inf', '5.2', '7', '9', '9.5'];
    const column = profileTexts('x', texts);
    const s = summarizeColumn(column);
    const numbers = [1, 2, 2, 3, 10, 5.2, 7, 9, 9.5];
    expect(s.histogram!.reduce((a, b) => a + b.count, 0)).toBe(numbers.length);
    // Width 0.9: bins (1,1.9] (with 1), (1.9,2.8], ..., (9.1,10].
    expect(s.histogram!.map((b) => b.count)).toEqual([1, 2, 1, 0, 1, 0, 1, 0, 1, 2]);
    expect(s.nan).toBe(1);
    expect(s.infinity).toBe(1);
    expect(s.type).toBe('number');
  });

  test('a constant column has one bin holding everything', () => {
    const s = summarizeColumn(profileNumbers('x', [4, 4, 4, 4]));
    expect(s.histogram).toEqual([{ low: 4, high: 4, count: 4 }]);
    expect(s.quantiles!.p1).toBe(4);
    expect(s.quantiles!.p99).toBe(4);
  });
});

describe('inferColumnType', () => {
  test.each<[string, string[], string]>([
    ['integers', ['1', '2', '', '-3'], 'integer'],
    ['integers and decimals', ['1', '2.5'], 'number'],
    ['integers and NaN', ['1', 'NaN'], 'number'],
    ['integers and infinity', ['1', '-inf'], 'number'],
    ['only NaN', ['NaN', 'nan'], 'number'],
    ['booleans', ['true', 'FALSE', 'NA'], 'boolean'],
    ['datetimes', ['2024-01-01', '2024-01-02T03:04:05Z'], 'datetime'],
    ['strings', ['a', 'b'], 'string'],
    ['numbers and a string', ['1', '2', 'x'], 'string'],
    ['booleans and integers', ['true', '1'], 'string'],
    ['datetimes and integers', ['2024-01-01', '5'], 'string'],
    ['only nulls', ['', 'NA'], 'empty'],
  ])('%s', (_name, values, type) => {
    expect(inferColumnType(profileTexts('c', values))).toBe(type);
  });
});

describe('summarizeColumn', () => {
  test('datetime min and max as ISO text; booleans in top values', () => {
    const s = summarizeColumn(profileTexts('d', ['2024-05-01T10:00:00Z', '2023-01-01', '2024-12-31T23:59:59.500Z']));
    expect(s.type).toBe('datetime');
    expect(s.min).toBe('2023-01-01T00:00:00.000Z');
    expect(s.max).toBe('2024-12-31T23:59:59.500Z');
    const b = summarizeColumn(profileTexts('b', ['true', 'True', 'false', 'TRUE']));
    expect(b.top).toEqual([
      { value: 'true', count: 3 },
      { value: 'false', count: 1 },
    ]);
    expect(b.distinct).toBe(2);
  });

  test('numbers in the top values are shown as numbers', () => {
    const s = summarizeColumn(profileTexts('n', ['1', '1', '1', '2', '2', '3.5']));
    expect(s.top).toEqual([
      { value: '1', count: 3 },
      { value: '2', count: 2 },
      { value: '3.5', count: 1 },
    ]);
    expect(s.distinct).toBe(3);
    expect(s.distinctExact).toBe(true);
  });
});
