/**
 * deploy: release a registered model version to an environment, record it as a
 * GitHub Deployment, verify it, and roll back on failure. The step reads its inputs,
 * builds the deploy target, and calls the release use case (core/deploy/release.ts),
 * which holds the rollback state machine and the canary bake loop.
 */
import {
  DEPLOY_TARGETS,
  ENVIRONMENT_NAME_RULE,
  EnvironmentsSection,
  STRATEGIES,
  VARIABLE_NAME,
  aliasOf,
  canaryLimits,
  isEnvironmentName,
  settingsOf,
} from '../core/deploy/environments.js';
import type { DeployTargetName, EnvironmentSettings, Strategy } from '../core/deploy/environments.js';
import { GitHubDeployment } from '../core/deploy/github-deployment.js';
import { NO_RECORD, release } from '../core/deploy/release.js';
import type { DeployTarget, DeploymentRecorder, ReleaseLog, ReleasePlan, Verifier } from '../core/deploy/release.js';
import { releaseSummary } from '../core/deploy/summary.js';
import { commandTarget, commandVerifier } from '../core/deploy/targets/command.js';
import type { CommandOptions } from '../core/deploy/targets/command.js';
import { httpTarget } from '../core/deploy/targets/http.js';
import { registryTarget } from '../core/deploy/targets/registry.js';
import { UserError } from '../core/errors.js';
import { ensureWritableDir } from '../core/workspace.js';
import { NAME_PATTERN } from '../ports/registry.js';
import type { Registry } from '../ports/registry.js';
import type { StepContext } from './context.js';
import { InputError, booleanInput, choiceInput, listInput, numberInput, stringInput } from './spec.js';
import type { StepSpec } from './spec.js';
import { trustContext } from './trust.js';
import { loadGuard } from '../core/signing/trust.js';

export const deploy: StepSpec = {
  name: 'deploy',
  title: 'Deploy',
  description:
    'Deploys a registered model version to an environment (moving its registry alias, calling a serving endpoint, or running your deploy command), directly or as a canary, records it as a GitHub Deployment, verifies it and rolls back on failure.',
  inputs: {
    config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
    model: { description: 'The model name in the registry. Default: model.name in mlops.yaml.', config: 'model.name' },
    version: {
      description: 'The version to deploy: a number (3), an alias (staging) or a digest (sha256:...). Default: the newest version.',
    },
    environment: {
      description: `The environment to deploy to (for example staging or production), as GitHub names it: ${ENVIRONMENT_NAME_RULE}; names are compared without case, as GitHub does. The registry alias that records what it runs is the name in lower case with spaces as "-" (Production -> production). Required.`,
    },
    'deploy-target': {
      description:
        'How to deploy: registry (move the alias named after the environment; servers following it pick it up), http (call the serving endpoint at `url`), or command (run your deploy command). Default: environments.<name>.target in mlops.yaml, else registry.',
      choices: DEPLOY_TARGETS,
    },
    url: {
      description:
        'The serving endpoint for the http target (e.g. https://models.example.com, a server started with `mlops serve`); also the environment URL shown on GitHub. Default: environments.<name>.url.',
    },
    command: {
      description:
        'Your deploy command for the command target, run with bash; it gets MLOPS_MODEL, MLOPS_MODEL_VERSION, MLOPS_MODEL_DIGEST, MLOPS_MODEL_URI, MLOPS_MODEL_DIR (the pulled files), MLOPS_ENVIRONMENT and MLOPS_ROLLBACK, and none of the runner’s or our secrets unless named in `command-env`. Default: environments.<name>.command.',
    },
    'verify-command': {
      description:
        'A command that checks the deployment (exit 0 = healthy), run after the deploy with the same variables. Default: environments.<name>.verify_command, else none.',
    },
    'command-env': {
      description:
        'Variables the deploy and verify commands get although they are withheld by default (INPUT_*, ACTIONS_*, GITHUB_TOKEN, GH_TOKEN, MLOPS_DEPLOY_SECRET, MLOPS_ADMIN_TOKEN, MLOPS_REGISTRY_TOKEN, MLOPS_REGISTRY_USERNAME, MLOPS_REGISTRY_PASSWORD, MLOPS_SIGNING_KEY, MLOPS_SIGNING_KEY_PASSPHRASE, SIGSTORE_ID_TOKEN), one name per line; other variables of the step pass anyway. Default: environments.<name>.command_env, else none.',
      list: true,
    },
    strategy: {
      description:
        'direct, or canary (http target with `mlops serve`: send a share of traffic to the new version, bake, compare error rate and latency, then promote or roll back). Default: environments.<name>.strategy, else direct.',
      choices: STRATEGIES,
    },
    'canary-weight': {
      description: 'Percent of requests the candidate gets while it bakes. Default: environments.<name>.canary.weight, else 10.',
      type: 'number',
      min: 1,
      max: 100,
    },
    'bake-time': {
      description: 'Seconds the canary bakes before it is judged. Default: environments.<name>.canary.bake_seconds, else 60.',
      type: 'number',
      min: 0,
      max: 6 * 3600,
    },
    secret: {
      description:
        'The shared secret: signs the reload webhook (X-Mlops-Signature-256) and is the admin token of `mlops serve` for canaries. Pass it from a secret. Default: the MLOPS_DEPLOY_SECRET environment variable.',
    },
    rollback: {
      description:
        'true to put the environment back on the version it ran before its current one (version is then ignored). Default: false.',
      type: 'boolean',
      default: 'false',
    },
    force: { description: 'true to deploy a version that is not blessed. Default: false.', type: 'boolean', default: 'false' },
    approve: {
      description:
        'Local runs only: true to deploy to an environment marked protected in mlops.yaml (on GitHub the environment protection rules ask a reviewer instead). Default: false.',
      type: 'boolean',
      default: 'false',
    },
    registry: {
      description:
        'The registry: oci://host/namespace or a folder. Default: registry.url or registry.path in mlops.yaml, else .mlops/registry beside mlops.yaml.',
    },
    'github-deployment': {
      description:
        'true to record the release as a GitHub Deployment with its statuses; false when the job declares `environment:` (GitHub then records the deployment itself, as mlops-cd.yml does). Default: true.',
      type: 'boolean',
      default: 'true',
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
  config: { key: 'environments', schema: EnvironmentsSection },
  async run(ctx: StepContext): Promise<void> {
    await runDeploy(ctx);
  },
};

/** What the step read from its inputs and the environment's settings. */
interface Inputs {
  plan: ReleasePlan;
  settings: EnvironmentSettings;
  target: DeployTargetName;
  url: string | null;
  command: string | null;
  verifyCommand: string | null;
  pass: string[];
  secret: string;
  approved: boolean;
  recordDeployment: boolean;
}

async function runDeploy(ctx: StepContext): Promise<void> {
  const { io } = ctx;
  const inputs = readInputs(ctx);
  const { plan, settings } = inputs;
  if (settings.protected && !ctx.env.onGitHub && !inputs.approved)
    throw new UserError(
      `environment ${plan.environment} is protected: a person must approve deploying to it`,
      'Run again with --approve true once you have checked the model (on GitHub, the environment protection rules ask a reviewer).',
    );
  const log: ReleaseLog = { info: (m) => io.info(m), warning: (m) => io.warning(m), error: (m) => io.error(m) };
  const token = stringInput(ctx, deploy, 'token');
  const registry = ctx.registry(stringInput(ctx, deploy, 'registry'), token);
  const commandOptions = await commandOptionsFor(ctx, inputs, registry);
  const target = buildTarget(inputs, plan, commandOptions, log);
  const verifiers: Verifier[] = inputs.verifyCommand ? [commandVerifier(inputs.verifyCommand, commandOptions!, log)] : [];

  const result = await release({
    plan,
    target,
    verifiers,
    registry,
    deployments: recorder(ctx, inputs, token, log),
    log,
    guard: await loadGuard(registry.signatures, trustContext(ctx), plan.alias),
  });

  await io.appendSummary(releaseSummary(plan, target, result));
  io.setOutput('version', result.running ? String(result.running.version) : '');
  io.setOutput('digest', result.running ? result.running.digest : '');
  io.setOutput('environment-url', plan.environmentUrl);
  io.setOutput('deployment-id', result.deploymentId === null ? '' : String(result.deploymentId));
  io.setOutput('rolled-back', String(result.rolledBack));
  if (result.failure !== null) io.fail(result.failure);
}

function readInputs(ctx: StepContext): Inputs {
  const model = stringInput(ctx, deploy, 'model');
  if (!model) throw new UserError('no model name', 'Set the `model` input (or --model), or model.name in mlops.yaml.');
  if (!NAME_PATTERN.test(model))
    throw new UserError(`model name "${model}" is not allowed`, 'Use lower-case letters, digits, ".", "_" and "-".');
  const environment = stringInput(ctx, deploy, 'environment');
  if (!environment) throw new InputError('environment', 'which environment? (for example staging or production)');
  if (!isEnvironmentName(environment))
    throw new InputError('environment', `"${environment}" is not allowed: use ${ENVIRONMENT_NAME_RULE} (it names a registry alias)`);
  const settings = settingsOf(ctx.config.config.environments as EnvironmentsSection | undefined, environment);

  const target = choiceInput<DeployTargetName>(ctx, deploy, 'deploy-target') ?? settings.target ?? 'registry';
  const strategy = choiceInput<Strategy>(ctx, deploy, 'strategy') ?? settings.strategy ?? 'direct';
  const url = stringInput(ctx, deploy, 'url') || settings.url || null;
  if (url !== null && !/^https?:\/\/[^\s/]+/.test(url)) throw new InputError('url', `"${url}" is not an http(s) URL`);
  const command = stringInput(ctx, deploy, 'command') || settings.command || null;
  if (target === 'http' && !url)
    throw new InputError('url', 'the http target needs the serving endpoint (url, or environments.<name>.url)');
  if (target === 'command' && !command) throw new InputError('command', 'the command target needs a deploy command');
  if (strategy === 'canary' && (target !== 'http' || !url))
    throw new InputError('strategy', 'canary needs the http target with the url of a server started by `mlops serve --admin-token`');
  const named = listInput(ctx, deploy, 'command-env');
  const pass = named.length > 0 ? named : (settings.command_env ?? []);
  for (const name of pass) if (!VARIABLE_NAME.test(name)) throw new InputError('command-env', `"${name}" is not a variable name`);

  const rollback = booleanInput(ctx, deploy, 'rollback') ?? false;
  return {
    plan: {
      model,
      environment,
      alias: aliasOf(environment),
      ref: stringInput(ctx, deploy, 'version') || null,
      rollback,
      force: booleanInput(ctx, deploy, 'force') ?? false,
      strategy,
      canary: {
        weight: numberInput(ctx, deploy, 'canary-weight') ?? settings.canary?.weight ?? 10,
        bakeSeconds: numberInput(ctx, deploy, 'bake-time') ?? settings.canary?.bake_seconds ?? 60,
        limits: canaryLimits(settings),
      },
      environmentUrl: settings.environment_url ?? url ?? '',
    },
    settings,
    target,
    url,
    command,
    verifyCommand: stringInput(ctx, deploy, 'verify-command') || settings.verify_command || null,
    pass,
    // The input wins over the secret of the environment.
    secret: stringInput(ctx, deploy, 'secret') || ctx.secret('MLOPS_DEPLOY_SECRET') || '',
    approved: booleanInput(ctx, deploy, 'approve') ?? false,
    recordDeployment: booleanInput(ctx, deploy, 'github-deployment') ?? true,
  };
}

/** How user commands run, when the release runs any (the deploy or verify command); null otherwise. */
async function commandOptionsFor(ctx: StepContext, inputs: Inputs, registry: Registry): Promise<CommandOptions | null> {
  if (inputs.target !== 'command' && !inputs.verifyCommand) return null;
  const scratch = ctx.workspace.dir('deploy');
  await ensureWritableDir(scratch, 'the workspace (output_dir of mlops.yaml)');
  return {
    model: inputs.plan.model,
    environment: inputs.plan.environment,
    registry,
    run: (job) => ctx.runCommand(job),
    pass: inputs.pass,
    scratch,
  };
}

function buildTarget(inputs: Inputs, plan: ReleasePlan, commandOptions: CommandOptions | null, log: ReleaseLog): DeployTarget {
  switch (inputs.target) {
    case 'registry':
      // Moving the alias is the deploy: servers that follow it swap to the new version.
      return registryTarget();
    case 'http':
      return httpTarget({
        url: inputs.url!,
        secret: inputs.secret,
        model: plan.model,
        environment: plan.environment,
        webhookPath: inputs.settings.webhook_path,
        readyPath: inputs.settings.ready_path,
        log,
      });
    case 'command':
      return commandTarget(inputs.command!, commandOptions!);
  }
}

/** The GitHub Deployment of the release, on GitHub when asked for; else nothing is recorded. */
function recorder(ctx: StepContext, inputs: Inputs, token: string | undefined, log: ReleaseLog): DeploymentRecorder {
  const sha = ctx.env.sha;
  if (!inputs.recordDeployment || !ctx.env.onGitHub || !sha) return NO_RECORD;
  const client = ctx.github(token);
  if (!client) return NO_RECORD;
  return new GitHubDeployment({
    ...client,
    sha,
    model: inputs.plan.model,
    environment: inputs.plan.environment,
    production: inputs.settings.production ?? inputs.plan.alias === 'production',
    logUrl: ctx.env.runUrl,
    log,
  });
}
