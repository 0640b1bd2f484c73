/**
 * Releasing a registered model version to an environment: the use case behind the
 * deploy step. It picks the version (or the one to roll back to), refuses one that is
 * not blessed, records the release (a GitHub Deployment), deploys it with a target,
 * directly or as a canary that bakes on live traffic, verifies it, and rolls back when
 * anything fails. The registry alias of the environment always says what the
 * environment runs, so a rollback knows where to go back to whatever the target.
 *
 * The rollback state machine:
 *   deploy ok, verify ok           -> alias moves to the new version            (success)
 *   canary judged bad               -> the candidate is dropped; stable never left (failure, rolled back)
 *   deploy or verify fails          -> the previous version is deployed again and the alias stays on it
 *                                      (failure, rolled back); no previous version, or the rollback
 *                                      fails too: the environment needs a person (failure, not rolled back)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Blessing } from '../contracts/index.js';
import { UserError, describeError } from '../errors.js';
import type { ModelVersion, Registry } from '../../ports/registry.js';
import { describeCheck, worthWarning, type LoadGuard } from '../signing/trust.js';
import { judgeCanary } from './canary.js';
import type { CanaryLimits, CanaryVerdict, VersionStats } from './canary.js';
import type { DeployTargetName, Strategy } from './environments.js';
import type { ServerStatus } from './serve-client.js';

/** Where release tells what it does. */
export interface ReleaseLog {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

/** The admin side of a server that runs canaries (`mlops serve`'s admin API). */
export interface CanaryControl {
  status(): Promise<ServerStatus>;
  resetStats(): Promise<void>;
  setCandidate(ref: string, weight: number): Promise<void>;
  promote(): Promise<void>;
  dropCandidate(): Promise<void>;
}

/** How a version gets into an environment: moving the alias, a serving endpoint, or the user's command. */
export interface DeployTarget {
  readonly name: DeployTargetName;
  /** What the summary shows of it (the endpoint, for http). */
  readonly shown: string;
  /** Deploys `version` (`rollback`: putting an earlier version back). */
  deploy(version: ModelVersion, rollback: boolean): Promise<void>;
  /** Checks the environment serves `version` after the deploy; throws when it does not. */
  verify(version: ModelVersion): Promise<void>;
  /** The canary control of the server, for targets that can run canaries; null otherwise. */
  readonly canary: CanaryControl | null;
}

/** A check after the deploy whatever the target (the user's verify command); throws when unhealthy. */
export type Verifier = (version: ModelVersion) => Promise<void>;

/** Where the release is recorded (GitHub Deployments): best effort, never fails a release. */
export interface DeploymentRecorder {
  /** The record's id once started, else null. */
  readonly id: number | null;
  start(version: ModelVersion, rollback: boolean): Promise<void>;
  finish(state: 'success' | 'failure', description: string, environmentUrl: string): Promise<void>;
}

/** A recorder that records nothing (locally, or when the job's environment records it). */
export const NO_RECORD: DeploymentRecorder = {
  id: null,
  async start() {},
  async finish() {},
};

export interface CanaryPlan {
  /** Percent of requests the candidate gets while it bakes. */
  weight: number;
  bakeSeconds: number;
  limits: CanaryLimits;
  /** How often the bake loop reports the candidate's traffic, in ms (default 10 s). */
  pollMs?: number;
}

export interface ReleasePlan {
  model: string;
  /** The environment as named (GitHub's name). */
  environment: string;
  /** Its registry alias. */
  alias: string;
  /** The version wanted: a number, alias or digest; null for the newest. Ignored for a rollback. */
  ref: string | null;
  /** Put the environment back on the version it ran before its current one. */
  rollback: boolean;
  /** Deploy a version that is not blessed. */
  force: boolean;
  strategy: Strategy;
  canary: CanaryPlan;
  environmentUrl: string;
}

export interface ReleaseParams {
  plan: ReleasePlan;
  target: DeployTarget;
  /** Checks after the deploy, whatever the target. */
  verifiers?: readonly Verifier[];
  registry: Registry;
  deployments: DeploymentRecorder;
  log: ReleaseLog;
  /** Verifies the version's signature before anything moves (refuses where required, else warns). */
  guard?: LoadGuard;
}

export interface ReleaseResult {
  ok: boolean;
  /** The version this release was about. */
  wanted: ModelVersion;
  /** Its blessing, when it has a valid one. */
  blessing: Blessing | null;
  /** What the environment ran before. */
  previous: ModelVersion | null;
  /** What the environment runs now: `wanted`, the previous version after a rollback, or null when unknown. */
  running: ModelVersion | null;
  rolledBack: boolean;
  canary: CanaryVerdict | null;
  /** What the signature check found (for the summary), or null when no guard was given. */
  signature: string | null;
  /** What went wrong (shown in the summary), or null. */
  error: string | null;
  /** The message the step fails with, or null. */
  failure: string | null;
  deploymentId: number | null;
}

class CanaryFailed extends Error {
  constructor(readonly verdict: CanaryVerdict) {
    super(`the canary failed: ${verdict.reasons.join(' ')}`);
  }
}

/**
 * Releases a version to an environment (or rolls it back). Refusals before anything is
 * touched (no version, not blessed, nothing to roll back to) throw a UserError; a
 * failure after the release started is a result with ok false, the environment rolled
 * back where it could be.
 */
export async function release(params: ReleaseParams): Promise<ReleaseResult> {
  const { plan, target, registry, deployments, log } = params;
  const { model, environment, alias } = plan;
  const previous = await currentVersion(registry, model, alias);
  let wanted: ModelVersion;
  if (plan.rollback) {
    const back = await versionBefore(registry, model, alias);
    if (back === null)
      throw new UserError(
        `environment ${environment} of ${model} has no earlier version to roll back to`,
        `Its alias history (mlops registry history ${model} ${alias}) shows one version or none.`,
      );
    wanted = await registry.resolve(model, String(back));
    log.info(`Rolling ${environment} back from v${previous?.version ?? '?'} to v${wanted.version}.`);
  } else {
    wanted = await resolveWanted(registry, model, plan.ref);
  }
  // The registry reads the blessing registered with the version against its contract.
  const blessing = wanted.blessing;
  if (!plan.rollback && !plan.force && blessing?.blessed !== true)
    throw new UserError(
      `${model} v${wanted.version} is ${unblessed(wanted)}: deploy refuses it`,
      'Deploy a blessed version, or set force: true to deploy it anyway.',
    );

  // The signature binds the version's digest to whoever registered it: a version pushed by anyone else, or
  // rewritten since, is refused where verification is required (a rollback target too).
  let signature: string | null = null;
  if (params.guard) {
    const check = await params.guard.check(wanted);
    signature = describeCheck(check, `${model} v${wanted.version}`);
    if (worthWarning(check, params.guard))
      log.warning(`${signature} (verification is not required for ${environment}; signing.verify.required in mlops.yaml)`);
    else log.info(signature);
  }

  // Every file of the version is read back and checked against its digest before anything moves: a blob
  // corrupted or swapped in the registry's storage would otherwise be what the environment's alias names.
  await verifyBlobs(registry, model, wanted, log);

  await deployments.start(wanted, plan.rollback);
  let canary: CanaryVerdict | null = null;
  try {
    log.info(
      `Deploying ${model} v${wanted.version} (${wanted.digest}) to ${environment} with the ${target.name} target${plan.strategy === 'canary' ? ' as a canary' : ''}.`,
    );
    if (plan.strategy === 'canary' && !plan.rollback) {
      if (!target.canary) throw new UserError(`the ${target.name} target cannot run canaries`, 'Use the http target with `mlops serve`.');
      canary = await bakeCanary(target.canary, wanted, plan.canary, target.shown, log);
      if (!canary.promote) throw new CanaryFailed(canary);
    } else {
      await target.deploy(wanted, plan.rollback);
    }
    await target.verify(wanted);
    for (const verifier of params.verifiers ?? []) await verifier(wanted);
    await registry.setAlias(model, alias, wanted.version);
    await deployments.finish('success', `${model} v${wanted.version}${plan.rollback ? ' (rollback)' : ''}`, plan.environmentUrl);
  } catch (error) {
    log.error(`Deploying ${model} v${wanted.version} to ${environment} failed: ${describeError(error)}`);
    let restored = false;
    if (!(error instanceof CanaryFailed) && previous && previous.version !== wanted.version) {
      // Put the environment back on what it ran before; a canary never left it.
      try {
        log.info(`Rolling ${environment} back to v${previous.version}.`);
        await target.deploy(previous, true);
        await registry.setAlias(model, alias, previous.version);
        restored = true;
      } catch (rollbackError) {
        log.error(`Rolling back to v${previous.version} failed too: ${describeError(rollbackError)}. The environment needs a person.`);
      }
    }
    const rolledBack = restored || error instanceof CanaryFailed;
    await deployments.finish('failure', `${model} v${wanted.version} failed${rolledBack ? '; rolled back' : ''}`, plan.environmentUrl);
    return {
      ok: false,
      wanted,
      blessing,
      previous,
      // What the environment runs now: the previous version when restored (or never left), else unknown.
      running: rolledBack ? previous : null,
      rolledBack,
      canary,
      signature,
      error: describeError(error),
      failure:
        error instanceof CanaryFailed
          ? `The canary of ${model} v${wanted.version} failed its checks and was rolled back: ${error.verdict.reasons.join(' ')}`
          : `Deploying ${model} v${wanted.version} to ${environment} failed: ${describeError(error)}${rolledBack && previous ? ` (rolled back to v${previous.version})` : ''}`,
      deploymentId: deployments.id,
    };
  }
  return {
    ok: true,
    wanted,
    blessing,
    previous,
    running: wanted,
    rolledBack: plan.rollback,
    canary,
    signature,
    error: null,
    failure: null,
    deploymentId: deployments.id,
  };
}

/**
 * The canary bake loop: the candidate gets `weight` % of requests for the bake time, the
 * server's statistics are read, and the candidate is promoted or dropped by judgeCanary.
 */
export async function bakeCanary(
  server: CanaryControl,
  candidate: ModelVersion,
  plan: CanaryPlan,
  shown: string,
  log: ReleaseLog,
): Promise<CanaryVerdict> {
  const before = await server.status();
  const stableVersion = before.stable?.version ?? null;
  if (stableVersion === candidate.version) {
    log.info(`${shown} already serves v${candidate.version}: nothing to canary.`);
    return { promote: true, reasons: [], checks: [] };
  }
  await server.resetStats();
  await server.setCandidate(String(candidate.version), plan.weight);
  log.info(`Canary: v${candidate.version} gets ${plan.weight} % of requests for ${plan.bakeSeconds} s.`);
  const pollMs = plan.pollMs ?? 10_000;
  const deadline = Date.now() + plan.bakeSeconds * 1000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
    const now = await server.status();
    const c = now.stats[String(candidate.version)];
    if (c) log.info(`  candidate: ${c.requests} requests, ${c.errors} errors, p99 ${c.p99 === null ? 'n/a' : `${c.p99.toFixed(1)} ms`}`);
  }
  const after = await server.status();
  const empty: VersionStats = { requests: 0, errors: 0, p50: null, p99: null };
  const verdict = judgeCanary(
    after.stats[String(candidate.version)] ?? empty,
    stableVersion === null ? null : (after.stats[String(stableVersion)] ?? null),
    plan.limits,
  );
  if (verdict.promote) {
    await server.promote();
    log.info(`Canary passed every check: v${candidate.version} promoted.`);
  } else {
    await server.dropCandidate();
    log.warning(
      `Canary failed: ${verdict.reasons.join(' ')} v${candidate.version} was removed; ${shown} serves v${stableVersion ?? '?'} again.`,
    );
  }
  return verdict;
}

/** Why a version is not blessed, in words. */
function unblessed(version: ModelVersion): string {
  if (version.blessing) return 'not blessed';
  if (version.problems.length > 0) return `without a readable blessing (${version.problems.join('; ')})`;
  return 'not evaluated (registered without a blessing)';
}

/** Pulls the version into a scratch folder (the pull checks every file's digest) and removes it. */
async function verifyBlobs(registry: Registry, model: string, version: ModelVersion, log: ReleaseLog): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'mlops-deploy-verify-'));
  try {
    await registry.pull(model, version.digest, join(scratch, 'model'));
    log.info(`Verified ${model} v${version.version}: its ${version.files.length} files match their digests.`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function resolveWanted(registry: Registry, model: string, ref: string | null): Promise<ModelVersion> {
  if (ref) return registry.resolve(model, ref);
  const versions = await registry.list(model);
  if (versions.length === 0) throw new UserError(`no versions of ${model} in the registry`, 'Register a model first (the register step).');
  return versions[versions.length - 1]!;
}

async function currentVersion(registry: Registry, model: string, alias: string): Promise<ModelVersion | null> {
  const version = (await registry.aliases(model))[alias];
  return version === undefined ? null : registry.resolve(model, String(version));
}

/** The version the environment ran before its current one, from the alias history. */
async function versionBefore(registry: Registry, model: string, alias: string): Promise<number | null> {
  const history = await registry.aliasHistory(model, alias);
  const current = (await registry.aliases(model))[alias];
  if (current === undefined) return null;
  for (let i = history.length - 1; i >= 0; i--) {
    const version = history[i]!.version;
    if (version !== null && version !== current) return version;
  }
  return null;
}
