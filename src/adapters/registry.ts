/**
 * Opens the model registry a project names: `oci://host/namespace` (an OCI registry
 * such as ghcr.io: ghcr.io/<owner>) or a folder, from the `registry` input, else
 * registry.url or registry.path in mlops.yaml, else the workspace's `registry` folder.
 * OCI credentials: MLOPS_REGISTRY_TOKEN (any registry), else MLOPS_REGISTRY_USERNAME and
 * MLOPS_REGISTRY_PASSWORD, else, for ghcr.io only, the workflow token (the `token` input,
 * else GITHUB_TOKEN), which the client sends to https://ghcr.io and nowhere else;
 * anonymous without them. Credentials in the address (oci://user:password@host) are
 * refused, and never echoed.
 */
import { join } from 'node:path';
import type { LoadedConfig } from '../core/config/config.js';
import { configPath } from '../core/config/config.js';
import { UserError } from '../core/errors.js';
import { ModelRegistry } from '../core/registry/registry.js';
import type { RegistrySettings } from '../core/registry/settings.js';
import type { Workspace } from '../core/workspace.js';
import type { Registry } from '../ports/registry.js';
import type { SecretName } from '../steps/context.js';
import { DEFAULT_LOCAL_REGISTRY, FolderStore } from './registry/folder-store.js';
import type { OciAuth } from './registry/oci-client.js';
import { GITHUB_REGISTRY } from './registry/oci-client.js';
import { OciStore } from './registry/oci-store.js';

export function openRegistry(
  config: LoadedConfig,
  workspace: Workspace,
  secret: (name: SecretName) => string | undefined,
  location?: string,
  token?: string,
): Registry {
  // Checked at load against RegistrySettings (the register step's section of mlops.yaml).
  const settings = (config.config.registry ?? {}) as RegistrySettings;
  const input = location ?? '';
  const url = input.startsWith('oci://') ? input : !input && typeof settings.url === 'string' ? settings.url : null;
  if (url) {
    // OCI names never hold @, so any @ marks credentials (user:pass@host, even with a / in the password).
    if (url.includes('@')) {
      throw new UserError(
        `registry "${redactUserinfo(url)}" carries credentials in its address, which would end up in logs`,
        'Use oci://host/namespace and give the credentials as the secrets MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD (or MLOPS_REGISTRY_TOKEN).',
      );
    }
    const match = /^oci:\/\/([^/]+)\/(.+?)\/?$/.exec(url);
    if (!match) throw new UserError(`registry "${url}" is not of the form oci://host/namespace`, 'For GitHub: oci://ghcr.io/<owner>.');
    const auth = registryAuth(match[1]!, secret, token);
    const insecure = settings.insecure === true || secret('MLOPS_REGISTRY_INSECURE') === 'true';
    return new ModelRegistry(new OciStore({ registry: match[1]!, namespace: match[2]!, insecure, auth }));
  }
  const root = input
    ? workspace.path(input)
    : typeof settings.path === 'string'
      ? configPath(config, settings.path)
      : join(config.baseDir, DEFAULT_LOCAL_REGISTRY);
  return new ModelRegistry(new FolderStore(root));
}

/**
 * The credentials for the OCI registry at `host`: MLOPS_REGISTRY_TOKEN (any registry), else
 * MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD, else for ghcr.io only the workflow
 * token (`token`, the `token` input, else GITHUB_TOKEN); null (anonymous) without them.
 */
export function registryAuth(host: string, secret: (name: SecretName) => string | undefined, token?: string): OciAuth | null {
  const registryToken = secret('MLOPS_REGISTRY_TOKEN');
  if (registryToken) return { token: registryToken };
  const username = secret('MLOPS_REGISTRY_USERNAME');
  const password = secret('MLOPS_REGISTRY_PASSWORD');
  if (username && password) return { username, password };
  // The workflow token is GitHub's: for ghcr.io only, and after the registry's own credentials.
  const workflowToken = host === GITHUB_REGISTRY ? token || secret('GITHUB_TOKEN') : undefined;
  return workflowToken ? { workflowToken } : null;
}

/** oci://***@host/namespace: everything up to the last @ (the credentials) left out. */
function redactUserinfo(url: string): string {
  return `oci://***@${url.slice(url.lastIndexOf('@') + 1)}`;
}
