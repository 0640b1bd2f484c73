/**
 * Steps in process: a step's run(ctx) with a recording StepIO and an explicit
 * environment (nothing read from this process's), the real adapters behind it
 * (registries, GitHub port, run cache). Fast: no bundle, no child process. The
 * runner's contract itself (INPUT_*, GITHUB_OUTPUT, the summary file, exit status) is
 * proven on the bundles by the action-*.test.ts files.
 */
import { buildContext } from '../../src/adapters/context.js';
import { PROJECT_CONFIG } from '../../src/steps/index.js';
import type { StepContext } from '../../src/steps/context.js';
import type { StepSpec } from '../../src/steps/spec.js';
import { RecordingIO } from './recording-io.js';

export { RecordingIO } from './recording-io.js';
export type { RecordedAnnotation } from './recording-io.js';

export interface InProcessOptions {
  /** Inputs by name as in action.yml; lists one value per line. */
  inputs?: Record<string, string>;
  /** The working directory (relative inputs and the default mlops.yaml are found from it). */
  cwd: string;
  /** The environment the step sees (GITHUB_*, MLOPS_* secrets); nothing else is inherited. */
  env?: Record<string, string>;
  /** Run as on a GitHub runner (annotations, GitHub API when env has a token). Default false. */
  onGitHub?: boolean;
  /** Change the built context before the step runs (for example a registry of the test's). */
  adjust?(ctx: StepContext): StepContext;
}

export interface InProcessResult {
  io: RecordingIO;
  outputs: Record<string, string>;
  /** The step's error (what the action would fail with), or null. */
  error: Error | null;
  /** True when the step failed: threw, or called io.fail. */
  failed: boolean;
}

/** Runs a step's run(ctx) in this process and records what it said; never throws for the step's errors. */
export async function runStepInProcess(step: StepSpec, options: InProcessOptions): Promise<InProcessResult> {
  const io = new RecordingIO(options.inputs ?? {}, options.onGitHub ?? false);
  let error: Error | null = null;
  try {
    let ctx = await buildContext({
      io,
      env: options.env ?? {},
      cwd: options.cwd,
      configSchema: PROJECT_CONFIG,
      configPath: io.getInput('config'),
    });
    if (options.adjust) ctx = options.adjust(ctx);
    await step.run(ctx);
  } catch (caught) {
    error = caught instanceof Error ? caught : new Error(String(caught));
  }
  return { io, outputs: io.outputs, error, failed: error !== null || io.failed !== null };
}
