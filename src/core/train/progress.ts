/**
 * Progress while a model fits: one line for the first epoch, then at most one every few
 * seconds (the gap grows with the run, so an hour of training logs a few dozen lines,
 * not one per epoch). Each line: epochs done, the loss, the best validation loss so far
 * and the time left at most (early stopping usually ends sooner).
 */
import type { EpochLog } from '../model/model.js';

export interface ProgressOptions {
  /** The shortest gap between two lines (default 5 s). */
  intervalMs?: number;
  /** The clock (tests pass their own). */
  now?: () => number;
}

/** A callback for FitJob.onEpoch that calls `emit` with a progress line now and then. */
export function epochProgress(emit: (line: string) => void, options: ProgressOptions = {}): (log: EpochLog) => void {
  const interval = options.intervalMs ?? 5000;
  const now = options.now ?? (() => performance.now());
  const started = now();
  let last = -Infinity;
  let best: { loss: number; epoch: number } | null = null;
  return (log) => {
    const monitored = log.valLoss ?? log.loss;
    if (Number.isFinite(monitored) && (best === null || monitored < best.loss)) best = { loss: monitored, epoch: log.epoch };
    const at = now();
    const elapsed = at - started;
    if (log.epoch !== 1 && log.epoch !== log.epochs && at - last < Math.max(interval, elapsed / 30)) return;
    last = at;
    const left = (log.elapsedMs / log.epoch) * (log.epochs - log.epoch);
    emit(
      `epoch ${String(log.epoch).padStart(String(log.epochs).length)}/${log.epochs}  loss ${log.loss.toFixed(4)}` +
        (log.valLoss !== null ? `  val_loss ${log.valLoss.toFixed(4)}` : '') +
        (best ? `  best ${log.valLoss !== null ? 'val_loss' : 'loss'} ${best.loss.toFixed(4)} (epoch ${best.epoch})` : '') +
        `  ${(log.elapsedMs / 1000).toFixed(1)} s, at most ${(left / 1000).toFixed(0)} s left`,
    );
  };
}
