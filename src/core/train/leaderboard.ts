/**
 * `algorithm: auto`'s choice among the candidates. Convention: the best validation
 * metric wins (accuracy for classification, a tie broken by the lower log loss; r2 for
 * regression); a missing metric ranks last, and a full tie keeps the earlier candidate
 * (the simpler kind comes first in AUTO_CANDIDATES).
 */
import type { Algorithm } from '../model/kinds.js';
import type { Task } from '../model/preprocess.js';

/** The kinds auto trains, simplest first. */
export const AUTO_CANDIDATES: readonly Algorithm[] = ['linear', 'mlp', 'gbdt'];

export interface LeaderboardEntry {
  algorithm: Algorithm;
  /** Validation metrics (training metrics when there is no validation split). */
  validation: Record<string, number | null>;
  trainingMs: number;
  chosen: boolean;
}

/** How the choice is made, in words for the log. */
export function selectionRule(task: Task): string {
  return task === 'classification' ? 'the highest accuracy (a tie broken by the lower log loss)' : 'the highest r2';
}

const orLowest = (value: number | null | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : -Infinity);

const orHighest = (value: number | null | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : Infinity);

/** Index of the best candidate's metrics. */
export function bestCandidate(task: Task, metrics: ReadonlyArray<Record<string, number | null>>): number {
  let best = 0;
  for (let i = 1; i < metrics.length; i++) {
    const a = metrics[i]!;
    const b = metrics[best]!;
    if (task === 'classification') {
      const accuracy = orLowest(a.accuracy) - orLowest(b.accuracy);
      if (accuracy > 0 || (accuracy === 0 && orHighest(a.log_loss) < orHighest(b.log_loss))) best = i;
    } else if (orLowest(a.r2) > orLowest(b.r2)) best = i;
  }
  return best;
}

/** One line of the leaderboard for the log: kind, the deciding metrics, time, and the mark of the kept one. */
export function leaderboardLine(task: Task, entry: LeaderboardEntry): string {
  const format = (value: number | null | undefined) => (typeof value === 'number' ? value.toFixed(4) : '—');
  const figures =
    task === 'classification'
      ? `accuracy ${format(entry.validation.accuracy)}  log_loss ${format(entry.validation.log_loss)}`
      : `r2 ${format(entry.validation.r2)}  rmse ${format(entry.validation.rmse)}`;
  return `${entry.chosen ? '→' : ' '} ${entry.algorithm.padEnd(7)} ${figures}  ${(entry.trainingMs / 1000).toFixed(1).padStart(6)} s${entry.chosen ? '  (kept)' : ''}`;
}
