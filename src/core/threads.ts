/**
 * Helper threads. They run the bundle itself: its entry registers the bundle's file here, and a
 * thread started with a role (workerData.role) runs that role's loop instead of the program
 * (see entry.ts): data readers (validate/parallel.ts), bootstrap resamplers
 * (evaluate/bootstrap-threads.ts) and gbdt histogram counters (model/kinds/gbdt/threads.ts). Code loaded without the bundle (tests of the sources) has no
 * script registered and does the same work on one thread.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { UserError } from './errors.js';

export const READER_ROLE = 'mlops-data-reader';
export const BOOTSTRAP_ROLE = 'mlops-bootstrap';
export const GBDT_ROLE = 'mlops-gbdt-histograms';

let script: URL | null = null;

/** Entries register their own file, so that helper threads can run it. */
export function setThreadScript(url: string | URL): void {
  script = new URL(url);
}

/** The script helper threads run; null when none is registered (then work stays on this thread). */
export function threadScript(): URL | null {
  return script;
}

/** This thread's role when it is a helper thread; null on the main thread and in threads of others. */
export function threadRole(): string | null {
  if (isMainThread) return null;
  const role = (workerData as { role?: unknown } | null)?.role;
  return role === READER_ROLE || role === BOOTSTRAP_ROLE || role === GBDT_ROLE ? role : null;
}

/** A whole number >= 0 from the environment variable `name`; undefined when unset or empty. */
export function envCount(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new UserError(`environment variable ${name}: "${text}" is not a whole number >= 0`);
  return value;
}
