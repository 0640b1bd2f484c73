/**
 * The WebAssembly build of delimited reading's faster path (records.wat), as a reader thread holds
 * it: the module's exports, and views of its memory where a record sink's batch lives (field
 * offsets, flags, kinds, numbers and lines) and where the bytes being read are copied. A thread
 * has one, shared by its sinks in turn: a sink takes it (the one before it reads what it holds
 * first) before it holds records in it.
 */
import { FIELD_QUOTED } from '../data/delimited.js';
import { Kind, POW10 } from '../data/values.js';
import type { ValueClassifier } from '../data/values.js';
import { WasmModule } from '../wasm.js';
import { WASM_BYTES } from './records-wasm.js';

/** A held-back field whose kind is not known yet (the classifier reads it). */
export const UNREAD = 255;

/** What `scan` returns (records.wat) that its caller tells apart: 0 (the end of the input) and 1 (an incomplete record) both stop it where `stopPos` says. */
export const SCAN_HARD = 2;
export const SCAN_FULL = 3;

interface Global {
  value: number;
}

interface RecordsExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  setCodes(integer: number, number: number, unread: number, quoted: number): void;
  scan(pos: number, end: number, final: number, width: number, held: number, capacity: number, delimiter: number, line: number): number;
  stopPos: Global;
  stopHeld: Global;
  stopLine: Global;
  mayBeNullOffset: Global;
  pow10Offset: Global;
  linesOffset: Global;
  valuesOffset: Global;
  startsOffset: Global;
  endsOffset: Global;
  flagsOffset: Global;
  kindsOffset: Global;
  inputOffset: Global;
  fieldsCapacity: Global;
  linesCapacity: Global;
}

/** Something that holds records in the shared memory and can read them out before another takes it. */
export interface WasmRecordsUser {
  flush(): void;
}

const PAGE = 65536;

export class WasmRecords {
  readonly exports: RecordsExports;
  /** Fields and lines a batch may hold at most. */
  readonly fieldsCapacity: number;
  readonly linesCapacity: number;
  starts!: Int32Array;
  ends!: Int32Array;
  flags!: Uint8Array;
  kinds!: Uint8Array;
  values!: Float64Array;
  lines!: Float64Array;
  private nullTable!: Uint8Array;
  /** The sink whose records the memory holds, if any. */
  private user: WasmRecordsUser | null = null;

  constructor(exports: RecordsExports) {
    this.exports = exports;
    this.fieldsCapacity = exports.fieldsCapacity.value;
    this.linesCapacity = exports.linesCapacity.value;
    exports.setCodes(Kind.Integer, Kind.Number, UNREAD, FIELD_QUOTED);
    this.bind();
    new Float64Array(exports.memory.buffer, exports.pow10Offset.value, POW10.length).set(POW10);
  }

  /** Makes `user` the one whose records the memory holds: the one before reads out what it holds. */
  take(user: WasmRecordsUser): void {
    if (this.user === user) return;
    const before = this.user;
    this.user = user;
    before?.flush();
  }

  /**
   * Copies buf[start, end) to the input (growing the memory when it is short, which makes new
   * views: take them again), with the classifier's null tokens' first bytes. Returns the input.
   */
  load(buf: Uint8Array, start: number, end: number, classifier: ValueClassifier): Buffer {
    const e = this.exports;
    const length = end - start;
    // One more byte: the line feed after the input that records.wat's loops stop at.
    const needed = e.inputOffset.value + length + 1;
    const have = e.memory.buffer.byteLength;
    if (needed > have) {
      e.memory.grow(Math.ceil((Math.max(needed, have + (have >>> 1)) - have) / PAGE));
      this.bind();
    }
    this.nullTable.set(classifier.nullFirstByteTable);
    const input = Buffer.from(e.memory.buffer, e.inputOffset.value, length + 1);
    input.set(buf.subarray(start, end));
    input[length] = 10;
    return input.subarray(0, length);
  }

  private bind(): void {
    const e = this.exports;
    const buffer = e.memory.buffer;
    const fields = this.fieldsCapacity;
    this.starts = new Int32Array(buffer, e.startsOffset.value, fields);
    this.ends = new Int32Array(buffer, e.endsOffset.value, fields);
    this.flags = new Uint8Array(buffer, e.flagsOffset.value, fields);
    this.kinds = new Uint8Array(buffer, e.kindsOffset.value, fields);
    this.values = new Float64Array(buffer, e.valuesOffset.value, fields);
    this.lines = new Float64Array(buffer, e.linesOffset.value, this.linesCapacity);
    this.nullTable = new Uint8Array(buffer, e.mayBeNullOffset.value, 256);
  }
}

const recordsModule = new WasmModule(WASM_BYTES, (exports) => new WasmRecords(exports as RecordsExports));

/** This thread's WebAssembly record reader, or null when its module cannot be instantiated (or `useWasmRecords(false)` turned it off). */
export function wasmRecords(): WasmRecords | null {
  return recordsModule.get();
}

/**
 * Whether record sinks made from now on read the usual records in WebAssembly; `false` makes them
 * use the JavaScript path (the tests and benchmarks compare the two). Returns whether it is in use.
 */
export function useWasmRecords(on: boolean): boolean {
  return recordsModule.use(on);
}
