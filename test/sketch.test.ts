import { FrequentItems, HASH_SEED, HyperLogLog, KllSketch, hashNumber, hashNumbers, hashString } from '../src/core/sketch/index.js';
import { NumberCounts } from '../src/core/profile/number-counts.js';
import { BATCH_FROM, sortPrefix, useWasmSort } from '../src/core/sketch/kll.js';
import { BatchedSketch } from '../src/core/profile/profile.js';
import { prng } from './support/random.js';

const N = 1_000_000;
const RANK_TOLERANCE = 0.01;

/** Largest normalized rank error of `quantile` and `cdf` against the exact sorted data. */
function rankErrors(sketch: KllSketch, data: Float64Array): { quantile: number; cdf: number } {
  const sorted = Float64Array.from(data).sort();
  const n = sorted.length;
  const countBelow = (x: number, inclusive: boolean): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < x || (inclusive && sorted[mid] === x)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let quantile = 0;
  let cdf = 0;
  for (let i = 0; i <= 1000; i++) {
    const q = i / 1000;
    const v = sketch.quantile(q);
    // v's exact rank range is [below(v), atOrBelow(v)] / n; the error is q's distance from it.
    quantile = Math.max(quantile, countBelow(v, false) / n - q, q - countBelow(v, true) / n);
    const x = sorted[Math.min(n - 1, Math.floor(q * n))]!;
    cdf = Math.max(cdf, Math.abs(sketch.cdf(x) - countBelow(x, true) / n));
  }
  return { quantile, cdf };
}

function sketchOf(data: Float64Array, k = 256, seed?: number): KllSketch {
  const sketch = new KllSketch(k, seed);
  for (let i = 0; i < data.length; i++) sketch.update(data[i]!);
  return sketch;
}

// Aliases keep the data generators fast inside the test runner's vm context (global lookups are slow there).
const { sqrt, log, cos, floor, PI } = Math;

const distributions: Record<string, (n: number) => Float64Array> = {
  uniform: (n) => {
    const r = prng(1);
    return Float64Array.from({ length: n }, () => r() * 1000 - 500);
  },
  normal: (n) => {
    const r = prng(2);
    return Float64Array.from({ length: n }, () => sqrt(-2 * log(1 - r())) * cos(2 * PI * r()));
  },
  'heavy duplicates (0..4)': (n) => {
    const r = prng(3);
    return Float64Array.from({ length: n }, () => floor(r() * 5));
  },
  'sorted ascending': (n) => Float64Array.from({ length: n }, (_, i) => i * 0.5),
};

describe('KllSketch', () => {
  test('empty sketch', () => {
    const s = new KllSketch();
    expect([s.n, s.k, s.min, s.max]).toEqual([0, 256, NaN, NaN]);
    expect(s.quantile(0.5)).toBeNaN();
    expect(s.quantiles([0, 1])).toEqual([NaN, NaN]);
    expect(s.cdf(0)).toBe(0);
    expect(s.toJSON()).toEqual({ k: 256, n: 0, min: null, max: null, levels: [[]], rng: 0x9e3779b9 });
    expect(KllSketch.fromJSON(JSON.parse(JSON.stringify(s.toJSON()))).toJSON()).toEqual(s.toJSON());
  });

  test('is exact while it holds every value', () => {
    const s = new KllSketch(128);
    for (let i = 100; i >= 1; i--) s.update(i);
    expect([s.n, s.min, s.max, s.retained]).toEqual([100, 1, 100, 100]);
    expect(s.quantiles([0, 0.01, 0.5, 0.505, 0.99, 1])).toEqual([1, 1, 50, 51, 99, 100]);
    expect([s.cdf(0), s.cdf(1), s.cdf(50), s.cdf(50.5), s.cdf(100)]).toEqual([0, 0.01, 0.5, 0.5, 1]);
  });

  test('ignores non-finite values and validates arguments', () => {
    const s = new KllSketch();
    for (const x of [NaN, Infinity, -Infinity, 3]) s.update(x);
    expect([s.n, s.min, s.max]).toEqual([1, 3, 3]);
    expect(() => s.quantile(1.5)).toThrow(RangeError);
    expect(() => s.quantile(NaN)).toThrow(RangeError);
    expect(() => new KllSketch(4)).toThrow(/k must be an integer/);
  });

  for (const [name, make] of Object.entries(distributions)) {
    test(`rank error < ${RANK_TOLERANCE} on 1M ${name} values, single stream and merged shards`, () => {
      const data = make(N);
      const sorted = Float64Array.from(data).sort();
      const single = sketchOf(data);
      expect([single.n, single.min, single.max]).toEqual([N, sorted[0], sorted[N - 1]]);
      const e1 = rankErrors(single, data);
      expect(e1.quantile).toBeLessThan(RANK_TOLERANCE);
      expect(e1.cdf).toBeLessThan(RANK_TOLERANCE);
      expect(single.retained).toBeLessThan(3 * 256 + 8 * 20);

      // Two uneven shards with different seeds, merged.
      const cut = Math.floor(N * 0.37);
      const merged = sketchOf(data.subarray(0, cut), 256, 11);
      merged.merge(sketchOf(data.subarray(cut), 256, 12));
      expect([merged.n, merged.min, merged.max]).toEqual([N, sorted[0], sorted[N - 1]]);
      const e2 = rankErrors(merged, data);
      expect(e2.quantile).toBeLessThan(RANK_TOLERANCE);
      expect(e2.cdf).toBeLessThan(RANK_TOLERANCE);
      expect([merged.quantile(0), merged.quantile(1)]).toEqual([sorted[0], sorted[N - 1]]);
    });
  }

  test('quantiles() equals quantile() per q', () => {
    const s = sketchOf(distributions.normal!(50_000));
    const qs = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1];
    expect(s.quantiles(qs)).toEqual(qs.map((q) => s.quantile(q)));
  });

  test('is deterministic, including merges', () => {
    const data = distributions.uniform!(200_000);
    expect(sketchOf(data).toJSON()).toEqual(sketchOf(data).toJSON());
    expect(sketchOf(data, 256, 1).toJSON()).not.toEqual(sketchOf(data, 256, 2).toJSON());
    const mergeOf = (): KllSketch => {
      const a = sketchOf(data.subarray(0, 70_000));
      a.merge(sketchOf(data.subarray(70_000), 200));
      return a;
    };
    expect(mergeOf().toJSON()).toEqual(mergeOf().toJSON());
    expect(mergeOf().k).toBe(200);
  });

  test('merge with empty sketches and with itself', () => {
    const s = sketchOf(Float64Array.from({ length: 5000 }, (_, i) => i));
    const before = s.toJSON();
    s.merge(new KllSketch());
    expect(s.toJSON()).toEqual(before);
    const e = new KllSketch();
    e.merge(s);
    expect([e.n, e.min, e.max]).toEqual([5000, 0, 4999]);
    s.merge(s);
    expect([s.n, s.min, s.max]).toEqual([10000, 0, 4999]);
    expect(Math.abs(s.quantile(0.5) - 2500)).toBeLessThan(100);
  });

  test('JSON round trip is exact and keeps the PRNG state', () => {
    const r = prng(9);
    const a = new KllSketch(64);
    for (let i = 0; i < 30_000; i++) a.update(r() - 0.5);
    a.update(-0);
    const state = JSON.parse(JSON.stringify(a.toJSON())) as unknown;
    const b = KllSketch.fromJSON(state);
    expect(b.toJSON()).toEqual(state);
    expect([b.n, b.min, b.max, b.k]).toEqual([a.n, a.min, a.max, 64]);
    for (let i = 0; i < 30_000; i++) {
      const x = r();
      a.update(x);
      b.update(x);
    }
    expect(b.toJSON()).toEqual(a.toJSON());
  });

  test('fromJSON names the bad field', () => {
    const good = sketchOf(
      Float64Array.from({ length: 1000 }, (_, i) => i),
      16,
    ).toJSON();
    const bad =
      (patch: Record<string, unknown>): (() => KllSketch) =>
      () =>
        KllSketch.fromJSON({ ...good, ...patch });
    expect(() => KllSketch.fromJSON(null)).toThrow(/"state" must be an object/);
    expect(bad({ k: 3 })).toThrow(/"k"/);
    expect(bad({ n: -1 })).toThrow(/"n"/);
    expect(bad({ n: good.n + 1 })).toThrow(/"levels" have total weight/);
    expect(bad({ min: null })).toThrow(/"min"/);
    expect(bad({ max: 'x' })).toThrow(/"max"/);
    expect(bad({ rng: 0 })).toThrow(/"rng"/);
    expect(bad({ levels: 'x' })).toThrow(/"levels"/);
    expect(bad({ levels: [[], 'x'] })).toThrow(/"levels\[1\]"/);
    const unsorted = good.levels.map((l) => [...l]);
    const top = unsorted.findIndex((l, h) => h > 0 && l.length > 1);
    unsorted[top]!.reverse();
    expect(bad({ levels: unsorted })).toThrow(/must be sorted/);
    const outside = good.levels.map((l) => [...l]);
    outside[0]!.push(5000);
    expect(bad({ levels: outside })).toThrow(/within \[min, max\]/);
  });
});

/** A sketch of `data` given in batches of `batch` values (the last one shorter). */
function batchedSketchOf(data: Float64Array, batch: number, k = 256, seed?: number): KllSketch {
  const sketch = new KllSketch(k, seed);
  for (let start = 0; start < data.length; start += batch) {
    const part = data.slice(start, start + batch);
    sketch.updateBatch(part, part.length);
  }
  return sketch;
}

/** Kinds of data the sorts are tried on, drawing from r. */
function sortKinds(r: () => number): Array<() => number> {
  return [
    () => r() * 2 - 1,
    () => Math.round((r() * 20 - 10) * 1e4) / 1e4,
    // Exponents across the whole range, both signs.
    () => (r() < 0.5 ? -1 : 1) * Math.exp((r() - 0.5) * 1400),
    () => Math.floor(r() * 5) - 2,
    // Neighbours whose high 32 bits are equal: only the low word orders them.
    () => 1 + r() * 1e-12,
    () => -1 - r() * 1e-12,
    // Large numbers in a narrow range (epoch milliseconds, ids): long runs of equal high words,
    // ordered by the low words; and a mix of short and long runs, of both signs.
    () => 1.7e12 + Math.floor(r() * 6e5),
    () => -1e15 - Math.floor(r() * 1e6),
    () => (r() < 0.5 ? -1 : 1) * (1e6 + Math.floor(r() * 40) + Math.round(r() * 1e4) / 1e4),
    () => (r() < 0.5 ? 5e-324 : -5e-324) * Math.floor(r() * 1000),
    () => (r() < 0.5 ? Number.MAX_VALUE : -Number.MAX_VALUE) * r(),
  ];
}

describe('KllSketch.updateBatch', () => {
  afterEach(() => {
    useWasmSort(true);
  });

  test.each(['WebAssembly', 'JavaScript'])(
    'sortPrefix (%s) sorts like a stable numeric sort, and leaves the rest of the array alone',
    (engine) => {
      expect(useWasmSort(engine === 'WebAssembly')).toBe(engine === 'WebAssembly');
      const r = prng(21);
      const kinds: Array<() => number> = sortKinds(r);
      for (let t = 0; t < 400; t++) {
        // Now and then longer than the WebAssembly sort's first memory holds.
        const len = t % 40 === 39 ? 5000 + Math.floor(r() * 30000) : 1 + Math.floor(r() * 3000);
        const make = kinds[t % kinds.length]!;
        const a = Float64Array.from({ length: len + 3 }, make);
        const rest = a.slice(len);
        const want = Array.from(a.subarray(0, len)).sort((x, y) => x - y);
        sortPrefix(a, len);
        expect(Array.from(a.subarray(0, len), (v) => v + 0)).toEqual(want.map((v) => v + 0));
        expect(a.slice(len)).toEqual(rest);
      }
      // -0 and 0 are equal: both kept, in some order, among the other values.
      const zeros = Float64Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? 0 : i - 50));
      sortPrefix(zeros, zeros.length);
      expect(Array.from(zeros, (v) => v + 0)).toEqual(Array.from(zeros, (v) => v + 0).sort((x, y) => x - y));
      expect(zeros.filter((v) => Object.is(v, -0))).toHaveLength(34);
    },
  );

  test('the WebAssembly and JavaScript sorts give the same arrays, bit for bit, and so the same sketches', () => {
    const r = prng(22);
    const kinds = sortKinds(r);
    kinds.push(() => (r() < 0.5 ? -0 : 0) + Math.floor(r() * 3) - 1);
    for (let t = 0; t < 240; t++) {
      const len = 65 + Math.floor(r() * 6000);
      const data = Float64Array.from({ length: len }, kinds[t % kinds.length]!);
      const sorted: number[][] = [];
      for (const wasm of [true, false]) {
        useWasmSort(wasm);
        const a = Float64Array.from(data);
        sortPrefix(a, len);
        sorted.push(Array.from(new Uint32Array(a.buffer)));
      }
      expect(sorted[0]).toEqual(sorted[1]);
    }
    const data = distributions.normal!(300_000);
    const states = [true, false].map((wasm) => {
      useWasmSort(wasm);
      return batchedSketchOf(data, 2048).toJSON();
    });
    expect(states[0]).toEqual(states[1]);
  });

  test('is update one at a time while the sketch holds fewer than BATCH_FROM values', () => {
    const data = distributions.normal!(BATCH_FROM);
    for (const batch of [1, 7, 2048, BATCH_FROM]) {
      expect(batchedSketchOf(data, batch).toJSON()).toEqual(sketchOf(data).toJSON());
    }
  });

  for (const [name, make] of Object.entries(distributions)) {
    test(`past BATCH_FROM: rank error < ${RANK_TOLERANCE} on 1M ${name} values, exact n/min/max, merged shards`, () => {
      const data = make(N);
      const sorted = Float64Array.from(data).sort();
      const single = batchedSketchOf(data, 2048);
      expect([single.n, single.min, single.max]).toEqual([N, sorted[0], sorted[N - 1]]);
      const e1 = rankErrors(single, data);
      expect(e1.quantile).toBeLessThan(RANK_TOLERANCE);
      expect(e1.cdf).toBeLessThan(RANK_TOLERANCE);
      expect(single.retained).toBeLessThan(3 * 256 + 8 * 20);
      // No less accurate than one at a time (the same data, the same seed), with room for chance.
      expect(e1.quantile).toBeLessThan(2 * Math.max(rankErrors(sketchOf(data), data).quantile, 0.002));

      const cut = Math.floor(N * 0.37);
      const merged = batchedSketchOf(data.subarray(0, cut), 1000, 256, 11);
      merged.merge(batchedSketchOf(data.subarray(cut), 3000, 256, 12));
      expect([merged.n, merged.min, merged.max]).toEqual([N, sorted[0], sorted[N - 1]]);
      const e2 = rankErrors(merged, data);
      expect(e2.quantile).toBeLessThan(RANK_TOLERANCE);
      expect(e2.cdf).toBeLessThan(RANK_TOLERANCE);
    });
  }

  test('skips non-finite values, is deterministic, and survives a JSON round trip', () => {
    const r = prng(5);
    const data = Float64Array.from({ length: 300_000 }, (_, i) => (i % 97 === 0 ? [NaN, Infinity, -Infinity][i % 3]! : r() - 0.5));
    const finite = data.filter((v) => Number.isFinite(v));
    const a = batchedSketchOf(data, 2048);
    expect([a.n, a.min, a.max]).toEqual([finite.length, finite.reduce((m, v) => Math.min(m, v)), finite.reduce((m, v) => Math.max(m, v))]);
    expect(batchedSketchOf(data, 2048).toJSON()).toEqual(a.toJSON());
    expect(batchedSketchOf(data, 2048, 256, 3).toJSON()).not.toEqual(a.toJSON());

    const half = batchedSketchOf(data.subarray(0, 150_000), 2048);
    const copy = KllSketch.fromJSON(JSON.parse(JSON.stringify(half.toJSON())));
    const rest = data.slice(150_000);
    for (const s of [half, copy])
      for (let i = 0; i < rest.length; i += 2048) s.updateBatch(rest.subarray(i, i + 2048), Math.min(2048, rest.length - i));
    expect(copy.toJSON()).toEqual(half.toJSON());
    // Every level the batches reached is sorted, which fromJSON checks.
    expect(() => KllSketch.fromJSON(copy.toJSON())).not.toThrow();
  });

  test('BatchedSketch gives the sketch of every number added, batched as profiles batch them', () => {
    const data = distributions.uniform!(200_000);
    const batched = new BatchedSketch(9);
    for (const v of data) batched.add(v);
    const sketch = batched.flush();
    expect([sketch.n, sketch.min, sketch.max]).toEqual([
      data.length,
      data.reduce((m, v) => Math.min(m, v)),
      data.reduce((m, v) => Math.max(m, v)),
    ]);
    expect(rankErrors(sketch, data).quantile).toBeLessThan(RANK_TOLERANCE);
    // The same numbers in the same order give the same sketch; flushing again adds nothing.
    const again = new BatchedSketch(9);
    for (const v of data) again.add(v);
    expect(again.flush().toJSON()).toEqual(sketch.toJSON());
    expect(batched.flush().n).toBe(data.length);
  });
});

/** Reference MurmurHash3 x86_32 over bytes, written straight from the spec. */
function murmur3Bytes(bytes: Uint8Array, seed: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));
  let h = seed | 0;
  const blocks = bytes.length >>> 2;
  for (let b = 0; b < blocks; b++) {
    const i = b * 4;
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(rotl(Math.imul(k, c1), 15), c2);
    h = (Math.imul(rotl(h ^ k, 13), 5) + 0xe6546b64) | 0;
  }
  const tail = blocks * 4;
  let k = 0;
  const rest = bytes.length & 3;
  if (rest >= 3) k ^= bytes[tail + 2]! << 16;
  if (rest >= 2) k ^= bytes[tail + 1]! << 8;
  if (rest >= 1) {
    k ^= bytes[tail]!;
    h ^= Math.imul(rotl(Math.imul(k, c1), 15), c2);
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

describe('hashes', () => {
  test('reference MurmurHash3 matches published test vectors', () => {
    const ascii = (s: string): Uint8Array => Buffer.from(s, 'latin1');
    expect(murmur3Bytes(ascii(''), 0)).toBe(0);
    expect(murmur3Bytes(ascii(''), 1)).toBe(0x514e28b7);
    expect(murmur3Bytes(new Uint8Array(4), 0)).toBe(0x2362f9de);
    expect(murmur3Bytes(ascii('aaaa'), 0x9747b28c)).toBe(0x5a97808a);
    expect(murmur3Bytes(ascii('Hello, world!'), 0x9747b28c)).toBe(0x24884cba);
    expect(murmur3Bytes(ascii('The quick brown fox jumps over the lazy dog'), 0x9747b28c)).toBe(0x2fa826cd);
  });

  test('hashString is MurmurHash3 of the UTF-16LE bytes', () => {
    for (const s of ['', 'a', 'ab', 'abc', 'hello!', 'naïve café', '日本語テキスト', '😀 emoji', 'x'.repeat(1001)]) {
      const h = hashString(s);
      expect(h).toBe(murmur3Bytes(Buffer.from(s, 'utf16le'), HASH_SEED));
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
    }
    expect(hashString('abc')).not.toBe(hashString('abd'));
  });

  test('hashNumber is MurmurHash3 of the float64 bytes, with -0 = 0', () => {
    const bytes = Buffer.alloc(8);
    for (const x of [0, 1, -1, 0.1, 1e300, -5e-324, 123456789, NaN]) {
      bytes.writeDoubleLE(x);
      expect(hashNumber(x)).toBe(murmur3Bytes(bytes, HASH_SEED));
    }
    expect(hashNumber(-0)).toBe(hashNumber(0));
    expect(hashNumber(1)).not.toBe(hashNumber(2));
  });

  test('hashNumbers, addHashes and addAll do what hashNumber, addHash and add do one value at a time', () => {
    const r = prng(31);
    const values = Float64Array.from({ length: 3000 }, (_, i) =>
      i % 7 === 0 ? -0 : i % 11 === 0 ? 0 : i % 13 === 0 ? 5e-324 : Math.round((r() - 0.5) * 2000) / 10,
    );
    const hashes = new Uint32Array(values.length);
    hashNumbers(values, values.length, hashes);
    expect(Array.from(hashes)).toEqual(Array.from(values, (x) => hashNumber(x)));
    const one = new HyperLogLog(12);
    const batch = new HyperLogLog(12);
    for (const h of hashes) one.addHash(h);
    batch.addHashes(hashes, hashes.length);
    expect(batch.toJSON()).toEqual(one.toJSON());
    // Past its capacity the exact counts give up, the same way either way.
    for (const capacity of [64, 4096]) {
      const a = new NumberCounts(capacity);
      const b = new NumberCounts(capacity);
      values.forEach((x, i) => a.add(x, hashes[i]!));
      b.addAll(values, hashes, values.length);
      expect([b.overflowed, b.size, [...b.entries()]]).toEqual([a.overflowed, a.size, [...a.entries()]]);
    }
  });
});

describe('HyperLogLog', () => {
  const sketchOfRange = (from: number, to: number, p = 12): HyperLogLog => {
    const h = new HyperLogLog(p);
    for (let i = from; i < to; i++) h.addHash(hashNumber(i));
    return h;
  };

  test('near exact for tiny cardinalities', () => {
    const h = new HyperLogLog();
    expect(h.estimate()).toBe(0);
    for (let i = 1; i <= 50; i++) {
      h.addHash(hashString(`value-${i}`));
      expect(Math.abs(h.estimate() - i)).toBeLessThanOrEqual(1);
    }
  });

  test.each([
    [10, 0.1],
    [1000, 0.03],
    [100_000, 0.03],
    [2_000_000, 0.03],
  ])('estimates %i distinct values within %f', (n, tolerance) => {
    const h = sketchOfRange(0, n);
    expect(Math.abs(h.estimate() - n) / n).toBeLessThanOrEqual(tolerance);
    const strings = new HyperLogLog();
    for (let i = 0; i < n; i++) strings.addHash(hashString(`id${i * 7919}`));
    expect(Math.abs(strings.estimate() - n) / n).toBeLessThanOrEqual(tolerance);
  });

  test('duplicates do not change the estimate', () => {
    const h = sketchOfRange(0, 20_000);
    const before = h.toJSON();
    for (let i = 0; i < 20_000; i += 3) h.addHash(hashNumber(i));
    expect(h.toJSON()).toEqual(before);
  });

  test('merge of two halves equals the whole', () => {
    const whole = sketchOfRange(0, 300_000);
    const a = sketchOfRange(0, 150_000);
    a.merge(sketchOfRange(150_000, 300_000));
    expect(a.toJSON()).toEqual(whole.toJSON());
    expect(a.estimate()).toBe(whole.estimate());
    expect(() => a.merge(new HyperLogLog(10))).toThrow(/precision mismatch/);
  });

  test('JSON round trip and validation', () => {
    const h = sketchOfRange(0, 5000, 10);
    const state = h.toJSON();
    expect(state.p).toBe(10);
    expect(Buffer.from(state.registers, 'base64').length).toBe(1024);
    const back = HyperLogLog.fromJSON(JSON.parse(JSON.stringify(state)));
    expect(back.toJSON()).toEqual(state);
    expect(back.estimate()).toBe(h.estimate());
    expect(() => HyperLogLog.fromJSON([])).toThrow(/"state"/);
    expect(() => HyperLogLog.fromJSON({ ...state, p: 2 })).toThrow(/"p"/);
    expect(() => HyperLogLog.fromJSON({ ...state, p: 11 })).toThrow(/"registers" must decode to 2048 bytes/);
    expect(() => HyperLogLog.fromJSON({ ...state, registers: '!!!!' })).toThrow(/"registers" must be a base64/);
    const big = Buffer.alloc(1024, 0);
    big[7] = 40;
    expect(() => HyperLogLog.fromJSON({ p: 10, registers: big.toString('base64') })).toThrow(/register 7/);
    expect(() => new HyperLogLog(20)).toThrow(RangeError);
  });
});

describe('FrequentItems', () => {
  /** Deterministic skewed stream: key i has weight ~ 1/(i+1). */
  const zipfStream = (length: number, keys: number, seed: number): string[] => {
    const r = prng(seed);
    const cdf: number[] = [];
    let acc = 0;
    for (let i = 0; i < keys; i++) cdf.push((acc += 1 / (i + 1)));
    return Array.from({ length }, () => {
      const u = r() * acc;
      let lo = 0;
      let hi = keys - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid]! >= u) hi = mid;
        else lo = mid + 1;
      }
      return `k${lo}`;
    });
  };
  const countAll = (stream: string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const k of stream) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };

  /** Keys whose reported count is not within [true - maxError, true]. */
  const outOfBounds = (f: FrequentItems, truth: Map<string, number>): string[] =>
    [...truth].filter(([k, c]) => f.get(k) > c || f.get(k) < c - f.maxError).map(([k]) => k);

  test('exact counts while the keys fit', () => {
    const f = new FrequentItems(100);
    const stream = zipfStream(20_000, 150, 5); // more than capacity, but never more than 2x
    for (const k of stream) f.add(k);
    f.add('bulk', 5000);
    const truth = countAll(stream).set('bulk', 5000);
    expect([f.exact, f.maxError, f.total, f.size]).toEqual([true, 0, 25_000, truth.size]);
    expect([...truth].filter(([k, c]) => f.get(k) !== c)).toEqual([]);
    expect(f.top(1)).toEqual([['bulk', 5000]]);
  });

  test('heavy hitters survive pruning, with counts within maxError', () => {
    const capacity = 32;
    const f = new FrequentItems(capacity);
    const r = prng(6);
    const stream: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const u = r();
      stream.push(u < 0.2 ? 'heavy' : u < 0.3 ? 'second' : `noise${Math.floor(r() * 50_000)}`);
    }
    for (const k of stream) f.add(k);
    const truth = countAll(stream);
    expect(f.exact).toBe(false);
    expect(f.total).toBe(100_000);
    expect(f.size).toBeLessThanOrEqual(2 * capacity);
    expect(f.maxError).toBeGreaterThan(0);
    expect(f.maxError).toBeLessThanOrEqual(f.total / (capacity + 1));
    expect(f.top(2).map(([k]) => k)).toEqual(['heavy', 'second']);
    expect(outOfBounds(f, truth)).toEqual([]);
  });

  test('merge of shards equals a single pass when exact', () => {
    const stream = zipfStream(30_000, 300, 7);
    const single = new FrequentItems(256);
    for (const k of stream) single.add(k);
    const shards = [0, 1, 2].map(() => new FrequentItems(256));
    stream.forEach((k, i) => shards[i % 3]!.add(k));
    const merged = shards[0]!;
    merged.merge(shards[1]!);
    merged.merge(shards[2]!);
    expect(single.exact).toBe(true);
    expect(merged.toJSON()).toEqual(single.toJSON());
  });

  test('merge that prunes keeps the error bounds', () => {
    const capacity = 64;
    const streams = [zipfStream(50_000, 5000, 8), zipfStream(50_000, 5000, 9)];
    const parts = streams.map((s) => {
      const f = new FrequentItems(capacity);
      for (const k of s) f.add(k);
      return f;
    });
    const merged = parts[0]!;
    merged.merge(parts[1]!);
    const truth = countAll(streams.flat());
    expect([merged.exact, merged.total]).toEqual([false, 100_000]);
    expect(merged.size).toBeLessThanOrEqual(2 * capacity);
    expect(merged.maxError).toBeLessThanOrEqual(merged.total / (capacity + 1));
    expect(outOfBounds(merged, truth)).toEqual([]);
    expect(merged.top(1)[0]![0]).toBe('k0');
  });

  test('order is deterministic: count desc, then key asc', () => {
    const a = new FrequentItems();
    const b = new FrequentItems();
    const adds: Array<[string, number]> = [
      ['b', 2],
      ['a', 2],
      ['c', 5],
      ['B', 2],
      ['d', 1],
    ];
    for (const [k, c] of adds) a.add(k, c);
    for (const [k, c] of [...adds].reverse()) b.add(k, c);
    const expected = [
      ['c', 5],
      ['B', 2],
      ['a', 2],
      ['b', 2],
      ['d', 1],
    ];
    expect(a.top(10)).toEqual(expected);
    expect(b.top(10)).toEqual(expected);
    expect(a.top(2)).toEqual(expected.slice(0, 2));
    expect(a.top(0)).toEqual([]);
    expect(a.toJSON().items).toEqual(expected);
    expect(() => a.add('x', 0)).toThrow(RangeError);
  });

  test('JSON round trip and validation', () => {
    const f = new FrequentItems(8);
    for (const k of zipfStream(5000, 100, 10)) f.add(k);
    const state = JSON.parse(JSON.stringify(f.toJSON())) as ReturnType<FrequentItems['toJSON']>;
    const back = FrequentItems.fromJSON(state);
    expect(back.toJSON()).toEqual(state);
    expect([back.exact, back.maxError, back.total, back.size]).toEqual([f.exact, f.maxError, f.total, f.size]);
    expect(() => FrequentItems.fromJSON('x')).toThrow(/"state"/);
    expect(() => FrequentItems.fromJSON({ ...state, capacity: 0 })).toThrow(/"capacity"/);
    expect(() => FrequentItems.fromJSON({ ...state, exact: 'yes' })).toThrow(/"exact"/);
    expect(() => FrequentItems.fromJSON({ ...state, maxError: -1 })).toThrow(/"maxError"/);
    expect(() => FrequentItems.fromJSON({ ...state, total: 1 })).toThrow(/"total"/);
    expect(() =>
      FrequentItems.fromJSON({
        ...state,
        items: [
          ['a', 1],
          ['a', 2],
        ],
      }),
    ).toThrow(/"items\[1\]" repeats/);
    expect(() => FrequentItems.fromJSON({ ...state, items: [['a', -1]] })).toThrow(/"items\[0\]"/);
  });
});
