/**
 * The http target: a signed reload webhook on a serving endpoint (`mlops serve`, or any
 * receiver of the release), a readiness check after it, and, on `mlops serve`, its admin
 * API for the version served and for canaries.
 */
import { UserError } from '../../errors.js';
import type { ModelVersion } from '../../../ports/registry.js';
import type { DeployTarget, ReleaseLog } from '../release.js';
import { ServeClient } from '../serve-client.js';

/** mlops serve's reload route. */
export const SERVE_RELOAD_PATH = '/admin/reload';

export interface HttpTargetOptions {
  url: string;
  /** Signs the webhook and is the admin token of `mlops serve`; '' for none. */
  secret: string;
  model: string;
  environment: string;
  /** The webhook path (default mlops serve's). */
  webhookPath?: string;
  /** The readiness route: default mlops serve's for the model with its webhook, none with another; '' for none. */
  readyPath?: string;
  log: ReleaseLog;
}

export function httpTarget(options: HttpTargetOptions): DeployTarget {
  const { url, secret, model, environment, log } = options;
  const client = new ServeClient(url, secret);
  const ourServer = options.webhookPath === undefined || options.webhookPath === SERVE_RELOAD_PATH;
  const readyPath = options.readyPath ?? (ourServer ? `/v2/models/${encodeURIComponent(model)}/ready` : '');
  return {
    name: 'http',
    shown: url,
    async deploy(version: ModelVersion, rollback: boolean) {
      await client.reload(
        {
          model,
          ref: version.digest,
          version: version.version,
          digest: version.digest,
          uri: version.uri,
          environment,
          rollback,
        },
        options.webhookPath,
      );
      log.info(`${url} accepted v${version.version}.`);
    },
    async verify(version: ModelVersion) {
      if (!readyPath) return;
      if (!(await client.ready(readyPath)))
        throw new UserError(
          `${url} does not answer ready for ${model} (GET ${readyPath})`,
          'Set ready_path for this environment, or "" for none.',
        );
      if (secret && ourServer) {
        const status = await client.status().catch(() => null);
        if (status?.stable && status.stable.version !== null && status.stable.version !== version.version)
          throw new UserError(`${url} serves v${status.stable.version}, not v${version.version}, after the deploy`);
      }
      log.info(`Verified: ${url} is ready and serves v${version.version}.`);
    },
    canary: client,
  };
}
