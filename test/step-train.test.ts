/**
 * train in process: the step's run(ctx) on the example project and on small made-up
 * data, with the real run cache (a folder) and the real user-command runner. What the
 * runner itself does with inputs and outputs is proven on the bundle by
 * action-train-evaluate.test.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readContract } from '../src/core/contracts/index.js';
import { describeError } from '../src/core/errors.js';
import { epochProgress } from '../src/core/train/progress.js';
import { train } from '../src/steps/train.js';
import { copyExample, makeTempDir, removeTempDirs } from './support/action-runner.js';
import { runStepInProcess } from './support/step-context.js';
import type { InProcessResult } from './support/step-context.js';

const SHA = '0'.repeat(40);
/** A workflow run's variables (and PATH, for the trainer commands). */
const RUN_ENV = {
  PATH: process.env.PATH ?? '',
  GITHUB_SHA: SHA,
  GITHUB_REPOSITORY: 'octo/ml',
  GITHUB_RUN_ID: '4242',
  GITHUB_REF: 'refs/heads/main',
};
const NODE = JSON.stringify(process.execPath);

afterAll(removeTempDirs);

const project = (): Promise<string> => copyExample('mlops-train-');

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const json = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

function ok(result: InProcessResult): InProcessResult {
  if (result.failed) throw new Error(`${result.error?.message ?? result.io.failed}\n${result.io.log}`);
  return result;
}

/** Trains in `cwd` with few epochs (fast) unless told otherwise. */
function trainIn(cwd: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<InProcessResult> {
  return runStepInProcess(train, { cwd, inputs: { config: 'mlops.yaml', epochs: '60', ...inputs }, env: { ...RUN_ENV, ...env } });
}

const epochLines = (result: InProcessResult) => result.io.logs.filter((line) => /^epoch +\d+\//.test(line));

describe('train on the example', () => {
  let dir: string;
  let first: InProcessResult;
  beforeAll(async () => {
    dir = await project();
    first = ok(await trainIn(dir));
  });

  test('trains on the WebAssembly backend and writes a complete model directory', () => {
    expect(first.outputs.backend).toBe('wasm');
    expect(first.outputs['cache-hit']).toBe('false');
    expect(first.outputs['model-dir']).toBe(join('.mlops', 'train', 'model'));
    const modelDir = join(dir, first.outputs['model-dir']!);
    for (const file of ['model.onnx', 'model-card.json', 'metrics.json', 'profile.json'])
      expect(existsSync(join(modelDir, file))).toBe(true);
    const metrics = JSON.parse(first.outputs.metrics!) as Record<string, number>;
    // Penguins are easy: a fitted model classifies the held-out validation birds well.
    expect(metrics.accuracy).toBeGreaterThan(0.9);
    expect(metrics.count).toBeGreaterThan(40);
    expect(json(join(modelDir, 'metrics.json'))).toEqual(metrics);
    expect(first.io.logs).toContain('── Training mlp on data/penguins.csv');
    expect(first.io.summary).toContain('## Training: penguins');
    expect(first.io.summary).toContain('| `accuracy` |');
    // No staging folder or parameter file is left behind.
    expect(existsSync(join(dir, '.mlops', 'train', `model.partial-${process.pid}`))).toBe(false);
  });

  test('progress: a line for the first epoch, then a few, not one per epoch; and a summary line', () => {
    const lines = epochLines(first);
    expect(lines[0]).toMatch(
      /^epoch +1\/60 +loss \d\.\d{4} +val_loss \d\.\d{4} +best val_loss \d\.\d{4} \(epoch 1\) +[\d.]+ s, at most \d+ s left$/,
    );
    expect(lines.length).toBeLessThan(10);
    expect(first.io.log).toMatch(/Stopped after \d+ epochs.*; kept the weights of epoch \d+\. [\d,]+ rows\/s\./);
  });

  test('the model carries the profile of its training data and of its own predictions, for drift checks', () => {
    const profile = json(join(dir, first.outputs['model-dir']!, 'profile.json')) as {
      format: string;
      rows: number;
      files: string[];
      columns: Array<{ name: string; counts: Record<string, number>; top: unknown }>;
    };
    expect(profile.format).toBe('mlops-profile/v1');
    expect(profile.rows).toBe(276);
    expect(profile.files).toEqual([join('data', 'penguins.csv')]);
    const names = profile.columns.map((c) => c.name);
    expect(names).toContain('bill_length_mm');
    expect(names.at(-1)).toBe('_prediction');
    const prediction = profile.columns.at(-1)!;
    // Every row gets a prediction (labelled or not), and predictions are class names.
    expect(prediction.counts.string).toBe(276);
    expect(JSON.stringify(prediction.top)).toContain('Adelie');
  });

  test('the model card is a valid contract and records lineage: data hashes, parameters, commit, run, metrics', async () => {
    const card = (await readContract('modelCard', join(dir, first.outputs['model-dir']!)))!;
    expect(card.name).toBe('penguins');
    expect(card.task).toBe('classification');
    expect(card.data.files[0]!.sha256).toBe(sha256(join(dir, 'data', 'penguins.csv')));
    expect(card.data.files[0]!.path).toBe(join('data', 'penguins.csv'));
    expect(card.data.target).toBe('species');
    expect(card.data.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    const rows = card.data.rows as { train: number; validation: number };
    expect(rows.train + rows.validation).toBe(276);
    expect(card.git).toEqual({ commit: SHA, ref: 'refs/heads/main' });
    expect(card.run).toEqual({ url: 'https://github.com/octo/ml/actions/runs/4242', id: '4242', attempt: null });
    expect(card.params.hidden).toEqual([32, 16]);
    expect(card.params.epochs).toBe(60);
    expect(card.params.algorithm).toBe('mlp');
    expect(card.paramSources).toBe('train in mlops.yaml + inputs');
    expect(card.trainer).toMatchObject({ kind: 'builtin', algorithm: 'mlp', backend: 'wasm' });
    expect(card.epochs!.run).toBeGreaterThan(0);
    expect(card.metrics.validation!.accuracy).toBe(JSON.parse(first.outputs.metrics!).accuracy);
    expect(card.metrics.train!.accuracy).toBeGreaterThan(0.9);
    expect(card.hashes!.cacheKey).toBe(first.outputs['cache-key']);
    expect(first.outputs['cache-key']).toMatch(/^mlops-train-penguins-[0-9a-f]{40}$/);
    // Every built-in model gets permutation importance on its validation rows; one kind is no leaderboard.
    expect(card.importance).toMatchObject({ method: 'permutation', metric: 'accuracy', rows: rows.validation, on: 'validation' });
    expect(card.importance!.features).toHaveLength(6);
    expect(card.leaderboard).toBeUndefined();
    expect(first.io.summary).toContain('### Which features matter');
    expect(first.io.summary).not.toContain('### Model selection');
  });

  test('an identical second run is a cache hit; cache: false trains again', async () => {
    const again = ok(await trainIn(dir));
    expect(again.outputs['cache-hit']).toBe('true');
    expect(again.outputs.backend).toBe('none');
    expect(again.outputs['cache-key']).toBe(first.outputs['cache-key']);
    expect(again.outputs.metrics).toBe(first.outputs.metrics);
    expect(epochLines(again)).toEqual([]);
    expect(again.io.summary).toContain('Training: penguins (cached)');
    const forced = ok(await trainIn(dir, { cache: 'false' }));
    expect(forced.outputs['cache-hit']).toBe('false');
    expect(epochLines(forced)[0]).toMatch(/^epoch +1\/60/);
  });

  test('a cached run whose graph is not the one its card records, or whose card names another key, is trained again', async () => {
    // A run of its own to damage (2 epochs: what is checked is the cache, not the fit).
    const copy = await project();
    const cached = ok(await trainIn(copy, { epochs: '2' }));
    const key = cached.outputs['cache-key']!;
    const entry = join(copy, '.mlops', 'cache', 'train', key);
    const graph = join(entry, 'model.onnx');
    const original = readFileSync(graph);
    try {
      writeFileSync(graph, Buffer.concat([original, Buffer.from([0])]));
      const swapped = ok(await trainIn(copy, { epochs: '2' }));
      expect(swapped.outputs['cache-hit']).toBe('false');
      expect(swapped.io.warnings().join('\n')).toMatch(
        new RegExp(
          `The cached run under ${key} is not the run it claims to be \\(its model\\.onnx is sha256:[0-9a-f]{64}, the card records sha256:[0-9a-f]{64}\\); training instead\\.`,
        ),
      );
      expect(epochLines(swapped)[0]).toMatch(/^epoch +1\/2 /);
      const card = json(join(entry, 'model-card.json')) as { hashes: { cacheKey: string } };
      writeFileSync(graph, original);
      writeFileSync(
        join(entry, 'model-card.json'),
        JSON.stringify({ ...card, hashes: { ...card.hashes, cacheKey: 'mlops-train-penguins-other' } }),
      );
      const renamed = ok(await trainIn(copy, { epochs: '2' }));
      expect(renamed.outputs['cache-hit']).toBe('false');
      expect(renamed.io.warnings().join('\n')).toContain('its model card was written for mlops-train-penguins-other');
    } finally {
      rmSync(entry, { recursive: true, force: true });
    }
  });

  test('changing the data, a parameter or a reading option changes the cache key', async () => {
    // Every run here trains 2 epochs (what is compared is the key, not the fit), so that each differs from
    // the base run in one thing only.
    const few = { epochs: '2' };
    const base = ok(await trainIn(await project(), few));
    const other = ok(await trainIn(await project(), { epochs: '3' }));
    expect(other.outputs['cache-key']).not.toBe(base.outputs['cache-key']);
    const copy = await project();
    const lines = readFileSync(join(copy, 'data', 'penguins.csv'), 'utf8').split('\n');
    await writeFile(join(copy, 'data', 'penguins.csv'), lines.slice(0, -5).join('\n') + '\n');
    // Only the data differ from the base run.
    const changed = ok(await trainIn(copy, few));
    expect(changed.outputs['cache-key']).not.toBe(base.outputs['cache-key']);
    // Reading options the model depends on are part of the key too.
    const nulls = await project();
    await writeFile(
      join(nulls, 'mlops.yaml'),
      readFileSync(join(nulls, 'mlops.yaml'), 'utf8').replace('  target: species', "  target: species\n  null_values: ['', 'NA', 'male']"),
    );
    const withNulls = ok(await trainIn(nulls, few));
    expect(withNulls.outputs['cache-key']).not.toBe(base.outputs['cache-key']);
    // And the same project and inputs give the same key in another folder.
    const same = ok(await trainIn(await project(), few));
    expect(same.outputs['cache-key']).toBe(base.outputs['cache-key']);
  });

  test('the same seed gives the same weights; another seed gives others', async () => {
    const [a, b, c] = [await project(), await project(), await project()];
    const runA = ok(await trainIn(a, { epochs: '5', cache: 'false' }));
    const runB = ok(await trainIn(b, { epochs: '5', cache: 'false' }));
    const runC = ok(await trainIn(c, { epochs: '5', cache: 'false', seed: '7' }));
    const weights = (d: string, r: InProcessResult) => readFileSync(join(d, r.outputs['model-dir']!, 'model.onnx'));
    expect(weights(a, runA).equals(weights(b, runB))).toBe(true);
    expect(runA.outputs.metrics).toBe(runB.outputs.metrics);
    expect(weights(a, runA).equals(weights(c, runC))).toBe(false);
  });

  test('bad inputs and parameters fail with what is wrong and where, before any training', async () => {
    await writeFile(join(dir, 'typo.yaml'), 'epochz: 3\n');
    await writeFile(join(dir, 'list.yaml'), '- 1\n- 2\n');
    await writeFile(join(dir, 'many.yaml'), 'epochs: many\n');
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ epochs: 'many' }, /input epochs: "many" \(input\) is not a whole number/],
      [{ epochs: '0' }, /epochs/],
      [{ algorithm: 'forest' }, /input algorithm: "forest" \(input\) is not one of mlp, linear, gbdt, auto/],
      [{ target: 'wingspan' }, /target column "wingspan" is not in .*Columns there: species, island/s],
      [{ 'learning-rate': '-1' }, /inputs: invalid training parameters:.*learning_rate/s],
      [{ 'batch-size': 'lots' }, /input batch-size: "lots" \(input\) is not auto or a whole number/],
      [{ seed: '1.5' }, /input seed: "1.5" \(input\) is not a whole number/],
      [{ cache: 'maybe' }, /input cache: "maybe" \(input\) is not one of true, false/],
      [{ params: 'typo.yaml' }, /train in mlops.yaml \+ typo.yaml \+ inputs: invalid training parameters:.*epochz/s],
      [{ params: 'list.yaml' }, /list.yaml: expected a mapping of parameter names to values/],
      [{ params: 'many.yaml', epochs: '' }, /input epochs: "many" \(epochs in the params file\) is not a whole number/],
      [{ params: 'missing.yaml' }, /cannot read params file missing.yaml/],
    ];
    for (const [inputs, message] of cases) {
      const result = await trainIn(dir, { cache: 'false', ...inputs });
      expect({ inputs, failed: result.failed }).toEqual({ inputs, failed: true });
      // As a user sees it: the message and its hint.
      expect(describeError(result.error)).toMatch(message);
      expect(result.error!.name).toBe('UserError');
      expect(epochLines(result)).toEqual([]);
    }
  });

  test('a typo in the train section of mlops.yaml fails a built-in run before training, naming the key (a key of your own trainer needs train.command)', async () => {
    const copy = await project();
    await writeFile(join(copy, 'mlops.yaml'), readFileSync(join(copy, 'mlops.yaml'), 'utf8').replace('  epochs: 200', '  epoch: 200'));
    const result = await runStepInProcess(train, { cwd: copy, inputs: { config: 'mlops.yaml' }, env: RUN_ENV });
    expect(result.failed).toBe(true);
    expect(result.error!.message).toMatch(/^train in mlops.yaml: invalid training parameters:\n.*epoch/s);
    expect((result.error as { hint?: string }).hint).toMatch(/train\.command/);
    expect(result.io.logs.some((line) => /^epoch +\d+\//.test(line))).toBe(false);
    // A built-in key of the wrong type is still refused when the file loads.
    await writeFile(join(copy, 'mlops.yaml'), readFileSync(join(copy, 'mlops.yaml'), 'utf8').replace('  epoch: 200', '  epochs: many'));
    const typed = await trainIn(copy);
    expect(typed.error!.message).toMatch(/mlops.yaml: invalid settings:\n.*epochs/s);
  });

  test('no data or no target: clear errors', async () => {
    const bare = await makeTempDir('mlops-train-bare-');
    const noData = await runStepInProcess(train, { cwd: bare, env: RUN_ENV });
    expect(noData.error!.message).toMatch(/no training data/);
    await writeFile(join(bare, 'data.csv'), 'x,y\n1,2\n');
    const noTarget = await runStepInProcess(train, { cwd: bare, inputs: { data: 'data.csv' }, env: RUN_ENV });
    expect(noTarget.error!.message).toMatch(/no target column/);
  });
});

describe('train: every output location is checked before the work starts', () => {
  test('an output folder behind a file is refused up front, naming the input', async () => {
    const dir = await project();
    await writeFile(join(dir, 'a-file'), 'not a folder');
    const result = await trainIn(dir, { 'output-dir': 'a-file/out' });
    expect(result.failed).toBe(true);
    expect(result.error!.message).toMatch(/^input output-dir: cannot write to .*a-file\/out \(a file is in the way\)$/);
    expect(epochLines(result)).toEqual([]);
  });

  test('an output folder under /proc is refused at once (it could hang)', async () => {
    const dir = await project();
    const result = await trainIn(dir, { 'output-dir': '/proc/self/mlops' });
    expect(result.error!.message).toMatch(/^input output-dir: \/proc\/self\/mlops is on a system file system/);
    expect(epochLines(result)).toEqual([]);
  });

  test('output-dir puts the model directory there', async () => {
    const dir = await project();
    const result = ok(await trainIn(dir, { 'output-dir': 'out/train', epochs: '2' }));
    expect(result.outputs['model-dir']).toBe(join('out', 'train', 'model'));
    expect(existsSync(join(dir, 'out', 'train', 'model', 'model-card.json'))).toBe(true);
  });
});

describe('train: the algorithm (formerly `model`)', () => {
  test('`model:` in the train section still works for one release, with a warning to rename it', async () => {
    const dir = await project();
    await writeFile(join(dir, 'mlops.yaml'), readFileSync(join(dir, 'mlops.yaml'), 'utf8').replace('  algorithm: mlp', '  model: linear'));
    const result = ok(await trainIn(dir, { epochs: '3' }));
    expect(result.io.warnings()).toContainEqual(expect.stringMatching(/^train in mlops.yaml: `model: linear` is now `algorithm: linear`/));
    expect(result.io.logs).toContain('── Training linear on data/penguins.csv');
    const card = json(join(dir, result.outputs['model-dir']!, 'model-card.json')) as { params: Record<string, unknown> };
    expect(card.params.algorithm).toBe('linear');
    expect(card.params).not.toHaveProperty('model');
    // A linear model has no hidden layers: mlp's keys are accepted (a sweep switches algorithm) but not recorded.
    expect(card.params).not.toHaveProperty('hidden');
  });

  test('`algorithm:` in mlops.yaml, the input over it, and the old key in a params file', async () => {
    const dir = await project();
    await writeFile(
      join(dir, 'mlops.yaml'),
      readFileSync(join(dir, 'mlops.yaml'), 'utf8').replace('  algorithm: mlp', '  algorithm: linear'),
    );
    const fromConfig = ok(await trainIn(dir, { epochs: '2' }));
    expect(fromConfig.io.logs).toContain('── Training linear on data/penguins.csv');
    expect(fromConfig.io.warnings()).toEqual([]);
    const fromInput = ok(await trainIn(dir, { epochs: '2', algorithm: 'mlp' }));
    expect(fromInput.io.logs).toContain('── Training mlp on data/penguins.csv');
    await writeFile(join(dir, 'old.yaml'), 'model: mlp\n');
    const fromFile = ok(await trainIn(dir, { epochs: '2', params: 'old.yaml', cache: 'false' }));
    expect(fromFile.io.warnings()).toContainEqual(expect.stringMatching(/^old.yaml: `model: mlp` is now `algorithm: mlp`/));
    expect(fromFile.io.logs).toContain('── Training mlp on data/penguins.csv');
  });

  test('both keys, disagreeing, are an error', async () => {
    const dir = await project();
    await writeFile(join(dir, 'both.yaml'), 'model: mlp\nalgorithm: linear\n');
    const result = await trainIn(dir, { params: 'both.yaml' });
    expect(result.error!.message).toMatch(/both.yaml: both model \(mlp\) and algorithm \(linear\) are set/);
  });
});

describe('train: regression, the linear model, and your own trainer', () => {
  test('a linear model fits a linear relation (regression, R2 near 1)', async () => {
    const dir = await makeTempDir('mlops-linear-');
    let seed = 3;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const rows = ['x1,x2,color,y'];
    for (let i = 0; i < 600; i++) {
      const x1 = rand() * 10;
      const x2 = rand() * 5;
      const color = ['red', 'green', 'blue'][i % 3]!;
      const y = 3 * x1 - 2 * x2 + (color === 'red' ? 5 : 0) + (rand() - 0.5) * 0.2;
      rows.push(`${x1.toFixed(4)},${x2.toFixed(4)},${color},${y.toFixed(4)}`);
    }
    await writeFile(join(dir, 'data.csv'), rows.join('\n') + '\n');
    const result = ok(
      await runStepInProcess(train, {
        cwd: dir,
        inputs: { data: 'data.csv', target: 'y', algorithm: 'linear', epochs: '400', 'learning-rate': '0.05' },
        env: RUN_ENV,
      }),
    );
    const metrics = JSON.parse(result.outputs.metrics!) as Record<string, number>;
    expect(metrics.r2).toBeGreaterThan(0.99);
    expect(metrics.rmse).toBeLessThan(0.5);
    const card = json(join(dir, result.outputs['model-dir']!, 'model-card.json'));
    expect(card.task).toBe('regression');
    expect(card.paramSources).toBe('inputs');
  });

  test('command: runs your trainer with the documented environment and collects its model and metrics', async () => {
    const dir = await project();
    await writeFile(
      join(dir, 'trainer.mjs'),
      [
        "import { writeFileSync, readFileSync } from 'node:fs';",
        'const params = JSON.parse(readFileSync(process.env.MLOPS_PARAMS_FILE, "utf8"));',
        'const rows = readFileSync(process.env.MLOPS_TRAIN_DATA, "utf8").trim().split("\\n").length - 1;',
        'writeFileSync(process.env.MLOPS_MODEL_DIR + "/model.pkl", "fitted " + process.env.MLOPS_TARGET);',
        'writeFileSync(process.env.MLOPS_METRICS_FILE, JSON.stringify({ accuracy: 0.5, rows, seed: params.seed, detail: { a: 1 } }));',
        'console.log("trained on", rows, "rows");',
      ].join('\n'),
    );
    const inputs = { config: 'mlops.yaml', command: `${NODE} trainer.mjs`, 'code-paths': 'trainer.mjs' };
    const result = ok(await runStepInProcess(train, { cwd: dir, inputs, env: RUN_ENV }));
    const modelDir = join(dir, result.outputs['model-dir']!);
    expect(await readFile(join(modelDir, 'model.pkl'), 'utf8')).toBe('fitted species');
    expect(JSON.parse(result.outputs.metrics!)).toEqual({ accuracy: 0.5, rows: 276, seed: 42 });
    // The trainer's own metrics file stays as it wrote it (nested details kept, not gated).
    expect(json(join(modelDir, 'metrics.json')).detail).toEqual({ a: 1 });
    expect(result.outputs.backend).toBe('none');
    expect(result.io.log).toContain('trained on 276 rows');
    expect(existsSync(join(modelDir, 'profile.json'))).toBe(true);
    const card = (await readContract('modelCard', modelDir))!;
    expect(card.trainer).toMatchObject({ kind: 'command', command: `${NODE} trainer.mjs` });
    expect((card.trainer as { code: Array<{ path: string; sha256: string }> }).code).toEqual([
      { path: 'trainer.mjs', sha256: sha256(join(dir, 'trainer.mjs')) },
    ]);
    expect(card.metrics.validation).toEqual({ accuracy: 0.5, rows: 276, seed: 42 });
    expect(card.git!.commit).toBe(SHA);
    // The parameters file is gone after the run.
    expect(readFileSync(join(dir, '.mlops', 'train', 'model', 'model.pkl'), 'utf8')).toBe('fitted species');
    expect(existsSync(join(dir, '.mlops', 'train', `params-${process.pid}.json`))).toBe(false);
    // The same run again is a cache hit; editing the trainer's code changes the cache key.
    const again = ok(await runStepInProcess(train, { cwd: dir, inputs, env: RUN_ENV }));
    expect(again.outputs['cache-hit']).toBe('true');
    await writeFile(join(dir, 'trainer.mjs'), readFileSync(join(dir, 'trainer.mjs'), 'utf8') + '\n// edited\n');
    const edited = ok(await runStepInProcess(train, { cwd: dir, inputs, env: RUN_ENV }));
    expect(edited.outputs['cache-hit']).toBe('false');
    expect(edited.outputs['cache-key']).not.toBe(result.outputs['cache-key']);
  });

  test('command with a model.onnx: your keys reach the trainer as you wrote them, the graph is checked and described in the card', async () => {
    const dir = await project();
    const fixture = resolve('test/fixtures/onnx/sklearn-strings/model.onnx');
    // A trainer that "fits" a scikit-learn pipeline on the penguins: here it copies the one the fixture script fitted.
    await writeFile(
      join(dir, 'trainer.mjs'),
      [
        "import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';",
        'const params = readFileSync(process.env.MLOPS_PARAMS_FILE, "utf8");',
        `copyFileSync(${JSON.stringify(fixture)}, process.env.MLOPS_MODEL_DIR + "/model.onnx");`,
        'writeFileSync(process.env.MLOPS_MODEL_DIR + "/params-seen.json", params);',
        'writeFileSync(process.env.MLOPS_METRICS_FILE, JSON.stringify({ accuracy: 0.97 }));',
      ].join('\n'),
    );
    await writeFile(join(dir, 'params.yaml'), 'n_estimators: 50\nmax_depth: 3\n');
    const result = ok(
      await runStepInProcess(train, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', command: `${NODE} trainer.mjs`, params: 'params.yaml', cache: 'false' },
        env: RUN_ENV,
      }),
    );
    const modelDir = join(dir, result.outputs['model-dir']!);
    // Exactly the train section's keys and the params file's: no built-in defaults (no learning_rate, no dropout).
    expect(json(join(modelDir, 'params-seen.json'))).toEqual({
      algorithm: 'mlp',
      hidden: [32, 16],
      epochs: 200,
      seed: 42,
      n_estimators: 50,
      max_depth: 3,
    });
    const card = (await readContract('modelCard', modelDir))!;
    expect(card.params).toEqual({ algorithm: 'mlp', hidden: [32, 16], epochs: 200, seed: 42, n_estimators: 50, max_depth: 3 });
    expect(card.task).toBe('classification');
    expect(card.signature!.target).toEqual({ name: 'species', task: 'classification', classes: ['Adelie', 'Chinstrap', 'Gentoo'] });
    expect(card.signature!.features.find((f) => f.name === 'island')).toEqual({ name: 'island', type: 'string' });
    expect(card.model).toMatchObject({ format: 'onnx', file: 'model.onnx', sha256: sha256(fixture) });
    expect(card.model!.inputs.find((i) => i.name === 'island')).toMatchObject({ datatype: 'BYTES' });
    expect(result.io.log).toMatch(/model\.onnx: classification, \d+ feature columns, classes Adelie, Chinstrap, Gentoo/);
  });

  test('command whose model is not ONNX: trained and recorded, with a warning that later steps need a model.onnx', async () => {
    const dir = await project();
    const command = `${NODE} -e "const fs=require('fs');fs.writeFileSync(process.env.MLOPS_MODEL_DIR+'/model.pkl','x');fs.writeFileSync(process.env.MLOPS_METRICS_FILE,'{}')"`;
    const result = ok(await runStepInProcess(train, { cwd: dir, inputs: { config: 'mlops.yaml', command, cache: 'false' }, env: RUN_ENV }));
    expect(result.io.warnings().join('\n')).toMatch(/wrote no model\.onnx: evaluate needs a predictions file \(evaluate\.predictions\)/);
  });

  test('command whose model.onnx is broken or takes columns the data lacks: the step fails naming the file, and leaves no model', async () => {
    const dir = await project();
    const gbdt = resolve('test/fixtures/onnx/sklearn-gbdt/model.onnx');
    const cases: Array<[string, RegExp]> = [
      [`fs.writeFileSync(process.env.MLOPS_MODEL_DIR+'/model.onnx','not a graph')`, /model\.onnx is not an ONNX model/],
      [
        `fs.copyFileSync(${JSON.stringify(gbdt)},process.env.MLOPS_MODEL_DIR+'/model.onnx')`,
        /model\.onnx: the graph takes "mean_radius".*not columns? of the training data/,
      ],
    ];
    for (const [write, message] of cases) {
      const command = `${NODE} -e "const fs=require('fs');${write.replace(/"/g, '\\"')};fs.writeFileSync(process.env.MLOPS_METRICS_FILE,'{}')"`;
      const result = await runStepInProcess(train, { cwd: dir, inputs: { config: 'mlops.yaml', command, cache: 'false' }, env: RUN_ENV });
      expect({ write, failed: result.failed }).toEqual({ write, failed: true });
      expect(result.error!.message).toMatch(message);
      expect(existsSync(join(dir, '.mlops', 'train', 'model'))).toBe(false);
    }
  });

  test("the trainer does not get the runner's service tokens, our secrets or step inputs; it gets the rest", async () => {
    const dir = await project();
    await writeFile(
      join(dir, 'trainer.mjs'),
      [
        "import { writeFileSync } from 'node:fs';",
        'const leaked = Object.keys(process.env).filter((k) => /^(INPUT_|ACTIONS_|GITHUB_TOKEN$|MLOPS_REGISTRY_TOKEN$)/.test(k));',
        'writeFileSync(process.env.MLOPS_MODEL_DIR + "/m", "x");',
        'writeFileSync(process.env.MLOPS_METRICS_FILE, JSON.stringify({ leaked: leaked.length }));',
        'console.log("seen:", leaked.join(" "), "kept:", process.env.KEEP_ME);',
      ].join('\n'),
    );
    const result = ok(
      await runStepInProcess(train, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', command: `${NODE} trainer.mjs` },
        env: {
          ...RUN_ENV,
          INPUT_TOKEN: 'secret-input',
          ACTIONS_RUNTIME_TOKEN: 'runtime-secret',
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-secret',
          GITHUB_TOKEN: 'workflow-token',
          MLOPS_REGISTRY_TOKEN: 'registry-token',
          KEEP_ME: 'yes',
        },
      }),
    );
    expect(JSON.parse(result.outputs.metrics!)).toEqual({ leaked: 0 });
    expect(result.io.log).toContain('kept: yes');
  });

  test('a failing trainer, or one that writes no metrics or no model, fails the step clearly and leaves no model', async () => {
    const dir = await project();
    const cases: Array<[string, RegExp]> = [
      [`${NODE} -e "process.exit(3)"`, /the trainer command failed \(exit 3\)/],
      [`${NODE} -e "require('fs').writeFileSync(process.env.MLOPS_MODEL_DIR + '/m', 'x')"`, /cannot read metrics/],
      [`${NODE} -e "require('fs').writeFileSync(process.env.MLOPS_METRICS_FILE, '{}')"`, /wrote no model files/],
      [
        `${NODE} -e "require('fs').writeFileSync(process.env.MLOPS_METRICS_FILE, '[1]')"`,
        /expected a JSON object of metric names to numbers/,
      ],
      [
        `${NODE} -e "require('fs').writeFileSync(process.env.MLOPS_METRICS_FILE, JSON.stringify({acc: 'high'}))"`,
        /metric "acc" is "high", not a number/,
      ],
    ];
    for (const [command, message] of cases) {
      const result = await runStepInProcess(train, { cwd: dir, inputs: { config: 'mlops.yaml', command, cache: 'false' }, env: RUN_ENV });
      expect({ command, failed: result.failed }).toEqual({ command, failed: true });
      expect(result.error!.message).toMatch(message);
      expect(existsSync(join(dir, '.mlops', 'train', 'model'))).toBe(false);
      expect(existsSync(join(dir, '.mlops', 'train', `model.partial-${process.pid}`))).toBe(false);
    }
  });

  test('a NaN in a numeric column is a missing number, not a reason to treat the column as text', async () => {
    const dir = await makeTempDir('mlops-nan-');
    const rows = ['x,y'];
    for (let i = 0; i < 200; i++) rows.push(`${i % 17 === 0 ? 'NaN' : (i / 10).toFixed(1)},${(i / 5).toFixed(2)}`);
    await writeFile(join(dir, 'data.csv'), rows.join('\n') + '\n');
    const result = ok(await runStepInProcess(train, { cwd: dir, inputs: { data: 'data.csv', target: 'y', epochs: '3' }, env: RUN_ENV }));
    const card = (await readContract('modelCard', join(dir, result.outputs['model-dir']!)))!;
    expect(card.signature!.features).toEqual([{ name: 'x', type: 'number' }]);
    expect(card.signature!.target.task).toBe('regression');
  });
});

describe('progress lines', () => {
  test('the first epoch, then at most one line every few seconds, and the last epoch; best loss and time left', () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = epochProgress((line) => lines.push(line), { intervalMs: 5000, now: () => clock });
    // 1000 epochs of 100 ms: 100 s, val_loss falling to its best at epoch 600, then rising.
    for (let epoch = 1; epoch <= 1000; epoch++) {
      clock = epoch * 100;
      const valLoss = 1 + Math.abs(epoch - 600) / 1000;
      progress({ epoch, epochs: 1000, loss: 0.5, valLoss, elapsedMs: clock });
    }
    expect(lines.length).toBeLessThanOrEqual(22);
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines[0]).toBe('epoch    1/1000  loss 0.5000  val_loss 1.5990  best val_loss 1.5990 (epoch 1)  0.1 s, at most 100 s left');
    expect(lines.at(-1)).toBe('epoch 1000/1000  loss 0.5000  val_loss 1.4000  best val_loss 1.0000 (epoch 600)  100.0 s, at most 0 s left');
  });

  test('the gap grows with the run: an hour of fast epochs logs a bounded number of lines', () => {
    let clock = 0;
    let count = 0;
    const progress = epochProgress(() => count++, { now: () => clock });
    for (let epoch = 1; epoch <= 10000; epoch++) {
      clock = epoch * 360;
      progress({ epoch, epochs: 10000, loss: 1, valLoss: null, elapsedMs: clock });
    }
    // 3600 s: every 5 s would be 720 lines; a gap of a thirtieth of the time so far keeps it near 30 x ln(3600 / 150).
    expect(count).toBeLessThan(150);
  });
});
