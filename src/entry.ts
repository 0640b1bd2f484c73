import { isReaderThread, runReaderThread, setReaderScript } from './core/validate/parallel.js';

/**
 * Every bundle's entry goes through here. The bundle also serves as the script of
 * its own data-reader threads: in one of those, run the reader loop instead.
 */
export async function runEntry(bundleUrl: string, main: () => Promise<void>): Promise<void> {
  if (isReaderThread()) {
    runReaderThread();
    return;
  }
  setReaderScript(bundleUrl);
  await main();
}
