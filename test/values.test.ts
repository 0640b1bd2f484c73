import { describe, expect, test } from '@jest/globals';
import { DEFAULT_NULL_VALUES, KIND_NAMES, Kind, ValueClassifier } from '../src/core/data/values.js';
import type { KindName } from '../src/core/data/values.js';

/** Classifies `text` from bytes placed in the middle of a larger buffer (the classifier must read only [start, end)). */
function classify(text: string, classifier = new ValueClassifier()): { kind: KindName; value: number } {
  const body = Buffer.from(text, 'utf8');
  const buf = Buffer.concat([Buffer.from('9e9,'), body, Buffer.from(',1')]);
  const kind = classifier.classify(buf, 4, 4 + body.length);
  return { kind: KIND_NAMES[kind], value: classifier.value };
}

const kindOf = (text: string, classifier?: ValueClassifier): KindName => classify(text, classifier).kind;

describe('numbers', () => {
  test.each([
    ['0', 0],
    ['7', 7],
    ['42', 42],
    ['-17', -17],
    ['+17', 17],
    ['007', 7],
    ['9007199254740991', 9007199254740991],
  ])('integer %s', (text, value) => {
    const got = classify(text);
    expect(got.kind).toBe('integer');
    expect(got.value).toBe(value);
  });

  test('-0 is an integer equal to Number("-0") (negative zero)', () => {
    const got = classify('-0');
    expect(got.kind).toBe('integer');
    expect(Object.is(got.value, -0)).toBe(true);
  });

  test.each([
    ['3.25', 3.25],
    ['-3.25', -3.25],
    ['+0.5', 0.5],
    ['.5', 0.5],
    ['-.5', -0.5],
    ['1.', 1],
    ['1.0', 1],
    ['0.1', 0.1],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e+3', 1000],
    ['2.5e-3', 0.0025],
    ['-6.02E23', -6.02e23],
    ['1e22', 1e22],
    ['1e-22', 1e-22],
    ['123456789012345e7', 1.23456789012345e21],
  ])('decimal or exponent %s is a number', (text, value) => {
    const got = classify(text);
    expect(got.kind).toBe('number');
    expect(got.value).toBe(value);
  });

  test.each([
    '12345678901234567890',
    '9007199254740993',
    '0.1000000000000000055511151231257827',
    '3.14159265358979323846264338327950288',
    '123456789.123456789',
    '1.7976931348623157e308',
    '4.9e-324',
    '2.2250738585072011e-308',
    '1234567890123456e-5',
    '0.000000000000000000000001',
    '1e23',
    '1e-23',
    '8.98846567431158e307',
  ])('%s (beyond the fast path) equals Number(text) exactly', (text) => {
    const got = classify(text);
    expect(Object.is(got.value, Number(text))).toBe(true);
    expect(got.kind).toBe(/[.eE]/.test(text) ? 'number' : 'integer');
  });

  test('1e999 and -1e999 overflow to infinities', () => {
    expect(classify('1e999')).toEqual({ kind: 'infinity', value: Infinity });
    expect(classify('-1e999')).toEqual({ kind: 'infinity', value: -Infinity });
    expect(classify('1.5E+400')).toEqual({ kind: 'infinity', value: Infinity });
  });

  test('a tiny exponent underflows to zero and stays a number', () => {
    const got = classify('1e-999');
    expect(got.kind).toBe('number');
    expect(got.value).toBe(0);
  });

  test('randomized: 100,000 random decimal strings equal Number(text) bit for bit', () => {
    // Seeded xorshift32, so a failure reproduces.
    let s = 0x2545f491;
    const next = (): number => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) / 2 ** 32;
    };
    const int = (n: number): number => Math.floor(next() * n);
    const digits = (n: number): string => {
      let out = '';
      for (let i = 0; i < n; i++) out += String(int(10));
      return out;
    };
    const classifier = new ValueClassifier();
    const buf = Buffer.alloc(128);
    const failures: string[] = [];
    let fastPathSized = 0;
    for (let i = 0; i < 100_000; i++) {
      // Mostly short values (the fast path), some long ones (the fallback), exponents around the 1e22 edge.
      const intDigits = int(4) === 0 ? int(25) : int(9);
      const fracDigits = int(3) === 0 ? 0 : int(4) === 0 ? 1 + int(24) : 1 + int(8);
      let text = ['', '', '-', '+'][int(4)]!;
      text += digits(intDigits);
      if (fracDigits > 0 || int(10) === 0) text += '.' + digits(fracDigits);
      if (!/\d/.test(text)) text += String(1 + int(9));
      if (int(3) === 0) text += (int(2) ? 'e' : 'E') + ['', '-', '+'][int(3)]! + String(int(4) === 0 ? int(400) : int(30));
      if (intDigits + fracDigits <= 15) fastPathSized++;
      const length = buf.write(text, 0, 'latin1');
      const kind = classifier.classify(buf, 0, length);
      const expected = Number(text);
      const expectedKind = !Number.isFinite(expected) ? Kind.Infinity : /[.eE]/.test(text) ? Kind.Number : Kind.Integer;
      if (kind !== expectedKind || !Object.is(classifier.value, expected)) {
        failures.push(`${text}: got ${KIND_NAMES[kind]} ${classifier.value}, expected ${KIND_NAMES[expectedKind]} ${expected}`);
      }
    }
    // Most generated values are short enough for the fast path, so it is the part under test.
    expect(fastPathSized).toBeGreaterThan(50_000);
    expect(failures.slice(0, 10)).toEqual([]);
  });
});

describe('special floating-point spellings', () => {
  test.each(['NaN', 'nan', 'NAN'])('%s is NaN', (text) => {
    const got = classify(text);
    expect(got.kind).toBe('nan');
    expect(Number.isNaN(got.value)).toBe(true);
  });

  test.each([
    ['inf', Infinity],
    ['Inf', Infinity],
    ['INF', Infinity],
    ['infinity', Infinity],
    ['Infinity', Infinity],
    ['INFINITY', Infinity],
    ['+inf', Infinity],
    ['+Infinity', Infinity],
    ['-inf', -Infinity],
    ['-Infinity', -Infinity],
    ['-INF', -Infinity],
  ])('%s is an infinity', (text, value) => {
    expect(classify(text)).toEqual({ kind: 'infinity', value });
  });

  test.each(['NaNs', 'nAn', 'infinite', 'Infinityy', '-nan', 'inff'])('%s is a string', (text) => {
    expect(kindOf(text)).toBe('string');
  });
});

describe('booleans', () => {
  test.each([
    ['true', 1],
    ['True', 1],
    ['TRUE', 1],
    ['false', 0],
    ['False', 0],
    ['FALSE', 0],
  ])('%s', (text, value) => {
    expect(classify(text)).toEqual({ kind: 'boolean', value });
  });

  test.each(['tRUE', 'yes', 'T', 'F', 'truee', 'falsey'])('%s is a string', (text) => {
    expect(kindOf(text)).toBe('string');
  });
});

describe('dates and datetimes', () => {
  test.each([
    ['2024-01-15', Date.UTC(2024, 0, 15)],
    ['1999-12-31', Date.UTC(1999, 11, 31)],
    ['2024-01-15T10:30:00Z', Date.UTC(2024, 0, 15, 10, 30)],
    ['2024-01-15T10:30:00.250Z', Date.UTC(2024, 0, 15, 10, 30, 0, 250)],
    ['2024-01-15T10:30:00+02:00', Date.UTC(2024, 0, 15, 8, 30)],
    ['2024-01-15T10:30:00-0130', Date.UTC(2024, 0, 15, 12, 0)],
    ['2024-01-15T10:30Z', Date.UTC(2024, 0, 15, 10, 30)],
  ])('%s is a datetime at the right instant', (text, ms) => {
    expect(classify(text)).toEqual({ kind: 'datetime', value: ms });
  });

  test('a datetime without a zone is read as the runtime reads it (Date.parse)', () => {
    const text = '2024-06-01T12:00:00';
    expect(classify(text)).toEqual({ kind: 'datetime', value: Date.parse(text) });
    const spaced = '2024-06-01 12:00';
    expect(classify(spaced)).toEqual({ kind: 'datetime', value: Date.parse(spaced) });
  });

  test('a compact date such as 20240115 is just an integer', () => {
    expect(classify('20240115')).toEqual({ kind: 'integer', value: 20240115 });
  });

  test.each(['2024-13-45', '2024-1-5', '2024/01/15', '2024-01-15x', '2024-01-15T', '2024-01-15T25:99:00Z', '12345-67-89'])(
    '%s is not a datetime',
    (text) => {
      expect(kindOf(text)).toBe('string');
    },
  );
});

describe('nulls', () => {
  test.each(DEFAULT_NULL_VALUES)('default null token %j', (text) => {
    expect(kindOf(text)).toBe('null');
  });

  test('the default list holds the usual spellings', () => {
    for (const token of ['', 'NA', 'N/A', 'null', 'NULL', 'None', '#N/A']) expect(DEFAULT_NULL_VALUES).toContain(token);
  });

  test.each(['none', 'na', 'Nil', 'NaN', ' ', 'NULLS', 'N/A '])('%j is not null by default', (text) => {
    expect(kindOf(text)).not.toBe('null');
  });

  test('a custom list replaces the default one', () => {
    const classifier = new ValueClassifier(['-', '?', 'missing', 'n/a', 'ничего']);
    expect(kindOf('-', classifier)).toBe('null');
    expect(kindOf('?', classifier)).toBe('null');
    expect(kindOf('missing', classifier)).toBe('null');
    expect(kindOf('n/a', classifier)).toBe('null');
    expect(kindOf('ничего', classifier)).toBe('null');
    // Tokens of the default list are ordinary values now.
    expect(kindOf('NA', classifier)).toBe('string');
    expect(kindOf('null', classifier)).toBe('string');
    expect(kindOf('None', classifier)).toBe('string');
    // The empty field is null only when '' is in the list.
    expect(kindOf('', classifier)).toBe('string');
    expect(kindOf('', new ValueClassifier(['', 'x']))).toBe('null');
    // Values that merely start like a token are not null.
    expect(kindOf('-5', classifier)).toBe('integer');
    expect(kindOf('missing!', classifier)).toBe('string');
  });

  test('a numeric-looking null token wins over the number', () => {
    const classifier = new ValueClassifier(['-999', '0']);
    expect(kindOf('-999', classifier)).toBe('null');
    expect(kindOf('0', classifier)).toBe('null');
    expect(classify('-998', classifier)).toEqual({ kind: 'integer', value: -998 });
  });

  test('classifyText (the string path) agrees with classify (the byte path)', () => {
    const classifier = new ValueClassifier();
    for (const text of ['12', '-1.5e3', 'NA', 'NaN', '-inf', 'true', 'FALSE', '2024-01-15', 'abc', '1e999', '.5', '1.2.3']) {
      const fromBytes = classify(text);
      const kind = KIND_NAMES[classifier.classifyText(text)];
      expect({ text, kind }).toEqual({ text, kind: fromBytes.kind });
      if (kind !== 'null' && kind !== 'string') expect(Object.is(classifier.value, fromBytes.value)).toBe(true);
    }
  });
});

describe('almost numbers are strings', () => {
  test.each([
    '1.2.3',
    '12abc',
    'abc12',
    '0x10',
    '0b101',
    '1_000',
    '1,000',
    '-',
    '+',
    '.',
    '-.',
    '+.',
    '..5',
    'e5',
    '1e',
    '1e+',
    '1e-',
    '1e5.5',
    '--1',
    '+-1',
    ' 1',
    '1 ',
    '١٢٣',
    '1d',
    '12%',
    '$5',
  ])('%j', (text) => {
    expect(kindOf(text)).toBe('string');
  });
});

describe('dates without a zone are UTC', () => {
  test('parseIsoUtc reads zone-less dates and date-times as UTC, and honours explicit zones', async () => {
    const { parseIsoUtc } = await import('../src/core/data/values.js');
    expect(parseIsoUtc('2024-01-31')).toBe(Date.UTC(2024, 0, 31));
    expect(parseIsoUtc('2024-01-31T05:06')).toBe(Date.UTC(2024, 0, 31, 5, 6));
    expect(parseIsoUtc('2024-01-31 05:06:07')).toBe(Date.UTC(2024, 0, 31, 5, 6, 7));
    expect(parseIsoUtc('2024-01-31T05:06:07+02:00')).toBe(Date.UTC(2024, 0, 31, 3, 6, 7));
    expect(parseIsoUtc('2024-01-31T05:06:07Z')).toBe(Date.UTC(2024, 0, 31, 5, 6, 7));
    expect(Number.isNaN(parseIsoUtc('2024-13-45'))).toBe(true);
  });
});
