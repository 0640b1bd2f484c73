/** linear: logistic regression (classification) or linear regression, on TensorFlow.js, exported to ONNX. */
import { defineKind } from '../../model.js';
import { TFJS_PARAMS } from '../tfjs/params.js';

// TensorFlow.js loads only when a network is set up or trained: steps that never touch one start without it.
const network = () => import('../tfjs/network.js');

export const linear = defineKind({
  name: 'linear',
  description: 'logistic regression for classes, linear regression for numbers',
  params: TFJS_PARAMS,
  setup: async (warn) => (await network()).setupBackend(warn),
  fit: async (job) => (await network()).fitNetwork('linear', job, { units: [], activation: 'relu', dropout: 0 }),
});
