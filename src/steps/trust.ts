/** The signing context of a step: the `signing:` section of mlops.yaml, the signing secrets and the run's repository. */
import { join } from 'node:path';
import { configPath } from '../core/config/config.js';
import type { TrustContext } from '../core/signing/trust.js';
import type { StepContext } from './context.js';

export function trustContext(ctx: StepContext): TrustContext {
  const repository = ctx.env.repository;
  return {
    section: ctx.config.config.signing,
    secret: (name) => ctx.secret(name),
    onGitHub: ctx.env.onGitHub,
    githubRepository: repository ? `${repository.owner}/${repository.repo}` : null,
    githubServer: ctx.env.serverUrl,
    resolvePath: (path) => configPath(ctx.config, path),
    tufCachePath: join(ctx.workspace.dir('cache'), 'sigstore-tuf'),
  };
}
