/**
 * The bootstrap shared between threads gives the same intervals as on one thread. In process:
 * batches drawn in any order, or split between two claimers, give the same values (a batch's
 * resamples depend on its number only). From the evaluate bundle, under the runner's contract:
 * one thread and two threads (a helper thread running the bundle) write the same bootstrap into
 * evaluation.json, and the helper did draw some of the batches.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { batchCount, bootstrapMetrics, resampleBatches, startBootstrap } from '../src/core/evaluate/bootstrap.js';
import type { BootstrapResult } from '../src/core/evaluate/bootstrap.js';
import { bootstrapOnThreads } from '../src/core/evaluate/bootstrap-threads.js';
import type { Scored } from '../src/core/evaluate/score.js';
import { BUNDLES, makeTempDir, removeTempDirs, runAction } from './support/action-runner.js';
import { prng } from './support/random.js';
import { classifiedRows } from './support/scored.js';
import type { Classified } from './support/scored.js';

afterAll(async () => {
  await removeTempDirs();
});

/** n rows of a k-class classifier that is right about 70% of the time, with scores; seeded. */
function classified(k: number, n: number, seed: number): Classified {
  return classifiedRows(k, n, prng(seed), { skill: 0.6 });
}

/** The bootstrap with its batches claimed in the order `order` gives (each once). */
function inOrder(candidate: Scored, baseline: Scored | null, resamples: number, order: (batches: number) => number[][]): BootstrapResult {
  const run = startBootstrap(candidate, baseline, { resamples, seed: 11 });
  const shares = order(batchCount(resamples));
  // Each share is drawn by its own claimer, as a thread would, with its own Resampler and scratch.
  for (const share of shares) {
    let next = 0;
    resampleBatches(run.plan, run.values, () => (next < share.length ? share[next++]! : -1));
  }
  return run.result();
}

describe('batches drawn in any order give the same intervals', () => {
  const candidate = classified(3, 500, 1);
  const baseline = { ...classified(3, 500, 2), yTrue: candidate.yTrue };
  const resamples = 203; // 51 batches, the last one short

  test('reversed, interleaved between two claimers, or out of order: equal to bootstrapMetrics', () => {
    const expected = bootstrapMetrics(candidate, baseline, { resamples, seed: 11 });
    expect(expected.paired!.differences.accuracy!.lower).not.toBeNull();
    const reversed = inOrder(candidate, baseline, resamples, (b) => [Array.from({ length: b }, (_, i) => b - 1 - i)]);
    const interleaved = inOrder(candidate, baseline, resamples, (b) => [
      Array.from({ length: b }, (_, i) => i).filter((i) => i % 2 === 0),
      Array.from({ length: b }, (_, i) => i).filter((i) => i % 2 === 1),
    ]);
    const shuffled = inOrder(candidate, baseline, resamples, (b) => {
      const rand = prng(5);
      const all = Array.from({ length: b }, (_, i) => i);
      for (let i = all.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [all[i], all[j]] = [all[j]!, all[i]!];
      }
      return [all.slice(0, 7), all.slice(7)];
    });
    expect(reversed).toEqual(expected);
    expect(interleaved).toEqual(expected);
    expect(shuffled).toEqual(expected);
  });

  test('a batch missed leaves its resamples empty: the order test above can fail', () => {
    const expected = bootstrapMetrics(candidate, null, { resamples, seed: 11 });
    const missing = inOrder(candidate, null, resamples, (b) => [Array.from({ length: b - 1 }, (_, i) => i + 1)]);
    expect(missing).not.toEqual(expected);
  });

  test('without a thread script (code loaded from the sources) the work stays on this thread, with the same result', async () => {
    const threaded = await bootstrapOnThreads(candidate, baseline, { resamples, seed: 11 }, { threads: 4, minWork: 0 });
    expect(threaded.threads).toBe(1);
    expect(threaded.helperBatches).toBe(0);
    expect(threaded.result).toEqual(bootstrapMetrics(candidate, baseline, { resamples, seed: 11 }));
  });

  test('MLOPS_BOOTSTRAP_THREADS that is not a whole number is refused, naming the variable', async () => {
    const saved = process.env.MLOPS_BOOTSTRAP_THREADS;
    process.env.MLOPS_BOOTSTRAP_THREADS = 'two';
    try {
      await expect(bootstrapOnThreads(candidate, null, { resamples: 8 })).rejects.toThrow(
        'environment variable MLOPS_BOOTSTRAP_THREADS: "two" is not a whole number >= 0',
      );
    } finally {
      if (saved === undefined) delete process.env.MLOPS_BOOTSTRAP_THREADS;
      else process.env.MLOPS_BOOTSTRAP_THREADS = saved;
    }
  });
});

describe('from the evaluate bundle', () => {
  test('one thread and two give the same intervals in evaluation.json; the helper thread draws batches', async () => {
    // 3 classes, 40,000 rows, 1,500 resamples: about a second on one thread, far longer than a helper takes to start.
    const scored = classified(3, 40_000, 9);
    const lines = ['y_true,y_pred,score:c0,score:c1,score:c2'];
    scored.yTrue.forEach((t, i) => lines.push(`c${t},c${scored.yPred[i]!},${scored.scores[i]!.map((s) => s.toFixed(6)).join(',')}`));
    const runWith = async (threads: string) => {
      const dir = await makeTempDir('mlops-bootstrap-threads-');
      await writeFile(join(dir, 'mlops.yaml'), 'version: 1\nmodel:\n  name: demo\nevaluate:\n  bootstrap:\n    resamples: 1500\n');
      await writeFile(join(dir, 'predictions.csv'), `${lines.join('\n')}\n`);
      const result = await runAction(BUNDLES.evaluate, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', predictions: 'predictions.csv', comment: 'false' },
        env: { MLOPS_BOOTSTRAP_THREADS: threads, MLOPS_BOOTSTRAP_MIN_WORK: '0' },
      });
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      const evaluation = JSON.parse(readFileSync(join(dir, '.mlops', 'evaluate', 'evaluation.json'), 'utf8')) as {
        bootstrap: BootstrapResult;
      };
      return { bootstrap: evaluation.bootstrap, log: result.stdout };
    };
    const one = await runWith('1');
    const two = await runWith('2');
    expect(one.bootstrap.resamples).toBe(1500);
    expect(one.bootstrap.metrics.roc_auc!.lower).toBeLessThan(one.bootstrap.metrics.roc_auc!.upper!);
    expect(two.bootstrap).toEqual(one.bootstrap);
    expect(one.log).toMatch(/Bootstrap: 1500 resamples of 40000 rows in \d+\.\d\d s \(/);
    const shared = /Bootstrap: 1500 resamples of 40000 rows in \d+\.\d\d s on 2 threads \(helpers drew (\d+) of 375 batches of 4\)/.exec(
      two.log,
    );
    expect(shared).not.toBeNull();
    expect(Number(shared![1])).toBeGreaterThan(0);
    expect(Number(shared![1])).toBeLessThan(375);
  });
});
