/**
 * train and evaluate, proven from their bundles (dist/train, dist/evaluate) run as
 * the GitHub runner runs them, chained on the example project; the pull request
 * comment goes to the GitHub API emulator, which checks every request and response
 * against GitHub's OpenAPI description.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { BUNDLES, ROOT, hasStackTrace, makeTempDir, removeTempDirs, runAction } from './support/action-runner.js';
import type { ActionResult } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';

const EXAMPLE = join(ROOT, 'examples', 'penguins');

afterAll(removeTempDirs);

async function project(): Promise<string> {
  const dir = await makeTempDir('mlops-penguins-');
  await cp(EXAMPLE, dir, { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
  return dir;
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const json = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

function ok(result: ActionResult): ActionResult {
  if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Trains the example with few epochs (fast) unless told otherwise. */
async function trainIn(dir: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionResult> {
  return runAction(BUNDLES.train, {
    cwd: dir,
    inputs: { config: 'mlops.yaml', epochs: '60', ...inputs },
    env: { GITHUB_RUN_ID: '4242', ...env },
  });
}

describe('train (dist/train/index.js)', () => {
  let dir: string;
  let first: ActionResult;
  beforeAll(async () => {
    dir = await project();
    first = ok(await trainIn(dir));
  });

  test('trains on the WebAssembly backend and writes a complete model directory', () => {
    expect(first.outputs.backend).toBe('wasm');
    expect(first.outputs['cache-hit']).toBe('false');
    const modelDir = join(dir, first.outputs['model-dir']!);
    for (const file of ['model.json', 'weights.bin', 'preprocess.json', 'model-card.json', 'metrics.json'])
      expect(existsSync(join(modelDir, file))).toBe(true);
    const metrics = JSON.parse(first.outputs.metrics!) as Record<string, number>;
    // Penguins are easy: a fitted model classifies the held-out validation birds well.
    expect(metrics.accuracy).toBeGreaterThan(0.9);
    expect(metrics.count).toBeGreaterThan(40);
    expect(first.stdout).toMatch(/epoch +1\/60 +loss \d/);
    expect(first.stdout).toContain('::group::Training mlp');
    expect(first.summary).toContain('Training: penguins');
  });

  test('the model carries the profile of its training data and of its own predictions, for drift checks', () => {
    const profile = json(join(dir, first.outputs['model-dir']!, 'profile.json')) as {
      format: string;
      rows: number;
      columns: Array<{ name: string; counts: Record<string, number>; top: { items: Array<[string, number]> } | unknown }>;
    };
    expect(profile.format).toBe('mlops-profile/v1');
    expect(profile.rows).toBe(276);
    const names = profile.columns.map((c) => c.name);
    expect(names).toContain('bill_length_mm');
    expect(names.at(-1)).toBe('_prediction');
    const prediction = profile.columns.at(-1)!;
    // Every row gets a prediction (labelled or not), and predictions are class names.
    expect(prediction.counts.string).toBe(276);
    expect(JSON.stringify(prediction.top)).toContain('Adelie');
  });

  test('the model card records lineage: data hashes, parameters, commit, run, metrics', () => {
    const card = json(join(dir, first.outputs['model-dir']!, 'model-card.json'));
    const data = card.data as {
      files: Array<{ path: string; sha256: string }>;
      target: string;
      classes: string[];
      rows: { train: number; validation: number };
    };
    expect(data.files[0]!.sha256).toBe(sha256(join(dir, 'data', 'penguins.csv')));
    expect(data.target).toBe('species');
    expect(data.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(data.rows.train + data.rows.validation).toBe(276);
    expect((card.git as { commit: string }).commit).toBe('0'.repeat(40));
    expect((card.run as { url: string }).url).toBe('https://github.com/octo/ml/actions/runs/4242');
    expect((card.params as { hidden: number[]; epochs: number }).hidden).toEqual([32, 16]);
    expect((card.params as { epochs: number }).epochs).toBe(60);
    expect((card.trainer as { backend: string }).backend).toBe('wasm');
    expect((card.metrics as { validation: { accuracy: number } }).validation.accuracy).toBe(JSON.parse(first.outputs.metrics!).accuracy);
    expect(first.outputs['cache-key']).toMatch(/^mlops-train-penguins-[0-9a-f]{40}$/);
  });

  test('an identical second run is a cache hit; cache: false trains again', async () => {
    const again = ok(await trainIn(dir));
    expect(again.outputs['cache-hit']).toBe('true');
    expect(again.outputs.backend).toBe('none');
    expect(again.outputs['cache-key']).toBe(first.outputs['cache-key']);
    expect(again.outputs.metrics).toBe(first.outputs.metrics);
    expect(again.stdout).not.toContain('epoch 1/');
    const forced = ok(await trainIn(dir, { cache: 'false' }));
    expect(forced.outputs['cache-hit']).toBe('false');
    expect(forced.stdout).toMatch(/epoch +1\/60/);
  });

  test('changing the data or a parameter changes the cache key', async () => {
    const other = ok(await trainIn(dir, { epochs: '61', cache: 'false' }));
    expect(other.outputs['cache-key']).not.toBe(first.outputs['cache-key']);
    const copy = await project();
    const lines = readFileSync(join(copy, 'data', 'penguins.csv'), 'utf8').split('\n');
    await writeFile(join(copy, 'data', 'penguins.csv'), lines.slice(0, -5).join('\n') + '\n');
    // Only the data differ from the first run.
    const changed = ok(await trainIn(copy));
    expect(changed.outputs['cache-key']).not.toBe(first.outputs['cache-key']);
    // Reading options the model depends on are part of the key too.
    const nulls = await project();
    await writeFile(
      join(nulls, 'mlops.yaml'),
      readFileSync(join(nulls, 'mlops.yaml'), 'utf8').replace('  target: species', "  target: species\n  null_values: ['', 'NA', 'male']"),
    );
    const withNulls = ok(await trainIn(nulls));
    expect(withNulls.outputs['cache-key']).not.toBe(first.outputs['cache-key']);
  });

  test('the same seed gives the same weights; another seed gives others', async () => {
    const a = await project();
    const b = await project();
    const c = await project();
    const runA = ok(await trainIn(a, { epochs: '15', cache: 'false' }));
    const runB = ok(await trainIn(b, { epochs: '15', cache: 'false' }));
    const runC = ok(await trainIn(c, { epochs: '15', cache: 'false', seed: '7' }));
    const weights = (d: string, r: ActionResult) => readFileSync(join(d, r.outputs['model-dir']!, 'weights.bin'));
    expect(weights(a, runA).equals(weights(b, runB))).toBe(true);
    expect(runA.outputs.metrics).toBe(runB.outputs.metrics);
    expect(weights(a, runA).equals(weights(c, runC))).toBe(false);
  });

  test('bad inputs fail with the input named and no stack trace', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ epochs: 'many' }, /input epochs: "many" is not a whole number/],
      [{ model: 'forest' }, /input model: "forest" is not one of mlp, linear/],
      [{ target: 'wingspan' }, /target column "wingspan" is not in .*Columns there: species, island/s],
      [{ 'learning-rate': '-1' }, /learning_rate/],
    ];
    for (const [inputs, message] of cases) {
      const result = await trainIn(dir, { cache: 'false', ...inputs });
      expect({ inputs, code: result.code }).toEqual({ inputs, code: 1 });
      expect(result.stdout).toMatch(message);
      expect(hasStackTrace(result.stdout + result.stderr)).toBe(false);
    }
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
      await runAction(BUNDLES.train, {
        cwd: dir,
        inputs: { data: 'data.csv', target: 'y', model: 'linear', epochs: '400', 'learning-rate': '0.05' },
      }),
    );
    const metrics = JSON.parse(result.outputs.metrics!) as Record<string, number>;
    expect(metrics.r2).toBeGreaterThan(0.99);
    expect(metrics.rmse).toBeLessThan(0.5);
    const card = json(join(dir, result.outputs['model-dir']!, 'model-card.json'));
    expect(card.task).toBe('regression');
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
        'writeFileSync(process.env.MLOPS_METRICS_FILE, JSON.stringify({ accuracy: 0.5, rows, seed: params.seed }));',
        'console.log("trained on", rows, "rows");',
      ].join('\n'),
    );
    const result = ok(
      await runAction(BUNDLES.train, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', command: 'node trainer.mjs', 'code-paths': 'trainer.mjs' },
      }),
    );
    const modelDir = join(dir, result.outputs['model-dir']!);
    expect(await readFile(join(modelDir, 'model.pkl'), 'utf8')).toBe('fitted species');
    expect(JSON.parse(result.outputs.metrics!)).toEqual({ accuracy: 0.5, rows: 276, seed: 42 });
    expect(result.stdout).toContain('trained on 276 rows');
    const card = json(join(modelDir, 'model-card.json'));
    expect((card.trainer as { kind: string; command: string }).command).toBe('node trainer.mjs');
    expect((card.trainer as { code: Array<{ sha256: string }> }).code[0]!.sha256).toBe(sha256(join(dir, 'trainer.mjs')));
    // Editing the trainer's code changes the cache key.
    await writeFile(join(dir, 'trainer.mjs'), readFileSync(join(dir, 'trainer.mjs'), 'utf8') + '\n// edited\n');
    const edited = ok(
      await runAction(BUNDLES.train, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', command: 'node trainer.mjs', 'code-paths': 'trainer.mjs' },
      }),
    );
    expect(edited.outputs['cache-hit']).toBe('false');
    expect(edited.outputs['cache-key']).not.toBe(result.outputs['cache-key']);
  });

  test("the trainer does not get the runner's service tokens or this step's inputs", async () => {
    const dir = await project();
    await writeFile(
      join(dir, 'trainer.mjs'),
      [
        "import { writeFileSync } from 'node:fs';",
        'const leaked = Object.keys(process.env).filter((k) => k.startsWith("INPUT_") || k.startsWith("ACTIONS_RUNTIME") || k.startsWith("ACTIONS_ID_TOKEN"));',
        'writeFileSync(process.env.MLOPS_MODEL_DIR + "/m", "x");',
        'writeFileSync(process.env.MLOPS_METRICS_FILE, JSON.stringify({ leaked: leaked.length }));',
        'console.log("seen:", leaked.join(" "), "kept:", process.env.KEEP_ME);',
      ].join('\n'),
    );
    const result = ok(
      await runAction(BUNDLES.train, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', command: 'node trainer.mjs', token: 'secret-input' },
        env: { ACTIONS_RUNTIME_TOKEN: 'runtime-secret', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-secret', KEEP_ME: 'yes' },
      }),
    );
    expect(JSON.parse(result.outputs.metrics!)).toEqual({ leaked: 0 });
    expect(result.stdout).toContain('kept: yes');
  });

  test('a NaN in a numeric column is a missing number, not a reason to treat the column as text', async () => {
    const dir = await makeTempDir('mlops-nan-');
    const rows = ['x,y'];
    for (let i = 0; i < 200; i++) rows.push(`${i % 17 === 0 ? 'NaN' : (i / 10).toFixed(1)},${(i / 5).toFixed(2)}`);
    await writeFile(join(dir, 'data.csv'), rows.join('\n') + '\n');
    const result = ok(await runAction(BUNDLES.train, { cwd: dir, inputs: { data: 'data.csv', target: 'y', epochs: '3' } }));
    const pre = json(join(dir, result.outputs['model-dir']!, 'preprocess.json')) as {
      features: Array<{ kind: string }>;
      target: { task: string };
    };
    expect(pre.features[0]!.kind).toBe('numeric');
    expect(pre.target.task).toBe('regression');
  });

  test('a class label that spells a workflow command is logged as text, not run', async () => {
    const dir = await makeTempDir('mlops-inject-');
    const rows = ['x,label'];
    for (let i = 0; i < 60; i++) rows.push(`${i},${i % 2 === 0 ? '"a\n::error file=README.md,line=1::injected"' : 'b'}`);
    await writeFile(join(dir, 'data.csv'), rows.join('\n') + '\n');
    const result = ok(await runAction(BUNDLES.train, { cwd: dir, inputs: { data: 'data.csv', target: 'label', epochs: '2' } }));
    expect(result.annotations.filter((a) => a.command === 'error')).toEqual([]);
    expect(result.stdout).not.toMatch(/^::error/m);
  });

  test('a failing trainer, or one that writes no metrics or no model, fails the step clearly', async () => {
    const dir = await project();
    const cases: Array<[string, RegExp]> = [
      ['node -e "process.exit(3)"', /trainer command failed with exit code 3/],
      ["node -e \"require('fs').writeFileSync(process.env.MLOPS_MODEL_DIR + '/m', 'x')\"", /cannot read metrics/],
      ["node -e \"require('fs').writeFileSync(process.env.MLOPS_METRICS_FILE, '{}')\"", /wrote no model files/],
      [
        "node -e \"require('fs').writeFileSync(process.env.MLOPS_METRICS_FILE, JSON.stringify({acc: 'high'}))\"",
        /metric "acc" is "high", not a number/,
      ],
    ];
    for (const [command, message] of cases) {
      const result = await runAction(BUNDLES.train, { cwd: dir, inputs: { config: 'mlops.yaml', command, cache: 'false' } });
      expect({ command, code: result.code }).toEqual({ command, code: 1 });
      expect(result.stdout).toMatch(message);
      expect(existsSync(join(dir, '.mlops', 'train', 'model'))).toBe(false);
    }
  });
});

describe('evaluate (dist/evaluate/index.js)', () => {
  let dir: string;
  let emulator: GitHubEmulator;
  beforeAll(async () => {
    dir = await project();
    ok(await trainIn(dir));
    ok(await runAction(BUNDLES.validateData, { cwd: dir, inputs: { config: 'mlops.yaml' } }));
    emulator = await GitHubEmulator.start();
    emulator.addIssue({ owner: 'octo', repo: 'ml' }, 1);
    emulator.addIssue({ owner: 'octo', repo: 'ml' }, 2);
  });
  afterAll(async () => emulator.close());

  const evaluateIn = (inputs: Record<string, string>, env: Record<string, string> = {}, pullRequest = 1) =>
    runAction(BUNDLES.evaluate, {
      cwd: dir,
      inputs: { config: 'mlops.yaml', comment: 'false', ...inputs },
      env: { GITHUB_RUN_ID: '4242', ...env },
      event: {
        action: 'synchronize',
        number: pullRequest,
        pull_request: {
          number: pullRequest,
          head: { ref: 'feature', sha: '0'.repeat(40), repo: { full_name: 'octo/ml' } },
          base: { ref: 'main', repo: { full_name: 'octo/ml' } },
        },
        repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
      },
    });

  test('scores the candidate on the held-out test data, blesses it, and writes every report', async () => {
    const result = ok(await evaluateIn({}));
    expect(result.outputs.blessed).toBe('true');
    const metrics = JSON.parse(result.outputs.metrics!) as Record<string, number>;
    expect(metrics.count).toBe(68);
    expect(metrics.accuracy).toBeGreaterThan(0.9);
    const blessing = json(join(dir, result.outputs.blessing!));
    expect(blessing.blessed).toBe(true);
    expect(blessing.reasons).toEqual([]);
    const report = readFileSync(join(dir, result.outputs.report!), 'utf8');
    expect(report).toContain('✅ blessed');
    expect(report).toContain('```mermaid\nxychart-beta');
    expect(report).toContain('| `accuracy` |');
    expect(report).toContain('### Slices');
    expect(result.summary).toContain('Evaluation: penguins');
    const html = readFileSync(join(dir, result.outputs['html-report']!), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toContain('<script');
  });

  test('a failing gate: not blessed, every reason reported, the step fails (unless fail-on-unblessed is false)', async () => {
    await writeFile(join(dir, 'strict-gates.yaml'), '- metric: accuracy\n  lower: 0.9999\n- metric: log_loss\n  upper: 0.000001\n');
    const result = await evaluateIn({ gates: 'strict-gates.yaml' });
    expect(result.code).toBe(1);
    expect(result.outputs.blessed).toBe('false');
    const blessing = json(join(dir, result.outputs.blessing!)) as { reasons: string[] };
    expect(blessing.reasons).toHaveLength(2);
    expect(blessing.reasons[0]).toMatch(/accuracy .* is below the minimum 0.9999/);
    expect(blessing.reasons[1]).toMatch(/log_loss .* above the maximum/);
    expect(result.summary).toContain('❌ not blessed');
    const lenient = await evaluateIn({ gates: 'strict-gates.yaml', 'fail-on-unblessed': 'false' });
    expect(lenient.code).toBe(0);
    expect(lenient.outputs.blessed).toBe('false');
  });

  test('a baseline: the same model scores the same (change 0), a better baseline fails the change gate', async () => {
    const modelDir = join(dir, '.mlops', 'train', 'model');
    const same = ok(await evaluateIn({ 'baseline-model-dir': modelDir }));
    expect(same.outputs.blessed).toBe('true');
    expect(JSON.parse(same.outputs['baseline-metrics']!)).toEqual(JSON.parse(same.outputs.metrics!));
    const candidate = JSON.parse(same.outputs.metrics!) as Record<string, number>;
    await writeFile(join(dir, 'better.json'), JSON.stringify({ f1_macro: candidate.f1_macro! + 0.05, accuracy: 0.99 }));
    const worse = await evaluateIn({ 'baseline-metrics': 'better.json' });
    expect(worse.outputs.blessed).toBe('false');
    expect(worse.stdout).toMatch(/f1_macro fell by 0\.05/);
  });

  test('evaluates a predictions file from any framework (binary, with scores)', async () => {
    // Scores 0.1, 0.4, 0.35, 0.8 for labels 0, 0, 1, 1: scikit-learn's documented ROC AUC of 0.75.
    await writeFile(
      join(dir, 'predictions.csv'),
      'y_true,y_pred,score:no,score:yes\nno,no,0.9,0.1\nno,no,0.6,0.4\nyes,no,0.65,0.35\nyes,yes,0.2,0.8\n',
    );
    // The example's gates ask for accuracy 0.9: not blessed, but the metrics are what this test reads.
    const result = ok(await evaluateIn({ predictions: 'predictions.csv', 'fail-on-unblessed': 'false' }));
    expect(result.outputs.blessed).toBe('false');
    const metrics = JSON.parse(result.outputs.metrics!) as Record<string, number>;
    expect(metrics.roc_auc).toBeCloseTo(0.75, 12);
    expect(metrics.accuracy).toBeCloseTo(0.75, 12);
  });

  test('posts one comment on the pull request and updates it in place on the next run', async () => {
    const env = { GITHUB_API_URL: emulator.url };
    const first = ok(await evaluateIn({ comment: 'auto', token: 'write-token' }, env));
    expect(first.outputs['comment-url']).toMatch(/^https:\/\/github.com\/octo\/ml\/pull\/1#issuecomment-\d+$/);
    expect(first.stdout).toContain('Created the report comment on pull request #1');
    // A new push: different gates change the comment, which is edited in place.
    await writeFile(join(dir, 'gates-v2.yaml'), '- metric: accuracy\n  lower: 0.5\n');
    const second = ok(await evaluateIn({ comment: 'auto', token: 'write-token', gates: 'gates-v2.yaml' }, env));
    expect(second.stdout).toContain('Updated the report comment on pull request #1');
    expect(second.outputs['comment-url']).toBe(first.outputs['comment-url']);
    const comments = emulator.commentsOn({ owner: 'octo', repo: 'ml' }, 1);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('<!-- mlops-actions:pr-report:penguins -->');
    expect(comments[0]!.body).toContain('Evaluation: penguins');
    expect(comments[0]!.body).toContain('Data validation');
    // The training section comes from the model card: trainer, data hash, parameters.
    expect(comments[0]!.body).toContain('<summary>Training</summary>');
    expect(comments[0]!.body).toContain(sha256(join(dir, 'data', 'penguins.csv')).slice(0, 12));
    expect(comments[0]!.body.length).toBeLessThanOrEqual(65_536);
    emulator.assertClean();
  });

  test('without permission to comment the step warns with the fix and still passes', async () => {
    const result = ok(await evaluateIn({ comment: 'auto', token: 'read-token' }, { GITHUB_API_URL: emulator.url }, 2));
    expect(emulator.commentsOn({ owner: 'octo', repo: 'ml' }, 2)).toHaveLength(0);
    expect(result.stdout).toMatch(/::warning[^\n]*pull-requests: write/);
    expect(result.outputs['comment-url']).toBe('');
    expect(result.summary).toContain('Evaluation: penguins');
    emulator.assertClean();
  });

  test('test rows of a class the model never saw count as wrong, and are reported', async () => {
    const copy = await project();
    ok(await trainIn(copy));
    const testFile = join(copy, 'data', 'penguins-test.csv');
    const text = readFileSync(testFile, 'utf8');
    const extra = text
      .trim()
      .split('\n')
      .slice(1, 21)
      .map((line) => line.replace(/^[A-Za-z]+,/, 'Emperor,'));
    await writeFile(testFile, `${text.trim()}\n${extra.join('\n')}\n`);
    const result = await runAction(BUNDLES.evaluate, { cwd: copy, inputs: { config: 'mlops.yaml', comment: 'false' } });
    const metrics = JSON.parse(result.outputs.metrics!) as Record<string, number>;
    expect(metrics.count).toBe(88);
    // At most the 68 known birds are right: accuracy at most 68/88.
    expect(metrics.accuracy).toBeLessThanOrEqual(68 / 88 + 1e-12);
    expect(result.outputs.blessed).toBe('false');
    expect(result.stdout).toMatch(/::warning[^\n]*20 test rows have a class the model .* never saw in training \(Emperor\)/);
  });

  test('the action declares the workflow token as the default for `token`', () => {
    const action = readFileSync(join(ROOT, 'actions', 'evaluate', 'action.yml'), 'utf8');
    expect(action).toMatch(/token:\n\s+description: [^\n]+\n\s+required: false\n\s+default: \$\{\{ github\.token \}\}/);
  });

  test('no test data or no model: clear errors', async () => {
    const bare = await makeTempDir('mlops-bare-');
    const noData = await runAction(BUNDLES.evaluate, { cwd: bare, inputs: { 'model-dir': 'nowhere' } });
    expect(noData.code).toBe(1);
    expect(noData.stdout).toMatch(/no test data to evaluate on/);
    const noModel = await runAction(BUNDLES.evaluate, { cwd: dir, inputs: { config: 'mlops.yaml', 'model-dir': 'missing-model' } });
    expect(noModel.code).toBe(1);
    expect(noModel.stdout).toMatch(/no model at missing-model/);
    expect(hasStackTrace(noModel.stdout + noModel.stderr)).toBe(false);
  });
});
