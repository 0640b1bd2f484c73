/**
 * drift-check, proven from its bundle (dist/drift-check/index.js) as the runner runs it, on
 * the example project: its training data against a production-like slice that drifted
 * (only Biscoe island, a fifth of `sex` missing) and against a resample that did not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { BUNDLES, ROOT, hasStackTrace, makeTempDir, removeTempDirs, runAction } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';

const EXAMPLE = join(ROOT, 'examples', 'penguins');
afterAll(removeTempDirs);

/** The example project without its drift: settings (each test says what it compares). */
async function project(): Promise<string> {
  const dir = await makeTempDir('mlops-drift-');
  await cp(EXAMPLE, dir, { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
  const config = readFileSync(join(dir, 'mlops.yaml'), 'utf8');
  const start = config.search(/^drift:/m);
  expect(start).toBeGreaterThan(0);
  await writeFile(join(dir, 'mlops.yaml'), config.slice(0, start));
  return dir;
}

describe('drift-check (dist/drift-check/index.js)', () => {
  test('the drifted production slice: drift, outputs, summary and the three reports', async () => {
    const dir = await project();
    const result = await runAction(BUNDLES.driftCheck, {
      cwd: dir,
      inputs: { config: 'mlops.yaml', reference: 'data/penguins.csv', current: 'data/penguins-production.csv' },
    });
    expect(result.code).toBe(0);
    expect(result.outputs.drifted).toBe('true');
    const drifted = JSON.parse(result.outputs['drifted-columns']!) as string[];
    expect(drifted).toEqual(expect.arrayContaining(['island', 'body_mass_g', 'sex']));
    expect(Number(result.outputs['drift-share'])).toBeGreaterThanOrEqual(0.5);
    expect(result.outputs['issue-number']).toBe('');
    expect(result.summary).toContain('Drift check: penguins: 🔴 drift detected');
    expect(result.summary).toContain('```mermaid');
    expect(result.summary).toMatch(/\| `sex` \| categorical \| z \|.*nulls up/);
    const json = JSON.parse(readFileSync(join(dir, result.outputs['report-json']!), 'utf8'));
    expect(json.format).toBe('mlops-drift/v1');
    expect(json.target.column).toBe('species');
    expect(json.target.drifted).toBe(true);
    expect(json.features.find((c: { column: string }) => c.column === 'island').method).toBe('chisquare');
    expect(json.features.find((c: { column: string }) => c.column === 'bill_length_mm').method).toBe('ks');
    expect(result.summary).toContain(readFileSync(join(dir, result.outputs.report!), 'utf8').trim());
    const html = readFileSync(join(dir, result.outputs['report-html']!), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/(src|href)="https?:/);
    // No token in a test run: the issue is skipped without noise.
    expect(result.annotations.filter((a) => a.command === 'error')).toEqual([]);
  });

  test('a resample of the training data: no drift; fail-on-drift does not fire', async () => {
    const dir = await project();
    const result = await runAction(BUNDLES.driftCheck, {
      cwd: dir,
      inputs: { config: 'mlops.yaml', reference: 'data/penguins.csv', current: 'data/penguins-production-ok.csv', 'fail-on-drift': 'true' },
    });
    expect(result.code).toBe(0);
    expect(result.outputs.drifted).toBe('false');
    expect(result.outputs['drifted-columns']).toBe('[]');
    expect(result.summary).toContain('no dataset drift');
  });

  test('fail-on-drift fails the step on drift, after writing the reports', async () => {
    const dir = await project();
    const result = await runAction(BUNDLES.driftCheck, {
      cwd: dir,
      inputs: {
        config: 'mlops.yaml',
        reference: 'data/penguins.csv',
        current: 'data/penguins-production.csv',
        'fail-on-drift': 'true',
        'output-dir': 'out',
      },
    });
    expect(result.code).not.toBe(0);
    expect(result.annotations.some((a) => a.command === 'error' && /Dataset drift/.test(a.message))).toBe(true);
    expect(existsSync(join(dir, 'out', 'drift.json'))).toBe(true);
  });

  test('NaN, infinities, an empty column and a constant column are reported per column, never abort', async () => {
    const dir = await project();
    const ref = ['a,b,empty,constant,cat', ...Array.from({ length: 40 }, (_, i) => `${i},${i % 7},,5,${i % 2 ? 'x' : 'y'}`)];
    const cur = [
      'a,b,empty,constant,cat',
      ...Array.from({ length: 40 }, (_, i) => `${i % 3 ? i : 'NaN'},${i % 5 ? 'inf' : i},,5,${i % 2 ? 'x' : 'y'}`),
    ];
    await writeFile(join(dir, 'ref.csv'), `${ref.join('\n')}\n`);
    await writeFile(join(dir, 'cur.csv'), `${cur.join('\n')}\n`);
    const result = await runAction(BUNDLES.driftCheck, { cwd: dir, inputs: { reference: 'ref.csv', current: 'cur.csv' } });
    expect(result.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, result.outputs['report-json']!), 'utf8'));
    const by = (name: string) => json.features.find((c: { column: string }) => c.column === name);
    expect(by('a').status).toBe('tested');
    expect(by('a').nullDrift).toBe(true); // a third of a became NaN
    expect(by('b').notes.join(' ')).toMatch(/infinite values left out: 0 in reference, 32 in current/);
    expect(by('empty').status).toBe('no-values-in-reference');
    expect(by('constant').statistic).toBe(0);
    expect(by('cat').drifted).toBe(false);
  });

  test.each([
    ['a missing file', { current: 'data/nope.csv' }, /cannot read data file .*nope\.csv: no such file/],
    ['a malformed CSV', { current: 'bad.csv' }, /bad\.csv:3: 2 fields where the header has 7/],
    ['an empty dataset', { current: 'empty.csv' }, /no data rows in empty\.csv/],
    ['no current data', {}, /no current data to check/],
    [
      'a bad drift-share',
      { current: 'data/penguins-production.csv', 'drift-share': '1.5' },
      /input drift-share: "1\.5" is not a number from 0 to 1/,
    ],
    [
      'an unknown reference model',
      { current: 'data/penguins-production.csv', reference: 'penguins@production' },
      /reference penguins@production/,
    ],
  ] as Array<[string, Record<string, string>, RegExp]>)('%s: a clear error, no stack trace', async (_, inputs, message) => {
    const dir = await project();
    await writeFile(
      join(dir, 'bad.csv'),
      'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex\nAdelie,Biscoe,1,2,3,4,male\nAdelie,Biscoe\n',
    );
    await writeFile(join(dir, 'empty.csv'), 'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex\n');
    const result = await runAction(BUNDLES.driftCheck, {
      cwd: dir,
      inputs: { config: 'mlops.yaml', reference: 'data/penguins.csv', ...inputs },
    });
    expect(result.code).not.toBe(0);
    const errors = result.annotations.filter((a) => a.command === 'error').map((a) => a.message);
    expect(errors.join('\n')).toMatch(message);
    expect(hasStackTrace(result.stdout + result.stderr)).toBe(false);
  });

  test('bad drift settings name the key', async () => {
    const dir = await project();
    const config = readFileSync(join(dir, 'mlops.yaml'), 'utf8');
    await writeFile(join(dir, 'mlops.yaml'), `${config}\ndrift:\n  columns:\n    island:\n      method: kolmogorov\n`);
    const result = await runAction(BUNDLES.driftCheck, {
      cwd: dir,
      inputs: { config: 'mlops.yaml', reference: 'data/penguins.csv', current: 'data/penguins-production.csv' },
    });
    expect(result.code).not.toBe(0);
    expect(result.annotations.map((a) => a.message).join('\n')).toMatch(/drift\.columns\.island\.method/);
  });
});

describe('drift-check on GitHub (emulated API)', () => {
  let emulator: GitHubEmulator;
  const repo = { owner: 'octo', repo: 'ml' };
  beforeAll(async () => {
    emulator = await GitHubEmulator.start();
  });
  afterAll(async () => {
    await emulator.close();
  });

  test('opens one issue on drift, updates it on the next drifted run, comments and closes it when drift is gone; dispatches retraining', async () => {
    const dir = await project();
    const workflow = emulator.addWorkflow(repo, 'retrain.yml', ['reason']);
    const env = { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: 'write-token' };
    const drifted = {
      config: 'mlops.yaml',
      reference: 'data/penguins.csv',
      current: 'data/penguins-production.csv',
      'retrain-workflow': 'retrain.yml',
      'retrain-ref': 'main',
      'retrain-inputs': 'reason=drift',
    };
    const first = await runAction(BUNDLES.driftCheck, { cwd: dir, inputs: drifted, env });
    expect(first.code).toBe(0);
    const issues = emulator.issuesOf(repo);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.labels).toEqual(['drift']);
    expect(issues[0]!.body.startsWith('<!-- mlops-drift:penguins -->')).toBe(true);
    expect(first.outputs['issue-number']).toBe(String(issues[0]!.number));
    expect(workflow.dispatches).toHaveLength(1);

    const second = await runAction(BUNDLES.driftCheck, { cwd: dir, inputs: drifted, env });
    expect(second.outputs['issue-number']).toBe(first.outputs['issue-number']);
    expect(emulator.issuesOf(repo)).toHaveLength(1);
    expect(workflow.dispatches).toHaveLength(2);

    const gone = await runAction(BUNDLES.driftCheck, {
      cwd: dir,
      inputs: { ...drifted, current: 'data/penguins-production-ok.csv' },
      env,
    });
    expect(gone.outputs.drifted).toBe('false');
    const closed = emulator.issuesOf(repo)[0]!;
    expect(closed.state).toBe('closed');
    expect(
      emulator
        .commentsOn(repo, closed.number)
        .map((c) => c.body)
        .join('\n'),
    ).toMatch(/Drift is gone/);
    expect(workflow.dispatches).toHaveLength(2); // no drift, no retraining
    emulator.assertClean();
  });

  test('a read-only token: a warning naming the issues: write permission, not a failure', async () => {
    const dir = await project();
    const result = await runAction(BUNDLES.driftCheck, {
      cwd: dir,
      inputs: { config: 'mlops.yaml', reference: 'data/penguins.csv', current: 'data/penguins-production.csv' },
      env: { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: 'read-token' },
    });
    expect(result.code).toBe(0);
    expect(result.outputs.drifted).toBe('true');
    expect(result.annotations.some((a) => a.command === 'warning' && /issues: write/.test(a.message))).toBe(true);
  });
});
