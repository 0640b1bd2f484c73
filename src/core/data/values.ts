/**
 * Classifying one text field (as bytes) into the kind of value it holds, without
 * allocating a string on the hot path. Numbers are parsed from bytes with the exact
 * fast path (Clinger: digits that fit in 53 bits and a power of ten up to 1e22 give
 * a correctly rounded result with one multiplication or division); anything else
 * falls back to JavaScript's own number parser.
 */

export const Kind = {
  Null: 0,
  Integer: 1,
  Number: 2,
  NaN: 3,
  Infinity: 4,
  Boolean: 5,
  Datetime: 6,
  String: 7,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export const KIND_NAMES = ['null', 'integer', 'number', 'nan', 'infinity', 'boolean', 'datetime', 'string'] as const;
export type KindName = (typeof KIND_NAMES)[number];

/** Text values read as missing (null) unless the configuration says otherwise. */
export const DEFAULT_NULL_VALUES = ['', 'NA', 'N/A', 'null', 'NULL', 'Null', 'None', '#N/A'];

/** Exact powers of ten, 10^0 to 10^22 (the fast path of Clinger). */
export const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATETIME_TEXT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const NAN_TEXT = new Set(['NaN', 'nan', 'NAN']);
const INF_TEXT = /^[+-]?(?:inf|Inf|INF|infinity|Infinity|INFINITY)$/;
const TRUE_TEXT = new Set(['true', 'True', 'TRUE']);
const FALSE_TEXT = new Set(['false', 'False', 'FALSE']);

/** Decodes bytes [start, end) as UTF-8 (Buffer's own decoder: no view object per call). */
export function decodeText(buf: Buffer, start: number, end: number): string {
  return buf.toString('utf8', start, end);
}

/**
 * The integer written by a whole part (value `whole`) and then `fractionDigits` fraction digits
 * (value `fraction`), each part of at most 9 digits and both of at most 15: exact.
 */
export function joinDigits(whole: number, fraction: number, fractionDigits: number): number {
  return whole * POW10[fractionDigits]! + fraction;
}

/** The integer written by the digits of buf[start, end), a decimal point among them skipped (at most 15 digits: exact). */
export function digitsValue(buf: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b !== 46) value = value * 10 + (b - 48);
  }
  return value;
}

/**
 * The number whose decimal digits, read as an integer, are `mantissa` (at most 2^53), with
 * `fractionDigits` (at most 22) of them after the point: exact, as one division by an exact
 * power of ten is (Clinger's fast path).
 */
export function plainDecimal(mantissa: number, fractionDigits: number, negative: boolean): number {
  const magnitude = fractionDigits === 0 ? mantissa : mantissa / POW10[fractionDigits]!;
  return negative ? -magnitude : magnitude;
}

/**
 * Classifies fields. After `classify` returns a numeric, boolean or datetime kind,
 * `value` holds the number (boolean as 0/1, datetime as epoch milliseconds).
 */
export class ValueClassifier {
  value = 0;
  private readonly nullValues: Set<string>;
  private readonly nullMaxLength: number;
  private readonly nullFirstBytes: Uint8Array = new Uint8Array(256);

  constructor(nullValues: readonly string[] = DEFAULT_NULL_VALUES) {
    this.nullValues = new Set(nullValues);
    let max = 0;
    for (const text of nullValues) {
      const bytes = new TextEncoder().encode(text);
      if (bytes.length > 0) this.nullFirstBytes[bytes[0]!] = 1;
      max = Math.max(max, bytes.length);
    }
    this.nullMaxLength = max;
  }

  /** Whether a field that starts with this byte may be a null token (the others are never looked up). */
  mayBeNull(firstByte: number): boolean {
    return this.nullFirstBytes[firstByte] === 1;
  }

  /** 1 at each byte a null token starts with, else 0 (256 entries; do not change them). */
  get nullFirstByteTable(): Uint8Array {
    return this.nullFirstBytes;
  }

  /** Classifies bytes [start, end) of `buf`. */
  classify(buf: Buffer, start: number, end: number): Kind {
    const length = end - start;
    if (length === 0) return this.nullValues.has('') ? Kind.Null : Kind.String;
    const first = buf[start]!;
    if (length <= this.nullMaxLength && this.mayBeNull(first) && this.nullValues.has(decodeText(buf, start, end))) {
      return Kind.Null;
    }
    // Digits, sign or dot: try the fast number path.
    if ((first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46) {
      const kind = this.parseNumber(buf, start, end);
      if (kind !== Kind.String) return kind;
      if (length >= 10 && buf[start + 4] === 45) return this.classifyText(decodeText(buf, start, end));
      if (first === 45 || first === 43) return this.classifyText(decodeText(buf, start, end));
      return Kind.String;
    }
    // Letters that may start NaN, Infinity, true, false.
    if (first === 78 || first === 110 || first === 73 || first === 105 || first === 116 || first === 84 || first === 102 || first === 70) {
      if (length <= 9) return this.classifyText(decodeText(buf, start, end));
    }
    return Kind.String;
  }

  /** Classifies a string value (for JSON strings, and the slow path of `classify`). */
  classifyText(text: string): Kind {
    if (this.nullValues.has(text)) return Kind.Null;
    if (NUMBER_TEXT.test(text)) {
      this.value = Number(text);
      if (!Number.isFinite(this.value)) return Kind.Infinity; // e.g. 1e999
      return /[.eE]/.test(text) ? Kind.Number : Kind.Integer;
    }
    if (NAN_TEXT.has(text)) {
      this.value = Number.NaN;
      return Kind.NaN;
    }
    if (INF_TEXT.test(text)) {
      this.value = text.startsWith('-') ? -Infinity : Infinity;
      return Kind.Infinity;
    }
    if (TRUE_TEXT.has(text)) {
      this.value = 1;
      return Kind.Boolean;
    }
    if (FALSE_TEXT.has(text)) {
      this.value = 0;
      return Kind.Boolean;
    }
    if (DATETIME_TEXT.test(text)) {
      const ms = parseIsoUtc(text);
      if (!Number.isNaN(ms)) {
        this.value = ms;
        return Kind.Datetime;
      }
    }
    return Kind.String;
  }

  /** Number from bytes; returns Kind.String when the bytes are not a plain decimal number. */
  private parseNumber(buf: Buffer, start: number, end: number): Kind {
    let i = start;
    let negative = false;
    const sign = buf[i];
    if (sign === 45 || sign === 43) {
      negative = sign === 45;
      i++;
    }
    // Integer digits, then (after a dot) fraction digits: separate loops keep the usual short
    // decimal to a few operations a byte.
    let mantissa = 0;
    const intStart = i;
    let c = 0;
    for (; i < end; i++) {
      c = buf[i]!;
      if (c < 48 || c > 57) break;
      mantissa = mantissa * 10 + (c - 48);
    }
    let digits = i - intStart;
    let fractionDigits = 0;
    let sawDot = false;
    if (i < end && c === 46) {
      sawDot = true;
      const fractionStart = ++i;
      for (; i < end; i++) {
        c = buf[i]!;
        if (c < 48 || c > 57) break;
        mantissa = mantissa * 10 + (c - 48);
      }
      fractionDigits = i - fractionStart;
      digits += fractionDigits;
    }
    if (digits === 0) return Kind.String;
    let exponent = 0;
    let sawExponent = false;
    if (i < end && (buf[i] === 101 || buf[i] === 69)) {
      sawExponent = true;
      i++;
      let expNegative = false;
      if (i < end && (buf[i] === 45 || buf[i] === 43)) {
        expNegative = buf[i] === 45;
        i++;
      }
      let expDigits = 0;
      for (; i < end; i++) {
        const c = buf[i]!;
        if (c < 48 || c > 57) break;
        exponent = exponent * 10 + (c - 48);
        expDigits++;
      }
      if (expDigits === 0) return Kind.String;
      if (expNegative) exponent = -exponent;
    }
    if (i !== end) return Kind.String;
    const kind = sawDot || sawExponent ? Kind.Number : Kind.Integer;
    const power = exponent - fractionDigits;
    // Exact when the digits fit in 53 bits and the power of ten is exact (Clinger's fast path).
    if (mantissa <= Number.MAX_SAFE_INTEGER && power >= -22 && power <= 22) {
      this.value = power > 0 ? (negative ? -mantissa : mantissa) * POW10[power]! : plainDecimal(mantissa, -power, negative);
    } else {
      this.value = Number(buf.toString('latin1', start, end)); // digits, signs, dot, e: ASCII
      if (!Number.isFinite(this.value)) return Kind.Infinity;
    }
    return kind;
  }
}

/** Milliseconds of an ISO 8601 date or date-time; without a zone it is UTC, whatever the machine's time zone. NaN if invalid. */
export function parseIsoUtc(text: string): number {
  const iso = text.length === 10 ? `${text}T00:00:00` : text.replace(' ', 'T');
  return Date.parse(/(?:Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
}
