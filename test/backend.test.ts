/** The TensorFlow.js backend set-up: WebAssembly chosen, and its faster transposed matrix products exact. */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/core/model/backend.js';

test('initBackend picks the WebAssembly backend', async () => {
  expect(await initBackend('wasm')).toBe('wasm');
  expect(tf.getBackend()).toBe('wasm');
});

test('transposed matrix products give exactly what an explicit transpose gives, and leak nothing', async () => {
  await initBackend('wasm');
  const a = tf.randomNormal([300, 17], 0, 1, 'float32', 1);
  const b = tf.randomNormal([300, 9], 0, 1, 'float32', 2);
  const c = tf.randomNormal([11, 17], 0, 1, 'float32', 3);
  const tensors = tf.memory().numTensors;
  const pairs: Array<[tf.Tensor, tf.Tensor]> = [
    [tf.matMul(a, b, true, false), tf.matMul(tf.transpose(a), b)],
    [tf.matMul(a, c, false, true), tf.matMul(a, tf.transpose(c))],
    [tf.matMul(tf.transpose(a), c, true, true), tf.matMul(a, tf.transpose(c))],
  ];
  for (const [fast, plain] of pairs) {
    expect(fast.shape).toEqual(plain.shape);
    expect(Array.from(await fast.data())).toEqual(Array.from(await plain.data()));
  }
  // A batch of matrices (rank 3) too.
  const batch = tf.randomNormal([4, 6, 5], 0, 1, 'float32', 4);
  const other = tf.randomNormal([4, 6, 3], 0, 1, 'float32', 5);
  expect(Array.from(await tf.matMul(batch, other, true, false).data())).toEqual(
    Array.from(await tf.matMul(tf.transpose(batch, [0, 2, 1]), other).data()),
  );
  const backend = tf.backend() as unknown as { numDataIds(): number };
  const before = backend.numDataIds();
  for (let i = 0; i < 20; i++) {
    tf.tidy(() => {
      tf.matMul(a, b, true, false);
    });
  }
  expect(backend.numDataIds()).toBe(before);
  expect(tf.memory().numTensors).toBeGreaterThan(tensors);
});
