/**
 * evaluate on models any framework made (real ONNX graphs from PyTorch, scikit-learn and
 * XGBoost, test/fixtures/onnx), in process: the conversion fidelity gate against the
 * framework's reference-predictions.csv (its figures in evaluation.json, blessing.json, the
 * reports and the pull request comment; its tolerance from mlops.yaml and inputs; its rows
 * aligned with the file's features or with the test data; every malformed reference file),
 * and baselines of a predictions file (scored on the file's own rows, or on the test data
 * paired row by row; every way that cannot work, named). Expected figures come from the
 * fixture files themselves, never from the code under test.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readContract } from '../src/core/contracts/index.js';
import { UserError } from '../src/core/errors.js';
import { evaluate } from '../src/steps/evaluate.js';
import { ROOT, makeTempDir, removeTempDirs } from './support/action-runner.js';
import { runStepInProcess } from './support/step-context.js';
import type { InProcessResult } from './support/step-context.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'onnx');
const HEAD = 'beef'.padEnd(40, '0');

afterAll(async () => {
  await removeTempDirs();
});

function ok(result: InProcessResult): InProcessResult {
  if (result.failed) throw new Error(`${result.error?.message ?? result.io.failed}\n${result.io.log}`);
  return result;
}

function userError(result: InProcessResult): UserError {
  if (!(result.error instanceof UserError)) throw new Error(`expected a UserError, got ${String(result.error)}\n${result.io.log}`);
  return result.error;
}

/** A CSV of the fixtures (never quoted) as header and rows of cells. */
interface Csv {
  header: string[];
  rows: string[][];
}
const parseCsv = (text: string): Csv => {
  const [header, ...rows] = text
    .trim()
    .split('\n')
    .map((line) => line.split(','));
  return { header: header!, rows };
};
const writeCsv = (csv: Csv): string => `${[csv.header, ...csv.rows].map((cells) => cells.join(',')).join('\n')}\n`;
const fixtureCsv = (fixture: string, file: string): Csv => parseCsv(readFileSync(join(FIXTURES, fixture, file), 'utf8'));
/** Only the named columns, in that order. */
const pick = (csv: Csv, names: string[]): Csv => {
  const at = names.map((n) => csv.header.indexOf(n));
  return { header: names, rows: csv.rows.map((row) => at.map((i) => row[i]!)) };
};
const without = (csv: Csv, drop: (name: string) => boolean): Csv =>
  pick(
    csv,
    csv.header.filter((n) => !drop(n)),
  );
const FEATURE = (name: string): boolean => !['y_true', 'y_pred'].includes(name) && !name.startsWith('score:');

/** The model card the penguins graph needs: its target is `species` (the graph does not name it). */
const PENGUINS_CARD = JSON.stringify({
  format: 'mlops-model-card/v1',
  name: 'demo',
  task: 'classification',
  trainer: { kind: 'command', command: 'python train.py' },
  signature: {
    features: [
      { name: 'island', type: 'string' },
      { name: 'sex', type: 'string' },
      { name: 'bill_length_mm', type: 'number' },
      { name: 'bill_depth_mm', type: 'number' },
      { name: 'flipper_length_mm', type: 'number' },
      { name: 'body_mass_g', type: 'number' },
    ],
    target: { name: 'species', task: 'classification', classes: ['Adelie', 'Chinstrap', 'Gentoo'] },
    probabilities: true,
  },
  data: { target: 'species', files: [] },
});

interface ProjectOptions {
  /** Replaces reference-predictions.csv; null removes it. */
  reference?: Csv | null;
  /** Replaces the test data. */
  test?: Csv;
  /** Lines of mlops.yaml's evaluate section. */
  evaluate?: string;
}

/** A project with the fixture's graph as model/ (with a card where needed) and its data.csv as the test data. */
async function project(fixture: string, options: ProjectOptions = {}): Promise<string> {
  const dir = await makeTempDir(`mlops-evaluate-onnx-${fixture}-`);
  await cp(join(FIXTURES, fixture), join(dir, 'model'), { recursive: true });
  await rm(join(dir, 'model', 'data.csv'));
  if (fixture === 'sklearn-strings') await writeFile(join(dir, 'model', 'model-card.json'), PENGUINS_CARD);
  if (options.reference === null) await rm(join(dir, 'model', 'reference-predictions.csv'));
  else if (options.reference) await writeFile(join(dir, 'model', 'reference-predictions.csv'), writeCsv(options.reference));
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'data', 'test.csv'), options.test ? writeCsv(options.test) : readFileSync(join(FIXTURES, fixture, 'data.csv')));
  await writeFile(
    join(dir, 'mlops.yaml'),
    `version: 1\nmodel:\n  name: demo\ndata:\n  test: data/test.csv\n${options.evaluate ? `evaluate:\n${options.evaluate}` : ''}`,
  );
  return dir;
}

const run = (cwd: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}) =>
  runStepInProcess(evaluate, { cwd, inputs: { config: 'mlops.yaml', comment: 'false', 'model-dir': 'model', ...inputs }, env });

interface Fidelity {
  file: string;
  task: string;
  rows: number;
  alignedWith: string;
  labelAgreement: number | null;
  differingLabels: number | null;
  maxDifference: number | null;
  maxDifferenceAt: { row: number; column: string; reference: number; model: number } | null;
  tolerance: { maxDifference: number; minLabelAgreement: number };
  passed: boolean;
  reasons: string[];
}
const fidelityOf = async (dir: string): Promise<{ blessing: Fidelity; evaluation: Fidelity }> => {
  const blessing = (await readContract('blessing', join(dir, '.mlops', 'evaluate')))!;
  const evaluation = (await readContract('evaluation', join(dir, '.mlops', 'evaluate')))!;
  return { blessing: blessing.fidelity as unknown as Fidelity, evaluation: evaluation.fidelity as unknown as Fidelity };
};

/** A pull request event file, so evaluate saves its comment (comment.json) for the reporter. */
async function pullRequestEvent(dir: string): Promise<Record<string, string>> {
  const path = join(dir, 'event.json');
  await writeFile(path, JSON.stringify({ action: 'synchronize', number: 7, pull_request: { number: 7, head: { sha: HEAD } } }));
  return { GITHUB_EVENT_PATH: path, GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'octo/ml' };
}

describe('conversion fidelity: each framework graph against its own predictions', () => {
  test.each(['torch-mlp', 'sklearn-logreg-zipmap', 'sklearn-gbdt', 'sklearn-strings'])(
    "%s: every label agrees, probabilities within 1e-4; metrics are the framework's own",
    async (fixture) => {
      const dir = await project(fixture);
      const result = ok(await run(dir, {}, await pullRequestEvent(dir)));
      expect(result.outputs.blessed).toBe('true');
      const reference = fixtureCsv(fixture, 'reference-predictions.csv');
      const { blessing, evaluation } = await fidelityOf(dir);
      expect(blessing).toMatchObject({
        file: join('model', 'reference-predictions.csv'),
        task: 'classification',
        rows: reference.rows.length,
        alignedWith: 'reference file',
        labelAgreement: 1,
        differingLabels: 0,
        tolerance: { maxDifference: 1e-4, minLabelAgreement: 1 },
        passed: true,
        reasons: [],
      });
      expect(blessing.maxDifference).toBeLessThanOrEqual(1e-4);
      expect(evaluation).toEqual(blessing);
      // The graph's labels are the framework's, so its accuracy is the reference file's.
      const truth = pick(reference, ['y_true', 'y_pred']).rows;
      const metrics = JSON.parse(result.outputs.metrics!) as Record<string, number>;
      expect(metrics.accuracy).toBeCloseTo(truth.filter(([t, p]) => t === p).length / truth.length, 12);
      // Every report shows the figures.
      expect(result.io.summary).toContain('### Conversion fidelity');
      expect(result.io.summary).toMatch(
        new RegExp(`\\| ${reference.rows.length} \\(reference file rows\\) \\| 100% \\(0 rows differ\\) \\|`),
      );
      expect(result.io.summary).toContain('✅ pass');
      const html = readFileSync(join(dir, '.mlops', 'evaluate', 'report.html'), 'utf8');
      expect(html).toContain('<h2>Conversion fidelity</h2>');
      expect(html).toContain('No gates are set; passed the conversion fidelity check.');
      const saved = await readContract('savedComment', join(dir, '.mlops', 'evaluate'));
      expect(saved!.sections.find((s) => s.title === 'Conversion fidelity')?.body).toContain('labels and probabilities');
      expect(result.io.log).toMatch(
        /Conversion fidelity \(model\/reference-predictions\.csv, reference file rows\): labels agree on \d+ of \d+ rows, largest difference .*: pass\./,
      );
    },
    60_000,
  );

  test('xgboost-regressor: values within 1e-4 relative; regression has no label agreement', async () => {
    const dir = await project('xgboost-regressor');
    const result = ok(await run(dir));
    const { blessing } = await fidelityOf(dir);
    expect(blessing).toMatchObject({ task: 'regression', rows: 111, labelAgreement: null, differingLabels: null, passed: true });
    expect(blessing.maxDifference).toBeLessThanOrEqual(1e-4);
    expect(result.io.summary).toContain('predicted values (relative above 1)');
    // The graph's predictions are the framework's: MAE from the reference file.
    const pairs = pick(fixtureCsv('xgboost-regressor', 'reference-predictions.csv'), ['y_true', 'y_pred']).rows.map(([t, p]) => [
      Number(t),
      Number(p),
    ]);
    const mae = pairs.reduce((sum, [t, p]) => sum + Math.abs(t! - p!), 0) / pairs.length;
    expect((JSON.parse(result.outputs.metrics!) as { mae: number }).mae).toBeCloseTo(mae, 3);
  });

  test('no reference-predictions.csv: no check, fidelity null, no section', async () => {
    const dir = await project('sklearn-gbdt', { reference: null });
    const result = ok(await run(dir));
    const { blessing, evaluation } = await fidelityOf(dir);
    expect(blessing).toBeNull();
    expect(evaluation).toBeNull();
    expect(result.io.summary).not.toContain('Conversion fidelity');
  });
});

describe('conversion fidelity: a graph that does not predict what the framework did', () => {
  /** The gbdt reference with row 5's label flipped and row 9's probabilities moved by 0.01. */
  const tampered = (): Csv => {
    const csv = fixtureCsv('sklearn-gbdt', 'reference-predictions.csv');
    const [yPred, s0, s1] = ['y_pred', 'score:0', 'score:1'].map((n) => csv.header.indexOf(n));
    const flip = csv.rows[4]!;
    flip[yPred!] = flip[yPred!] === '1' ? '0' : '1';
    const moved = csv.rows[8]!;
    const p1 = Number(moved[s1!]);
    const shifted = p1 > 0.5 ? p1 - 0.01 : p1 + 0.01;
    moved[s1!] = String(shifted);
    moved[s0!] = String(1 - shifted);
    return csv;
  };

  test('fails the blessing with every reason (rows named), shown in every report; the step fails', async () => {
    const dir = await project('sklearn-gbdt', { reference: tampered() });
    const result = await run(dir, {}, await pullRequestEvent(dir));
    expect(result.error).toBeNull();
    expect(result.outputs.blessed).toBe('false');
    const { blessing } = await fidelityOf(dir);
    expect(blessing).toMatchObject({ rows: 143, labelAgreement: 142 / 143, differingLabels: 1, passed: false });
    expect(blessing.maxDifference).toBeCloseTo(0.01, 4);
    expect(blessing.maxDifferenceAt).toMatchObject({ row: 9 });
    expect(blessing.reasons).toHaveLength(2);
    expect(blessing.reasons[0]).toMatch(
      /^the ONNX graph's labels agree with model\/reference-predictions\.csv on 99\.3% of 143 rows \(1 differ: row 5\), below the minimum 100%; check the export/,
    );
    expect(blessing.reasons[1]).toMatch(
      /^the ONNX graph's probabilities differ from model\/reference-predictions\.csv by up to 0\.01 \(row 9, score:[01]: /,
    );
    const file = (await readContract('blessing', join(dir, '.mlops', 'evaluate')))!;
    expect(file.reasons).toEqual(blessing.reasons);
    expect(result.io.failed).toMatch(/^The candidate is not blessed: the ONNX graph's labels agree/);
    expect(result.io.summary).toContain('❌ fail');
    expect(result.io.summary).toContain('**Why not blessed:**');
    const html = readFileSync(join(dir, '.mlops', 'evaluate', 'report.html'), 'utf8');
    expect(html).toContain('Failed the conversion fidelity check:');
    expect(html).toContain('<span class="fail">fail</span>');
    const saved = await readContract('savedComment', join(dir, '.mlops', 'evaluate'));
    expect(saved!.header).toContain('agree with');
  });

  test('evaluate.fidelity in mlops.yaml loosens it; the inputs win over mlops.yaml', async () => {
    const dir = await project('sklearn-gbdt', {
      reference: tampered(),
      evaluate: '  fidelity:\n    max_difference: 0.02\n    min_label_agreement: 0.99\n',
    });
    ok(await run(dir));
    expect((await fidelityOf(dir)).blessing).toMatchObject({ passed: true, tolerance: { maxDifference: 0.02, minLabelAgreement: 0.99 } });
    const strict = await run(dir, { 'fidelity-max-difference': '0.001' });
    expect(strict.outputs.blessed).toBe('false');
    const { blessing } = await fidelityOf(dir);
    expect(blessing.tolerance).toEqual({ maxDifference: 0.001, minLabelAgreement: 0.99 });
    expect(blessing.reasons).toHaveLength(1);
    expect(blessing.reasons[0]).toMatch(/differ from .* by up to 0\.01 .*above the maximum 0\.001/);
    const labels = await run(dir, { 'fidelity-min-label-agreement': '1' });
    expect((await fidelityOf(dir)).blessing.reasons[0]).toMatch(/below the minimum 100%/);
    expect(labels.outputs.blessed).toBe('false');
  });

  test('a regressor beyond the tolerance: the difference is relative to the value above 1', async () => {
    const csv = fixtureCsv('xgboost-regressor', 'reference-predictions.csv');
    const at = csv.header.indexOf('y_pred');
    // Row 3's value times 1.001: a relative difference of about 0.001.
    csv.rows[2]![at] = String(Number(csv.rows[2]![at]) * 1.001);
    const dir = await project('xgboost-regressor', { reference: csv });
    const result = await run(dir);
    expect(result.outputs.blessed).toBe('false');
    const { blessing } = await fidelityOf(dir);
    expect(blessing.maxDifference).toBeCloseTo(0.001, 4);
    expect(blessing.maxDifferenceAt).toMatchObject({ row: 3, column: 'y_pred' });
    expect(blessing.reasons[0]).toMatch(
      /^the ONNX graph's predictions differ from model\/reference-predictions\.csv by up to 0\.000999 \(row 3: 180\.\d+ against 181\.\d+; relative to the value above 1\), above the maximum 0\.0001; check the export/,
    );
  });

  test('bad tolerances are refused with the input or key named', async () => {
    const dir = await project('sklearn-gbdt');
    expect(userError(await run(dir, { 'fidelity-max-difference': '-1' })).message).toBe(
      'input fidelity-max-difference: -1 (input) is below 0',
    );
    expect(userError(await run(dir, { 'fidelity-max-difference': 'tiny' })).message).toBe(
      'input fidelity-max-difference: "tiny" (input) is not a number',
    );
    expect(userError(await run(dir, { 'fidelity-min-label-agreement': '1.5' })).message).toBe(
      'input fidelity-min-label-agreement: 1.5 (input) is above 1',
    );
    const typo = await project('sklearn-gbdt', { evaluate: '  fidelity:\n    max_diff: 0.1\n' });
    const error = userError(await run(typo));
    expect(error.message).toMatch(/evaluate\.fidelity/);
    expect(error.message).toMatch(/max_diff/);
    const share = await project('sklearn-gbdt', { evaluate: '  fidelity:\n    min_label_agreement: 99\n' });
    expect(userError(await run(share)).message).toMatch(/evaluate\.fidelity\.min_label_agreement/);
  });
});

describe('conversion fidelity: which rows, and malformed reference files', () => {
  test('a reference file without feature columns is paired with the test data rows, in order', async () => {
    const reference = without(fixtureCsv('sklearn-strings', 'reference-predictions.csv'), FEATURE);
    const dir = await project('sklearn-strings', { reference });
    const result = ok(await run(dir));
    expect((await fidelityOf(dir)).blessing).toMatchObject({ alignedWith: 'test data', rows: 68, labelAgreement: 1, passed: true });
    expect(result.io.summary).toContain('68 (test data rows)');
  });

  test("without feature columns, a row count other than the test data's is an error with both counts", async () => {
    const reference = without(fixtureCsv('sklearn-strings', 'reference-predictions.csv'), FEATURE);
    reference.rows.pop();
    const dir = await project('sklearn-strings', { reference });
    const error = userError(await run(dir));
    expect(error.message).toBe(
      "model/reference-predictions.csv has no feature columns, so its rows are the test data's rows in order, but it has 67 rows and the test data 68",
    );
    expect(error.hint).toMatch(/in the order of the test data, or write the feature columns/);
  });

  test('some feature columns but not all: the missing ones are named', async () => {
    const reference = without(fixtureCsv('sklearn-strings', 'reference-predictions.csv'), (n) => n === 'sex' || n === 'body_mass_g');
    const dir = await project('sklearn-strings', { reference });
    expect(userError(await run(dir)).message).toMatch(
      /^model\/reference-predictions\.csv lacks feature columns the model takes: sex, body_mass_g \(it has island, /,
    );
  });

  test('missing prediction columns are errors naming them', async () => {
    const reference = fixtureCsv('sklearn-gbdt', 'reference-predictions.csv');
    const noPred = await project('sklearn-gbdt', { reference: without(reference, (n) => n === 'y_pred') });
    expect(userError(await run(noPred)).message).toMatch(
      /^model\/reference-predictions\.csv has no column y_pred \(its columns: mean_radius, /,
    );
    const noScore = await project('sklearn-gbdt', { reference: without(reference, (n) => n === 'score:1') });
    expect(userError(await run(noScore)).message).toBe(
      'model/reference-predictions.csv: no score column for the classes 1 (the model gives probabilities for 0, 1)',
    );
  });

  test('a class in the file that the model does not know is an error naming it and the classes', async () => {
    const reference = fixtureCsv('sklearn-logreg-zipmap', 'reference-predictions.csv');
    const yPred = reference.header.indexOf('y_pred');
    reference.rows[3]![yPred] = 'setosa';
    const label = await project('sklearn-logreg-zipmap', { reference });
    const error = userError(await run(label));
    expect(error.message).toBe(
      'model/reference-predictions.csv: y_pred holds classes the model does not know: setosa (its classes: 0, 1, 2)',
    );
    const extra = fixtureCsv('sklearn-logreg-zipmap', 'reference-predictions.csv');
    extra.header.push('score:3');
    for (const row of extra.rows) row.push('0');
    const column = await project('sklearn-logreg-zipmap', { reference: extra });
    expect(userError(await run(column)).message).toBe(
      'model/reference-predictions.csv: score columns for classes the model does not know: score:3 (its classes: 0, 1, 2)',
    );
  });

  test('an empty prediction is named by row and line', async () => {
    const reference = fixtureCsv('xgboost-regressor', 'reference-predictions.csv');
    reference.rows[6]![reference.header.indexOf('y_pred')] = '';
    const dir = await project('xgboost-regressor', { reference });
    expect(userError(await run(dir)).message).toBe(
      "model/reference-predictions.csv, row 7 (line 8), column y_pred is empty: expected a number (the original model's prediction)",
    );
  });
});

describe('baselines of a predictions file', () => {
  /** The gbdt reference predictions as a predictions file: features, y_true, y_pred, scores. */
  const gbdtPredictions = (): Csv => fixtureCsv('sklearn-gbdt', 'reference-predictions.csv');

  /** A project evaluating `predictions` with the gbdt graph in baseline/ and, optionally, test data. */
  async function predictionsProject(predictions: Csv, test?: Csv | null): Promise<string> {
    const dir = await makeTempDir('mlops-evaluate-baseline-');
    await cp(join(FIXTURES, 'sklearn-gbdt'), join(dir, 'baseline'), { recursive: true });
    await writeFile(join(dir, 'predictions.csv'), writeCsv(predictions));
    const hasTest = test !== null;
    if (hasTest) await writeFile(join(dir, 'test.csv'), test ? writeCsv(test) : await readFile(join(FIXTURES, 'sklearn-gbdt', 'data.csv')));
    await writeFile(join(dir, 'mlops.yaml'), `version: 1\nmodel:\n  name: demo\n${hasTest ? 'data:\n  test: test.csv\n' : ''}`);
    return dir;
  }
  const runPredictions = (dir: string, inputs: Record<string, string> = {}) =>
    runStepInProcess(evaluate, {
      cwd: dir,
      inputs: { config: 'mlops.yaml', comment: 'false', predictions: 'predictions.csv', 'baseline-model-dir': 'baseline', ...inputs },
    });

  test("scored on the file's own rows when it holds every feature the baseline takes: the same predictions score the same", async () => {
    const dir = await predictionsProject(gbdtPredictions(), null);
    const result = ok(await runPredictions(dir));
    const candidate = JSON.parse(result.outputs.metrics!) as Record<string, number>;
    const baseline = JSON.parse(result.outputs['baseline-metrics']!) as Record<string, number>;
    expect(baseline.count).toBe(143);
    expect(baseline.accuracy).toBe(candidate.accuracy);
    expect(baseline.roc_auc).toBeCloseTo(candidate.roc_auc!, 6);
    expect(result.io.log).toContain('Scoring the baseline baseline on the rows of predictions.csv');
  });

  test('scored on the test data, paired row by row, when the file has no feature columns and the counts agree', async () => {
    const dir = await predictionsProject(without(gbdtPredictions(), FEATURE));
    const result = ok(await runPredictions(dir));
    const candidate = JSON.parse(result.outputs.metrics!) as Record<string, number>;
    expect((JSON.parse(result.outputs['baseline-metrics']!) as Record<string, number>).accuracy).toBe(candidate.accuracy);
    expect(result.io.log).toContain(
      'Scoring the baseline baseline on the 143 rows of the test data (test.csv), paired in order with predictions.csv',
    );
  });

  test('a registry alias as baseline, with a predictions file', async () => {
    const dir = await predictionsProject(gbdtPredictions(), null);
    const result = ok(
      await runStepInProcess(evaluate, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', comment: 'false', predictions: 'predictions.csv', 'baseline-alias': 'production' },
        adjust(ctx) {
          const registry = ctx.registry();
          return {
            ...ctx,
            registry: () => ({
              ...registry,
              aliases: async () => ({ production: 3 }),
              pull: async (_model: string, _ref: string, into: string) => {
                await cp(join(dir, 'baseline'), into, { recursive: true });
                return { version: 3, uri: 'local://demo/3' } as Awaited<ReturnType<typeof registry.pull>>;
              },
            }),
          };
        },
      }),
    );
    expect((JSON.parse(result.outputs['baseline-metrics']!) as { count: number }).count).toBe(143);
    expect(result.io.summary).toContain('production = demo v3 (local://demo/3)');
  });

  test('neither way: the missing columns and the differing counts are named, never a model directory asked for', async () => {
    const short = fixtureCsv('sklearn-gbdt', 'data.csv');
    short.rows.splice(100);
    const dir = await predictionsProject(without(gbdtPredictions(), FEATURE), short);
    const error = userError(await runPredictions(dir));
    expect(error.message).toBe(
      'predictions.csv lacks 8 of the 8 feature columns the baseline baseline takes (mean_radius, mean_texture, mean_smoothness, mean_compactness, mean_concave_points, worst_radius, worst_texture, worst_concave_points), ' +
        'and the test data (test.csv) has 100 rows where predictions.csv has 143, so their rows cannot be paired',
    );
    expect(error.hint).toMatch(/Write the feature columns of the test rows into the predictions file/);
    expect(error.message).not.toMatch(/model-dir/);
    const noTest = await predictionsProject(
      without(gbdtPredictions(), (n) => n === 'mean_radius'),
      null,
    );
    expect(userError(await runPredictions(noTest)).message).toBe(
      'predictions.csv lacks 1 of the 8 feature columns the baseline baseline takes (mean_radius), and there is no test data to score it on instead',
    );
  });

  test('test data in another order than the predictions is caught by its target column', async () => {
    const test = fixtureCsv('sklearn-gbdt', 'data.csv');
    test.rows.reverse();
    const dir = await predictionsProject(without(gbdtPredictions(), FEATURE), test);
    expect(userError(await runPredictions(dir)).message).toMatch(
      /^the test data \(test\.csv\) and predictions\.csv are not in the same order: at row \d+ \(line \d+\) of predictions\.csv, y_true is [01] but the test data's target is [01] \(\d+ of 143 rows differ\)$/,
    );
  });

  test('a baseline of another task is refused', async () => {
    const dir = await predictionsProject(gbdtPredictions(), null);
    await rm(join(dir, 'baseline'), { recursive: true });
    await cp(join(FIXTURES, 'xgboost-regressor'), join(dir, 'baseline'), { recursive: true });
    expect(userError(await runPredictions(dir)).message).toBe(
      'the baseline baseline is a regression model, but predictions.csv is scored as classification, from its score:<class> columns',
    );
  });
});

describe('a model candidate with a baseline model', () => {
  test('the same graph as baseline scores the same on the test data', async () => {
    const dir = await project('sklearn-strings', { evaluate: '  slices: [island]\n' });
    const result = ok(await run(dir, { 'baseline-model-dir': 'model' }));
    expect(JSON.parse(result.outputs['baseline-metrics']!)).toEqual(JSON.parse(result.outputs.metrics!));
    const evaluation = (await readContract('evaluation', join(dir, '.mlops', 'evaluate'))) as unknown as {
      slices: Array<{ value: string }>;
    };
    expect(evaluation.slices.map((s) => s.value)).toEqual(['Biscoe', 'Dream', 'Torgersen']);
  });
});
