/**
 * Histograms on several threads. Filling a node's histogram is most of a fit's time (boost.ts).
 * Helper threads (running the bundle, see core/threads.ts) share the work by columns: for each
 * row, this thread counts the first of its histogram slots (Binned.slots) and each helper a later
 * range. Every bin is counted by one thread, with the same additions in the same row order as on
 * one thread, so the sums, the trees and the exported graph are the same bytes however many
 * threads there are (the tests compare them).
 *
 * Hand-off: each helper waits on its own control words (Atomics.wait, no event loop); this thread
 * writes the job (histogram, row range, the output's gradients), bumps the sequence number and
 * wakes the helper, counts its own part, then waits for the helper's "done" with the same
 * number. The fit waits for its helpers to start (a fraction of a second; one that takes over
 * 3 s is left out of the fills until it has started); a small fit starts none, and a small node
 * is counted here alone, since waking a thread costs more than it saves. A helper that fails says so in its control words, and the fit
 * stops with an error (its part of the histogram may be half counted).
 */
import { availableParallelism } from 'node:os';
import { Worker, workerData } from 'node:worker_threads';
import { GBDT_ROLE, envCount, threadScript } from '../../../threads.js';
import { countSlots } from './boost.js';
import type { FillHelperPool, FillShared, StartHelpers } from './boost.js';

/** Slot updates (rows x slots) from which a fill is shared with the helpers. */
const SHARED_MIN_UPDATES = 40_000;
/** At most this many threads count histograms. */
const MOST_THREADS = 4;
/** How long the fit waits for its helpers to start (one that starts later joins when it has). */
const READY_TIMEOUT_MS = 3000;
/** Rows x slots per row from which a fit starts helper threads (smaller fits take less time than starting them); MLOPS_GBDT_MIN_SLOTS overrides it. */
export const THREADED_MIN_SLOTS = 1_000_000;
/** How long this thread waits for a helper's part before giving up on the fit (a helper that stopped answering). */
const HELPER_TIMEOUT_MS = 120_000;

// Control words of one helper.
const READY = 0; // 1 once the helper waits for jobs
const SEQUENCE = 1; // the job's number; -1: stop
const DONE = 2; // the number of the last job done; -2: the helper failed
const HISTOGRAM = 3; // which histogram (index into FillShared.histograms)
const START = 4;
const END = 5;
const OUTPUT = 6; // offset of the output's gradients and hessians in grad and hess
const FROM = 7; // the helper's slots: FROM .. TO - 1
const TO = 8;
const WORDS = 9;

interface HelperData {
  role: typeof GBDT_ROLE;
  shared: FillShared;
  control: Int32Array;
}

/** Threads for histograms: MLOPS_GBDT_THREADS when set (1: this one only), else one per core (at most 4). */
export function histogramThreads(): number {
  return Math.max(1, envCount('MLOPS_GBDT_THREADS') ?? Math.min(availableParallelism(), MOST_THREADS));
}

/** StartHelpers for boost: helper threads running the registered thread script; null where there is none or one thread is asked for. */
export function helperStarter(threads = histogramThreads()): StartHelpers | null {
  const script = threadScript();
  if (script === null || threads <= 1) return null;
  const minSlots = envCount('MLOPS_GBDT_MIN_SLOTS') ?? THREADED_MIN_SLOTS;
  return (shared) => (shared.rows.length * shared.perRow < minSlots ? null : new Helpers(script, shared, threads - 1));
}

class Helpers implements FillHelperPool {
  private readonly workers: Worker[] = [];
  private readonly controls: Int32Array[] = [];
  /** The helpers given a part of the current fill. */
  private busy: Int32Array[] = [];
  private sequence = 0;
  sharedFills = 0;

  constructor(
    script: URL,
    private readonly shared: FillShared,
    helpers: number,
  ) {
    for (let i = 0; i < helpers; i++) {
      const control = new Int32Array(new SharedArrayBuffer(WORDS * 4));
      const worker = new Worker(script, { workerData: { role: GBDT_ROLE, shared, control } satisfies HelperData });
      // A helper that fails before it is ready is never used; one that fails later says so in DONE.
      worker.on('error', () => undefined);
      worker.unref();
      this.workers.push(worker);
      this.controls.push(control);
    }
    // Start together: a helper takes a fraction of a second to start, and a fit worth threads takes longer.
    const started = performance.now();
    for (const control of this.controls) {
      const left = READY_TIMEOUT_MS - (performance.now() - started);
      if (left > 0 && Atomics.load(control, READY) === 0) Atomics.wait(control, READY, 0, left);
    }
  }

  get threads(): number {
    return 1 + this.workers.length;
  }

  share(hist: Float64Array, start: number, end: number, g: Float64Array, h: Float64Array): number {
    const { perRow, histSize, histograms } = this.shared;
    const ready = this.controls.filter((control) => Atomics.load(control, READY) === 1);
    if (ready.length === 0 || (end - start) * perRow < SHARED_MIN_UPDATES || perRow < 2) return perRow;
    const parts = Math.min(ready.length + 1, perRow);
    const index = (hist.byteOffset - histograms.byteOffset) / 8 / histSize;
    const output = g.byteOffset / 8;
    if (h.byteOffset / 8 !== output) throw new Error('gbdt: gradients and hessians of an output must sit at the same offset');
    this.sequence++;
    this.busy = ready.slice(0, parts - 1);
    this.busy.forEach((control, i) => {
      control[HISTOGRAM] = index;
      control[START] = start;
      control[END] = end;
      control[OUTPUT] = output;
      control[FROM] = Math.floor(((i + 1) * perRow) / parts);
      control[TO] = Math.floor(((i + 2) * perRow) / parts);
      Atomics.store(control, SEQUENCE, this.sequence);
      Atomics.notify(control, SEQUENCE);
    });
    this.sharedFills++;
    return Math.floor(perRow / parts);
  }

  wait(): void {
    for (const control of this.busy) {
      const started = performance.now();
      for (;;) {
        const done = Atomics.load(control, DONE);
        if (done === this.sequence) break;
        if (done === -2) throw new Error('gbdt: a histogram helper thread failed');
        if (performance.now() - started > HELPER_TIMEOUT_MS) throw new Error('gbdt: a histogram helper thread stopped answering');
        Atomics.wait(control, DONE, done, 1000);
      }
    }
    this.busy = [];
  }

  stop(): void {
    for (const control of this.controls) {
      Atomics.store(control, SEQUENCE, -1);
      Atomics.notify(control, SEQUENCE);
    }
    for (const worker of this.workers) void worker.terminate();
  }
}

/** A helper thread's loop (entry.ts starts it in a thread with the gbdt role). */
export function runHistogramThread(): void {
  const { shared, control } = workerData as HelperData;
  const { histograms, histSize, slots, perRow, rows, grad, hess } = shared;
  const length = rows.length;
  let seen = 0;
  Atomics.store(control, READY, 1);
  Atomics.notify(control, READY);
  for (;;) {
    Atomics.wait(control, SEQUENCE, seen);
    const sequence = Atomics.load(control, SEQUENCE);
    if (sequence < 0) return;
    if (sequence === seen) continue;
    seen = sequence;
    try {
      const index = control[HISTOGRAM]!;
      const output = control[OUTPUT]!;
      countSlots(
        histograms.subarray(index * histSize, (index + 1) * histSize),
        slots,
        perRow,
        rows,
        control[START]!,
        control[END]!,
        grad.subarray(output, output + length),
        hess.subarray(output, output + length),
        control[FROM]!,
        control[TO]!,
      );
      Atomics.store(control, DONE, sequence);
    } catch {
      Atomics.store(control, DONE, -2);
    }
    Atomics.notify(control, DONE);
  }
}
