/**
 * gbdt's histograms on a helper thread, proven from the CLI bundle: one thread and two give
 * the same model, byte for byte (a large node's rows are counted in two halves on one thread too),
 * and the helper did count (the log says how many fills it shared). Bad settings are refused.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeTempDirs, runCli } from './support/action-runner.js';
import { prng } from './support/random.js';

afterAll(async () => {
  await removeTempDirs();
});

/** 6,000 rows: 8 numbers (some missing), a text column, a 3-class target that depends on them. */
function data(): string {
  const rand = prng(21);
  const lines = [['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'colour', 'y'].join(',')];
  for (let i = 0; i < 6000; i++) {
    const x = Array.from({ length: 8 }, () => rand() * 4 - 2);
    const colour = ['red', 'green', 'blue', 'grey'][Math.floor(rand() * 4)]!;
    const score = x[0]! + Math.sin(x[1]! * 2) - x[2]! * x[3]! + (colour === 'red' ? 1 : 0) + rand() - 0.5;
    const y = score < -0.5 ? 'low' : score < 0.8 ? 'mid' : 'high';
    lines.push([...x.map((v, j) => (j < 2 && rand() < 0.05 ? '' : v.toFixed(4))), colour, y].join(','));
  }
  return `${lines.join('\n')}\n`;
}

describe('gbdt histograms on threads, from the CLI bundle', () => {
  test('one thread and two give the same model.onnx; the helper shared the fills', async () => {
    const dir = await makeTempDir('mlops-gbdt-threads-');
    await writeFile(join(dir, 'data.csv'), data());
    await writeFile(join(dir, 'params.json'), JSON.stringify({ algorithm: 'gbdt', max_iter: 15, n_iter_no_change: 0 }));
    const train = async (threads: string) => {
      const out = join(dir, `out-${threads}`);
      const result = await runCli(
        ['train', '--data', 'data.csv', '--target', 'y', '--params', 'params.json', '--cache', 'false', '--output-dir', out],
        { cwd: dir, env: { MLOPS_GBDT_THREADS: threads, MLOPS_GBDT_MIN_SLOTS: '0' } },
      );
      expect({ code: result.code, failed: result.code === 0 ? '' : result.stderr }).toEqual({ code: 0, failed: '' });
      // The CLI logs to standard error.
      return { onnx: readFileSync(join(out, 'model', 'model.onnx')), log: result.stderr };
    };
    const one = await train('1');
    const two = await train('2');
    expect(one.onnx.length).toBeGreaterThan(1000);
    expect(Buffer.compare(two.onnx, one.onnx)).toBe(0);
    expect(one.log).not.toContain('Histograms on');
    const shared = /Histograms on 2 threads: (\d+) of (\d+) shared \(the same trees as on one thread\)\./.exec(two.log);
    expect(shared).not.toBeNull();
    expect(Number(shared![1])).toBeGreaterThan(0);
    expect(Number(shared![1])).toBeLessThanOrEqual(Number(shared![2]));
  });

  test('MLOPS_GBDT_THREADS that is not a whole number is refused, naming the variable', async () => {
    const dir = await makeTempDir('mlops-gbdt-threads-');
    await writeFile(join(dir, 'data.csv'), data());
    await writeFile(join(dir, 'params.json'), JSON.stringify({ algorithm: 'gbdt', max_iter: 2 }));
    const result = await runCli(['train', '--data', 'data.csv', '--target', 'y', '--params', 'params.json', '--cache', 'false'], {
      cwd: dir,
      env: { MLOPS_GBDT_THREADS: '-1' },
    });
    expect(result.code).toBe(2); // the CLI's code for a bad input
    expect(result.stderr).toContain('environment variable MLOPS_GBDT_THREADS: "-1" is not a whole number >= 0');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
