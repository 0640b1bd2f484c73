/**
 * The registry target: moving the environment's registry alias is the deploy. Servers
 * that follow the alias (`mlops serve --alias <environment>`) swap to the new version.
 */
import type { DeployTarget } from '../release.js';

export function registryTarget(): DeployTarget {
  return {
    name: 'registry',
    shown: 'registry',
    async deploy() {},
    async verify() {},
    canary: null,
  };
}
