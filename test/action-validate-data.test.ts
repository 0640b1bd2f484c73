/**
 * The validate-data action, proven from its bundle: dist/validate-data/index.js run as
 * the GitHub runner runs it (INPUT_* in; GITHUB_OUTPUT, the job summary file,
 * workflow-command annotations and the exit status out). What the step does with the
 * data is proven in process by step-validate-data.test.ts; here only the runner's
 * contract, on the same example data.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { BUNDLES, hasStackTrace, removeTempDirs, runAction } from './support/action-runner.js';
import type { ActionResult } from './support/action-runner.js';
import { hostileProject, PENGUIN_LINES, penguinsProject as project, setField } from './support/validate-data.js';

afterAll(removeTempDirs);

function at(dir: string, path: string): string {
  return isAbsolute(path) ? path : join(dir, path);
}

/** The one failure annotation of a failed run (an error without file or line: the runner's setFailed). */
function failureOf(run: ActionResult): string {
  expect(run.code).toBe(1);
  expect(hasStackTrace(run.stdout)).toBe(false);
  expect(hasStackTrace(run.stderr)).toBe(false);
  const failures = run.annotations.filter((a) => a.command === 'error' && Object.keys(a.properties).length === 0);
  expect(failures).toHaveLength(1);
  return failures[0]!.message;
}

describe('validate-data action (dist/validate-data/index.js)', () => {
  test('passes on the example: exit 0, outputs in GITHUB_OUTPUT, the report in the job summary, no annotations', async () => {
    const dir = await project();
    const run = await runAction(BUNDLES.validateData, { inputs: {}, cwd: dir });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ valid: 'true', errors: '0', warnings: '0' });
    expect(run.annotations).toEqual([]);
    // Default output folder: .mlops/validate-data beside mlops.yaml (here GITHUB_WORKSPACE).
    expect(at(dir, run.outputs.report!)).toBe(join(dir, '.mlops', 'validate-data', 'report.md'));
    for (const name of ['report', 'profile', 'results']) expect(existsSync(at(dir, run.outputs[name]!))).toBe(true);
    const report = await readFile(at(dir, run.outputs.report!), 'utf8');
    expect(report).toContain('✅ passed');
    expect(run.summary).toContain(report.trim());
  });

  test('a runner without a job summary file: the valid run still passes, and says where the report is', async () => {
    const dir = await project();
    const run = await runAction(BUNDLES.validateData, { inputs: {}, cwd: dir, env: { GITHUB_STEP_SUMMARY: '' } });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ valid: 'true' });
    expect(run.stdout).toContain('No job summary: GITHUB_STEP_SUMMARY is not set');
    expect(run.annotations.filter((a) => a.command === 'error')).toEqual([]);
  });

  test('broken data: exit 1 with one failure message, valid=false, and an annotation at each offending line', async () => {
    const dir = await project();
    const FILE = 'data/broken.csv';
    const lines = [...PENGUIN_LINES];
    lines[9] = setField(lines, 10, 'species', 'Dodo');
    lines[19] = setField(lines, 20, 'body_mass_g', '9999');
    lines[49] = lines[49]!.split(',').slice(0, 5).join(','); // 5 of 7 fields
    await writeFile(join(dir, FILE), `${lines.join('\n')}\n`);
    const run = await runAction(BUNDLES.validateData, { inputs: { data: FILE }, cwd: dir });

    expect(failureOf(run)).toMatch(/^Data validation failed: 3 errors, 0 warnings \(fail-on: error\)/);
    expect(run.outputs).toMatchObject({ valid: 'false', errors: '3', warnings: '0' });
    const located = run.annotations.filter((a) => a.properties.file !== undefined);
    expect(located.map((a) => [a.command, a.properties.title, a.properties.file, a.properties.line])).toEqual([
      ['error', 'validate-data: malformed_row', FILE, '50'],
      ['error', 'validate-data: above_max in body_mass_g', FILE, '20'],
      ['error', 'validate-data: not_in_domain in species', FILE, '10'],
    ]);
    expect(run.summary).toContain('❌ 3 errors, 0 warnings');
  });

  test('a bad input value: exit 1, one failure message naming the input, no stack trace, no outputs', async () => {
    const dir = await project();
    const run = await runAction(BUNDLES.validateData, { inputs: { 'fail-on': 'sometimes' }, cwd: dir });
    const message = failureOf(run);
    expect(message).toContain('fail-on');
    expect(message).toContain('sometimes');
    expect(run.outputs).toEqual({});
  });

  test('a hostile column name cannot start a workflow command of its own', async () => {
    const dir = await hostileProject();
    const run = await runAction(BUNDLES.validateData, {
      inputs: { data: 'hostile.csv', schema: 'schema.yaml', 'output-dir': 'out' },
      cwd: dir,
    });
    expect(run.code).toBe(1);
    expect(run.outputs.report).toBe(join('out', 'report.md'));
    // No name or value started a workflow command of its own: the line break stays inside the annotation.
    expect(run.stdout).not.toMatch(/^::(error|warning)::(injected|value)/m);
    expect(run.annotations.filter((a) => a.message === 'injected' || a.message === 'value')).toEqual([]);
    expect(run.annotations.some((a) => a.command === 'warning' && a.message.includes('evil\n::error::injected'))).toBe(true);
  });

  describe('the root action (dist/main/index.js)', () => {
    test('step: validate-data runs the step', async () => {
      const dir = await project();
      const run = await runAction(BUNDLES.main, { inputs: { step: 'validate-data' }, cwd: dir });
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ valid: 'true', errors: '0', warnings: '0' });
      expect(existsSync(at(dir, run.outputs.report!))).toBe(true);
      expect(run.summary).toContain('Data validation');
    });

    test('step: validate-data passes the other inputs on', async () => {
      const dir = await project();
      await mkdir(join(dir, 'elsewhere'));
      await writeFile(join(dir, 'elsewhere', 'empty.csv'), '');
      const run = await runAction(BUNDLES.main, {
        inputs: { step: 'validate-data', data: 'elsewhere/empty.csv', 'output-dir': 'reports' },
        cwd: dir,
      });
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ valid: 'false', errors: '2', report: join('reports', 'report.md') });
    });

    test('step: an unknown step fails with a clear message naming the steps', async () => {
      const dir = await project();
      const run = await runAction(BUNDLES.main, { inputs: { step: 'serve' }, cwd: dir });
      expect(run.code).toBe(1);
      expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
      const failures = run.annotations.filter((a) => a.command === 'error');
      expect(failures).toHaveLength(1);
      expect(failures[0]!.message).toContain('"serve"');
      expect(failures[0]!.message).toContain('validate-data, train, evaluate, register, deploy, drift-check');
      expect(run.outputs).toEqual({});
    });

    test('step: train runs the train bundle', async () => {
      const dir = await project();
      const run = await runAction(BUNDLES.main, { inputs: { step: 'train', epochs: '3' }, cwd: dir });
      expect(run.code).toBe(0);
      expect(run.outputs.backend).toBe('wasm');
      expect(existsSync(join(dir, run.outputs['model-dir']!, 'model.onnx'))).toBe(true);
    });

    test('no step fails naming the input', async () => {
      const dir = await project();
      const run = await runAction(BUNDLES.main, { inputs: {}, cwd: dir });
      expect(run.code).toBe(1);
      expect(run.annotations.find((a) => a.command === 'error')?.message).toMatch(/step/);
    });
  });
});
