/**
 * HyperLogLog distinct-count estimator (Flajolet, Fusy, Gandouet & Meunier, 2007) over 32-bit
 * hashes, plus the hash functions to feed it.
 *
 * With 2^p registers the relative standard error is about 1.04 / sqrt(2^p): 1.6% at p = 12
 * (4096 registers, 4 KiB), so estimates are typically within ~3% from 1 to 10 million distinct
 * values. Small cardinalities (estimate <= 2.5 * 2^p while some register is still zero) use linear
 * counting, which is near exact for a few dozen values. Merging (register-wise max) is lossless:
 * the merge of two sketches equals the sketch of the union.
 */

// Module-level aliases: hot loops then avoid global lookups, which are slow inside vm contexts (e.g. test runners).
const { imul, clz32, log, min } = Math;
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
/** Fixed seed of {@link hashString} and {@link hashNumber}. */
export const HASH_SEED = 0x9747b28c;
const TWO_32 = 2 ** 32;
const MIN_P = 4;
const MAX_P = 16;
/** POW2_NEG[r] = 2^-r. */
const POW2_NEG = Float64Array.from({ length: 64 }, (_, r) => 2 ** -r);

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One MurmurHash3 x86_32 body round: mixes the 32-bit block `k` into state `h`. */
function mixBlock(h: number, k: number): number {
  k = imul(k, C1);
  k = (k << 15) | (k >>> 17);
  h ^= imul(k, C2);
  h = (h << 13) | (h >>> 19);
  return (imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * 32-bit unsigned MurmurHash3 (x86_32, seed {@link HASH_SEED}) of the string's UTF-16 code units,
 * i.e. of its UTF-16LE bytes (two code units per 32-bit block). Equal strings hash equally; lone
 * surrogates are hashed as they are. No allocation.
 */
export function hashString(s: string): number {
  const len = s.length;
  const even = len & ~1;
  let h = HASH_SEED;
  for (let i = 0; i < even; i += 2) h = mixBlock(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (len & 1) {
    let k = imul(s.charCodeAt(even), C1);
    k = (k << 15) | (k >>> 17);
    h ^= imul(k, C2);
  }
  return fmix32(h ^ (len << 1));
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/**
 * 32-bit unsigned hash of a number's float64 bits: MurmurHash3 (x86_32, seed {@link HASH_SEED}) of
 * the 8 little-endian bytes, i.e. both 32-bit halves mixed in, then murmur's fmix. 0 and -0 hash
 * the same (NaNs hash by their bit pattern). No allocation.
 */
export function hashNumber(x: number): number {
  F64[0] = x === 0 ? 0 : x;
  return fmix32(mixBlock(mixBlock(HASH_SEED, U32[0]!), U32[1]!) ^ 8);
}

/** `hashNumber` of each of values[0, count), into out[0, count) (little-endian doubles: their words read in place). */
export function hashNumbers(values: Float64Array, count: number, out: Uint32Array): void {
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < count; i++) out[i] = hashNumber(values[i]!);
    return;
  }
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * count);
  for (let i = 0; i < count; i++) {
    const low = words[2 * i]!;
    let high = words[2 * i + 1]!;
    if (low === 0 && high === 0x80000000) high = 0; // -0 hashes as 0
    out[i] = fmix32(mixBlock(mixBlock(HASH_SEED, low), high) ^ 8);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** Plain-JSON state of a {@link HyperLogLog}; `registers` is base64 of the 2^p register bytes. */
export interface HllState {
  p: number;
  registers: string;
}

export class HyperLogLog {
  readonly p: number;
  private readonly registers: Uint8Array;
  private readonly shift: number;
  private readonly sentinel: number;

  /** @param p precision, integer in [4, 16]: 2^p registers, relative error ~ 1.04 / sqrt(2^p). */
  constructor(p = 12) {
    if (!Number.isInteger(p) || p < MIN_P || p > MAX_P) {
      throw new RangeError(`HyperLogLog: p must be an integer in [${MIN_P}, ${MAX_P}], got ${p}`);
    }
    this.p = p;
    this.registers = new Uint8Array(1 << p);
    this.shift = 32 - p;
    this.sentinel = 1 << (p - 1);
  }

  /**
   * Adds a 32-bit unsigned hash (e.g. from {@link hashString} / {@link hashNumber}). The top p bits
   * pick the register; the register keeps the max of 1 + the leading zeros of the remaining bits.
   */
  addHash(h: number): void {
    const i = h >>> this.shift;
    // The sentinel bit caps the rank at 32 - p + 1 when the remaining bits are all zero.
    const r = clz32((h << this.p) | this.sentinel) + 1;
    if (r > this.registers[i]!) this.registers[i] = r;
  }

  /** `addHash` of each of hashes[0, count). */
  addHashes(hashes: Uint32Array, count: number): void {
    const registers = this.registers;
    const shift = this.shift;
    const p = this.p;
    const sentinel = this.sentinel;
    for (let i = 0; i < count; i++) {
      const h = hashes[i]!;
      const at = h >>> shift;
      const r = clz32((h << p) | sentinel) + 1;
      if (r > registers[at]!) registers[at] = r;
    }
  }

  /** Estimated number of distinct hashes added (0 when empty). */
  estimate(): number {
    const regs = this.registers;
    const m = regs.length;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < m; i++) {
      const r = regs[i]!;
      sum += POW2_NEG[r]!;
      if (r === 0) zeros++;
    }
    const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
    const e = (alpha * m * m) / sum;
    if (e <= 2.5 * m && zeros > 0) return m * log(m / zeros); // linear counting
    // Large range: correct for collisions among the 2^32 hash values (the raw estimate saturates near 2^33).
    if (e > TWO_32 / 30) return -TWO_32 * log(1 - min(e / TWO_32, 1 - 1e-9));
    return e;
  }

  /** Folds `other` (same p, else throws) into this sketch: afterwards it describes the union. */
  merge(other: HyperLogLog): void {
    if (!(other instanceof HyperLogLog)) throw new TypeError('HyperLogLog.merge: argument is not a HyperLogLog');
    if (other.p !== this.p) throw new Error(`HyperLogLog.merge: precision mismatch (p = ${this.p} vs ${other.p})`);
    const a = this.registers;
    const b = other.registers;
    for (let i = 0; i < a.length; i++) if (b[i]! > a[i]!) a[i] = b[i]!;
  }

  toJSON(): HllState {
    return { p: this.p, registers: Buffer.from(this.registers).toString('base64') };
  }

  /** Rebuilds a sketch from `toJSON()` output; throws an Error naming the invalid field. */
  static fromJSON(state: unknown): HyperLogLog {
    const fail: (field: string, why: string) => never = (field, why) => {
      throw new Error(`HyperLogLog.fromJSON: "${field}" ${why}`);
    };
    if (typeof state !== 'object' || state === null || Array.isArray(state)) fail('state', 'must be an object');
    const { p, registers } = state as Record<string, unknown>;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < MIN_P || p > MAX_P) {
      fail('p', `must be an integer in [${MIN_P}, ${MAX_P}]`);
    }
    const hll = new HyperLogLog(p);
    const m = hll.registers.length;
    if (typeof registers !== 'string' || registers.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(registers)) {
      fail('registers', 'must be a base64 string');
    }
    const bytes = Buffer.from(registers, 'base64');
    if (bytes.length !== m) fail('registers', `must decode to ${m} bytes (2^p), got ${bytes.length}`);
    const maxRank = 33 - hll.p;
    for (let i = 0; i < m; i++) {
      if (bytes[i]! > maxRank) fail('registers', `register ${i} holds ${bytes[i]}, above the maximum ${maxRank}`);
    }
    hll.registers.set(bytes);
    return hll;
  }
}
