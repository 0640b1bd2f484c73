/**
 * Builds a StepContext from an environment (a runner's or a terminal's): the one place
 * that reads environment variables for steps. The GitHub and local runners differ
 * only in their StepIO and in whether the Actions runtime (cache, artifacts) is there.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import type { LoadedConfig } from '../core/config/config.js';
import { loadConfig } from '../core/config/config.js';
import { UserError } from '../core/errors.js';
import { gitCommit, runUrl } from '../core/lineage.js';
import { runUserCommand, userCommandEnvironment } from '../core/process/user-command.js';
import { Workspace } from '../core/workspace.js';
import type { StepIO } from '../ports/step-io.js';
import type { RunCache } from '../ports/storage.js';
import { actionsRuntimeAvailable } from '../ports/storage.js';
import type { Artifacts, GitHubClient, RunEnvironment, SecretName, StepContext } from '../steps/context.js';
import { gitHubFromEnvironment, repositoryOf } from './github/github-api.js';
import { LocalRunCache } from './local/storage.js';
import { openRegistry } from './registry.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/** The run environment from a runner's (or terminal's) variables. */
export function runEnvironmentFrom(env: Environment, onGitHub: boolean, cwd: string): RunEnvironment {
  const repository = repositoryOf(env.GITHUB_REPOSITORY);
  let event: Promise<Record<string, unknown> | null> | null = null;
  return {
    onGitHub,
    repository,
    sha: env.GITHUB_SHA || null,
    ref: env.GITHUB_REF || null,
    refName: env.GITHUB_REF_NAME || null,
    eventName: env.GITHUB_EVENT_NAME || null,
    runId: env.GITHUB_RUN_ID || null,
    runAttempt: env.GITHUB_RUN_ATTEMPT || null,
    runUrl: runUrl(env as NodeJS.ProcessEnv),
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    event() {
      event ??= readEvent(env.GITHUB_EVENT_PATH);
      return event;
    },
    async commit() {
      return env.GITHUB_SHA || (await gitCommit({ ...env, GITHUB_SHA: '' } as NodeJS.ProcessEnv, cwd));
    },
  };
}

async function readEvent(path: string | undefined): Promise<Record<string, unknown> | null> {
  if (!path || !existsSync(path)) return null;
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch (error) {
    throw new UserError(`the event file ${path} is not valid JSON (${(error as Error).message})`);
  }
}

export interface ContextOptions {
  io: StepIO;
  env: Environment;
  cwd: string;
  /** The schema of the whole mlops.yaml (every step's section). */
  configSchema: z.ZodType;
  /** The `config` input (path of mlops.yaml), or '' for mlops.yaml in `cwd` when present. */
  configPath: string;
}

/** Loads mlops.yaml (checked whole) and builds the context a step runs with. */
export async function buildContext(options: ContextOptions): Promise<StepContext> {
  const { io, env, cwd } = options;
  const config: LoadedConfig = await loadConfig(options.configPath || undefined, cwd, options.configSchema);
  const workspace = Workspace.of(config, cwd);
  const runEnv = runEnvironmentFrom(env, io.onGitHub, cwd);
  const runtime = io.onGitHub && actionsRuntimeAvailable(env as NodeJS.ProcessEnv);
  const secret = (name: SecretName): string | undefined => env[name] || undefined;
  return {
    io,
    env: runEnv,
    config,
    workspace,
    secret,
    github(token?: string): GitHubClient | null {
      if (!runEnv.repository) return null;
      return gitHubFromEnvironment(env as NodeJS.ProcessEnv, token || undefined);
    },
    registry(location?: string, token?: string) {
      return openRegistry(config, workspace, secret, location || undefined, token || undefined);
    },
    async runCache(name: string): Promise<RunCache> {
      // GitHub's storage clients are large: loaded only on a runner (a chunk of their own in the bundle).
      if (runtime) return new (await import('./github/storage.js')).GitHubRunCache();
      return new LocalRunCache(join(workspace.dir('cache'), name));
    },
    async artifacts(): Promise<Artifacts | null> {
      if (!runtime) return null;
      return new (await import('./github/storage.js')).GitHubArtifactStore();
    },
    async runCommand(job) {
      await runUserCommand({
        command: job.command,
        what: job.what,
        cwd: job.cwd ?? cwd,
        env: userCommandEnvironment(env, job.env, job.pass),
        onLine: (line) => io.info(`  ${line}`),
      });
    },
  };
}
