/**
 * The workflow contract harness (test/support/workflow-runner.ts), proven on small
 * workflows written here that call the project's real bundles on the example project:
 * outputs flow from a step to a job output, to a dependent job's `if:` and inputs, and
 * out of a called workflow; `if:` status functions, matrices, approvals, third-party
 * steps, the token's permission and the Actions runtime behave as on GitHub.
 */
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { ROOT, makeTempDir, removeTempDirs } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';
import { ResultsService } from './support/results-service.js';
import {
  RESTRICTED_DEFAULT,
  checkCallPermissions,
  expandMatrix,
  grantOf,
  orderJobs,
  permissionExcess,
  runWorkflow,
} from './support/workflow-runner.js';
import type { JobResult, WorkflowResult } from './support/workflow-runner.js';

const CHECKOUT = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';

/** A called workflow: validate the data, gate on the result, a matrix, a deploy behind an environment. */
const PIPELINE = `
name: pipeline
on:
  workflow_call:
    inputs:
      config:
        type: string
        default: mlops.yaml
      label:
        type: string
        required: true
      strict:
        type: boolean
        default: false
    secrets:
      deploy-key:
        required: true
    outputs:
      valid:
        value: \${{ jobs.validate.outputs.valid }}
      url:
        value: \${{ jobs.deploy.outputs.url }}
      seeds:
        value: \${{ jobs.sweep.outputs.last }}
permissions:
  contents: read
jobs:
  validate:
    runs-on: ubuntu-latest
    outputs:
      valid: \${{ steps.check.outputs.valid }}
      report: \${{ steps.check.outputs.report }}
    steps:
      - uses: ${CHECKOUT}
      - id: check
        uses: ./actions/validate-data
        with:
          config: \${{ inputs.config }}
      - id: facts
        env:
          LABEL: \${{ inputs.label }}
          STRICT: \${{ inputs.strict }}
        run: |
          echo "label=$LABEL strict=$STRICT" >> "$GITHUB_OUTPUT"
          echo "FROM_ENV_FILE=carried" >> "$GITHUB_ENV"
      - id: env-file
        run: echo "seen=$FROM_ENV_FILE" >> "$GITHUB_OUTPUT"
      - name: only when something failed
        if: failure()
        run: echo never
  gate:
    needs: validate
    if: needs.validate.outputs.valid == 'true'
    runs-on: ubuntu-latest
    steps:
      - env:
          REPORT: \${{ needs.validate.outputs.report }}
        run: test -s "$REPORT"
  refuse:
    needs: validate
    if: \${{ needs.validate.outputs.valid != 'true' }}
    runs-on: ubuntu-latest
    steps:
      - run: exit 1
  sweep:
    needs: gate
    runs-on: ubuntu-latest
    strategy:
      matrix:
        seed: [1, 2]
        include:
          - seed: 2
            extra: two
          - seed: 3
    outputs:
      last: \${{ steps.s.outputs.seen }}
    steps:
      - id: s
        run: echo "seen=\${{ matrix.seed }}\${{ matrix.extra }}" >> "$GITHUB_OUTPUT"
  deploy:
    needs: [gate, sweep]
    runs-on: ubuntu-latest
    environment:
      name: production
      url: \${{ steps.ship.outputs.url }}
    outputs:
      url: \${{ steps.ship.outputs.url }}
    steps:
      - id: ship
        env:
          KEY: \${{ secrets.deploy-key }}
        run: echo "url=https://models.example/\${KEY}" >> "$GITHUB_OUTPUT"
  announce:
    needs: deploy
    runs-on: ubuntu-latest
    steps:
      - run: echo announced
`;

const CALLER = `
name: caller
on: push
permissions:
  contents: read
jobs:
  call:
    uses: ./.github/workflows/pipeline.yml
    with:
      label: \${{ github.ref_name }}
      strict: true
    secrets: inherit
  after:
    needs: call
    runs-on: ubuntu-latest
    steps:
      - id: echo
        env:
          VALID: \${{ needs.call.outputs.valid }}
          URL: \${{ needs.call.outputs.url }}
        run: echo "seen=$VALID $URL" >> "$GITHUB_OUTPUT"
`;

const STATUS = `
name: status
on: workflow_dispatch
jobs:
  broken:
    runs-on: ubuntu-latest
    outputs:
      outcome: \${{ steps.bad.outcome }}
      tolerated: \${{ steps.tolerated.conclusion }}
    steps:
      - id: tolerated
        continue-on-error: true
        run: exit 4
      - id: still
        run: echo "ran=yes" >> "$GITHUB_OUTPUT"
      - id: bad
        run: exit 3
      - id: skipped
        run: echo "never"
      - id: cleanup
        if: failure()
        run: echo "cleaned=\${{ steps.bad.outcome }}" >> "$GITHUB_OUTPUT"
      - id: always
        if: always()
        run: echo "job=\${{ job.status }}" >> "$GITHUB_OUTPUT"
  dependent:
    needs: broken
    runs-on: ubuntu-latest
    steps:
      - run: echo never
  report:
    needs: [broken, dependent]
    if: always()
    runs-on: ubuntu-latest
    steps:
      - id: r
        run: echo "results=\${{ needs.broken.result }}/\${{ needs.dependent.result }}" >> "$GITHUB_OUTPUT"
  on-failure:
    needs: dependent
    if: failure()
    runs-on: ubuntu-latest
    steps:
      - run: echo "an ancestor failed"
`;

const RUNTIME = `
name: runtime
on: pull_request
permissions:
  contents: read
jobs:
  train:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
    steps:
      - id: train
        uses: OWNER/mlops-actions/actions/train@v1
        with:
          config: mlops.yaml
          epochs: 3
      - id: shell
        env:
          TOKEN: \${{ github.token }}
        run: |
          echo "runtime=\${ACTIONS_RUNTIME_TOKEN:-none}" >> "$GITHUB_OUTPUT"
          echo "api=$GITHUB_API_URL token=$TOKEN event=$GITHUB_EVENT_NAME" >> "$GITHUB_OUTPUT"
          curl -sf -H "Authorization: Bearer $TOKEN" "$GITHUB_API_URL/repos/octo/ml/issues/1/comments" > /dev/null
  readonly:
    runs-on: ubuntu-latest
    steps:
      - id: token
        run: echo "token=\${{ secrets.GITHUB_TOKEN }}" >> "$GITHUB_OUTPUT"
`;

let fixtures: string;
let workspace: string;

beforeAll(async () => {
  fixtures = await makeTempDir('mlops-workflows-');
  await mkdir(join(fixtures, '.github', 'workflows'), { recursive: true });
  for (const [name, text] of Object.entries({ PIPELINE, CALLER, STATUS, RUNTIME })) {
    await writeFile(join(fixtures, '.github', 'workflows', `${name.toLowerCase()}.yml`), text);
  }
  workspace = await makeTempDir('mlops-penguins-');
  await cp(join(ROOT, 'examples', 'penguins'), workspace, { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
});

afterAll(removeTempDirs);

const workflow = (name: string) => join(fixtures, '.github', 'workflows', `${name}.yml`);
const step = (job: JobResult | undefined, id: string) => {
  const found = job?.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id} in ${job?.id}`);
  return found;
};
const explain = (result: WorkflowResult): string =>
  Object.values(result.jobs)
    .map(
      (j) =>
        `${j.id}: ${j.status}${j.reason ? ` (${j.reason})` : ''}\n${j.steps.map((s) => `  ${s.id} ${s.status} ${s.reason ?? ''}\n${s.stderr}`).join('')}`,
    )
    .join('\n');

describe('workflow model', () => {
  test('jobs are ordered by needs; a cycle or a missing job is an error', () => {
    expect(orderJobs({ c: { needs: ['a', 'b'] }, b: { needs: 'a' }, a: {} })).toEqual(['a', 'b', 'c']);
    expect(() => orderJobs({ a: { needs: 'b' }, b: { needs: 'a' } })).toThrow(/cycle: a -> b -> a/);
    expect(() => orderJobs({ a: { needs: 'z' } })).toThrow(/needs z/);
  });

  test('a matrix is the product of its axes, less exclude, with include extending or adding cells', () => {
    expect(
      expandMatrix({
        os: ['linux', 'mac'],
        node: [20, 24],
        exclude: [{ os: 'mac', node: 20 }],
        include: [
          { node: 24, big: true },
          { os: 'win', node: 22 },
        ],
      }),
    ).toEqual([
      { os: 'linux', node: 20 },
      { os: 'linux', node: 24, big: true },
      { os: 'mac', node: 24, big: true },
      { os: 'win', node: 22 },
    ]);
  });
});

describe('a reusable workflow called by another, on the real validate-data bundle', () => {
  let result: WorkflowResult;
  beforeAll(async () => {
    result = await runWorkflow({ workflow: workflow('caller'), workspace, secrets: { 'deploy-key': 'k-123' }, ref: 'refs/heads/main' });
  }, 120_000);

  test('every job succeeds; the called jobs are reported under the caller', () => {
    if (result.conclusion !== 'success') throw new Error(explain(result));
    expect(Object.fromEntries(Object.values(result.jobs).map((j) => [j.id, j.status]))).toEqual({
      'call / validate': 'success',
      'call / gate': 'success',
      'call / refuse': 'skipped',
      'call / sweep': 'success',
      'call / deploy': 'success',
      'call / announce': 'success',
      call: 'success',
      after: 'success',
    });
  });

  test('inputs reach the action as INPUT_* (with its defaults) and its outputs become job outputs', () => {
    const validate = result.jobs['call / validate'];
    expect(step(validate, 'check').inputs).toMatchObject({ config: 'mlops.yaml' });
    expect(step(validate, 'check').outputs.valid).toBe('true');
    expect(validate!.outputs.valid).toBe('true');
    expect(validate!.outputs.report).toBe(step(validate, 'check').outputs.report);
    expect(step(validate, 'facts').outputs.label).toBe('main strict=true');
    expect(step(validate, 'env-file').outputs.seen).toBe('carried');
  });

  test('third-party actions are skipped, not faked; failure() steps do not run after success', () => {
    const validate = result.jobs['call / validate'];
    expect(validate!.steps[0]).toMatchObject({ kind: 'third-party', status: 'skipped' });
    expect(validate!.steps[0]!.reason).toMatch(/third-party/);
    expect(validate!.steps.at(-1)).toMatchObject({ status: 'skipped', reason: 'its if: is false' });
  });

  test('a matrix runs every cell; outputs, environment URL and workflow outputs flow to the caller', () => {
    const sweep = result.jobs['call / sweep']!;
    expect(sweep.cells!.map((c) => c.matrix)).toEqual([{ seed: 1 }, { seed: 2, extra: 'two' }, { seed: 3 }]);
    expect(sweep.outputs.last).toBe('3');
    expect(result.jobs['call / deploy']!.environment).toEqual({ name: 'production', url: 'https://models.example/k-123' });
    expect(result.jobs.call!.outputs).toEqual({ valid: 'true', url: 'https://models.example/k-123', seeds: '3' });
    expect(step(result.jobs.after, 'echo').outputs.seen).toBe('true https://models.example/k-123');
  });

  test('a protected environment waits for approval and its dependents are skipped', async () => {
    const held = await runWorkflow({
      workflow: workflow('caller'),
      workspace,
      secrets: { 'deploy-key': 'k-123' },
      protectedEnvironments: ['production'],
    });
    expect(held.conclusion).toBe('waiting');
    expect(held.jobs['call / deploy']).toMatchObject({ status: 'waiting', steps: [] });
    expect(held.jobs['call / announce']!.status).toBe('skipped');
    expect(held.jobs.call!.status).toBe('waiting');
    expect(held.jobs.after!.status).toBe('skipped');
  }, 120_000);

  test('invalid data makes validate-data fail; only failure() steps run after it, and every dependent job is skipped', async () => {
    const broken = await makeTempDir('mlops-broken-');
    await cp(workspace, broken, { recursive: true });
    await writeFile(join(broken, 'data', 'penguins.csv'), 'species,island\nAdelie,Nowhere\n');
    const failed = await runWorkflow({
      workflow: workflow('pipeline'),
      workspace: broken,
      inputs: { label: 'x' },
      secrets: { 'deploy-key': 'k' },
    });
    expect(failed.conclusion).toBe('failure');
    const validate = failed.jobs.validate!;
    expect(step(validate, 'check').status).toBe('failure');
    expect(step(validate, 'facts').status).toBe('skipped');
    expect(validate.steps.at(-1)!.status).toBe('success'); // if: failure()
    for (const job of ['gate', 'refuse', 'sweep', 'deploy', 'announce']) expect(failed.jobs[job]!.status).toBe('skipped');
  }, 120_000);

  test('a missing required input or secret is an error, as GitHub refuses the call', async () => {
    await expect(runWorkflow({ workflow: workflow('pipeline'), workspace, secrets: { 'deploy-key': 'k' } })).rejects.toThrow(
      /required input label/,
    );
    await expect(runWorkflow({ workflow: workflow('pipeline'), workspace, inputs: { label: 'x', nope: 'y' } })).rejects.toThrow(
      /input nope is not defined/,
    );
    const unsecret = await runWorkflow({ workflow: workflow('caller'), workspace });
    expect(unsecret.jobs.call).toMatchObject({ status: 'failure', reason: expect.stringMatching(/required secret deploy-key/) });
    expect(unsecret.jobs.after!.status).toBe('skipped');
  });
});

describe('status functions, continue-on-error and job results', () => {
  let result: WorkflowResult;
  beforeAll(async () => {
    result = await runWorkflow({ workflow: workflow('status'), workspace, eventName: 'workflow_dispatch' });
  });

  test('steps after a failure are skipped unless failure() or always(); continue-on-error keeps the job going', () => {
    const broken = result.jobs.broken!;
    expect(broken.steps.map((s) => [s.id, s.status, s.conclusion])).toEqual([
      ['tolerated', 'failure', 'success'],
      ['still', 'success', 'success'],
      ['bad', 'failure', 'failure'],
      ['skipped', 'skipped', 'skipped'],
      ['cleanup', 'success', 'success'],
      ['always', 'success', 'success'],
    ]);
    expect(step(broken, 'cleanup').outputs.cleaned).toBe('failure');
    expect(step(broken, 'always').outputs.job).toBe('failure');
    expect(broken.outputs).toEqual({ outcome: 'failure', tolerated: 'success' });
    expect(broken.status).toBe('failure');
  });

  test('a dependent is skipped, always() runs with needs.*.result, failure() sees a failed ancestor', () => {
    expect(result.jobs.dependent!.status).toBe('skipped');
    expect(step(result.jobs.report, 'r').outputs.results).toBe('failure/skipped');
    expect(result.jobs['on-failure']!.status).toBe('success');
    expect(result.conclusion).toBe('failure');
  });
});

describe('the runner environment: Actions runtime for JavaScript actions only, the token by permission', () => {
  let service: ResultsService;
  let github: GitHubEmulator;
  let result: WorkflowResult;
  beforeAll(async () => {
    service = await ResultsService.start();
    github = await GitHubEmulator.start();
    github.addIssue({ owner: 'octo', repo: 'ml' }, 1);
    result = await runWorkflow({
      workflow: workflow('runtime'),
      workspace,
      eventName: 'pull_request',
      results: service,
      apiUrl: github.url,
      runId: 77,
    });
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    await github?.close();
  });

  test('the train action saves its run cache and uploads its model through the results service', () => {
    expect(result.jobs.train!.status).toBe('success');
    const train = step(result.jobs.train, 'train');
    expect(train.outputs['cache-hit']).toBe('false');
    expect(service.cacheEntries().map((e) => [e.key, e.scope, e.finalized])).toEqual([
      [train.outputs['cache-key'], 'refs/pull/1/merge', true],
    ]);
    expect(service.artifacts('77').map((a) => [a.name, a.job, a.finalized])).toEqual([['model-penguins', 'train', true]]);
    expect(train.stdout).toContain('https://github.com/octo/ml/actions/runs/77/artifacts/');
    service.assertClean();
  });

  test('run: steps get no Actions runtime; GITHUB_API_URL is the emulator; the token follows permissions', () => {
    const shell = step(result.jobs.train, 'shell');
    expect(shell.outputs.runtime).toBe('none');
    expect(shell.outputs.api).toBe(`${github.url} token=write-token event=pull_request`);
    expect(result.jobs.train!.permission).toBe('write');
    expect(result.jobs.readonly!.permission).toBe('read');
    expect(step(result.jobs.readonly, 'token').outputs.token).toBe('read-token');
    github.assertClean();
  });
});

describe("called workflows' permissions must fit the caller's grant, checked before any job starts", () => {
  /** Writes a caller (one job calling ./.github/workflows/called.yml) and the called workflow into a fresh folder. */
  async function pair(caller: string, called: string): Promise<string> {
    const dir = await makeTempDir('mlops-permissions-');
    await mkdir(join(dir, '.github', 'workflows'), { recursive: true });
    await writeFile(join(dir, '.github', 'workflows', 'caller.yml'), caller);
    await writeFile(join(dir, '.github', 'workflows', 'called.yml'), called);
    return join(dir, '.github', 'workflows', 'caller.yml');
  }
  const caller = (top: string, job: string, condition = '') => `
name: caller
on: push
${top}
jobs:
  call:
${condition}    uses: ./.github/workflows/called.yml
${job}
`;
  const called = (top: string, job = '') => `
name: called
on: workflow_call
${top}
jobs:
  work:
    runs-on: ubuntu-latest
${job}
    steps:
      - run: echo "token=\${{ github.token }}" >> "$GITHUB_OUTPUT"
        id: t
`;

  test("levels are ordered write > read > none, scope by scope, with GitHub's message listing every excess", () => {
    const granted = grantOf({ contents: 'read', 'pull-requests': 'write' });
    expect(permissionExcess({ contents: 'read' }, granted)).toBeNull();
    expect(permissionExcess({ contents: 'none', 'pull-requests': 'read' }, granted)).toBeNull();
    expect(permissionExcess({ 'pull-requests': 'write' }, granted)).toBeNull();
    expect(permissionExcess({ contents: 'write' }, granted)).toBe(
      "The workflow is requesting 'contents: write', but is only allowed 'contents: read'.",
    );
    expect(permissionExcess({ actions: 'read', contents: 'write', issues: 'none' }, granted, "The nested job 'x'")).toBe(
      "The nested job 'x' is requesting 'actions: read, contents: write', but is only allowed 'actions: none, contents: read'.",
    );
    expect(permissionExcess({}, grantOf({}))).toBeNull();
    expect(permissionExcess({ contents: 'read' }, grantOf({}))).toBe(
      "The workflow is requesting 'contents: read', but is only allowed 'contents: none'.",
    );
  });

  test('read-all and write-all set every scope; unknown scopes or levels are errors', () => {
    expect(grantOf('read-all').contents).toBe('read');
    expect(grantOf('write-all')['pull-requests']).toBe('write');
    expect(permissionExcess('read-all', grantOf('write-all'))).toBeNull();
    expect(permissionExcess({ deployments: 'write', 'id-token': 'write' }, grantOf('write-all'))).toBeNull();
    expect(permissionExcess({ issues: 'write' }, grantOf('read-all'))).toMatch(/'issues: write', but is only allowed 'issues: read'/);
    expect(permissionExcess('read-all', grantOf({ contents: 'read' }))).toMatch(
      /'actions: read, attestations: read, checks: read, deployments: read/,
    );
    expect(permissionExcess('write-all', grantOf('read-all'))).toMatch(/^The workflow is requesting 'actions: write, /);
    expect(() => grantOf({ content: 'read' })).toThrow(/unknown scope content/);
    expect(() => grantOf({ contents: 'admin' })).toThrow(/admin is not read, write or none/);
    expect(() => grantOf('read')).toThrow(/not read-all, write-all or a mapping/);
  });

  test('nothing declared anywhere is the restrictive default: contents and packages read, nothing else', () => {
    expect(Object.entries(RESTRICTED_DEFAULT).filter(([, level]) => level !== 'none')).toEqual([
      ['contents', 'read'],
      ['packages', 'read'],
    ]);
  });

  test.each([
    [
      'the caller job grants exactly what the called workflow asks',
      '',
      '    permissions:\n      contents: read\n      issues: write',
      'permissions:\n  contents: read',
      '    permissions:\n      issues: write',
      [],
    ],
    ['the called workflow asks nothing (it inherits the grant)', 'permissions:\n  contents: read', '', '', '', []],
    [
      'the caller job grants less than the top level asks',
      'permissions: write-all',
      '    permissions:\n      actions: read',
      'permissions:\n  contents: read',
      '',
      ["The workflow is requesting 'contents: read', but is only allowed 'contents: none'."],
    ],
    [
      "the caller workflow's top level is the grant when its job sets none",
      'permissions:\n  contents: read',
      '',
      'permissions:\n  contents: write',
      '',
      ["The workflow is requesting 'contents: write', but is only allowed 'contents: read'."],
    ],
    [
      'a nested job asks for more',
      '',
      '    permissions: read-all',
      'permissions: {}',
      '    permissions:\n      pull-requests: write',
      ["The nested job 'work' is requesting 'pull-requests: write', but is only allowed 'pull-requests: read'."],
    ],
    [
      'nothing declared by the caller: the restrictive default',
      '',
      '',
      'permissions:\n  contents: read\n  packages: read',
      '    permissions:\n      issues: write',
      ["The nested job 'work' is requesting 'issues: write', but is only allowed 'issues: none'."],
    ],
    [
      'write-all asked of a read-all grant',
      'permissions: read-all',
      '',
      'permissions: write-all',
      '',
      [
        expect.stringMatching(
          /^The workflow is requesting 'actions: write, .*contents: write.*', but is only allowed 'actions: read, .*contents: read/,
        ),
      ],
    ],
  ])('%s', async (_, callerTop, callerJob, calledTop, calledJob, expected) => {
    const path = await pair(caller(callerTop, callerJob), called(calledTop, calledJob));
    const errors = checkCallPermissions(path);
    expect(errors.map((e) => e.replace(/^.* Error calling workflow '\.\/\.github\/workflows\/called\.yml'\. /, ''))).toEqual(expected);
  });

  test("the run fails before any job starts, whatever the caller job's if: says, with GitHub's message", async () => {
    const path = await pair(
      caller('permissions:\n  contents: read', '    permissions:\n      actions: read', "    if: github.event_name == 'never'\n"),
      called('permissions:\n  contents: read'),
    );
    const result = await runWorkflow({ workflow: path, workspace });
    expect(result).toEqual({
      conclusion: 'failure',
      jobs: {},
      outputs: {},
      errors: [
        `${path} (job call): Error calling workflow './.github/workflows/called.yml'. The workflow is requesting 'contents: read', but is only allowed 'contents: none'.`,
      ],
    });
  });

  test('calls that fit run, and the called job gets the token of the grant (none declared: the read token)', async () => {
    const fits = await runWorkflow({
      workflow: await pair(caller('', '    permissions:\n      issues: write'), called('', '')),
      workspace,
    });
    expect(fits.errors).toEqual([]);
    expect(fits.jobs['call / work']).toMatchObject({ status: 'success', permission: 'write' });
    const unset = await runWorkflow({ workflow: await pair(caller('', ''), called('', '')), workspace });
    expect(unset.jobs['call / work']).toMatchObject({ status: 'success', permission: 'read' });
    expect(step(unset.jobs['call / work'], 't').outputs.token).toBe('read-token');
  });

  test('a call nested in a called workflow must fit what that workflow was granted', async () => {
    const dir = await makeTempDir('mlops-permissions-');
    await mkdir(join(dir, '.github', 'workflows'), { recursive: true });
    await writeFile(
      join(dir, '.github', 'workflows', 'outer.yml'),
      caller('permissions:\n  contents: read', '').replace('called.yml', 'middle.yml'),
    );
    await writeFile(
      join(dir, '.github', 'workflows', 'middle.yml'),
      `name: middle\non: workflow_call\njobs:\n  inner:\n    uses: ./.github/workflows/called.yml\n`,
    );
    await writeFile(join(dir, '.github', 'workflows', 'called.yml'), called('permissions:\n  contents: write'));
    expect(checkCallPermissions(join(dir, '.github', 'workflows', 'outer.yml'))).toEqual([
      expect.stringMatching(
        /middle\.yml \(job inner\): Error calling workflow .* 'contents: write', but is only allowed 'contents: read'\.$/,
      ),
    ]);
  });
});
