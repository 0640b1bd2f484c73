/**
 * drift-check, proven from its bundle (dist/drift-check/index.js) as the runner runs it:
 * INPUT_* in; GITHUB_OUTPUT, the job summary file, annotations and the exit status out;
 * the GitHub API reached from the runner's variables. What the step compares and how it
 * keeps the drift issue is proven in process by step-drift-check.test.ts.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLES, hasStackTrace, removeTempDirs, runAction } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';
import { penguinsProject } from './support/validate-data.js';

afterAll(removeTempDirs);

/** The example project without its drift: settings (each test says what it compares). */
async function project(): Promise<string> {
  const dir = await penguinsProject('mlops-drift-');
  const config = readFileSync(join(dir, 'mlops.yaml'), 'utf8');
  const start = config.search(/^drift:/m);
  expect(start).toBeGreaterThan(0);
  await writeFile(join(dir, 'mlops.yaml'), config.slice(0, start));
  return dir;
}

const DRIFTED = { config: 'mlops.yaml', reference: 'data/penguins.csv', current: 'data/penguins-production.csv' };

describe('drift-check (dist/drift-check/index.js)', () => {
  test('the drifted production slice: exit 0, outputs in GITHUB_OUTPUT, the report in the job summary', async () => {
    const dir = await project();
    const result = await runAction(BUNDLES.driftCheck, { cwd: dir, inputs: DRIFTED });
    expect(result.code).toBe(0);
    expect(result.outputs.drifted).toBe('true');
    // sex (a null-share rise only) is not a drifted column since the null share became a signal of its own (step-drift-check.test.ts).
    expect(JSON.parse(result.outputs['drifted-columns']!)).toEqual(expect.arrayContaining(['island', 'body_mass_g']));
    expect(Number(result.outputs['drift-share'])).toBeGreaterThanOrEqual(0.5);
    expect(result.outputs['issue-number']).toBe('');
    expect(result.summary).toContain('Drift check: penguins: 🔴 drift detected');
    expect(result.summary).toContain(readFileSync(join(dir, result.outputs.report!), 'utf8').trim());
    expect(JSON.parse(readFileSync(join(dir, result.outputs['report-json']!), 'utf8')).format).toBe('mlops-drift/v1');
    // No token in a test run: the issue is skipped without noise.
    expect(result.annotations.filter((a) => a.command === 'error')).toEqual([]);
  });

  test('fail-on-drift: a non-zero exit with the failure as an error annotation, after writing the reports', async () => {
    const dir = await project();
    const result = await runAction(BUNDLES.driftCheck, { cwd: dir, inputs: { ...DRIFTED, 'fail-on-drift': 'true', 'output-dir': 'out' } });
    expect(result.code).toBe(1);
    expect(result.annotations.some((a) => a.command === 'error' && /^Dataset drift/.test(a.message))).toBe(true);
    expect(result.outputs['report-json']).toBe(join('out', 'drift.json'));
    expect(hasStackTrace(result.stdout + result.stderr)).toBe(false);
  });

  test('a bad input: a clear failure message, no stack trace', async () => {
    const dir = await project();
    const result = await runAction(BUNDLES.driftCheck, { cwd: dir, inputs: { ...DRIFTED, 'drift-share': '1.5' } });
    expect(result.code).toBe(1);
    const errors = result.annotations.filter((a) => a.command === 'error').map((a) => a.message);
    expect(errors).toEqual([expect.stringMatching(/^drift-check: input drift-share: 1\.5 .*above 1/)]);
    expect(hasStackTrace(result.stdout + result.stderr)).toBe(false);
  });
});

describe('drift-check on GitHub (emulated API)', () => {
  let emulator: GitHubEmulator;
  beforeAll(async () => {
    emulator = await GitHubEmulator.start();
  });
  afterAll(async () => {
    await emulator.close();
  });

  test("the runner's token and repository reach the API: a read-only token gives a warning naming issues: write, not a failure", async () => {
    const dir = await project();
    const result = await runAction(BUNDLES.driftCheck, {
      cwd: dir,
      inputs: DRIFTED,
      env: { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: 'read-token' },
    });
    expect(result.code).toBe(0);
    expect(result.outputs.drifted).toBe('true');
    expect(result.annotations.some((a) => a.command === 'warning' && /issues: write/.test(a.message))).toBe(true);
    // The request was made (and refused) as the runner's repository.
    expect(emulator.requests.some((r) => r.path.startsWith('/repos/octo/ml/issues'))).toBe(true);
  });
});
