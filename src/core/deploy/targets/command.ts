/**
 * The command target: the user's deploy command, run with the version's files pulled
 * from the registry, and the user's verify command (for any target). Both run through
 * the one way user commands run (no secret of ours or the runner's unless named) and get
 * MLOPS_MODEL, MLOPS_MODEL_VERSION, MLOPS_MODEL_DIGEST, MLOPS_MODEL_URI, MLOPS_MODEL_DIR,
 * MLOPS_ENVIRONMENT and MLOPS_ROLLBACK.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelVersion, Registry } from '../../../ports/registry.js';
import type { DeployTarget, ReleaseLog, Verifier } from '../release.js';

/** Runs a user's command (the step context's runCommand). */
export type RunCommand = (job: { command: string; what: string; env: Record<string, string>; pass?: readonly string[] }) => Promise<void>;

export interface CommandOptions {
  model: string;
  environment: string;
  registry: Registry;
  run: RunCommand;
  /** Variables withheld by default that the user named for the command. */
  pass: readonly string[];
  /** A folder the version's files are pulled into (in a fresh folder, removed after). */
  scratch: string;
}

export function commandTarget(command: string, options: CommandOptions): DeployTarget {
  return {
    name: 'command',
    shown: 'command',
    async deploy(version: ModelVersion, rollback: boolean) {
      await runWithModel(command, 'deploy command', options, version, rollback);
    },
    async verify() {},
    canary: null,
  };
}

/** The verify command as a check after the deploy. */
export function commandVerifier(command: string, options: CommandOptions, log: ReleaseLog): Verifier {
  return async (version) => {
    await runWithModel(command, 'verify command', options, version, false);
    log.info('Verified: the verify command passed.');
  };
}

async function runWithModel(
  command: string,
  what: string,
  options: CommandOptions,
  version: ModelVersion,
  rollback: boolean,
): Promise<void> {
  await mkdir(options.scratch, { recursive: true });
  const dir = await mkdtemp(join(options.scratch, 'pull-'));
  try {
    const modelDir = join(dir, 'model');
    await options.registry.pull(options.model, String(version.version), modelDir);
    await options.run({
      command,
      what,
      env: {
        MLOPS_MODEL: options.model,
        MLOPS_MODEL_VERSION: String(version.version),
        MLOPS_MODEL_DIGEST: version.digest,
        MLOPS_MODEL_URI: version.uri,
        MLOPS_MODEL_DIR: modelDir,
        MLOPS_ENVIRONMENT: options.environment,
        MLOPS_ROLLBACK: String(rollback),
      },
      pass: options.pass,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
