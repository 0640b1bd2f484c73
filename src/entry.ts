import { isReaderThread, parallelReadingAvailable, runReaderThread, setReaderScript } from './core/validate/parallel.js';

let readerStarted = false;

/** The reader loop, once per thread however many entries ask. */
function startReader(): void {
  if (readerStarted) return;
  readerStarted = true;
  runReaderThread();
}

/**
 * The start of the bundle (src/bundle.ts calls this first, at its top level). The
 * bundle also serves as the script of its own data-reader threads: in one of those,
 * this runs the reader loop and returns true (the caller then does nothing else);
 * otherwise it registers the bundle's own file as the readers' script.
 */
export function startBundle(bundleUrl: string | URL): boolean {
  if (isReaderThread()) {
    startReader();
    return true;
  }
  setReaderScript(bundleUrl);
  return false;
}

/**
 * Runs `main` unless this is a reader thread. For code that may be loaded on its own
 * (src/cli.ts): when the bundle has registered itself already, its file stays the
 * readers' script (`moduleUrl`, a chunk of the bundle, could not serve as one).
 */
export async function runEntry(moduleUrl: string, main: () => Promise<void>): Promise<void> {
  if (isReaderThread()) {
    startReader();
    return;
  }
  if (!parallelReadingAvailable()) setReaderScript(moduleUrl);
  await main();
}
