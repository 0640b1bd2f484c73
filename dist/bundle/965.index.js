export const id = 965;
export const ids = [965];
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


/***/ })

};
