/** linear: logistic regression (classification) or linear regression, on TensorFlow.js. */
import { defineKind } from '../../model.js';
import { fitNetwork, loadNetwork, NETWORK_FILES, setupBackend } from '../tfjs/network.js';
import { TFJS_PARAMS } from '../tfjs/params.js';

export const linear = defineKind({
  name: 'linear',
  description: 'logistic regression for classes, linear regression for numbers',
  params: TFJS_PARAMS,
  files: Object.values(NETWORK_FILES),
  setup: setupBackend,
  fit: (job) => fitNetwork('linear', job, { units: [], activation: 'relu', dropout: 0 }),
  load: (dir, preprocess) => loadNetwork('linear', dir, preprocess),
});
