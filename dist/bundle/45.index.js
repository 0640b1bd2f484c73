export const id = 45;
export const ids = [45];
export const modules = {

/***/ 11045:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  fitNetwork: () => (/* binding */ fitNetwork),
  setupBackend: () => (/* binding */ setupBackend)
});

// EXTERNAL MODULE: ./node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js
var tf_core_node = __webpack_require__(53484);
// EXTERNAL MODULE: ./node_modules/@tensorflow/tfjs-layers/dist/tf-layers.node.js
var tf_layers_node = __webpack_require__(99762);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:process"
var external_node_process_ = __webpack_require__(1708);
// EXTERNAL MODULE: ./node_modules/@tensorflow/tfjs-backend-cpu/dist/tf-backend-cpu.node.js
var tf_backend_cpu_node = __webpack_require__(68048);
// EXTERNAL MODULE: ./node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.node.js
var tf_backend_wasm_node = __webpack_require__(16744);
;// CONCATENATED MODULE: ./src/core/model/backend.ts
/**
 * The TensorFlow.js backend: tfjs-node when it is installed (an optional
 * accelerator), else WebAssembly (SIMD, from the .wasm files shipped beside the
 * bundle or in node_modules), else the plain JavaScript cpu backend, with a warning.
 */



// Only what tabular models need: the core, layers, and the cpu and wasm backends
// (the @tensorflow/tfjs union package would add WebGL, the converter and data loaders).

// A named import: the package marks its node build free of side effects, so a bare
// `import '…'` would be dropped by the bundler and the cpu backend never registered.


const WASM_FILE = 'tfjs-backend-wasm.wasm';
let chosen = null;
/**
 * A require() that resolves from the user's working directory. Loaded through an
 * import the bundler leaves alone: bundlers rewrite createRequire(...) calls to
 * point into the bundle, which would hide packages the user installed. And `cwd`
 * imported, not `process.cwd()`: ncc evaluates the latter at build time, which made
 * this the build's own package.json (copied into the bundle) instead of the user's.
 */
async function projectRequire() {
    const { createRequire } = (await import(/* webpackIgnore: true */ 'node:module'));
    return createRequire((0,external_node_path_.join)((0,external_node_process_.cwd)(), 'package.json'));
}
/**
 * Where the .wasm files are: beside the bundle when built (dist/bundle/, its __dirname
 * from src/shims.ts), else in the tfjs-backend-wasm package installed in the project.
 */
async function wasmDirectory() {
    const here = globalThis.__dirname;
    if (here && (0,external_node_fs_.existsSync)((0,external_node_path_.join)(here, WASM_FILE)))
        return here;
    try {
        const require = await projectRequire();
        const dir = (0,external_node_path_.dirname)(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
        if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, 'dist', WASM_FILE)))
            return (0,external_node_path_.join)(dir, 'dist');
    }
    catch {
        // not installed there
    }
    return null;
}
/**
 * Initialises the fastest backend available and returns its name. `preferred`
 * ('wasm' or 'cpu', or MLOPS_TF_BACKEND) forces one.
 */
async function initBackend(preferred = process.env.MLOPS_TF_BACKEND, log = () => { }) {
    if (chosen !== null && (!preferred || preferred === chosen))
        return chosen;
    if (!preferred || preferred === 'tensorflow') {
        try {
            // An optional accelerator: used only when the project has it installed.
            (await projectRequire())('@tensorflow/tfjs-node');
            if (await tf_core_node.setBackend('tensorflow'))
                return (chosen = 'tensorflow');
        }
        catch {
            // not installed: fine
        }
    }
    if (!preferred || preferred === 'wasm') {
        const dir = await wasmDirectory();
        if (dir) {
            (0,tf_backend_wasm_node/* setWasmPaths */.zj)(dir.endsWith('/') ? dir : `${dir}/`);
            try {
                if (await tf_core_node.setBackend('wasm')) {
                    await tf_core_node.ready();
                    useFastTransposedMatMul('wasm');
                    return (chosen = 'wasm');
                }
            }
            catch (error) {
                log(`warning: the WebAssembly backend did not start (${error.message}); training on the slower cpu backend`);
            }
        }
        else
            log(`warning: ${WASM_FILE} not found; training on the slower cpu backend`);
    }
    if (!(await tf_core_node.setBackend('cpu')))
        throw new Error(`the TensorFlow.js cpu backend ${tf_backend_cpu_node/* version_cpu */.Um} did not start`);
    await tf_core_node.ready();
    return (chosen = 'cpu');
}
/**
 * The WebAssembly backend multiplies matrices fast only when neither is transposed;
 * its transposed cases (which every backward pass of a dense layer uses) run several
 * times slower. This re-registers BatchMatMul to transpose explicitly first and then
 * multiply on the fast path: the same numbers, about twice the training speed.
 */
function useFastTransposedMatMul(backendName) {
    const matMul = tf_core_node.getKernel('BatchMatMul', backendName);
    const transpose = tf_core_node.getKernel('Transpose', backendName);
    if (!matMul || !transpose || matMul.fastTransposed)
        return;
    const call = (kernel, args) => kernel.kernelFunc(args);
    const flip = (x, args) => {
        const perm = x.shape.map((_, i) => i);
        const r = perm.length;
        [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
        return call(transpose, { inputs: { x }, backend: args.backend, attrs: { perm } });
    };
    const kernelFunc = (args) => {
        const { transposeA, transposeB } = args.attrs;
        if (!transposeA && !transposeB)
            return call(matMul, args);
        const a = transposeA ? flip(args.inputs.a, args) : args.inputs.a;
        const b = transposeB ? flip(args.inputs.b, args) : args.inputs.b;
        try {
            return call(matMul, {
                inputs: { ...args.inputs, a, b },
                backend: args.backend,
                attrs: { ...args.attrs, transposeA: false, transposeB: false },
            });
        }
        finally {
            if (a !== args.inputs.a)
                args.backend.disposeData(a.dataId);
            if (b !== args.inputs.b)
                args.backend.disposeData(b.dataId);
        }
    };
    tf_core_node.unregisterKernel('BatchMatMul', backendName);
    tf_core_node.registerKernel({ ...matMul, kernelFunc: kernelFunc, fastTransposed: true });
}

// EXTERNAL MODULE: ./src/core/model/export-onnx.ts
var export_onnx = __webpack_require__(67775);
// EXTERNAL MODULE: ./src/core/model/random.ts
var model_random = __webpack_require__(45114);
// EXTERNAL MODULE: ./src/core/model/kinds/tfjs/params.ts
var tfjs_params = __webpack_require__(5061);
;// CONCATENATED MODULE: ./src/core/model/kinds/tfjs/network.ts
/**
 * Dense networks on TensorFlow.js, shared by the `linear` and `mlp` kinds: built from a
 * list of hidden layers (none: logistic/linear regression), trained with Adam, a seeded
 * shuffle each epoch, a validation split and early stopping that keeps the best
 * weights. Same data, parameters and seed give the same weights. The fitted network
 * leaves as an ONNX graph with its preprocessing inside (export-onnx.ts): TensorFlow.js
 * trains, ONNX Runtime predicts.
 */






/** The producer version written into exported graphs. */
const TRAINER_BUILD = 'builtin/1';
/** The backend every network kind runs on (the fastest available). */
function setupBackend(warn) {
    return initBackend(undefined, warn);
}
/** Output units and loss for the task. */
function head(pre) {
    if (pre.target.task === 'regression')
        return { units: 1, activation: 'linear', loss: 'meanSquaredError' };
    return pre.target.classes.length === 2
        ? { units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy' }
        : { units: pre.target.classes.length, activation: 'softmax', loss: 'categoricalCrossentropy' };
}
function buildNetwork(pre, params, hidden, seed0) {
    let seed = seed0;
    const nextSeed = () => (seed = (seed * 1103515245 + 12345) % 2147483647);
    const regularizer = params.l2 > 0 ? tf_layers_node/* regularizers */.kF.l2({ l2: params.l2 }) : undefined;
    const layers = [];
    hidden.units.forEach((units, i) => {
        layers.push(tf_layers_node/* layers */.ZF.dense({
            ...(i === 0 ? { inputShape: [pre.width] } : {}),
            units,
            activation: hidden.activation,
            kernelInitializer: tf_layers_node/* initializers */.Wm.glorotUniform({ seed: nextSeed() }),
            kernelRegularizer: regularizer,
        }));
        if (hidden.dropout > 0)
            layers.push(tf_layers_node/* layers */.ZF.dropout({ rate: hidden.dropout, seed: nextSeed() }));
    });
    const out = head(pre);
    layers.push(tf_layers_node/* layers */.ZF.dense({
        ...(hidden.units.length === 0 ? { inputShape: [pre.width] } : {}),
        units: out.units,
        activation: out.activation,
        kernelInitializer: tf_layers_node/* initializers */.Wm.glorotUniform({ seed: nextSeed() }),
        kernelRegularizer: regularizer,
    }));
    const model = tf_layers_node/* sequential */.il({ layers });
    model.compile({ optimizer: tf_core_node.train.adam(params.learning_rate), loss: out.loss });
    return model;
}
/** Targets as the network's output expects them. */
function targetTensor(pre, y) {
    if (pre.target.task === 'regression')
        return tf_core_node.tensor2d(y, [y.length, 1]);
    const classes = pre.target.classes.length;
    if (classes === 2)
        return tf_core_node.tensor2d(Float32Array.from(y), [y.length, 1]);
    return tf_core_node.tidy(() => tf_core_node.cast(tf_core_node.oneHot(tf_core_node.tensor1d(y, 'int32'), classes), 'float32'));
}
/** Fits a network with `hidden` layers; `algorithm` names the kind the model is. */
async function fitNetwork(algorithm, job, hidden) {
    const { preprocess: pre, params, train, validation } = job;
    const model = buildNetwork(pre, params, hidden, job.seed);
    const n = train.y.length;
    const batchSize = (0,tfjs_params/* batchSizeFor */.J)(params.batch_size, n);
    const xAll = tf_core_node.tensor2d(train.x, [n, pre.width]);
    const yAll = targetTensor(pre, train.y);
    const xVal = validation && validation.y.length > 0 ? tf_core_node.tensor2d(validation.x, [validation.y.length, pre.width]) : null;
    const yVal = xVal && validation ? targetTensor(pre, validation.y) : null;
    const random = (0,model_random/* seededRandom */.I)(job.seed ^ 0x5eed);
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const monitorValidation = params.early_stopping.monitor === 'val_loss' && xVal !== null;
    let epochsRun = 0;
    let best = Infinity;
    let bestEpoch = 0;
    let bestWeights = null;
    let sinceBest = 0;
    let stoppedEarly = false;
    const started = performance.now();
    try {
        for (let epoch = 1; epoch <= params.epochs; epoch++) {
            (0,model_random/* shuffleInPlace */.k)(order, random);
            const indices = tf_core_node.tensor1d(order, 'int32');
            const x = tf_core_node.gather(xAll, indices);
            const y = tf_core_node.gather(yAll, indices);
            indices.dispose();
            const fitted = await model.fit(x, y, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
            x.dispose();
            y.dispose();
            const loss = Number(fitted.history.loss?.[0]);
            let valLoss = null;
            if (xVal && yVal) {
                const evaluated = model.evaluate(xVal, yVal, { batchSize: 4096 });
                valLoss = (await evaluated.data())[0];
                evaluated.dispose();
            }
            epochsRun = epoch;
            job.onEpoch({ epoch, epochs: params.epochs, loss, valLoss, elapsedMs: performance.now() - started });
            const monitored = monitorValidation ? valLoss : loss;
            if (!Number.isFinite(monitored))
                break; // diverged: keep the best weights so far
            if (monitored < best - params.early_stopping.min_delta) {
                best = monitored;
                bestEpoch = epoch;
                sinceBest = 0;
                bestWeights?.forEach((w) => w.dispose());
                bestWeights = model.getWeights().map((w) => w.clone());
            }
            else if (++sinceBest >= params.early_stopping.patience) {
                stoppedEarly = true;
                break;
            }
        }
        if (bestWeights)
            model.setWeights(bestWeights);
    }
    catch (error) {
        model.dispose();
        throw error;
    }
    finally {
        bestWeights?.forEach((w) => w.dispose());
        xAll.dispose();
        yAll.dispose();
        xVal?.dispose();
        yVal?.dispose();
    }
    try {
        return {
            onnx: (0,export_onnx/* exportNetwork */.TM)(pre, denseLayers(model), { algorithm, producerVersion: TRAINER_BUILD }),
            epochs: { run: epochsRun, best: bestEpoch, stoppedEarly, trainingMs: performance.now() - started },
        };
    }
    finally {
        // The network's weights, and the optimizer's state (Adam's moments).
        const optimizer = model.optimizer;
        model.dispose();
        optimizer?.dispose();
    }
}
/** The fitted Dense layers (Dropout is the identity at inference), for the ONNX export. */
function denseLayers(model) {
    const layers = [];
    for (const layer of model.layers) {
        if (layer.getClassName() !== 'Dense')
            continue;
        const [kernel, bias] = layer.getWeights();
        const [inputs, units] = kernel.shape;
        const activation = String(layer.getConfig().activation ?? 'linear');
        layers.push({
            kernel: Float32Array.from(kernel.dataSync()),
            bias: bias ? Float32Array.from(bias.dataSync()) : new Float32Array(units),
            inputs,
            units,
            activation,
        });
    }
    return layers;
}


/***/ })

};
