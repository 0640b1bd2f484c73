/** Waiting for the end of a long-running command (a server). */

/** Resolves at the first SIGTERM or SIGINT, having said which in `say`; the handlers are removed. */
export function untilStopSignal(say: (line: string) => void): Promise<void> {
  return new Promise<void>((resolveStop) => {
    const stop = (signal: string) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      say(`${signal}: finishing requests in flight, then stopping`);
      resolveStop();
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
}
