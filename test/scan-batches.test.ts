// Delimited records are read a column at a time, in batches (dataset-state.ts, ColumnBatchSink).
// These tests hold that reading to what reading record by record gives: the same profile of
// every column, bit for bit, and the same counts, samples, rows and lines of every check, across
// batch ends, malformed records, quoted line breaks and wide files.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DelimitedTokenizer, FIELD_ESCAPED_QUOTES, FIELD_MALFORMED, unescapeQuotes } from '../src/core/data/delimited.js';
import { DEFAULT_NULL_VALUES, Kind, ValueClassifier, decodeText } from '../src/core/data/values.js';
import { ColumnProfileBuilder } from '../src/core/profile/profile.js';
import { parseSchema, schemaColumn } from '../src/core/schema/schema.js';
import type { DataSchema } from '../src/core/schema/schema.js';
import { ColumnChecker } from '../src/core/validate/column-checks.js';
import { DatasetState } from '../src/core/validate/dataset-state.js';
import { scanData } from '../src/core/validate/scan.js';
import { useWasmRecords } from '../src/core/validate/wasm-records.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scan-batches-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The two readers of the usual records: WebAssembly (records.wat) and JavaScript (`fastRecords`). */
const ENGINES = ['WebAssembly', 'JavaScript'];

/** The tests of the describe block read the usual records with `engine`. */
function readingIn(engine: string): void {
  beforeAll(() => {
    expect(useWasmRecords(engine === 'WebAssembly')).toBe(engine === 'WebAssembly');
  });
  afterAll(() => {
    useWasmRecords(true);
  });
}

/** A seeded stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/**
 * Reads a CSV record by record, as validate-data did before it read columns in batches: each
 * field classified, profiled and checked in file order. Returns each column's profile and checks.
 */
function recordByRecord(text: string, schema: DataSchema, file: string, nullValues: readonly string[] = DEFAULT_NULL_VALUES) {
  const classifier = new ValueClassifier(nullValues);
  const buf = Buffer.from(text);
  const tokenizer = new DelimitedTokenizer(44);
  let names: string[] = [];
  const profiles: ColumnProfileBuilder[] = [];
  const checkers: Array<ColumnChecker | null> = [];
  const files = [file];
  let malformed = 0;
  let row = 0;
  const offset = tokenizer.tokenize(
    buf,
    0,
    buf.length,
    true,
    {
      record(b, starts, ends, flags, count) {
        for (let i = 0; i < count; i++) names.push(decodeText(b, starts[i]!, ends[i]!));
      },
    },
    1,
  );
  names = names.slice();
  for (const name of names) {
    profiles.push(new ColumnProfileBuilder(name));
    const columnSchema = schemaColumn(schema, name);
    checkers.push(columnSchema ? new ColumnChecker(name, columnSchema, 5, files) : null);
  }
  tokenizer.tokenize(buf, offset, buf.length, true, {
    record(b, starts, ends, flags, count, line) {
      row++;
      let bad = count !== names.length;
      for (let i = 0; i < count && i < names.length; i++) {
        if (flags[i]! & FIELD_MALFORMED) bad = true;
        const raw = decodeText(b, starts[i]!, ends[i]!);
        const text = flags[i]! & FIELD_ESCAPED_QUOTES ? unescapeQuotes(raw) : raw;
        const kind = classifier.classify(b, starts[i]!, ends[i]!);
        const value = classifier.value;
        profiles[i]!.add(kind, value, kind === Kind.String || kind === Kind.Datetime ? text : null);
        checkers[i]?.check(kind, value, { text: () => text }, 0, row, line);
      }
      for (let i = count; i < names.length; i++) {
        profiles[i]!.add(Kind.Null, 0, null);
        checkers[i]?.check(Kind.Null, 0, { text: () => '' }, 0, row, line);
      }
      if (bad) malformed++;
    },
  });
  return { names, profiles: profiles.map((p) => p.toState()), checkers: checkers.map((c) => c?.toState() ?? null), malformed, rows: row };
}

const SCHEMA = `
version: 1
columns:
  ranged: { type: number, min: -1, max: 1 }
  whole: { type: integer }
  text: { type: string }
  code: { type: string, domain: ['1', '2', 'x'] }
  id: { type: integer, unique: true }
  when: { type: datetime, min: '2020-01-01' }
  odd: { type: number, allow_nan: true }
`;

/** Rows of every kind of value, with malformed records at and around the batch ends (2,048 rows) and quoted line breaks. */
function mixedCsv(rows: number, seed: number): string {
  const next = random(seed);
  const lines = ['ranged,whole,text,code,id,when,odd,free,key'];
  const badAt = new Set([2047, 2048, 2049, 4096, 4200]);
  for (let r = 1; r <= rows; r++) {
    if (badAt.has(r)) {
      lines.push(r % 2 === 0 ? '1,2,3' : '0.5,1,"a"b,1,7,2021-01-01,1,2,k1');
      continue;
    }
    const u = next();
    const ranged = u < 0.02 ? '' : u < 0.05 ? 'NA' : ((next() - 0.5) * 2.2).toFixed(4);
    const whole = next() < 0.01 ? '2.5' : String(Math.floor(next() * 100) - 50);
    const textU = next();
    const text =
      textU < 0.01
        ? '"two\nlines"'
        : textU < 0.02
          ? '"say ""hi"""'
          : textU < 0.5
            ? String(Math.floor(next() * 20))
            : `w${Math.floor(next() * 30)}`;
    const code = ['1', '2', 'x', '3', '1.0', ''][Math.floor(next() * 6)]!;
    const id = next() < 0.005 ? '17' : String(r);
    const when = next() < 0.02 ? '2019-06-01' : next() < 0.01 ? 'soon' : `2021-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`;
    const odd = ['NaN', 'Infinity', '-inf', '1e400', '3', '0.25', '-7.125', 'true'][Math.floor(next() * 8)]!;
    const freeU = next();
    const free = freeU < 0.3 ? (next() * 1000).toFixed(2) : freeU < 0.4 ? 'FALSE' : freeU < 0.8 ? `t${Math.floor(next() * 50)}` : '';
    // Past the frequent-items summary's room (2,048 texts: where the order of adds matters) and the interner's (4,096).
    const key =
      r > 2900 && r % 7 === 0
        ? 'TRUE'
        : r < 2050
          ? `k${Math.floor(next() * 1500)}`
          : r < 4096
            ? `z${r % 1000}`
            : `k${Math.floor(next() * 9000)}`;
    lines.push([ranged, whole, text, code, id, when, odd, free, key].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe.each(ENGINES)('column batches read what record-by-record reading reads (%s)', (engine) => {
  readingIn(engine);

  test.each([
    ['one thread', 0],
    ['two reader threads', 2],
  ])('mixed values, malformed records at batch ends, quoted line breaks (%s)', async (_label, threads) => {
    const text = mixedCsv(6000, 7);
    const path = join(dir, `mixed-${threads}.csv`);
    await writeFile(path, text);
    const schema = parseSchema(SCHEMA, 'schema.yaml');
    const expected = recordByRecord(text, schema, path);
    const result = await scanData([path], { schema, threads, parallelMinBytes: 1, mergeable: true });
    expect(result.rows).toBe(expected.rows);
    const malformed = result.anomalies.find((a) => a.kind === 'malformed_row');
    expect(malformed?.unexpectedCount).toBe(expected.malformed);
    expect(malformed?.samples.map((s) => s.row)).toEqual([2047, 2048, 2049, 4096, 4200]);
    for (const [i, name] of expected.names.entries()) {
      const profile = result.profile.columns.find((c) => c.name === name)!;
      if (threads === 0) expect(profile).toEqual(expected.profiles[i]);
      // Threads merge their profiles: the counts are exact, the sketches merged.
      else expect(profile.counts).toEqual(expected.profiles[i]!.counts);
    }
    const checkers = result.shard!.checkers.map((c) => c.toState());
    for (const [k, checker] of checkers.entries()) {
      const want = expected.checkers[expected.names.indexOf(result.shard!.checkers[k]!.name)]!;
      expect({ ...checker, unique: null }).toEqual({ ...want, unique: null });
      if (want.unique) expect(new Set(checker.unique!.map(([value]) => value))).toEqual(new Set(want.unique.map(([value]) => value)));
    }
    // The key column's summary pruned: its counts are no longer exact.
    expect(result.profile.columns.find((c) => c.name === 'key')!.top.exact).toBe(false);
    // The checks did find something on each side of the batch ends.
    const ranged = checkers[0]!.tallies;
    expect(ranged.aboveMax.count + ranged.belowMin.count).toBeGreaterThan(100);
    expect(checkers[4]!.tallies.duplicates.count).toBeGreaterThan(10);
  });

  test('a wide file (batches of fewer rows) and a last batch cut short', async () => {
    const next = random(11);
    const width = 200;
    const names = Array.from({ length: width }, (_, i) => `c${i}`);
    const lines = [names.join(',')];
    for (let r = 0; r < 700; r++) lines.push(names.map(() => (next() < 0.05 ? 'oops' : (next() * 10).toFixed(3))).join(','));
    const text = `${lines.join('\n')}\n`;
    const path = join(dir, 'wide.csv');
    await writeFile(path, text);
    const schemaText = `version: 1\ncolumns:\n${names.map((n) => `  ${n}: { type: number, max: 9 }`).join('\n')}\n`;
    const schema = parseSchema(schemaText, 'schema.yaml');
    const expected = recordByRecord(text, schema, path);
    const result = await scanData([path], { schema, threads: 0, mergeable: true });
    for (const [i, name] of names.entries()) expect(result.profile.columns.find((c) => c.name === name)).toEqual(expected.profiles[i]);
    expect(result.shard!.checkers.map((c) => c.toState())).toEqual(expected.checkers);
  });
});

describe('the WebAssembly reader of the usual records, shared by the sinks of a thread', () => {
  test('two sinks take its memory in turn, and neither loses the records it holds there', () => {
    expect(useWasmRecords(true)).toBe(true);
    const texts = [plainCsv(3000, 21, false), plainCsv(3000, 22, true)];
    const sinks = texts.map((text) => {
      const state = new DatasetState({ schema: PLAIN_SCHEMA, nullValues: DEFAULT_NULL_VALUES, sampleLimit: 5 });
      state.files.push('f.csv');
      const all = Buffer.from(text);
      const headerEnd = all.indexOf(10) + 1;
      const names = all.toString('utf8', 0, headerEnd).trimEnd().split(',');
      const tokenizer = new DelimitedTokenizer(44);
      tokenizer.line = 2;
      return {
        state,
        names,
        all,
        at: headerEnd,
        tokenizer,
        sink: state.recordSink(
          0,
          names.map((name) => state.columnFor(name)),
          1,
        ),
      };
    });
    const [first, second] = sinks as [(typeof sinks)[0], (typeof sinks)[0]];
    const piece = 5000;
    while (first.at < first.all.length || second.at < second.all.length) {
      // The first sink is given records one at a time (the tokenizer's path): it holds them in the
      // shared memory until the second sink takes it to read its own piece.
      if (first.at < first.all.length) {
        const buf = first.all.subarray(first.at, Math.min(first.all.length, first.at + piece));
        first.at += first.tokenizer.tokenize(buf, 0, buf.length, first.at + piece >= first.all.length, first.sink, 1);
      }
      if (second.at < second.all.length) {
        const buf = Buffer.from(second.all.subarray(second.at, Math.min(second.all.length, second.at + piece)));
        second.at += second.sink.readRecords(second.tokenizer, buf, 0, buf.length, second.at + piece >= second.all.length);
      }
    }
    first.sink.flush();
    for (const [i, { state, names }] of sinks.entries()) {
      const expected = recordByRecord(texts[i]!, PLAIN_SCHEMA, 'f.csv');
      const columns = state.toState().columns;
      expect(names.map((name) => columns.find((c) => c.name === name)!.profile)).toEqual(expected.profiles);
      expect(names.map((name) => columns.find((c) => c.name === name)!.checker)).toEqual(expected.checkers);
    }
  });
});

describe('ColumnChecker.passesNumber', () => {
  test.each([
    ['number with bounds', '{ type: number, min: 0, max: 10 }'],
    ['integer', '{ type: integer, max: 5 }'],
    ['string', '{ type: string }'],
    ['a domain of numbers', "{ type: number, domain: ['1', '2'] }"],
    ['unique', '{ type: number, unique: true }'],
    ['datetime', '{ type: datetime }'],
    ['bounds with mostly', '{ type: number, min: { value: 1, mostly: 0.5 } }'],
  ])('counts and tallies as check alone does (%s)', (_label, column) => {
    const schema = parseSchema(`version: 1\ncolumns:\n  x: ${column}\n`, 'schema.yaml');
    const files = ['f.csv'];
    const plain = new ColumnChecker('x', schemaColumn(schema, 'x')!, 5, files);
    const fast = new ColumnChecker('x', schemaColumn(schema, 'x')!, 5, files);
    const next = random(3);
    let passed = 0;
    for (let row = 1; row <= 2000; row++) {
      const integer = next() < 0.5;
      const value = integer ? Math.floor(next() * 14) - 2 : (next() - 0.2) * 14;
      const kind = integer ? Kind.Integer : Kind.Number;
      const text = { text: () => String(value) };
      plain.check(kind, value, text, 0, row, row + 1);
      if (fast.passesNumber(kind, value)) passed++;
      else fast.check(kind, value, text, 0, row, row + 1);
    }
    expect(fast.toState()).toEqual(plain.toState());
    const state = plain.toState();
    const failed = Object.values(state.tallies).reduce((sum, t) => sum + t.count, 0);
    // Where a check sees every value (domain, unique), nothing takes the fast path.
    if (/domain|unique/.test(column)) expect(passed).toBe(0);
    else if (failed < 2000) expect(passed).toBeGreaterThan(0);
  });
});

describe('ColumnChecker.passesNumbers', () => {
  test.each([
    ['number with bounds', '{ type: number, min: 0, max: 10 }'],
    ['integer', '{ type: integer, max: 5 }'],
    ['a domain of numbers', "{ type: number, domain: ['1', '2'] }"],
    ['unique', '{ type: number, unique: true }'],
    ['bounds with mostly', '{ type: number, min: { value: 1, mostly: 0.5 } }'],
  ])('a run at a time, counts and tallies as check alone does (%s)', (_label, column) => {
    const schema = parseSchema(`version: 1\ncolumns:\n  x: ${column}\n`, 'schema.yaml');
    const files = ['f.parquet'];
    const plain = new ColumnChecker('x', schemaColumn(schema, 'x')!, 5, files);
    const runs = new ColumnChecker('x', schemaColumn(schema, 'x')!, 5, files);
    const next = random(5);
    const values = Float64Array.from({ length: 3000 }, () => Math.floor((next() - 0.2) * 14));
    for (let row = 0; row < values.length; row++)
      plain.check(Kind.Integer, values[row]!, { text: () => String(values[row]) }, 0, row + 1, 0);
    // Runs of 1 to 60 values, each checked past its first failure to its end.
    let failures = 0;
    for (let from = 0; from < values.length;) {
      const to = Math.min(values.length, from + 1 + Math.floor(next() * 60));
      for (
        let at = runs.passesNumbers(Kind.Integer, values, from, to);
        at < to;
        at = runs.passesNumbers(Kind.Integer, values, at + 1, to)
      ) {
        failures++;
        runs.check(Kind.Integer, values[at]!, { text: () => String(values[at]) }, 0, at + 1, 0);
      }
      from = to;
    }
    expect(runs.toState()).toEqual(plain.toState());
    if (/domain|unique/.test(column)) expect(failures).toBe(values.length);
    else expect(failures).toBeLessThan(values.length);
  });
});

describe('ColumnChecker.passesString', () => {
  test.each([
    ['string', '{ type: string }'],
    ['a domain', "{ type: string, domain: ['a', 'b', 'c'] }"],
    ['a domain with mostly', "{ type: string, domain: { values: ['a', 'b'], mostly: 0.5 } }"],
    ['unique', '{ type: string, unique: true }'],
    ['number', '{ type: number }'],
    ['boolean', '{ type: boolean }'],
  ])('counts and tallies as check alone does (%s)', (_label, column) => {
    const schema = parseSchema(`version: 1\ncolumns:\n  x: ${column}\n`, 'schema.yaml');
    const files = ['f.csv'];
    const plain = new ColumnChecker('x', schemaColumn(schema, 'x')!, 5, files);
    const fast = new ColumnChecker('x', schemaColumn(schema, 'x')!, 5, files);
    const texts = ['a', 'b', 'c', 'd', 'e', '__proto__', ''];
    const next = random(4);
    let passed = 0;
    for (let row = 1; row <= 2000; row++) {
      // Slots as an interner hands them out: one per text, here far apart.
      const pick = Math.floor(next() * texts.length);
      const value = texts[pick]!;
      const text = { text: () => value };
      plain.check(Kind.String, 0, text, 0, row, row + 1);
      if (fast.passesString(pick * 1000, value)) passed++;
      else fast.check(Kind.String, 0, text, 0, row, row + 1);
    }
    expect(fast.toState()).toEqual(plain.toState());
    const failed = Object.values(plain.toState().tallies).reduce((sum, t) => sum + t.count, 0);
    // A unique check sees every value; a type that takes no strings lets none through.
    if (/unique|number|boolean/.test(column)) expect(passed).toBe(0);
    else expect(passed).toBe(2000 - failed);
    if (/domain/.test(column)) expect(failed).toBeGreaterThan(0);
  });
});

/**
 * Feeds `text` (a header line, then records) to a batch sink in pieces of `piece` bytes, as
 * scan.ts feeds chunks: each call reads the whole records of what is pending. Returns the
 * columns' profiles and checks.
 */
function throughSink(text: string, schema: DataSchema, piece: number, nullValues: readonly string[] = DEFAULT_NULL_VALUES) {
  const state = new DatasetState({ schema, nullValues, sampleLimit: 5 });
  state.files.push('f.csv');
  const all = Buffer.from(text);
  const headerEnd = all.indexOf(10) + 1;
  const names = all
    .toString('utf8', 0, headerEnd)
    .replace(/\r?\n$/, '')
    .split(',');
  const header = names.map((name) => state.columnFor(name));
  const sink = state.recordSink(0, header, 1);
  const tokenizer = new DelimitedTokenizer(44);
  tokenizer.line = 2;
  let pending: Buffer | null = null;
  for (let at = headerEnd; at < all.length; at += piece) {
    // A fresh copy each time, as chunks are: the sink must not keep what it was given.
    const chunk = Buffer.from(all.subarray(at, Math.min(all.length, at + piece)));
    const buf: Buffer = pending === null ? chunk : Buffer.concat([pending, chunk]);
    const consumed = sink.readRecords(tokenizer, buf, 0, buf.length, false);
    pending = consumed < buf.length ? Buffer.from(buf.subarray(consumed)) : null;
    buf.fill(0x7e, 0, consumed);
  }
  if (pending !== null) sink.readRecords(tokenizer, pending, 0, pending.length, true);
  const states = state.toState().columns;
  return {
    rows: sink.row,
    profiles: names.map((name) => states.find((c) => c.name === name)!.profile),
    checkers: names.map((name) => states.find((c) => c.name === name)!.checker),
    malformed: state.malformed.get('f.csv')?.count ?? 0,
    samples: state.malformed.get('f.csv')?.samples ?? [],
  };
}

/** Quote-free records of every shape the fast path meets: plain decimals and near misses, nulls, blank lines, CRLF, ragged rows. */
function plainCsv(rows: number, seed: number, withQuotes: boolean): string {
  const next = random(seed);
  const shapes = [
    '0',
    '-0',
    '007',
    '12',
    '-999',
    '3.25',
    '-3.25',
    '5.',
    '-',
    '-.5',
    '.5',
    '+3',
    '1e5',
    '2E-3',
    '123456789012345',
    '1234567890123456',
    '0.1234567890123456',
    '12.5x',
    'NA',
    '',
    'N/A',
    'abc',
    '9007199254740993',
    '1.8014398509481985',
    '-0.36028797018963971',
    '72057594037927945.5',
    '-12.000',
  ];
  // Quoted fields the fast path reads (simple ones) and those it leaves to the tokenizer.
  const quotedShapes = ['"x,y"', '"12"', '""', '"-3.5"', '"NA"', '"a"b', '"two\nlines"', '"say ""hi"""', '"cr"\r5', '"open'];
  let text = 'a,b,c,d\n';
  for (let r = 0; r < rows; r++) {
    const u = next();
    const end = next() < 0.3 ? '\r\n' : '\n';
    if (u < 0.03)
      text += end; // a blank line
    else if (u < 0.06)
      text += `1,2${end}`; // too few fields
    else if (u < 0.08)
      text += `1,2,3,4,5${end}`; // too many
    else if (withQuotes && u < 0.1) text += `"q,${r}",2,"3""",4${end}`;
    else {
      const pick = () => {
        const v = next();
        if (withQuotes && v < 0.15) return quotedShapes[Math.floor(next() * quotedShapes.length)]!;
        return v < 0.6 ? (next() * 200 - 100).toFixed(Math.floor(next() * 5)) : shapes[Math.floor(next() * shapes.length)]!;
      };
      const fields = Array.from({ length: 4 }, pick);
      text += fields.join(',') + end;
    }
  }
  // The input ends without a line feed: on a delimiter (one more, empty, field), or (with quotes) on a quoted field.
  return withQuotes ? `${text}7,8,9,"tail"` : `${text}7,8,9,`;
}

const PLAIN_SCHEMA = parseSchema(
  `version: 1
columns:
  a: { type: number, min: -50, max: 50 }
  b: { type: integer }
  c: { type: string }
  d: { type: number, unique: true }
`,
  'schema.yaml',
);

describe.each(ENGINES)('the fast path for lines without quotes reads what tokenize and the classifier read (%s)', (engine) => {
  readingIn(engine);

  test.each([
    [1, false],
    [7, false],
    [64, true],
    [4096, false],
    [4096, true],
    [1 << 20, false],
  ])('pieces of %i bytes (quotes in some lines: %s)', (piece, withQuotes) => {
    for (const seed of [1, 2, 3]) {
      const text = plainCsv(3000, seed, withQuotes);
      const expected = recordByRecord(text, PLAIN_SCHEMA, 'f.csv');
      const got = throughSink(text, PLAIN_SCHEMA, piece);
      expect(got.rows).toBe(expected.rows);
      expect(got.malformed).toBe(expected.malformed);
      expect(got.profiles).toEqual(expected.profiles);
      expect(got.checkers).toEqual(expected.checkers);
    }
  });

  test('null tokens that look like numbers stay nulls ("-999", "12"), their neighbours numbers', () => {
    const nulls = ['', '-999', '12'];
    const text = plainCsv(2000, 9, false);
    const expected = recordByRecord(text, PLAIN_SCHEMA, 'f.csv', nulls);
    const got = throughSink(text, PLAIN_SCHEMA, 4096, nulls);
    expect(got.profiles).toEqual(expected.profiles);
    expect(got.checkers).toEqual(expected.checkers);
    const b = got.profiles[1]!;
    expect(b.counts.null).toBeGreaterThan(0);
    expect(b.counts.integer).toBeGreaterThan(0);
  });

  test('in a one-column file, a quoted empty field is a row (a null), a blank line is none', () => {
    const text = 'a\n""\n\n1\r\n""';
    const expected = recordByRecord(text, PLAIN_SCHEMA, 'f.csv');
    const got = throughSink(text, PLAIN_SCHEMA, 1 << 20);
    expect(got.rows).toBe(3);
    expect(expected.rows).toBe(3);
    expect(got.profiles[0]).toEqual(expected.profiles[0]);
    expect(got.profiles[0]!.counts.null).toBe(2);
  });

  test('malformed rows keep their rows, lines and text', () => {
    const text = 'a,b,c,d\n1,2,3,4\r\n\n5,6\n7,8,9,10\n1,2,3,4,5\n';
    const got = throughSink(text, PLAIN_SCHEMA, 3);
    expect(got.rows).toBe(4);
    expect(got.samples.map((s) => [s.row, s.line, s.value])).toEqual([
      [2, 4, '2 fields where the header has 4: 5,6'],
      [4, 6, '5 fields where the header has 4: 1,2,3,4,5'],
    ]);
  });
});
