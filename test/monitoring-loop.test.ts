/**
 * The monitoring loop end to end: `mlops serve` answers production traffic and writes its
 * prediction log; drift-check (the bundle) compares that log with the training profile
 * registered with the model in production (`penguins@production`), features and the
 * model's own predictions alike.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cp, readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { BUNDLES, ROOT, cleanEnv, makeTempDir, removeTempDirs, runAction } from './support/action-runner.js';
import type { ProcessResult } from './support/action-runner.js';

const EXAMPLE = join(ROOT, 'examples', 'penguins');

function ok<T extends ProcessResult>(result: T): T {
  if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Feature records of a CSV of the example (the species column left out, as a client does not know it). */
async function records(file: string): Promise<Array<Record<string, string>>> {
  const [header, ...lines] = (await readFile(join(EXAMPLE, 'data', file), 'utf8')).trim().split('\n');
  const names = header!.split(',');
  return lines.map((line) => {
    const values = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, values[i]!]).filter(([n, v]) => n !== 'species' && v !== ''));
  });
}

/** Serves production with a prediction log, sends the records one request at a time, and stops the server (flushing the log). */
async function serveAndLog(dir: string, log: string, sent: Array<Record<string, string>>): Promise<void> {
  const child = spawn(
    process.execPath,
    [BUNDLES.cli, 'serve', '--config', 'mlops.yaml', '--alias', 'production', '--port', '0', '--poll', '0', '--log', log],
    { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}):\n${output}`)));
  });
  for (const record of sent) {
    const response = await fetch(`${url}/v1/models/penguins:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [record] }),
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  }
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}

describe('serve → prediction log → drift-check against the registered training profile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('mlops-monitoring-');
    await cp(EXAMPLE, dir, { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
    ok(await runAction(BUNDLES.train, { cwd: dir, inputs: { config: 'mlops.yaml', epochs: '60' } }));
    ok(await runAction(BUNDLES.register, { cwd: dir, inputs: { config: 'mlops.yaml', 'allow-unblessed': 'true', alias: 'production' } }));
  }, 180_000);

  afterAll(removeTempDirs);

  const check = (log: string) =>
    runAction(BUNDLES.driftCheck, {
      cwd: dir,
      inputs: { config: 'mlops.yaml', reference: 'penguins@production', current: log, issue: 'false' },
    });

  test('traffic from one island: feature drift and prediction drift, from the log the server wrote', async () => {
    await serveAndLog(dir, 'drifted.jsonl', await records('penguins-production.csv'));
    const lines = (await readFile(join(dir, 'drifted.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(136);
    expect(Object.keys(JSON.parse(lines[0]!) as object)).toEqual(
      expect.arrayContaining(['_time', '_model', '_version', '_prediction', 'island']),
    );

    const result = ok(await check('drifted.jsonl'));
    expect(result.outputs.drifted).toBe('true');
    expect(JSON.parse(result.outputs['drifted-columns']!)).toContain('island');
    const report = JSON.parse(await readFile(join(dir, result.outputs['report-json']!), 'utf8')) as {
      prediction: { column: string; drifted: boolean } | null;
      features: Array<{ column: string }>;
      reference: { description: string };
    };
    // The model predicted mostly Gentoo (the Biscoe species) for this traffic, unlike on its training data.
    expect(report.prediction).toMatchObject({ column: '_prediction', drifted: true });
    expect(report.reference.description).toBe('profile of penguins version 1 (production)');
    const compared = report.features.map((c) => c.column);
    for (const bookkeeping of ['_time', '_model', '_version']) expect(compared).not.toContain(bookkeeping);
  }, 120_000);

  test('traffic like the training data: no dataset drift, and the predictions did not drift', async () => {
    await serveAndLog(dir, 'steady.jsonl', await records('penguins-production-ok.csv'));
    const result = ok(await check('steady.jsonl'));
    expect(result.outputs.drifted).toBe('false');
    const report = JSON.parse(await readFile(join(dir, result.outputs['report-json']!), 'utf8')) as {
      prediction: { column: string; drifted: boolean } | null;
    };
    expect(report.prediction).toMatchObject({ column: '_prediction', drifted: false });
  }, 120_000);
});
