import { describe, expect, test } from '@jest/globals';
import {
  DelimitedTokenizer,
  FIELD_ESCAPED_QUOTES,
  FIELD_MALFORMED,
  FIELD_QUOTED,
  openingQuote,
  unescapeQuotes,
  unterminatedField,
} from '../src/core/data/delimited.js';
import type { QuoteLocation, RecordSink } from '../src/core/data/delimited.js';

const COMMA = 44;
const TAB = 9;

interface Field {
  text: string;
  quoted: boolean;
  malformed: boolean;
}
interface Rec {
  line: number;
  fields: Field[];
}

/** A sink that copies every record out at once (the buffer may be reused by the caller). */
function collector(): RecordSink & { records: Rec[] } {
  const records: Rec[] = [];
  return {
    records,
    record(buf, starts, ends, flags, count, line) {
      const fields: Field[] = [];
      for (let i = 0; i < count; i++) {
        const raw = buf.toString('utf8', starts[i]!, ends[i]!);
        const f = flags[i]!;
        fields.push({
          text: f & FIELD_ESCAPED_QUOTES ? unescapeQuotes(raw) : raw,
          quoted: (f & FIELD_QUOTED) !== 0,
          malformed: (f & FIELD_MALFORMED) !== 0,
        });
      }
      records.push({ line, fields });
    },
  };
}

/** Tokenizes a whole document in one final call. */
function tokenizeAll(text: string | Buffer, delimiter = COMMA): { records: Rec[]; consumed: number; length: number } {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const sink = collector();
  const consumed = new DelimitedTokenizer(delimiter).tokenize(buf, 0, buf.length, true, sink);
  return { records: sink.records, consumed, length: buf.length };
}

const texts = (records: Rec[]): string[][] => records.map((r) => r.fields.map((f) => f.text));
const lines = (records: Rec[]): number[] => records.map((r) => r.line);

/**
 * Feeds `buf` in two pieces split at `cut`, as a streaming reader does: the first call is not
 * final and returns where the first incomplete record starts; the rest of the first piece is
 * carried over, joined with the second piece, and tokenized with final = true.
 */
function tokenizeSplit(buf: Buffer, cut: number, delimiter = COMMA): { records: Rec[]; firstCall: number; firstRecords: number } {
  const tokenizer = new DelimitedTokenizer(delimiter);
  const sink = collector();
  // Copies, so the tokenizer can only see the bytes each piece really holds.
  const first = Buffer.from(buf.subarray(0, cut));
  const offset = tokenizer.tokenize(first, 0, first.length, false, sink);
  const firstRecords = sink.records.length;
  const rest = Buffer.concat([first.subarray(offset), Buffer.from(buf.subarray(cut))]);
  tokenizer.tokenize(rest, 0, rest.length, true, sink);
  return { records: sink.records, firstCall: offset, firstRecords };
}

describe('RFC 4180 basics', () => {
  test('plain records with LF line ends', () => {
    const { records, consumed, length } = tokenizeAll('a,b,c\n1,2,3\n');
    expect(texts(records)).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(lines(records)).toEqual([1, 2]);
    expect(consumed).toBe(length);
    expect(records.every((r) => r.fields.every((f) => !f.quoted && !f.malformed))).toBe(true);
  });

  test('CRLF line ends do not leave CR in the last field', () => {
    const { records } = tokenizeAll('a,b\r\n1,2\r\n3,4\r\n');
    expect(texts(records)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(lines(records)).toEqual([1, 2, 3]);
  });

  test('quoted fields hold delimiters, newlines (LF and CRLF) and doubled quotes', () => {
    const doc = 'name,note\n"Smith, John","said ""hi"""\n"multi\nline","crlf\r\ninside"\nlast,x\n';
    const { records } = tokenizeAll(doc);
    expect(texts(records)).toEqual([
      ['name', 'note'],
      ['Smith, John', 'said "hi"'],
      ['multi\nline', 'crlf\r\ninside'],
      ['last', 'x'],
    ]);
    // The record starting at line 3 holds two line breaks, so it ends on line 5 and the next starts on line 6.
    expect(lines(records)).toEqual([1, 2, 3, 6]);
    const second = records[1]!.fields;
    expect(second.map((f) => f.quoted)).toEqual([true, true]);
    expect(second.some((f) => f.malformed)).toBe(false);
  });

  test('flags: quoted, escaped quotes', () => {
    const buf = Buffer.from('"a""b",c,"d"\n');
    const seen: number[][] = [];
    new DelimitedTokenizer(COMMA).tokenize(buf, 0, buf.length, true, {
      record(_b, _s, _e, flags, count) {
        seen.push(Array.from(flags.subarray(0, count)));
      },
    });
    expect(seen).toEqual([[FIELD_QUOTED | FIELD_ESCAPED_QUOTES, 0, FIELD_QUOTED]]);
  });

  test('an empty quoted field and a quoted field of only a doubled quote', () => {
    const { records } = tokenizeAll('"","""",x\n');
    expect(texts(records)).toEqual([['', '"', 'x']]);
    expect(records[0]!.fields.map((f) => f.quoted)).toEqual([true, true, false]);
  });

  test('empty fields anywhere in a record', () => {
    const { records } = tokenizeAll(',a,,b,\n,,\n');
    expect(texts(records)).toEqual([
      ['', 'a', '', 'b', ''],
      ['', '', ''],
    ]);
  });

  test('a trailing delimiter gives one more empty field, with or without a final newline', () => {
    expect(texts(tokenizeAll('a,b,\n').records)).toEqual([['a', 'b', '']]);
    expect(texts(tokenizeAll('a,b,').records)).toEqual([['a', 'b', '']]);
    expect(texts(tokenizeAll('a,b,\r\n').records)).toEqual([['a', 'b', '']]);
  });

  test('the last record may end without a newline (LF file, CRLF file, quoted last field)', () => {
    expect(texts(tokenizeAll('a,b\n1,2').records)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(texts(tokenizeAll('a,b\r\n1,2').records)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(texts(tokenizeAll('a,b\r\n1,"2"').records)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    // A lone CR at the very end is a line end, not data.
    expect(texts(tokenizeAll('a,b\r\n1,2\r').records)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  test('blank lines (LF and CRLF) are skipped but still counted as lines', () => {
    const { records } = tokenizeAll('\n\na,b\n\n1,2\r\n\r\n\r\n3,4\n\n');
    expect(texts(records)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(lines(records)).toEqual([3, 5, 8]);
  });

  test('a line holding only "" is a record with one empty field, not a blank line', () => {
    const { records } = tokenizeAll('a\n""\nb\n');
    expect(texts(records)).toEqual([['a'], [''], ['b']]);
    expect(records[1]!.fields[0]!.quoted).toBe(true);
  });

  test('multi-byte UTF-8 survives', () => {
    const { records } = tokenizeAll('名前,値\n"Zürich, CH",€5\n😀,"ñ"\n');
    expect(texts(records)).toEqual([
      ['名前', '値'],
      ['Zürich, CH', '€5'],
      ['😀', 'ñ'],
    ]);
  });

  test('records wider than the initial field buffer (300 fields)', () => {
    const row = Array.from({ length: 300 }, (_, i) => `f${i}`);
    const { records } = tokenizeAll(`${row.join(',')}\n${row.map((f) => `"${f}"`).join(',')}\n`);
    expect(records).toHaveLength(2);
    expect(texts(records)[0]).toEqual(row);
    expect(texts(records)[1]).toEqual(row);
  });

  test('a range [start, end) inside a larger buffer reads only that range', () => {
    const buf = Buffer.from('XXXXa,b\n1,2\nYYYY');
    const sink = collector();
    const end = buf.length - 4;
    const consumed = new DelimitedTokenizer(COMMA).tokenize(buf, 4, end, true, sink);
    expect(texts(sink.records)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(consumed).toBe(end);
  });
});

describe('malformed input', () => {
  test('an unclosed quote at the end of input is FIELD_MALFORMED and runs to the end', () => {
    const { records, consumed, length } = tokenizeAll('a,b\n1,"never closed\nmore text\n');
    expect(records).toHaveLength(2);
    const bad = records[1]!;
    expect(bad.line).toBe(2);
    expect(bad.fields[0]).toEqual({ text: '1', quoted: false, malformed: false });
    expect(bad.fields[1]!.malformed).toBe(true);
    expect(bad.fields[1]!.quoted).toBe(true);
    expect(bad.fields[1]!.text).toBe('never closed\nmore text\n');
    expect(consumed).toBe(length);
  });

  test('an unclosed quote without final waits for more input (returns the record start)', () => {
    const buf = Buffer.from('a,b\n1,"open\n');
    const sink = collector();
    const offset = new DelimitedTokenizer(COMMA).tokenize(buf, 0, buf.length, false, sink);
    expect(texts(sink.records)).toEqual([['a', 'b']]);
    expect(offset).toBe(4);
  });

  test('text after a closing quote marks the field malformed; the rest of the record still parses', () => {
    const { records } = tokenizeAll('"ab"cd,e\nx,y\n');
    expect(records).toHaveLength(2);
    const [first, second] = records[0]!.fields;
    expect(first!.malformed).toBe(true);
    expect(first!.text).toBe('ab');
    expect(second).toEqual({ text: 'e', quoted: false, malformed: false });
    expect(texts([records[1]!])).toEqual([['x', 'y']]);
    expect(records[1]!.line).toBe(2);
  });

  test('a CR after a closing quote that is not followed by LF is malformed', () => {
    const { records } = tokenizeAll('"a"\rb,c\n');
    expect(records[0]!.fields[0]!.malformed).toBe(true);
  });

  test('a closing quote followed by CRLF, LF, delimiter or end of input is well formed', () => {
    for (const doc of ['"a"\r\n', '"a"\n', '"a",b\n', '"a"', '"a"\r']) {
      const { records } = tokenizeAll(doc);
      expect(records[0]!.fields[0]).toEqual({ text: 'a', quoted: true, malformed: false });
    }
  });
});

describe('TSV', () => {
  test('tab is the delimiter; commas are data', () => {
    const { records } = tokenizeAll('a\tb\tc\n1,5\t\t"x\ty"\n', TAB);
    expect(texts(records)).toEqual([
      ['a', 'b', 'c'],
      ['1,5', '', 'x\ty'],
    ]);
  });
});

describe('chunked input', () => {
  const documents: Array<[string, string, number]> = [
    ['plain LF', 'id,name,score\n1,alice,3.5\n2,bob,4\n3,carol,\n', COMMA],
    ['CRLF with quotes', 'id,name\r\n1,"Smith, J"\r\n2,"say ""hi"""\r\n3,"two\r\nlines"\r\n', COMMA],
    ['everything at once, no final newline', '\n"h1","h""2",h3\n\n"a,b","c\nd",""\r\n,,\r\n"x""""y",z,"w"\n\n\r\n1,2,\n"tail",é,😀', COMMA],
    ['unclosed quote at the end', 'a,b\n1,2\n3,"open\nstill open', COMMA],
    ['text after closing quote', 'a,b\n"x"y,z\n"q"\r\n', COMMA],
    ['TSV', 'a\tb\n"1\t2"\t3\r\n\t\n4\t"5\n6"\n', TAB],
    ['trailing delimiter at end', 'a,b\n1,', COMMA],
    ['lone CR at end', 'a,b\r\n1,2\r', COMMA],
  ];

  test.each(documents)('%s: every two-piece split gives the same records and lines as one call', (_name, text, delimiter) => {
    const buf = Buffer.from(text, 'utf8');
    const whole = tokenizeAll(buf, delimiter).records;
    expect(whole.length).toBeGreaterThan(1);
    for (let cut = 0; cut <= buf.length; cut++) {
      const split = tokenizeSplit(buf, cut, delimiter);
      // Compare with a message that names the cut, so a failure shows where it broke.
      expect({ cut, records: split.records }).toEqual({ cut, records: whole });
      expect(split.firstCall).toBeLessThanOrEqual(cut);
      // The first call emits only whole records: exactly the records that end by the offset it returned.
      expect({ cut, emitted: split.records.slice(0, split.firstRecords) }).toEqual({ cut, emitted: whole.slice(0, split.firstRecords) });
    }
  });

  test('the offset returned for an incomplete tail is where that record starts', () => {
    const buf = Buffer.from('a,b\n1,2\n3,4');
    const sink = collector();
    const offset = new DelimitedTokenizer(COMMA).tokenize(buf, 0, buf.length, false, sink);
    expect(offset).toBe('a,b\n1,2\n'.length);
    expect(texts(sink.records)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  test('a piece ending just after a CR, or just after a delimiter, waits for more', () => {
    for (const text of ['a,b\r', 'a,b,', '"a"', '"a""']) {
      const buf = Buffer.from(text);
      const sink = collector();
      const offset = new DelimitedTokenizer(COMMA).tokenize(buf, 0, buf.length, false, sink);
      expect({ text, offset, n: sink.records.length }).toEqual({ text, offset: 0, n: 0 });
    }
  });

  test('random three-piece splits of a generated file agree with one call', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const pieces = ['a', 'bc', '', ' ', '"q,1"', '"x""y"', '"nl\nnl"', '"cr\r\nlf"', 'é', '7.5'];
    const rows: string[] = [];
    for (let r = 0; r < 200; r++) {
      const fields = Array.from({ length: 1 + rand(5) }, () => pieces[rand(pieces.length)]!);
      rows.push(fields.join(',') + (rand(3) === 0 ? '\r\n' : '\n'));
    }
    const buf = Buffer.from(rows.join(''));
    const whole = tokenizeAll(buf).records;
    expect(whole.length).toBeGreaterThan(150);
    const expected = JSON.stringify(whole);
    for (let trial = 0; trial < 300; trial++) {
      const a = rand(buf.length + 1);
      const b = a + rand(buf.length + 1 - a);
      const tokenizer = new DelimitedTokenizer(COMMA);
      const sink = collector();
      let pending = Buffer.from(buf.subarray(0, a));
      let off = tokenizer.tokenize(pending, 0, pending.length, false, sink);
      pending = Buffer.concat([pending.subarray(off), buf.subarray(a, b)]);
      off = tokenizer.tokenize(pending, 0, pending.length, false, sink);
      pending = Buffer.concat([pending.subarray(off), buf.subarray(b)]);
      tokenizer.tokenize(pending, 0, pending.length, true, sink);
      const got = JSON.stringify(sink.records);
      if (got !== expected) expect({ a, b, records: sink.records }).toEqual({ a, b, records: whole });
    }
  });
});

describe('maxRecords', () => {
  test('stops after that many records and returns where the next begins', () => {
    const text = 'h1,h2\n\n1,2\n3,4\n';
    const buf = Buffer.from(text);
    const tokenizer = new DelimitedTokenizer(COMMA);
    const sink = collector();
    const offset = tokenizer.tokenize(buf, 0, buf.length, false, sink, 1);
    expect(texts(sink.records)).toEqual([['h1', 'h2']]);
    expect(offset).toBe('h1,h2\n'.length);
    // Continuing from there gives the rest, with line numbers that carry on (line 2 is blank).
    const end = tokenizer.tokenize(buf, offset, buf.length, true, sink, 2);
    expect(texts(sink.records)).toEqual([
      ['h1', 'h2'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(lines(sink.records)).toEqual([1, 3, 4]);
    expect(end).toBe(buf.length);
  });

  test('blank lines do not count towards maxRecords', () => {
    const buf = Buffer.from('\n\n\na\nb\n');
    const sink = collector();
    const offset = new DelimitedTokenizer(COMMA).tokenize(buf, 0, buf.length, true, sink, 1);
    expect(texts(sink.records)).toEqual([['a']]);
    expect(sink.records[0]!.line).toBe(4);
    expect(offset).toBe('\n\n\na\n'.length);
  });

  test('maxRecords = 0 reads nothing', () => {
    const buf = Buffer.from('a\nb\n');
    const sink = collector();
    expect(new DelimitedTokenizer(COMMA).tokenize(buf, 0, buf.length, true, sink, 0)).toBe(0);
    expect(sink.records).toHaveLength(0);
  });
});

/**
 * countRecords must cut where tokenize cuts and count what tokenize emits, or rows and lines drift:
 * at every split of `text` into a first piece and the rest (as the final piece).
 */
function expectCountsAsTokenize(text: string): void {
  const buf = Buffer.from(text, 'utf8');
  for (let cut = 0; cut <= buf.length; cut++) {
    const reference = new DelimitedTokenizer(COMMA);
    const counter = new DelimitedTokenizer(COMMA);
    const sink = collector();
    const piece = Buffer.from(buf.subarray(0, cut));
    const offset = reference.tokenize(piece, 0, piece.length, false, sink);
    const counted = counter.countRecords(piece, 0, piece.length, false);
    expect({ text, cut, offset: counted, records: counter.counted, line: counter.line }).toEqual({
      text,
      cut,
      offset,
      records: sink.records.length,
      line: reference.line,
    });
    const rest = Buffer.concat([piece.subarray(offset), buf.subarray(cut)]);
    const before = sink.records.length;
    reference.tokenize(rest, 0, rest.length, true, sink);
    const end = counter.countRecords(rest, 0, rest.length, true);
    expect({ text, cut, end, records: counter.counted, line: counter.line }).toEqual({
      text,
      cut,
      end: rest.length,
      records: sink.records.length - before,
      line: reference.line,
    });
  }
}

describe('countRecords (the block splitter of parallel reading)', () => {
  const documents = [
    'id,name,score\n1,alice,3.5\n2,bob,4\n3,carol,\n',
    'id,name\r\n1,"Smith, J"\r\n2,"say ""hi"""\r\n3,"two\r\nlines"\r\n',
    '\n"h1","h""2",h3\n\n"a,b","c\nd",""\r\n,,\r\n"x""""y",z,"w"\n\n\r\n1,2,\n"tail",é,😀',
    'a,b\n1,2\n3,"open\nstill open',
    'a,b\n"x"y,z\n"q"\r\n',
    'a,b\n1,',
    'a,b\r\n1,2\r',
    '\r\n\r\n\n',
    'x\n\r\n""\n"a"b\n',
    // No quote at all, or quotes only after some plain lines: those lines are counted by line feeds.
    'a,b\n1,2\n\n3,4\r\n\r\n5,6',
    'a,b\n1,2\n3,4\n\r',
    'a;b\n\n\n,\n1\r\r\n2\n',
    'a,b\n1,2\n\r\n3,"x\ny"\n4,5\n"6",7',
    'a,b\n1,2\n3,4"5\n6,7\n',
  ];

  test.each(documents.map((d) => [JSON.stringify(d).slice(0, 40), d]))(
    '%s: same cut, count and lines as tokenize at every split',
    (_name, text) => expectCountsAsTokenize(text),
  );
});

describe('countRecords on random documents', () => {
  test('same cut, count and lines as tokenize, for 400 documents of quotes, delimiters, CRs and line feeds, at every split', () => {
    let seed = 12345;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const alphabet = ['a', 'b', ',', ',', '"', '"', '\n', '\n', '\r', 'é', '1'];
    for (let d = 0; d < 400; d++) {
      const length = 1 + Math.floor(next() * 40);
      const text = Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]!).join('');
      expectCountsAsTokenize(text);
    }
  });
});

describe('unterminated quotes', () => {
  /** The unterminated field and the location of its opening quote, tokenizing `text` in chunks of `size` bytes. */
  function unterminated(text: string, size: number): Array<{ field: number; at: QuoteLocation }> {
    const found: Array<{ field: number; at: QuoteLocation }> = [];
    const sink: RecordSink = {
      record(buf, starts, ends, flags, count, line) {
        const field = unterminatedField(flags, count);
        if (field >= 0) {
          expect(flags[field]! & FIELD_MALFORMED).toBe(FIELD_MALFORMED);
          found.push({ field, at: openingQuote(buf, starts, flags, field, line) });
        }
      },
    };
    const tokenizer = new DelimitedTokenizer(COMMA);
    const bytes = Buffer.from(text);
    let pending = Buffer.alloc(0);
    for (let i = 0; i < bytes.length; i += size) {
      const buf = Buffer.concat([pending, bytes.subarray(i, i + size)]);
      pending = buf.subarray(tokenizer.tokenize(buf, 0, buf.length, false, sink));
    }
    tokenizer.tokenize(pending, 0, pending.length, true, sink);
    return found;
  }

  test.each([1, 3, 1000])('the opening quote is found by line and character column (chunks of %i bytes)', (size) => {
    expect(unterminated('a,b\n1,"x\n2,y\n', size)).toEqual([{ field: 1, at: { line: 2, column: 3 } }]);
    expect(unterminated('"a\nb",ü,"open\nrest', size)).toEqual([{ field: 2, at: { line: 2, column: 6 } }]);
    expect(unterminated('"open', size)).toEqual([{ field: 0, at: { line: 1, column: 1 } }]);
    expect(unterminated('a,"b"\n1,"x""y"\n', size)).toEqual([]);
  });

  test('text after a closing quote is malformed but not unterminated', () => {
    expect(unterminated('a,b\n1,"x"y\n', 1000)).toEqual([]);
  });
});
