/**
 * Opens the model registry a project names: `oci://host/namespace` (an OCI registry
 * such as ghcr.io: ghcr.io/<owner>) or a folder, from the `registry` input, else
 * registry.url or registry.path in mlops.yaml, else the workspace's `registry` folder.
 * OCI credentials: MLOPS_REGISTRY_TOKEN, else the `token` input (or GITHUB_TOKEN), else
 * MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD; anonymous without them.
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
    const match = /^oci:\/\/([^/]+)\/(.+?)\/?$/.exec(url);
    if (!match) throw new UserError(`registry "${url}" is not of the form oci://host/namespace`, 'For GitHub: oci://ghcr.io/<owner>.');
    // A registry's own token (a secret for a registry other than ghcr.io) wins over the workflow token.
    const bearer = secret('MLOPS_REGISTRY_TOKEN') || token || secret('GITHUB_TOKEN') || '';
    const username = secret('MLOPS_REGISTRY_USERNAME');
    const password = secret('MLOPS_REGISTRY_PASSWORD');
    const auth = bearer ? { token: bearer } : username && password ? { username, password } : null;
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
