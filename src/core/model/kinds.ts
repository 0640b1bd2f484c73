/**
 * The model kinds, by name (the `algorithm` of the train section). Adding a kind is a
 * folder under kinds/ and one line here; train, evaluate and serve reach every kind
 * through this table and the TabularModel interface.
 */
import { z } from 'zod';
import { gbdt } from './kinds/gbdt/index.js';
import { linear } from './kinds/linear/index.js';
import { mlp } from './kinds/mlp/index.js';
import type { ModelKind } from './model.js';

export const MODEL_KINDS = {
  mlp,
  linear,
  gbdt,
} as const satisfies Record<string, ModelKind>;

export type Algorithm = keyof typeof MODEL_KINDS;

/** The names, the default first. */
export const ALGORITHMS = Object.keys(MODEL_KINDS) as [Algorithm, ...Algorithm[]];

export const DEFAULT_ALGORITHM: Algorithm = 'mlp';

export function isAlgorithm(name: string): name is Algorithm {
  return Object.hasOwn(MODEL_KINDS, name);
}

/** The kind named `algorithm` (a registered name). */
export function modelKind(algorithm: Algorithm): ModelKind {
  return MODEL_KINDS[algorithm];
}

/**
 * Every kind's parameters in one shape (with defaults). A key two kinds share (the
 * optimizer's, say) is declared once, by the first kind that has it.
 */
export function kindParamShapes(): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const kind of Object.values(MODEL_KINDS) as ModelKind[])
    for (const [key, schema] of Object.entries(kind.params)) if (!Object.hasOwn(shape, key)) shape[key] = schema as z.ZodType;
  return shape;
}

/** The parameters of `algorithm` from a flat parameter object (other keys ignored), defaults filled. */
export function kindParams(algorithm: Algorithm, params: Record<string, unknown>): Record<string, unknown> {
  return z.object(modelKind(algorithm).params).parse(params) as Record<string, unknown>;
}
