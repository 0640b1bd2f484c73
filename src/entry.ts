import { BOOTSTRAP_ROLE, GBDT_ROLE, READER_ROLE, setThreadScript, threadRole, threadScript } from './core/threads.js';

let threadStarted = false;

/**
 * In a helper thread of ours (see core/threads.ts), starts its loop, once however many entries
 * ask, and returns true: the caller then does nothing else. False on the main thread.
 */
function startHelperThread(): boolean {
  const role = threadRole();
  if (role === null) return false;
  if (threadStarted) return true;
  threadStarted = true;
  // Each role's code is loaded on demand: a helper thread loads only its own (and the bundle's entry stays small).
  if (role === READER_ROLE) void import('./core/validate/parallel.js').then(({ runReaderThread }) => runReaderThread());
  else if (role === BOOTSTRAP_ROLE) {
    void import('./core/evaluate/bootstrap-threads.js').then(({ runBootstrapThread }) => runBootstrapThread());
  } else if (role === GBDT_ROLE) {
    void import('./core/model/kinds/gbdt/threads.js').then(({ runHistogramThread }) => runHistogramThread());
  }
  return true;
}

/**
 * The start of the bundle (src/bundle.ts calls this first, at its top level). The bundle also
 * serves as the script of its own helper threads (data readers, bootstrap resamplers, gbdt histograms): in one of
 * those, this starts the thread's loop and returns true (the caller then does nothing else);
 * otherwise it registers the bundle's own file as the helpers' script.
 */
export function startBundle(bundleUrl: string | URL): boolean {
  if (startHelperThread()) return true;
  setThreadScript(bundleUrl);
  return false;
}

/**
 * Runs `main` unless this is a helper thread. For code that may be loaded on its own
 * (src/cli.ts): when the bundle has registered itself already, its file stays the
 * helpers' script (`moduleUrl`, a chunk of the bundle, could not serve as one).
 */
export async function runEntry(moduleUrl: string, main: () => Promise<void>): Promise<void> {
  if (startHelperThread()) return;
  if (threadScript() === null) setThreadScript(moduleUrl);
  await main();
}
