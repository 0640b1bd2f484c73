/** Training hyper-parameters: mlops.yaml's `train:` section, a params file, and inputs. */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { formatZodError } from '../zod-errors.js';

export const TrainParams = z.strictObject({
  /** auto: classification for text targets or few whole numbers, else regression. */
  task: z.enum(['auto', 'classification', 'regression']).default('auto'),
  model: z.enum(['mlp', 'linear']).default('mlp'),
  /** Hidden layer widths (mlp). */
  hidden: z.array(z.number().int().min(1).max(4096)).max(16).default([64, 32]),
  activation: z.enum(['relu', 'elu', 'tanh', 'sigmoid', 'selu', 'gelu']).default('relu'),
  dropout: z.number().min(0).max(0.95).default(0),
  l2: z.number().min(0).default(0),
  learning_rate: z.number().positive().max(10).default(0.001),
  epochs: z.number().int().min(1).max(10000).default(1000),
  /** Rows per step; auto: 32 for small data, growing with the data up to 2048. */
  batch_size: z.union([z.literal('auto'), z.number().int().min(1).max(1_000_000)]).default('auto'),
  validation_split: z.number().min(0).max(0.9).default(0.2),
  early_stopping: z
    .strictObject({
      monitor: z.enum(['val_loss', 'loss']).default('val_loss'),
      patience: z.number().int().min(0).default(30),
      min_delta: z.number().min(0).default(0),
    })
    .default({ monitor: 'val_loss', patience: 30, min_delta: 0 }),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  /** Feature columns (default: all but the target). */
  features: z.array(z.string()).min(1).optional(),
  /** Most frequent values one-hot encoded per text column; the rest share an "unknown" slot. */
  max_categories: z.number().int().min(1).max(10000).default(100),
});
export type TrainParams = z.infer<typeof TrainParams>;

/** Validates parameters; `where` names their source in errors (a file, or "train in mlops.yaml"). */
export function parseTrainParams(value: unknown, where: string): TrainParams {
  const result = TrainParams.safeParse(value ?? {});
  if (!result.success)
    throw new UserError(
      `${where}: invalid training parameters:\n${formatZodError(result.error)}`,
      'See the README section "train" for every parameter.',
    );
  return result.data;
}

/** The batch size for `rows` training rows: as set, or auto (about 64 steps an epoch, between 32 and 2048). */
export function batchSizeFor(params: TrainParams, rows: number): number {
  if (params.batch_size !== 'auto') return Math.min(params.batch_size, Math.max(1, rows));
  const target = rows / 64;
  let size = 32;
  while (size < target && size < 2048) size *= 2;
  return Math.min(size, Math.max(1, rows));
}
