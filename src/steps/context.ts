/**
 * What a step is given: everything it needs of the world, built by an adapter
 * (`adapters/github/context.ts` on a runner, `adapters/local/context.ts` from the CLI,
 * a fake in tests). Steps read no environment variables, import no adapter and no
 * other step: they parse their inputs, call one use case of the core, and publish the
 * result through `io`.
 */
import type { LoadedConfig } from '../core/config/config.js';
import type { UserCommand } from '../core/process/user-command.js';
import type { SigningSecretName } from '../core/signing/trust.js';
import type { Workspace } from '../core/workspace.js';
import type { GitHubPort, RepoRef } from '../ports/github.js';
import type { Registry } from '../ports/registry.js';
import type { StepIO } from '../ports/step-io.js';
import type { ArtifactStore, RunCache } from '../ports/storage.js';

/** The run a step is part of: a GitHub Actions workflow run, or a local run (most fields null). */
export interface RunEnvironment {
  /** True on a GitHub Actions runner. */
  readonly onGitHub: boolean;
  /** owner/repo of the workflow run (GITHUB_REPOSITORY), or null. */
  readonly repository: RepoRef | null;
  /** The commit the run is for (GITHUB_SHA), or null. */
  readonly sha: string | null;
  /** The full ref (GITHUB_REF: refs/heads/main, refs/pull/3/merge), or null. */
  readonly ref: string | null;
  /** The short ref name (GITHUB_REF_NAME), or null. */
  readonly refName: string | null;
  /** The event that started the run (GITHUB_EVENT_NAME), or null. */
  readonly eventName: string | null;
  readonly runId: string | null;
  readonly runAttempt: string | null;
  /** The run's page on GitHub, or null. */
  readonly runUrl: string | null;
  /** GitHub's address (GITHUB_SERVER_URL, else https://github.com). */
  readonly serverUrl?: string;
  /** The webhook payload of the run (GITHUB_EVENT_PATH), read once; null outside a workflow run. */
  event(): Promise<Record<string, unknown> | null>;
  /** The commit being built: `sha`, else git's HEAD in the working directory, else null. */
  commit(): Promise<string | null>;
}

/** A GitHub API client and the repository it talks about. */
export interface GitHubClient {
  github: GitHubPort;
  repo: RepoRef;
}

/** Secrets a step may use, by name (never passed on to user commands unless named). */
export type SecretName =
  | 'GITHUB_TOKEN'
  | 'MLOPS_REGISTRY_TOKEN'
  | 'MLOPS_REGISTRY_USERNAME'
  | 'MLOPS_REGISTRY_PASSWORD'
  | 'MLOPS_REGISTRY_INSECURE'
  | 'MLOPS_DEPLOY_SECRET'
  | 'MLOPS_ADMIN_TOKEN'
  | SigningSecretName;

/** Workflow artifacts: only in a JavaScript action step on a runner (null elsewhere). */
export interface Artifacts extends ArtifactStore {
  /** Downloads the artifact `name` of this run into `dir` (replacing what was there). */
  download(name: string, dir: string): Promise<void>;
}

export interface StepContext {
  readonly io: StepIO;
  readonly env: RunEnvironment;
  /** mlops.yaml as named by the `config` input (or found in the working directory), checked whole at load. */
  readonly config: LoadedConfig;
  readonly workspace: Workspace;
  /** A secret from the runner's environment (or the terminal's), or undefined. */
  secret(name: SecretName): string | undefined;
  /** The GitHub API with `token` (the `token` input), else GITHUB_TOKEN; null without a token or outside a repository. */
  github(token?: string): GitHubClient | null;
  /**
   * The model registry: `location` (the `registry` input: a folder or oci://host/namespace), else
   * registry.url / registry.path of mlops.yaml, else the workspace's registry folder. `token` is
   * the `token` input (for ghcr.io only: the workflow token never goes to another registry).
   */
  registry(location?: string, token?: string): Registry;
  /** The run cache: the Actions cache on a runner, else a folder in the workspace. */
  runCache(name: string): Promise<RunCache>;
  /** Workflow artifacts, or null where there are none (locally, or a `run:` step). */
  artifacts(): Promise<Artifacts | null>;
  /**
   * Runs a user's command (trainer, deploy or verify command) with the one environment
   * policy: no secret of ours or the runner's unless named in `pass`.
   */
  runCommand(job: Omit<UserCommand, 'env' | 'onLine'> & { env: Record<string, string>; pass?: readonly string[] }): Promise<void>;
}
