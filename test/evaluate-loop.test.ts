/**
 * The loop as `mlops run` drives it, in process (train, then evaluate, each with only
 * `config`: everything else from mlops.yaml), for a team's own trainer command on the
 * example project: one whose model is not ONNX (evaluate.predictions: the predictions file
 * it writes beside its model), and one that exports ONNX with the framework's
 * reference-predictions.csv (the conversion fidelity gate, passing, then failing on a
 * conversion that changed a prediction).
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readContract } from '../src/core/contracts/index.js';
import { evaluate } from '../src/steps/evaluate.js';
import { train } from '../src/steps/train.js';
import { copyExample, removeTempDirs } from './support/action-runner.js';
import { runStepInProcess } from './support/step-context.js';
import type { InProcessResult } from './support/step-context.js';

const NODE = JSON.stringify(process.execPath);
const ENV = { PATH: process.env.PATH ?? '', GITHUB_RUN_ID: '4242' };

afterAll(removeTempDirs);

function ok(result: InProcessResult): InProcessResult {
  if (result.failed) throw new Error(`${result.error?.message ?? result.io.failed}\n${result.io.log}`);
  return result;
}

/** The example project with `train` and `evaluate` sections replaced (the rest as shipped: data, slices [island, sex] go with evaluate). */
async function project(trainer: string, evaluateSection: string): Promise<string> {
  const dir = await copyExample('mlops-evaluate-loop-');
  await writeFile(join(dir, 'trainer.mjs'), trainer);
  const yaml = readFileSync(join(dir, 'mlops.yaml'), 'utf8');
  const start = yaml.indexOf('train:\n');
  const end = yaml.indexOf('# Production-like data');
  await writeFile(
    join(dir, 'mlops.yaml'),
    `${yaml.slice(0, start)}train:\n  command: ${JSON.stringify(`${NODE} trainer.mjs`)}\nevaluate:\n${evaluateSection}${yaml.slice(end)}`,
  );
  return dir;
}

/** `mlops run`'s train and evaluate: only the config as input. */
async function loop(dir: string): Promise<{ trained: InProcessResult; evaluated: InProcessResult }> {
  const trained = ok(await runStepInProcess(train, { cwd: dir, inputs: { config: 'mlops.yaml' }, env: ENV }));
  const evaluated = await runStepInProcess(evaluate, { cwd: dir, inputs: { config: 'mlops.yaml', comment: 'false' }, env: ENV });
  return { trained, evaluated };
}

describe('a trainer whose model is not ONNX: evaluate.predictions', () => {
  // A rule "fitted" on the penguins, its predictions for the test birds written beside its model,
  // with the test rows' island and sex for the slices.
  const trainer = [
    "import { readFileSync, writeFileSync } from 'node:fs';",
    "const [header, ...lines] = readFileSync('data/penguins-test.csv', 'utf8').trim().split('\\n').map((l) => l.split(','));",
    'const at = (name) => header.indexOf(name);',
    'const out = ["y_true,y_pred,island,sex"];',
    'for (const row of lines) {',
    "  const flipper = Number(row[at('flipper_length_mm')]);",
    "  const bill = Number(row[at('bill_length_mm')]);",
    "  const guess = flipper > 206 ? 'Gentoo' : bill > 44 ? 'Chinstrap' : 'Adelie';",
    "  out.push([row[at('species')], guess, row[at('island')], row[at('sex')]].join(','));",
    '}',
    "writeFileSync(process.env.MLOPS_MODEL_DIR + '/model.pkl', 'a rule');",
    "writeFileSync(process.env.MLOPS_MODEL_DIR + '/predictions.csv', out.join('\\n') + '\\n');",
    'writeFileSync(process.env.MLOPS_METRICS_FILE, JSON.stringify({ accuracy: 0.9 }));',
  ].join('\n');

  test('train, then evaluate from mlops.yaml alone: scored, sliced, blessed; no ONNX anywhere', async () => {
    const dir = await project(
      trainer,
      '  predictions: .mlops/train/model/predictions.csv\n  slices: [island, sex]\n  gates:\n    - metric: accuracy\n      lower: 0.5\n',
    );
    const { trained, evaluated } = await loop(dir);
    expect(trained.io.warnings().join('\n')).toMatch(/evaluate\.predictions/);
    ok(evaluated);
    expect(evaluated.outputs.blessed).toBe('true');
    // The expected accuracy from the file the trainer wrote.
    const rows = readFileSync(join(dir, '.mlops', 'train', 'model', 'predictions.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const right = rows.filter((line) => line.split(',')[0] === line.split(',')[1]).length;
    const metrics = JSON.parse(evaluated.outputs.metrics!) as Record<string, number>;
    expect(metrics.count).toBe(68);
    expect(metrics.accuracy).toBeCloseTo(right / 68, 12);
    expect(evaluated.io.log).toContain(
      'Task of .mlops/train/model/predictions.csv: classification, since y_true holds text labels ("Adelie").',
    );
    const evaluation = (await readContract('evaluation', join(dir, '.mlops', 'evaluate'))) as unknown as {
      slices: Array<{ column: string; count: number }>;
    };
    expect(evaluation.slices.filter((s) => s.column === 'island').reduce((sum, s) => sum + s.count, 0)).toBe(68);
  });
});

describe('a trainer exporting ONNX with its reference predictions: the fidelity gate', () => {
  const fixture = resolve('test/fixtures/onnx/sklearn-strings');
  /** A trainer that "fits" the scikit-learn pipeline (copies the one the fixture script fitted) and its predictions, changed by `edit`. */
  const trainer = (edit = '') =>
    [
      "import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';",
      `copyFileSync(${JSON.stringify(join(fixture, 'model.onnx'))}, process.env.MLOPS_MODEL_DIR + '/model.onnx');`,
      `let reference = readFileSync(${JSON.stringify(join(fixture, 'reference-predictions.csv'))}, 'utf8');`,
      edit,
      "writeFileSync(process.env.MLOPS_MODEL_DIR + '/reference-predictions.csv', reference);",
      'writeFileSync(process.env.MLOPS_METRICS_FILE, JSON.stringify({ accuracy: 0.97 }));',
    ].join('\n');

  test('the graph predicts what scikit-learn did: blessed, with the figures in the blessing', async () => {
    const dir = await project(trainer(), '  slices: [island, sex]\n  gates:\n    - metric: accuracy\n      lower: 0.9\n');
    const { evaluated } = await loop(dir);
    ok(evaluated);
    const blessing = (await readContract('blessing', join(dir, '.mlops', 'evaluate')))!;
    expect(blessing.blessed).toBe(true);
    expect(blessing.fidelity).toMatchObject({ rows: 68, labelAgreement: 1, passed: true, alignedWith: 'reference file' });
    expect(evaluated.io.summary).toContain('### Conversion fidelity');
  });

  test('a conversion that changed a prediction fails the blessing and the step', async () => {
    // The first bird's reference label becomes Gentoo (the graph, like scikit-learn, says Adelie).
    const edit = "reference = reference.replace(/^(Torgersen,36\\.7,[^\\n]*?,Adelie,)Adelie,/m, '$1Gentoo,');";
    const dir = await project(trainer(edit), '  slices: [island, sex]\n');
    const { evaluated } = await loop(dir);
    expect(evaluated.error).toBeNull();
    expect(evaluated.io.failed).toMatch(
      /^The candidate is not blessed: the ONNX graph's labels agree with .*reference-predictions\.csv on 98\.53% of 68 rows \(1 differ: row 1\)/,
    );
    const blessing = (await readContract('blessing', join(dir, '.mlops', 'evaluate')))!;
    expect(blessing).toMatchObject({ blessed: false, fidelity: { passed: false, differingLabels: 1 } });
  });
});
