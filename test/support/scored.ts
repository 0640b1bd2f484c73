/** Seeded predictions to evaluate: a k-class classifier's labels, argmax predictions and scores. */
import type { Scored } from '../../src/core/evaluate/score.js';

export type Classified = Extract<Scored, { task: 'classification' }>;

/**
 * n rows of a k-class classifier: each row's true class gets `skill` more raw score than the
 * others, the scores are normalized to sum to 1 (rounded to `decimals` when given: many ties),
 * and the prediction is their argmax. `rand` gives numbers in [0, 1).
 */
export function classifiedRows(k: number, n: number, rand: () => number, options: { skill: number; decimals?: number }): Classified {
  const scale = options.decimals === undefined ? null : 10 ** options.decimals;
  const yTrue: number[] = [];
  const yPred: number[] = [];
  const scores: number[][] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.floor(rand() * k);
    const raw = Array.from({ length: k }, (_, c) => rand() + (c === t ? options.skill : 0));
    const sum = raw.reduce((a, b) => a + b, 0);
    const row = raw.map((v) => (scale === null ? v / sum : Math.round((v / sum) * scale) / scale));
    yTrue.push(t);
    yPred.push(row.indexOf(Math.max(...row)));
    scores.push(row);
  }
  const classes = Array.from({ length: k }, (_, c) => `c${c}`);
  return { task: 'classification', classes, rows: yTrue.map((_, i) => i), yTrue, yPred, scores };
}
