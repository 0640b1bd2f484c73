/**
 * Jest's Node environment, with the typed-array constructors of the Node realm itself.
 * Jest runs each test file in its own realm, so `instanceof Float32Array` fails for
 * arrays a native addon creates (onnxruntime-node's outputs) and ONNX Runtime refuses
 * its own results ("A float32 tensor's data must be type of Float32Array"). Outside Jest
 * there is one realm and nothing to do.
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class NodeRealmEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = NodeRealmEnvironment;
