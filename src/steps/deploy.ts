/**
 * deploy: release a registered model version to an environment, record it as a
 * GitHub Deployment, verify it, and roll back on failure. The registry alias named
 * after the environment always says what the environment runs, so rollback knows
 * where to go back to, whatever the target.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../core/config/config.js';
import type { LoadedConfig } from '../core/config/config.js';
import { DEFAULT_CANARY_LIMITS, judgeCanary } from '../core/deploy/canary.js';
import type { CanaryLimits, CanaryVerdict, VersionStats } from '../core/deploy/canary.js';
import { ServeClient } from '../core/deploy/serve-client.js';
import { UserError, describeError } from '../core/errors.js';
import { runUrl } from '../core/lineage.js';
import { code, escapeText, table } from '../core/markdown.js';
import { formatZodError } from '../core/zod-errors.js';
import { gitHubFromEnvironment } from '../adapters/github/github-api.js';
import { GitHubApiError } from '../ports/github.js';
import type { GitHubPort, RepoRef } from '../ports/github.js';
import { NAME_PATTERN } from '../ports/registry.js';
import type { ModelVersion, Registry } from '../ports/registry.js';
import type { StepIO } from '../ports/step-io.js';
import { registryFor } from './register.js';
import { choiceInput, InputError } from './spec.js';
import type { StepSpec } from './spec.js';

const TARGETS = ['registry', 'http', 'command'] as const;
type TargetName = (typeof TARGETS)[number];
const STRATEGIES = ['direct', 'canary'] as const;

const Canary = z.strictObject({
  /** Percent of requests sent to the candidate while it bakes. */
  weight: z.number().min(1).max(100).optional(),
  bake_seconds: z
    .number()
    .min(0)
    .max(6 * 3600)
    .optional(),
  min_requests: z.number().int().min(0).optional(),
  max_error_rate: z.number().min(0).max(1).optional(),
  max_error_rate_increase: z.number().min(0).max(1).optional(),
  max_p99_ms: z.number().positive().optional(),
  max_p99_ratio: z.number().positive().optional(),
  max_prediction_shift: z.number().min(0).max(1).optional(),
  max_mean_shift: z.number().min(0).optional(),
});

const Environment = z.strictObject({
  /** Locally, deploying here needs --approve true (on GitHub, the environment's protection rules do this). */
  protected: z.boolean().optional(),
  /** GitHub's production_environment flag of the Deployment (default: true for an environment named production). */
  production: z.boolean().optional(),
  target: z.enum(TARGETS).optional(),
  url: z.string().url().optional(),
  /** The reload webhook path on `url` (default /admin/reload, the path of `mlops serve`). */
  webhook_path: z.string().startsWith('/').optional(),
  /**
   * The readiness check after an http deploy: default /v2/models/<model>/ready (mlops serve, KServe,
   * Triton); "" for none (a plain webhook receiver). With a custom webhook_path the default is none.
   */
  ready_path: z.union([z.literal(''), z.string().startsWith('/')]).optional(),
  command: z.string().optional(),
  verify_command: z.string().optional(),
  strategy: z.enum(STRATEGIES).optional(),
  canary: Canary.optional(),
  /** What GitHub shows as the environment's address (default: url). */
  environment_url: z.string().url().optional(),
});
type EnvironmentConfig = z.infer<typeof Environment>;

export const deploy: StepSpec = {
  name: 'deploy',
  title: 'Deploy',
  description:
    'Deploys a registered model version to an environment (moving its registry alias, calling a serving endpoint, or running your deploy command), directly or as a canary, records it as a GitHub Deployment, verifies it and rolls back on failure.',
  inputs: {
    config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
    model: { description: 'The model name in the registry. Default: model.name in mlops.yaml.' },
    version: {
      description: 'The version to deploy: a number (3), an alias (staging) or a digest (sha256:...). Default: the newest version.',
    },
    environment: { description: 'The environment to deploy to (for example staging or production). Required.' },
    target: {
      description:
        'How to deploy: registry (move the alias named after the environment; servers following it pick it up), http (call the serving endpoint at `url`), or command (run your deploy command). Default: environments.<name>.target in mlops.yaml, else registry.',
      choices: TARGETS,
    },
    url: {
      description:
        'The serving endpoint for the http target (e.g. https://models.example.com, a server started with `mlops serve`); also the environment URL shown on GitHub. Default: environments.<name>.url.',
    },
    command: {
      description:
        'Your deploy command for the command target, run with bash; it gets MLOPS_MODEL, MLOPS_MODEL_VERSION, MLOPS_MODEL_DIGEST, MLOPS_MODEL_URI, MLOPS_MODEL_DIR (the pulled files), MLOPS_ENVIRONMENT and MLOPS_ROLLBACK. Default: environments.<name>.command.',
    },
    'verify-command': {
      description: 'A command that checks the deployment (exit 0 = healthy), run after the deploy with the same variables. Default: none.',
    },
    strategy: {
      description:
        'direct, or canary (http target with `mlops serve`: send a share of traffic to the new version, bake, compare error rate and latency, then promote or roll back). Default: environments.<name>.strategy, else direct.',
      choices: STRATEGIES,
    },
    'canary-weight': { description: 'Percent of requests the candidate gets while it bakes. Default: 10.' },
    'bake-time': { description: 'Seconds the canary bakes before it is judged. Default: 60.' },
    secret: {
      description:
        'The shared secret: signs the reload webhook (X-Mlops-Signature-256) and is the admin token of `mlops serve` for canaries. Pass it from a secret. Default: the MLOPS_DEPLOY_SECRET environment variable.',
    },
    rollback: {
      description:
        'true to put the environment back on the version it ran before its current one (version is then ignored). Default: false.',
      choices: ['true', 'false'],
    },
    force: { description: 'true to deploy a version that is not blessed. Default: false.', choices: ['true', 'false'] },
    approve: {
      description:
        'Local runs only: true to deploy to an environment marked protected in mlops.yaml (on GitHub the environment protection rules ask a reviewer instead). Default: false.',
      choices: ['true', 'false'],
    },
    registry: {
      description:
        'The registry: oci://host/namespace or a folder. Default: registry.url or registry.path in mlops.yaml, else .mlops/registry beside mlops.yaml.',
    },
    'github-deployment': {
      description:
        'true to record the release as a GitHub Deployment with its statuses; false when the job declares `environment:` (GitHub then records the deployment itself, as mlops-cd.yml does). Default: true.',
      choices: ['true', 'false'],
    },
    token: {
      description:
        'Token for the GitHub Deployments API (the job needs permissions: deployments: write) and for an OCI registry. Default: the workflow token.',
      actionDefault: '${{ github.token }}',
    },
  },
  outputs: {
    version: { description: 'The version the environment runs after this step.' },
    digest: { description: 'Its digest (sha256:...).' },
    'environment-url': { description: 'The environment URL (the url input or setting), for the job’s environment.url.' },
    'deployment-id': { description: 'The GitHub Deployment id (empty outside GitHub or without permission).' },
    'rolled-back': { description: 'true when the environment was put back on its previous version (rollback, or a failed deploy).' },
  },
  async run(io: StepIO): Promise<void> {
    await runDeploy(io);
  },
};

interface Plan {
  model: string;
  environment: string;
  target: TargetName;
  strategy: 'direct' | 'canary';
  settings: EnvironmentConfig;
  url: string | null;
  command: string | null;
  verifyCommand: string | null;
  secret: string;
  registry: Registry;
  limits: CanaryLimits;
  weight: number;
  bakeSeconds: number;
}

export interface DeployResult {
  version: ModelVersion;
  rolledBack: boolean;
  deploymentId: number | null;
  canary: CanaryVerdict | null;
}

export async function runDeploy(io: StepIO): Promise<DeployResult> {
  const loaded = await loadConfig(io.getInput('config') || undefined);
  const plan = makePlan(io, loaded);
  const { registry, model, environment } = plan;
  const rollback = (choiceInput<'true' | 'false'>(io, deploy, 'rollback') ?? 'false') === 'true';
  const force = (choiceInput<'true' | 'false'>(io, deploy, 'force') ?? 'false') === 'true';
  const approved = (choiceInput<'true' | 'false'>(io, deploy, 'approve') ?? 'false') === 'true';
  if (plan.settings.protected && !io.onGitHub && !approved)
    throw new UserError(
      `environment ${environment} is protected: a person must approve deploying to it`,
      'Run again with --approve true once you have checked the model (on GitHub, the environment protection rules ask a reviewer).',
    );

  const previous = await currentVersion(registry, model, environment);
  let wanted: ModelVersion;
  if (rollback) {
    const back = await versionBefore(registry, model, environment);
    if (back === null)
      throw new UserError(
        `environment ${environment} of ${model} has no earlier version to roll back to`,
        `Its alias history (mlops registry history ${model} ${environment}) shows one version or none.`,
      );
    wanted = await registry.resolve(model, String(back));
    io.info(`Rolling ${environment} back from v${previous?.version ?? '?'} to v${wanted.version}.`);
  } else {
    wanted = await resolveWanted(registry, model, io.getInput('version'));
    if (!force && wanted.blessing?.blessed !== true)
      throw new UserError(
        `${model} v${wanted.version} is ${wanted.blessing ? 'not blessed' : 'not evaluated (registered without a blessing)'}: deploy refuses it`,
        'Deploy a blessed version, or set force: true to deploy it anyway.',
      );
  }

  const recordDeployment = (choiceInput<'true' | 'false'>(io, deploy, 'github-deployment') ?? 'true') === 'true';
  const github =
    recordDeployment && (io.onGitHub || process.env.GITHUB_ACTIONS === 'true')
      ? gitHubFromEnvironment(process.env, io.getInput('token') || undefined)
      : null;
  const record = new DeploymentRecord(io, github, environment, plan.settings.production ?? environment === 'production');
  const environmentUrl = plan.settings.environment_url ?? plan.url ?? '';
  await record.start(wanted, model, rollback);

  let canary: CanaryVerdict | null = null;
  let rolledBack = rollback;
  try {
    io.info(
      `Deploying ${model} v${wanted.version} (${wanted.digest}) to ${environment} with the ${plan.target} target${plan.strategy === 'canary' ? ' as a canary' : ''}.`,
    );
    if (plan.strategy === 'canary' && !rollback) {
      canary = await runCanary(io, plan, wanted);
      if (!canary.promote) throw new CanaryFailed(canary);
    } else {
      await perform(io, plan, wanted, rollback);
    }
    await verify(io, plan, wanted);
    await registry.setAlias(model, environment, wanted.version);
    await record.finish('success', `${model} v${wanted.version}${rollback ? ' (rollback)' : ''}`, environmentUrl);
  } catch (error) {
    io.error(`Deploying ${model} v${wanted.version} to ${environment} failed: ${describeError(error)}`);
    let restored = false;
    if (!(error instanceof CanaryFailed) && previous && previous.version !== wanted.version) {
      // Put the environment back on what it ran before; the canary never left it.
      try {
        io.info(`Rolling ${environment} back to v${previous.version}.`);
        await perform(io, plan, previous, true);
        await registry.setAlias(model, environment, previous.version);
        restored = true;
      } catch (rollbackError) {
        io.error(`Rolling back to v${previous.version} failed too: ${describeError(rollbackError)}. The environment needs a person.`);
      }
    }
    rolledBack = restored || error instanceof CanaryFailed;
    await record.finish('failure', `${model} v${wanted.version} failed${rolledBack ? '; rolled back' : ''}`, environmentUrl);
    // What the environment runs now: the previous version when it was restored (or never left), else unknown.
    const after = rolledBack ? previous : null;
    await summary(io, plan, wanted, { ok: false, rolledBack, canary, error: describeError(error), previous });
    io.setOutput('version', after ? String(after.version) : '');
    io.setOutput('digest', after ? after.digest : '');
    io.setOutput('environment-url', environmentUrl);
    io.setOutput('deployment-id', record.id === null ? '' : String(record.id));
    io.setOutput('rolled-back', String(rolledBack));
    io.fail(
      error instanceof CanaryFailed
        ? `The canary of ${model} v${wanted.version} failed its checks and was rolled back: ${error.verdict.reasons.join(' ')}`
        : `Deploying ${model} v${wanted.version} to ${environment} failed: ${describeError(error)}${rolledBack && previous ? ` (rolled back to v${previous.version})` : ''}`,
    );
    return { version: after ?? wanted, rolledBack, deploymentId: record.id, canary };
  }
  await summary(io, plan, wanted, { ok: true, rolledBack, canary, error: null, previous });
  io.setOutput('version', String(wanted.version));
  io.setOutput('digest', wanted.digest);
  io.setOutput('environment-url', environmentUrl);
  io.setOutput('deployment-id', record.id === null ? '' : String(record.id));
  io.setOutput('rolled-back', String(rolledBack));
  return { version: wanted, rolledBack, deploymentId: record.id, canary };
}

class CanaryFailed extends Error {
  constructor(readonly verdict: CanaryVerdict) {
    super(`the canary failed: ${verdict.reasons.join(' ')}`);
  }
}

function makePlan(io: StepIO, loaded: LoadedConfig): Plan {
  const model = io.getInput('model') || loaded.config.model?.name;
  if (!model) throw new UserError('no model name', 'Set the `model` input (or --model), or model.name in mlops.yaml.');
  if (!NAME_PATTERN.test(model))
    throw new UserError(`model name "${model}" is not allowed`, 'Use lower-case letters, digits, ".", "_" and "-".');
  const environment = io.getInput('environment');
  if (!environment) throw new InputError('environment', 'which environment? (for example staging or production)');
  if (!NAME_PATTERN.test(environment))
    throw new InputError(
      'environment',
      `"${environment}" is not allowed: use lower-case letters, digits, ".", "_" and "-" (it names a registry alias)`,
    );
  const all = (loaded.config.environments ?? {}) as Record<string, unknown>;
  const parsed = Environment.safeParse(all[environment] ?? {});
  if (!parsed.success)
    throw new UserError(
      `mlops.yaml: invalid settings for environment ${environment}:\n${formatZodError(parsed.error)}`,
      'See the README section "deploy".',
    );
  const settings = parsed.data;
  const target = choiceInput<TargetName>(io, deploy, 'target') ?? settings.target ?? 'registry';
  const strategy = choiceInput<'direct' | 'canary'>(io, deploy, 'strategy') ?? settings.strategy ?? 'direct';
  const url = io.getInput('url') || settings.url || null;
  if (url !== null && !/^https?:\/\/[^\s/]+/.test(url)) throw new InputError('url', `"${url}" is not an http(s) URL`);
  const command = io.getInput('command') || settings.command || null;
  if (target === 'http' && !url)
    throw new InputError('url', 'the http target needs the serving endpoint (url, or environments.<name>.url)');
  if (target === 'command' && !command) throw new InputError('command', 'the command target needs a deploy command');
  if (strategy === 'canary' && (target !== 'http' || !url))
    throw new InputError('strategy', 'canary needs the http target with the url of a server started by `mlops serve --admin-token`');
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const raw = io.getInput(name);
    if (raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) throw new InputError(name, `"${raw}" is not a number from ${min} to ${max}`);
    return value;
  };
  const c = settings.canary ?? {};
  return {
    model,
    environment,
    target,
    strategy,
    settings,
    url,
    command,
    verifyCommand: io.getInput('verify-command') || settings.verify_command || null,
    secret: io.getInput('secret') || process.env.MLOPS_DEPLOY_SECRET || '',
    registry: registryFor(io, loaded),
    weight: number('canary-weight', c.weight ?? 10, 1, 100),
    bakeSeconds: number('bake-time', c.bake_seconds ?? 60, 0, 6 * 3600),
    limits: {
      minRequests: c.min_requests ?? DEFAULT_CANARY_LIMITS.minRequests,
      maxErrorRate: c.max_error_rate ?? DEFAULT_CANARY_LIMITS.maxErrorRate,
      maxErrorRateIncrease: c.max_error_rate_increase ?? DEFAULT_CANARY_LIMITS.maxErrorRateIncrease,
      maxP99Ms: c.max_p99_ms ?? DEFAULT_CANARY_LIMITS.maxP99Ms,
      maxP99Ratio: c.max_p99_ratio ?? DEFAULT_CANARY_LIMITS.maxP99Ratio,
      maxPredictionShift: c.max_prediction_shift ?? DEFAULT_CANARY_LIMITS.maxPredictionShift,
      maxMeanShift: c.max_mean_shift ?? DEFAULT_CANARY_LIMITS.maxMeanShift,
    },
  };
}

async function resolveWanted(registry: Registry, model: string, ref: string): Promise<ModelVersion> {
  if (ref) return registry.resolve(model, ref);
  const versions = await registry.list(model);
  if (versions.length === 0) throw new UserError(`no versions of ${model} in the registry`, 'Register a model first (the register step).');
  return versions[versions.length - 1]!;
}

async function currentVersion(registry: Registry, model: string, environment: string): Promise<ModelVersion | null> {
  const aliases = await registry.aliases(model);
  const version = aliases[environment];
  return version === undefined ? null : registry.resolve(model, String(version));
}

/** The version the environment ran before its current one, from the alias history. */
async function versionBefore(registry: Registry, model: string, environment: string): Promise<number | null> {
  const history = await registry.aliasHistory(model, environment);
  const current = (await registry.aliases(model))[environment];
  if (current === undefined) return null;
  for (let i = history.length - 1; i >= 0; i--) {
    const version = history[i]!.version;
    if (version !== null && version !== current) return version;
  }
  return null;
}

/** Does the deploy (or the rollback) with the plan's target. */
async function perform(io: StepIO, plan: Plan, version: ModelVersion, rollback: boolean): Promise<void> {
  switch (plan.target) {
    case 'registry':
      // Moving the alias is the deploy: servers that follow it swap to the new version.
      return;
    case 'http': {
      const client = new ServeClient(plan.url!, plan.secret);
      await client.reload(releasePayload(plan, version, rollback), plan.settings.webhook_path);
      io.info(`${plan.url} accepted v${version.version}.`);
      return;
    }
    case 'command':
      await withPulledModel(plan, version, (dir) =>
        runShell(io, plan.command!, releaseEnv(plan, version, dir, rollback), 'deploy command'),
      );
      return;
  }
}

async function verify(io: StepIO, plan: Plan, version: ModelVersion): Promise<void> {
  // mlops serve (the default webhook) is checked through its readiness route and admin status.
  const ourServer = plan.settings.webhook_path === undefined || plan.settings.webhook_path === '/admin/reload';
  const readyPath = plan.settings.ready_path ?? (ourServer ? `/v2/models/${encodeURIComponent(plan.model)}/ready` : '');
  if (plan.target === 'http' && readyPath) {
    const client = new ServeClient(plan.url!, plan.secret);
    if (!(await client.ready(readyPath)))
      throw new UserError(
        `${plan.url} does not answer ready for ${plan.model} (GET ${readyPath})`,
        'Set ready_path for this environment, or "" for none.',
      );
    if (plan.secret && ourServer) {
      const status = await client.status().catch(() => null);
      if (status?.stable && status.stable.version !== null && status.stable.version !== version.version)
        throw new UserError(`${plan.url} serves v${status.stable.version}, not v${version.version}, after the deploy`);
    }
    io.info(`Verified: ${plan.url} is ready and serves v${version.version}.`);
  }
  if (plan.verifyCommand) {
    await withPulledModel(plan, version, (dir) =>
      runShell(io, plan.verifyCommand!, releaseEnv(plan, version, dir, false), 'verify command'),
    );
    io.info('Verified: the verify command passed.');
  }
}

async function runCanary(io: StepIO, plan: Plan, candidate: ModelVersion): Promise<CanaryVerdict> {
  const client = new ServeClient(plan.url!, plan.secret);
  const before = await client.status();
  const stableVersion = before.stable?.version ?? null;
  if (stableVersion === candidate.version) {
    io.info(`${plan.url} already serves v${candidate.version}: nothing to canary.`);
    return { promote: true, reasons: [], checks: [] };
  }
  await client.resetStats();
  await client.setCandidate(String(candidate.version), plan.weight);
  io.info(`Canary: v${candidate.version} gets ${plan.weight} % of requests for ${plan.bakeSeconds} s.`);
  const deadline = Date.now() + plan.bakeSeconds * 1000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, Math.min(10_000, Math.max(0, deadline - Date.now()))));
    const now = await client.status();
    const c = now.stats[String(candidate.version)];
    if (c) io.info(`  candidate: ${c.requests} requests, ${c.errors} errors, p99 ${c.p99 === null ? 'n/a' : `${c.p99.toFixed(1)} ms`}`);
  }
  const after = await client.status();
  const empty: VersionStats = { requests: 0, errors: 0, p50: null, p99: null };
  const verdict = judgeCanary(
    after.stats[String(candidate.version)] ?? empty,
    stableVersion === null ? null : (after.stats[String(stableVersion)] ?? null),
    plan.limits,
  );
  if (verdict.promote) {
    await client.promote();
    io.info(`Canary passed every check: v${candidate.version} promoted.`);
  } else {
    await client.dropCandidate();
    io.warning(
      `Canary failed: ${verdict.reasons.join(' ')} v${candidate.version} was removed; ${plan.url} serves v${stableVersion ?? '?'} again.`,
    );
  }
  return verdict;
}

function releasePayload(plan: Plan, version: ModelVersion, rollback: boolean): Record<string, unknown> {
  return {
    model: plan.model,
    ref: String(version.version),
    version: version.version,
    digest: version.digest,
    uri: version.uri,
    environment: plan.environment,
    rollback,
  };
}

function releaseEnv(plan: Plan, version: ModelVersion, dir: string, rollback: boolean): Record<string, string> {
  return {
    MLOPS_MODEL: plan.model,
    MLOPS_MODEL_VERSION: String(version.version),
    MLOPS_MODEL_DIGEST: version.digest,
    MLOPS_MODEL_URI: version.uri,
    MLOPS_MODEL_DIR: dir,
    MLOPS_ENVIRONMENT: plan.environment,
    MLOPS_ROLLBACK: String(rollback),
  };
}

async function withPulledModel<T>(plan: Plan, version: ModelVersion, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-deploy-'));
  try {
    await plan.registry.pull(plan.model, String(version.version), join(dir, 'model'));
    return await fn(join(dir, 'model'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs the user's command with bash; its output goes to the log. Not given the runner's service tokens. */
function runShell(io: StepIO, command: string, extra: Record<string, string>, what: string): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_RESULTS_URL', 'ACTIONS_CACHE_URL'])
    delete env[name];
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', ['-eo', 'pipefail', '-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) if (line) io.info(`  ${line}`);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', (error) => reject(new UserError(`cannot run the ${what}: ${error.message}`)));
    child.on('close', (status, signal) =>
      status === 0
        ? resolvePromise()
        : reject(
            new UserError(`the ${what} failed (${signal ? `signal ${signal}` : `exit ${status}`})`, 'Its output is in the log above.'),
          ),
    );
  });
}

/** The GitHub Deployment of this release: created, moved to in_progress, then success or failure. Best effort: warns without permission. */
class DeploymentRecord {
  id: number | null = null;
  private disabled = false;

  constructor(
    private readonly io: StepIO,
    private readonly github: { github: GitHubPort; repo: RepoRef } | null,
    private readonly environment: string,
    private readonly production: boolean,
  ) {}

  async start(version: ModelVersion, model: string, rollback: boolean): Promise<void> {
    const sha = process.env.GITHUB_SHA;
    if (!this.github || !sha) return;
    await this.call(async () => {
      const deployment = await this.github!.github.createDeployment(this.github!.repo, {
        sha,
        environment: this.environment,
        description: `${model} v${version.version}${rollback ? ' (rollback)' : ''}`.slice(0, 140),
        payload: { model, version: version.version, digest: version.digest, uri: version.uri, rollback },
        productionEnvironment: this.production,
      });
      this.id = deployment.id;
      await this.github!.github.createDeploymentStatus(this.github!.repo, deployment.id, {
        state: 'in_progress',
        logUrl: runUrl() ?? undefined,
      });
    });
  }

  async finish(state: 'success' | 'failure', description: string, environmentUrl: string): Promise<void> {
    if (!this.github || this.id === null) return;
    await this.call(() =>
      this.github!.github.createDeploymentStatus(this.github!.repo, this.id!, {
        state,
        description,
        environmentUrl: environmentUrl || undefined,
        logUrl: runUrl() ?? undefined,
      }),
    );
  }

  private async call(fn: () => Promise<void>): Promise<void> {
    if (this.disabled) return;
    try {
      await fn();
    } catch (error) {
      this.disabled = true;
      const denied = error instanceof GitHubApiError && (error.status === 403 || error.status === 404);
      this.io.warning(
        denied
          ? `No GitHub Deployment recorded: the token may not write deployments (${error.message}). Give the job \`permissions: deployments: write\`.`
          : `No GitHub Deployment recorded: ${describeError(error)}`,
      );
    }
  }
}

async function summary(
  io: StepIO,
  plan: Plan,
  wanted: ModelVersion,
  outcome: { ok: boolean; rolledBack: boolean; canary: CanaryVerdict | null; error: string | null; previous: ModelVersion | null },
): Promise<void> {
  const lines = [
    `## ${outcome.ok ? 'Deployed' : 'Deploy failed'}: ${escapeText(plan.model)} v${wanted.version} to ${escapeText(plan.environment)}${outcome.rolledBack ? ' (rolled back)' : ''}`,
    '',
    table(
      ['Release', ''],
      [
        ['Version', `v${wanted.version} ${code(wanted.digest, 80)}`],
        ['Previous', outcome.previous ? `v${outcome.previous.version}` : '(none)'],
        ['Target', plan.target + (plan.url ? ` ${code(plan.url, 120)}` : '')],
        ['Strategy', plan.strategy + (plan.strategy === 'canary' ? ` (${plan.weight} % for ${plan.bakeSeconds} s)` : '')],
        ['Blessed', wanted.blessing?.blessed === true ? 'yes' : 'no'],
      ],
    ),
    '',
  ];
  if (outcome.canary && outcome.canary.checks.length > 0) {
    lines.push(
      '### Canary checks',
      '',
      table(
        ['Check', 'Result', 'Detail'],
        outcome.canary.checks.map((c) => [escapeText(c.name), c.passed ? 'pass' : '**fail**', escapeText(c.detail)]),
      ),
      '',
    );
  }
  if (outcome.error) lines.push(`Error: ${escapeText(outcome.error, 1000)}`, '');
  await io.appendSummary(lines.join('\n'));
}
