import * as core from '@actions/core';
import { describeError } from '../../core/errors.js';
import type { StepSpec } from '../../steps/spec.js';
import { PROJECT_CONFIG } from '../../steps/index.js';
import { buildContext } from '../context.js';
import { GitHubStepIO } from './step-io.js';

/** Runs a step as a GitHub action: any error fails the step with its message, never a stack trace. */
export async function runAction(step: StepSpec, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const io = new GitHubStepIO(env);
    const ctx = await buildContext({ io, env, cwd: process.cwd(), configSchema: PROJECT_CONFIG, configPath: io.getInput('config') });
    await step.run(ctx);
  } catch (error) {
    core.setFailed(`${step.name}: ${describeError(error)}`);
    if (!(error instanceof Error) || error.name !== 'UserError') core.debug(error instanceof Error ? (error.stack ?? '') : String(error));
  }
}
