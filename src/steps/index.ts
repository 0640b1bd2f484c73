import type { StepSpec } from './spec.js';
import { deploy } from './deploy.js';
import { evaluate } from './evaluate.js';
import { register } from './register.js';
import { train } from './train.js';
import { validateData } from './validate-data.js';

/** The steps that work today, by name. The others arrive with their issues. */
export const STEPS: Record<string, StepSpec> = {
  [validateData.name]: validateData,
  [train.name]: train,
  [evaluate.name]: evaluate,
  [register.name]: register,
  [deploy.name]: deploy,
};
