export const id = 529;
export const ids = [529,524];
export const modules = {

/***/ 96323:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ek: () => (/* binding */ writeContract),
/* harmony export */   GY: () => (/* binding */ FILE_NAMES),
/* harmony export */   Jz: () => (/* binding */ readContract),
/* harmony export */   K0: () => (/* binding */ contractPath),
/* harmony export */   U7: () => (/* binding */ SAVED_COMMENT_FORMAT),
/* harmony export */   UA: () => (/* binding */ parseContract),
/* harmony export */   Xd: () => (/* binding */ MODEL_CARD_FORMAT),
/* harmony export */   qn: () => (/* binding */ BLESSING_FORMAT)
/* harmony export */ });
/* unused harmony exports Trainer, Signature, ModelFile, ModelCard, FidelityCheck, Blessing, Evaluation, SavedComment */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var write_file_atomic__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(30238);
/* harmony import */ var write_file_atomic__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(write_file_atomic__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(55491);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(74296);
/* harmony import */ var _zod_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(79673);
/**
 * The files steps hand each other, declared once: the model card (train -> evaluate,
 * register, deploy, serve), the blessing (evaluate -> register, deploy), the evaluation
 * (evaluate -> a later evaluate's baseline) and the saved pull request comment
 * (evaluate -> report). Each has a zod schema, a file name, and one read and one write
 * function; nothing else spells these file names or reads these files.
 *
 * Schemas are loose objects: a file written by a newer version with more keys still
 * reads, and the keys we rely on are checked.
 */






const FILE_NAMES = {
    modelCard: 'model-card.json',
    blessing: 'blessing.json',
    evaluation: 'evaluation.json',
    savedComment: 'comment.json',
    metrics: 'metrics.json',
};
const MetricValues = zod__WEBPACK_IMPORTED_MODULE_4__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig().nullable());
const FileHash = zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ path: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), sha256: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), bytes: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig().optional() });
// ── Model card ────────────────────────────────────────────────────────────────
const MODEL_CARD_FORMAT = 'mlops-model-card/v1';
const Trainer = zod__WEBPACK_IMPORTED_MODULE_4__/* .union */ .KCZ([
    zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({
        kind: zod__WEBPACK_IMPORTED_MODULE_4__/* .literal */ .euz('builtin'),
        version: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(),
        build: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().optional(),
        /** The model kind (algorithm) trained: mlp, linear, ... */
        algorithm: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().optional(),
        /** The same, as cards before `algorithm` named it. */
        model: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().optional(),
        backend: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().optional(),
    }),
    zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({
        kind: zod__WEBPACK_IMPORTED_MODULE_4__/* .literal */ .euz('command'),
        command: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(),
        code: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ path: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), sha256: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP() })).default([]),
    }),
]);
/** What a model takes and gives, whatever trained it (model.ts ModelSignature). */
const Signature = zod__WEBPACK_IMPORTED_MODULE_4__/* .object */ .Ikc({
    features: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_4__/* .object */ .Ikc({ name: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), type: zod__WEBPACK_IMPORTED_MODULE_4__/* ["enum"] */ .k5n(['number', 'string']) })),
    target: zod__WEBPACK_IMPORTED_MODULE_4__/* .union */ .KCZ([
        zod__WEBPACK_IMPORTED_MODULE_4__/* .object */ .Ikc({ name: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), task: zod__WEBPACK_IMPORTED_MODULE_4__/* .literal */ .euz('classification'), classes: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP()) }),
        zod__WEBPACK_IMPORTED_MODULE_4__/* .object */ .Ikc({ name: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), task: zod__WEBPACK_IMPORTED_MODULE_4__/* .literal */ .euz('regression') }),
    ]),
    probabilities: zod__WEBPACK_IMPORTED_MODULE_4__/* .boolean */ .zMY().default(true),
});
const TensorDescription = zod__WEBPACK_IMPORTED_MODULE_4__/* .object */ .Ikc({ name: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), datatype: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), shape: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig()) });
/** The model file: ONNX, with the graph's inputs and outputs as KServe's OIP v2 names their types. */
const ModelFile = zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({
    format: zod__WEBPACK_IMPORTED_MODULE_4__/* .literal */ .euz('onnx'),
    file: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(),
    sha256: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(),
    bytes: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig(),
    producer: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(),
    opsets: zod__WEBPACK_IMPORTED_MODULE_4__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig()),
    inputs: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(TensorDescription),
    outputs: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(TensorDescription),
});
const ModelCard = zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({
    format: zod__WEBPACK_IMPORTED_MODULE_4__/* .literal */ .euz(MODEL_CARD_FORMAT),
    name: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(),
    task: zod__WEBPACK_IMPORTED_MODULE_4__/* ["enum"] */ .k5n(['classification', 'regression']).optional(),
    trainer: Trainer,
    /** The model file (cards before ONNX have none: their directory is converted when loaded). */
    model: ModelFile.optional(),
    signature: Signature.optional(),
    params: zod__WEBPACK_IMPORTED_MODULE_4__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_4__/* .unknown */ .L5J()).default({}),
    paramSources: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().optional(),
    data: zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({
        target: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(),
        features: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP()).optional(),
        classes: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP()).nullable().optional(),
        files: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(FileHash).default([]),
        rows: zod__WEBPACK_IMPORTED_MODULE_4__/* .unknown */ .L5J().optional(),
    }),
    hashes: zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ data: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), params: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), code: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), cacheKey: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP() }).partial().optional(),
    git: zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ commit: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().nullable(), ref: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().nullable() }).partial().optional(),
    run: zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ url: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().nullable(), id: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().nullable(), attempt: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().nullable() }).partial().optional(),
    trainedAt: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().optional(),
    durationMs: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig().optional(),
    epochs: zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ run: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig(), best: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig(), stoppedEarly: zod__WEBPACK_IMPORTED_MODULE_4__/* .boolean */ .zMY().optional(), trainingMs: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig().optional() })
        .optional(),
    // Numbers today; cards written by earlier versions held full metrics (per-class lists, matrices) here too.
    metrics: zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ train: zod__WEBPACK_IMPORTED_MODULE_4__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_4__/* .unknown */ .L5J()).optional(), validation: zod__WEBPACK_IMPORTED_MODULE_4__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_4__/* .unknown */ .L5J()).optional() })
        .default({}),
    /** algorithm: auto: every candidate kind with its validation metrics and training time; the kept one is `chosen`. */
    leaderboard: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ algorithm: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), validation: MetricValues, trainingMs: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig(), chosen: zod__WEBPACK_IMPORTED_MODULE_4__/* .boolean */ .zMY() }))
        .optional(),
    /** Permutation feature importance of the kept model (the drop in `metric` when one column is shuffled), most important first. */
    importance: zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({
        method: zod__WEBPACK_IMPORTED_MODULE_4__/* .literal */ .euz('permutation'),
        metric: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(),
        rows: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig(),
        repeats: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig(),
        /** The rows scored: validation, or training when the run had no validation split. */
        on: zod__WEBPACK_IMPORTED_MODULE_4__/* ["enum"] */ .k5n(['validation', 'training']).optional(),
        features: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ name: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), mean: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig(), std: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig() })),
    })
        .optional(),
});
// ── Blessing ──────────────────────────────────────────────────────────────────
const BLESSING_FORMAT = 'mlops-blessing/v1';
/**
 * The conversion fidelity check of evaluate (core/evaluate/fidelity.ts): the ONNX graph against
 * the original framework's reference predictions. In the blessing and evaluation.json; absent
 * or null when the model directory held no reference predictions (or before the check existed).
 */
const FidelityCheck = zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({
    file: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(),
    task: zod__WEBPACK_IMPORTED_MODULE_4__/* ["enum"] */ .k5n(['classification', 'regression']),
    rows: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig().int().min(0),
    alignedWith: zod__WEBPACK_IMPORTED_MODULE_4__/* ["enum"] */ .k5n(['reference file', 'test data']),
    labelAgreement: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig().min(0).max(1).nullable(),
    differingLabels: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig().int().min(0).nullable(),
    maxDifference: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig().nullable(),
    nonFiniteRows: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig().int().min(0).default(0),
    maxDifferenceAt: zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ row: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig(), column: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), reference: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig(), model: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig() }).nullable(),
    tolerance: zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ maxDifference: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig(), minLabelAgreement: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig() }),
    passed: zod__WEBPACK_IMPORTED_MODULE_4__/* .boolean */ .zMY(),
    reasons: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP()),
});
const Blessing = zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({
    format: zod__WEBPACK_IMPORTED_MODULE_4__/* .literal */ .euz(BLESSING_FORMAT),
    blessed: zod__WEBPACK_IMPORTED_MODULE_4__/* .boolean */ .zMY(),
    reasons: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP()),
    checks: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ metric: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().optional() })).default([]),
    /**
     * The model judged: its name, where it was read, and the sha256 of its model.onnx
     * (`sha256:<hex>`; null when evaluate judged a predictions file). register refuses a
     * blessing whose digest is not that of the model it registers.
     */
    model: zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ name: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), source: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), digest: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().nullable().optional() }),
    metrics: MetricValues.default({}),
    baseline: zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ source: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP() }).nullable().default(null),
    /** The conversion fidelity check; a failed one is among the reasons. */
    fidelity: FidelityCheck.nullable().optional(),
    evaluatedAt: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(),
});
// ── Evaluation ────────────────────────────────────────────────────────────────
/** evaluation.json: the report data without curves; later evaluations read its candidate metrics as a baseline. */
const Evaluation = zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({
    modelName: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(),
    candidate: zod__WEBPACK_IMPORTED_MODULE_4__/* .looseObject */ ._H3({ source: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), metrics: zod__WEBPACK_IMPORTED_MODULE_4__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_4__/* .unknown */ .L5J()) }),
    /** How the task of a predictions file was chosen; null for a model. */
    taskReason: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().nullable().optional(),
    fidelity: FidelityCheck.nullable().optional(),
    evaluatedAt: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(),
});
// ── Saved pull request comment ────────────────────────────────────────────────
const SAVED_COMMENT_FORMAT = 'mlops-comment/v1';
/** What a pull request run saves for the fork-safe reporter. Untrusted when read back: bounded everywhere. */
const SavedComment = zod__WEBPACK_IMPORTED_MODULE_4__/* .object */ .Ikc({
    format: zod__WEBPACK_IMPORTED_MODULE_4__/* .literal */ .euz(SAVED_COMMENT_FORMAT),
    pullRequest: zod__WEBPACK_IMPORTED_MODULE_4__/* .number */ .aig().int().positive(),
    headSha: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().regex(/^[0-9a-f]{40}$/),
    key: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().min(1).max(200),
    header: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().max(65_536),
    sections: zod__WEBPACK_IMPORTED_MODULE_4__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_4__/* .object */ .Ikc({ title: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().max(500), body: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP(), fold: zod__WEBPACK_IMPORTED_MODULE_4__/* .boolean */ .zMY().optional() })).max(50),
    footer: zod__WEBPACK_IMPORTED_MODULE_4__/* .string */ .YjP().max(2000),
});
const CONTRACTS = {
    modelCard: {
        schema: ModelCard,
        file: FILE_NAMES.modelCard,
        what: 'a model card',
        hint: 'Train the model with `train` (or write model-card.json as the README describes).',
    },
    blessing: {
        schema: Blessing,
        file: FILE_NAMES.blessing,
        what: 'a blessing of evaluate',
        hint: 'Run evaluate on this model first: it writes blessing.json.',
    },
    evaluation: {
        schema: Evaluation,
        file: FILE_NAMES.evaluation,
        what: 'an evaluation of evaluate',
        hint: 'Give the evaluation.json that evaluate wrote.',
    },
    savedComment: {
        schema: SavedComment,
        file: FILE_NAMES.savedComment,
        what: 'a saved comment of evaluate',
        hint: 'Give the comment.json of a pull request run of evaluate.',
    },
};
/** Checks a value against a contract; a UserError naming `source` and every bad key otherwise. */
function parseContract(name, value, source) {
    const contract = CONTRACTS[name];
    const result = contract.schema.safeParse(value);
    if (!result.success)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y(`${source} is not ${contract.what}:\n${(0,_zod_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .formatZodError */ .l)(result.error)}`, contract.hint);
    return result.data;
}
/** The path of a contract's file in `dir`. */
function contractPath(name, dir) {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, CONTRACTS[name].file);
}
/**
 * Reads a contract file: `path` is the file itself or a folder holding it (by its
 * standard name). null when the file does not exist; a UserError when it is not valid.
 */
async function readContract(name, path, shownAs = path) {
    const file = path.endsWith('.json') ? path : contractPath(name, path);
    let text;
    try {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(file, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return null;
        throw error;
    }
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y(`${shownAs}: not valid JSON (${error.message})`, CONTRACTS[name].hint);
    }
    return parseContract(name, value, shownAs);
}
/** Writes a contract file atomically (checked first: nothing invalid is written); returns its path. */
async function writeContract(name, dir, value) {
    const checked = parseContract(name, value, `the ${CONTRACTS[name].file} being written`);
    const file = contractPath(name, dir);
    await write_file_atomic__WEBPACK_IMPORTED_MODULE_2___default()(file, `${JSON.stringify(checked, null, 2)}\n`);
    return file;
}


/***/ }),

/***/ 26207:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Tz: () => (/* binding */ detectFormat),
/* harmony export */   oD: () => (/* binding */ openSource)
/* harmony export */ });
/* unused harmony exports DATA_FORMATS, detectUnsupportedEncoding */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(38522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(74296);
/** Opening data files: format from the name, gzip from the content, bytes as a stream. */




const DATA_FORMATS = (/* unused pure expression or super */ null && (['csv', 'tsv', 'jsonl']));
const EXTENSIONS = {
    csv: 'csv',
    tsv: 'tsv',
    tab: 'tsv',
    jsonl: 'jsonl',
    ndjson: 'jsonl',
};
/** The format of a file from its name (`.csv`, `.tsv`, `.jsonl`, each optionally `.gz`), unless given. */
function detectFormat(path, format = 'auto') {
    if (format !== 'auto')
        return format;
    const parts = path.toLowerCase().split('/').pop().split('.');
    if (parts.at(-1) === 'gz')
        parts.pop();
    const found = EXTENSIONS[parts.at(-1) ?? ''];
    if (!found) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y(`${path}: cannot tell the format from the file name`, 'Name the file .csv, .tsv or .jsonl (optionally .gz), or set the format (input `format`, flag --format).');
    }
    return found;
}
const CHUNK_SIZE = 1 << 20;
/** Opens a data file; `chunkSize` is the size of the pieces read (and decompressed) at once. */
/** Opens the data file at `path`; messages name it `name` (how people know it: relative to their working directory). */
async function openSource(path, chunkSize = CHUNK_SIZE, name = path) {
    let size;
    let gzip = false;
    try {
        const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(path);
        if (info.isDirectory())
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y(`${name} is a directory, not a data file`, 'Give a file, or a glob such as data/*.csv.');
        size = info.size;
        const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(path, 'r');
        try {
            const head = Buffer.alloc(ENCODING_SNIFF_BYTES);
            const { bytesRead } = await handle.read(head, 0, head.length, 0);
            gzip = bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b;
            if (!gzip)
                checkEncoding(head.subarray(0, bytesRead), name);
        }
        finally {
            await handle.close();
        }
    }
    catch (error) {
        if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y)
            throw error;
        const code = error.code;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y(`cannot read data file ${name}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`, 'Check the path (relative paths start at the working directory, or at mlops.yaml for paths in it).');
    }
    const file = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(path, { highWaterMark: chunkSize });
    const chunks = gzip ? file.pipe((0,node_zlib__WEBPACK_IMPORTED_MODULE_2__.createGunzip)({ chunkSize })) : file;
    file.on('error', (error) => chunks.destroy(error));
    return {
        size,
        gzip,
        chunks: gzip ? checkedChunks(readChunks(chunks, name), name) : readChunks(chunks, name),
        bytesRead: () => file.bytesRead,
    };
}
async function* readChunks(stream, path) {
    try {
        for await (const chunk of stream)
            yield chunk;
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y(`${path}: could not be read to the end: ${message}`, 'The file may be truncated or not valid gzip; check how it was written.');
    }
}
/** How much of the start of a file is looked at to tell its encoding. */
const ENCODING_SNIFF_BYTES = 1024;
/**
 * The encoding of text that is not UTF-8 (nor ASCII) but UTF-16 or UTF-32, as
 * Excel's "Unicode Text" and Windows tools (PowerShell 5 `>`) write it, or
 * null. Byte-order marks first; UTF-16 without one shows as NUL bytes in most
 * odd (little-endian) or even (big-endian) positions, since CSV text is mostly
 * ASCII. A UTF-8 byte-order mark is not reported: readers skip it.
 */
function detectUnsupportedEncoding(head) {
    const [b0, b1, b2, b3] = head;
    if (head.length >= 4 && b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0)
        return 'UTF-32LE (byte-order mark FF FE 00 00)';
    if (head.length >= 4 && b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)
        return 'UTF-32BE (byte-order mark 00 00 FE FF)';
    if (head.length >= 2 && b0 === 0xff && b1 === 0xfe)
        return 'UTF-16LE (byte-order mark FF FE)';
    if (head.length >= 2 && b0 === 0xfe && b1 === 0xff)
        return 'UTF-16BE (byte-order mark FE FF)';
    const pairs = head.length >> 1;
    if (pairs < 2)
        return null;
    let evenNuls = 0;
    let oddNuls = 0;
    for (let i = 0; i + 1 < head.length; i += 2) {
        if (head[i] === 0)
            evenNuls++;
        if (head[i + 1] === 0)
            oddNuls++;
    }
    if (oddNuls >= pairs * 0.4 && evenNuls <= pairs * 0.05)
        return 'UTF-16LE (no byte-order mark: NUL bytes at odd positions)';
    if (evenNuls >= pairs * 0.4 && oddNuls <= pairs * 0.05)
        return 'UTF-16BE (no byte-order mark: NUL bytes at even positions)';
    return null;
}
/** Throws a UserError naming file `name` when `head` (its first bytes) is UTF-16 or UTF-32 text. */
function checkEncoding(head, name) {
    const encoding = detectUnsupportedEncoding(head);
    if (encoding === null)
        return;
    const from = encoding.startsWith('UTF-32') ? 'UTF-32' : 'UTF-16';
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y(`${name}: the file is ${encoding} text; data files must be UTF-8`, `Save it as UTF-8 ("CSV UTF-8" in Excel's Save As), or convert it: iconv -f ${from} -t UTF-8 ${name} > converted.csv`);
}
/** Passes on decompressed chunks after checking the encoding of their first bytes. */
async function* checkedChunks(chunks, name) {
    const held = [];
    let heldBytes = 0;
    let checked = false;
    for await (const chunk of chunks) {
        if (checked) {
            yield chunk;
            continue;
        }
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes < ENCODING_SNIFF_BYTES)
            continue;
        const head = Buffer.concat(held);
        checkEncoding(head.subarray(0, ENCODING_SNIFF_BYTES), name);
        checked = true;
        yield* held;
        held.length = 0;
    }
    if (!checked) {
        checkEncoding(Buffer.concat(held), name);
        yield* held;
    }
}


/***/ }),

/***/ 60524:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readTable: () => (/* binding */ readTable),
/* harmony export */   tableColumn: () => (/* binding */ tableColumn)
/* harmony export */ });
/* harmony import */ var _delimited_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4763);
/* harmony import */ var _source_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(26207);
/* harmony import */ var _values_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(12912);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(74296);
/**
 * A data set read into memory, column by column, for training and evaluation.
 * Numbers live in Float64Arrays (NaN for a missing or non-numeric cell); a column
 * that holds any text also keeps its texts (null for missing). Reads CSV, TSV and
 * JSON Lines (gzip too) with the same tokenizer and value rules as validate-data.
 */




class ColumnBuilder {
    name;
    numbers = new Float64Array(1024);
    texts = null;
    present = 0;
    numeric = 0;
    constructor(name) {
        this.name = name;
    }
    /**
     * Sets one cell. NaN and infinities count as missing numbers. Once a column holds
     * text, its numeric cells read as their canonical text (`007` and `7.0` as `7`), as
     * validate-data's domains do, so the same value always encodes the same way.
     */
    set(row, kind, value, text) {
        if (row >= this.numbers.length) {
            const grown = new Float64Array(this.numbers.length * 2);
            grown.set(this.numbers);
            grown.fill(NaN, this.numbers.length);
            this.numbers = grown;
        }
        if (kind === _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Null || kind === _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.NaN || kind === _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Infinity) {
            this.numbers[row] = NaN;
            if (this.texts)
                this.texts[row] = null;
            return;
        }
        this.present++;
        if (kind === _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Integer || kind === _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Number) {
            this.numeric++;
            this.numbers[row] = value;
            if (this.texts)
                this.texts[row] = String(value);
            return;
        }
        this.numbers[row] = NaN;
        if (!this.texts) {
            // The first text: earlier rows keep their numbers as text.
            this.texts = [];
            for (let r = 0; r < row; r++)
                this.texts[r] = Number.isNaN(this.numbers[r]) ? null : String(this.numbers[r]);
        }
        this.texts[row] = kind === _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Boolean ? (value ? 'true' : 'false') : text();
    }
    finish(rows) {
        const numbers = this.numbers.length === rows ? this.numbers : this.numbers.slice(0, rows);
        if (this.numbers.length < rows)
            numbers.fill(NaN, this.numbers.length);
        const texts = this.texts ? Array.from({ length: rows }, (_, r) => this.texts[r] ?? null) : null;
        return { name: this.name, numbers, texts, present: this.present, numeric: this.numeric };
    }
}
/** Reads files (one table: the same columns in each, by name) into memory. */
async function readTable(files, options = {}) {
    if (files.length === 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y('no data files to read');
    const classifier = new _values_js__WEBPACK_IMPORTED_MODULE_1__/* .ValueClassifier */ .Dw(options.nullValues ?? _values_js__WEBPACK_IMPORTED_MODULE_1__/* .DEFAULT_NULL_VALUES */ .LL);
    const builders = new Map();
    const builder = (name) => {
        let b = builders.get(name);
        if (!b) {
            b = new ColumnBuilder(name);
            b.numbers.fill(NaN);
            builders.set(name, b);
        }
        return b;
    };
    let rows = 0;
    for (const file of files) {
        const format = (0,_source_js__WEBPACK_IMPORTED_MODULE_0__/* .detectFormat */ .Tz)(file, options.format);
        const source = await (0,_source_js__WEBPACK_IMPORTED_MODULE_0__/* .openSource */ .oD)(file);
        if (format === 'jsonl') {
            let pending = null;
            let line = 0;
            const handle = (buf, start, end) => {
                line++;
                const text = (0,_values_js__WEBPACK_IMPORTED_MODULE_1__/* .decodeText */ .g7)(buf, start, end > start && buf[end - 1] === 13 ? end - 1 : end);
                if (text.trim() === '')
                    return;
                let value;
                try {
                    value = JSON.parse(text);
                }
                catch (error) {
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${file}:${line}: not JSON (${error.message})`, 'Run validate-data on this file to find every bad line.');
                }
                if (value === null || typeof value !== 'object' || Array.isArray(value))
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${file}:${line}: not a JSON object`);
                for (const [name, cell] of Object.entries(value)) {
                    const b = builder(name);
                    if (cell === null || cell === undefined)
                        b.set(rows, _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Null, 0, () => '');
                    else if (typeof cell === 'number')
                        b.set(rows, Number.isFinite(cell) ? _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Number : _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Infinity, cell, () => String(cell));
                    else if (typeof cell === 'boolean')
                        b.set(rows, _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Boolean, cell ? 1 : 0, () => String(cell));
                    else if (typeof cell === 'string') {
                        const kind = classifier.classifyText(cell);
                        b.set(rows, kind === _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Null ? _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Null : _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.String, 0, () => cell);
                    }
                    else
                        b.set(rows, _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.String, 0, () => JSON.stringify(cell));
                }
                rows++;
            };
            for await (const chunk of source.chunks) {
                const buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
                let start = 0;
                for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
                    handle(buf, start, nl);
                    start = nl + 1;
                }
                pending = start < buf.length ? buf.subarray(start) : null;
            }
            if (pending)
                handle(pending, 0, pending.length);
            continue;
        }
        const tokenizer = new _delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .DelimitedTokenizer */ .N0(format === 'tsv' ? 9 : 44);
        let header = null;
        const sink = {
            record(buf, starts, ends, flags, count, line) {
                const text = (i) => {
                    const raw = (0,_values_js__WEBPACK_IMPORTED_MODULE_1__/* .decodeText */ .g7)(buf, starts[i], ends[i]);
                    return flags[i] & _delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .FIELD_ESCAPED_QUOTES */ .RP ? (0,_delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .unescapeQuotes */ .E9)(raw) : raw;
                };
                const open = (0,_delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .unterminatedField */ .Tl)(flags, count);
                if (open >= 0) {
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${file}: ${(0,_delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .unterminatedQuoteMessage */ .OY)(file, (0,_delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .openingQuote */ .vv)(buf, starts, flags, open, line))}`, `${_delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .UNTERMINATED_QUOTE_HINT */ .wd} Run validate-data on this file to find every malformed row.`);
                }
                if (header === null) {
                    header = [];
                    for (let i = 0; i < count; i++)
                        header.push(builder(text(i)));
                    return;
                }
                for (let i = 0; i < count; i++) {
                    if (flags[i] & _delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .FIELD_MALFORMED */ .bL) {
                        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${file}:${line}: a quoted field is not closed properly`, 'Run validate-data on this file to find every malformed row.');
                    }
                }
                if (count !== header.length) {
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${file}:${line}: ${count} fields where the header has ${header.length}`, 'Run validate-data on this file to find every malformed row.');
                }
                for (let i = 0; i < count; i++) {
                    const kind = classifier.classify(buf, starts[i], ends[i]);
                    header[i].set(rows, kind, classifier.value, () => text(i));
                }
                rows++;
            },
        };
        await (0,_delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .tokenizeChunks */ .Cz)(source.chunks, tokenizer, sink);
    }
    if (rows === 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`no data rows in ${files.join(', ')}`);
    return { rows, columns: [...builders.values()].map((b) => b.finish(rows)), files: [...files] };
}
function tableColumn(table, name, what = 'column') {
    const column = table.columns.find((c) => c.name === name);
    if (!column) {
        const names = table.columns.map((c) => c.name);
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${what} "${name}" is not in ${table.files.join(', ')}`, `Columns there: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}.`);
    }
    return column;
}


/***/ }),

/***/ 67775:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Gq: () => (/* binding */ featureInputs),
/* harmony export */   HU: () => (/* binding */ integerClasses),
/* harmony export */   TM: () => (/* binding */ exportNetwork),
/* harmony export */   XB: () => (/* binding */ tfjsDirToOnnx),
/* harmony export */   Yq: () => (/* binding */ encodedFeatures),
/* harmony export */   bI: () => (/* binding */ ONNX_OUTPUTS),
/* harmony export */   nB: () => (/* binding */ graphBuilderFor),
/* harmony export */   zi: () => (/* binding */ modelWithMetadata)
/* harmony export */ });
/* unused harmony exports DENSE_ACTIVATIONS, ONNX_METADATA, ONNX_PRODUCER, ONNX_IR_VERSION, ONNX_OPSETS, internalPrefix, networkProblem, GraphBuilder */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(74296);
/* harmony import */ var _onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(84148);
/**
 * Exports a fitted built-in dense network to ONNX with its preprocessing inside the
 * graph, so the graph takes the raw table columns and ONNX Runtime alone predicts; shares
 * the pieces of that contract with the other exporters (the tree ensembles of
 * kinds/gbdt/export.ts): the checked builder, the preprocessing subgraph (numbers
 * standardized for networks, raw for trees), the inputs and the model's metadata; and
 * converts a model directory of the format before ONNX (TensorFlow.js layers: model.json
 * + weights.bin) to the same graph, without loading TensorFlow.js.
 *
 * Convention: the graph contract the rest of the project relies on.
 * - Inputs: one per feature, in `pre.features` order, named exactly as the column. Numbers
 *   are float32 [N, 1] (missing as NaN); text is string [N, 1] (missing as "").
 * - Numbers: every non-finite value takes the training mean (IsNaN, IsInf, Or, Where),
 *   then (x - mean) / std; the numeric columns are done together, as one [N, m] tensor.
 *   Text: ai.onnx.ml LabelEncoder (each category to its index; anything else, "" too, to
 *   k, the unknown slot), OneHot of depth k + 1 to float, squeezed to [N, k + 1]. The
 *   blocks are concatenated in feature order to [N, pre.width]: exactly `encodeFeatures`.
 * - Then each dense layer as Gemm and its activation, with TensorFlow.js's definitions:
 *   gelu is the erf form x * 0.5 * (1 + erf(x / sqrt 2)), selu and elu use its constants.
 * - Outputs: for classification `label` (the class at the argmax: int64 when every class
 *   is an integer in decimal text, else string; [N]) and `probabilities` (float [N, C], in
 *   `target.classes` order; a binary network's single sigmoid unit p gives [1 - p, p]);
 *   for regression `variable` (float [N, 1], y * std + mean, in the target's units).
 * - Every internal tensor and node name starts with a prefix no column name starts with
 *   ("mlops/" unless a column does), so column names may be anything.
 * - ai.onnx opset 15, ai.onnx.ml opset 2, IR version 8, producer "mlops-actions"; metadata
 *   mlops.algorithm, mlops.features (JSON [{name, type}]) and mlops.target (JSON {name,
 *   task, classes?}).
 */




const DENSE_ACTIVATIONS = ['relu', 'elu', 'tanh', 'sigmoid', 'selu', 'gelu', 'linear', 'softmax'];
/** The graph's outputs, by task. */
const ONNX_OUTPUTS = { label: 'label', probabilities: 'probabilities', variable: 'variable' };
/** The metadata_props keys the exporter writes. */
const ONNX_METADATA = { algorithm: 'mlops.algorithm', features: 'mlops.features', target: 'mlops.target' };
const ONNX_PRODUCER = 'mlops-actions';
const ONNX_IR_VERSION = 8;
const ONNX_OPSETS = { '': 15, 'ai.onnx.ml': 2 };
/** TensorFlow.js's SELU constants (tfjs-core selu_util): scale, and scale * alpha. */
const SELU_SCALE = 1.0507009873554805;
const SELU_SCALE_ALPHA = 1.7580993408473768;
/** The first internal-name prefix no name in `names` starts with: "mlops/", else "mlops1/", ... */
function internalPrefix(names) {
    for (let i = 0;; i++) {
        const prefix = i === 0 ? 'mlops/' : `mlops${i}/`;
        if (!names.some((n) => n.startsWith(prefix)))
            return prefix;
    }
}
/** Whether every class is an integer in canonical decimal text that fits int64 (the label output is then int64). */
function integerClasses(classes) {
    return classes.every((c) => /^-?(?:0|[1-9]\d{0,18})$/.test(c) && BigInt(c) >= -(2n ** 63n) && BigInt(c) < 2n ** 63n && c !== '-0');
}
/** What is wrong with `layers` for `pre` (shapes, chaining, the head the task needs), or null. */
function networkProblem(pre, layers) {
    if (layers.length === 0)
        return 'the network has no dense layers';
    for (const [i, layer] of layers.entries()) {
        const which = `dense layer ${i + 1} of ${layers.length}`;
        if (!Number.isInteger(layer.inputs) || layer.inputs < 1 || !Number.isInteger(layer.units) || layer.units < 1)
            return `${which} has ${layer.inputs} inputs and ${layer.units} units`;
        if (layer.kernel.length !== layer.inputs * layer.units)
            return `${which}: its kernel holds ${layer.kernel.length} values, not ${layer.inputs} x ${layer.units}`;
        if (layer.bias.length !== layer.units)
            return `${which}: its bias holds ${layer.bias.length} values, not ${layer.units}`;
        if (!DENSE_ACTIVATIONS.includes(layer.activation))
            return `${which} has the activation "${String(layer.activation)}"`;
        const expected = i === 0 ? pre.width : layers[i - 1].units;
        if (layer.inputs !== expected)
            return i === 0
                ? `${which} takes ${layer.inputs} inputs, but the preprocessing encodes ${pre.width} columns`
                : `${which} takes ${layer.inputs} inputs, but the layer before gives ${expected}`;
    }
    const last = layers.at(-1);
    const target = pre.target;
    if (target.task === 'regression') {
        if (last.units !== 1)
            return `the last layer has ${last.units} units; a regression network ends with 1`;
    }
    else {
        const c = target.classes.length;
        const binary = c === 2 && last.units === 1 && last.activation === 'sigmoid';
        if (!binary && !(last.units === c && last.activation === 'softmax'))
            return (`the last layer has ${last.units} ${last.activation} units; a network of ${c} classes ends with ` +
                (c === 2 ? '1 sigmoid unit (or 2 softmax units)' : `${c} softmax units`));
    }
    return null;
}
/** Collects the nodes and initializers of a graph, every name under one prefix. */
class GraphBuilder {
    prefix;
    nodes = [];
    initializers = [];
    constants = new Map();
    constructor(prefix) {
        this.prefix = prefix;
    }
    /** An initializer named prefix + `local`. */
    constant(local, dims, data) {
        const name = this.prefix + local;
        this.initializers.push((0,_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .makeTensor */ .Qm)(name, dims, data));
        return name;
    }
    /** A scalar float constant shared by every node using it. */
    scalar(value) {
        const key = `f${value}`;
        let name = this.constants.get(key);
        if (!name) {
            name = this.constant(`const/${value}`, [], { type: 'float32', values: [value] });
            this.constants.set(key, name);
        }
        return name;
    }
    /**
     * A node giving one output: `output` is taken as is when `exact` (a graph output), else
     * prefixed. The node is named after its output.
     */
    node(opType, inputs, output, options = {}) {
        const name = options.exact ? output : this.prefix + output;
        this.nodes.push((0,_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .makeNode */ .HI)(opType, inputs, [name], {
            name: options.exact ? this.prefix + output : name,
            domain: options.domain,
            attributes: options.attributes,
        }));
        return name;
    }
}
/** Appends the nodes of `activation` applied to `x`; its result is `output` (see GraphBuilder.node). */
function activate(g, x, activation, output, exact) {
    const o = { exact };
    switch (activation) {
        case 'linear':
            return exact ? g.node('Identity', [x], output, o) : x;
        case 'relu':
            return g.node('Relu', [x], output, o);
        case 'tanh':
            return g.node('Tanh', [x], output, o);
        case 'sigmoid':
            return g.node('Sigmoid', [x], output, o);
        case 'softmax':
            return g.node('Softmax', [x], output, { ...o, attributes: [_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.int('axis', -1)] });
        case 'elu':
            return g.node('Elu', [x], output, { ...o, attributes: [_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.float('alpha', 1)] });
        case 'selu':
            return g.node('Selu', [x], output, {
                ...o,
                attributes: [_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.float('alpha', SELU_SCALE_ALPHA / SELU_SCALE), _onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.float('gamma', SELU_SCALE)],
            });
        case 'gelu': {
            // As TensorFlow.js computes it: cdf = 0.5 * (1 + erf(x / sqrt 2)); gelu = x * cdf.
            const scaled = g.node('Div', [x, g.scalar(Math.SQRT2)], `${output}/scaled`);
            const erf = g.node('Erf', [scaled], `${output}/erf`);
            const plusOne = g.node('Add', [erf, g.scalar(1)], `${output}/plus_one`);
            const cdf = g.node('Mul', [plusOne, g.scalar(0.5)], `${output}/cdf`);
            return g.node('Mul', [x, cdf], output, o);
        }
    }
}
/**
 * Checks the feature names for a graph whose essential output is `essential`; returns the
 * builder (its prefix chosen so no column name starts with it). `who` names the exporter in
 * internal errors.
 */
function graphBuilderFor(pre, essential, who) {
    const names = pre.features.map((f) => f.name);
    if (names.some((n) => n === ''))
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y('a feature column has an empty name', 'Name every column of the data in its header.');
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined)
        throw new Error(`${who}: the feature "${duplicate}" is listed twice`);
    if (names.includes(essential))
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`the feature column "${essential}" has the name of the model's output`, `Rename the column, or leave it out of train.features: the exported graph's output is named "${essential}".`);
    return new GraphBuilder(internalPrefix(names));
}
/**
 * Appends the preprocessing: the graph inputs (raw columns) to one float tensor [N,
 * pre.width] laid out as `encodeFeatures` lays it out. `numbers`: 'standardized' (missing
 * and infinities to the training mean, then (x - mean) / std: exactly `encodeFeatures`) or
 * 'raw' (the numbers as given, NaN kept: for trees, which route missing values themselves);
 * text columns are one-hot either way. Returns the tensor's name.
 */
function encodedFeatures(g, pre, numbers) {
    // Numeric features: one [N, m] tensor, non-finite values to the mean, then standardized.
    const numeric = pre.features.flatMap((f) => (f.kind === 'numeric' ? [f] : []));
    let standardized = null;
    if (numeric.length > 0) {
        const raw = numeric.length === 1
            ? numeric[0].name
            : g.node('Concat', numeric.map((f) => f.name), 'numeric/raw', { attributes: [_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.int('axis', 1)] });
        if (numbers === 'raw')
            standardized = raw;
        else {
            const mean = g.constant('numeric/mean', [numeric.length], { type: 'float32', values: numeric.map((f) => f.mean) });
            const std = g.constant('numeric/std', [numeric.length], { type: 'float32', values: numeric.map((f) => f.std) });
            const nan = g.node('IsNaN', [raw], 'numeric/is_nan');
            const inf = g.node('IsInf', [raw], 'numeric/is_inf');
            const missing = g.node('Or', [nan, inf], 'numeric/non_finite');
            const filled = g.node('Where', [missing, mean, raw], 'numeric/filled');
            const centered = g.node('Sub', [filled, mean], 'numeric/centered');
            standardized = g.node('Div', [centered, std], 'numeric/standardized');
        }
    }
    // The numeric columns split into runs between text columns, so the blocks concatenate in feature order.
    const runs = [];
    const blocks = [];
    pre.features.forEach((f, i) => {
        if (f.kind === 'numeric') {
            if (blocks.length > 0 && 'run' in blocks.at(-1))
                runs[runs.length - 1]++;
            else {
                blocks.push({ run: runs.length });
                runs.push(1);
            }
        }
        else
            blocks.push({ feature: i });
    });
    let runNames = standardized ? [standardized] : [];
    if (runs.length > 1) {
        const split = g.constant('numeric/runs', [runs.length], { type: 'int64', values: runs });
        runNames = runs.map((_, j) => `${g.prefix}numeric/run${j + 1}`);
        g.nodes.push((0,_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .makeNode */ .HI)('Split', [standardized, split], runNames, { name: `${g.prefix}numeric/split`, attributes: [_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.int('axis', 1)] }));
    }
    let offOn = null;
    let squeezeAxes = null;
    const blockNames = blocks.map((block) => {
        if ('run' in block)
            return runNames[block.run];
        const i = block.feature;
        const feature = pre.features[i];
        if (feature.kind !== 'categorical')
            throw new Error('unreachable');
        const k = feature.categories.length;
        const keys = [];
        const values = [];
        feature.categories.forEach((c, index) => {
            // "" means missing in the graph: it takes the unknown slot.
            if (c !== '') {
                keys.push(c);
                values.push(index);
            }
        });
        let index;
        if (keys.length > 0)
            index = g.node('LabelEncoder', [feature.name], `f${i}/index`, {
                domain: 'ai.onnx.ml',
                attributes: [_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.strings('keys_strings', keys), _onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.ints('values_int64s', values), _onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.int('default_int64', k)],
            });
        else {
            // No categories: every value is in the unknown slot.
            const shape = g.node('Shape', [feature.name], `f${i}/shape`);
            index = g.node('ConstantOfShape', [shape], `f${i}/index`, {
                attributes: [_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.tensor('value', (0,_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .makeTensor */ .Qm)('', [1], { type: 'int64', values: [k] }))],
            });
        }
        const depth = g.constant(`f${i}/depth`, [1], { type: 'int64', values: [k + 1] });
        offOn ??= g.constant('const/off_on', [2], { type: 'float32', values: [0, 1] });
        const hot = g.node('OneHot', [index, depth, offOn], `f${i}/one_hot_3d`, { attributes: [_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.int('axis', -1)] });
        squeezeAxes ??= g.constant('const/axis_1', [1], { type: 'int64', values: [1] });
        return g.node('Squeeze', [hot, squeezeAxes], `f${i}/one_hot`);
    });
    return blockNames.length === 1 ? blockNames[0] : g.node('Concat', blockNames, 'features', { attributes: [_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.int('axis', 1)] });
}
/** The graph inputs: one per feature, in order, named as the column (float32 or string, [N, 1]). */
function featureInputs(pre) {
    return pre.features.map((f) => (0,_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .makeValueInfo */ .UF)(f.name, f.kind === 'numeric' ? 'float32' : 'string', ['N', 1]));
}
/** The model around `graph` with the project's IR version, opsets, producer and metadata (mlops.algorithm, mlops.features, mlops.target). */
function modelWithMetadata(pre, graph, meta) {
    const target = pre.target;
    const targetMeta = target.task === 'classification'
        ? { name: target.name, task: target.task, classes: target.classes }
        : { name: target.name, task: target.task };
    return (0,_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .makeModel */ .S8)({
        graph,
        irVersion: ONNX_IR_VERSION,
        opsets: ONNX_OPSETS,
        producerName: ONNX_PRODUCER,
        producerVersion: meta.producerVersion,
        metadata: [
            [ONNX_METADATA.algorithm, meta.algorithm],
            [
                ONNX_METADATA.features,
                JSON.stringify(pre.features.map((f) => ({ name: f.name, type: f.kind === 'numeric' ? 'number' : 'string' }))),
            ],
            [ONNX_METADATA.target, JSON.stringify(targetMeta)],
        ],
    });
}
/**
 * The ONNX graph of a fitted dense network with its preprocessing inside (the contract in
 * this module's header). `layers` run in order on the encoded features; Dropout is not a
 * layer here (it is the identity at inference).
 */
function exportNetwork(pre, layers, meta) {
    const problem = networkProblem(pre, layers);
    if (problem)
        throw new Error(`exportNetwork: ${problem}`);
    const names = pre.features.map((f) => f.name);
    const target = pre.target;
    const essential = target.task === 'classification' ? ONNX_OUTPUTS.probabilities : ONNX_OUTPUTS.variable;
    const g = graphBuilderFor(pre, essential, 'exportNetwork');
    let h = encodedFeatures(g, pre, 'standardized');
    // The dense layers.
    const outputs = [];
    layers.forEach((layer, li) => {
        const n = li + 1;
        const kernel = g.constant(`layer${n}/kernel`, [layer.inputs, layer.units], { type: 'float32', values: layer.kernel });
        const bias = g.constant(`layer${n}/bias`, [layer.units], { type: 'float32', values: layer.bias });
        const linear = g.node('Gemm', [h, kernel, bias], `layer${n}/dense`);
        const final = li === layers.length - 1;
        // A multi-class network's softmax is the probabilities output itself.
        const isProbabilities = final && target.task === 'classification' && layer.units === target.classes.length;
        h = isProbabilities
            ? activate(g, linear, layer.activation, ONNX_OUTPUTS.probabilities, true)
            : activate(g, linear, layer.activation, `layer${n}/${layer.activation}`, false);
    });
    // The head.
    if (target.task === 'regression') {
        const std = g.constant('target/std', [1], { type: 'float32', values: [target.std] });
        const mean = g.constant('target/mean', [1], { type: 'float32', values: [target.mean] });
        const scaled = g.node('Mul', [h, std], 'target/scaled');
        g.node('Add', [scaled, mean], ONNX_OUTPUTS.variable, { exact: true });
        outputs.push((0,_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .makeValueInfo */ .UF)(ONNX_OUTPUTS.variable, 'float32', ['N', 1]));
    }
    else {
        const classes = target.classes;
        if (h !== ONNX_OUTPUTS.probabilities) {
            const q = g.node('Sub', [g.scalar(1), h], 'head/one_minus_p');
            g.node('Concat', [q, h], ONNX_OUTPUTS.probabilities, { exact: true, attributes: [_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.int('axis', 1)] });
        }
        // A feature named "label" takes the name: the graph then gives the probabilities only.
        if (!names.includes(ONNX_OUTPUTS.label)) {
            const integers = integerClasses(classes);
            const labelType = integers ? 'int64' : 'string';
            const table = g.constant('head/classes', [classes.length], integers ? { type: 'int64', values: classes.map((c) => BigInt(c)) } : { type: 'string', values: classes });
            const argmax = g.node('ArgMax', [ONNX_OUTPUTS.probabilities], 'head/class_index', {
                attributes: [_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.int('axis', 1), _onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.int('keepdims', 0)],
            });
            g.node('Gather', [table, argmax], ONNX_OUTPUTS.label, { exact: true, attributes: [_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .attr */ .CF.int('axis', 0)] });
            outputs.push((0,_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .makeValueInfo */ .UF)(ONNX_OUTPUTS.label, labelType, ['N']));
        }
        outputs.push((0,_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .makeValueInfo */ .UF)(ONNX_OUTPUTS.probabilities, 'float32', ['N', classes.length]));
    }
    const graph = (0,_onnx_graph_js__WEBPACK_IMPORTED_MODULE_3__/* .makeGraph */ .f7)({ name: meta.algorithm, nodes: g.nodes, initializers: g.initializers, inputs: featureInputs(pre), outputs });
    return modelWithMetadata(pre, graph, meta);
}
// ---------------------------------------------------------------------------------------
// Directories written before ONNX
/** The producer version of a graph converted from a TensorFlow.js directory. */
const CONVERTED_PRODUCER_VERSION = 'converted-from-tfjs/1';
const CONVERT_HINT = 'Train the model again (train writes model.onnx), or restore the model directory as train wrote it (model.json, weights.bin, preprocess.json).';
const isRecord = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/**
 * Converts a model directory saved before ONNX (model.json: a TensorFlow.js layers-model
 * topology of Dense and Dropout layers with its weights manifest; the float32 weights in
 * the files the manifest lists, weights.bin) to the ONNX graph `exportNetwork` writes,
 * reading the files directly (TensorFlow.js is not loaded). Dropout is the identity at
 * inference. UserErrors name the file and what is wrong with it.
 */
async function tfjsDirToOnnx(dir, pre, algorithm) {
    const topologyFile = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, 'model.json');
    let text;
    try {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(topologyFile, 'utf8');
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${topologyFile} could not be read (${error.code ?? error.message})`, CONVERT_HINT);
    }
    const bad = (what) => new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${topologyFile}: ${what}`, CONVERT_HINT);
    let json;
    try {
        json = JSON.parse(text);
    }
    catch (error) {
        throw bad(`not valid JSON (${error.message})`);
    }
    if (!isRecord(json) || !isRecord(json.modelTopology))
        throw bad('no modelTopology: not a TensorFlow.js layers model');
    const topology = json.modelTopology;
    // A tfjs `save` nests the model under modelTopology.model_config when it also saves training config.
    const model = isRecord(topology.model_config) ? topology.model_config : topology;
    if (model.class_name !== 'Sequential')
        throw bad(`the model is a ${JSON.stringify(model.class_name)}; only Sequential models of Dense and Dropout layers can be converted`);
    const config = model.config;
    const layerList = Array.isArray(config) ? config : isRecord(config) && Array.isArray(config.layers) ? config.layers : null;
    if (!layerList)
        throw bad('modelTopology has no list of layers');
    // The weights, by name and in manifest order.
    if (!Array.isArray(json.weightsManifest))
        throw bad('no weightsManifest');
    const weights = [];
    for (const group of json.weightsManifest) {
        if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights))
            throw bad('a weightsManifest entry has no paths or weights');
        const shards = [];
        for (const path of group.paths) {
            if (typeof path !== 'string' || (0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(path))
                throw bad(`the weights path ${JSON.stringify(path)} is not a relative file name`);
            const file = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(dir, path);
            const inside = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(dir), file);
            if (inside.startsWith('..') || (0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(inside))
                throw bad(`the weights path ${JSON.stringify(path)} points outside the model directory`);
            try {
                shards.push(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(file));
            }
            catch (error) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${(0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, path)} (the weights ${topologyFile} lists) could not be read (${error.code ?? error.message})`, CONVERT_HINT);
            }
        }
        const data = Buffer.concat(shards);
        const shownData = group.paths.map((p) => (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, String(p))).join(' + ');
        let offset = 0;
        for (const spec of group.weights) {
            if (!isRecord(spec) ||
                typeof spec.name !== 'string' ||
                !Array.isArray(spec.shape) ||
                !spec.shape.every((d) => Number.isInteger(d) && d >= 0))
                throw bad('a weight of the weightsManifest has no name or shape');
            const w = spec;
            if ((w.dtype ?? 'float32') !== 'float32' || w.quantization !== undefined)
                throw bad(`the weight ${w.name} is ${w.quantization !== undefined ? 'quantized' : w.dtype}; only float32 weights can be converted`);
            const count = w.shape.reduce((n, d) => n * d, 1);
            if (offset + count * 4 > data.length)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${shownData} holds ${data.length} bytes, too few for the weights ${topologyFile} lists (the file is truncated?)`, CONVERT_HINT);
            const values = new Float32Array(count);
            const view = new DataView(data.buffer, data.byteOffset + offset, count * 4);
            for (let k = 0; k < count; k++)
                values[k] = view.getFloat32(k * 4, true);
            weights.push({ name: w.name, shape: w.shape, values });
            offset += count * 4;
        }
        if (offset !== data.length)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${shownData} holds ${data.length} bytes, but the weights ${topologyFile} lists take ${offset}`, CONVERT_HINT);
    }
    const byName = new Map(weights.map((w) => [w.name, w]));
    // The Dense layers, with their weights by name (`<layer>/kernel`, `<layer>/bias`), else in manifest order.
    const dense = [];
    for (const [i, layer] of layerList.entries()) {
        const className = isRecord(layer) ? layer.class_name : undefined;
        const layerConfig = isRecord(layer) && isRecord(layer.config) ? layer.config : {};
        const shownName = typeof layerConfig.name === 'string' ? ` ("${layerConfig.name}")` : '';
        if (className === 'Dropout' || className === 'InputLayer')
            continue;
        if (className !== 'Dense')
            throw bad(`layer ${i + 1}${shownName} is a ${JSON.stringify(className)} layer; only Dense and Dropout layers can be converted`);
        const activation = layerConfig.activation ?? 'linear';
        if (typeof activation !== 'string' || !DENSE_ACTIVATIONS.includes(activation))
            throw bad(`layer ${i + 1}${shownName} has the activation ${JSON.stringify(activation)}; these convert: ${DENSE_ACTIVATIONS.join(', ')}`);
        if (!Number.isInteger(layerConfig.units) || layerConfig.units < 1)
            throw bad(`layer ${i + 1}${shownName} has no number of units`);
        dense.push({
            name: typeof layerConfig.name === 'string' ? layerConfig.name : '',
            units: layerConfig.units,
            activation: activation,
            useBias: layerConfig.use_bias !== false,
        });
    }
    const named = dense.every((d) => byName.has(`${d.name}/kernel`) && (!d.useBias || byName.has(`${d.name}/bias`)));
    let next = 0;
    const take = (layer, part) => {
        const w = named ? byName.get(`${layer.name}/${part}`) : weights[next++];
        if (!w)
            throw bad(`the weightsManifest has no ${part} for the layer "${layer.name}"`);
        return w;
    };
    const layers = dense.map((d) => {
        const kernel = take(d, 'kernel');
        const inputs = kernel.shape[0] ?? 0;
        if (kernel.shape.length !== 2 || kernel.shape[1] !== d.units)
            throw bad(`the kernel of the layer "${d.name}" has the shape [${kernel.shape.join(', ')}]; its ${d.units} units need [inputs, ${d.units}]`);
        const bias = d.useBias ? take(d, 'bias') : { shape: [d.units], values: new Float32Array(d.units), name: '' };
        if (bias.shape.length !== 1 || bias.shape[0] !== d.units)
            throw bad(`the bias of the layer "${d.name}" has the shape [${bias.shape.join(', ')}], not [${d.units}]`);
        return { kernel: kernel.values, bias: bias.values, inputs, units: d.units, activation: d.activation };
    });
    const problem = networkProblem(pre, layers);
    if (problem)
        throw bad(`${problem} (the preprocessing beside it has ${pre.width} encoded columns, target "${pre.target.name}")`);
    return exportNetwork(pre, layers, { algorithm, producerVersion: CONVERTED_PRODUCER_VERSION });
}


/***/ }),

/***/ 60529:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LEGACY_FILES: () => (/* binding */ LEGACY_FILES),
/* harmony export */   MODEL_FILE: () => (/* binding */ MODEL_FILE),
/* harmony export */   REFERENCE_PREDICTIONS_FILE: () => (/* binding */ REFERENCE_PREDICTIONS_FILE),
/* harmony export */   cardSignature: () => (/* binding */ cardSignature),
/* harmony export */   describeModelFile: () => (/* binding */ describeModelFile),
/* harmony export */   loadModel: () => (/* binding */ loadModel),
/* harmony export */   modelFileDigest: () => (/* binding */ modelFileDigest),
/* harmony export */   readModelGraph: () => (/* binding */ readModelGraph)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _contracts_index_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(96323);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(74296);
/* harmony import */ var _export_onnx_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(67775);
/* harmony import */ var _onnx_model_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(49270);
/* harmony import */ var _preprocess_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(1107);
/**
 * A model directory, whoever trained it: `model.onnx` (the graph, its preprocessing
 * inside), `model-card.json` (lineage, and the signature: features, task, classes) and
 * optionally `reference-predictions.csv` (the original framework's own predictions, for
 * the fidelity check). Loading always goes through ONNX Runtime (onnx-model.ts): one
 * inference path for every model.
 *
 * Directories written before ONNX (TensorFlow.js `model.json` + `weights.bin` +
 * `preprocess.json`) are converted to a graph when loaded, with a log line, so versions
 * already in a registry keep working.
 */









/** The graph of every model directory. */
const MODEL_FILE = 'model.onnx';
/** The original framework's predictions on rows it chose (features, y_pred, score:<class>), checked by evaluate. */
const REFERENCE_PREDICTIONS_FILE = 'reference-predictions.csv';
/** The files of a directory written before ONNX (converted when loaded). */
const LEGACY_FILES = { topology: 'model.json', weights: 'weights.bin', preprocess: 'preprocess.json' };
/** The signature a card records, or undefined (cards written before ONNX have none). */
function cardSignature(card) {
    return card?.signature ?? undefined;
}
/** The ONNX bytes of a model directory (converting one written before ONNX), and the signature it implies when legacy. */
async function readModelGraph(dir, card, log = () => { }) {
    const file = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, MODEL_FILE);
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(file))
        return { bytes: new Uint8Array(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(file)), legacy: null };
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, LEGACY_FILES.topology)) && (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, LEGACY_FILES.preprocess))) {
        let pre;
        try {
            pre = JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, LEGACY_FILES.preprocess), 'utf8'));
        }
        catch (error) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .UserError */ .y(`${(0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, LEGACY_FILES.preprocess)} is not valid JSON (${error.message})`);
        }
        if (pre.format !== _preprocess_js__WEBPACK_IMPORTED_MODULE_8__/* .PREPROCESS_FORMAT */ .Po)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .UserError */ .y(`${(0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, LEGACY_FILES.preprocess)}: unknown format ${String(pre.format)} (expected ${_preprocess_js__WEBPACK_IMPORTED_MODULE_8__/* .PREPROCESS_FORMAT */ .Po})`);
        const trainer = card?.trainer;
        const algorithm = String(trainer?.algorithm ?? trainer?.model ?? 'mlp');
        log(`${dir} holds a TensorFlow.js model from before ONNX: converted to an ONNX graph to load it (register it again to store the graph).`);
        return { bytes: await (0,_export_onnx_js__WEBPACK_IMPORTED_MODULE_6__/* .tfjsDirToOnnx */ .XB)(dir, pre, algorithm), legacy: (0,_preprocess_js__WEBPACK_IMPORTED_MODULE_8__/* .preprocessSignature */ .zo)(pre) };
    }
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .UserError */ .y(`${dir} is not a model directory: ${MODEL_FILE} is missing`, `Point at the model-dir output of train, or a folder holding a ${MODEL_FILE} exported from your framework (see the README, "Bring your own model").`);
}
/** Loads a model directory: its graph through ONNX Runtime, with the card's signature. */
async function loadModel(dir, log = () => { }) {
    let card;
    try {
        card = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, 'model-card.json')) ? await (0,_contracts_index_js__WEBPACK_IMPORTED_MODULE_4__/* .readContract */ .Jz)('modelCard', dir) : null;
    }
    catch (error) {
        // The card is lineage and the signature; the graph still predicts without it, but say what was lost.
        log(`warning: ${(0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, 'model-card.json')} could not be read (${error.message}); ` +
            "the model is loaded from its graph alone (the card's feature types, class names and order are not used).");
        card = null;
    }
    const { bytes, legacy } = await readModelGraph(dir, card, log);
    const trainer = card?.trainer;
    const model = await (0,_onnx_model_js__WEBPACK_IMPORTED_MODULE_7__/* .openOnnxModel */ .FT)(bytes, {
        shownPath: (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, MODEL_FILE),
        algorithm: trainer?.kind === 'builtin' && typeof trainer.algorithm === 'string' ? trainer.algorithm : 'onnx',
        signature: legacy ?? cardSignature(card),
        log,
    });
    return { model, card };
}
/** What a model card records of the model file: format, digest, producer, opsets, inputs and outputs. */
function describeModelFile(bytes, model) {
    return {
        format: 'onnx',
        file: MODEL_FILE,
        sha256: (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(bytes).digest('hex'),
        bytes: bytes.byteLength,
        producer: model.producer,
        opsets: model.opsets,
        inputs: model.graphInputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: [...t.shape] })),
        outputs: model.graphOutputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: [...t.shape] })),
    };
}
/** `sha256:<hex>` of a model directory's model.onnx, or null when it has none (a folder written before ONNX). */
async function modelFileDigest(dir) {
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, MODEL_FILE);
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(path))
        return null;
    return `sha256:${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256')
        .update(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(path))
        .digest('hex')}`;
}


/***/ }),

/***/ 49270:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FT: () => (/* binding */ openOnnxModel)
/* harmony export */ });
/* unused harmony exports BATCH_ROWS, OnnxModel */
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(74296);
/* harmony import */ var _onnx_graph_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(84148);
/* harmony import */ var _onnx_runtime_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(62915);
/**
 * Any ONNX graph as a TabularModel: ours (exported with their preprocessing inside) or
 * any framework's, scored through ONNX Runtime (../onnx/runtime.ts) from a table's raw
 * columns.
 *
 * Conventions. Inputs: one graph input per feature column (named as the column; a tensor
 * [N,1] or [N]), or one tensor [N,k] whose column order is the model card's features, else
 * the graph's metadata `feature_names` (a JSON list of names) or `mlops.features` (a JSON
 * list of {name, type}). Element types float32, float64, int64, int32, bool (numbers:
 * missing stays NaN for floats and is an error for the others) and string (text; missing is
 * ""). Outputs are recognised by role: class probabilities (a float [N,C], or [N,1] for the
 * positive class of a binary model; a scikit-learn ZipMap is replaced by the tensor it is
 * built from before loading), labels (int64, int32 or string [N]) and a regression value (a
 * float [N] or [N,1]); an output named like "logits" gets a softmax (a sigmoid for one
 * column). Classes are in the graph's order when it lists them (a classifier's classlabels),
 * reordered to the card's when the card orders them differently. Rows are scored in batches
 * of BATCH_ROWS, each feed built straight from the columns into a typed array; on the
 * WebAssembly runtime one run at a time (its module is shared by every session).
 */




/** Rows scored per run of the graph: bounds the memory of feeds and outputs. */
const BATCH_ROWS = 65_536;
/** The element types an input may have. */
const INPUT_TYPES = ['float32', 'float64', 'int64', 'int32', 'bool', 'string'];
/** KServe Open Inference Protocol (v2) data type names, by ONNX Runtime's type names. */
const OIP_DATATYPES = {
    float32: 'FP32',
    float64: 'FP64',
    float16: 'FP16',
    bfloat16: 'BF16',
    int8: 'INT8',
    int16: 'INT16',
    int32: 'INT32',
    int64: 'INT64',
    uint8: 'UINT8',
    uint16: 'UINT16',
    uint32: 'UINT32',
    uint64: 'UINT64',
    bool: 'BOOL',
    string: 'BYTES',
};
const isFloat = (type) => type === 'float32' || type === 'float64';
const isLabelType = (type) => type === 'int64' || type === 'int32' || type === 'string';
const rankOf = (v) => v.shape?.length ?? null;
/** The second dimension when it is a number, else null. */
const widthOf = (v) => (v.shape && v.shape.length >= 2 && typeof v.shape[1] === 'number' && v.shape[1] >= 0 ? v.shape[1] : null);
const quoted = (names) => names.map((n) => JSON.stringify(n)).join(', ');
const littleEndian = (0,node_os__WEBPACK_IMPORTED_MODULE_0__.endianness)() === 'LE';
/** One run at a time on the WebAssembly runtime: its module (and its stack) is shared by every session. */
let webQueue = Promise.resolve();
function exclusive(run) {
    const next = webQueue.then(run, run);
    webQueue = next.catch(() => { });
    return next;
}
/** A graph loaded into ONNX Runtime, predicting from a table's columns. */
class OnnxModel {
    ort;
    shownPath;
    feed;
    output;
    algorithm;
    signature;
    /** The runtime scoring it. */
    runtime;
    /** Opset per domain ("" is ai.onnx), as the graph imports them. */
    opsets;
    producer;
    /** The graph's metadata (key, value). */
    metadata;
    /** The graph's inputs, as the server describes them. */
    graphInputs;
    /** The graph's tensor outputs (after a ZipMap is replaced by its probability tensor). */
    graphOutputs;
    session;
    arrays;
    /** Whether to read the session's raw results (see run). */
    rawResults = false;
    /** @internal Use openOnnxModel. */
    constructor(ort, session, shownPath, feed, output, init) {
        this.ort = ort;
        this.shownPath = shownPath;
        this.feed = feed;
        this.output = output;
        this.session = session;
        this.arrays = realmArrays(ort.ort);
        this.runtime = ort.name;
        this.algorithm = init.algorithm;
        this.signature = init.signature;
        this.opsets = { ...init.info.opsets };
        this.producer = init.info.producer;
        this.metadata = { ...init.info.metadata };
        const describe = (v) => ({
            name: v.name,
            datatype: OIP_DATATYPES[v.type ?? ''] ?? String(v.type ?? 'UNKNOWN').toUpperCase(),
            shape: (v.shape ?? [-1]).map((d) => (typeof d === 'number' && d >= 0 ? d : -1)),
        });
        this.graphInputs = init.inputs.map(describe);
        this.graphOutputs = init.outputs.filter((v) => v.tensor).map(describe);
    }
    /** Values per predicted row: the classes, or 1. */
    get width() {
        const target = this.signature.target;
        return target.task === 'classification' ? target.classes.length : 1;
    }
    async predict(table, rows) {
        if (!this.session)
            throw new Error(`${this.shownPath}: the model was disposed`);
        const width = this.width;
        const out = new Float64Array(rows.length * width);
        if (rows.length === 0)
            return out;
        const columns = this.columnsOf(table);
        for (let start = 0; start < rows.length; start += BATCH_ROWS) {
            const count = Math.min(BATCH_ROWS, rows.length - start);
            const feeds = this.feeds(columns, rows, start, count);
            const results = await this.run(feeds, [this.output.name]);
            this.write(results[this.output.name], out, start, count);
        }
        return out;
    }
    dispose() {
        const session = this.session;
        this.session = null;
        // On the WebAssembly runtime, after any run already queued.
        if (session)
            void (this.ort.name === 'web' ? exclusive(() => session.release()) : session.release()).catch(() => { });
    }
    /** Runs the session (one run at a time on the WebAssembly runtime). */
    run(feeds, fetches) {
        const session = this.session;
        if (!session)
            return Promise.reject(new Error(`${this.shownPath}: the model was disposed`));
        const go = async () => {
            try {
                if (this.rawResults)
                    return await runRaw(session, feeds, fetches);
                return (await session.run(feeds, fetches));
            }
            catch (error) {
                if (!this.rawResults && error instanceof TypeError && /tensor's data must be type of/.test(error.message) && handlerOf(session)) {
                    // The native runtime answered with typed arrays of another JavaScript realm than
                    // onnxruntime-common's (a host running modules in a sandbox, as jest does): read its raw results.
                    this.rawResults = true;
                    return go();
                }
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${this.shownPath}: ONNX Runtime could not score the rows: ${error.message}`, 'Check that the data has the columns and types the graph takes (and, for a single tensor, their order).');
            }
        };
        return this.ort.name === 'web' ? exclusive(go) : go();
    }
    /** The table's column for each column the graph takes (the first of a name), or a UserError naming what is missing. */
    columnsOf(table) {
        const byName = new Map();
        for (const c of table.columns)
            if (!byName.has(c.name))
                byName.set(c.name, c);
        const wanted = this.feed.mode === 'columns' ? this.feed.inputs.map((i) => i.column) : this.feed.columns;
        const missing = wanted.filter((name) => !byName.has(name));
        if (missing.length > 0) {
            const where = table.files.length > 0 ? table.files.join(', ') : 'the data';
            const have = table.columns.map((c) => c.name);
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${this.shownPath} takes ${missing.length === 1 ? 'the column' : 'the columns'} ${quoted(missing)}, not in ${where}: ` +
                `the graph's ${this.feed.mode === 'columns' ? 'inputs are' : `input ${JSON.stringify(this.feed.input)} takes`} ${quoted(wanted)}; ` +
                `the data's columns are ${quoted(have.slice(0, 40))}${have.length > 40 ? ', …' : ''}`, this.feed.mode === 'columns'
                ? 'Name the graph inputs after the data columns (one input per column) when exporting, or rename the columns.'
                : "Give the model card's signature.features (or the graph's metadata feature_names) the data's column names, in the tensor's order.");
        }
        return byName;
    }
    feeds(columns, rows, start, count) {
        const { Tensor } = this.ort.ort;
        // Own properties only (defineProperty): an input may be named "__proto__".
        const feeds = {};
        const set = (name, tensor) => Object.defineProperty(feeds, name, { value: tensor, enumerable: true, writable: true, configurable: true });
        if (this.feed.mode === 'columns') {
            for (const input of this.feed.inputs) {
                const data = fill(this.arrays, input.type, [columns.get(input.column)], rows, start, count, input.input, this.shownPath);
                set(input.input, new Tensor(input.type, data, input.rank === 1 ? [count] : [count, 1]));
            }
        }
        else {
            const { input, type, rank } = this.feed;
            const sources = this.feed.columns.map((c) => columns.get(c));
            const data = fill(this.arrays, type, sources, rows, start, count, input, this.shownPath);
            set(input, new Tensor(type, data, rank === 1 ? [count] : [count, sources.length]));
        }
        return feeds;
    }
    /** Writes a batch's output into `out` (rows start.. of the prediction). */
    write(tensor, out, start, count) {
        const output = this.output;
        const width = this.width;
        const unexpected = (expected) => new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${this.shownPath}: output "${output.name}" has shape [${tensor.dims.join(', ')}] for ${count} rows; expected ${expected}`, 'Export the model with one row of output per input row (the batch dimension first).');
        if (output.kind === 'value') {
            const data = tensor.data;
            if (data.length !== count)
                throw unexpected(`[${count}] or [${count}, 1]`);
            for (let i = 0; i < count; i++)
                out[start + i] = data[i];
            return;
        }
        if (output.kind === 'labels') {
            const data = tensor.data;
            if (data.length !== count)
                throw unexpected(`[${count}] labels`);
            for (let i = 0; i < count; i++) {
                const c = output.classes.get(String(data[i]));
                if (c === undefined)
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${this.shownPath}: output "${output.name}" gives the label ${JSON.stringify(String(data[i]))} for row ${start + i + 1}, which is not one of the classes (${[...output.classes.keys()].join(', ')})`, "Make the model card's signature.target.classes the labels the model predicts.");
                out[(start + i) * width + c] = 1;
            }
            return;
        }
        const data = tensor.data;
        const k = output.width;
        if (data.length !== count * k)
            throw unexpected(`[${count}, ${k}]`);
        const order = output.order;
        if (k === 1) {
            // A binary model's positive class: [1 - p, p] (p after a sigmoid for logits).
            const sigmoid = output.transform === 'sigmoid';
            const pos = order[1] === 1 ? 1 : 0;
            for (let i = 0; i < count; i++) {
                const p = sigmoid ? 1 / (1 + Math.exp(-data[i])) : data[i];
                const row = (start + i) * 2;
                out[row + pos] = p;
                out[row + 1 - pos] = 1 - p;
            }
            return;
        }
        const softmax = output.transform === 'softmax';
        for (let i = 0; i < count; i++) {
            const src = i * k;
            const row = (start + i) * width;
            if (softmax) {
                let max = -Infinity;
                for (let j = 0; j < k; j++)
                    max = Math.max(max, data[src + j]);
                let sum = 0;
                for (let j = 0; j < k; j++)
                    sum += Math.exp(data[src + j] - max);
                for (let j = 0; j < width; j++)
                    out[row + j] = Math.exp(data[src + order[j]] - max) / sum;
            }
            else
                for (let j = 0; j < width; j++)
                    out[row + j] = data[src + order[j]];
        }
    }
}
/**
 * The typed array classes of the runtime's own JavaScript realm (its Tensor checks them
 * with instanceof): the usual ones, except where a host runs modules in another realm
 * (as jest does).
 */
function realmArrays(ort) {
    const of = (type, value) => new ort.Tensor(type, [value], [1]).data.constructor;
    return { float32: of('float32', 0), float64: of('float64', 0), int64: of('int64', 0n), int32: of('int32', 0), bool: of('bool', false) };
}
/** The backend's session handler behind onnxruntime-common's InferenceSession (not public API: used only as a fallback). */
function handlerOf(session) {
    const handler = session.handler;
    return handler && typeof handler.run === 'function' ? handler : null;
}
/** A run through the session's handler: its results as the backend gives them, not wrapped in onnxruntime-common's Tensor. */
async function runRaw(session, feeds, fetches) {
    const wanted = {};
    for (const name of fetches)
        Object.defineProperty(wanted, name, { value: null, enumerable: true, writable: true, configurable: true });
    return handlerOf(session).run(feeds, wanted, {});
}
/** Rows per block when filling a [N, k] tensor. */
const FILL_BLOCK = 512;
/** The value of a numeric cell, reading a boolean text as 1/0; NaN when missing or not a number. */
function numberAt(column, r) {
    const v = column.numbers[r];
    if (v === v || !column.texts)
        return v;
    const t = column.texts[r];
    return t === 'true' ? 1 : t === 'false' ? 0 : NaN;
}
/**
 * A feed's data for `count` rows from `rows[start]` on: row-major rows x sources, built
 * straight into one typed array (strings: an array of texts).
 */
function fill(arrays, type, sources, rows, start, count, input, shownPath) {
    const k = sources.length;
    const missing = (column, r, value) => {
        const what = Number.isNaN(value)
            ? 'has no number'
            : `holds ${value}, not a whole number ${type === 'int32' ? 'of 32 bits' : ''}`.trim();
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${shownPath}: the graph's input "${input}" takes ${type === 'bool' ? 'true/false (bool)' : `whole numbers (${type})`}, but column "${column.name}" ${what} in row ${r + 1} (data rows counted from 1)`, Number.isNaN(value)
            ? 'Fill in missing values before scoring, or export the model with a float input (a float input takes a missing value as NaN).'
            : 'Round the column before scoring, or export the model with a float input.');
    };
    switch (type) {
        case 'float32':
        case 'float64': {
            const data = new arrays[type](count * k);
            // Blocks of rows, column by column in each: the block's part of `data` stays in cache.
            for (let from = 0; from < count; from += FILL_BLOCK) {
                const to = Math.min(count, from + FILL_BLOCK);
                for (let j = 0; j < k; j++) {
                    const column = sources[j];
                    const numbers = column.numbers;
                    if (!column.texts)
                        for (let i = from, o = from * k + j; i < to; i++, o += k)
                            data[o] = numbers[rows[start + i]];
                    else
                        for (let i = from, o = from * k + j; i < to; i++, o += k) {
                            const r = rows[start + i];
                            const v = numbers[r];
                            data[o] = v === v ? v : numberAt(column, r);
                        }
                }
            }
            return data;
        }
        case 'int32': {
            const data = new arrays.int32(count * k);
            for (let j = 0; j < k; j++) {
                const column = sources[j];
                for (let i = 0, o = j; i < count; i++, o += k) {
                    const r = rows[start + i];
                    const v = numberAt(column, r);
                    if ((v | 0) !== v)
                        missing(column, r, v);
                    data[o] = v;
                }
            }
            return data;
        }
        case 'int64': {
            const data = new arrays.int64(count * k);
            // Small whole numbers (most) are written as two 32-bit words; others through BigInt.
            const words = littleEndian ? new Int32Array(data.buffer, data.byteOffset, data.length * 2) : null;
            for (let j = 0; j < k; j++) {
                const column = sources[j];
                for (let i = 0, o = j; i < count; i++, o += k) {
                    const r = rows[start + i];
                    const v = numberAt(column, r);
                    if (words && (v | 0) === v) {
                        words[2 * o] = v;
                        words[2 * o + 1] = v < 0 ? -1 : 0;
                    }
                    else if (Number.isInteger(v))
                        data[o] = BigInt(v);
                    else
                        missing(column, r, v);
                }
            }
            return data;
        }
        case 'bool': {
            const data = new arrays.bool(count * k);
            for (let j = 0; j < k; j++) {
                const column = sources[j];
                for (let i = 0, o = j; i < count; i++, o += k) {
                    const r = rows[start + i];
                    const v = numberAt(column, r);
                    if (v !== v)
                        missing(column, r, v);
                    data[o] = v !== 0 ? 1 : 0;
                }
            }
            return data;
        }
        case 'string': {
            const data = new Array(count * k);
            for (let j = 0; j < k; j++) {
                const { numbers, texts } = sources[j];
                for (let i = 0, o = j; i < count; i++, o += k) {
                    const r = rows[start + i];
                    if (texts)
                        data[o] = texts[r] ?? '';
                    else {
                        const v = numbers[r];
                        data[o] = v === v ? String(v) : '';
                    }
                }
            }
            return data;
        }
    }
}
/** Parses a JSON metadata value, or undefined. */
function jsonMetadata(info, key) {
    const text = Object.hasOwn(info.metadata, key) ? info.metadata[key] : undefined;
    if (text === undefined)
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
/** The feature order the graph's metadata gives (mlops.features, else feature_names), or null. */
function metadataFeatures(info) {
    const features = jsonMetadata(info, 'mlops.features');
    if (Array.isArray(features) && features.length > 0 && features.every((f) => f && typeof f.name === 'string'))
        return features.map((f) => ({
            name: f.name,
            type: f.type === 'string' ? 'string' : 'number',
        }));
    const names = jsonMetadata(info, 'feature_names');
    if (Array.isArray(names) && names.length > 0 && names.every((n) => typeof n === 'string'))
        return names.map((name) => ({ name, type: 'number' }));
    return null;
}
/** The target the graph's metadata names (mlops.target: a JSON object, or a plain name). */
function metadataTarget(info) {
    const text = Object.hasOwn(info.metadata, 'mlops.target') ? info.metadata['mlops.target'] : undefined;
    if (text === undefined)
        return {};
    const value = jsonMetadata(info, 'mlops.target');
    if (value && typeof value === 'object' && !Array.isArray(value)) {
        const t = value;
        return {
            name: typeof t.name === 'string' ? t.name : undefined,
            task: typeof t.task === 'string' ? t.task : undefined,
            classes: Array.isArray(t.classes) ? t.classes.map(String) : undefined,
        };
    }
    return typeof value === 'string' ? { name: value } : text.trim() ? { name: text.trim() } : {};
}
/**
 * The graph's values in the order ONNX Runtime lists them: as the graph describes them
 * (after a ZipMap strip), else as the runtime's metadata does.
 */
function values(names, metadata, graph) {
    const own = new Map(graph.map((v) => [v.name, v]));
    return names.map((name, i) => {
        const info = own.get(name);
        if (info)
            return { name, tensor: info.kind === 'tensor', type: info.elemType, shape: info.kind === 'tensor' ? info.shape : null };
        const meta = metadata?.[i];
        if (!meta || meta.name !== name)
            return { name, tensor: true, type: null, shape: null };
        if (!meta.isTensor)
            return { name, tensor: false, type: null, shape: null };
        // Dynamic dimensions come as names, or as -1 (which the web runtime reads as 2^32 - 1).
        const shape = meta.shape.map((d) => typeof d === 'number' && d >= 0 && d < 2 ** 31 ? d : typeof d === 'string' && d !== '' ? d : null);
        return { name, tensor: true, type: meta.type, shape };
    });
}
/** How the table's columns feed the graph: one input per column, or one tensor in a known column order. */
function planFeed(inputs, info, options) {
    const { shownPath } = options;
    for (const input of inputs) {
        if (!input.tensor)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${shownPath}: the graph's input "${input.name}" is not a tensor`, 'Export the model with tensor inputs (one per column, or one [N, k] tensor).');
        if (!INPUT_TYPES.includes(input.type ?? ''))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${shownPath}: the graph's input "${input.name}" is ${input.type ?? 'of an unknown type'}; inputs may be ${INPUT_TYPES.join(', ')}`, 'Export the model with float32 (or float64, int64, string) inputs; cast inside the graph if it needs another type.');
    }
    const typeOf = (t) => (t === 'string' ? 'string' : 'number');
    const oneColumn = (v) => v.shape === null || v.shape.length === 1 || (v.shape.length === 2 && v.shape[1] === 1);
    const order = options.signature?.features && options.signature.features.length > 0 ? options.signature.features : metadataFeatures(info);
    if (inputs.length === 1) {
        const input = inputs[0];
        const type = input.type;
        const rank = rankOf(input);
        const sameColumn = order !== null && order.length === 1 && order[0].name === input.name;
        if (rank !== null && rank > 2)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${shownPath}: the graph's input "${input.name}" has rank ${rank}; a tabular model takes [N, k] or one input per column`, 'Export the model with a [N, k] input (or one [N, 1] input per column).');
        if (order && !sameColumn) {
            const width = widthOf(input);
            if ((rank === 1 && order.length !== 1) || (width !== null && width !== order.length))
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${shownPath}: the graph's input "${input.name}" takes ${rank === 1 ? 1 : width} columns, but ${options.signature?.features?.length ? "the model card's signature lists" : 'the graph metadata lists'} ${order.length} features`, "Make the feature list (the card's signature.features, or the graph's metadata feature_names) the columns of the tensor, in order.");
            return {
                feed: { mode: 'tensor', input: input.name, type, columns: order.map((f) => f.name), rank: rank === 1 ? 1 : 2 },
                features: order.map((f) => ({ name: f.name, type: typeOf(type) })),
            };
        }
        if (!oneColumn(input))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${shownPath}: the graph takes one tensor "${input.name}" [${(input.shape ?? []).map((d) => d ?? '?').join(', ')}] and says nothing of its column order`, "Give the model card's signature.features (the columns in the tensor's order), or add the graph metadata feature_names (a JSON list of the column names) when exporting; or export one input per column, named as the columns.");
    }
    const columnInputs = inputs.map((input) => {
        if (!oneColumn(input))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${shownPath}: the graph has ${inputs.length} inputs, so each must be one column ([N, 1] or [N]), but "${input.name}" is [${(input.shape ?? []).map((d) => d ?? '?').join(', ')}]`, 'Export one input per column (each [N, 1], named as the column), or a single [N, k] tensor with its column order in the metadata feature_names.');
        return { input: input.name, column: input.name, type: input.type, rank: (rankOf(input) === 1 ? 1 : 2) };
    });
    // The card's order when it names the same columns, else the graph's.
    const cardOrder = options.signature?.features?.map((f) => f.name);
    const names = new Set(columnInputs.map((i) => i.column));
    if (cardOrder && cardOrder.length === names.size && cardOrder.every((n) => names.has(n)))
        columnInputs.sort((a, b) => cardOrder.indexOf(a.column) - cardOrder.indexOf(b.column));
    return {
        feed: { mode: 'columns', inputs: columnInputs },
        // The card's type of a column when it names it (what the column held in training; the server checks requests by it).
        features: columnInputs.map((i) => ({
            name: i.column,
            type: options.signature?.features?.find((f) => f.name === i.column)?.type ?? typeOf(i.type),
        })),
    };
}
const PROBABILITY_NAME = /prob/i;
const LOGIT_NAME = /logit/i;
const VALUE_NAMES = /^(variable|output|outputs?_?0?|predictions?|predicted|pred|y|y_?pred|yhat|target|value|score|scores)$/i;
function outputRoles(outputs) {
    const tensors = outputs.filter((v) => v.tensor);
    const labelLike = tensors.filter((v) => isLabelType(v.type) && (v.shape === null || v.shape.length === 1 || (v.shape.length === 2 && v.shape[1] === 1)));
    const labels = labelLike.find((v) => /label/i.test(v.name)) ?? labelLike[0] ?? null;
    const floats = tensors.filter((v) => isFloat(v.type));
    const matrices = floats.filter((v) => v.shape === null || v.shape.length === 2);
    // By name; else a classifier's float output; else a matrix of several (or an unknown number of) columns.
    const probabilities = matrices.find((v) => PROBABILITY_NAME.test(v.name)) ??
        matrices.find((v) => LOGIT_NAME.test(v.name)) ??
        (labels
            ? (matrices[0] ?? null)
            : (matrices.find((v) => (widthOf(v) ?? 0) > 1) ?? matrices.find((v) => v.shape !== null && widthOf(v) === null) ?? null));
    const values = floats.filter((v) => v.shape === null || v.shape.length === 1 || (v.shape.length === 2 && v.shape[1] === 1));
    return { probabilities, labels, values };
}
/** The outputs a model must have, listed for messages. */
function describeOutputs(outputs) {
    return outputs
        .map((v) => `"${v.name}" (${v.tensor ? `${v.type ?? '?'} [${(v.shape ?? []).map((d) => d ?? '?').join(', ')}]` : 'not a tensor'})`)
        .join(', ');
}
/** Runs the graph on one row of placeholder values to learn an output's width, when its shape does not say. */
async function probeWidth(runtime, session, feed, output, shownPath) {
    const { Tensor } = runtime.ort;
    const feeds = {};
    const placeholder = (type, n) => type === 'string'
        ? new Array(n).fill('')
        : type === 'float32'
            ? new Float32Array(n)
            : type === 'float64'
                ? new Float64Array(n)
                : type === 'int64'
                    ? new BigInt64Array(n)
                    : type === 'int32'
                        ? new Int32Array(n)
                        : new Uint8Array(n);
    const set = (name, tensor) => Object.defineProperty(feeds, name, { value: tensor, enumerable: true });
    if (feed.mode === 'columns')
        for (const i of feed.inputs)
            set(i.input, new Tensor(i.type, placeholder(i.type, 1), i.rank === 1 ? [1] : [1, 1]));
    else
        set(feed.input, new Tensor(feed.type, placeholder(feed.type, feed.columns.length), feed.rank === 1 ? [1] : [1, feed.columns.length]));
    try {
        const run = () => session.run(feeds, [output]).catch((error) => {
            // Typed arrays of another realm (see OnnxModel.run): the raw results.
            if (error instanceof TypeError && /tensor's data must be type of/.test(error.message) && handlerOf(session))
                return runRaw(session, feeds, [output]);
            throw error;
        });
        const result = (await (runtime.name === 'web' ? exclusive(run) : run()));
        return result[output].dims.length >= 2 ? Number(result[output].dims[1]) : 1;
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${shownPath}: the number of columns of output "${output}" is not in the graph, and a trial run failed: ${error.message}`, 'Export the model with a fixed number of output columns (the classes), or list the classes in the model card (signature.target.classes).');
    }
}
/** Decides the task, the classes (in the order predict gives them) and the output to read. */
async function planOutput(outputs, info, options, probe) {
    const { shownPath } = options;
    const card = options.signature?.target;
    const meta = metadataTarget(info);
    const targetName = card?.name ?? meta.name ?? 'target';
    const roles = outputRoles(outputs);
    const none = () => new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${shownPath}: none of the graph's outputs is class probabilities, labels or a single value: ${describeOutputs(outputs) || 'it has no outputs'}`, 'A classifier should output probabilities (float [N, classes]) and/or labels ([N]); a regressor one float value per row ([N] or [N, 1]).');
    const cardClasses = card?.task === 'classification' && card.classes.length > 0 ? [...card.classes] : null;
    const metaClasses = meta.classes && meta.classes.length > 0 ? meta.classes : null;
    const graphClasses = info.classLabels && info.classLabels.length > 0 ? [...info.classLabels] : null;
    let task = card?.task ?? (meta.task === 'classification' || meta.task === 'regression' ? meta.task : undefined);
    let probWidth = roles.probabilities ? widthOf(roles.probabilities) : null;
    if (!task) {
        if (roles.labels ||
            (roles.probabilities && (PROBABILITY_NAME.test(roles.probabilities.name) || LOGIT_NAME.test(roles.probabilities.name))))
            task = 'classification';
        else if (roles.probabilities) {
            if (probWidth === null)
                probWidth = await probe(roles.probabilities.name);
            task = probWidth > 1 ? 'classification' : 'regression';
        }
        else
            task = 'regression';
    }
    if (task === 'regression') {
        // A matrix found to have one column is a value too.
        const candidates = roles.probabilities && probWidth === 1 && !roles.values.includes(roles.probabilities)
            ? [...roles.values, roles.probabilities]
            : roles.values;
        const value = candidates.length === 1 ? candidates[0] : (candidates.find((v) => VALUE_NAMES.test(v.name)) ?? null);
        if (!value) {
            if (task === (card?.task ?? meta.task) && (roles.labels || roles.probabilities))
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${shownPath}: ${card ? 'the model card says' : 'the graph metadata mlops.target says'} the task is regression, but the graph gives no single float value per row: ${describeOutputs(outputs)}`, "A regressor should output one float value per row ([N] or [N, 1]); for a classifier, make the card's signature.target a classification with its classes.");
            if (candidates.length > 1)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${shownPath}: the graph has several float outputs (${quoted(candidates.map((v) => v.name))}) and none is named as the prediction`, 'Export the regressor with one float output [N, 1] (named variable, output or predictions).');
            throw none();
        }
        return { output: { kind: 'value', name: value.name }, target: { name: targetName, task: 'regression' }, probabilities: true };
    }
    // Classification: probabilities when the graph gives them, else labels.
    const source = roles.probabilities ?? (roles.labels ? null : (roles.values[0] ?? null));
    if (source) {
        const width = probWidth ?? widthOf(source) ?? (rankOf(source) === 1 ? 1 : await probe(source.name));
        const columns = width === 1 ? 2 : width;
        const inGraph = graphClasses ?? cardClasses ?? metaClasses;
        const graphOrder = inGraph ?? Array.from({ length: columns }, (_, i) => String(i));
        if (graphOrder.length !== columns)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${shownPath}: output "${source.name}" gives ${width === 1 ? 'one probability (a binary model: 2 classes)' : `${width} class probabilities`}, but ${graphClasses ? 'the graph lists' : cardClasses ? 'the model card lists' : 'the graph metadata lists'} ${graphOrder.length} classes (${graphOrder.join(', ')})`, "Make the classes (the model card's signature.target.classes) those the model was trained on, in its order.");
        const classes = cardClasses ?? graphOrder;
        const order = classOrder(classes, graphOrder, shownPath);
        const transform = LOGIT_NAME.test(source.name) ? (width === 1 ? 'sigmoid' : 'softmax') : 'none';
        if (transform !== 'none')
            options.log?.(`${shownPath}: output "${source.name}" holds logits; predictions apply ${transform === 'sigmoid' ? 'a sigmoid' : 'a softmax'} to make them probabilities.`);
        return {
            output: { kind: 'probabilities', name: source.name, width, order, transform },
            target: { name: targetName, task: 'classification', classes },
            probabilities: true,
        };
    }
    if (!roles.labels)
        throw none();
    const known = graphClasses ?? cardClasses ?? metaClasses;
    if (!known)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${shownPath}: the graph outputs labels only ("${roles.labels.name}") and does not list its classes`, 'List the classes in the model card (signature.target.classes) or the graph metadata mlops.target, or export the classifier with its probabilities.');
    const classes = cardClasses ?? known;
    if (graphClasses && cardClasses)
        classOrder(cardClasses, graphClasses, shownPath);
    options.log?.(`${shownPath} gives labels only, no probabilities: each prediction is one class with probability 1.`);
    return {
        output: { kind: 'labels', name: roles.labels.name, classes: new Map(classes.map((c, i) => [c, i])), width: classes.length },
        target: { name: targetName, task: 'classification', classes },
        probabilities: false,
    };
}
/** For each of `classes`, its column in `graphOrder` (the same classes); a UserError when they are not the same. */
function classOrder(classes, graphOrder, shownPath) {
    const index = new Map(graphOrder.map((c, i) => [c, i]));
    const order = Int32Array.from(classes, (c) => index.get(c) ?? -1);
    if (classes.length !== graphOrder.length || order.includes(-1) || new Set(order).size !== order.length)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${shownPath}: the model card's classes (${classes.join(', ')}) are not the classes the graph gives (${graphOrder.join(', ')})`, "Make the card's signature.target.classes the labels the model was trained on (a classifier's classlabels).");
    return order;
}
/** Loads a graph into ONNX Runtime and works out how to feed it and read it (see the header). */
async function openOnnxModel(bytes, options) {
    const { shownPath } = options;
    const log = options.log ?? (() => { });
    const info = (0,_onnx_graph_js__WEBPACK_IMPORTED_MODULE_2__/* .inspectOnnx */ .ov)(bytes, shownPath);
    const stripped = (0,_onnx_graph_js__WEBPACK_IMPORTED_MODULE_2__/* .stripZipMap */ .Sn)(bytes);
    for (const name of stripped.stripped)
        log(`${shownPath}: output "${name}" is a ZipMap (a list of per-row maps, which ONNX Runtime cannot return in JavaScript); replaced by the probability tensor it is built from.`);
    const graph = stripped.stripped.length > 0 ? (0,_onnx_graph_js__WEBPACK_IMPORTED_MODULE_2__/* .inspectOnnx */ .ov)(stripped.bytes, shownPath) : info;
    const { session, runtime } = await (0,_onnx_runtime_js__WEBPACK_IMPORTED_MODULE_3__/* .createSession */ .jw)(stripped.bytes, shownPath);
    try {
        const inputs = values(session.inputNames, session.inputMetadata, graph.inputs);
        const outputs = values(session.outputNames, session.outputMetadata, graph.outputs);
        const { feed, features } = planFeed(inputs, graph, options);
        const { output, target, probabilities } = await planOutput(outputs, info, options, (name) => probeWidth(runtime, session, feed, name, shownPath));
        return new OnnxModel(runtime, session, shownPath, feed, output, {
            algorithm: options.algorithm ?? 'onnx',
            signature: { features, target, probabilities },
            info,
            inputs,
            outputs,
        });
    }
    catch (error) {
        void session.release().catch(() => { });
        throw error;
    }
}


/***/ }),

/***/ 1107:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ao: () => (/* binding */ encodeTarget),
/* harmony export */   HK: () => (/* binding */ compareLabels),
/* harmony export */   Nv: () => (/* binding */ labelledRows),
/* harmony export */   Po: () => (/* binding */ PREPROCESS_FORMAT),
/* harmony export */   Wy: () => (/* binding */ labelOf),
/* harmony export */   vO: () => (/* binding */ fitPreprocessor),
/* harmony export */   yq: () => (/* binding */ encodeFeatures),
/* harmony export */   zo: () => (/* binding */ preprocessSignature)
/* harmony export */ });
/* unused harmony exports DEFAULT_MAX_CATEGORIES, inferTask */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);
/* harmony import */ var _data_table_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(60524);
/**
 * The preprocessing that is part of the model: fitted on training rows only, applied
 * here to encode the training rows, and written into the exported ONNX graph
 * (export-onnx.ts), which applies it the same way at evaluation and serving (no
 * train/serve skew; the export tests hold the graph to `encodeFeatures`). Numeric columns: missing values take the training mean,
 * then standardisation. Text columns (categories, booleans, dates): one-hot over
 * the most frequent training values plus one "unknown" slot, which also takes
 * missing values and values never seen in training.
 */


const PREPROCESS_FORMAT = 'mlops-preprocess/v1';
const DEFAULT_MAX_CATEGORIES = 100;
/** Classification when the target holds text, or at most 20 distinct whole numbers; else regression. */
function inferTask(column, rows) {
    if (column.texts)
        return 'classification';
    const distinct = new Set();
    for (const r of rows) {
        const v = column.numbers[r];
        if (Number.isNaN(v))
            continue;
        if (!Number.isInteger(v))
            return 'regression';
        distinct.add(v);
        if (distinct.size > 20)
            return 'regression';
    }
    return 'classification';
}
/** The label of a row as text (classification), or null when missing. */
function labelOf(column, row) {
    if (column.texts)
        return column.texts[row] ?? null;
    const v = column.numbers[row];
    return Number.isNaN(v) ? null : String(v);
}
/** Fits the preprocessing on `rows` (training rows only). */
function fitPreprocessor(table, rows, options) {
    const targetColumn = (0,_data_table_js__WEBPACK_IMPORTED_MODULE_1__.tableColumn)(table, options.target, 'target column');
    const task = options.task && options.task !== 'auto' ? options.task : inferTask(targetColumn, rows);
    const names = options.features ?? table.columns.map((c) => c.name).filter((n) => n !== options.target);
    if (names.length === 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .y('no feature columns: the data has only the target column', 'Add feature columns, or list them in train.features.');
    if (names.includes(options.target))
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .y(`train.features lists the target "${options.target}"`, 'Remove the target from the features.');
    const maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
    const features = names.map((name) => {
        const column = (0,_data_table_js__WEBPACK_IMPORTED_MODULE_1__.tableColumn)(table, name, 'feature column');
        if (!column.texts) {
            const { mean, std } = meanAndStd(column.numbers, rows);
            return { name, kind: 'numeric', mean, std: std > 1e-12 * Math.max(1, Math.abs(mean)) ? std : 1 };
        }
        const counts = new Map();
        for (const r of rows) {
            const t = column.texts[r];
            if (t !== null && t !== undefined)
                counts.set(t, (counts.get(t) ?? 0) + 1);
        }
        const categories = [...counts.entries()]
            .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
            .slice(0, maxCategories)
            .map(([value]) => value);
        return { name, kind: 'categorical', categories };
    });
    let target;
    if (task === 'classification') {
        const classes = new Set();
        for (const r of rows) {
            const label = labelOf(targetColumn, r);
            if (label !== null)
                classes.add(label);
        }
        const sorted = [...classes].sort(compareLabels);
        if (sorted.length < 2) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .y(`target "${options.target}" has ${sorted.length} class in the training rows; classification needs at least 2`, 'Check the target column, or set train.task: regression.');
        }
        target = { name: options.target, task, classes: sorted };
    }
    else {
        if (targetColumn.texts)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .y(`target "${options.target}" holds text, so it cannot be a regression target`, 'Set train.task: classification, or pick a numeric target.');
        const { mean, std } = meanAndStd(targetColumn.numbers, rows);
        target = { name: options.target, task, mean, std: std > 1e-12 * Math.max(1, Math.abs(mean)) ? std : 1 };
    }
    const width = features.reduce((w, f) => w + (f.kind === 'numeric' ? 1 : f.categories.length + 1), 0);
    return { format: PREPROCESS_FORMAT, features, target, width };
}
/** Mean and sample standard deviation of the finite values at `rows`, in two passes (exact for large offsets). */
function meanAndStd(values, rows) {
    let n = 0;
    let sum = 0;
    for (const r of rows) {
        const v = values[r];
        if (Number.isFinite(v)) {
            n++;
            sum += v;
        }
    }
    const mean = n > 0 ? sum / n : 0;
    let squares = 0;
    for (const r of rows) {
        const v = values[r];
        if (Number.isFinite(v))
            squares += (v - mean) * (v - mean);
    }
    return { mean, std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0 };
}
/** Numbers first, in numeric order; then text in code-point order. */
function compareLabels(a, b) {
    const na = Number(a);
    const nb = Number(b);
    const aNum = a.trim() !== '' && Number.isFinite(na);
    const bNum = b.trim() !== '' && Number.isFinite(nb);
    if (aNum && bNum)
        return na - nb;
    if (aNum !== bNum)
        return aNum ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
}
/** The signature of a model fitted with this preprocessing: its feature columns and target, as its graph takes them. */
function preprocessSignature(pre) {
    return {
        features: pre.features.map((f) => ({ name: f.name, type: f.kind === 'numeric' ? 'number' : 'string' })),
        target: pre.target.task === 'classification'
            ? { ...pre.target, classes: [...pre.target.classes] }
            : { name: pre.target.name, task: 'regression' },
        probabilities: true,
    };
}
/** Encodes `rows` of the table into a row-major Float32Array of rows x width. */
function encodeFeatures(pre, table, rows) {
    const out = new Float32Array(rows.length * pre.width);
    let offset = 0;
    for (const feature of pre.features) {
        const column = (0,_data_table_js__WEBPACK_IMPORTED_MODULE_1__.tableColumn)(table, feature.name, 'feature column');
        if (feature.kind === 'numeric') {
            for (let i = 0; i < rows.length; i++) {
                let v = column.numbers[rows[i]];
                if (!Number.isFinite(v))
                    v = feature.mean;
                out[i * pre.width + offset] = (v - feature.mean) / feature.std;
            }
            offset += 1;
        }
        else {
            const index = new Map(feature.categories.map((c, i) => [c, i]));
            const unknown = feature.categories.length;
            for (let i = 0; i < rows.length; i++) {
                const r = rows[i];
                const text = column.texts ? column.texts[r] : Number.isNaN(column.numbers[r]) ? null : String(column.numbers[r]);
                const slot = text === null || text === undefined ? unknown : (index.get(text) ?? unknown);
                out[i * pre.width + offset + slot] = 1;
            }
            offset += feature.categories.length + 1;
        }
    }
    return out;
}
/** Rows whose target is present (and, for classification, a known class). */
function labelledRows(pre, table, rows) {
    const column = (0,_data_table_js__WEBPACK_IMPORTED_MODULE_1__.tableColumn)(table, pre.target.name, 'target column');
    if (pre.target.task === 'classification') {
        const known = new Set(pre.target.classes);
        return rows.filter((r) => {
            const label = labelOf(column, r);
            return label !== null && known.has(label);
        });
    }
    return rows.filter((r) => Number.isFinite(column.numbers[r]));
}
/** Class indices (classification) or standardized values (regression) of `rows`, which must be labelled. */
function encodeTarget(pre, table, rows) {
    const column = (0,_data_table_js__WEBPACK_IMPORTED_MODULE_1__.tableColumn)(table, pre.target.name, 'target column');
    const target = pre.target;
    if (target.task === 'classification') {
        const index = new Map(target.classes.map((c, i) => [c, i]));
        return Int32Array.from(rows, (r) => index.get(labelOf(column, r) ?? '') ?? -1);
    }
    return Float32Array.from(rows, (r) => (column.numbers[r] - target.mean) / target.std);
}


/***/ }),

/***/ 84148:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CF: () => (/* binding */ attr),
  ov: () => (/* binding */ inspectOnnx),
  f7: () => (/* binding */ makeGraph),
  S8: () => (/* binding */ makeModel),
  HI: () => (/* binding */ makeNode),
  Qm: () => (/* binding */ makeTensor),
  UF: () => (/* binding */ makeValueInfo),
  Sn: () => (/* binding */ stripZipMap)
});

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
;// CONCATENATED MODULE: ./src/core/onnx/proto.ts
/**
 * A minimal Protocol Buffers wire-format codec: enough to read, rewrite and write ONNX
 * files with no protobuf library and no generated code.
 *
 * Convention (the protobuf encoding spec): a message is a run of fields, each a varint
 * tag (field number << 3 | wire type) then its payload: a varint (wire type 0), 8
 * little-endian bytes (1), a varint length and that many bytes (2: strings, bytes,
 * embedded messages, packed repeated scalars) or 4 little-endian bytes (5). Groups
 * (wire types 3 and 4, deprecated, unused by ONNX) are rejected.
 *
 * Decoding is lossless: a message decodes to its fields in file order, each with its
 * number, wire type, payload bytes and the exact bytes it was read from (`raw`, views
 * into the input, nothing is copied). Encoding writes a field's `raw` bytes back as they
 * are, so fields nobody models, and every field left untouched, survive a rewrite byte for
 * byte. To change a field, replace it with a new one (built by the writers below, which
 * have no `raw`). Repeated scalars read the same packed or not, as parsers must.
 */
const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;
/** Bytes that are not a well-formed protobuf message (where and why in the message). */
class ProtoError extends Error {
    name = 'ProtoError';
}
// ---------------------------------------------------------------------------------------
// Decoding
/** The fields of a message. Throws ProtoError for bytes that are not a well-formed message. */
function decodeMessage(bytes) {
    const fields = [];
    const end = bytes.length;
    let pos = 0;
    while (pos < end) {
        const start = pos;
        let tag = 0;
        let scale = 1;
        for (;;) {
            if (pos >= end)
                throw new ProtoError(`truncated field tag at byte ${start}`);
            const b = bytes[pos++];
            tag += (b & 0x7f) * scale;
            if (b < 0x80)
                break;
            scale *= 128;
            if (pos - start >= 5)
                throw new ProtoError(`field tag too long at byte ${start}`);
        }
        const number = Math.floor(tag / 8);
        const wire = tag % 8;
        if (number === 0 || number > 0x1fffffff)
            throw new ProtoError(`invalid field number ${number} at byte ${start}`);
        let dataStart = pos;
        switch (wire) {
            case WIRE_VARINT: {
                for (;;) {
                    if (pos >= end)
                        throw new ProtoError(`truncated varint (field ${number}) at byte ${dataStart}`);
                    if (bytes[pos++] < 0x80)
                        break;
                    if (pos - dataStart >= 10)
                        throw new ProtoError(`varint longer than 10 bytes (field ${number}) at byte ${dataStart}`);
                }
                break;
            }
            case WIRE_I64:
                pos += 8;
                break;
            case WIRE_I32:
                pos += 4;
                break;
            case WIRE_LEN: {
                let length = 0;
                let lscale = 1;
                for (;;) {
                    if (pos >= end)
                        throw new ProtoError(`truncated length (field ${number}) at byte ${dataStart}`);
                    const b = bytes[pos++];
                    length += (b & 0x7f) * lscale;
                    if (b < 0x80)
                        break;
                    lscale *= 128;
                    if (pos - dataStart >= 10)
                        throw new ProtoError(`length varint too long (field ${number}) at byte ${dataStart}`);
                }
                dataStart = pos;
                pos += length;
                break;
            }
            default:
                throw new ProtoError(`unsupported wire type ${wire} (field ${number}) at byte ${start}`);
        }
        if (pos > end)
            throw new ProtoError(`field ${number} at byte ${start} runs past the end (${pos - end} bytes missing): the data is truncated or not protobuf`);
        fields.push({ number, wire: wire, data: bytes.subarray(dataStart, pos), raw: bytes.subarray(start, pos) });
    }
    return fields;
}
/** The value of varint bytes (unsigned, up to 64 bits). */
function readVarint(data, pos) {
    // Fast path: values below 2^28 fit in plain numbers.
    let value = 0;
    let i = pos;
    for (let shift = 0; shift < 28; shift += 7) {
        if (i >= data.length)
            throw new ProtoError('truncated varint');
        const b = data[i++];
        value |= (b & 0x7f) << shift;
        if (b < 0x80)
            return { value: BigInt(value >>> 0), next: i };
    }
    let big = BigInt(value >>> 0);
    for (let shift = 28n;; shift += 7n) {
        if (i >= data.length)
            throw new ProtoError('truncated varint');
        if (shift > 63n)
            throw new ProtoError('varint longer than 10 bytes');
        const b = data[i++];
        big |= BigInt(b & 0x7f) << shift;
        if (b < 0x80)
            return { value: BigInt.asUintN(64, big), next: i };
    }
}
function expectWire(field, wire, what) {
    if (field.wire !== wire)
        throw new ProtoError(`field ${field.number} has wire type ${field.wire}, expected ${wire} (${what})`);
}
/** An unsigned 64-bit value (varint, or fixed64). */
function fieldUint64(field) {
    if (field.wire === WIRE_I64)
        return new DataView(field.data.buffer, field.data.byteOffset, 8).getBigUint64(0, true);
    expectWire(field, WIRE_VARINT, 'integer');
    return readVarint(field.data, 0).value;
}
/** A signed 64-bit value (int64, int32 and enums: negative values are sign-extended varints). */
function fieldInt64(field) {
    return BigInt.asIntN(64, fieldUint64(field));
}
/** A signed integer as a number (int32, enums; int64 values beyond 2^53 lose precision). */
function fieldInt(field) {
    return Number(fieldInt64(field));
}
/** A float (wire type 5). */
function fieldFloat(field) {
    expectWire(field, WIRE_I32, 'float');
    return new DataView(field.data.buffer, field.data.byteOffset, 4).getFloat32(0, true);
}
/** A double (wire type 1). */
function fieldDouble(field) {
    expectWire(field, WIRE_I64, 'double');
    return new DataView(field.data.buffer, field.data.byteOffset, 8).getFloat64(0, true);
}
const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();
/** A string (UTF-8; invalid sequences read as U+FFFD). */
function fieldString(field) {
    expectWire(field, WIRE_LEN, 'string');
    return utf8Decoder.decode(field.data);
}
/** A bytes field's contents (a view, not a copy). */
function fieldBytes(field) {
    expectWire(field, WIRE_LEN, 'bytes');
    return field.data;
}
/** An embedded message's fields. */
function fieldMessage(field) {
    expectWire(field, WIRE_LEN, 'message');
    return decodeMessage(field.data);
}
/** Every field numbered `number`, in order. */
function fieldsNumbered(message, number) {
    return message.filter((f) => f.number === number);
}
/** The last field numbered `number` (a non-repeated field's value: the last one wins), or undefined. */
function lastField(message, number) {
    for (let i = message.length - 1; i >= 0; i--)
        if (message[i].number === number)
            return message[i];
    return undefined;
}
/** Every value of a repeated varint field, packed or not (unsigned; see BigInt.asIntN for signed). */
function repeatedVarints(message, number) {
    const out = [];
    for (const field of message) {
        if (field.number !== number)
            continue;
        if (field.wire === WIRE_LEN) {
            for (let pos = 0; pos < field.data.length;) {
                const { value, next } = readVarint(field.data, pos);
                out.push(value);
                pos = next;
            }
        }
        else
            out.push(fieldUint64(field));
    }
    return out;
}
/** Every value of a repeated float field, packed or not. */
function repeatedFloats(message, number) {
    const out = [];
    for (const field of message) {
        if (field.number !== number)
            continue;
        if (field.wire === WIRE_LEN) {
            if (field.data.length % 4 !== 0)
                throw new ProtoError(`packed floats (field ${number}) of ${field.data.length} bytes`);
            const view = new DataView(field.data.buffer, field.data.byteOffset, field.data.length);
            for (let pos = 0; pos < field.data.length; pos += 4)
                out.push(view.getFloat32(pos, true));
        }
        else
            out.push(fieldFloat(field));
    }
    return out;
}
/** Every value of a repeated double field, packed or not. */
function repeatedDoubles(message, number) {
    const out = [];
    for (const field of message) {
        if (field.number !== number)
            continue;
        if (field.wire === WIRE_LEN) {
            if (field.data.length % 8 !== 0)
                throw new ProtoError(`packed doubles (field ${number}) of ${field.data.length} bytes`);
            const view = new DataView(field.data.buffer, field.data.byteOffset, field.data.length);
            for (let pos = 0; pos < field.data.length; pos += 8)
                out.push(view.getFloat64(pos, true));
        }
        else
            out.push(fieldDouble(field));
    }
    return out;
}
/** Every value of a repeated string field. */
function repeatedStrings(message, number) {
    return fieldsNumbered(message, number).map(fieldString);
}
// ---------------------------------------------------------------------------------------
// Encoding
function varintSize(value) {
    let size = 1;
    while (value >= 128) {
        value = Math.floor(value / 128);
        size++;
    }
    return size;
}
function writeVarintNumber(out, pos, value) {
    while (value >= 128) {
        out[pos++] = (value % 128) | 0x80;
        value = Math.floor(value / 128);
    }
    out[pos++] = value;
    return pos;
}
/** The varint bytes of a value: non-negative, or negative as its 64-bit two's complement (10 bytes). */
function encodeVarint(value) {
    if (typeof value === 'number') {
        if (!Number.isInteger(value))
            throw new RangeError(`not an integer: ${value}`);
        if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) {
            const out = new Uint8Array(varintSize(value));
            writeVarintNumber(out, 0, value);
            return out;
        }
        value = BigInt(value);
    }
    if (value < -(2n ** 63n) || value >= 2n ** 64n)
        throw new RangeError(`varint out of the 64-bit range: ${value}`);
    let v = BigInt.asUintN(64, value);
    const bytes = [];
    while (v >= 128n) {
        bytes.push(Number(v & 0x7fn) | 0x80);
        v >>= 7n;
    }
    bytes.push(Number(v));
    return Uint8Array.from(bytes);
}
/** The bytes of a message: each field's `raw` bytes when it has them, else its tag (and length) and payload. */
function encodeMessage(fields) {
    let size = 0;
    for (const f of fields) {
        if (f.raw)
            size += f.raw.length;
        else
            size += varintSize(f.number * 8 + f.wire) + (f.wire === WIRE_LEN ? varintSize(f.data.length) : 0) + f.data.length;
    }
    const out = new Uint8Array(size);
    let pos = 0;
    for (const f of fields) {
        if (f.raw) {
            out.set(f.raw, pos);
            pos += f.raw.length;
            continue;
        }
        pos = writeVarintNumber(out, pos, f.number * 8 + f.wire);
        if (f.wire === WIRE_LEN)
            pos = writeVarintNumber(out, pos, f.data.length);
        out.set(f.data, pos);
        pos += f.data.length;
    }
    return out;
}
/** A varint field (int32, int64, uint64, bool, enum; negative values as 10-byte two's complement). */
function varintField(number, value) {
    return { number, wire: WIRE_VARINT, data: encodeVarint(typeof value === 'boolean' ? (value ? 1 : 0) : value) };
}
/** A float field (wire type 5). */
function floatField(number, value) {
    const data = new Uint8Array(4);
    new DataView(data.buffer).setFloat32(0, value, true);
    return { number, wire: WIRE_I32, data };
}
/** A double field (wire type 1). */
function doubleField(number, value) {
    const data = new Uint8Array(8);
    new DataView(data.buffer).setFloat64(0, value, true);
    return { number, wire: WIRE_I64, data };
}
/** A bytes field (the array is referenced, not copied). */
function bytesField(number, data) {
    return { number, wire: WIRE_LEN, data };
}
/** A string field, UTF-8. */
function stringField(number, text) {
    return { number, wire: WIRE_LEN, data: utf8Encoder.encode(text) };
}
/** An embedded message field. */
function messageField(number, message) {
    return { number, wire: WIRE_LEN, data: encodeMessage(message) };
}
/** A packed repeated varint field. */
function packedVarintField(number, values) {
    const parts = values.map((v) => encodeVarint(v));
    const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let pos = 0;
    for (const p of parts) {
        data.set(p, pos);
        pos += p.length;
    }
    return { number, wire: WIRE_LEN, data };
}
/** A packed repeated float field. */
function packedFloatField(number, values) {
    const data = new Uint8Array(values.length * 4);
    const view = new DataView(data.buffer);
    for (let i = 0; i < values.length; i++)
        view.setFloat32(i * 4, values[i], true);
    return { number, wire: WIRE_LEN, data };
}

;// CONCATENATED MODULE: ./src/core/onnx/graph.ts
/**
 * ONNX files read, rewritten and written with the small protobuf codec of proto.ts (no
 * protobuf library): `inspectOnnx` (what a graph takes and gives, its opsets, metadata,
 * operators and class labels), `stripZipMap` (a classifier's ZipMap output, a sequence of
 * maps ONNX Runtime for JavaScript cannot return, turned back into the probability tensor
 * it wraps) and builders for the exporter (nodes, attributes, initializers, value infos,
 * graphs, models).
 *
 * Convention: field numbers and enums are those of ONNX's onnx.proto (ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto,
 * TensorShapeProto, OperatorSetIdProto, StringStringEntryProto), named once below.
 * Builders write fields in field-number order, as protobuf's own serializers do, and
 * proto2's repeated scalars unpacked except where onnx.proto asks for [packed = true].
 * Rewrites keep every field they do not change byte for byte (proto.ts).
 */


// ---------------------------------------------------------------------------------------
// onnx.proto field numbers
const MODEL = {
    irVersion: 1,
    producerName: 2,
    producerVersion: 3,
    domain: 4,
    modelVersion: 5,
    docString: 6,
    graph: 7,
    opsetImport: 8,
    metadataProps: 14,
};
const GRAPH = { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12, valueInfo: 13, sparseInitializer: 15 };
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, docString: 6, domain: 7 };
const ATTRIBUTE = { name: 1, f: 2, i: 3, s: 4, t: 5, g: 6, floats: 7, ints: 8, strings: 9, tensors: 10, graphs: 11, type: 20 };
/** AttributeProto.AttributeType. */
const ATTRIBUTE_TYPE = {
    FLOAT: 1,
    INT: 2,
    STRING: 3,
    TENSOR: 4,
    GRAPH: 5,
    FLOATS: 6,
    INTS: 7,
    STRINGS: 8,
    TENSORS: 9,
    GRAPHS: 10,
};
const TENSOR = { dims: 1, dataType: 2, stringData: 6, name: 8, rawData: 9 };
const SPARSE_TENSOR = { values: 1 };
const VALUE_INFO = { name: 1, type: 2 };
const TYPE = { tensor: 1, sequence: 4, map: 5 };
const TENSOR_TYPE = { elemType: 1, shape: 2 };
const SEQUENCE_TYPE = { elemType: 1 };
const MAP_TYPE = { keyType: 1, valueType: 2 };
const SHAPE = { dim: 1 };
const DIMENSION = { value: 1, param: 2 };
const OPSET = { domain: 1, version: 2 };
const ENTRY = { key: 1, value: 2 };
/** The deepest nesting of subgraphs or types read (exporters write a few levels; a hostile file could write thousands). */
const MAX_NESTING = 64;
/** TensorProto.DataType codes of the element types we name. */
const DATA_TYPE = {
    float32: 1,
    uint8: 2,
    int8: 3,
    uint16: 4,
    int16: 5,
    int32: 6,
    int64: 7,
    string: 8,
    bool: 9,
    float16: 10,
    float64: 11,
    uint32: 12,
    uint64: 13,
};
const ELEM_TYPE = new Map(Object.entries(DATA_TYPE).map(([name, code]) => [code, name]));
/** The opset domain of ONNX's own operators is '' (also spelled 'ai.onnx'). */
const DEFAULT_DOMAIN = '';
const ML_DOMAIN = 'ai.onnx.ml';
const NOT_ONNX_HINT = 'Point at the model exported to ONNX (skl2onnx, torch.onnx.export, tf2onnx or onnxmltools write a binary .onnx file); ' +
    'a file cut short by a download or a copy must be fetched again.';
/** The domain as the opsets key it: '' for ONNX's own operators. */
function normalDomain(domain) {
    return domain === 'ai.onnx' ? DEFAULT_DOMAIN : domain;
}
/** An embedded message's fields (ProtoError when the field is not one: the bytes are not ONNX). */
const message = fieldMessage;
function str(msg, number) {
    const field = lastField(msg, number);
    return field ? fieldString(field) : '';
}
function graph_int(msg, number) {
    const field = lastField(msg, number);
    return field ? fieldInt(field) : null;
}
/** Why `bytes` are not an ONNX model, or null when they decode as a ModelProto with a graph. */
function parseModel(bytes) {
    if (bytes.length === 0)
        return 'the file is empty';
    let first = 0;
    while (first < bytes.length &&
        first < 64 &&
        (bytes[first] === 0x20 || bytes[first] === 0x0a || bytes[first] === 0x0d || bytes[first] === 0x09))
        first++;
    const lead = bytes[first];
    if (lead === 0x7b || lead === 0x5b)
        return `it holds text starting with "${String.fromCharCode(lead)}", like JSON; an ONNX model is a binary protobuf file`;
    if (lead === 0x3c)
        return 'it holds text starting with "<", like HTML or XML; an ONNX model is a binary protobuf file';
    let model;
    try {
        model = decodeMessage(bytes);
    }
    catch (error) {
        return `not a protobuf message: ${error.message}`;
    }
    const ir = lastField(model, MODEL.irVersion);
    const graphField = lastField(model, MODEL.graph);
    if (!ir || ir.wire !== WIRE_VARINT)
        return 'no ir_version field';
    if (!graphField || graphField.wire !== WIRE_LEN)
        return 'no graph field';
    let graph;
    try {
        graph = decodeMessage(graphField.data);
    }
    catch (error) {
        return `its graph is not a protobuf message: ${error.message}`;
    }
    return { model, graph };
}
/** What an ONNX model takes and gives. Throws a UserError naming `shownPath` for bytes that are not an ONNX model. */
function inspectOnnx(bytes, shownPath) {
    const parsed = parseModel(bytes);
    const notOnnx = (reason) => new errors/* UserError */.y(`${shownPath} is not an ONNX model (${reason})`, NOT_ONNX_HINT);
    if (typeof parsed === 'string')
        throw notOnnx(parsed);
    try {
        return describeModel(parsed.model, parsed.graph);
    }
    catch (error) {
        if (error instanceof ProtoError)
            throw notOnnx(`malformed: ${error.message}`);
        throw error;
    }
}
function describeModel(model, graph) {
    const opsets = Object.create(null);
    for (const field of fieldsNumbered(model, MODEL.opsetImport)) {
        const opset = message(field);
        opsets[normalDomain(str(opset, OPSET.domain))] = graph_int(opset, OPSET.version) ?? 0;
    }
    const metadata = Object.create(null);
    for (const field of fieldsNumbered(model, MODEL.metadataProps)) {
        const entry = message(field);
        metadata[str(entry, ENTRY.key)] = str(entry, ENTRY.value);
    }
    const initializers = new Set();
    for (const field of fieldsNumbered(graph, GRAPH.initializer))
        initializers.add(str(message(field), TENSOR.name));
    for (const field of fieldsNumbered(graph, GRAPH.sparseInitializer)) {
        const values = lastField(message(field), SPARSE_TENSOR.values);
        if (values)
            initializers.add(str(message(values), TENSOR.name));
    }
    const inputs = fieldsNumbered(graph, GRAPH.input)
        .map((f) => readValueInfo(message(f)))
        .filter((v) => !initializers.has(v.name));
    const outputs = fieldsNumbered(graph, GRAPH.output).map((f) => readValueInfo(message(f)));
    const operators = [];
    const seen = new Set();
    let classLabels = null;
    const visit = (g, top, depth = 0) => {
        // Subgraphs (If, Loop, Scan) nest; a file nesting them without end is not a model anyone exported.
        if (depth > MAX_NESTING)
            throw new ProtoError(`subgraphs nested more than ${MAX_NESTING} deep`);
        for (const field of fieldsNumbered(g, GRAPH.node)) {
            const node = message(field);
            const domain = normalDomain(str(node, NODE.domain));
            const opType = str(node, NODE.opType);
            const key = `${domain}\u0000${opType}`;
            if (!seen.has(key)) {
                seen.add(key);
                operators.push({ domain, opType });
            }
            const attributes = fieldsNumbered(node, NODE.attribute).map(message);
            if (top && classLabels === null && opType !== 'LabelEncoder')
                classLabels = classLabelsOf(attributes);
            for (const attribute of attributes) {
                for (const sub of fieldsNumbered(attribute, ATTRIBUTE.g))
                    visit(message(sub), false, depth + 1);
                for (const sub of fieldsNumbered(attribute, ATTRIBUTE.graphs))
                    visit(message(sub), false, depth + 1);
            }
        }
    };
    visit(graph, true);
    return {
        irVersion: graph_int(model, MODEL.irVersion) ?? 0,
        producer: str(model, MODEL.producerName),
        opsets,
        inputs,
        outputs,
        metadata,
        operators,
        classLabels,
    };
}
/** A classifier's labels (classlabels_strings, classlabels_int64s or classlabels_ints), or null when the node has none. */
function classLabelsOf(attributes) {
    for (const attribute of attributes) {
        const name = str(attribute, ATTRIBUTE.name);
        if (name === 'classlabels_strings') {
            const labels = fieldsNumbered(attribute, ATTRIBUTE.strings).map((f) => fieldString(f));
            if (labels.length > 0)
                return labels;
        }
        else if (name === 'classlabels_int64s' || name === 'classlabels_ints') {
            const labels = repeatedVarints(attribute, ATTRIBUTE.ints).map((v) => BigInt.asIntN(64, v).toString());
            if (labels.length > 0)
                return labels;
        }
    }
    return null;
}
function readValueInfo(msg) {
    const typeField = lastField(msg, VALUE_INFO.type);
    return { name: str(msg, VALUE_INFO.name), ...readType(typeField ? message(typeField) : null) };
}
function readType(type, depth = 0) {
    if (!type)
        return { kind: 'other', elemType: null, shape: null };
    if (depth > MAX_NESTING)
        throw new ProtoError(`types nested more than ${MAX_NESTING} deep`);
    const tensor = lastField(type, TYPE.tensor);
    if (tensor) {
        const t = message(tensor);
        const code = graph_int(t, TENSOR_TYPE.elemType);
        const shapeField = lastField(t, TENSOR_TYPE.shape);
        const shape = shapeField
            ? fieldsNumbered(message(shapeField), SHAPE.dim).map((d) => {
                const dim = message(d);
                const value = lastField(dim, DIMENSION.value);
                if (value)
                    return fieldInt(value);
                const param = lastField(dim, DIMENSION.param);
                return param ? fieldString(param) : null;
            })
            : null;
        return { kind: 'tensor', elemType: code === null ? null : (ELEM_TYPE.get(code) ?? null), shape };
    }
    const sequence = lastField(type, TYPE.sequence);
    if (sequence) {
        const elem = lastField(message(sequence), SEQUENCE_TYPE.elemType);
        return { kind: 'sequence', elemType: elem ? readType(message(elem), depth + 1).elemType : null, shape: null };
    }
    const map = lastField(type, TYPE.map);
    if (map) {
        const value = lastField(message(map), MAP_TYPE.valueType);
        return { kind: 'map', elemType: value ? readType(message(value), depth + 1).elemType : null, shape: null };
    }
    return { kind: 'other', elemType: null, shape: null };
}
// ---------------------------------------------------------------------------------------
// Rewriting
/**
 * Replaces each ZipMap node whose output is a graph output by an Identity node (same
 * input and output names), so the output is the float tensor [N, C] of probabilities the
 * ZipMap wrapped (its declared type is rewritten so; value_info entries for it are
 * dropped). `stripped` lists the outputs changed; with none, `bytes` is returned as is.
 * Everything else in the file is kept byte for byte. Throws ProtoError for bytes that do
 * not decode (call inspectOnnx first for a UserError).
 */
function stripZipMap(bytes) {
    const model = decodeMessage(bytes);
    const graphIndex = model.findLastIndex((f) => f.number === MODEL.graph);
    if (graphIndex < 0)
        return { bytes, stripped: [] };
    const graph = decodeMessage(fieldBytes(model[graphIndex]));
    const outputNames = new Set(fieldsNumbered(graph, GRAPH.output).map((f) => str(message(f), VALUE_INFO.name)));
    const stripped = new Map();
    const newGraph = graph.map((field) => {
        if (field.number !== GRAPH.node)
            return field;
        const node = message(field);
        if (str(node, NODE.opType) !== 'ZipMap' || str(node, NODE.domain) !== ML_DOMAIN)
            return field;
        const outputs = fieldsNumbered(node, NODE.output).map(fieldString);
        const inputs = fieldsNumbered(node, NODE.input).map(fieldString);
        if (outputs.length !== 1 || inputs.length !== 1 || !outputNames.has(outputs[0]))
            return field;
        const labels = classLabelsOf(fieldsNumbered(node, NODE.attribute).map(message));
        stripped.set(outputs[0], labels ? labels.length : null);
        const name = lastField(node, NODE.name);
        return messageField(GRAPH.node, [
            ...node.filter((f) => f.number === NODE.input || f.number === NODE.output),
            ...(name ? [name] : []),
            stringField(NODE.opType, 'Identity'),
        ]);
    });
    if (stripped.size === 0)
        return { bytes, stripped: [] };
    // The batch dimension as the first graph input declares it (value, name or unnamed), else "N".
    let batchDim = [stringField(DIMENSION.param, 'N')];
    const firstInput = fieldsNumbered(graph, GRAPH.input)[0];
    const inputType = firstInput && lastField(message(firstInput), VALUE_INFO.type);
    const inputTensor = inputType && lastField(message(inputType), TYPE.tensor);
    const inputShape = inputTensor && lastField(message(inputTensor), TENSOR_TYPE.shape);
    const inputBatch = inputShape && fieldsNumbered(message(inputShape), SHAPE.dim)[0];
    if (inputBatch)
        batchDim = message(inputBatch).filter((f) => f.number === DIMENSION.value || f.number === DIMENSION.param);
    const rewritten = newGraph
        .filter((field) => field.number !== GRAPH.valueInfo || !stripped.has(str(message(field), VALUE_INFO.name)))
        .map((field) => {
        if (field.number !== GRAPH.output)
            return field;
        const info = message(field);
        const name = str(info, VALUE_INFO.name);
        const classes = stripped.get(name);
        if (classes === undefined)
            return field;
        const classDim = classes === null ? [stringField(DIMENSION.param, 'C')] : [varintField(DIMENSION.value, classes)];
        const type = messageField(VALUE_INFO.type, [
            messageField(TYPE.tensor, [
                varintField(TENSOR_TYPE.elemType, DATA_TYPE.float32),
                messageField(TENSOR_TYPE.shape, [messageField(SHAPE.dim, batchDim), messageField(SHAPE.dim, classDim)]),
            ]),
        ]);
        const kept = info.filter((f) => f.number !== VALUE_INFO.type);
        return messageField(GRAPH.output, [
            ...kept.filter((f) => f.number < VALUE_INFO.type),
            type,
            ...kept.filter((f) => f.number > VALUE_INFO.type),
        ]);
    });
    const newModel = model.slice();
    newModel[graphIndex] = messageField(MODEL.graph, rewritten);
    // Identity is an ONNX operator: import ONNX's default domain when the model does not.
    const imports = fieldsNumbered(model, MODEL.opsetImport).map((f) => normalDomain(str(message(f), OPSET.domain)));
    if (!imports.includes(DEFAULT_DOMAIN))
        newModel.push(messageField(MODEL.opsetImport, [stringField(OPSET.domain, DEFAULT_DOMAIN), varintField(OPSET.version, 13)]));
    return { bytes: encodeMessage(newModel), stripped: [...stripped.keys()] };
}
// ---------------------------------------------------------------------------------------
// Building
/** Attributes of a node (AttributeProto messages), by value type. */
const attr = {
    float: (name, value) => [
        stringField(ATTRIBUTE.name, name),
        floatField(ATTRIBUTE.f, value),
        varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.FLOAT),
    ],
    int: (name, value) => [
        stringField(ATTRIBUTE.name, name),
        varintField(ATTRIBUTE.i, value),
        varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.INT),
    ],
    string: (name, value) => [
        stringField(ATTRIBUTE.name, name),
        stringField(ATTRIBUTE.s, value),
        varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.STRING),
    ],
    tensor: (name, tensor) => [
        stringField(ATTRIBUTE.name, name),
        messageField(ATTRIBUTE.t, tensor),
        varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.TENSOR),
    ],
    floats: (name, values) => [
        stringField(ATTRIBUTE.name, name),
        ...Array.from(values, (v) => floatField(ATTRIBUTE.floats, v)),
        varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.FLOATS),
    ],
    ints: (name, values) => [
        stringField(ATTRIBUTE.name, name),
        ...values.map((v) => varintField(ATTRIBUTE.ints, v)),
        varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.INTS),
    ],
    strings: (name, values) => [
        stringField(ATTRIBUTE.name, name),
        ...values.map((v) => stringField(ATTRIBUTE.strings, v)),
        varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.STRINGS),
    ],
};
/** A NodeProto: `opType` from `inputs` to `outputs`. */
function makeNode(opType, inputs, outputs, options = {}) {
    return [
        ...inputs.map((name) => stringField(NODE.input, name)),
        ...outputs.map((name) => stringField(NODE.output, name)),
        ...(options.name !== undefined ? [stringField(NODE.name, options.name)] : []),
        stringField(NODE.opType, opType),
        ...(options.attributes ?? []).map((a) => messageField(NODE.attribute, a)),
        ...(options.domain ? [stringField(NODE.domain, options.domain)] : []),
    ];
}
/** A TensorProto (an initializer, or a tensor attribute's value) of shape `dims`. */
function makeTensor(name, dims, data) {
    const count = dims.reduce((n, d) => n * d, 1);
    if (data.values.length !== count)
        throw new RangeError(`tensor ${name}: ${data.values.length} values for shape [${dims.join(', ')}]`);
    const fields = [...dims.map((d) => varintField(TENSOR.dims, d)), varintField(TENSOR.dataType, DATA_TYPE[data.type])];
    if (data.type === 'string')
        fields.push(...data.values.map((v) => stringField(TENSOR.stringData, v)));
    // No name field for an unnamed tensor (an attribute's value), as onnx.helper writes it.
    if (name !== '')
        fields.push(stringField(TENSOR.name, name));
    if (data.type === 'float32') {
        const raw = new Uint8Array(count * 4);
        const view = new DataView(raw.buffer);
        for (let i = 0; i < count; i++)
            view.setFloat32(i * 4, data.values[i], true);
        fields.push(bytesField(TENSOR.rawData, raw));
    }
    else if (data.type === 'int64') {
        const raw = new Uint8Array(count * 8);
        const view = new DataView(raw.buffer);
        for (let i = 0; i < count; i++)
            view.setBigInt64(i * 8, BigInt(data.values[i]), true);
        fields.push(bytesField(TENSOR.rawData, raw));
    }
    return fields;
}
/** A TypeProto.Tensor of `elemType`; `shape` null leaves the rank unknown (a null dimension is unnamed). */
function tensorType(elemType, shape) {
    const fields = [varintField(TENSOR_TYPE.elemType, DATA_TYPE[elemType])];
    if (shape)
        fields.push(messageField(TENSOR_TYPE.shape, shape.map((d) => messageField(SHAPE.dim, d === null ? [] : typeof d === 'number' ? [varintField(DIMENSION.value, d)] : [stringField(DIMENSION.param, d)]))));
    return fields;
}
/** A ValueInfoProto of a tensor (a graph input or output). */
function makeValueInfo(name, elemType, shape) {
    return [stringField(VALUE_INFO.name, name), messageField(VALUE_INFO.type, [messageField(TYPE.tensor, tensorType(elemType, shape))])];
}
/** A GraphProto. */
function makeGraph(spec) {
    return [
        ...spec.nodes.map((n) => messageField(GRAPH.node, n)),
        stringField(GRAPH.name, spec.name),
        ...spec.initializers.map((t) => messageField(GRAPH.initializer, t)),
        ...(spec.docString ? [stringField(GRAPH.docString, spec.docString)] : []),
        ...spec.inputs.map((v) => messageField(GRAPH.input, v)),
        ...spec.outputs.map((v) => messageField(GRAPH.output, v)),
    ];
}
/** The bytes of a ModelProto. */
function makeModel(spec) {
    return encodeMessage([
        varintField(MODEL.irVersion, spec.irVersion),
        stringField(MODEL.producerName, spec.producerName),
        ...(spec.producerVersion !== undefined ? [stringField(MODEL.producerVersion, spec.producerVersion)] : []),
        ...(spec.docString ? [stringField(MODEL.docString, spec.docString)] : []),
        messageField(MODEL.graph, spec.graph),
        ...Object.entries(spec.opsets).map(([domain, version]) => messageField(MODEL.opsetImport, [stringField(OPSET.domain, domain), varintField(OPSET.version, version)])),
        ...(spec.metadata ?? []).map(([key, value]) => messageField(MODEL.metadataProps, [stringField(ENTRY.key, key), stringField(ENTRY.value, value)])),
    ]);
}


/***/ }),

/***/ 62915:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M_: () => (/* binding */ onnxRuntime),
/* harmony export */   jw: () => (/* binding */ createSession)
/* harmony export */ });
/* unused harmony exports ONNX_RUNTIME_ENV, INSTALL_ONNXRUNTIME_NODE, ORT_WASM_FILES, ORT_WASM_FOLDER, runtimeChoice, loadOnnxRuntime, resolveOnnxRuntimeNode, sessionError */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_process__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1708);
/* harmony import */ var node_process__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_process__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(73136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_url__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(74296);
/* harmony import */ var _graph_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(84148);
/**
 * ONNX Runtime for Node, chosen once per process: `onnxruntime-node` (native, the
 * faster one; optional, never bundled) when it can be found, else `onnxruntime-web`
 * (WebAssembly, shipped in the bundle: it runs on every OS and architecture).
 * MLOPS_ONNX_RUNTIME = node | web | auto (the default) forces or leaves the choice.
 *
 * Conventions: onnxruntime-node is looked up from the bundle's own location, then from
 * the working directory (a project that installed it), and imported by a computed file
 * URL the bundler leaves alone. onnxruntime-web runs single-threaded (no worker) from
 * `ort-wasm-simd-threaded.wasm` and its glue `.mjs`: in the built bundle they sit in
 * dist/bundle/ort/ (scripts/build.mjs copies them there), from source in the installed
 * package. Sessions are created through `createSession`, which turns ONNX Runtime's
 * errors (unknown operator, opset too new, not ONNX, invalid graph) into UserErrors
 * naming the file and what to do.
 */






/** The environment variable choosing the runtime. */
const ONNX_RUNTIME_ENV = 'MLOPS_ONNX_RUNTIME';
/** How to add the native runtime to a project (the flag skips its CUDA download). */
const INSTALL_ONNXRUNTIME_NODE = 'npm install onnxruntime-node --onnxruntime-node-install=skip';
/** The WebAssembly build onnxruntime-web loads in Node, and its JavaScript glue (the pair the build ships). */
const ORT_WASM_FILES = ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs'];
/** The folder of the bundle that holds ORT_WASM_FILES (dist/bundle/ort/). */
const ORT_WASM_FOLDER = 'ort';
const CHOICES = ['auto', 'node', 'web'];
const loaded = new Map();
let webRuntime = null;
const nodeRuntimes = new Map();
const announced = new Set();
/**
 * The runtime MLOPS_ONNX_RUNTIME asks for (default auto), loaded once per choice: every
 * call with the same setting returns the same runtime. The first caller passing `log`
 * gets one line saying which runtime it is (once per process and runtime).
 */
async function onnxRuntime(log) {
    const choice = runtimeChoice();
    let loading = loaded.get(choice);
    if (!loading) {
        loading = loadOnnxRuntime(choice, { log });
        loaded.set(choice, loading);
        // A failed load is not remembered: the next call tries again (and throws again, with its reason).
        loading.catch(() => loaded.delete(choice));
    }
    const runtime = await loading;
    // Which runtime scores, said once per process to the first caller that logs.
    if (log && !announced.has(runtime.name)) {
        announced.add(runtime.name);
        log(runtime.name === 'node'
            ? `ONNX Runtime: onnxruntime-node ${runtime.version} (native)`
            : `ONNX Runtime: onnxruntime-web ${runtime.version} (WebAssembly, one thread)`);
    }
    return runtime;
}
/** MLOPS_ONNX_RUNTIME, checked. */
function runtimeChoice(value = process.env[ONNX_RUNTIME_ENV]) {
    const choice = (value ?? '').trim().toLowerCase() || 'auto';
    if (!CHOICES.includes(choice))
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${ONNX_RUNTIME_ENV} is "${value}": not an ONNX Runtime`, `Set it to node (onnxruntime-node, native), web (onnxruntime-web, WebAssembly) or auto (node when installed, else web), or leave it unset.`);
    return choice;
}
/** Loads a runtime (not memoized, and says nothing of it; `onnxRuntime` is and does). The packages themselves are imported once. */
async function loadOnnxRuntime(choice, options = {}) {
    const log = options.log ?? (() => { });
    if (choice === 'web')
        return loadWeb();
    const searchFrom = options.searchFrom ?? [moduleFolder(), (0,node_process__WEBPACK_IMPORTED_MODULE_2__.cwd)()];
    const found = await resolveOnnxRuntimeNode(searchFrom);
    if (!found) {
        if (choice === 'node')
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${ONNX_RUNTIME_ENV}=node, but onnxruntime-node is not installed (looked from ${searchFrom.join(', ')})`, `Install it in the project (${INSTALL_ONNXRUNTIME_NODE}), or unset ${ONNX_RUNTIME_ENV} to use the WebAssembly runtime shipped with the action.`);
        return loadWeb();
    }
    try {
        return await loadNode(found);
    }
    catch (error) {
        if (choice === 'node')
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`onnxruntime-node (${found}) did not load: ${error.message}`, `Reinstall it for this platform (${INSTALL_ONNXRUNTIME_NODE}), or unset ${ONNX_RUNTIME_ENV} to use the WebAssembly runtime shipped with the action.`);
        log(`warning: onnxruntime-node (${found}) did not load (${error.message}); using onnxruntime-web (WebAssembly) instead`);
        return loadWeb();
    }
}
/** This module's folder: dist/bundle/ in the built bundle (chunks live there too), src/core/onnx/ from source. */
function moduleFolder() {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)((0,node_url__WEBPACK_IMPORTED_MODULE_3__.fileURLToPath)(import.meta.url));
}
/**
 * A require() resolving from `folder`. node:module is imported in a way the bundler leaves
 * alone: bundlers rewrite createRequire(...) calls to point into the bundle.
 */
async function requireFrom(folder) {
    const { createRequire } = (await import(/* webpackIgnore: true */ 'node:module'));
    return createRequire((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(folder, 'noop.js'));
}
/** Where onnxruntime-node's entry is, searching from each folder in turn, or null. */
async function resolveOnnxRuntimeNode(searchFrom) {
    for (const folder of searchFrom) {
        try {
            return (await requireFrom(folder)).resolve('onnxruntime-node');
        }
        catch {
            // not installed there
        }
    }
    return null;
}
function loadNode(entry) {
    let runtime = nodeRuntimes.get(entry);
    if (!runtime) {
        runtime = (async () => {
            // A computed specifier, so the bundler neither bundles nor rewrites it.
            const module = (await import(/* webpackIgnore: true */ (0,node_url__WEBPACK_IMPORTED_MODULE_3__.pathToFileURL)(entry).href));
            const ort = module.default && typeof module.default.InferenceSession === 'function' ? module.default : module;
            if (typeof ort.InferenceSession?.create !== 'function')
                throw new Error('it does not export InferenceSession');
            ort.env.logLevel = 'error';
            return { name: 'node', ort, version: String(ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown') };
        })();
        nodeRuntimes.set(entry, runtime);
        runtime.catch(() => nodeRuntimes.delete(entry));
    }
    return runtime;
}
/**
 * The folder holding ORT_WASM_FILES: the bundle's ort/ folder when built, else the
 * installed onnxruntime-web (from this module, then from the working directory).
 */
async function wasmFolder() {
    const here = moduleFolder();
    const has = (dir) => ORT_WASM_FILES.every((file) => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, file)));
    if (has((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(here, ORT_WASM_FOLDER)))
        return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(here, ORT_WASM_FOLDER);
    for (const folder of [here, (0,node_process__WEBPACK_IMPORTED_MODULE_2__.cwd)()]) {
        try {
            const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)((await requireFrom(folder)).resolve(`onnxruntime-web/${ORT_WASM_FILES[0]}`));
            if (has(dir))
                return dir;
        }
        catch {
            // not installed there
        }
    }
    return null;
}
function loadWeb() {
    if (!webRuntime) {
        webRuntime = (async () => {
            const dir = await wasmFolder();
            if (!dir)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`ONNX Runtime's WebAssembly files (${ORT_WASM_FILES.join(', ')}) are not beside the bundle, and onnxruntime-web is not installed`, 'Rebuild the bundle (npm run build copies them into dist/bundle/ort/), or run from a checkout with its dependencies installed (npm ci).');
            // A plain specifier: the bundler bundles its Node build (a small chunk), ts-jest and Node resolve the same file.
            const module = (await __webpack_require__.e(/* import() */ 601).then(__webpack_require__.bind(__webpack_require__, 73601)));
            const ort = typeof module.InferenceSession?.create === 'function' ? module : module.default;
            ort.env.wasm.numThreads = 1;
            ort.env.wasm.proxy = false;
            // A file URL ending in a slash: the glue is imported from it, the .wasm read from it.
            ort.env.wasm.wasmPaths = `${(0,node_url__WEBPACK_IMPORTED_MODULE_3__.pathToFileURL)(dir).href.replace(/\/?$/, '/')}`;
            ort.env.logLevel = 'error';
            return { name: 'web', ort, version: String(ort.env.versions?.web ?? ort.env.versions?.common ?? 'unknown') };
        })();
        webRuntime.catch(() => (webRuntime = null));
    }
    return webRuntime;
}
/**
 * Session options both runtimes take: full graph optimization, errors only in the log,
 * and (native) one thread per run unless MLOPS_ONNX_THREADS says more: a server runs
 * many small requests at once, and on a shared runner's two cores ONNX Runtime's own
 * thread pool measured slower than one thread (`npm run bench:score`).
 */
function sessionOptions(runtime) {
    const threads = Number(process.env.MLOPS_ONNX_THREADS);
    return {
        executionProviders: [runtime.name === 'node' ? 'cpu' : 'wasm'],
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
        ...(runtime.name === 'node' ? { intraOpNumThreads: Number.isInteger(threads) && threads > 0 ? threads : 1, interOpNumThreads: 1 } : {}),
    };
}
/**
 * An inference session for a graph's bytes on the runtime MLOPS_ONNX_RUNTIME chooses
 * (or `runtime`). Errors ONNX Runtime gives while loading become UserErrors naming
 * `shownPath`.
 */
async function createSession(bytes, shownPath, runtime) {
    const rt = runtime ?? (await onnxRuntime());
    try {
        return { session: await rt.ort.InferenceSession.create(bytes, sessionOptions(rt)), runtime: rt };
    }
    catch (error) {
        throw sessionError(error, bytes, shownPath, rt);
    }
}
const EXPORT_HINT = 'Export it again with an opset this runtime supports: torch.onnx.export(..., opset_version=17); ' +
    'skl2onnx and onnxmltools: convert(..., target_opset=17) (or {"": 17, "ai.onnx.ml": 3}).';
/** ONNX Runtime's message without the web runtime's prefix and the C++ source location. */
function plainMessage(error) {
    const text = error instanceof Error ? error.message : String(error);
    return text
        .replace(/^Can't create a session\.\s*ERROR_CODE:\s*\d+,\s*ERROR_MESSAGE:\s*/s, '')
        .replace(/^\S+\.(?:h|cc|cpp):\d+ [^\n]*?\)\s+(?=[A-Z])/s, '')
        .trim();
}
/** The domain of an operator as the graph names it ("ai.onnx" for the default), when the graph can be read. */
function domainOf(bytes, shownPath, opType) {
    try {
        const op = (0,_graph_js__WEBPACK_IMPORTED_MODULE_5__/* .inspectOnnx */ .ov)(bytes, shownPath).operators.find((o) => o.opType === opType);
        return op ? op.domain || 'ai.onnx' : null;
    }
    catch {
        return null;
    }
}
/** The UserError for a session ONNX Runtime would not create (exported for tests). */
function sessionError(error, bytes, shownPath, runtime) {
    if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y)
        return error;
    const message = plainMessage(error);
    const ortName = `onnxruntime-${runtime.name} ${runtime.version}`;
    let match;
    if ((match = message.match(/Opset (\d+) is under development.*?support for domain (\S+?) is till opset (\d+)/s)))
        return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${shownPath}: the graph uses opset ${match[1]} of ${match[2]}, newer than ${ortName} supports (up to ${match[3]})`, EXPORT_HINT);
    if ((match = message.match(/Unsupported model IR version: (\d+), max supported IR version: (\d+)/)))
        return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${shownPath}: the file's ONNX IR version ${match[1]} is newer than ${ortName} reads (up to ${match[2]})`, `Save it with an older onnx Python package (or set model.ir_version = ${match[2]} before onnx.save when the graph uses nothing newer). ${EXPORT_HINT}`);
    if ((match = message.match(/(?:In Node, \("[^"]*", (\S+), "([^"]*)".*?)?No Op registered for (\S+) with domain_version of (\d+)/s))) {
        const opType = match[3];
        const domain = match[1] === opType && match[2] !== undefined ? match[2] || 'ai.onnx' : (domainOf(bytes, shownPath, opType) ?? 'ai.onnx');
        return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${shownPath}: ${ortName} has no operator ${opType} (domain ${domain}) at opset ${match[4]}`, `The operator does not exist in that opset, or not in ONNX Runtime. ${EXPORT_HINT} If it is a custom operator, replace it with standard ONNX operators.`);
    }
    if ((match = message.match(/(\S*):(\S+)\((-?\d+)\) is not a registered function\/op/)))
        return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${shownPath}: ${ortName} does not know the operator ${match[2]} (domain ${match[1] || 'ai.onnx'})`, 'Custom operators cannot run here: export the model with standard ONNX operators only (ai.onnx and ai.onnx.ml).');
    if ((match = message.match(/Could not find an implementation for (\S+)\((\d+)\) node with name '([^']*)'/))) {
        const domain = domainOf(bytes, shownPath, match[1]) ?? 'ai.onnx';
        return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${shownPath}: ${ortName} has no implementation of operator ${match[1]} (domain ${domain}, opset ${match[2]}) for the types the node${match[3] ? ` "${match[3]}"` : ''} uses`, `Export the model with float32 or float64 tensors (cast other types first), or with another opset. ${EXPORT_HINT}`);
    }
    if (/protobuf parsing failed|Protobuf parsing failed|Failed to load model/i.test(message))
        return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${shownPath} is not an ONNX model (ONNX Runtime could not parse it)`, "Point at a model.onnx written by your framework's ONNX exporter (torch.onnx.export, skl2onnx, onnxmltools, tf2onnx); check that the file was not changed or cut short (Git LFS pointers are not models).");
    if (/invalid model|INVALID_GRAPH|Type Error|Type \(|not a graph input|ShapeInferenceError|invalid graph/i.test(message))
        return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${shownPath}: ONNX Runtime rejects the graph as invalid: ${message}`, 'Check the exported model with onnx.checker.check_model(model, full_check=True) and export it again.');
    return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${shownPath}: ONNX Runtime could not load the model: ${message}`, EXPORT_HINT);
}


/***/ })

};
