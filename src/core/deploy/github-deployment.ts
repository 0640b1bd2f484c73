/**
 * The release as a GitHub Deployment: created, moved to in_progress, then success or
 * failure, with the environment URL and the run's log. Best effort: without permission
 * (or on any API error) it warns once and the release goes on unrecorded.
 */
import { describeError } from '../errors.js';
import { GitHubApiError } from '../../ports/github.js';
import type { GitHubPort, RepoRef } from '../../ports/github.js';
import type { ModelVersion } from '../../ports/registry.js';
import type { DeploymentRecorder, ReleaseLog } from './release.js';

export interface GitHubDeploymentOptions {
  github: GitHubPort;
  repo: RepoRef;
  /** The commit deployed (the run's). */
  sha: string;
  model: string;
  /** The environment as GitHub names it. */
  environment: string;
  /** GitHub's production_environment flag. */
  production: boolean;
  /** The run's page, linked from each status. */
  logUrl: string | null;
  log: ReleaseLog;
}

export class GitHubDeployment implements DeploymentRecorder {
  id: number | null = null;
  private disabled = false;

  constructor(private readonly options: GitHubDeploymentOptions) {}

  async start(version: ModelVersion, rollback: boolean): Promise<void> {
    const { github, repo, sha, model, environment, production, logUrl } = this.options;
    await this.call(async () => {
      const deployment = await github.createDeployment(repo, {
        sha,
        environment,
        description: `${model} v${version.version}${rollback ? ' (rollback)' : ''}`.slice(0, 140),
        payload: { model, version: version.version, digest: version.digest, uri: version.uri, rollback },
        productionEnvironment: production,
      });
      this.id = deployment.id;
      await github.createDeploymentStatus(repo, deployment.id, { state: 'in_progress', logUrl: logUrl ?? undefined });
    });
  }

  async finish(state: 'success' | 'failure', description: string, environmentUrl: string): Promise<void> {
    if (this.id === null) return;
    const { github, repo, logUrl } = this.options;
    const id = this.id;
    await this.call(() =>
      github.createDeploymentStatus(repo, id, {
        state,
        description,
        environmentUrl: environmentUrl || undefined,
        logUrl: logUrl ?? undefined,
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
      this.options.log.warning(
        denied
          ? `No GitHub Deployment recorded: the token may not write deployments (${error.message}). Give the job \`permissions: deployments: write\`.`
          : `No GitHub Deployment recorded: ${describeError(error)}`,
      );
    }
  }
}
