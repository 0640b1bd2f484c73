/** The parameters every TensorFlow.js kind shares: the optimizer, the epochs, the batch size and early stopping. */
import { z } from 'zod';

export const TFJS_PARAMS = {
  l2: z.number().min(0).default(0),
  learning_rate: z.number().positive().max(10).default(0.001),
  epochs: z.number().int().min(1).max(10000).default(1000),
  /** Rows per step; auto: 32 for small data, growing with the data up to 2048. */
  batch_size: z.union([z.literal('auto'), z.number().int().min(1).max(1_000_000)]).default('auto'),
  early_stopping: z
    .strictObject({
      monitor: z.enum(['val_loss', 'loss']).default('val_loss'),
      patience: z.number().int().min(0).default(30),
      min_delta: z.number().min(0).default(0),
    })
    .default({ monitor: 'val_loss', patience: 30, min_delta: 0 }),
};

export type TfjsParams = z.output<z.ZodObject<typeof TFJS_PARAMS>>;

/** The batch size for `rows` training rows: as set, or auto (about 64 steps an epoch, between 32 and 2048). */
export function batchSizeFor(batchSize: TfjsParams['batch_size'], rows: number): number {
  if (batchSize !== 'auto') return Math.min(batchSize, Math.max(1, rows));
  const target = rows / 64;
  let size = 32;
  while (size < target && size < 2048) size *= 2;
  return Math.min(size, Math.max(1, rows));
}
