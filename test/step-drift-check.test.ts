/**
 * drift-check in process: the step's run(ctx) on the example project, its training data
 * against a production-like slice that drifted (only Biscoe island, a fifth of `sex`
 * missing) and against a resample that did not; the drift issue and the retraining
 * dispatch against the GitHub API emulator. The runner's contract is proven on the
 * bundle by action-drift-check.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadProjectConfig, projectRegistry } from '../src/adapters/local/run.js';
import { MODEL_CARD_FORMAT, ModelCard } from '../src/core/contracts/index.js';
import type { ColumnDrift, DriftReport } from '../src/core/drift/compute.js';
import { UserError } from '../src/core/errors.js';
import { driftCheck } from '../src/steps/drift-check.js';
import { validateData } from '../src/steps/validate-data.js';
import { removeTempDirs } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';
import { runStepInProcess } from './support/step-context.js';
import type { InProcessResult } from './support/step-context.js';
import { penguinsProject } from './support/validate-data.js';

afterAll(removeTempDirs);

/** The example project without its drift: settings (each test says what it compares). */
async function project(drift = ''): Promise<string> {
  const dir = await penguinsProject('mlops-drift-');
  const config = readFileSync(join(dir, 'mlops.yaml'), 'utf8');
  const start = config.search(/^drift:/m);
  expect(start).toBeGreaterThan(0);
  await writeFile(join(dir, 'mlops.yaml'), config.slice(0, start) + drift);
  return dir;
}

/** A copy of a CSV file of the example (no quoted fields) without one of its columns. */
async function without(dir: string, from: string, to: string, dropped: string): Promise<void> {
  const lines = readFileSync(join(dir, from), 'utf8').trim().split('\n');
  const at = lines[0]!.split(',').indexOf(dropped);
  expect(at).toBeGreaterThanOrEqual(0);
  await writeFile(
    join(dir, to),
    `${lines
      .map((l) =>
        l
          .split(',')
          .filter((_, i) => i !== at)
          .join(','),
      )
      .join('\n')}\n`,
  );
}

const errorLines = (run: InProcessResult) => run.io.annotations.filter((a) => a.level === 'error').map((a) => a.message);

const DRIFTED = { reference: 'data/penguins.csv', current: 'data/penguins-production.csv' };
const STEADY = { reference: 'data/penguins.csv', current: 'data/penguins-production-ok.csv' };

function check(dir: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<InProcessResult> {
  return runStepInProcess(driftCheck, { cwd: dir, inputs, env });
}

/** drift.json of a run. */
function json(dir: string, run: InProcessResult): DriftReport {
  return JSON.parse(readFileSync(join(dir, run.outputs['report-json']!), 'utf8')) as DriftReport;
}

function column(report: DriftReport, name: string): ColumnDrift {
  const found = report.features.find((c) => c.column === name);
  if (!found) throw new Error(`no feature column ${name} in the report`);
  return found;
}

describe('drift-check in process', () => {
  test('the drifted production slice: drift, outputs, summary and the three reports', async () => {
    const dir = await project();
    const run = await check(dir, { config: 'mlops.yaml', ...DRIFTED });
    expect(run.error).toBeNull();
    expect(run.failed).toBe(false);
    expect(run.outputs.drifted).toBe('true');
    const drifted = JSON.parse(run.outputs['drifted-columns']!) as string[];
    // Values moved in every numeric column and in island; sex lost a fifth of its values (a
    // null-share signal of its own, not counted by default) and its split did not move.
    expect(drifted).toEqual(['island', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g']);
    expect(Number(run.outputs['drift-share'])).toBeGreaterThanOrEqual(0.5);
    expect(run.outputs['issue-number']).toBe('');
    // Default output folder, shown relative to the working directory.
    expect(run.outputs.report).toBe(join('.mlops', 'drift-check', 'report.md'));
    const summary = run.io.summary;
    expect(summary).toContain('Drift check: penguins: 🔴 drift detected');
    expect(summary).toContain('```mermaid');
    expect(summary).toMatch(/\| `sex` \| categorical \| z \|.*nulls up/);
    const report = json(dir, run);
    expect(report.format).toBe('mlops-drift/v1');
    expect(report.nullShareDriftedColumns).toEqual(['sex']);
    expect(report.nullShareCounted).toBe(false);
    expect(column(report, 'sex')).toMatchObject({ nullDrift: true, valueDrift: false, drifted: false });
    expect(summary).toMatch(/Null share rose: `sex` \(a signal of its own, not counted in the drift share/);
    expect(report.target!.column).toBe('species');
    expect(report.target!.drifted).toBe(true);
    expect(column(report, 'island').method).toBe('chisquare');
    expect(column(report, 'bill_length_mm').method).toBe('ks');
    expect(report.reference.description).toBe(join('data', 'penguins.csv'));
    expect(JSON.stringify(report)).not.toContain(dir);
    expect(summary).toContain(readFileSync(join(dir, run.outputs.report!), 'utf8').trim());
    const html = readFileSync(join(dir, run.outputs['report-html']!), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/(src|href)="https?:/);
    // No token and no repository: the issue is skipped without noise.
    expect(run.io.annotations).toEqual([]);
  });

  test('a resample of the training data: no drift; fail-on-drift does not fire', async () => {
    const dir = await project();
    const run = await check(dir, { config: 'mlops.yaml', ...STEADY, 'fail-on-drift': 'true' });
    expect(run.failed).toBe(false);
    expect(run.outputs.drifted).toBe('false');
    expect(run.outputs['drifted-columns']).toBe('[]');
    expect(run.io.summary).toContain('no dataset drift');
  });

  test('one current row: "not enough data", no drift, fail-on-drift does not fire; drift.min_current_rows lowers the floor', async () => {
    const dir = await project();
    await writeFile(
      join(dir, 'one.csv'),
      'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex\nGentoo,Biscoe,80,30,300,9000,\n',
    );
    const run = await check(dir, { reference: 'data/penguins.csv', current: 'one.csv', 'fail-on-drift': 'true' });
    expect(run.error).toBeNull();
    expect(run.failed).toBe(false);
    expect(run.outputs.drifted).toBe('false');
    expect(json(dir, run).verdict).toBe('not-enough-data');
    expect(run.io.summary).toContain('Drift check: penguins: ⚪ not enough data');
    const low = await project('drift:\n  min_current_rows: 1\n');
    await writeFile(join(low, 'one.csv'), readFileSync(join(dir, 'one.csv'), 'utf8'));
    const allowed = await check(low, { reference: 'data/penguins.csv', current: 'one.csv' });
    expect(allowed.outputs.drifted).toBe('true');
  });

  test('fail-on-drift fails the step on drift, after writing the reports', async () => {
    const dir = await project();
    const run = await check(dir, { config: 'mlops.yaml', ...DRIFTED, 'fail-on-drift': 'true', 'output-dir': 'out' });
    expect(run.error).toBeNull();
    expect(run.io.failed).toMatch(/^Dataset drift: \d+ of \d+ feature columns drifted \(.*island.*\)\.$/);
    expect(existsSync(join(dir, 'out', 'drift.json'))).toBe(true);
    expect(run.outputs['report-json']).toBe(join('out', 'drift.json'));
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
    const run = await check(dir, { reference: 'ref.csv', current: 'cur.csv' });
    expect(run.failed).toBe(false);
    const report = json(dir, run);
    const by = (name: string) => column(report, name);
    expect(by('a').status).toBe('tested');
    expect(by('a').nullDrift).toBe(true); // a third of a became NaN
    expect(by('b').notes.join(' ')).toMatch(/infinite values left out: 0 in reference, 32 in current/);
    expect(by('empty').status).toBe('no-values-in-reference');
    expect(by('constant').statistic).toBe(0);
    expect(by('cat').drifted).toBe(false);
  });

  describe('settings from mlops.yaml', () => {
    test('drift.reference and drift.current are relative to mlops.yaml, and the inputs win over them', async () => {
      const dir = await project('drift:\n  reference: ../data/penguins.csv\n  current: ../data/penguins-production.csv\n');
      await mkdir(join(dir, 'ml'));
      await writeFile(join(dir, 'ml', 'mlops.yaml'), readFileSync(join(dir, 'mlops.yaml'), 'utf8'));
      const fromConfig = await check(dir, { config: 'ml/mlops.yaml' });
      expect(fromConfig.error).toBeNull();
      expect(fromConfig.outputs.drifted).toBe('true');
      expect(fromConfig.outputs.report).toBe(join('ml', '.mlops', 'drift-check', 'report.md'));
      expect(json(dir, fromConfig).current.description).toBe(join('data', 'penguins-production.csv'));

      const fromInput = await check(dir, { config: 'ml/mlops.yaml', current: 'data/penguins-production-ok.csv' });
      expect(fromInput.error).toBeNull();
      expect(fromInput.outputs.drifted).toBe('false');
    });

    test('without drift.reference the training data (data.path) is the reference', async () => {
      const dir = await project('drift:\n  current: data/penguins-production.csv\n');
      const run = await check(dir, {});
      expect(run.error).toBeNull();
      expect(json(dir, run).reference.description).toBe(join('data', 'penguins.csv'));
    });

    test('drift.drift_share and drift.fail_on_drift apply when the inputs are not set; the inputs win', async () => {
      // A threshold of 0: any comparison is dataset drift, even of the resample (which has none at 0.5).
      const dir = await project('drift:\n  drift_share: 0\n  fail_on_drift: true\n');
      const configured = await check(dir, STEADY);
      expect(configured.error).toBeNull();
      expect(json(dir, configured).driftShareThreshold).toBe(0);
      expect(configured.outputs.drifted).toBe('true');
      expect(configured.io.failed).toMatch(/^Dataset drift/);

      const input = await check(dir, { ...STEADY, 'drift-share': '0.5' });
      expect(json(dir, input).driftShareThreshold).toBe(0.5);
      expect(input.outputs.drifted).toBe('false');
      expect(input.failed).toBe(false);

      const allowed = await check(dir, { ...STEADY, 'fail-on-drift': 'false' });
      expect(allowed.outputs.drifted).toBe('true');
      expect(allowed.failed).toBe(false);
    });

    test('drift.null_share_in_drift_share counts a null-share rise as drift', async () => {
      const dir = await project('drift:\n  null_share_in_drift_share: true\n');
      const run = await check(dir, DRIFTED);
      expect(run.error).toBeNull();
      expect(JSON.parse(run.outputs['drifted-columns']!)).toContain('sex');
      const report = json(dir, run);
      expect(report.nullShareCounted).toBe(true);
      expect(column(report, 'sex').drifted).toBe(true);
      expect(run.io.summary).toContain('counted as drift: null_share_in_drift_share is true');
    });

    test("train.features names the model's features: one missing from the current data is drift, with an error line; other columns are compared, not counted", async () => {
      const dir = await project();
      const config = readFileSync(join(dir, 'mlops.yaml'), 'utf8');
      expect(config).toMatch(/^train:\n/m);
      await writeFile(
        join(dir, 'mlops.yaml'),
        config.replace(/^train:\n/m, 'train:\n  features: [bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, sex]\n'),
      );
      await without(dir, 'data/penguins-production-ok.csv', 'no-sex.csv', 'sex');
      const run = await check(dir, { reference: 'data/penguins.csv', current: 'no-sex.csv' });
      expect(run.error).toBeNull();
      const report = json(dir, run);
      expect(report.features.map((c) => c.column)).toEqual(['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'sex']);
      expect(report.missingFeatures).toEqual(['sex']);
      expect(column(report, 'sex')).toMatchObject({ status: 'missing-in-current', drifted: true });
      expect([report.comparedFeatures, report.driftedColumns, report.drifted]).toEqual([5, ['sex'], false]);
      expect(run.outputs['drifted-columns']).toBe('["sex"]');
      expect(report.others.map((c) => [c.column, c.role, c.status])).toEqual([['island', 'other', 'tested']]);
      expect(errorLines(run)).toEqual([
        'drift-check: model feature sex is not in the current data: the model gets no values for it (counted as drifted).',
      ]);
      expect(run.io.logs.some((l) => l.includes('Model features: 5 (train.features in mlops.yaml)'))).toBe(true);
      expect(run.io.summary).toContain('**Error: 1 model feature not in the current data:** `sex`');
      expect(run.io.summary).toContain('### Other columns (not model features, not counted)');
    });

    test('drift.target and drift.prediction_column name the target and prediction columns', async () => {
      const dir = await project('drift:\n  target: island\n  prediction_column: species\n');
      const run = await check(dir, DRIFTED);
      expect(run.error).toBeNull();
      const report = json(dir, run);
      expect(report.target!.column).toBe('island');
      expect(report.prediction!.column).toBe('species');
      expect(report.features.map((c) => c.column)).not.toContain('island');
    });
  });

  describe('the reference of a registered model (model@alias)', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await project();
      // A version whose files hold the profile of the training data, as train stores it.
      const profiled = await runStepInProcess(validateData, { cwd: dir, inputs: { 'output-dir': 'model' } });
      expect(profiled.failed).toBe(false);
      const registry = projectRegistry(await loadProjectConfig(undefined, dir), undefined, {}, dir);
      const version = await registry.register('penguins', join(dir, 'model'), { card: null, blessing: null });
      await registry.setAlias('penguins', 'production', version.version);
    });

    test('penguins@production: the profile registered with that version, from the registry of mlops.yaml', async () => {
      const run = await check(dir, { reference: 'penguins@production', current: 'data/penguins-production.csv' });
      expect(run.error).toBeNull();
      expect(run.outputs.drifted).toBe('true');
      const report = json(dir, run);
      expect(report.reference).toMatchObject({ source: 'profile', description: 'profile of penguins version 1 (production)' });
      expect(JSON.stringify(report.reference)).not.toContain(dir);
      // The resample has no drift against the profile either (what the bundle tests of the monitoring loop and the workflows expect).
      const steady = await check(dir, { reference: 'penguins@production', current: 'data/penguins-production-ok.csv' });
      expect([steady.error, steady.outputs.drifted, steady.outputs['drifted-columns']]).toEqual([null, 'false', '[]']);
    });

    test('a model reference in mlops.yaml (drift.reference) works the same', async () => {
      const configured = await project('drift:\n  reference: penguins@production\n  current: data/penguins-production.csv\n');
      // The same registry, named by path in mlops.yaml.
      await writeFile(
        join(configured, 'mlops.yaml'),
        `${readFileSync(join(configured, 'mlops.yaml'), 'utf8')}registry:\n  path: ${join(dir, '.mlops', 'registry')}\n`,
      );
      const run = await check(configured, {});
      expect(run.error).toBeNull();
      expect(json(configured, run).reference.description).toBe('profile of penguins version 1 (production)');
    });

    test('the model card names the features: a missing one is drift, the other columns are compared and not counted', async () => {
      const registry = projectRegistry(await loadProjectConfig(undefined, dir), undefined, {}, dir);
      const features = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'island'];
      const card = ModelCard.parse({
        format: MODEL_CARD_FORMAT,
        name: 'penguins',
        trainer: { kind: 'builtin', version: '0' },
        signature: {
          features: features.map((name) => ({ name, type: name === 'island' ? 'string' : 'number' })),
          target: { name: 'species', task: 'classification', classes: ['Adelie', 'Chinstrap', 'Gentoo'] },
        },
        data: { target: 'species' },
      });
      const version = await registry.register('penguins', join(dir, 'model'), { card, blessing: null });
      await registry.setAlias('penguins', 'carded', version.version);
      await without(dir, 'data/penguins-production-ok.csv', 'no-island.csv', 'island');
      const run = await check(dir, { reference: 'penguins@carded', current: 'no-island.csv' });
      expect(run.error).toBeNull();
      const report = json(dir, run);
      expect(report.features.map((c) => c.column)).toEqual(features);
      expect(report.missingFeatures).toEqual(['island']);
      expect(report.others.map((c) => [c.column, c.role])).toEqual([['sex', 'other']]);
      expect(errorLines(run)).toEqual([
        'drift-check: model feature island is not in the current data: the model gets no values for it (counted as drifted).',
      ]);
      expect(run.io.logs.some((l) => l.includes('Model features: 5 (from the model card)'))).toBe(true);
    });

    test('the registry input names another registry: the model is not there', async () => {
      const run = await check(dir, { reference: 'penguins@production', current: 'data/penguins-production.csv', registry: 'elsewhere' });
      expect(run.error).toBeInstanceOf(UserError);
      expect(run.error!.message).toMatch(/^reference penguins@production: /);
    });
  });

  describe('user errors name what is wrong', () => {
    test.each([
      ['a missing file', { current: 'data/nope.csv' }, /cannot read data file data\/nope\.csv: no such file/],
      ['a malformed CSV', { current: 'bad.csv' }, /^bad\.csv:3: 2 fields where the header has 7/],
      ['an empty dataset', { current: 'empty.csv' }, /current: no data rows in empty\.csv/],
      ['no current data', {}, /no current data to check/],
      ['a drift-share above 1', { current: 'data/penguins-production.csv', 'drift-share': '1.5' }, /input drift-share: 1\.5 .*above 1/],
      [
        'a drift-share that is not a number',
        { current: 'data/penguins-production.csv', 'drift-share': 'half' },
        /input drift-share: "half".*not a number/,
      ],
      ['a bad fail-on-drift', { current: 'data/penguins-production.csv', 'fail-on-drift': 'yes' }, /input fail-on-drift: "yes"/],
      [
        'an unknown reference model',
        { current: 'data/penguins-production.csv', reference: 'penguins@production' },
        /reference penguins@production/,
      ],
      [
        'profiles mixed with data files',
        { current: 'data/penguins-production.csv\nprofile.json' },
        /current: mixes profile\.json files with data files/,
      ],
      ['a file that is not a profile', { current: 'not-a-profile.json' }, /not-a-profile\.json is not a data profile/],
      [
        'a bad retrain-inputs line',
        { current: 'data/penguins-production.csv', 'retrain-inputs': 'reason' },
        /input retrain-inputs: "reason" is not key=value/,
      ],
    ] as Array<[string, Record<string, string>, RegExp]>)('%s', async (_, inputs, message) => {
      const dir = await project();
      await writeFile(
        join(dir, 'bad.csv'),
        'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex\nAdelie,Biscoe,1,2,3,4,male\nAdelie,Biscoe\n',
      );
      await writeFile(join(dir, 'empty.csv'), 'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex\n');
      await writeFile(join(dir, 'not-a-profile.json'), '{"rows": 3}\n');
      const run = await check(dir, { config: 'mlops.yaml', reference: 'data/penguins.csv', ...inputs });
      expect(run.error).toBeInstanceOf(UserError);
      // (The patterns name files as the project does: relative to the working directory.)
      expect(run.error!.message).toMatch(message);
    });

    test('bad drift settings name the key, before anything is read', async () => {
      const dir = await project('drift:\n  columns:\n    island:\n      method: kolmogorov\n');
      const run = await check(dir, { config: 'mlops.yaml', ...DRIFTED });
      expect(run.error).toBeInstanceOf(UserError);
      expect(run.error!.message).toMatch(/drift\.columns\.island\.method/);
      expect(run.io.logs).toEqual([]);
    });

    test('an output-dir that cannot be written is an error before any reading', async () => {
      const dir = await project();
      const run = await check(dir, { ...DRIFTED, 'output-dir': '/proc/drift' });
      expect(run.error).toBeInstanceOf(UserError);
      expect(run.error!.message).toMatch(/^input output-dir: \/proc\/drift/);
      expect(run.io.logs.some((l) => l.startsWith('── Reading'))).toBe(false);
    });
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

  const runner = (token: string): Record<string, string> => ({
    GITHUB_API_URL: emulator.url,
    GITHUB_TOKEN: token,
    GITHUB_REPOSITORY: 'octo/ml',
    GITHUB_REF_NAME: 'main',
    GITHUB_RUN_ID: '77',
  });

  test('opens one issue on drift, updates it on the next drifted run, comments and closes it when drift is gone; dispatches retraining', async () => {
    const dir = await project();
    const workflow = emulator.addWorkflow(repo, 'retrain.yml', ['reason']);
    const env = runner('write-token');
    const drifted = {
      config: 'mlops.yaml',
      ...DRIFTED,
      'retrain-workflow': 'retrain.yml',
      'retrain-ref': 'release',
      'retrain-inputs': 'reason=drift',
    };
    const first = await check(dir, drifted, env);
    expect(first.error).toBeNull();
    const issues = emulator.issuesOf(repo);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.labels).toEqual(['drift']);
    expect(issues[0]!.title).toBe('Data drift: penguins');
    expect(issues[0]!.body.startsWith('<!-- mlops-drift:penguins -->')).toBe(true);
    // The report links the run it came from.
    expect(issues[0]!.body).toContain('/octo/ml/actions/runs/77');
    expect(first.outputs['issue-number']).toBe(String(issues[0]!.number));
    expect(workflow.dispatches).toEqual([{ ref: 'release', inputs: { reason: 'drift' } }]);

    const second = await check(dir, drifted, env);
    expect(second.outputs['issue-number']).toBe(first.outputs['issue-number']);
    expect(emulator.issuesOf(repo)).toHaveLength(1);
    expect(workflow.dispatches).toHaveLength(2);

    // Too few current rows to tell: the issue stays open, untouched; no retraining.
    await writeFile(
      join(dir, 'one.csv'),
      readFileSync(join(dir, 'data', 'penguins-production.csv'), 'utf8')
        .split('\n')
        .slice(0, 2)
        .join('\n'),
    );
    const tiny = await check(dir, { ...drifted, current: 'one.csv' }, env);
    expect(tiny.outputs.drifted).toBe('false');
    expect(tiny.outputs['issue-number']).toBe(first.outputs['issue-number']);
    expect(emulator.issuesOf(repo)[0]!.state).toBe('open');
    expect(emulator.commentsOn(repo, emulator.issuesOf(repo)[0]!.number)).toEqual([]);
    expect(workflow.dispatches).toHaveLength(2);

    const gone = await check(dir, { ...drifted, current: 'data/penguins-production-ok.csv' }, env);
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

  test("the retraining runs on the run's branch (GITHUB_REF_NAME) when retrain-ref is not set; drift.* names workflow and labels", async () => {
    const dir = await project('drift:\n  retrain_workflow: retrain-main.yml\n  issue_labels: [data-drift, ml]\n');
    const workflow = emulator.addWorkflow(repo, 'retrain-main.yml');
    const run = await check(dir, DRIFTED, runner('write-token'));
    expect(run.error).toBeNull();
    expect(workflow.dispatches).toEqual([{ ref: 'main', inputs: {} }]);
    const issue = emulator.issuesOf(repo).find((i) => String(i.number) === run.outputs['issue-number']);
    expect(issue?.labels).toEqual(['data-drift', 'ml']);
    emulator.assertClean();
  });

  test('issue: false and no workflow: GitHub is not asked at all', async () => {
    const dir = await project();
    const before = emulator.requests.length;
    const run = await check(dir, { ...DRIFTED, issue: 'false' }, runner('write-token'));
    expect(run.error).toBeNull();
    expect(run.outputs['issue-number']).toBe('');
    expect(emulator.requests.length).toBe(before);
  });

  test('a read-only token: a warning naming the issues: write permission, not a failure', async () => {
    const dir = await project();
    const run = await check(dir, { config: 'mlops.yaml', ...DRIFTED }, runner('read-token'));
    expect(run.failed).toBe(false);
    expect(run.outputs.drifted).toBe('true');
    expect(run.io.warnings().some((w) => /issues: write/.test(w))).toBe(true);
  });

  test('a read-only token cannot dispatch: a warning naming the actions: write permission', async () => {
    const dir = await project();
    emulator.addWorkflow(repo, 'retrain-ro.yml');
    const run = await check(dir, { ...DRIFTED, issue: 'false', 'retrain-workflow': 'retrain-ro.yml' }, runner('read-token'));
    expect(run.failed).toBe(false);
    expect(run.io.warnings().some((w) => /retrain-ro\.yml could not be dispatched.*actions: write/s.test(w))).toBe(true);
  });

  test('issue: true without a repository or a token: a warning saying which is missing', async () => {
    const dir = await project();
    const noRepo = await check(dir, { ...DRIFTED, issue: 'true' }, { GITHUB_TOKEN: 'write-token' });
    expect(noRepo.io.warnings()).toContainEqual(expect.stringContaining('GITHUB_REPOSITORY is not set'));
    const noToken = await check(dir, { ...DRIFTED, issue: 'true' }, { GITHUB_REPOSITORY: 'octo/ml', GITHUB_API_URL: emulator.url });
    expect(noToken.io.warnings()).toContainEqual(expect.stringContaining('no token'));
    expect(noToken.failed).toBe(false);
  });

  test('the token input is used for the issue (over GITHUB_TOKEN)', async () => {
    const dir = await project();
    const run = await check(dir, { ...DRIFTED, token: 'write-token' }, runner('read-token'));
    // With the read-only GITHUB_TOKEN this would be a warning and no issue (see above).
    expect(run.io.warnings()).toEqual([]);
    const issue = emulator.issuesOf(repo).find((i) => String(i.number) === run.outputs['issue-number']);
    expect(issue?.state).toBe('open');
  });
});
