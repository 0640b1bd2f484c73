import type { StepSpec } from './spec.js';
import { deploy } from './deploy.js';
import { driftCheck } from './drift-check.js';
import { evaluate } from './evaluate.js';
import { register } from './register.js';
import { train } from './train.js';
import { validateData } from './validate-data.js';

/** Every step, by name. */
export const STEPS: Record<string, StepSpec> = {
  [validateData.name]: validateData,
  [train.name]: train,
  [evaluate.name]: evaluate,
  [register.name]: register,
  [deploy.name]: deploy,
  [driftCheck.name]: driftCheck,
};
