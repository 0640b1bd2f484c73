/** Runs a step from a terminal: inputs from flags, logs on stderr, outputs kept for the caller. */
import { loadConfig } from '../../core/config/config.js';
import type { LoadedConfig } from '../../core/config/config.js';
import { Workspace } from '../../core/workspace.js';
import type { Registry } from '../../ports/registry.js';
import type { StepSpec } from '../../steps/spec.js';
import { PROJECT_CONFIG } from '../../steps/index.js';
import { buildContext } from '../context.js';
import { openRegistry } from '../registry.js';
import { LocalStepIO } from './step-io.js';

export interface LocalRun {
  io: LocalStepIO;
}

/** Runs `step` with `inputs` in `cwd`; errors are thrown (the CLI prints them). */
export async function runLocalStep(
  step: StepSpec,
  inputs: ReadonlyMap<string, string>,
  options: { env?: NodeJS.ProcessEnv; cwd?: string; log?: (line: string) => void } = {},
): Promise<LocalStepIO> {
  const io = new LocalStepIO(inputs, options.log);
  const ctx = await buildContext({
    io,
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
    configSchema: PROJECT_CONFIG,
    configPath: io.getInput('config'),
  });
  await step.run(ctx);
  return io;
}

/** mlops.yaml checked whole (every step's section), as every step loads it. */
export function loadProjectConfig(path: string | undefined, cwd = process.cwd()): Promise<LoadedConfig> {
  return loadConfig(path, cwd, PROJECT_CONFIG);
}

/** The registry a project names (or `location`), for the CLI's registry and serve commands. */
export function projectRegistry(
  loaded: LoadedConfig,
  location?: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Registry {
  return openRegistry(loaded, Workspace.of(loaded, cwd), (name) => env[name] || undefined, location);
}
