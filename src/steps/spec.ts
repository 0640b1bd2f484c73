/**
 * How a step is declared, once: its inputs and outputs (from which action.yml, the
 * README's tables and the CLI's flags are generated), its section of mlops.yaml, and
 * its run function over a StepContext. Inputs are read through the functions here,
 * which resolve every input the same way: the input (or CLI flag), else the params
 * file's key, else mlops.yaml's key, else the documented default.
 */
import type { z } from 'zod';
import { configPath } from '../core/config/config.js';
import { UserError } from '../core/errors.js';
import type { StepContext } from './context.js';

export interface InputSpec {
  description: string;
  /** The value used when neither the input nor mlops.yaml sets one (documented, not declared in action.yml, so that mlops.yaml can set it). */
  default?: string;
  choices?: readonly string[];
  /** Several values, one per line (action) or repeated flag (CLI). */
  list?: boolean;
  /** A default written into action.yml (an expression such as `${{ github.token }}`); only for inputs mlops.yaml does not set. */
  actionDefault?: string;
  /** The mlops.yaml key that sets it when the input is not given, as a dotted path: `train.epochs`. */
  config?: string;
  /** How the text is read (default: as text): a whole number, a number, or true/false. */
  type?: 'integer' | 'number' | 'boolean';
  /** Bounds for numbers (inclusive). */
  min?: number;
  max?: number;
}

export interface OutputSpec {
  description: string;
}

/** One step of the pipeline: what it takes, what it gives, its part of mlops.yaml, and how it runs. */
export interface StepSpec {
  name: string;
  title: string;
  description: string;
  inputs: Record<string, InputSpec>;
  outputs: Record<string, OutputSpec>;
  /** The step's own section of mlops.yaml (checked with the whole file at load). */
  config?: { key: string; schema: z.ZodType };
  run(ctx: StepContext): Promise<void>;
}

export class InputError extends UserError {
  constructor(
    readonly input: string,
    detail: string,
  ) {
    super(`input ${input}: ${detail}`, `Set \`${input}\` in the workflow's \`with:\` (or the matching --${input} flag).`);
  }
}

/** Where a resolved value came from, for messages and model cards. */
export type InputSource = 'input' | 'params file' | 'mlops.yaml' | 'default';

export interface Resolved<T> {
  value: T;
  source: InputSource;
}

function specOf(step: StepSpec, name: string): InputSpec {
  const spec = step.inputs[name];
  if (!spec) throw new Error(`step ${step.name} has no input ${name}`);
  return spec;
}

/** The value at a dotted path of an object (own properties only), or undefined. */
export function atPath(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function fromText(spec: InputSpec, name: string, text: string, where: string): string | number | boolean {
  if (spec.choices && !spec.choices.includes(text))
    throw new InputError(name, `"${text}" (${where}) is not one of ${spec.choices.join(', ')}`);
  if (spec.type === 'boolean') {
    if (text !== 'true' && text !== 'false') throw new InputError(name, `"${text}" (${where}) is not true or false`);
    return text === 'true';
  }
  if (spec.type === 'integer' || spec.type === 'number') {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || (spec.type === 'integer' && !Number.isInteger(value)))
      throw new InputError(name, `"${text}" (${where}) is not ${spec.type === 'integer' ? 'a whole number' : 'a number'}`);
    return checkBounds(spec, name, value, where);
  }
  return text;
}

function checkBounds(spec: InputSpec, name: string, value: number, where: string): number {
  if (spec.min !== undefined && value < spec.min) throw new InputError(name, `${value} (${where}) is below ${spec.min}`);
  if (spec.max !== undefined && value > spec.max) throw new InputError(name, `${value} (${where}) is above ${spec.max}`);
  return value;
}

function fromConfigValue(spec: InputSpec, name: string, value: unknown, where: string): string | number | boolean | string[] {
  if (spec.list) {
    const list = Array.isArray(value) ? value : [value];
    return list.map((v) => String(v));
  }
  if (typeof value === 'string') return fromText(spec, name, value, where);
  if (typeof value === 'number') {
    if (spec.type === 'integer' || spec.type === 'number') return checkBounds(spec, name, value, where);
    return String(value);
  }
  if (typeof value === 'boolean') return spec.type === 'boolean' ? value : String(value);
  throw new InputError(name, `${where} holds ${JSON.stringify(value)}, not a single value`);
}

/**
 * An input resolved by the one rule: the input (or flag), else `params[key]` (the params
 * file, keyed by the last part of the input's config key), else mlops.yaml at the input's
 * config key, else its default. undefined when none sets it.
 */
export function resolveInput(
  ctx: StepContext,
  step: StepSpec,
  name: string,
  params?: Record<string, unknown>,
): Resolved<string | number | boolean | string[]> | undefined {
  const spec = specOf(step, name);
  const text = ctx.io.getInput(name);
  if (text !== '') {
    if (spec.list) return { value: splitList(text), source: 'input' };
    return { value: fromText(spec, name, text, 'input'), source: 'input' };
  }
  if (spec.config) {
    const key = spec.config.split('.').pop()!;
    if (params && Object.hasOwn(params, key) && params[key] !== undefined && params[key] !== null)
      return { value: fromConfigValue(spec, name, params[key], `${key} in the params file`), source: 'params file' };
    const configured = atPath(ctx.config.config, spec.config);
    if (configured !== undefined && configured !== null)
      return { value: fromConfigValue(spec, name, configured, `${spec.config} in mlops.yaml`), source: 'mlops.yaml' };
  }
  if (spec.default !== undefined) {
    if (spec.list) return { value: splitList(spec.default), source: 'default' };
    return { value: fromText(spec, name, spec.default, 'default'), source: 'default' };
  }
  return undefined;
}

function splitList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A text input (resolved); undefined when unset. */
export function stringInput(ctx: StepContext, step: StepSpec, name: string, params?: Record<string, unknown>): string | undefined {
  const resolved = resolveInput(ctx, step, name, params);
  return resolved === undefined ? undefined : String(resolved.value);
}

/** A number input (resolved, bounds checked); undefined when unset. */
export function numberInput(ctx: StepContext, step: StepSpec, name: string, params?: Record<string, unknown>): number | undefined {
  const resolved = resolveInput(ctx, step, name, params);
  if (resolved === undefined) return undefined;
  if (typeof resolved.value !== 'number') throw new Error(`input ${name} of ${step.name} is not declared as a number`);
  return resolved.value;
}

/** A true/false input (resolved); undefined when unset. */
export function booleanInput(ctx: StepContext, step: StepSpec, name: string, params?: Record<string, unknown>): boolean | undefined {
  const resolved = resolveInput(ctx, step, name, params);
  if (resolved === undefined) return undefined;
  if (typeof resolved.value !== 'boolean') throw new Error(`input ${name} of ${step.name} is not declared as true/false`);
  return resolved.value;
}

/** A choice input (resolved, checked against its choices); undefined when unset. */
export function choiceInput<T extends string>(
  ctx: StepContext,
  step: StepSpec,
  name: string,
  params?: Record<string, unknown>,
): T | undefined {
  return stringInput(ctx, step, name, params) as T | undefined;
}

/** A list input (resolved): one value per line; [] when unset. */
export function listInput(ctx: StepContext, step: StepSpec, name: string, params?: Record<string, unknown>): string[] {
  const resolved = resolveInput(ctx, step, name, params);
  if (resolved === undefined) return [];
  return Array.isArray(resolved.value) ? resolved.value : [String(resolved.value)];
}

/** Where a path value points: from mlops.yaml, relative to its folder; otherwise (an input, a flag) to the working directory. */
export function placePath(ctx: StepContext, source: InputSource, path: string): string {
  return source === 'mlops.yaml' ? configPath(ctx.config, path) : ctx.workspace.path(path);
}

/** A path input (resolved, then placed by placePath); undefined when unset. */
export function pathInput(ctx: StepContext, step: StepSpec, name: string): string | undefined {
  const resolved = resolveInput(ctx, step, name);
  return resolved === undefined ? undefined : placePath(ctx, resolved.source, String(resolved.value));
}

/** A list of paths (resolved, each placed by placePath); [] when unset. */
export function pathsInput(ctx: StepContext, step: StepSpec, name: string): string[] {
  const resolved = resolveInput(ctx, step, name);
  if (resolved === undefined) return [];
  const values = Array.isArray(resolved.value) ? resolved.value : [String(resolved.value)];
  return values.map((value) => placePath(ctx, resolved.source, value));
}
