/**
 * Decodes each distinct field text once. A categorical column repeats a few values
 * millions of times; keyed by the field's bytes, the interner hands back the same
 * string object (with its hash for the distinct-count sketch) instead of decoding
 * and hashing again. Past `capacity` distinct values it stops adding (lookups of
 * known values still hit).
 */
import { hashString } from '../sketch/index.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class StringInterner {
  private readonly keys: Array<Buffer | null>;
  private readonly flagsOf: Uint8Array;
  private readonly bytesHash: Int32Array;
  readonly texts: string[];
  readonly hashes: Uint32Array;
  private readonly mask: number;
  private size = 0;

  constructor(private readonly capacity = 4096) {
    let slots = 1;
    while (slots < capacity * 2) slots <<= 1;
    this.keys = new Array<Buffer | null>(slots).fill(null);
    this.flagsOf = new Uint8Array(slots);
    this.bytesHash = new Int32Array(slots);
    this.texts = new Array<string>(slots).fill('');
    this.hashes = new Uint32Array(slots);
    this.mask = slots - 1;
  }

  /**
   * The slot of the text for bytes [start, end) with `flags` (quoting changes the
   * text), decoding with `decode` on first sight; -1 when full and not seen before.
   */
  intern(buf: Buffer, start: number, end: number, flags: number, decode: () => string): number {
    let h = FNV_OFFSET ^ flags;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, FNV_PRIME);
    let slot = h & this.mask;
    const length = end - start;
    for (;;) {
      const key = this.keys[slot];
      if (key === null || key === undefined) break;
      if (this.bytesHash[slot] === h && this.flagsOf[slot] === flags && key.length === length && sameBytes(key, buf, start, length))
        return slot;
      slot = (slot + 1) & this.mask;
    }
    if (this.size >= this.capacity) return -1;
    const text = decode();
    this.keys[slot] = Buffer.from(buf.subarray(start, end));
    this.flagsOf[slot] = flags;
    this.bytesHash[slot] = h;
    this.texts[slot] = text;
    this.hashes[slot] = hashString(text);
    this.size++;
    return slot;
  }
}

function sameBytes(key: Buffer, buf: Buffer, start: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (key[i] !== buf[start + i]) return false;
  return true;
}
