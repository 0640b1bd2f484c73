export const id = 581;
export const ids = [581];
export const modules = {

/***/ 12054:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  WM: () => (/* binding */ loadProjectConfig),
  Fu: () => (/* binding */ projectRegistry),
  $s: () => (/* binding */ runLocalStep)
});

// EXTERNAL MODULE: ./src/core/config/config.ts
var config = __webpack_require__(45390);
// EXTERNAL MODULE: ./src/core/workspace.ts
var workspace = __webpack_require__(28742);
// EXTERNAL MODULE: ./src/steps/index.ts + 60 modules
var steps = __webpack_require__(21611);
// EXTERNAL MODULE: ./src/adapters/context.ts + 2 modules
var context = __webpack_require__(21343);
// EXTERNAL MODULE: ./src/adapters/registry.ts + 3 modules
var registry = __webpack_require__(27994);
;// CONCATENATED MODULE: ./src/adapters/local/step-io.ts
/** Runs a step from a terminal: inputs from flags, logs on stderr, outputs kept for the caller to print. */
class LocalStepIO {
    inputs;
    log;
    onGitHub = false;
    outputs = new Map();
    summaries = [];
    failed = null;
    constructor(inputs, log = (line) => process.stderr.write(`${line}\n`)) {
        this.inputs = inputs;
        this.log = log;
    }
    getInput(name) {
        return (this.inputs.get(name) ?? '').trim();
    }
    setOutput(name, value) {
        this.outputs.set(name, value);
    }
    async appendSummary(markdown) {
        this.summaries.push(markdown);
    }
    info(message) {
        this.log(message);
    }
    warning(message, where) {
        this.log(`warning: ${place(where)}${message}`);
    }
    error(message, where) {
        this.log(`error: ${place(where)}${message}`);
    }
    async group(title, fn) {
        this.log(`── ${title}`);
        return fn();
    }
    fail(message) {
        this.failed = message;
        this.log(`error: ${message}`);
    }
}
function place(where) {
    if (!where?.file)
        return '';
    return where.line ? `${where.file}:${where.line}: ` : `${where.file}: `;
}

;// CONCATENATED MODULE: ./src/adapters/local/run.ts
/** Runs a step from a terminal: inputs from flags, logs on stderr, outputs kept for the caller. */






/** Runs `step` with `inputs` in `cwd`; errors are thrown (the CLI prints them). */
async function runLocalStep(step, inputs, options = {}) {
    const io = new LocalStepIO(inputs, options.log);
    const ctx = await (0,context/* buildContext */.g)({
        io,
        env: options.env ?? process.env,
        cwd: options.cwd ?? process.cwd(),
        configSchema: steps.PROJECT_CONFIG,
        configPath: io.getInput('config'),
    });
    await step.run(ctx);
    return io;
}
/** mlops.yaml checked whole (every step's section), as every step loads it. */
function loadProjectConfig(path, cwd = process.cwd()) {
    return (0,config/* loadConfig */.Z9)(path, cwd, steps.PROJECT_CONFIG);
}
/** The registry a project names (or `location`), for the CLI's registry and serve commands. */
function projectRegistry(loaded, location, env = process.env, cwd = process.cwd()) {
    return (0,registry/* openRegistry */.M)(loaded, workspace/* Workspace */.a.of(loaded, cwd), (name) => env[name] || undefined, location);
}


/***/ }),

/***/ 16890:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H: () => (/* binding */ markdownToTerminal)
/* harmony export */ });
/**
 * Step summaries are Markdown written for GitHub (escaped so that data cannot inject
 * into them). A terminal shows them as plain text: escapes undone, entities decoded,
 * HTML and chart blocks reduced to what a person reads.
 */
const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };
/** Markdown as a terminal should show it. */
function markdownToTerminal(markdown) {
    const lines = [];
    let fence = null;
    for (const line of markdown.split('\n')) {
        if (fence !== null) {
            if (line.trim() === fence)
                fence = null;
            continue;
        }
        const open = /^\s*(```+)\s*mermaid\s*$/.exec(line);
        if (open) {
            fence = open[1];
            lines.push('(chart: see the HTML report)');
            continue;
        }
        lines.push(plainLine(line));
    }
    return lines
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim();
}
function plainLine(line) {
    return line
        .replace(/<!--.*?-->/g, '')
        .replace(/<summary>(.*?)<\/summary>/g, '$1')
        .replace(/<\/?(details|summary|br|sub|sup|b|i|p)\s*\/?>/g, '')
        .replace(/\*\*(.+?)\*\*/g, '$1')
        .replace(/\\([\\`*_{}[\]()#+\-.!|~<>&"'=:$^])/g, '$1')
        .replace(/&(amp|lt|gt|quot|nbsp|#39);/g, (entity) => ENTITIES[entity] ?? entity)
        .replace(/@\u200b/g, '@');
}


/***/ }),

/***/ 95581:
/***/ ((module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
__webpack_require__.r(__webpack_exports__);
/* harmony import */ var _shims_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(93637);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var commander__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(48179);
/* harmony import */ var write_file_atomic__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(30238);
/* harmony import */ var write_file_atomic__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(write_file_atomic__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(74296);
/* harmony import */ var _core_data_paths_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(82620);
/* harmony import */ var _core_profile_profile_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(7946);
/* harmony import */ var _core_schema_infer_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(38227);
/* harmony import */ var _core_schema_schema_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(36964);
/* harmony import */ var _core_validate_scan_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(91799);
/* harmony import */ var _adapters_local_run_js__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(12054);
/* harmony import */ var _adapters_local_terminal_js__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__(16890);
/* harmony import */ var _entry_js__WEBPACK_IMPORTED_MODULE_13__ = __webpack_require__(81379);
/* harmony import */ var _commands_serve_js__WEBPACK_IMPORTED_MODULE_14__ = __webpack_require__(26211);
/* harmony import */ var _steps_index_js__WEBPACK_IMPORTED_MODULE_15__ = __webpack_require__(21611);

/** mlops: every step from a terminal, over the same step functions the actions run. */















const program = new commander__WEBPACK_IMPORTED_MODULE_3__/* .Command */ .uB('mlops')
    .description('ML pipelines as GitHub Actions, and from your terminal with local storage.')
    .version('0.1.0')
    // Options of the program go before a command, so a command's own --version (deploy) is its own.
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
/** Runs a step locally; returns the exit code (0 ok, 1 the step failed). */
async function runStep(step, inputs) {
    const io = await (0,_adapters_local_run_js__WEBPACK_IMPORTED_MODULE_11__/* .runLocalStep */ .$s)(step, inputs);
    // Summaries are Markdown for GitHub; a terminal gets them as plain text (the report files keep the Markdown).
    for (const summary of io.summaries)
        process.stdout.write(`${(0,_adapters_local_terminal_js__WEBPACK_IMPORTED_MODULE_12__/* .markdownToTerminal */ .H)(summary)}\n`);
    for (const [name, value] of io.outputs)
        process.stderr.write(`  ${name}: ${value}\n`);
    return io.failed === null ? 0 : 1;
}
for (const step of Object.values(_steps_index_js__WEBPACK_IMPORTED_MODULE_15__.STEPS)) {
    const command = program.command(step.name).description(step.description);
    for (const [name, input] of Object.entries(step.inputs)) {
        const option = new commander__WEBPACK_IMPORTED_MODULE_3__/* .Option */ .c$(input.list ? `--${name} <values...>` : `--${name} <value>`, input.description);
        if (input.choices)
            option.choices([...input.choices]);
        command.addOption(option);
    }
    command.action(async (options) => {
        const inputs = new Map();
        for (const name of Object.keys(step.inputs)) {
            const value = options[camel(name)];
            if (value !== undefined)
                inputs.set(name, Array.isArray(value) ? value.join('\n') : value);
        }
        process.exitCode = await runStep(step, inputs);
    });
}
program
    .command('infer-schema')
    .description('Infers a schema (types, nullability, ranges, categorical domains, row-count bounds) from data and prints it as YAML to edit and commit.')
    .argument('<data...>', 'data files or globs (CSV, TSV, JSON Lines; gzip too)')
    .option('-o, --output <file>', 'write the schema to this file instead of standard output')
    .addOption(new commander__WEBPACK_IMPORTED_MODULE_3__/* .Option */ .c$('--format <format>', 'file format (default: from the file name)').choices(['auto', 'csv', 'tsv', 'jsonl']))
    .option('--max-domain-size <n>', `string columns with at most this many distinct values get a domain (default: validate.max_domain_size in mlops.yaml, else ${_core_schema_infer_js__WEBPACK_IMPORTED_MODULE_8__/* .DEFAULT_MAX_DOMAIN_SIZE */ .w})`)
    .option('--config <file>', 'mlops.yaml to read null_values and defaults from')
    .action(async (data, options) => {
    const loaded = await (0,_adapters_local_run_js__WEBPACK_IMPORTED_MODULE_11__/* .loadProjectConfig */ .WM)(options.config);
    const files = await (0,_core_data_paths_js__WEBPACK_IMPORTED_MODULE_6__/* .expandPaths */ .p)(data.map((p) => (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(p)));
    const maxDomainSize = options.maxDomainSize !== undefined
        ? Number(options.maxDomainSize)
        : (loaded.config.validate.max_domain_size ?? _core_schema_infer_js__WEBPACK_IMPORTED_MODULE_8__/* .DEFAULT_MAX_DOMAIN_SIZE */ .w);
    if (!Number.isInteger(maxDomainSize) || maxDomainSize < 0)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .UserError */ .y(`--max-domain-size: "${options.maxDomainSize}" is not a whole number >= 0`);
    const scan = await (0,_core_validate_scan_js__WEBPACK_IMPORTED_MODULE_10__/* .scanData */ .M)(files, {
        format: options.format ?? loaded.config.data.format ?? 'auto',
        nullValues: loaded.config.data.null_values,
        onProgress: (p) => process.stderr.write(`${p.file}: ${(p.bytesRead / 1e6).toFixed(0)} of ${(p.fileSize / 1e6).toFixed(0)} MB\n`),
    });
    if (scan.rows === 0)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .UserError */ .y(`no data rows in ${data.join(', ')}`, 'A schema is inferred from data: give a file with rows.');
    const schema = (0,_core_schema_infer_js__WEBPACK_IMPORTED_MODULE_8__/* .inferSchema */ ._)(scan.profile, { maxDomainSize });
    const yaml = (0,_core_schema_schema_js__WEBPACK_IMPORTED_MODULE_9__/* .schemaToYaml */ .Uz)(schema, `Data schema inferred by \`mlops infer-schema\` from ${scan.rows} rows of ${data.join(', ')}.\nEdit it: bounds and domains are what this data held. Checks take plain values or { value, mostly, severity }.`);
    if (options.output) {
        await write_file_atomic__WEBPACK_IMPORTED_MODULE_4___default()(options.output, yaml);
        process.stderr.write(`wrote ${options.output} (${Object.keys(schema.columns).length} columns)\n`);
    }
    else
        process.stdout.write(yaml);
});
program
    .command('merge-profiles')
    .description('Merges data profiles (profile.json from validate-data) of shards into the profile of all of them.')
    .argument('<profiles...>', 'profile.json files')
    .requiredOption('-o, --output <file>', 'where to write the merged profile')
    .action(async (paths, options) => {
    let merged = null;
    for (const path of paths) {
        const profile = await readProfile(path);
        merged = merged === null ? profile : (0,_core_profile_profile_js__WEBPACK_IMPORTED_MODULE_7__/* .mergeProfiles */ .Ns)(merged, profile);
    }
    await write_file_atomic__WEBPACK_IMPORTED_MODULE_4___default()(options.output, `${JSON.stringify(merged)}\n`);
    process.stderr.write(`wrote ${options.output}: ${merged.rows} rows, ${merged.columns.length} columns from ${paths.length} profiles\n`);
});
program
    .command('run')
    .description('Runs the whole loop on a project: validate-data, train, evaluate, register, deploy to an environment (default staging) and drift-check (when mlops.yaml has drift.current), with the registry of mlops.yaml (a local folder by default). Stops at the first step that fails.')
    .option('--config <file>', "the project's mlops.yaml", 'mlops.yaml')
    .option('--environment <name>', 'the environment to deploy to', 'staging')
    .action(async (options) => {
    const loaded = await (0,_adapters_local_run_js__WEBPACK_IMPORTED_MODULE_11__/* .loadProjectConfig */ .WM)(options.config);
    // The whole file was checked by that load: a typo anywhere stops here, before any work.
    const drift = (loaded.config.drift ?? {});
    const steps = _steps_index_js__WEBPACK_IMPORTED_MODULE_15__.PIPELINE.map((step) => step.name).filter((name) => name !== 'drift-check' || Boolean(drift.current));
    for (const name of steps) {
        process.stderr.write(`\n━━ ${name}\n`);
        const inputs = new Map([['config', options.config]]);
        if (name === 'deploy')
            inputs.set('environment', options.environment);
        const code = await runStep(_steps_index_js__WEBPACK_IMPORTED_MODULE_15__.STEPS[name], inputs);
        if (code !== 0) {
            process.stderr.write(`\n${name} failed: the pipeline stops here.\n`);
            process.exitCode = code;
            return;
        }
    }
});
const registryCommand = program
    .command('registry')
    .description('The model registry: list versions, show one with its lineage, move aliases, pull a version.');
const withRegistry = async (options) => {
    const loaded = await (0,_adapters_local_run_js__WEBPACK_IMPORTED_MODULE_11__/* .loadProjectConfig */ .WM)(options.config);
    return (0,_adapters_local_run_js__WEBPACK_IMPORTED_MODULE_11__/* .projectRegistry */ .Fu)(loaded, options.registry);
};
const registryOptions = (command) => command
    .option('--config <file>', 'mlops.yaml (for the registry and the model name)')
    .option('--registry <where>', 'oci://host/namespace or a folder (default: registry.url or registry.path in mlops.yaml, else .mlops/registry beside it)');
registryOptions(registryCommand
    .command('list')
    .description('Lists the versions of a model, with their aliases.')
    .argument('[model]', 'the model name (default: model.name in mlops.yaml)')).action(async (given, options) => {
    const loaded = await (0,_adapters_local_run_js__WEBPACK_IMPORTED_MODULE_11__/* .loadProjectConfig */ .WM)(options.config);
    const model = given ?? loaded.config.model?.name;
    if (!model)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .UserError */ .y('which model?', 'Name it (mlops registry list penguins), or set model.name in mlops.yaml (--config).');
    const registry = (0,_adapters_local_run_js__WEBPACK_IMPORTED_MODULE_11__/* .projectRegistry */ .Fu)(loaded, options.registry);
    const versions = await registry.list(model);
    const aliases = await registry.aliases(model);
    for (const v of versions) {
        const names = Object.entries(aliases)
            .filter(([, n]) => n === v.version)
            .map(([a]) => a);
        process.stdout.write(`v${v.version}  ${v.digest}  ${v.createdAt}${names.length > 0 ? `  [${names.join(', ')}]` : ''}\n`);
    }
    if (versions.length === 0)
        process.stderr.write(`no versions of ${model} yet\n`);
});
registryOptions(registryCommand
    .command('show')
    .description('Shows one version (by number, alias or digest) as JSON: files, model card, blessing.')
    .argument('<model>')
    .argument('<ref>', 'a version number (3 or v3), an alias, or a digest')).action(async (model, ref, options) => {
    const registry = await withRegistry(options);
    const version = await registry.resolve(model, ref);
    process.stdout.write(`${JSON.stringify(version, null, 2)}\n`);
    for (const problem of version.problems)
        process.stderr.write(`warning: ${problem}\n`);
});
registryOptions(registryCommand
    .command('alias')
    .description('Points an alias at a version (or removes it with --unset).')
    .argument('<model>')
    .argument('<alias>')
    .argument('[ref]', 'the version (number, alias or digest)')
    .option('--unset', 'remove the alias')).action(async (model, alias, ref, options) => {
    const registry = await withRegistry(options);
    if (options.unset) {
        await registry.unsetAlias(model, alias);
        process.stderr.write(`${alias} removed\n`);
        return;
    }
    if (!ref)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .UserError */ .y('which version should the alias point at?', `mlops registry alias ${model} ${alias} 3`);
    const version = await registry.resolve(model, ref);
    await registry.setAlias(model, alias, version.version);
    process.stderr.write(`${alias} -> v${version.version}\n`);
});
registryOptions(registryCommand.command('history').description('Shows every change of an alias.').argument('<model>').argument('<alias>')).action(async (model, alias, options) => {
    const registry = await withRegistry(options);
    for (const event of await registry.aliasHistory(model, alias)) {
        process.stdout.write(`${event.at}  ${event.version === null ? 'unset' : `v${event.version}`}\n`);
    }
});
registryOptions(registryCommand
    .command('pull')
    .description("Copies a version's files into a folder, verifying every file's digest.")
    .argument('<model>')
    .argument('<ref>')
    .requiredOption('-o, --output <dir>', 'where the model files go')).action(async (model, ref, options) => {
    const registry = await withRegistry(options);
    const version = await registry.pull(model, ref, (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(options.output));
    process.stderr.write(`pulled ${model} v${version.version} (${version.files.length} files) into ${options.output}\n`);
});
(0,_commands_serve_js__WEBPACK_IMPORTED_MODULE_14__/* .addServeCommands */ .H)(program);
// For scripts/gen-metadata.mjs: the step specs that action.yml files and README tables are generated from.
program.command('spec', { hidden: true }).action(() => {
    const specs = Object.values(_steps_index_js__WEBPACK_IMPORTED_MODULE_15__.STEPS).map(({ name, title, description, inputs, outputs }) => ({
        name,
        title,
        description,
        inputs,
        outputs,
    }));
    process.stdout.write(`${JSON.stringify(specs, null, 2)}\n`);
});
async function readProfile(path) {
    let value;
    try {
        value = JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(path, 'utf8'));
    }
    catch (error) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .UserError */ .y(`cannot read profile ${path}: ${error.message}`);
    }
    if (typeof value !== 'object' || value === null || value.format !== _core_profile_profile_js__WEBPACK_IMPORTED_MODULE_7__/* .PROFILE_FORMAT */ .y6) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .UserError */ .y(`${path} is not a data profile (expected "format": "${_core_profile_profile_js__WEBPACK_IMPORTED_MODULE_7__/* .PROFILE_FORMAT */ .y6}")`, 'Use the profile.json that validate-data writes.');
    }
    return value;
}
function camel(name) {
    return name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}
await (0,_entry_js__WEBPACK_IMPORTED_MODULE_13__/* .runEntry */ .C)(import.meta.url, async () => {
    try {
        await program.parseAsync(process.argv);
    }
    catch (error) {
        if (error instanceof commander__WEBPACK_IMPORTED_MODULE_3__/* .CommanderError */ .b7) {
            // commander has printed the problem (or the help): 0 for --help and --version, 2 for bad usage.
            process.exitCode = error.exitCode === 0 ? 0 : 2;
            return;
        }
        process.stderr.write(`mlops: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .describeError */ .U)(error)}\n`);
        process.exitCode = 2;
    }
});

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 26211:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  H: () => (/* binding */ addServeCommands)
});

// UNUSED EXPORTS: byteSize

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/commander/esm.mjs
var esm = __webpack_require__(48179);
// EXTERNAL MODULE: ./node_modules/write-file-atomic/lib/index.js
var lib = __webpack_require__(30238);
var lib_default = /*#__PURE__*/__webpack_require__.n(lib);
// EXTERNAL MODULE: ./src/core/data/paths.ts
var paths = __webpack_require__(82620);
// EXTERNAL MODULE: ./src/core/data/table.ts
var data_table = __webpack_require__(60524);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/core/data/values.ts
var data_values = __webpack_require__(12912);
;// CONCATENATED MODULE: ./src/core/serve/records.ts


/** What a JSON value is, for messages: "a string", "an object", "an array", "a boolean". */
function describeJsonType(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    const type = typeof value;
    return type === 'object' ? 'an object' : type === 'string' ? 'a string' : type === 'number' ? 'a number' : `a ${type}`;
}
/** `{"b64": "..."}` and nothing else: TF Serving REST's way to send a binary string. */
function isB64(value) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        return false;
    const keys = Object.keys(value);
    return keys.length === 1 && keys[0] === 'b64' && typeof value.b64 === 'string';
}
/** The UTF-8 text of standard or URL-safe base64 (padding optional), or null when it is not base64. */
function decodeB64(text) {
    const compact = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1)
        return null;
    return Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64').toString('utf8');
}
/** Records to a Table of the features (in signature order), with the values that could not be cells. */
function recordsToTable(features, records, options = {}) {
    const classifier = new data_values/* ValueClassifier */.Dw(options.nullValues ?? data_values/* DEFAULT_NULL_VALUES */.LL);
    const n = records.length;
    const issues = [];
    const has = Object.prototype.hasOwnProperty;
    const columns = [];
    for (const feature of features) {
        const numbers = new Float64Array(n).fill(Number.NaN);
        let present = 0;
        let numeric = 0;
        if (feature.type === 'number') {
            const booleans = options.booleanFeatures?.has(feature.name) ?? false;
            for (let i = 0; i < n; i++) {
                const record = records[i];
                const raw = has.call(record, feature.name) ? record[feature.name] : undefined;
                let v = Number.NaN;
                if (typeof raw === 'number')
                    v = raw;
                else if (booleans && typeof raw === 'boolean')
                    v = raw ? 1 : 0;
                else if (typeof raw === 'string') {
                    const kind = classifier.classifyText(raw);
                    if (kind === data_values/* Kind */.b8.Integer || kind === data_values/* Kind */.b8.Number || (booleans && kind === data_values/* Kind */.b8.Boolean))
                        v = classifier.value;
                    else if (kind !== data_values/* Kind */.b8.Null && kind !== data_values/* Kind */.b8.NaN && kind !== data_values/* Kind */.b8.Infinity)
                        issues.push({ record: i, feature: feature.name, message: `expected a number, got the text ${quoteShort(raw)}` });
                }
                else if (raw !== null && raw !== undefined)
                    issues.push({ record: i, feature: feature.name, message: `expected a number, got ${describeJsonType(raw)}` });
                if (Number.isFinite(v)) {
                    numbers[i] = v;
                    present++;
                    numeric++;
                }
            }
            columns.push({ name: feature.name, numbers, texts: null, present, numeric });
            continue;
        }
        const texts = new Array(n).fill(null);
        for (let i = 0; i < n; i++) {
            const record = records[i];
            let raw = has.call(record, feature.name) ? record[feature.name] : undefined;
            let text = null;
            // TF Serving's binary string: {"b64": "..."}, decoded (as UTF-8) and then read as the text it holds.
            if (isB64(raw)) {
                const decoded = decodeB64(raw.b64);
                if (decoded === null) {
                    issues.push({ record: i, feature: feature.name, message: `b64: ${quoteShort(raw.b64)} is not base64` });
                    raw = undefined;
                }
                else
                    raw = decoded;
            }
            if (typeof raw === 'string') {
                const kind = classifier.classifyText(raw);
                if (kind === data_values/* Kind */.b8.Integer || kind === data_values/* Kind */.b8.Number) {
                    numbers[i] = classifier.value;
                    numeric++;
                    text = String(classifier.value);
                }
                else if (kind === data_values/* Kind */.b8.Boolean)
                    text = classifier.value ? 'true' : 'false';
                else if (kind === data_values/* Kind */.b8.String || kind === data_values/* Kind */.b8.Datetime)
                    text = raw;
            }
            else if (typeof raw === 'number') {
                if (Number.isFinite(raw)) {
                    numbers[i] = raw;
                    numeric++;
                    text = String(raw);
                }
            }
            else if (typeof raw === 'boolean')
                text = raw ? 'true' : 'false';
            else if (raw !== null && raw !== undefined)
                issues.push({ record: i, feature: feature.name, message: `expected a text or a number, got ${describeJsonType(raw)}` });
            texts[i] = text;
            if (text !== null)
                present++;
        }
        columns.push({ name: feature.name, numbers, texts, present, numeric });
    }
    return { table: { rows: n, columns, files: [] }, issues };
}
/**
 * The feature columns of a table read from files, in signature order, as the model takes
 * them: a string feature whose file held only numbers gets its texts (each number's
 * canonical text, as the reader gives them in a column that also holds text). Throws a
 * UserError naming the first feature the files do not have.
 */
function featureTable(features, table) {
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    const missing = features.filter((f) => !byName.has(f.name)).map((f) => f.name);
    if (missing.length > 0) {
        const where = table.files.length > 0 ? table.files.join(', ') : 'the data';
        throw new errors/* UserError */.y(`${missing.length === 1 ? 'feature column' : 'feature columns'} ${missing.map((m) => `"${m}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in ${where}`, `The model takes ${features.map((f) => f.name).join(', ')}; a column may be empty, but it must be there.`);
    }
    const columns = features.map((feature) => {
        const column = byName.get(feature.name);
        if (feature.type === 'number' || column.texts)
            return column;
        const texts = Array.from(column.numbers, (v) => (Number.isNaN(v) ? null : String(v)));
        return { ...column, texts };
    });
    return { rows: table.rows, columns, files: table.files };
}
function quoteShort(text) {
    return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

;// CONCATENATED MODULE: ./src/core/serve/batch.ts

const CHUNK_ROWS = 8192;
function outputFormatOf(path) {
    const name = path.toLowerCase().replace(/\.gz$/, '');
    if (name.endsWith('.tsv') || name.endsWith('.tab'))
        return 'tsv';
    if (name.endsWith('.jsonl') || name.endsWith('.ndjson'))
        return 'jsonl';
    return 'csv';
}
/** Predicts every row and renders the output: the input columns, `prediction`, and `probability_<class>` for classification. */
async function predictTable(model, table, format, onProgress = () => { }) {
    const features = featureTable(model.signature.features, table);
    const inputNames = table.columns.map((c) => c.name);
    const extra = model.probabilities ? ['prediction', ...model.classes.map((c) => `probability_${c}`)] : ['prediction'];
    const names = [...inputNames, ...extra.filter((n) => !inputNames.includes(n))];
    const parts = [];
    const separator = format === 'tsv' ? '\t' : ',';
    if (format !== 'jsonl')
        parts.push(`${names.map((n) => field(n, separator)).join(separator)}\n`);
    for (let start = 0; start < table.rows; start += CHUNK_ROWS) {
        const rows = Array.from({ length: Math.min(CHUNK_ROWS, table.rows - start) }, (_, i) => start + i);
        const predictions = await model.predict(features, rows);
        const lines = [];
        rows.forEach((r, i) => {
            const values = new Map();
            for (const column of table.columns) {
                const text = column.texts ? column.texts[r] : Number.isNaN(column.numbers[r]) ? null : column.numbers[r];
                values.set(column.name, text ?? null);
            }
            const p = predictions[i];
            if ('label' in p) {
                values.set('prediction', p.label);
                if (model.probabilities)
                    model.classes.forEach((c, k) => values.set(`probability_${c}`, p.probabilities[k]));
            }
            else
                values.set('prediction', p.value);
            if (format === 'jsonl') {
                const entry = Object.create(null);
                for (const n of names)
                    entry[n] = values.get(n) ?? null;
                lines.push(JSON.stringify(entry));
            }
            else
                lines.push(names.map((n) => field(values.get(n) ?? null, separator)).join(separator));
        });
        parts.push(`${lines.join('\n')}\n`);
        onProgress(start + rows.length, table.rows);
    }
    return { text: parts.join(''), rows: table.rows };
}
/** One delimited field, quoted when it holds the separator, a quote or a line break. */
function field(value, separator) {
    if (value === null)
        return '';
    const text = String(value);
    return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

;// CONCATENATED MODULE: ./src/core/serve/decode.ts


/** An answer other than 200, with a message for the client. */
class HttpError extends Error {
    status;
    headers;
    constructor(status, message, headers = {}) {
        super(message);
        this.status = status;
        this.headers = headers;
    }
}
const MAX_ISSUES = 10;
/** The default limit of records (rows) in one prediction request. */
const DEFAULT_MAX_ROWS = 10_000;
/** The largest finite float32: a number feature the graph takes as FP32 (or as an unknown type) must fit. */
const FLOAT32_MAX = 3.4028234663852886e38;
/** A 413 for a request of more rows than the server takes. */
function tooManyRows(at, rows, maxRows) {
    return new HttpError(413, `${at}: ${rows} records where a request may carry at most ${maxRows}; send fewer records per request (the server's limit is set by mlops serve --max-rows)`);
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function bad(message) {
    return new HttpError(400, message);
}
/** `count` empty records (prototype-free: a name may be __proto__). */
function emptyRecords(count) {
    return Array.from({ length: count }, () => Object.create(null));
}
/** Rows of values (every one an array of the first's length), for the one-tensor form; throws naming the first that is not. */
function valueRows(rows, path) {
    const width = rows[0].length;
    rows.forEach((row, i) => {
        if (!Array.isArray(row))
            throw bad(`${path(i)}: expected a row of values like ${path(0)}, got ${describeJsonType(row)}`);
        if (row.length !== width)
            throw bad(`${path(i)}: ${row.length} values where ${path(0)} has ${width}; every row needs the same number`);
    });
    return rows;
}
/** The one signature every served model has (TF Serving's default). */
const SERVING_SIGNATURE = 'serving_default';
/** The body of `POST /v1/models/{name}:predict`. */
function decodeTfServing(body, maxRows = DEFAULT_MAX_ROWS) {
    if (!isObject(body))
        throw bad(`the body must be a JSON object with "instances" or "inputs", got ${describeJsonType(body)}`);
    // One signature, as a model exported with its defaults has: any other name is a 400, as TF Serving answers.
    if (Object.prototype.hasOwnProperty.call(body, 'signature_name') && body.signature_name !== SERVING_SIGNATURE)
        throw bad(`signature_name: ${typeof body.signature_name === 'string' ? JSON.stringify(body.signature_name) : describeJsonType(body.signature_name)} is not a signature of this model; its one signature is "${SERVING_SIGNATURE}"`);
    const hasInstances = Object.prototype.hasOwnProperty.call(body, 'instances');
    const hasInputs = Object.prototype.hasOwnProperty.call(body, 'inputs');
    if (hasInstances && hasInputs)
        throw bad('give either "instances" (row format) or "inputs" (columnar format), not both');
    const none = { unnamed: null, wide: new Map() };
    if (hasInstances) {
        const instances = body.instances;
        if (!Array.isArray(instances))
            throw bad(`instances: expected an array of records, got ${describeJsonType(instances)}`);
        if (instances.length === 0)
            throw bad('instances: the array is empty');
        if (instances.length > maxRows)
            throw tooManyRows('instances', instances.length, maxRows);
        const row = (i) => `instances[${i}]`;
        if (Array.isArray(instances[0])) {
            return {
                columnar: false,
                records: emptyRecords(instances.length),
                row,
                where: (i, feature) => `instances[${i}].${feature}`,
                names: [],
                element: (i, name, j) => `instances[${i}].${name}[${j}]`,
                unnamed: {
                    rows: valueRows(instances, row),
                    element: (i, j) => `instances[${i}][${j}]`,
                    refusal: 'instances[0]: expected an object of feature name -> value, got an array',
                },
                wide: new Map(),
            };
        }
        const names = new Map();
        instances.forEach((instance, i) => {
            if (!isObject(instance))
                throw bad(`instances[${i}]: expected an object of feature name -> value, got ${describeJsonType(instance)}`);
            for (const name of Object.keys(instance))
                if (!names.has(name))
                    names.set(name, `instances[${i}]`);
        });
        return {
            columnar: false,
            records: instances,
            row,
            where: (i, feature) => `instances[${i}].${feature}`,
            names: [...names].map(([name, where]) => ({ name, where: `${where}.${name}` })),
            element: (i, name, j) => `instances[${i}].${name}[${j}]`,
            ...none,
        };
    }
    if (hasInputs) {
        const inputs = body.inputs;
        const refusal = `inputs: expected an object of feature name -> array of values, got ${describeJsonType(inputs)}`;
        if (Array.isArray(inputs)) {
            if (inputs.length === 0)
                throw bad('inputs: the array is empty');
            if (inputs.length > maxRows)
                throw tooManyRows('inputs', inputs.length, maxRows);
            if (!Array.isArray(inputs[0]))
                throw bad(refusal);
            return {
                columnar: true,
                records: emptyRecords(inputs.length),
                row: (i) => `inputs[${i}]`,
                where: (i, feature) => `inputs.${feature}[${i}]`,
                names: [],
                element: (i, name, j) => `inputs.${name}[${i}][${j}]`,
                unnamed: { rows: valueRows(inputs, (i) => `inputs[${i}]`), element: (i, j) => `inputs[${i}][${j}]`, refusal },
                wide: new Map(),
            };
        }
        if (!isObject(inputs))
            throw bad(refusal);
        let rows = -1;
        let first = '';
        const columns = Object.entries(inputs);
        if (columns.length === 0)
            throw bad('inputs: the object has no columns');
        for (const [name, values] of columns) {
            if (!Array.isArray(values))
                throw bad(`inputs.${name}: expected an array of values, got ${describeJsonType(values)}`);
            if (rows === -1) {
                rows = values.length;
                first = name;
            }
            else if (values.length !== rows)
                throw bad(`inputs.${name}: ${values.length} values where inputs.${first} has ${rows}; every column needs one value per row`);
        }
        if (rows === 0)
            throw bad(`inputs.${first}: the array is empty`);
        if (rows > maxRows)
            throw tooManyRows(`inputs.${first}`, rows, maxRows);
        return {
            columnar: true,
            records: toRecords(columns, rows),
            row: (i) => `row ${i} of inputs (inputs.*[${i}])`,
            where: (i, feature) => `inputs.${feature}[${i}]`,
            names: columns.map(([name]) => ({ name, where: `inputs.${name}` })),
            element: (i, name, j) => `inputs.${name}[${i}][${j}]`,
            ...none,
        };
    }
    throw bad('the body needs "instances" (row format: an array of records) or "inputs" (columnar format: feature name -> values)');
}
/** Rows from columns, as objects without a prototype (a column may be called __proto__). */
function toRecords(columns, rows) {
    const records = emptyRecords(rows);
    for (let i = 0; i < rows; i++) {
        const record = records[i];
        for (const [name, values] of columns)
            record[name] = values[i];
    }
    return records;
}
const OIP_TYPES = {
    BOOL: 'bool',
    UINT8: 'int',
    UINT16: 'int',
    UINT32: 'int',
    UINT64: 'int',
    INT8: 'int',
    INT16: 'int',
    INT32: 'int',
    INT64: 'int',
    FP16: 'float',
    FP32: 'float',
    FP64: 'float',
    BYTES: 'bytes',
};
/** The body of `POST /v2/models/{name}/infer`. */
function decodeOip(body, maxRows = DEFAULT_MAX_ROWS) {
    if (!isObject(body))
        throw bad(`the body must be a JSON object with "inputs", got ${describeJsonType(body)}`);
    let id;
    if (body.id !== undefined) {
        if (typeof body.id !== 'string')
            throw bad(`id: expected a string, got ${describeJsonType(body.id)}`);
        id = body.id;
    }
    let outputs = null;
    if (body.outputs !== undefined) {
        if (!Array.isArray(body.outputs))
            throw bad(`outputs: expected an array of {"name": ...}, got ${describeJsonType(body.outputs)}`);
        outputs = body.outputs.map((o, i) => {
            if (!isObject(o) || typeof o.name !== 'string')
                throw bad(`outputs[${i}]: expected an object with a "name"`);
            return o.name;
        });
    }
    const inputs = body.inputs;
    if (!Array.isArray(inputs))
        throw bad(`inputs: expected an array of tensors, got ${describeJsonType(inputs)}`);
    if (inputs.length === 0)
        throw bad('inputs: the array is empty');
    const columns = [];
    const index = new Map();
    /** Per input: its width and whether its data came nested (for element paths). */
    const layout = new Map();
    const wide = new Map();
    let rows = -1;
    inputs.forEach((tensor, t) => {
        const at = `inputs[${t}]`;
        if (!isObject(tensor))
            throw bad(`${at}: expected a tensor object {name, shape, datatype, data}, got ${describeJsonType(tensor)}`);
        const { name, shape, datatype, data } = tensor;
        if (typeof name !== 'string' || name === '')
            throw bad(`${at}.name: expected a feature name, got ${describeJsonType(name)}`);
        if (index.has(name))
            throw bad(`${at}.name: "${name}" is given twice (also inputs[${index.get(name)}])`);
        if (typeof datatype !== 'string' || !(datatype in OIP_TYPES))
            throw bad(`${at}.datatype: expected one of ${Object.keys(OIP_TYPES).join(', ')}, got ${decode_short(datatype)}`);
        if (!Array.isArray(shape) || shape.length === 0 || shape.length > 2 || !shape.every((d) => Number.isInteger(d) && d >= 0))
            throw bad(`${at}.shape: expected [rows] or [rows, 1] (or [rows, k] for a graph's one tensor input), got ${decode_short(shape)}`);
        if (shape[0] > maxRows)
            throw tooManyRows(`${at}.shape`, shape[0], maxRows);
        const n = shape[0];
        const width = shape.length === 2 ? shape[1] : 1;
        if (width === 0)
            throw bad(`${at}.shape: a tensor of no columns, ${decode_short(shape)}`);
        if (!Array.isArray(data))
            throw bad(`${at}.data: expected an array of values, got ${describeJsonType(data)}`);
        const nested = data.some(Array.isArray);
        const flat = nested ? flattenRows(data, at, width) : data;
        if (flat.length !== n * width)
            throw bad(`${at}.data: ${flat.length} values where the shape ${JSON.stringify(shape)} needs ${n * width}`);
        if (rows === -1)
            rows = n;
        else if (n !== rows)
            throw bad(`${at}.shape: ${n} rows where inputs[0] has ${rows}; every input needs one value per row`);
        const kind = OIP_TYPES[datatype];
        for (let i = 0; i < flat.length; i++) {
            const v = flat[i];
            if (v === null)
                continue;
            const ok = kind === 'bool'
                ? typeof v === 'boolean'
                : kind === 'bytes'
                    ? typeof v === 'string'
                    : typeof v === 'number' && (kind === 'float' || Number.isInteger(v));
            if (!ok)
                throw bad(`${at}.data[${i}] (${name}): ${datatype} holds ${kindNoun(kind)}, got ${describeJsonType(v)}`);
        }
        index.set(name, t);
        layout.set(name, { width, nested });
        if (width === 1)
            columns.push([name, flat]);
        else {
            columns.push([name, Array.from({ length: n }, (_, i) => flat.slice(i * width, (i + 1) * width))]);
            wide.set(name, {
                width,
                at,
                shape: decode_short(shape),
                refusal: `${at}.shape: a feature column has one value per row: [rows] or [rows, 1], got ${decode_short(shape)}`,
            });
        }
    });
    if (rows === 0)
        throw bad('inputs: the tensors have no rows');
    return {
        id,
        outputs,
        records: toRecords(columns, rows),
        row: (i) => `row ${i} of inputs (data[${i}] of every input)`,
        where: (i, feature) => `inputs[${index.get(feature) ?? '?'}].data[${i}] (${feature})`,
        names: columns.map(([name]) => ({ name, where: `inputs[${index.get(name)}].name` })),
        element: (i, name, j) => {
            const { width, nested } = layout.get(name) ?? { width: 1, nested: false };
            return `inputs[${index.get(name) ?? '?'}].data[${nested ? `${i}][${j}` : i * width + j}]`;
        },
        unnamed: null,
        wide,
    };
}
/** data given as nested rows ([[1], [2]] for [rows, 1]; [[1, 2, 3], ...] for [rows, 3]), flattened row-major. */
function flattenRows(data, at, width) {
    const flat = [];
    data.forEach((row, i) => {
        if (!Array.isArray(row)) {
            if (width !== 1)
                throw bad(`${at}.data[${i}]: expected a row of ${width} values, got ${describeJsonType(row)}`);
            flat.push(row);
            return;
        }
        if (row.length !== width || row.some(Array.isArray))
            throw bad(`${at}.data[${i}]: expected ${width === 1 ? 'one value per row' : `a row of ${width} values`}, got an array of ${row.length}`);
        flat.push(...row);
    });
    return flat;
}
function kindNoun(kind) {
    return kind === 'bool' ? 'booleans' : kind === 'bytes' ? 'texts' : kind === 'int' ? 'whole numbers' : 'numbers';
}
function decode_short(value) {
    let text;
    try {
        text = JSON.stringify(value) ?? String(value);
    }
    catch {
        text = describeJsonType(value);
    }
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
/**
 * The request as records of the model's features: a graph's one [rows, k] tensor (see
 * the header) spread over the features in signature order; the one-tensor forms
 * refused for a model that takes columns, with the message the server gave before
 * the one-tensor form existed.
 */
function bindInputs(model, request) {
    const input = model.tensorInput;
    const given = input !== null && (request.unnamed !== null || request.names.some((n) => n.name === input.name));
    if (!input || !given) {
        if (request.unnamed)
            throw bad(request.unnamed.refusal);
        for (const { name } of request.names) {
            const wide = request.wide.get(name);
            if (wide)
                throw bad(input ? `${wide.refusal} (only the model's input "${input.name}" takes [rows, k])` : wide.refusal);
        }
        return request;
    }
    const features = model.signature.features;
    const k = features.length;
    const list = truncate(features.map((f) => f.name).join(', '));
    const mixed = request.names.find((n) => n.name !== input.name && model.featureNames.has(n.name));
    if (mixed)
        throw bad(`${mixed.where}: the request gives both the model's input "${input.name}" (every feature as one tensor) and the feature "${truncate(mixed.name)}"; send one or the other`);
    const wide = request.wide.get(input.name);
    if (wide && wide.width !== k)
        throw bad(`${wide.at}.shape: ${wide.shape} where the model's input "${input.name}" is [rows, ${k}] (${list})`);
    const has = Object.prototype.hasOwnProperty;
    const unnamed = request.unnamed;
    const rowPath = (i) => (unnamed ? request.row(i) : request.where(i, input.name));
    const element = (i, j) => (unnamed ? unnamed.element(i, j) : request.element(i, input.name, j));
    const records = request.records.map((source, i) => {
        const record = Object.create(null);
        for (const key of Object.keys(source))
            if (key !== input.name)
                record[key] = source[key];
        const value = unnamed ? unnamed.rows[i] : has.call(source, input.name) ? source[input.name] : undefined;
        if (value === null || value === undefined)
            return record;
        let values;
        if (Array.isArray(value))
            values = value;
        else if (k === 1)
            values = [value];
        else
            throw bad(`${rowPath(i)}: expected a row of ${k} values (${list}), got ${describeJsonType(value)}`);
        if (values.length !== k)
            throw bad(`${rowPath(i)}: ${values.length} values where the model's input "${input.name}" takes ${k} per row (${list})`);
        features.forEach((f, j) => (record[f.name] = values[j]));
        return record;
    });
    // Messages name features truncated (see truncate): both spellings find the column.
    const position = new Map(features.flatMap((f, j) => [[truncate(f.name), j], [f.name, j]]));
    return {
        ...request,
        records,
        where: (i, feature) => {
            const j = position.get(feature);
            return j === undefined ? request.where(i, feature) : `${element(i, j)} (${feature})`;
        },
        names: request.names.filter((n) => n.name !== input.name),
        unnamed: null,
        wide: new Map(),
    };
}
/**
 * Checks decoded records against the model and turns them into a Table of its features
 * (records.ts: the same cells as the rows read from a file): every name must be a
 * feature (the target's name is allowed and ignored, so rows of the training file can
 * be sent as they are), every value one a file could hold in that column, and every
 * number one the graph can take (a float32 unless the graph takes the feature as FP64).
 * Throws a 400 naming the fields at fault (up to ten). Returns the table with the
 * records it was made of (after `bindInputs`: feature name -> value).
 *
 * What is imputed (by the graph) and what is refused: a missing feature (left out,
 * null, or a text of `nullValues` such as "NA") is imputed as in training, so a record
 * may leave out some features. Refused, because a client sending them has a bug rather
 * than a gap: a record with no feature value at all (`{}`, all null), which would get
 * an answer made up entirely of imputed values; "NaN" and "Infinity" texts; and numbers
 * too large for a double (`1e400`, which JSON.parse reads as Infinity).
 */
function requestTable(model, decoded, nullValues) {
    const request = bindInputs(model, decoded);
    const features = model.signature.features;
    const target = model.signature.target.name;
    const unknown = request.names.filter(({ name }) => !model.featureNames.has(name) && name !== target);
    const booleanFeatures = new Set(features.filter((f) => f.type === 'number' && model.inputDatatype(f.name) === 'BOOL').map((f) => f.name));
    const { table, issues } = recordsToTable(features, request.records, { nullValues, booleanFeatures });
    const messages = [
        ...unknown.map((u) => `${u.where}: unknown feature "${truncate(u.name)}"`),
        ...issues.map((issue) => `${request.where(issue.record, truncate(issue.feature))}: ${issue.message}`),
        ...nonValues(model, request, nullValues),
    ];
    const total = messages.length;
    messages.splice(MAX_ISSUES);
    if (messages.length === 0) {
        // Finite doubles can still be out of the graph's range (1e308 in a float32 input), and
        // a whole-number or boolean input has no missing value and no fractions.
        const checked = features.flatMap((f, c) => {
            if (f.type !== 'number')
                return [];
            const datatype = model.inputDatatype(f.name);
            const whole = datatype !== null && /^(U?INT\d+|BOOL)$/.test(datatype);
            const limit = numberLimit(datatype);
            return whole || limit < Infinity ? [{ c, name: f.name, datatype, whole, limit }] : [];
        });
        for (let row = 0; row < table.rows && messages.length < MAX_ISSUES; row++) {
            for (const { c, name, datatype, whole, limit } of checked) {
                const v = table.columns[c].numbers[row];
                const at = request.where(row, name);
                if (Math.abs(v) > limit)
                    messages.push(`${at}: ${decode_short(request.records[row][name])} is out of the range the model can take`);
                else if (whole && Number.isNaN(v))
                    messages.push(`${at}: missing, but the model takes ${truncate(name)} as ${datatype}, which has no missing value; send a value`);
                else if (whole && !Number.isInteger(v))
                    messages.push(`${at}: ${decode_short(request.records[row][name])} is not a whole number, and the model takes ${truncate(name)} as ${datatype}`);
                else
                    continue;
                if (messages.length >= MAX_ISSUES)
                    break;
            }
        }
    }
    if (messages.length > 0) {
        const more = total > MAX_ISSUES ? `; and ${total - MAX_ISSUES} more` : '';
        const list = unknown.length > 0 ? ` (the model's features: ${features.map((f) => f.name).join(', ')})` : '';
        throw bad(`${messages.join('; ')}${more}${list}`);
    }
    return { table, request };
}
/** The largest magnitude a graph input of this datatype holds (exactly, for whole numbers; unknown: a float32, as most graphs take). */
function numberLimit(datatype) {
    switch (datatype) {
        case 'FP64':
        case 'BOOL':
            return Infinity;
        case 'FP16':
            return 65504;
        case 'INT64':
        case 'UINT64':
            return 2 ** 63 - 1024; // the largest double below 2^63
        case 'INT32':
            return 2147483647;
        default:
            return FLOAT32_MAX;
    }
}
/** Messages for records with no feature value, and for NaN and infinite values (see requestTable). */
function nonValues(model, request, nullValues) {
    const classifier = new data_values/* ValueClassifier */.Dw(nullValues ?? data_values/* DEFAULT_NULL_VALUES */.LL);
    const features = model.signature.features.map((f) => f.name);
    const has = Object.prototype.hasOwnProperty;
    const messages = [];
    request.records.forEach((record, i) => {
        let values = 0;
        for (const name of features) {
            const raw = has.call(record, name) ? record[name] : undefined;
            if (raw === null || raw === undefined)
                continue;
            if (typeof raw === 'number' && !Number.isFinite(raw)) {
                messages.push(`${request.where(i, truncate(name))}: the number is too large for a double (it reads as Infinity)`);
            }
            else if (typeof raw === 'string') {
                const kind = classifier.classifyText(raw);
                if (kind === data_values/* Kind */.b8.Null)
                    continue;
                if (kind === data_values/* Kind */.b8.NaN || kind === data_values/* Kind */.b8.Infinity)
                    messages.push(`${request.where(i, truncate(name))}: ${decode_short(raw)} is not a value the model can take; send null or leave the feature out for a missing value`);
            }
            values++;
        }
        if (values === 0)
            messages.push(`${request.row(i)}: the record has no value for any feature (${truncate(features.join(', '))}); send at least one, the rest is imputed`);
    });
    return messages;
}
function truncate(text) {
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
;// CONCATENATED MODULE: ./src/core/serve/prediction-log.ts
/**
 * The prediction log: one flat JSON object per predicted record (the raw feature
 * values under their column names, then `_time`, `_model`, `_version`,
 * `_prediction`), as JSON Lines that drift-check reads as production data.
 *
 * Writes never wait on the disk: records are queued and one writer appends them in
 * batches. The file is rotated by size between whole lines (`log.jsonl` becomes
 * `log.jsonl.1`, `.1` becomes `.2`, ... up to `keep` files), so every file holds only
 * complete lines. If the disk falls far behind, new records are dropped and counted
 * rather than held in memory without bound.
 */



const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
const DEFAULT_LOG_KEEP = 5;
class PredictionLog {
    options;
    handle = null;
    size = 0;
    pending = [];
    pendingBytes = 0;
    flushing = null;
    closed = false;
    /** Records sampled but not written because the queue was full. */
    dropped = 0;
    /** Records written (sampled and queued). */
    written = 0;
    sample;
    maxBytes;
    keep;
    maxPendingBytes;
    random;
    constructor(options) {
        this.options = options;
        this.sample = options.sample ?? 1;
        this.maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
        this.keep = Math.max(1, options.keep ?? DEFAULT_LOG_KEEP);
        this.maxPendingBytes = options.maxPendingBytes ?? 16 * 1024 * 1024;
        this.random = options.random ?? Math.random;
    }
    static async open(options) {
        const log = new PredictionLog(options);
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(options.path), { recursive: true });
        await log.countRotated();
        await log.openFile();
        return log;
    }
    get path() {
        return this.options.path;
    }
    /** Rotated files there are now: <path>.1 ... <path>.<rotated>. */
    rotated = 0;
    async countRotated() {
        let n = 0;
        while (n < this.keep && (0,external_node_fs_.existsSync)(`${this.options.path}.${n + 1}`))
            n++;
        this.rotated = n;
    }
    async openFile() {
        this.handle = await (0,promises_.open)(this.options.path, 'a');
        this.size = (await (0,promises_.stat)(this.options.path)).size;
    }
    /** True when this record should be logged (the sample). */
    sampled() {
        return this.sample >= 1 || (this.sample > 0 && this.random() < this.sample);
    }
    /** Queues one entry (already sampled); never blocks. */
    write(entry) {
        if (this.closed)
            return;
        const line = `${JSON.stringify(entry)}\n`;
        if (this.pendingBytes + line.length > this.maxPendingBytes) {
            this.dropped++;
            return;
        }
        this.pending.push(line);
        this.pendingBytes += line.length;
        this.written++;
        if (!this.flushing)
            this.flushing = this.drain().finally(() => (this.flushing = null));
    }
    async drain() {
        while (this.pending.length > 0) {
            const lines = this.pending;
            this.pending = [];
            this.pendingBytes = 0;
            try {
                await this.append(lines);
            }
            catch (error) {
                this.options.onError?.(error);
            }
        }
    }
    /** Appends whole lines, rotating between lines when the file would pass maxBytes. */
    async append(lines) {
        let chunk = [];
        let chunkBytes = 0;
        for (const line of lines) {
            const bytes = Buffer.from(line, 'utf8');
            if (this.size + chunkBytes > 0 && this.size + chunkBytes + bytes.length > this.maxBytes) {
                await this.writeAll(Buffer.concat(chunk));
                chunk = [];
                chunkBytes = 0;
                await this.rotate();
            }
            chunk.push(bytes);
            chunkBytes += bytes.length;
        }
        if (chunkBytes > 0)
            await this.writeAll(Buffer.concat(chunk));
    }
    async writeAll(buffer) {
        if (buffer.length === 0)
            return;
        if (!this.handle)
            await this.openFile();
        let offset = 0;
        while (offset < buffer.length) {
            const { bytesWritten } = await this.handle.write(buffer, offset, buffer.length - offset);
            offset += bytesWritten;
        }
        this.size += buffer.length;
    }
    async rotate() {
        const path = this.options.path;
        await this.handle?.close();
        this.handle = null;
        // Rename only the files there are (<path>.1 ... <path>.<rotated>), oldest first.
        const top = Math.min(this.rotated, this.keep);
        if (top === this.keep)
            await (0,promises_.rm)(`${path}.${this.keep}`, { force: true });
        for (let i = Math.min(top, this.keep - 1); i >= 1; i--)
            await (0,promises_.rename)(`${path}.${i}`, `${path}.${i + 1}`);
        await (0,promises_.rename)(path, `${path}.1`);
        this.rotated = Math.min(top + 1, this.keep);
        await this.openFile();
    }
    /** Waits until everything queued so far is on disk. */
    async flush() {
        while (this.flushing)
            await this.flushing;
    }
    /** Flushes and closes; later writes are ignored. */
    async close() {
        await this.flush();
        this.closed = true;
        await this.handle?.close();
        this.handle = null;
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
;// CONCATENATED MODULE: ./src/core/serve/auth.ts
/**
 * The admin API's credentials: a bearer token, or (for reload only) an HMAC-SHA256
 * signature of the raw body with the same secret, as GitHub signs webhooks
 * (`X-Mlops-Signature-256: sha256=<hex>`). Both compared in constant time.
 */

const SIGNATURE_HEADER = 'x-mlops-signature-256';
/** Equal strings, in time that does not depend on where they differ (hashes first: equal lengths). */
function constantTimeEqual(a, b) {
    const ha = (0,external_node_crypto_.createHash)('sha256').update(a, 'utf8').digest();
    const hb = (0,external_node_crypto_.createHash)('sha256').update(b, 'utf8').digest();
    return (0,external_node_crypto_.timingSafeEqual)(ha, hb);
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
    return `sha256=${(0,external_node_crypto_.createHmac)('sha256', secret).update(body).digest('hex')}`;
}
/** True when the signature header is the body's HMAC-SHA256 with the secret. */
function signatureMatches(header, body, secret) {
    if (!header || !/^sha256=[0-9a-fA-F]{64}$/.test(header.trim()))
        return false;
    const expected = Buffer.from(signBody(body, secret).slice(7), 'hex');
    const given = Buffer.from(header.trim().slice(7).toLowerCase(), 'hex');
    return (0,external_node_crypto_.timingSafeEqual)(expected, given);
}

;// CONCATENATED MODULE: ./src/core/serve/canary.ts
class ModelSlots {
    stableModel;
    candidateModel = null;
    weightPercent = 0;
    credit = 0;
    constructor(stable) {
        this.stableModel = stable;
    }
    get stable() {
        return this.stableModel;
    }
    get candidate() {
        return this.candidateModel;
    }
    get weight() {
        return this.candidateModel ? this.weightPercent : 0;
    }
    /** The model for the next request, acquired: call `release()` on it when the request is done. */
    route() {
        let chosen = this.stableModel;
        if (this.candidateModel && this.weightPercent > 0) {
            this.credit += this.weightPercent;
            if (this.credit >= 100) {
                this.credit -= 100;
                chosen = this.candidateModel;
            }
        }
        chosen.acquire();
        return chosen;
    }
    /** The served model of this version (stable first), acquired; null if neither is that version. */
    byVersion(version) {
        const chosen = this.stableModel.identity.version === version
            ? this.stableModel
            : this.candidateModel?.identity.version === version
                ? this.candidateModel
                : null;
        chosen?.acquire();
        return chosen;
    }
    /** Serves `model` as the stable version from the next request on. */
    swapStable(model) {
        const old = this.stableModel;
        this.stableModel = model;
        if (old !== model && old !== this.candidateModel)
            old.retire();
    }
    setCandidate(model, weight) {
        const old = this.candidateModel;
        this.candidateModel = model;
        this.setWeight(weight);
        if (old && old !== model && old !== this.stableModel)
            old.retire();
    }
    setWeight(weight) {
        this.weightPercent = weight;
        this.credit = 0;
    }
    /** The candidate becomes the stable version; the canary ends (weight 0). */
    promote() {
        const candidate = this.candidateModel;
        if (!candidate)
            return;
        this.candidateModel = null;
        this.setWeight(0);
        this.swapStable(candidate);
    }
    /** Drops the candidate; every request goes to the stable version again. */
    rollback() {
        const old = this.candidateModel;
        this.candidateModel = null;
        this.setWeight(0);
        if (old && old !== this.stableModel)
            old.retire();
    }
    /** Every model served now. */
    all() {
        return this.candidateModel ? [this.stableModel, this.candidateModel] : [this.stableModel];
    }
    /** Stops serving: disposes the models once their requests are done. */
    retireAll() {
        for (const model of this.all())
            model.retire();
    }
}

;// CONCATENATED MODULE: ./src/core/serve/http.ts

/** The default limit of a request body: 1 MiB (about 5,000 records of ten features). */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/**
 * Reads the body, refusing more than `limit` bytes with a 413: at once when the
 * Content-Length says so, else as soon as the bytes read pass the limit (the rest is
 * never read; the connection is closed after the answer).
 */
function readBody(req, limit) {
    return new Promise((resolve, reject) => {
        const declared = req.headers['content-length'];
        if (declared !== undefined && Number(declared) > limit) {
            reject(tooLarge(limit, `Content-Length is ${declared}`));
            return;
        }
        const encoding = req.headers['content-encoding'];
        if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
            reject(new HttpError(415, `Content-Encoding "${encoding}" is not supported: send the JSON body uncompressed`));
            return;
        }
        const chunks = [];
        let size = 0;
        let done = false;
        const finish = (error) => {
            if (done)
                return;
            done = true;
            req.off('data', onData);
            req.off('end', onEnd);
            req.off('error', onError);
            req.off('aborted', onAborted);
            if (error)
                reject(error);
            else
                resolve(Buffer.concat(chunks, size));
        };
        const onData = (chunk) => {
            size += chunk.length;
            if (size > limit) {
                req.pause();
                finish(tooLarge(limit, 'the body is larger'));
                return;
            }
            chunks.push(chunk);
        };
        const onEnd = () => finish(null);
        const onError = (error) => finish(new HttpError(400, `the request body could not be read (${error.message})`));
        const onAborted = () => finish(new HttpError(400, 'the client closed the request before its body was complete'));
        req.on('data', onData);
        req.on('end', onEnd);
        req.on('error', onError);
        req.on('aborted', onAborted);
    });
}
function tooLarge(limit, what) {
    return new HttpError(413, `the request body is over the limit of ${limit} bytes (${what}); send fewer records per request`, {
        Connection: 'close',
    });
}
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Parses a body as JSON, with 400s that say what is wrong. */
function parseJsonBody(body, required = true) {
    if (body.length === 0) {
        if (required)
            throw new HttpError(400, 'the request has no body: send a JSON object');
        return undefined;
    }
    let text;
    try {
        text = utf8.decode(body);
    }
    catch {
        throw new HttpError(400, 'the body is not valid UTF-8');
    }
    try {
        return JSON.parse(text);
    }
    catch (error) {
        const message = error instanceof RangeError ? 'it is nested too deeply' : error.message.slice(0, 200);
        throw new HttpError(400, `the body is not valid JSON: ${message}`);
    }
}
/** Sends a JSON answer. */
function sendJson(res, status, value, headers = {}) {
    const body = JSON.stringify(value);
    res.writeHead(status, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        ...headers,
    });
    res.end(body);
}

// EXTERNAL MODULE: ./node_modules/prom-client/index.js
var prom_client = __webpack_require__(95222);
;// CONCATENATED MODULE: ./src/core/serve/metrics.ts
/**
 * Prometheus metrics of the server (`GET /metrics`), in a registry of its own (never
 * prom-client's global one): requests by route, status and model version; prediction
 * errors and latency by version; records predicted; which versions are served.
 *
 * `promtool check metrics` passes: only counters end in `_total`. prom-client's default
 * Node.js metrics include three gauges that do (`nodejs_active_handles_total`,
 * `nodejs_active_requests_total`, `nodejs_active_resources_total`); they are dropped,
 * as the gauges by type (`nodejs_active_handles` etc.) carry the same numbers
 * (`sum(mlops_serve_nodejs_active_handles)` is the total).
 */

const PREFIX = 'mlops_serve_';
/** prom-client's default gauges whose names end in `_total` (only counters may). */
const GAUGES_NAMED_TOTAL = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];
class ServeMetrics {
    registry = new prom_client.Registry();
    requests;
    errors;
    latency;
    predicted;
    served;
    swaps;
    constructor() {
        (0,prom_client.collectDefaultMetrics)({ register: this.registry, prefix: PREFIX });
        for (const name of GAUGES_NAMED_TOTAL)
            this.registry.removeSingleMetric(`${PREFIX}${name}`);
        this.requests = new prom_client.Counter({
            name: 'mlops_serve_requests_total',
            help: 'HTTP requests by route, status code and model version ("none" when no model answered).',
            labelNames: ['route', 'status', 'version'],
            registers: [this.registry],
        });
        this.errors = new prom_client.Counter({
            name: 'mlops_serve_prediction_errors_total',
            help: 'Prediction requests that failed, by model version ("none" when refused before a model took it) and kind (client: 4xx, server: 5xx).',
            labelNames: ['version', 'kind'],
            registers: [this.registry],
        });
        this.latency = new prom_client.Histogram({
            name: 'mlops_serve_prediction_duration_seconds',
            help: 'Time to answer a prediction request, from its first byte to the response, by model version.',
            labelNames: ['version'],
            buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
            registers: [this.registry],
        });
        this.predicted = new prom_client.Counter({
            name: 'mlops_serve_predictions_total',
            help: 'Records predicted, by model version.',
            labelNames: ['version'],
            registers: [this.registry],
        });
        this.served = new prom_client.Gauge({
            name: 'mlops_serve_model_info',
            help: 'The served model versions (1 while served): role stable or candidate.',
            labelNames: ['model', 'version', 'digest', 'role'],
            registers: [this.registry],
        });
        this.swaps = new prom_client.Counter({
            name: 'mlops_serve_model_loads_total',
            help: 'Model loads (startup, alias moves, admin calls), by result.',
            labelNames: ['result'],
            registers: [this.registry],
        });
    }
    request(route, status, version) {
        this.requests.inc({ route, status: String(status), version });
    }
    prediction(version, status, seconds, records) {
        this.latency.observe({ version }, seconds);
        if (status >= 400)
            this.errors.inc({ version, kind: status >= 500 ? 'server' : 'client' });
        else
            this.predicted.inc({ version }, records);
    }
    /** A prediction request refused before a model took it (a bad body, 413, 415): a client error of no version. */
    rejected(status) {
        this.errors.inc({ version: 'none', kind: status >= 500 ? 'server' : 'client' });
    }
    load(ok) {
        this.swaps.inc({ result: ok ? 'ok' : 'failed' });
    }
    setServed(stable, candidate) {
        this.served.reset();
        for (const [model, role] of [
            [stable, 'stable'],
            [candidate, 'candidate'],
        ]) {
            if (!model)
                continue;
            const { name, version, digest } = model.identity;
            this.served.set({ model: name, version: String(version), digest, role }, 1);
        }
    }
    async text() {
        return { contentType: this.registry.contentType, body: await this.registry.metrics() };
    }
}

// EXTERNAL MODULE: ./src/core/model/model-io.ts
var model_io = __webpack_require__(60529);
// EXTERNAL MODULE: ./src/core/model/export-onnx.ts
var export_onnx = __webpack_require__(67775);
;// CONCATENATED MODULE: ./src/core/serve/model.ts



class ServedModel {
    identity;
    loaded;
    inFlight = 0;
    retired = false;
    disposed = false;
    signature;
    task;
    classes;
    featureNames;
    /** The graph's inputs and outputs, or null for a model that does not expose them. */
    graph;
    /**
     * The graph's one input when it takes every feature as one [rows, k] tensor (in
     * signature order), else null (one input per feature column).
     */
    tensorInput;
    /** How labels travel in tensors: INT64 when every class is a whole number, else BYTES. */
    labelDatatype;
    loadedAt = new Date();
    constructor(identity, loaded) {
        this.identity = identity;
        this.loaded = loaded;
        const signature = loaded.model.signature;
        this.signature = signature;
        this.task = signature.target.task;
        this.classes = signature.target.task === 'classification' ? [...signature.target.classes] : [];
        this.featureNames = new Set(signature.features.map((f) => f.name));
        const model = loaded.model;
        this.graph =
            'graphInputs' in model && Array.isArray(model.graphInputs) && Array.isArray(model.graphOutputs)
                ? { inputs: model.graphInputs, outputs: model.graphOutputs, runtime: model.runtime ?? null }
                : null;
        const inputs = this.graph?.inputs ?? [];
        this.tensorInput =
            inputs.length === 1 && (signature.features.length > 1 || inputs[0].name !== signature.features[0]?.name) ? inputs[0] : null;
        const labelOutput = this.graph?.outputs.find((o) => o.name === 'label');
        // Whole-number classes as the export writes them ("007" stays text), small enough to be exact as JSON numbers.
        const integers = this.classes.length > 0 && (0,export_onnx/* integerClasses */.HU)(this.classes) && this.classes.every((c) => c.replace('-', '').length <= 15);
        this.labelDatatype = integers && (!labelOutput || labelOutput.datatype.startsWith('INT')) ? 'INT64' : 'BYTES';
    }
    get card() {
        return this.loaded.card;
    }
    /** False for a classifier that gives labels only (its probabilities are one-hot): answers carry no probabilities. */
    get probabilities() {
        return this.task === 'classification' && this.signature.probabilities;
    }
    /** The OIP v2 datatype the graph takes a feature in (its own input, or the one tensor's), or null when unknown. */
    inputDatatype(feature) {
        if (!this.graph)
            return null;
        if (this.tensorInput)
            return this.tensorInput.datatype;
        return this.graph.inputs.find((i) => i.name === feature)?.datatype ?? null;
    }
    /** A graph output by name, or undefined. */
    graphOutput(name) {
        return this.graph?.outputs.find((o) => o.name === name);
    }
    /** Marks the model in use by one more request; pair with `release()`. */
    acquire() {
        this.inFlight++;
    }
    release() {
        this.inFlight--;
        if (this.retired && this.inFlight === 0)
            this.dispose();
    }
    /** The model is no longer served: dispose it once the requests using it have finished. */
    retire() {
        this.retired = true;
        if (this.inFlight === 0)
            this.dispose();
    }
    get isRetired() {
        return this.retired;
    }
    dispose() {
        if (this.disposed)
            return;
        this.disposed = true;
        this.loaded.model.dispose();
    }
    /** Predictions for `rows` of a table holding every feature column (see records.ts for requests, featureTable for files). */
    async predict(table, rows) {
        const output = await this.loaded.model.predict(table, rows);
        const predictions = [];
        if (this.task === 'regression') {
            for (let i = 0; i < rows.length; i++)
                predictions.push({ value: output[i] });
            return predictions;
        }
        const k = this.classes.length;
        for (let i = 0; i < rows.length; i++) {
            const probabilities = Array.from(output.subarray(i * k, (i + 1) * k));
            let best = 0;
            for (let c = 1; c < k; c++)
                if (probabilities[c] > probabilities[best])
                    best = c;
            predictions.push({ label: this.classes[best], probabilities });
        }
        return predictions;
    }
    /** Raw records to predictions, without validation (see decode.ts for the checks a server makes). */
    async predictRecords(records) {
        const { table } = recordsToTable(this.signature.features, records);
        return this.predict(table, Array.from({ length: records.length }, (_, i) => i));
    }
}
/** Whether every number of a prediction is finite (JSON cannot carry NaN or infinities). */
function isFinitePrediction(p) {
    return 'value' in p ? Number.isFinite(p.value) : p.probabilities.every(Number.isFinite);
}
/**
 * Loads a model directory and warms it up with one prediction (an all-missing
 * record), so the first request does not pay for preparing the session, and a model
 * that cannot predict (a graph ONNX Runtime cannot run, inputs it cannot be fed) fails
 * here rather than on a request. The warm-up answer may be NaN: a graph that does not
 * impute missing values (most frameworks' MLPs and linear models) gives NaN for them, and
 * the server refuses such answers per request (see server.ts).
 */
async function loadServedModel(dir, identity) {
    const loaded = await (0,model_io.loadModel)(dir);
    const served = new ServedModel(identity, loaded);
    try {
        // Missing values where the graph can take them; zero (false) for integer and boolean inputs, which have no "missing".
        const warmRecord = {};
        for (const feature of served.signature.features) {
            const datatype = served.inputDatatype(feature.name);
            if (datatype === 'BOOL' || datatype?.startsWith('INT') || datatype?.startsWith('UINT'))
                warmRecord[feature.name] = 0;
        }
        const [warm] = await served.predictRecords([warmRecord]);
        if (!warm)
            throw new Error('the warm-up gave no prediction');
    }
    catch (error) {
        served.retire();
        throw new Error(`${identity.uri}: the model does not predict (${error.message})`);
    }
    return served;
}

;// CONCATENATED MODULE: ./src/core/serve/stats.ts
/** Latencies kept per version for the percentiles: the most recent ones. */
const LATENCY_WINDOW = 10_000;
class VersionStats {
    requests = 0;
    errors = 0;
    serverErrors = 0;
    latencies = new Float64Array(LATENCY_WINDOW);
    latencyCount = 0;
    latencySum = 0;
    predicted = 0;
    classes = new Map();
    valueSum = 0;
    /** Welford's running mean and sum of squared deviations of predicted values. */
    valueMean = 0;
    valueM2 = 0;
    record(status, latencyMs, predictions) {
        this.requests++;
        if (status >= 400)
            this.errors++;
        if (status >= 500)
            this.serverErrors++;
        this.latencies[this.latencyCount % LATENCY_WINDOW] = latencyMs;
        this.latencyCount++;
        this.latencySum += latencyMs;
        if (!predictions)
            return;
        for (const p of predictions) {
            this.predicted++;
            if ('label' in p)
                this.classes.set(p.label, (this.classes.get(p.label) ?? 0) + 1);
            else {
                this.valueSum += p.value;
                const delta = p.value - this.valueMean;
                this.valueMean += delta / this.predicted;
                this.valueM2 += delta * (p.value - this.valueMean);
            }
        }
    }
    view(task) {
        const n = Math.min(this.latencyCount, LATENCY_WINDOW);
        const sorted = this.latencies.slice(0, n).sort();
        const quantile = (q) => (n === 0 ? null : round(sorted[Math.min(n - 1, Math.ceil(q * n) - 1)]));
        const predictions = { count: this.predicted };
        if (task === 'classification')
            predictions.classes = Object.fromEntries([...this.classes].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
        if (task === 'regression') {
            predictions.mean = this.predicted > 0 ? this.valueSum / this.predicted : null;
            predictions.std = this.predicted > 1 ? Math.sqrt(this.valueM2 / (this.predicted - 1)) : null;
        }
        return {
            requests: this.requests,
            errors: this.errors,
            server_errors: this.serverErrors,
            latency_ms: {
                p50: quantile(0.5),
                p99: quantile(0.99),
                mean: this.latencyCount > 0 ? round(this.latencySum / this.latencyCount) : null,
            },
            predictions,
        };
    }
}
function round(ms) {
    return Math.round(ms * 1000) / 1000;
}
class ServeStats {
    byVersion = new Map();
    tasks = new Map();
    since = new Date();
    record(version, task, status, latencyMs, predictions) {
        const key = String(version);
        let stats = this.byVersion.get(key);
        if (!stats)
            this.byVersion.set(key, (stats = new VersionStats()));
        this.tasks.set(key, task);
        stats.record(status, latencyMs, predictions);
    }
    reset() {
        this.byVersion.clear();
        this.since = new Date();
    }
    view() {
        const out = {};
        for (const [key, stats] of this.byVersion)
            out[key] = stats.view(this.tasks.get(key) ?? null);
        return out;
    }
}

;// CONCATENATED MODULE: ./src/core/serve/server.ts
/**
 * The inference server, on Node's own http module. It speaks TF Serving's REST API
 * and the Open Inference Protocol v2, turns raw feature values into the model's
 * feature columns (records.ts; the preprocessing is inside the ONNX graph), follows a
 * registry alias (swapping models without failing a request), runs canaries, and
 * exposes Prometheus metrics and a prediction log.
 *
 * Routes (`{name}` is the served model's name; `/versions/{v}` picks the stable or
 * candidate version directly, bypassing the canary split):
 *   POST /v1/models/{name}[/versions/{v}]:predict   {"instances": [...]} | {"inputs": {...}}
 *   GET  /v1/models/{name}[/versions/{v}]           model status
 *   GET  /v1/models/{name}[/versions/{v}]/metadata  signature
 *   GET  /v2, /v2/health/live, /v2/health/ready
 *   GET  /v2/models/{name}[/versions/{v}][/ready]   metadata, readiness
 *   POST /v2/models/{name}[/versions/{v}]/infer     typed tensors: one per feature, or a graph's one [rows, k] tensor
 *   GET  /metrics                                   Prometheus text
 *   /admin/...                                      only with an admin token (see handleAdmin)
 *
 * Inputs (decode.ts): every model takes its features by name (BYTES tensors for string
 * features); a graph that takes every feature as one [rows, k] tensor also takes that
 * tensor, by the graph input's name (or as TF Serving's unnamed rows).
 *
 * What the server answers (`outputSpecs`): for a classifier, `label` (INT64 when every
 * class is a whole number, else BYTES) and `probabilities` ([rows, classes] in the order
 * of `classes`, FP32 as the graph computes them; left out for a model that gives labels
 * only); for a regressor `prediction` ([rows]) and, when the graph names its output
 * otherwise (skl2onnx and onnxmltools: `variable`), the same values under the graph's
 * name and shape ([rows, 1]). TF Serving rows: `{"label", "probabilities"}` or the value
 * per record; TF Serving columns: `{"label": [...], "probabilities": [...]}` or the values.
 * Labels are JSON numbers when they travel as INT64. `GET /v2/models/{name}` lists the
 * graph's own inputs (names, datatypes, shapes) and these outputs, with the graph's
 * datatypes and shapes where it has an output of that name; platform onnxruntime_onnx;
 * and, beyond the protocol, `features` (the signature's, in the order of a one-tensor
 * input's columns) and `classes`. A record the model answers NaN or an infinity for
 * (JSON holds neither; a graph that does not impute gives NaN for a missing value) is a
 * 400 naming it.
 */










const API_VERSION = '0.1.0';
const TFS = /^\/v1\/models\/([^/:]+)(?:\/versions\/(\d{1,15}))?(:predict|\/metadata)?$/;
const OIP = /^\/v2\/models\/([^/]+)(?:\/versions\/(\d{1,15}))?(\/infer|\/ready)?$/;
const ADMIN_ACTIONS = {
    status: 'GET',
    candidate: 'POST',
    weight: 'POST',
    promote: 'POST',
    rollback: 'POST',
    reload: 'POST',
    'reset-stats': 'POST',
};
/** The route of a path, and the method it takes; null when no route matches. */
function matchRoute(path) {
    let m = TFS.exec(path);
    if (m) {
        const name = decodeSegment(m[1]);
        const version = m[2] ? Number(m[2]) : null;
        if (m[3] === ':predict')
            return { route: { kind: 'tfs', action: 'predict', name, version }, method: 'POST' };
        return { route: { kind: 'tfs', action: m[3] ? 'metadata' : 'status', name, version }, method: 'GET' };
    }
    m = OIP.exec(path);
    if (m) {
        const name = decodeSegment(m[1]);
        const version = m[2] ? Number(m[2]) : null;
        if (m[3] === '/infer')
            return { route: { kind: 'oip', action: 'infer', name, version }, method: 'POST' };
        return { route: { kind: 'oip', action: m[3] ? 'ready' : 'metadata', name, version }, method: 'GET' };
    }
    switch (path) {
        case '/v2':
            return { route: { kind: 'server', action: 'metadata' }, method: 'GET' };
        case '/v2/health/live':
            return { route: { kind: 'server', action: 'live' }, method: 'GET' };
        case '/v2/health/ready':
            return { route: { kind: 'server', action: 'ready' }, method: 'GET' };
        case '/metrics':
            return { route: { kind: 'server', action: 'metrics' }, method: 'GET' };
    }
    const admin = /^\/admin\/([a-z-]+)$/.exec(path);
    if (admin && admin[1] in ADMIN_ACTIONS)
        return { route: { kind: 'admin', action: admin[1] }, method: ADMIN_ACTIONS[admin[1]] };
    return null;
}
function decodeSegment(segment) {
    try {
        return decodeURIComponent(segment);
    }
    catch {
        return segment;
    }
}
function routeLabel(route) {
    if (!route)
        return 'unknown';
    return route.kind === 'server' || route.kind === 'admin' ? `${route.kind}_${route.action}` : `${route.kind}_${route.action}`;
}
class InferenceServer {
    options;
    slots;
    stats = new ServeStats();
    metrics = new ServeMetrics();
    http;
    maxBody;
    maxRows;
    log;
    logger;
    following;
    /** The alias's digest when last resolved: the server swaps only when the alias moves. */
    lastSeenDigest = null;
    pollTimer = null;
    queue = Promise.resolve();
    inFlight = 0;
    idle = [];
    closing = false;
    lastPollError = '';
    constructor(options) {
        this.options = options;
        this.slots = new ModelSlots(options.initial);
        this.maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
        this.maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
        this.log = options.log ?? null;
        this.logger = options.logger ?? (() => { });
        this.following = options.follow;
        if (options.follow && options.initial.identity.version > 0)
            this.lastSeenDigest = options.initial.identity.digest;
        this.metrics.setServed(this.slots.stable, null);
        this.metrics.load(true); // the start-up load, made before the server existed
        this.http = (0,external_node_http_.createServer)((req, res) => void this.handle(req, res));
        this.http.requestTimeout = 30_000;
        this.http.headersTimeout = 15_000;
        this.http.on('clientError', (error, socket) => this.clientError(error, socket));
    }
    get name() {
        return this.options.source.name;
    }
    /** Starts listening; resolves with the bound port. */
    async listen(port, host) {
        await new Promise((resolve, reject) => {
            this.http.once('error', reject);
            this.http.listen(port, host, () => {
                this.http.off('error', reject);
                resolve();
            });
        });
        this.schedulePoll();
        return this.http.address().port;
    }
    schedulePoll() {
        if (!this.following || this.options.pollSeconds <= 0 || this.closing)
            return;
        this.pollTimer = setTimeout(() => {
            void this.exclusive(() => this.checkAlias()).finally(() => this.schedulePoll());
        }, this.options.pollSeconds * 1000);
        this.pollTimer.unref();
    }
    /** Runs admin changes and alias checks one at a time. */
    exclusive(fn) {
        const run = this.queue.then(fn, fn);
        this.queue = run.catch(() => undefined);
        return run;
    }
    /** Resolves the followed alias; when it has moved to another version, loads it and swaps. */
    async checkAlias() {
        const alias = this.following;
        if (!alias)
            return;
        try {
            const version = await this.options.source.resolve(alias);
            if (version.digest === this.lastSeenDigest)
                return;
            if (version.digest !== this.slots.stable.identity.digest) {
                await this.swapStable(version.digest, `${alias} moved to v${version.version}`);
            }
            this.lastSeenDigest = version.digest;
            this.lastPollError = '';
        }
        catch (error) {
            const message = (0,errors/* describeError */.U)(error);
            if (message !== this.lastPollError)
                this.logger(`following ${alias}: ${message}; still serving v${this.slots.stable.identity.version}`);
            this.lastPollError = message;
        }
    }
    /** Loads `ref` and makes it the stable model; a failed load leaves the served model in place (and throws). */
    async swapStable(ref, why) {
        const model = await this.loadModel(ref);
        const old = this.slots.stable.identity;
        this.slots.swapStable(model);
        this.metrics.setServed(this.slots.stable, this.slots.candidate);
        this.logger(`serving ${this.name} v${model.identity.version} (${model.identity.digest.slice(0, 19)}) instead of v${old.version}: ${why}`);
        return model;
    }
    async loadModel(ref) {
        try {
            const model = await this.options.source.load(ref);
            this.metrics.load(true);
            return model;
        }
        catch (error) {
            this.metrics.load(false);
            this.logger(`loading ${this.name} ${ref} failed: ${(0,errors/* describeError */.U)(error)}; still serving v${this.slots.stable.identity.version}`);
            throw error;
        }
    }
    /** Stops accepting, lets requests in flight finish (up to `graceMs`), flushes the log. */
    async close(graceMs = 10_000) {
        this.closing = true;
        if (this.pollTimer)
            clearTimeout(this.pollTimer);
        const closed = new Promise((resolve) => this.http.close(() => resolve()));
        this.http.closeIdleConnections();
        const drained = new Promise((resolve) => (this.inFlight === 0 ? resolve() : this.idle.push(resolve)));
        const timer = setTimeout(() => this.http.closeAllConnections(), graceMs);
        await drained;
        // Connections of the last requests turn idle once their answers are flushed.
        const sweep = setInterval(() => this.http.closeIdleConnections(), 20);
        this.http.closeIdleConnections();
        await closed;
        clearInterval(sweep);
        clearTimeout(timer);
        await this.exclusive(async () => undefined);
        await this.log?.close();
        this.slots.retireAll();
    }
    async handle(req, res) {
        const started = performance.now();
        this.inFlight++;
        let label = 'unknown';
        let version = 'none';
        try {
            const path = (req.url ?? '/').split('?', 1)[0];
            const matched = matchRoute(path);
            label = routeLabel(matched?.route ?? null);
            if (matched?.route.kind === 'admin' && this.options.adminToken === null)
                throw new HttpError(404, `no route ${path}`);
            if (!matched)
                throw new HttpError(404, `no route ${path}`);
            if (req.method !== matched.method && !(matched.method === 'GET' && req.method === 'HEAD')) {
                throw new HttpError(405, `${path} takes ${matched.method}, not ${req.method}`, { Allow: matched.method });
            }
            if (this.closing)
                res.setHeader('Connection', 'close');
            const { route } = matched;
            if (route.kind === 'tfs' || route.kind === 'oip') {
                if (route.name !== this.name)
                    throw new HttpError(404, `no model "${route.name}": this server serves "${this.name}"`);
                if (route.action === 'predict' || route.action === 'infer') {
                    const routed = { version: 'none' };
                    try {
                        await this.predict(req, res, route.kind, route.version, started, routed);
                    }
                    finally {
                        version = routed.version;
                    }
                    return;
                }
                const model = this.pick(route.version);
                try {
                    version = String(model.identity.version);
                    if (route.kind === 'tfs')
                        sendJson(res, 200, route.action === 'status' ? this.tfsStatus(route.version) : this.tfsMetadata(model));
                    else if (route.action === 'ready')
                        sendJson(res, 200, { name: this.name, ready: true });
                    else
                        sendJson(res, 200, this.oipMetadata(model, route.version));
                }
                finally {
                    model.release();
                }
                return;
            }
            if (route.kind === 'server') {
                if (route.action === 'live')
                    sendJson(res, 200, { live: true });
                else if (route.action === 'ready')
                    sendJson(res, this.closing ? 503 : 200, { ready: !this.closing });
                else if (route.action === 'metadata')
                    sendJson(res, 200, { name: 'mlops-serve', version: API_VERSION, extensions: [] });
                else {
                    const { contentType, body } = await this.metrics.text();
                    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
                    res.end(body);
                }
                return;
            }
            await this.handleAdmin(route.action, req, res);
        }
        catch (error) {
            this.sendError(res, error, label);
        }
        finally {
            if (!res.headersSent)
                this.sendError(res, new Error('no answer'), label);
            this.metrics.request(label, res.statusCode, version);
            this.inFlight--;
            if (this.inFlight === 0)
                for (const resolve of this.idle.splice(0))
                    resolve();
        }
    }
    /**
     * Requests Node's HTTP parser refuses before any handler sees them, answered as every
     * other error is (a JSON `{"error": ...}`), with the status Node itself would give.
     */
    clientError(error, socket) {
        const pending = socket._httpMessage;
        if (error.code === 'ECONNRESET' || !socket.writable || pending?.headersSent) {
            socket.destroy();
            return;
        }
        let status = 400;
        let message = `the request is not valid HTTP (${error.code ?? error.message})`;
        if (error.code === 'HPE_HEADER_OVERFLOW') {
            status = 431;
            message = `the request headers are over the limit of ${external_node_http_.maxHeaderSize} bytes`;
        }
        else if (error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') {
            status = 413;
            message = 'the chunk extensions of the request body are too large';
        }
        else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
            status = 408;
            message = `the request was not complete within ${this.http.requestTimeout / 1000} s`;
        }
        const body = JSON.stringify({ error: message });
        socket.end(`HTTP/1.1 ${status} ${external_node_http_.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
        this.metrics.request('unparsed', status, 'none');
    }
    sendError(res, error, label) {
        if (res.headersSent) {
            res.destroy();
            return;
        }
        if (error instanceof HttpError) {
            sendJson(res, error.status, { error: error.message }, error.headers);
            if (error.headers.Connection === 'close')
                res.once('finish', () => res.req.socket?.destroySoon?.());
            return;
        }
        // The details (paths, the runtime's own words) go to the server's log, not to clients.
        this.logger(`${label}: ${(0,errors/* describeError */.U)(error)}`);
        sendJson(res, 500, { error: `internal error (${label}); the server's log has the details` });
    }
    /** The stable model, or the served model of `version`, acquired (404 if that version is not served). */
    pick(version) {
        if (version === null) {
            const model = this.slots.stable;
            model.acquire();
            return model;
        }
        const model = this.slots.byVersion(version);
        if (!model)
            throw new HttpError(404, `version ${version} of "${this.name}" is not served (served: ${this.servedVersions().join(', ')})`);
        return model;
    }
    servedVersions() {
        return this.slots.all().map((m) => String(m.identity.version));
    }
    /** A prediction request of either protocol; sets `routed.version` to the version that answers. */
    async predict(req, res, protocol, version, started, routed) {
        let decoded;
        try {
            const body = parseJsonBody(await readBody(req, this.maxBody));
            decoded = protocol === 'tfs' ? decodeTfServing(body, this.maxRows) : decodeOip(body, this.maxRows);
        }
        catch (error) {
            // Refused before a model took it (bad body, 413, 415): still a failed prediction request.
            this.metrics.rejected(error instanceof HttpError ? error.status : 500);
            throw error;
        }
        let model;
        if (version === null)
            model = this.slots.route();
        else
            model = this.pick(version);
        routed.version = String(model.identity.version);
        let status = 500;
        let predictions = null;
        try {
            const { table, request } = requestTable(model, decoded, this.options.nullValues);
            predictions = await model.predict(table, Array.from({ length: table.rows }, (_, i) => i));
            const infinite = predictions.findIndex((p) => !isFinitePrediction(p));
            if (infinite >= 0) {
                predictions = null;
                throw new HttpError(400, noFinitePrediction(table, infinite, request.row(infinite)));
            }
            const headers = { 'X-Model-Version': String(model.identity.version) };
            if (protocol === 'tfs')
                sendJson(res, 200, tfsResponse(model, predictions, decoded.columnar), headers);
            else
                sendJson(res, 200, oipResponse(model, predictions, decoded), headers);
            status = 200;
            if (this.log)
                this.logPredictions(model, request, predictions);
        }
        catch (error) {
            status = error instanceof HttpError ? error.status : 500;
            if (error instanceof HttpError)
                error.headers['X-Model-Version'] = String(model.identity.version);
            throw error;
        }
        finally {
            model.release();
            const seconds = (performance.now() - started) / 1000;
            const label = String(model.identity.version);
            this.stats.record(model.identity.version, model.task, status, seconds * 1000, status === 200 ? predictions : null);
            this.metrics.prediction(label, status, seconds, decoded.records.length);
        }
    }
    logPredictions(model, decoded, predictions) {
        const log = this.log;
        const time = new Date().toISOString();
        const features = model.signature.features;
        const has = Object.prototype.hasOwnProperty;
        for (let i = 0; i < predictions.length; i++) {
            if (!log.sampled())
                continue;
            const record = decoded.records[i];
            const entry = Object.create(null);
            for (const f of features)
                if (has.call(record, f.name))
                    entry[f.name] = record[f.name];
            entry._time = time;
            entry._model = model.identity.name;
            entry._version = model.identity.version;
            const p = predictions[i];
            entry._prediction = 'label' in p ? p.label : p.value;
            log.write(entry);
        }
    }
    tfsStatus(version) {
        const models = version === null ? this.slots.all() : this.slots.all().filter((m) => m.identity.version === version);
        return {
            model_version_status: models.map((m) => ({
                version: String(m.identity.version),
                state: 'AVAILABLE',
                status: { error_code: 'OK', error_message: '' },
            })),
        };
    }
    tfsMetadata(model) {
        const tensor = (t) => ({
            dtype: TF_DTYPES[t.datatype] ?? 'DT_INVALID',
            tensor_shape: { dim: t.shape.map((d) => ({ size: String(d) })) },
            name: t.name,
        });
        const inputs = Object.fromEntries(inputSpecs(model).map((t) => [t.name, tensor(t)]));
        const outputs = Object.fromEntries(outputSpecs(model).map((t) => [t.name, tensor(t)]));
        return {
            model_spec: { name: this.name, signature_name: '', version: String(model.identity.version) },
            metadata: {
                signature_def: {
                    signature_def: { serving_default: { inputs, outputs, method_name: 'tensorflow/serving/predict' } },
                },
            },
            classes: model.task === 'classification' ? model.classes : undefined,
        };
    }
    oipMetadata(model, version) {
        const strip = ({ name, datatype, shape }) => ({ name, datatype, shape: [...shape] });
        return {
            name: this.name,
            versions: version === null ? this.servedVersions() : [String(version)],
            platform: 'onnxruntime_onnx',
            inputs: inputSpecs(model).map(strip),
            outputs: outputSpecs(model).map(strip),
            features: model.signature.features.map((f) => f.name),
            classes: model.task === 'classification' ? model.classes : undefined,
        };
    }
    // ── admin ──────────────────────────────────────────────────────────────────
    /**
     * The admin API (Authorization: Bearer <token>; reload also takes a signed body).
     * Every answer but errors is the status (as GET /admin/status).
     */
    async handleAdmin(action, req, res) {
        const token = this.options.adminToken;
        const raw = req.method === 'POST' ? await readBody(req, 64 * 1024) : Buffer.alloc(0);
        const signature = req.headers[SIGNATURE_HEADER];
        const signed = action === 'reload' && typeof signature === 'string';
        const authorised = signed ? signatureMatches(signature, raw, token) : bearerMatches(req.headers.authorization, token);
        if (!authorised) {
            throw new HttpError(401, signed ? 'the signature does not match the body' : 'the admin API needs Authorization: Bearer <admin token>', {
                'WWW-Authenticate': 'Bearer realm="mlops-admin"',
            });
        }
        const body = parseJsonBody(raw, false);
        if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body)))
            throw new HttpError(400, 'the body must be a JSON object');
        const fields = (body ?? {});
        switch (action) {
            case 'status':
                break;
            case 'reset-stats':
                this.stats.reset();
                break;
            case 'candidate': {
                const ref = refField(fields, true);
                const weight = fields.weight === undefined ? 0 : weightField(fields.weight);
                await this.exclusive(async () => {
                    const model = await this.loadModel(ref).catch(loadFailed(ref));
                    this.slots.setCandidate(model, weight);
                    this.metrics.setServed(this.slots.stable, this.slots.candidate);
                    this.logger(`candidate ${this.name} v${model.identity.version} gets ${weight}% of requests`);
                });
                break;
            }
            case 'weight': {
                const weight = weightField(fields.weight);
                if (!this.slots.candidate)
                    throw new HttpError(409, 'no candidate: POST /admin/candidate first');
                this.slots.setWeight(weight);
                this.logger(`candidate v${this.slots.candidate.identity.version} gets ${weight}% of requests`);
                break;
            }
            case 'promote':
                await this.exclusive(async () => {
                    const candidate = this.slots.candidate;
                    if (!candidate)
                        throw new HttpError(409, 'no candidate to promote');
                    this.slots.promote();
                    this.metrics.setServed(this.slots.stable, null);
                    this.logger(`promoted v${candidate.identity.version}: it is the stable version`);
                });
                break;
            case 'rollback':
                await this.exclusive(async () => {
                    const candidate = this.slots.candidate;
                    this.slots.rollback();
                    this.metrics.setServed(this.slots.stable, null);
                    if (candidate)
                        this.logger(`rolled back candidate v${candidate.identity.version}`);
                });
                break;
            case 'reload': {
                const ref = refField(fields, false);
                await this.exclusive(async () => {
                    if (ref !== null) {
                        if (this.slots.stable.identity.digest !== (await this.digestOf(ref)))
                            await this.swapStable(ref, 'reload').catch(loadFailed(ref));
                        return;
                    }
                    if (!this.following)
                        throw new HttpError(400, 'ref: which version? The server follows no alias, so reload needs a "ref"');
                    const version = await this.options.source.resolve(this.following).catch(loadFailed(this.following));
                    if (version.digest !== this.slots.stable.identity.digest)
                        await this.swapStable(version.digest, `reload: ${this.following} is v${version.version}`).catch(loadFailed(this.following));
                    this.lastSeenDigest = version.digest;
                });
                break;
            }
        }
        sendJson(res, 200, this.status());
    }
    async digestOf(ref) {
        return (await this.options.source.resolve(ref).catch(loadFailed(ref))).digest;
    }
    /** What GET /admin/status answers. */
    status() {
        const view = (m) => m && { version: m.identity.version, digest: m.identity.digest, uri: m.identity.uri, loaded_at: m.loadedAt.toISOString() };
        return {
            model: this.name,
            stable: view(this.slots.stable),
            candidate: view(this.slots.candidate),
            weight: this.slots.weight,
            following: this.following,
            poll_seconds: this.following ? this.options.pollSeconds : null,
            stats_since: this.stats.since.toISOString(),
            stats: this.stats.view(),
        };
    }
}
function refField(fields, required) {
    const ref = fields.ref;
    if (ref === undefined || ref === null) {
        if (required)
            throw new HttpError(400, 'ref: give the version to load: a number ("3"), an alias or a digest (sha256:...)');
        return null;
    }
    if (typeof ref === 'number' && Number.isInteger(ref) && ref > 0)
        return String(ref);
    if (typeof ref !== 'string' || ref.trim() === '' || ref.length > 200)
        throw new HttpError(400, 'ref: expected a version number ("3"), an alias or a digest (sha256:...)');
    return ref.trim();
}
function weightField(value) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100)
        throw new HttpError(400, `weight: expected a number from 0 to 100 (the candidate's percent of requests), got ${JSON.stringify(value) ?? 'nothing'}`);
    return value;
}
/** A failed load as the admin API answers it: 422 with the reason (the served models are unchanged). */
function loadFailed(ref) {
    return (error) => {
        if (error instanceof HttpError)
            throw error;
        throw new HttpError(422, `cannot load ${ref}: ${(0,errors/* describeError */.U)(error).split('\n')[0]}`);
    };
}
/**
 * The answer for a record the model gives NaN or an infinity for (JSON cannot carry them):
 * a graph that does not impute gives NaN for a missing value; else a value far outside
 * the training data may overflow.
 */
function noFinitePrediction(table, row, where) {
    const missing = table.columns.filter((c) => (c.texts ? c.texts[row] === null : Number.isNaN(c.numbers[row]))).map((c) => c.name);
    if (missing.length > 0)
        return `${where}: the model gives no finite prediction for this record: it has no value for ${server_truncate(missing.join(', '))}, and this model does not fill in missing values; send every feature`;
    return `${where}: the model gives no finite prediction for this record; are its values far outside the training data?`;
}
function server_truncate(text) {
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
/** OIP v2 datatypes as TF Serving's metadata names them. */
const TF_DTYPES = {
    BOOL: 'DT_BOOL',
    UINT8: 'DT_UINT8',
    UINT16: 'DT_UINT16',
    UINT32: 'DT_UINT32',
    UINT64: 'DT_UINT64',
    INT8: 'DT_INT8',
    INT16: 'DT_INT16',
    INT32: 'DT_INT32',
    INT64: 'DT_INT64',
    FP16: 'DT_HALF',
    FP32: 'DT_FLOAT',
    FP64: 'DT_DOUBLE',
    BYTES: 'DT_STRING',
};
/** The model's inputs: its graph's (names, datatypes, shapes), or one per feature for a model without a graph. */
function inputSpecs(model) {
    if (model.graph)
        return model.graph.inputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape }));
    return model.signature.features.map((f) => ({ name: f.name, datatype: f.type === 'number' ? 'FP64' : 'BYTES', shape: [-1] }));
}
/** The tensors a prediction answers with (see the header), described with the graph's datatype and shape where it has that output. */
function outputSpecs(model) {
    const float = (name, fallback) => {
        const datatype = model.graphOutput(name)?.datatype;
        return datatype === 'FP32' || datatype === 'FP64' ? datatype : fallback;
    };
    const shapeOf = (name, fallback) => model.graphOutput(name)?.shape ?? fallback;
    const precision = model.graph ? 'FP32' : 'FP64';
    if (model.task === 'classification') {
        const specs = [{ name: 'label', datatype: model.labelDatatype, shape: shapeOf('label', [-1]), holds: 'label' }];
        if (model.probabilities)
            specs.push({
                name: 'probabilities',
                datatype: float('probabilities', precision),
                shape: shapeOf('probabilities', [-1, model.classes.length]),
                holds: 'probabilities',
            });
        return specs;
    }
    const outputs = model.graph?.outputs ?? [];
    const own = outputs.length === 1 ? outputs[0] : null;
    const datatype = own && (own.datatype === 'FP32' || own.datatype === 'FP64') ? own.datatype : precision;
    const specs = [{ name: 'prediction', datatype, shape: [-1], holds: 'value' }];
    if (own && own.name !== 'prediction')
        specs.push({ name: own.name, datatype, shape: own.shape, holds: 'value' });
    return specs;
}
/** A label as answers carry it: a number when labels travel as INT64. */
function labelValue(model, label) {
    return model.labelDatatype === 'INT64' ? Number(label) : label;
}
/** TF Serving's answer: row format gives `predictions`, columnar format `outputs`. */
function tfsResponse(model, predictions, columnar) {
    if (model.task === 'regression') {
        const values = predictions.map((p) => p.value);
        return columnar ? { outputs: values } : { predictions: values };
    }
    const rows = predictions;
    const probabilities = model.probabilities;
    if (columnar) {
        const label = rows.map((p) => labelValue(model, p.label));
        return { outputs: probabilities ? { label, probabilities: rows.map((p) => p.probabilities) } : { label } };
    }
    return {
        predictions: rows.map((p) => probabilities ? { label: labelValue(model, p.label), probabilities: p.probabilities } : { label: labelValue(model, p.label) }),
    };
}
/** The Open Inference Protocol's answer: the tensors of `outputSpecs`, or those the request names. */
function oipResponse(model, predictions, request) {
    const n = predictions.length;
    const specs = outputSpecs(model);
    if (request.outputs) {
        const unknown = request.outputs.filter((name) => !specs.some((t) => t.name === name));
        if (unknown.length > 0)
            throw new HttpError(400, `outputs: no output ${unknown.map((u) => `"${u}"`).join(', ')} (outputs: ${specs.map((t) => t.name).join(', ')})`);
    }
    const chosen = request.outputs ? specs.filter((t) => request.outputs.includes(t.name)) : specs;
    const outputs = chosen.map((spec) => {
        if (spec.holds === 'label')
            return {
                name: spec.name,
                shape: [n],
                datatype: spec.datatype,
                data: predictions.map((p) => labelValue(model, p.label)),
            };
        if (spec.holds === 'probabilities')
            return {
                name: spec.name,
                shape: [n, model.classes.length],
                datatype: spec.datatype,
                data: predictions.flatMap((p) => p.probabilities),
            };
        return {
            name: spec.name,
            shape: spec.shape.length === 2 ? [n, 1] : [n],
            datatype: spec.datatype,
            data: predictions.map((p) => p.value),
        };
    });
    return {
        model_name: model.identity.name,
        model_version: String(model.identity.version),
        id: request.id ?? (0,external_node_crypto_.randomUUID)(),
        outputs,
    };
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(73136);
;// CONCATENATED MODULE: ./src/core/serve/source.ts
/**
 * Where served models come from: versions of a model in the registry (by number,
 * alias or digest), pulled into a fresh folder, loaded, warmed up, and the folder
 * removed (the model lives in memory); or a model directory given directly.
 */







class ModelSource {
    registry;
    name;
    workDir;
    constructor(
    /** The registry, or null when serving only a model directory. */
    registry, 
    /** The model's name (in the registry, and in request URLs). */
    name, 
    /** A folder for pulled versions (each in a fresh subfolder, removed after loading). */
    workDir) {
        this.registry = registry;
        this.name = name;
        this.workDir = workDir;
    }
    need() {
        if (!this.registry)
            throw new errors/* UserError */.y('no registry to load a version from', 'Start the server with a registry (--registry or mlops.yaml) to load versions.');
        return this.registry;
    }
    /** What `ref` points at now (for following an alias). */
    async resolve(ref) {
        return this.need().resolve(this.name, ref);
    }
    /** Pulls `ref` (a number, alias or digest), loads and warms it up. */
    async load(ref) {
        const registry = this.need();
        const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(this.workDir, `${this.name}-`));
        try {
            const version = await registry.pull(this.name, ref, dir);
            return await loadServedModel(dir, { name: this.name, version: version.version, digest: version.digest, uri: version.uri });
        }
        finally {
            await (0,promises_.rm)(dir, { recursive: true, force: true });
        }
    }
    /** Loads a model directory as version 0, with the digest of its files. */
    async loadDir(dir) {
        const path = (0,external_node_path_.resolve)(dir);
        if (!(0,external_node_fs_.existsSync)(path))
            throw new errors/* UserError */.y(`${dir} is not a model directory: it does not exist`, 'Point --model-dir at the model-dir output of train.');
        return loadServedModel(path, { name: this.name, version: 0, digest: await directoryDigest(path), uri: (0,external_node_url_.pathToFileURL)(path).href });
    }
}
/** sha256 over the names and bytes of a directory's files (sorted): what identifies a model folder. */
async function directoryDigest(dir) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const names = (await (0,promises_.readdir)(dir, { withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort();
    for (const name of names) {
        const bytes = await (0,promises_.readFile)((0,external_node_path_.join)(dir, name));
        hash.update(`${name}\0${bytes.length}\0`);
        hash.update(bytes);
    }
    return `sha256:${hash.digest('hex')}`;
}

// EXTERNAL MODULE: ./src/core/onnx/runtime.ts
var runtime = __webpack_require__(62915);
// EXTERNAL MODULE: ./src/adapters/local/run.ts + 1 modules
var run = __webpack_require__(12054);
// EXTERNAL MODULE: ./src/ports/registry.ts
var ports_registry = __webpack_require__(49113);
;// CONCATENATED MODULE: ./src/commands/serve.ts
/**
 * `mlops serve` (a real-time inference server) and `mlops predict` (batch scoring of
 * a file), over the model files that train writes and the registry keeps.
 */
















const stderr = (line) => process.stderr.write(`${line}\n`);
/** Adds `mlops serve` and `mlops predict`. */
function addServeCommands(program) {
    const modelOptions = (command) => command
        .option('--config <file>', 'mlops.yaml (for model.name, the registry and data.null_values)')
        .option('--registry <where>', 'oci://host/namespace or a folder (default: registry.url or registry.path in mlops.yaml, else .mlops/registry beside it)')
        .option('--model <name>', 'the model name in the registry (default: model.name in mlops.yaml)')
        .option('--model-dir <dir>', 'serve this model directory (the model-dir output of train) instead of a registry version');
    modelOptions(program
        .command('serve')
        .description('Serves a model over HTTP (TF Serving REST and Open Inference Protocol v2), following a registry alias: a new version is loaded, warmed up and swapped in without failing a request. Canary, admin API, Prometheus metrics and a prediction log.'))
        .option('--alias <alias>', 'the registry alias to serve and follow', 'production')
        .option('--ref <ref>', 'serve this version (number, alias or digest) as it is now, without following')
        .option('--name <name>', 'the model name in request URLs when serving --model-dir (default: --model, model.name, or the folder name)')
        .option('--host <host>', 'the address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
        .option('--port <port>', 'the port (0: any free port; the bound one is printed)', '8080')
        .option('--poll <seconds>', 'seconds between checks of the alias (0: never; POST /admin/reload still checks)', '10')
        .option('--admin-token <token>', 'enables the admin API (/admin/...: canary, promote, rollback, reload) for requests with Authorization: Bearer <token>; also the secret of signed reloads (default: MLOPS_ADMIN_TOKEN; without a token there is no admin API)')
        .option('--max-body <bytes>', 'largest request body, e.g. 1048576, 512kb or 4mb; larger ones get 413', '1mb')
        .option('--max-rows <n>', 'most records (rows) in one prediction request; more get 413', String(DEFAULT_MAX_ROWS))
        .option('--log <file>', 'write a prediction log (JSON Lines: the features, _time, _model, _version, _prediction per record)')
        .option('--log-sample <fraction>', 'fraction of predicted records written to the log, 0 to 1', '1')
        .option('--log-max-bytes <bytes>', `rotate the log at this size (default ${DEFAULT_LOG_MAX_BYTES / 1024 / 1024}mb)`, '10mb')
        .option('--log-keep <n>', 'rotated log files kept (<file>.1 is the newest)', String(DEFAULT_LOG_KEEP))
        .action(async (options) => {
        await serve(options);
    });
    modelOptions(program
        .command('predict')
        .description('Scores a data file with a model: writes every input row with its prediction (and probability_<class> columns for classification), as CSV, TSV or JSON Lines by the output name.'))
        .requiredOption('--input <files...>', 'data files or globs (CSV, TSV, JSON Lines; gzip too)')
        .requiredOption('-o, --output <file>', 'where to write the predictions (.csv, .tsv or .jsonl)')
        .option('--ref <ref>', 'the registry version to use: number, alias or digest', 'production')
        .addOption(new esm/* Option */.c$('--format <format>', 'input format (default: from the file name)').choices(['auto', 'csv', 'tsv', 'jsonl']))
        .action(async (options) => {
        await predict(options);
    });
}
function modelName(options, loaded, fallback) {
    const name = options.name ?? options.model ?? loaded.config.model?.name ?? fallback;
    if (!name)
        throw new errors/* UserError */.y('no model name', 'Give --model, or set model.name in mlops.yaml.');
    return name;
}
async function serve(options) {
    const loaded = await (0,run/* loadProjectConfig */.WM)(options.config);
    const port = wholeNumber(options.port, '--port', 0, 65535);
    const pollSeconds = number(options.poll, '--poll', 0, 86_400);
    const maxBodyBytes = byteSize(options.maxBody, '--max-body');
    const maxRows = wholeNumber(options.maxRows, '--max-rows', 1, 10_000_000);
    const adminToken = options.adminToken ?? process.env.MLOPS_ADMIN_TOKEN ?? null;
    if (adminToken !== null && adminToken.length < 16)
        stderr('warning: the admin token is shorter than 16 characters; anyone who can reach the server may guess it');
    const backend = `onnxruntime-${(await (0,runtime/* onnxRuntime */.M_)(stderr)).name}`;
    const registry = (0,run/* projectRegistry */.Fu)(loaded, options.registry);
    const workDir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'mlops-serve-'));
    let server = null;
    try {
        let initial;
        let source;
        let follow = null;
        if (options.modelDir) {
            const name = modelName(options, loaded, (0,external_node_path_.basename)((0,external_node_path_.resolve)(options.modelDir)).toLowerCase());
            source = new ModelSource(registry, name, workDir);
            initial = await source.loadDir(options.modelDir);
        }
        else {
            const name = modelName(options, loaded, null);
            if (!ports_registry/* NAME_PATTERN */.V.test(name))
                throw new errors/* UserError */.y(`model name "${name}" is not allowed`, 'Use lower-case letters, digits, ".", "_" and "-".');
            source = new ModelSource(registry, name, workDir);
            if (options.ref)
                initial = await source.load(options.ref);
            else {
                follow = options.alias;
                let version;
                try {
                    version = await source.resolve(follow);
                }
                catch (error) {
                    throw new errors/* UserError */.y(`cannot serve ${name} ${follow}: ${error.message.split('\n')[0]}`, `Point the alias at a version (mlops registry alias ${name} ${follow} <version>), or serve one with --ref or --model-dir.`);
                }
                initial = await source.load(version.digest);
            }
        }
        const log = options.log
            ? await PredictionLog.open({
                path: (0,external_node_path_.resolve)(options.log),
                sample: number(options.logSample, '--log-sample', 0, 1),
                maxBytes: byteSize(options.logMaxBytes, '--log-max-bytes'),
                keep: wholeNumber(options.logKeep, '--log-keep', 1, 1000),
                onError: (error) => stderr(`prediction log: ${error.message}`),
            })
            : null;
        server = new InferenceServer({
            source,
            initial,
            follow,
            pollSeconds,
            adminToken,
            maxBodyBytes,
            maxRows,
            nullValues: loaded.config.data.null_values,
            log,
            logger: (line) => stderr(`${new Date().toISOString()} ${line}`),
        });
        const bound = await server.listen(port, options.host);
        const host = options.host.includes(':') ? `[${options.host}]` : options.host;
        const { identity } = initial;
        process.stdout.write(`mlops serve: ${identity.name} v${identity.version} (${identity.digest.slice(0, 19)}, ${backend})${follow ? `, following ${follow} every ${pollSeconds}s` : ''}${adminToken ? ', admin API on' : ''}; listening on http://${host}:${bound}\n`);
        stderr(`  TF Serving: POST http://${host}:${bound}/v1/models/${identity.name}:predict  ·  Open Inference Protocol: POST http://${host}:${bound}/v2/models/${identity.name}/infer  ·  metrics: /metrics`);
        await new Promise((resolveStop) => {
            const stop = (signal) => {
                process.off('SIGTERM', onTerm);
                process.off('SIGINT', onInt);
                stderr(`${signal}: finishing requests in flight, then stopping`);
                resolveStop();
            };
            const onTerm = () => stop('SIGTERM');
            const onInt = () => stop('SIGINT');
            process.on('SIGTERM', onTerm);
            process.on('SIGINT', onInt);
        });
        await server.close();
        stderr('stopped');
    }
    finally {
        await (0,promises_.rm)(workDir, { recursive: true, force: true });
    }
}
async function predict(options) {
    const loaded = await (0,run/* loadProjectConfig */.WM)(options.config);
    await (0,runtime/* onnxRuntime */.M_)(stderr);
    const registry = (0,run/* projectRegistry */.Fu)(loaded, options.registry);
    const workDir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'mlops-predict-'));
    try {
        let model;
        if (options.modelDir) {
            model = await new ModelSource(null, modelName(options, loaded, 'model'), workDir).loadDir(options.modelDir);
        }
        else {
            model = await new ModelSource(registry, modelName(options, loaded, null), workDir).load(options.ref);
        }
        const files = await (0,paths/* expandPaths */.p)(options.input.map((p) => (0,external_node_path_.resolve)(p)));
        const table = await (0,data_table.readTable)(files, { format: options.format ?? 'auto', nullValues: loaded.config.data.null_values });
        const showProgress = table.rows >= 100_000;
        let lastShown = 0;
        const { text, rows } = await predictTable(model, table, outputFormatOf(options.output), (done, total) => {
            if (showProgress && (done - lastShown >= total / 20 || done === total)) {
                lastShown = done;
                stderr(`predicted ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows`);
            }
        });
        await lib_default()((0,external_node_path_.resolve)(options.output), text);
        const { identity } = model;
        stderr(`wrote ${options.output}: ${rows} rows predicted by ${identity.name} v${identity.version} (${identity.uri})`);
        model.retire();
    }
    finally {
        await (0,promises_.rm)(workDir, { recursive: true, force: true });
    }
}
function number(text, flag, min, max) {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max)
        throw new errors/* UserError */.y(`${flag}: "${text}" is not a number from ${min} to ${max}`);
    return value;
}
function wholeNumber(text, flag, min, max) {
    const value = number(text, flag, min, max);
    if (!Number.isInteger(value))
        throw new errors/* UserError */.y(`${flag}: "${text}" is not a whole number`);
    return value;
}
/** 1048576, 512kb, 4mb, 1gb (powers of 1024). */
function byteSize(text, flag) {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb?|kib|mb?|mib|gb?|gib)?\s*$/i.exec(text);
    if (!match)
        throw new errors/* UserError */.y(`${flag}: "${text}" is not a size`, 'Give bytes (1048576) or a size with a unit: 512kb, 4mb.');
    const unit = (match[2] ?? 'b').toLowerCase()[0];
    const bytes = Math.floor(Number(match[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1));
    if (bytes < 1)
        throw new errors/* UserError */.y(`${flag}: "${text}" is too small`);
    return bytes;
}


/***/ }),

/***/ 38227:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _: () => (/* binding */ inferSchema),
/* harmony export */   w: () => (/* binding */ DEFAULT_MAX_DOMAIN_SIZE)
/* harmony export */ });
/* harmony import */ var _sketch_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(86166);
/* harmony import */ var _profile_profile_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7946);
/* harmony import */ var _profile_summary_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(63469);
/* harmony import */ var _schema_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(36964);
/**
 * A schema inferred from a profile: a starting point that the data it came from
 * passes, for users to read, tighten or loosen, and commit.
 */




const DEFAULT_MAX_DOMAIN_SIZE = 20;
function inferSchema(profile, options = {}) {
    const maxDomain = options.maxDomainSize ?? DEFAULT_MAX_DOMAIN_SIZE;
    const columns = [];
    for (const column of profile.columns) {
        const type = (0,_profile_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .inferColumnType */ .HL)(column);
        const total = (0,_profile_profile_js__WEBPACK_IMPORTED_MODULE_1__/* .columnTotal */ .Fn)(column);
        const nulls = column.counts.null;
        const schema = { type: type === 'empty' ? 'string' : type };
        if (nulls === 0)
            schema.nullable = false;
        else
            schema.max_null_fraction = roundUp(Math.min(1, (2 * nulls) / total), 3);
        if ((type === 'integer' || type === 'number') && column.numeric) {
            schema.min = column.numeric.min;
            schema.max = column.numeric.max;
        }
        if (type === 'number') {
            if (column.counts.nan > 0)
                schema.allow_nan = true;
            if (column.counts.infinity > 0)
                schema.allow_infinity = true;
        }
        if (type === 'datetime' && column.datetime) {
            schema.min = new Date(column.datetime.min).toISOString();
            schema.max = new Date(column.datetime.max).toISOString();
        }
        if (type === 'string') {
            const top = _sketch_index_js__WEBPACK_IMPORTED_MODULE_0__/* .FrequentItems */ .JI.fromJSON(column.top);
            const nonNull = total - nulls;
            // Categorical: few distinct values, each seen more than once on average.
            if (top.exact && column.numbersInTop && top.size <= maxDomain && top.size * 2 <= nonNull) {
                schema.domain = top
                    .top(top.size)
                    .map(([value]) => value)
                    .sort();
            }
        }
        columns.push([column.name, schema]);
    }
    return {
        version: 1,
        dataset: {
            min_rows: Math.floor(profile.rows / 10),
            max_rows: profile.rows * 10,
            unexpected_columns: 'warning',
        },
        columns: (0,_schema_js__WEBPACK_IMPORTED_MODULE_3__/* .columnRecord */ ._j)(columns),
    };
}
function roundUp(value, digits) {
    const scale = 10 ** digits;
    return Math.ceil(value * scale) / scale;
}


/***/ })

};
