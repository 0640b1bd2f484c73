export const id = 941;
export const ids = [941];
export const modules = {

/***/ 45390:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DD: () => (/* binding */ asList),
/* harmony export */   Qn: () => (/* binding */ projectConfig),
/* harmony export */   TS: () => (/* binding */ Config),
/* harmony export */   Z9: () => (/* binding */ loadConfig),
/* harmony export */   eQ: () => (/* binding */ configPath)
/* harmony export */ });
/* unused harmony export DEFAULT_CONFIG_FILE */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(38815);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(55491);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(74296);
/* harmony import */ var _zod_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(79673);
/**
 * mlops.yaml: the one project file users keep in their repository. Paths in it are
 * relative to the file's folder. Action inputs and CLI flags override it.
 */







const DEFAULT_CONFIG_FILE = 'mlops.yaml';
const PathList = zod__WEBPACK_IMPORTED_MODULE_5__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_5__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_5__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_5__/* .string */ .YjP()).min(1)]);
const FailOn = zod__WEBPACK_IMPORTED_MODULE_5__/* ["enum"] */ .k5n(['error', 'warning', 'never']);
const Format = zod__WEBPACK_IMPORTED_MODULE_5__/* ["enum"] */ .k5n(['auto', 'csv', 'tsv', 'jsonl']);
/** A section a later step will read; kept as written until then. */
const Later = zod__WEBPACK_IMPORTED_MODULE_5__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_5__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_5__/* .unknown */ .L5J());
const BASE = {
    version: zod__WEBPACK_IMPORTED_MODULE_5__/* .literal */ .euz(1).default(1),
    /** A name for reports. */
    project: zod__WEBPACK_IMPORTED_MODULE_5__/* .string */ .YjP().optional(),
    data: zod__WEBPACK_IMPORTED_MODULE_5__/* .strictObject */ .rej({
        /** Training data: a file, a glob, or a list of them. */
        path: PathList.optional(),
        /** Held-out test data. */
        test: PathList.optional(),
        /** auto (from the file name), csv, tsv or jsonl. */
        format: Format.optional(),
        /** The data schema (YAML). */
        schema: zod__WEBPACK_IMPORTED_MODULE_5__/* .string */ .YjP().optional(),
        /** The label column. */
        target: zod__WEBPACK_IMPORTED_MODULE_5__/* .string */ .YjP().optional(),
        /** Texts read as missing values. */
        null_values: zod__WEBPACK_IMPORTED_MODULE_5__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_5__/* .string */ .YjP()).optional(),
    })
        .default({}),
    validate: zod__WEBPACK_IMPORTED_MODULE_5__/* .strictObject */ .rej({
        fail_on: FailOn.optional(),
        /** Sample rows shown per anomaly. */
        sample_rows: zod__WEBPACK_IMPORTED_MODULE_5__/* .number */ .aig().int().min(0).max(100).optional(),
        /** A string column with at most this many distinct values gets a domain in infer-schema. */
        max_domain_size: zod__WEBPACK_IMPORTED_MODULE_5__/* .number */ .aig().int().min(0).optional(),
    })
        .default({}),
    model: zod__WEBPACK_IMPORTED_MODULE_5__/* .strictObject */ .rej({ name: zod__WEBPACK_IMPORTED_MODULE_5__/* .string */ .YjP().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"') }).optional(),
    /** Where step outputs go (default .mlops beside mlops.yaml). */
    output_dir: zod__WEBPACK_IMPORTED_MODULE_5__/* .string */ .YjP().optional(),
    train: Later.optional(),
    evaluate: Later.optional(),
    registry: Later.optional(),
    environments: Later.optional(),
    drift: Later.optional(),
};
/** mlops.yaml with every step's section as written (each step checks its own section; see projectConfig). */
const Config = zod__WEBPACK_IMPORTED_MODULE_5__/* .strictObject */ .rej(BASE);
/**
 * The schema of the whole mlops.yaml: the shared keys and each step's own section
 * (`sections`: key -> that step's schema), so one load rejects a typo anywhere with its
 * key path, before any step does work.
 */
function projectConfig(sections) {
    const shape = { ...BASE };
    for (const [key, schema] of Object.entries(sections))
        shape[key] = schema.optional();
    return zod__WEBPACK_IMPORTED_MODULE_5__/* .strictObject */ .rej(shape);
}
/**
 * Reads the config. An explicit path must exist; without one, `mlops.yaml` in the
 * working directory is read when present, else every setting takes its default.
 */
async function loadConfig(path, cwd = process.cwd(), schema = Config) {
    const explicit = path !== undefined && path !== '';
    const file = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(cwd, explicit ? path : DEFAULT_CONFIG_FILE);
    if (!explicit && !(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(file))
        return { config: schema.parse({}), file: null, baseDir: cwd };
    let text;
    try {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(file, 'utf8');
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`cannot read config ${path}: ${error.code === 'ENOENT' ? 'no such file' : String(error)}`, 'Check the `config` input (or --config); it is relative to the working directory.');
    }
    const document = (0,yaml__WEBPACK_IMPORTED_MODULE_3__/* .parseDocument */ .Tp)(text, { prettyErrors: true });
    if (document.errors.length > 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${path ?? DEFAULT_CONFIG_FILE}: not valid YAML: ${document.errors[0].message}`, 'Fix the YAML syntax at the line shown.');
    }
    const result = schema.safeParse(document.toJS() ?? {});
    if (!result.success) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${path ?? DEFAULT_CONFIG_FILE}: invalid settings:\n${(0,_zod_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .formatZodError */ .l)(result.error)}`, 'See the README section "mlops.yaml" for every key and its allowed values.');
    }
    return { config: result.data, file, baseDir: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(file) };
}
/** A path from the config, made absolute against the config's folder. */
function configPath(loaded, path) {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(path) ? path : (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(loaded.baseDir, path);
}
function asList(value) {
    if (value === undefined)
        return [];
    return Array.isArray(value) ? value : [value];
}


/***/ }),

/***/ 82620:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   p: () => (/* binding */ expandPaths)
/* harmony export */ });
/* harmony import */ var tinyglobby__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73382);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);


/** Expands globs (sorted, so shard order is stable); plain paths pass through. A glob that matches nothing is an error. */
async function expandPaths(patterns) {
    const files = [];
    for (const pattern of patterns) {
        if (!(0,tinyglobby__WEBPACK_IMPORTED_MODULE_1__/* .isDynamicPattern */ .ey)(pattern)) {
            files.push(pattern);
            continue;
        }
        const matches = (await (0,tinyglobby__WEBPACK_IMPORTED_MODULE_1__/* .glob */ .TI)(pattern, { absolute: true, onlyFiles: true, expandDirectories: false })).sort();
        if (matches.length === 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .y(`no file matches ${pattern}`, 'Check the glob; it is relative to the working directory (or to mlops.yaml for paths in it).');
        files.push(...matches);
    }
    return files;
}


/***/ }),

/***/ 62060:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Pn: () => (/* binding */ cdfOf),
/* harmony export */   TK: () => (/* binding */ sideFromProfile),
/* harmony export */   Xf: () => (/* binding */ quantileOf),
/* harmony export */   kx: () => (/* binding */ stepPoints),
/* harmony export */   m4: () => (/* binding */ columnFromProfile),
/* harmony export */   v: () => (/* binding */ exactNumeric)
/* harmony export */ });
/* unused harmony export DISTINCT_CAP */
/* harmony import */ var _sketch_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(86166);
/* harmony import */ var _profile_profile_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7946);
/* harmony import */ var _stats_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(56114);
/**
 * One side (reference or current) of the drift check, column by column, in the least
 * memory that still allows exact statistics: the finite numbers of a column in one
 * sorted Float64Array (no row alignment is needed for marginal distributions, so no
 * NaN placeholders), text values as counts per distinct value, and the counts of
 * missing (null, NaN) and infinite cells. A side can also come from a stored profile
 * (mlops-profile/v1): then numbers are a KLL sketch and texts a frequent-items summary.
 */



/** Distinct numbers are counted exactly up to this many (enough for Evidently's "<= 5 unique" rule and small charts). */
const DISTINCT_CAP = 1024;
/** The cumulative share of values <= x. */
function cdfOf(values, x) {
    if (values.sorted)
        return (0,_stats_js__WEBPACK_IMPORTED_MODULE_2__/* .upperBound */ .rn)(values.sorted, x) / values.n;
    return values.sketch ? values.sketch.cdf(x) : NaN;
}
/** The q-quantile (exact: lower value at rank ceil(q n); sketch: its estimate). */
function quantileOf(values, q) {
    if (values.sorted) {
        const n = values.sorted.length;
        return values.sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
    }
    return values.sketch ? values.sketch.quantile(q) : NaN;
}
/** The points where the side's CDF steps: every value (exact) or every retained sketch item. */
function stepPoints(values) {
    if (values.sorted)
        return values.sorted;
    if (!values.sketch)
        return new Float64Array(0);
    const items = values.sketch.toJSON().levels.flat();
    return Float64Array.from(items).sort();
}
/** Builds the numeric summary of exact values (sorts `values` in place). */
function exactNumeric(values) {
    const n = values.length;
    if (n === 0)
        return null;
    values.sort();
    let sum = 0;
    for (let i = 0; i < n; i++)
        sum += values[i];
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++)
        ss += (values[i] - mean) ** 2;
    let distinct = 0;
    const counts = new Map();
    for (let i = 0; i < n;) {
        let j = i + 1;
        while (j < n && values[j] === values[i])
            j++;
        distinct++;
        if (distinct <= DISTINCT_CAP)
            counts.set(String(values[i]), j - i);
        i = j;
    }
    return {
        n,
        sorted: values,
        sketch: null,
        mean,
        std: Math.sqrt(ss / n),
        min: values[0],
        max: values[n - 1],
        distinct: distinct > DISTINCT_CAP ? Infinity : distinct,
        counts: distinct > DISTINCT_CAP ? null : counts,
    };
}
const NUMBER_KEY = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/;
/** One column of a stored profile as a side column. */
function columnFromProfile(state) {
    const rows = (0,_profile_profile_js__WEBPACK_IMPORTED_MODULE_1__/* .columnTotal */ .Fn)(state);
    const top = _sketch_index_js__WEBPACK_IMPORTED_MODULE_0__/* .FrequentItems */ .JI.fromJSON(state.top);
    const items = top.top(top.size);
    const texts = new Map();
    let numberCounts = state.numbersInTop ? new Map() : null;
    // The summary holds numbers (as String(value)) beside texts while there are few distinct numbers.
    const numericCount = state.counts.integer + state.counts.number;
    for (const [key, count] of items) {
        if (key === 'NaN' || key === 'Infinity' || key === '-Infinity')
            continue;
        if (numberCounts && numericCount > 0 && NUMBER_KEY.test(key))
            numberCounts.set(key, count);
        else
            texts.set(key, count);
    }
    let numeric = null;
    if (state.numeric && state.numeric.count > 0) {
        const s = state.numeric;
        if (numberCounts && numberCounts.size > DISTINCT_CAP)
            numberCounts = null;
        numeric = {
            n: s.count,
            sorted: null,
            sketch: _sketch_index_js__WEBPACK_IMPORTED_MODULE_0__/* .KllSketch */ .gu.fromJSON(s.sketch),
            mean: s.mean,
            std: Math.sqrt(s.m2 / s.count),
            min: s.min,
            max: s.max,
            distinct: numberCounts ? numberCounts.size : Infinity,
            counts: numberCounts,
        };
    }
    const textCount = state.counts.string + state.counts.boolean + state.counts.datetime;
    return {
        name: state.name,
        rows,
        missing: state.counts.null + state.counts.nan,
        infinite: state.counts.infinity,
        numeric,
        texts,
        textCount,
        textsExact: top.exact,
    };
}
/** A stored profile as a side. */
function sideFromProfile(profile) {
    const columns = new Map();
    for (const state of profile.columns)
        columns.set(state.name, columnFromProfile(state));
    return { source: 'profile', files: profile.files, rows: profile.rows, columns };
}


/***/ }),

/***/ 17553:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B$: () => (/* binding */ INTEGER_CATEGORICAL_MAX_UNIQUE),
/* harmony export */   J8: () => (/* binding */ METHODS),
/* harmony export */   NT: () => (/* binding */ METHOD_NAMES),
/* harmony export */   P_: () => (/* binding */ NUMERIC_AS_CATEGORICAL_MAX_UNIQUE),
/* harmony export */   _K: () => (/* binding */ isDrift),
/* harmony export */   gj: () => (/* binding */ CHISQUARE_TESTS),
/* harmony export */   lL: () => (/* binding */ defaultMethod),
/* harmony export */   pp: () => (/* binding */ DEFAULT_METHOD_OPTIONS)
/* harmony export */ });
/* unused harmony export SMALL_REFERENCE_ROWS */
/* harmony import */ var _columns_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(62060);
/* harmony import */ var _stats_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(56114);
/**
 * The column tests, as a registry of small named strategies (Evidently's design): each
 * says which column kinds it serves, its default threshold, whether drift means a p-value
 * below the threshold or a distance at or above it, and how to compute it. A numeric
 * pair may be exact on both sides (sorted samples: the exact statistics of stats.ts) or
 * have a sketch on one side (a stored profile): then the same statistic is computed on
 * the step functions the sketches give, and the result is marked approximate.
 *
 * Sketch accuracy, measured by bench/drift.mjs on 1,000,000 + 1,000,000 rows (20 numeric
 * columns, 6 of them shifted by 0.05 to 0.5 std; KLL k = 256 as the profiles use), largest
 * |sketch - exact| over the columns: KS statistic 0.0054 from two profiles, 0.0078 from a
 * profile against data; normalized Wasserstein 0.0094 and 0.022; PSI 0.0053 and 0.0085.
 * Categorical counts are exact while the frequent-items summary is exact (up to 1024
 * distinct values per column). Sketch p-values use the asymptotic KS distribution.
 */


const CHISQUARE_TESTS = ['goodness-of-fit', 'contingency'];
const DEFAULT_METHOD_OPTIONS = { jensenshannonBase: _stats_js__WEBPACK_IMPORTED_MODULE_1__/* .NATURAL_LOG */ .pt, chisquareTest: 'goodness-of-fit' };
const METHOD_NAMES = ['ks', 'chisquare', 'z', 'wasserstein', 'jensenshannon', 'psi'];
const exact = (v) => v.sorted !== null;
/** max |F_r - F_c| over every step point of both sides (exact when both are exact). */
function ksOnSteps(r, c) {
    let d = 0;
    for (const points of [(0,_columns_js__WEBPACK_IMPORTED_MODULE_0__/* .stepPoints */ .kx)(r), (0,_columns_js__WEBPACK_IMPORTED_MODULE_0__/* .stepPoints */ .kx)(c)]) {
        for (let i = 0; i < points.length; i++) {
            const x = points[i];
            if (i + 1 < points.length && points[i + 1] === x)
                continue;
            const diff = Math.abs((0,_columns_js__WEBPACK_IMPORTED_MODULE_0__/* .cdfOf */ .Pn)(r, x) - (0,_columns_js__WEBPACK_IMPORTED_MODULE_0__/* .cdfOf */ .Pn)(c, x));
            if (diff > d)
                d = diff;
        }
    }
    return d;
}
/** ∫ |F_r - F_c| dx over the union of the step points. */
function wassersteinOnSteps(r, c) {
    const a = (0,_columns_js__WEBPACK_IMPORTED_MODULE_0__/* .stepPoints */ .kx)(r);
    const b = (0,_columns_js__WEBPACK_IMPORTED_MODULE_0__/* .stepPoints */ .kx)(c);
    const all = new Float64Array(a.length + b.length);
    all.set(a);
    all.set(b, a.length);
    all.sort();
    let area = 0;
    for (let i = 0; i + 1 < all.length; i++) {
        const x = all[i];
        const width = all[i + 1] - x;
        if (width > 0)
            area += Math.abs((0,_columns_js__WEBPACK_IMPORTED_MODULE_0__/* .cdfOf */ .Pn)(r, x) - (0,_columns_js__WEBPACK_IMPORTED_MODULE_0__/* .cdfOf */ .Pn)(c, x)) * width;
    }
    return area;
}
/** Shares of each side in the bins (-inf, e1], ..., (e_last, inf), from the CDFs. */
function binSharesFromCdf(v, edges) {
    const out = new Float64Array(edges.length + 1);
    let previous = 0;
    edges.forEach((e, i) => {
        const f = (0,_columns_js__WEBPACK_IMPORTED_MODULE_0__/* .cdfOf */ .Pn)(v, e);
        out[i] = Math.max(0, f - previous);
        previous = f;
    });
    out[edges.length] = Math.max(0, 1 - previous);
    return out;
}
function categoricalOnly(pair, name) {
    if (pair.kind !== 'categorical')
        throw new Error(`${name} needs a categorical column`);
    return pair;
}
function numericOnly(pair, name) {
    if (pair.kind !== 'numeric')
        throw new Error(`${name} needs a numeric column`);
    return pair;
}
const METHODS = {
    ks: {
        name: 'ks',
        title: 'Kolmogorov-Smirnov',
        kinds: ['numeric'],
        defaultThreshold: 0.05,
        direction: 'p-value',
        compute(pair) {
            const { reference: r, current: c } = numericOnly(pair, 'ks');
            if (exact(r) && exact(c)) {
                const d = (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .ksStatistic */ .tH)(r.sorted, c.sorted);
                const p = Math.max(r.n, c.n) <= _stats_js__WEBPACK_IMPORTED_MODULE_1__/* .KS_EXACT_MAX_N */ .lV ? (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .ksExactPValue */ .Eg)(r.n, c.n, d) : null;
                return { statistic: d, pValue: p ?? (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .ksAsymptoticPValue */ .hJ)(r.n, c.n, d), approximate: false };
            }
            const d = ksOnSteps(r, c);
            return { statistic: d, pValue: (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .ksAsymptoticPValue */ .hJ)(r.n, c.n, d), approximate: true };
        },
    },
    chisquare: {
        name: 'chisquare',
        title: 'chi-square',
        kinds: ['categorical'],
        defaultThreshold: 0.05,
        direction: 'p-value',
        compute(pair, options = DEFAULT_METHOD_OPTIONS) {
            const p = categoricalOnly(pair, 'chisquare');
            const contingency = options.chisquareTest === 'contingency';
            const result = (contingency ? _stats_js__WEBPACK_IMPORTED_MODULE_1__/* .chiSquareHomogeneity */ .at : _stats_js__WEBPACK_IMPORTED_MODULE_1__/* .chiSquareGoodnessOfFit */ .Cw)(p.reference, p.current);
            let note = contingency ? 'contingency test (chi2_contingency)' : undefined;
            if (!contingency && result.statistic === Infinity) {
                const fresh = p.keys.filter((_, i) => p.reference[i] === 0 && p.current[i] > 0).length;
                note = `${fresh} ${fresh === 1 ? 'category' : 'categories'} not in the reference: expected count 0, statistic infinite, p = 0`;
            }
            return { statistic: result.statistic, pValue: result.pValue, approximate: !p.exact, note };
        },
    },
    z: {
        name: 'z',
        title: 'two-proportion z-test',
        kinds: ['categorical'],
        defaultThreshold: 0.05,
        direction: 'p-value',
        compute(pair) {
            const p = categoricalOnly(pair, 'z');
            // The first category (the reference's most frequent) against all others.
            let n1 = 0;
            let n2 = 0;
            for (let i = 0; i < p.keys.length; i++) {
                n1 += p.reference[i];
                n2 += p.current[i];
            }
            const result = (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .twoProportionZTest */ .RZ)(p.reference[0] ?? 0, n1, p.current[0] ?? 0, n2);
            const note = p.keys.length > 2 ? `${p.keys.length} categories: the first against the rest` : undefined;
            return { statistic: result.statistic, pValue: result.pValue, approximate: !p.exact, note };
        },
    },
    wasserstein: {
        name: 'wasserstein',
        title: 'Wasserstein distance (normed)',
        kinds: ['numeric'],
        defaultThreshold: 0.1,
        direction: 'distance',
        compute(pair) {
            const { reference: r, current: c } = numericOnly(pair, 'wasserstein');
            const both = exact(r) && exact(c);
            const distance = both ? (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .wasserstein */ .nn)(r.sorted, c.sorted) : wassersteinOnSteps(r, c);
            return { statistic: distance / Math.max(r.std, _stats_js__WEBPACK_IMPORTED_MODULE_1__/* .WASSERSTEIN_STD_FLOOR */ .aX), pValue: null, approximate: !both };
        },
    },
    jensenshannon: {
        name: 'jensenshannon',
        title: 'Jensen-Shannon distance',
        kinds: ['numeric', 'categorical'],
        defaultThreshold: 0.1,
        direction: 'distance',
        compute(pair, options = DEFAULT_METHOD_OPTIONS) {
            const base = options.jensenshannonBase;
            if (pair.kind === 'categorical') {
                return { statistic: (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .jensenShannon */ .fy)(pair.reference, pair.current, base).statistic, pValue: null, approximate: !pair.exact };
            }
            const { reference: r, current: c } = pair;
            if (exact(r) && exact(c)) {
                const [a, b] = (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .histogramCounts */ .bB)(r.sorted, c.sorted, _stats_js__WEBPACK_IMPORTED_MODULE_1__/* .JS_BINS */ .j1);
                return { statistic: (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .jensenShannon */ .fy)(a, b, base).statistic, pValue: null, approximate: false };
            }
            const lo = Math.min(r.min, c.min);
            const hi = Math.max(r.max, c.max);
            const edges = Array.from({ length: _stats_js__WEBPACK_IMPORTED_MODULE_1__/* .JS_BINS */ .j1 - 1 }, (_, i) => lo + ((hi - lo) * (i + 1)) / _stats_js__WEBPACK_IMPORTED_MODULE_1__/* .JS_BINS */ .j1);
            return {
                statistic: (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .jensenShannon */ .fy)(binSharesFromCdf(r, edges), binSharesFromCdf(c, edges), base).statistic,
                pValue: null,
                approximate: true,
            };
        },
    },
    psi: {
        name: 'psi',
        title: 'population stability index',
        kinds: ['numeric', 'categorical'],
        defaultThreshold: 0.1,
        direction: 'distance',
        compute(pair) {
            if (pair.kind === 'categorical')
                return { statistic: (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .psi */ .js)(pair.reference, pair.current).statistic, pValue: null, approximate: !pair.exact };
            const { reference: r, current: c } = pair;
            if (exact(r) && exact(c)) {
                const edges = (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .quantileEdges */ .UY)(r.sorted, _stats_js__WEBPACK_IMPORTED_MODULE_1__/* .PSI_BINS */ .o2);
                return { statistic: (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .psi */ .js)((0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .binCounts */ .Yk)(r.sorted, edges), (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .binCounts */ .Yk)(c.sorted, edges)).statistic, pValue: null, approximate: false };
            }
            const edges = [];
            for (let k = 1; k < _stats_js__WEBPACK_IMPORTED_MODULE_1__/* .PSI_BINS */ .o2; k++) {
                const e = (0,_columns_js__WEBPACK_IMPORTED_MODULE_0__/* .quantileOf */ .Xf)(r, k / _stats_js__WEBPACK_IMPORTED_MODULE_1__/* .PSI_BINS */ .o2);
                if (edges.length === 0 || e > edges[edges.length - 1])
                    edges.push(e);
            }
            return { statistic: (0,_stats_js__WEBPACK_IMPORTED_MODULE_1__/* .psi */ .js)(binSharesFromCdf(r, edges), binSharesFromCdf(c, edges)).statistic, pValue: null, approximate: true };
        },
    },
};
/** True when the statistic means drift under the method's direction and threshold. */
function isDrift(method, statistic, pValue, threshold) {
    if (method.direction === 'p-value') {
        if (pValue === null || Number.isNaN(pValue))
            return false;
        return method.name === 'ks' ? pValue <= threshold : pValue < threshold;
    }
    return !Number.isNaN(statistic) && statistic >= threshold;
}
/** Evidently's cut between "small" and "large" reference data. */
const SMALL_REFERENCE_ROWS = 1000;
/** Whole-number columns with at most this many distinct reference values are categorical (Evidently 0.7.21's INTEGER_CARDINALITY_LIMIT; see compute.ts). */
const INTEGER_CATEGORICAL_MAX_UNIQUE = 10;
/** Numeric columns with at most this many distinct values (both sides) get the categorical tests (Evidently's _get_default_stattest). */
const NUMERIC_AS_CATEGORICAL_MAX_UNIQUE = 5;
/**
 * The default test for a column, by Evidently's rule: with a reference of at most 1000
 * values, KS for numeric columns with more than 5 distinct values, else chi-square for more
 * than 2 categories and the z-test for 2 or fewer; with a larger reference, the normalized
 * Wasserstein distance for numeric columns and Jensen-Shannon for categorical ones (numeric
 * with at most 5 distinct values included). `unique` counts the distinct values of both
 * sides together (as Evidently does); `referenceValues` the reference's non-missing values.
 */
function defaultMethod(kind, referenceValues, unique) {
    const categorical = kind === 'categorical' || unique <= NUMERIC_AS_CATEGORICAL_MAX_UNIQUE;
    if (referenceValues <= SMALL_REFERENCE_ROWS) {
        if (!categorical)
            return 'ks';
        return unique > 2 ? 'chisquare' : 'z';
    }
    return categorical ? 'jensenshannon' : 'wasserstein';
}


/***/ }),

/***/ 56114:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  j1: () => (/* binding */ JS_BINS),
  lV: () => (/* binding */ KS_EXACT_MAX_N),
  pt: () => (/* binding */ NATURAL_LOG),
  o2: () => (/* binding */ PSI_BINS),
  aX: () => (/* binding */ WASSERSTEIN_STD_FLOOR),
  Yk: () => (/* binding */ binCounts),
  Cw: () => (/* binding */ chiSquareGoodnessOfFit),
  at: () => (/* binding */ chiSquareHomogeneity),
  bB: () => (/* binding */ histogramCounts),
  fy: () => (/* binding */ jensenShannon),
  hJ: () => (/* binding */ ksAsymptoticPValue),
  Eg: () => (/* binding */ ksExactPValue),
  tH: () => (/* binding */ ksStatistic),
  js: () => (/* binding */ psi),
  UY: () => (/* binding */ quantileEdges),
  RZ: () => (/* binding */ twoProportionZTest),
  rn: () => (/* binding */ upperBound),
  nn: () => (/* binding */ wasserstein)
});

// UNUSED EXPORTS: PSI_FLOOR, ksTwoSample, populationStd, sorted, wassersteinNorm

;// CONCATENATED MODULE: ./src/core/drift/special.ts
/**
 * Special functions behind the drift tests' p-values: log-gamma, the regularized
 * incomplete gamma functions (chi-square and normal tails), and the distributions of
 * the Kolmogorov-Smirnov statistic. Written out here (no dependency), each to about
 * 1e-14 relative accuracy where it matters for p-values >= 1e-300.
 */
const LANCZOS_G = 7;
const LANCZOS = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error about 1e-15). */
function logGamma(x) {
    if (x < 0.5)
        return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    const z = x - 1;
    let a = LANCZOS[0];
    const t = z + LANCZOS_G + 0.5;
    for (let i = 1; i < LANCZOS.length; i++)
        a += LANCZOS[i] / (z + i);
    return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}
const EPS = 1e-16;
const TINY = 1e-300;
/** The series for P(a, x), good for x < a + 1. */
function gammaSeries(a, x) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10_000; n++) {
        term *= x / (a + n);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * EPS)
            break;
    }
    return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}
/** The continued fraction for Q(a, x) (modified Lentz), good for x >= a + 1. */
function gammaContinuedFraction(a, x) {
    let b = x + 1 - a;
    let c = 1 / TINY;
    let d = 1 / b;
    let h = d;
    for (let i = 1; i < 10_000; i++) {
        const an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (Math.abs(d) < TINY)
            d = TINY;
        c = b + an / c;
        if (Math.abs(c) < TINY)
            c = TINY;
        d = 1 / d;
        const delta = d * c;
        h *= delta;
        if (Math.abs(delta - 1) < EPS)
            break;
    }
    return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}
/** The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), a > 0, x >= 0. */
function gammaQ(a, x) {
    if (!(a > 0) || Number.isNaN(x))
        return NaN;
    if (x <= 0)
        return 1;
    if (x === Infinity)
        return 0;
    return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}
/** P(X >= x) for X chi-square with `df` degrees of freedom. */
function chiSquareSf(x, df) {
    return gammaQ(df / 2, x / 2);
}
/** erfc(x), through Q(1/2, x²) for x >= 0. */
function erfc(x) {
    if (Number.isNaN(x))
        return NaN;
    return x >= 0 ? gammaQ(0.5, x * x) : 2 - gammaQ(0.5, x * x);
}
/** P(Z >= z) for a standard normal Z. */
function normalSf(z) {
    return 0.5 * erfc(z / Math.SQRT2);
}
/** log C(n, k). */
function logBinomial(n, k) {
    return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}
/**
 * P(D+_n >= x), the one-sided one-sample Smirnov distribution, from the exact
 * Birnbaum-Tingey sum (as scipy.special.smirnov): x * Σ_{j=0}^{⌊n(1-x)⌋} C(n, j) (x + j/n)^(j-1) (1 - x - j/n)^(n-j).
 */
function smirnovSf(n, x) {
    if (!(x > 0))
        return 1;
    if (x >= 1)
        return 0;
    const last = Math.floor(n * (1 - x) + 1e-12);
    let sum = 0;
    const logX = Math.log(x);
    for (let j = 0; j <= last; j++) {
        const a = x + j / n;
        const b = 1 - a;
        if (b <= 0) {
            if (j === n)
                sum += Math.exp(logX + (j - 1) * Math.log(a));
            continue;
        }
        sum += Math.exp(logBinomial(n, j) + logX + (j - 1) * Math.log(a) + (n - j) * Math.log(b));
    }
    return Math.min(1, Math.max(0, sum));
}
/** P(K >= x) for the Kolmogorov limit distribution K = lim sqrt(n) D_n (scipy's kstwobign.sf). */
function kolmogorovSf(x) {
    if (!(x > 0))
        return 1;
    if (x < 1) {
        // The theta-function form converges fast for small x.
        const q = Math.exp((-Math.PI * Math.PI) / (8 * x * x));
        let s = 0;
        for (let k = 1; k <= 20; k++)
            s += q ** ((2 * k - 1) * (2 * k - 1));
        return 1 - (Math.sqrt(2 * Math.PI) / x) * s;
    }
    let s = 0;
    for (let k = 1; k <= 100; k++) {
        const term = Math.exp(-2 * k * k * x * x);
        s += k % 2 === 1 ? term : -term;
        if (term < 1e-300)
            break;
    }
    return Math.min(1, Math.max(0, 2 * s));
}
const STIRLING = [
    // Bernoulli B_2j / (2j (2j - 1)), j = 8 ... 1, rounded to doubles.
    -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417, -0.0005952380952380953, 0.0007936507936507937,
    -0.002777777777777778, 0.08333333333333333,
];
/** log(n! / n^n) by Stirling's series with n log n taken out (no cancellation). */
function logFactorialOverPower(n) {
    const rn = 1 / n;
    let poly = 0;
    for (const c of STIRLING)
        poly = poly * (rn / n) + c;
    return Math.log(n) / 2 - n + LOG_SQRT_2PI + rn * poly;
}
/** The Pelz-Good approximation of P(D_n <= x) (Pelz & Good 1976, as in scipy's _kolmogn_PelzGood). */
function pelzGoodCdf(n, x) {
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    const z = Math.sqrt(n) * x;
    const z2 = z * z;
    const z4 = z2 * z2;
    const z6 = z4 * z2;
    const pi2 = Math.PI * Math.PI;
    const pi4 = pi2 * pi2;
    const pi6 = pi4 * pi2;
    const qlog = -pi2 / 8 / z2;
    if (qlog < -708)
        return 0;
    let q = Math.exp(qlog);
    const k1a = -z2;
    const k1b = pi2 / 4;
    const k2a = 6 * z6 + 2 * z4;
    const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
    const k2c = (pi4 * (1 - 2 * z2)) / 16;
    const k3d = (pi6 * (5 - 30 * z2)) / 64;
    const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
    const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
    const k3a = -30 * z6 - 90 * z ** 8;
    const K = [0, 0, 0, 0];
    const maxk = Math.ceil((16 * z) / Math.PI);
    for (let k = maxk; k > 0; k--) {
        const m = 2 * k - 1;
        const m2 = m * m;
        const m4 = m2 * m2;
        const m6 = m4 * m2;
        const qpower = q ** (8 * k);
        const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
        for (let i = 0; i < 4; i++)
            K[i] = K[i] * qpower + coeffs[i];
    }
    const sqrt2pi = Math.sqrt(2 * Math.PI);
    const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
    for (let i = 0; i < 4; i++)
        K[i] = (K[i] * q * sqrt2pi) / divisors[i];
    q = Math.exp(-pi2 / 2 / z2);
    let k2extra = 0;
    let k3extra = 0;
    const sqrt3z = Math.sqrt(3) * z;
    for (let k = maxk; k > 0; k--) {
        const k2 = k * k;
        const qp = q ** k2;
        k2extra += k2 * qp;
        const kpi = Math.PI * k;
        k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
    }
    K[2] = K[2] + (k2extra * pi2 * sqrt2pi) / (-36 * z ** 3);
    K[3] = K[3] + (k3extra * pi2 * sqrt2pi) / (216 * z6);
    let sum = 0;
    for (let i = 0; i < 4; i++)
        sum += K[i] / n ** (i / 2);
    return sum;
}
const clip = (p) => Math.min(1, Math.max(0, p));
/**
 * P(D_n >= x) for the two-sided one-sample Kolmogorov-Smirnov statistic (scipy's
 * kstwo.sf), following Simard & L'Ecuyer (2011) as scipy does: Ruben-Gambino at the
 * ends, 2 × Smirnov for large n x², Pelz-Good otherwise. (scipy uses the Durbin matrix
 * or Pomeranz recursion for small n or tiny x, where p is close to 1; Pelz-Good
 * differs from them by less than 1e-3 there.)
 */
function kolmogorovNSf(n, x) {
    if (!(n > 0))
        return NaN;
    if (x >= 1)
        return 0;
    if (x <= 0)
        return 1;
    const t = n * x;
    if (t <= 1) {
        if (t <= 0.5)
            return 1;
        const prob = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
        return clip(1 - prob);
    }
    if (t >= n - 1)
        return clip(2 * (1 - x) ** n);
    if (x >= 0.5)
        return clip(2 * smirnovSf(n, x));
    const nx2 = t * x;
    if (nx2 >= 370)
        return 0;
    if (nx2 >= 2.2)
        return clip(2 * smirnovSf(n, x));
    return clip(1 - pelzGoodCdf(n, x));
}

;// CONCATENATED MODULE: ./src/core/drift/stats.ts
/**
 * The two-sample statistics of the drift check, on exact samples (sorted finite
 * numbers) or category counts. Each matches its reference implementation:
 *
 * - `ksTwoSample`: scipy.stats.ks_2samp(method='auto'): the statistic with ties
 *   handled as scipy does (ECDFs compared after every value, ties included), an exact
 *   p-value when both samples have at most 10,000 values (Hodges' lattice-path counts:
 *   the m = n closed form, else the "outer" probability recursion), else kstwo.sf(D,
 *   round(m n / (m + n))). Exact p-values agree with scipy 1.17 to 1e-12.
 * - `chiSquareGoodnessOfFit` (the default "chisquare"): Evidently's chi_stat_test,
 *   scipy.stats.chisquare(f_obs = current counts, f_exp = reference counts × n_current /
 *   n_reference) over every category of either side, df = k - 1. A category the
 *   reference lacks has an expected count of 0: with current values in it the statistic
 *   is infinite and p = 0 (scipy's result, so Evidently's): a value never seen in the
 *   reference is drift, however rare. One category on both sides: statistic 0, p = 1
 *   (scipy gives p = NaN, which Evidently reads as no drift).
 * - `chiSquareHomogeneity` (option `test: contingency`): Pearson's chi-square on the 2 × k
 *   table of reference and current counts (scipy.stats.chi2_contingency(correction=False)),
 *   df = k - 1. It treats both sides as samples, so a new category weighs no more than a
 *   lost one: two disjoint high-cardinality ID columns of 500 + 500 rows get p ~ 0.49.
 * - `twoProportionZTest`: Evidently's proportions_diff_z_test: pooled proportion,
 *   z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2)), two-sided normal p-value; p = 1 when
 *   both samples hold the same single value.
 * - `wassersteinNorm`: Evidently's wasserstein_distance_norm: scipy's
 *   wasserstein_distance (the area between the ECDFs) divided by max(std of reference
 *   (population, ddof 0), 0.001).
 * - `jensenShannon`: scipy.spatial.distance.jensenshannon(p, q, base): each vector
 *   normalized to sum 1, sqrt of the JS divergence. The drift test uses base e
 *   (`NATURAL_LOG`), scipy's default and so Evidently's (its jensenshannon test passes
 *   base=None): the distance is then in [0, sqrt(ln 2)] = [0, 0.8326]; base 2 (a drift
 *   setting) gives values 1.2011x larger (1 / sqrt(ln 2)), in [0, 1]. The function's own
 *   default stays base 2 for its other caller, the canary check (core/deploy/canary.ts,
 *   whose limit is documented in base 2). Empty bins count as 0 (as in Evidently 0.7.21,
 *   whose jensenshannon test does not fill them).
 * - `psi`: population stability index Σ (r - c) ln(r / c) over bins, with shares of 0
 *   raised to `PSI_FLOOR` = 0.0001 (Evidently's floor) so that a bin empty on one side
 *   adds a large but finite term.
 */

/** Samples up to this size (both) get an exact KS p-value (scipy's MAX_AUTO_N). */
const KS_EXACT_MAX_N = 10_000;
/** Share given to an empty bin in PSI (Evidently's value). */
const PSI_FLOOR = 0.0001;
/** Floor of the reference standard deviation in the normalized Wasserstein distance (Evidently's value). */
const WASSERSTEIN_STD_FLOOR = 0.001;
/** Sorts a copy (or the array itself with inPlace) ascending. */
function sorted(values) {
    return Float64Array.from(values).sort();
}
/** The two-sided KS statistic of two ascending samples: max |F_a(x) - F_b(x)| over all x. */
function ksStatistic(a, b) {
    const n1 = a.length;
    const n2 = b.length;
    let i = 0;
    let j = 0;
    let d = 0;
    while (i < n1 && j < n2) {
        const x = a[i] <= b[j] ? a[i] : b[j];
        while (i < n1 && a[i] === x)
            i++;
        while (j < n2 && b[j] === x)
            j++;
        const diff = Math.abs(i / n1 - j / n2);
        if (diff > d)
            d = diff;
    }
    // Once one sample is exhausted, its ECDF is 1; the largest gap left is at the current position.
    if (i < n1)
        d = Math.max(d, Math.abs(i / n1 - 1));
    if (j < n2)
        d = Math.max(d, Math.abs(1 - j / n2));
    return d;
}
function gcd(a, b) {
    while (b)
        [a, b] = [b, a % b];
    return a;
}
/** P(D_{n,n} >= h/n) by the alternating binomial sum in Horner form (scipy's _compute_prob_outside_square). */
function probOutsideSquare(n, h) {
    let p = 0;
    for (let k = Math.floor(n / h); k >= 0; k--) {
        let p1 = 1;
        for (let j = 0; j < h; j++)
            p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
        p = p1 * (1 - p);
    }
    return 2 * p;
}
/**
 * The share of lattice paths from (0, 0) to (m, n) that leave the band |x/m - y/n| < h / lcm
 * (scipy's _compute_outer_prob_inside_method): a column at a time, each cell the probability
 * that a random path to it has left the band.
 */
function probOutsideBand(m0, n0, g, h) {
    const m = Math.max(m0, n0);
    const n = Math.min(m0, n0);
    const mg = m / g;
    const ng = n / g;
    let minj = 0;
    let maxj = Math.min(Math.ceil(h / mg), n + 1);
    let curlen = maxj - minj;
    const lenA = Math.min(2 * maxj + 2, n + 1);
    const A = new Float64Array(lenA).fill(1);
    A.fill(0, minj, maxj);
    for (let i = 1; i <= m; i++) {
        const lastminj = minj;
        const lastlen = curlen;
        minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
        maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
        if (maxj <= minj)
            return 1;
        let val = minj === 0 ? 0 : 1;
        for (let jj = 0; jj < maxj - minj; jj++) {
            const j = jj + minj;
            val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
            A[jj] = val;
        }
        curlen = maxj - minj;
        if (lastlen > curlen)
            A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
    }
    return A[maxj - minj - 1];
}
/** The exact two-sided p-value of D for sample sizes n1, n2; null when the computation fails (then use the asymptotic one). */
function ksExactPValue(n1, n2, d) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    if (h === 0)
        return 1;
    const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
    return p >= 0 && p <= 1 ? p : null;
}
/** The asymptotic p-value: kstwo.sf(d, round(n1 n2 / (n1 + n2))), as scipy's 'asymp' mode. */
function ksAsymptoticPValue(n1, n2, d) {
    const en = Math.round((n1 * n2) / (n1 + n2));
    return kolmogorovNSf(Math.max(1, en), d);
}
/** Two-sample KS on ascending samples of finite numbers (both non-empty). */
function ksTwoSample(a, b) {
    if (a.length === 0 || b.length === 0)
        throw new RangeError('ksTwoSample: empty sample');
    const d = ksStatistic(a, b);
    if (Math.max(a.length, b.length) <= KS_EXACT_MAX_N) {
        const p = ksExactPValue(a.length, b.length, d);
        if (p !== null)
            return { statistic: d, pValue: p, exact: true };
    }
    return { statistic: d, pValue: ksAsymptoticPValue(a.length, b.length, d), exact: false };
}
/**
 * Pearson's chi-square goodness of fit of the current counts to the reference shares
 * (scipy.stats.chisquare(current, reference × n_current / n_reference), Evidently's test).
 */
function chiSquareGoodnessOfFit(reference, current) {
    let n1 = 0;
    let n2 = 0;
    for (let i = 0; i < reference.length; i++)
        n1 += reference[i];
    for (let i = 0; i < current.length; i++)
        n2 += current[i];
    let chi2 = 0;
    let used = 0;
    for (let i = 0; i < reference.length; i++) {
        const observed = current[i];
        const expected = (reference[i] * n2) / n1;
        if (reference[i] === 0 && observed === 0)
            continue; // a category neither side has is not a category
        used++;
        chi2 += expected === 0 ? Infinity : (observed - expected) ** 2 / expected;
    }
    const df = used - 1;
    if (n1 === 0 || n2 === 0 || df <= 0)
        return { statistic: 0, pValue: 1, df: Math.max(df, 0) };
    return { statistic: chi2, pValue: chi2 === Infinity ? 0 : chiSquareSf(chi2, df), df };
}
/** Pearson's chi-square test of homogeneity on two count vectors over the same categories (no continuity correction). */
function chiSquareHomogeneity(reference, current) {
    let n1 = 0;
    let n2 = 0;
    for (let i = 0; i < reference.length; i++)
        n1 += reference[i];
    for (let i = 0; i < current.length; i++)
        n2 += current[i];
    const total = n1 + n2;
    let chi2 = 0;
    let used = 0;
    for (let i = 0; i < reference.length; i++) {
        const column = reference[i] + current[i];
        if (column === 0)
            continue; // a category neither sample has adds nothing and no degree of freedom
        used++;
        const e1 = (n1 * column) / total;
        const e2 = (n2 * column) / total;
        chi2 += (reference[i] - e1) ** 2 / e1 + (current[i] - e2) ** 2 / e2;
    }
    const df = used - 1;
    if (n1 === 0 || n2 === 0 || df <= 0)
        return { statistic: 0, pValue: 1, df: Math.max(df, 0) };
    return { statistic: chi2, pValue: chiSquareSf(chi2, df), df };
}
/**
 * Evidently's two-proportion z-test: `inFirst1` of `n1` reference values and `inFirst2` of
 * `n2` current values are the first category; the other values are the second.
 */
function twoProportionZTest(inFirst1, n1, inFirst2, n2) {
    if (n1 === 0 || n2 === 0)
        return { statistic: 0, pValue: 1 };
    const p1 = inFirst1 / n1;
    const p2 = inFirst2 / n2;
    const pooled = (inFirst1 + inFirst2) / (n1 + n2);
    const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
    if (variance === 0)
        return { statistic: 0, pValue: 1 }; // one value in both samples
    const z = (p1 - p2) / Math.sqrt(variance);
    return { statistic: z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}
/** Population standard deviation (ddof 0), by a two-pass sum. */
function populationStd(values) {
    const n = values.length;
    if (n === 0)
        return NaN;
    let sum = 0;
    for (let i = 0; i < n; i++)
        sum += values[i];
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++)
        ss += (values[i] - mean) ** 2;
    return Math.sqrt(ss / n);
}
/** The Wasserstein-1 distance of two ascending samples: the area between their ECDFs (scipy.stats.wasserstein_distance). */
function wasserstein(a, b) {
    const n1 = a.length;
    const n2 = b.length;
    if (n1 === 0 || n2 === 0)
        return NaN;
    let i = 0;
    let j = 0;
    let area = 0;
    let x = Math.min(a[0], b[0]);
    while (i < n1 || j < n2) {
        const next = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
        area += Math.abs(i / n1 - j / n2) * (next - x);
        x = next;
        while (i < n1 && a[i] === x)
            i++;
        while (j < n2 && b[j] === x)
            j++;
    }
    return area;
}
/** Evidently's normalized Wasserstein distance: the distance over max(reference std, 0.001). */
function wassersteinNorm(reference, current, referenceStd = populationStd(reference)) {
    return { statistic: wasserstein(reference, current) / Math.max(referenceStd, WASSERSTEIN_STD_FLOOR), pValue: null };
}
/** The base of scipy's (and Evidently's) Jensen-Shannon distance by default. */
const NATURAL_LOG = Math.E;
/** Jensen-Shannon distance of two non-negative vectors (each normalized to sum 1), with logarithms to `base` (pass NATURAL_LOG for scipy's default). */
function jensenShannon(p, q, base = 2) {
    let sp = 0;
    let sq = 0;
    for (let i = 0; i < p.length; i++)
        sp += p[i];
    for (let i = 0; i < q.length; i++)
        sq += q[i];
    if (!(sp > 0) || !(sq > 0))
        return { statistic: NaN, pValue: null };
    let divergence = 0;
    for (let i = 0; i < p.length; i++) {
        const a = p[i] / sp;
        const b = q[i] / sq;
        const m = (a + b) / 2;
        if (a > 0)
            divergence += a * Math.log(a / m);
        if (b > 0)
            divergence += b * Math.log(b / m);
    }
    const js = Math.max(0, divergence / 2 / Math.log(base));
    return { statistic: Math.sqrt(js), pValue: null };
}
/** PSI of two count (or share) vectors over the same bins; shares of 0 become PSI_FLOOR. */
function psi(reference, current) {
    let sr = 0;
    let sc = 0;
    for (let i = 0; i < reference.length; i++)
        sr += reference[i];
    for (let i = 0; i < current.length; i++)
        sc += current[i];
    if (!(sr > 0) || !(sc > 0))
        return { statistic: NaN, pValue: null };
    let value = 0;
    for (let i = 0; i < reference.length; i++) {
        const r = Math.max(reference[i] / sr, PSI_FLOOR);
        const c = Math.max(current[i] / sc, PSI_FLOOR);
        value += (r - c) * Math.log(r / c);
    }
    return { statistic: value, pValue: null };
}
/** The number of PSI bins: reference deciles. */
const PSI_BINS = 10;
/**
 * Inner bin edges for PSI: the reference's 10%, 20%, ..., 90% quantiles (linear
 * interpolation, numpy's default), duplicates dropped. Bins are (-inf, e1], (e1, e2], ..., (e9, inf).
 */
function quantileEdges(sortedReference, bins = PSI_BINS) {
    const n = sortedReference.length;
    const edges = [];
    for (let k = 1; k < bins; k++) {
        const pos = (k / bins) * (n - 1);
        const lo = Math.floor(pos);
        const hi = Math.min(lo + 1, n - 1);
        const value = sortedReference[lo] + (sortedReference[hi] - sortedReference[lo]) * (pos - lo);
        if (edges.length === 0 || value > edges[edges.length - 1])
            edges.push(value);
    }
    return edges;
}
/** Counts of an ascending sample in the bins (-inf, e1], (e1, e2], ..., (e_last, inf). */
function binCounts(sortedValues, edges) {
    const counts = new Float64Array(edges.length + 1);
    let start = 0;
    for (let b = 0; b < edges.length; b++) {
        const end = upperBound(sortedValues, edges[b], start);
        counts[b] = end - start;
        start = end;
    }
    counts[edges.length] = sortedValues.length - start;
    return counts;
}
/** The first index in [from, length) whose value is > x (ascending array). */
function upperBound(values, x, from = 0) {
    let lo = from;
    let hi = values.length;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (values[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
/** Number of JS histogram bins for numeric columns (Evidently's n_bins). */
const JS_BINS = 30;
/**
 * Equal-width edges over [min, max] of both samples (numpy.histogram_bin_edges(bins=30) of the
 * concatenation); the last bin is closed, as numpy's.
 */
function histogramCounts(a, b, bins = JS_BINS) {
    const lo = Math.min(a[0], b[0]);
    const hi = Math.max(a[a.length - 1], b[b.length - 1]);
    const count = (values) => {
        const out = new Float64Array(bins);
        const width = (hi - lo) / bins;
        for (let i = 0; i < values.length; i++) {
            const k = width > 0 ? Math.min(bins - 1, Math.floor((values[i] - lo) / width)) : 0;
            out[k] += 1;
        }
        return out;
    };
    return [count(a), count(b)];
}


/***/ }),

/***/ 60654:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DC: () => (/* binding */ hashFile),
/* harmony export */   Vp: () => (/* binding */ runUrl),
/* harmony export */   _Y: () => (/* binding */ stableJson),
/* harmony export */   om: () => (/* binding */ gitCommit),
/* harmony export */   sc: () => (/* binding */ sha256)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(31421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(57975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_util__WEBPACK_IMPORTED_MODULE_4__);
/** Lineage: content hashes of data, parameters and code, and where a run came from. */





async function hashFile(path) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256');
    for await (const chunk of (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.createReadStream)(path, { highWaterMark: 1 << 20 }))
        hash.update(chunk);
    return { path, sha256: hash.digest('hex'), bytes: (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.stat)(path)).size };
}
/** JSON with object keys sorted, so equal values hash equally. */
function stableJson(value) {
    return JSON.stringify(value, (_key, v) => v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v);
}
function sha256(text) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256').update(text).digest('hex');
}
/** The commit being built: GITHUB_SHA on GitHub, else git's HEAD, else null. */
async function gitCommit(env = process.env, cwd) {
    if (env.GITHUB_SHA)
        return env.GITHUB_SHA;
    try {
        const { stdout } = await (0,node_util__WEBPACK_IMPORTED_MODULE_4__.promisify)(node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFile)('git', ['rev-parse', 'HEAD'], { timeout: 5000, cwd });
        return stdout.trim() || null;
    }
    catch {
        return null;
    }
}
/** The URL of this workflow run on GitHub, or null off GitHub. */
function runUrl(env = process.env) {
    if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID)
        return null;
    return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}


/***/ }),

/***/ 5061:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J: () => (/* binding */ batchSizeFor),
/* harmony export */   b: () => (/* binding */ TFJS_PARAMS)
/* harmony export */ });
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(55491);
/** The parameters every TensorFlow.js kind shares: the optimizer, the epochs, the batch size and early stopping. */

const TFJS_PARAMS = {
    l2: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().min(0).default(0),
    learning_rate: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().positive().max(10).default(0.001),
    epochs: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().min(1).max(10000).default(1000),
    /** Rows per step; auto: 32 for small data, growing with the data up to 2048. */
    batch_size: zod__WEBPACK_IMPORTED_MODULE_0__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .euz('auto'), zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().min(1).max(1_000_000)]).default('auto'),
    early_stopping: zod__WEBPACK_IMPORTED_MODULE_0__/* .strictObject */ .rej({
        monitor: zod__WEBPACK_IMPORTED_MODULE_0__/* ["enum"] */ .k5n(['val_loss', 'loss']).default('val_loss'),
        patience: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().min(0).default(30),
        min_delta: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().min(0).default(0),
    })
        .default({ monitor: 'val_loss', patience: 30, min_delta: 0 }),
};
/** The batch size for `rows` training rows: as set, or auto (about 64 steps an epoch, between 32 and 2048). */
function batchSizeFor(batchSize, rows) {
    if (batchSize !== 'auto')
        return Math.min(batchSize, Math.max(1, rows));
    const target = rows / 64;
    let size = 32;
    while (size < target && size < 2048)
        size *= 2;
    return Math.min(size, Math.max(1, rows));
}


/***/ }),

/***/ 45114:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ seededRandom),
/* harmony export */   k: () => (/* binding */ shuffleInPlace)
/* harmony export */ });
/** Seeded randomness for splits and shuffles: the same seed gives the same order everywhere. */
/** mulberry32: a small seeded generator. */
function seededRandom(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
/** Fisher-Yates with `random`. */
function shuffleInPlace(items, random) {
    for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = items[i];
        items[i] = items[j];
        items[j] = t;
    }
}


/***/ }),

/***/ 63469:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   HL: () => (/* binding */ inferColumnType),
/* harmony export */   jA: () => (/* binding */ summarizeProfile)
/* harmony export */ });
/* unused harmony exports QUANTILES, HISTOGRAM_BINS, summarizeColumn */
/* harmony import */ var _sketch_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(86166);
/* harmony import */ var _profile_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7946);
/** Human-facing statistics derived from a column profile (what reports and profile.json show). */


const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
const HISTOGRAM_BINS = 10;
/**
 * The narrowest type that holds every non-null value: integer, then number
 * (integers, decimals, NaN and infinities), boolean, datetime, else string.
 */
function inferColumnType(column) {
    const c = column.counts;
    const nonNull = (0,_profile_js__WEBPACK_IMPORTED_MODULE_1__/* .columnTotal */ .Fn)(column) - c.null;
    if (nonNull === 0)
        return 'empty';
    if (c.string > 0)
        return 'string';
    const numeric = c.integer + c.number + c.nan + c.infinity;
    if (numeric === nonNull)
        return c.number + c.nan + c.infinity > 0 ? 'number' : 'integer';
    if (c.boolean === nonNull)
        return 'boolean';
    if (c.datetime === nonNull)
        return 'datetime';
    return 'string';
}
function summarizeColumn(column) {
    const total = (0,_profile_js__WEBPACK_IMPORTED_MODULE_1__/* .columnTotal */ .Fn)(column);
    const nulls = column.counts.null;
    const top = _sketch_index_js__WEBPACK_IMPORTED_MODULE_0__/* .FrequentItems */ .JI.fromJSON(column.top);
    const distinctExact = top.exact && column.numbersInTop;
    // An estimate can overshoot a little; there are never more distinct values than values.
    const distinct = distinctExact
        ? top.size
        : Math.min(Math.round(_sketch_index_js__WEBPACK_IMPORTED_MODULE_0__/* .HyperLogLog */ .l8.fromJSON(column.distinct).estimate()), total - column.counts.null);
    const type = inferColumnType(column);
    let quantiles = null;
    let histogram = null;
    let mean = null;
    let std = null;
    let min = null;
    let max = null;
    if (column.numeric) {
        const { count, m2 } = column.numeric;
        mean = column.numeric.mean;
        std = count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
        min = column.numeric.min;
        max = column.numeric.max;
        const sketch = _sketch_index_js__WEBPACK_IMPORTED_MODULE_0__/* .KllSketch */ .gu.fromJSON(column.numeric.sketch);
        const values = sketch.quantiles([...QUANTILES]);
        quantiles = {};
        QUANTILES.forEach((q, i) => (quantiles[`p${Math.round(q * 100)}`] = values[i]));
        histogram = buildHistogram(sketch, column.numeric.min, column.numeric.max, count);
    }
    else if (column.datetime) {
        min = new Date(column.datetime.min).toISOString();
        max = new Date(column.datetime.max).toISOString();
    }
    return {
        name: column.name,
        type,
        count: total - nulls,
        nulls,
        nullFraction: total > 0 ? nulls / total : 0,
        distinct,
        distinctExact,
        mean,
        std,
        min,
        max,
        quantiles,
        histogram,
        top: top.top(10).map(([value, count]) => ({ value, count })),
        nan: column.counts.nan,
        infinity: column.counts.infinity,
    };
}
/** Equal-width bins between min and max, counted from the sketch's CDF. */
function buildHistogram(sketch, min, max, count) {
    if (min === max)
        return [{ low: min, high: max, count }];
    const width = (max - min) / HISTOGRAM_BINS;
    const bins = [];
    let previous = 0;
    for (let i = 0; i < HISTOGRAM_BINS; i++) {
        const low = min + i * width;
        const high = i === HISTOGRAM_BINS - 1 ? max : min + (i + 1) * width;
        const cumulative = i === HISTOGRAM_BINS - 1 ? count : Math.round(sketch.cdf(high) * count);
        bins.push({ low, high, count: Math.max(0, cumulative - previous) });
        previous = Math.max(previous, cumulative);
    }
    return bins;
}
function summarizeProfile(profile) {
    return profile.columns.map(summarizeColumn);
}


/***/ }),

/***/ 96252:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I3: () => (/* binding */ checkName),
/* harmony export */   VC: () => (/* binding */ modelFiles),
/* harmony export */   cY: () => (/* binding */ checkAliasName),
/* harmony export */   zN: () => (/* binding */ ModelRegistry)
/* harmony export */ });
/* unused harmony exports VERSION_REF, DIGEST_PATTERN, describeNumbers */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _contracts_index_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(96323);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(74296);
/* harmony import */ var _lineage_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(60654);
/* harmony import */ var _ports_model_store_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(65629);
/* harmony import */ var _ports_registry_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(49113);
/**
 * The model registry, written once over a store (ports/model-store.ts): what a
 * reference means (3, v3, an alias, a digest), how a version number is claimed when
 * several processes register at once, how an alias moves and its history is kept,
 * how a pull is staged and verified, which names are allowed, and what every error
 * says. The folder and OCI stores (adapters/registry/) only keep bytes.
 *
 * Version numbers: the next number is max + 1; the store creates it only if it is
 * free, else the registry lists again and tries the next one (bounded). Aliases: the
 * registry reads where the alias points and asks the store to move it from there
 * (compare and swap, with the history entry); when another process moved it first,
 * it retries from where it points now. Pulls go into a staging folder beside the
 * target, every file checked against its recorded digest and size, and the folder is
 * renamed into place only when all are: a target holds the whole version or nothing.
 *
 * Cards and blessings are checked against the contracts (core/contracts) when read
 * back. A stored one that does not fit (registered by an older release, or by hand)
 * is read as null, and why is kept in the version's `problems`, which `mlops registry
 * show` prints: the version stays usable and the reason is never silent.
 */








/** A version reference: 3 or v3. */
const VERSION_REF = /^v?(\d+)$/;
/** A version digest: sha256 and 64 lower-case hex digits. */
const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
class ModelRegistry {
    store;
    kind;
    location;
    maxAttempts;
    constructor(store, options = {}) {
        this.store = store;
        this.kind = store.kind;
        this.location = store.location;
        this.maxAttempts = options.maxAttempts ?? 50;
    }
    async register(model, dir, metadata) {
        checkName(model, 'model');
        const files = [];
        for (const source of await modelFiles(dir)) {
            const hashed = await (0,_lineage_js__WEBPACK_IMPORTED_MODULE_5__/* .hashFile */ .DC)(source.absolute);
            const file = { path: source.path, digest: `sha256:${hashed.sha256}`, size: hashed.bytes };
            await this.store.putBlob(model, { absolute: source.absolute, digest: file.digest, size: file.size });
            files.push(file);
        }
        const createdAt = new Date().toISOString();
        const tried = [];
        let n = ((await this.store.listVersions(model)).at(-1) ?? 0) + 1;
        for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
            const record = { model, version: n, createdAt, files, card: metadata.card, blessing: metadata.blessing };
            const stored = await this.store.createVersion(record);
            if (stored)
                return this.toModelVersion(stored);
            tried.push(n);
            n = Math.max(n + 1, ((await this.store.listVersions(model)).at(-1) ?? 0) + 1);
        }
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`could not register ${model} in ${this.store.where(model)}: other writers took every version number tried (${describeNumbers(tried)}) in ${this.maxAttempts} attempts`, 'Many registers of this model are running at once; run the register again.');
    }
    async list(model, onForeign = () => { }) {
        checkName(model, 'model');
        const numbers = await this.store.listVersions(model);
        const stored = await Promise.all(numbers.map((n) => this.store.readVersion(model, n).catch((error) => {
            if (!(error instanceof _ports_model_store_js__WEBPACK_IMPORTED_MODULE_6__/* .ForeignVersionError */ .D))
                throw error;
            onForeign(n, error.message);
            return null;
        })));
        return stored.filter((s) => s !== null).map((s) => this.toModelVersion(s));
    }
    async resolve(model, ref) {
        checkName(model, 'model');
        const wanted = ref.trim();
        const number = VERSION_REF.exec(wanted);
        if (number) {
            const n = Number(number[1]);
            const found = Number.isSafeInteger(n) && n >= 1 ? await this.store.readVersion(model, n) : null;
            if (found)
                return this.toModelVersion(found);
            throw await this.unknownRef(model, wanted, `version ${number[1]}`);
        }
        if (wanted.startsWith('sha256:')) {
            if (!DIGEST_PATTERN.test(wanted)) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`"${wanted}" is not a version digest of model "${model}"`, 'A digest is sha256: followed by 64 lower-case hex digits (the digest a register printed).');
            }
            for (const n of (await this.store.listVersions(model)).reverse()) {
                const found = await this.store.readVersion(model, n);
                if (found?.digest === wanted)
                    return this.toModelVersion(found);
            }
            throw await this.unknownRef(model, wanted, `a version with digest ${wanted}`);
        }
        if (_ports_registry_js__WEBPACK_IMPORTED_MODULE_7__/* .NAME_PATTERN */ .V.test(wanted) && !Object.hasOwn(this.store.reservedAliases, wanted)) {
            const version = (await this.store.readAliases(model))[wanted];
            if (version !== undefined) {
                const found = await this.store.readVersion(model, version);
                if (found)
                    return this.toModelVersion(found);
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`alias "${wanted}" of model "${model}" points at version ${version}, which is not in ${this.store.where(model)}`, `Point it at an existing version (mlops registry alias ${model} ${wanted} <version>), or restore version ${version}.`);
            }
        }
        throw await this.unknownRef(model, wanted, `alias "${wanted}"`);
    }
    async setAlias(model, alias, version) {
        checkName(model, 'model');
        this.checkAlias(alias);
        if (!Number.isSafeInteger(version) || version < 1 || !(await this.store.readVersion(model, version))) {
            throw await this.unknownRef(model, String(version), `version ${version}`);
        }
        await this.moveAlias(model, alias, version);
    }
    async unsetAlias(model, alias) {
        checkName(model, 'model');
        this.checkAlias(alias);
        await this.moveAlias(model, alias, null);
    }
    async aliases(model) {
        checkName(model, 'model');
        return this.store.readAliases(model);
    }
    async aliasHistory(model, alias) {
        checkName(model, 'model');
        checkName(alias, 'alias');
        return (await this.store.readHistory(model))
            .filter((e) => e.alias === alias)
            .map(({ alias: a, version, at }) => ({ alias: a, version, at }));
    }
    async pull(model, ref, dir, options = {}) {
        const version = await this.resolve(model, ref);
        const files = selectFiles(version, options);
        await checkPullTarget(dir);
        const parent = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(dir);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(parent, { recursive: true });
        const staging = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(parent, `.${(0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(dir)}.partial-${process.pid}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}`);
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(staging);
            for (const file of files)
                await this.pullFile(version, file, (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(staging, ...file.path.split('/')));
            await checkPullTarget(dir);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rmdir)(dir).catch((error) => {
                if (!isCode(error, 'ENOENT'))
                    throw error;
            });
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(staging, dir);
        }
        catch (error) {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(staging, { recursive: true, force: true });
            throw error;
        }
        return version;
    }
    // ---- internals ----
    /** Copies one file of a version to `target` and checks it against the record. */
    async pullFile(version, file, target) {
        const what = `${file.path} of ${version.model} v${version.version}`;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(target), { recursive: true });
        let got;
        try {
            got = await this.store.getBlob(version.model, file.digest, target);
        }
        catch (error) {
            if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${what}: ${error.message}`, error.hint);
            throw error;
        }
        if (!got) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${what} is missing from ${this.store.where(version.model)}: its blob ${file.digest} is not there`, 'The registry was changed by hand or only partly copied; restore the blob from a backup, or register the model again.');
        }
        if (got.digest !== file.digest || got.size !== file.size) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${what} is corrupt in the registry: expected ${file.digest} (${file.size} bytes), found ${got.digest} (${got.size} bytes) in ${got.source}`, 'The stored file was modified after it was registered. Do not deploy this version; restore the blob from a backup, or register the model again.');
        }
    }
    /** Moves (or unsets, `target` null) an alias from wherever it points now, retrying when another process moves it meanwhile. */
    async moveAlias(model, alias, target) {
        let current = (await this.store.readAliases(model))[alias] ?? null;
        for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
            if (current === null && target === null) {
                const aliases = await this.store.readAliases(model);
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`model "${model}" has no alias "${alias}" to unset`, Object.keys(aliases).length ? `Its aliases: ${describeAliases(aliases)}.` : 'It has no aliases yet.');
            }
            if (current === target)
                return; // already there: no change, no history entry
            const result = await this.store.compareAndSwapAlias(model, {
                alias,
                version: target,
                previous: current,
                at: new Date().toISOString(),
            });
            if (result.swapped)
                return;
            current = result.current;
        }
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`could not move alias "${alias}" of model "${model}": other processes kept moving it (${this.maxAttempts} attempts)`, 'Several alias changes of this model are running at once; run the command again.');
    }
    checkAlias(alias) {
        checkAliasName(alias);
        const reserved = Object.hasOwn(this.store.reservedAliases, alias) ? this.store.reservedAliases[alias] : undefined;
        if (reserved !== undefined) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`"${alias}" cannot be an alias: ${reserved}`, 'Choose another name, for example production or staging.');
        }
    }
    toModelVersion(stored) {
        const { record } = stored;
        const problems = [];
        const label = `${record.model} v${record.version}`;
        for (const file of record.files) {
            const parts = typeof file?.path === 'string' ? file.path.split('/') : [];
            if (!parts.length ||
                parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\')) ||
                !DIGEST_PATTERN.test(String(file.digest)) ||
                !Number.isSafeInteger(file.size)) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${label} in ${this.store.where(record.model)} lists a file with a bad path, digest or size (${JSON.stringify(file)})`, 'Versions are written only by register and never changed: restore it from a backup, or register the model again.');
            }
        }
        return {
            model: record.model,
            version: record.version,
            digest: stored.digest,
            createdAt: record.createdAt,
            files: record.files.map(({ path, digest, size }) => ({ path, digest, size })),
            card: readStored('modelCard', record.card, `the stored model card of ${label}`, problems),
            blessing: readStored('blessing', record.blessing, `the stored blessing of ${label}`, problems),
            problems,
            uri: stored.uri,
        };
    }
    /** The error for a reference that names nothing: what the model has, and how to refer to it. */
    async unknownRef(model, ref, what) {
        const where = this.store.where(model);
        const numbers = await this.store.listVersions(model);
        if (numbers.length === 0) {
            const models = await this.store.models();
            return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`model "${model}" has no versions in ${where}, so "${ref}" names nothing`, models === null
                ? `Check the model name and the registry (${this.store.location}), or register "${model}" first.`
                : models.length
                    ? `Models there: ${[...models].sort().join(', ')}. Check the model name, or register "${model}" first.`
                    : 'The registry is empty: register the model first.');
        }
        const aliases = await this.store.readAliases(model);
        const aliasText = Object.keys(aliases).length ? `aliases ${describeAliases(aliases)}` : 'no aliases';
        return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`model "${model}" has no ${what} in ${where}`, `It has versions ${describeNumbers(numbers)} and ${aliasText}. Refer to a version by number (3 or v3), alias or digest (sha256:...).`);
    }
}
/** A stored card or blessing read against its contract: null when absent, or (with the reason in `problems`) when it does not fit. */
function readStored(name, value, source, problems) {
    if (value === null || value === undefined)
        return null;
    try {
        return (0,_contracts_index_js__WEBPACK_IMPORTED_MODULE_3__/* .parseContract */ .UA)(name, value, source);
    }
    catch (error) {
        if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y))
            throw error;
        problems.push(error.message);
        return null;
    }
}
// ---- model directories and pull targets ----
/** The files of a model directory, sorted by their path with forward slashes. */
async function modelFiles(dir) {
    let info;
    try {
        info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(dir);
    }
    catch {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`the model directory ${dir} does not exist`, 'Point at the model-dir output of train, or a folder with your model files.');
    }
    if (!info.isDirectory())
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${dir} is not a directory`, 'Register a model directory (the model-dir output of train), not a single file.');
    const entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(dir, { recursive: true, withFileTypes: true });
    const files = [];
    for (const entry of entries) {
        const absolute = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(entry.parentPath, entry.name);
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(dir, absolute).split(node_path__WEBPACK_IMPORTED_MODULE_2__.sep).join('/');
        // A link could store anything outside the folder (a key, /etc/hostname) as a model file: only regular files are models.
        if (entry.isSymbolicLink()) {
            const target = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readlink)(absolute).catch(() => '?');
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`the model directory ${dir} holds a symbolic link: ${path} -> ${target}`, 'A registered model holds only regular files from its own folder: copy the file in place of the link.');
        }
        if (entry.isFile())
            files.push({ path, absolute });
    }
    if (files.length === 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`the model directory ${dir} holds no files`, 'Train the model first, or point at the folder that holds it.');
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
/** Refuses to pull over a folder that holds anything (an empty one is replaced). */
async function checkPullTarget(dir) {
    let info;
    try {
        info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(dir);
    }
    catch {
        return;
    }
    if (!info.isDirectory() || (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(dir)).length > 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`cannot pull into ${dir}: it exists and is not an empty folder`, `Pull into a new or empty folder, or delete ${dir} first.`);
    }
}
/** The files of a version that a pull copies: all, or those `options.paths` names (each must be one of them). */
function selectFiles(version, options) {
    if (!options.paths)
        return version.files;
    const missing = options.paths.filter((path) => !version.files.some((f) => f.path === path));
    if (missing.length > 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${version.model} v${version.version} has no ${missing.join(', ')}`, 'mlops registry show lists its files.');
    return version.files.filter((f) => options.paths.includes(f.path));
}
// ---- names and messages ----
function checkName(name, what) {
    if (!_ports_registry_js__WEBPACK_IMPORTED_MODULE_7__/* .NAME_PATTERN */ .V.test(name)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`"${name}" is not a valid ${what} name`, `A ${what} name is 1 to 128 characters: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit (for example ${what === 'model' ? 'penguins' : 'production'}).`);
    }
}
function checkAliasName(alias) {
    checkName(alias, 'alias');
    if (VERSION_REF.test(alias)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`"${alias}" cannot be an alias: it would be read as version ${VERSION_REF.exec(alias)[1]}`, 'Give the alias a name with a letter in it that is not v followed by digits, for example production or staging.');
    }
}
/** 1, 2, 3, 5, 7, 8 -> "v1-v3, v5, v7-v8". */
function describeNumbers(numbers) {
    const ranges = [];
    for (let i = 0; i < numbers.length;) {
        let j = i;
        while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1)
            j++;
        ranges.push(i === j ? `v${numbers[i]}` : `v${numbers[i]}-v${numbers[j]}`);
        i = j + 1;
    }
    return ranges.join(', ');
}
function describeAliases(aliases) {
    return Object.entries(aliases)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, version]) => `${name} -> v${version}`)
        .join(', ');
}
function isCode(error, code) {
    return error?.code === code;
}


/***/ }),

/***/ 99841:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D8: () => (/* binding */ SIGNATURE_HEADER),
/* harmony export */   IQ: () => (/* binding */ checkSignedReload),
/* harmony export */   L1: () => (/* binding */ TIMESTAMP_HEADER),
/* harmony export */   ls: () => (/* binding */ bearerMatches),
/* harmony export */   zd: () => (/* binding */ signReload)
/* harmony export */ });
/* unused harmony exports REPLAY_WINDOW_SECONDS, constantTimeEqual, signBody, signatureMatches */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/**
 * The admin API's credentials: a bearer token, or (for reload only) a signed webhook:
 * `X-Mlops-Timestamp: <unix seconds>` and `X-Mlops-Signature-256: sha256=<hex>`, the
 * HMAC-SHA256 with the same secret of `<timestamp>.<raw body>` (GitHub's scheme, with a
 * timestamp inside what is signed, as Stripe and Slack sign theirs). The server takes a
 * signature only within REPLAY_WINDOW_SECONDS of its timestamp and only once, so a
 * recorded reload cannot be sent again to roll a server back. Compared in constant time.
 */

const SIGNATURE_HEADER = 'x-mlops-signature-256';
const TIMESTAMP_HEADER = 'x-mlops-timestamp';
/** How far a signed reload's timestamp may be from the server's clock, either way. */
const REPLAY_WINDOW_SECONDS = 300;
/** Equal strings, in time that does not depend on where they differ (hashes first: equal lengths). */
function constantTimeEqual(a, b) {
    const ha = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(a, 'utf8').digest();
    const hb = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(b, 'utf8').digest();
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.timingSafeEqual)(ha, hb);
}
/** True when `Authorization: Bearer <token>` carries the token. */
function bearerMatches(header, token) {
    if (!header)
        return false;
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match)
        return false;
    return constantTimeEqual(match[1], token);
}
/** `sha256=<hex>` of the body with the secret. */
function signBody(body, secret) {
    return `sha256=${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHmac)('sha256', secret).update(body).digest('hex')}`;
}
/** The headers that sign a reload body at `timestamp` (unix seconds; default now). */
function signReload(body, secret, timestamp = Math.floor(Date.now() / 1000)) {
    return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signBody(`${timestamp}.${body}`, secret) };
}
/**
 * Checks a signed reload: the timestamp within the window of `now` (unix seconds), the
 * signature that of `<timestamp>.<body>`, and not seen before (`seen`: signature ->
 * when it expires; pruned here, at most `maxSeen` kept). Returns null when it is good,
 * else why not.
 */
function checkSignedReload(headers, body, secret, seen, now = Date.now() / 1000, maxSeen = 10_000) {
    const { timestamp, signature } = headers;
    if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp.trim()))
        return `a signed reload needs ${TIMESTAMP_HEADER} (unix seconds), signed with the body as "<timestamp>.<body>"`;
    const at = Number(timestamp.trim());
    if (Math.abs(now - at) > REPLAY_WINDOW_SECONDS)
        return `the signed reload's timestamp is ${Math.round(now - at)} s from the server's clock (at most ${REPLAY_WINDOW_SECONDS} s): a stale or replayed request`;
    const signed = Buffer.concat([Buffer.from(`${timestamp.trim()}.`, 'utf8'), body]);
    if (typeof signature !== 'string' || !signatureMatches(signature, signed, secret))
        return 'the signature does not match the timestamp and body';
    const key = signature.trim().toLowerCase();
    for (const [k, expires] of seen)
        if (expires < now)
            seen.delete(k);
    if (seen.has(key))
        return 'this signed reload was already taken: a replayed request';
    if (seen.size >= maxSeen)
        seen.delete(seen.keys().next().value);
    seen.set(key, at + REPLAY_WINDOW_SECONDS);
    return null;
}
/** True when the signature header is the body's HMAC-SHA256 with the secret. */
function signatureMatches(header, body, secret) {
    if (!header || !/^sha256=[0-9a-fA-F]{64}$/.test(header.trim()))
        return false;
    const expected = Buffer.from(signBody(body, secret).slice(7), 'hex');
    const given = Buffer.from(header.trim().slice(7).toLowerCase(), 'hex');
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.timingSafeEqual)(expected, given);
}


/***/ }),

/***/ 91799:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  M: () => (/* binding */ scanData)
});

// UNUSED EXPORTS: DEFAULT_PARALLEL_MIN_BYTES

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./src/core/data/delimited.ts
var delimited = __webpack_require__(4763);
// EXTERNAL MODULE: ./src/core/data/source.ts
var data_source = __webpack_require__(26207);
// EXTERNAL MODULE: ./src/core/data/values.ts
var values = __webpack_require__(12912);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/core/profile/profile.ts + 1 modules
var profile_profile = __webpack_require__(7946);
;// CONCATENATED MODULE: ./src/core/validate/anomalies.ts
const ANOMALY_KINDS = {
    empty_file: 'The file has no data rows',
    unreadable_file: 'The file could not be read',
    malformed_row: 'Rows that do not parse (wrong number of fields, bad quoting or bad JSON)',
    duplicate_header: 'A column name appears twice in the header',
    missing_column: 'A column of the schema is missing',
    unexpected_column: 'A column the schema does not know',
    wrong_type: 'Values of the wrong type',
    too_many_nulls: 'More missing values than allowed',
    below_min: 'Values below the minimum',
    above_max: 'Values above the maximum',
    not_in_domain: 'Values outside the allowed set',
    nan: 'NaN where it is not allowed',
    infinity: 'Infinity where it is not allowed',
    duplicate_value: 'Repeated values in a column declared unique',
    too_few_rows: 'Fewer rows than the minimum',
    too_many_rows: 'More rows than the maximum',
};
const SEVERITY_ORDER = { error: 0, warning: 1 };

// EXTERNAL MODULE: ./src/core/validate/dataset-state.ts
var dataset_state = __webpack_require__(80974);
// EXTERNAL MODULE: ./src/core/validate/parallel.ts
var validate_parallel = __webpack_require__(29875);
;// CONCATENATED MODULE: ./src/core/validate/scan.ts
/**
 * One streaming pass over data files that profiles every column and, given a
 * schema, checks every value. Memory stays flat in the files' length (sketches and
 * a few sample rows per check), except for columns declared `unique`. Large
 * delimited files are read by several threads.
 */











/** Records the main thread hands to a reader at once. */
const BLOCK_BYTES = 4 << 20;
const MAX_RECORD_BYTES = 256 * 1024 * 1024;
const DEFAULT_PARALLEL_MIN_BYTES = 32 << 20;
async function scanData(files, options = {}) {
    if (files.length === 0)
        throw new errors/* UserError */.y('no data files to read', 'Give a data path (input `data`, flag --data, or data.path in mlops.yaml).');
    const started = performance.now();
    const schema = options.schema ?? null;
    const settings = { schema, nullValues: options.nullValues ?? values/* DEFAULT_NULL_VALUES */.LL, sampleLimit: options.sampleLimit ?? 5 };
    const state = new dataset_state/* DatasetState */.y(settings);
    const anomalies = [];
    const seenInAnyFile = new Set();
    /** Rows of the files that have each column: the rows of the other files are nulls for it, as when profiles merge. */
    const rowsCovered = new Map();
    const threads = options.threads ?? defaultThreads();
    const parallelMinBytes = options.parallelMinBytes ?? envNumber('MLOPS_PARALLEL_MIN_BYTES') ?? DEFAULT_PARALLEL_MIN_BYTES;
    let pool = null;
    let rows = 0;
    let bytes = 0;
    const interval = options.progressIntervalMs ?? 1000;
    let lastProgress = performance.now();
    /** Rows read so far in the current file, for progress lines. */
    const live = { rows: 0 };
    try {
        for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
            const file = files[fileIndex];
            state.files.push(file);
            const format = (0,data_source/* detectFormat */.Tz)(file, options.format);
            const path = options.baseDir ? (0,external_node_path_.resolve)(options.baseDir, file) : file;
            const size = await fileSize(path);
            const parallel = format !== 'jsonl' && threads > 0 && (0,validate_parallel/* parallelReadingAvailable */.nV)() && size >= parallelMinBytes;
            const source = await (0,data_source/* openSource */.oD)(path, parallel ? BLOCK_BYTES : undefined, file);
            const progress = () => {
                const now = performance.now();
                if (options.onProgress && now - lastProgress >= interval) {
                    lastProgress = now;
                    options.onProgress({
                        file,
                        fileIndex,
                        files: files.length,
                        bytesRead: source.bytesRead(),
                        fileSize: source.size,
                        rows: rows + live.rows,
                        elapsedMs: now - started,
                    });
                }
            };
            const chunks = (async function* () {
                let first = true;
                for await (let chunk of source.chunks) {
                    if (first) {
                        first = false;
                        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf)
                            chunk = chunk.subarray(3);
                    }
                    bytes += chunk.length;
                    yield chunk;
                    progress();
                }
            })();
            for (const column of state.columns.values())
                column.seenInFile = 0;
            const seen = new Set();
            live.rows = 0;
            let fileRows = 0;
            let hasHeader = true;
            if (format === 'jsonl') {
                fileRows = await readJsonLines(chunks, file, state, fileIndex, seen, live);
                // Rows of this file that lacked a key hold nulls for it (their samples were taken row by row).
                for (const column of state.columns.values()) {
                    if (seen.has(column.name) && column.seenInFile < fileRows)
                        column.profile.addNulls(fileRows - column.seenInFile);
                }
            }
            else {
                const delimiter = format === 'tsv' ? 9 : 44;
                if (parallel && pool === null)
                    pool = new validate_parallel/* ReaderPool */.eq(threads, settings);
                const result = await readDelimited(chunks, file, fileIndex, delimiter, state, parallel ? pool : null, anomalies, seen, live);
                fileRows = result.rows;
                hasHeader = result.hasHeader;
            }
            rows += fileRows;
            for (const name of seen) {
                seenInAnyFile.add(name);
                rowsCovered.set(name, (rowsCovered.get(name) ?? 0) + fileRows);
            }
            if (!hasHeader) {
                anomalies.push({
                    kind: 'empty_file',
                    severity: 'error',
                    file,
                    message: 'The file is empty: no header and no rows.',
                    expected: 'a header line and data rows',
                    samples: [],
                });
                continue;
            }
            if (fileRows === 0)
                anomalies.push({
                    kind: 'empty_file',
                    severity: 'error',
                    file,
                    message: 'The file has no data rows.',
                    expected: 'at least one data row',
                    samples: [],
                });
            if (schema && (fileRows > 0 || format !== 'jsonl'))
                anomalies.push(...columnSetAnomalies(schema, seen, file));
        }
        // Merge what reader threads saw.
        const readerStates = pool ? await pool.finish() : [];
        pool = null;
        const profiles = new Map();
        for (const column of state.columns.values())
            profiles.set(column.name, column.profile.toState());
        for (const reader of readerStates) {
            for (const column of reader.columns) {
                const mine = profiles.get(column.name);
                profiles.set(column.name, mine ? (0,profile_profile/* mergeColumnStates */.dp)(mine, column.profile) : column.profile);
                if (column.checker)
                    state.columnFor(column.name).checker?.absorb(column.checker);
            }
            for (const { file, tally } of reader.malformed)
                state.malformedTally(file).absorb(tally, state.files);
        }
        for (const [name, profile] of profiles) {
            const absent = rows - (rowsCovered.get(name) ?? 0);
            if (absent > 0 && seenInAnyFile.has(name))
                profile.counts.null += absent;
        }
        for (const [file, tally] of state.malformed) {
            if (tally.count === 0)
                continue;
            const format = (0,data_source/* detectFormat */.Tz)(file, options.format);
            anomalies.push({
                kind: 'malformed_row',
                severity: 'error',
                file,
                message: `${tally.count} rows do not parse${tally.note === null ? '' : `; ${tally.note}`}.`,
                expected: format === 'jsonl' ? 'one JSON object per line' : 'as many fields as the header, with RFC 4180 quoting',
                unexpectedCount: tally.count,
                samples: tally.samples,
            });
        }
        for (const column of state.columns.values()) {
            const profile = profiles.get(column.name);
            if (!column.checker)
                continue;
            const total = Object.values(profile.counts).reduce((a, b) => a + b, 0);
            if (total === 0)
                continue; // missing everywhere: reported as missing_column
            anomalies.push(...column.checker.finish(total, profile.counts.null));
        }
        if (schema) {
            const { min_rows: minRows, max_rows: maxRows } = schema.dataset;
            if (minRows !== undefined && rows < minRows) {
                anomalies.push({
                    kind: 'too_few_rows',
                    severity: 'error',
                    message: `${rows} rows; the schema asks for at least ${minRows}.`,
                    expected: `>= ${minRows} rows`,
                    samples: [],
                });
            }
            if (maxRows !== undefined && rows > maxRows) {
                anomalies.push({
                    kind: 'too_many_rows',
                    severity: 'error',
                    message: `${rows} rows; the schema allows at most ${maxRows}.`,
                    expected: `<= ${maxRows} rows`,
                    samples: [],
                });
            }
        }
        const kindOrder = Object.keys(ANOMALY_KINDS);
        anomalies.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind));
        const profile = {
            format: profile_profile/* PROFILE_FORMAT */.y6,
            rows,
            files: [...files],
            columns: [...profiles.values()].filter((c) => seenInAnyFile.has(c.name)),
        };
        return { profile, anomalies, rows, bytes, elapsedMs: performance.now() - started };
    }
    finally {
        await pool?.close();
    }
}
/** Reader threads: MLOPS_READER_THREADS when set, else one per core (none on one core). */
async function fileSize(path) {
    try {
        return (await (0,promises_.stat)(path)).size;
    }
    catch {
        return 0; // openSource reports the problem
    }
}
function defaultThreads() {
    const fromEnv = envNumber('MLOPS_READER_THREADS');
    if (fromEnv !== undefined)
        return fromEnv;
    const cores = (0,external_node_os_.availableParallelism)();
    return cores > 1 ? cores : 0;
}
function envNumber(name) {
    const text = process.env[name];
    if (text === undefined || text === '')
        return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0)
        throw new errors/* UserError */.y(`environment variable ${name}: "${text}" is not a whole number >= 0`);
    return value;
}
/** Missing and unexpected columns of one file. */
function columnSetAnomalies(schema, seen, file) {
    const anomalies = [];
    for (const [name, columnSchema] of Object.entries(schema.columns)) {
        if (!seen.has(name) && columnSchema.required !== false) {
            anomalies.push({
                kind: 'missing_column',
                severity: columnSchema.severity ?? 'error',
                column: name,
                file,
                message: `Column "${name}" is in the schema but not in the file.`,
                expected: `a column named "${name}"`,
                samples: [],
            });
        }
    }
    const policy = schema.dataset.unexpected_columns ?? 'warning';
    if (policy !== 'ignore') {
        for (const name of seen) {
            if (!Object.hasOwn(schema.columns, name)) {
                anomalies.push({
                    kind: 'unexpected_column',
                    severity: policy,
                    column: name,
                    file,
                    message: `Column "${name}" is not in the schema.`,
                    expected: 'only the columns of the schema',
                    samples: [],
                });
            }
        }
    }
    return anomalies;
}
/** Reads one CSV/TSV file (rows numbered from 1 in each file); with a pool, blocks of whole records go to reader threads. */
async function readDelimited(chunks, file, fileIndex, delimiter, state, pool, anomalies, seen, live) {
    const tokenizer = new delimited/* DelimitedTokenizer */.N0(delimiter);
    let header = null;
    let headerNames = null;
    const headerSink = {
        record(buf, starts, ends, flags, count, line) {
            const open = (0,delimited/* unterminatedField */.Tl)(flags, count);
            if (open >= 0) {
                // The header swallowed the whole file: say why, before the columns it made up.
                const tally = state.malformedTally(file);
                tally.note ??= (0,delimited/* unterminatedQuoteMessage */.OY)(file, (0,delimited/* openingQuote */.vv)(buf, starts, flags, open, line));
                tally.add(file, 0, line, `header: ${tally.note}`);
            }
            const raw = [];
            for (let i = 0; i < count; i++) {
                const text = (0,values/* decodeText */.g7)(buf, starts[i], ends[i]);
                raw.push(flags[i] & delimited/* FIELD_ESCAPED_QUOTES */.RP ? (0,delimited/* unescapeQuotes */.E9)(text) : text);
            }
            headerNames = dedupeHeader(raw, file, anomalies);
        },
    };
    let rows = 0;
    let sink = null;
    let pending = null;
    const handle = async (buf, final) => {
        let offset = 0;
        if (headerNames === null) {
            offset = tokenizer.tokenize(buf, 0, buf.length, final, headerSink, 1);
            // Keep only the unfinished header (blank lines before it are already counted).
            if (headerNames === null)
                return final ? null : buf.subarray(offset);
            const names = headerNames;
            for (const name of names)
                seen.add(name);
            header = names.map((name) => state.columnFor(name));
            pool?.startFile(fileIndex, file, delimiter, names);
            sink = state.recordSink(fileIndex, header, 1);
        }
        let consumed;
        if (pool) {
            const baseRow = rows;
            const baseLine = tokenizer.line;
            consumed = tokenizer.countRecords(buf, offset, buf.length, final);
            rows += tokenizer.counted;
            live.rows = rows;
            // The block's memory moves to the reader thread: keep a copy of the unfinished tail first.
            const tail = consumed < buf.length ? Buffer.from(buf.subarray(consumed)) : null;
            if (consumed > offset)
                await pool.dispatch(fileIndex, buf, offset, consumed, baseRow, baseLine);
            return tail;
        }
        else {
            const before = sink.row;
            consumed = tokenizer.tokenize(buf, offset, buf.length, final, sink);
            rows += sink.row - before;
        }
        live.rows = rows;
        return consumed < buf.length ? buf.subarray(consumed) : null;
    };
    for await (const chunk of chunks) {
        if (pool) {
            // A block of our own (its memory is handed to a reader thread), at least BLOCK_BYTES long.
            pending = Buffer.concat(pending === null ? [chunk] : [pending, chunk]);
            if (pending.length < BLOCK_BYTES)
                continue;
        }
        else
            pending = pending === null ? chunk : Buffer.concat([pending, chunk]);
        pending = await handle(pending, false);
        if (pending !== null && pending.length > MAX_RECORD_BYTES) {
            throw new errors/* UserError */.y(`${file}: a record starting at line ${tokenizer.line} is longer than 256 MB`, 'A quote is probably never closed; check the quoting near that line.');
        }
    }
    if (pending !== null)
        await handle(pending, true);
    return { rows, hasHeader: headerNames !== null };
}
/** Header names, with repeats renamed (and reported) so every column has its own name. */
function dedupeHeader(raw, file, anomalies) {
    const names = new Set();
    return raw.map((text, i) => {
        let name = text === '' ? `(column ${i + 1})` : text;
        if (names.has(name)) {
            anomalies.push({
                kind: 'duplicate_header',
                severity: 'error',
                column: name,
                file,
                message: `The header names column "${name}" more than once (again at position ${i + 1}); the repeat is read as "${name} (column ${i + 1})".`,
                expected: 'distinct column names',
                samples: [],
            });
            name = `${name} (column ${i + 1})`;
        }
        names.add(name);
        return name;
    });
}
/** JSON Lines: one object per line; blank lines are skipped. Returns the rows read. */
async function readJsonLines(chunks, file, state, fileIndex, seen, live) {
    let pending = null;
    let line = 0;
    let rows = 0;
    const malformed = state.malformedTally(file);
    const handle = (buf, start, end) => {
        line++;
        const e = end > start && buf[end - 1] === 13 ? end - 1 : end;
        const text = (0,values/* decodeText */.g7)(buf, start, e);
        if (text.trim() === '')
            return;
        rows++;
        const preview = text.length > 120 ? `${text.slice(0, 120)}…` : text;
        let value;
        try {
            value = JSON.parse(text);
        }
        catch (error) {
            malformed.add(file, rows, line, `not JSON (${error.message}): ${preview}`);
            return;
        }
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
            malformed.add(file, rows, line, `not a JSON object: ${preview}`);
            return;
        }
        state.jsonRecord(fileIndex, Object.entries(value), rows, line, seen);
        live.rows = rows;
    };
    for await (const chunk of chunks) {
        const buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
        let start = 0;
        let nl = buf.indexOf(10, start);
        while (nl >= 0) {
            handle(buf, start, nl);
            start = nl + 1;
            nl = buf.indexOf(10, start);
        }
        pending = start < buf.length ? buf.subarray(start) : null;
        if (pending !== null && pending.length > MAX_RECORD_BYTES) {
            throw new errors/* UserError */.y(`${file}: line ${line + 1} is longer than 256 MB`, 'JSON Lines needs one object per line.');
        }
    }
    if (pending !== null)
        handle(pending, 0, pending.length);
    return rows;
}


/***/ }),

/***/ 28742:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ Workspace),
/* harmony export */   g: () => (/* binding */ ensureWritableDir)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _config_config_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(45390);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(74296);
/**
 * The workspace: where steps keep what they write, `.mlops/<step>/` beside mlops.yaml
 * (or under `output_dir`), and how paths are shown to people. Steps ask it for
 * folders and files; none of them builds these paths itself.
 */





class Workspace {
    root;
    cwd;
    constructor(
    /** The `.mlops` folder (or output_dir of mlops.yaml). */
    root, 
    /** The working directory: relative inputs and shown paths are relative to it. */
    cwd) {
        this.root = root;
        this.cwd = cwd;
    }
    static of(loaded, cwd) {
        const root = loaded.config.output_dir ? (0,_config_config_js__WEBPACK_IMPORTED_MODULE_3__/* .configPath */ .eQ)(loaded, loaded.config.output_dir) : (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(loaded.baseDir, '.mlops');
        return new Workspace(root, cwd);
    }
    /** A step's folder; `override` (the step's own output-dir input, relative to the working directory) wins. */
    dir(folder, override) {
        return override ? (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(this.cwd, override) : (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.root, folder);
    }
    /** train's model directory: `model/` in train's folder. */
    modelDir(trainOverride) {
        return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.dir('train', trainOverride), 'model');
    }
    /** A path from an input: relative to the working directory. */
    path(input) {
        return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(this.cwd, input);
    }
    /** A path as people should see it: relative to the working directory when inside it. */
    shown(path) {
        const rel = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(this.cwd, path);
        return rel !== '' && !rel.startsWith('..') && !(0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(rel) ? rel : path;
    }
}
/**
 * Checks, before any work, that `dir` can be created and written: a clear error naming
 * the folder (and the input that set it) instead of a raw EACCES after an hour of
 * training. Pseudo file systems (/proc, /sys, /dev) are refused outright: writing there
 * can hang or do harm.
 */
async function ensureWritableDir(dir, setBy) {
    const absolute = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(dir);
    if (/^\/(proc|sys|dev)(\/|$)/.test(absolute))
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${setBy}: ${absolute} is on a system file system, not a folder for outputs`, 'Choose a folder in your project or a temporary folder.');
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(absolute, { recursive: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.access)(absolute, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.W_OK);
    }
    catch (error) {
        const code = error.code;
        const why = code === 'EACCES' || code === 'EPERM'
            ? 'no permission to write there'
            : code === 'ENOTDIR' || code === 'EEXIST'
                ? 'a file is in the way'
                : error.message;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .y(`${setBy}: cannot write to ${absolute} (${why})`, 'Choose a folder you can write to, or fix its permissions.');
    }
}


/***/ }),

/***/ 7533:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   O: () => (/* binding */ GitHubApiError),
/* harmony export */   x: () => (/* binding */ REPOSITORY_DISPATCH_LIMITS)
/* harmony export */ });
/**
 * What steps see of GitHub's API: the few calls they make, in their own terms.
 * The REST adapter speaks Octokit; tests run it against an emulator checked
 * against GitHub's OpenAPI description. Steps and core code depend only on this port.
 */
/**
 * GitHub's limits on a repository_dispatch event, from its REST API description
 * (repos/create-dispatch-event): `event_type` 1 to 100 characters; `client_payload` an
 * object of at most 10 top-level properties whose JSON is under 64 KB (GitHub answers
 * 422 "client_payload is too large" beyond it).
 */
const REPOSITORY_DISPATCH_LIMITS = {
    eventTypeLength: 100,
    payloadProperties: 10,
    payloadBytes: 64 * 1024,
};
/**
 * GitHub answered with an error status (or could not be reached: status 0).
 * Adapters throw this and nothing else for API failures, so callers can branch on `status`.
 */
class GitHubApiError extends Error {
    status;
    documentationUrl;
    errors;
    request;
    name = 'GitHubApiError';
    constructor(message, 
    /** The HTTP status; 0 when no response came back. */
    status, 
    /** GitHub's `documentation_url` for the failed call, when it sent one. */
    documentationUrl, 
    /** The `errors` of a 422 validation failure. */
    errors = [], 
    /** The call that failed, as `METHOD /path`. */
    request) {
        super(message);
        this.status = status;
        this.documentationUrl = documentationUrl;
        this.errors = errors;
        this.request = request;
    }
    /** True for GitHub's 422 when a comment or issue body is over its size limit. */
    get isBodyTooLong() {
        if (this.status !== 422)
            return false;
        const texts = [this.message, ...this.errors.map((e) => `${e.field ?? ''} ${e.message ?? ''}`)];
        return texts.some((text) => /too long/i.test(text));
    }
}


/***/ }),

/***/ 65629:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ ForeignVersionError)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);

/** A version tag or record that this tool did not write (pushed by another tool, or by hand): listing leaves it out. */
class ForeignVersionError extends _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .y {
}


/***/ }),

/***/ 49113:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ NAME_PATTERN)
/* harmony export */ });
/** Model and alias names: lower-case letters, digits, '.', '_' and '-' (OCI repository and tag rules allow them). */
const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;


/***/ }),

/***/ 55941:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  PIPELINE: () => (/* binding */ PIPELINE),
  PROJECT_CONFIG: () => (/* binding */ PROJECT_CONFIG),
  STEPS: () => (/* binding */ STEPS),
  STEP_NAMES: () => (/* binding */ STEP_NAMES)
});

// EXTERNAL MODULE: ./src/core/config/config.ts
var config = __webpack_require__(45390);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 13 modules
var schemas = __webpack_require__(55491);
// EXTERNAL MODULE: ./src/core/errors.ts
var core_errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/core/drift/stats.ts + 1 modules
var stats = __webpack_require__(56114);
;// CONCATENATED MODULE: ./src/core/deploy/canary.ts

const DEFAULT_CANARY_LIMITS = {
    minRequests: 20,
    maxErrorRate: 0.01,
    maxErrorRateIncrease: 0.005,
    maxP99Ms: null,
    maxP99Ratio: 2,
    maxPredictionShift: 0.2,
    maxMeanShift: 0.5,
};
const percent = (x) => `${(x * 100).toFixed(2)} %`;
const ms = (x) => (x === null ? 'n/a' : `${x.toFixed(1)} ms`);
/** Judges the candidate against the limits, with the stable version's figures as the baseline (null when it served nothing). */
function judgeCanary(candidate, stable, limits) {
    const checks = [];
    const rate = candidate.requests > 0 ? candidate.errors / candidate.requests : 0;
    checks.push({
        name: 'traffic',
        passed: candidate.requests >= limits.minRequests,
        detail: `the candidate served ${candidate.requests} requests (at least ${limits.minRequests} needed to judge it)`,
    });
    checks.push({
        name: 'error rate',
        passed: rate <= limits.maxErrorRate,
        detail: `candidate error rate ${percent(rate)} (${candidate.errors} of ${candidate.requests}), limit ${percent(limits.maxErrorRate)}`,
    });
    const stableRate = stable && stable.requests > 0 ? stable.errors / stable.requests : null;
    if (stableRate !== null) {
        checks.push({
            name: 'error rate vs stable',
            passed: rate - stableRate <= limits.maxErrorRateIncrease,
            detail: `candidate ${percent(rate)} vs stable ${percent(stableRate)}: may be at most ${percent(limits.maxErrorRateIncrease)} higher`,
        });
    }
    if (limits.maxP99Ms !== null) {
        checks.push({
            name: 'p99 latency',
            passed: candidate.p99 !== null && candidate.p99 <= limits.maxP99Ms,
            detail: `candidate p99 ${ms(candidate.p99)}, limit ${ms(limits.maxP99Ms)}`,
        });
    }
    if (stable && stable.requests > 0 && stable.p99 !== null && stable.p99 > 0 && candidate.p99 !== null) {
        checks.push({
            name: 'p99 latency vs stable',
            passed: candidate.p99 <= stable.p99 * limits.maxP99Ratio,
            detail: `candidate p99 ${ms(candidate.p99)} vs stable ${ms(stable.p99)}: may be at most ${limits.maxP99Ratio}x`,
        });
    }
    const classes = [...new Set([...Object.keys(candidate.classes ?? {}), ...Object.keys(stable?.classes ?? {})])].sort();
    const counted = (c) => classes.map((k) => c?.[k] ?? 0);
    const total = (c) => Object.values(c ?? {}).reduce((a, b) => a + b, 0);
    if (stable && total(candidate.classes) > 0 && total(stable.classes) > 0) {
        const shift = (0,stats/* jensenShannon */.fy)(counted(stable.classes), counted(candidate.classes)).statistic;
        checks.push({
            name: 'predictions vs stable',
            passed: shift <= limits.maxPredictionShift,
            detail: `Jensen-Shannon distance ${shift.toFixed(3)} between the classes the candidate and the stable version predicted, limit ${limits.maxPredictionShift}`,
        });
    }
    if (stable && typeof candidate.mean === 'number' && typeof stable.mean === 'number' && typeof stable.std === 'number' && stable.std > 0) {
        const shift = Math.abs(candidate.mean - stable.mean) / stable.std;
        checks.push({
            name: 'predictions vs stable',
            passed: shift <= limits.maxMeanShift,
            detail: `mean prediction ${candidate.mean.toPrecision(4)} vs stable ${stable.mean.toPrecision(4)}: ${shift.toFixed(2)} standard deviations apart, limit ${limits.maxMeanShift}`,
        });
    }
    const failed = checks.filter((c) => !c.passed);
    return { promote: failed.length === 0, reasons: failed.map((c) => `${c.name}: ${c.detail}.`), checks };
}

;// CONCATENATED MODULE: ./src/core/deploy/environments.ts
/**
 * The `environments:` section of mlops.yaml (how each environment is deployed to), and
 * environment names. Names follow GitHub's environments: letters of either case, and
 * compared without regard to case (`Production` and `production` are one environment).
 * The registry alias that records what an environment runs is its name in lower case,
 * spaces as "-": `Production` -> `production`, `EU west` -> `eu-west`.
 */



const DEPLOY_TARGETS = ['registry', 'http', 'command'];
const STRATEGIES = ['direct', 'canary'];
/**
 * An environment name: letters (either case), digits, spaces, ".", "_" and "-", starting
 * with a letter or digit, at most 128 characters. GitHub allows more (255 characters,
 * more punctuation); these are the names that also make a registry alias (an OCI tag)
 * one way only.
 */
const ENVIRONMENT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9 ._-]{0,126}[A-Za-z0-9._-])?$/;
const ENVIRONMENT_NAME_RULE = 'letters, digits, spaces, ".", "_" and "-", starting with a letter or digit, at most 128 characters';
/** The registry alias of an environment: its name in lower case, each run of spaces as "-". */
function aliasOf(environment) {
    return environment.toLowerCase().replace(/ +/g, '-');
}
/** A name the user may give an environment. */
function isEnvironmentName(name) {
    return ENVIRONMENT_NAME.test(name);
}
const Canary = schemas/* strictObject */.rej({
    /** Percent of requests sent to the candidate while it bakes. */
    weight: schemas/* number */.aig().min(1).max(100).optional(),
    bake_seconds: schemas/* number */.aig()
        .min(0)
        .max(6 * 3600)
        .optional(),
    min_requests: schemas/* number */.aig().int().min(0).optional(),
    max_error_rate: schemas/* number */.aig().min(0).max(1).optional(),
    max_error_rate_increase: schemas/* number */.aig().min(0).max(1).optional(),
    max_p99_ms: schemas/* number */.aig().positive().optional(),
    max_p99_ratio: schemas/* number */.aig().positive().optional(),
    max_prediction_shift: schemas/* number */.aig().min(0).max(1).optional(),
    max_mean_shift: schemas/* number */.aig().min(0).optional(),
});
/** Names of environment variables a user's command may be given (shell variable names). */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EnvironmentSettings = schemas/* strictObject */.rej({
    /** Locally, deploying here needs --approve true (on GitHub, the environment's protection rules do this). */
    protected: schemas/* boolean */.zMY().optional(),
    /** GitHub's production_environment flag of the Deployment (default: true for an environment named production). */
    production: schemas/* boolean */.zMY().optional(),
    /** How to deploy (the deploy-target input). */
    target: schemas/* enum */.k5n(DEPLOY_TARGETS).optional(),
    url: schemas/* string */.YjP().url().optional(),
    /** The reload webhook path on `url` (default /admin/reload, the path of `mlops serve`). */
    webhook_path: schemas/* string */.YjP().startsWith('/').optional(),
    /**
     * The readiness check after an http deploy: default /v2/models/<model>/ready (mlops serve, KServe,
     * Triton); "" for none (a plain webhook receiver). With a custom webhook_path the default is none.
     */
    ready_path: schemas/* union */.KCZ([schemas/* literal */.euz(''), schemas/* string */.YjP().startsWith('/')]).optional(),
    command: schemas/* string */.YjP().optional(),
    verify_command: schemas/* string */.YjP().optional(),
    /** Variables (secrets) the deploy and verify commands get although they are withheld by default. */
    command_env: schemas/* array */.YOg(schemas/* string */.YjP().regex(VARIABLE_NAME, 'a variable name (letters, digits and "_")')).optional(),
    strategy: schemas/* enum */.k5n(STRATEGIES).optional(),
    canary: Canary.optional(),
    /** What GitHub shows as the environment's address (default: url). */
    environment_url: schemas/* string */.YjP().url().optional(),
});
/** The `environments:` section: settings by environment name; two names for one environment are refused. */
const EnvironmentsSection = schemas/* record */.g1P(schemas/* string */.YjP().regex(ENVIRONMENT_NAME, ENVIRONMENT_NAME_RULE), EnvironmentSettings)
    .superRefine((section, context) => {
    const seen = new Map();
    for (const name of Object.keys(section)) {
        const other = seen.get(aliasOf(name));
        if (other !== undefined)
            context.addIssue({
                code: 'custom',
                path: [name],
                message: `"${name}" and "${other}" name the same environment (names are compared without case, spaces as "-")`,
            });
        seen.set(aliasOf(name), name);
    }
});
/** The settings of `environment` (found without regard to case), or {} when the section has none. */
function settingsOf(section, environment) {
    if (!isEnvironmentName(environment))
        throw new core_errors/* UserError */.y(`environment name "${environment}" is not allowed`, `Use ${ENVIRONMENT_NAME_RULE}.`);
    const alias = aliasOf(environment);
    const name = Object.keys(section ?? {}).find((key) => aliasOf(key) === alias);
    return name === undefined ? {} : section[name];
}
/** The canary limits of an environment's settings, each unset one at its default. */
function canaryLimits(settings) {
    const c = settings.canary ?? {};
    return {
        minRequests: c.min_requests ?? DEFAULT_CANARY_LIMITS.minRequests,
        maxErrorRate: c.max_error_rate ?? DEFAULT_CANARY_LIMITS.maxErrorRate,
        maxErrorRateIncrease: c.max_error_rate_increase ?? DEFAULT_CANARY_LIMITS.maxErrorRateIncrease,
        maxP99Ms: c.max_p99_ms ?? DEFAULT_CANARY_LIMITS.maxP99Ms,
        maxP99Ratio: c.max_p99_ratio ?? DEFAULT_CANARY_LIMITS.maxP99Ratio,
        maxPredictionShift: c.max_prediction_shift ?? DEFAULT_CANARY_LIMITS.maxPredictionShift,
        maxMeanShift: c.max_mean_shift ?? DEFAULT_CANARY_LIMITS.maxMeanShift,
    };
}

// EXTERNAL MODULE: ./src/ports/github.ts
var ports_github = __webpack_require__(7533);
;// CONCATENATED MODULE: ./src/core/deploy/github-deployment.ts
/**
 * The release as a GitHub Deployment: created, moved to in_progress, then success or
 * failure, with the environment URL and the run's log. Best effort: without permission
 * (or on any API error) it warns once and the release goes on unrecorded.
 */


class GitHubDeployment {
    options;
    id = null;
    disabled = false;
    constructor(options) {
        this.options = options;
    }
    async start(version, rollback) {
        const { github, repo, sha, model, environment, production, logUrl } = this.options;
        await this.call(async () => {
            const deployment = await github.createDeployment(repo, {
                sha,
                environment,
                description: `${model} v${version.version}${rollback ? ' (rollback)' : ''}`.slice(0, 140),
                payload: { model, version: version.version, digest: version.digest, uri: version.uri, rollback },
                productionEnvironment: production,
            });
            this.id = deployment.id;
            await github.createDeploymentStatus(repo, deployment.id, { state: 'in_progress', logUrl: logUrl ?? undefined });
        });
    }
    async finish(state, description, environmentUrl) {
        if (this.id === null)
            return;
        const { github, repo, logUrl } = this.options;
        const id = this.id;
        await this.call(() => github.createDeploymentStatus(repo, id, {
            state,
            description,
            environmentUrl: environmentUrl || undefined,
            logUrl: logUrl ?? undefined,
        }));
    }
    async call(fn) {
        if (this.disabled)
            return;
        try {
            await fn();
        }
        catch (error) {
            this.disabled = true;
            const denied = error instanceof ports_github/* GitHubApiError */.O && (error.status === 403 || error.status === 404);
            this.options.log.warning(denied
                ? `No GitHub Deployment recorded: the token may not write deployments (${error.message}). Give the job \`permissions: deployments: write\`.`
                : `No GitHub Deployment recorded: ${(0,core_errors/* describeError */.U)(error)}`);
        }
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
;// CONCATENATED MODULE: ./src/core/deploy/release.ts
/**
 * Releasing a registered model version to an environment: the use case behind the
 * deploy step. It picks the version (or the one to roll back to), refuses one that is
 * not blessed, records the release (a GitHub Deployment), deploys it with a target,
 * directly or as a canary that bakes on live traffic, verifies it, and rolls back when
 * anything fails. The registry alias of the environment always says what the
 * environment runs, so a rollback knows where to go back to whatever the target.
 *
 * The rollback state machine:
 *   deploy ok, verify ok           -> alias moves to the new version            (success)
 *   canary judged bad               -> the candidate is dropped; stable never left (failure, rolled back)
 *   deploy or verify fails          -> the previous version is deployed again and the alias stays on it
 *                                      (failure, rolled back); no previous version, or the rollback
 *                                      fails too: the environment needs a person (failure, not rolled back)
 */





/** A recorder that records nothing (locally, or when the job's environment records it). */
const NO_RECORD = {
    id: null,
    async start() { },
    async finish() { },
};
class CanaryFailed extends Error {
    verdict;
    constructor(verdict) {
        super(`the canary failed: ${verdict.reasons.join(' ')}`);
        this.verdict = verdict;
    }
}
/**
 * Releases a version to an environment (or rolls it back). Refusals before anything is
 * touched (no version, not blessed, nothing to roll back to) throw a UserError; a
 * failure after the release started is a result with ok false, the environment rolled
 * back where it could be.
 */
async function release(params) {
    const { plan, target, registry, deployments, log } = params;
    const { model, environment, alias } = plan;
    const previous = await currentVersion(registry, model, alias);
    let wanted;
    if (plan.rollback) {
        const back = await versionBefore(registry, model, alias);
        if (back === null)
            throw new core_errors/* UserError */.y(`environment ${environment} of ${model} has no earlier version to roll back to`, `Its alias history (mlops registry history ${model} ${alias}) shows one version or none.`);
        wanted = await registry.resolve(model, String(back));
        log.info(`Rolling ${environment} back from v${previous?.version ?? '?'} to v${wanted.version}.`);
    }
    else {
        wanted = await resolveWanted(registry, model, plan.ref);
    }
    // The registry reads the blessing registered with the version against its contract.
    const blessing = wanted.blessing;
    if (!plan.rollback && !plan.force && blessing?.blessed !== true)
        throw new core_errors/* UserError */.y(`${model} v${wanted.version} is ${unblessed(wanted)}: deploy refuses it`, 'Deploy a blessed version, or set force: true to deploy it anyway.');
    // Every file of the version is read back and checked against its digest before anything moves: a blob
    // corrupted or swapped in the registry's storage would otherwise be what the environment's alias names.
    await verifyBlobs(registry, model, wanted, log);
    await deployments.start(wanted, plan.rollback);
    let canary = null;
    try {
        log.info(`Deploying ${model} v${wanted.version} (${wanted.digest}) to ${environment} with the ${target.name} target${plan.strategy === 'canary' ? ' as a canary' : ''}.`);
        if (plan.strategy === 'canary' && !plan.rollback) {
            if (!target.canary)
                throw new core_errors/* UserError */.y(`the ${target.name} target cannot run canaries`, 'Use the http target with `mlops serve`.');
            canary = await bakeCanary(target.canary, wanted, plan.canary, target.shown, log);
            if (!canary.promote)
                throw new CanaryFailed(canary);
        }
        else {
            await target.deploy(wanted, plan.rollback);
        }
        await target.verify(wanted);
        for (const verifier of params.verifiers ?? [])
            await verifier(wanted);
        await registry.setAlias(model, alias, wanted.version);
        await deployments.finish('success', `${model} v${wanted.version}${plan.rollback ? ' (rollback)' : ''}`, plan.environmentUrl);
    }
    catch (error) {
        log.error(`Deploying ${model} v${wanted.version} to ${environment} failed: ${(0,core_errors/* describeError */.U)(error)}`);
        let restored = false;
        if (!(error instanceof CanaryFailed) && previous && previous.version !== wanted.version) {
            // Put the environment back on what it ran before; a canary never left it.
            try {
                log.info(`Rolling ${environment} back to v${previous.version}.`);
                await target.deploy(previous, true);
                await registry.setAlias(model, alias, previous.version);
                restored = true;
            }
            catch (rollbackError) {
                log.error(`Rolling back to v${previous.version} failed too: ${(0,core_errors/* describeError */.U)(rollbackError)}. The environment needs a person.`);
            }
        }
        const rolledBack = restored || error instanceof CanaryFailed;
        await deployments.finish('failure', `${model} v${wanted.version} failed${rolledBack ? '; rolled back' : ''}`, plan.environmentUrl);
        return {
            ok: false,
            wanted,
            blessing,
            previous,
            // What the environment runs now: the previous version when restored (or never left), else unknown.
            running: rolledBack ? previous : null,
            rolledBack,
            canary,
            error: (0,core_errors/* describeError */.U)(error),
            failure: error instanceof CanaryFailed
                ? `The canary of ${model} v${wanted.version} failed its checks and was rolled back: ${error.verdict.reasons.join(' ')}`
                : `Deploying ${model} v${wanted.version} to ${environment} failed: ${(0,core_errors/* describeError */.U)(error)}${rolledBack && previous ? ` (rolled back to v${previous.version})` : ''}`,
            deploymentId: deployments.id,
        };
    }
    return {
        ok: true,
        wanted,
        blessing,
        previous,
        running: wanted,
        rolledBack: plan.rollback,
        canary,
        error: null,
        failure: null,
        deploymentId: deployments.id,
    };
}
/**
 * The canary bake loop: the candidate gets `weight` % of requests for the bake time, the
 * server's statistics are read, and the candidate is promoted or dropped by judgeCanary.
 */
async function bakeCanary(server, candidate, plan, shown, log) {
    const before = await server.status();
    const stableVersion = before.stable?.version ?? null;
    if (stableVersion === candidate.version) {
        log.info(`${shown} already serves v${candidate.version}: nothing to canary.`);
        return { promote: true, reasons: [], checks: [] };
    }
    await server.resetStats();
    await server.setCandidate(String(candidate.version), plan.weight);
    log.info(`Canary: v${candidate.version} gets ${plan.weight} % of requests for ${plan.bakeSeconds} s.`);
    const pollMs = plan.pollMs ?? 10_000;
    const deadline = Date.now() + plan.bakeSeconds * 1000;
    while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
        const now = await server.status();
        const c = now.stats[String(candidate.version)];
        if (c)
            log.info(`  candidate: ${c.requests} requests, ${c.errors} errors, p99 ${c.p99 === null ? 'n/a' : `${c.p99.toFixed(1)} ms`}`);
    }
    const after = await server.status();
    const empty = { requests: 0, errors: 0, p50: null, p99: null };
    const verdict = judgeCanary(after.stats[String(candidate.version)] ?? empty, stableVersion === null ? null : (after.stats[String(stableVersion)] ?? null), plan.limits);
    if (verdict.promote) {
        await server.promote();
        log.info(`Canary passed every check: v${candidate.version} promoted.`);
    }
    else {
        await server.dropCandidate();
        log.warning(`Canary failed: ${verdict.reasons.join(' ')} v${candidate.version} was removed; ${shown} serves v${stableVersion ?? '?'} again.`);
    }
    return verdict;
}
/** Why a version is not blessed, in words. */
function unblessed(version) {
    if (version.blessing)
        return 'not blessed';
    if (version.problems.length > 0)
        return `without a readable blessing (${version.problems.join('; ')})`;
    return 'not evaluated (registered without a blessing)';
}
/** Pulls the version into a scratch folder (the pull checks every file's digest) and removes it. */
async function verifyBlobs(registry, model, version, log) {
    const scratch = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'mlops-deploy-verify-'));
    try {
        await registry.pull(model, version.digest, (0,external_node_path_.join)(scratch, 'model'));
        log.info(`Verified ${model} v${version.version}: its ${version.files.length} files match their digests.`);
    }
    finally {
        await (0,promises_.rm)(scratch, { recursive: true, force: true });
    }
}
async function resolveWanted(registry, model, ref) {
    if (ref)
        return registry.resolve(model, ref);
    const versions = await registry.list(model);
    if (versions.length === 0)
        throw new core_errors/* UserError */.y(`no versions of ${model} in the registry`, 'Register a model first (the register step).');
    return versions[versions.length - 1];
}
async function currentVersion(registry, model, alias) {
    const version = (await registry.aliases(model))[alias];
    return version === undefined ? null : registry.resolve(model, String(version));
}
/** The version the environment ran before its current one, from the alias history. */
async function versionBefore(registry, model, alias) {
    const history = await registry.aliasHistory(model, alias);
    const current = (await registry.aliases(model))[alias];
    if (current === undefined)
        return null;
    for (let i = history.length - 1; i >= 0; i--) {
        const version = history[i].version;
        if (version !== null && version !== current)
            return version;
    }
    return null;
}

;// CONCATENATED MODULE: ./src/core/markdown.ts
/**
 * Markdown that data cannot break or inject into. Column names and values from
 * users' files go through `code` (an inline code span: no Markdown, no HTML, no
 * @mentions, no #references); sentences that quote them go through `escapeText`.
 * Both are safe inside GitHub table cells.
 */
const MD_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|~<>&"'=:$^]/g;
const HTML_ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function oneLine(text) {
    return text.replace(/\r\n|\r|\n/g, '↵').replace(/\t/g, ' ');
}
/** Shortens text to `max` characters with an ellipsis. */
function truncate(text, max) {
    return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}
/** Plain text, shown literally: Markdown punctuation escaped, HTML characters as entities, mentions defused. */
function escapeText(text, max = 500) {
    return truncate(oneLine(text), max)
        .replace(MD_PUNCTUATION, (c) => (HTML_ENTITIES[c] ? HTML_ENTITIES[c] : `\\${c}`))
        .replace(/@/g, '@\u200b');
}
/** Text for an HTML context (inside <summary>, <td>): entities only. */
function escapeHtml(text) {
    return oneLine(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}
/**
 * A value as an inline code span. In a table cell (the default) pipes are escaped;
 * pass `inTable = false` elsewhere. Empty and all-space values show as a marker.
 */
function code(text, max = 80, inTable = true) {
    const line = truncate(oneLine(text), max);
    if (line === '')
        return '*(empty)*';
    if (/^ +$/.test(line))
        return `*(${line.length === 1 ? 'a space' : `${line.length} spaces`})*`;
    const value = inTable ? line.replace(/\|/g, '\\|') : line;
    let longest = 0;
    for (const run of value.match(/`+/g) ?? [])
        longest = Math.max(longest, run.length);
    const fence = '`'.repeat(longest + 1);
    const pad = value.startsWith('`') || value.endsWith('`') || (value.startsWith(' ') && value.endsWith(' ')) ? ' ' : '';
    return `${fence}${pad}${value}${pad}${fence}`;
}
/** A GitHub table; cells must already be escaped. */
function table(headers, rows, align) {
    const rule = headers.map((_, i) => (align?.[i] === 'right' ? '---:' : '---'));
    return [headers, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
/** A number for a report: integers as they are, others to 4 significant digits. */
function formatNumber(value) {
    if (value === null || value === undefined)
        return '';
    if (Number.isNaN(value))
        return 'NaN';
    if (!Number.isFinite(value))
        return value > 0 ? '∞' : '−∞';
    if (Number.isInteger(value) && Math.abs(value) < 1e15)
        return String(value);
    const abs = Math.abs(value);
    if (abs !== 0 && (abs < 1e-3 || abs >= 1e9))
        return value.toExponential(3);
    return String(Number(value.toPrecision(4)));
}

;// CONCATENATED MODULE: ./src/core/deploy/summary.ts
/** The job summary of a release: what was deployed where, how, the canary's checks and any error. */

function releaseSummary(plan, target, result) {
    const { wanted } = result;
    const lines = [
        `## ${result.ok ? 'Deployed' : 'Deploy failed'}: ${escapeText(plan.model)} v${wanted.version} to ${escapeText(plan.environment)}${result.rolledBack ? ' (rolled back)' : ''}`,
        '',
        table(['Release', ''], [
            ['Version', `v${wanted.version} ${code(wanted.digest, 80)}`],
            ['Previous', result.previous ? `v${result.previous.version}` : '(none)'],
            ['Target', target.name + (target.name === 'http' ? ` ${code(target.shown, 120)}` : '')],
            ['Strategy', plan.strategy + (plan.strategy === 'canary' ? ` (${plan.canary.weight} % for ${plan.canary.bakeSeconds} s)` : '')],
            ['Blessed', result.blessing?.blessed === true ? 'yes' : 'no'],
        ]),
        '',
    ];
    if (result.canary && result.canary.checks.length > 0) {
        lines.push('### Canary checks', '', table(['Check', 'Result', 'Detail'], result.canary.checks.map((c) => [escapeText(c.name), c.passed ? 'pass' : '**fail**', escapeText(c.detail)])), '');
    }
    if (result.error)
        lines.push(`Error: ${escapeText(result.error, 1000)}`, '');
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/core/deploy/targets/command.ts
/**
 * The command target: the user's deploy command, run with the version's files pulled
 * from the registry, and the user's verify command (for any target). Both run through
 * the one way user commands run (no secret of ours or the runner's unless named) and get
 * MLOPS_MODEL, MLOPS_MODEL_VERSION, MLOPS_MODEL_DIGEST, MLOPS_MODEL_URI, MLOPS_MODEL_DIR,
 * MLOPS_ENVIRONMENT and MLOPS_ROLLBACK.
 */


function commandTarget(command, options) {
    return {
        name: 'command',
        shown: 'command',
        async deploy(version, rollback) {
            await runWithModel(command, 'deploy command', options, version, rollback);
        },
        async verify() { },
        canary: null,
    };
}
/** The verify command as a check after the deploy. */
function commandVerifier(command, options, log) {
    return async (version) => {
        await runWithModel(command, 'verify command', options, version, false);
        log.info('Verified: the verify command passed.');
    };
}
async function runWithModel(command, what, options, version, rollback) {
    await (0,promises_.mkdir)(options.scratch, { recursive: true });
    const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(options.scratch, 'pull-'));
    try {
        const modelDir = (0,external_node_path_.join)(dir, 'model');
        await options.registry.pull(options.model, String(version.version), modelDir);
        await options.run({
            command,
            what,
            env: {
                MLOPS_MODEL: options.model,
                MLOPS_MODEL_VERSION: String(version.version),
                MLOPS_MODEL_DIGEST: version.digest,
                MLOPS_MODEL_URI: version.uri,
                MLOPS_MODEL_DIR: modelDir,
                MLOPS_ENVIRONMENT: options.environment,
                MLOPS_ROLLBACK: String(rollback),
            },
            pass: options.pass,
        });
    }
    finally {
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
}

// EXTERNAL MODULE: ./src/core/serve/auth.ts
var auth = __webpack_require__(99841);
;// CONCATENATED MODULE: ./src/core/deploy/serve-client.ts
/**
 * What deploy says to a serving endpoint over HTTP: a signed reload webhook (any
 * server, or `mlops serve`), and the admin API of `mlops serve` for canaries.
 * The webhook is signed (serve/auth.ts): `X-Mlops-Timestamp: <unix seconds>` and
 * `X-Mlops-Signature-256: sha256=<HMAC-SHA256 of "<timestamp>.<raw body>" with the shared secret>`.
 */


const TIMEOUT_MS = 120_000;
class ServeClient {
    url;
    secret;
    constructor(
    /** The server's root, e.g. http://127.0.0.1:8501. */
    url, secret) {
        this.url = url;
        this.secret = secret;
    }
    /** POSTs the release to the reload webhook, signed; any 2xx is success. */
    async reload(payload, path = '/admin/reload') {
        const body = JSON.stringify(payload);
        const headers = { 'content-type': 'application/json' };
        if (this.secret)
            Object.assign(headers, (0,auth/* signReload */.zd)(body, this.secret));
        return this.send('POST', path, body, headers);
    }
    async status() {
        const raw = (await this.admin('GET', '/admin/status'));
        const served = (v) => v && typeof v === 'object'
            ? {
                version: typeof v.version === 'number' ? v.version : null,
                digest: typeof v.digest === 'string' ? v.digest : null,
            }
            : null;
        const stats = {};
        for (const [version, s] of Object.entries((raw.stats ?? {}))) {
            const latency = (s.latency_ms ?? {});
            const predicted = (s.predictions ?? {});
            const classes = predicted.classes;
            stats[version] = {
                requests: Number(s.requests ?? 0),
                errors: Number(s.errors ?? 0),
                p50: typeof latency.p50 === 'number' ? latency.p50 : null,
                p99: typeof latency.p99 === 'number' ? latency.p99 : null,
                ...(classes && typeof classes === 'object' ? { classes: classes } : {}),
                ...(typeof predicted.mean === 'number' ? { mean: predicted.mean } : {}),
                ...(typeof predicted.std === 'number' ? { std: predicted.std } : {}),
            };
        }
        return { stable: served(raw.stable), candidate: served(raw.candidate), weight: Number(raw.weight ?? 0), stats };
    }
    async setCandidate(ref, weight) {
        await this.admin('POST', '/admin/candidate', { ref, weight });
    }
    async promote() {
        await this.admin('POST', '/admin/promote', {});
    }
    async dropCandidate() {
        await this.admin('POST', '/admin/rollback', {});
    }
    async resetStats() {
        await this.admin('POST', '/admin/reset-stats', {});
    }
    /** True when GET `path` answers 2xx (for mlops serve, KServe and Triton: /v2/models/<model>/ready). */
    async ready(path) {
        try {
            const response = await fetch(new URL(path, this.url), {
                signal: AbortSignal.timeout(10_000),
            });
            await response.arrayBuffer();
            return response.ok;
        }
        catch {
            return false;
        }
    }
    admin(method, path, payload) {
        if (!this.secret)
            throw new core_errors/* UserError */.y(`the admin API of ${this.url} needs a token`, 'Set the `secret` input (or MLOPS_DEPLOY_SECRET) to the admin token the server was started with.');
        const headers = { authorization: `Bearer ${this.secret}` };
        if (payload !== undefined)
            headers['content-type'] = 'application/json';
        return this.send(method, path, payload === undefined ? undefined : JSON.stringify(payload), headers);
    }
    async send(method, path, body, headers) {
        const target = new URL(path, this.url);
        let response;
        try {
            response = await fetch(target, { method, body, headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
        }
        catch (error) {
            const cause = error.cause;
            throw new core_errors/* UserError */.y(`cannot reach ${target.origin}: ${cause?.code ?? cause?.message ?? error.message}`, 'Check the url of the environment (is the server running and reachable from the runner?).');
        }
        const text = await response.text();
        let json = null;
        try {
            json = text ? JSON.parse(text) : null;
        }
        catch {
            json = null;
        }
        if (!response.ok) {
            const message = json && typeof json === 'object' && 'error' in json ? String(json.error) : text.slice(0, 300);
            const hint = response.status === 401 || response.status === 403
                ? 'The server refused the credentials: the `secret` must equal the admin token (or webhook secret) the server was started with.'
                : response.status === 404 && path.startsWith('/admin')
                    ? 'The server has no admin API: start `mlops serve` with --admin-token.'
                    : undefined;
            throw new core_errors/* UserError */.y(`${method} ${target.pathname} on ${target.origin} answered ${response.status}: ${message}`, hint);
        }
        return json;
    }
}

;// CONCATENATED MODULE: ./src/core/deploy/targets/http.ts
/**
 * The http target: a signed reload webhook on a serving endpoint (`mlops serve`, or any
 * receiver of the release), a readiness check after it, and, on `mlops serve`, its admin
 * API for the version served and for canaries.
 */


/** mlops serve's reload route. */
const SERVE_RELOAD_PATH = '/admin/reload';
function httpTarget(options) {
    const { url, secret, model, environment, log } = options;
    const client = new ServeClient(url, secret);
    const ourServer = options.webhookPath === undefined || options.webhookPath === SERVE_RELOAD_PATH;
    const readyPath = options.readyPath ?? (ourServer ? `/v2/models/${encodeURIComponent(model)}/ready` : '');
    return {
        name: 'http',
        shown: url,
        async deploy(version, rollback) {
            await client.reload({
                model,
                ref: version.digest,
                version: version.version,
                digest: version.digest,
                uri: version.uri,
                environment,
                rollback,
            }, options.webhookPath);
            log.info(`${url} accepted v${version.version}.`);
        },
        async verify(version) {
            if (!readyPath)
                return;
            if (!(await client.ready(readyPath)))
                throw new core_errors/* UserError */.y(`${url} does not answer ready for ${model} (GET ${readyPath})`, 'Set ready_path for this environment, or "" for none.');
            if (secret && ourServer) {
                const status = await client.status().catch(() => null);
                if (status?.stable && status.stable.version !== null && status.stable.version !== version.version)
                    throw new core_errors/* UserError */.y(`${url} serves v${status.stable.version}, not v${version.version}, after the deploy`);
            }
            log.info(`Verified: ${url} is ready and serves v${version.version}.`);
        },
        canary: client,
    };
}

;// CONCATENATED MODULE: ./src/core/deploy/targets/registry.ts
function registryTarget() {
    return {
        name: 'registry',
        shown: 'registry',
        async deploy() { },
        async verify() { },
        canary: null,
    };
}

// EXTERNAL MODULE: ./src/core/workspace.ts
var core_workspace = __webpack_require__(28742);
// EXTERNAL MODULE: ./src/ports/registry.ts
var ports_registry = __webpack_require__(49113);
;// CONCATENATED MODULE: ./src/steps/spec.ts


class InputError extends core_errors/* UserError */.y {
    input;
    constructor(input, detail) {
        super(`input ${input}: ${detail}`, `Set \`${input}\` in the workflow's \`with:\` (or the matching --${input} flag).`);
        this.input = input;
    }
}
function specOf(step, name) {
    const spec = step.inputs[name];
    if (!spec)
        throw new Error(`step ${step.name} has no input ${name}`);
    return spec;
}
/** The value at a dotted path of an object (own properties only), or undefined. */
function atPath(root, path) {
    let value = root;
    for (const key of path.split('.')) {
        if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key))
            return undefined;
        value = value[key];
    }
    return value;
}
function fromText(spec, name, text, where) {
    if (spec.choices && !spec.choices.includes(text))
        throw new InputError(name, `"${text}" (${where}) is not one of ${spec.choices.join(', ')}`);
    if (spec.type === 'boolean') {
        if (text !== 'true' && text !== 'false')
            throw new InputError(name, `"${text}" (${where}) is not true or false`);
        return text === 'true';
    }
    if (spec.type === 'integer' || spec.type === 'number') {
        const value = Number(text);
        if (text.trim() === '' || !Number.isFinite(value) || (spec.type === 'integer' && !Number.isInteger(value)))
            throw new InputError(name, `"${text}" (${where}) is not ${spec.type === 'integer' ? 'a whole number' : 'a number'}`);
        return checkBounds(spec, name, value, where);
    }
    return text;
}
function checkBounds(spec, name, value, where) {
    if (spec.min !== undefined && value < spec.min)
        throw new InputError(name, `${value} (${where}) is below ${spec.min}`);
    if (spec.max !== undefined && value > spec.max)
        throw new InputError(name, `${value} (${where}) is above ${spec.max}`);
    return value;
}
function fromConfigValue(spec, name, value, where) {
    if (spec.list) {
        const list = Array.isArray(value) ? value : [value];
        return list.map((v) => String(v));
    }
    if (typeof value === 'string')
        return fromText(spec, name, value, where);
    if (typeof value === 'number') {
        if (spec.type === 'integer' || spec.type === 'number')
            return checkBounds(spec, name, value, where);
        return String(value);
    }
    if (typeof value === 'boolean')
        return spec.type === 'boolean' ? value : String(value);
    throw new InputError(name, `${where} holds ${JSON.stringify(value)}, not a single value`);
}
/**
 * An input resolved by the one rule: the input (or flag), else `params[key]` (the params
 * file, keyed by the last part of the input's config key), else mlops.yaml at the input's
 * config key, else its default. undefined when none sets it.
 */
function resolveInput(ctx, step, name, params) {
    const spec = specOf(step, name);
    const text = ctx.io.getInput(name);
    if (text !== '') {
        if (spec.list)
            return { value: splitList(text), source: 'input' };
        return { value: fromText(spec, name, text, 'input'), source: 'input' };
    }
    if (spec.config) {
        const key = spec.config.split('.').pop();
        if (params && Object.hasOwn(params, key) && params[key] !== undefined && params[key] !== null)
            return { value: fromConfigValue(spec, name, params[key], `${key} in the params file`), source: 'params file' };
        const configured = atPath(ctx.config.config, spec.config);
        if (configured !== undefined && configured !== null)
            return { value: fromConfigValue(spec, name, configured, `${spec.config} in mlops.yaml`), source: 'mlops.yaml' };
    }
    if (spec.default !== undefined) {
        if (spec.list)
            return { value: splitList(spec.default), source: 'default' };
        return { value: fromText(spec, name, spec.default, 'default'), source: 'default' };
    }
    return undefined;
}
function splitList(text) {
    return text
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
}
/** A text input (resolved); undefined when unset. */
function stringInput(ctx, step, name, params) {
    const resolved = resolveInput(ctx, step, name, params);
    return resolved === undefined ? undefined : String(resolved.value);
}
/** A number input (resolved, bounds checked); undefined when unset. */
function numberInput(ctx, step, name, params) {
    const resolved = resolveInput(ctx, step, name, params);
    if (resolved === undefined)
        return undefined;
    if (typeof resolved.value !== 'number')
        throw new Error(`input ${name} of ${step.name} is not declared as a number`);
    return resolved.value;
}
/** A true/false input (resolved); undefined when unset. */
function booleanInput(ctx, step, name, params) {
    const resolved = resolveInput(ctx, step, name, params);
    if (resolved === undefined)
        return undefined;
    if (typeof resolved.value !== 'boolean')
        throw new Error(`input ${name} of ${step.name} is not declared as true/false`);
    return resolved.value;
}
/** A choice input (resolved, checked against its choices); undefined when unset. */
function choiceInput(ctx, step, name, params) {
    return stringInput(ctx, step, name, params);
}
/** A list input (resolved): one value per line; [] when unset. */
function listInput(ctx, step, name, params) {
    const resolved = resolveInput(ctx, step, name, params);
    if (resolved === undefined)
        return [];
    return Array.isArray(resolved.value) ? resolved.value : [String(resolved.value)];
}
/** Where a path value points: from mlops.yaml, relative to its folder; otherwise (an input, a flag) to the working directory. */
function placePath(ctx, source, path) {
    return source === 'mlops.yaml' ? (0,config/* configPath */.eQ)(ctx.config, path) : ctx.workspace.path(path);
}
/** A path input (resolved, then placed by placePath); undefined when unset. */
function pathInput(ctx, step, name) {
    const resolved = resolveInput(ctx, step, name);
    return resolved === undefined ? undefined : placePath(ctx, resolved.source, String(resolved.value));
}
/** A list of paths (resolved, each placed by placePath); [] when unset. */
function pathsInput(ctx, step, name) {
    const resolved = resolveInput(ctx, step, name);
    if (resolved === undefined)
        return [];
    const values = Array.isArray(resolved.value) ? resolved.value : [String(resolved.value)];
    return values.map((value) => placePath(ctx, resolved.source, value));
}

;// CONCATENATED MODULE: ./src/steps/deploy.ts
/**
 * deploy: release a registered model version to an environment, record it as a
 * GitHub Deployment, verify it, and roll back on failure. The step reads its inputs,
 * builds the deploy target, and calls the release use case (core/deploy/release.ts),
 * which holds the rollback state machine and the canary bake loop.
 */











const deploy = {
    name: 'deploy',
    title: 'Deploy',
    description: 'Deploys a registered model version to an environment (moving its registry alias, calling a serving endpoint, or running your deploy command), directly or as a canary, records it as a GitHub Deployment, verifies it and rolls back on failure.',
    inputs: {
        config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
        model: { description: 'The model name in the registry. Default: model.name in mlops.yaml.', config: 'model.name' },
        version: {
            description: 'The version to deploy: a number (3), an alias (staging) or a digest (sha256:...). Default: the newest version.',
        },
        environment: {
            description: `The environment to deploy to (for example staging or production), as GitHub names it: ${ENVIRONMENT_NAME_RULE}; names are compared without case, as GitHub does. The registry alias that records what it runs is the name in lower case with spaces as "-" (Production -> production). Required.`,
        },
        'deploy-target': {
            description: 'How to deploy: registry (move the alias named after the environment; servers following it pick it up), http (call the serving endpoint at `url`), or command (run your deploy command). Default: environments.<name>.target in mlops.yaml, else registry.',
            choices: DEPLOY_TARGETS,
        },
        url: {
            description: 'The serving endpoint for the http target (e.g. https://models.example.com, a server started with `mlops serve`); also the environment URL shown on GitHub. Default: environments.<name>.url.',
        },
        command: {
            description: 'Your deploy command for the command target, run with bash; it gets MLOPS_MODEL, MLOPS_MODEL_VERSION, MLOPS_MODEL_DIGEST, MLOPS_MODEL_URI, MLOPS_MODEL_DIR (the pulled files), MLOPS_ENVIRONMENT and MLOPS_ROLLBACK, and none of the runner’s or our secrets unless named in `command-env`. Default: environments.<name>.command.',
        },
        'verify-command': {
            description: 'A command that checks the deployment (exit 0 = healthy), run after the deploy with the same variables. Default: environments.<name>.verify_command, else none.',
        },
        'command-env': {
            description: 'Variables the deploy and verify commands get although they are withheld by default (INPUT_*, ACTIONS_*, GITHUB_TOKEN, GH_TOKEN, MLOPS_DEPLOY_SECRET, MLOPS_ADMIN_TOKEN, MLOPS_REGISTRY_TOKEN, MLOPS_REGISTRY_USERNAME, MLOPS_REGISTRY_PASSWORD), one name per line; other variables of the step pass anyway. Default: environments.<name>.command_env, else none.',
            list: true,
        },
        strategy: {
            description: 'direct, or canary (http target with `mlops serve`: send a share of traffic to the new version, bake, compare error rate and latency, then promote or roll back). Default: environments.<name>.strategy, else direct.',
            choices: STRATEGIES,
        },
        'canary-weight': {
            description: 'Percent of requests the candidate gets while it bakes. Default: environments.<name>.canary.weight, else 10.',
            type: 'number',
            min: 1,
            max: 100,
        },
        'bake-time': {
            description: 'Seconds the canary bakes before it is judged. Default: environments.<name>.canary.bake_seconds, else 60.',
            type: 'number',
            min: 0,
            max: 6 * 3600,
        },
        secret: {
            description: 'The shared secret: signs the reload webhook (X-Mlops-Signature-256) and is the admin token of `mlops serve` for canaries. Pass it from a secret. Default: the MLOPS_DEPLOY_SECRET environment variable.',
        },
        rollback: {
            description: 'true to put the environment back on the version it ran before its current one (version is then ignored). Default: false.',
            type: 'boolean',
            default: 'false',
        },
        force: { description: 'true to deploy a version that is not blessed. Default: false.', type: 'boolean', default: 'false' },
        approve: {
            description: 'Local runs only: true to deploy to an environment marked protected in mlops.yaml (on GitHub the environment protection rules ask a reviewer instead). Default: false.',
            type: 'boolean',
            default: 'false',
        },
        registry: {
            description: 'The registry: oci://host/namespace or a folder. Default: registry.url or registry.path in mlops.yaml, else .mlops/registry beside mlops.yaml.',
        },
        'github-deployment': {
            description: 'true to record the release as a GitHub Deployment with its statuses; false when the job declares `environment:` (GitHub then records the deployment itself, as mlops-cd.yml does). Default: true.',
            type: 'boolean',
            default: 'true',
        },
        token: {
            description: 'Token for the GitHub Deployments API (the job needs permissions: deployments: write) and for an OCI registry. Default: the workflow token.',
            actionDefault: '${{ github.token }}',
        },
    },
    outputs: {
        version: { description: 'The version the environment runs after this step.' },
        digest: { description: 'Its digest (sha256:...).' },
        'environment-url': { description: 'The environment URL (the url input or setting), for the job’s environment.url.' },
        'deployment-id': { description: 'The GitHub Deployment id (empty outside GitHub or without permission).' },
        'rolled-back': { description: 'true when the environment was put back on its previous version (rollback, or a failed deploy).' },
    },
    config: { key: 'environments', schema: EnvironmentsSection },
    async run(ctx) {
        await runDeploy(ctx);
    },
};
async function runDeploy(ctx) {
    const { io } = ctx;
    const inputs = readInputs(ctx);
    const { plan, settings } = inputs;
    if (settings.protected && !ctx.env.onGitHub && !inputs.approved)
        throw new core_errors/* UserError */.y(`environment ${plan.environment} is protected: a person must approve deploying to it`, 'Run again with --approve true once you have checked the model (on GitHub, the environment protection rules ask a reviewer).');
    const log = { info: (m) => io.info(m), warning: (m) => io.warning(m), error: (m) => io.error(m) };
    const token = stringInput(ctx, deploy, 'token');
    const registry = ctx.registry(stringInput(ctx, deploy, 'registry'), token);
    const commandOptions = await commandOptionsFor(ctx, inputs, registry);
    const target = buildTarget(inputs, plan, commandOptions, log);
    const verifiers = inputs.verifyCommand ? [commandVerifier(inputs.verifyCommand, commandOptions, log)] : [];
    const result = await release({
        plan,
        target,
        verifiers,
        registry,
        deployments: recorder(ctx, inputs, token, log),
        log,
    });
    await io.appendSummary(releaseSummary(plan, target, result));
    io.setOutput('version', result.running ? String(result.running.version) : '');
    io.setOutput('digest', result.running ? result.running.digest : '');
    io.setOutput('environment-url', plan.environmentUrl);
    io.setOutput('deployment-id', result.deploymentId === null ? '' : String(result.deploymentId));
    io.setOutput('rolled-back', String(result.rolledBack));
    if (result.failure !== null)
        io.fail(result.failure);
}
function readInputs(ctx) {
    const model = stringInput(ctx, deploy, 'model');
    if (!model)
        throw new core_errors/* UserError */.y('no model name', 'Set the `model` input (or --model), or model.name in mlops.yaml.');
    if (!ports_registry/* NAME_PATTERN */.V.test(model))
        throw new core_errors/* UserError */.y(`model name "${model}" is not allowed`, 'Use lower-case letters, digits, ".", "_" and "-".');
    const environment = stringInput(ctx, deploy, 'environment');
    if (!environment)
        throw new InputError('environment', 'which environment? (for example staging or production)');
    if (!isEnvironmentName(environment))
        throw new InputError('environment', `"${environment}" is not allowed: use ${ENVIRONMENT_NAME_RULE} (it names a registry alias)`);
    const settings = settingsOf(ctx.config.config.environments, environment);
    const target = choiceInput(ctx, deploy, 'deploy-target') ?? settings.target ?? 'registry';
    const strategy = choiceInput(ctx, deploy, 'strategy') ?? settings.strategy ?? 'direct';
    const url = stringInput(ctx, deploy, 'url') || settings.url || null;
    if (url !== null && !/^https?:\/\/[^\s/]+/.test(url))
        throw new InputError('url', `"${url}" is not an http(s) URL`);
    const command = stringInput(ctx, deploy, 'command') || settings.command || null;
    if (target === 'http' && !url)
        throw new InputError('url', 'the http target needs the serving endpoint (url, or environments.<name>.url)');
    if (target === 'command' && !command)
        throw new InputError('command', 'the command target needs a deploy command');
    if (strategy === 'canary' && (target !== 'http' || !url))
        throw new InputError('strategy', 'canary needs the http target with the url of a server started by `mlops serve --admin-token`');
    const named = listInput(ctx, deploy, 'command-env');
    const pass = named.length > 0 ? named : (settings.command_env ?? []);
    for (const name of pass)
        if (!VARIABLE_NAME.test(name))
            throw new InputError('command-env', `"${name}" is not a variable name`);
    const rollback = booleanInput(ctx, deploy, 'rollback') ?? false;
    return {
        plan: {
            model,
            environment,
            alias: aliasOf(environment),
            ref: stringInput(ctx, deploy, 'version') || null,
            rollback,
            force: booleanInput(ctx, deploy, 'force') ?? false,
            strategy,
            canary: {
                weight: numberInput(ctx, deploy, 'canary-weight') ?? settings.canary?.weight ?? 10,
                bakeSeconds: numberInput(ctx, deploy, 'bake-time') ?? settings.canary?.bake_seconds ?? 60,
                limits: canaryLimits(settings),
            },
            environmentUrl: settings.environment_url ?? url ?? '',
        },
        settings,
        target,
        url,
        command,
        verifyCommand: stringInput(ctx, deploy, 'verify-command') || settings.verify_command || null,
        pass,
        // The input wins over the secret of the environment.
        secret: stringInput(ctx, deploy, 'secret') || ctx.secret('MLOPS_DEPLOY_SECRET') || '',
        approved: booleanInput(ctx, deploy, 'approve') ?? false,
        recordDeployment: booleanInput(ctx, deploy, 'github-deployment') ?? true,
    };
}
/** How user commands run, when the release runs any (the deploy or verify command); null otherwise. */
async function commandOptionsFor(ctx, inputs, registry) {
    if (inputs.target !== 'command' && !inputs.verifyCommand)
        return null;
    const scratch = ctx.workspace.dir('deploy');
    await (0,core_workspace/* ensureWritableDir */.g)(scratch, 'the workspace (output_dir of mlops.yaml)');
    return {
        model: inputs.plan.model,
        environment: inputs.plan.environment,
        registry,
        run: (job) => ctx.runCommand(job),
        pass: inputs.pass,
        scratch,
    };
}
function buildTarget(inputs, plan, commandOptions, log) {
    switch (inputs.target) {
        case 'registry':
            // Moving the alias is the deploy: servers that follow it swap to the new version.
            return registryTarget();
        case 'http':
            return httpTarget({
                url: inputs.url,
                secret: inputs.secret,
                model: plan.model,
                environment: plan.environment,
                webhookPath: inputs.settings.webhook_path,
                readyPath: inputs.settings.ready_path,
                log,
            });
        case 'command':
            return commandTarget(inputs.command, commandOptions);
    }
}
/** The GitHub Deployment of the release, on GitHub when asked for; else nothing is recorded. */
function recorder(ctx, inputs, token, log) {
    const sha = ctx.env.sha;
    if (!inputs.recordDeployment || !ctx.env.onGitHub || !sha)
        return NO_RECORD;
    const client = ctx.github(token);
    if (!client)
        return NO_RECORD;
    return new GitHubDeployment({
        ...client,
        sha,
        model: inputs.plan.model,
        environment: inputs.plan.environment,
        production: inputs.settings.production ?? inputs.plan.alias === 'production',
        logUrl: ctx.env.runUrl,
        log,
    });
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./src/core/drift/columns.ts
var columns = __webpack_require__(62060);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/errors.js
var errors = __webpack_require__(961);
// EXTERNAL MODULE: ./src/core/zod-errors.ts + 1 modules
var zod_errors = __webpack_require__(79673);
// EXTERNAL MODULE: ./src/core/drift/methods.ts
var methods = __webpack_require__(17553);
;// CONCATENATED MODULE: ./src/core/drift/config.ts
/**
 * The `drift:` section of mlops.yaml:
 *
 *   drift:
 *     reference: data/penguins.csv          # or a profile.json, or model@production
 *     current: data/production/*.jsonl
 *     drift_share: 0.5                      # dataset drift when this share of features drifted
 *     method: psi                           # one test for every column it serves (default: per column, Evidently's rule)
 *     threshold: 0.2                        # that test's threshold (needs `method`)
 *     null_share_threshold: 0.1             # a rise in the null share by more than this flags a column
 *     null_share_in_drift_share: false      # true: a column whose null share rose counts as drifted
 *     method_options:
 *       jensenshannon: { base: 2 }          # logarithm base (default e, as scipy and Evidently)
 *       chisquare: { test: contingency }    # 2 x k contingency test (default goodness-of-fit, as Evidently)
 *     min_current_rows: 30                  # fewer current rows: "not enough data", no dataset verdict
 *     prediction_column: _prediction
 *     fail_on_drift: false
 *     columns:
 *       bill_length_mm: { method: ks, threshold: 0.01 }
 *       island: { skip: true }
 *       zip: { kind: categorical }
 */




const Method = schemas/* enum */.k5n(methods/* METHOD_NAMES */.NT);
const Share = schemas/* number */.aig().min(0).max(1);
const Threshold = schemas/* number */.aig().min(0);
const ColumnSettings = schemas/* strictObject */.rej({
    method: Method.optional(),
    threshold: Threshold.optional(),
    skip: schemas/* boolean */.zMY().optional(),
    kind: schemas/* enum */.k5n(['numeric', 'categorical']).optional(),
    null_share_threshold: Share.optional(),
});
const MethodOptionsSettings = schemas/* strictObject */.rej({
    jensenshannon: schemas/* strictObject */.rej({ base: schemas/* number */.aig().gt(1) }).optional(),
    chisquare: schemas/* strictObject */.rej({ test: schemas/* enum */.k5n(methods/* CHISQUARE_TESTS */.gj) }).optional(),
});
const DriftSettings = schemas/* strictObject */.rej({
    reference: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* array */.YOg(schemas/* string */.YjP()).min(1)]).optional(),
    current: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* array */.YOg(schemas/* string */.YjP()).min(1)]).optional(),
    drift_share: Share.optional(),
    method: Method.optional(),
    threshold: Threshold.optional(),
    null_share_threshold: Share.optional(),
    null_share_in_drift_share: schemas/* boolean */.zMY().optional(),
    method_options: MethodOptionsSettings.optional(),
    min_current_rows: schemas/* number */.aig().int().min(1).optional(),
    prediction_column: schemas/* string */.YjP().min(1).optional(),
    target: schemas/* string */.YjP().min(1).optional(),
    fail_on_drift: schemas/* boolean */.zMY().optional(),
    issue_labels: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).optional(),
    retrain_workflow: schemas/* string */.YjP().min(1).optional(),
    columns: schemas/* record */.g1P(schemas/* string */.YjP(), ColumnSettings).optional(),
})
    .refine((s) => s.threshold === undefined || s.method !== undefined, {
    message: '`threshold` needs `method` (thresholds differ by test: p-values for ks, chisquare, z; distances for the others)',
    path: ['threshold'],
});
const DEFAULT_DRIFT_SHARE = 0.5;
const DEFAULT_NULL_SHARE_THRESHOLD = 0.1;
/**
 * Fewer current rows than this give "not enough data" instead of a dataset verdict.
 * Evidently has no such floor. 30: below it one unusual row decides the tests (one current
 * value beyond the reference's range gives an exact KS p-value of 2 / (n + 1), under 0.05
 * for any reference of 40 rows or more; one value of a category the reference lacks gives
 * a chi-square p of 0), and the chi-square approximation wants expected counts of 5 or more
 * (Cochran), which 30 rows give to categories holding a sixth of the reference.
 */
const DEFAULT_MIN_CURRENT_ROWS = 30;
/** The test settings of drift.method_options, defaults filled in. */
function methodOptions(settings) {
    const given = settings.method_options ?? {};
    return {
        jensenshannonBase: given.jensenshannon?.base ?? methods/* DEFAULT_METHOD_OPTIONS */.pp.jensenshannonBase,
        chisquareTest: given.chisquare?.test ?? methods/* DEFAULT_METHOD_OPTIONS */.pp.chisquareTest,
    };
}
/** Validates the drift section; errors name the key (`drift.columns.island.method`). */
function parseDriftSettings(value, file = 'mlops.yaml') {
    const result = DriftSettings.safeParse(value ?? {});
    if (!result.success) {
        const prefixed = new errors/* ZodError */.G(result.error.issues.map((issue) => ({ ...issue, path: ['drift', ...issue.path] })));
        throw new core_errors/* UserError */.y(`${file}: invalid drift settings:\n${(0,zod_errors/* formatZodError */.l)(prefixed)}`, `Methods: ${methods/* METHOD_NAMES */.NT.join(', ')}. Shares and null_share_threshold are between 0 and 1. See the README section "drift-check".`);
    }
    return result.data;
}

// EXTERNAL MODULE: ./src/core/profile/profile.ts + 1 modules
var profile_profile = __webpack_require__(7946);
;// CONCATENATED MODULE: ./src/core/drift/compute.ts
/**
 * The drift check of two sides (data or profiles): per column, the kind, the test (by
 * Evidently's rule unless configured), its verdict, and the change in the null share as a
 * signal of its own; then dataset drift from the share of drifted feature columns.
 * Nothing about one column (NaN, infinities, no values, one value, a column on one side
 * only, a test that does not fit it) stops the others: each gets a status.
 *
 * The null share. Evidently drops nulls before testing, so a rise in nulls is invisible
 * there. Here it is reported per column (`nullDrift`) and listed apart
 * (`nullShareDriftedColumns`), and a column counts as drifted (in `drifted`, the drift
 * share and the dataset verdict) only for its values, unless the settings ask for nulls
 * too (`null_share_in_drift_share: true`): by default the drift share is Evidently's.
 *
 * Too few current rows. Below `min_current_rows` (default 30, see config.ts) the dataset
 * verdict is "not enough data" and `drifted` is false; the column tests still run and are
 * shown, for information. Evidently has no such floor.
 *
 * Column kinds. A column is categorical when most of its values are text (or booleans),
 * or when it holds whole numbers with few distinct values: Evidently 0.7.21's
 * `infer_column_type` (evidently/core/datasets.py, read at tag v0.7.21) makes an integer
 * column with `nunique() <= INTEGER_CARDINALITY_LIMIT` (10) categorical and every float
 * column numeric. Ours: every number of the reference is a whole number, the reference has
 * at most `INTEGER_CATEGORICAL_MAX_UNIQUE` (10) distinct values, and every number of the
 * current data is whole too. Where we differ, and why: Evidently infers from the pandas
 * dtype of each dataset on its own and the drift test takes the current dataset's type
 * (`current_data.column(c).type`); a dtype is not in our files, so "integer" is "whole
 * numbers", counted on the reference (the baseline, and not a batch of one row); pandas
 * reads an integer column with one empty cell as float64, which Evidently then calls
 * numeric; a null here changes nothing. New values in the current data are new categories
 * (chi-square then gives p = 0). Separately, the test rule (methods.ts) treats numeric
 * columns with at most 5 distinct values over both sides with the categorical tests, as
 * Evidently's `_get_default_stattest` does. `kind:` in the settings overrides both.
 */



const DRIFT_REPORT_FORMAT = 'mlops-drift/v1';
/** Bars per distribution chart; categories past this are summed into one "other" bar. */
const CHART_BARS = 10;
/** The column of a model's predictions in prediction logs and training profiles. */


/** Prediction-log bookkeeping, never compared. */
const LOG_COLUMNS = ['_time', '_model', '_version', '_request_id', '_row', '_cut'];
function countsOf(column, kind) {
    const numbers = column.numeric?.n ?? 0;
    const values = kind === 'numeric' ? numbers : numbers + column.textCount;
    return {
        rows: column.rows,
        values,
        missing: column.missing,
        infinite: column.infinite,
        nullShare: column.rows > 0 ? column.missing / column.rows : 0,
    };
}
/** Counts per value (String(value)) of the numbers of a column; built from the sorted values when not kept. */
function numberCounts(values) {
    if (!values)
        return new Map();
    if (values.counts)
        return values.counts;
    if (!values.sorted)
        return null;
    const out = new Map();
    const s = values.sorted;
    for (let i = 0; i < s.length;) {
        let j = i + 1;
        while (j < s.length && s[j] === s[i])
            j++;
        out.set(String(s[i]), j - i);
        i = j;
    }
    return out;
}
function categoryCounts(column) {
    const numbers = numberCounts(column.numeric);
    if (numbers === null)
        return null;
    const out = new Map(column.texts);
    for (const [k, v] of numbers)
        out.set(k, (out.get(k) ?? 0) + v);
    return out;
}
function categoricalPair(ref, cur, exact) {
    const keys = [...new Set([...ref.keys(), ...cur.keys()])];
    keys.sort((a, b) => (ref.get(b) ?? 0) - (ref.get(a) ?? 0) || (cur.get(b) ?? 0) - (cur.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
    return {
        kind: 'categorical',
        keys,
        reference: Float64Array.from(keys, (k) => ref.get(k) ?? 0),
        current: Float64Array.from(keys, (k) => cur.get(k) ?? 0),
        exact,
    };
}
function shares(values) {
    let total = 0;
    for (let i = 0; i < values.length; i++)
        total += values[i];
    return Array.from(values, (v) => (total > 0 ? v / total : 0));
}
function numericDistribution(r, c) {
    const lo = Math.min(r.min, c.min);
    const hi = Math.max(r.max, c.max);
    if (!(hi > lo))
        return { labels: [String(lo)], reference: [1], current: [1], binned: true };
    const edges = Array.from({ length: CHART_BARS - 1 }, (_, i) => lo + ((hi - lo) * (i + 1)) / CHART_BARS);
    const binShares = (v) => {
        const out = [];
        let previous = 0;
        for (const e of edges) {
            const f = (0,columns/* cdfOf */.Pn)(v, e);
            out.push(Math.max(0, f - previous));
            previous = f;
        }
        out.push(Math.max(0, 1 - previous));
        return out;
    };
    const labels = [lo, ...edges].map((e) => String(Number(e.toPrecision(4))));
    return { labels, reference: binShares(r), current: binShares(c), binned: true };
}
function categoricalDistribution(pair) {
    const r = shares(pair.reference);
    const c = shares(pair.current);
    const order = pair.keys.map((_, i) => i).sort((a, b) => r[b] + c[b] - (r[a] + c[a]) || a - b);
    const shown = order.slice(0, pair.keys.length > CHART_BARS ? CHART_BARS - 1 : CHART_BARS);
    const rest = order.slice(shown.length);
    const labels = shown.map((i) => pair.keys[i]);
    const reference = shown.map((i) => r[i]);
    const current = shown.map((i) => c[i]);
    if (rest.length > 0) {
        labels.push(`(${rest.length} others)`);
        reference.push(rest.reduce((s, i) => s + r[i], 0));
        current.push(rest.reduce((s, i) => s + c[i], 0));
    }
    return { labels, reference, current, binned: false };
}
function emptyColumn(column, role, status, notes = []) {
    return {
        column,
        role,
        status,
        kind: null,
        method: null,
        direction: null,
        threshold: null,
        statistic: null,
        pValue: null,
        valueDrift: false,
        nullDrift: false,
        drifted: false,
        approximate: false,
        nullShare: { reference: 0, current: 0, change: 0, threshold: 0 },
        reference: null,
        current: null,
        notes,
        distribution: null,
    };
}
/** True when every value is a whole number (null when the side keeps neither its values nor their counts). */
function wholeNumbers(values) {
    if (values.counts)
        return [...values.counts.keys()].every((k) => Number.isInteger(Number(k)));
    if (values.sorted)
        return values.sorted.every((v) => Number.isInteger(v));
    return null;
}
/** Evidently's integer rule (see the header): whole numbers on both sides, at most 10 distinct in the reference. */
function fewWholeNumbers(ref, cur) {
    if (!ref || !cur || ref.distinct > methods/* INTEGER_CATEGORICAL_MAX_UNIQUE */.B$)
        return false;
    return wholeNumbers(ref) === true && wholeNumbers(cur) === true;
}
const plural = (n, word) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
/** Compares one column of both sides. */
function compareColumn(name, role, ref, cur, settings) {
    const own = settings.columns?.[name] ?? {};
    if (own.skip)
        return emptyColumn(name, role, 'skipped', ['skipped in the drift settings']);
    if (!ref)
        return emptyColumn(name, role, 'missing-in-reference', ['not in the reference data']);
    if (!cur)
        return emptyColumn(name, role, 'missing-in-current', ['not in the current data']);
    const notes = [];
    const numbers = (ref.numeric?.n ?? 0) + (cur.numeric?.n ?? 0);
    const texts = ref.textCount + cur.textCount;
    const wholeFew = texts === 0 && fewWholeNumbers(ref.numeric, cur.numeric);
    const kind = own.kind ?? (texts > 0 && texts >= numbers ? 'categorical' : wholeFew ? 'categorical' : 'numeric');
    if (!own.kind && wholeFew)
        notes.push(`whole numbers, ${plural(ref.numeric.distinct, 'distinct value')} in the reference: categorical`);
    if (kind === 'numeric' && texts > 0)
        notes.push(`${plural(texts, 'non-numeric value')} left out`);
    if (ref.infinite + cur.infinite > 0)
        notes.push(`infinite values left out: ${ref.infinite.toLocaleString('en-US')} in reference, ${cur.infinite.toLocaleString('en-US')} in current`);
    const refCounts = countsOf(ref, kind);
    const curCounts = countsOf(cur, kind);
    const nullThreshold = own.null_share_threshold ?? settings.null_share_threshold ?? DEFAULT_NULL_SHARE_THRESHOLD;
    const change = curCounts.nullShare - refCounts.nullShare;
    const nullDrift = change > nullThreshold;
    const nullCounts = nullDrift && settings.null_share_in_drift_share === true;
    if (nullDrift)
        notes.push(`null share rose by ${(change * 100).toFixed(1)} points`);
    const base = {
        ...emptyColumn(name, role, 'tested', notes),
        kind,
        nullDrift,
        drifted: nullCounts,
        nullShare: { reference: refCounts.nullShare, current: curCounts.nullShare, change, threshold: nullThreshold },
        reference: refCounts,
        current: curCounts,
    };
    if (refCounts.values === 0)
        return { ...base, status: 'no-values-in-reference', notes: [...notes, 'no values in the reference data'] };
    if (curCounts.values === 0)
        return { ...base, status: 'no-values-in-current', notes: [...notes, 'no values in the current data'] };
    // Distinct values of both sides together (Evidently's rule counts them so).
    const refCategories = kind === 'categorical' || ref.numeric?.counts ? categoryCounts(ref) : null;
    const curCategories = kind === 'categorical' || cur.numeric?.counts ? categoryCounts(cur) : null;
    const unique = refCategories && curCategories && (kind === 'categorical' || (ref.numeric?.counts && cur.numeric?.counts))
        ? new Set([...refCategories.keys(), ...curCategories.keys()]).size
        : Infinity;
    const byRule = (0,methods/* defaultMethod */.lL)(kind, refCounts.values, unique);
    let methodName = own.method ?? settings.method ?? byRule;
    let threshold = own.threshold ?? (own.method === undefined && settings.method !== undefined ? settings.threshold : undefined);
    if (!own.method && settings.method && !methods/* METHODS */.J8[settings.method].kinds.includes(kind)) {
        notes.push(`${settings.method} does not serve ${kind} columns: ${byRule} by the default rule`);
        methodName = byRule;
        threshold = own.threshold;
    }
    const method = methods/* METHODS */.J8[methodName];
    if (!method.kinds.includes(kind) && !(kind === 'numeric' && unique <= methods/* NUMERIC_AS_CATEGORICAL_MAX_UNIQUE */.P_)) {
        return {
            ...base,
            status: 'method-does-not-fit',
            method: methodName,
            notes: [...notes, `${methodName} serves ${method.kinds.join(' and ')} columns; this one is ${kind}`],
        };
    }
    const categoricalWanted = !method.kinds.includes('numeric') || kind === 'categorical' || (unique <= methods/* NUMERIC_AS_CATEGORICAL_MAX_UNIQUE */.P_ && methodName === byRule);
    let pair;
    if (categoricalWanted) {
        const r = refCategories ?? categoryCounts(ref);
        const c = curCategories ?? categoryCounts(cur);
        if (!r || !c) {
            return {
                ...base,
                status: 'method-does-not-fit',
                method: methodName,
                notes: [...notes, 'the profile keeps no value counts for this column'],
            };
        }
        pair = categoricalPair(r, c, ref.textsExact && cur.textsExact);
    }
    else {
        pair = { kind: 'numeric', reference: ref.numeric, current: cur.numeric };
    }
    const effectiveThreshold = threshold ?? method.defaultThreshold;
    const result = method.compute(pair, methodOptions(settings));
    if (result.note)
        notes.push(result.note);
    if (pair.kind === 'numeric' && ref.numeric.distinct === 1)
        notes.push('one value in the reference');
    if (pair.kind === 'categorical' && pair.keys.length === 1)
        notes.push('one value on both sides');
    const valueDrift = (0,methods/* isDrift */._K)(method, result.statistic, result.pValue, effectiveThreshold);
    return {
        ...base,
        method: methodName,
        direction: method.direction,
        threshold: effectiveThreshold,
        statistic: result.statistic,
        pValue: result.pValue,
        valueDrift,
        drifted: valueDrift || nullCounts,
        approximate: result.approximate,
        notes,
        distribution: pair.kind === 'numeric' ? numericDistribution(pair.reference, pair.current) : categoricalDistribution(pair),
    };
}
/** The drift check of two sides. */
function checkDrift(reference, current, options) {
    const settings = options.settings;
    const ignored = new Set(LOG_COLUMNS);
    const predictionName = options.predictionColumn ?? settings.prediction_column ?? (reference.columns.has(profile_profile/* PREDICTION_COLUMN */.vs) ? profile_profile/* PREDICTION_COLUMN */.vs : null);
    const targetName = options.target ?? settings.target ?? null;
    const prediction = predictionName && reference.columns.has(predictionName) && current.columns.has(predictionName)
        ? compareColumn(predictionName, 'prediction', reference.columns.get(predictionName), current.columns.get(predictionName), settings)
        : null;
    const target = targetName && reference.columns.has(targetName) && current.columns.has(targetName)
        ? compareColumn(targetName, 'target', reference.columns.get(targetName), current.columns.get(targetName), settings)
        : null;
    if (predictionName)
        ignored.add(predictionName);
    if (targetName)
        ignored.add(targetName);
    ignored.add(profile_profile/* PREDICTION_COLUMN */.vs);
    const names = options.columns && options.columns.length > 0
        ? [...options.columns]
        : [...new Set([...reference.columns.keys(), ...current.columns.keys()])].filter((n) => !ignored.has(n));
    const features = names.map((n) => compareColumn(n, 'feature', reference.columns.get(n), current.columns.get(n), settings));
    const compared = features.filter((f) => f.reference !== null && f.current !== null && f.status !== 'method-does-not-fit');
    const driftedColumns = compared.filter((f) => f.drifted).map((f) => f.column);
    const nullShareDriftedColumns = compared.filter((f) => f.nullDrift).map((f) => f.column);
    const driftShare = compared.length > 0 ? driftedColumns.length / compared.length : 0;
    const threshold = options.driftShare ?? settings.drift_share ?? DEFAULT_DRIFT_SHARE;
    const minCurrentRows = settings.min_current_rows ?? DEFAULT_MIN_CURRENT_ROWS;
    const verdict = current.rows < minCurrentRows ? 'not-enough-data' : compared.length > 0 && driftShare >= threshold ? 'drift' : 'no-drift';
    return {
        format: DRIFT_REPORT_FORMAT,
        checkedAt: (options.now ?? new Date()).toISOString(),
        subject: options.subject,
        reference: { source: reference.source, description: options.referenceDescription, files: reference.files, rows: reference.rows },
        current: { source: current.source, description: options.currentDescription, files: current.files, rows: current.rows },
        driftShareThreshold: threshold,
        driftShare,
        verdict,
        minCurrentRows,
        drifted: verdict === 'drift',
        comparedFeatures: compared.length,
        driftedColumns,
        nullShareDriftedColumns,
        nullShareCounted: settings.null_share_in_drift_share === true,
        features,
        prediction,
        target,
    };
}

;// CONCATENATED MODULE: ./src/core/drift/issue.ts
/**
 * drift-check on GitHub: one issue per subject kept open while drift lasts (found again
 * by the hidden marker its body starts with; a column named like the marker sits later,
 * in a code span), and the dispatch of a retraining workflow. A refused request (a
 * token without the permission) is a warning naming the permission, never a failed step:
 * the report is the result.
 */


/** An issue or comment body is at most 65,536 characters; keep well under it. */
const MAX_BODY = 60_000;
/** The hidden first line of the drift issue of `subject`. */
function issueMarker(subject) {
    return `<!-- mlops-drift:${subject.replace(/--/g, '- -').replace(/>/g, '')} -->`;
}
function issueBody(marker, markdown, link) {
    let body = markdown;
    if (body.length > MAX_BODY) {
        const cut = body.lastIndexOf('\n### ', MAX_BODY);
        body = `${body.slice(0, cut > 0 ? cut : MAX_BODY)}\n\n(The report is longer than an issue allows: see ${link ? `[the run](${link})` : 'the run'} for all of it.)\n`;
    }
    return `${marker}\n${body}`;
}
function permissionHint(error, permission) {
    return error.status === 403 || error.status === 404
        ? ` The token may lack the permission: give the job \`permissions: ${permission}\` (and check the repository's Actions settings allow it).`
        : '';
}
/**
 * Opens the drift issue on drift (or updates the open one), and comments on and closes
 * it when drift is gone; with too few current rows for a verdict, leaves it as it is.
 * Returns the issue's number, or null when there is none.
 */
async function updateDriftIssue(options) {
    const { github, repo, report, markdown, runUrl: link, log } = options;
    const labels = [...options.labels];
    const marker = issueMarker(report.subject);
    try {
        let open = null;
        for await (const issue of github.listIssues(repo, { labels, state: 'open' })) {
            if (issue.body.startsWith(marker)) {
                open = issue;
                break;
            }
        }
        if (report.verdict === 'not-enough-data') {
            // No verdict: an open issue stays as it is, none is opened.
            if (open)
                log.info(`Drift issue #${open.number} left open: not enough current data to tell.`);
            return open?.number ?? null;
        }
        if (report.drifted) {
            const body = issueBody(marker, markdown, link);
            if (open) {
                await github.updateIssue(repo, open.number, { body });
                log.info(`Updated drift issue #${open.number}: ${open.url}`);
                return open.number;
            }
            const created = await github.createIssue(repo, { title: `Data drift: ${report.subject}`, body, labels });
            log.info(`Opened drift issue #${created.number}: ${created.url}`);
            return created.number;
        }
        if (open) {
            await github.createIssueComment(repo, open.number, `Drift is gone: ${report.driftedColumns.length} of ${report.comparedFeatures} feature columns drifted (share ${report.driftShare.toFixed(3)}, below ${report.driftShareThreshold}), checked ${escapeText(report.checkedAt)}${link ? ` in [this run](${link})` : ''}. Closing.`);
            await github.updateIssue(repo, open.number, { state: 'closed' });
            log.info(`Closed drift issue #${open.number}: drift is gone.`);
            return open.number;
        }
        return null;
    }
    catch (error) {
        if (!(error instanceof ports_github/* GitHubApiError */.O))
            throw error;
        log.warning(`The drift issue could not be updated: ${error.message}.${permissionHint(error, 'issues: write')}`);
        return null;
    }
}
/** Dispatches `workflow` (a file name or id) on `ref` with `inputs`; a refusal is a warning. */
async function dispatchRetraining(github, repo, workflow, ref, inputs, log) {
    try {
        await github.dispatchWorkflow(repo, workflow, ref, inputs);
        log.info(`Dispatched retraining: workflow ${workflow} on ${ref}.`);
    }
    catch (error) {
        if (!(error instanceof ports_github/* GitHubApiError */.O))
            throw error;
        log.warning(`The retraining workflow ${workflow} could not be dispatched: ${error.message}.${permissionHint(error, 'actions: write')}`);
    }
}

// EXTERNAL MODULE: ./node_modules/write-file-atomic/lib/index.js
var lib = __webpack_require__(30238);
var lib_default = /*#__PURE__*/__webpack_require__.n(lib);
;// CONCATENATED MODULE: ./src/core/report/svg.ts
/** Vega is loaded on first use (one module after the other): it is large, and only this report needs it. */
let libraries;
async function load() {
    const vega = await __webpack_require__.e(/* import() */ 972).then(__webpack_require__.bind(__webpack_require__, 33972));
    return [vega, await Promise.all(/* import() */[__webpack_require__.e(972), __webpack_require__.e(994)]).then(__webpack_require__.bind(__webpack_require__, 10994))];
}
/**
 * Vega writes pixel positions at full precision; two decimals are plenty and make scatter plots a
 * third smaller. Only `d` and `transform` attributes inside tags are touched, never text.
 */
function roundCoordinates(svg) {
    const round = (n) => String(Math.round(Number(n) * 100) / 100);
    return svg.replace(/<[^<>]+>/g, (tag) => tag.replace(/ (d|transform)="([^"]*)"/g, (_, name, value) => ` ${name}="${value.replace(/-?\d*\.\d{3,}/g, round)}"`));
}
async function renderSvg(spec) {
    libraries ??= load();
    const [vega, vegaLite] = await libraries;
    const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
    try {
        return roundCoordinates(await view.toSVG());
    }
    finally {
        view.finalize();
    }
}

;// CONCATENATED MODULE: ./src/core/drift/markdown-report.ts
/**
 * The drift report in Markdown, for the job summary and an issue body: the verdict, a table
 * of every column (method, statistic, threshold, null shares, verdict), and small Mermaid
 * charts of reference against current for the worst columns. Column names and category values
 * come from users' files: in Markdown they go through code()/escapeText(); inside Mermaid
 * blocks (where Markdown escaping does not apply) labels are reduced to a safe alphabet and
 * column names are never written (they head the chart in Markdown instead).
 */

const markdown_report_plural = (n, word) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
/** Columns charted in Markdown. */
const MARKDOWN_CHARTS = 3;
/** Table rows shown before the rest is left to the JSON report. */
const MARKDOWN_MAX_ROWS = 200;
/** How far past its threshold a column is (> 1 means drift), for ordering. */
function severity(c) {
    if (c.statistic === null || c.threshold === null)
        return c.nullDrift ? 1 + c.nullShare.change : 0;
    let s;
    if (c.direction === 'p-value') {
        const p = Math.max(c.pValue ?? 1, 1e-300);
        s = c.threshold > 0 && c.threshold < 1 ? Math.log(p) / Math.log(c.threshold) : p < c.threshold ? 2 : 0;
    }
    else
        s = c.threshold > 0 ? c.statistic / c.threshold : c.statistic > 0 ? 2 : 0;
    return c.nullDrift ? Math.max(s, 1 + c.nullShare.change) : s;
}
const STATUS_TEXT = {
    tested: '',
    skipped: 'skipped',
    'missing-in-reference': 'not in reference',
    'missing-in-current': 'not in current',
    'no-values-in-reference': 'no values in reference',
    'no-values-in-current': 'no values in current',
    'method-does-not-fit': 'test does not fit',
};
function verdict(c) {
    if (c.status !== 'tested' && !c.nullDrift)
        return `⚪ ${STATUS_TEXT[c.status]}`;
    if (c.valueDrift && c.nullDrift)
        return '🔴 drift, nulls up';
    if (c.valueDrift)
        return '🔴 drift';
    if (c.nullDrift)
        return '🟠 nulls up';
    return '🟢 ok';
}
function markdown_report_percent(share) {
    return `${formatNumber(Math.round(share * 1000) / 10)}%`;
}
function row(c) {
    const stat = c.statistic === null ? '' : formatNumber(c.statistic);
    const p = c.pValue === null ? '' : formatNumber(c.pValue);
    const test = c.method ? `${c.method}${c.approximate ? ' ≈' : ''}` : '';
    const threshold = c.threshold === null ? '' : `${c.direction === 'p-value' ? 'p < ' : '≥ '}${formatNumber(c.threshold)}`;
    const nulls = c.reference && c.current ? `${markdown_report_percent(c.nullShare.reference)} → ${markdown_report_percent(c.nullShare.current)}` : '';
    const notes = c.notes.length > 0 ? escapeText(c.notes.join('; '), 200) : '';
    return [code(c.column, 60), c.kind ?? '', test, stat, p, threshold, nulls, verdict(c), notes];
}
const HEADERS = ['Column', 'Kind', 'Test', 'Statistic', 'p-value', 'Drift if', 'Nulls (ref → cur)', 'Verdict', 'Notes'];
const ALIGN = ['left', 'left', 'left', 'right', 'right', 'left', 'left', 'left', 'left'];
/** A label safe inside a Mermaid string: letters, digits and a few signs; at most 16 characters. */
function mermaidLabel(text) {
    const safe = text.replace(/[^A-Za-z0-9 _.+-]/g, '_').slice(0, 16);
    return safe === '' ? '_' : safe;
}
/** A Mermaid xychart-beta of a column's distribution: reference as bars, current as a line. */
function mermaidChart(c) {
    const d = c.distribution;
    if (!d || d.labels.length === 0)
        return null;
    const values = (xs) => `[${xs.map((v) => String(Math.round(v * 1000) / 1000)).join(', ')}]`;
    const top = Math.max(...d.reference, ...d.current, 0.01);
    return [
        '```mermaid',
        'xychart-beta',
        `  x-axis [${d.labels.map((l) => `"${mermaidLabel(l)}"`).join(', ')}]`,
        `  y-axis "share" 0 --> ${Math.min(1, Math.ceil(top * 10) / 10)}`,
        `  bar ${values(d.reference)}`,
        `  line ${values(d.current)}`,
        '```',
    ].join('\n');
}
function sectionTable(columns) {
    const shown = columns.slice(0, MARKDOWN_MAX_ROWS);
    const more = columns.length - shown.length;
    return table(HEADERS, shown.map(row), ALIGN) + (more > 0 ? `\n\n${more} more columns are in the JSON report.` : '');
}
/** The whole report. `links` (already safe Markdown) go at the end. */
function renderDriftMarkdown(report, links = []) {
    const verdict = report.verdict === 'not-enough-data' ? '⚪ not enough data' : report.drifted ? '🔴 drift detected' : '🟢 no dataset drift';
    const title = `## Drift check: ${escapeText(report.subject, 100)}: ${verdict}`;
    const features = [...report.features].sort((a, b) => Number(b.drifted) - Number(a.drifted) || severity(b) - severity(a));
    const lines = [
        title,
        '',
        `${report.driftedColumns.length} of ${report.comparedFeatures} feature columns drifted (share ${formatNumber(report.driftShare)}; dataset drift at ${formatNumber(report.driftShareThreshold)} or more).` +
            ` Reference: ${escapeText(report.reference.description, 200)} (${report.reference.rows.toLocaleString('en-US')} rows);` +
            ` current: ${escapeText(report.current.description, 200)} (${report.current.rows.toLocaleString('en-US')} rows).`,
        '',
    ];
    if (report.verdict === 'not-enough-data')
        lines.push(`**Not enough data:** ${markdown_report_plural(report.current.rows, 'current row')}, fewer than the ${report.minCurrentRows.toLocaleString('en-US')} needed for a dataset verdict (drift.min_current_rows). The column tests below are for information only.`, '');
    if (report.driftedColumns.length > 0) {
        const names = report.driftedColumns.slice(0, 20).map((c) => code(c, 40, false));
        lines.push(`Drifted: ${names.join(', ')}${report.driftedColumns.length > 20 ? ', …' : ''}.`, '');
    }
    if (report.nullShareDriftedColumns.length > 0) {
        const names = report.nullShareDriftedColumns.slice(0, 20).map((c) => code(c, 40, false));
        lines.push(`Null share rose: ${names.join(', ')}${report.nullShareDriftedColumns.length > 20 ? ', …' : ''} (${report.nullShareCounted
            ? 'counted as drift: null_share_in_drift_share is true'
            : 'a signal of its own, not counted in the drift share; set drift.null_share_in_drift_share to count it'}).`, '');
    }
    lines.push('### Features', '', sectionTable(features), '');
    const outputs = [report.prediction, report.target].filter((c) => c !== null);
    if (outputs.length > 0) {
        lines.push('### Prediction and target', '', '(Not counted in the feature drift share.)', '');
        lines.push(table(['Role', ...HEADERS], outputs.map((c) => [c.role, ...row(c)]), ['left', ...ALIGN]), '');
    }
    const charted = [...outputs, ...features].filter((c) => c.drifted && c.distribution).sort((a, b) => severity(b) - severity(a));
    const worst = (charted.length > 0 ? charted : features.filter((c) => c.distribution)).slice(0, MARKDOWN_CHARTS);
    if (worst.length > 0) {
        lines.push('### Distributions', '', 'Bars: reference share; line: current share.', '');
        for (const c of worst) {
            const chart = mermaidChart(c);
            if (!chart)
                continue;
            const what = c.distribution.binned ? 'bins from the lower edge' : 'categories';
            lines.push(`**${code(c.column, 60, false)}** (${c.role}, ${what}):`, '', chart, '');
        }
    }
    if (report.features.some((c) => c.approximate) || report.prediction?.approximate || report.target?.approximate)
        lines.push('≈: computed from a stored profile (sketches), not the data itself.', '');
    if (links.length > 0)
        lines.push(links.join(' · '), '');
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/core/drift/html-report.ts



/** Columns charted in the HTML report. */
const HTML_CHARTS = 8;
/** Table rows at most (the JSON report has every column). */
const HTML_MAX_ROWS = 2000;
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
const STYLE = `
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;max-width:80rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .5rem}
h2{font-size:1.2rem;margin:2rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 .2rem;border-radius:3px}
.verdict{display:inline-block;padding:.15rem .7rem;border-radius:1rem;font-weight:600}
.drift{background:#ffebe9;color:#a40e26}
.ok{background:#dafbe1;color:#116329}
.bad{color:#a40e26;font-weight:600}
.good{color:#116329}
.muted{color:#59636e}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}
figure{margin:0}
figcaption{font-weight:600;margin-bottom:.25rem}
svg{max-width:100%;height:auto}
`;
const esc = escapeHtml;
const num = (v) => (v === null ? '—' : esc(formatNumber(v)));
/** Grouped bars: reference and current share per bin or category. */
function distributionSpec(c) {
    const d = c.distribution;
    const values = d.labels.flatMap((label, i) => [
        { order: i, label: label.length > 24 ? `${label.slice(0, 23)}…` : label, side: 'reference', share: d.reference[i] },
        { order: i, label: label.length > 24 ? `${label.slice(0, 23)}…` : label, side: 'current', share: d.current[i] },
    ]);
    return {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 260,
        height: 140,
        data: { values },
        mark: 'bar',
        encoding: {
            x: {
                field: 'label',
                type: 'nominal',
                sort: { field: 'order' },
                title: d.binned ? 'bin (lower edge)' : null,
                axis: { labelAngle: -40 },
            },
            xOffset: { field: 'side', sort: ['reference', 'current'] },
            y: { field: 'share', type: 'quantitative', title: 'share', axis: { format: '.0%' } },
            color: { field: 'side', type: 'nominal', sort: ['reference', 'current'], scale: { range: ['#8c959f', '#cf222e'] }, title: null },
        },
    };
}
function html_report_row(c) {
    const cls = c.drifted || c.nullDrift ? ' class="bad"' : c.status === 'tested' ? ' class="good"' : ' class="muted"';
    const verdict = c.valueDrift
        ? c.nullDrift
            ? 'drift, nulls up'
            : 'drift'
        : c.nullDrift
            ? 'nulls up'
            : c.status === 'tested'
                ? 'ok'
                : c.status;
    const threshold = c.threshold === null ? '—' : `${c.direction === 'p-value' ? 'p &lt; ' : '≥ '}${num(c.threshold)}`;
    const nulls = c.reference && c.current ? `${esc(formatNumber(c.nullShare.reference))} → ${esc(formatNumber(c.nullShare.current))}` : '—';
    return `<tr><td><code>${esc(c.column)}</code></td><td>${esc(c.role)}</td><td>${esc(c.kind ?? '—')}</td><td>${esc(c.method ?? '—')}${c.approximate ? ' ≈' : ''}</td><td class="num">${num(c.statistic)}</td><td class="num">${num(c.pValue)}</td><td>${threshold}</td><td>${nulls}</td><td${cls}>${esc(verdict)}</td><td>${esc(c.notes.join('; '))}</td></tr>`;
}
/** The drift report as one HTML document that loads nothing and runs no script. */
async function renderDriftHtml(report) {
    const columns = [report.prediction, report.target, ...report.features].filter((c) => c !== null);
    const ordered = [...columns].sort((a, b) => Number(b.drifted) - Number(a.drifted) || severity(b) - severity(a));
    const figures = [];
    for (const c of ordered.filter((x) => x.distribution).slice(0, HTML_CHARTS)) {
        const svg = await renderSvg(distributionSpec(c));
        figures.push(`<figure>\n<figcaption><code>${esc(c.column)}</code> (${esc(c.role)}${c.drifted ? ', drifted' : ''})</figcaption>\n${svg}\n</figure>`);
    }
    const shown = ordered.slice(0, HTML_MAX_ROWS);
    const headers = ['Column', 'Role', 'Kind', 'Test', 'Statistic', 'p-value', 'Drift if', 'Null share (ref → cur)', 'Verdict', 'Notes'];
    const tableHtml = `<table>\n<thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${shown.map(html_report_row).join('\n')}\n</tbody>\n</table>${ordered.length > shown.length ? `\n<p class="muted">${ordered.length - shown.length} more columns are in the JSON report.</p>` : ''}`;
    const status = report.verdict === 'not-enough-data'
        ? `<span class="verdict">Not enough data</span> ${esc(`(${report.current.rows} current rows, fewer than ${report.minCurrentRows}: the column tests are for information only).`)}`
        : report.drifted
            ? `<span class="verdict drift">Drift detected</span>`
            : `<span class="verdict ok">No dataset drift</span>`;
    const side = (s) => `${esc(s.description)} (${s.rows.toLocaleString('en-US')} rows${s.source === 'profile' ? ', a stored profile' : ''})`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`Drift check of ${report.subject}: ${report.verdict === 'not-enough-data' ? 'not enough data' : report.drifted ? 'drift' : 'no drift'}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Drift check of ${esc(report.subject)}</h1>
<p>${status} ${report.driftedColumns.length} of ${report.comparedFeatures} feature columns drifted (share ${esc(formatNumber(report.driftShare))}; dataset drift at ${esc(formatNumber(report.driftShareThreshold))} or more).</p>
<p class="muted">Reference: ${side(report.reference)}. Current: ${side(report.current)}. Checked <time datetime="${esc(report.checkedAt)}">${esc(report.checkedAt)}</time>.</p>
</header>
<main>
<section>
<h2>Columns</h2>
${tableHtml}
<p class="muted">Prediction and target columns are not counted in the feature drift share. ≈: computed from a stored profile's sketches.</p>
</section>
${figures.length > 0 ? `<section>\n<h2>Distributions</h2>\n<div class="charts">\n${figures.join('\n')}\n</div>\n</section>` : ''}
</main>
</body>
</html>
`;
}

;// CONCATENATED MODULE: ./src/core/drift/output.ts
/** drift-check's three reports, written together: report.md (people), drift.json (machines), report.html (self-contained). */




/** Writes the reports into `dir` (which must exist); returns their paths and the Markdown (for the summary and the issue). */
async function writeDriftReports(dir, report, runUrl) {
    const paths = { markdown: (0,external_node_path_.join)(dir, 'report.md'), json: (0,external_node_path_.join)(dir, 'drift.json'), html: (0,external_node_path_.join)(dir, 'report.html') };
    const markdown = renderDriftMarkdown(report, runUrl ? [`[Workflow run](${runUrl})`] : []);
    await lib_default()(paths.json, `${JSON.stringify(report, null, 2)}\n`);
    await lib_default()(paths.markdown, markdown);
    await lib_default()(paths.html, await renderDriftHtml(report));
    return { paths, markdown };
}

// EXTERNAL MODULE: ./src/core/data/paths.ts
var data_paths = __webpack_require__(82620);
// EXTERNAL MODULE: ./src/core/data/delimited.ts
var delimited = __webpack_require__(4763);
// EXTERNAL MODULE: ./src/core/data/source.ts
var data_source = __webpack_require__(26207);
// EXTERNAL MODULE: ./src/core/data/values.ts
var values = __webpack_require__(12912);
// EXTERNAL MODULE: ./src/core/profile/string-interner.ts
var string_interner = __webpack_require__(88314);
;// CONCATENATED MODULE: ./src/core/drift/read.ts
/**
 * Reads data files into a drift `Side` with little memory: readTable keeps a row-aligned
 * Float64Array per column plus a string per row for any column holding text (for 1 M rows
 * and 5 categorical columns, hundreds of MB of strings); here numbers go to per-column
 * arrays of finite values only (sized from the file size once the first rows are read), and each text value is counted once per distinct value
 * through a byte-keyed interner (no string is made for a value already seen). Same
 * tokenizer, value rules and error messages as readTable and validate-data.
 */







/** Distinct texts per column decoded once and counted by slot; more go through a Map. */
const INTERNED = 4096;
class ColumnReader {
    name;
    estimate;
    seen = 0;
    missing = 0;
    infinite = 0;
    textCount = 0;
    /** Finite numbers; grown to the estimated row count at once, so that no column is held twice. */
    values = new Float64Array(1024);
    numberCount = 0;
    interner = null;
    slotCounts = null;
    overflow = null;
    constructor(name, 
    /** The estimated number of rows of the whole side (all files), or 0 while unknown. */
    estimate) {
        this.name = name;
        this.estimate = estimate;
    }
    number(value) {
        if (this.numberCount === this.values.length) {
            const grown = new Float64Array(Math.max(Math.ceil(this.values.length * 1.5), this.estimate()));
            grown.set(this.values);
            this.values = grown;
        }
        this.values[this.numberCount++] = value;
    }
    /** Counts a text value given as bytes (decoded on first sight only). */
    textBytes(buf, start, end, flags, decode) {
        this.textCount++;
        if (!this.interner) {
            this.interner = new string_interner/* StringInterner */.Z(INTERNED);
            this.slotCounts = new Float64Array(this.interner.hashes.length);
        }
        const slot = this.interner.intern(buf, start, end, flags, decode);
        if (slot >= 0)
            this.slotCounts[slot] += 1;
        else
            this.textOverflow(decode());
    }
    text(value) {
        this.textCount++;
        this.textOverflow(value);
    }
    textOverflow(value) {
        this.overflow ??= new Map();
        this.overflow.set(value, (this.overflow.get(value) ?? 0) + 1);
    }
    finish(rows) {
        // A view of the filled part: the unused tail (a few percent past the estimate) is not copied away.
        const values = this.values.subarray(0, this.numberCount);
        const texts = new Map();
        if (this.interner) {
            const counts = this.slotCounts;
            for (let slot = 0; slot < counts.length; slot++)
                if (counts[slot] > 0)
                    texts.set(this.interner.texts[slot], counts[slot]);
        }
        for (const [text, count] of this.overflow ?? [])
            texts.set(text, (texts.get(text) ?? 0) + count);
        return {
            name: this.name,
            rows,
            missing: this.missing + (rows - this.seen),
            infinite: this.infinite,
            numeric: (0,columns/* exactNumeric */.v)(values),
            texts,
            textCount: this.textCount,
            textsExact: true,
        };
    }
}
/** Reads files (CSV, TSV, JSON Lines; gzip too) as one side of the drift check. */
async function readSide(files, options = {}) {
    if (files.length === 0)
        throw new core_errors/* UserError */.y('no data files to read');
    const classifier = new values/* ValueClassifier */.Dw(options.nullValues ?? values/* DEFAULT_NULL_VALUES */.LL);
    const readers = new Map();
    // Rows per byte from what was read so far, times the bytes of all files: the size to grow a column to.
    let totalBytes = 0;
    for (const f of files)
        totalBytes += await (0,promises_.stat)(f).then((s) => s.size, () => 0);
    let bytesDone = 0;
    let rowsAtChunk = 0;
    let bytesAtChunk = 0;
    const estimate = () => (bytesAtChunk > 0 && rowsAtChunk > 0 ? Math.ceil((rowsAtChunk / bytesAtChunk) * totalBytes * 1.02) + 1024 : 0);
    const wanted = (name) => !options.ignore?.has(name) && (!options.only || options.only.has(name));
    const reader = (name) => {
        let r = readers.get(name);
        if (!r) {
            r = new ColumnReader(name, estimate);
            readers.set(name, r);
        }
        return r;
    };
    let rows = 0;
    const notes = [];
    for (const path of files) {
        const file = options.shown ? options.shown(path) : path;
        const format = (0,data_source/* detectFormat */.Tz)(path, options.format);
        const source = await (0,data_source/* openSource */.oD)(path, undefined, file);
        if (format === 'jsonl') {
            let line = 0;
            const handle = (buf, start, end, last = false) => {
                line++;
                const text = (0,values/* decodeText */.g7)(buf, start, end > start && buf[end - 1] === 13 ? end - 1 : end);
                if (text.trim() === '')
                    return;
                let value;
                try {
                    value = JSON.parse(text);
                }
                catch (error) {
                    // A log still being written (mlops serve --log) may end in half a line: no newline yet.
                    if (last) {
                        notes.push(`${file}:${line}: the last line is incomplete (no line break, not JSON: the file is still being written?); skipped`);
                        return;
                    }
                    throw new core_errors/* UserError */.y(`${file}:${line}: not JSON (${error.message})`, 'Run validate-data on this file to find every bad line.');
                }
                if (value === null || typeof value !== 'object' || Array.isArray(value))
                    throw new core_errors/* UserError */.y(`${file}:${line}: not a JSON object`, 'Each line of a JSON Lines file must be one object: {"column": value, ...}.');
                for (const [name, cell] of Object.entries(value)) {
                    if (!wanted(name))
                        continue;
                    const r = reader(name);
                    r.seen++;
                    if (cell === null || cell === undefined)
                        r.missing++;
                    else if (typeof cell === 'number') {
                        if (Number.isFinite(cell))
                            r.number(cell);
                        else
                            r.infinite++;
                    }
                    else if (typeof cell === 'boolean')
                        r.text(cell ? 'true' : 'false');
                    else if (typeof cell === 'string') {
                        const kind = classifier.classifyText(cell);
                        if (kind === values/* Kind */.b8.Null || kind === values/* Kind */.b8.NaN)
                            r.missing++;
                        else if (kind === values/* Kind */.b8.Infinity)
                            r.infinite++;
                        else if (kind === values/* Kind */.b8.Integer || kind === values/* Kind */.b8.Number)
                            r.number(classifier.value);
                        else
                            r.text(kind === values/* Kind */.b8.Boolean ? (classifier.value ? 'true' : 'false') : cell);
                    }
                    else
                        r.text(JSON.stringify(cell));
                }
                rows++;
            };
            let pending = null;
            for await (const chunk of source.chunks) {
                const buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
                let start = 0;
                for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
                    handle(buf, start, nl);
                    start = nl + 1;
                }
                pending = start < buf.length ? buf.subarray(start) : null;
                bytesAtChunk = bytesDone + source.bytesRead();
                rowsAtChunk = rows;
            }
            if (pending)
                handle(pending, 0, pending.length, true);
            bytesDone += source.size;
            continue;
        }
        const tokenizer = new delimited/* DelimitedTokenizer */.N0(format === 'tsv' ? 9 : 44);
        let header = null;
        const sink = {
            record(buf, starts, ends, flags, count, line) {
                const text = (i) => {
                    const raw = (0,values/* decodeText */.g7)(buf, starts[i], ends[i]);
                    return flags[i] & delimited/* FIELD_ESCAPED_QUOTES */.RP ? (0,delimited/* unescapeQuotes */.E9)(raw) : raw;
                };
                const open = (0,delimited/* unterminatedField */.Tl)(flags, count);
                if (open >= 0)
                    throw new core_errors/* UserError */.y((0,delimited/* unterminatedQuoteMessage */.OY)(file, (0,delimited/* openingQuote */.vv)(buf, starts, flags, open, line)), `${delimited/* UNTERMINATED_QUOTE_HINT */.wd} Run validate-data on this file to find every malformed row.`);
                if (header === null) {
                    header = [];
                    const names = new Set();
                    for (let i = 0; i < count; i++) {
                        const name = text(i);
                        if (names.has(name))
                            throw new core_errors/* UserError */.y(`${file}:${line}: the header names column "${name}" twice`, 'Give every column a unique name.');
                        names.add(name);
                        header.push(wanted(name) ? reader(name) : null);
                    }
                    return;
                }
                if (count !== header.length) {
                    throw new core_errors/* UserError */.y(`${file}:${line}: ${count} fields where the header has ${header.length}`, 'Run validate-data on this file to find every malformed row.');
                }
                for (let i = 0; i < count; i++) {
                    const r = header[i];
                    if (!r)
                        continue;
                    if (flags[i] & delimited/* FIELD_MALFORMED */.bL)
                        throw new core_errors/* UserError */.y(`${file}:${line}: a quoted field is not closed properly`, 'Run validate-data on this file to find every malformed row.');
                    r.seen++;
                    const kind = classifier.classify(buf, starts[i], ends[i]);
                    switch (kind) {
                        case values/* Kind */.b8.Integer:
                        case values/* Kind */.b8.Number:
                            r.number(classifier.value);
                            break;
                        case values/* Kind */.b8.Null:
                        case values/* Kind */.b8.NaN:
                            r.missing++;
                            break;
                        case values/* Kind */.b8.Infinity:
                            r.infinite++;
                            break;
                        case values/* Kind */.b8.Boolean:
                            r.text(classifier.value ? 'true' : 'false');
                            break;
                        default:
                            r.textBytes(buf, starts[i], ends[i], flags[i] & delimited/* FIELD_ESCAPED_QUOTES */.RP, () => text(i));
                    }
                }
                rows++;
            },
        };
        await (0,delimited/* tokenizeChunks */.Cz)(source.chunks, tokenizer, sink, () => {
            bytesAtChunk = bytesDone + source.bytesRead();
            rowsAtChunk = rows;
        });
        bytesDone += source.size;
    }
    const columns = new Map();
    for (const [name, r] of readers)
        columns.set(name, r.finish(rows));
    return { source: 'data', files: [...files], rows, columns, notes };
}

;// CONCATENATED MODULE: ./src/core/drift/sources.ts
/**
 * The two sides drift-check compares, from what users name: data files (prediction
 * logs included), profile.json files (merged when several), or `model@alias` /
 * `model@3`, the training profile registered with that model version.
 */










/** `model@alias` or `model@3`. */
const MODEL_REF = /^([a-z0-9][a-z0-9._-]*)@([A-Za-z0-9][A-Za-z0-9._:-]*)$/;
/** The model and alias (or version) of a `model@alias` reference, or null when `text` is not one. */
function parseModelRef(text) {
    const match = MODEL_REF.exec(text);
    return match ? { model: match[1], ref: match[2] } : null;
}
/** A profile.json written by validate-data or train. */
async function readProfile(path, shown) {
    let value;
    try {
        value = JSON.parse(await (0,promises_.readFile)(path, 'utf8'));
    }
    catch (error) {
        throw new core_errors/* UserError */.y(`cannot read profile ${shown(path)}: ${error.message}`, 'Give a profile.json written by validate-data or train.');
    }
    const profile = value;
    if (!profile || profile.format !== profile_profile/* PROFILE_FORMAT */.y6 || !Array.isArray(profile.columns) || typeof profile.rows !== 'number')
        throw new core_errors/* UserError */.y(`${shown(path)} is not a data profile (format ${profile_profile/* PROFILE_FORMAT */.y6})`, 'Give a profile.json written by validate-data or train.');
    return profile;
}
/** A side from data files or globs (absolute paths), or from profile.json files; never both. */
async function sideFromFiles(entries, what, options) {
    const { shown } = options;
    const profiles = entries.filter((e) => /\.json$/i.test(e));
    if (profiles.length > 0) {
        if (profiles.length !== entries.length)
            throw new core_errors/* UserError */.y(`${what}: mixes profile.json files with data files`, 'Give either data files or profiles for one side.');
        const read = await Promise.all(profiles.map((p) => readProfile(p, shown)));
        const profile = read.reduce((a, b) => (0,profile_profile/* mergeProfiles */.Ns)(a, b));
        return { side: (0,columns/* sideFromProfile */.TK)(profile), description: `profile ${profiles.map(shown).join(', ')}` };
    }
    const files = await (0,data_paths/* expandPaths */.p)([...entries]);
    const read = await readSide(files, {
        format: options.format,
        nullValues: options.nullValues,
        ignore: new Set(LOG_COLUMNS),
        shown,
        only: options.only,
    });
    // Reports name files as the project does (relative to the working directory), never by this machine's paths.
    const side = { ...read, files: read.files.map(shown) };
    if (side.rows === 0)
        throw new core_errors/* UserError */.y(`${what}: no data rows in ${files.map(shown).join(', ')}`, 'Check that the files hold rows below the header.');
    return {
        side,
        description: files.length === 1
            ? shown(files[0])
            : `${files.length} files (${files.slice(0, 3).map(shown).join(', ')}${files.length > 3 ? ', …' : ''})`,
    };
}
/** `model@ref`: the training profile registered with that version, pulled (alone, not the weights) into a temporary folder. */
async function sideFromRegistry(registry, model, ref, shown) {
    if (!ports_registry/* NAME_PATTERN */.V.test(model))
        throw new core_errors/* UserError */.y(`reference ${model}@${ref}: "${model}" is not a model name`);
    let version;
    try {
        version = await registry.resolve(model, ref);
    }
    catch (error) {
        throw new core_errors/* UserError */.y(`reference ${model}@${ref}: ${error.message}`, 'Check the model name and the alias or version (mlops registry list), and the `registry` input.');
    }
    if (!version.files.some((f) => f.path === profile_profile/* TRAINING_PROFILE_FILE */.Ks))
        throw new core_errors/* UserError */.y(`reference ${model}@${ref} (version ${version.version}) has no ${profile_profile/* TRAINING_PROFILE_FILE */.Ks}`, 'Models trained by this version of train store the profile of their training data; retrain and register, or give the training data as the reference.');
    const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'mlops-drift-'));
    try {
        await registry.pull(model, String(version.version), dir, { paths: [profile_profile/* TRAINING_PROFILE_FILE */.Ks] });
        const profile = await readProfile((0,external_node_path_.join)(dir, profile_profile/* TRAINING_PROFILE_FILE */.Ks), shown);
        return { side: (0,columns/* sideFromProfile */.TK)(profile), description: `profile of ${model} version ${version.version} (${ref})` };
    }
    finally {
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/steps/artifacts.ts
/**
 * Workflow artifacts from steps: upload a folder (reports, a model) and download one an
 * earlier job uploaded. Only in a JavaScript action step on a runner, which alone gets
 * the Actions runtime (ctx.artifacts() is null elsewhere).
 */

/** Uploads `dir` as the artifact `name`; a failure is a warning (the files stay where they are), never a failed step. */
async function uploadArtifact(ctx, name, dir, what) {
    const store = await ctx.artifacts();
    if (!store)
        return;
    try {
        const { location } = await store.upload(name, dir);
        ctx.io.info(`Uploaded ${what} as artifact "${name}": ${location}`);
    }
    catch (error) {
        ctx.io.warning(`${capitalize(what)} could not be uploaded as an artifact (${error.message}); the files are in ${ctx.workspace.shown(dir)}.`);
    }
}
/** Downloads the artifact named by the input `input` (when set) into `dir`. */
async function downloadArtifactInput(ctx, input, dir, what) {
    const name = ctx.io.getInput(input);
    if (!name)
        return;
    const store = await ctx.artifacts();
    if (!store)
        throw new core_errors/* UserError */.y(`${input} "${name}" can only be downloaded in a GitHub Actions job step`, 'Locally, the files are already on disk: leave it unset (or point at them directly).');
    await store.download(name, dir);
    ctx.io.info(`Downloaded ${what} from artifact "${name}" into ${ctx.workspace.shown(dir)}.`);
}
function capitalize(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

;// CONCATENATED MODULE: ./src/steps/drift-check.ts
/** drift-check: compare production data (or prediction logs) with the training data or its stored profile; report, open an issue, start retraining. */











const driftCheck = {
    name: 'drift-check',
    title: 'Drift check',
    description: 'Compares current data (production data or the prediction logs of mlops serve) with the reference (the training data, a stored profile, or the profile registered with a model version), column by column with the statistical tests Evidently uses by default, reports feature, prediction and target drift in Markdown, JSON and HTML, keeps one GitHub issue open while drift lasts, and can dispatch a retraining workflow.',
    inputs: {
        config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
        reference: {
            description: 'The reference, one per line: data files or globs (CSV, TSV, JSON Lines; gzip too), or profile.json files (validate-data or train write them), or model@alias / model@3: the training profile registered with that model version. Default: drift.reference in mlops.yaml, else data.path.',
            list: true,
            config: 'drift.reference',
        },
        current: {
            description: 'The current data, one per line: files or globs (prediction logs of mlops serve included: _time, _model and _version are ignored), or profile.json files. Default: drift.current in mlops.yaml.',
            list: true,
            config: 'drift.current',
        },
        columns: { description: 'Feature columns to compare, one per line. Default: every column of either side.', list: true },
        target: {
            description: 'The target (label) column, checked for target drift when both sides have it. Default: drift.target, else data.target.',
            config: 'drift.target',
        },
        'prediction-column': {
            description: 'The model-output column, checked for prediction drift when both sides have it. Default: drift.prediction_column, else _prediction.',
            config: 'drift.prediction_column',
        },
        'drift-share': {
            description: 'Dataset drift when at least this share of the compared feature columns drifted (0 to 1). Default: drift.drift_share, else 0.5.',
            type: 'number',
            min: 0,
            max: 1,
            config: 'drift.drift_share',
            default: String(DEFAULT_DRIFT_SHARE),
        },
        'output-dir': { description: 'Where report.md, report.html and drift.json go. Default: .mlops/drift-check beside mlops.yaml.' },
        'artifact-name': {
            description: 'On GitHub: the name of the artifact the reports (the HTML one included) are uploaded as. Default: drift-<model name>.',
        },
        'fail-on-drift': {
            description: 'true to fail the step when dataset drift is found. Default: drift.fail_on_drift, else false.',
            choices: ['true', 'false'],
            type: 'boolean',
            config: 'drift.fail_on_drift',
            default: 'false',
        },
        issue: {
            description: 'true to keep one GitHub issue open while drift lasts (opened on drift, updated on later drifted runs, commented on and closed when drift is gone; the job needs permissions: issues: write). Default: true when a token and GITHUB_REPOSITORY are available.',
            choices: ['true', 'false'],
            type: 'boolean',
        },
        'issue-labels': {
            description: 'Labels of the drift issue, one per line. Default: drift.issue_labels, else drift.',
            list: true,
            config: 'drift.issue_labels',
            default: 'drift',
        },
        'retrain-workflow': {
            description: 'A workflow file name (retrain.yml) or id to dispatch (workflow_dispatch) when drift is found; the job needs permissions: actions: write. Default: drift.retrain_workflow, else none.',
            config: 'drift.retrain_workflow',
        },
        'retrain-ref': { description: 'The branch or tag to run the retraining workflow on. Default: GITHUB_REF_NAME.' },
        'retrain-inputs': { description: 'Inputs of the retraining workflow, one key=value per line. Default: none.', list: true },
        token: {
            description: "GitHub token for the issue and the dispatch, and for ghcr.io (never sent to another registry). Default: the workflow's token.",
            actionDefault: '${{ github.token }}',
        },
        registry: {
            description: 'The registry holding model@alias references: oci://host/namespace or a folder. Default: registry.url or registry.path in mlops.yaml, else .mlops/registry beside it.',
        },
    },
    outputs: {
        drifted: { description: '"true" when dataset drift was found, else "false".' },
        'drift-share': { description: 'The drifted share of the compared feature columns.' },
        'drifted-columns': { description: 'The drifted feature columns as a JSON array.' },
        report: { description: 'Path of the Markdown report.' },
        'report-json': { description: 'Path of the machine-readable report (drift.json).' },
        'report-html': { description: 'Path of the self-contained HTML report.' },
        'issue-number': { description: 'The drift issue opened or updated, when there is one.' },
    },
    config: { key: 'drift', schema: DriftSettings },
    async run(ctx) {
        await runDriftCheck(ctx);
    },
};
/** Resolves the sides, compares them, writes the reports, and publishes (outputs, summary, artifact, issue, dispatch). */
async function runDriftCheck(ctx) {
    const { io, workspace, config: loaded } = ctx;
    const step = driftCheck;
    const shown = (path) => workspace.shown(path);
    // Checked with the whole file at load; parsed again here for its type.
    const settings = parseDriftSettings(loaded.config.drift, loaded.file ? shown(loaded.file) : 'mlops.yaml');
    const format = loaded.config.data.format ?? 'auto';
    const nullValues = loaded.config.data.null_values;
    const subject = loaded.config.model?.name ?? loaded.config.project ?? 'data';
    const columns = listInput(ctx, step, 'columns');
    const target = stringInput(ctx, step, 'target') || loaded.config.data.target || null;
    const predictionColumn = stringInput(ctx, step, 'prediction-column') || null;
    const driftShare = numberInput(ctx, step, 'drift-share');
    const failOnDrift = booleanInput(ctx, step, 'fail-on-drift') ?? false;
    const retrain = retrainInputs(ctx);
    const only = columns.length > 0 ? new Set([...columns, ...(target ? [target] : []), predictionColumn ?? profile_profile/* PREDICTION_COLUMN */.vs]) : null;
    const reference = resolveInput(ctx, step, 'reference');
    const referenceEntries = reference ? reference.value : (0,config/* asList */.DD)(loaded.config.data.path);
    const referenceSource = reference?.source ?? 'mlops.yaml';
    if (referenceEntries.length === 0)
        throw new core_errors/* UserError */.y('no reference to compare with', 'Set the `reference` input (or --reference), or drift.reference or data.path in mlops.yaml.');
    const current = resolveInput(ctx, step, 'current');
    const currentEntries = current ? current.value.map((path) => placePath(ctx, current.source, path)) : [];
    if (currentEntries.length === 0)
        throw new core_errors/* UserError */.y('no current data to check', 'Set the `current` input (or --current), or drift.current in mlops.yaml.');
    const outputOverride = io.getInput('output-dir');
    const outputDir = workspace.dir('drift-check', outputOverride);
    await (0,core_workspace/* ensureWritableDir */.g)(outputDir, outputOverride ? 'input output-dir' : 'the drift-check folder');
    const fileOptions = { format, nullValues, only, shown };
    const first = referenceEntries[0];
    const modelRef = referenceEntries.length === 1 && !(0,external_node_fs_.existsSync)(placePath(ctx, referenceSource, first)) ? parseModelRef(first) : null;
    const referenceSide = await io.group('Reading the reference', async () => modelRef
        ? sideFromRegistry(ctx.registry(io.getInput('registry'), io.getInput('token')), modelRef.model, modelRef.ref, shown)
        : sideFromFiles(referenceEntries.map((path) => placePath(ctx, referenceSource, path)), 'reference', fileOptions));
    const currentSide = await io.group('Reading the current data', () => sideFromFiles(currentEntries, 'current', fileOptions));
    for (const note of [...(referenceSide.side.notes ?? []), ...(currentSide.side.notes ?? [])])
        io.warning(`drift-check: ${note}`);
    const report = checkDrift(referenceSide.side, currentSide.side, {
        settings,
        columns,
        target,
        predictionColumn,
        driftShare,
        subject,
        referenceDescription: referenceSide.description,
        currentDescription: currentSide.description,
    });
    for (const c of report.features) {
        if (c.status === 'method-does-not-fit')
            io.warning(`drift-check: column ${c.column}: ${c.notes.at(-1) ?? 'the test does not fit'}`);
    }
    if (report.comparedFeatures === 0)
        io.warning('drift-check: no feature column is on both sides with values; nothing was compared. Check the column names and the `columns` input.');
    const { paths, markdown } = await writeDriftReports(outputDir, report, ctx.env.runUrl);
    await io.appendSummary(markdown);
    if (report.verdict === 'not-enough-data')
        io.warning(`Only ${report.current.rows} current rows, fewer than ${report.minCurrentRows} (drift.min_current_rows): not enough data for a dataset verdict.`);
    io.info(`${report.drifted ? 'Drift detected' : report.verdict === 'not-enough-data' ? 'No verdict (not enough data)' : 'No dataset drift'}: ${report.driftedColumns.length} of ${report.comparedFeatures} feature columns drifted (share ${report.driftShare.toFixed(3)}, threshold ${report.driftShareThreshold}).`);
    for (const c of [report.prediction, report.target]) {
        if (c)
            io.info(`${c.role === 'prediction' ? 'Prediction' : 'Target'} column ${c.column}: ${c.drifted ? 'drifted' : 'no drift'} (${c.method ?? c.status}).`);
    }
    io.info(`Reports: ${shown(paths.markdown)}, ${shown(paths.json)}, ${shown(paths.html)}`);
    await uploadArtifact(ctx, io.getInput('artifact-name') || `drift-${subject}`, outputDir, 'the reports');
    const issueNumber = await publishToGitHub(ctx, report, markdown, retrain);
    io.setOutput('drifted', String(report.drifted));
    io.setOutput('drift-share', String(report.driftShare));
    io.setOutput('drifted-columns', JSON.stringify(report.driftedColumns));
    io.setOutput('report', shown(paths.markdown));
    io.setOutput('report-json', shown(paths.json));
    io.setOutput('report-html', shown(paths.html));
    io.setOutput('issue-number', issueNumber === null ? '' : String(issueNumber));
    if (report.drifted && failOnDrift)
        io.fail(`Dataset drift: ${report.driftedColumns.length} of ${report.comparedFeatures} feature columns drifted (${report.driftedColumns.join(', ')}).`);
}
/** The drift issue and the retraining dispatch, when asked for and possible; returns the issue's number. */
async function publishToGitHub(ctx, report, markdown, retrain) {
    const { io } = ctx;
    const step = driftCheck;
    const mode = booleanInput(ctx, step, 'issue');
    const workflow = stringInput(ctx, step, 'retrain-workflow') ?? '';
    if (mode === false && !workflow)
        return null;
    const gh = ctx.env.repository ? ctx.github(io.getInput('token')) : null;
    if (!gh) {
        if (mode === true || workflow)
            io.warning(`No GitHub issue or dispatch: ${!ctx.env.repository ? 'GITHUB_REPOSITORY is not set' : 'no token (set the `token` input or GITHUB_TOKEN)'}.`);
        return null;
    }
    let issueNumber = null;
    if (mode !== false) {
        issueNumber = await updateDriftIssue({
            github: gh.github,
            repo: gh.repo,
            report,
            markdown,
            labels: listInput(ctx, step, 'issue-labels'),
            runUrl: ctx.env.runUrl,
            log: io,
        });
    }
    if (workflow && report.drifted) {
        const ref = stringInput(ctx, step, 'retrain-ref') || ctx.env.refName || '';
        if (!ref)
            io.warning('No retraining dispatched: no branch to run it on (set `retrain-ref`).');
        else
            await dispatchRetraining(gh.github, gh.repo, workflow, ref, retrain, io);
    }
    return issueNumber;
}
/** The retraining workflow's inputs: one key=value per line. */
function retrainInputs(ctx) {
    const inputs = {};
    for (const line of listInput(ctx, driftCheck, 'retrain-inputs')) {
        const eq = line.indexOf('=');
        if (eq <= 0)
            throw new InputError('retrain-inputs', `"${line}" is not key=value`);
        inputs[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
    return inputs;
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./src/core/contracts/index.ts
var contracts = __webpack_require__(96323);
// EXTERNAL MODULE: ./src/core/data/table.ts
var data_table = __webpack_require__(60524);
// EXTERNAL MODULE: ./src/core/model/model-io.ts
var model_io = __webpack_require__(60529);
;// CONCATENATED MODULE: ./src/core/evaluate/metrics.ts
/**
 * Evaluation metrics for classifiers and regressors, computed as scikit-learn computes them, so a
 * number here can be checked against `sklearn.metrics` on the same predictions. Metric names are
 * snake_case: they are the keys users write in gates.
 *
 * Conventions (scikit-learn's, unless marked "differs"):
 * - Precision, recall and F1 use `zero_division=0`: a class never predicted has precision 0, a
 *   class absent from y_true has recall 0, and F1 = 2·tp / (2·tp + fp + fn) is 0 when that
 *   denominator is 0 (sklearn >= 1.3 computes F1 this way, from counts).
 * - Macro averages are the unweighted mean over the classes present in y_true or y_pred (sklearn's
 *   default `labels = unique_labels(y_true, y_pred)`): a class in `classes` that appears in neither
 *   is listed in `per_class` with zeros but does not count in the macro averages.
 * - Weighted averages weight each class by its support (rows of that class in y_true).
 * - `balanced_accuracy` is the mean recall over the classes present in y_true (`adjusted=False`).
 * - `roc_auc`: with two classes, the AUC of the positive class `classes[1]` from `scores[i][1]`;
 *   with more, the one-vs-rest macro average (`multi_class='ovr', average='macro'`). Ties count
 *   one half (average ranks, the Mann-Whitney U statistic), which equals sklearn's trapezoidal
 *   area under the ROC curve. Null without scores or when undefined: fewer than two classes, or
 *   y_true holding only one class. Differs: with more than two classes, classes without both
 *   positive and negative rows are left out of the average (sklearn raises an error), and the
 *   scores are not required to sum to 1.
 * - `log_loss` is the mean of −ln p(true class), p clipped to [1e-15, 1 − 1e-15] (sklearn's
 *   `eps=1e-15` up to 1.2; from 1.5 sklearn clips at the float64 machine epsilon instead, which
 *   only matters for probabilities below 1e-15). Rows are not renormalized to sum to 1 (as sklearn
 *   >= 1.5; before that sklearn renormalized). Null without scores.
 * - `r2` = 1 − SS_res / SS_tot; for a constant y_true (SS_tot = 0) it is 1 when the predictions are
 *   perfect and 0 otherwise (sklearn's `force_finite=True` default); null with fewer than 2 rows
 *   (sklearn returns NaN with a warning). Constant y_true is detected exactly, not by floating-point
 *   accident.
 * - `mape` is a fraction, not a percentage: mean of |y − ŷ| / max(|y|, ε), ε = 2.220446049250313e-16
 *   (float64 machine epsilon), so a row with y = 0 and an error gives a huge value, as in sklearn.
 * - `rmse` is the square root of `mse` (sklearn's root_mean_squared_error).
 */

/** sklearn's clipping bound for log loss (its `eps=1e-15` default up to version 1.2). */
const LOG_LOSS_EPS = 1e-15;
/** float64 machine epsilon, sklearn's floor on |y| in the MAPE. */
const MAPE_EPS = 2.220446049250313e-16;
/** The scalar metrics of a classifier (the keys gates may name). */
const CLASSIFICATION_METRIC_NAMES = [
    'accuracy',
    'balanced_accuracy',
    'precision_macro',
    'recall_macro',
    'f1_macro',
    'precision_weighted',
    'recall_weighted',
    'f1_weighted',
    'roc_auc',
    'log_loss',
    'count',
];
/** The scalar metrics of a regressor (the keys gates may name). */
const REGRESSION_METRIC_NAMES = ['mae', 'mse', 'rmse', 'r2', 'mape', 'count'];
// ---------------------------------------------------------------------------------------------
// Input checks
function describeValue(value) {
    if (typeof value === 'number')
        return Number.isNaN(value) ? 'NaN' : String(value);
    if (typeof value === 'string')
        return `the text "${value}"`;
    if (value === null || value === undefined)
        return 'missing';
    return `a ${typeof value}`;
}
function where(name, i) {
    return `${name}[${i}] (row ${i + 1})`;
}
function checkNotEmpty(name, values) {
    if (values.length === 0)
        throw new core_errors/* UserError */.y(`${name} is empty: there are no rows to evaluate`, 'Evaluate on at least one row.');
}
function checkSameLength(aName, a, bName, b) {
    if (a.length !== b.length) {
        throw new core_errors/* UserError */.y(`${aName} has ${a.length} rows but ${bName} has ${b.length}`, `Give exactly one ${bName} value per ${aName} value.`);
    }
}
function checkFinite(name, values) {
    for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
            throw new core_errors/* UserError */.y(`${where(name, i)} is ${describeValue(v)}, not a finite number`, 'Remove or fix the rows with NaN, Infinity or missing values.');
        }
    }
}
function checkClassIndexes(name, values, classes) {
    const k = classes.length;
    for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= k) {
            throw new core_errors/* UserError */.y(`${where(name, i)} is ${describeValue(v)}, not a class index (a whole number from 0 to ${k - 1} for the ${k} classes)`, `Classes are numbered in the order given: ${classes.slice(0, 10).join(', ')}${k > 10 ? ', …' : ''}.`);
        }
    }
}
function checkClasses(classes) {
    if (!Array.isArray(classes) || classes.length === 0)
        throw new core_errors/* UserError */.y('classes is empty: a classifier needs at least one class');
    const seen = new Set();
    for (let i = 0; i < classes.length; i++) {
        const name = classes[i];
        if (typeof name !== 'string')
            throw new core_errors/* UserError */.y(`classes[${i}] is ${describeValue(name)}, not a class name`);
        if (seen.has(name))
            throw new core_errors/* UserError */.y(`classes lists "${name}" twice`, 'Each class name must appear once.');
        seen.add(name);
    }
}
function checkScores(scores, n, classes) {
    if (scores.length !== n) {
        throw new core_errors/* UserError */.y(`scores has ${scores.length} rows but yTrue has ${n}`, 'Give one probability vector per row.');
    }
    const k = classes.length;
    for (let i = 0; i < n; i++) {
        const row = scores[i];
        if (row === null || row === undefined || typeof row !== 'object' || typeof row.length !== 'number') {
            throw new core_errors/* UserError */.y(`${where('scores', i)} is ${describeValue(row)}, not a list of ${k} class probabilities`);
        }
        if (row.length !== k) {
            throw new core_errors/* UserError */.y(`${where('scores', i)} has ${row.length} probabilities but there are ${k} classes`, `Give one probability per class, in the order ${classes.slice(0, 10).join(', ')}${k > 10 ? ', …' : ''}.`);
        }
        for (let c = 0; c < k; c++) {
            const v = row[c];
            if (typeof v !== 'number' || !Number.isFinite(v)) {
                throw new core_errors/* UserError */.y(`${where('scores', i)} has ${describeValue(v)} for class "${classes[c]}", not a finite number`, 'Remove or fix the rows with NaN, Infinity or missing scores.');
            }
        }
    }
}
/** Labels of a binary curve: true/false or 1/0. */
function binaryLabels(yTrue) {
    const out = new Uint8Array(yTrue.length);
    for (let i = 0; i < yTrue.length; i++) {
        const v = yTrue[i];
        if (v === true || v === 1)
            out[i] = 1;
        else if (v === false || v === 0)
            out[i] = 0;
        else
            throw new core_errors/* UserError */.y(`${where('yTrue', i)} is ${describeValue(v)}, not a binary label`, 'Give true/false or 1/0 (1 = the positive class).');
    }
    return out;
}
// ---------------------------------------------------------------------------------------------
// Ranking
/**
 * Area under the ROC curve from the Mann-Whitney U statistic: the share of (positive, negative)
 * pairs where the positive scores higher, ties counting one half. Null without both positives and
 * negatives.
 */
function binaryAuc(positive, score, n) {
    let nPos = 0;
    for (let i = 0; i < n; i++)
        nPos += positive[i];
    const nNeg = n - nPos;
    if (nPos === 0 || nNeg === 0)
        return null;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++)
        values[i] = score(i);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
    // Sum of the (1-based, tie-averaged) ranks of the positives.
    let rankSum = 0;
    let start = 0;
    while (start < n) {
        let end = start + 1;
        while (end < n && values[order[end]] === values[order[start]])
            end++;
        let positivesInGroup = 0;
        for (let j = start; j < end; j++)
            positivesInGroup += positive[order[j]];
        rankSum += positivesInGroup * ((start + 1 + end) / 2);
        start = end;
    }
    return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
/** Cumulative counts at each distinct score, from the highest score down (sklearn's _binary_clf_curve). */
function binaryCurveSteps(labels, scores) {
    const n = labels.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
    const steps = [];
    let tps = 0;
    let fps = 0;
    for (let j = 0; j < n; j++) {
        const i = order[j];
        if (labels[i] === 1)
            tps++;
        else
            fps++;
        const next = order[j + 1];
        if (next === undefined || scores[next] !== scores[i])
            steps.push({ threshold: scores[i], tps, fps });
    }
    return { steps, positives: tps, negatives: fps };
}
function checkCurveInput(yTrue, scores) {
    checkNotEmpty('yTrue', yTrue);
    checkSameLength('yTrue', yTrue, 'scores', scores);
    const labels = binaryLabels(yTrue);
    checkFinite('scores', scores);
    return labels;
}
// ---------------------------------------------------------------------------------------------
// Classification
const ratio = (num, den) => (den === 0 ? 0 : num / den);
/**
 * Accuracy, balanced accuracy, per-class and averaged precision/recall/F1, ROC AUC, log loss and
 * the confusion matrix, with scikit-learn's conventions (see the module comment). Throws a
 * UserError on empty or mismatched input, a class index out of range, or a non-finite score.
 */
function classificationMetrics(input) {
    const { classes, yTrue, yPred, scores } = input;
    checkClasses(classes);
    checkNotEmpty('yTrue', yTrue);
    checkSameLength('yTrue', yTrue, 'yPred', yPred);
    checkClassIndexes('yTrue', yTrue, classes);
    checkClassIndexes('yPred', yPred, classes);
    const n = yTrue.length;
    const k = classes.length;
    if (scores !== undefined)
        checkScores(scores, n, classes);
    const confusion = Array.from({ length: k }, () => new Array(k).fill(0));
    for (let i = 0; i < n; i++)
        confusion[yTrue[i]][yPred[i]]++;
    const support = new Array(k).fill(0);
    const predicted = new Array(k).fill(0);
    let correct = 0;
    for (let t = 0; t < k; t++) {
        for (let p = 0; p < k; p++) {
            const count = confusion[t][p];
            support[t] += count;
            predicted[p] += count;
            if (t === p)
                correct += count;
        }
    }
    const perClass = classes.map((name, c) => {
        const tp = confusion[c][c];
        return {
            class: name,
            support: support[c],
            precision: ratio(tp, predicted[c]),
            recall: ratio(tp, support[c]),
            f1: ratio(2 * tp, support[c] + predicted[c]),
        };
    });
    const present = perClass.filter((_, c) => support[c] > 0 || predicted[c] > 0);
    const inTrue = perClass.filter((_, c) => support[c] > 0);
    const mean = (rows, key) => rows.reduce((s, r) => s + r[key], 0) / rows.length;
    const weighted = (key) => perClass.reduce((s, r) => s + r[key] * r.support, 0) / n;
    let rocAuc = null;
    let logLoss = null;
    if (scores !== undefined) {
        rocAuc = classificationAuc(classes.length, yTrue, scores);
        let total = 0;
        for (let i = 0; i < n; i++) {
            const p = Math.min(Math.max(scores[i][yTrue[i]], LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
            total -= Math.log(p);
        }
        logLoss = total / n;
    }
    return {
        count: n,
        accuracy: correct / n,
        balanced_accuracy: mean(inTrue, 'recall'),
        precision_macro: mean(present, 'precision'),
        recall_macro: mean(present, 'recall'),
        f1_macro: mean(present, 'f1'),
        precision_weighted: weighted('precision'),
        recall_weighted: weighted('recall'),
        f1_weighted: weighted('f1'),
        roc_auc: rocAuc,
        log_loss: logLoss,
        per_class: perClass,
        confusion_matrix: confusion,
    };
}
function classificationAuc(k, yTrue, scores) {
    const n = yTrue.length;
    if (k < 2)
        return null;
    const positive = new Uint8Array(n);
    if (k === 2) {
        for (let i = 0; i < n; i++)
            positive[i] = yTrue[i] === 1 ? 1 : 0;
        return binaryAuc(positive, (i) => scores[i][1], n);
    }
    let sum = 0;
    let defined = 0;
    for (let c = 0; c < k; c++) {
        for (let i = 0; i < n; i++)
            positive[i] = yTrue[i] === c ? 1 : 0;
        const auc = binaryAuc(positive, (i) => scores[i][c], n);
        if (auc !== null) {
            sum += auc;
            defined++;
        }
    }
    return defined === 0 ? null : sum / defined;
}
// ---------------------------------------------------------------------------------------------
// Regression
/**
 * MAE, MSE, RMSE, R² and MAPE, with scikit-learn's conventions (see the module comment). Throws a
 * UserError on empty or mismatched input, or a value that is not a finite number.
 */
function regressionMetrics(yTrue, yPred) {
    checkNotEmpty('yTrue', yTrue);
    checkSameLength('yTrue', yTrue, 'yPred', yPred);
    checkFinite('yTrue', yTrue);
    checkFinite('yPred', yPred);
    const n = yTrue.length;
    let absSum = 0;
    let sqSum = 0;
    let apeSum = 0;
    let ySum = 0;
    let constant = true;
    const first = yTrue[0];
    for (let i = 0; i < n; i++) {
        const y = yTrue[i];
        const e = y - yPred[i];
        absSum += Math.abs(e);
        sqSum += e * e;
        apeSum += Math.abs(e) / Math.max(Math.abs(y), MAPE_EPS);
        ySum += y;
        if (y !== first)
            constant = false;
    }
    const mse = sqSum / n;
    let r2 = null;
    if (n >= 2) {
        let ssTot = 0;
        if (!constant) {
            const mean = ySum / n;
            for (let i = 0; i < n; i++)
                ssTot += (yTrue[i] - mean) ** 2;
        }
        if (ssTot === 0)
            r2 = sqSum === 0 ? 1 : 0;
        else
            r2 = 1 - sqSum / ssTot;
    }
    return { count: n, mae: absSum / n, mse, rmse: Math.sqrt(mse), r2, mape: apeSum / n };
}
// ---------------------------------------------------------------------------------------------
// Curves
/**
 * The ROC curve of a binary classifier, as sklearn's `roc_curve(drop_intermediate=False)`: one
 * point per distinct score, from the highest down, after a first point (0, 0) with threshold
 * Infinity (sklearn >= 1.3; JSON writes it as null). Equal scores form one step. `yTrue` holds
 * true/false or 1/0 (1 = positive). Throws a UserError when y_true lacks positives or negatives
 * (the curve is undefined; sklearn returns NaN rates).
 */
function rocCurve(yTrue, scores) {
    const labels = checkCurveInput(yTrue, scores);
    const { steps, positives, negatives } = binaryCurveSteps(labels, scores);
    if (positives === 0 || negatives === 0) {
        throw new core_errors/* UserError */.y(`cannot draw a ROC curve: every row of yTrue is ${positives === 0 ? 'negative' : 'positive'}`, 'A ROC curve needs both positive and negative rows (roc_auc is null in this case).');
    }
    const points = [{ fpr: 0, tpr: 0, threshold: Infinity }];
    for (const s of steps)
        points.push({ fpr: s.fps / negatives, tpr: s.tps / positives, threshold: s.threshold });
    return points;
}
/**
 * The precision-recall curve of a binary classifier, as sklearn's `precision_recall_curve`: one
 * point per distinct score in increasing threshold order (recall decreasing), then a last point
 * (precision 1, recall 0) with threshold Infinity. Equal scores form one step. Without any
 * positive row recall is 1 at every threshold (sklearn's convention).
 */
function precisionRecallCurve(yTrue, scores) {
    const labels = checkCurveInput(yTrue, scores);
    const { steps, positives } = binaryCurveSteps(labels, scores);
    const points = [];
    for (let j = steps.length - 1; j >= 0; j--) {
        const s = steps[j];
        points.push({ precision: s.tps / (s.tps + s.fps), recall: positives === 0 ? 1 : s.tps / positives, threshold: s.threshold });
    }
    points.push({ precision: 1, recall: 0, threshold: Infinity });
    return points;
}
/**
 * At most `maxPoints` of `points`, evenly spaced by index, always keeping the first and the last
 * (for charts). Returns a copy; fewer points than the limit come back unchanged.
 */
function downsampleCurve(points, maxPoints) {
    if (!Number.isInteger(maxPoints) || maxPoints < 2) {
        throw new core_errors/* UserError */.y(`maxPoints is ${describeValue(maxPoints)}; a curve needs at least 2 points (its first and last)`);
    }
    const n = points.length;
    if (n <= maxPoints)
        return points.slice();
    const out = [];
    for (let j = 0; j < maxPoints; j++)
        out.push(points[Math.round((j * (n - 1)) / (maxPoints - 1))]);
    return out;
}
// ---------------------------------------------------------------------------------------------
// Slices
/**
 * Metrics per slice: `compute` runs on the row indexes of each value of a slicing column, in the
 * map's order. A UserError from `compute` is rethrown naming the slice; an empty slice is rejected.
 */
function sliceMetrics(rowsByKey, compute) {
    const out = [];
    for (const [slice, rows] of rowsByKey) {
        if (rows.length === 0)
            throw new core_errors/* UserError */.y(`slice "${slice}" has no rows`, 'Leave out slice values without rows.');
        let metrics;
        try {
            metrics = compute(rows.slice());
        }
        catch (error) {
            if (error instanceof core_errors/* UserError */.y)
                throw new core_errors/* UserError */.y(`slice "${slice}": ${error.message}`, error.hint);
            throw error;
        }
        out.push({ slice, count: rows.length, metrics });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/core/evaluate/score.ts
/**
 * Scoring a model on rows of a table: its predictions against the truth, and the metrics of
 * evaluate (and of train's own report). Whatever trained the model, what is compared comes
 * from its signature's target (`model.signature.target`):
 * - the truth is the target's column of the table (by name), or a column given instead (a
 *   predictions file's `y_true`, aligned row by row with the table);
 * - classification labels are compared as text, a number as its shortest text (`1.0` reads
 *   as `1`), so a label column of numbers and a class list of strings agree;
 * - regression values are in the target's units (no standardization).
 * Rows without a truth value are left out.
 */


/** The label of a row as text, or null when missing. */
function labelOf(column, row) {
    if (column.texts)
        return column.texts[row] ?? null;
    const v = column.numbers[row];
    return Number.isNaN(v) ? null : String(v);
}
/** Rows of `rows` that hold a truth value for `target`: a label (classification) or a finite number (regression). */
function labelledRows(target, truth, rows) {
    return target.task === 'classification'
        ? rows.filter((r) => labelOf(truth, r) !== null)
        : rows.filter((r) => Number.isFinite(truth.numbers[r]));
}
/** The index of the largest value of `row` (the first on ties, as numpy's argmax). */
function argmax(values, from = 0, to = values.length) {
    let best = from;
    for (let i = from + 1; i < to; i++)
        if (values[i] > values[best])
            best = i;
    return best - from;
}
/** Predicts `rows` of `table` with `model` and pairs each prediction with the truth (see the module comment). */
async function scoreRows(model, table, rows, options = {}) {
    const target = model.signature.target;
    const truth = options.truth ?? (0,data_table.tableColumn)(table, target.name, 'target column');
    let kept = labelledRows(target, truth, rows);
    if (target.task === 'regression') {
        const output = await model.predict(table, kept);
        return { task: 'regression', rows: kept, yTrue: kept.map((r) => truth.numbers[r]), yPred: Array.from(output) };
    }
    let classes = target.classes;
    if (options.unseenClasses) {
        const extra = [...new Set(kept.map((r) => labelOf(truth, r)).filter((label) => !target.classes.includes(label)))].sort();
        classes = [...target.classes, ...extra];
    }
    else {
        const known = new Set(target.classes);
        kept = kept.filter((r) => known.has(labelOf(truth, r)));
    }
    const index = new Map(classes.map((c, i) => [c, i]));
    const yTrue = kept.map((r) => index.get(labelOf(truth, r)));
    const output = await model.predict(table, kept);
    const k = target.classes.length;
    const scores = [];
    const yPred = [];
    for (let i = 0; i < kept.length; i++) {
        const row = Array.from(output.subarray(i * k, (i + 1) * k));
        yPred.push(argmax(row));
        for (let c = k; c < classes.length; c++)
            row.push(0); // the model gives unseen classes no probability
        scores.push(row);
    }
    // A classifier that gives labels only has one-hot "probabilities": no scores to rank or take the log of.
    return { task: 'classification', classes, rows: kept, yTrue, yPred, scores: model.signature.probabilities ? scores : [] };
}
function fullMetrics(scored) {
    return scored.task === 'classification'
        ? classificationMetrics({
            classes: scored.classes,
            yTrue: scored.yTrue,
            yPred: scored.yPred,
            scores: scored.scores.length > 0 ? scored.scores : undefined,
        })
        : regressionMetrics(scored.yTrue, scored.yPred);
}
/** The scalar metrics (what gates and reports compare): numbers and nulls only. */
function scalarMetrics(metrics) {
    const out = {};
    for (const [name, value] of Object.entries(metrics)) {
        if (typeof value === 'number' || value === null)
            out[name] = value;
    }
    return out;
}

;// CONCATENATED MODULE: ./src/core/evaluate/rows.ts
/**
 * Where a row of a table is in its file, for messages: "row 3 (line 4)". Rows are counted
 * as validate-data counts them, from 1 at the first data row (the header of a CSV or TSV is
 * not a row); the line is the file's own (1-based, where the record starts), found by
 * reading the file again with the same tokenizer, so blank lines and quoted line breaks are
 * counted right. Only called to word an error, so the second read costs nothing otherwise.
 */


/** The 1-based line where each of `rows` (0-based data rows) starts; a row not found maps to null. */
async function linesOfRows(file, rows) {
    const wanted = new Set(rows);
    const found = new Map(rows.map((r) => [r, null]));
    try {
        const format = (0,data_source/* detectFormat */.Tz)(file);
        const source = await (0,data_source/* openSource */.oD)(file);
        if (format === 'jsonl') {
            let line = 0;
            let row = 0;
            let pending = '';
            const take = (text) => {
                line++;
                if (text.trim() === '')
                    return;
                if (wanted.has(row))
                    found.set(row, line);
                row++;
            };
            for await (const chunk of source.chunks) {
                const parts = (pending + chunk.toString('utf8')).split('\n');
                pending = parts.pop();
                for (const part of parts)
                    take(part);
            }
            if (pending !== '')
                take(pending);
            return found;
        }
        const tokenizer = new delimited/* DelimitedTokenizer */.N0(format === 'tsv' ? 9 : 44);
        let row = -1; // the header
        await (0,delimited/* tokenizeChunks */.Cz)(source.chunks, tokenizer, {
            record(_buf, _starts, _ends, _flags, _count, line) {
                if (row >= 0 && wanted.has(row))
                    found.set(row, line);
                row++;
            },
        });
    }
    catch {
        // The file was read once already; if it cannot be read again, the message goes without lines.
    }
    return found;
}
/** "row 3 (line 4)" for 0-based data row `row`, given the lines found by linesOfRows. */
function rowLabel(row, lines) {
    const line = lines.get(row);
    return line ? `row ${row + 1} (line ${line})` : `row ${row + 1}`;
}
/** rowLabel for one row, reading the file for its line. */
async function locateRow(file, row) {
    return rowLabel(row, await linesOfRows(file, [row]));
}

;// CONCATENATED MODULE: ./src/core/evaluate/predictions.ts
/**
 * A predictions file from any framework, scored as evaluate scores a model: columns `y_true`
 * and `y_pred`, for classification optionally one `score:<class>` column of probabilities per
 * class, and any other columns (slices, features a baseline model takes) kept for later.
 *
 * The task comes, in this order, from the `task` setting, from the model card beside the
 * predictions, or from the file (inferTask below). Integer-valued regression is never taken
 * for classification silently: any number with a fraction in y_true or y_pred means
 * regression, and whole numbers only are ambiguous, said in one log line with how to set it.
 *
 * Conventions:
 * - Labels are compared as text; a number is its shortest text (`1.0` reads as `1`).
 * - Classes: those of the model card in its order, else the labels sorted (numbers in numeric
 *   order first, then text), so a binary task's positive class is the second (`1`, `yes`).
 * - Probabilities: each in [0, 1] (a slack of 1e-6 for float32 rounding) and each row summing
 *   to 1 within 1e-3, as scikit-learn's predict_proba gives them. A score column must name a
 *   label (or a class of the card); a class y_pred predicts must have a score column; a class
 *   only y_true holds gets probability 0 (a class the model never saw: always wrong).
 * - Rows without y_true or y_pred are left out, with a warning.
 * - Rows are counted from 1 at the first data row, with the file's line (rows.ts).
 */






/** Each probability may stray this far outside [0, 1] (float32 rounding). */
const PROBABILITY_SLACK = 1e-6;
/** Each row's probabilities must sum to 1 within this. */
const PROBABILITY_SUM_TOLERANCE = 1e-3;
/** At most this many distinct whole numbers in y_true and y_pred are read as classes when nothing else tells. */
const MAX_INFERRED_CLASSES = 20;
const SCORE_PREFIX = 'score:';
const HINT_FORMAT = 'A predictions file has one row per test row with columns y_true (the truth) and y_pred (the prediction), ' +
    'and for classification optionally one score:<class> column of probabilities per class.';
/** The task of a predictions file: the setting, else the card, else inferTask. */
function chooseTask(setting, setBy, card, infer) {
    if (setting !== 'auto')
        return { task: setting, reason: `${setting}, as ${setBy} sets`, ambiguous: false };
    if (card)
        return { task: card.task, reason: `${card.task}, as the model card ${card.source} says`, ambiguous: false };
    return infer();
}
/** Whether a column holds text at `row` that is not a number. */
const isText = (column, row) => column.texts !== null && column.texts[row] !== null && Number.isNaN(column.numbers[row]);
/**
 * The task told by the file itself: score columns mean classification; a number with a
 * fraction in y_true or y_pred means regression; text labels mean classification; whole
 * numbers only are ambiguous: classification for at most MAX_INFERRED_CLASSES distinct values,
 * else regression.
 */
function inferTask(yTrue, yPred, scoreColumns, rows) {
    if (scoreColumns > 0)
        return { task: 'classification', reason: 'classification, from its score:<class> columns', ambiguous: false };
    for (const column of [yPred, yTrue]) {
        for (const r of rows) {
            const v = column.numbers[r];
            if (Number.isFinite(v) && !Number.isInteger(v))
                return { task: 'regression', reason: `regression, since ${column.name} holds numbers with fractions (${v})`, ambiguous: false };
        }
    }
    for (const column of [yTrue, yPred]) {
        const row = rows.find((r) => isText(column, r));
        if (row !== undefined)
            return {
                task: 'classification',
                reason: `classification, since ${column.name} holds text labels ("${column.texts[row]}")`,
                ambiguous: false,
            };
    }
    const distinct = new Set();
    for (const r of rows) {
        distinct.add(yTrue.numbers[r]);
        distinct.add(yPred.numbers[r]);
    }
    const task = distinct.size <= MAX_INFERRED_CLASSES ? 'classification' : 'regression';
    return {
        task,
        reason: `${task}, since y_true and y_pred hold whole numbers only, ${distinct.size} distinct ` +
            `(${task === 'classification' ? 'at most' : 'more than'} ${MAX_INFERRED_CLASSES} read as classes)`,
        ambiguous: true,
    };
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
const list = (items, max = 10) => items.length === 0 ? '(none)' : `${items.slice(0, max).join(', ')}${items.length > max ? `, … (${items.length} in all)` : ''}`;
/** Reads, checks and scores a predictions file (see the module comment). */
async function scorePredictions(request) {
    const { file, shown, log } = request;
    if (!(0,external_node_fs_.existsSync)(file) || !(0,external_node_fs_.statSync)(file).isFile())
        throw new core_errors/* UserError */.y(`cannot read predictions ${shown}: ${(0,external_node_fs_.existsSync)(file) ? 'it is a folder, not a file' : 'no such file'}`, 'Check the `predictions` input (relative to the working directory) or evaluate.predictions in mlops.yaml (relative to mlops.yaml).');
    const table = await (0,data_table.readTable)([file], { format: 'auto' });
    const column = (name) => {
        const found = table.columns.find((c) => c.name === name);
        if (!found)
            throw new core_errors/* UserError */.y(`${shown} has no column ${name} (its columns: ${list(table.columns.map((c) => c.name))})`, `${HINT_FORMAT} Name the columns exactly so (lower case).`);
        return found;
    };
    const yTrue = column('y_true');
    const yPred = column('y_pred');
    const scoreColumns = table.columns.filter((c) => c.name.startsWith(SCORE_PREFIX));
    const all = Array.from({ length: table.rows }, (_, i) => i);
    const rows = all.filter((r) => labelOf(yTrue, r) !== null && labelOf(yPred, r) !== null);
    const left = all.filter((r) => labelOf(yTrue, r) === null || labelOf(yPred, r) === null);
    if (rows.length === 0)
        throw new core_errors/* UserError */.y(`${shown}: no row has both y_true and y_pred`, `${HINT_FORMAT} Fill in both for every row scored.`);
    if (left.length > 0) {
        const lines = await linesOfRows(file, left.slice(0, 5));
        log.warning(`${shown}: ${left.length} of ${table.rows} rows have no y_true or no y_pred and were left out ` +
            `(${left
                .slice(0, 5)
                .map((r) => rowLabel(r, lines))
                .join(', ')}${left.length > 5 ? ', …' : ''}).`);
    }
    const chosen = chooseTask(request.task, request.taskSetBy, request.card, () => inferTask(yTrue, yPred, scoreColumns.length, rows));
    const howToSet = 'set `task` (evaluate.task in mlops.yaml, or the task input) to classification or regression';
    if (chosen.ambiguous)
        log.info(`Task of ${shown}: ${chosen.reason}; if that is wrong, ${howToSet}.`);
    else
        log.info(`Task of ${shown}: ${chosen.reason}.`);
    // A card that says classification while the file holds fractional predictions (and no
    // scores) is not this model's card, or the file is not a classifier's: say so, never score
    // 3.5 as a class.
    if (request.task === 'auto' && request.card?.task === 'classification' && scoreColumns.length === 0) {
        const row = rows.find((r) => Number.isFinite(yPred.numbers[r]) && !Number.isInteger(yPred.numbers[r]));
        if (row !== undefined)
            throw new core_errors/* UserError */.y(`${shown}, ${rowLabel(row, await linesOfRows(file, [row]))}, column y_pred holds ${yPred.numbers[row]}, ` +
                `but the model card ${request.card.source} says the task is classification`, `If these are predicted values, ${howToSet}; if the card is not this model's, point model-dir at the right one.`);
    }
    const scored = chosen.task === 'regression'
        ? await regressionOf(request, yTrue, yPred, scoreColumns, rows, chosen.reason, howToSet)
        : await classificationOf(request, yTrue, yPred, scoreColumns, rows);
    return { ...scored, table, truth: yTrue, taskReason: chosen.reason };
}
async function regressionOf(request, yTrue, yPred, scoreColumns, rows, reason, howToSet) {
    const { file, shown } = request;
    if (scoreColumns.length > 0)
        throw new core_errors/* UserError */.y(`${shown} has score columns (${list(scoreColumns.map((c) => c.name))}), but the task is ${reason}`, `Score columns are class probabilities: for regression leave them out; for classification, ${howToSet}.`);
    for (const column of [yTrue, yPred]) {
        const bad = rows.filter((r) => isText(column, r));
        if (bad.length > 0) {
            const lines = await linesOfRows(file, [bad[0]]);
            throw new core_errors/* UserError */.y(`${shown}, ${rowLabel(bad[0], lines)}, column ${column.name}: "${column.texts[bad[0]]}" is not a number, ` +
                `but the task is ${reason}${bad.length > 1 ? ` (${bad.length - 1} more such rows)` : ''}`, `Regression needs numbers in y_true and y_pred; for class labels, ${howToSet}.`);
        }
    }
    const truth = rows.map((r) => yTrue.numbers[r]);
    const predicted = rows.map((r) => yPred.numbers[r]);
    return { metrics: regressionMetrics(truth, predicted), scored: { task: 'regression', rows, yTrue: truth, yPred: predicted } };
}
async function classificationOf(request, yTrue, yPred, scoreColumns, rows) {
    const { file, shown, card, log } = request;
    const truthLabels = new Set(rows.map((r) => labelOf(yTrue, r)));
    const predictedLabels = new Set(rows.map((r) => labelOf(yPred, r)));
    const labels = new Set([...truthLabels, ...predictedLabels]);
    // The card's classes order the report's when every predicted label is one of them (a label
    // only y_true holds is a class the model never saw); else the card is not this model's, or
    // names its classes otherwise, and the file's own labels are used.
    let cardClasses = card?.classes ?? [];
    const foreign = [...predictedLabels].filter((l) => !cardClasses.includes(l)).sort(compareLabels);
    if (cardClasses.length > 0 && foreign.length > 0) {
        log.warning(`${shown}: y_pred holds labels that are not classes of the model card ${card.source} (${list(cardClasses)}): ${list(foreign)}; ` +
            "the file's own labels are used. Write the labels as the model names its classes.");
        cardClasses = [];
    }
    const scoreClasses = scoreColumns.map((c) => c.name.slice(SCORE_PREFIX.length));
    if (scoreColumns.length > 0) {
        const known = new Set([...labels, ...cardClasses]);
        const strangers = scoreClasses.filter((c) => !known.has(c));
        if (strangers.length > 0)
            throw new core_errors/* UserError */.y(`${shown}: score columns name classes that are not labels in y_true or y_pred${cardClasses.length > 0 ? ' nor classes of the model card' : ''}: ` +
                `${list(strangers.map((c) => SCORE_PREFIX + c))} (the labels are: ${list([...labels].sort(compareLabels))})`, 'Name each score column score:<label>, with the label written exactly as in y_true and y_pred (case, spaces and numbers as 1, not 1.0).');
        const withScores = new Set(scoreClasses);
        const unscored = [...predictedLabels].filter((c) => !withScores.has(c)).sort(compareLabels);
        if (unscored.length > 0)
            throw new core_errors/* UserError */.y(`${shown}: y_pred predicts classes that have no score column: ${list(unscored)} (score columns: ${list(scoreColumns.map((c) => c.name))})`, 'Write one score:<class> column per class the model knows (scikit-learn: one per model.classes_, from predict_proba), or no score columns at all.');
        await checkProbabilities(file, shown, scoreColumns, rows);
    }
    const extra = [...new Set([...labels, ...scoreClasses])].filter((c) => !cardClasses.includes(c)).sort(compareLabels);
    const classes = [...cardClasses, ...extra];
    const index = new Map(classes.map((c, i) => [c, i]));
    const truth = rows.map((r) => index.get(labelOf(yTrue, r)));
    const predicted = rows.map((r) => index.get(labelOf(yPred, r)));
    let scores = [];
    if (scoreColumns.length > 0) {
        const byClass = classes.map((c) => scoreColumns.find((s) => s.name === SCORE_PREFIX + c) ?? null);
        const unseen = classes.filter((_, i) => byClass[i] === null && truthLabels.has(classes[i]));
        if (unseen.length > 0) {
            const count = truth.filter((t) => byClass[t] === null).length;
            log.warning(`${shown}: ${count} rows have a class in y_true with no score column (${list(unseen)}): the model gives it no probability, so they count as wrong predictions.`);
        }
        scores = rows.map((r) => byClass.map((c) => (c === null ? 0 : c.numbers[r])));
    }
    const scored = { task: 'classification', classes, rows, yTrue: truth, yPred: predicted, scores };
    return {
        metrics: classificationMetrics({ classes, yTrue: truth, yPred: predicted, scores: scores.length > 0 ? scores : undefined }),
        scored,
    };
}
const PROBABILITY_HINT = "Write the model's class probabilities (scikit-learn: predict_proba), one score:<class> column per class, each row summing to 1. " +
    'Scores that are not probabilities (decision_function, logits) need a softmax first; or leave the score columns out.';
/** Every probability in [0, 1] and every row summing to 1 (see the module comment); a UserError at the first row that is not. */
async function checkProbabilities(file, shown, columns, rows) {
    let badValue = null;
    let badValues = 0;
    let badSum = null;
    let badSums = 0;
    for (const r of rows) {
        let sum = 0;
        let valid = true;
        for (const c of columns) {
            const v = c.numbers[r];
            if (!(v >= -PROBABILITY_SLACK && v <= 1 + PROBABILITY_SLACK)) {
                valid = false;
                badValues++;
                badValue ??= { row: r, column: c };
            }
            else
                sum += v;
        }
        if (valid && Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) {
            badSums++;
            badSum ??= { row: r, sum };
        }
    }
    if (badValue) {
        const { row, column } = badValue;
        const lines = await linesOfRows(file, [row]);
        const text = column.texts?.[row] ?? (Number.isNaN(column.numbers[row]) ? null : String(column.numbers[row]));
        const found = text === null ? 'is empty' : `holds ${Number.isNaN(column.numbers[row]) ? `"${text}"` : text}`;
        throw new core_errors/* UserError */.y(`${shown}, ${rowLabel(row, lines)}, column ${column.name} ${found}: expected a probability from 0 to 1` +
            `${badValues > 1 ? ` (${badValues - 1} more such values)` : ''}`, PROBABILITY_HINT);
    }
    if (badSum) {
        const { row, sum } = badSum;
        const lines = await linesOfRows(file, [row]);
        const parts = columns.map((c) => `${c.name} ${c.numbers[row]}`).join(', ');
        throw new core_errors/* UserError */.y(`${shown}, ${rowLabel(row, lines)}: the score columns sum to ${Number(sum.toPrecision(6))} (${parts}); ` +
            `expected the probabilities of a row to sum to 1 (within ${PROBABILITY_SUM_TOLERANCE})${badSums > 1 ? ` (${badSums - 1} more such rows)` : ''}`, PROBABILITY_HINT);
    }
}

;// CONCATENATED MODULE: ./src/core/evaluate/fidelity.ts



const DEFAULT_FIDELITY_TOLERANCE = { maxDifference: 1e-4, minLabelAgreement: 1 };
const listed = (items, max = 10) => `${items.slice(0, max).join(', ')}${items.length > max ? `, … (${items.length} in all)` : ''}`;
const HINT_FILE = 'reference-predictions.csv holds, per row, the feature columns the model takes (or none: then its rows are the test data rows, in order), ' +
    "then y_pred (the original framework's prediction) and, for classifiers, one score:<class> column per class (predict_proba).";
/**
 * Reads the reference predictions out of the file's table (see the module comment for the
 * rows); `testRows` is the row count of the test data (null without test data), `locate` words
 * a 0-based data row for a message ("row 3 (line 4)").
 */
async function referenceOf(table, signature, shown, testRows, locate) {
    const names = new Set(table.columns.map((c) => c.name));
    const features = signature.features.map((f) => f.name);
    const missing = features.filter((f) => !names.has(f));
    let alignedWith = 'reference file';
    if (missing.length > 0 && missing.length < features.length)
        throw new core_errors/* UserError */.y(`${shown} lacks feature columns the model takes: ${listed(missing)} (it has ${listed([...names])})`, `${HINT_FILE} Write every feature column, or none.`);
    if (missing.length === features.length && features.length > 0) {
        alignedWith = 'test data';
        if (testRows === null)
            throw new core_errors/* UserError */.y(`${shown} has no feature columns, so its rows must be the test data's rows, but there is no test data`, 'Set the `data` input or data.test in mlops.yaml to the test data the reference predictions were made on, or write the feature columns into the file.');
        if (testRows !== table.rows)
            throw new core_errors/* UserError */.y(`${shown} has no feature columns, so its rows are the test data's rows in order, but it has ${table.rows} rows and the test data ${testRows}`, 'Write the predictions for every test row, in the order of the test data, or write the feature columns into the file (then any rows will do).');
    }
    const yPred = table.columns.find((c) => c.name === 'y_pred');
    if (!yPred)
        throw new core_errors/* UserError */.y(`${shown} has no column y_pred (its columns: ${listed([...names])})`, HINT_FILE);
    const target = signature.target;
    const scoreColumns = table.columns.filter((c) => c.name.startsWith(SCORE_PREFIX));
    const firstBad = async (column, bad, what) => {
        for (let r = 0; r < table.rows; r++) {
            if (!bad(r))
                continue;
            const value = labelOf(column, r);
            throw new core_errors/* UserError */.y(`${shown}, ${await locate(r)}, column ${column.name} ${value === null ? 'is empty' : `holds "${value}"`}: expected ${what}`, HINT_FILE);
        }
    };
    if (target.task === 'regression') {
        if (scoreColumns.length > 0)
            throw new core_errors/* UserError */.y(`${shown} has score columns (${listed(scoreColumns.map((c) => c.name))}), but the model is a regressor`, 'Score columns are class probabilities: leave them out for a regressor.');
        await firstBad(yPred, (r) => !Number.isFinite(yPred.numbers[r]), "a number (the original model's prediction)");
        return { task: 'regression', rows: table.rows, alignedWith, values: Array.from(yPred.numbers) };
    }
    const classes = target.classes;
    const index = new Map(classes.map((c, i) => [c, i]));
    await firstBad(yPred, (r) => labelOf(yPred, r) === null, `a class (one of ${listed(classes)})`);
    const unknown = [...new Set(Array.from({ length: table.rows }, (_, r) => labelOf(yPred, r)).filter((l) => !index.has(l)))];
    if (unknown.length > 0)
        throw new core_errors/* UserError */.y(`${shown}: y_pred holds classes the model does not know: ${listed(unknown)} (its classes: ${listed(classes)})`, 'Write the labels as the model names its classes (model-card.json signature.target.classes), for example 1 rather than 1.0.');
    const strangers = scoreColumns.map((c) => c.name.slice(SCORE_PREFIX.length)).filter((c) => !index.has(c));
    if (strangers.length > 0)
        throw new core_errors/* UserError */.y(`${shown}: score columns for classes the model does not know: ${listed(strangers.map((c) => SCORE_PREFIX + c))} (its classes: ${listed(classes)})`, 'Name each score column score:<class>, with the class as the model names it.');
    const labels = Array.from({ length: table.rows }, (_, r) => index.get(labelOf(yPred, r)));
    if (!signature.probabilities)
        return { task: 'classification', rows: table.rows, alignedWith, classes, labels, scores: null };
    const byClass = classes.map((c) => scoreColumns.find((s) => s.name === SCORE_PREFIX + c));
    const unscored = classes.filter((_, i) => byClass[i] === undefined);
    if (unscored.length > 0)
        throw new core_errors/* UserError */.y(`${shown}: no score column for the classes ${listed(unscored)} (the model gives probabilities for ${listed(classes)})`, `${HINT_FILE} Write score:<class> for every class.`);
    for (const column of byClass)
        await firstBad(column, (r) => !Number.isFinite(column.numbers[r]), 'a probability from 0 to 1');
    const scores = Array.from({ length: table.rows }, (_, r) => byClass.map((c) => c.numbers[r]));
    return { task: 'classification', rows: table.rows, alignedWith, classes, labels, scores };
}
/** A number for a sentence and a table: 3 significant digits, as JavaScript writes it (0.0001, 9.99e-7). */
function fmt(value) {
    return String(Number(value.toPrecision(3)));
}
/** A predicted value in a sentence: 7 significant digits, enough to see two close values apart. */
const value = (v) => String(Number(v.toPrecision(7)));
const fidelity_percent = (share) => `${Number((share * 100).toPrecision(4))}%`;
/** Row numbers for a sentence (1-based data rows), the first few. */
const rowList = (rows) => `row${rows.length > 1 ? 's' : ''} ${listed(rows.map((r) => String(r + 1)), 5)}`;
/**
 * Compares the graph's predictions (`model`, as TabularModel.predict gives them for the same
 * rows in the same order) with the reference, against the tolerance; every failed condition
 * is a reason. Pure.
 */
function compareFidelity(reference, model, tolerance, file) {
    const reasons = [];
    const base = { file, task: reference.task, rows: reference.rows, alignedWith: reference.alignedWith, tolerance };
    const graph = `the ONNX graph's`;
    const raise = 'check the export (converter options, opset, input types: float32 against float64), or loosen evaluate.fidelity in mlops.yaml';
    let maxDifference = null;
    let at = null;
    const nanRows = [];
    if (reference.task === 'regression') {
        for (let r = 0; r < reference.rows; r++) {
            const m = model[r];
            const ref = reference.values[r];
            if (!Number.isFinite(m)) {
                nanRows.push(r);
                continue;
            }
            const difference = Math.abs(m - ref) / Math.max(1, Math.abs(ref));
            if (maxDifference === null || difference > maxDifference) {
                maxDifference = difference;
                at = { row: r + 1, column: 'y_pred', reference: ref, model: m };
            }
        }
        if (nanRows.length > 0) {
            maxDifference = null;
            reasons.push(`${graph} prediction is not a number on ${nanRows.length} rows (${rowList(nanRows)}); ${raise}`);
        }
        else if (maxDifference !== null && maxDifference > tolerance.maxDifference) {
            reasons.push(`${graph} predictions differ from ${file} by up to ${fmt(maxDifference)} (row ${at.row}: ${value(at.model)} against ${value(at.reference)}; ` +
                `relative to the value above 1), above the maximum ${fmt(tolerance.maxDifference)}; ${raise}`);
        }
        return {
            ...base,
            labelAgreement: null,
            differingLabels: null,
            maxDifference,
            nonFiniteRows: nanRows.length,
            maxDifferenceAt: nanRows.length > 0 ? null : at,
            passed: reasons.length === 0,
            reasons,
        };
    }
    const k = reference.classes.length;
    const differing = [];
    let nearTies = 0;
    for (let r = 0; r < reference.rows; r++) {
        const row = model.subarray(r * k, (r + 1) * k);
        if (row.some((v) => !Number.isFinite(v))) {
            nanRows.push(r);
            differing.push(r);
            continue;
        }
        const label = argmax(row);
        const expected = reference.labels[r];
        if (label !== expected) {
            differing.push(r);
            if (row[label] - row[expected] <= tolerance.maxDifference)
                nearTies++;
        }
        if (reference.scores) {
            for (let c = 0; c < k; c++) {
                const difference = Math.abs(row[c] - reference.scores[r][c]);
                if (maxDifference === null || difference > maxDifference) {
                    maxDifference = difference;
                    at = { row: r + 1, column: `${SCORE_PREFIX}${reference.classes[c]}`, reference: reference.scores[r][c], model: row[c] };
                }
            }
        }
    }
    const labelAgreement = reference.rows === 0 ? 1 : (reference.rows - differing.length) / reference.rows;
    if (nanRows.length > 0) {
        maxDifference = null;
        at = null;
        reasons.push(`${graph} probabilities are not numbers on ${nanRows.length} rows (${rowList(nanRows)}); ${raise}`);
    }
    if (labelAgreement < tolerance.minLabelAgreement) {
        const ties = nearTies > 0 ? `; ${nearTies} of them near ties, the graph's top two probabilities within ${fmt(tolerance.maxDifference)}` : '';
        reasons.push(`${graph} labels agree with ${file} on ${fidelity_percent(labelAgreement)} of ${reference.rows} rows ` +
            `(${differing.length} differ: ${rowList(differing)}${ties}), below the minimum ${fidelity_percent(tolerance.minLabelAgreement)}; ${raise}`);
    }
    if (nanRows.length === 0 && maxDifference !== null && maxDifference > tolerance.maxDifference) {
        reasons.push(`${graph} probabilities differ from ${file} by up to ${fmt(maxDifference)} (row ${at.row}, ${at.column}: ${value(at.model)} against ${value(at.reference)}), ` +
            `above the maximum ${fmt(tolerance.maxDifference)}; ${raise}`);
    }
    return {
        ...base,
        labelAgreement,
        differingLabels: differing.length,
        maxDifference,
        nonFiniteRows: nanRows.length,
        maxDifferenceAt: at,
        passed: reasons.length === 0,
        reasons,
    };
}
/**
 * The figures of a fidelity check as reports show them (Markdown and HTML alike), as plain
 * text made only of numbers and fixed words; the one text from a user's file, the column of
 * the largest difference, is apart (`at`) for each report to quote its own way.
 */
function fidelityFigures(result) {
    const { tolerance } = result;
    const agreement = result.labelAgreement === null
        ? '—'
        : `${fidelity_percent(result.labelAgreement)} (${result.differingLabels} ${result.differingLabels === 1 ? 'row differs' : 'rows differ'})`;
    const difference = result.nonFiniteRows > 0
        ? `not a number on ${result.nonFiniteRows} rows`
        : result.maxDifference === null
            ? '—'
            : fmt(result.maxDifference);
    const bounds = [
        ...(result.task === 'classification' ? [`labels ≥ ${fidelity_percent(tolerance.minLabelAgreement)}`] : []),
        `difference ≤ ${fmt(tolerance.maxDifference)}`,
    ];
    const measured = result.task === 'regression'
        ? 'predicted values (relative above 1)'
        : result.maxDifference === null
            ? 'labels'
            : 'labels and probabilities';
    return {
        headers: ['Rows compared', 'Label agreement', 'Max difference', 'Tolerance', 'Result'],
        cells: [`${result.rows} (${result.alignedWith} rows)`, agreement, difference, bounds.join(', '), result.passed ? 'pass' : 'fail'],
        at: result.nonFiniteRows === 0 && result.maxDifferenceAt
            ? { row: result.maxDifferenceAt.row, column: result.maxDifferenceAt.column }
            : null,
        measured,
    };
}

;// CONCATENATED MODULE: ./src/core/evaluate/gates.ts
/**
 * Gates on a candidate model's metrics, with the semantics of TensorFlow Model Analysis'
 * thresholds: a value bound (`lower` <= candidate <= `upper`, TFMA's GenericValueThreshold) and a
 * change bound against the baseline model (TFMA's GenericChangeThreshold), where
 * diff = candidate − baseline and relative = diff / |baseline|:
 * - direction `higher` (higher is better): pass iff diff >= absolute and relative >= relative;
 * - direction `lower` (lower is better): pass iff diff <= absolute and relative <= relative.
 * So `{ metric: accuracy, change: { absolute: -0.01 } }` lets accuracy fall by at most 0.01, and
 * `{ metric: log_loss, change: { relative: 0.05 } }` lets log loss rise by at most 5%. Relative
 * bounds are fractions (0.05 = 5%).
 *
 * The candidate is blessed when every gate passes. Every failing reason is reported, as a sentence
 * a user can act on. A metric missing (or null, or NaN) fails its gate. Without a baseline (the
 * first model) change bounds are skipped, with a note on the check. A baseline of 0 makes the
 * relative change undefined: a relative bound then fails, an absolute bound alone still works.
 *
 * Change bounds allow for floating-point rounding of the difference (a relative tolerance of
 * 1e-12), so 0.84 against 0.85 passes `absolute: -0.01` although 0.84 − 0.85 is −0.010000000000000009
 * in floating point. Value bounds compare exactly.
 */

/** A bound that can be compared with: a number, not NaN (a bad bound is reported separately). */
const usable = (bound) => typeof bound === 'number' && !Number.isNaN(bound);
const LOWER_IS_BETTER = new Set(['log_loss', 'mae', 'mse', 'rmse', 'mape']);
const TOLERANCE = 1e-12;
/** Lower is better for log_loss, mae, mse, rmse, mape and names ending in `_loss` or `_error`; higher for the rest. */
function defaultDirection(metric) {
    return LOWER_IS_BETTER.has(metric) || metric.endsWith('_loss') || metric.endsWith('_error') ? 'lower' : 'higher';
}
/** A number for a sentence: up to 6 significant digits, no floating-point noise. */
function gates_fmt(value) {
    if (Number.isNaN(value))
        return 'NaN';
    if (!Number.isFinite(value))
        return value > 0 ? 'Infinity' : '-Infinity';
    const rounded = Number(value.toPrecision(6));
    return String(rounded === 0 ? 0 : rounded);
}
/** A fraction as a signed percentage with 3 significant digits: -0.036 → "-3.6%". */
function gates_percent(fraction) {
    const value = Number((fraction * 100).toPrecision(3));
    if (value === 0)
        return '0%';
    return `${value > 0 ? '+' : ''}${value}%`;
}
/** A relative bound as written in a sentence: -0.01 → "-1%". */
function percentBound(fraction) {
    return `${Number((fraction * 100).toPrecision(6))}%`;
}
function lookup(metrics, metric) {
    const value = Object.hasOwn(metrics, metric) ? metrics[metric] : undefined;
    if (value === undefined || value === null)
        return { kind: 'missing' };
    if (typeof value !== 'number')
        return { kind: 'invalid', value };
    if (Number.isNaN(value))
        return { kind: 'nan' };
    return { kind: 'ok', value };
}
function available(metrics) {
    const names = Object.keys(metrics).filter((name) => typeof metrics[name] === 'number');
    if (names.length === 0)
        return 'it has no metrics';
    return `it has ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`;
}
/** The sentence describing a change: "f1_macro fell by 0.031 (-3.6%) against the baseline 0.861". */
function describeChange(metric, diff, relative, baseline) {
    const rel = relative === null ? '' : ` (${gates_percent(relative)})`;
    if (diff === 0)
        return `${metric} did not change against the baseline ${gates_fmt(baseline)}`;
    return `${metric} ${diff < 0 ? 'fell' : 'rose'} by ${gates_fmt(Math.abs(diff))}${rel} against the baseline ${gates_fmt(baseline)}`;
}
/** "allows" for a bound that tolerates getting worse, "requires" for one that demands an improvement. */
function verb(higher, bound) {
    return (higher ? bound <= 0 : bound >= 0) ? 'allows' : 'requires';
}
/**
 * Checks the candidate's metrics against every gate, and against the baseline's metrics for change
 * bounds (`baseline` null: no baseline model yet, change bounds skipped). Never throws on missing
 * or bad values: they fail their gate with a reason.
 */
function evaluateGates(candidate, baseline, gates) {
    const checks = gates.map((gate) => checkGate(gate, candidate, baseline));
    return { blessed: checks.every((c) => c.passed), reasons: checks.flatMap((c) => c.reasons), checks };
}
function checkGate(gate, candidate, baseline) {
    const { metric } = gate;
    const direction = gate.direction ?? defaultDirection(metric);
    const reasons = [];
    const notes = [];
    const check = {
        metric,
        direction,
        candidate: null,
        baseline: null,
        diff: null,
        relative: null,
        passed: false,
        reasons,
        notes,
    };
    for (const [name, bound] of [
        ['lower', gate.lower],
        ['upper', gate.upper],
        ['change.absolute', gate.change?.absolute],
        ['change.relative', gate.change?.relative],
    ]) {
        if (bound !== undefined && (typeof bound !== 'number' || Number.isNaN(bound))) {
            reasons.push(`the gate on ${metric} has ${name} ${typeof bound === 'number' ? 'NaN' : String(bound)}, not a number; fix the gate`);
        }
    }
    const c = lookup(candidate, metric);
    if (c.kind === 'missing')
        reasons.push(`${metric} is missing from the candidate model's metrics (${available(candidate)})`);
    else if (c.kind === 'nan')
        reasons.push(`${metric} is NaN for the candidate model`);
    else if (c.kind === 'invalid')
        reasons.push(`${metric} is not a number for the candidate model (got ${JSON.stringify(c.value)})`);
    if (c.kind === 'nan')
        check.candidate = NaN;
    if (c.kind === 'ok') {
        const value = c.value;
        check.candidate = value;
        if (usable(gate.lower) && !(value >= gate.lower))
            reasons.push(`${metric} ${gates_fmt(value)} is below the minimum ${gates_fmt(gate.lower)}`);
        if (usable(gate.upper) && !(value <= gate.upper))
            reasons.push(`${metric} ${gates_fmt(value)} is above the maximum ${gates_fmt(gate.upper)}`);
    }
    const absolute = gate.change?.absolute;
    const relativeBound = gate.change?.relative;
    if (absolute !== undefined || relativeBound !== undefined) {
        if (baseline === null) {
            notes.push(`change bounds on ${metric} skipped: no baseline (this is the first model)`);
        }
        else {
            const b = lookup(baseline, metric);
            if (b.kind === 'missing') {
                reasons.push(`${metric} is missing from the baseline model's metrics, so its change cannot be checked (${available(baseline)})`);
            }
            else if (b.kind === 'nan') {
                check.baseline = NaN;
                reasons.push(`${metric} is NaN for the baseline model, so its change cannot be checked`);
            }
            else if (b.kind === 'invalid') {
                reasons.push(`${metric} is not a number for the baseline model (got ${JSON.stringify(b.value)}), so its change cannot be checked`);
            }
            else {
                check.baseline = b.value;
                if (c.kind === 'ok')
                    checkChange(check, metric, direction, c.value, b.value, gate.change);
            }
        }
    }
    check.passed = reasons.length === 0;
    return check;
}
function checkChange(check, metric, direction, value, base, change) {
    const { reasons } = check;
    const diff = value - base;
    if (Number.isNaN(diff)) {
        reasons.push(`the change of ${metric} cannot be computed (candidate ${gates_fmt(value)}, baseline ${gates_fmt(base)})`);
        return;
    }
    const relative = base === 0 ? null : diff / Math.abs(base);
    check.diff = diff;
    check.relative = relative;
    const higher = direction === 'higher';
    const scale = Math.max(1, Math.abs(value), Math.abs(base));
    const tolerance = Number.isFinite(scale) ? TOLERANCE * scale : 0;
    const what = describeChange(metric, diff, relative, base);
    if (usable(change.absolute)) {
        const bound = change.absolute;
        const ok = higher ? diff >= bound - tolerance : diff <= bound + tolerance;
        if (!ok)
            reasons.push(`${what}; the gate ${verb(higher, bound)} a change of at ${higher ? 'least' : 'most'} ${gates_fmt(bound)}`);
    }
    if (usable(change.relative)) {
        const bound = change.relative;
        if (relative === null) {
            reasons.push(`${metric}: relative change undefined: baseline is 0, so the gate's relative bound (at ${higher ? 'least' : 'most'} ` +
                `${percentBound(bound)}) cannot be checked; use an absolute bound for this metric`);
        }
        else {
            const relTolerance = tolerance / Math.abs(base);
            const ok = higher ? relative >= bound - relTolerance : relative <= bound + relTolerance;
            if (!ok) {
                reasons.push(`${what}; the gate ${verb(higher, bound)} a relative change of at ${higher ? 'least' : 'most'} ${percentBound(bound)}`);
            }
        }
    }
}
// ---------------------------------------------------------------------------------------------
// Parsing
const GATE_KEYS = ['metric', 'direction', 'lower', 'upper', 'change'];
const CHANGE_KEYS = ['absolute', 'relative'];
const EXAMPLE = '{ metric: accuracy, lower: 0.8, change: { absolute: -0.01 } }';
function isPlainObject(value) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}
function describeGot(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'a list';
    if (typeof value === 'string')
        return JSON.stringify(value);
    if (typeof value === 'number')
        return Number.isNaN(value) ? 'NaN' : String(value);
    if (typeof value === 'object')
        return 'a mapping';
    return String(value);
}
function number(value, at, problems) {
    if (value === undefined)
        return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
        problems.push(`${at} must be a finite number, got ${describeGot(value)}`);
        return undefined;
    }
    return value;
}
function unknownKeys(object, allowed, at, problems) {
    for (const key of Object.keys(object)) {
        if (!allowed.includes(key))
            problems.push(`${at}.${key} is not a setting here; allowed: ${allowed.join(', ')}`);
    }
}
/**
 * Gates as written in a config file (a list of mappings). `where` names the list in messages
 * (`evaluate.gates`), so each problem names its key: `evaluate.gates[1].lower must be a finite
 * number, got "high"`. Every problem is reported at once in one UserError. null or undefined (no
 * gates written) gives an empty list. Each gate needs a metric and at least one bound.
 */
function parseGates(value, where) {
    if (value === undefined || value === null)
        return [];
    if (!Array.isArray(value)) {
        throw new core_errors/* UserError */.y(`${where} must be a list of gates, got ${describeGot(value)}`, `Write each gate as a list item, e.g. - ${EXAMPLE}`);
    }
    const problems = [];
    const gates = [];
    value.forEach((item, i) => {
        const at = `${where}[${i}]`;
        if (!isPlainObject(item)) {
            problems.push(`${at} must be a mapping such as ${EXAMPLE}, got ${describeGot(item)}`);
            return;
        }
        unknownKeys(item, GATE_KEYS, at, problems);
        const gate = { metric: '' };
        if (typeof item.metric === 'string' && item.metric.trim() !== '')
            gate.metric = item.metric;
        else if (item.metric === undefined)
            problems.push(`${at}.metric is required: the name of a metric such as accuracy or f1_macro`);
        else
            problems.push(`${at}.metric must be a metric name such as accuracy or f1_macro, got ${describeGot(item.metric)}`);
        if (item.direction !== undefined) {
            if (item.direction === 'higher' || item.direction === 'lower')
                gate.direction = item.direction;
            else
                problems.push(`${at}.direction must be higher or lower, got ${describeGot(item.direction)}`);
        }
        const lower = number(item.lower, `${at}.lower`, problems);
        const upper = number(item.upper, `${at}.upper`, problems);
        if (lower !== undefined)
            gate.lower = lower;
        if (upper !== undefined)
            gate.upper = upper;
        if (lower !== undefined && upper !== undefined && lower > upper) {
            problems.push(`${at}.lower (${lower}) is greater than ${at}.upper (${upper}): no value can pass`);
        }
        if (item.change !== undefined) {
            if (!isPlainObject(item.change)) {
                problems.push(`${at}.change must be a mapping with absolute and/or relative, e.g. { absolute: -0.01 }, got ${describeGot(item.change)}`);
            }
            else {
                unknownKeys(item.change, CHANGE_KEYS, `${at}.change`, problems);
                const absolute = number(item.change.absolute, `${at}.change.absolute`, problems);
                const relative = number(item.change.relative, `${at}.change.relative`, problems);
                if (item.change.absolute === undefined && item.change.relative === undefined) {
                    problems.push(`${at}.change needs absolute or relative (or both), e.g. { absolute: -0.01 } or { relative: -0.02 }`);
                }
                if (absolute !== undefined || relative !== undefined) {
                    gate.change = {};
                    if (absolute !== undefined)
                        gate.change.absolute = absolute;
                    if (relative !== undefined)
                        gate.change.relative = relative;
                }
            }
        }
        if (item.lower === undefined && item.upper === undefined && item.change === undefined) {
            problems.push(`${at} has no bound: give lower, upper or change`);
        }
        gates.push(gate);
    });
    if (problems.length > 0) {
        throw new core_errors/* UserError */.y(problems.length === 1 ? `invalid gate: ${problems[0]}` : `invalid gates:\n${problems.map((p) => `  - ${p}`).join('\n')}`, `A gate is a mapping such as ${EXAMPLE}; relative bounds are fractions (-0.02 = -2%).`);
    }
    return gates;
}

;// CONCATENATED MODULE: ./src/core/evaluate/html-report.ts





/** Points kept per curve in the ROC and precision-recall charts. */
const MAX_CURVE_POINTS = 200;
/** Classes drawn in the ROC and precision-recall charts (a colour each); the rest are left out, with a note. */
const MAX_CURVE_CLASSES = 20;
/** Above this many classes the confusion matrix is not drawn (the per-class table remains). */
const MAX_MATRIX_CLASSES = 50;
/** Up to this many classes the confusion matrix shows its counts in the cells. */
const MAX_LABELLED_CLASSES = 15;
/** Points kept in the predicted-vs-actual scatter plot. */
const MAX_SCATTER_POINTS = 2000;
const GREY = '#8c959f';
const html_report_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
const html_report_STYLE = `
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;max-width:76rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .5rem}
h2{font-size:1.2rem;margin:2rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 .2rem;border-radius:3px}
.verdict{display:inline-block;padding:.15rem .7rem;border-radius:1rem;font-weight:600}
.blessed{background:#dafbe1;color:#116329}
.not-blessed{background:#ffebe9;color:#a40e26}
.pass,.better{color:#116329}
.fail,.worse{color:#a40e26}
.pass,.fail{font-weight:600}
.muted{color:#59636e}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}
figure{margin:0}
figcaption{font-weight:600;margin-bottom:.25rem}
svg{max-width:100%;height:auto}
`;
// ---------------------------------------------------------------------------------------------
// Text
const html_report_esc = escapeHtml;
/** A number for a cell; missing values as a dash. */
function html_report_num(value) {
    return typeof value === 'number' ? html_report_esc(formatNumber(value)) : '—';
}
function cell(content, numeric = false) {
    return numeric ? `<td class="num">${content}</td>` : `<td>${content}</td>`;
}
/** A table; headers are plain text (escaped here), cells already HTML. */
function html_report_table(headers, rows) {
    const head = headers.map((h) => `<th>${html_report_esc(h)}</th>`).join('');
    const body = rows.map((cells) => `<tr>${cells.join('')}</tr>`).join('\n');
    return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}
function section(title, body) {
    return `<section>\n<h2>${html_report_esc(title)}</h2>\n${body}\n</section>`;
}
function safeUrl(url) {
    return /^https?:\/\/[^\s]+$/i.test(url);
}
// ---------------------------------------------------------------------------------------------
// Tables
function html_report_verdict(data) {
    const { blessed, reasons, checks } = data.blessing;
    const failed = checks.filter((c) => !c.passed).length;
    const gates = (n) => `${n} ${n === 1 ? 'gate' : 'gates'}`;
    const fidelity = data.fidelity ?? null;
    const passedText = checks.length === 0
        ? fidelity
            ? 'No gates are set; passed the conversion fidelity check.'
            : 'No gates are set.'
        : `Passed ${gates(checks.length)}${fidelity ? ' and the conversion fidelity check' : ''}.`;
    const failedText = fidelity && !fidelity.passed
        ? failed > 0
            ? `Failed ${failed} of ${gates(checks.length)} and the conversion fidelity check:`
            : 'Failed the conversion fidelity check:'
        : `Failed ${failed} of ${gates(checks.length)}:`;
    const summary = blessed
        ? `<p><span class="verdict blessed">Blessed</span> ${passedText}</p>`
        : `<p><span class="verdict not-blessed">Not blessed</span> ${failedText}</p>`;
    const why = reasons.length > 0 ? `\n<ul class="reasons">\n${reasons.map((r) => `<li>${html_report_esc(r)}</li>`).join('\n')}\n</ul>` : '';
    const notes = checks.flatMap((c) => c.notes);
    const noted = notes.length > 0 ? `\n<ul class="muted">\n${notes.map((n) => `<li>${html_report_esc(n)}</li>`).join('\n')}\n</ul>` : '';
    return summary + why + noted;
}
/** The metric names in the order shown: the task's own, then any others gates name or the candidate has. */
function metricNames(data, candidate) {
    const known = data.task === 'classification' ? CLASSIFICATION_METRIC_NAMES : REGRESSION_METRIC_NAMES;
    const names = new Set(known.filter((m) => m in candidate || (data.baseline !== null && m in data.baseline.metrics)));
    for (const check of data.blessing.checks)
        names.add(check.metric);
    for (const [key, value] of Object.entries(candidate))
        if (typeof value === 'number')
            names.add(key);
    return [...names];
}
function change(value, base, direction) {
    if (typeof value !== 'number' || typeof base !== 'number' || !Number.isFinite(value - base))
        return '—';
    const diff = value - base;
    const sign = diff > 0 ? '+' : '';
    const relative = base === 0 ? '' : ` (${sign}${formatNumber((100 * diff) / Math.abs(base))}%)`;
    const better = direction === 'higher' ? diff > 0 : diff < 0;
    const mood = diff === 0 ? '' : better ? ' class="better"' : ' class="worse"';
    return `<span${mood}>${html_report_esc(`${sign}${formatNumber(diff)}${relative}`)}</span>`;
}
function gateCell(checks) {
    if (checks.length === 0)
        return '<span class="muted">no gate</span>';
    return checks.map((c) => (c.passed ? '<span class="pass">pass</span>' : '<span class="fail">fail</span>')).join(' ');
}
function metricTable(data) {
    const candidate = data.candidate.metrics;
    const baseline = data.baseline?.metrics ?? {};
    const rows = metricNames(data, candidate).map((metric) => {
        const checks = data.blessing.checks.filter((c) => c.metric === metric);
        const direction = checks[0]?.direction ?? defaultDirection(metric);
        return [
            cell(`<code>${html_report_esc(metric)}</code>`),
            cell(html_report_num(candidate[metric]), true),
            cell(html_report_num(baseline[metric]), true),
            cell(change(candidate[metric], baseline[metric], direction), true),
            cell(gateCell(checks)),
        ];
    });
    const sources = `<p class="muted">Candidate: <code>${html_report_esc(data.candidate.source)}</code>. Baseline: ` +
        (data.baseline === null ? 'none (first model).' : `<code>${html_report_esc(data.baseline.source)}</code>.`) +
        '</p>';
    return `${sources}\n${html_report_table(['Metric', 'Candidate', 'Baseline', 'Change', 'Gate'], rows)}`;
}
function perClassTable(metrics) {
    const rows = metrics.per_class.map((c) => [
        cell(html_report_esc(c.class)),
        cell(html_report_num(c.precision), true),
        cell(html_report_num(c.recall), true),
        cell(html_report_num(c.f1), true),
        cell(html_report_num(c.support), true),
    ]);
    return html_report_table(['Class', 'Precision', 'Recall', 'F1', 'Support'], rows);
}
function sliceTable(slices) {
    const metrics = [...new Set(slices.flatMap((s) => Object.keys(s.metrics)))];
    const rows = slices.map((s) => [
        cell(html_report_esc(s.column)),
        cell(html_report_esc(s.value)),
        cell(html_report_num(s.count), true),
        ...metrics.map((m) => cell(html_report_num(s.metrics[m]), true)),
    ]);
    return html_report_table(['Column', 'Value', 'Rows', ...metrics], rows);
}
/** The conversion fidelity check: what was compared, and one row of figures. */
function fidelityTable(fidelity) {
    const figures = fidelityFigures(fidelity);
    const cells = figures.cells.map((text, i) => i === 4 ? cell(`<span class="${fidelity.passed ? 'pass' : 'fail'}">${html_report_esc(text)}</span>`) : cell(html_report_esc(text), i < 3));
    if (figures.at)
        cells[2] = cell(`${html_report_esc(figures.cells[2])} (row ${figures.at.row}, <code>${html_report_esc(figures.at.column)}</code>)`, true);
    return (`<p class="muted">The ONNX graph against the original framework's ${html_report_esc(figures.measured)} in <code>${html_report_esc(fidelity.file)}</code>.</p>\n` +
        html_report_table(figures.headers, [cells]));
}
function dataAndLinks(data) {
    const files = data.data.files.map((f) => `<li><code>${html_report_esc(f)}</code></li>`).join('\n');
    const links = data.links.map(({ label, url }) => safeUrl(url)
        ? `<li><a href="${html_report_esc(url)}" rel="noopener noreferrer">${html_report_esc(label)}</a></li>`
        : `<li>${html_report_esc(label)}: <code>${html_report_esc(url)}</code></li>`);
    return (`<p>${html_report_esc(formatNumber(data.data.rows))} rows scored from ${data.data.files.length === 1 ? 'one file' : `${data.data.files.length} files`}:</p>\n` +
        `<ul>\n${files}\n</ul>` +
        (links.length > 0 ? `\n<ul>\n${links.join('\n')}\n</ul>` : ''));
}
// ---------------------------------------------------------------------------------------------
// Chart specs (class names are data values under fixed field names)
const CHART_CONFIG = {
    aria: false,
    view: { stroke: '#d0d7de' },
    legend: { orient: 'bottom', labelLimit: 320, titleLimit: 320 },
    axis: { labelLimit: 160 },
};
/** Area under a ROC curve (trapezoids); exact for the full curve. */
function rocArea(points) {
    if (points.length < 2)
        return null;
    let area = 0;
    for (let i = 1; i < points.length; i++)
        area += ((points[i].fpr - points[i - 1].fpr) * (points[i].tpr + points[i - 1].tpr)) / 2;
    return Number.isFinite(area) ? area : null;
}
/** Average precision, as sklearn's average_precision_score: the sum of precision × recall step. */
function averagePrecision(points) {
    if (points.length < 2)
        return null;
    let area = 0;
    for (let i = 0; i < points.length - 1; i++)
        area -= (points[i + 1].recall - points[i].recall) * points[i].precision;
    return Number.isFinite(area) ? area : null;
}
function confusionMatrixSpec(classes, matrix) {
    const rows = matrix.flatMap((counts, t) => {
        const total = counts.reduce((s, c) => s + c, 0);
        return counts.map((count, p) => ({ actual: classes[t], predicted: classes[p], t, p, count, share: total === 0 ? 0 : count / total }));
    });
    const labelled = classes.length <= MAX_LABELLED_CLASSES;
    const step = labelled ? 40 : Math.max(8, Math.floor(600 / classes.length));
    const x = { field: 'predicted', type: 'nominal', sort: { field: 'p' }, title: 'Predicted', axis: { labelAngle: -45 } };
    const y = { field: 'actual', type: 'nominal', sort: { field: 't' }, title: 'Actual' };
    const cells = {
        mark: 'rect',
        encoding: {
            x,
            y,
            color: { field: 'share', type: 'quantitative', title: 'Share of actual class', scale: { scheme: 'blues', domain: [0, 1] } },
        },
    };
    const labels = {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
            x,
            y,
            text: { field: 'count', type: 'quantitative' },
            color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: 'black' },
        },
    };
    return {
        config: CHART_CONFIG,
        width: { step },
        height: { step },
        data: { values: rows },
        layer: labelled ? [cells, labels] : [cells],
    };
}
function curveSpec(kind, curves) {
    const rows = curves.flatMap((curve, order) => {
        const area = kind === 'roc' ? rocArea(curve.roc) : averagePrecision(curve.pr);
        const series = area === null ? curve.class : `${curve.class} (${kind === 'roc' ? 'AUC' : 'AP'} ${area.toFixed(3)})`;
        const points = kind === 'roc'
            ? downsampleCurve(curve.roc, MAX_CURVE_POINTS).map((pt) => ({ x: pt.fpr, y: pt.tpr }))
            : downsampleCurve(curve.pr, MAX_CURVE_POINTS).map((pt) => ({ x: pt.recall, y: pt.precision }));
        return points.filter((pt) => Number.isFinite(pt.x) && Number.isFinite(pt.y)).map((pt, i) => ({ series, order, i, ...pt }));
    });
    const [xTitle, yTitle] = kind === 'roc' ? ['False positive rate', 'True positive rate'] : ['Recall', 'Precision'];
    const diagonal = [
        { x: 0, y: 0 },
        { x: 1, y: 1 },
    ];
    return {
        config: CHART_CONFIG,
        width: 320,
        height: 320,
        encoding: {
            x: { field: 'x', type: 'quantitative', title: xTitle, scale: { domain: [0, 1] } },
            y: { field: 'y', type: 'quantitative', title: yTitle, scale: { domain: [0, 1] } },
        },
        layer: [
            ...(kind === 'roc'
                ? [{ data: { values: diagonal }, mark: { type: 'line', strokeDash: [4, 4], color: GREY, strokeWidth: 1 } }]
                : []),
            {
                data: { values: rows },
                mark: { type: 'line', strokeWidth: 2 },
                encoding: {
                    color: {
                        field: 'series',
                        type: 'nominal',
                        sort: { field: 'order' },
                        title: null,
                        scale: { scheme: curves.length > 10 ? 'tableau20' : 'tableau10' },
                        legend: { direction: 'vertical', columns: 1 },
                    },
                    order: { field: 'i', type: 'quantitative' },
                },
            },
        ],
    };
}
function scatterSpec(points) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of points) {
        lo = Math.min(lo, r.actual, r.predicted);
        hi = Math.max(hi, r.actual, r.predicted);
    }
    if (lo === hi)
        hi = lo + 1;
    const scale = { domain: [lo, hi], zero: false, nice: false };
    return {
        config: CHART_CONFIG,
        width: 360,
        height: 360,
        layer: [
            {
                data: { values: [{ v: lo }, { v: hi }] },
                mark: { type: 'line', strokeDash: [4, 4], color: GREY, strokeWidth: 1 },
                encoding: {
                    x: { field: 'v', type: 'quantitative', title: 'Actual', scale },
                    y: { field: 'v', type: 'quantitative', title: 'Predicted', scale },
                },
            },
            {
                data: { values: points },
                mark: { type: 'circle', size: 14, opacity: 0.5, color: '#0969da' },
                encoding: {
                    x: { field: 'actual', type: 'quantitative', title: 'Actual', scale },
                    y: { field: 'predicted', type: 'quantitative', title: 'Predicted', scale },
                },
            },
        ],
    };
}
// ---------------------------------------------------------------------------------------------
// Rendering
async function figure(caption, spec, note = '') {
    const svg = await renderSvg(spec);
    return `<figure>\n<figcaption>${html_report_esc(caption)}</figcaption>\n${svg}${note ? `\n<p class="muted">${html_report_esc(note)}</p>` : ''}\n</figure>`;
}
async function charts(data) {
    const out = [];
    if (data.task === 'classification') {
        const metrics = data.candidate.metrics;
        const classes = (metrics.per_class ?? []).map((c) => c.class);
        const matrix = metrics.confusion_matrix ?? [];
        if (classes.length > 0 && classes.length <= MAX_MATRIX_CLASSES && matrix.length === classes.length) {
            const note = classes.length <= MAX_LABELLED_CLASSES ? 'Cells show counts, coloured by the share of the actual class.' : '';
            out.push(await figure('Confusion matrix', confusionMatrixSpec(classes, matrix), note || 'Coloured by the share of the actual class.'));
        }
        else if (classes.length > MAX_MATRIX_CLASSES) {
            out.push(`<p class="muted">The confusion matrix is not drawn for more than ${MAX_MATRIX_CLASSES} classes.</p>`);
        }
        const curves = data.curves.slice(0, MAX_CURVE_CLASSES);
        if (curves.length > 0) {
            const note = data.curves.length > curves.length ? `Curves for the first ${curves.length} of ${data.curves.length} classes.` : '';
            out.push(await figure('ROC curves', curveSpec('roc', curves), note));
            out.push(await figure('Precision-recall curves', curveSpec('pr', curves), note));
        }
    }
    else {
        const finite = data.residuals.filter((r) => Number.isFinite(r.actual) && Number.isFinite(r.predicted));
        const points = downsampleCurve(finite, MAX_SCATTER_POINTS);
        const note = points.length < finite.length ? `${points.length} of ${finite.length} points shown. ` : '';
        if (points.length > 0) {
            out.push(await figure('Predicted vs actual', scatterSpec(points), `${note}The dashed line is predicted = actual.`));
        }
    }
    return out;
}
/** Features in the importance chart and table (as the Markdown report). */
const TOP_FEATURES = 10;
/** Horizontal bars of the top features' mean drop (negative drops, noise, drawn as 0). */
function importanceSpec(features, metric) {
    return {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        width: 520,
        height: Math.max(60, features.length * 22),
        data: { values: features.map((f, i) => ({ rank: `${i + 1}. ${f.name}`, drop: Math.max(0, f.mean) })) },
        mark: { type: 'bar', color: '#0969da' },
        encoding: {
            y: { field: 'rank', type: 'nominal', sort: null, title: null, axis: { labelLimit: 240 } },
            x: { field: 'drop', type: 'quantitative', title: `Mean drop in ${metric} when shuffled` },
        },
    };
}
/**
 * What the candidate's model card adds, as in the Markdown report: "Model selection"
 * (algorithm: auto's leaderboard) and "Which features matter" (permutation importance:
 * a bar chart and a table of the top features). Names are the user's: escaped.
 */
async function cardSectionsHtml(card) {
    const out = [];
    const leaderboard = card?.leaderboard ?? [];
    if (leaderboard.length > 0) {
        const names = ['accuracy', 'log_loss', 'f1_macro', 'r2', 'rmse', 'mae'].filter((name) => leaderboard.some((entry) => typeof entry.validation[name] === 'number'));
        const chosen = leaderboard.find((entry) => entry.chosen);
        out.push(section('Model selection', `<p><code>algorithm: auto</code> trained ${leaderboard.length} candidates on the same split and kept ${chosen ? `<code>${html_report_esc(chosen.algorithm)}</code>` : 'none'} (validation metrics).</p>\n${html_report_table(['Algorithm', ...names, 'Training', 'Kept'], leaderboard.map((entry) => [
            cell(`<code>${html_report_esc(entry.algorithm)}</code>`),
            ...names.map((n) => cell(html_report_num(entry.validation[n]), true)),
            cell(html_report_esc(`${(entry.trainingMs / 1000).toFixed(1)} s`), true),
            cell(entry.chosen ? 'kept' : ''),
        ]))}`));
    }
    const importance = card?.importance;
    if (importance && importance.features.length > 0) {
        const top = importance.features.slice(0, TOP_FEATURES);
        const metric = importance.metric === 'r2' ? 'r2' : 'accuracy';
        const more = importance.features.length - top.length;
        const chart = await figure('Which features matter', importanceSpec(top, metric));
        out.push(section('Which features matter', `<p>Permutation importance: how much the ${importance.on === 'training' ? 'training' : 'validation'} ${html_report_esc(metric)} drops when one column's values are shuffled (${html_report_esc(formatNumber(importance.rows))} rows, ${html_report_esc(formatNumber(importance.repeats))} repeats; about 0: the model does not use it).</p>\n${chart}\n${html_report_table(['#', 'Feature', `Mean drop in ${metric}`, 'Std'], top.map((f, i) => [
            cell(String(i + 1), true),
            cell(`<code>${html_report_esc(f.name)}</code>`),
            cell(html_report_num(f.mean), true),
            cell(html_report_num(f.std), true),
        ]))}${more > 0 ? `\n<p class="muted">${more} more feature${more === 1 ? '' : 's'} in the model card.</p>` : ''}`));
    }
    return out;
}
/** The evaluation report as one HTML document that loads nothing and runs no script; `card`: the candidate's model card, when it has one. */
async function renderHtmlReport(data, card = null) {
    const title = `Evaluation of ${data.modelName}: ${data.blessing.blessed ? 'blessed' : 'not blessed'}`;
    const figures = await charts(data);
    const sections = [section('Metrics', metricTable(data))];
    if (data.fidelity)
        sections.push(section('Conversion fidelity', fidelityTable(data.fidelity)));
    if (data.task === 'classification' && Array.isArray(data.candidate.metrics.per_class)) {
        sections.push(section('Per class', perClassTable(data.candidate.metrics)));
    }
    if (figures.length > 0)
        sections.push(section('Charts', `<div class="charts">\n${figures.join('\n')}\n</div>`));
    if (data.slices.length > 0)
        sections.push(section('Slices', sliceTable(data.slices)));
    sections.push(...(await cardSectionsHtml(card)));
    sections.push(section('Data', dataAndLinks(data)));
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${html_report_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html_report_esc(title)}</title>
<style>${html_report_STYLE}</style>
</head>
<body>
<header>
<h1>Evaluation of ${html_report_esc(data.modelName)}</h1>
${html_report_verdict(data)}
<p class="muted">${data.task === 'classification' ? 'Classification' : 'Regression'}${data.taskReason ? ` (task: ${html_report_esc(data.taskReason)})` : ''}, evaluated <time datetime="${html_report_esc(data.evaluatedAt)}">${html_report_esc(data.evaluatedAt)}</time>.</p>
</header>
<main>
${sections.join('\n')}
</main>
</body>
</html>
`;
}

;// CONCATENATED MODULE: ./src/core/evaluate/markdown-report.ts


/** Text safe inside a quoted Mermaid label: letters, digits, space and a little punctuation. */
function markdown_report_mermaidLabel(text, max = 24) {
    const clean = text.replace(/[^\p{L}\p{N} _.+-]/gu, '_').slice(0, max);
    return `"${clean === '' ? '_' : clean}"`;
}
function isClassification(metrics) {
    return 'confusion_matrix' in metrics;
}
function delta(candidate, baseline) {
    if (candidate === null || baseline === null)
        return '';
    const d = candidate - baseline;
    const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
    return `${sign}${formatNumber(Math.abs(d))}`;
}
/** The report's sections, each whole, so a PR comment can fold or drop them one by one. */
function evaluationSections(data) {
    const { blessing, candidate, baseline } = data;
    const verdict = blessing.blessed ? '✅ blessed' : '❌ not blessed';
    const header = [
        `## Evaluation: ${escapeText(data.modelName)}: ${verdict}`,
        '',
        `${data.task}, ${data.data.rows.toLocaleString('en-US')} test rows from ${data.data.files.map((f) => code(f, 80, false)).join(', ')}. ` +
            `Candidate: ${code(candidate.source, 120, false)}. ` +
            (baseline ? `Baseline: ${code(baseline.source, 120, false)}.` : 'No baseline (a first model): only value bounds apply.') +
            (data.taskReason ? ` Task: ${escapeText(data.taskReason, 200)}.` : ''),
        '',
        ...(blessing.reasons.length > 0 ? ['**Why not blessed:**', '', ...blessing.reasons.map((r) => `- ${escapeText(r, 400)}`), ''] : []),
    ].join('\n');
    const sections = [];
    // Metrics: every scalar metric of the candidate, with baseline, change and gate.
    const checks = new Map(blessing.checks.map((c) => [c.metric, c]));
    const baselineMetrics = (baseline?.metrics ?? {});
    const rows = [];
    for (const [name, value] of Object.entries(candidate.metrics)) {
        if (typeof value !== 'number' && value !== null)
            continue;
        if (name === 'count')
            continue;
        const base = typeof baselineMetrics[name] === 'number' ? baselineMetrics[name] : null;
        const check = checks.get(name);
        rows.push([
            `\`${name}\``,
            formatNumber(value),
            formatNumber(base),
            delta(value, base),
            check ? (check.passed ? '✅ pass' : '❌ fail') : '',
        ]);
    }
    for (const check of blessing.checks) {
        if (!(check.metric in candidate.metrics))
            rows.push([code(check.metric, 40), '(missing)', formatNumber(check.baseline), '', '❌ fail']);
    }
    sections.push({
        title: 'Metrics',
        body: table(['Metric', 'Candidate', 'Baseline', 'Change', 'Gate'], rows, ['left', 'right', 'right', 'right', 'left']),
        fold: false,
    });
    if (data.fidelity) {
        const figures = fidelityFigures(data.fidelity);
        // The figures are numbers and fixed words; the column name, from the user's file, goes in a code span.
        const cells = [...figures.cells];
        if (figures.at)
            cells[2] = `${cells[2]} (row ${figures.at.row}, ${code(figures.at.column, 40)})`;
        cells[4] = data.fidelity.passed ? '✅ pass' : '❌ fail';
        sections.push({
            title: 'Conversion fidelity',
            body: `The ONNX graph against the original framework's ${figures.measured} in ${code(data.fidelity.file, 120, false)}.\n\n${table(figures.headers, [cells], ['right', 'right', 'right', 'left', 'left'])}`,
            fold: false,
        });
    }
    const metrics = candidate.metrics;
    if (isClassification(metrics)) {
        const classes = metrics.per_class.map((c) => c.class);
        const baselinePerClass = Array.isArray(baselineMetrics.per_class)
            ? baselineMetrics.per_class
            : null;
        sections.push({
            title: 'Per class',
            body: table(['Class', 'Precision', 'Recall', 'F1', 'Support'], metrics.per_class.map((c) => [
                code(c.class, 40),
                formatNumber(c.precision),
                formatNumber(c.recall),
                formatNumber(c.f1),
                formatNumber(c.support),
            ]), ['left', 'right', 'right', 'right', 'right']),
        });
        sections.push({
            title: 'Confusion matrix',
            body: table(['true ↓ / predicted →', ...classes.map((c) => code(c, 24))], metrics.confusion_matrix.map((row, i) => [code(classes[i], 24), ...row.map((n) => (n === 0 ? '·' : String(n)))]), ['left', ...classes.map(() => 'right')]),
            fold: classes.length > 8,
        });
        // F1 per class, candidate bars and baseline line.
        const chart = [
            '```mermaid',
            'xychart-beta',
            '  title "F1 per class"',
            `  x-axis [${classes.map((c) => markdown_report_mermaidLabel(c)).join(', ')}]`,
            '  y-axis "F1" 0 --> 1',
            `  bar [${metrics.per_class.map((c) => c.f1.toFixed(4)).join(', ')}]`,
            ...(baselinePerClass && baselinePerClass.length === classes.length
                ? [`  line [${baselinePerClass.map((c) => Number(c.f1).toFixed(4)).join(', ')}]`]
                : []),
            '```',
            ...(baselinePerClass ? ['', 'Bars: candidate. Line: baseline.'] : []),
        ].join('\n');
        sections.push({ title: 'F1 per class (chart)', body: chart });
        const positive = data.curves.length === 1 ? data.curves[0] : null;
        if (positive && positive.roc.length > 1) {
            // The ROC curve as TPR at evenly spaced false positive rates.
            const grid = Array.from({ length: 21 }, (_, i) => i / 20);
            const tpr = grid.map((fpr) => {
                let best = 0;
                for (const p of positive.roc)
                    if (p.fpr <= fpr + 1e-12)
                        best = Math.max(best, p.tpr);
                return best.toFixed(4);
            });
            sections.push({
                title: 'ROC curve (chart)',
                body: [
                    '```mermaid',
                    'xychart-beta',
                    `  title ${markdown_report_mermaidLabel(`ROC, positive class ${positive.class}`, 60)}`,
                    `  x-axis "False positive rate" [${grid.map((g) => `"${g.toFixed(2)}"`).join(', ')}]`,
                    '  y-axis "True positive rate" 0 --> 1',
                    `  line [${tpr.join(', ')}]`,
                    '```',
                ].join('\n'),
            });
        }
    }
    else if (data.residuals.length > 0) {
        // Residuals (predicted − actual) as a histogram.
        const residuals = data.residuals.map((r) => r.predicted - r.actual);
        const lo = Math.min(...residuals);
        const hi = Math.max(...residuals);
        const bins = 12;
        const width = hi > lo ? (hi - lo) / bins : 1;
        const counts = new Array(bins).fill(0);
        for (const r of residuals)
            counts[Math.min(bins - 1, Math.floor((r - lo) / width))]++;
        sections.push({
            title: 'Residuals (chart)',
            body: [
                '```mermaid',
                'xychart-beta',
                '  title "Residuals: predicted minus actual"',
                `  x-axis [${counts.map((_, i) => `"${formatNumber(lo + (i + 0.5) * width)}"`).join(', ')}]`,
                '  y-axis "Rows"',
                `  bar [${counts.join(', ')}]`,
                '```',
            ].join('\n'),
        });
    }
    if (data.slices.length > 0) {
        const names = [...new Set(data.slices.flatMap((s) => Object.keys(s.metrics)))].filter((n) => n !== 'count').slice(0, 4);
        sections.push({
            title: 'Slices',
            body: table(['Column', 'Value', 'Rows', ...names.map((n) => `\`${n}\``)], data.slices.map((s) => [
                code(s.column, 30),
                code(s.value, 30),
                formatNumber(s.count),
                ...names.map((n) => formatNumber(s.metrics[n] ?? null)),
            ])),
            fold: true,
        });
    }
    return { header, sections };
}
/** The whole report as one Markdown document; `extra` sections (from the model card: cardSections) go after the evaluation's. */
function renderEvaluationMarkdown(data, extra = []) {
    const { header, sections: own } = evaluationSections(data);
    const sections = [...own, ...extra];
    const links = data.links.length > 0 ? `\n${data.links.map((l) => `[${escapeText(l.label, 80)}](${l.url})`).join(' · ')}\n` : '';
    return `${header}\n${sections.map((s) => `### ${s.title}\n\n${s.body}\n`).join('\n')}${links}`;
}
/**
 * How the model was trained, in a few words: your command, or the built-in model kind
 * (`algorithm`, named `model` by cards of earlier versions) and backend.
 */
function trainerText(trainer) {
    if (trainer.kind === 'command')
        return trainer.command;
    const algorithm = trainer.algorithm ?? trainer.model ?? 'builtin';
    return `${algorithm} on ${trainer.backend ?? '?'}`;
}
/** The training part of the pull request comment, from the model card: trainer, data, lineage, parameters and validation metrics. */
function trainingSection(card) {
    const duration = card.durationMs !== undefined ? `, ${(card.durationMs / 1000).toFixed(1)} s` : '';
    const epochs = card.epochs ? `, ${card.epochs.run} epochs (best ${card.epochs.best})` : '';
    const files = card.data.files.map((f) => `${code(f.path, 60, false)} (sha256 ${f.sha256.slice(0, 12)})`).join(', ');
    const commit = card.git?.commit ? `; commit ${code(card.git.commit.slice(0, 12), 12, false)}` : '';
    const lines = [
        `Trainer: ${code(trainerText(card.trainer), 120, false)}${duration}${epochs}.`,
        `Data: ${files}${commit}.`,
        '',
        table(['Parameter', 'Value'], Object.entries(card.params).map(([k, v]) => [code(k, 60), code(typeof v === 'string' ? v : JSON.stringify(v), 60)])),
    ];
    const validation = card.metrics.validation;
    if (validation) {
        const rows = Object.entries(validation)
            .filter((entry) => typeof entry[1] === 'number')
            .map(([k, v]) => [code(k, 60), formatNumber(v)]);
        if (rows.length > 0)
            lines.push('', '**Validation metrics**', '', table(['Metric', 'Value'], rows, ['left', 'right']));
    }
    return lines.join('\n');
}
/** Features in the importance chart and table. */
const markdown_report_TOP_FEATURES = 10;
/**
 * What the candidate's model card adds to the report: "Model selection" (algorithm:
 * auto's leaderboard) and "Which features matter" (permutation importance, the top
 * features as a Mermaid bar chart and a table), each when the card has it. Names come
 * from the user's data: in code spans in tables, through mermaidLabel in charts.
 */
function cardSections(card) {
    const sections = [];
    const leaderboard = card.leaderboard;
    if (leaderboard && leaderboard.length > 0) {
        const names = ['accuracy', 'log_loss', 'f1_macro', 'r2', 'rmse', 'mae'].filter((name) => leaderboard.some((entry) => typeof entry.validation[name] === 'number'));
        const chosen = leaderboard.find((entry) => entry.chosen);
        sections.push({
            title: 'Model selection',
            body: [
                `\`algorithm: auto\` trained ${leaderboard.length} candidates on the same split and kept ` +
                    `${chosen ? code(chosen.algorithm, 40, false) : 'none'} (validation metrics).`,
                '',
                table(['Algorithm', ...names.map((n) => `\`${n}\``), 'Training', 'Kept'], leaderboard.map((entry) => [
                    code(entry.algorithm, 40),
                    ...names.map((n) => formatNumber(entry.validation[n] ?? null)),
                    `${(entry.trainingMs / 1000).toFixed(1)} s`,
                    entry.chosen ? '✅' : '',
                ]), ['left', ...names.map(() => 'right'), 'right', 'left']),
            ].join('\n'),
        });
    }
    const importance = card.importance;
    if (importance && importance.features.length > 0) {
        const top = importance.features.slice(0, markdown_report_TOP_FEATURES);
        const metric = importance.metric === 'r2' ? 'r2' : 'accuracy';
        // Labels are numbered so that two names that clean to the same label stay two bars; negative drops (noise) show as 0.
        const chart = [
            '```mermaid',
            'xychart-beta',
            `  title ${markdown_report_mermaidLabel(`Drop in ${metric} when shuffled`, 60)}`,
            `  x-axis [${top.map((f, i) => markdown_report_mermaidLabel(`${i + 1} ${f.name}`)).join(', ')}]`,
            `  y-axis ${markdown_report_mermaidLabel(`${metric} drop`)}`,
            `  bar [${top.map((f) => Math.max(0, f.mean).toFixed(4)).join(', ')}]`,
            '```',
        ].join('\n');
        const rows = top.map((f, i) => [String(i + 1), code(f.name, 60), formatNumber(f.mean), formatNumber(f.std)]);
        const more = importance.features.length - top.length;
        sections.push({
            title: 'Which features matter',
            body: [
                `Permutation importance: how much the ${importance.on === 'training' ? 'training' : 'validation'} ${metric} drops when one column's values are shuffled ` +
                    `(${formatNumber(importance.rows)} rows, ${formatNumber(importance.repeats)} repeats; about 0: the model does not use it).`,
                '',
                chart,
                '',
                table(['#', 'Feature', `Mean drop in ${metric}`, 'Std'], rows, ['right', 'left', 'right', 'right']),
                ...(more > 0 ? ['', `${more} more feature${more === 1 ? '' : 's'} in the model card.`] : []),
            ].join('\n'),
        });
    }
    return sections;
}

;// CONCATENATED MODULE: ./src/core/evaluate/scoring.ts



/** The most points kept per curve in reports. */
const CURVE_POINTS = 200;
/** A model directory, loaded (its graph and card); ONNX Runtime is imported on the first call. */
async function loadModelDir(dir, log) {
    const { loadModel } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 60529));
    return loadModel(dir, log);
}
/**
 * Scores `model` on rows of `table`. A test row of a class the model never saw stays in (a
 * wrong prediction) and is reported through `warn`.
 */
async function scoreModel(model, table, shownModel, warn, options = {}) {
    const rows = options.rows ?? Array.from({ length: table.rows }, (_, i) => i);
    const target = model.signature.target;
    const scored = await scoreRows(model, table, rows, { unseenClasses: true, truth: options.truth });
    const known = target.task === 'classification' ? target.classes.length : 0;
    if (scored.task === 'classification' && scored.classes.length > known) {
        const unseen = scored.classes.slice(known);
        const count = scored.yTrue.filter((y) => y >= known).length;
        warn(`${count} test rows have a class the model ${shownModel} never saw in training (${unseen.join(', ')}); they count as wrong predictions.`);
    }
    if (scored.rows.length === 0)
        throw new core_errors/* UserError */.y(`no test rows have a usable target "${options.truth?.name ?? target.name}" for ${shownModel}`, 'Check the test data and the target column.');
    return { metrics: fullMetrics(scored), scored };
}
/** ROC and precision-recall curves: one for the positive class when binary, else one per class (one-vs-rest). */
function curvesOf(scored) {
    if (scored.task !== 'classification' || scored.scores.length === 0)
        return [];
    const k = scored.classes.length;
    const targets = k === 2 ? [1] : scored.classes.map((_, i) => i);
    const curves = [];
    for (const c of targets) {
        const positives = scored.yTrue.map((y) => y === c);
        if (!positives.some(Boolean) || positives.every(Boolean))
            continue; // undefined for this class
        const scores = scored.scores.map((s) => s[c]);
        curves.push({
            class: scored.classes[c],
            roc: downsampleCurve(rocCurve(positives, scores), CURVE_POINTS),
            pr: downsampleCurve(precisionRecallCurve(positives, scores), CURVE_POINTS),
        });
    }
    return curves;
}
/** The value of `row` in a slicing column as reports show it; `(missing)` for an empty cell. */
function sliceValue(column, row) {
    if (column.texts)
        return column.texts[row] ?? '(missing)';
    const value = column.numbers[row];
    return Number.isNaN(value) ? '(missing)' : String(value);
}
/**
 * The candidate's scalar metrics per value of each slicing column (values in sorted order),
 * computed by sliceMetrics over the scored rows.
 */
function slicesOf(table, scored, columns, source = { shown: table.files.join(', '), predictions: false }) {
    const out = [];
    for (const name of columns) {
        const column = table.columns.find((c) => c.name === name);
        if (!column) {
            const names = table.columns.map((c) => c.name);
            throw new core_errors/* UserError */.y(`slice column "${name}" is not a column of ${source.shown} (its columns: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''})`, source.predictions
                ? "With a predictions file, slices are read from the file itself: add the column beside y_true and y_pred (each test row's value), or remove it from the `slices` input / evaluate.slices in mlops.yaml."
                : 'Check the name against the test data, or remove it from the `slices` input / evaluate.slices in mlops.yaml.');
        }
        const groups = new Map();
        scored.rows.forEach((row, i) => {
            const value = sliceValue(column, row);
            const indexes = groups.get(value);
            if (indexes)
                indexes.push(i);
            else
                groups.set(value, [i]);
        });
        const sorted = new Map([...groups].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
        const results = sliceMetrics(sorted, (indexes) => scored.task === 'classification'
            ? classificationMetrics({
                classes: scored.classes,
                yTrue: indexes.map((i) => scored.yTrue[i]),
                yPred: indexes.map((i) => scored.yPred[i]),
                scores: scored.scores.length > 0 ? indexes.map((i) => scored.scores[i]) : undefined,
            })
            : regressionMetrics(indexes.map((i) => scored.yTrue[i]), indexes.map((i) => scored.yPred[i])));
        for (const r of results)
            out.push({ column: name, value: r.slice, count: r.count, metrics: scalarMetrics(r.metrics) });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/core/evaluate/evaluate.ts
/**
 * The evaluate use case: score a candidate (a model on held-out data, or a predictions
 * file) and its baseline on the same rows, judge the gates and the conversion fidelity, and
 * write what evaluate hands on: the blessing (register, deploy), evaluation.json (a later
 * baseline), the Markdown and HTML reports, and, on a pull request, the comment for the
 * fork-safe reporter. Everything it needs comes in the request; it reads no environment.
 *
 * Which rows a baseline model is scored on (it always gets the candidate's rows and truth):
 * - a model candidate: the test data, the truth in the baseline's own target column;
 * - a predictions file: the file's own rows when it holds every feature column the baseline
 *   takes (signature.features); else the test data's rows, in order, when the test data has
 *   exactly as many rows as the file (and, where it holds the target, the same truth as
 *   y_true); else an error naming the missing columns and the two row counts. The truth is
 *   the file's y_true.
 * The candidate model's conversion fidelity (fidelity.ts) is checked when its directory
 * holds reference-predictions.csv; failing it fails the blessing, with its reasons.
 */


















/** The most (actual, predicted) pairs kept for the regression scatter plot. */
const MAX_RESIDUALS = 2000;
/** Scores, gates and reports a candidate; see the module comment. */
async function evaluateCandidate(request) {
    const { log, shown, outputDir, modelName } = request;
    // A blessing from an earlier run must not outlive a failed one.
    await (0,promises_.rm)((0,contracts/* contractPath */.K0)('blessing', outputDir), { force: true });
    // The candidate.
    let candidate;
    let candidateSource;
    let sliceTable;
    let dataFiles;
    let card = null;
    let fidelity = null;
    let taskReason = null;
    let modelDigest = null;
    let baselineTarget;
    if (request.candidate.kind === 'predictions') {
        const { file, modelDir } = request.candidate;
        candidateSource = shown(file);
        const beside = cardDir(file, modelDir);
        card = beside ? await readCard(beside, shown, log) : null;
        const predictions = await scorePredictions({
            file,
            shown: candidateSource,
            task: request.task.setting,
            taskSetBy: request.task.setBy,
            card: card && beside ? cardTask(card, shown((0,contracts/* contractPath */.K0)('modelCard', beside))) : null,
            log,
        });
        candidate = predictions;
        taskReason = predictions.taskReason;
        sliceTable = predictions.table;
        dataFiles = [candidateSource];
        baselineTarget = {
            kind: 'predictions',
            predictions,
            shown: candidateSource,
            test: async () => (request.testData.files.length > 0 ? readTestData(request.testData, shown) : null),
        };
    }
    else {
        const { dir } = request.candidate;
        if (request.testData.files.length === 0)
            throw new core_errors/* UserError */.y('no test data to evaluate on', 'Set the `data` input (or --data), or data.test in mlops.yaml: held-out rows the model never trained on.');
        candidateSource = shown(dir);
        if (!(0,external_node_fs_.existsSync)(dir))
            throw new core_errors/* UserError */.y(`no model at ${candidateSource}`, 'Run train first, or set the `model-dir` input to its model-dir output.');
        const test = await readTestData(request.testData, shown);
        const testRows = test.table;
        dataFiles = test.files;
        sliceTable = testRows;
        // The bytes judged: the blessing names them, and register checks it registers the same.
        modelDigest = await (0,model_io.modelFileDigest)(dir);
        const loaded = await loadModelDir(dir, (line) => log.info(line));
        try {
            candidate = await log.group(`Scoring ${candidateSource} on ${testRows.rows} test rows`, () => scoreModel(loaded.model, testRows, candidateSource, (m) => log.warning(m)));
            fidelity = await checkFidelity(dir, loaded.model, testRows, request);
        }
        finally {
            loaded.model.dispose();
        }
        card = await readCard(dir, shown, log);
        baselineTarget = { kind: 'test', table: testRows };
    }
    const baseline = await scoreBaseline(request, baselineTarget);
    const gates = await readGates(request.gates);
    const candidateScalars = scalarMetrics(candidate.metrics);
    const baselineMetrics = baseline ? numeric(baseline.metrics) : null;
    const gated = evaluateGates(candidateScalars, baselineMetrics, gates);
    // Fidelity fails the blessing as a gate would, its reasons after the gates'.
    const judged = fidelity && !fidelity.passed ? { ...gated, blessed: false, reasons: [...gated.reasons, ...fidelity.reasons] } : gated;
    const slices = request.slices.length > 0
        ? slicesOf(sliceTable, candidate.scored, request.slices, {
            shown: request.candidate.kind === 'predictions' ? candidateSource : dataFiles.join(', '),
            predictions: request.candidate.kind === 'predictions',
        })
        : [];
    const scored = candidate.scored;
    const report = {
        modelName,
        task: scored.task,
        taskReason,
        data: { files: dataFiles, rows: scored.rows.length },
        candidate: { source: candidateSource, metrics: candidate.metrics },
        baseline,
        blessing: judged,
        fidelity,
        curves: curvesOf(scored),
        residuals: scored.task === 'regression'
            ? scored.yTrue.slice(0, MAX_RESIDUALS).map((actual, i) => ({ actual, predicted: scored.yPred[i] }))
            : [],
        slices,
        links: request.links,
        evaluatedAt: new Date().toISOString(),
    };
    const blessing = {
        format: contracts/* BLESSING_FORMAT */.qn,
        blessed: judged.blessed,
        reasons: judged.reasons,
        checks: judged.checks.map((check) => ({ ...check })),
        model: { name: modelName, source: candidateSource, digest: modelDigest },
        metrics: candidateScalars,
        baseline: baseline ? { source: baseline.source } : null,
        fidelity: fidelity ? { ...fidelity } : null,
        evaluatedAt: report.evaluatedAt,
    };
    const markdown = renderEvaluationMarkdown(report, card ? cardSections(card) : []);
    const paths = { report: (0,external_node_path_.join)(outputDir, 'report.md'), html: (0,external_node_path_.join)(outputDir, 'report.html') };
    await lib_default()(paths.report, markdown);
    await lib_default()(paths.html, await renderHtmlReport(report, card));
    const evaluation = await (0,contracts/* writeContract */.Ek)('evaluation', outputDir, evaluationOf(report));
    const blessingPath = await (0,contracts/* writeContract */.Ek)('blessing', outputDir, blessing);
    const comment = await commentOf(request, report, card);
    const commentPath = await saveComment(request, comment);
    return {
        report,
        blessing,
        markdown,
        metrics: candidateScalars,
        baselineMetrics,
        comment,
        paths: { ...paths, evaluation, blessing: blessingPath, comment: commentPath },
    };
}
/** The test data, read (globs expanded), with its files as people see them. */
async function readTestData(data, shown) {
    const files = await (0,data_paths/* expandPaths */.p)(data.files);
    return { table: await (0,data_table.readTable)(files, { format: data.format, nullValues: data.nullValues }), files: files.map(shown) };
}
/** Where the card of a predictions file is: beside the file, else in the model directory; null when neither has one. */
function cardDir(file, modelDir) {
    if ((0,external_node_fs_.existsSync)((0,contracts/* contractPath */.K0)('modelCard', (0,external_node_path_.dirname)(file))))
        return (0,external_node_path_.dirname)(file);
    if (modelDir && (0,external_node_fs_.existsSync)((0,contracts/* contractPath */.K0)('modelCard', modelDir)))
        return modelDir;
    return null;
}
/** What a card says of the task: its `task` (or its signature's), and the classes. */
function cardTask(card, source) {
    const target = card.signature?.target;
    const task = card.task ?? target?.task;
    if (!task)
        return null;
    const classes = target && 'classes' in target ? target.classes : (card.data.classes ?? null);
    return { task, classes: task === 'classification' ? classes : null, source };
}
/**
 * Conversion fidelity of the candidate model (see fidelity.ts): null when its directory holds
 * no reference predictions.
 */
async function checkFidelity(dir, model, test, request) {
    const { REFERENCE_PREDICTIONS_FILE } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 60529));
    const file = (0,external_node_path_.join)(dir, REFERENCE_PREDICTIONS_FILE);
    if (!(0,external_node_fs_.existsSync)(file))
        return null;
    const shownFile = request.shown(file);
    const table = await (0,data_table.readTable)([file], { format: 'auto' });
    const reference = await referenceOf(table, model.signature, shownFile, test.rows, (row) => locateRow(file, row));
    const scoredOn = reference.alignedWith === 'reference file' ? table : test;
    const output = await request.log.group(`Checking the conversion: the graph on the ${reference.rows} rows of ${shownFile}`, () => model.predict(scoredOn, Array.from({ length: reference.rows }, (_, i) => i)));
    const result = compareFidelity(reference, output, request.fidelity, shownFile);
    const figures = [
        result.labelAgreement !== null
            ? `labels agree on ${result.rows - result.differingLabels} of ${result.rows} rows`
            : `${result.rows} rows`,
        result.maxDifference !== null ? `largest difference ${result.maxDifference.toExponential(2)}` : null,
    ].filter(Boolean);
    request.log.info(`Conversion fidelity (${shownFile}, ${reference.alignedWith} rows): ${figures.join(', ')}: ${result.passed ? 'pass' : 'fail'}.`);
    return result;
}
/** evaluation.json: the report without its curves and residuals (chart data). */
function evaluationOf(report) {
    const { curves: _curves, residuals: _residuals, ...rest } = report;
    return {
        ...rest,
        candidate: { source: rest.candidate.source, metrics: { ...rest.candidate.metrics } },
        fidelity: rest.fidelity ? { ...rest.fidelity } : null,
    };
}
/** The numbers (and nulls) of a metrics object: what gates compare. */
function numeric(metrics) {
    return Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === 'number' || v === null));
}
/** The baseline, scored on the candidate's rows (or read from a metrics file); null for a first model. */
async function scoreBaseline(request, target) {
    const { baseline: source, log, shown, modelName } = request;
    if (!source)
        return null;
    if (source.kind === 'metrics')
        return { source: shown(source.file), metrics: await readBaselineMetrics(source.file, shown) };
    if (source.kind === 'model') {
        const shownDir = shown(source.dir);
        if (!(0,external_node_fs_.existsSync)(source.dir))
            throw new core_errors/* UserError */.y(`no baseline model at ${shownDir}`, 'Check the `baseline-model-dir` input (relative to the working directory) or evaluate.baseline.model in mlops.yaml (relative to mlops.yaml).');
        const metrics = await scoreBaselineModel(request, source.dir, shownDir, `the baseline ${shownDir}`, target);
        return { source: shownDir, metrics };
    }
    const { alias, registry } = source;
    let aliases = {};
    try {
        aliases = await registry.aliases(modelName);
    }
    catch {
        aliases = {}; // no versions of this model yet
    }
    if (aliases[alias] === undefined) {
        log.info(`No ${modelName} model at alias "${alias}" yet: evaluating as a first model (only value bounds apply).`);
        return null;
    }
    const pulled = (0,external_node_path_.join)(request.outputDir, `.baseline-${alias}`);
    await (0,promises_.rm)(pulled, { recursive: true, force: true });
    try {
        const version = await registry.pull(modelName, alias, pulled);
        const what = `the baseline: ${modelName} at ${alias} (v${version.version})`;
        const metrics = await scoreBaselineModel(request, pulled, shown(pulled), what, target);
        return { source: `${alias} = ${modelName} v${version.version} (${version.uri})`, metrics };
    }
    finally {
        await (0,promises_.rm)(pulled, { recursive: true, force: true });
    }
}
/** Loads a baseline model and scores it on the candidate's rows (see the module comment); its metrics. */
async function scoreBaselineModel(request, dir, shownDir, what, target) {
    const { log } = request;
    const loaded = await loadModelDir(dir, (line) => log.info(line));
    try {
        const model = loaded.model;
        if (target.kind === 'test') {
            const scored = await log.group(`Scoring ${what}`, () => scoreModel(model, target.table, shownDir, (m) => log.warning(m)));
            return { ...scored.metrics };
        }
        const { predictions } = target;
        const baselineTask = model.signature.target.task;
        if (baselineTask !== predictions.scored.task)
            throw new core_errors/* UserError */.y(`the baseline ${shownDir} is a ${baselineTask} model, but ${target.shown} is scored as ${predictions.taskReason}`, 'Compare with a baseline of the same task, or set `task` (evaluate.task in mlops.yaml, or the task input).');
        const { table, on } = await baselineRowsFor(model, shownDir, target);
        const scored = await log.group(`Scoring ${what} on ${on}`, () => scoreModel(model, table, shownDir, (m) => log.warning(m), { rows: predictions.scored.rows, truth: predictions.truth }));
        return { ...scored.metrics };
    }
    finally {
        loaded.model.dispose();
    }
}
/**
 * The table a baseline model is scored on for a predictions file: the file itself when it
 * holds every feature column the model takes, else the test data when its rows line up
 * with the file's; else a UserError saying what is missing (see the module comment).
 */
async function baselineRowsFor(model, shownDir, target) {
    const { predictions, shown } = target;
    const file = predictions.table;
    const columns = new Set(file.columns.map((c) => c.name));
    const missing = model.signature.features.map((f) => f.name).filter((name) => !columns.has(name));
    if (missing.length === 0)
        return { table: file, on: `the rows of ${shown}` };
    const test = await target.test();
    const lacks = `${shown} lacks ${missing.length} of the ${model.signature.features.length} feature columns the baseline ${shownDir} takes (${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''})`;
    const hint = 'Write the feature columns of the test rows into the predictions file beside y_true and y_pred, ' +
        'or give the test data the predictions were made on, in the same order (the `data` input or data.test in mlops.yaml), ' +
        'or compare with metrics instead (baseline-metrics: an earlier evaluation.json).';
    if (!test)
        throw new core_errors/* UserError */.y(`${lacks}, and there is no test data to score it on instead`, hint);
    if (test.table.rows !== file.rows)
        throw new core_errors/* UserError */.y(`${lacks}, and the test data (${test.files.join(', ')}) has ${test.table.rows} rows where ${shown} has ${file.rows}, so their rows cannot be paired`, hint);
    await checkSameTruth(test.table, test.files.join(', '), model, predictions, shown);
    return {
        table: test.table,
        on: `the ${test.table.rows} rows of the test data (${test.files.join(', ')}), paired in order with ${shown}`,
    };
}
/** When the test data holds the baseline's target column, it must agree with y_true on every scored row: else the rows are not in the same order. */
async function checkSameTruth(test, testShown, model, predictions, shown) {
    const targetName = model.signature.target.name;
    const column = test.columns.find((c) => c.name === targetName);
    if (!column)
        return;
    const truth = predictions.truth;
    const regression = model.signature.target.task === 'regression';
    const differs = (r) => {
        if (regression) {
            const a = column.numbers[r];
            const b = truth.numbers[r];
            return Number.isFinite(a) && Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(b));
        }
        const label = labelOf(column, r);
        return label !== null && label !== labelOf(truth, r);
    };
    const bad = predictions.scored.rows.filter(differs);
    if (bad.length === 0)
        return;
    const first = bad[0];
    throw new core_errors/* UserError */.y(`the test data (${testShown}) and ${shown} are not in the same order: at ${await locateRow(predictions.table.files[0], first)} of ${shown}, ` +
        `y_true is ${labelOf(truth, first)} but the test data's ${targetName} is ${labelOf(column, first)} (${bad.length} of ${predictions.scored.rows.length} rows differ)`, 'Write the predictions in the order of the test data rows, or write the feature columns into the predictions file so the baseline is scored on its own rows.');
}
async function readStructured(path, what, shown) {
    let text;
    try {
        text = await (0,promises_.readFile)(path, 'utf8');
    }
    catch {
        throw new core_errors/* UserError */.y(`cannot read ${what} ${shown(path)}`, 'Check the path (relative to the working directory for inputs, to mlops.yaml for its keys).');
    }
    try {
        return path.endsWith('.json') ? JSON.parse(text) : (0,dist/* parse */.qg)(text);
    }
    catch (error) {
        throw new core_errors/* UserError */.y(`${shown(path)}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${error.message}`);
    }
}
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Metrics from a file: a flat object, the `metrics` of a metrics file, or the candidate's of an evaluation.json. */
async function readBaselineMetrics(path, shown) {
    const value = await readStructured(path, 'baseline metrics', shown);
    if (!isObject(value))
        throw new core_errors/* UserError */.y(`${shown(path)}: expected a JSON object of metrics`);
    if (isObject(value.candidate))
        return (0,contracts/* parseContract */.UA)('evaluation', value, shown(path)).candidate.metrics;
    if (isObject(value.metrics))
        return value.metrics;
    return value;
}
async function readGates(source) {
    if (source.kind === 'config')
        return parseGates(source.value, 'evaluate.gates in mlops.yaml');
    return parseGates(await readStructured(source.file, 'gates file', () => source.shownAs), source.shownAs);
}
/** The candidate's model card, for the comment's training section; a card that does not read is a warning, not a failure. */
async function readCard(dir, shown, log) {
    try {
        return await (0,contracts/* readContract */.Jz)('modelCard', dir, shown((0,contracts/* contractPath */.K0)('modelCard', dir)));
    }
    catch (error) {
        if (!(error instanceof core_errors/* UserError */.y))
            throw error;
        log.warning(`The model card was not read (the comment has no training section): ${error.message}`);
        return null;
    }
}
/** The sticky pull request comment: evaluation, data validation and training in one place. */
async function commentOf(request, report, card) {
    const { header, sections } = evaluationSections(report);
    const extra = [];
    if ((0,external_node_fs_.existsSync)(request.validationReport))
        extra.push({
            title: 'Data validation',
            body: (await (0,promises_.readFile)(request.validationReport, 'utf8')).replace(/^## /gm, '#### '),
            fold: true,
        });
    if (card)
        extra.push(...cardSections(card).map((section) => ({ ...section, fold: true })), {
            title: 'Training',
            body: trainingSection(card),
            fold: true,
        });
    const footer = report.links.map((l) => `[${l.label}](${l.url})`).join(' · ');
    return { key: request.commentKey, header, sections: [...sections, ...extra], footer };
}
/**
 * On a pull request: what to post, and where, saved beside the reports, so the fork-safe
 * reporter (a workflow_run workflow, which may comment) can post it. A comment that cannot
 * be saved is a warning: the evaluation itself stands.
 */
async function saveComment(request, comment) {
    const pr = request.pullRequest;
    if (!pr)
        return null;
    if (!pr.headSha) {
        request.log.warning(`Pull request #${pr.number} has no head commit in the event: its comment was not saved for the reporter.`);
        return null;
    }
    try {
        return await (0,contracts/* writeContract */.Ek)('savedComment', request.outputDir, {
            format: contracts/* SAVED_COMMENT_FORMAT */.U7,
            pullRequest: pr.number,
            headSha: pr.headSha,
            ...comment,
        });
    }
    catch (error) {
        if (!(error instanceof core_errors/* UserError */.y))
            throw error;
        request.log.warning(`The comment was not saved for the reporter: ${error.message}`);
        return null;
    }
}

;// CONCATENATED MODULE: ./src/core/report/pr-comment.ts
/**
 * The sticky pull request comment: one comment per report key, found again by a
 * hidden marker and edited in place on every run, sized to GitHub's limit without
 * ever cutting a section (so tables and code fences stay whole). Written against
 * the GitHub port only. Also the fork-safe reporter's use case: posting the comments
 * pull request runs saved (comment.json), after checking they belong to the
 * triggering run.
 */







/** GitHub's limit on a comment body, in characters (counted here as JavaScript string length, which is never less). */
const COMMENT_LIMIT = 65_536;
/** Room `fitComment` leaves for the marker line `upsertStickyComment` puts first (a marker is at most 98 characters with its newline). */
const MARKER_RESERVE = 128;
/** A section folds into `<details>` when its body is longer than this many characters... */
const FOLD_CHARS = 2_000;
/** ...or lines. */
const FOLD_LINES = 30;
const MAX_KEY_LENGTH = 64;
const MAX_TITLE_LENGTH = 200;
const MAX_NAMED_OMISSIONS = 10;
const NOTE_START = '> [!NOTE]\n> Left out to fit';
/** The hidden HTML comment that identifies the sticky comment of `key` (lower-cased; other than a-z 0-9 . _ - becomes -). */
function commentMarker(key) {
    const clean = key
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '-')
        .replace(/-{2,}/g, '-')
        .slice(0, MAX_KEY_LENGTH);
    if (!/[a-z0-9]/.test(clean)) {
        throw new core_errors/* UserError */.y(`The comment key ${JSON.stringify(key)} has no letter or digit.`, 'Use a key such as the step name: validate-data.');
    }
    return `<!-- mlops-actions:pr-report:${clean} -->`;
}
/**
 * One comment body of at most `limit - MARKER_RESERVE` characters: the header, the
 * sections (long or `fold: true` ones inside `<details>`), the footer. When they do
 * not fit, sections are dropped whole from the end and a note names them and points
 * to the job summary and the report artifact.
 */
function fitComment(sections, options) {
    return fitBlocks(options.header, sections.map(renderSection), options.footer ?? '', options.limit ?? COMMENT_LIMIT, false);
}
/**
 * Creates, updates or leaves alone our comment holding `key`'s marker (the first
 * one, searching every page); `isOwn` tells our comments from others' (default: a bot's).
 */
async function upsertStickyComment(github, ref, issueNumber, key, body, isOwn = ownCommentTest()) {
    const marker = commentMarker(key);
    const text = withMarker(marker, body);
    for await (const comment of github.listIssueComments(ref, issueNumber)) {
        // Only our own comment: anyone can paste the marker into a comment of theirs.
        if (!comment.body.includes(marker) || !isOwn(comment))
            continue;
        if (comment.body === text)
            return { action: 'unchanged', comment };
        return { action: 'updated', comment: await github.updateIssueComment(ref, comment.id, text) };
    }
    return { action: 'created', comment: await github.createIssueComment(ref, issueNumber, text) };
}
/** Which comments are ours: by `author` when given, else by any bot account. */
function ownCommentTest(author) {
    return author ? (comment) => comment.author === author : (comment) => comment.author !== null && comment.author.endsWith('[bot]');
}
/**
 * Posts (or updates) the sticky report comment on the event's pull request.
 * Permission problems (a 403, a pull request from a fork) are warnings naming the
 * fix, not errors: the report is still in the job summary. A 422 "body is too long"
 * is retried once at half the size. Other API errors propagate as GitHubApiError.
 */
async function publishPrComment(github, ref, event, key, body, log, options = {}) {
    const pr = pullRequestOf(event);
    if (!pr)
        return { posted: false, reason: 'not a pull request event' };
    if (pr.fork !== null && options.eventName !== 'pull_request_target') {
        log.warning(forkWarning(pr.number, pr.fork));
        return { posted: false, reason: 'pull request from a fork' };
    }
    const marker = commentMarker(key);
    let text = typeof body === 'string' ? body : fitComment(body.sections, body);
    if (withMarker(marker, text).length > COMMENT_LIMIT)
        text = shrink(body, COMMENT_LIMIT);
    const post = async () => {
        const result = await upsertStickyComment(github, ref, pr.number, key, text, ownCommentTest(options.author));
        log.info(`${pr_comment_capitalize(result.action)} the report comment on pull request #${pr.number}: ${result.comment.url}`);
        return { posted: true, pullRequest: pr.number, ...result };
    };
    try {
        try {
            return await post();
        }
        catch (error) {
            if (!(error instanceof ports_github/* GitHubApiError */.O && error.isBodyTooLong))
                throw error;
            const limit = Math.floor(withMarker(marker, text).length / 2);
            log.info(`GitHub refused the ${text.length}-character comment as too long; retrying with at most ${limit} characters.`);
            text = shrink(body, limit);
            return await post();
        }
    }
    catch (error) {
        if (error instanceof ports_github/* GitHubApiError */.O && error.status === 403) {
            const rateLimited = /rate limit/i.test(error.message);
            log.warning(rateLimited ? rateLimitWarning(pr.number, error) : permissionWarning(pr.number, error));
            return { posted: false, reason: rateLimited ? 'rate limited (403)' : 'no permission to comment (403)' };
        }
        throw error;
    }
}
/** The pull request a run is for (its number and head commit), from a pull_request event; null for other events. */
function pullRequestHead(event) {
    const pr = record(record(event)?.pull_request);
    if (!pr || !isNumber(pr.number))
        return null;
    const sha = record(pr.head)?.sha;
    return { number: pr.number, headSha: typeof sha === 'string' ? sha : null };
}
/** The saved comments in `from`, in a stable order; [] when there are none. */
async function savedCommentFiles(from) {
    const file = contracts/* FILE_NAMES */.GY.savedComment;
    if (from.endsWith('.json'))
        return (0,external_node_fs_.existsSync)(from) ? [from] : [];
    if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(from, file)))
        return [(0,external_node_path_.join)(from, file)];
    if (!(0,external_node_fs_.existsSync)(from))
        return [];
    return (await (0,promises_.readdir)(from, { withFileTypes: true }))
        .filter((e) => e.isDirectory() && (0,external_node_fs_.existsSync)((0,external_node_path_.join)(from, e.name, file)))
        .map((e) => (0,external_node_path_.join)(from, e.name, file))
        .sort();
}
/**
 * The reporter half of the fork-safe pattern: runs in the base repository on
 * workflow_run, with a token that may comment. A saved comment came from a pull
 * request's run and is untrusted: its pull request must exist and have the triggering
 * run's head commit, so one pull request's run cannot write on another's comment.
 * Returns the URLs of the comments posted (none when nothing was saved).
 */
async function postSavedComments(request) {
    const { from, log, shown } = request;
    const paths = await savedCommentFiles(from);
    if (paths.length === 0) {
        log.info(`No saved comment in ${shown(from)}: the run was not for a pull request, or its evaluation did not finish. Nothing to post.`);
        return [];
    }
    const run = record(request.event?.workflow_run);
    const runHeadSha = run?.head_sha;
    if (typeof runHeadSha !== 'string')
        throw new core_errors/* UserError */.y('report runs in a workflow triggered by workflow_run (the event has no workflow_run)', 'See workflows in the README: mlops-report.yml.');
    const github = request.github();
    if (!github)
        throw new core_errors/* UserError */.y('no token to comment with', 'Set the `token` input or GITHUB_TOKEN (permissions: pull-requests: write).');
    const urls = [];
    for (const path of paths) {
        const saved = await (0,contracts/* readContract */.Jz)('savedComment', path, shown(path));
        if (!saved)
            throw new core_errors/* UserError */.y(`${shown(path)} disappeared while it was being read`);
        const url = await postSavedComment(saved, runHeadSha, github, log);
        if (url)
            urls.push(url);
    }
    return urls;
}
async function postSavedComment(saved, runHeadSha, github, log) {
    if (saved.headSha !== runHeadSha)
        throw new core_errors/* UserError */.y(`the saved comment is for commit ${saved.headSha}, but the triggering run built ${runHeadSha}: not posted`);
    const pr = await github.github.getPullRequest(github.repo, saved.pullRequest);
    if (pr.headSha !== runHeadSha) {
        // Expected when a newer push came in meanwhile: its own run posts its own comment.
        log.warning(`Pull request #${saved.pullRequest} is at commit ${pr.headSha}, not the triggering run's ${runHeadSha}: the comment was not posted (the newer commit's run will post its own).`);
        return null;
    }
    const result = await publishPrComment(github.github, github.repo, { pull_request: { number: saved.pullRequest } }, saved.key, { header: saved.header, sections: saved.sections, footer: saved.footer }, log, { eventName: 'workflow_run' });
    return result.posted ? result.comment.url : null;
}
/**
 * Splits finished Markdown into a header and sections at top-level headings and
 * `<details>` blocks (never inside a code fence or a fold). When the text opens
 * with a heading, that first part is the header.
 */
function splitMarkdownSections(markdown) {
    const lines = markdown.split('\n');
    const parts = [{ name: null, lines: [] }];
    let fence = null;
    let depth = 0;
    for (const line of lines) {
        if (fence !== null) {
            if (new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(line))
                fence = null;
            parts.at(-1).lines.push(line);
            continue;
        }
        const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line);
        if (opening) {
            fence = opening[1];
            parts.at(-1).lines.push(line);
            continue;
        }
        if (depth === 0) {
            const heading = /^ {0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$/.exec(line);
            const details = /^\s*<details\b/i.test(line);
            if (heading || details) {
                const name = heading
                    ? (heading[1] ?? '')
                    : decodeEntities(/<summary>(.*?)<\/summary>/i.exec(line)?.[1]?.replace(/<[^>]*>/g, '') ?? 'Details');
                parts.push({ name, lines: [] });
            }
        }
        depth += (line.match(/<details\b/gi) ?? []).length - (line.match(/<\/details>/gi) ?? []).length;
        if (depth < 0)
            depth = 0;
        parts.at(-1).lines.push(line);
    }
    // A report that opens with its title: the title and what follows it up to the next heading are the header.
    if (parts.length > 1 && parts[0].lines.join('').trim() === '')
        parts.shift();
    const [head, ...rest] = parts;
    return {
        header: head.lines.join('\n').trim(),
        sections: rest.map((part) => ({ name: part.name ?? '', text: part.lines.join('\n').trim() })),
    };
}
function renderSection(section) {
    const body = section.body.trimEnd();
    const long = body.length > FOLD_CHARS || body.split('\n').length > FOLD_LINES;
    const title = truncate(section.title, MAX_TITLE_LENGTH);
    const text = (section.fold ?? long)
        ? `<details><summary>${escapeHtml(title)}</summary>\n\n${body}\n\n</details>`
        : `### ${escapeText(title, MAX_TITLE_LENGTH)}\n\n${body}`;
    return { name: section.title, text };
}
/** Header, as many blocks from the start as fit, the omission note, the footer: at most `limit - MARKER_RESERVE` characters. */
function fitBlocks(header, allBlocks, footer, limit, earlierOmissions) {
    const budget = Math.max(0, limit - MARKER_RESERVE);
    const blocks = allBlocks.filter((block) => block.text !== '');
    const join = (parts) => parts.filter((part) => part !== '').join('\n\n');
    // Sizes are summed rather than joined, so trying every cut stays linear in the text.
    const prefix = [0];
    for (const block of blocks)
        prefix.push(prefix.at(-1) + block.text.length);
    for (let kept = blocks.length; kept >= 0; kept--) {
        const note = omissionNote(blocks.slice(kept).map((block) => block.name), earlierOmissions);
        const fixed = [header, note, footer].filter((part) => part !== '');
        const count = fixed.length + kept;
        const size = fixed.reduce((sum, part) => sum + part.length, 0) + prefix[kept] + 2 * Math.max(0, count - 1);
        if (size <= budget)
            return join([header, ...blocks.slice(0, kept).map((block) => block.text), note, footer]);
    }
    // Not even the header fits: cut it at a line break, keep the note and the footer.
    const tail = join([
        omissionNote(blocks.map((block) => block.name), earlierOmissions),
        footer,
    ]);
    if (tail.length + 2 < budget)
        return join([cutAtLine(header, budget - tail.length - 2), tail]);
    return truncate(tail, budget);
}
function omissionNote(names, earlierOmissions) {
    if (names.length === 0 && !earlierOmissions)
        return '';
    const shown = names.slice(0, MAX_NAMED_OMISSIONS).map((name) => `“${escapeText(name || 'untitled', 80)}”`);
    if (names.length > MAX_NAMED_OMISSIONS)
        shown.push(`${names.length - MAX_NAMED_OMISSIONS} more`);
    if (earlierOmissions)
        shown.push('sections left out before');
    const list = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : shown[0];
    return `${NOTE_START} GitHub's limit on comment size: ${list}. The full report is in the job summary and in the report artifact.`;
}
function cutAtLine(text, max) {
    if (text.length <= max)
        return text;
    const cut = text.slice(0, Math.max(0, max - 1));
    const lastBreak = cut.lastIndexOf('\n');
    return `${lastBreak > 0 ? cut.slice(0, lastBreak) : cut}…`;
}
/** The content again at a smaller limit: sections are refitted; finished Markdown is split at its headings first. */
function shrink(body, limit) {
    if (typeof body !== 'string') {
        return fitComment(body.sections, { ...body, limit: Math.min(limit, body.limit ?? COMMENT_LIMIT) });
    }
    const { header, sections } = splitMarkdownSections(body);
    const earlier = sections.some((section) => section.text.includes(NOTE_START)) || header.includes(NOTE_START);
    const blocks = sections.map((section) => ({ name: section.name, text: withoutNote(section.text) }));
    return fitBlocks(withoutNote(header), blocks, '', limit, earlier);
}
function withoutNote(text) {
    const at = text.indexOf(NOTE_START);
    if (at < 0)
        return text;
    const end = text.indexOf('\n\n', at);
    return (text.slice(0, at) + (end < 0 ? '' : text.slice(end + 2))).trim();
}
function withMarker(marker, body) {
    return body.startsWith(marker) ? body : `${marker}\n${body}`;
}
/** The pull request an event is about, and the fork it comes from (null when from the same repository or unknown). */
function pullRequestOf(event) {
    const payload = record(event);
    const pr = record(payload?.pull_request);
    if (pr && isNumber(pr.number)) {
        const head = record(pr.head);
        const headRepo = head?.repo;
        const base = record(record(pr.base)?.repo)?.full_name ?? record(payload?.repository)?.full_name;
        if (headRepo === null)
            return { number: pr.number, fork: 'a deleted fork' };
        const headName = record(headRepo)?.full_name;
        const fork = typeof headName === 'string' && typeof base === 'string' && headName.toLowerCase() !== base.toLowerCase() ? headName : null;
        return { number: pr.number, fork };
    }
    const issue = record(payload?.issue);
    if (issue && isNumber(issue.number) && issue.pull_request)
        return { number: issue.number, fork: null };
    return null;
}
function record(value) {
    return typeof value === 'object' && value !== null ? value : undefined;
}
function isNumber(value) {
    return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
const FORK_SAFE_PATTERN = 'upload the report as an artifact (actions/upload-artifact) and post the comment from a second workflow triggered by `on: workflow_run`, which runs in the base repository and can have `permissions: pull-requests: write`';
function forkWarning(number, fork) {
    return (`Pull request #${number} comes from ${fork.includes('/') ? `the fork ${fork}` : fork}, and a workflow run for a fork's pull request ` +
        `gets a read-only token, so the report was not posted as a comment (it is in the job summary). To comment on pull requests from forks, ` +
        `${FORK_SAFE_PATTERN}.`);
}
function permissionWarning(number, error) {
    return (`Could not comment on pull request #${number}: ${error.message}. The report is in the job summary. ` +
        `Give the job \`permissions: pull-requests: write\` (a job's \`permissions:\` replaces the defaults, so keep \`contents: read\` beside it). ` +
        `If the pull request comes from a fork, its token is read-only whatever the workflow asks for: ${FORK_SAFE_PATTERN}.`);
}
function rateLimitWarning(number, error) {
    return `Could not comment on pull request #${number}: ${error.message}. The report is in the job summary; the next run will post it.`;
}
function pr_comment_capitalize(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
function decodeEntities(text) {
    return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]);
}

;// CONCATENATED MODULE: ./src/steps/evaluate.ts
/**
 * evaluate: score a candidate (and the baseline) on held-out data, gate it, report, comment on
 * the pull request. The candidate is train's model directory (any framework's model as
 * ONNX, its conversion checked against reference-predictions.csv when the trainer left one),
 * or a predictions file (any framework, no ONNX needed). This entry only resolves inputs
 * and reports; the work is evaluateCandidate's (core/evaluate/evaluate.ts).
 */









/** evaluate's section of mlops.yaml. */
const EvaluateConfig = schemas/* strictObject */.rej({
    gates: schemas/* array */.YOg(schemas/* unknown */.L5J()).optional(),
    slices: schemas/* array */.YOg(schemas/* string */.YjP()).optional(),
    /** A predictions file (relative to mlops.yaml) evaluated instead of the model directory. */
    predictions: schemas/* string */.YjP().optional(),
    task: schemas/* enum */.k5n(['auto', 'classification', 'regression']).optional(),
    fidelity: schemas/* strictObject */.rej({
        max_difference: schemas/* number */.aig().min(0).optional(),
        min_label_agreement: schemas/* number */.aig().min(0).max(1).optional(),
    })
        .optional(),
    baseline: schemas/* strictObject */.rej({ model: schemas/* string */.YjP().optional(), metrics: schemas/* string */.YjP().optional(), alias: schemas/* string */.YjP().optional() }).optional(),
    fail_on_unblessed: schemas/* boolean */.zMY().optional(),
})
    .default({});
const evaluate = {
    name: 'evaluate',
    title: 'Evaluate',
    description: 'Scores the candidate model (and the baseline) on held-out data, applies the gates (value and change bounds, as TFMA does), writes a blessing, Markdown and HTML reports, and keeps one comment on the pull request up to date.',
    inputs: {
        config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
        'model-dir': {
            description: "The candidate's model directory (train's model-dir output). Default: the train step's output beside mlops.yaml.",
        },
        predictions: {
            description: 'Instead of a model: a CSV of predictions from any framework (no ONNX needed), one row per test row, with columns y_true and y_pred, for classification optionally one score:<class> column of probabilities per class, and any other columns (slices, the features a baseline model takes). Default: evaluate.predictions in mlops.yaml.',
            config: 'evaluate.predictions',
        },
        task: {
            description: "The task of a predictions file: auto (the model card's beside it or in model-dir, else from the file: score columns or text labels mean classification, numbers with fractions regression), classification or regression. Default: evaluate.task, else auto.",
            choices: ['auto', 'classification', 'regression'],
            config: 'evaluate.task',
            default: 'auto',
        },
        'fidelity-max-difference': {
            description: "The conversion fidelity gate (when model-dir holds reference-predictions.csv, the original framework's predictions): the largest difference allowed between the ONNX graph's probabilities and the reference's (regression: values, relative above 1). Default: evaluate.fidelity.max_difference, else 0.0001.",
            type: 'number',
            min: 0,
            config: 'evaluate.fidelity.max_difference',
            default: String(DEFAULT_FIDELITY_TOLERANCE.maxDifference),
        },
        'fidelity-min-label-agreement': {
            description: "The conversion fidelity gate: the smallest share of rows (0 to 1) where the ONNX graph's label equals the reference's. Default: evaluate.fidelity.min_label_agreement, else 1 (every label).",
            type: 'number',
            min: 0,
            max: 1,
            config: 'evaluate.fidelity.min_label_agreement',
            default: String(DEFAULT_FIDELITY_TOLERANCE.minLabelAgreement),
        },
        data: {
            description: 'Held-out test data files or globs, one per line: what the model is scored on (with a predictions file: what a baseline model is scored on when the file lacks its feature columns, paired row by row). Default: data.test in mlops.yaml.',
            list: true,
            config: 'data.test',
        },
        'baseline-model-dir': {
            description: 'A baseline model directory (for example the model in production), scored on the same test data. Default: evaluate.baseline.model.',
            config: 'evaluate.baseline.model',
        },
        'baseline-metrics': {
            description: 'Or a JSON file of baseline metrics (a previous evaluation.json or metrics.json). Default: evaluate.baseline.metrics.',
            config: 'evaluate.baseline.metrics',
        },
        registry: {
            description: 'The registry baseline-alias is read from: oci://host/namespace or a folder. Default: registry.url or registry.path in mlops.yaml, else .mlops/registry beside mlops.yaml.',
        },
        'baseline-alias': {
            description: 'Or the model at this alias of the registry (for example production; an environment name such as Production means its alias, production), pulled and scored on the same test data; while the alias does not exist yet, the candidate is a first model. Default: evaluate.baseline.alias.',
            config: 'evaluate.baseline.alias',
        },
        gates: { description: 'A YAML or JSON file with a list of gates. Default: evaluate.gates in mlops.yaml (no gates: always blessed).' },
        slices: {
            description: 'Columns to report metrics per value of, one per line. Default: evaluate.slices.',
            list: true,
            config: 'evaluate.slices',
        },
        'fail-on-unblessed': {
            description: 'true to fail the step when the candidate is not blessed. Default: evaluate.fail_on_unblessed, else true.',
            type: 'boolean',
            config: 'evaluate.fail_on_unblessed',
            default: 'true',
        },
        comment: {
            description: 'Post or update the report comment on the pull request: auto (when the event is a pull request and a token is set), true or false. Default: auto.',
            choices: ['auto', 'true', 'false'],
            default: 'auto',
        },
        'comment-key': { description: 'Tells apart the comments of several models on one pull request. Default: the model name.' },
        token: {
            description: "GitHub token for the comment (the job needs permissions: pull-requests: write). Default: the workflow's token.",
            actionDefault: '${{ github.token }}',
        },
        'validation-report': {
            description: "validate-data's report.md, included in the comment. Default: validate-data's report beside mlops.yaml, when present.",
        },
        'output-dir': {
            description: 'Where report.md, report.html, evaluation.json, blessing.json (and comment.json on pull requests) go. Default: .mlops/evaluate beside mlops.yaml.',
        },
        'model-artifact': {
            description: "On GitHub: download the candidate model from this artifact of the run (train's artifact-name, uploaded by an earlier job) into model-dir first. Default: none (the model is already on disk).",
        },
        'validation-artifact': {
            description: "On GitHub: download validate-data's reports from this artifact of the run (its artifact-name) first, so the comment includes them. Default: none.",
        },
        'artifact-name': { description: 'Name of the reports artifact uploaded on GitHub. Default: evaluation-<model name>.' },
    },
    outputs: {
        blessed: { description: '"true" when every gate passed.' },
        metrics: { description: "The candidate's metrics as a JSON object." },
        'baseline-metrics': { description: "The baseline's metrics as a JSON object, or null." },
        blessing: { description: 'Path of blessing.json (read by register and deploy).' },
        report: { description: 'Path of the Markdown report.' },
        'html-report': { description: 'Path of the self-contained HTML report.' },
        'comment-url': { description: 'URL of the pull request comment, when one was posted.' },
    },
    config: { key: 'evaluate', schema: EvaluateConfig },
    run: runEvaluate,
};
async function runEvaluate(ctx) {
    const { io, workspace } = ctx;
    const section = EvaluateConfig.parse(ctx.config.config.evaluate ?? {});
    const modelName = ctx.config.config.model?.name ?? 'model';
    const outputDirInput = stringInput(ctx, evaluate, 'output-dir');
    const outputDir = workspace.dir('evaluate', outputDirInput);
    await (0,core_workspace/* ensureWritableDir */.g)(outputDir, outputDirInput ? 'input output-dir' : "evaluate's folder");
    // The candidate, and what it is compared with and judged by.
    const predictions = pathInput(ctx, evaluate, 'predictions');
    const modelDirInput = stringInput(ctx, evaluate, 'model-dir');
    const modelDir = modelDirInput ? workspace.path(modelDirInput) : workspace.modelDir();
    const candidate = predictions ? { kind: 'predictions', file: predictions, modelDir } : { kind: 'model', dir: modelDir };
    const task = resolveInput(ctx, evaluate, 'task');
    const taskSetBy = task?.source === 'mlops.yaml' ? 'evaluate.task in mlops.yaml' : 'the task input';
    const baselineDir = pathInput(ctx, evaluate, 'baseline-model-dir');
    const baselineAlias = stringInput(ctx, evaluate, 'baseline-alias');
    const baselineMetrics = pathInput(ctx, evaluate, 'baseline-metrics');
    const token = stringInput(ctx, evaluate, 'token');
    const baseline = baselineDir
        ? { kind: 'model', dir: baselineDir }
        : baselineAlias
            ? { kind: 'alias', alias: aliasOf(baselineAlias), registry: ctx.registry(stringInput(ctx, evaluate, 'registry'), token) }
            : baselineMetrics
                ? { kind: 'metrics', file: baselineMetrics }
                : null;
    const gatesFile = stringInput(ctx, evaluate, 'gates');
    const gates = gatesFile
        ? { kind: 'file', file: workspace.path(gatesFile), shownAs: workspace.shown(workspace.path(gatesFile)) }
        : { kind: 'config', value: section.gates };
    const validationReport = stringInput(ctx, evaluate, 'validation-report');
    const failOnUnblessed = booleanInput(ctx, evaluate, 'fail-on-unblessed') ?? true;
    const commentMode = choiceInput(ctx, evaluate, 'comment') ?? 'auto';
    // Files earlier jobs of the run uploaded (GitHub only). With a predictions file too: a
    // trainer may write it into its model directory, beside the card that tells its task.
    await downloadArtifactInput(ctx, 'model-artifact', modelDir, 'the model');
    if (!validationReport)
        await downloadArtifactInput(ctx, 'validation-artifact', workspace.dir('validate-data'), "validate-data's reports");
    const event = await ctx.env.event();
    const result = await evaluateCandidate({
        modelName,
        candidate,
        testData: {
            files: pathsInput(ctx, evaluate, 'data'),
            format: ctx.config.config.data.format ?? 'auto',
            nullValues: ctx.config.config.data.null_values,
        },
        task: { setting: (task?.value ?? 'auto'), setBy: taskSetBy },
        fidelity: {
            maxDifference: numberInput(ctx, evaluate, 'fidelity-max-difference') ?? DEFAULT_FIDELITY_TOLERANCE.maxDifference,
            minLabelAgreement: numberInput(ctx, evaluate, 'fidelity-min-label-agreement') ?? DEFAULT_FIDELITY_TOLERANCE.minLabelAgreement,
        },
        baseline,
        gates,
        slices: listInput(ctx, evaluate, 'slices'),
        outputDir,
        validationReport: validationReport ? workspace.path(validationReport) : (0,external_node_path_.join)(workspace.dir('validate-data'), 'report.md'),
        commentKey: stringInput(ctx, evaluate, 'comment-key') || modelName,
        pullRequest: pullRequestHead(event),
        links: ctx.env.runUrl ? [{ label: 'Workflow run and artifacts', url: ctx.env.runUrl }] : [],
        shown: (path) => workspace.shown(path),
        log: io,
    });
    const { blessing, paths } = result;
    await io.appendSummary(result.markdown);
    io.info(`${blessing.blessed ? 'Blessed' : 'Not blessed'}: ${blessing.blessed ? 'every gate passed' : blessing.reasons.join(' ')}`);
    io.info(`Reports: ${workspace.shown(paths.report)}, ${workspace.shown(paths.html)}`);
    // The reports (HTML included) as an artifact of the run, linked from the comment's run link.
    await uploadArtifact(ctx, stringInput(ctx, evaluate, 'artifact-name') || `evaluation-${modelName}`, outputDir, 'the reports');
    const commentUrl = commentMode === 'false' ? null : await postComment(ctx, result.comment, event, commentMode, token);
    io.setOutput('blessed', String(blessing.blessed));
    io.setOutput('metrics', JSON.stringify(result.metrics));
    io.setOutput('baseline-metrics', JSON.stringify(result.baselineMetrics));
    io.setOutput('blessing', workspace.shown(paths.blessing));
    io.setOutput('report', workspace.shown(paths.report));
    io.setOutput('html-report', workspace.shown(paths.html));
    io.setOutput('comment-url', commentUrl ?? '');
    if (!blessing.blessed && failOnUnblessed)
        io.fail(`The candidate is not blessed: ${blessing.reasons.join(' ')}`);
}
/** Posts or updates the sticky comment on the event's pull request; its URL, or null when none was posted. */
async function postComment(ctx, comment, event, mode, token) {
    const client = ctx.github(token);
    if (!event || !client) {
        if (mode === 'true')
            ctx.io.warning(`No pull request comment: ${!event ? 'no GitHub event (GITHUB_EVENT_PATH)' : 'no token (set the `token` input or GITHUB_TOKEN)'}.`);
        return null;
    }
    const { key, ...content } = comment;
    const result = await publishPrComment(client.github, client.repo, event, key, content, ctx.io, {
        eventName: ctx.env.eventName ?? undefined,
    });
    return result.posted ? result.comment.url : null;
}

// EXTERNAL MODULE: ./src/core/registry/registry.ts
var registry_registry = __webpack_require__(96252);
;// CONCATENATED MODULE: ./src/core/registry/register.ts
/**
 * The register use case: a blessed model directory becomes the next immutable version
 * of the model in a registry (with its model card and blessing), optionally behind an
 * alias; and the summary that says what was registered, with its lineage.
 */







/** Checks the names and the blessing, registers the model directory, and points the alias at the new version. */
async function registerModel(request) {
    const { registry, model, modelDir } = request;
    let blessing = request.blessing;
    let blessingDropped = null;
    (0,registry_registry/* checkName */.I3)(model, 'model');
    const alias = request.alias || null;
    if (alias)
        (0,registry_registry/* checkAliasName */.cY)(alias); // before registering: a bad alias must not leave a version behind
    if (!(0,external_node_fs_.existsSync)(modelDir))
        throw new core_errors/* UserError */.y(`no model at ${request.shown(modelDir)}`, 'Run train first, or set the `model-dir` input to its model-dir output.');
    await (0,registry_registry/* modelFiles */.VC)(modelDir); // refuses links and empty folders before anything is created
    const here = await (0,model_io.modelFileDigest)(modelDir);
    // The card describes the graph train wrote (its SHA-256): a model.onnx changed since is not the model the card describes.
    const described = request.card?.model;
    if (described && here !== null && here !== `sha256:${described.sha256}` && described.file === model_io.MODEL_FILE)
        throw new core_errors/* UserError */.y(`${request.shown((0,external_node_path_.join)(modelDir, model_io.MODEL_FILE))} is not the graph its model card describes (the card records sha256:${described.sha256.slice(0, 12)}…, the file is ${here.slice(0, 19)}…)`, 'Train again (train writes the graph and its card together), or restore the file train wrote.');
    // A blessing is bound to the bytes it judged: one for another model (a stale evaluate folder, a swapped file) is not this model's.
    const judged = blessing?.model.digest ?? null;
    if (blessing && judged) {
        if (here !== judged) {
            const what = `the blessing at ${request.blessingShown} judged model ${judged.slice(0, 19)}…, but ${request.shown(modelDir)} holds ${here ? `${here.slice(0, 19)}…` : 'no model.onnx'}`;
            if (!request.allowUnblessed)
                throw new core_errors/* UserError */.y(what, 'Evaluate this model (evaluate writes a blessing naming the model it judged), then register it.');
            blessingDropped = `${what}; registered without it`;
            blessing = null;
        }
    }
    if (!request.allowUnblessed) {
        if (!blessing)
            throw new core_errors/* UserError */.y(`no blessing at ${request.blessingShown}: the model was not evaluated`, 'Run evaluate first (it writes blessing.json), or set allow-unblessed: true.');
        if (!blessing.blessed)
            throw new core_errors/* UserError */.y(`the model is not blessed: ${blessing.reasons.join(' ') || 'its evaluation failed a gate'}`, 'Fix the model, or set allow-unblessed: true to register it anyway.');
    }
    // A graph is checked before it is stored: one that ONNX Runtime cannot load would fail every later deploy.
    if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(modelDir, model_io.MODEL_FILE)))
        (await (0,model_io.loadModel)(modelDir)).model.dispose();
    // A folder registry is an output location: an unwritable one is a clear error before any file is copied.
    if (registry.kind === 'local')
        await (0,core_workspace/* ensureWritableDir */.g)(registry.location, 'the registry (the `registry` input, or registry.path in mlops.yaml)');
    const version = await registry.register(model, modelDir, { card: request.card, blessing });
    if (alias)
        await registry.setAlias(model, alias, version.version);
    return { version, alias, blessingDropped };
}
/** The step summary of a registration: where the version lives, its blessing, lineage, how to pull it, and its metrics. */
function registerSummary(registered, registry) {
    const { version, alias } = registered;
    const { model, card, blessing } = version;
    const metrics = card?.metrics.validation ?? {};
    return [
        `## Registered: ${escapeText(model)} version ${version.version}${alias ? ` (${escapeText(alias)})` : ''}`,
        '',
        `${code(version.uri, 120, false)}, digest ${code(version.digest, 80, false)}, ${version.files.length} files${blessing ? (blessing.blessed ? ', blessed' : ', **not blessed**') : ', no blessing'}.`,
        '',
        ...lineageLines(card),
        `Pull it with \`mlops registry pull ${model} ${version.version} --output DIR${registry.kind === 'oci' ? ` --registry ${registry.location}` : ''}\`.`,
        '',
        table(['Metric', 'Validation'], Object.entries(metrics)
            .filter((entry) => typeof entry[1] === 'number')
            .map(([k, v]) => [`\`${k}\``, formatNumber(v)]), ['left', 'right']),
        '',
    ].join('\n');
}
/** Lineage from the model card, for the summary: trainer, data files with their hashes, commit and run. */
function lineageLines(card) {
    if (!card)
        return ['No model card: no lineage recorded.', ''];
    const trainer = card.trainer;
    const trainedBy = trainer.kind === 'command' ? trainer.command : `${trainer.algorithm ?? trainer.model ?? trainer.kind} (${trainer.backend ?? '?'})`;
    const lines = [
        `- Trainer: ${code(trainedBy, 100, false)}`,
        ...card.data.files.map((f) => `- Data: ${code(f.path, 80, false)} sha256 ${code(f.sha256.slice(0, 16), 16, false)}`),
    ];
    if (card.git?.commit)
        lines.push(`- Commit: ${code(card.git.commit, 40, false)}`);
    if (typeof card.run?.url === 'string')
        lines.push(`- Run: ${escapeText(card.run.url, 200)}`);
    if (card.trainedAt)
        lines.push(`- Trained: ${escapeText(card.trainedAt)}`);
    return [...lines, ''];
}

;// CONCATENATED MODULE: ./src/core/registry/settings.ts
/**
 * The `registry:` section of mlops.yaml: where the project's model registry is. Read
 * by every step that opens the registry (through the step context); declared by the
 * register step as its section, so a typo in it is rejected when mlops.yaml loads.
 */

const RegistrySettings = schemas/* strictObject */.rej({
    /** An OCI registry: oci://host/namespace (ghcr.io: oci://ghcr.io/<owner>). Wins over `path`. */
    url: schemas/* string */.YjP()
        .regex(/^oci:\/\/[^/]+\/.+$/, 'oci://host/namespace, for example oci://ghcr.io/acme')
        .optional(),
    /** A folder registry, relative to mlops.yaml. Default: .mlops/registry beside it. */
    path: schemas/* string */.YjP().min(1).optional(),
    /** Speak plain http to the OCI registry (a registry on a private network or loopback). Default false. */
    insecure: schemas/* boolean */.zMY().optional(),
});

;// CONCATENATED MODULE: ./src/steps/register.ts
/** register: make a blessed model an immutable, numbered version in the registry, optionally behind an alias. */






/** The `registry:` section of mlops.yaml (url, path, insecure), which register declares for every step that opens the registry. */
const RegistryConfig = RegistrySettings;
const register = {
    name: 'register',
    title: 'Register',
    description: 'Registers a blessed model directory as the next immutable version of the model in the registry (a folder, or an OCI registry such as ghcr.io), with its model card and blessing, and optionally points an alias at it.',
    inputs: {
        config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
        'model-dir': {
            description: "The model directory to register (train's model-dir output). Default: the train step's output beside mlops.yaml.",
        },
        model: { description: 'The model name in the registry. Default: model.name in mlops.yaml.', config: 'model.name' },
        blessing: { description: "evaluate's blessing.json. Default: the evaluate step's output beside mlops.yaml." },
        'model-artifact': {
            description: "On GitHub: download the model from this artifact of the run (train's artifact-name, uploaded by an earlier job) into model-dir first, so registering runs in a job that runs no training code. Default: none (the model is already on disk).",
        },
        'evaluation-artifact': {
            description: "On GitHub: download evaluate's reports, blessing.json among them, from this artifact of the run (its artifact-name) first. Default: none.",
        },
        'allow-unblessed': {
            description: 'true to register a model without a blessing, or one that is not blessed. Default: false.',
            type: 'boolean',
            default: 'false',
        },
        alias: { description: 'An alias to point at the new version (for example staging or champion). Default: none.' },
        registry: {
            description: 'The registry: oci://host/namespace (ghcr.io: oci://ghcr.io/<owner>) or a folder. Default: registry.url or registry.path in mlops.yaml, else the folder .mlops/registry beside mlops.yaml.',
        },
        token: {
            description: 'Token for ghcr.io only (the job needs permissions: packages: write); never sent to another registry, which takes MLOPS_REGISTRY_TOKEN or MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD. Default: the workflow token.',
            actionDefault: '${{ github.token }}',
        },
    },
    outputs: {
        version: { description: 'The new version number.' },
        digest: { description: 'The content digest of the version (sha256:...).' },
        uri: { description: 'Where the version lives, e.g. local://penguins/3.' },
    },
    config: { key: 'registry', schema: RegistryConfig },
    async run(ctx) {
        await runRegister(ctx);
    },
};
/** Resolves the inputs, reads the model card and blessing, registers, and publishes the version (outputs, summary). */
async function runRegister(ctx) {
    const { io, workspace } = ctx;
    const model = stringInput(ctx, register, 'model');
    if (!model)
        throw new core_errors/* UserError */.y('no model name', 'Set the `model` input (or --model), or model.name in mlops.yaml.');
    const modelDirInput = stringInput(ctx, register, 'model-dir');
    const modelDir = modelDirInput ? workspace.path(modelDirInput) : workspace.modelDir();
    await downloadArtifactInput(ctx, 'model-artifact', modelDir, 'the model');
    const blessingInput = stringInput(ctx, register, 'blessing');
    const blessingPath = blessingInput ? workspace.path(blessingInput) : (0,contracts/* contractPath */.K0)('blessing', workspace.dir('evaluate'));
    const allowUnblessed = booleanInput(ctx, register, 'allow-unblessed') ?? false;
    if (!blessingInput)
        await downloadArtifactInput(ctx, 'evaluation-artifact', workspace.dir('evaluate'), "evaluate's reports");
    const blessing = await (0,contracts/* readContract */.Jz)('blessing', blessingPath, workspace.shown(blessingPath));
    const cardPath = (0,contracts/* contractPath */.K0)('modelCard', modelDir);
    const card = await (0,contracts/* readContract */.Jz)('modelCard', cardPath, workspace.shown(cardPath));
    const registry = ctx.registry(stringInput(ctx, register, 'registry'), stringInput(ctx, register, 'token'));
    const registered = await registerModel({
        registry,
        model,
        modelDir,
        card,
        blessing,
        blessingShown: workspace.shown(blessingPath),
        allowUnblessed,
        alias: stringInput(ctx, register, 'alias'),
        shown: (path) => workspace.shown(path),
    });
    const { version, alias } = registered;
    if (registered.blessingDropped)
        io.warning(`register: ${registered.blessingDropped}`);
    io.info(`Registered ${model} version ${version.version} (${version.digest})${alias ? `; ${alias} now points at it` : ''}: ${version.uri}`);
    await io.appendSummary(registerSummary(registered, registry));
    io.setOutput('version', String(version.version));
    io.setOutput('digest', version.digest);
    io.setOutput('uri', version.uri);
}

;// CONCATENATED MODULE: ./src/steps/report.ts
/**
 * report: the fork-safe reporter. A pull request from a fork runs with a read-only
 * token, so its evaluate step saves the comment (comment.json beside its reports); this
 * step runs in a workflow_run workflow of the base repository, which may comment, and
 * posts it after checking the pull request's head commit is the triggering run's.
 */


const report = {
    name: 'report',
    title: 'Report',
    description: 'Fork-safe pull request comments: in a workflow_run workflow, posts the comment a pull request run of evaluate saved, on that pull request, after checking its head commit is the triggering run’s. Never runs the pull request’s code.',
    inputs: {
        config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
        from: {
            description: "The saved comment: a comment.json, the folder holding it (evaluate's reports artifact), or a folder of downloaded artifacts each holding one (several models). Default: evaluate's folder, .mlops/evaluate beside mlops.yaml.",
        },
        token: {
            description: "GitHub token for the comment (the job needs permissions: pull-requests: write). Default: the workflow's token.",
            actionDefault: '${{ github.token }}',
        },
    },
    outputs: {
        'comment-url': { description: 'URLs of the comments posted, one per line; empty when nothing was posted.' },
    },
    run: runReport,
};
async function runReport(ctx) {
    const from = stringInput(ctx, report, 'from');
    const token = stringInput(ctx, report, 'token');
    const urls = await postSavedComments({
        from: from ? ctx.workspace.path(from) : ctx.workspace.dir('evaluate'),
        event: await ctx.env.event(),
        github: () => ctx.github(token),
        log: ctx.io,
        shown: (path) => ctx.workspace.shown(path),
    });
    ctx.io.setOutput('comment-url', urls.join('\n'));
}

;// CONCATENATED MODULE: ./src/core/model/model.ts
/** Declares a kind with its parameter types inferred from its schema. */
function defineKind(kind) {
    return kind;
}

;// CONCATENATED MODULE: ./src/core/model/kinds/gbdt/bins.ts
/**
 * Binning for the gbdt kind: every encoded column (see boost.ts for the layout) becomes
 * small integers, the bins the histograms count.
 *
 * Conventions:
 * - Values are taken as float32 (Math.fround), as the exported graph receives them, so a
 *   split learnt here routes every float32 input the same way in ONNX Runtime.
 * - A column has `nBins` value bins (at most max_bins) and one more slot, index `nBins`,
 *   for missing values (NaN). Bin b holds the values x with edges[b - 1] < x <= edges[b]
 *   (edges[-1] = -infinity, edges[nBins - 1] = +infinity): "bin <= t" is exactly
 *   "x <= edges[t]", the BRANCH_LEQ test of the exported trees.
 * - Edges, as scikit-learn's _BinMapper: with at most max_bins distinct values, the
 *   midpoints between consecutive distinct values; otherwise the midpoint-method
 *   percentiles at 100 * q / max_bins (q = 1 .. max_bins - 1), duplicates dropped. Each
 *   edge is rounded to a float32 strictly below the next distinct value (when the
 *   rounded midpoint is not, the lower value itself), so the bins of the training values
 *   are as in float64. Unlike scikit-learn, every training row is used (no subsample of
 *   200,000) and infinities are ordinary values (scikit-learn rejects them).
 */
/** The edges of one column from its training values (see the header). `scratch` holds at least n values. */
function fitEdges(values, n, maxBins, scratch) {
    let m = 0;
    for (let i = 0; i < n; i++) {
        const v = values(i);
        if (!Number.isNaN(v))
            scratch[m++] = v;
    }
    const sorted = scratch.subarray(0, m).sort();
    let distinct = 0;
    for (let i = 0; i < m; i++)
        if (i === 0 || sorted[i] !== sorted[i - 1])
            distinct++;
    const raw = [];
    if (distinct <= maxBins) {
        for (let i = 1; i < m; i++)
            if (sorted[i] !== sorted[i - 1])
                raw.push(edgeBetween(sorted[i - 1], sorted[i]));
    }
    else {
        for (let q = 1; q < maxBins; q++) {
            const position = (q / maxBins) * (m - 1);
            const lo = sorted[Math.floor(position)];
            const hi = sorted[Math.ceil(position)];
            raw.push(lo === hi ? lo : edgeBetween(lo, hi));
        }
    }
    const edges = [];
    for (const e of raw)
        if (edges.length === 0 || e > edges.at(-1))
            edges.push(e);
    // The last edge must leave some value above it, or its bin would be empty.
    while (edges.length > 0 && m > 0 && edges.at(-1) >= sorted[m - 1])
        edges.pop();
    return Float32Array.from(edges);
}
/** A float32 edge e with lo <= e < hi: the rounded midpoint, or lo when rounding reaches hi. */
function edgeBetween(lo, hi) {
    const mid = Math.fround(lo / 2 + hi / 2);
    return mid >= lo && mid < hi ? mid : lo;
}
/** The bin of `v` (float32) for `edges`: the missing slot for NaN. */
function binOf(v, edges) {
    if (Number.isNaN(v))
        return edges.length + 1;
    let lo = 0;
    let hi = edges.length; // the answer is in [lo, hi]
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (v <= edges[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
/** Bins `n` rows of `columns` with `edges` into a Uint8Array, row-major (row i at i * width) or column-major (column f at f * n). */
function binRows(columns, n, edges, layout = 'rows') {
    const width = columns.length;
    const bins = new Uint8Array(n * width);
    for (let f = 0; f < width; f++) {
        const values = columns[f];
        const e = edges[f];
        if (layout === 'rows')
            for (let i = 0; i < n; i++)
                bins[i * width + f] = binOf(values(i), e);
        else
            for (let i = 0; i < n; i++)
                bins[f * n + i] = binOf(values(i), e);
    }
    return bins;
}
/**
 * Fits the edges of every column on the training rows and bins them. `groups` lists the
 * one-hot blocks ([first column, size]): their histograms are counted from the one hot
 * column of each row (one update per block instead of one per column).
 */
function binTraining(columns, n, maxBins, groups = []) {
    const width = columns.length;
    const scratch = new Float32Array(n);
    const grouped = new Uint8Array(width);
    for (const [start, size] of groups)
        grouped.fill(1, start, start + size);
    // A one-hot column holds 0 and 1: its edge is 0.5 when both occur (as fitEdges finds, without sorting).
    const edges = columns.map((values, f) => {
        if (!grouped[f])
            return fitEdges(values, n, maxBins, scratch);
        let ones = 0;
        for (let i = 0; i < n; i++)
            if (values(i) === 1)
                ones++;
        return ones > 0 && ones < n ? Float32Array.of(0.5) : new Float32Array(0);
    });
    const nBins = Int32Array.from(edges, (e) => e.length + 1);
    const offsets = new Int32Array(width);
    let total = 0;
    for (let f = 0; f < width; f++) {
        offsets[f] = total;
        total += nBins[f] + 1;
    }
    const bins = binRows(columns, n, edges, 'columns');
    const dense = Int32Array.from(Array.from({ length: width }, (_, j) => j).filter((j) => !grouped[j]));
    const perRow = dense.length + groups.length;
    const slots = new Int32Array(n * perRow);
    for (let i = 0; i < n; i++) {
        const at = i * perRow;
        for (let d = 0; d < dense.length; d++)
            slots[at + d] = (offsets[dense[d]] + bins[dense[d] * n + i]) * 3;
    }
    groups.forEach(([start, size], q) => {
        for (let j = start; j < start + size; j++) {
            // A column that is 1 in every training row has one bin: bin 0 holds its 1s.
            const slot = (offsets[j] + (nBins[j] > 1 ? 1 : 0)) * 3;
            const values = columns[j];
            for (let i = 0; i < n; i++)
                if (values(i) === 1)
                    slots[i * perRow + dense.length + q] = slot;
        }
    });
    return {
        rows: n,
        width,
        bins,
        slots,
        perRow,
        nBins,
        offsets,
        totalSlots: total,
        edges,
        dense,
        groupStart: Int32Array.from(groups, ([start]) => start),
        groupSize: Int32Array.from(groups, ([, size]) => size),
    };
}

;// CONCATENATED MODULE: ./src/core/model/kinds/gbdt/boost.ts
const MIN_HESSIAN = 1e-3;
/** Fits the ensemble; `onIteration` after each iteration (losses: mean over rows). */
function boost(data, objective, params, onIteration) {
    const { binned, y } = data;
    const n = binned.rows;
    const width = binned.width;
    const K = objective === 'softmax' ? data.classes : 1;
    const base = initialScores(objective, y, data.classes);
    const raw = new Float64Array(n * K);
    for (let i = 0; i < n; i++)
        for (let k = 0; k < K; k++)
            raw[i * K + k] = base[k];
    const val = data.validation && data.validation.y.length > 0 ? data.validation : null;
    const nVal = val ? val.y.length : 0;
    const rawVal = new Float64Array(nVal * K);
    for (let i = 0; i < nVal; i++)
        for (let k = 0; k < K; k++)
            rawVal[i * K + k] = base[k];
    const grad = new Float64Array(n * K);
    const hess = new Float64Array(n * K);
    const rows = new Uint32Array(n);
    const scratch = new Uint32Array(n);
    const probs = new Float64Array(K);
    const pool = [];
    const grower = new Grower(binned, params, pool, rows, scratch);
    const trees = [];
    const valHistory = [];
    if (val)
        valHistory.push(meanLoss(objective, rawVal, val.y, K, probs));
    let best = 0;
    let bestLoss = valHistory[0] ?? Infinity;
    let stoppedEarly = false;
    let iterations = 0;
    for (let it = 1; it <= params.maxIter; it++) {
        gradients(objective, raw, y, K, grad, hess, probs);
        for (let k = 0; k < K; k++) {
            const tree = grower.grow(grad.subarray(k * n, (k + 1) * n), hess.subarray(k * n, (k + 1) * n), objective === 'squared_error', (start, end, value) => {
                for (let i = start; i < end; i++) {
                    const at = rows[i] * K + k;
                    raw[at] = raw[at] + value;
                }
            });
            trees.push(tree);
            if (val)
                for (let i = 0; i < nVal; i++)
                    rawVal[i * K + k] = rawVal[i * K + k] + leafValue(tree, val.bins, i * width, binned.nBins);
        }
        iterations = it;
        const loss = meanLoss(objective, raw, y, K, probs);
        let valLoss = null;
        if (val) {
            valLoss = meanLoss(objective, rawVal, val.y, K, probs);
            valHistory.push(valLoss);
            if (valLoss < bestLoss) {
                bestLoss = valLoss;
                best = it;
            }
        }
        else
            best = it;
        onIteration(it, loss, valLoss);
        if (!Number.isFinite(loss))
            break;
        if (val && params.nIterNoChange > 0 && valHistory.length > params.nIterNoChange) {
            const reference = valHistory[valHistory.length - 1 - params.nIterNoChange];
            let improved = false;
            for (let j = valHistory.length - params.nIterNoChange; j < valHistory.length; j++)
                if (valHistory[j] < reference - params.tol)
                    improved = true;
            if (!improved) {
                stoppedEarly = true;
                break;
            }
        }
    }
    // At least one iteration, as scikit-learn (a graph needs a tree).
    best = Math.max(1, Math.min(best, iterations));
    trees.length = best * K;
    return { ensemble: { objective, outputs: K, width, base, trees }, iterations, best, stoppedEarly };
}
/** The raw score a tree gives one binned row (bins at `offset`). */
function leafValue(tree, bins, offset, nBins) {
    let node = 0;
    while (tree.feature[node] >= 0) {
        const f = tree.feature[node];
        const b = bins[offset + f];
        const left = b === nBins[f] ? tree.missingLeft[node] : b <= tree.binThreshold[node];
        node = left ? tree.left[node] : tree.right[node];
    }
    return tree.value[node];
}
function initialScores(objective, y, classes) {
    const n = y.length;
    if (objective === 'squared_error') {
        let sum = 0;
        for (let i = 0; i < n; i++)
            sum += y[i];
        return [n > 0 ? sum / n : 0];
    }
    const counts = new Float64Array(classes);
    for (let i = 0; i < n; i++)
        counts[y[i]]++;
    const eps = 1e-15;
    if (objective === 'log_loss') {
        const p = Math.min(1 - eps, Math.max(eps, counts[1] / n));
        return [Math.log(p / (1 - p))];
    }
    const logs = Array.from(counts, (c) => Math.log(Math.max(eps, c / n)));
    const mean = logs.reduce((a, b) => a + b, 0) / classes;
    return logs.map((l) => l - mean);
}
function sigmoid(x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
/** Softmax of raw[offset .. offset + K) into out. */
function softmax(raw, offset, K, out) {
    let max = -Infinity;
    for (let k = 0; k < K; k++)
        max = Math.max(max, raw[offset + k]);
    let sum = 0;
    for (let k = 0; k < K; k++)
        sum += out[k] = Math.exp(raw[offset + k] - max);
    for (let k = 0; k < K; k++)
        out[k] /= sum;
}
/** Gradients and hessians (class-major: [k * n + i]) at the raw scores. */
function gradients(objective, raw, y, K, grad, hess, probs) {
    const n = y.length;
    if (objective === 'squared_error') {
        for (let i = 0; i < n; i++) {
            grad[i] = raw[i] - y[i];
            hess[i] = 1;
        }
    }
    else if (objective === 'log_loss') {
        for (let i = 0; i < n; i++) {
            const p = sigmoid(raw[i]);
            grad[i] = p - y[i];
            hess[i] = p * (1 - p);
        }
    }
    else {
        for (let i = 0; i < n; i++) {
            softmax(raw, i * K, K, probs);
            const label = y[i];
            for (let k = 0; k < K; k++) {
                const p = probs[k];
                grad[k * n + i] = p - (k === label ? 1 : 0);
                hess[k * n + i] = p * (1 - p);
            }
        }
    }
}
/** Mean loss: squared error, log loss or softmax log loss. */
function meanLoss(objective, raw, y, K, probs) {
    const n = y.length;
    if (n === 0)
        return NaN;
    let sum = 0;
    if (objective === 'squared_error') {
        for (let i = 0; i < n; i++)
            sum += (raw[i] - y[i]) ** 2;
    }
    else if (objective === 'log_loss') {
        // log(1 + e^-z) for the true class, computed stably.
        for (let i = 0; i < n; i++) {
            const z = y[i] === 1 ? raw[i] : -raw[i];
            sum += z >= 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
        }
    }
    else {
        for (let i = 0; i < n; i++) {
            softmax(raw, i * K, K, probs);
            sum -= Math.log(Math.max(1e-300, probs[y[i]]));
        }
    }
    return sum / n;
}
/** Grows one tree at a time on the binned rows (buffers shared across trees). */
class Grower {
    binned;
    params;
    pool;
    rows;
    scratch;
    n;
    constructor(binned, params, pool, rows, scratch) {
        this.binned = binned;
        this.params = params;
        this.pool = pool;
        this.rows = rows;
        this.scratch = scratch;
        this.n = binned.rows;
    }
    takeHist() {
        return this.pool.pop() ?? new Float64Array(this.binned.totalSlots * 3);
    }
    /**
     * Counts rows[start, end) into hist. Columns outside one-hot groups: one update per row
     * and column. A one-hot group: one update per row, in the value-1 bin of its hot column;
     * each column's value-0 bin is then the node's totals minus its value-1 bin.
     */
    fill(hist, start, end, g, h) {
        hist.fill(0);
        const { slots, perRow, offsets, groupStart, groupSize, nBins } = this.binned;
        const rows = this.rows;
        let G = 0;
        let H = 0;
        for (let i = start; i < end; i++) {
            const r = rows[i];
            const gi = g[r];
            const hi = h[r];
            G += gi;
            H += hi;
            const at = r * perRow;
            for (let k = 0; k < perRow; k++) {
                const s = slots[at + k];
                hist[s] = hist[s] + gi;
                hist[s + 1] = hist[s + 1] + hi;
                hist[s + 2]++;
            }
        }
        const C = end - start;
        for (let q = 0; q < groupStart.length; q++) {
            const first = groupStart[q];
            for (let f = first; f < first + groupSize[q]; f++) {
                if (nBins[f] < 2)
                    continue;
                const s0 = offsets[f] * 3;
                const s1 = s0 + 3;
                hist[s0] = G - hist[s1];
                hist[s0 + 1] = H - hist[s1 + 1];
                hist[s0 + 2] = C - hist[s1 + 2];
            }
        }
    }
    /** The best split of a leaf, or null. */
    bestSplit(leaf) {
        const { minSamplesLeaf: msl, l2 } = this.params;
        const { nBins, offsets, width } = this.binned;
        const hist = leaf.hist;
        const { g: G, h: H, c: C } = leaf;
        const parentScore = (G * G) / (H + l2);
        let best = null;
        let bestGain = 0;
        const consider = (gain, feature, bin, missingLeft, gl, hl, cl) => {
            if (gain > bestGain) {
                bestGain = gain;
                best = { gain, feature, bin, missingLeft, gLeft: gl, hLeft: hl, cLeft: cl };
            }
        };
        for (let f = 0; f < width; f++) {
            const nb = nBins[f];
            const o = offsets[f] * 3;
            const ms = o + nb * 3;
            const gm = hist[ms];
            const hm = hist[ms + 1];
            const cm = hist[ms + 2];
            let gl = 0;
            let hl = 0;
            let cl = 0;
            const last = cm > 0 ? nb - 1 : nb - 2; // with missing values: also "every value left, missing right"
            for (let t = 0; t <= last; t++) {
                const s = o + t * 3;
                gl += hist[s];
                hl += hist[s + 1];
                cl += hist[s + 2];
                // Missing right.
                const cr = C - cl;
                if (cl >= msl && cr >= msl) {
                    const hr = H - hl;
                    if (hl >= MIN_HESSIAN && hr >= MIN_HESSIAN) {
                        const gr = G - gl;
                        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
                        // No missing value here: they go where most rows go.
                        consider(gain, f, t, cm > 0 ? false : cl >= cr, gl, hl, cl);
                    }
                }
                // Missing left.
                if (cm > 0 && t < nb - 1) {
                    const gl2 = gl + gm;
                    const hl2 = hl + hm;
                    const cl2 = cl + cm;
                    const cr2 = C - cl2;
                    const hr2 = H - hl2;
                    if (cl2 >= msl && cr2 >= msl && hl2 >= MIN_HESSIAN && hr2 >= MIN_HESSIAN) {
                        const gr2 = G - gl2;
                        const gain = (gl2 * gl2) / (hl2 + l2) + (gr2 * gr2) / (hr2 + l2) - parentScore;
                        consider(gain, f, t, true, gl2, hl2, cl2);
                    }
                }
            }
        }
        return best;
    }
    /**
     * Grows a tree on gradients g and hessians h (by row); `constantHessian` when h is 1.
     * `onLeaf(start, end, value)` is called for each final leaf's rows (indices into the
     * row array passed to the constructor).
     */
    grow(g, h, constantHessian, onLeaf) {
        const { maxLeafNodes, maxDepth, minSamplesLeaf, learningRate, l2 } = this.params;
        const { bins, nBins } = this.binned;
        const rows = this.rows;
        const n = this.n;
        for (let i = 0; i < n; i++)
            rows[i] = i;
        const tree = { feature: [], binThreshold: [], threshold: [], missingLeft: [], left: [], right: [], value: [] };
        const newNode = () => {
            tree.feature.push(-1);
            tree.binThreshold.push(0);
            tree.threshold.push(0);
            tree.missingLeft.push(false);
            tree.left.push(-1);
            tree.right.push(-1);
            tree.value.push(0);
            return tree.feature.length - 1;
        };
        let G = 0;
        let H = 0;
        for (let i = 0; i < n; i++) {
            G += g[i];
            H += h[i];
        }
        if (constantHessian)
            H = n;
        const canSplit = (leaf) => leaf.c >= 2 * minSamplesLeaf && (maxDepth === null || leaf.depth < maxDepth);
        const root = { node: newNode(), start: 0, end: n, depth: 0, g: G, h: H, c: n, hist: null, split: null };
        const leaves = [root];
        if (canSplit(root)) {
            root.hist = this.takeHist();
            this.fill(root.hist, 0, n, g, h);
            root.split = this.bestSplit(root);
        }
        while (leaves.length < maxLeafNodes) {
            let pick = -1;
            for (let j = 0; j < leaves.length; j++) {
                const s = leaves[j].split;
                if (s && (pick < 0 || s.gain > leaves[pick].split.gain))
                    pick = j;
            }
            if (pick < 0)
                break;
            const parent = leaves[pick];
            const split = parent.split;
            const f = split.feature;
            const missing = nBins[f];
            // Stable partition of the parent's rows.
            let l = parent.start;
            let r = 0;
            const column = f * n;
            for (let i = parent.start; i < parent.end; i++) {
                const row = rows[i];
                const b = bins[column + row];
                if (b === missing ? split.missingLeft : b <= split.bin)
                    rows[l++] = row;
                else
                    this.scratch[r++] = row;
            }
            rows.set(this.scratch.subarray(0, r), l);
            const node = parent.node;
            tree.feature[node] = f;
            tree.binThreshold[node] = split.bin;
            tree.threshold[node] = split.bin < nBins[f] - 1 ? this.binned.edges[f][split.bin] : Infinity;
            tree.missingLeft[node] = split.missingLeft;
            const leftNode = newNode();
            const rightNode = newNode();
            tree.left[node] = leftNode;
            tree.right[node] = rightNode;
            const depth = parent.depth + 1;
            const left = {
                node: leftNode,
                start: parent.start,
                end: l,
                depth,
                g: split.gLeft,
                h: split.hLeft,
                c: split.cLeft,
                hist: null,
                split: null,
            };
            const right = {
                node: rightNode,
                start: l,
                end: parent.end,
                depth,
                g: parent.g - split.gLeft,
                h: parent.h - split.hLeft,
                c: parent.c - split.cLeft,
                hist: null,
                split: null,
            };
            const splitLeft = canSplit(left);
            const splitRight = canSplit(right);
            const parentHist = parent.hist;
            parent.hist = null;
            if (splitLeft || splitRight) {
                // Count the smaller child; the larger is the parent minus it, in the parent's buffer.
                const [small, large] = left.c <= right.c ? [left, right] : [right, left];
                const smallHist = this.takeHist();
                this.fill(smallHist, small.start, small.end, g, h);
                for (let s = 0; s < parentHist.length; s++)
                    parentHist[s] -= smallHist[s];
                small.hist = smallHist;
                large.hist = parentHist;
                for (const child of [left, right]) {
                    if (canSplit(child))
                        child.split = this.bestSplit(child);
                    if (!child.split) {
                        this.pool.push(child.hist);
                        child.hist = null;
                    }
                }
            }
            else
                this.pool.push(parentHist);
            leaves.splice(pick, 1, left, right);
        }
        for (const leaf of leaves) {
            if (leaf.hist)
                this.pool.push(leaf.hist);
            leaf.hist = null;
            const value = -learningRate * (leaf.g / (leaf.h + l2 + 1e-15));
            tree.value[leaf.node] = value;
            onLeaf(leaf.start, leaf.end, value);
        }
        return tree;
    }
}

// EXTERNAL MODULE: ./src/core/onnx/graph.ts + 1 modules
var onnx_graph = __webpack_require__(84148);
// EXTERNAL MODULE: ./src/core/model/export-onnx.ts
var export_onnx = __webpack_require__(67775);
// EXTERNAL MODULE: ./src/core/model/preprocess.ts
var preprocess = __webpack_require__(1107);
;// CONCATENATED MODULE: ./src/core/model/kinds/gbdt/export.ts
/**
 * The gbdt kind's ONNX graph, and the same prediction in TypeScript (for tests and checks).
 *
 * Conventions (the graph contract of export-onnx.ts: inputs, outputs, names, metadata):
 * - The preprocessing is export-onnx's shared subgraph with numbers raw (NaN kept; the
 *   trees route missing values) and text one-hot (LabelEncoder + OneHot, unknown slot):
 *   one float tensor [N, pre.width], the layout the trees were grown on (boost.ts).
 * - Trees: ai.onnx.ml TreeEnsembleClassifier / TreeEnsembleRegressor (version 1, under the
 *   project's ai.onnx.ml opset 2). Every split is BRANCH_LEQ on a float32 threshold (an
 *   edge of bins.ts: float32 inputs go exactly the way training binned them);
 *   nodes_missing_value_tracks_true sends NaN the way training chose. base_values hold the
 *   initial raw scores.
 * - Two classes: one score per tree for class index 1 (class_ids 0, the operator's binary
 *   case), post_transform LOGISTIC: probabilities [1 - p, p]. More: one tree per class per
 *   iteration (class_ids = the class), post_transform SOFTMAX. The operator's label output
 *   is `label` (classlabels_int64s when every class is an integer in decimal text, else
 *   classlabels_strings), its scores `probabilities` [N, C].
 * - Regression: the regressor's [N, 1] sum is the standardized target: times std plus
 *   mean gives `variable` in the target's units, as the network export does.
 */




const ML = 'ai.onnx.ml';
/** The node attributes every tree ensemble operator shares (nodes_*), and each leaf's (tree, node, output, weight). */
function treeAttributes(ens) {
    const treeIds = [];
    const nodeIds = [];
    const featureIds = [];
    const modes = [];
    const values = [];
    const trueIds = [];
    const falseIds = [];
    const missingTrue = [];
    const leaves = { tree: [], node: [], id: [], weight: [] };
    ens.trees.forEach((tree, t) => {
        const output = t % ens.outputs;
        for (let node = 0; node < tree.feature.length; node++) {
            const leaf = tree.feature[node] < 0;
            treeIds.push(t);
            nodeIds.push(node);
            featureIds.push(leaf ? 0 : tree.feature[node]);
            modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
            values.push(leaf ? 0 : tree.threshold[node]);
            trueIds.push(leaf ? 0 : tree.left[node]);
            falseIds.push(leaf ? 0 : tree.right[node]);
            missingTrue.push(!leaf && tree.missingLeft[node] ? 1 : 0);
            if (leaf) {
                leaves.tree.push(t);
                leaves.node.push(node);
                leaves.id.push(output);
                leaves.weight.push(tree.value[node]);
            }
        }
    });
    return {
        nodes: [
            onnx_graph/* attr */.CF.ints('nodes_treeids', treeIds),
            onnx_graph/* attr */.CF.ints('nodes_nodeids', nodeIds),
            onnx_graph/* attr */.CF.ints('nodes_featureids', featureIds),
            onnx_graph/* attr */.CF.strings('nodes_modes', modes),
            onnx_graph/* attr */.CF.floats('nodes_values', values),
            onnx_graph/* attr */.CF.ints('nodes_truenodeids', trueIds),
            onnx_graph/* attr */.CF.ints('nodes_falsenodeids', falseIds),
            onnx_graph/* attr */.CF.ints('nodes_missing_value_tracks_true', missingTrue),
        ],
        leaves,
    };
}
/** The ONNX graph of a fitted ensemble with its preprocessing inside (this module's header). */
function exportEnsemble(pre, ens, meta) {
    if (ens.width !== pre.width)
        throw new Error(`exportEnsemble: the trees take ${ens.width} columns, the preprocessing encodes ${pre.width}`);
    const target = pre.target;
    const essential = target.task === 'classification' ? export_onnx/* ONNX_OUTPUTS */.bI.probabilities : export_onnx/* ONNX_OUTPUTS */.bI.variable;
    const g = (0,export_onnx/* graphBuilderFor */.nB)(pre, essential, 'exportEnsemble');
    const x = (0,export_onnx/* encodedFeatures */.Yq)(g, pre, 'raw');
    const { nodes, leaves } = treeAttributes(ens);
    const outputs = [];
    if (target.task === 'regression') {
        const sum = g.node('TreeEnsembleRegressor', [x], 'trees/standardized', {
            domain: ML,
            attributes: [
                ...nodes,
                onnx_graph/* attr */.CF.int('n_targets', 1),
                onnx_graph/* attr */.CF.ints('target_treeids', leaves.tree),
                onnx_graph/* attr */.CF.ints('target_nodeids', leaves.node),
                onnx_graph/* attr */.CF.ints('target_ids', leaves.id),
                onnx_graph/* attr */.CF.floats('target_weights', leaves.weight),
                onnx_graph/* attr */.CF.floats('base_values', ens.base),
                onnx_graph/* attr */.CF.string('aggregate_function', 'SUM'),
                onnx_graph/* attr */.CF.string('post_transform', 'NONE'),
            ],
        });
        // A Cast to float32 (a no-op) gives onnx's shape inference the type its version-1 regressor leaves unset.
        const typed = g.node('Cast', [sum], 'trees/float', { attributes: [onnx_graph/* attr */.CF.int('to', 1)] });
        const std = g.constant('target/std', [1], { type: 'float32', values: [target.std] });
        const mean = g.constant('target/mean', [1], { type: 'float32', values: [target.mean] });
        const scaled = g.node('Mul', [typed, std], 'target/scaled');
        g.node('Add', [scaled, mean], export_onnx/* ONNX_OUTPUTS */.bI.variable, { exact: true });
        outputs.push((0,onnx_graph/* makeValueInfo */.UF)(export_onnx/* ONNX_OUTPUTS */.bI.variable, 'float32', ['N', 1]));
    }
    else {
        const classes = target.classes;
        const binary = classes.length === 2;
        if (binary !== (ens.outputs === 1))
            throw new Error(`exportEnsemble: ${ens.outputs} outputs for ${classes.length} classes`);
        const integers = (0,export_onnx/* integerClasses */.HU)(classes);
        // A feature named "label" takes the name: the graph then gives the probabilities only.
        const names = pre.features.map((f) => f.name);
        const labelOut = names.includes(export_onnx/* ONNX_OUTPUTS */.bI.label) ? `${g.prefix}trees/label` : export_onnx/* ONNX_OUTPUTS */.bI.label;
        g.nodes.push((0,onnx_graph/* makeNode */.HI)('TreeEnsembleClassifier', [x], [labelOut, export_onnx/* ONNX_OUTPUTS */.bI.probabilities], {
            name: `${g.prefix}trees`,
            domain: ML,
            attributes: [
                ...nodes,
                onnx_graph/* attr */.CF.ints('class_treeids', leaves.tree),
                onnx_graph/* attr */.CF.ints('class_nodeids', leaves.node),
                onnx_graph/* attr */.CF.ints('class_ids', leaves.id),
                onnx_graph/* attr */.CF.floats('class_weights', leaves.weight),
                integers
                    ? onnx_graph/* attr */.CF.ints('classlabels_int64s', classes.map((c) => BigInt(c)))
                    : onnx_graph/* attr */.CF.strings('classlabels_strings', classes),
                onnx_graph/* attr */.CF.floats('base_values', ens.base),
                onnx_graph/* attr */.CF.string('post_transform', binary ? 'LOGISTIC' : 'SOFTMAX'),
            ],
        }));
        if (labelOut === export_onnx/* ONNX_OUTPUTS */.bI.label)
            outputs.push((0,onnx_graph/* makeValueInfo */.UF)(export_onnx/* ONNX_OUTPUTS */.bI.label, integers ? 'int64' : 'string', ['N']));
        outputs.push((0,onnx_graph/* makeValueInfo */.UF)(export_onnx/* ONNX_OUTPUTS */.bI.probabilities, 'float32', ['N', classes.length]));
    }
    const graph = (0,onnx_graph/* makeGraph */.f7)({ name: meta.algorithm, nodes: g.nodes, initializers: g.initializers, inputs: (0,export_onnx/* featureInputs */.Gq)(pre), outputs });
    return (0,export_onnx/* modelWithMetadata */.zi)(pre, graph, meta);
}
/**
 * The trees' input for `rows` of a table: `encodeFeatures`'s layout with each numeric
 * column's raw value as float32 (NaN for missing), as the graph builds it. Row-major.
 */
function treeInput(pre, table, rows, encoded) {
    const x = encoded ?? encodeFeatures(pre, table, rows);
    let offset = 0;
    for (const feature of pre.features) {
        if (feature.kind === 'numeric') {
            const numbers = tableColumn(table, feature.name, 'feature column').numbers;
            for (let i = 0; i < rows.length; i++)
                x[i * pre.width + offset] = numbers[rows[i]];
            offset += 1;
        }
        else
            offset += feature.categories.length + 1;
    }
    return x;
}
/** The raw scores of one input row (x at `offset`) into out (one per output). */
function rawScores(ens, x, offset, out) {
    for (let k = 0; k < ens.outputs; k++)
        out[k] = ens.base[k];
    ens.trees.forEach((tree, t) => {
        let node = 0;
        while (tree.feature[node] >= 0) {
            const v = x[offset + tree.feature[node]];
            const left = Number.isNaN(v) ? tree.missingLeft[node] : v <= tree.threshold[node];
            node = left ? tree.left[node] : tree.right[node];
        }
        out[t % ens.outputs] = out[t % ens.outputs] + tree.value[node];
    });
}
/**
 * What the graph predicts, computed in TypeScript (float64): for classification the
 * probabilities (rows x classes), for regression the value in the target's units.
 */
function predictEnsemble(pre, ens, table, rows) {
    const x = treeInput(pre, table, rows);
    const target = pre.target;
    const width = pre.width;
    const raw = new Float64Array(ens.outputs);
    if (target.task === 'regression') {
        const out = new Float64Array(rows.length);
        for (let i = 0; i < rows.length; i++) {
            rawScores(ens, x, i * width, raw);
            out[i] = raw[0] * target.std + target.mean;
        }
        return out;
    }
    const C = target.classes.length;
    const out = new Float64Array(rows.length * C);
    for (let i = 0; i < rows.length; i++) {
        rawScores(ens, x, i * width, raw);
        if (C === 2) {
            const p = 1 / (1 + Math.exp(-raw[0]));
            out[i * 2] = 1 - p;
            out[i * 2 + 1] = p;
        }
        else {
            let max = -Infinity;
            for (let k = 0; k < C; k++)
                max = Math.max(max, raw[k]);
            let sum = 0;
            for (let k = 0; k < C; k++)
                sum += out[i * C + k] = Math.exp(raw[k] - max);
            for (let k = 0; k < C; k++)
                out[i * C + k] /= sum;
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/core/model/kinds/gbdt/index.ts
/**
 * gbdt: histogram gradient-boosted trees (our own, in TypeScript: boost.ts), exported to
 * ONNX as a tree ensemble with the preprocessing inside (export.ts).
 *
 * Parameters, with scikit-learn's HistGradientBoosting defaults and names where they do
 * not clash with another kind's key (kinds share one flat key space, kinds.ts):
 * - gbdt_learning_rate (0.1): not `learning_rate`, which the network kinds declare with
 *   0.001 (Adam's step). A shared key has one schema and one documented default, and the
 *   two mean different things: a params file sweeping learning_rate for the mlp would set
 *   the trees' shrinkage to 0.001 (a hundred times too small) on switching algorithm.
 * - max_iter (100), max_leaf_nodes (31), max_depth (null: none), min_samples_leaf (20),
 *   l2_regularization (0), max_bins (255): as scikit-learn's.
 * - n_iter_no_change (10; 0 turns early stopping off) and tol (1e-7): early stopping on
 *   the validation rows (train's validation_split), whatever the data size; scikit-learn's
 *   default ('auto') stops early only above 10,000 rows, on a split of its own. Not
 *   `early_stopping`, which is the network kinds' object.
 * Text columns are one-hot encoded by the shared preprocessing (max_categories most
 * frequent values plus an unknown slot), not split natively by category as scikit-learn's
 * categorical_features. Why: the graph then reuses the shared preprocessing subgraph
 * (LabelEncoder + OneHot, the same unknown slot for missing and never-seen values) and
 * every split is a plain threshold; ONNX's TreeEnsembleClassifier/Regressor have no
 * set-membership test (BRANCH_MEMBER is only in ai.onnx.ml opset 5's TreeEnsemble). The
 * cost: a split isolates one category at a time, and a category with fewer than
 * min_samples_leaf rows is never split on alone, so many small categories (a country
 * column, say) are used less well than by scikit-learn's native splits. See boost.ts
 * (training) and export.ts (the graph).
 */







/** The producer version written into exported graphs. */
const TRAINER_BUILD = 'builtin-gbdt/1';
const GBDT_PARAMS = {
    /** Shrinkage: each tree's leaf values are scaled by it. */
    gbdt_learning_rate: schemas/* number */.aig().positive().max(10).default(0.1),
    /** Boosting iterations at most (one tree each; one per class for more than two classes). */
    max_iter: schemas/* number */.aig().int().min(1).max(100_000).default(100),
    max_leaf_nodes: schemas/* number */.aig().int().min(2).max(65_536).default(31),
    /** Edges from the root to the deepest leaf; null: no limit. */
    max_depth: schemas/* number */.aig().int().min(1).max(1000).nullable().default(null),
    min_samples_leaf: schemas/* number */.aig().int().min(1).default(20),
    l2_regularization: schemas/* number */.aig().min(0).default(0),
    /** Value bins per numeric column (missing values have one more). */
    max_bins: schemas/* number */.aig().int().min(2).max(255).default(255),
    /** Early stopping: iterations without improving the validation loss by more than tol; 0 turns it off. */
    n_iter_no_change: schemas/* number */.aig().int().min(0).default(10),
    tol: schemas/* number */.aig().min(0).default(1e-7),
};
/** The trees' columns for a set of rows: raw numbers (float32, NaN for missing) and the one-hot slots of the encoding. */
function treeColumns(job, encoded, rows) {
    const pre = job.preprocess;
    const width = pre.width;
    const columns = [];
    for (const feature of pre.features) {
        if (feature.kind === 'numeric') {
            const numbers = (0,data_table.tableColumn)(job.rows.table, feature.name, 'feature column').numbers;
            columns.push((i) => Math.fround(numbers[rows[i]]));
        }
        else {
            for (let slot = 0; slot <= feature.categories.length; slot++) {
                const j = columns.length;
                columns.push((i) => encoded[i * width + j]);
            }
        }
    }
    return columns;
}
/** Fits the trees (the ensemble itself, for tests and checks; `fitGbdt` exports it). */
function trainGbdt(job, started = performance.now()) {
    const { preprocess: pre, params, train, validation } = job;
    const n = train.y.length;
    if (n < 2 * params.min_samples_leaf)
        throw new core_errors/* UserError */.y(`gbdt needs at least 2 x min_samples_leaf = ${2 * params.min_samples_leaf} training rows to split; it has ${n}`, 'Add rows, or lower train.min_samples_leaf (or train.validation_split, which holds rows out of training).');
    const objective = pre.target.task === 'regression' ? 'squared_error' : pre.target.classes.length === 2 ? 'log_loss' : 'softmax';
    // Each text column's one-hot block: [first column, size].
    const groups = [];
    let offset = 0;
    for (const feature of pre.features) {
        if (feature.kind === 'categorical')
            groups.push([offset, feature.categories.length + 1]);
        offset += feature.kind === 'numeric' ? 1 : feature.categories.length + 1;
    }
    const binned = binTraining(treeColumns(job, train.x, job.rows.train), n, params.max_bins, groups);
    const nVal = validation?.y.length ?? 0;
    const val = validation && nVal > 0
        ? { bins: binRows(treeColumns(job, validation.x, job.rows.validation), nVal, binned.edges), y: validation.y }
        : null;
    const classes = pre.target.task === 'classification' ? pre.target.classes.length : 1;
    return boost({ binned, y: train.y, classes, validation: val }, objective, {
        learningRate: params.gbdt_learning_rate,
        maxIter: params.max_iter,
        maxLeafNodes: params.max_leaf_nodes,
        maxDepth: params.max_depth,
        minSamplesLeaf: params.min_samples_leaf,
        l2: params.l2_regularization,
        nIterNoChange: params.n_iter_no_change,
        tol: params.tol,
    }, (epoch, loss, valLoss) => job.onEpoch({ epoch, epochs: params.max_iter, loss, valLoss, elapsedMs: performance.now() - started }));
}
async function fitGbdt(job) {
    const started = performance.now();
    const result = trainGbdt(job, started);
    // Yields once, so progress lines flush before the export.
    await Promise.resolve();
    return {
        onnx: exportEnsemble(job.preprocess, result.ensemble, { algorithm: 'gbdt', producerVersion: TRAINER_BUILD }),
        epochs: { run: result.iterations, best: result.best, stoppedEarly: result.stoppedEarly, trainingMs: performance.now() - started },
    };
}
const gbdt = defineKind({
    name: 'gbdt',
    description: 'histogram gradient-boosted trees (as scikit-learn HistGradientBoosting)',
    params: GBDT_PARAMS,
    setup: () => Promise.resolve('cpu'),
    fit: async (job) => fitGbdt(job),
});

// EXTERNAL MODULE: ./src/core/model/kinds/tfjs/params.ts
var params = __webpack_require__(5061);
;// CONCATENATED MODULE: ./src/core/model/kinds/linear/index.ts
/** linear: logistic regression (classification) or linear regression, on TensorFlow.js, exported to ONNX. */


// TensorFlow.js loads only when a network is set up or trained: steps that never touch one start without it.
const network = () => Promise.all(/* import() */[__webpack_require__.e(176), __webpack_require__.e(45)]).then(__webpack_require__.bind(__webpack_require__, 11045));
const linear = defineKind({
    name: 'linear',
    description: 'logistic regression for classes, linear regression for numbers',
    params: params/* TFJS_PARAMS */.b,
    setup: async (warn) => (await network()).setupBackend(warn),
    fit: async (job) => (await network()).fitNetwork('linear', job, { units: [], activation: 'relu', dropout: 0 }),
});

;// CONCATENATED MODULE: ./src/core/model/kinds/mlp/index.ts
/** mlp: a multi-layer perceptron (dense hidden layers, optional dropout) on TensorFlow.js, exported to ONNX. */



// TensorFlow.js loads only when a network is set up or trained: steps that never touch one start without it.
const mlp_network = () => Promise.all(/* import() */[__webpack_require__.e(176), __webpack_require__.e(45)]).then(__webpack_require__.bind(__webpack_require__, 11045));
const mlp = defineKind({
    name: 'mlp',
    description: 'a multi-layer perceptron: dense hidden layers',
    params: {
        ...params/* TFJS_PARAMS */.b,
        /** Hidden layer widths. */
        hidden: schemas/* array */.YOg(schemas/* number */.aig().int().min(1).max(4096)).max(16).default([64, 32]),
        activation: schemas/* enum */.k5n(['relu', 'elu', 'tanh', 'sigmoid', 'selu', 'gelu']).default('relu'),
        dropout: schemas/* number */.aig().min(0).max(0.95).default(0),
    },
    setup: async (warn) => (await mlp_network()).setupBackend(warn),
    fit: async (job) => (await mlp_network()).fitNetwork('mlp', job, { units: job.params.hidden, activation: job.params.activation, dropout: job.params.dropout }),
});

;// CONCATENATED MODULE: ./src/core/model/kinds.ts
/**
 * The model kinds, by name (the `algorithm` of the train section). Adding a kind is a
 * folder under kinds/ and one line here; train, evaluate and serve reach every kind
 * through this table and the TabularModel interface.
 */




const MODEL_KINDS = {
    mlp: mlp,
    linear: linear,
    gbdt: gbdt,
};
/** The names, the default first. */
const ALGORITHMS = Object.keys(MODEL_KINDS);
const DEFAULT_ALGORITHM = 'mlp';
function isAlgorithm(name) {
    return Object.hasOwn(MODEL_KINDS, name);
}
/** The kind named `algorithm` (a registered name). */
function modelKind(algorithm) {
    return MODEL_KINDS[algorithm];
}
/**
 * Every kind's parameters in one shape (with defaults). A key two kinds share (the
 * optimizer's, say) is declared once, by the first kind that has it.
 */
function kindParamShapes() {
    const shape = {};
    for (const kind of Object.values(MODEL_KINDS))
        for (const [key, schema] of Object.entries(kind.params))
            if (!Object.hasOwn(shape, key))
                shape[key] = schema;
    return shape;
}
/** The parameters of `algorithm` from a flat parameter object (other keys ignored), defaults filled. */
function kindParams(algorithm, params) {
    return schemas/* object */.Ikc(modelKind(algorithm).params).parse(params);
}

;// CONCATENATED MODULE: ./src/core/train/params.ts
/**
 * Training parameters: the keys every run has (the algorithm, the task, the split, the
 * seed, the preprocessing) and each model kind's own (kinds/*: epochs, hidden, ...).
 * They come from mlops.yaml's `train:` section, a params file, and the step's inputs.
 * `algorithm: auto` keeps only the kind keys you set: each candidate kind fills in its
 * own defaults (candidateParams), so the card records your setting, not one kind's.
 */






/** `algorithm: auto`: every built-in kind trained on the same split, the best on validation kept. */
const AUTO_ALGORITHM = 'auto';
/** What `algorithm` may be: a model kind, or auto (the `algorithm` input's choices too). */
const ALGORITHM_CHOICES = [...ALGORITHMS, AUTO_ALGORITHM];
/** The keys of every run, whatever the kind. */
const RUN_PARAMS = {
    /** The model kind (a key of MODEL_KINDS), or auto. */
    algorithm: schemas/* enum */.k5n(ALGORITHM_CHOICES).default(DEFAULT_ALGORITHM),
    /** auto: classification for text targets or few whole numbers, else regression. */
    task: schemas/* enum */.k5n(['auto', 'classification', 'regression']).default('auto'),
    validation_split: schemas/* number */.aig().min(0).max(0.9).default(0.2),
    seed: schemas/* number */.aig()
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .default(42),
    /** Feature columns (default: all but the target). */
    features: schemas/* array */.YOg(schemas/* string */.YjP()).min(1).optional(),
    /** Most frequent values one-hot encoded per text column; the rest share an "unknown" slot. */
    max_categories: schemas/* number */.aig().int().min(1).max(10000).default(100),
};
/** Every parameter key: the run's and every kind's (a sweep switches algorithm with one file, so no kind's key is an error). */
const ALL_PARAMS = { ...RUN_PARAMS, ...kindParamShapes() };
/** The same keys, each optional and without its default (defaults apply when a run's parameters are resolved). */
function withoutDefaults(shape) {
    return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [
        key,
        (schema instanceof schemas/* ZodDefault */.XiL ? schema.unwrap() : schema).optional(),
    ]));
}
/**
 * mlops.yaml's `train:` section: every parameter (optional: defaults apply when the run
 * is resolved, not here), `command`, `model` (the old name of `algorithm`), and any key
 * of your own trainer's.
 */
const TrainSection = schemas/* object */.Ikc({
    ...withoutDefaults(ALL_PARAMS),
    /** Your own trainer instead of the built-in kinds. */
    command: schemas/* string */.YjP().optional(),
    /** Renamed `algorithm` (model now names the model in the registry): still read, with a warning, for one release. */
    model: schemas/* enum */.k5n(ALGORITHMS).optional(),
})
    // Any other key is a parameter of your own trainer (train.command), handed over in MLOPS_PARAMS_FILE;
    // for the built-in kinds an unknown key is an error when the run's parameters are resolved (parseTrainParams).
    .catchall(schemas/* unknown */.L5J());
/**
 * Validates parameters; `where` names their source in errors (a file, or "train in
 * mlops.yaml"). For the built-in kinds every key must be one of theirs, and defaults
 * fill the rest. Your own trainer (`command`) gets exactly the keys you set, whatever
 * they are: the built-in schema and defaults are not its business.
 */
function parseTrainParams(value, where, trainer = 'builtin') {
    if (trainer === 'command') {
        if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value)))
            throw new core_errors/* UserError */.y(`${where}: expected a mapping of parameter names to values`);
        return { ...value };
    }
    const result = schemas/* strictObject */.rej(ALL_PARAMS).safeParse(value ?? {});
    if (!result.success)
        throw new core_errors/* UserError */.y(`${where}: invalid training parameters:\n${(0,zod_errors/* formatZodError */.l)(result.error)}`, 'See the README section "train" for every parameter; a key of your own trainer needs train.command (it gets every key in MLOPS_PARAMS_FILE).');
    const run = schemas/* object */.Ikc(RUN_PARAMS).parse(result.data);
    if (run.algorithm !== AUTO_ALGORITHM)
        return { ...run, ...kindParams(run.algorithm, result.data) };
    // auto: only the keys you set; each candidate fills in its own kind's defaults (candidateParams).
    const given = value && typeof value === 'object' ? Object.keys(value) : [];
    const yours = Object.fromEntries(given.filter((key) => !Object.hasOwn(RUN_PARAMS, key) && result.data[key] !== undefined).map((key) => [key, result.data[key]]));
    return { ...run, ...yours };
}
/** The parameters of one candidate of an auto run: the run's keys, your keys, and `algorithm`'s defaults for the rest. */
function candidateParams(params, algorithm) {
    return { ...params, ...kindParams(algorithm, params), algorithm };
}
/**
 * `model: mlp` in a train section or params file: the old name of `algorithm`. Returns
 * the parameters with it renamed, and calls `warn` once to say so.
 */
function renameLegacyModelKey(params, where, warn) {
    if (!Object.hasOwn(params, 'model') || params.model === undefined)
        return { ...params };
    const { model, ...rest } = params;
    if (rest.algorithm !== undefined && rest.algorithm !== model)
        throw new core_errors/* UserError */.y(`${where}: both model (${String(model)}) and algorithm (${String(rest.algorithm)}) are set`, '`model` is the old name of `algorithm`: keep only `algorithm`.');
    warn(`${where}: \`model: ${String(model)}\` is now \`algorithm: ${String(model)}\` (\`model\` names the model in the registry). ` +
        'Rename it: the old key is still read in this release only.');
    return { ...rest, algorithm: rest.algorithm ?? model };
}
/** A params file (YAML, or JSON by its extension): a mapping of parameter names to values. */
async function readParamsFile(path, shown) {
    let text;
    try {
        text = await (0,promises_.readFile)(path, 'utf8');
    }
    catch {
        throw new core_errors/* UserError */.y(`cannot read params file ${shown}`, 'Check the `params` input; it is relative to the working directory.');
    }
    let value;
    try {
        value = path.endsWith('.json') ? JSON.parse(text) : (0,dist/* parse */.qg)(text);
    }
    catch (error) {
        throw new core_errors/* UserError */.y(`${shown}: ${error.message}`);
    }
    if (value === null || value === undefined)
        return {};
    if (typeof value !== 'object' || Array.isArray(value))
        throw new core_errors/* UserError */.y(`${shown}: expected a mapping of parameter names to values`);
    return value;
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(73136);
// EXTERNAL MODULE: ./src/core/lineage.ts
var core_lineage = __webpack_require__(60654);
// EXTERNAL MODULE: ./src/core/model/random.ts
var model_random = __webpack_require__(45114);
// EXTERNAL MODULE: ./src/core/validate/scan.ts + 1 modules
var validate_scan = __webpack_require__(91799);
// EXTERNAL MODULE: ./src/core/model/onnx-model.ts
var onnx_model = __webpack_require__(49270);
;// CONCATENATED MODULE: ./src/core/train/importance.ts


/** At most this many rows are scored per permutation. */
const IMPORTANCE_MAX_ROWS = 5000;
const IMPORTANCE_REPEATS = 5;
/** The columns of `table` at `rows` only, as a table of rows 0..n-1. */
function subTable(table, rows) {
    const columns = table.columns.map((column) => {
        const numbers = new Float64Array(rows.length);
        const texts = column.texts ? new Array(rows.length) : null;
        for (let i = 0; i < rows.length; i++) {
            numbers[i] = column.numbers[rows[i]];
            if (texts)
                texts[i] = column.texts[rows[i]];
        }
        return { ...column, numbers, texts };
    });
    return { rows: rows.length, columns, files: table.files };
}
/** `column` with its rows reordered by `order` (row i takes row order[i]'s value). */
function permuted(column, order) {
    const numbers = new Float64Array(order.length);
    const texts = column.texts ? new Array(order.length) : null;
    for (let i = 0; i < order.length; i++) {
        numbers[i] = column.numbers[order[i]];
        if (texts)
            texts[i] = column.texts[order[i]];
    }
    return { ...column, numbers, texts };
}
/** The metric of predictions against the truth: accuracy of the most probable class, or r2. */
function scorer(signature, truth) {
    const n = truth.length;
    if (signature.target.task === 'classification') {
        const k = signature.target.classes.length;
        return (output) => {
            let right = 0;
            for (let i = 0; i < n; i++) {
                let best = 0;
                for (let c = 1; c < k; c++)
                    if (output[i * k + c] > output[i * k + best])
                        best = c;
                if (best === truth[i])
                    right++;
            }
            return n > 0 ? right / n : 0;
        };
    }
    let mean = 0;
    for (let i = 0; i < n; i++)
        mean += truth[i] / n;
    let total = 0;
    for (let i = 0; i < n; i++)
        total += (truth[i] - mean) ** 2;
    return (output) => {
        let residual = 0;
        for (let i = 0; i < n; i++)
            residual += (truth[i] - output[i]) ** 2;
        return total > 0 ? 1 - residual / total : residual === 0 ? 1 : 0;
    };
}
/**
 * Permutation importance of each feature the model takes, on `rows` of `table` (rows
 * whose target is missing or an unknown class are left out). Null when no row is left.
 */
async function permutationImportance(model, table, rows, targetName, options) {
    const { signature } = model;
    const repeats = options.repeats ?? IMPORTANCE_REPEATS;
    const maxRows = options.maxRows ?? IMPORTANCE_MAX_ROWS;
    const random = (0,model_random/* seededRandom */.I)(options.seed);
    const targetColumn = table.columns.find((c) => c.name === targetName);
    if (!targetColumn)
        return null;
    // The labelled rows, then a seeded sample of them.
    const classes = signature.target.task === 'classification' ? signature.target.classes : null;
    let kept = [];
    const values = [];
    for (const row of rows) {
        if (classes) {
            const label = (0,preprocess/* labelOf */.Wy)(targetColumn, row);
            const index = label === null ? -1 : classes.indexOf(label);
            if (index >= 0) {
                kept.push(row);
                values.push(index);
            }
        }
        else if (Number.isFinite(targetColumn.numbers[row])) {
            kept.push(row);
            values.push(targetColumn.numbers[row]);
        }
    }
    let truth = Float64Array.from(values);
    if (kept.length > maxRows) {
        const order = Array.from({ length: kept.length }, (_, i) => i);
        (0,model_random/* shuffleInPlace */.k)(order, random);
        const chosen = order.slice(0, maxRows).sort((a, b) => a - b);
        truth = Float64Array.from(chosen, (i) => values[i]);
        kept = chosen.map((i) => kept[i]);
    }
    if (kept.length === 0)
        return null;
    const sample = subTable(table, kept);
    const all = Array.from({ length: sample.rows }, (_, i) => i);
    const score = scorer(signature, truth);
    const baseline = score(await model.predict(sample, all));
    const features = [];
    for (const feature of signature.features) {
        const index = sample.columns.findIndex((c) => c.name === feature.name);
        if (index < 0)
            continue;
        const drops = [];
        for (let r = 0; r < repeats; r++) {
            const order = Int32Array.from(all);
            (0,model_random/* shuffleInPlace */.k)(order, random);
            const columns = sample.columns.slice();
            columns[index] = permuted(sample.columns[index], order);
            drops.push(baseline - score(await model.predict({ ...sample, columns }, all)));
        }
        const mean = drops.reduce((a, b) => a + b, 0) / repeats;
        const std = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats);
        features.push({ name: feature.name, mean, std });
    }
    features.sort((a, b) => b.mean - a.mean || a.name.localeCompare(b.name));
    return {
        method: 'permutation',
        metric: classes ? 'accuracy' : 'r2',
        rows: kept.length,
        repeats,
        baseline,
        features,
    };
}

;// CONCATENATED MODULE: ./src/core/train/leaderboard.ts
/** The kinds auto trains, simplest first. */
const AUTO_CANDIDATES = ['linear', 'mlp', 'gbdt'];
/** How the choice is made, in words for the log. */
function selectionRule(task) {
    return task === 'classification' ? 'the highest accuracy (a tie broken by the lower log loss)' : 'the highest r2';
}
const orLowest = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : -Infinity);
const orHighest = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : Infinity);
/** Index of the best candidate's metrics. */
function bestCandidate(task, metrics) {
    let best = 0;
    for (let i = 1; i < metrics.length; i++) {
        const a = metrics[i];
        const b = metrics[best];
        if (task === 'classification') {
            const accuracy = orLowest(a.accuracy) - orLowest(b.accuracy);
            if (accuracy > 0 || (accuracy === 0 && orHighest(a.log_loss) < orHighest(b.log_loss)))
                best = i;
        }
        else if (orLowest(a.r2) > orLowest(b.r2))
            best = i;
    }
    return best;
}
/** One line of the leaderboard for the log: kind, the deciding metrics, time, and the mark of the kept one. */
function leaderboardLine(task, entry) {
    const format = (value) => (typeof value === 'number' ? value.toFixed(4) : '—');
    const figures = task === 'classification'
        ? `accuracy ${format(entry.validation.accuracy)}  log_loss ${format(entry.validation.log_loss)}`
        : `r2 ${format(entry.validation.r2)}  rmse ${format(entry.validation.rmse)}`;
    return `${entry.chosen ? '→' : ' '} ${entry.algorithm.padEnd(7)} ${figures}  ${(entry.trainingMs / 1000).toFixed(1).padStart(6)} s${entry.chosen ? '  (kept)' : ''}`;
}

;// CONCATENATED MODULE: ./src/core/train/progress.ts
/** A callback for FitJob.onEpoch that calls `emit` with a progress line now and then. */
function epochProgress(emit, options = {}) {
    const interval = options.intervalMs ?? 5000;
    const now = options.now ?? (() => performance.now());
    const started = now();
    let last = -Infinity;
    let best = null;
    return (log) => {
        const monitored = log.valLoss ?? log.loss;
        if (Number.isFinite(monitored) && (best === null || monitored < best.loss))
            best = { loss: monitored, epoch: log.epoch };
        const at = now();
        const elapsed = at - started;
        if (log.epoch !== 1 && log.epoch !== log.epochs && at - last < Math.max(interval, elapsed / 30))
            return;
        last = at;
        const left = (log.elapsedMs / log.epoch) * (log.epochs - log.epoch);
        emit(`epoch ${String(log.epoch).padStart(String(log.epochs).length)}/${log.epochs}  loss ${log.loss.toFixed(4)}` +
            (log.valLoss !== null ? `  val_loss ${log.valLoss.toFixed(4)}` : '') +
            (best ? `  best ${log.valLoss !== null ? 'val_loss' : 'loss'} ${best.loss.toFixed(4)} (epoch ${best.epoch})` : '') +
            `  ${(log.elapsedMs / 1000).toFixed(1)} s, at most ${(left / 1000).toFixed(0)} s left`);
    };
}

;// CONCATENATED MODULE: ./src/core/train/pipeline.ts
/**
 * The train use case: a model directory from data, parameters and a trainer (a built-in
 * model kind, or the user's own command), with lineage and a run cache.
 *
 * The cache key is a hash of what the model is a function of: the data files' bytes,
 * the parameters (with the target and the reading options) and the trainer (the
 * built-in code's identity, or the user's command and the files of its code). The model
 * directory is assembled in a staging folder and renamed into place, so a failed run
 * never leaves half a model. The model card is built in one place for both trainers.
 */






















const TRAINER_VERSION = 'mlops-actions-builtin/1';
/** Trains (or reuses an identical earlier run) and writes the model directory. */
async function trainModel(job, ports) {
    const started = performance.now();
    const dataHashes = [];
    for (const file of job.files)
        dataHashes.push(await (0,core_lineage/* hashFile */.DC)(file));
    const codeHashes = [];
    for (const file of job.codeFiles)
        codeHashes.push(await (0,core_lineage/* hashFile */.DC)(file));
    const trainer = job.command
        ? { kind: 'command', command: job.command, code: codeHashes.map((h) => ({ path: ports.shown(h.path), sha256: h.sha256 })) }
        : { kind: 'builtin', version: TRAINER_VERSION, build: await codeIdentity() };
    const hashes = {
        data: (0,core_lineage/* sha256 */.sc)((0,core_lineage/* stableJson */._Y)(dataHashes.map((h) => h.sha256))),
        params: (0,core_lineage/* sha256 */.sc)((0,core_lineage/* stableJson */._Y)({ params: job.params, target: job.target, format: job.format, nullValues: job.nullValues ?? null })),
        code: (0,core_lineage/* sha256 */.sc)((0,core_lineage/* stableJson */._Y)(trainer)),
    };
    const cacheKey = `mlops-train-${job.modelName}-${(0,core_lineage/* sha256 */.sc)((0,core_lineage/* stableJson */._Y)(hashes)).slice(0, 40)}`;
    const { modelDir, cache } = job;
    if (cache && (await restored(cache, cacheKey, modelDir, ports))) {
        const metrics = await readMetrics((0,external_node_path_.join)(modelDir, contracts/* FILE_NAMES */.GY.metrics), ports.shown);
        ports.info(`Cache hit: reusing the model trained from the same data, parameters and trainer (key ${cacheKey}).`);
        return { modelDir, metrics, cacheHit: true, backend: 'none', cacheKey, seconds: null };
    }
    const lineage = await ports.lineage();
    const staging = `${modelDir}.partial-${process.pid}`;
    await (0,promises_.rm)(staging, { recursive: true, force: true });
    await (0,promises_.mkdir)(staging, { recursive: true });
    let outcome;
    try {
        const result = job.command ? await runTrainer(job, job.command, staging, ports) : await fitBuiltin(job, staging, ports);
        const card = {
            format: contracts/* MODEL_CARD_FORMAT */.Xd,
            name: job.modelName,
            ...(result.task ? { task: result.task } : {}),
            trainer: job.command ? trainer : { ...trainer, algorithm: result.algorithm ?? job.params.algorithm, backend: result.backend },
            ...(result.model ? { model: result.model.file, signature: result.model.signature } : {}),
            params: job.params,
            paramSources: job.paramSources,
            data: {
                target: job.target,
                ...result.data,
                files: dataHashes.map((h) => ({ path: ports.shown(h.path), sha256: h.sha256, bytes: h.bytes })),
            },
            hashes: { ...hashes, cacheKey },
            ...lineage,
            trainedAt: new Date().toISOString(),
            durationMs: Math.round(performance.now() - started),
            ...(result.epochs ? { epochs: result.epochs } : {}),
            metrics: result.cardMetrics,
            ...(result.leaderboard ? { leaderboard: result.leaderboard.map((entry) => ({ ...entry })) } : {}),
            ...(result.importance
                ? { importance: { ...result.importance, features: result.importance.features.map((feature) => ({ ...feature })) } }
                : {}),
        };
        await (0,contracts/* writeContract */.Ek)('modelCard', staging, card);
        await writeTrainingProfile(job, staging, result.predictions, ports);
        await (0,promises_.rm)(modelDir, { recursive: true, force: true });
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(modelDir), { recursive: true });
        await (0,promises_.rename)(staging, modelDir);
        outcome = { modelDir, metrics: result.metrics, cacheHit: false, backend: result.backend, cacheKey, seconds: card.durationMs / 1000 };
    }
    finally {
        await (0,promises_.rm)(staging, { recursive: true, force: true });
    }
    if (cache) {
        try {
            if (await cache.save(cacheKey, modelDir))
                ports.info(`Saved the run in the ${cache.description} under ${cacheKey}.`);
            else
                ports.info(`The run was not saved in the ${cache.description}: an entry for ${cacheKey} exists (or the store declined it; see above).`);
        }
        catch (error) {
            ports.warning(`The run cache could not be written (${error.message}); the model is fine, only the next identical run will train again.`);
        }
    }
    return outcome;
}
async function restored(cache, key, modelDir, ports) {
    return ports.group(`Looking for an identical earlier run (${cache.description})`, async () => {
        try {
            return await cache.restore(key, modelDir);
        }
        catch (error) {
            ports.warning(`The run cache could not be read (${error.message}); training instead.`);
            return false;
        }
    });
}
/**
 * The identity of the running code: a hash of this bundle (or source file), so that
 * a new release never reuses models its predecessor trained.
 */
async function codeIdentity() {
    try {
        return (await (0,core_lineage/* hashFile */.DC)((0,external_node_url_.fileURLToPath)(import.meta.url))).sha256.slice(0, 16);
    }
    catch {
        return 'unknown';
    }
}
/** A metrics file: a JSON object of metric names to numbers (nested details are kept in the file, not gated). */
async function readMetrics(path, shown) {
    let value;
    try {
        value = JSON.parse(await (0,promises_.readFile)(path, 'utf8'));
    }
    catch (error) {
        throw new core_errors/* UserError */.y(`cannot read metrics ${shown(path)}: ${error.message}`, 'The trainer must write a JSON object of metrics there.');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new core_errors/* UserError */.y(`${shown(path)}: expected a JSON object of metric names to numbers`);
    const metrics = {};
    for (const [name, v] of Object.entries(value)) {
        if (typeof v === 'number' || v === null)
            metrics[name] = v;
        else if (typeof v === 'object')
            continue;
        else
            throw new core_errors/* UserError */.y(`${shown(path)}: metric "${name}" is ${JSON.stringify(v)}, not a number`);
    }
    return metrics;
}
/** Runs the user's trainer into `dir` and reads its metrics. */
async function runTrainer(job, command, dir, ports) {
    const paramsFile = (0,external_node_path_.join)((0,external_node_path_.dirname)(dir), `params-${process.pid}.json`);
    await (0,promises_.writeFile)(paramsFile, `${JSON.stringify(job.params, null, 2)}\n`);
    const metricsFile = (0,external_node_path_.join)(dir, contracts/* FILE_NAMES */.GY.metrics);
    try {
        await ports.group(`Running the trainer: ${command}`, () => ports.runCommand({
            command,
            what: 'trainer command',
            env: {
                MLOPS_TRAIN_DATA: job.files.join('\n'),
                MLOPS_TARGET: job.target,
                MLOPS_PARAMS_FILE: paramsFile,
                MLOPS_MODEL_DIR: dir,
                MLOPS_METRICS_FILE: metricsFile,
            },
        }));
    }
    finally {
        await (0,promises_.rm)(paramsFile, { force: true });
    }
    const metrics = await readMetrics(metricsFile, ports.shown);
    if ((await (0,promises_.readdir)(dir)).every((file) => file === contracts/* FILE_NAMES */.GY.metrics))
        throw new core_errors/* UserError */.y('the trainer wrote no model files into MLOPS_MODEL_DIR', `Save the model into the folder named by MLOPS_MODEL_DIR: as ${model_io.MODEL_FILE} for evaluate, register, deploy and serve to use it (see the README, "Bring your own model").`);
    const trained = { metrics, backend: 'none', data: {}, cardMetrics: { validation: metrics }, predictions: null };
    if (!(0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, model_io.MODEL_FILE))) {
        ports.warning(`The trainer wrote no ${model_io.MODEL_FILE}: evaluate needs a predictions file (evaluate.predictions), and register, deploy and serve cannot load the model. ` +
            'Export it to ONNX (see the README, "Bring your own model").');
        return trained;
    }
    const table = await (0,data_table.readTable)(job.files, { format: job.format, nullValues: job.nullValues });
    const checked = await checkTrainerGraph((0,external_node_path_.join)(dir, model_io.MODEL_FILE), table, job, ports);
    const { signature } = checked;
    return {
        ...trained,
        task: signature.target.task,
        data: {
            features: signature.features.map((f) => f.name),
            classes: signature.target.task === 'classification' ? signature.target.classes : null,
        },
        model: checked,
    };
}
/**
 * Checks a graph a trainer wrote: it loads in ONNX Runtime (supported operators and
 * opset), its inputs are columns of the training data, its outputs are recognised, and it
 * predicts on training rows. The classes of a classifier whose graph does not list them
 * are the target's distinct values in sorted order (as scikit-learn orders `classes_`).
 */
async function checkTrainerGraph(file, table, job, ports) {
    const shownPath = ports.shown(file);
    const bytes = new Uint8Array(await (0,promises_.readFile)(file));
    const info = (0,onnx_graph/* inspectOnnx */.ov)(bytes, shownPath);
    const columns = table.columns.map((c) => c.name);
    const dataFeatures = table.columns
        .filter((c) => c.name !== job.target && (!job.params.features || job.params.features.includes(c.name)))
        .map((c) => ({ name: c.name, type: c.texts ? 'string' : 'number' }));
    // One tensor of every feature, with no column order in the graph: the data's feature columns, in file order.
    const singleTensor = info.inputs.length === 1 && !columns.includes(info.inputs[0].name) && !info.metadata.feature_names && !info.metadata['mlops.features'];
    if (singleTensor) {
        const width = info.inputs[0].shape?.[1];
        if (typeof width === 'number' && width !== dataFeatures.length)
            throw new core_errors/* UserError */.y(`${shownPath}: the graph's input ${info.inputs[0].name} takes ${width} columns, but the training data has ${dataFeatures.length} feature columns`, 'Set train.features to the columns the model takes, in order, or add their names to the graph as metadata feature_names (a JSON list).');
        ports.info(`${shownPath} takes one tensor of ${dataFeatures.length} columns: the training data's feature columns, in file order.`);
    }
    const open = (signature) => (0,onnx_model/* openOnnxModel */.FT)(bytes, { shownPath, algorithm: 'onnx', signature, log: (line) => ports.info(line) });
    let model = await open(singleTensor ? { features: dataFeatures } : undefined);
    try {
        let { signature } = model;
        // The graph names no classes (a classifier node's classlabels, or mlops.target metadata): the target's sorted values, said in the log.
        const named = info.classLabels !== null || Object.hasOwn(info.metadata, 'mlops.target');
        if (signature.target.task === 'classification' && !named) {
            const column = table.columns.find((c) => c.name === job.target);
            const labels = new Set();
            if (column)
                for (let r = 0; r < table.rows; r++) {
                    const label = (0,preprocess/* labelOf */.Wy)(column, r);
                    if (label !== null)
                        labels.add(label);
                }
            const classes = [...labels].sort(preprocess/* compareLabels */.HK);
            if (classes.length === signature.target.classes.length) {
                model.dispose();
                model = await open({
                    ...(singleTensor ? { features: dataFeatures } : {}),
                    target: { name: job.target, task: 'classification', classes },
                });
                signature = model.signature;
                ports.info(`${shownPath} names no classes: its probability columns are taken as the target's values in sorted order (${classes.join(', ')}), as scikit-learn orders classes_. ` +
                    "If that is not their order, name them in the graph (the classifier node's classlabels, or metadata mlops.target).");
            }
            else
                ports.warning(`${shownPath} gives ${signature.target.classes.length} class probabilities but the target "${job.target}" has ${classes.length} classes; ` +
                    `the classes are named ${signature.target.classes.join(', ')}. Name them in the graph (classlabels of the classifier node) to fix this.`);
        }
        const missing = signature.features.filter((f) => !columns.includes(f.name)).map((f) => f.name);
        if (missing.length > 0)
            throw new core_errors/* UserError */.y(`${shownPath}: the graph takes ${missing.map((m) => JSON.stringify(m)).join(', ')}, which ${missing.length === 1 ? 'is not a column' : 'are not columns'} of the training data (${columns.join(', ')})`, 'Name the graph inputs after the data columns (one input per column), or give a single-tensor graph its column order as metadata feature_names.');
        const sample = Array.from({ length: Math.min(table.rows, 100) }, (_, i) => i);
        await model.predict(table, sample);
        signature = { ...signature, target: { ...signature.target, name: job.target } };
        ports.info(`${shownPath}: ${signature.target.task}, ${signature.features.length} feature columns` +
            (signature.target.task === 'classification' ? `, classes ${signature.target.classes.join(', ')}` : '') +
            ` (producer ${info.producer || 'unknown'}, opsets ${Object.entries(info.opsets)
                .map(([d, v]) => `${d || 'ai.onnx'} ${v}`)
                .join(', ')}).`);
        return { file: (0,model_io.describeModelFile)(bytes, model), signature };
    }
    finally {
        model.dispose();
    }
}
/** Reads the data, splits it (seeded) and fits the preprocessing on the training rows. */
async function prepareSplit(job, ports) {
    const { params, target } = job;
    const table = await (0,data_table.readTable)(job.files, { format: job.format, nullValues: job.nullValues });
    // A seeded split: the last validation_split of a shuffled order is held out.
    const order = Array.from({ length: table.rows }, (_, i) => i);
    (0,model_random/* shuffleInPlace */.k)(order, (0,model_random/* seededRandom */.I)(params.seed));
    const validationCount = Math.floor(table.rows * params.validation_split);
    const trainRows = order.slice(0, table.rows - validationCount).sort((a, b) => a - b);
    const validationRows = order.slice(table.rows - validationCount).sort((a, b) => a - b);
    const pre = (0,preprocess/* fitPreprocessor */.vO)(table, trainRows, {
        target,
        features: params.features,
        task: params.task,
        maxCategories: params.max_categories,
    });
    const train = (0,preprocess/* labelledRows */.Nv)(pre, table, trainRows);
    const validation = (0,preprocess/* labelledRows */.Nv)(pre, table, validationRows);
    const unlabelled = table.rows - train.length - validation.length;
    if (unlabelled > 0)
        ports.warning(`${unlabelled} rows have no usable target "${target}" (missing, or a class not seen in training) and are left out.`);
    if (train.length === 0)
        throw new core_errors/* UserError */.y(`no training rows with a target "${target}"`);
    ports.info(`${pre.target.task}: ${train.length} training rows, ${validation.length} validation rows, ${pre.features.length} features (${pre.width} inputs after encoding)` +
        (pre.target.task === 'classification' ? `, classes ${pre.target.classes.join(', ')}` : ''));
    return { table, pre, train, validation, unlabelled };
}
/** Fits `algorithm` on the split and scores its ONNX graph on the validation rows. */
async function fitCandidate(algorithm, params, split, ports) {
    const kind = modelKind(algorithm);
    const backend = await kind.setup((line) => ports.warning(line));
    ports.info(`${algorithm} runs on the ${backend} backend.`);
    const { pre, table } = split;
    const encoded = (rows) => ({ x: (0,preprocess/* encodeFeatures */.yq)(pre, table, rows), y: (0,preprocess/* encodeTarget */.Ao)(pre, table, rows) });
    const started = performance.now();
    const fitted = await kind.fit({
        preprocess: pre,
        train: encoded(split.train),
        validation: split.validation.length > 0 ? encoded(split.validation) : null,
        rows: { table, train: split.train, validation: split.validation },
        params,
        seed: params.seed,
        onEpoch: epochProgress((line) => ports.info(line)),
    });
    const trainingMs = Math.round(performance.now() - started);
    const { epochs } = fitted;
    const rowsPerSecond = Math.round((split.train.length * epochs.run) / (epochs.trainingMs / 1000));
    ports.info(`Stopped after ${epochs.run} epochs${epochs.stoppedEarly ? ' (early stopping)' : ''}; kept the weights of epoch ${epochs.best}. ` +
        `${rowsPerSecond.toLocaleString('en-US')} rows/s.`);
    const model = await (0,onnx_model/* openOnnxModel */.FT)(fitted.onnx, { shownPath: `${algorithm}.onnx`, algorithm, signature: (0,preprocess/* preprocessSignature */.zo)(pre) });
    try {
        const rows = split.validation.length > 0 ? split.validation : split.train;
        const validation = scalarMetrics(fullMetrics(await scoreRows(model, table, rows)));
        return { algorithm, params, backend, fitted, rowsPerSecond, trainingMs, validation };
    }
    finally {
        model.dispose();
    }
}
/**
 * Fits the built-in kind named by params.algorithm into `dir`; for `auto`, every kind of
 * AUTO_CANDIDATES on the same split (each with its own defaults and your keys), keeping
 * the best on validation (leaderboard.ts) and recording the others in the card.
 */
async function fitBuiltin(job, dir, ports) {
    const { params } = job;
    const files = job.files;
    const source = files.length === 1 ? ports.shown(files[0]) : `${files.length} files`;
    if (params.algorithm !== AUTO_ALGORITHM) {
        const algorithm = params.algorithm;
        return ports.group(`Training ${algorithm} on ${source}`, async () => {
            const split = await prepareSplit(job, ports);
            const candidate = await fitCandidate(algorithm, params, split, ports);
            return keep(job, split, candidate, null, dir, ports);
        });
    }
    const split = await ports.group(`Reading ${source}: one split and one preprocessing for every candidate`, () => prepareSplit(job, ports));
    const task = split.pre.target.task;
    const candidates = [];
    for (const [i, algorithm] of AUTO_CANDIDATES.entries())
        candidates.push(await ports.group(`Training ${algorithm} on ${source} (auto: candidate ${i + 1} of ${AUTO_CANDIDATES.length})`, () => fitCandidate(algorithm, candidateParams(params, algorithm), split, ports)));
    const best = bestCandidate(task, candidates.map((c) => c.validation));
    const leaderboard = candidates.map((c, i) => ({
        algorithm: c.algorithm,
        validation: c.validation,
        trainingMs: c.trainingMs,
        chosen: i === best,
    }));
    const chosen = candidates[best];
    return ports.group(`Keeping ${chosen.algorithm} (auto)`, async () => {
        ports.info(`auto: kept the candidate with ${selectionRule(task)} on the ${split.validation.length > 0 ? `${split.validation.length} validation rows` : `${split.train.length} training rows (there is no validation split)`}.`);
        for (const entry of leaderboard)
            ports.info(leaderboardLine(task, entry));
        return keep(job, split, chosen, leaderboard, dir, ports);
    });
}
/** Writes the kept candidate's graph into `dir`, with its metrics, the profile of its predictions and its feature importance. */
async function keep(job, split, candidate, leaderboard, dir, ports) {
    const { table, pre } = split;
    const { fitted, algorithm } = candidate;
    // From here on the model is its ONNX graph: the metrics, the profile and every later step score the same file.
    const file = (0,external_node_path_.join)(dir, model_io.MODEL_FILE);
    await (0,promises_.writeFile)(file, fitted.onnx);
    const signature = (0,preprocess/* preprocessSignature */.zo)(pre);
    const model = await (0,onnx_model/* openOnnxModel */.FT)(fitted.onnx, { shownPath: ports.shown(file), algorithm, signature, log: (line) => ports.info(line) });
    ports.info(`Exported to ONNX with the preprocessing inside (${ports.shown(file)}, ${(fitted.onnx.byteLength / 1024).toFixed(1)} KB); ` +
        `scored from here on with onnxruntime-${model.runtime}.`);
    try {
        const trainMetrics = scalarMetrics(fullMetrics(await scoreRows(model, table, split.train)));
        const validationMetrics = split.validation.length > 0 ? candidate.validation : null;
        const allRows = Array.from({ length: table.rows }, (_, i) => i);
        const output = await model.predict(table, allRows);
        const predictions = new profile_profile/* ColumnProfileBuilder */.zM(profile_profile/* PREDICTION_COLUMN */.vs);
        if (pre.target.task === 'classification') {
            const classes = pre.target.classes;
            const k = classes.length;
            for (let i = 0; i < allRows.length; i++) {
                let best = 0;
                for (let c = 1; c < k; c++)
                    if (output[i * k + c] > output[i * k + best])
                        best = c;
                predictions.add(values/* Kind */.b8.String, 0, classes[best]);
            }
        }
        else {
            for (let i = 0; i < allRows.length; i++)
                predictions.add(values/* Kind */.b8.Number, output[i], null);
        }
        const importance = await importanceOf(model, split, job, ports);
        const metrics = validationMetrics ?? trainMetrics;
        await (0,promises_.writeFile)((0,external_node_path_.join)(dir, contracts/* FILE_NAMES */.GY.metrics), `${JSON.stringify(metrics, null, 2)}\n`);
        const { epochs } = fitted;
        return {
            metrics,
            backend: candidate.backend,
            algorithm,
            task: pre.target.task,
            data: {
                features: pre.features.map((f) => f.name),
                classes: pre.target.task === 'classification' ? pre.target.classes : null,
                rows: { total: table.rows, train: split.train.length, validation: split.validation.length, unlabelled: split.unlabelled },
            },
            epochs: { ...epochs, trainingMs: Math.round(epochs.trainingMs), rowsPerSecond: candidate.rowsPerSecond },
            cardMetrics: validationMetrics ? { train: trainMetrics, validation: validationMetrics } : { train: trainMetrics },
            predictions: predictions.toState(),
            model: { file: (0,model_io.describeModelFile)(fitted.onnx, model), signature },
            ...(leaderboard ? { leaderboard } : {}),
            ...(importance ? { importance } : {}),
        };
    }
    finally {
        model.dispose();
    }
}
/** Permutation importance of the kept model on the validation rows (the training rows without a split), logged. */
async function importanceOf(model, split, job, ports) {
    const onValidation = split.validation.length > 0;
    const rows = onValidation ? split.validation : split.train;
    const started = performance.now();
    const importance = await permutationImportance(model, split.table, rows, job.target, { seed: job.params.seed });
    if (!importance)
        return null;
    ports.info(`Feature importance: permutation, the drop in ${importance.metric} when one column is shuffled (${importance.repeats} repeats) on ` +
        `${importance.rows.toLocaleString('en-US')} ${onValidation ? 'validation' : 'training'} rows` +
        (rows.length > importance.rows
            ? ` (a sample of ${rows.length.toLocaleString('en-US')}, at most ${IMPORTANCE_MAX_ROWS.toLocaleString('en-US')} to bound the time)`
            : '') +
        `, ${((performance.now() - started) / 1000).toFixed(1)} s. ` +
        `Most important: ${importance.features
            .slice(0, 5)
            .map((f) => `${f.name} ${f.mean.toFixed(3)} ± ${f.std.toFixed(3)}`)
            .join(', ')}.`);
    return { ...importance, on: onValidation ? 'validation' : 'training' };
}
/**
 * profile.json in the model directory: the data profile of the training files (the
 * same mergeable profile validate-data writes) plus the model's predictions, so a
 * registered version carries the reference that drift-check compares production with.
 */
async function writeTrainingProfile(job, dir, predictions, ports) {
    const scan = await (0,validate_scan/* scanData */.M)(job.files, { format: job.format, nullValues: job.nullValues });
    // Paths as the project names them (relative to the working directory), never the training machine's own.
    const profile = {
        ...scan.profile,
        files: job.files.map(ports.shown),
        columns: predictions ? [...scan.profile.columns, predictions] : scan.profile.columns,
    };
    await (0,promises_.writeFile)((0,external_node_path_.join)(dir, profile_profile/* TRAINING_PROFILE_FILE */.Ks), `${JSON.stringify(profile)}\n`);
    ports.info(`Training data profile (${scan.rows} rows, ${profile.columns.length} columns) saved with the model for drift checks.`);
}

;// CONCATENATED MODULE: ./src/steps/train.ts
/** train: fit a built-in model kind (or run your own trainer), with lineage and a run cache. */











const kinds = Object.values(MODEL_KINDS)
    .map((kind) => `${kind.name} (${kind.description})`)
    .join('; ');
const train = {
    name: 'train',
    title: 'Train',
    description: 'Trains a built-in model (linear or MLP on TensorFlow.js, gbdt gradient-boosted trees, or auto: the best of the three on the validation split; exported to ONNX with its preprocessing inside, with permutation feature importance) or runs your own trainer command (its model.onnx checked), writes a model directory with its model card and metrics, and skips training when an identical run is cached.',
    inputs: {
        config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
        data: { description: 'Training data files or globs, one per line. Default: data.path in mlops.yaml.', list: true, config: 'data.path' },
        target: { description: 'The label column. Default: data.target in mlops.yaml.', config: 'data.target' },
        params: { description: 'A YAML or JSON file of training parameters; its keys override the train section of mlops.yaml.' },
        algorithm: {
            description: `The model kind, one of: ${kinds}; or auto (train linear, mlp and gbdt on the same split and keep the best on validation: accuracy, or r2 for regression). Default: train.algorithm in mlops.yaml, else ${DEFAULT_ALGORITHM}.`,
            choices: ALGORITHM_CHOICES,
            config: 'train.algorithm',
        },
        epochs: {
            description: 'Maximum epochs. Default: train.epochs, else 1000 (early stopping usually ends sooner).',
            type: 'integer',
            config: 'train.epochs',
        },
        'learning-rate': {
            description: 'Adam learning rate. Default: train.learning_rate, else 0.001.',
            type: 'number',
            config: 'train.learning_rate',
        },
        'batch-size': {
            description: 'Rows per training step, or auto. Default: train.batch_size, else auto (32 for small data, up to 2048 for large).',
            config: 'train.batch_size',
        },
        seed: {
            description: 'Random seed: the same seed, data and parameters give the same model. Default: train.seed, else 42.',
            type: 'integer',
            config: 'train.seed',
        },
        command: {
            description: 'Your own trainer, run by the shell instead of the built-in model. It gets MLOPS_TRAIN_DATA, MLOPS_TARGET, MLOPS_PARAMS_FILE (every key of the train section and params file, as JSON), MLOPS_MODEL_DIR and MLOPS_METRICS_FILE in its environment, and must write a JSON object of metrics into MLOPS_METRICS_FILE and the model into MLOPS_MODEL_DIR: as model.onnx (checked, then evaluated, registered and served like a built-in model), optionally with reference-predictions.csv (its own predictions, for the fidelity gate). Default: train.command in mlops.yaml.',
            config: 'train.command',
        },
        'code-paths': {
            description: "Files or globs of your trainer's code, one per line, hashed into the cache key and the model card (with `command`).",
            list: true,
        },
        cache: {
            description: 'true to reuse an identical earlier run (same data, parameters and trainer), false to always train. Default: true.',
            type: 'boolean',
            choices: ['true', 'false'],
            default: 'true',
        },
        'output-dir': { description: 'Where the model directory goes (as model/). Default: .mlops/train beside mlops.yaml.' },
        'artifact-name': { description: 'Name of the model artifact uploaded on GitHub. Default: model-<model name>.' },
    },
    outputs: {
        'model-dir': { description: 'Path of the model directory (model.onnx, model-card.json, metrics.json, profile.json).' },
        metrics: { description: 'Validation metrics as a JSON object (training metrics when there is no validation split).' },
        'cache-hit': { description: '"true" when an identical earlier run was reused and nothing was trained.' },
        backend: { description: 'The TensorFlow.js backend used: tensorflow, wasm or cpu ("none" for a command or a cache hit).' },
        'cache-key': { description: 'The run cache key: a hash of the data, parameters and trainer code.' },
    },
    config: { key: 'train', schema: TrainSection },
    async run(ctx) {
        await runTrain(ctx);
    },
};
/** Resolves the inputs, trains (or reuses a cached run), and publishes the model directory. */
async function runTrain(ctx) {
    const { io, workspace, config: loaded } = ctx;
    const step = train;
    const patterns = pathsInput(ctx, step, 'data');
    if (patterns.length === 0)
        throw new core_errors/* UserError */.y('no training data', 'Set the `data` input (or --data), or data.path in mlops.yaml.');
    const target = stringInput(ctx, step, 'target');
    if (!target)
        throw new core_errors/* UserError */.y('no target column', 'Set the `target` input (or --target), or data.target in mlops.yaml.');
    const { params, command, sources } = await resolveParams(ctx);
    const useCache = booleanInput(ctx, step, 'cache') ?? true;
    const outputOverride = io.getInput('output-dir');
    const modelDir = workspace.modelDir(outputOverride);
    // Before any work: an unwritable folder is an error now, not after training.
    await (0,core_workspace/* ensureWritableDir */.g)(workspace.dir('train', outputOverride), outputOverride ? 'input output-dir' : 'the train folder');
    const files = await (0,data_paths/* expandPaths */.p)(patterns);
    const codePatterns = listInput(ctx, step, 'code-paths').map((p) => workspace.path(p));
    const codeFiles = codePatterns.length > 0 ? await (0,data_paths/* expandPaths */.p)(codePatterns) : [];
    const modelName = loaded.config.model?.name ?? 'model';
    const ports = {
        info: (message) => io.info(message),
        warning: (message) => io.warning(message),
        group: (title, fn) => io.group(title, fn),
        shown: (path) => workspace.shown(path),
        lineage: async () => ({
            git: { commit: await ctx.env.commit(), ref: ctx.env.ref },
            run: { url: ctx.env.runUrl, id: ctx.env.runId, attempt: ctx.env.runAttempt },
        }),
        runCommand: (job) => ctx.runCommand(job),
    };
    const outcome = await trainModel({
        modelName,
        files,
        target,
        params,
        paramSources: sources,
        command,
        codeFiles,
        format: (loaded.config.data.format ?? 'auto'),
        nullValues: loaded.config.data.null_values,
        modelDir,
        cache: useCache ? await ctx.runCache('train') : null,
    }, ports);
    await publish(ctx, outcome, modelName, command !== null);
}
/**
 * The parameters: mlops.yaml's train section, then the params file, then the inputs
 * (each input resolved by the one rule); checked together against the parameters of
 * the run and of its algorithm.
 */
async function resolveParams(ctx) {
    const { io, workspace, config: loaded } = ctx;
    const warn = (message) => io.warning(message);
    const { command: _configCommand, ...fromConfig } = renameLegacyModelKey(loaded.config.train ?? {}, 'train in mlops.yaml', warn);
    const paramsPath = stringInput(ctx, train, 'params');
    const fromFile = paramsPath ? renameLegacyModelKey(await readParamsFile(workspace.path(paramsPath), paramsPath), paramsPath, warn) : {};
    const overrides = {};
    for (const [name, spec] of Object.entries(train.inputs)) {
        if (!spec.config?.startsWith('train.') || name === 'command')
            continue;
        const resolved = resolveInput(ctx, train, name, fromFile);
        if (resolved?.source === 'input')
            overrides[spec.config.slice('train.'.length)] = resolved.value;
    }
    if (typeof overrides.batch_size === 'string')
        overrides.batch_size = batchSize(overrides.batch_size);
    const where = [loaded.file ? 'train in mlops.yaml' : null, paramsPath || null, Object.keys(overrides).length > 0 ? 'inputs' : null]
        .filter(Boolean)
        .join(' + ') || 'defaults';
    const { command: _fileCommand, ...fileParams } = fromFile;
    const command = stringInput(ctx, train, 'command', fromFile) ?? null;
    const params = parseTrainParams({ ...fromConfig, ...fileParams, ...overrides }, where, command ? 'command' : 'builtin');
    return { params, command, sources: where };
}
/** batch-size is the one input that is a word or a number: auto, or a whole number. */
function batchSize(text) {
    if (text === 'auto')
        return 'auto';
    const value = Number(text);
    if (text.trim() === '' || !Number.isInteger(value))
        throw new InputError('batch-size', `"${text}" (input) is not auto or a whole number`);
    return value;
}
async function publish(ctx, outcome, modelName, byCommand) {
    const { io, workspace } = ctx;
    // The card's leaderboard (auto) and feature importance, as evaluate's report shows them (a cache hit's card too).
    const card = byCommand
        ? null
        : await (0,contracts/* readContract */.Jz)('modelCard', outcome.modelDir, workspace.shown((0,contracts/* contractPath */.K0)('modelCard', outcome.modelDir)));
    const fromCard = card ? cardSections(card).flatMap((section) => [`### ${section.title}`, '', section.body, '']) : [];
    const rows = Object.entries(outcome.metrics).map(([name, value]) => [`\`${name}\``, formatNumber(value)]);
    const shownDir = workspace.shown(outcome.modelDir);
    const how = outcome.cacheHit
        ? `Reused an identical earlier run (same data, parameters and trainer): key \`${outcome.cacheKey}\`.`
        : `${byCommand ? 'Ran your trainer' : `Trained on the ${outcome.backend} backend`} in ${(outcome.seconds ?? 0).toFixed(1)} s. Model directory: ${code(shownDir, 200, false)}.`;
    await io.appendSummary([
        `## Training: ${escapeText(modelName)}${outcome.cacheHit ? ' (cached)' : ''}`,
        '',
        how,
        '',
        rows.length > 0 ? table(['Metric', 'Value'], rows, ['left', 'right']) : '*No metrics.*',
        '',
        ...fromCard,
    ].join('\n'));
    await uploadArtifact(ctx, io.getInput('artifact-name') || `model-${modelName}`, outcome.modelDir, 'the model');
    io.setOutput('model-dir', shownDir);
    io.setOutput('metrics', JSON.stringify(outcome.metrics));
    io.setOutput('cache-hit', String(outcome.cacheHit));
    io.setOutput('backend', outcome.backend);
    io.setOutput('cache-key', outcome.cacheKey);
}

// EXTERNAL MODULE: ./src/core/schema/schema.ts
var schema_schema = __webpack_require__(36964);
// EXTERNAL MODULE: ./src/core/profile/summary.ts
var summary = __webpack_require__(63469);
// EXTERNAL MODULE: ./src/core/validate/column-checks.ts
var column_checks = __webpack_require__(34566);
;// CONCATENATED MODULE: ./src/core/validate/report.ts
/** The data validation report in Markdown (for PR comments, job summaries and files). */


const MAX_ANOMALY_ROWS = 100;
function renderValidationReport(input) {
    const errors = input.anomalies.filter((a) => a.severity === 'error').length;
    const warnings = input.anomalies.length - errors;
    const verdict = errors > 0
        ? `❌ ${report_plural(errors, 'error')}, ${report_plural(warnings, 'warning')}`
        : warnings > 0
            ? `⚠️ passed with ${report_plural(warnings, 'warning')}`
            : '✅ passed';
    const lines = [];
    lines.push(`## ${escapeText(input.title ?? 'Data validation')}: ${verdict}`);
    lines.push('');
    const fileList = input.files.length <= 5 ? input.files.map((f) => code(f, 120, false)).join(', ') : `${input.files.length} files`;
    const mb = input.bytes / 1e6;
    const seconds = input.elapsedMs / 1000;
    lines.push(`${fileList}: ${report_plural(input.rows, 'row')}, ${report_plural(input.columns.length, 'column')}, ${mb.toFixed(1)} MB in ${seconds.toFixed(1)} s. ` +
        (input.schemaFile
            ? `Schema: ${code(input.schemaFile, 120, false)}.`
            : 'No schema given: only the file structure was checked (write one with `mlops infer-schema`).'));
    lines.push('');
    if (input.anomalies.length > 0) {
        lines.push('### Anomalies');
        lines.push('');
        const rows = input.anomalies
            .slice(0, MAX_ANOMALY_ROWS)
            .map((a) => [
            a.severity === 'error' ? '❌ error' : '⚠️ warning',
            `\`${a.kind}\``,
            a.column !== undefined ? code(a.column, 60) : a.file !== undefined ? code(a.file, 60) : '',
            escapeText(a.message, 300),
            a.expected !== undefined ? escapeText(a.expected, 160) : '',
            a.samples
                .map((s) => `${input.files.length > 1 ? `${escapeText(s.file.split('/').pop() ?? s.file, 40)} ` : ''}row ${s.row} (line ${s.line}): ${code(s.value, 40)}`)
                .join('<br>'),
        ]);
        lines.push(table(['', 'Anomaly', 'Column', 'Found', 'Expected', 'Sample rows'], rows));
        if (input.anomalies.length > MAX_ANOMALY_ROWS)
            lines.push('', `… and ${input.anomalies.length - MAX_ANOMALY_ROWS} more (see validation.json).`);
        lines.push('');
    }
    lines.push('### Columns');
    lines.push('');
    const columnRows = input.columns.map((c) => [
        code(c.name, 40),
        c.type,
        formatNumber(c.count),
        c.nulls > 0 ? `${formatNumber(c.nulls)} (${(0,column_checks/* percent */.KN)(c.nullFraction)})` : '0',
        `${c.distinctExact ? '' : '~'}${formatNumber(c.distinct)}`,
        formatNumber(c.mean),
        formatNumber(c.std),
        typeof c.min === 'string' ? code(c.min, 30) : formatNumber(c.min),
        c.quantiles ? formatNumber(c.quantiles.p50) : '',
        typeof c.max === 'string' ? code(c.max, 30) : formatNumber(c.max),
        c.top.length > 0 && c.type !== 'number'
            ? c.top
                .slice(0, 3)
                .map((t) => `${code(truncate(t.value, 24), 26)} ${formatNumber(t.count)}`)
                .join(', ')
            : '',
    ]);
    lines.push(table(['Column', 'Type', 'Count', 'Nulls', 'Distinct', 'Mean', 'Std', 'Min', 'Median', 'Max', 'Top values'], columnRows, [
        'left',
        'left',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'left',
    ]));
    lines.push('');
    return lines.join('\n');
}
function report_plural(n, word) {
    return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

;// CONCATENATED MODULE: ./src/core/validate/validate.ts
/**
 * validate-data's use case: scan data files against a schema (or without one, their
 * structure only), judge the anomalies by the fail-on severity, and write the three
 * outputs: report.md (what people read), profile.json (the mergeable profile) and
 * validation.json (anomalies and column statistics, for machines).
 */





/** Whether data with these anomaly counts passes at `failOn`. */
function passes(failOn, errors, warnings) {
    return failOn === 'never' ? true : failOn === 'warning' ? errors + warnings === 0 : errors === 0;
}
/** Scans the data, judges it and writes the reports into `outputDir`. */
async function validateDataFiles(options) {
    const scan = await (0,validate_scan/* scanData */.M)(options.files, {
        schema: options.schema,
        format: options.format,
        nullValues: options.nullValues,
        baseDir: options.baseDir,
        sampleLimit: options.sampleRows,
        onProgress: options.onProgress,
    });
    const errors = scan.anomalies.filter((a) => a.severity === 'error').length;
    const warnings = scan.anomalies.length - errors;
    const { failOn, schemaFile, outputDir } = options;
    const valid = passes(failOn, errors, warnings);
    const columns = (0,summary/* summarizeProfile */.jA)(scan.profile);
    const paths = {
        report: (0,external_node_path_.join)(outputDir, 'report.md'),
        profile: (0,external_node_path_.join)(outputDir, 'profile.json'),
        results: (0,external_node_path_.join)(outputDir, 'validation.json'),
    };
    const report = renderValidationReport({
        files: scan.profile.files,
        schemaFile,
        rows: scan.rows,
        bytes: scan.bytes,
        elapsedMs: scan.elapsedMs,
        anomalies: scan.anomalies,
        columns,
    });
    await lib_default()(paths.profile, `${JSON.stringify(scan.profile)}\n`);
    await lib_default()(paths.results, `${JSON.stringify({ valid, errors, warnings, failOn, rows: scan.rows, files: scan.profile.files, schema: schemaFile, anomalies: scan.anomalies, columns }, null, 2)}\n`);
    await lib_default()(paths.report, report);
    return { valid, errors, warnings, failOn, report, paths, columns, scan };
}
/** One line of reading progress: file, share read, rows, speed and time left. */
function progressLine(p) {
    const seconds = p.elapsedMs / 1000;
    const done = p.fileSize > 0 ? p.bytesRead / p.fileSize : 0;
    const rate = p.bytesRead / 1e6 / Math.max(seconds, 1e-3);
    const eta = rate > 0 ? (p.fileSize - p.bytesRead) / 1e6 / rate : 0;
    const fileNote = p.files > 1 ? ` (file ${p.fileIndex + 1} of ${p.files})` : '';
    return `${p.file}${fileNote}: ${(p.bytesRead / 1e6).toFixed(0)} of ${(p.fileSize / 1e6).toFixed(0)} MB (${(done * 100).toFixed(0)}%), ${p.rows.toLocaleString('en-US')} rows, ${rate.toFixed(0)} MB/s, about ${eta.toFixed(0)} s left`;
}
/** The closing log line: rows, size, time and speed, and the anomaly counts. */
function throughputLine(result) {
    const { scan, errors, warnings } = result;
    const mbPerSecond = scan.bytes / 1e6 / Math.max(scan.elapsedMs / 1000, 1e-3);
    return `${scan.rows.toLocaleString('en-US')} rows, ${(scan.bytes / 1e6).toFixed(1)} MB in ${(scan.elapsedMs / 1000).toFixed(2)} s (${mbPerSecond.toFixed(0)} MB/s): ${errors} errors, ${warnings} warnings.`;
}
/** Annotations of the first `limit` anomalies (GitHub shows only ten of a step's annotations of a kind). */
function anomalyAnnotations(anomalies, limit = 10) {
    return anomalies.slice(0, limit).map((anomaly) => {
        const sample = anomaly.samples.find((s) => s.line > 0);
        return {
            severity: anomaly.severity,
            message: anomaly.column !== undefined ? `${anomaly.column}: ${anomaly.message}` : anomaly.message,
            where: {
                file: sample?.file ?? anomaly.file,
                line: sample?.line,
                title: `validate-data: ${anomaly.kind}${anomaly.column !== undefined ? ` in ${anomaly.column}` : ''}`,
            },
        };
    });
}

;// CONCATENATED MODULE: ./src/steps/validate-data.ts
/** validate-data: check data against its schema, profile every column, report. */








const validateData = {
    name: 'validate-data',
    title: 'Validate data',
    description: 'Checks data files (CSV, TSV, JSON Lines; gzip too) against a schema, profiles every column into a mergeable profile, and reports every anomaly with sample rows.',
    inputs: {
        config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
        data: { description: 'Data files or globs, one per line. Default: data.path in mlops.yaml.', list: true, config: 'data.path' },
        schema: {
            description: 'The schema (YAML) to validate against. Default: data.schema in mlops.yaml; without one only the file structure is checked.',
            config: 'data.schema',
        },
        format: {
            description: 'File format: auto (from the file name), csv, tsv or jsonl. Default: data.format in mlops.yaml, else auto.',
            choices: ['auto', 'csv', 'tsv', 'jsonl'],
            config: 'data.format',
            default: 'auto',
        },
        'fail-on': {
            description: 'Fail the step on anomalies of this severity or worse: error, warning or never. Default: validate.fail_on in mlops.yaml, else error.',
            choices: ['error', 'warning', 'never'],
            config: 'validate.fail_on',
            default: 'error',
        },
        'output-dir': { description: 'Where report.md, profile.json and validation.json go. Default: .mlops/validate-data beside mlops.yaml.' },
        'artifact-name': {
            description: "On GitHub: upload the reports as an artifact of this name, for a later job (evaluate's validation-artifact puts them in its PR comment). Default: no upload.",
        },
    },
    outputs: {
        valid: { description: '"true" when no anomaly reached the fail-on severity, else "false".' },
        errors: { description: 'Number of error anomalies.' },
        warnings: { description: 'Number of warning anomalies.' },
        report: { description: 'Path of the Markdown report.' },
        profile: { description: 'Path of the mergeable data profile (JSON).' },
        results: { description: 'Path of the machine-readable anomalies and statistics (JSON).' },
    },
    // The section is declared with the shared keys (infer-schema reads validate.max_domain_size too).
    config: { key: 'validate', schema: config/* Config */.TS.shape.validate },
    async run(ctx) {
        await runValidateData(ctx);
    },
};
/** Resolves the inputs, validates the data, and publishes the result (outputs, annotations, summary, artifact). */
async function runValidateData(ctx) {
    const { io, workspace, config: loaded } = ctx;
    const step = validateData;
    const patterns = pathsInput(ctx, step, 'data');
    if (patterns.length === 0) {
        throw new core_errors/* UserError */.y('no data to validate', 'Set the `data` input (or --data), or data.path in mlops.yaml.');
    }
    const schemaFile = pathInput(ctx, step, 'schema') ?? null;
    const format = choiceInput(ctx, step, 'format') ?? 'auto';
    const failOn = choiceInput(ctx, step, 'fail-on') ?? 'error';
    const outputOverride = io.getInput('output-dir');
    const outputDir = workspace.dir('validate-data', outputOverride);
    await (0,core_workspace/* ensureWritableDir */.g)(outputDir, outputOverride ? 'input output-dir' : 'the validate-data folder');
    const files = await (0,data_paths/* expandPaths */.p)(patterns);
    const schema = schemaFile ? await (0,schema_schema/* loadSchema */.e$)(schemaFile, workspace.shown(schemaFile)) : null;
    if (!schema)
        io.warning('No schema given: only the file structure is checked. Write one with `mlops infer-schema DATA > schema.yaml` and set data.schema in mlops.yaml.');
    const result = await io.group(`Reading ${files.length === 1 ? workspace.shown(files[0]) : `${files.length} files`}`, () => validateDataFiles({
        files: files.map((f) => workspace.shown(f)),
        baseDir: workspace.cwd,
        schema,
        schemaFile: schemaFile ? workspace.shown(schemaFile) : null,
        format,
        nullValues: loaded.config.data.null_values,
        sampleRows: loaded.config.validate.sample_rows ?? 5,
        failOn,
        outputDir,
        onProgress: (p) => io.info(progressLine(p)),
    }));
    for (const annotation of anomalyAnnotations(result.scan.anomalies)) {
        if (annotation.severity === 'error')
            io.error(annotation.message, annotation.where);
        else
            io.warning(annotation.message, annotation.where);
    }
    await io.appendSummary(result.report);
    io.info(throughputLine(result));
    const { paths, valid, errors, warnings } = result;
    io.info(`Report: ${workspace.shown(paths.report)}`);
    io.setOutput('valid', String(valid));
    io.setOutput('errors', String(errors));
    io.setOutput('warnings', String(warnings));
    io.setOutput('report', workspace.shown(paths.report));
    io.setOutput('profile', workspace.shown(paths.profile));
    io.setOutput('results', workspace.shown(paths.results));
    const artifact = io.getInput('artifact-name');
    if (artifact) {
        if (await ctx.artifacts())
            await uploadArtifact(ctx, artifact, outputDir, 'the reports');
        else
            io.info(`artifact-name is set but this is not a GitHub Actions job step: the reports stay in ${workspace.shown(outputDir)}.`);
    }
    if (!valid) {
        io.fail(`Data validation failed: ${errors} errors, ${warnings} warnings (fail-on: ${failOn}). See ${workspace.shown(paths.report)}.`);
    }
}

;// CONCATENATED MODULE: ./src/steps/index.ts
/**
 * Every step, declared once, in pipeline order. Everything else that lists steps (the
 * bundle's entries, the root action, the CLI's commands and `run`, the tests) derives
 * from this table.
 */








/** The steps, in the order `mlops run` runs them. */
const PIPELINE = [validateData, train, evaluate, register, deploy, driftCheck];
/** Every step, by name: the pipeline's and the ones that run on their own. */
const STEPS = Object.fromEntries([...PIPELINE, report].map((step) => [step.name, step]));
const STEP_NAMES = Object.keys(STEPS);
/** The schema of the whole mlops.yaml: shared keys plus each step's section. */
const PROJECT_CONFIG = (0,config/* projectConfig */.Qn)(Object.fromEntries(Object.values(STEPS)
    .filter((step) => step.config)
    .map((step) => [step.config.key, step.config.schema])));


/***/ })

};
