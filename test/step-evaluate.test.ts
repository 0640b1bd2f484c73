/**
 * evaluate in process, on the example project with a model trained once (by the train
 * step, in process): scoring, gates and the blessing, baselines (a model, a metrics
 * file, an evaluation.json, a registry alias), predictions from any framework, slices,
 * the reports and evaluation.json, the pull request comment (against the GitHub API
 * emulator, which checks every request and response against GitHub's OpenAPI
 * description) and the comment saved for the fork-safe reporter, and every bad input.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contractPath, readContract } from '../src/core/contracts/index.js';
import { evaluate } from '../src/steps/evaluate.js';
import { FolderStore } from '../src/adapters/registry/folder-store.js';
import { ModelRegistry } from '../src/core/registry/registry.js';
import { train } from '../src/steps/train.js';
import { copyExample, makeTempDir, removeTempDirs } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';
import { runStepInProcess } from './support/step-context.js';
import type { InProcessResult } from './support/step-context.js';

const REPO = { owner: 'octo', repo: 'ml' };
const HEAD = 'c0ffee'.padEnd(40, '0');

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function ok(result: InProcessResult): InProcessResult {
  if (result.failed) throw new Error(`${result.error?.message ?? result.io.failed}\n${result.io.log}`);
  return result;
}

/** A copy of the example project (without outputs). */
const project = (): Promise<string> => copyExample('mlops-step-evaluate-');

/** Trains the example (few epochs, fast) into .mlops/train/model. */
async function trained(dir: string): Promise<void> {
  ok(await runStepInProcess(train, { cwd: dir, inputs: { config: 'mlops.yaml', epochs: '60' } }));
}

/** A pull_request event (from this repository unless `fork` names another), written where GITHUB_EVENT_PATH points. */
async function pullRequestEvent(dir: string, number: number, fork?: string): Promise<string> {
  const path = join(dir, `event-${number}${fork ? '-fork' : ''}.json`);
  await writeFile(
    path,
    JSON.stringify({
      action: 'synchronize',
      number,
      pull_request: {
        number,
        head: { ref: 'feature', sha: HEAD, repo: { full_name: fork ?? 'octo/ml' } },
        base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'octo/ml' } },
      },
      repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
    }),
  );
  return path;
}

let dir: string;
let emulator: GitHubEmulator;

beforeAll(async () => {
  emulator = await GitHubEmulator.start();
  dir = await project();
  await trained(dir);
  // validate-data's report, as it leaves it beside mlops.yaml.
  await mkdir(join(dir, '.mlops', 'validate-data'), { recursive: true });
  await writeFile(join(dir, '.mlops', 'validate-data', 'report.md'), '## Data validation: penguins\n\nNo anomalies.\n');
}, 180_000);

afterAll(async () => {
  await emulator.close();
  await removeTempDirs();
});

const evaluateIn = (inputs: Record<string, string> = {}, env: Record<string, string> = {}, cwd = dir) =>
  runStepInProcess(evaluate, {
    cwd,
    inputs: { config: 'mlops.yaml', comment: 'false', ...inputs },
    env: { GITHUB_RUN_ID: '4242', ...env },
  });

describe('evaluate: scoring, gates and the blessing', () => {
  test('scores the candidate on the held-out test data, blesses it, and writes every report', async () => {
    const result = ok(await evaluateIn());
    expect(result.outputs.blessed).toBe('true');
    const metrics = JSON.parse(result.outputs.metrics!) as Record<string, number>;
    expect(metrics.count).toBe(68);
    expect(metrics.accuracy).toBeGreaterThan(0.9);
    // Outputs are paths relative to the working directory.
    expect(result.outputs.blessing).toBe(join('.mlops', 'evaluate', 'blessing.json'));
    const blessing = await readContract('blessing', join(dir, result.outputs.blessing!));
    expect(blessing).toMatchObject({ blessed: true, reasons: [], model: { name: 'penguins', source: join('.mlops', 'train', 'model') } });
    expect(blessing!.metrics.accuracy).toBe(metrics.accuracy);
    // Bound to the bytes judged: register checks the model it registers is this one.
    const graph = readFileSync(join(dir, '.mlops', 'train', 'model', 'model.onnx'));
    expect(blessing!.model.digest).toBe(`sha256:${createHash('sha256').update(graph).digest('hex')}`);
    expect(blessing!.checks.map((c) => c.metric)).toEqual(['accuracy', 'f1_macro']);
    const report = readFileSync(join(dir, result.outputs.report!), 'utf8');
    expect(report).toContain('✅ blessed');
    expect(report).toContain('```mermaid\nxychart-beta');
    expect(report).toContain('| `accuracy` |');
    expect(report).toContain('### Slices');
    expect(result.io.summary).toContain('Evaluation: penguins');
    const html = readFileSync(join(dir, result.outputs['html-report']!), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toContain('<script');
    // evaluation.json: the report without chart data, readable as a later baseline.
    const evaluation = await readContract('evaluation', join(dir, '.mlops', 'evaluate'));
    expect(evaluation!.candidate.metrics.accuracy).toBe(metrics.accuracy);
    expect(evaluation).not.toHaveProperty('curves');
    expect(evaluation).not.toHaveProperty('residuals');
    expect(result.io.log).toContain('Blessed: every gate passed');
  });

  test('slices (evaluate.slices): one row per value, in order, through sliceMetrics; the counts add up to the test rows', async () => {
    ok(await evaluateIn());
    const evaluation = (await readContract('evaluation', join(dir, '.mlops', 'evaluate'))) as unknown as {
      slices: Array<{ column: string; value: string; count: number; metrics: Record<string, number | null> }>;
    };
    const islands = evaluation.slices.filter((s) => s.column === 'island');
    expect(islands.map((s) => s.value)).toEqual(['Biscoe', 'Dream', 'Torgersen']);
    expect(islands.reduce((sum, s) => sum + s.count, 0)).toBe(68);
    for (const s of islands) expect(s.metrics.count).toBe(s.count);
    const sexes = evaluation.slices.filter((s) => s.column === 'sex');
    expect(sexes.reduce((sum, s) => sum + s.count, 0)).toBe(68);
    // The input wins over mlops.yaml.
    ok(await evaluateIn({ slices: 'island' }));
    const only = (await readContract('evaluation', join(dir, '.mlops', 'evaluate'))) as unknown as typeof evaluation;
    expect(new Set(only.slices.map((s) => s.column))).toEqual(new Set(['island']));
    const missing = await evaluateIn({ slices: 'wingspan' });
    expect(missing.error?.message).toMatch(/slice column "wingspan"/);
  });

  test('a failing gate: not blessed, every reason reported, the step fails (unless fail-on-unblessed is false)', async () => {
    await writeFile(join(dir, 'strict-gates.yaml'), '- metric: accuracy\n  lower: 0.9999\n- metric: log_loss\n  upper: 0.000001\n');
    const result = await evaluateIn({ gates: 'strict-gates.yaml' });
    expect(result.error).toBeNull();
    expect(result.io.failed).toMatch(/^The candidate is not blessed: /);
    expect(result.outputs.blessed).toBe('false');
    const blessing = await readContract('blessing', join(dir, result.outputs.blessing!));
    expect(blessing!.reasons).toHaveLength(2);
    expect(blessing!.reasons[0]).toMatch(/accuracy .* is below the minimum 0.9999/);
    expect(blessing!.reasons[1]).toMatch(/log_loss .* above the maximum/);
    expect(result.io.summary).toContain('❌ not blessed');
    const lenient = await evaluateIn({ gates: 'strict-gates.yaml', 'fail-on-unblessed': 'false' });
    expect(lenient.failed).toBe(false);
    expect(lenient.outputs.blessed).toBe('false');
  });

  test('evaluate.fail_on_unblessed in mlops.yaml sets the default; the input wins', async () => {
    const copy = await project();
    await cp(join(dir, '.mlops', 'train'), join(copy, '.mlops', 'train'), { recursive: true });
    const yaml = readFileSync(join(copy, 'mlops.yaml'), 'utf8');
    await writeFile(
      join(copy, 'mlops.yaml'),
      yaml.replace('  slices: [island, sex]', '  slices: [island, sex]\n  fail_on_unblessed: false'),
    );
    await writeFile(join(copy, 'strict-gates.yaml'), '- metric: accuracy\n  lower: 0.9999\n');
    const lenient = await evaluateIn({ gates: 'strict-gates.yaml' }, {}, copy);
    expect(lenient.failed).toBe(false);
    expect(lenient.outputs.blessed).toBe('false');
    const strict = await evaluateIn({ gates: 'strict-gates.yaml', 'fail-on-unblessed': 'true' }, {}, copy);
    expect(strict.io.failed).toMatch(/not blessed/);
  });

  test('a blessing from an earlier run does not outlive a run that fails before writing one', async () => {
    const copy = await project();
    await cp(join(dir, '.mlops', 'train'), join(copy, '.mlops', 'train'), { recursive: true });
    ok(await evaluateIn({}, {}, copy));
    expect(existsSync(contractPath('blessing', join(copy, '.mlops', 'evaluate')))).toBe(true);
    await writeFile(join(copy, 'bad-gates.yaml'), '- metric: accuracy\n  lower: high\n');
    const failed = await evaluateIn({ gates: 'bad-gates.yaml' }, {}, copy);
    expect(failed.error).not.toBeNull();
    expect(existsSync(contractPath('blessing', join(copy, '.mlops', 'evaluate')))).toBe(false);
  });
});

describe('evaluate: baselines', () => {
  test('the same model as baseline scores the same (change 0); a better baseline fails the change gate', async () => {
    const same = ok(await evaluateIn({ 'baseline-model-dir': join('.mlops', 'train', 'model') }));
    expect(same.outputs.blessed).toBe('true');
    expect(JSON.parse(same.outputs['baseline-metrics']!)).toEqual(JSON.parse(same.outputs.metrics!));
    const candidate = JSON.parse(same.outputs.metrics!) as Record<string, number>;
    await writeFile(join(dir, 'better.json'), JSON.stringify({ f1_macro: candidate.f1_macro! + 0.05, accuracy: 0.99 }));
    const worse = await evaluateIn({ 'baseline-metrics': 'better.json' });
    expect(worse.outputs.blessed).toBe('false');
    expect(worse.io.log).toMatch(/f1_macro fell by 0\.05/);
    expect(JSON.parse(worse.outputs['baseline-metrics']!)).toEqual({ f1_macro: candidate.f1_macro! + 0.05, accuracy: 0.99 });
  });

  test("an earlier evaluation.json as baseline metrics: its candidate's metrics; a broken one is named", async () => {
    const first = ok(await evaluateIn());
    await cp(contractPath('evaluation', join(dir, '.mlops', 'evaluate')), join(dir, 'previous-evaluation.json'));
    const again = ok(await evaluateIn({ 'baseline-metrics': 'previous-evaluation.json' }));
    expect(JSON.parse(again.outputs['baseline-metrics']!)).toEqual(JSON.parse(first.outputs.metrics!));
    await writeFile(join(dir, 'broken-evaluation.json'), JSON.stringify({ candidate: { metrics: { accuracy: 1 } } }));
    const broken = await evaluateIn({ 'baseline-metrics': 'broken-evaluation.json' });
    expect(broken.error?.message).toMatch(/broken-evaluation\.json is not an evaluation of evaluate/);
  });

  test('evaluate.baseline.model in mlops.yaml is relative to mlops.yaml, not to the working directory', async () => {
    const copy = await project();
    await cp(join(dir, '.mlops', 'train'), join(copy, '.mlops', 'train'), { recursive: true });
    const yaml = readFileSync(join(copy, 'mlops.yaml'), 'utf8');
    await writeFile(
      join(copy, 'mlops.yaml'),
      yaml.replace('  slices: [island, sex]', '  slices: [island, sex]\n  baseline:\n    model: .mlops/train/model'),
    );
    // Run from a sub-folder: the config's paths still resolve beside mlops.yaml.
    await mkdir(join(copy, 'sub'));
    const result = ok(await evaluateIn({ config: join('..', 'mlops.yaml') }, {}, join(copy, 'sub')));
    expect(JSON.parse(result.outputs['baseline-metrics']!)).toEqual(JSON.parse(result.outputs.metrics!));
  });

  test('baseline-alias: a first model while the alias does not exist; the model at the alias once it does', async () => {
    const copy = await project();
    await cp(join(dir, '.mlops', 'train'), join(copy, '.mlops', 'train'), { recursive: true });
    const first = ok(await evaluateIn({ 'baseline-alias': 'production' }, {}, copy));
    expect(first.io.log).toContain('No penguins model at alias "production" and no version registered yet: evaluating as a first model');
    expect(first.outputs['baseline-metrics']).toBe('null');
    // A version registered, none promoted to the alias yet: the latest version is the baseline, and the log says so.
    const registry = new ModelRegistry(new FolderStore(join(copy, '.mlops', 'registry')));
    await registry.register('penguins', join(copy, '.mlops', 'train', 'model'), { card: null, blessing: null });
    const latest = ok(await evaluateIn({ 'baseline-alias': 'production' }, {}, copy));
    expect(latest.io.log).toContain('No penguins model at alias "production" yet: comparing with the latest registered version, v1.');
    expect(JSON.parse(latest.outputs['baseline-metrics']!)).toEqual(JSON.parse(latest.outputs.metrics!));
    expect(latest.io.summary).toContain('penguins v1, the latest version (no model at production yet)');
    await rm(join(copy, '.mlops', 'registry'), { recursive: true, force: true });
    let registered = false;
    const withAlias = ok(
      await runStepInProcess(evaluate, {
        cwd: copy,
        inputs: { config: 'mlops.yaml', comment: 'false', 'baseline-alias': 'production' },
        adjust(ctx) {
          const registry = ctx.registry();
          return {
            ...ctx,
            registry: () => ({
              ...registry,
              aliases: async () => ({ production: 1 }),
              list: async () => [],
              pull: async (_model: string, _ref: string, into: string) => {
                registered = true;
                await cp(join(copy, '.mlops', 'train', 'model'), into, { recursive: true });
                return { version: 1, uri: 'local://penguins/1' } as Awaited<ReturnType<typeof registry.pull>>;
              },
            }),
          };
        },
      }),
    );
    expect(registered).toBe(true);
    expect(JSON.parse(withAlias.outputs['baseline-metrics']!)).toEqual(JSON.parse(withAlias.outputs.metrics!));
    expect(withAlias.io.summary).toContain('production = penguins v1 (local://penguins/1)');
    // The pulled copy is removed afterwards.
    expect(existsSync(join(copy, '.mlops', 'evaluate', '.baseline-production'))).toBe(false);
  });
});

describe('evaluate: predictions from any framework', () => {
  /**
   * The example without a trained model (so no model card tells the task) and without its
   * slices (island and sex: a predictions file would have to hold those columns).
   */
  const predictionsProject = async (): Promise<string> => {
    const copy = await project();
    const yaml = readFileSync(join(copy, 'mlops.yaml'), 'utf8');
    await writeFile(join(copy, 'mlops.yaml'), yaml.replace('  slices: [island, sex]\n', ''));
    return copy;
  };

  test('a binary predictions file with scores: the ROC AUC scikit-learn documents', async () => {
    const copy = await predictionsProject();
    // Scores 0.1, 0.4, 0.35, 0.8 for labels 0, 0, 1, 1: scikit-learn's documented ROC AUC of 0.75.
    await writeFile(
      join(copy, 'predictions.csv'),
      'y_true,y_pred,score:no,score:yes\nno,no,0.9,0.1\nno,no,0.6,0.4\nyes,no,0.65,0.35\nyes,yes,0.2,0.8\n',
    );
    // The example's gates ask for accuracy 0.9: not blessed, but the metrics are what this test reads.
    const result = ok(await evaluateIn({ predictions: 'predictions.csv', 'fail-on-unblessed': 'false' }, {}, copy));
    expect(result.outputs.blessed).toBe('false');
    const metrics = JSON.parse(result.outputs.metrics!) as Record<string, number>;
    expect(metrics.roc_auc).toBeCloseTo(0.75, 12);
    expect(metrics.accuracy).toBeCloseTo(0.75, 12);
    const blessing = await readContract('blessing', join(copy, result.outputs.blessing!));
    expect(blessing!.model.source).toBe('predictions.csv');
  });

  test("beside a trained model, its card's task applies; labels that are not its classes are said and the file's own used", async () => {
    await writeFile(
      join(dir, 'predictions.csv'),
      'y_true,y_pred,score:no,score:yes,island,sex\nno,no,0.9,0.1,Dream,male\nno,no,0.6,0.4,Dream,female\nyes,no,0.65,0.35,Biscoe,male\nyes,yes,0.2,0.8,Biscoe,male\n',
    );
    const result = ok(await evaluateIn({ predictions: 'predictions.csv', 'fail-on-unblessed': 'false' }));
    expect(result.io.log).toContain(
      `Task of predictions.csv: classification, as the model card ${join('.mlops', 'train', 'model', 'model-card.json')} says.`,
    );
    expect(result.io.warnings().join('\n')).toMatch(
      /y_pred holds labels that are not classes of the model card .* \(Adelie, Chinstrap, Gentoo\): no, yes/,
    );
    expect((JSON.parse(result.outputs.metrics!) as Record<string, number>).roc_auc).toBeCloseTo(0.75, 12);
    // The example's slices (island, sex) are read from the predictions file.
    expect(result.io.summary).toContain('### Slices');
  });

  test('regression predictions: numeric labels give regression metrics; a predicted class without a score column is an error', async () => {
    const copy = await predictionsProject();
    await writeFile(join(copy, 'regression.csv'), 'y_true,y_pred\n1.5,1\n2.5,3\n10.25,10\n4.75,5\n');
    await writeFile(join(copy, 'no-gates.yaml'), '[]\n');
    const regression = ok(await evaluateIn({ predictions: 'regression.csv', gates: 'no-gates.yaml' }, {}, copy));
    const metrics = JSON.parse(regression.outputs.metrics!) as Record<string, number>;
    // |errors| 0.5, 0.5, 0.25, 0.25.
    expect(metrics.mae).toBeCloseTo(0.375, 12);
    expect(metrics.count).toBe(4);
    await writeFile(join(copy, 'bad-scores.csv'), 'y_true,y_pred,score:a\na,b,0.3\nb,b,0.6\n');
    const bad = await evaluateIn({ predictions: 'bad-scores.csv', gates: 'no-gates.yaml' }, {}, copy);
    expect(bad.error?.message).toBe('bad-scores.csv: y_pred predicts classes that have no score column: b (score columns: score:a)');
  });

  test('test rows of a class the model never saw count as wrong, and are reported', async () => {
    const copy = await project();
    await cp(join(dir, '.mlops', 'train'), join(copy, '.mlops', 'train'), { recursive: true });
    const testFile = join(copy, 'data', 'penguins-test.csv');
    const text = readFileSync(testFile, 'utf8');
    const extra = text
      .trim()
      .split('\n')
      .slice(1, 21)
      .map((line) => line.replace(/^[A-Za-z]+,/, 'Emperor,'));
    await writeFile(testFile, `${text.trim()}\n${extra.join('\n')}\n`);
    const result = await evaluateIn({}, {}, copy);
    const metrics = JSON.parse(result.outputs.metrics!) as Record<string, number>;
    expect(metrics.count).toBe(88);
    // At most the 68 known birds are right: accuracy at most 68/88.
    expect(metrics.accuracy).toBeLessThanOrEqual(68 / 88 + 1e-12);
    expect(result.outputs.blessed).toBe('false');
    expect(result.io.warnings().join('\n')).toMatch(/20 test rows have a class the model .* never saw in training \(Emperor\)/);
  });
});

describe('evaluate: the pull request comment', () => {
  beforeAll(() => {
    emulator.addIssue(REPO, 1);
    emulator.addIssue(REPO, 2);
  });

  const github = (event: string, extra: Record<string, string> = {}) => ({
    GITHUB_API_URL: emulator.url,
    GITHUB_REPOSITORY: 'octo/ml',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_SERVER_URL: 'https://github.com',
    ...extra,
  });

  test('posts one comment on the pull request and updates it in place on the next run', async () => {
    const env = github(await pullRequestEvent(dir, 1));
    const first = ok(await evaluateIn({ comment: 'auto', token: 'write-token' }, env));
    expect(first.outputs['comment-url']).toMatch(/^https:\/\/github.com\/octo\/ml\/pull\/1#issuecomment-\d+$/);
    expect(first.io.log).toContain('Created the report comment on pull request #1');
    // A new push: different gates change the comment, which is edited in place.
    await writeFile(join(dir, 'gates-v2.yaml'), '- metric: accuracy\n  lower: 0.5\n');
    const second = ok(await evaluateIn({ comment: 'auto', token: 'write-token', gates: 'gates-v2.yaml' }, env));
    expect(second.io.log).toContain('Updated the report comment on pull request #1');
    expect(second.outputs['comment-url']).toBe(first.outputs['comment-url']);
    const comments = emulator.commentsOn(REPO, 1);
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    expect(body).toContain('<!-- mlops-actions:pr-report:penguins -->');
    expect(body).toContain('Evaluation: penguins');
    expect(body).toContain('Data validation');
    // The training section comes from the model card: trainer, data hash, parameters, epochs.
    expect(body).toContain('<summary>Training</summary>');
    expect(body).toContain(sha256(join(dir, 'data', 'penguins.csv')).slice(0, 12));
    expect(body).toMatch(/Trainer: `mlp on \w+`, [\d.]+ s, 60 epochs \(best \d+\)/);
    expect(body).toContain('[Workflow run and artifacts](https://github.com/octo/ml/actions/runs/4242)');
    expect(body.length).toBeLessThanOrEqual(65_536);
    emulator.assertClean();
  });

  test('comment-key tells apart the comments of several models on one pull request', async () => {
    const env = github(await pullRequestEvent(dir, 1));
    ok(await evaluateIn({ comment: 'auto', token: 'write-token', 'comment-key': 'penguins-linear' }, env));
    const bodies = emulator.commentsOn(REPO, 1).map((c) => c.body);
    expect(bodies.filter((b) => b.includes('<!-- mlops-actions:pr-report:penguins-linear -->'))).toHaveLength(1);
    expect(bodies.filter((b) => b.includes('<!-- mlops-actions:pr-report:penguins -->'))).toHaveLength(1);
    emulator.assertClean();
  });

  test('without permission to comment the step warns with the fix and still passes', async () => {
    const env = github(await pullRequestEvent(dir, 2));
    const result = ok(await evaluateIn({ comment: 'auto', token: 'read-token' }, env));
    expect(emulator.commentsOn(REPO, 2)).toHaveLength(0);
    expect(result.io.warnings().join('\n')).toMatch(/pull-requests: write/);
    expect(result.outputs['comment-url']).toBe('');
    expect(result.io.summary).toContain('Evaluation: penguins');
    emulator.assertClean();
  });

  test('comment: true without an event or a token warns why nothing was posted; comment: false posts nothing', async () => {
    const noEvent = ok(await evaluateIn({ comment: 'true', token: 'write-token' }, { GITHUB_REPOSITORY: 'octo/ml' }));
    expect(noEvent.io.warnings()).toContain('No pull request comment: no GitHub event (GITHUB_EVENT_PATH).');
    const event = await pullRequestEvent(dir, 2);
    const noToken = ok(await evaluateIn({ comment: 'true' }, github(event)));
    expect(noToken.io.warnings()).toContain('No pull request comment: no token (set the `token` input or GITHUB_TOKEN).');
    const off = ok(await evaluateIn({ comment: 'false', token: 'write-token' }, github(event)));
    expect(off.outputs['comment-url']).toBe('');
    expect(emulator.commentsOn(REPO, 2)).toHaveLength(0);
  });

  test('a pull request run saves its comment for the fork-safe reporter; a push run does not', async () => {
    const copy = await project();
    await cp(join(dir, '.mlops', 'train'), join(copy, '.mlops', 'train'), { recursive: true });
    const fork = await pullRequestEvent(copy, 12, 'someone/ml');
    // A fork's run has a read-only token: it warns and saves the comment instead.
    const result = ok(await evaluateIn({ comment: 'auto', token: 'read-token' }, github(fork), copy));
    expect(result.io.warnings().some((w) => w.includes('fork'))).toBe(true);
    const saved = await readContract('savedComment', join(copy, '.mlops', 'evaluate'));
    expect(saved).toMatchObject({ format: 'mlops-comment/v1', pullRequest: 12, headSha: HEAD, key: 'penguins' });
    expect(saved!.header).toContain('penguins');
    expect(saved!.sections.map((s) => s.title)).toContain('Training');
    expect(saved!.footer).toContain('actions/runs/4242');
    const push = await project();
    await cp(join(dir, '.mlops', 'train'), join(push, '.mlops', 'train'), { recursive: true });
    await writeFile(join(push, 'push.json'), JSON.stringify({ ref: 'refs/heads/main', after: HEAD }));
    ok(await evaluateIn({}, github(join(push, 'push.json'), { GITHUB_EVENT_NAME: 'push' }), push));
    expect(existsSync(contractPath('savedComment', join(push, '.mlops', 'evaluate')))).toBe(false);
  });

  test("the comment charts the model's history from the registry: the registered versions and the candidate", async () => {
    const copy = await project();
    await cp(join(dir, '.mlops', 'train'), join(copy, '.mlops', 'train'), { recursive: true });
    const registry = new ModelRegistry(new FolderStore(join(copy, '.mlops', 'registry')));
    const model = join(copy, '.mlops', 'train', 'model');
    const blessing = (accuracy: number) => ({
      format: 'mlops-blessing/v1',
      blessed: true,
      reasons: [],
      checks: [],
      model: { name: 'penguins', source: 'model', digest: null },
      metrics: { accuracy },
      intervals: { accuracy: { lower: accuracy - 0.02, upper: Math.min(1, accuracy + 0.02) } },
      baseline: null,
      fidelity: null,
      evaluatedAt: '2026-11-01T00:00:00.000Z',
    });
    await registry.register('penguins', model, { card: null, blessing: blessing(0.91) as never });
    await registry.register('penguins', model, { card: null, blessing: blessing(0.95) as never });
    await registry.setAlias('penguins', 'production', 2);
    const event = await pullRequestEvent(copy, 14, 'someone/ml');
    ok(await evaluateIn({ comment: 'auto', token: 'read-token', 'baseline-alias': 'production' }, github(event), copy));
    const saved = await readContract('savedComment', join(copy, '.mlops', 'evaluate'));
    const history = saved!.sections.find((section) => section.title === 'History');
    expect(history).toBeDefined();
    expect(history!.body).toContain('xychart-beta');
    expect(history!.body).toMatch(/x-axis \[.*"v1".*"v2".*"PR".*\]/);
    expect(history!.body).toContain('0.91');
    expect(history!.body).toContain('production');
    // The candidate's own blessing records its intervals, for the next pull request's chart.
    const own = await readContract('blessing', join(copy, '.mlops', 'evaluate'));
    expect(
      (own as unknown as { intervals: Record<string, { lower: number; upper: number }> }).intervals.accuracy!.lower,
    ).toBeLessThanOrEqual(own!.metrics.accuracy as number);
  });

  test('a model card that does not read is a warning: the comment has no training section', async () => {
    const copy = await project();
    await cp(join(dir, '.mlops', 'train'), join(copy, '.mlops', 'train'), { recursive: true });
    await writeFile(contractPath('modelCard', join(copy, '.mlops', 'train', 'model')), JSON.stringify({ format: 'something else' }));
    const event = await pullRequestEvent(copy, 12, 'someone/ml');
    const result = ok(await evaluateIn({}, github(event), copy));
    expect(result.io.warnings().join('\n')).toMatch(/The model card was not read .*model-card\.json is not a model card/s);
    const saved = await readContract('savedComment', join(copy, '.mlops', 'evaluate'));
    expect(saved!.sections.map((s) => s.title)).not.toContain('Training');
  });
});

describe('evaluate: bad inputs and missing files', () => {
  test('no test data or no model: clear errors', async () => {
    const bare = await makeTempDir('mlops-bare-');
    const noData = await runStepInProcess(evaluate, { cwd: bare, inputs: { 'model-dir': 'nowhere' } });
    expect(noData.error?.message).toMatch(/no test data to evaluate on/);
    const noModel = await evaluateIn({ 'model-dir': 'missing-model' });
    expect(noModel.error?.message).toMatch(/no model at missing-model/);
    expect(noModel.error?.name).toBe('UserError');
  });

  test('bad inputs fail with the input named', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ 'fail-on-unblessed': 'maybe' }, /input fail-on-unblessed: "maybe" \(input\) is not true or false/],
      [{ comment: 'sometimes' }, /input comment: "sometimes" \(input\) is not one of auto, true, false/],
      [{ gates: 'no-such-gates.yaml' }, /cannot read gates file no-such-gates\.yaml/],
      [{ 'baseline-metrics': 'no-such.json' }, /cannot read baseline metrics no-such\.json/],
      [{ predictions: 'no-such.csv' }, /no-such\.csv/],
    ];
    for (const [inputs, message] of cases) {
      const result = await evaluateIn(inputs);
      expect({ inputs, error: result.error?.message }).toEqual({ inputs, error: expect.stringMatching(message) });
      expect(result.error?.name).toBe('UserError');
    }
  });

  test('an output folder that cannot be written is refused before any scoring', async () => {
    const result = await evaluateIn({ 'output-dir': '/proc/mlops-evaluate' });
    expect(result.error?.message).toMatch(/input output-dir: \/proc\/mlops-evaluate is on a system file system/);
    expect(result.io.log).not.toContain('Scoring');
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const blocked = await evaluateIn({ 'output-dir': join('a-file', 'reports') });
    expect(blocked.error?.message).toMatch(/input output-dir: cannot write to .*a file is in the way/);
    await rm(file);
  });

  test('a typo in the evaluate section of mlops.yaml is rejected at load, with its key path', async () => {
    const copy = await project();
    const yaml = await readFile(join(copy, 'mlops.yaml'), 'utf8');
    await writeFile(join(copy, 'mlops.yaml'), yaml.replace('  slices: [island, sex]', '  slice: [island, sex]'));
    const result = await evaluateIn({}, {}, copy);
    expect(result.error?.message).toMatch(/evaluate/);
    expect(result.error?.message).toMatch(/slice/);
    expect(result.io.log).not.toContain('Scoring');
  });

  test('the action declares the workflow token as the default for `token`', () => {
    expect(evaluate.inputs.token!.actionDefault).toBe('${{ github.token }}');
    expect(evaluate.inputs).not.toHaveProperty('comment-from');
  });
});
