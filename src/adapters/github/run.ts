import * as core from '@actions/core';
import { describeError } from '../../core/errors.js';
import type { StepSpec } from '../../steps/spec.js';
import { GitHubStepIO } from './step-io.js';

/** Runs a step as a GitHub action: any error fails the step with its message, never a stack trace. */
export async function runAction(step: StepSpec): Promise<void> {
  try {
    await step.run(new GitHubStepIO());
  } catch (error) {
    core.setFailed(`${step.name}: ${describeError(error)}`);
    if (!(error instanceof Error) || error.name !== 'UserError') core.debug(error instanceof Error ? (error.stack ?? '') : String(error));
  }
}
