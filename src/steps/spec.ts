import { UserError } from '../core/errors.js';
import type { StepIO } from '../ports/step-io.js';

export interface InputSpec {
  description: string;
  /** The value used when neither the input nor mlops.yaml sets one (documented, not declared in action.yml, so that mlops.yaml can set it). */
  default?: string;
  choices?: readonly string[];
  /** Several values, one per line (action) or repeated flag (CLI). */
  list?: boolean;
  /** A default written into action.yml (an expression such as `${{ github.token }}`); only for inputs mlops.yaml does not set. */
  actionDefault?: string;
}

export interface OutputSpec {
  description: string;
}

/** One step of the pipeline: what it takes, what it gives, and how it runs. */
export interface StepSpec {
  name: string;
  title: string;
  description: string;
  inputs: Record<string, InputSpec>;
  outputs: Record<string, OutputSpec>;
  run(io: StepIO): Promise<void>;
}

/** A list input: one value per line; blank lines and surrounding space are dropped. */
export function listInput(io: StepIO, name: string): string[] {
  return io
    .getInput(name)
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A choice input, checked against its allowed values. */
export function choiceInput<T extends string>(io: StepIO, step: StepSpec, name: string): T | undefined {
  const value = io.getInput(name);
  if (value === '') return undefined;
  const choices = step.inputs[name]?.choices;
  if (choices && !choices.includes(value)) {
    throw new InputError(name, `"${value}" is not one of ${choices.join(', ')}`);
  }
  return value as T;
}

export class InputError extends UserError {
  constructor(
    readonly input: string,
    detail: string,
  ) {
    super(`input ${input}: ${detail}`, `Set \`${input}\` in the workflow's \`with:\` (or the matching --${input} flag).`);
  }
}
