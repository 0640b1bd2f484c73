/** mlp: a multi-layer perceptron (dense hidden layers, optional dropout) on TensorFlow.js, exported to ONNX. */
import { z } from 'zod';
import { defineKind } from '../../model.js';
import { TFJS_PARAMS } from '../tfjs/params.js';

// TensorFlow.js loads only when a network is set up or trained: steps that never touch one start without it.
const network = () => import('../tfjs/network.js');

export const mlp = defineKind({
  name: 'mlp',
  description: 'a multi-layer perceptron: dense hidden layers',
  params: {
    ...TFJS_PARAMS,
    /** Hidden layer widths. */
    hidden: z.array(z.number().int().min(1).max(4096)).max(16).default([64, 32]),
    activation: z.enum(['relu', 'elu', 'tanh', 'sigmoid', 'selu', 'gelu']).default('relu'),
    dropout: z.number().min(0).max(0.95).default(0),
  },
  setup: async (warn) => (await network()).setupBackend(warn),
  fit: async (job) =>
    (await network()).fitNetwork('mlp', job, { units: job.params.hidden, activation: job.params.activation, dropout: job.params.dropout }),
});
