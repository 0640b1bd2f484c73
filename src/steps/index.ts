/**
 * Every step, declared once, in pipeline order. Everything else that lists steps (the
 * bundle's entries, the root action, the CLI's commands and `run`, the tests) derives
 * from this table.
 */
import { projectConfig } from '../core/config/config.js';
import type { StepSpec } from './spec.js';
import { deploy } from './deploy.js';
import { driftCheck } from './drift-check.js';
import { evaluate } from './evaluate.js';
import { register } from './register.js';
import { report } from './report.js';
import { train } from './train.js';
import { validateData } from './validate-data.js';

/** The steps, in the order `mlops run` runs them. */
export const PIPELINE: readonly StepSpec[] = [validateData, train, evaluate, register, deploy, driftCheck];

/** Every step, by name: the pipeline's and the ones that run on their own. */
export const STEPS: Record<string, StepSpec> = Object.fromEntries([...PIPELINE, report].map((step) => [step.name, step]));

export const STEP_NAMES: readonly string[] = Object.keys(STEPS);

/** The schema of the whole mlops.yaml: shared keys plus each step's section. */
export const PROJECT_CONFIG = projectConfig(
  Object.fromEntries(
    Object.values(STEPS)
      .filter((step) => step.config)
      .map((step) => [step.config!.key, step.config!.schema]),
  ),
);
