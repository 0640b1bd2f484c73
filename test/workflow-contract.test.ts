/**
 * The contract test of the reusable workflows: the caller templates users copy
 * (workflows/*.yml) and the reusable workflows they call (.github/workflows/mlops-*.yml)
 * run job by job on the example project, every step of ours from its dist/ bundle with
 * the runner's environment contract, against the GitHub API emulator (checked against
 * GitHub's OpenAPI description) and the Actions results service stand-in (the real
 * artifact and cache clients, blobs in Azurite). Third-party steps are skipped.
 *
 * As on GitHub, every job starts from a fresh copy of the repository: only artifacts,
 * caches, the model registry (a real OCI registry, Debian's docker-registry on loopback,
 * for the delivery workflows) and outputs carry anything from one job to the next.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { ROOT, makeTempDir, removeTempDirs, runCli } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';
import { OciRegistry, registryUnavailable } from './support/oci-registry.js';
import { ResultsService } from './support/results-service.js';
import { SigstoreAuthority } from './support/sigstore-authority.js';
import { checkCallPermissions, runWorkflow } from './support/workflow-runner.js';
import type { JobResult, WorkflowResult } from './support/workflow-runner.js';

const REPO = { owner: 'octo', repo: 'ml' };
const HEAD = 'ab12'.padEnd(40, '0');

let emulator: GitHubEmulator;
let results: ResultsService;
/** Fulcio, Rekor and GitHub's OIDC token service on loopback: register signs keylessly where its job may ask for a token. */
let authority: SigstoreAuthority;

beforeAll(async () => {
  emulator = await GitHubEmulator.start();
  results = await ResultsService.start();
  authority = await SigstoreAuthority.start();
});

afterAll(async () => {
  await emulator.close();
  await results.stop();
  await authority?.close();
  await removeTempDirs();
});

/** The runner's OIDC variables for a job granted `id-token: write` (runWorkflow gives them to no other job). */
const oidc = (claims: { repository: string; ref: string; sha: string; runId: string }) =>
  authority.runnerEnv(claims) as Record<string, string>;

/**
 * The example's 200 epochs cut to 40 in a checkout's mlops.yaml: what these tests check is what goes from job to
 * job, not how well the network fits. 40 epochs still pass the example's gates (the schedule test's production
 * model, trained from the command line with as many, is registered only because it is blessed). The example as
 * shipped, 200 epochs, runs whole in cli.test.ts (`mlops run`).
 */
const TEST_EPOCHS = 40;
async function fewerEpochs(configPath: string): Promise<void> {
  const config = await readFile(configPath, 'utf8');
  const cut = config.replace(/^ {2}epochs: 200$/m, `  epochs: ${TEST_EPOCHS}`);
  if (cut === config) throw new Error(`${configPath}: no "epochs: 200" under train: to cut`);
  await writeFile(configPath, cut);
}

/** The example project as a repository checkout; with `registry`, its mlops.yaml names that OCI registry. */
async function project(registry?: string): Promise<string> {
  const dir = await makeTempDir('mlops-contract-');
  await cp(join(ROOT, 'examples', 'penguins'), dir, { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
  await fewerEpochs(join(dir, 'mlops.yaml'));
  if (registry) {
    // The delivery workflows sign and verify against the local Sigstore authority (Sigstore's public-good one by default).
    const config = await readFile(join(dir, 'mlops.yaml'), 'utf8');
    const signing = `signing:\n  fulcio_url: ${authority.fulcioURL}\n  rekor_url: ${authority.rekorURL}\n  verify:\n    trusted_root: trusted_root.json\n`;
    await writeFile(
      join(dir, 'mlops.yaml'),
      `${config}registry:\n  url: ${registry}\n  insecure: true # plain http on loopback\n${signing}`,
    );
    await writeFile(join(dir, 'trusted_root.json'), JSON.stringify(authority.trustedRoot()));
  }
  return dir;
}

/** Where each job gets its own fresh copy of the checkout. */
const jobWorkspaces = () => makeTempDir('mlops-jobs-');

const unavailable = registryUnavailable();
const withRegistry = unavailable ? describe.skip : describe;
const suffix = unavailable ? ` (skipped: ${unavailable})` : '';
let oci: OciRegistry | null = null;
let ociCount = 0;
/** A fresh namespace of the test OCI registry. */
const ociRegistry = async (): Promise<string> => {
  oci ??= await OciRegistry.start();
  return `oci://${oci!.host}/contract${++ociCount}`;
};
afterAll(async () => {
  await oci?.stop();
});

const explain = (result: WorkflowResult): string =>
  Object.values(result.jobs)
    .map(
      (j) =>
        `${j.id}: ${j.status}${j.reason ? ` (${j.reason})` : ''}\n${j.steps
          .map((s) => `  ${s.id} ${s.status} ${s.reason ?? ''}\n${s.stdout.slice(-3000)}${s.stderr.slice(-2000)}`)
          .join('')}`,
    )
    .join('\n');

const statuses = (result: WorkflowResult): Record<string, string> =>
  Object.fromEntries(Object.values(result.jobs).map((j) => [j.id, j.status]));

const stepOf = (job: JobResult | undefined, uses: string) => {
  const found = job?.steps.find((s) => s.uses?.includes(uses));
  if (!found) throw new Error(`no step using ${uses} in ${job?.id}`);
  return found;
};

/** Every caller template users copy and every workflow of this repository, reusable ones included. */
const WORKFLOW_FILES = ['workflows', join('.github', 'workflows')].flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name)),
);

describe('GitHub accepts every call before the run starts: called workflows ask for no more permissions than the caller grants', () => {
  test('the templates and reusable workflows are all there', () => {
    expect(WORKFLOW_FILES).toEqual(
      expect.arrayContaining([
        join('workflows', 'pr-report.yml'),
        join('.github', 'workflows', 'mlops-report.yml'),
        join('workflows', 'main.yml'),
      ]),
    );
  });

  test.each(WORKFLOW_FILES)('%s', (file) => {
    expect(checkCallPermissions(file)).toEqual([]);
  });
});

describe('pull request: workflows/pull-request.yml calling mlops-ci.yml', () => {
  let result: WorkflowResult;
  let workspace: string;
  beforeAll(async () => {
    emulator.addIssue(REPO, 21, { head: { sha: HEAD, repo: 'octo/ml', ref: 'feature' } });
    workspace = await project();
    result = await runWorkflow({
      workflow: join(ROOT, 'workflows', 'pull-request.yml'),
      workspace,
      jobWorkspaces: await jobWorkspaces(),
      eventName: 'pull_request',
      ref: 'refs/pull/21/merge',
      sha: HEAD,
      runId: 5001,
      event: {
        action: 'opened',
        number: 21,
        pull_request: {
          number: 21,
          head: { ref: 'feature', sha: HEAD, repo: { full_name: 'octo/ml' } },
          base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'octo/ml' } },
        },
        repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
      },
      apiUrl: emulator.url,
      results,
    });
  }, 300_000);

  test('validate, train and evaluate succeed; the candidate is blessed', () => {
    if (result.conclusion !== 'success') throw new Error(explain(result));
    expect(statuses(result)).toEqual({
      'mlops / validate': 'success',
      'mlops / train': 'success',
      'mlops / evaluate': 'success',
      mlops: 'success',
    });
    expect(result.outputs).toEqual({});
    expect(result.jobs.mlops!.outputs).toMatchObject({ valid: 'true', blessed: 'true' });
    expect(JSON.parse(result.jobs.mlops!.outputs.metrics!).accuracy).toBeGreaterThan(0.9);
  });

  test('the model and the validation report go from job to job as artifacts, through the real clients', () => {
    const names = results
      .artifacts('5001')
      .map((a) => a.name)
      .sort();
    expect(names).toEqual(['mlops-evaluation-a1', 'mlops-model-a1', 'mlops-validation-a1']);
    const evaluate = stepOf(result.jobs['mlops / evaluate'], 'actions/evaluate');
    // Each job had its own checkout: the evaluate job's model can only have come from the artifact.
    expect(new Set(Object.values(result.jobs).map((j) => j.workspace)).size).toBe(4);
    expect(result.jobs['mlops / evaluate']!.workspace).not.toBe(result.jobs['mlops / train']!.workspace);
    expect(evaluate.stdout).toContain('Downloaded the model from artifact "mlops-model-a1"');
    expect(evaluate.stdout).toContain('Downloaded validate-data\'s reports from artifact "mlops-validation-a1"');
    results.assertClean();
  });

  test('one comment on the pull request, with the evaluation, the data validation and the training', () => {
    const comments = emulator.commentsOn(REPO, 21);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('Evaluation: penguins');
    expect(comments[0]!.body).toContain('Data validation');
    expect(comments[0]!.body).toContain('Training');
    expect(result.jobs.mlops!.outputs['comment-url']).toMatch(/\/pull\/21#issuecomment-\d+$/);
    emulator.assertClean();
  });

  test('third-party steps are recorded as skipped, never faked', () => {
    const checkout = result.jobs['mlops / train']!.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout).toMatchObject({ kind: 'third-party', status: 'skipped' });
  });

  test('the fork-safe reporter (workflows/pr-report.yml calling mlops-report.yml) posts the saved comment in place', async () => {
    // actions/download-artifact is third-party and skipped: the folder it would fill is laid out as it lays it out.
    const reporter = await makeTempDir('mlops-reporter-');
    const evaluated = result.jobs['mlops / evaluate']!.workspace!;
    await cp(join(evaluated, '.mlops', 'evaluate'), join(reporter, 'mlops-report', 'mlops-evaluation-a1'), { recursive: true });
    const before = emulator.commentsOn(REPO, 21)[0]!;
    const report = await runWorkflow({
      workflow: join(ROOT, 'workflows', 'pr-report.yml'),
      workspace: reporter,
      eventName: 'workflow_run',
      ref: 'refs/heads/main',
      sha: 'b'.repeat(40),
      runId: 5009,
      event: {
        action: 'completed',
        workflow_run: {
          id: 5001,
          run_attempt: 1,
          head_sha: HEAD,
          event: 'pull_request',
          conclusion: 'success',
          pull_requests: [],
          head_repository: { full_name: 'someone/ml' }, // a fork: the template's if: lets only those through
        },
        repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
      },
      apiUrl: emulator.url,
      results,
    });
    if (report.conclusion !== 'success') throw new Error(explain(report));
    const job = report.jobs['report / comment']!;
    expect(job.steps.map((s) => [s.kind, s.status])).toEqual([
      ['third-party', 'skipped'],
      ['action', 'success'],
    ]);
    const comments = emulator.commentsOn(REPO, 21);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.id).toBe(before.id);
    expect(stepOf(job, 'actions/report').outputs['comment-url']).toContain(`issuecomment-${before.id}`);
    emulator.assertClean();
  }, 120_000);
});

withRegistry(`main: workflows/main.yml calling mlops-cd.yml, with an OCI registry${suffix}`, () => {
  let result: WorkflowResult;
  let workspace: string;
  beforeAll(async () => {
    workspace = await project(await ociRegistry());
    result = await runWorkflow({
      workflow: join(ROOT, 'workflows', 'main.yml'),
      workspace,
      jobWorkspaces: await jobWorkspaces(),
      eventName: 'push',
      ref: 'refs/heads/main',
      sha: 'c'.repeat(40),
      runId: 5002,
      apiUrl: emulator.url,
      results,
      oidc,
      protectedEnvironments: ['production'],
    });
  }, 300_000);

  test('build registers v1, staging deploys it, production waits for a reviewer', () => {
    expect(statuses(result)).toEqual({
      'mlops / train': 'success',
      'mlops / evaluate': 'success',
      'mlops / build': 'success',
      'mlops / staging': 'success',
      'mlops / production': 'waiting',
      mlops: 'waiting',
    });
    expect(result.conclusion).toBe('waiting');
    expect(result.jobs['mlops / build']!.outputs.version).toBe('1');
    expect(result.jobs['mlops / staging']!.environment).toMatchObject({ name: 'staging' });
  });

  test('the staging alias in the OCI registry points at v1; the action records no second GitHub Deployment', async () => {
    // The job declares environment: staging, so GitHub records the deployment itself (github-deployment: false).
    expect(emulator.deployments(REPO).filter((d) => d.sha === 'c'.repeat(40))).toEqual([]);
    expect(stepOf(result.jobs['mlops / staging'], 'actions/deploy').inputs['github-deployment']).toBe('false');
    // Deployed by digest: the bytes registered and judged, whatever a version number points at later.
    const digest = result.jobs['mlops / build']!.outputs.digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(stepOf(result.jobs['mlops / staging'], 'actions/deploy').inputs.version).toBe(digest);
    const list = await runCli(['registry', 'list', 'penguins', '--config', 'mlops.yaml'], { cwd: workspace });
    expect(list.stdout).toMatch(/^v1 .*\[staging\]$/m);
    emulator.assertClean();
  });

  test('once approved, the production job deploys the same version', async () => {
    const approved = await runWorkflow({
      workflow: join(ROOT, 'workflows', 'main.yml'),
      workspace,
      jobWorkspaces: await jobWorkspaces(),
      eventName: 'push',
      ref: 'refs/heads/main',
      sha: 'c'.repeat(40),
      runId: 5003,
      apiUrl: emulator.url,
      results,
      oidc,
    });
    if (approved.conclusion !== 'success') throw new Error(explain(approved));
    // The second run, on a fresh checkout, restores the training run from the Actions cache and registers v2
    // (the same model); production gets it after staging.
    expect(stepOf(approved.jobs['mlops / train'], 'actions/train').outputs['cache-hit']).toBe('true');
    expect(approved.jobs['mlops / production']!.outputs.url).toBe('');
    expect(stepOf(approved.jobs['mlops / production'], 'actions/deploy').inputs.version).toBe(
      approved.jobs['mlops / build']!.outputs.digest,
    );
    const list = await runCli(['registry', 'list', 'penguins', '--config', 'mlops.yaml'], { cwd: workspace });
    expect(list.stdout).toMatch(/^v2 .*\[(production, staging|staging, production)\]$/m);
    // Signed in the build job (the only one granted id-token: write) by this repository's workflow run, and verified
    // before production moved: on GitHub production requires it, trusting the repository's own runs by default.
    const build = stepOf(approved.jobs['mlops / build'], 'actions/register');
    expect(build.outputs.signature).toMatch(/\/contract\d+\/penguins@sha256:[0-9a-f]{64}$/);
    expect(build.summary).toMatch(/Signed keylessly/);
    expect(stepOf(approved.jobs['mlops / production'], 'actions/deploy').stdout).toMatch(
      /penguins v2's signature verified: signed by https:\/\/github\.com\/octo\/ml\/\.github\/workflows\/\S+ at c{12}/,
    );
  }, 300_000);
});

withRegistry(`schedule: mlops-ct.yml, with an OCI registry${suffix}`, () => {
  let workspace: string;
  beforeAll(async () => {
    // The model in production: trained, evaluated, registered and deployed from the command line.
    workspace = await project(await ociRegistry());
    for (const args of [
      ['train', '--config', 'mlops.yaml', '--epochs', String(TEST_EPOCHS)],
      ['evaluate', '--config', 'mlops.yaml'],
      ['register', '--config', 'mlops.yaml'],
      ['deploy', '--config', 'mlops.yaml', '--environment', 'production', '--version', '1'],
    ]) {
      const step = await runCli(args, { cwd: workspace });
      if (step.code !== 0) throw new Error(`mlops ${args.join(' ')}: ${step.stderr}`);
    }
    await cp(join(workspace, '.mlops'), join(workspace, '..', 'local-outputs'), { recursive: true });
    const { rm } = await import('node:fs/promises');
    await rm(join(workspace, '.mlops'), { recursive: true, force: true }); // a checkout has no local outputs
  }, 180_000);

  const run = async (current: string, runId: number) => {
    return runWorkflow({
      workflow: join(ROOT, '.github', 'workflows', 'mlops-ct.yml'),
      workspace,
      jobWorkspaces: await jobWorkspaces(),
      eventName: 'schedule',
      ref: 'refs/heads/main',
      sha: 'd'.repeat(40),
      runId,
      // The reference is the training profile registered with the version in production.
      inputs: { reference: 'penguins@production', current },
      apiUrl: emulator.url,
      results,
      oidc,
      protectedEnvironments: ['production'],
    });
  };

  test('drifted production data: one drift issue, retraining, staging, and production waiting for approval', async () => {
    const result = await run('data/penguins-production.csv', 5101);
    expect(statuses(result)).toEqual({
      drift: 'success',
      train: 'success',
      evaluate: 'success',
      retrain: 'success',
      staging: 'success',
      production: 'waiting',
    });
    expect(result.outputs.drifted).toBe('true');
    expect(JSON.parse(result.outputs['drifted-columns']!)).toContain('island');
    expect(result.outputs.version).toBe('2');
    expect(stepOf(result.jobs.staging, 'actions/deploy').inputs.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(stepOf(result.jobs.staging, 'actions/deploy').inputs.version).toBe(result.jobs.retrain!.outputs.digest);
    expect(stepOf(result.jobs.drift, 'actions/drift-check').summary).toContain('Reference: profile of penguins version 1 \\(production\\)');
    const issues = emulator.issuesOf(REPO).filter((i) => i.labels.includes('drift'));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.state).toBe('open');
    // The reports, HTML included, are an artifact of the run.
    expect(results.artifacts('5101').map((a) => a.name)).toContain('mlops-drift-a1');
    emulator.assertClean();
  }, 300_000);

  test('production data like the training data: no retraining, and the drift issue is closed', async () => {
    const result = await run('data/penguins-production-ok.csv', 5102);
    expect(statuses(result)).toEqual({
      drift: 'success',
      train: 'skipped',
      evaluate: 'skipped',
      retrain: 'skipped',
      staging: 'skipped',
      production: 'skipped',
    });
    expect(result.outputs.drifted).toBe('false');
    const issues = emulator.issuesOf(REPO).filter((i) => i.labels.includes('drift'));
    expect(issues.map((i) => i.state)).toEqual(['closed']);
    emulator.assertClean();
  }, 300_000);
});

describe("this repository's CI: the self-test job of .github/workflows/ci.yml", () => {
  test('runs all six actions on the example from ./actions, and its checks pass', async () => {
    const checkout = await makeTempDir('mlops-self-test-');
    await cp(join(ROOT, 'examples', 'penguins'), join(checkout, 'examples', 'penguins'), {
      recursive: true,
      filter: (src) => !src.split(sep).includes('.mlops'),
    });
    await fewerEpochs(join(checkout, 'examples', 'penguins', 'mlops.yaml'));
    const result = await runWorkflow({
      workflow: join(ROOT, '.github', 'workflows', 'ci.yml'),
      workspace: checkout,
      jobs: ['self-test'],
      eventName: 'push',
      ref: 'refs/heads/main',
      runId: 5201,
      apiUrl: emulator.url,
      results,
    });
    if (result.jobs['self-test']!.status !== 'success') throw new Error(explain(result));
    const steps = result.jobs['self-test']!.steps;
    expect(steps.filter((s) => s.kind === 'action').map((s) => s.uses)).toEqual([
      './actions/validate-data',
      './actions/train',
      './actions/evaluate',
      './actions/register',
      './actions/deploy',
      './actions/drift-check',
    ]);
    expect(steps.at(-1)).toMatchObject({ kind: 'run', status: 'success' });
    expect(result.jobs.test!.status).toBe('skipped');
  }, 180_000);
});
