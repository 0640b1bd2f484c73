/**
 * train and evaluate, proven from their bundles (dist/train, dist/evaluate) run as
 * the GitHub runner runs them, chained on the example project; the pull request
 * comment goes to the GitHub API emulator, which checks every request and response
 * against GitHub's OpenAPI description.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLES, ROOT, copyExample, hasStackTrace, makeTempDir, removeTempDirs, runAction } from './support/action-runner.js';
import type { ActionResult } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';

afterAll(removeTempDirs);

const project = (): Promise<string> => copyExample('mlops-penguins-');

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

/**
 * The example trained once by the bundle, with ONNX Runtime's WebAssembly build (shipped in dist/bundle/ort/, as
 * on a runner with no node_modules): the first test checks that run, and evaluate scores a copy of its model.
 */
let trainedExample: Promise<{ dir: string; result: ActionResult }> | undefined;
const trainExampleOnce = () =>
  (trainedExample ??= (async () => {
    const dir = await project();
    return { dir, result: await trainIn(dir, {}, { MLOPS_ONNX_RUNTIME: 'web' }) };
  })());

// The train step's behaviour (parameters, cache, lineage, your trainer, errors) is tested in
// process by step-train.test.ts; here only what the bundle and the runner add.
describe('train (dist/train/index.js)', () => {
  test('trains the example: inputs from INPUT_*, the WebAssembly files found beside the bundle, outputs and summary written', async () => {
    const { dir, result } = await trainExampleOnce();
    const first = ok(result);
    expect(first.stdout).toMatch(
      /Exported to ONNX with the preprocessing inside \(.*model\.onnx, [\d.]+ KB\); scored from here on with onnxruntime-web\./,
    );
    expect(first.outputs.backend).toBe('wasm');
    expect(first.outputs['cache-hit']).toBe('false');
    expect(first.outputs['cache-key']).toMatch(/^mlops-train-penguins-[0-9a-f]{40}$/);
    const modelDir = join(dir, first.outputs['model-dir']!);
    for (const file of ['model.onnx', 'model-card.json', 'metrics.json', 'profile.json'])
      expect(existsSync(join(modelDir, file))).toBe(true);
    const metrics = JSON.parse(first.outputs.metrics!) as Record<string, number>;
    expect(metrics.accuracy).toBeGreaterThan(0.9);
    expect((json(join(modelDir, 'model-card.json')).run as { url: string }).url).toBe('https://github.com/octo/ml/actions/runs/4242');
    expect(first.stdout).toMatch(/epoch +1\/60 +loss \d/);
    expect(first.stdout).toContain('::group::Training mlp');
    expect(first.summary).toContain('Training: penguins');
  });

  test('bad inputs fail the step with the input named, exit status 1 and no stack trace', async () => {
    const dir = await project();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ epochs: 'many' }, /::error::train: input epochs: "many" \(input\) is not a whole number/],
      [{ algorithm: 'forest' }, /input algorithm: "forest" \(input\) is not one of mlp, linear, gbdt, auto/],
    ];
    for (const [inputs, message] of cases) {
      const result = await trainIn(dir, { cache: 'false', ...inputs });
      expect({ inputs, code: result.code }).toEqual({ inputs, code: 1 });
      expect(result.stdout).toMatch(message);
      expect(hasStackTrace(result.stdout + result.stderr)).toBe(false);
    }
  });

  test("your trainer does not get the runner's service tokens or this step's INPUT_* variables", async () => {
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

  test('a class label that spells a workflow command is logged as text, not run', async () => {
    const dir = await makeTempDir('mlops-inject-');
    const rows = ['x,label'];
    for (let i = 0; i < 60; i++) rows.push(`${i},${i % 2 === 0 ? '"a\n::error file=README.md,line=1::injected"' : 'b'}`);
    await writeFile(join(dir, 'data.csv'), rows.join('\n') + '\n');
    const result = ok(await runAction(BUNDLES.train, { cwd: dir, inputs: { data: 'data.csv', target: 'label', epochs: '2' } }));
    expect(result.annotations.filter((a) => a.command === 'error')).toEqual([]);
    expect(result.stdout).not.toMatch(/^::error/m);
  });
});

describe('evaluate (dist/evaluate/index.js)', () => {
  let dir: string;
  let emulator: GitHubEmulator;
  beforeAll(async () => {
    const trained = await trainExampleOnce();
    ok(trained.result);
    dir = await makeTempDir('mlops-penguins-');
    await cp(trained.dir, dir, { recursive: true });
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
