/**
 * The bootstrap on several threads: this thread and helper threads (running the bundle, see
 * threads.ts) take batches of 4 resamples from one shared counter until none is left, and write
 * each resample's values into shared memory at its own place. A batch draws from random streams
 * of its own (Resampler.fill), so the intervals are the same numbers whichever thread drew which
 * batch, and however many threads there were: threads change the time, never the result.
 *
 * This thread starts on the first batch at once; a helper joins when it has started (a fraction
 * of a second), so nothing waits for it, and when this thread finds no batch left it waits only
 * for the batches helpers are still drawing. Small bootstraps stay on this thread: below
 * {@link THREADED_MIN_WORK} starting a thread costs more than it saves.
 */
import { availableParallelism } from 'node:os';
import { Worker, workerData } from 'node:worker_threads';
import { BOOTSTRAP_ROLE, envCount, threadScript } from '../threads.js';
import { batchCount, resampleBatches, resampleHere, startBootstrap } from './bootstrap.js';
import type { BootstrapOptions, BootstrapResult, ResamplePlan, ResampleValues } from './bootstrap.js';
import type { Scored } from './score.js';

/** Rows × resamples (twice that when paired) from which the resamples are shared between threads. */
export const THREADED_MIN_WORK = 20_000_000;

/** At most this many threads resample (more would mostly wait on memory). */
const MOST_THREADS = 4;

/** What a helper thread gets: the plan (copied), and the values and counters (shared). */
interface HelperJob {
  role: typeof BOOTSTRAP_ROLE;
  plan: ResamplePlan;
  values: ResampleValues;
  /** [next batch to claim, batches finished, batches finished by helpers]. */
  counters: Int32Array;
  batches: number;
}

export interface ThreadedBootstrap {
  result: BootstrapResult;
  /** Threads started to resample, this one included. */
  threads: number;
  /** Batches of 4 resamples in all, and how many of them helper threads drew. */
  batches: number;
  helperBatches: number;
}

export interface ThreadOptions {
  /** Threads to resample on, this one included: default MLOPS_BOOTSTRAP_THREADS, else one per core (at most 4). */
  threads?: number;
  /** Work (rows × resamples, doubled when paired) from which helpers are started: default MLOPS_BOOTSTRAP_MIN_WORK, else THREADED_MIN_WORK. */
  minWork?: number;
}

/** Atomics.waitAsync (Node 16 and later; in TypeScript's lib from ES2024). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number): { async: false } | { async: true; value: Promise<unknown> };
  }
).waitAsync;

function threadCount(options: ThreadOptions): number {
  const wanted = options.threads ?? envCount('MLOPS_BOOTSTRAP_THREADS') ?? Math.min(availableParallelism(), MOST_THREADS);
  return Math.max(1, wanted);
}

/** Claims the next batch from the shared counter: its number, or -1 when every batch is taken. */
function claimer(counters: Int32Array, batches: number): () => number {
  return () => {
    const batch = Atomics.add(counters, 0, 1);
    return batch < batches ? batch : -1;
  };
}

function finisher(counters: Int32Array, helper: boolean): () => void {
  return () => {
    if (helper) Atomics.add(counters, 2, 1);
    Atomics.add(counters, 1, 1);
    Atomics.notify(counters, 1);
  };
}

/**
 * bootstrapMetrics (same arguments, same result) with the resamples shared between this thread
 * and helper threads, when a thread script is registered and the work is large enough.
 */
export async function bootstrapOnThreads(
  candidate: Scored,
  baseline: Scored | string | null,
  options: BootstrapOptions = {},
  threadOptions: ThreadOptions = {},
): Promise<ThreadedBootstrap> {
  const script = threadScript();
  const shared = (length: number): Float64Array => new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8), 0, length);
  const threads = threadCount(threadOptions);
  const minWork = threadOptions.minWork ?? envCount('MLOPS_BOOTSTRAP_MIN_WORK') ?? THREADED_MIN_WORK;
  const run = startBootstrap(candidate, baseline, options, script && threads > 1 ? shared : undefined);
  const { plan, values } = run;
  const batches = batchCount(plan.resamples);
  const work = plan.mine.n * plan.resamples * (plan.theirs ? 2 : 1);
  if (script === null || threads <= 1 || work < minWork || batches < 2)
    return { result: resampleHere(run), threads: 1, batches, helperBatches: 0 };

  const counters = new Int32Array(new SharedArrayBuffer(12));
  const job: HelperJob = { role: BOOTSTRAP_ROLE, plan, values, counters, batches };
  let failure: Error | null = null;
  let wakeOnFailure: (() => void) | null = null;
  const helpers = Array.from({ length: Math.min(threads, batches) - 1 }, () => {
    const worker = new Worker(script, { workerData: job });
    worker.on('error', (error) => {
      failure ??= new Error(`a bootstrap thread failed: ${error.message}`);
      wakeOnFailure?.();
    });
    return worker;
  });
  try {
    resampleBatches(plan, values, claimer(counters, batches), finisher(counters, false));
    // Batches the helpers are still drawing.
    for (;;) {
      const finished = Atomics.load(counters, 1);
      if (finished >= batches) break;
      if (failure) throw failure;
      const wait = waitAsync(counters, 1, finished);
      if (wait.async) {
        await Promise.race([wait.value, new Promise<void>((resolve) => (wakeOnFailure = resolve))]);
        wakeOnFailure = null;
      }
    }
  } finally {
    await Promise.all(helpers.map((worker) => worker.terminate()));
  }
  return { result: run.result(), threads: 1 + helpers.length, batches, helperBatches: Atomics.load(counters, 2) };
}

/** A helper thread's loop (entry.ts starts it in a thread with the bootstrap role). */
export function runBootstrapThread(): void {
  const { plan, values, counters, batches } = workerData as HelperJob;
  resampleBatches(plan, values, claimer(counters, batches), finisher(counters, true));
}
