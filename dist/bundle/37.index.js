export const id = 37;
export const ids = [37,965];
export const modules = {

/***/ 64965:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   initBackend: () => (/* binding */ initBackend)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_process__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1708);
/* harmony import */ var node_process__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_process__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(53484);
/* harmony import */ var _tensorflow_tfjs_backend_cpu__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(68048);
/* harmony import */ var _tensorflow_tfjs_backend_wasm__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(16744);
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
    return createRequire((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)((0,node_process__WEBPACK_IMPORTED_MODULE_2__.cwd)(), 'package.json'));
}
/**
 * Where the .wasm files are: beside the bundle when built (dist/bundle/, its __dirname
 * from src/shims.ts), else in the tfjs-backend-wasm package installed in the project.
 */
async function wasmDirectory() {
    const here = globalThis.__dirname;
    if (here && (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(here, WASM_FILE)))
        return here;
    try {
        const require = await projectRequire();
        const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, 'dist', WASM_FILE)))
            return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, 'dist');
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
            if (await _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_4__.setBackend('tensorflow'))
                return (chosen = 'tensorflow');
        }
        catch {
            // not installed: fine
        }
    }
    if (!preferred || preferred === 'wasm') {
        const dir = await wasmDirectory();
        if (dir) {
            (0,_tensorflow_tfjs_backend_wasm__WEBPACK_IMPORTED_MODULE_3__/* .setWasmPaths */ .zj)(dir.endsWith('/') ? dir : `${dir}/`);
            try {
                if (await _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_4__.setBackend('wasm')) {
                    await _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_4__.ready();
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
    if (!(await _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_4__.setBackend('cpu')))
        throw new Error(`the TensorFlow.js cpu backend ${_tensorflow_tfjs_backend_cpu__WEBPACK_IMPORTED_MODULE_5__/* .version_cpu */ .Um} did not start`);
    await _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_4__.ready();
    return (chosen = 'cpu');
}
/**
 * The WebAssembly backend multiplies matrices fast only when neither is transposed;
 * its transposed cases (which every backward pass of a dense layer uses) run several
 * times slower. This re-registers BatchMatMul to transpose explicitly first and then
 * multiply on the fast path: the same numbers, about twice the training speed.
 */
function useFastTransposedMatMul(backendName) {
    const matMul = _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_4__.getKernel('BatchMatMul', backendName);
    const transpose = _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_4__.getKernel('Transpose', backendName);
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
    _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_4__.unregisterKernel('BatchMatMul', backendName);
    _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_4__.registerKernel({ ...matMul, kernelFunc: kernelFunc, fastTransposed: true });
}


/***/ }),

/***/ 65037:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NETWORK_FILES: () => (/* reexport safe */ _params_js__WEBPACK_IMPORTED_MODULE_6__.p_),
/* harmony export */   NetworkModel: () => (/* binding */ NetworkModel),
/* harmony export */   fitNetwork: () => (/* binding */ fitNetwork),
/* harmony export */   loadNetwork: () => (/* binding */ loadNetwork),
/* harmony export */   setupBackend: () => (/* binding */ setupBackend)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(53484);
/* harmony import */ var _tensorflow_tfjs_layers__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(99762);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(74296);
/* harmony import */ var _backend_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(64965);
/* harmony import */ var _preprocess_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1107);
/* harmony import */ var _random_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(45114);
/* harmony import */ var _params_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5061);
/**
 * Dense networks on TensorFlow.js, shared by the `linear` and `mlp` kinds: built from a
 * list of hidden layers (none: logistic/linear regression), trained with Adam, a seeded
 * shuffle each epoch, a validation split and early stopping that keeps the best
 * weights. Same data, parameters and seed give the same weights. Saved as model.json
 * and weights.bin (the TensorFlow.js layers format).
 */










/** The backend every network kind runs on (the fastest available). */
function setupBackend(warn) {
    return (0,_backend_js__WEBPACK_IMPORTED_MODULE_4__.initBackend)(undefined, warn);
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
    const regularizer = params.l2 > 0 ? _tensorflow_tfjs_layers__WEBPACK_IMPORTED_MODULE_2__/* .regularizers */ .kF.l2({ l2: params.l2 }) : undefined;
    const layers = [];
    hidden.units.forEach((units, i) => {
        layers.push(_tensorflow_tfjs_layers__WEBPACK_IMPORTED_MODULE_2__/* .layers */ .ZF.dense({
            ...(i === 0 ? { inputShape: [pre.width] } : {}),
            units,
            activation: hidden.activation,
            kernelInitializer: _tensorflow_tfjs_layers__WEBPACK_IMPORTED_MODULE_2__/* .initializers */ .Wm.glorotUniform({ seed: nextSeed() }),
            kernelRegularizer: regularizer,
        }));
        if (hidden.dropout > 0)
            layers.push(_tensorflow_tfjs_layers__WEBPACK_IMPORTED_MODULE_2__/* .layers */ .ZF.dropout({ rate: hidden.dropout, seed: nextSeed() }));
    });
    const out = head(pre);
    layers.push(_tensorflow_tfjs_layers__WEBPACK_IMPORTED_MODULE_2__/* .layers */ .ZF.dense({
        ...(hidden.units.length === 0 ? { inputShape: [pre.width] } : {}),
        units: out.units,
        activation: out.activation,
        kernelInitializer: _tensorflow_tfjs_layers__WEBPACK_IMPORTED_MODULE_2__/* .initializers */ .Wm.glorotUniform({ seed: nextSeed() }),
        kernelRegularizer: regularizer,
    }));
    const model = _tensorflow_tfjs_layers__WEBPACK_IMPORTED_MODULE_2__/* .sequential */ .il({ layers });
    model.compile({ optimizer: _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.train.adam(params.learning_rate), loss: out.loss });
    return model;
}
/** Targets as the network's output expects them. */
function targetTensor(pre, y) {
    if (pre.target.task === 'regression')
        return _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.tensor2d(y, [y.length, 1]);
    const classes = pre.target.classes.length;
    if (classes === 2)
        return _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.tensor2d(Float32Array.from(y), [y.length, 1]);
    return _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.tidy(() => _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.cast(_tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.oneHot(_tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.tensor1d(y, 'int32'), classes), 'float32'));
}
/** Fits a network with `hidden` layers; `algorithm` names the kind the model is. */
async function fitNetwork(algorithm, job, hidden) {
    const { preprocess: pre, params, train, validation } = job;
    const model = buildNetwork(pre, params, hidden, job.seed);
    const n = train.y.length;
    const batchSize = (0,_params_js__WEBPACK_IMPORTED_MODULE_6__/* .batchSizeFor */ .JK)(params.batch_size, n);
    const xAll = _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.tensor2d(train.x, [n, pre.width]);
    const yAll = targetTensor(pre, train.y);
    const xVal = validation && validation.y.length > 0 ? _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.tensor2d(validation.x, [validation.y.length, pre.width]) : null;
    const yVal = xVal && validation ? targetTensor(pre, validation.y) : null;
    const random = (0,_random_js__WEBPACK_IMPORTED_MODULE_8__/* .seededRandom */ .I)(job.seed ^ 0x5eed);
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
            (0,_random_js__WEBPACK_IMPORTED_MODULE_8__/* .shuffleInPlace */ .k)(order, random);
            const indices = _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.tensor1d(order, 'int32');
            const x = _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.gather(xAll, indices);
            const y = _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.gather(yAll, indices);
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
    return {
        model: new NetworkModel(algorithm, model, pre),
        epochs: { run: epochsRun, best: bestEpoch, stoppedEarly, trainingMs: performance.now() - started },
    };
}
/** A fitted network as a TabularModel. */
class NetworkModel {
    algorithm;
    network;
    preprocess;
    constructor(algorithm, network, preprocess) {
        this.algorithm = algorithm;
        this.network = network;
        this.preprocess = preprocess;
    }
    predict(table, rows) {
        return this.predictEncoded((0,_preprocess_js__WEBPACK_IMPORTED_MODULE_5__/* .encodeFeatures */ .yq)(this.preprocess, table, rows), rows.length);
    }
    async predictEncoded(x, rows) {
        if (rows === 0)
            return new Float64Array(0);
        const pre = this.preprocess;
        const input = _tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.tensor2d(x, [rows, pre.width]);
        const output = this.network.predict(input, { batchSize: 4096 });
        const data = (await output.data());
        input.dispose();
        output.dispose();
        const target = pre.target;
        if (target.task === 'regression')
            return Float64Array.from(data, (v) => v * target.std + target.mean);
        if (target.classes.length === 2) {
            // A sigmoid gives P(class 1); expand to two columns.
            const out = new Float64Array(rows * 2);
            for (let i = 0; i < rows; i++) {
                out[i * 2] = 1 - data[i];
                out[i * 2 + 1] = data[i];
            }
            return out;
        }
        return Float64Array.from(data);
    }
    async save(dir) {
        await this.network.save(_tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.io.withSaveHandler(async (artifacts) => {
            const weights = artifacts.weightData
                ? Buffer.concat((Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]).map((b) => Buffer.from(b)))
                : Buffer.alloc(0);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, _params_js__WEBPACK_IMPORTED_MODULE_6__/* .NETWORK_FILES */ .p_.weights), weights);
            const modelJson = {
                format: artifacts.format ?? 'layers-model',
                generatedBy: artifacts.generatedBy,
                convertedBy: artifacts.convertedBy ?? null,
                modelTopology: artifacts.modelTopology,
                weightsManifest: [{ paths: [`./${_params_js__WEBPACK_IMPORTED_MODULE_6__/* .NETWORK_FILES */ .p_.weights}`], weights: artifacts.weightSpecs ?? [] }],
            };
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, _params_js__WEBPACK_IMPORTED_MODULE_6__/* .NETWORK_FILES */ .p_.topology), JSON.stringify(modelJson));
            return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }));
    }
    dispose() {
        // The network's weights, and the optimizer's state (Adam's moments) when it was trained here.
        const optimizer = this.network.optimizer;
        this.network.dispose();
        optimizer?.dispose();
    }
}
/** Loads a network saved by NetworkModel.save. */
async function loadNetwork(algorithm, dir, preprocess) {
    const read = async (name) => {
        try {
            return await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, name));
        }
        catch {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y(`${dir} is not a model directory: ${name} is missing`, 'Point at the model-dir output of train (it holds model.json, weights.bin, preprocess.json).');
        }
    };
    let topology;
    try {
        topology = JSON.parse((await read(_params_js__WEBPACK_IMPORTED_MODULE_6__/* .NETWORK_FILES */ .p_.topology)).toString('utf8'));
    }
    catch (error) {
        if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y)
            throw error;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y(`${dir}: model files are not valid JSON (${error.message})`);
    }
    const weights = await read(_params_js__WEBPACK_IMPORTED_MODULE_6__/* .NETWORK_FILES */ .p_.weights);
    const network = await _tensorflow_tfjs_layers__WEBPACK_IMPORTED_MODULE_2__/* .loadLayersModel */ .O0(_tensorflow_tfjs_core__WEBPACK_IMPORTED_MODULE_7__.io.fromMemory({
        modelTopology: topology.modelTopology,
        weightSpecs: topology.weightsManifest.flatMap((m) => m.weights),
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }));
    return new NetworkModel(algorithm, network, preprocess);
}


/***/ })

};
