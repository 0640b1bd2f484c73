/**
 * Histograms on two threads. Filling a node's histogram is most of a fit's time (boost.ts); a
 * large node's rows are counted in two halves summed bin by bin, and a helper thread (running
 * the bundle, see core/threads.ts) counts the second half while this thread counts the first.
 * The halves are a rule of the data alone (HALVES_MIN_UPDATES), also on one thread, so the sums,
 * the trees and the exported graph are the same bytes with the helper and without it (the tests
 * compare them).
 *
 * Hand-off: the helper waits on control words in shared memory (Atomics.wait, no event loop);
 * this thread writes the job (which histogram, the row range, the output's gradients), bumps the
 * sequence number and wakes it, counts its own half, then waits for the helper's "done" with the
 * same number. The fit waits for the helper to start (a fraction of a second; one that takes over
 * 3 s is left out until it has). A small fit starts no helper (THREADED_MIN_SLOTS). A helper that
 * fails says so in its control words, and the fit stops with an error.
 */
import { availableParallelism } from 'node:os';
import { Worker, workerData } from 'node:worker_threads';
import { GBDT_ROLE, envCount, threadScript } from '../../../threads.js';
import { countSlots } from './boost.js';
import type { FillHelperPool, FillShared, StartHelpers } from './boost.js';

/** How long the fit waits for its helper to start (one that starts later joins when it has). */
const READY_TIMEOUT_MS = 3000;
/** Rows x slots per row from which a fit starts a helper thread (smaller fits take less time than starting it); MLOPS_GBDT_MIN_SLOTS overrides it. */
export const THREADED_MIN_SLOTS = 1_000_000;
/** How long this thread waits for the helper's half before giving up on the fit (a helper that stopped answering). */
const HELPER_TIMEOUT_MS = 120_000;

// Control words.
const READY = 0; // 1 once the helper waits for jobs
const SEQUENCE = 1; // the job's number; -1: stop
const DONE = 2; // the number of the last job done; -2: the helper failed
const HISTOGRAM = 3; // which histogram (index into FillShared.histograms) to count into
const START = 4;
const END = 5;
const OUTPUT = 6; // offset of the output's gradients and hessians in grad and hess
const WORDS = 7;

interface HelperData {
  role: typeof GBDT_ROLE;
  shared: FillShared;
  control: Int32Array;
}

/** Threads for histograms: MLOPS_GBDT_THREADS when set (1: this one only), else 2 on two cores or more (a node has two halves). */
export function histogramThreads(): number {
  return Math.min(2, Math.max(1, envCount('MLOPS_GBDT_THREADS') ?? availableParallelism()));
}

/** StartHelpers for boost: a helper thread running the registered thread script; null where there is none or one thread is asked for. */
export function helperStarter(threads = histogramThreads()): StartHelpers | null {
  const script = threadScript();
  if (script === null || threads <= 1) return null;
  const minSlots = envCount('MLOPS_GBDT_MIN_SLOTS') ?? THREADED_MIN_SLOTS;
  return (shared) => (shared.rows.length * shared.perRow < minSlots ? null : new Helper(script, shared));
}

class Helper implements FillHelperPool {
  private readonly worker: Worker;
  private readonly control = new Int32Array(new SharedArrayBuffer(WORDS * 4));
  private sequence = 0;
  readonly threads = 2;
  sharedFills = 0;

  constructor(
    script: URL,
    private readonly shared: FillShared,
  ) {
    const control = this.control;
    this.worker = new Worker(script, { workerData: { role: GBDT_ROLE, shared, control } satisfies HelperData });
    // A helper that fails before it is ready is never used; one that fails later says so in DONE.
    this.worker.on('error', () => undefined);
    this.worker.unref();
    // Start together: the helper takes a fraction of a second to start, and a fit worth a thread takes longer.
    if (Atomics.load(control, READY) === 0) Atomics.wait(control, READY, 0, READY_TIMEOUT_MS);
  }

  count(part: Float64Array, start: number, end: number, g: Float64Array, h: Float64Array): boolean {
    const control = this.control;
    if (Atomics.load(control, READY) !== 1) return false;
    const { histograms, histSize } = this.shared;
    const output = g.byteOffset / 8;
    if (h.byteOffset / 8 !== output || g.buffer !== this.shared.grad.buffer || part.buffer !== histograms.buffer) {
      throw new Error('gbdt: a histogram helper can only count into the shared histograms, from the shared gradients');
    }
    control[HISTOGRAM] = (part.byteOffset - histograms.byteOffset) / 8 / histSize;
    control[START] = start;
    control[END] = end;
    control[OUTPUT] = output;
    Atomics.store(control, SEQUENCE, ++this.sequence);
    Atomics.notify(control, SEQUENCE);
    this.sharedFills++;
    return true;
  }

  wait(): void {
    const control = this.control;
    const started = performance.now();
    for (;;) {
      const done = Atomics.load(control, DONE);
      if (done === this.sequence) return;
      if (done === -2) throw new Error('gbdt: the histogram helper thread failed');
      if (performance.now() - started > HELPER_TIMEOUT_MS) throw new Error('gbdt: the histogram helper thread stopped answering');
      Atomics.wait(control, DONE, done, 1000);
    }
  }

  stop(): void {
    Atomics.store(this.control, SEQUENCE, -1);
    Atomics.notify(this.control, SEQUENCE);
    void this.worker.terminate();
  }
}

/** The helper thread's loop (entry.ts starts it in a thread with the gbdt role). */
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
      const part = histograms.subarray(index * histSize, (index + 1) * histSize);
      part.fill(0);
      countSlots(
        part,
        slots,
        perRow,
        rows,
        control[START]!,
        control[END]!,
        grad.subarray(output, output + length),
        hess.subarray(output, output + length),
      );
      Atomics.store(control, DONE, sequence);
    } catch {
      Atomics.store(control, DONE, -2);
    }
    Atomics.notify(control, DONE);
  }
}
