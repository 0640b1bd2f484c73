/**
 * evaluate with a predictions file (no model, no ONNX), in process: the file named in
 * mlops.yaml (evaluate.predictions), how its task is chosen (the task input, evaluate.task,
 * the model card beside it, else the file), the probability columns and every way they can
 * be wrong, slices read from the file itself, and every bad input with the message a user
 * sees. Expected metrics are worked out by hand in the comments.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readContract } from '../src/core/contracts/index.js';
import type { TableColumn } from '../src/core/data/table.js';
import { UserError } from '../src/core/errors.js';
import { chooseTask, compareLabels, inferTask, scorePredictions } from '../src/core/evaluate/predictions.js';
import { evaluate } from '../src/steps/evaluate.js';
import { makeTempDir, removeTempDirs } from './support/action-runner.js';
import { runStepInProcess } from './support/step-context.js';
import type { InProcessResult } from './support/step-context.js';

afterAll(async () => {
  await removeTempDirs();
});

function ok(result: InProcessResult): InProcessResult {
  if (result.failed) throw new Error(`${result.error?.message ?? result.io.failed}\n${result.io.log}`);
  return result;
}

/** The UserError a run failed with (message and hint), or a failure explaining why there is none. */
function userError(result: InProcessResult): UserError {
  if (!(result.error instanceof UserError)) throw new Error(`expected a UserError, got ${String(result.error)}\n${result.io.log}`);
  return result.error;
}

/** A project folder: mlops.yaml (model "demo", no gates unless given) and the files given, by relative path. */
async function project(files: Record<string, string>, evaluateSection = ''): Promise<string> {
  const dir = await makeTempDir('mlops-evaluate-predictions-');
  await writeFile(join(dir, 'mlops.yaml'), `version: 1\nmodel:\n  name: demo\n${evaluateSection ? `evaluate:\n${evaluateSection}` : ''}`);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const run = (cwd: string, inputs: Record<string, string> = {}) =>
  runStepInProcess(evaluate, { cwd, inputs: { config: 'mlops.yaml', comment: 'false', ...inputs } });

const metricsOf = (result: InProcessResult): Record<string, number> => JSON.parse(result.outputs.metrics!) as Record<string, number>;

/** A model card for a command trainer, with the task (and classes) it records. */
const card = (task: 'classification' | 'regression', classes?: string[]): string =>
  JSON.stringify({
    format: 'mlops-model-card/v1',
    name: 'demo',
    task,
    trainer: { kind: 'command', command: 'python train.py' },
    data: { target: 'y', classes: classes ?? null, files: [] },
  });

// Three classes, scores summing to 1; y_pred is the most probable class.
// Rows (y_true, y_pred): (a,a) (a,b) (b,b) (c,c) (c,a): accuracy 3/5.
const THREE_CLASSES =
  'y_true,y_pred,score:a,score:b,score:c,island\n' +
  'a,a,0.7,0.2,0.1,Dream\n' +
  'a,b,0.3,0.6,0.1,Dream\n' +
  'b,b,0.1,0.8,0.1,Biscoe\n' +
  'c,c,0.2,0.2,0.6,Biscoe\n' +
  'c,a,0.5,0.1,0.4,Biscoe\n';

describe('evaluate.predictions in mlops.yaml', () => {
  test('is read from mlops.yaml, relative to it (run from a sub-folder); no model directory is needed', async () => {
    const dir = await project({ 'out/predictions.csv': THREE_CLASSES }, '  predictions: out/predictions.csv\n');
    await mkdir(join(dir, 'sub'));
    const result = ok(
      await runStepInProcess(evaluate, { cwd: join(dir, 'sub'), inputs: { config: join('..', 'mlops.yaml'), comment: 'false' } }),
    );
    expect(metricsOf(result).accuracy).toBeCloseTo(3 / 5, 12);
    expect(metricsOf(result).count).toBe(5);
    const blessing = await readContract('blessing', join(dir, '.mlops', 'evaluate'));
    expect(blessing).toMatchObject({ blessed: true, model: { name: 'demo' }, fidelity: null });
    // Shown relative to the working directory when inside it, else whole: here outside it, beside mlops.yaml.
    expect(blessing!.model.source).toBe(join(dir, 'out', 'predictions.csv'));
    expect(result.io.log).not.toContain('Scoring');
  });

  test('the predictions input wins over evaluate.predictions', async () => {
    const dir = await project(
      { 'configured.csv': THREE_CLASSES, 'given.csv': 'y_true,y_pred\na,a\nb,b\n' },
      '  predictions: configured.csv\n',
    );
    const result = ok(await run(dir, { predictions: 'given.csv' }));
    expect(metricsOf(result)).toMatchObject({ count: 2, accuracy: 1 });
  });

  test('a predictions file that does not exist, or is a folder, is named with where it was set', async () => {
    const dir = await project({}, '  predictions: nowhere.csv\n');
    const missing = userError(await run(dir));
    expect(missing.message).toBe('cannot read predictions nowhere.csv: no such file');
    expect(missing.hint).toMatch(/evaluate\.predictions in mlops\.yaml \(relative to mlops\.yaml\)/);
    await mkdir(join(dir, 'folder.csv'));
    expect(userError(await run(dir, { predictions: 'folder.csv' })).message).toBe(
      'cannot read predictions folder.csv: it is a folder, not a file',
    );
  });

  test('a file without y_true or y_pred names the columns it has', async () => {
    const dir = await project({ 'p.csv': 'truth,prediction\na,a\n' });
    const error = userError(await run(dir, { predictions: 'p.csv' }));
    expect(error.message).toBe('p.csv has no column y_true (its columns: truth, prediction)');
    expect(error.hint).toMatch(/columns y_true \(the truth\) and y_pred/);
  });

  test('rows without y_true or y_pred are left out with a warning naming them; none left is an error', async () => {
    const dir = await project({ 'p.csv': 'y_true,y_pred\na,a\n,b\nb,\nb,b\n', 'empty.csv': 'y_true,y_pred\n,a\nb,\n' });
    const result = ok(await run(dir, { predictions: 'p.csv' }));
    expect(metricsOf(result).count).toBe(2);
    expect(result.io.warnings()).toContain(
      'p.csv: 2 of 4 rows have no y_true or no y_pred and were left out (row 2 (line 3), row 3 (line 4)).',
    );
    expect(userError(await run(dir, { predictions: 'empty.csv' })).message).toBe('empty.csv: no row has both y_true and y_pred');
  });
});

describe('the task of a predictions file', () => {
  test('whole-number truths with fractional predictions are regression, never classes', async () => {
    // Counts predicted by a regressor: |errors| 0.5, 0.25, 0.75, 0.5: MAE 0.5.
    const dir = await project({ 'counts.csv': 'y_true,y_pred\n3,3.5\n0,0.25\n7,6.25\n2,2.5\n' });
    const result = ok(await run(dir, { predictions: 'counts.csv' }));
    expect(metricsOf(result).mae).toBeCloseTo(0.5, 12);
    expect(metricsOf(result)).not.toHaveProperty('accuracy');
    expect(result.io.log).toContain('Task of counts.csv: regression, since y_pred holds numbers with fractions (3.5).');
    expect(result.io.summary).toContain('regression, 4 test rows');
  });

  test('whole numbers only: classification for a few distinct values, with one log line saying how to set the task', async () => {
    const dir = await project({ 'labels.csv': 'y_true,y_pred\n0,0\n1,1\n1,0\n0,0\n' });
    const result = ok(await run(dir, { predictions: 'labels.csv' }));
    expect(metricsOf(result).accuracy).toBeCloseTo(3 / 4, 12);
    const lines = result.io.logs.filter((l) => l.startsWith('Task of labels.csv'));
    expect(lines).toEqual([
      'Task of labels.csv: classification, since y_true and y_pred hold whole numbers only, 2 distinct (at most 20 read as classes); ' +
        'if that is wrong, set `task` (evaluate.task in mlops.yaml, or the task input) to classification or regression.',
    ]);
    const evaluation = (await readContract('evaluation', join(dir, '.mlops', 'evaluate'))) as unknown as { taskReason: string };
    expect(evaluation.taskReason).toMatch(/^classification, since y_true and y_pred hold whole numbers only/);
  });

  test('whole numbers only with more than 20 distinct values: regression, said as ambiguous', async () => {
    // y = 0..24, predictions y + 1: MAE 1.
    const rows = Array.from({ length: 25 }, (_, i) => `${i},${i + 1}`).join('\n');
    const dir = await project({ 'ages.csv': `y_true,y_pred\n${rows}\n` });
    const result = ok(await run(dir, { predictions: 'ages.csv' }));
    expect(metricsOf(result).mae).toBe(1);
    expect(result.io.log).toMatch(
      /Task of ages\.csv: regression, since y_true and y_pred hold whole numbers only, 26 distinct \(more than 20 read as classes\); if that is wrong, set `task`/,
    );
  });

  test('the task input, and evaluate.task in mlops.yaml, decide; the input wins', async () => {
    // As regression: |errors| 0, 0, 1, 0: MAE 0.25.
    const file = 'y_true,y_pred\n0,0\n1,1\n1,0\n0,0\n';
    const dir = await project({ 'p.csv': file }, '  task: regression\n');
    const configured = ok(await run(dir, { predictions: 'p.csv' }));
    expect(metricsOf(configured).mae).toBeCloseTo(0.25, 12);
    expect(configured.io.log).toContain('Task of p.csv: regression, as evaluate.task in mlops.yaml sets.');
    const input = ok(await run(dir, { predictions: 'p.csv', task: 'classification' }));
    expect(metricsOf(input).accuracy).toBeCloseTo(0.75, 12);
    expect(input.io.log).toContain('Task of p.csv: classification, as the task input sets.');
  });

  test("the model card beside the file, or in model-dir, tells the task when the setting is auto; its classes order the report's", async () => {
    const file = 'y_true,y_pred\n0,0\n1,1\n1,0\n0,0\n';
    const beside = await project({ 'run/p.csv': file, 'run/model-card.json': card('regression') });
    const fromBeside = ok(await run(beside, { predictions: join('run', 'p.csv') }));
    expect(metricsOf(fromBeside).mae).toBeCloseTo(0.25, 12);
    expect(fromBeside.io.log).toContain(
      `Task of ${join('run', 'p.csv')}: regression, as the model card ${join('run', 'model-card.json')} says.`,
    );
    // The train step's model directory (the default model-dir) holds the card of a command trainer.
    const trained = await project({
      'p.csv': 'y_true,y_pred\nyes,no\nno,no\n',
      '.mlops/train/model/model-card.json': card('classification', ['yes', 'no']),
    });
    const fromModelDir = ok(await run(trained, { predictions: 'p.csv' }));
    expect(fromModelDir.io.log).toContain(
      `Task of p.csv: classification, as the model card ${join('.mlops', 'train', 'model', 'model-card.json')} says.`,
    );
    const evaluation = (await readContract('evaluation', join(trained, '.mlops', 'evaluate'))) as unknown as {
      candidate: { metrics: { per_class: Array<{ class: string }> } };
    };
    expect(evaluation.candidate.metrics.per_class.map((c) => c.class)).toEqual(['yes', 'no']);
    // The input still wins over the card.
    const input = ok(await run(beside, { predictions: join('run', 'p.csv'), task: 'classification' }));
    expect(metricsOf(input).accuracy).toBeCloseTo(0.75, 12);
  });

  test('a card saying classification beside fractional predictions is an error, not 3.5 scored as a class', async () => {
    const dir = await project({
      'p.csv': 'y_true,y_pred\n3,3\n4,3.5\n',
      '.mlops/train/model/model-card.json': card('classification', ['3', '4']),
    });
    const error = userError(await run(dir, { predictions: 'p.csv' }));
    expect(error.message).toBe(
      `p.csv, row 2 (line 3), column y_pred holds 3.5, but the model card ${join('.mlops', 'train', 'model', 'model-card.json')} says the task is classification`,
    );
    expect(error.hint).toMatch(/If these are predicted values, set `task`/);
    // An explicit task wins over the card.
    expect(metricsOf(ok(await run(dir, { predictions: 'p.csv', task: 'regression' }))).mae).toBeCloseTo(0.25, 12);
  });

  test('regression with a text label names the file, row, line, column and value', async () => {
    const dir = await project({ 'p.csv': 'y_true,y_pred\n1.5,1\ncat,2\n' });
    const error = userError(await run(dir, { predictions: 'p.csv', task: 'regression' }));
    expect(error.message).toBe(
      'p.csv, row 2 (line 3), column y_true: "cat" is not a number, but the task is regression, as the task input sets',
    );
    expect(error.hint).toMatch(/Regression needs numbers in y_true and y_pred; for class labels, set `task`/);
  });

  test('regression with score columns is an error', async () => {
    const dir = await project({ 'p.csv': 'y_true,y_pred,score:1,score:2\n1,1,0.9,0.1\n2,2,0.1,0.9\n' });
    const error = userError(await run(dir, { predictions: 'p.csv', task: 'regression' }));
    expect(error.message).toBe('p.csv has score columns (score:1, score:2), but the task is regression, as the task input sets');
  });

  test('a task that is not auto, classification or regression is refused (input and mlops.yaml)', async () => {
    const dir = await project({ 'p.csv': 'y_true,y_pred\na,a\n' });
    expect(userError(await run(dir, { predictions: 'p.csv', task: 'clustering' })).message).toBe(
      'input task: "clustering" (input) is not one of auto, classification, regression',
    );
    const configured = await project({ 'p.csv': 'y_true,y_pred\na,a\n' }, '  task: clustering\n');
    const error = userError(await run(configured, { predictions: 'p.csv' }));
    expect(error.message).toMatch(/evaluate\.task/);
    expect(error.message).toMatch(/clustering|auto/);
  });
});

describe('probability columns', () => {
  test('three classes with scores: accuracy, log loss and per-class results by hand', async () => {
    const dir = await project({ 'p.csv': THREE_CLASSES });
    const result = ok(await run(dir, { predictions: 'p.csv' }));
    const metrics = metricsOf(result);
    expect(metrics.accuracy).toBeCloseTo(0.6, 12);
    // -mean(ln p(true)): ln 0.7, ln 0.3, ln 0.8, ln 0.6, ln 0.4.
    const expected = -(Math.log(0.7) + Math.log(0.3) + Math.log(0.8) + Math.log(0.6) + Math.log(0.4)) / 5;
    expect(metrics.log_loss).toBeCloseTo(expected, 12);
    expect(result.io.log).toContain('Task of p.csv: classification, from its score:<class> columns.');
  });

  test('a probability above 1 names the file, row, line (quoted line breaks and blank lines counted), column and value', async () => {
    const file = 'y_true,y_pred,score:a,score:b,note\n' + 'a,a,0.9,0.1,"two\nlines"\n' + '\n' + 'b,b,-0.7,1.7,x\n' + 'b,b,0.2,1.8,y\n';
    const dir = await project({ 'p.csv': file });
    const error = userError(await run(dir, { predictions: 'p.csv' }));
    expect(error.message).toBe('p.csv, row 2 (line 5), column score:a holds -0.7: expected a probability from 0 to 1 (2 more such values)');
    expect(error.hint).toMatch(/predict_proba/);
    expect(error.hint).toMatch(/softmax/);
  });

  test('an empty or text probability is named as such', async () => {
    const dir = await project({
      'empty.csv': 'y_true,y_pred,score:a,score:b\na,a,0.9,0.1\nb,b,,1\n',
      'text.csv': 'y_true,y_pred,score:a,score:b\na,a,high,0.1\nb,b,0.1,0.9\n',
    });
    expect(userError(await run(dir, { predictions: 'empty.csv' })).message).toBe(
      'empty.csv, row 2 (line 3), column score:a is empty: expected a probability from 0 to 1',
    );
    expect(userError(await run(dir, { predictions: 'text.csv' })).message).toBe(
      'text.csv, row 1 (line 2), column score:a holds "high": expected a probability from 0 to 1',
    );
  });

  test('rows must sum to 1 within 0.001: a row that does not is named with its values', async () => {
    const dir = await project({
      'bad.csv': 'y_true,y_pred,score:a,score:b\na,a,0.9,0.1\nb,b,0.5,0.6\na,b,0.2,0.2\n',
      'close.csv': 'y_true,y_pred,score:a,score:b,score:c\na,a,0.3334,0.3333,0.3333\nb,b,0.2,0.8005,0\nc,c,0,0.0005,0.999\n',
    });
    const error = userError(await run(dir, { predictions: 'bad.csv' }));
    expect(error.message).toBe(
      'bad.csv, row 2 (line 3): the score columns sum to 1.1 (score:a 0.5, score:b 0.6); expected the probabilities of a row to sum to 1 (within 0.001) (1 more such rows)',
    );
    // Sums 1.0000, 1.0005 and 0.9995: within the tolerance.
    ok(await run(dir, { predictions: 'close.csv' }));
  });

  test('score columns naming classes that are not labels are an error naming them', async () => {
    const dir = await project({ 'p.csv': 'y_true,y_pred,score:Adelie,score:gentoo\nAdelie,Adelie,0.8,0.2\nGentoo,Gentoo,0.1,0.9\n' });
    const error = userError(await run(dir, { predictions: 'p.csv' }));
    expect(error.message).toBe(
      'p.csv: score columns name classes that are not labels in y_true or y_pred: score:gentoo (the labels are: Adelie, Gentoo)',
    );
    expect(error.hint).toMatch(/exactly as in y_true and y_pred/);
    // Numbers are labels by their shortest text: score:1.0 does not name the label 1.
    const numbers = await project({ 'p.csv': 'y_true,y_pred,score:0.0,score:1.0\n0,0,0.8,0.2\n1,1,0.1,0.9\n' });
    expect(userError(await run(numbers, { predictions: 'p.csv' })).message).toMatch(/score:0\.0, score:1\.0 \(the labels are: 0, 1\)/);
  });

  test('a class y_pred predicts needs a score column; a class only y_true holds gets probability 0, with a warning', async () => {
    const dir = await project({
      'unscored.csv': 'y_true,y_pred,score:a,score:b\na,a,0.8,0.2\nb,c,0.5,0.5\n',
      'unseen.csv': 'y_true,y_pred,score:a,score:b\na,a,0.8,0.2\nb,b,0.3,0.7\nc,a,0.6,0.4\n',
    });
    const error = userError(await run(dir, { predictions: 'unscored.csv' }));
    expect(error.message).toBe('unscored.csv: y_pred predicts classes that have no score column: c (score columns: score:a, score:b)');
    const result = ok(await run(dir, { predictions: 'unseen.csv' }));
    expect(metricsOf(result).accuracy).toBeCloseTo(2 / 3, 12);
    expect(result.io.warnings()).toContain(
      'unseen.csv: 1 rows have a class in y_true with no score column (c): the model gives it no probability, so they count as wrong predictions.',
    );
  });
});

describe('one score column of a two-class task', () => {
  test('a probability column: the positive class yes (the usual label), roc_auc, log_loss, precision, recall, f1 by hand', async () => {
    /*
     * yes yes 0.9 │ no no 0.2 │ yes no 0.4 │ no yes 0.6 │ no no 0.1; positive class yes.
     * AUC: positives 0.9, 0.4 against negatives 0.2, 0.6, 0.1: 0.9 beats 3, 0.4 beats 2 → 5/6.
     * log loss: p(true) = 0.9, 0.8, 0.4, 0.4, 0.9 (1 − p for the no rows).
     * yes predicted twice (rows 1, 4), right once: precision 1/2; true twice, found once: recall 1/2; f1 1/2.
     */
    const dir = await project({ 'p.csv': 'y_true,y_pred,probability\nyes,yes,0.9\nno,no,0.2\nyes,no,0.4\nno,yes,0.6\nno,no,0.1\n' });
    const result = ok(await run(dir, { predictions: 'p.csv' }));
    const metrics = metricsOf(result);
    expect(metrics.roc_auc).toBeCloseTo(5 / 6, 12);
    expect(metrics.log_loss).toBeCloseTo(-(2 * Math.log(0.9) + Math.log(0.8) + 2 * Math.log(0.4)) / 5, 12);
    expect(metrics).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(metrics.accuracy).toBeCloseTo(3 / 5, 12);
    expect(result.io.log).toContain(
      'Positive class of p.csv: yes (of no, yes), the class of precision, recall, f1 and roc_auc; ' +
        'to choose the other, set evaluate.positive_class in mlops.yaml (or the positive-class input).',
    );
    expect(result.io.log).toContain('p.csv: the probability column is read as the score of the positive class yes.');
    const evaluation = (await readContract('evaluation', join(dir, '.mlops', 'evaluate'))) as unknown as {
      candidate: { metrics: { positive_class: string } };
    };
    expect(evaluation.candidate.metrics.positive_class).toBe('yes');
  });

  test('a score column of any real numbers (decision_function): roc_auc by hand, log_loss null', async () => {
    /*
     * 1 1 2.5 │ 0 0 -1.0 │ 1 0 -0.5 │ 0 1 0.3; positive class 1.
     * AUC: positives 2.5, -0.5 against negatives -1.0, 0.3: 2 + 1 → 3/4.
     */
    const dir = await project({ 'p.csv': 'y_true,y_pred,score\n1,1,2.5\n0,0,-1.0\n1,0,-0.5\n0,1,0.3\n' });
    const result = ok(await run(dir, { predictions: 'p.csv' }));
    const metrics = metricsOf(result);
    expect(metrics.roc_auc).toBeCloseTo(0.75, 12);
    expect(metrics.log_loss).toBeNull();
    expect(metrics).toMatchObject({ precision: 0.5, recall: 0.5 });
    expect(result.io.log).toContain(
      'p.csv: the score column is read as the score of the positive class 1; its values are not all in [0, 1], so roc_auc is computed from it and log_loss is not.',
    );
  });

  test('the positive class given: the score column is its; one that is not a class is an error naming the classes', async () => {
    // cat dog 0.3 │ dog dog 0.1 │ cat cat 0.8 │ dog cat 0.6, the score of cat. AUC: 0.3 beats 0.1, 0.8 beats both → 3/4.
    const dir = await project({ 'p.csv': 'y_true,y_pred,score\ncat,dog,0.3\ndog,dog,0.1\ncat,cat,0.8\ndog,cat,0.6\n' });
    const lines: string[] = [];
    const log = { info: (m: string) => lines.push(m), warning: (m: string) => lines.push(m) };
    const request = { file: join(dir, 'p.csv'), shown: 'p.csv', task: 'auto' as const, taskSetBy: 'the task input', card: null, log };
    const scored = await scorePredictions({ ...request, positiveClass: 'cat' });
    expect(scored.metrics).toMatchObject({ positive_class: 'cat', precision: 0.5, recall: 0.5 });
    expect((scored.metrics as { roc_auc: number }).roc_auc).toBeCloseTo(0.75, 12);
    expect(scored.scored).toMatchObject({ positiveClass: 'cat', probabilities: true });
    expect(lines).toContain('Positive class of p.csv: cat, as set.');
    const error = await scorePredictions({ ...request, positiveClass: 'bird' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('the positive class "bird" is not one of the classes ("cat", "dog")');
    expect((error as UserError).hint).toMatch(/evaluate\.positive_class in mlops\.yaml \(or the positive-class input\)/);
  });

  test('bad score columns: not a number, empty, a probability above 1, both kinds, or more than two classes', async () => {
    const dir = await project({
      'text.csv': 'y_true,y_pred,score\nyes,yes,0.9\nno,no,high\nno,no,low\n',
      'empty.csv': 'y_true,y_pred,score\nyes,yes,0.9\nno,no,\n',
      'above.csv': 'y_true,y_pred,probability\nyes,yes,1.5\nno,no,0.1\n',
      'both.csv': 'y_true,y_pred,score,score:no,score:yes\nyes,yes,0.9,0.1,0.9\n',
      'twice.csv': 'y_true,y_pred,score,probability\nyes,yes,0.9,0.9\n',
      'three.csv': 'y_true,y_pred,score\na,a,0.9\nb,b,0.1\nc,a,0.5\n',
      'one.csv': 'y_true,y_pred,score\nyes,yes,0.9\n',
    });
    const text = userError(await run(dir, { predictions: 'text.csv' }));
    expect(text.message).toBe(
      'text.csv, row 2 (line 3), column score holds "high": expected a number (the positive class\'s score) (1 more such rows)',
    );
    expect(text.hint).toMatch(/decision_function/);
    expect(userError(await run(dir, { predictions: 'empty.csv' })).message).toBe(
      "empty.csv, row 2 (line 3), column score is empty: expected a number (the positive class's score)",
    );
    const above = userError(await run(dir, { predictions: 'above.csv' }));
    expect(above.message).toBe(
      "above.csv, row 1 (line 2), column probability holds 1.5: expected a probability from 0 to 1 (the positive class's score)",
    );
    expect(above.hint).toMatch(/name the column score/);
    const both = userError(await run(dir, { predictions: 'both.csv' }));
    expect(both.message).toBe('both.csv has both a score column and score:<class> columns (score:no, score:yes); give one or the other');
    expect(both.hint).toMatch(/If score is not the model's score, rename it/);
    expect(userError(await run(dir, { predictions: 'twice.csv' })).message).toBe(
      "twice.csv has both a score and a probability column; give the positive class's score in one of them",
    );
    const three = userError(await run(dir, { predictions: 'three.csv' }));
    expect(three.message).toBe(
      "three.csv: a score column is the positive class's score of a two-class task, but there are 3 classes (a, b, c)",
    );
    expect(three.hint).toMatch(/one score:<class> column per class/);
    expect(userError(await run(dir, { predictions: 'one.csv' })).message).toBe(
      "one.csv: a score column is the positive class's score of a two-class task, but there is 1 class (yes)",
    );
  });

  test('for regression, score and probability are ordinary columns', async () => {
    // |errors| 0.5 and 0.5: MAE 0.5; the score column (text in one row) is not read.
    const dir = await project({ 'p.csv': 'y_true,y_pred,score\n1.5,1,7\n2,2.5,x\n' });
    const result = ok(await run(dir, { predictions: 'p.csv' }));
    expect(metricsOf(result).mae).toBeCloseTo(0.5, 12);
    expect(result.io.log).toContain('Task of p.csv: regression, since y_pred holds numbers with fractions (2.5).');
  });
});

describe('slices of a predictions file', () => {
  test('are read from the file itself: one row per value, metrics by hand', async () => {
    const dir = await project({ 'p.csv': THREE_CLASSES });
    const result = ok(await run(dir, { predictions: 'p.csv', slices: 'island' }));
    const evaluation = (await readContract('evaluation', join(dir, '.mlops', 'evaluate'))) as unknown as {
      slices: Array<{ column: string; value: string; count: number; metrics: Record<string, number | null> }>;
    };
    // Biscoe: (b,b) (c,c) (c,a): 2 of 3 right; Dream: (a,a) (a,b): 1 of 2.
    expect(evaluation.slices.map((s) => [s.value, s.count, s.metrics.accuracy])).toEqual([
      ['Biscoe', 3, 2 / 3],
      ['Dream', 2, 1 / 2],
    ]);
    expect(result.io.summary).toContain('### Slices');
  });

  test('evaluate.slices applies too; a slice column missing from the file is a clear error', async () => {
    const dir = await project({ 'p.csv': THREE_CLASSES }, '  slices: [island, sex]\n');
    const error = userError(await run(dir, { predictions: 'p.csv' }));
    expect(error.message).toBe(
      'slice column "sex" is not a column of p.csv (its columns: y_true, y_pred, score:a, score:b, score:c, island)',
    );
    expect(error.hint).toMatch(/With a predictions file, slices are read from the file itself: add the column beside y_true and y_pred/);
    // No blessing is left behind by the failed run.
    expect(() => readFileSync(join(dir, '.mlops', 'evaluate', 'blessing.json'))).toThrow();
  });
});

describe('baselines of a predictions file, without a model', () => {
  test('baseline metrics compare as with a model', async () => {
    const dir = await project({ 'p.csv': THREE_CLASSES, 'base.json': JSON.stringify({ accuracy: 0.5 }) });
    await writeFile(join(dir, 'gates.yaml'), '- metric: accuracy\n  change: { absolute: 0 }\n');
    const result = ok(await run(dir, { predictions: 'p.csv', 'baseline-metrics': 'base.json', gates: 'gates.yaml' }));
    expect(result.outputs.blessed).toBe('true');
    expect(JSON.parse(result.outputs['baseline-metrics']!)).toEqual({ accuracy: 0.5 });
  });

  test('a baseline model directory that does not exist is named as the baseline (never as the candidate)', async () => {
    const dir = await project({ 'p.csv': THREE_CLASSES });
    const error = userError(await run(dir, { predictions: 'p.csv', 'baseline-model-dir': 'old-model' }));
    expect(error.message).toBe('no baseline model at old-model');
    expect(error.hint).toMatch(/baseline-model-dir/);
  });

  test('a first model: a registry alias that does not exist yet leaves the candidate without a baseline', async () => {
    const dir = await project({ 'p.csv': THREE_CLASSES });
    const result = ok(await run(dir, { predictions: 'p.csv', 'baseline-alias': 'production' }));
    expect(result.io.log).toContain('No demo model at alias "production" and no version registered yet: evaluating as a first model');
    expect(result.outputs['baseline-metrics']).toBe('null');
  });
});

describe('inferTask and chooseTask (pure)', () => {
  /** A column as the table reader builds it: numbers (NaN for text and missing), texts when any cell is text. */
  const column = (name: string, cells: Array<string | number | null>): TableColumn => {
    const text = cells.some((c) => typeof c === 'string');
    return {
      name,
      numbers: Float64Array.from(cells, (c) => (typeof c === 'number' ? c : NaN)),
      texts: text ? cells.map((c) => (c === null ? null : String(c))) : null,
      present: cells.filter((c) => c !== null).length,
      numeric: cells.filter((c) => typeof c === 'number').length,
    };
  };
  const rows = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

  test('score columns mean classification, whatever the labels', () => {
    expect(inferTask(column('y_true', [0.5, 1.5]), column('y_pred', [0.5, 1.5]), 2, rows(2))).toMatchObject({
      task: 'classification',
      ambiguous: false,
    });
  });

  test('a fraction in y_pred or y_true means regression, even with whole numbers elsewhere', () => {
    expect(inferTask(column('y_true', [1, 2, 3]), column('y_pred', [1, 2, 2.5]), 0, rows(3))).toEqual({
      task: 'regression',
      reason: 'regression, since y_pred holds numbers with fractions (2.5)',
      ambiguous: false,
    });
    expect(inferTask(column('y_true', [1.25, 2]), column('y_pred', [1, 2]), 0, rows(2)).task).toBe('regression');
    // Only the rows scored count: row 2's fraction is left out.
    expect(inferTask(column('y_true', [1, 2, 3]), column('y_pred', [1, 2, 2.5]), 0, [0, 1]).task).toBe('classification');
  });

  test('text labels mean classification', () => {
    expect(inferTask(column('y_true', ['cat', 'dog']), column('y_pred', ['cat', 'cat']), 0, rows(2))).toEqual({
      task: 'classification',
      reason: 'classification, since y_true holds text labels ("cat")',
      ambiguous: false,
    });
  });

  test('whole numbers only are ambiguous: at most 20 distinct values are classes', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => i);
    expect(inferTask(column('y_true', twenty), column('y_pred', twenty), 0, rows(20))).toMatchObject({
      task: 'classification',
      ambiguous: true,
    });
    const more = Array.from({ length: 21 }, (_, i) => i);
    expect(inferTask(column('y_true', more), column('y_pred', more), 0, rows(21))).toMatchObject({ task: 'regression', ambiguous: true });
  });

  test('the setting wins, then the card, then the file', () => {
    const never = (): never => {
      throw new Error('not inferred');
    };
    const card = { task: 'regression' as const, classes: null, source: 'model/model-card.json' };
    expect(chooseTask('classification', 'the task input', card, never)).toEqual({
      task: 'classification',
      reason: 'classification, as the task input sets',
      ambiguous: false,
    });
    expect(chooseTask('auto', 'the task input', card, never).reason).toBe('regression, as the model card model/model-card.json says');
    expect(chooseTask('auto', 'the task input', null, () => ({ task: 'regression', reason: 'inferred', ambiguous: true })).reason).toBe(
      'inferred',
    );
  });

  test('labels sort numbers first, in numeric order, then text', () => {
    expect(['b', '10', 'a', '2', '-1'].sort(compareLabels)).toEqual(['-1', '2', '10', 'a', 'b']);
  });
});
