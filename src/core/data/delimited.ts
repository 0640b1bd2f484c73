/**
 * A byte-level tokenizer for delimited text (CSV per RFC 4180, and TSV): quoted
 * fields with embedded delimiters, doubled quotes and newlines, LF or CRLF line
 * ends. Fields are handed to the sink as byte offsets, so no string is made for a
 * field nobody reads. Input arrives in chunks; a record cut by a chunk's end is
 * left for the next call.
 */

/** Field flags. */
export const FIELD_QUOTED = 1;
/** The quoted field holds doubled quotes ("") that decode to one quote. */
export const FIELD_ESCAPED_QUOTES = 2;
/** Text after a closing quote, or a quote never closed: the record is malformed. */
export const FIELD_MALFORMED = 4;
/** With FIELD_MALFORMED: the field's opening quote is never closed, so it runs to the end of the input. */
export const FIELD_UNTERMINATED = 8;

export interface RecordSink {
  /**
   * One record: field i spans bytes [starts[i], ends[i]) of buf, with flags[i].
   * `line` is the 1-based line of the file where the record starts.
   */
  record(buf: Buffer, starts: Int32Array, ends: Int32Array, flags: Uint8Array, count: number, line: number): void;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class DelimitedTokenizer {
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private flags = new Uint8Array(64);
  /** 1-based line number of the next record. */
  line = 1;

  constructor(readonly delimiter: number) {}

  /**
   * Tokenizes complete records in buf[start, end) and returns the offset where the
   * first incomplete record begins (end when all were complete). With `final`, the
   * last record may end without a newline and an unclosed quote ends at `end`.
   * With `maxRecords`, it stops after that many records and returns where the next begins.
   */
  tokenize(buf: Buffer, start: number, end: number, final: boolean, sink: RecordSink, maxRecords = Infinity): number {
    const delimiter = this.delimiter;
    let pos = start;
    let emitted = 0;
    while (pos < end && emitted < maxRecords) {
      const recordStart = pos;
      const recordLine = this.line;
      let newlines = 0;
      let count = 0;
      let complete = false;
      // One record.
      for (;;) {
        if (count === this.starts.length) this.grow();
        let flag = 0;
        let fieldStart = pos;
        let fieldEnd: number;
        if (pos < end && buf[pos] === QUOTE) {
          // Quoted field: scan for the closing quote; "" is an escaped quote.
          flag = FIELD_QUOTED;
          fieldStart = pos + 1;
          let i = fieldStart;
          let closed = false;
          for (;;) {
            const q = indexOfByte(buf, QUOTE, i, end);
            if (q < 0) break;
            if (q + 1 < end && buf[q + 1] === QUOTE) {
              flag |= FIELD_ESCAPED_QUOTES;
              i = q + 2;
              continue;
            }
            if (q + 1 >= end && !final) break; // may be the first of an escaped pair: wait for more
            fieldEnd = q;
            closed = true;
            pos = q + 1;
            break;
          }
          if (!closed) {
            if (!final) return recordStart; // the quote may close in the next chunk
            flag |= FIELD_MALFORMED | FIELD_UNTERMINATED;
            fieldEnd = end;
            pos = end;
          }
          newlines += countByte(buf, LF, fieldStart, fieldEnd!);
          // After the closing quote: delimiter, line end, or end of input; anything else is malformed.
          if (pos < end && buf[pos] !== delimiter && buf[pos] !== LF && !(buf[pos] === CR && (pos + 1 >= end || buf[pos + 1] === LF))) {
            flag |= FIELD_MALFORMED;
            while (pos < end && buf[pos] !== delimiter && buf[pos] !== LF) pos++;
          }
        } else {
          let i = pos;
          while (i < end) {
            const c = buf[i]!;
            if (c === delimiter || c === LF) break;
            i++;
          }
          fieldEnd = i;
          pos = i;
        }
        this.starts[count] = fieldStart;
        this.ends[count] = fieldEnd!;
        this.flags[count] = flag;
        count++;
        if (pos >= end) {
          if (!final) return recordStart;
          // Drop a CR before the end of input.
          if (!(flag & FIELD_QUOTED) && fieldEnd! > fieldStart && buf[fieldEnd! - 1] === CR) this.ends[count - 1] = fieldEnd! - 1;
          complete = true;
          break;
        }
        const c = buf[pos]!;
        if (c === delimiter) {
          pos++;
          if (pos >= end && !final) return recordStart;
          if (pos >= end) {
            // A trailing delimiter at the very end: one more empty field.
            if (count === this.starts.length) this.grow();
            this.starts[count] = pos;
            this.ends[count] = pos;
            this.flags[count] = 0;
            count++;
            complete = true;
            break;
          }
          continue;
        }
        if (c === CR) {
          // CR LF ends the record; the CR is not part of the field.
          if (pos + 1 >= end && !final) return recordStart;
          pos++;
          if (pos >= end) {
            complete = true;
            break;
          }
        }
        if (buf[pos] === LF) {
          // Unquoted field before LF may end in CR (CRLF).
          if (!(flag & FIELD_QUOTED) && fieldEnd! > fieldStart && buf[fieldEnd! - 1] === CR) this.ends[count - 1] = fieldEnd! - 1;
          pos++;
          newlines++;
          complete = true;
          break;
        }
      }
      if (complete) {
        this.line += newlines;
        // A blank line (one empty unquoted field) is not a record.
        if (!(count === 1 && this.starts[0] === this.ends[0] && this.flags[0] === 0)) {
          sink.record(buf, this.starts, this.ends, this.flags, count, recordLine);
          emitted++;
        }
      }
    }
    return pos;
  }

  /** Records counted by the last `countRecords` call. */
  counted = 0;

  /**
   * Finds whole records without handing out fields: the same rules as `tokenize`
   * (quotes open only at a field's start, blank lines are not records), for the
   * thread that only splits input into blocks of records. Counts them into
   * `counted`, advances `line`, and returns where the first incomplete record begins.
   */
  countRecords(buf: Buffer, start: number, end: number, final: boolean): number {
    const delimiter = this.delimiter;
    let pos = start;
    let records = 0;
    // Lines before the first quote hold no quoted field, so each ends its record at its line
    // feed: they are counted by line feeds alone (the usual case: a block with no quote at all).
    const quote = indexOfByte(buf, QUOTE, start, end);
    const plainEnd = quote < 0 ? end : buf.lastIndexOf(LF, quote) + 1;
    if (plainEnd > start) {
      let lines = 0;
      for (let nl = indexOfByte(buf, LF, pos, plainEnd); nl >= 0; nl = indexOfByte(buf, LF, pos, plainEnd)) {
        // A blank line (nothing, or a lone CR) is not a record.
        if (nl > pos && !(nl === pos + 1 && buf[pos] === CR)) records++;
        lines++;
        pos = nl + 1;
      }
      this.line += lines;
      if (quote < 0 && pos < end) {
        // The rest has no line feed: a record only when the input ends here.
        if (!final) return this.endCount(pos, records);
        if (!(end - pos === 1 && buf[pos] === CR)) records++;
        return this.endCount(end, records);
      }
    }
    // Past the first quote, each record is found by searching for its line feed and for quotes
    // (native searches, not a loop over every byte): a quote opens a quoted field only at a field's
    // start, and the record ends at the first line feed outside a quoted field.
    let nextQuote = quote;
    while (pos < end) {
      const recordStart = pos;
      let newlines = 0;
      let scan = pos;
      for (;;) {
        if (nextQuote >= 0 && nextQuote < scan) nextQuote = indexOfByte(buf, QUOTE, scan, end);
        const nl = indexOfByte(buf, LF, scan, end);
        if (nextQuote < 0 || (nl >= 0 && nl < nextQuote)) {
          // No quote before the line feed (or the end of the input): the record ends there.
          const recordEnd = nl >= 0 ? nl : end;
          if (nl < 0 && !final) return this.endCount(recordStart, records);
          const length = recordEnd - recordStart;
          // A blank line (nothing, or a lone CR) is not a record.
          if (!(length === 0 || (length === 1 && buf[recordStart] === CR))) records++;
          if (nl >= 0) newlines++;
          this.line += newlines;
          pos = nl >= 0 ? nl + 1 : end;
          break;
        }
        const q = nextQuote;
        if (q > recordStart && buf[q - 1] !== delimiter) {
          // A quote inside an unquoted field is text.
          scan = q + 1;
          continue;
        }
        // An opening quote: find the closing one ("" is an escaped quote).
        let i = q + 1;
        let close = -1;
        for (;;) {
          const c = indexOfByte(buf, QUOTE, i, end);
          if (c < 0) break;
          if (c + 1 < end && buf[c + 1] === QUOTE) {
            i = c + 2;
            continue;
          }
          if (c + 1 >= end && !final) break; // may be the first of an escaped pair: wait for more
          close = c;
          break;
        }
        if (close < 0) {
          if (!final) return this.endCount(recordStart, records);
          // Never closed: the field, and the record, run to the end of the input.
          newlines += countByte(buf, LF, q + 1, end);
          records++;
          this.line += newlines;
          pos = end;
          break;
        }
        newlines += countByte(buf, LF, q + 1, close);
        scan = close + 1;
      }
    }
    return this.endCount(pos, records);
  }

  private endCount(offset: number, records: number): number {
    this.counted = records;
    return offset;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    starts.set(this.starts);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
  }
}

function indexOfByte(buf: Uint8Array, byte: number, from: number, to: number): number {
  const i = buf.indexOf(byte, from);
  return i >= 0 && i < to ? i : -1;
}

function countByte(buf: Uint8Array, byte: number, from: number, to: number): number {
  let n = 0;
  let i = buf.indexOf(byte, from);
  while (i >= 0 && i < to) {
    n++;
    i = buf.indexOf(byte, i + 1);
  }
  return n;
}

/** Where a field's opening quote is: 1-based line of the file and column (in characters) of that line. */
export interface QuoteLocation {
  line: number;
  column: number;
}

/**
 * The location of the opening quote of quoted field `field` of a record handed
 * to a sink (`line` is the record's first line).
 */
export function openingQuote(buf: Buffer, starts: Int32Array, flags: Uint8Array, field: number, line: number): QuoteLocation {
  const recordStart = starts[0]! - (flags[0]! & FIELD_QUOTED ? 1 : 0);
  const quote = starts[field]! - 1;
  let lineStart = recordStart;
  for (let i = buf.indexOf(LF, recordStart); i >= 0 && i < quote; i = buf.indexOf(LF, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: buf.toString('utf8', lineStart, quote).length + 1 };
}

/** The first field of a record whose quote is never closed, or -1. */
export function unterminatedField(flags: Uint8Array, count: number): number {
  for (let i = 0; i < count; i++) if (flags[i]! & FIELD_UNTERMINATED) return i;
  return -1;
}

/** Says that the quote at `at` of `file` is never closed. */
export function unterminatedQuoteMessage(file: string, at: QuoteLocation): string {
  return `unterminated quote starting at line ${at.line} (column ${at.column}) of ${file}: everything after it, to the end of the file, was read as one field`;
}

export const UNTERMINATED_QUOTE_HINT =
  'Close the quote: a quoted field ends with a quote, and a quote inside a quoted field is written twice ("").';

/** Decodes a quoted field's text, turning doubled quotes into one. */
export function unescapeQuotes(text: string): string {
  return text.replaceAll('""', '"');
}

/**
 * Feeds a file's chunks through the tokenizer, carrying an unfinished record over to the next
 * chunk and dropping a UTF-8 byte order mark; `afterChunk` runs after each chunk (for progress).
 */
export async function tokenizeChunks(
  chunks: AsyncIterable<Buffer>,
  tokenizer: DelimitedTokenizer,
  sink: RecordSink,
  afterChunk?: () => void,
): Promise<void> {
  let pending: Buffer | null = null;
  let first = true;
  for await (let chunk of chunks) {
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    const buf: Buffer = pending === null ? chunk : Buffer.concat([pending, chunk]);
    const consumed = tokenizer.tokenize(buf, 0, buf.length, false, sink);
    pending = consumed < buf.length ? buf.subarray(consumed) : null;
    afterChunk?.();
  }
  if (pending) tokenizer.tokenize(pending, 0, pending.length, true, sink);
}
