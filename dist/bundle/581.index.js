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
// EXTERNAL MODULE: ./src/steps/index.ts + 56 modules
var steps = __webpack_require__(55941);
// EXTERNAL MODULE: ./src/adapters/context.ts + 1 modules
var context = __webpack_require__(90545);
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
/* harmony import */ var _commands_serve_js__WEBPACK_IMPORTED_MODULE_14__ = __webpack_require__(36097);
/* harmony import */ var _commands_alert_relay_js__WEBPACK_IMPORTED_MODULE_15__ = __webpack_require__(62768);
/* harmony import */ var _steps_index_js__WEBPACK_IMPORTED_MODULE_16__ = __webpack_require__(55941);

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
for (const step of Object.values(_steps_index_js__WEBPACK_IMPORTED_MODULE_16__.STEPS)) {
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
    const steps = _steps_index_js__WEBPACK_IMPORTED_MODULE_16__.PIPELINE.map((step) => step.name).filter((name) => name !== 'drift-check' || Boolean(drift.current));
    for (const name of steps) {
        process.stderr.write(`\n━━ ${name}\n`);
        const inputs = new Map([['config', options.config]]);
        if (name === 'deploy')
            inputs.set('environment', options.environment);
        const code = await runStep(_steps_index_js__WEBPACK_IMPORTED_MODULE_16__.STEPS[name], inputs);
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
    const versions = await registry.list(model, (n, reason) => process.stderr.write(`note: v${n} left out: ${reason}\n`));
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
(0,_commands_alert_relay_js__WEBPACK_IMPORTED_MODULE_15__/* .addAlertRelayCommand */ .y)(program);
// For scripts/gen-metadata.mjs: the step specs that action.yml files and README tables are generated from.
program.command('spec', { hidden: true }).action(() => {
    const specs = Object.values(_steps_index_js__WEBPACK_IMPORTED_MODULE_16__.STEPS).map(({ name, title, description, inputs, outputs }) => ({
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

/***/ 62768:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  y: () => (/* binding */ addAlertRelayCommand)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./src/adapters/github/github-api.ts
var github_api = __webpack_require__(97134);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./node_modules/write-file-atomic/lib/index.js
var lib = __webpack_require__(30238);
var lib_default = /*#__PURE__*/__webpack_require__.n(lib);
// EXTERNAL MODULE: ./src/ports/github.ts
var github = __webpack_require__(7533);
;// CONCATENATED MODULE: ./src/core/monitor/alert-relay.ts
/**
 * From an Alertmanager notification to GitHub's repository_dispatch: which alerts start
 * retraining, the client_payload that tells the workflow why, and de-duplication.
 *
 * Alertmanager's webhook cannot shape its body, and GitHub's dispatch endpoint takes only
 * `{"event_type", "client_payload"}` (at most 10 top-level properties, under 64 KB), so
 * this relay reads the notification and sends the dispatch.
 *
 * - Selection: a firing alert is selected when its `alertname` is one of the selector's
 *   and every label matcher holds (label equality, as Alertmanager's `name="value"`).
 *   Resolved alerts and resolved notifications are acknowledged, never dispatched.
 * - One dispatch per model: the selected alerts of a notification are split by their
 *   `model` label (alerts without one form one part), since one workflow run retrains one
 *   model. The client_payload (10 properties, see `ClientPayload`) carries the model,
 *   the `version` label, the drifted features (each alert's `feature` label and the
 *   comma-separated `features` annotation) and where to look.
 * - De-duplication: Alertmanager repeats a firing group every repeat_interval (4 h by
 *   default) and retries failed deliveries. A (groupKey, model) dispatched within the
 *   cooldown (6 h by default) is skipped; a failed dispatch records nothing, so
 *   Alertmanager's retry (it retries 5xx answers) sends it again. A resolved alert does
 *   not clear the cooldown: a flapping alert retrains once per cooldown.
 */





/** The event type the caller template `workflows/nightly.yml` listens for (`repository_dispatch: types`). */
const DEFAULT_EVENT_TYPE = 'mlops-retrain';
/**
 * Alerts that mean the model no longer fits the world, as monitoring/prometheus/mlops-serve-alerts.yml
 * names them: drift of features, of the dataset and of predictions, and quality under its minimum.
 * (MlopsServeNullShareJump is left out: missing values are an upstream fault to fix, not to learn.)
 */
const DEFAULT_ALERTNAMES = [
    'MlopsServeFeatureDrift',
    'MlopsServeDatasetDrift',
    'MlopsServePredictionDrift',
    'MlopsServeAccuracyLow',
    'MlopsServeR2Low',
];
/** Longer than Alertmanager's default repeat_interval (4 h): one retraining per firing group, not one per reminder. */
const DEFAULT_COOLDOWN_MS = (/* unused pure expression or super */ null && (6 * 3600 * 1000));
/**
 * The labels and annotation the payload is read from. The serve metrics carry `version` (and
 * `feature` on per-feature series); `model` comes from a target label you give the scrape
 * job (`labels: { model: penguins }`), else the payload's model is ''.
 */
const MODEL_LABEL = 'model';
const VERSION_LABEL = 'version';
const FEATURE_LABEL = 'feature';
const FEATURES_ANNOTATION = 'features';
/** Caps that keep any payload well under GitHub's 64 KB, even when every character needs a JSON escape. */
const CAPS = { name: 200, names: 10, features: 20, url: 2000, text: 1000 };
/** A payload's JSON must stay under this (GitHub's limit is 64 KB). */
const PAYLOAD_BUDGET_BYTES = 60_000;
/** The most skip reasons an answer lists. */
const MAX_REASONS = 50;
/** Which alerts of a notification to dispatch for, one dispatch per model, and why the others are not. */
function planDispatches(webhook, selector) {
    const skipped = [];
    if (webhook.truncatedAlerts > 0)
        skipped.push(`${webhook.truncatedAlerts} alerts were left out by Alertmanager (max_alerts): not seen, not dispatched`);
    if (webhook.status === 'resolved' && webhook.alerts.every((a) => a.status === 'resolved')) {
        skipped.push(`resolved notification (${webhook.alerts.length} alerts): acknowledged, nothing to retrain`);
        return { dispatches: [], skipped };
    }
    const byModel = new Map();
    for (const alert of webhook.alerts) {
        const reason = skipReason(alert, selector);
        if (reason) {
            skipped.push(`${describeAlert(alert)}: ${reason}`);
            continue;
        }
        const model = label(alert.labels, MODEL_LABEL);
        byModel.set(model, [...(byModel.get(model) ?? []), alert]);
    }
    const dispatches = [...byModel.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([model, alerts]) => {
        const payload = buildClientPayload(webhook, alerts);
        const names = payload.alertnames.join(', ');
        return {
            key: `${webhook.groupKey}\n${model}`,
            label: model ? `${names} (model ${JSON.stringify(model)})` : names,
            payload,
        };
    });
    return { dispatches, skipped };
}
/** Why an alert is not dispatched for; null when it is selected. */
function skipReason(alert, selector) {
    if (alert.status !== 'firing')
        return 'resolved';
    const name = label(alert.labels, 'alertname');
    if (!selector.alertnames.includes(name))
        return 'alertname not selected for retraining';
    for (const [labelName, wanted] of Object.entries(selector.matchers)) {
        const have = Object.hasOwn(alert.labels, labelName) ? alert.labels[labelName] : null;
        if (have !== wanted) {
            return `label ${labelName} is ${have === null ? 'absent' : JSON.stringify(have)}, not ${JSON.stringify(wanted)}`;
        }
    }
    return null;
}
/**
 * The client_payload for the selected firing alerts of one model: exactly the 10
 * properties of ClientPayload, strings and lists capped so the JSON stays under GitHub's
 * 64 KB whatever the labels hold. Label values pass through as data (only shortened).
 */
function buildClientPayload(webhook, alerts) {
    if (alerts.length === 0)
        throw new Error('buildClientPayload needs at least one alert');
    const ordered = [...alerts].sort((a, b) => compareTimes(a.startsAt, b.startsAt) || compare(label(a.labels, 'alertname'), label(b.labels, 'alertname')));
    const first = ordered[0];
    const names = [...new Set(ordered.map((a) => label(a.labels, 'alertname')))].sort(compare);
    const features = new Set();
    for (const alert of ordered) {
        const one = label(alert.labels, FEATURE_LABEL);
        if (one)
            features.add(one);
        for (const part of label(alert.annotations, FEATURES_ANNOTATION).split(','))
            if (part.trim())
                features.add(part.trim());
    }
    const summary = label(first.annotations, 'summary') || label(first.annotations, 'description');
    // Halve the caps until the JSON fits (only text made of characters that JSON escapes needs it).
    for (let scale = 1;; scale /= 2) {
        const cap = (value, limit) => truncate(value, Math.max(16, Math.floor(limit * scale)));
        const payload = {
            alertname: cap(label(first.labels, 'alertname'), CAPS.name),
            alertnames: names.slice(0, CAPS.names).map((n) => cap(n, CAPS.name)),
            model: cap(label(first.labels, MODEL_LABEL), CAPS.name),
            version: cap(label(first.labels, VERSION_LABEL), CAPS.name),
            features: [...features]
                .sort(compare)
                .slice(0, CAPS.features)
                .map((f) => cap(f, CAPS.name)),
            startsAt: cap(first.startsAt, 64),
            groupKey: cap(webhook.groupKey, CAPS.text),
            externalURL: cap(webhook.externalURL, CAPS.url),
            generatorURL: cap(first.generatorURL, CAPS.url),
            summary: cap(summary, CAPS.text),
        };
        if (Buffer.byteLength(JSON.stringify(payload), 'utf8') < PAYLOAD_BUDGET_BYTES || scale < 1 / 64)
            return payload;
    }
}
/** GitHub's rules for a dispatch, checked before sending: a list of what breaks them (empty when none). */
function dispatchProblems(eventType, payload) {
    const problems = [];
    if (eventType.length < 1 || eventType.length > github/* REPOSITORY_DISPATCH_LIMITS */.x.eventTypeLength)
        problems.push(`the event type must be 1 to ${github/* REPOSITORY_DISPATCH_LIMITS */.x.eventTypeLength} characters (it has ${eventType.length})`);
    const count = Object.keys(payload).length;
    if (count > github/* REPOSITORY_DISPATCH_LIMITS */.x.payloadProperties)
        problems.push(`client_payload has ${count} top-level properties; GitHub allows ${github/* REPOSITORY_DISPATCH_LIMITS */.x.payloadProperties}`);
    const bytes = Buffer.byteLength(JSON.stringify(payload), 'utf8');
    if (bytes >= github/* REPOSITORY_DISPATCH_LIMITS */.x.payloadBytes)
        problems.push(`client_payload is ${bytes} bytes of JSON; GitHub takes less than ${github/* REPOSITORY_DISPATCH_LIMITS */.x.payloadBytes}`);
    return problems;
}
// ---------------------------------------------------------------- de-duplication
const STATE_FORMAT = 'mlops-alert-relay-state/1';
/**
 * When each (groupKey, model) was last dispatched, kept in memory and, with a file, across
 * restarts (written atomically after each dispatch). A key is reserved while its dispatch
 * is in flight; a notification for it that comes meanwhile (Alertmanager's retry, or a
 * second Alertmanager of a cluster) waits for that dispatch and then sees its outcome.
 */
class DispatchLedger {
    file;
    sent = new Map();
    pending = new Map();
    writing = Promise.resolve();
    constructor(file) {
        this.file = file;
    }
    /** A ledger kept in memory only. */
    static inMemory() {
        return new DispatchLedger(null);
    }
    /** A ledger kept in `file` too; it starts from what the file holds (a missing file is an empty ledger). */
    static async open(file) {
        const ledger = new DispatchLedger(file);
        let text;
        try {
            text = await (0,promises_.readFile)(file, 'utf8');
        }
        catch (error) {
            if (error.code === 'ENOENT')
                return ledger;
            throw error;
        }
        let state;
        try {
            state = JSON.parse(text);
        }
        catch (error) {
            throw new Error(`${file} is not JSON (${(0,errors/* describeError */.U)(error)}): delete it to start with no cooldowns`);
        }
        const record = state;
        if (record?.format !== STATE_FORMAT || typeof record.dispatched !== 'object' || record.dispatched === null) {
            throw new Error(`${file} is not the relay's state file (expected "format": "${STATE_FORMAT}")`);
        }
        for (const [key, at] of Object.entries(record.dispatched)) {
            const time = typeof at === 'string' ? Date.parse(at) : NaN;
            if (Number.isFinite(time))
                ledger.sent.set(key, time);
        }
        return ledger;
    }
    /** When `key` was last dispatched (ms since the epoch), or null. */
    lastSent(key) {
        return this.sent.get(key) ?? null;
    }
    /** Settles when the dispatch of `key` in flight has succeeded or failed; undefined when none is in flight. */
    inFlight(key) {
        return this.pending.get(key)?.settled;
    }
    /** Marks a dispatch of `key` in flight, until `release` or `confirm`; false when one already is. */
    reserve(key) {
        if (this.pending.has(key))
            return false;
        let settle = () => { };
        const settled = new Promise((resolve) => (settle = resolve));
        this.pending.set(key, { settled, settle });
        return true;
    }
    /** The dispatch of `key` failed: nothing recorded. */
    release(key) {
        this.pending.get(key)?.settle();
        this.pending.delete(key);
    }
    /** The dispatch of `key` was accepted at `now`; the file (if any) is rewritten without entries older than `keepMs`. */
    async confirm(key, now, keepMs) {
        this.sent.set(key, now);
        this.release(key);
        for (const [k, at] of this.sent)
            if (now - at >= keepMs && k !== key)
                this.sent.delete(k);
        if (!this.file)
            return;
        const file = this.file;
        const text = `${JSON.stringify({
            format: STATE_FORMAT,
            dispatched: Object.fromEntries([...this.sent].map(([k, at]) => [k, new Date(at).toISOString()])),
        })}\n`;
        // One write at a time, in order: the last one holds every entry.
        this.writing = this.writing
            .catch(() => undefined)
            .then(async () => {
            await (0,promises_.mkdir)((0,external_node_path_.dirname)(file), { recursive: true });
            await lib_default()(file, text, { mode: 0o600 });
        });
        await this.writing;
    }
}
/** GitHub refused or could not be reached; Alertmanager should retry (the server answers 502). */
class DispatchFailedError extends Error {
    result;
    name = 'DispatchFailedError';
    constructor(message, 
    /** What was done before the failure. */
    result) {
        super(message);
        this.result = result;
    }
}
/** Selects alerts, de-duplicates, and dispatches: the use case behind `mlops alert-relay`. */
class AlertRelay {
    options;
    now;
    logger;
    constructor(options) {
        this.options = options;
        const problems = dispatchProblems(options.eventType, {});
        if (problems.length > 0)
            throw new Error(`event type ${JSON.stringify(options.eventType)}: ${problems.join('; ')}`);
        if (options.github && !options.repo)
            throw new Error('the relay needs the repository to dispatch to');
        this.now = options.now ?? Date.now;
        this.logger = options.logger ?? (() => { });
    }
    /**
     * Handles one notification: dispatches for each model's selected firing alerts not in
     * their cooldown. Throws DispatchFailedError when GitHub fails (after trying every
     * dispatch; those that went through stay recorded, so a retry sends only the rest).
     */
    async handle(webhook) {
        const plan = planDispatches(webhook, this.options.selector);
        const skipped = [...plan.skipped];
        const failures = [];
        let dispatched = 0;
        const ledger = this.options.ledger;
        for (const dispatch of plan.dispatches) {
            // Wait out a dispatch of the same key in flight, then judge by its outcome.
            let inCooldown = null;
            for (;;) {
                const now = this.now();
                const last = ledger.lastSent(dispatch.key);
                if (last !== null && this.options.cooldownMs > 0 && now - last < this.options.cooldownMs) {
                    inCooldown = `${dispatch.label}: dispatched ${formatDuration(now - last)} ago for this alert group; cooldown ${formatDuration(this.options.cooldownMs)}`;
                    break;
                }
                const inFlight = ledger.inFlight(dispatch.key);
                if (!inFlight)
                    break;
                await inFlight;
            }
            if (inCooldown) {
                skipped.push(inCooldown);
                continue;
            }
            ledger.reserve(dispatch.key);
            const now = this.now();
            const problems = dispatchProblems(this.options.eventType, dispatch.payload);
            try {
                if (problems.length > 0)
                    throw new Error(problems.join('; '));
                if (this.options.github) {
                    await this.withTimeout(this.options.github.repositoryDispatch(this.options.repo, this.options.eventType, { ...dispatch.payload }));
                }
                else {
                    this.options.onDryRun?.({ repo: this.options.repo, eventType: this.options.eventType, clientPayload: dispatch.payload });
                }
            }
            catch (error) {
                ledger.release(dispatch.key);
                failures.push(`${dispatch.label}: ${(0,errors/* describeError */.U)(error)}`);
                continue;
            }
            dispatched++;
            try {
                await ledger.confirm(dispatch.key, now, this.options.cooldownMs);
            }
            catch (error) {
                this.logger(`warning: the dispatch went through but the state file was not written: ${(0,errors/* describeError */.U)(error)}`);
            }
            const where = this.options.repo ? `${this.options.repo.owner}/${this.options.repo.repo}` : '(no repository)';
            this.logger(`${this.options.github ? 'dispatched' : 'dry run: would dispatch'} ${this.options.eventType} to ${where}: ${dispatch.label}, group ${JSON.stringify(webhook.groupKey)}`);
        }
        const result = { dispatched, skipped: capReasons(skipped), ...(this.options.github ? {} : { dryRun: true }) };
        if (failures.length > 0) {
            throw new DispatchFailedError(`GitHub did not take the repository dispatch: ${failures.join(' | ')}${dispatched > 0 ? ` (${dispatched} other dispatch(es) went through)` : ''}`, result);
        }
        return result;
    }
    /** GitHub's answer, or a failure after dispatchTimeoutMs (the request may still land: the cooldown then covers nothing). */
    async withTimeout(call) {
        const ms = this.options.dispatchTimeoutMs ?? 30_000;
        let timer;
        const timeout = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`GitHub did not answer within ${formatDuration(ms)}`)), ms);
        });
        try {
            await Promise.race([call, timeout]);
        }
        finally {
            clearTimeout(timer);
        }
    }
}
// ---------------------------------------------------------------- durations
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
/** A duration as Alertmanager writes them (`6h`, `1h30m`, `1d`, `90s`, `0`) or plain seconds (`3600`), in ms; null when it is not one. */
function parseDuration(text) {
    const value = text.trim();
    if (/^\d+(\.\d+)?$/.test(value))
        return Math.round(Number(value) * 1000);
    if (!/^(\d+(ms|y|w|d|h|m|s))+$/.test(value))
        return null;
    let total = 0;
    for (const [, amount, unit] of value.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g))
        total += Number(amount) * UNITS[unit];
    return total;
}
/** 6h, 1h30m, 45s, 0s: the largest units, as Alertmanager prints durations. */
function formatDuration(ms) {
    let rest = Math.max(0, Math.round(ms / 1000));
    if (rest === 0)
        return '0s';
    const parts = [];
    for (const [unit, seconds] of [
        ['d', 86_400],
        ['h', 3_600],
        ['m', 60],
        ['s', 1],
    ]) {
        if (rest >= seconds) {
            parts.push(`${Math.floor(rest / seconds)}${unit}`);
            rest %= seconds;
        }
    }
    return parts.join('');
}
// ---------------------------------------------------------------- helpers
/** An own label's value, or ''. */
function label(set, name) {
    return Object.hasOwn(set, name) ? set[name] : '';
}
function describeAlert(alert) {
    const name = label(alert.labels, 'alertname') || '(no alertname)';
    const model = label(alert.labels, MODEL_LABEL);
    return model ? `${name} (model ${JSON.stringify(model)})` : name;
}
/** RFC 3339 times in time order (any offset, any fraction); texts that are not times after them, by text. */
function compareTimes(a, b) {
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    if (Number.isFinite(ta) && Number.isFinite(tb))
        return ta - tb || compare(a, b);
    if (Number.isFinite(ta) !== Number.isFinite(tb))
        return Number.isFinite(ta) ? -1 : 1;
    return compare(a, b);
}
function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/** At most `limit` characters (code points), with an ellipsis when cut. */
function truncate(value, limit) {
    const chars = Array.from(value);
    return chars.length <= limit ? value : `${chars.slice(0, limit - 1).join('')}…`;
}
function capReasons(reasons) {
    if (reasons.length <= MAX_REASONS)
        return reasons;
    return [...reasons.slice(0, MAX_REASONS - 1), `... and ${reasons.length - MAX_REASONS + 1} more`];
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
// EXTERNAL MODULE: ./src/core/serve/auth.ts
var auth = __webpack_require__(99841);
// EXTERNAL MODULE: ./src/core/serve/decode.ts
var decode = __webpack_require__(48045);
// EXTERNAL MODULE: ./src/core/serve/http.ts
var http = __webpack_require__(34379);
;// CONCATENATED MODULE: ./src/core/monitor/alertmanager.ts
/**
 * What Alertmanager's webhook receiver sends (`webhook_config`, payload version "4"),
 * read strictly where we depend on it and leniently elsewhere:
 *
 *   { "version": "4", "groupKey": "...", "truncatedAlerts": 0, "status": "firing|resolved",
 *     "receiver": "...", "groupLabels": {...}, "commonLabels": {...}, "commonAnnotations": {...},
 *     "externalURL": "...", "alerts": [ { "status", "labels", "annotations", "startsAt",
 *     "endsAt", "generatorURL", "fingerprint" }, ... ] }
 *
 * `version`, `status`, `groupKey` and `alerts` (each with `status` and `labels`) are required,
 * as Alertmanager always sends them; the rest default to empty. Fields we do not know (Grafana
 * adds `orgId`, `values`, ...) are ignored. Every refusal names the field, e.g.
 * `alerts[2].labels.model: expected a string, got a number`.
 *
 * Label and annotation sets are objects without a prototype, so a label named `__proto__`
 * (or `constructor`) is an ordinary label: data, never a prototype.
 */
/** The body is not an Alertmanager webhook notification; the message names the field. */
class WebhookPayloadError extends Error {
    name = 'WebhookPayloadError';
}
const STATUSES = ['firing', 'resolved'];
/** Checks a parsed JSON body and returns it as a webhook notification, or throws a WebhookPayloadError. */
function parseAlertmanagerWebhook(value) {
    const body = object(value, '(the body)', 'an Alertmanager webhook notification (a JSON object)');
    if (body.version !== '4') {
        throw new WebhookPayloadError(`version: expected "4" (Alertmanager's webhook payload version), got ${describe(body.version)}; this relay reads what Alertmanager's webhook_configs send`);
    }
    const groupKey = alertmanager_text(body.groupKey, 'groupKey', true);
    if (groupKey === '')
        throw new WebhookPayloadError('groupKey: expected the alert group\'s key, got ""');
    const alertsValue = body.alerts;
    if (!Array.isArray(alertsValue))
        throw new WebhookPayloadError(`alerts: expected an array of alerts, got ${describe(alertsValue)}`);
    const truncated = body.truncatedAlerts;
    if (truncated !== undefined && !(typeof truncated === 'number' && Number.isInteger(truncated) && truncated >= 0)) {
        throw new WebhookPayloadError(`truncatedAlerts: expected a whole number >= 0, got ${describe(truncated)}`);
    }
    return {
        version: '4',
        groupKey,
        truncatedAlerts: truncated ?? 0,
        status: alertmanager_status(body.status, 'status'),
        receiver: alertmanager_text(body.receiver, 'receiver', false),
        groupLabels: labels(body.groupLabels, 'groupLabels', false),
        commonLabels: labels(body.commonLabels, 'commonLabels', false),
        commonAnnotations: labels(body.commonAnnotations, 'commonAnnotations', false),
        externalURL: alertmanager_text(body.externalURL, 'externalURL', false),
        alerts: alertsValue.map((alert, i) => parseAlert(alert, `alerts[${i}]`)),
    };
}
function parseAlert(value, at) {
    const alert = object(value, at, 'an alert (a JSON object)');
    return {
        status: alertmanager_status(alert.status, `${at}.status`),
        labels: labels(alert.labels, `${at}.labels`, true),
        annotations: labels(alert.annotations, `${at}.annotations`, false),
        startsAt: alertmanager_text(alert.startsAt, `${at}.startsAt`, false),
        endsAt: alertmanager_text(alert.endsAt, `${at}.endsAt`, false),
        generatorURL: alertmanager_text(alert.generatorURL, `${at}.generatorURL`, false),
        fingerprint: alertmanager_text(alert.fingerprint, `${at}.fingerprint`, false),
    };
}
function object(value, at, expected) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new WebhookPayloadError(`${at}: expected ${expected}, got ${describe(value)}`);
    }
    return value;
}
function alertmanager_status(value, at) {
    if (typeof value === 'string' && STATUSES.includes(value))
        return value;
    throw new WebhookPayloadError(`${at}: expected "firing" or "resolved", got ${describe(value)}`);
}
function alertmanager_text(value, at, required) {
    if (value === undefined || value === null) {
        if (required)
            throw new WebhookPayloadError(`${at}: missing (expected a string)`);
        return '';
    }
    if (typeof value !== 'string')
        throw new WebhookPayloadError(`${at}: expected a string, got ${describe(value)}`);
    return value;
}
/** A label set as an object without a prototype (`__proto__` stays a label). */
function labels(value, at, required) {
    const out = Object.create(null);
    if (value === undefined || value === null) {
        if (required)
            throw new WebhookPayloadError(`${at}: missing (expected an object of label names to string values)`);
        return out;
    }
    const set = object(value, at, 'an object of names to string values');
    for (const name of Object.keys(set)) {
        const labelValue = set[name];
        if (typeof labelValue !== 'string') {
            const where = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${at}.${name}` : `${at}[${JSON.stringify(name)}]`;
            throw new WebhookPayloadError(`${where}: expected a string, got ${describe(labelValue)}`);
        }
        Object.defineProperty(out, name, { value: labelValue, enumerable: true, writable: false, configurable: false });
    }
    return out;
}
/** A short description of a JSON value, for error messages: its kind, and its text when short. */
function describe(value) {
    if (value === undefined)
        return 'nothing';
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    if (typeof value === 'object')
        return 'an object';
    if (typeof value === 'string')
        return value.length <= 40 ? JSON.stringify(value) : `a string of ${value.length} characters`;
    return `a ${typeof value} (${String(value)})`;
}

;// CONCATENATED MODULE: ./src/core/monitor/relay-server.ts
/**
 * The HTTP side of the alert relay, on Node's own http module.
 *
 *   POST /alertmanager   Alertmanager's webhook notification (webhook_configs url)
 *   GET  /healthz        {"ok": true}
 *
 * Answers are JSON. A notification is answered 200 `{"dispatched": n, "skipped": [...]}`
 * (resolved ones too: acknowledged), 400 when it is not valid JSON or not Alertmanager's
 * shape (the message names the field), 401 without the bearer token (when one is set),
 * 413 over the body limit, 415 for another content type, and 502 `{"error", "dispatched",
 * "skipped"}` when GitHub fails: Alertmanager retries 5xx answers and drops 4xx ones, so
 * only GitHub's failures ask for a retry.
 *
 * Secrets (the GitHub token, the bearer token) never appear in an answer or a log line:
 * every text that leaves the server goes through `redact`, and log lines quote what the
 * client sent with JSON.stringify, so a label with a newline cannot forge a log line.
 */







/** Alertmanager's notifications are small; 1 MiB holds about a thousand alerts. */
const DEFAULT_RELAY_MAX_BODY_BYTES = 1024 * 1024;
const RELAY_PATH = '/alertmanager';
class AlertRelayServer {
    options;
    http;
    logger;
    secrets;
    maxBodyBytes;
    constructor(options) {
        this.options = options;
        this.logger = options.logger ?? (() => { });
        this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_RELAY_MAX_BODY_BYTES;
        // Very short secrets would turn ordinary text into [redacted]; tokens are long.
        this.secrets = [...(options.secrets ?? []), ...(options.token ? [options.token] : [])].filter((s) => s.length >= 6);
        const timeout = Math.round((options.requestTimeoutSeconds ?? 30) * 1000);
        this.http = (0,external_node_http_.createServer)({ connectionsCheckingInterval: Math.min(30_000, Math.max(100, timeout / 4)) }, (req, res) => {
            void this.handle(req, res);
        });
        this.http.requestTimeout = timeout;
        this.http.headersTimeout = Math.min(15_000, timeout);
        this.http.on('clientError', (error, socket) => this.clientError(error, socket));
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
        return this.http.address().port;
    }
    /** Stops accepting; requests in flight finish (a dispatch under way completes), then connections close. */
    async close(graceMs = 10_000) {
        const closed = new Promise((resolve) => this.http.close(() => resolve()));
        this.http.closeIdleConnections();
        const timer = setTimeout(() => this.http.closeAllConnections(), graceMs);
        const sweep = setInterval(() => this.http.closeIdleConnections(), 20);
        await closed;
        clearInterval(sweep);
        clearTimeout(timer);
    }
    /** `text` with every secret replaced. */
    redact(text) {
        let out = text;
        for (const secret of this.secrets)
            out = out.split(secret).join('[redacted]');
        return out;
    }
    async handle(req, res) {
        const path = (req.url ?? '/').split('?', 1)[0];
        const method = req.method ?? 'GET';
        let note = '';
        try {
            if (path === '/healthz') {
                if (method !== 'GET' && method !== 'HEAD')
                    throw new decode/* HttpError */.j$(405, `${path} takes GET`, { Allow: 'GET, HEAD' });
                this.send(res, 200, { ok: true });
                return;
            }
            if (path !== RELAY_PATH)
                throw new decode/* HttpError */.j$(404, `no route ${path}: Alertmanager's webhook_configs url ends in ${RELAY_PATH}`);
            if (method !== 'POST')
                throw new decode/* HttpError */.j$(405, `${RELAY_PATH} takes POST (Alertmanager's webhook notifications)`, { Allow: 'POST' });
            if (this.options.token !== null && !(0,auth/* bearerMatches */.ls)(req.headers.authorization, this.options.token)) {
                throw new decode/* HttpError */.j$(401, req.headers.authorization
                    ? 'the Authorization header does not carry the relay token'
                    : "this relay needs Authorization: Bearer <token> (Alertmanager's http_config.authorization.credentials_file)", { 'WWW-Authenticate': 'Bearer realm="mlops-alert-relay"' });
            }
            const type = (req.headers['content-type'] ?? 'application/json').split(';', 1)[0].trim().toLowerCase();
            if (type !== 'application/json')
                throw new decode/* HttpError */.j$(415, `Content-Type ${JSON.stringify(type)} is not supported: send application/json, as Alertmanager does`);
            const body = await (0,http/* readBody */.x8)(req, this.maxBodyBytes, 'lower max_alerts in the receiver, or raise --max-body');
            const webhook = parseWebhook(body);
            note = ` group ${JSON.stringify(webhook.groupKey)}, ${webhook.alerts.length} alert(s), ${webhook.status}`;
            const result = await this.options.relay.handle(webhook);
            note += `: dispatched ${result.dispatched}, skipped ${result.skipped.length}`;
            this.send(res, 200, result);
        }
        catch (error) {
            if (error instanceof DispatchFailedError) {
                note += `: ${error.message}`;
                this.send(res, 502, { error: error.message, ...error.result });
            }
            else if (error instanceof decode/* HttpError */.j$) {
                note += `: ${error.message}`;
                this.send(res, error.status, { error: error.message }, error.headers);
            }
            else {
                // Details go to the log, not to the client.
                note += `: ${(0,errors/* describeError */.U)(error)}`;
                this.send(res, 500, { error: "internal error; the relay's log has the details" });
            }
        }
        finally {
            this.logger(this.redact(`${method} ${JSON.stringify(path).slice(1, -1)} ${res.statusCode}${note}`));
        }
    }
    send(res, status, value, headers = {}) {
        if (res.headersSent) {
            res.destroy();
            return;
        }
        const body = this.redact(JSON.stringify(value));
        // An unread body (refused before it was read) is not drained: the connection closes after the answer.
        const unread = !res.req.complete;
        res.writeHead(status, {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            ...(unread ? { Connection: 'close' } : {}),
            ...headers,
        });
        res.end(body);
        if (unread)
            res.once('finish', () => res.req.socket?.destroySoon?.());
    }
    /** Requests Node's HTTP parser refuses, answered as JSON too. */
    clientError(error, socket) {
        const pending = socket._httpMessage;
        if (error.code === 'ECONNRESET' || !socket.writable || pending?.headersSent) {
            socket.destroy();
            return;
        }
        const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
        const body = JSON.stringify({ error: `the request is not valid HTTP (${error.code ?? 'parse error'})` });
        socket.end(`HTTP/1.1 ${status} ${external_node_http_.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
}
function parseWebhook(body) {
    if (body.length === 0)
        throw new decode/* HttpError */.j$(400, "the request has no body: send Alertmanager's webhook notification (JSON)");
    const value = (0,http/* parseJsonBody */.Y2)(body);
    try {
        return parseAlertmanagerWebhook(value);
    }
    catch (error) {
        if (error instanceof WebhookPayloadError)
            throw new decode/* HttpError */.j$(400, `not an Alertmanager webhook notification: ${error.message}`);
        throw error;
    }
}

// EXTERNAL MODULE: ./src/commands/serve.ts + 10 modules
var serve = __webpack_require__(36097);
// EXTERNAL MODULE: ./src/commands/signals.ts
var signals = __webpack_require__(35055);
;// CONCATENATED MODULE: ./src/commands/alert-relay.ts
/**
 * `mlops alert-relay`: takes Alertmanager's webhook notifications and starts retraining
 * with GitHub's repository_dispatch. Reads the options and the environment, builds the
 * relay (src/core/monitor/) and runs its server until SIGTERM or SIGINT.
 */







const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const stderr = (line) => process.stderr.write(`${line}\n`);
/** Adds `mlops alert-relay`. */
function addAlertRelayCommand(program) {
    program
        .command('alert-relay')
        .description(`Relays Alertmanager's webhook notifications to GitHub: for firing alerts it selects (drift, accuracy), sends a repository_dispatch event that starts retraining (workflows/nightly.yml listens for ${DEFAULT_EVENT_TYPE}), at most once per alert group and model within the cooldown. Listens on POST ${RELAY_PATH}.`)
        .option('--repo <owner/name>', 'the repository whose workflows the dispatch starts (default: GITHUB_REPOSITORY)')
        .option('--event-type <type>', 'the event_type sent (what the workflow lists under repository_dispatch: types)', DEFAULT_EVENT_TYPE)
        .option('--alert <names...>', 'alert names (the alertname label) that start retraining', [...DEFAULT_ALERTNAMES])
        .option('--match <label=value...>', 'labels a selected alert must also carry, e.g. severity=critical')
        .option('--cooldown <duration>', 'how long one alert group and model is not dispatched again (6h, 1h30m, 0 for never)', '6h')
        .option('--host <host>', 'the address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
        .option('--port <port>', 'the port (0: any free port; the bound one is printed)', '9097')
        .option('--token-env <name>', 'the environment variable holding the bearer token Alertmanager must send (http_config.authorization); without it, anyone who reaches the relay can start retraining')
        .option('--github-token-env <name>', 'the environment variable holding the GitHub token (contents: write on the repository)', 'GITHUB_TOKEN')
        .option('--api-url <url>', `GitHub's REST API (default: GITHUB_API_URL, else ${github_api/* DEFAULT_API_URL */.rK})`)
        .option('--max-body <bytes>', 'largest notification accepted, e.g. 1mb or 512kb; larger ones get 413', '1mb')
        .option('--state-file <file>', 'keep the cooldowns in this file, so a restart does not dispatch the same alerts again')
        .option('--dry-run', 'send nothing to GitHub: print each dispatch that would be sent (no GitHub token needed)')
        .action(async (options) => {
        await runRelay(options);
    });
}
async function runRelay(options) {
    const dryRun = options.dryRun === true;
    const port = Number(options.port);
    if (!/^\d+$/.test(options.port) || port > 65535)
        throw new errors/* UserError */.y(`--port: "${options.port}" is not a port number (0 to 65535)`);
    const cooldownMs = parseDuration(options.cooldown);
    if (cooldownMs === null)
        throw new errors/* UserError */.y(`--cooldown: "${options.cooldown}" is not a duration`, 'Write it as Alertmanager does: 6h, 1h30m, 1d, 0.');
    const maxBodyBytes = (0,serve/* byteSize */.m)(options.maxBody, '--max-body');
    const eventProblems = dispatchProblems(options.eventType, {});
    if (eventProblems.length > 0)
        throw new errors/* UserError */.y(`--event-type: ${eventProblems.join('; ')}`);
    const alertnames = options.alert
        .flatMap((a) => a.split(','))
        .map((a) => a.trim())
        .filter(Boolean);
    if (alertnames.length === 0)
        throw new errors/* UserError */.y('--alert: no alert names', 'Name the alerts that start retraining: --alert MlopsServeFeatureDrift MlopsServeAccuracyLow');
    const matchers = parseMatchers(options.match ?? []);
    const repoText = options.repo ?? process.env.GITHUB_REPOSITORY;
    let repo = repoText ? (0,github_api/* repositoryOf */._M)(repoText) : null;
    if (repoText && !repo)
        throw new errors/* UserError */.y(`--repo: "${repoText}" is not owner/name`);
    if (!repo && !dryRun)
        throw new errors/* UserError */.y('which repository should the dispatch go to?', 'Give --repo owner/name, or set GITHUB_REPOSITORY.');
    repo ??= null;
    const bearer = options.tokenEnv ? secretFrom(options.tokenEnv, '--token-env') : null;
    if (bearer !== null && bearer.length < 16)
        stderr(`warning: the token in ${options.tokenEnv} is shorter than 16 characters; anyone who can reach the relay may guess it`);
    if (bearer === null && !isLoopback(options.host))
        stderr(`warning: no --token-env: anyone who can reach ${options.host}:${options.port} can start retraining; give Alertmanager a bearer token`);
    const githubToken = dryRun ? null : secretFrom(options.githubTokenEnv, '--github-token-env');
    const apiUrl = (options.apiUrl ?? process.env.GITHUB_API_URL?.trim()) || github_api/* DEFAULT_API_URL */.rK;
    const github = githubToken === null ? null : new github_api/* GitHubRestAdapter */.vO({ token: githubToken, baseUrl: apiUrl });
    const log = (line) => stderr(`${new Date().toISOString()} ${line}`);
    const ledger = options.stateFile ? await openLedger((0,external_node_path_.resolve)(options.stateFile)) : DispatchLedger.inMemory();
    const relay = new AlertRelay({
        github,
        repo,
        eventType: options.eventType,
        selector: { alertnames, matchers },
        cooldownMs,
        ledger,
        logger: log,
        onDryRun: (dispatch) => {
            const where = dispatch.repo
                ? `/repos/${dispatch.repo.owner}/${dispatch.repo.repo}/dispatches`
                : '/repos/<GITHUB_REPOSITORY>/dispatches';
            process.stdout.write(`dry run: POST ${where} ${JSON.stringify({ event_type: dispatch.eventType, client_payload: dispatch.clientPayload })}\n`);
        },
    });
    const server = new AlertRelayServer({
        relay,
        token: bearer,
        maxBodyBytes,
        secrets: githubToken ? [githubToken] : [],
        logger: log,
    });
    const bound = await server.listen(port, options.host);
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    const target = repo ? `${repo.owner}/${repo.repo}` : '(no repository)';
    process.stdout.write(`mlops alert-relay: listening on http://${host}:${bound}${RELAY_PATH}; ${dryRun ? 'dry run, would dispatch' : 'dispatching'} ${options.eventType} to ${target} for ${alertnames.join(', ')}${Object.keys(matchers).length > 0
        ? ` with ${Object.entries(matchers)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(', ')}`
        : ''}; cooldown ${formatDuration(cooldownMs)}${bearer ? '; bearer token required' : ''}\n`);
    await (0,signals/* untilStopSignal */.f)(stderr);
    await server.close();
    stderr('stopped');
}
/** A secret from the environment variable `name`; its value never appears in a message. */
function secretFrom(name, flag) {
    if (!ENV_NAME.test(name))
        throw new errors/* UserError */.y(`${flag}: "${name}" is not an environment variable name`);
    const value = process.env[name]?.trim();
    if (!value)
        throw new errors/* UserError */.y(`${flag}: the environment variable ${name} is not set or empty`, `Set ${name} in the relay's environment.`);
    return value;
}
function parseMatchers(pairs) {
    const matchers = Object.create(null);
    for (const pair of pairs) {
        const at = pair.indexOf('=');
        const name = at > 0 ? pair.slice(0, at).trim() : '';
        if (!LABEL_NAME.test(name))
            throw new errors/* UserError */.y(`--match: "${pair}" is not label=value`, 'For example: --match severity=critical');
        matchers[name] = pair.slice(at + 1).replace(/^"(.*)"$/, '$1');
    }
    return matchers;
}
async function openLedger(file) {
    try {
        return await DispatchLedger.open(file);
    }
    catch (error) {
        throw new errors/* UserError */.y(`--state-file: ${error.message}`);
    }
}
function isLoopback(host) {
    return host === 'localhost' || host === '::1' || host.startsWith('127.');
}


/***/ }),

/***/ 36097:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  H: () => (/* binding */ addServeCommands),
  m: () => (/* binding */ byteSize)
});

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
// EXTERNAL MODULE: ./src/core/serve/records.ts
var serve_records = __webpack_require__(31109);
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
    const features = (0,serve_records/* featureTable */.Fz)(model.signature.features, table);
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

// EXTERNAL MODULE: ./src/core/serve/decode.ts
var decode = __webpack_require__(48045);
// EXTERNAL MODULE: ./node_modules/prom-client/index.js
var prom_client = __webpack_require__(95222);
// EXTERNAL MODULE: ./src/core/data/delimited.ts
var delimited = __webpack_require__(4763);
// EXTERNAL MODULE: ./src/core/data/values.ts
var values = __webpack_require__(12912);
// EXTERNAL MODULE: ./src/core/drift/columns.ts
var columns = __webpack_require__(62060);
// EXTERNAL MODULE: ./src/core/drift/methods.ts
var methods = __webpack_require__(17553);
// EXTERNAL MODULE: ./src/core/drift/stats.ts + 1 modules
var stats = __webpack_require__(56114);
// EXTERNAL MODULE: ./src/core/sketch/index.ts + 3 modules
var sketch = __webpack_require__(86166);
// EXTERNAL MODULE: ./src/core/profile/profile.ts + 1 modules
var profile_profile = __webpack_require__(7946);
// EXTERNAL MODULE: ./src/core/serve/http.ts
var http = __webpack_require__(34379);
;// CONCATENATED MODULE: ./src/core/serve/monitor.ts
/**
 * Online monitoring inside the server: for each served model version, the drift of every
 * feature and of the predictions over a rolling window of recent requests, measured against
 * the training profile (profile.json, which train stores in every model directory), and the
 * rolling accuracy (classifiers) or R² (regressors) of the predictions whose true labels come
 * back later (feedback joined on the request id). Prometheus gauges, computed at scrape time.
 *
 * Statistics: the same as drift-check's (core/drift/stats.ts and methods.ts) on a profile
 * reference, so a number on a dashboard is the number `drift-check` gives for the same rows:
 * - number features: PSI over the reference's decile bins. The edges are the training
 *   sketch's 10%, ..., 90% quantiles (KLL, duplicates dropped: methods.ts's `psi` on a
 *   profile), the reference shares its CDF steps at those edges, the window's the exact
 *   counts; bins (-inf, e1], (e1, e2], ..., (e_last, inf). Missing values (null, NaN, what
 *   the model gets as missing) are a bucket of their own, counted for the null share and
 *   left out of the PSI, as drift-check leaves them out.
 * - text features: the Jensen-Shannon distance (natural log, scipy's and Evidently's base)
 *   over the training's most frequent categories (up to `maxCategories`, default 50) plus
 *   "other", with missing apart. A category the training never had falls in "other": with
 *   at most `maxCategories` training categories that is exactly drift-check's value (a
 *   category absent from the reference adds b ln 2 to the divergence however it is split);
 *   past that, the tail is one bin.
 * - the prediction: the Jensen-Shannon distance over the classes (+ "other") for a
 *   classifier, PSI over the deciles of the training predictions for a regressor, against
 *   the `_prediction` column of the profile (the model's predictions on its training rows).
 * - drift: at or over the threshold (drift-check's rule, `isDrift`); defaults are
 *   drift-check's own (`METHODS.psi` and `METHODS.jensenshannon`: 0.1 each). The drift share
 *   is the drifted share of the features that have a statistic.
 * - null shares: missing / rows in the window; in training (null + NaN + infinity) / rows of
 *   the column, the cells the model saw as missing (drift-check counts infinities apart).
 *
 * Not enough data: with fewer than `minRows` rows in the window (default 1,000) every
 * window statistic is NaN ("not enough data"; the series stay, so dashboards show a gap
 * and alerts do not fire). The default is 1,000 and not lower because both statistics
 * grow with sampling noise: an unshifted feature's PSI over 10 bins averages about 9 / n
 * for a window of n rows; at 100 rows 40% of healthy features reach PSI 0.1 and 56% reach
 * JS 0.1 (all of them with 50 categories); at 1,000 rows, none and 0.5%.
 *
 * Windows, by time and by count. Rows are counted in buckets: a bucket holds the rows of
 * one `bucketSeconds` slot (default 60 s) and at most a tenth of `windowRows`; a slot with
 * more rows gets several buckets. The window is the newest buckets whose slot is among
 * the last ceil(windowSeconds / bucketSeconds) (default 60, an hour), taken newest first
 * while their rows add up to at most `windowRows` (default 10,000). So a row leaves the
 * window between windowSeconds - bucketSeconds and windowSeconds after it came, and the
 * row cap is approximate to one bucket: a full window holds more than 90% of windowRows
 * and never more. Feedback (labels) has a window of its own, built the same way on the
 * time the labels arrive and the number of labelled rows: the rolling accuracy is that
 * of the labels learned in the last hour, whenever their predictions were made.
 *
 * Cost and memory. `observe` costs O(features) per row: for a number a binary search in
 * at most 9 edges, for a text one Map lookup, then one increment in a Uint32Array; no
 * allocation per row (a request allocates only its Map entry when remembered for feedback).
 * Measured on two modest cores: 0.7 us for a one-record request of 10 features, 2.7 us for
 * 50, plus about 1 us to remember the request for feedback: under 2% of a 0.2 ms request.
 * Buckets are kept in a ring of ceil(windowSeconds / bucketSeconds) + 10 + 2 (default 72)
 * arrays of one count per bin (at most 11 per number feature, maxCategories + 2 per text
 * feature, classes + 1 or 11 for the prediction), 4 bytes each, allocated on first use and
 * then reused: 100 text features of 50 categories take 72 x 5,200 x 4 bytes = 1.5 MB.
 * Statistics are computed at scrape time (a sum over the buckets and one PSI or JS per
 * feature, 0.1 to 0.3 ms), cached until the next row, label or bucket change.
 *
 * Feedback memory. Predictions are remembered by request id for `rememberRows` rows (default
 * 100,000) and `rememberSeconds` (default 24 h), the oldest requests evicted first: a ring of
 * 29 bytes per row (2.9 MB, allocated at the first remembered request) and one Map entry
 * per request (about 100 bytes with a UUID id; at most one per row: 10 MB more when every
 * request is of one record). Ids longer than MAX_ID_LENGTH and requests of more rows than
 * the memory are not remembered; a request id seen again answers for the newer request. A
 * row is labelled once: later labels for it count as invalid. A label outside the class
 * list is a wrong prediction, not an invalid label (the model cannot predict a class it
 * never saw). A detached monitor takes its memory with it: labels for its requests are then
 * unknown ids.
 *
 * Wiring: one `MonitorMetrics` per registry registers the gauges and the feedback counter
 * once; the server attaches an `OnlineMonitor` per served version (stable, canary candidate)
 * and detaches the one it swaps out, whose series then disappear.
 */











/** Default options (see the header for why minRows is 1,000). */
const MONITOR_DEFAULTS = {
    windowSeconds: 3600,
    windowRows: 10_000,
    bucketSeconds: 60,
    minRows: 1000,
    minLabelledRows: 100,
    maxCategories: 50,
    rememberRows: 100_000,
    rememberSeconds: 86_400,
};
/** Buckets per row cap: a bucket holds at most windowRows / 10 rows, the cap's precision. */
const BUCKETS_PER_CAP = 10;
/** Request ids longer than this are not remembered (and refused in feedback). */
const MAX_ID_LENGTH = 256;
/** Labels longer than this are refused in feedback. */
const MAX_LABEL_LENGTH = 1024;
/** Labels one feedback body may carry. */
const MAX_FEEDBACK_ITEMS = 100_000;
/** Problems listed in one answer or error message. */
const MAX_PROBLEMS = 10;
// ---------------------------------------------------------------------------------------------
// Buckets
/**
 * A ring of count buckets (see the header): each holds the rows of one time slot, up to
 * `rowsPerBucket`. Arrays are allocated on first use and reused when the ring wraps.
 */
class BucketRing {
    width;
    capacity;
    rowsPerBucket;
    make;
    init;
    arrays;
    slots;
    rowCounts;
    newest = -1;
    size = 0;
    constructor(width, capacity, rowsPerBucket, make, init) {
        this.width = width;
        this.capacity = capacity;
        this.rowsPerBucket = rowsPerBucket;
        this.make = make;
        this.init = init;
        this.arrays = new Array(capacity);
        this.slots = new Float64Array(capacity);
        this.rowCounts = new Float64Array(capacity);
    }
    /** The ring index of the bucket that takes the next row in time slot `slot`. */
    bucketFor(slot) {
        if (this.size > 0) {
            const i = this.newest;
            // A clock that went back adds to the newest bucket; slots never decrease along the ring.
            if (this.rowCounts[i] < this.rowsPerBucket && this.slots[i] >= slot)
                return i;
            slot = Math.max(slot, this.slots[i]);
        }
        const i = (this.newest + 1) % this.capacity;
        let array = this.arrays[i];
        if (!array) {
            array = this.make(this.width);
            this.arrays[i] = array;
        }
        this.init(array);
        this.slots[i] = slot;
        this.rowCounts[i] = 0;
        this.newest = i;
        if (this.size < this.capacity)
            this.size++;
        return i;
    }
    array(i) {
        return this.arrays[i];
    }
    addRow(i) {
        this.rowCounts[i]++;
    }
    /**
     * Visits the buckets of the window, newest first: slots from `firstSlot` on, while their
     * rows add up to at most `maxRows`. Returns the rows of the window.
     */
    window(firstSlot, maxRows, visit) {
        let rows = 0;
        for (let k = 0, i = this.newest; k < this.size; k++, i = (i - 1 + this.capacity) % this.capacity) {
            if (this.slots[i] < firstSlot)
                break;
            const n = this.rowCounts[i];
            if (rows + n > maxRows)
                break;
            rows += n;
            visit(this.arrays[i]);
        }
        return rows;
    }
}
/** Ring capacity: every bucket the window can hold (one per slot plus the full ones) and the one being filled. */
function ringCapacity(timeSlots, rowsPerBucket, maxRows) {
    return timeSlots + Math.ceil(maxRows / rowsPerBucket) + 2;
}
// ---------------------------------------------------------------------------------------------
// Feedback memory
/**
 * Predictions of recent requests by id (see the header for the bounds): a ring of rows
 * in sequence order; a request's id, time and row count sit at its first row's slot, and
 * eviction walks the ring from the oldest request (never iterating the Map, whose deleted
 * entries V8 would scan again on every walk).
 */
class PredictionMemory {
    capacity;
    ttlMs;
    values = null;
    labelled = null;
    times = null;
    counts = null;
    ids = null;
    /** Request id -> sequence number of its first row. */
    starts = new Map();
    /** Sequence number of the next row, and of the oldest remembered request's first row. */
    next = 0;
    tail = 0;
    constructor(capacity, ttlMs) {
        this.capacity = capacity;
        this.ttlMs = ttlMs;
    }
    get requests() {
        return this.starts.size;
    }
    /** Starts remembering `count` rows of request `id`; returns the first row's sequence number, or -1 when not remembered. */
    begin(id, count, now) {
        if (count === 0 || count > this.capacity || id.length > MAX_ID_LENGTH)
            return -1;
        if (!this.values) {
            this.values = new Float64Array(this.capacity);
            this.labelled = new Uint8Array(this.capacity);
            this.times = new Float64Array(this.capacity);
            this.counts = new Uint32Array(this.capacity);
            this.ids = new Array(this.capacity);
        }
        this.evict(now, this.next + count - this.capacity);
        const start = this.next;
        this.next += count;
        const slot = start % this.capacity;
        this.ids[slot] = id;
        this.times[slot] = now;
        this.counts[slot] = count;
        for (let j = 0; j < count; j++)
            this.labelled[(start + j) % this.capacity] = 0;
        // An id seen again: the newer request answers to it (the older one's rows wait for eviction).
        this.starts.set(id, start);
        return start;
    }
    /** Drops the oldest requests while their first row is before `before` (to be overwritten) or their time is past the TTL. */
    evict(now, before) {
        const ids = this.ids;
        while (this.tail < this.next) {
            const slot = this.tail % this.capacity;
            if (this.tail >= before && now - this.times[slot] <= this.ttlMs)
                break;
            const id = ids[slot];
            if (this.starts.get(id) === this.tail)
                this.starts.delete(id);
            ids[slot] = undefined;
            this.tail += this.counts[slot];
        }
    }
    /** The request's first row (sequence number), its rows and time, or null when not remembered. */
    find(id, now) {
        if (this.starts.size === 0)
            return null;
        this.evict(now, this.next - this.capacity);
        const start = this.starts.get(id);
        if (start === undefined)
            return null;
        const slot = start % this.capacity;
        return { start, rows: this.counts[slot], time: this.times[slot] };
    }
    set(start, row, value) {
        this.values[(start + row) % this.capacity] = value;
    }
    value(start, row) {
        return this.values[(start + row) % this.capacity];
    }
    /** Marks a row labelled; false when it already was. */
    label(start, row) {
        const slot = (start + row) % this.capacity;
        if (this.labelled[slot])
            return false;
        this.labelled[slot] = 1;
        return true;
    }
}
/** Bins of a bin set, missing excluded. */
function valueBins(bins) {
    return bins.kind === 'numeric' ? bins.edges.length + 1 : bins.categories.size + 1;
}
/** The reference's decile edges, as methods.ts's `psi` takes them from a profile (duplicates dropped). */
function decileEdges(values) {
    const edges = [];
    for (let k = 1; k < stats/* PSI_BINS */.o2; k++) {
        const e = (0,columns/* quantileOf */.Xf)(values, k / stats/* PSI_BINS */.o2);
        if (edges.length === 0 || e > edges[edges.length - 1])
            edges.push(e);
    }
    return Float64Array.from(edges);
}
/** The reference's shares in (-inf, e1], ..., (e_last, inf), from its CDF (methods.ts's binSharesFromCdf). */
function referenceShares(values, edges) {
    const out = new Float64Array(edges.length + 1);
    let previous = 0;
    for (let i = 0; i < edges.length; i++) {
        const f = (0,columns/* cdfOf */.Pn)(values, edges[i]);
        out[i] = Math.max(0, f - previous);
        previous = f;
    }
    out[edges.length] = Math.max(0, 1 - previous);
    return out;
}
/** Cells the model saw as missing in training: null, NaN and infinities. */
function trainingNullShare(state) {
    const rows = (0,profile_profile/* columnTotal */.Fn)(state);
    return rows > 0 ? (state.counts.null + state.counts.nan + state.counts.infinity) / rows : NaN;
}
/** Bins of a number feature, or the reason it cannot have any. */
function numericBins(state, offset) {
    const numeric = (0,columns/* columnFromProfile */.m4)(state).numeric;
    if (!numeric)
        return 'no numbers in the training data';
    const edges = decileEdges(numeric);
    return {
        kind: 'numeric',
        name: state.name,
        edges,
        reference: referenceShares(numeric, edges),
        offset,
        trainingNullShare: trainingNullShare(state),
    };
}
/** Bins of a text feature: its most frequent training values (numbers as their text, as drift-check counts them), then "other". */
function categoryBins(state, offset, maxCategories) {
    const column = (0,columns/* columnFromProfile */.m4)(state);
    const counts = new Map(column.texts);
    for (const [key, count] of column.numeric?.counts ?? [])
        counts.set(key, (counts.get(key) ?? 0) + count);
    const total = column.textCount + (column.numeric?.n ?? 0);
    if (total === 0)
        return 'no values in the training data';
    const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, maxCategories);
    const categories = new Map();
    const reference = new Float64Array(top.length + 1);
    let kept = 0;
    top.forEach(([key, count], i) => {
        categories.set(key, i);
        reference[i] = count;
        kept += count;
    });
    reference[top.length] = Math.max(0, total - kept);
    return { kind: 'categorical', name: state.name, categories, reference, offset, trainingNullShare: trainingNullShare(state) };
}
/** The prediction's bins: the classes (from the `_prediction` column's counts) or the deciles of the training predictions. */
function predictionBins(state, model, offset) {
    if (model.task === 'regression')
        return numericBins(state, offset);
    const top = sketch/* FrequentItems */.JI.fromJSON(state.top);
    const categories = new Map();
    const reference = new Float64Array(model.classes.length + 1);
    let kept = 0;
    model.classes.forEach((label, i) => {
        categories.set(label, i);
        reference[i] = top.get(label);
        kept += reference[i];
    });
    const total = top.total;
    if (total === 0)
        return 'no predictions in the training profile';
    reference[model.classes.length] = Math.max(0, total - kept);
    return { kind: 'categorical', name: profile_profile/* PREDICTION_COLUMN */.vs, categories, reference, offset, trainingNullShare: trainingNullShare(state) };
}
/** A number or text reference bin: the bin of `value` among `edges` ((-inf, e1], ..., (e_last, inf)). */
function binOf(edges, value) {
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (edges[mid] < value)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
function statisticOf(bins) {
    return bins.kind === 'numeric' ? 'psi' : 'jensenshannon';
}
/** The bins of every feature the profile has, and of the prediction, laid out one after the other. */
function referenceBins(model, profile, maxCategories, reason) {
    const out = {
        features: [],
        featureIndex: [],
        prediction: null,
        width: 0,
        skipped: [],
        driftReason: null,
        predictionReason: null,
        labelShift: NaN,
    };
    if (!profile)
        out.driftReason = reason ?? 'no training profile';
    else if (profile.format !== profile_profile/* PROFILE_FORMAT */.y6 || !Array.isArray(profile.columns))
        out.driftReason = `the training profile is not in format ${profile_profile/* PROFILE_FORMAT */.y6}`;
    if (!profile || out.driftReason !== null) {
        out.predictionReason = out.driftReason;
        return out;
    }
    const readable = (make) => {
        try {
            return make();
        }
        catch (error) {
            return `its training profile cannot be read (${error.message})`;
        }
    };
    const byName = new Map();
    for (const column of profile.columns)
        byName.set(column.name, column);
    model.features.forEach((feature, index) => {
        const state = byName.get(feature.name);
        const bins = !state
            ? 'not in the training profile'
            : readable(() => (feature.type === 'number' ? numericBins(state, out.width) : categoryBins(state, out.width, maxCategories)));
        if (typeof bins === 'string') {
            out.skipped.push({ feature: feature.name, reason: bins });
            return;
        }
        out.features.push(bins);
        out.featureIndex.push(index);
        out.width += valueBins(bins) + 1;
    });
    const state = byName.get(profile_profile/* PREDICTION_COLUMN */.vs);
    const bins = state ? readable(() => predictionBins(state, model, out.width)) : `no ${profile_profile/* PREDICTION_COLUMN */.vs} column in the training profile`;
    if (typeof bins === 'string')
        out.predictionReason = bins;
    else {
        out.prediction = bins;
        out.width += valueBins(bins) + 1;
    }
    const mean = state?.numeric?.mean;
    if (model.task === 'regression' && typeof mean === 'number' && Number.isFinite(mean))
        out.labelShift = mean;
    return out;
}
/** Label window layout: rows, correct, Σd, Σd², Σ(y - ŷ)², min y, max y (d = y - shift). */
const L_ROWS = 0;
const L_CORRECT = 1;
const L_SUM = 2;
const L_SUM2 = 3;
const L_RES2 = 4;
const L_MIN = 5;
const L_MAX = 6;
const LABEL_WIDTH = 7;
function positive(name, value, integer) {
    if (!(value > 0 && Number.isFinite(value)) || (integer && !Number.isInteger(value)))
        throw new RangeError(`OnlineMonitor: ${name} must be a positive ${integer ? 'whole number' : 'number'}, got ${value}`);
    return value;
}
/** The drift and feedback monitor of one served model version (see the header). */
class OnlineMonitor {
    version;
    task;
    /** Why drift monitoring is off (no or unreadable profile), or null when it is on. */
    driftReason;
    /** Features not monitored, and why (not in the profile, no training values). */
    skipped;
    /** Why prediction drift is not monitored, or null. */
    predictionReason;
    thresholds;
    features;
    /** Index in the model's features of each monitored feature. */
    featureIndex;
    prediction;
    width;
    traffic;
    labels;
    memory;
    bucketMs;
    timeSlots;
    windowRows;
    minRows;
    minLabelledRows;
    clock;
    classifier;
    classIndex = new Map();
    /** Table columns of the current request, by monitored feature (reused). */
    columns;
    scratch;
    /** Labels of regressors are summed less this (the mean training prediction, else the first label), for accurate sums of squares. */
    labelShift;
    mutations = 0;
    cached = null;
    /** A monitor of a served model; `profile` null turns drift monitoring off (feedback still works). */
    static forServedModel(model, profile, options = {}, reason) {
        const monitored = {
            version: String(model.identity.version),
            features: model.signature.features,
            task: model.task,
            classes: model.classes,
        };
        return new OnlineMonitor(monitored, profile, options, reason);
    }
    /**
     * `profile`: the parsed training profile, or null (drift monitoring off; `reason` says
     * why, e.g. `loadTrainingProfile`'s reason). Throws a RangeError for invalid options.
     */
    constructor(model, profile, options = {}, reason) {
        if (model.version.length === 0 || model.version.includes(','))
            throw new RangeError(`OnlineMonitor: the version label must be a non-empty text without commas, got ${JSON.stringify(model.version)}`);
        this.version = model.version;
        this.task = model.task;
        // An option left undefined takes its default.
        const setting = (key) => options[key] ?? MONITOR_DEFAULTS[key];
        const windowSeconds = positive('windowSeconds', setting('windowSeconds'), false);
        const bucketSeconds = positive('bucketSeconds', setting('bucketSeconds'), false);
        this.windowRows = positive('windowRows', setting('windowRows'), true);
        this.minRows = positive('minRows', setting('minRows'), true);
        this.minLabelledRows = positive('minLabelledRows', setting('minLabelledRows'), true);
        const maxCategories = positive('maxCategories', setting('maxCategories'), true);
        const rememberRows = setting('rememberRows');
        if (!(rememberRows >= 0 && Number.isInteger(rememberRows)))
            throw new RangeError(`OnlineMonitor: rememberRows must be a whole number from 0, got ${rememberRows}`);
        const rememberSeconds = positive('rememberSeconds', setting('rememberSeconds'), false);
        this.thresholds = {
            psi: options.thresholds?.psi ?? methods/* METHODS */.J8.psi.defaultThreshold,
            jensenshannon: options.thresholds?.jensenshannon ?? methods/* METHODS */.J8.jensenshannon.defaultThreshold,
        };
        this.clock = options.clock ?? Date.now;
        this.classifier = new values/* ValueClassifier */.Dw(options.nullValues ?? values/* DEFAULT_NULL_VALUES */.LL);
        model.classes.forEach((c, i) => this.classIndex.set(c, i));
        this.bucketMs = bucketSeconds * 1000;
        this.timeSlots = Math.ceil(windowSeconds / bucketSeconds);
        // Reference bins, fixed from here on.
        const reference = referenceBins(model, profile, maxCategories, reason);
        this.features = reference.features;
        this.featureIndex = reference.featureIndex;
        this.prediction = reference.prediction;
        this.width = reference.width;
        this.skipped = reference.skipped;
        this.driftReason = reference.driftReason;
        this.predictionReason = reference.predictionReason;
        this.labelShift = reference.labelShift;
        this.columns = new Array(this.features.length);
        this.scratch = new Float64Array(this.width);
        const rowsPerBucket = Math.max(1, Math.ceil(this.windowRows / BUCKETS_PER_CAP));
        const capacity = ringCapacity(this.timeSlots, rowsPerBucket, this.windowRows);
        this.traffic = new BucketRing(this.width, capacity, rowsPerBucket, (n) => new Uint32Array(n), (a) => a.fill(0));
        this.labels = new BucketRing(LABEL_WIDTH, capacity, rowsPerBucket, (n) => new Float64Array(n), (a) => {
            a.fill(0);
            a[L_MIN] = Infinity;
            a[L_MAX] = -Infinity;
        });
        this.memory = new PredictionMemory(rememberRows, rememberSeconds * 1000);
    }
    /** True when feature and prediction drift are monitored. */
    get driftEnabled() {
        return this.driftReason === null;
    }
    /** Requests remembered for feedback now. */
    get rememberedRequests() {
        return this.memory.requests;
    }
    /**
     * Counts rows of a request in the window and remembers their predictions under
     * `requestId` for feedback. `table` holds the model's feature columns (as records.ts
     * builds them), `rows` the rows predicted and `predictions[i]` the prediction of
     * `rows[i]`. Never throws on data: a missing column counts as missing values.
     */
    observe(table, rows, predictions, requestId = null) {
        const n = Math.min(rows.length, predictions.length);
        if (n === 0)
            return;
        const now = this.clock();
        this.mutations++;
        const features = this.features;
        const columns = this.columns;
        for (let f = 0; f < features.length; f++) {
            const name = features[f].name;
            const at = this.featureIndex[f];
            const guess = table.columns[at];
            columns[f] = guess && guess.name === name ? guess : table.columns.find((c) => c.name === name);
        }
        const slot = Math.floor(now / this.bucketMs);
        const prediction = this.prediction;
        const classIndex = this.classIndex;
        for (let i = 0; i < n; i++) {
            const row = rows[i];
            const bucket = this.traffic.bucketFor(slot);
            this.traffic.addRow(bucket);
            const counts = this.traffic.array(bucket);
            for (let f = 0; f < features.length; f++) {
                const bins = features[f];
                const column = columns[f];
                if (bins.kind === 'numeric') {
                    const v = column ? column.numbers[row] : NaN;
                    counts[bins.offset + (v === v ? binOf(bins.edges, v) : bins.edges.length + 1)]++;
                }
                else {
                    const other = bins.categories.size;
                    let bin;
                    if (!column)
                        bin = other + 1;
                    else if (column.texts) {
                        const text = column.texts[row];
                        bin = text === null || text === undefined ? other + 1 : (bins.categories.get(text) ?? other);
                    }
                    else {
                        const v = column.numbers[row];
                        bin = v === v ? (bins.categories.get(String(v)) ?? other) : other + 1;
                    }
                    counts[bins.offset + bin]++;
                }
            }
            if (prediction) {
                const p = predictions[i];
                if (prediction.kind === 'numeric') {
                    const v = 'value' in p ? p.value : NaN;
                    counts[prediction.offset + (Number.isFinite(v) ? binOf(prediction.edges, v) : prediction.edges.length + 1)]++;
                }
                else {
                    const label = 'label' in p ? p.label : null;
                    const other = prediction.categories.size;
                    counts[prediction.offset + (label === null ? other + 1 : (prediction.categories.get(label) ?? other))]++;
                }
            }
        }
        if (requestId !== null && this.memory.capacity > 0) {
            const start = this.memory.begin(requestId, n, now);
            if (start >= 0) {
                for (let i = 0; i < n; i++) {
                    const p = predictions[i];
                    this.memory.set(start, i, 'value' in p ? p.value : (classIndex.get(p.label) ?? -1));
                }
            }
        }
    }
    /** When the prediction of request `id` was made (ms), or null when it is not remembered. */
    rememberedAt(id) {
        return this.memory.find(id, this.clock())?.time ?? null;
    }
    /**
     * True labels of the records of request `id`: one value per record in order, or
     * `{row, label}` pairs (row null: the request's only record). Labels of classifiers
     * compare as text with the classes (numbers by their canonical text: 1.0 is "1");
     * labels of regressors must be numbers.
     */
    feedback(id, labels) {
        const out = { matched: 0, unknownId: 0, invalid: 0, problems: [] };
        const now = this.clock();
        const request = this.memory.find(id, now);
        if (!request) {
            out.unknownId = labels.length;
            if (labels.length > 0)
                out.problems.push(`id ${quote(id)}: no recent prediction has this request id`);
            return out;
        }
        const problem = (message) => {
            out.invalid++;
            if (out.problems.length < MAX_PROBLEMS)
                out.problems.push(message);
        };
        labels.forEach((entry, i) => {
            const pair = entry !== null && typeof entry === 'object' ? entry : null;
            let row = pair ? pair.row : i;
            const label = pair ? pair.label : entry;
            const where = `id ${quote(id)}${row === null ? '' : `, row ${row}`}`;
            if (row === null) {
                if (request.rows !== 1)
                    return problem(`${where}: the request had ${request.rows} records; give the row of the label`);
                row = 0;
            }
            if (!(Number.isInteger(row) && row >= 0 && row < request.rows))
                return problem(`${where}: the request had ${request.rows} record${request.rows === 1 ? '' : 's'} (rows 0 to ${request.rows - 1})`);
            const parsed = this.task === 'classification' ? this.classLabel(label) : this.numericLabel(label);
            if (typeof parsed === 'string')
                return problem(`${where}: ${parsed}`);
            if (!this.memory.label(request.start, row))
                return problem(`${where}: already labelled (the first label counts)`);
            const predicted = this.memory.value(request.start, row);
            const bucket = this.labels.bucketFor(Math.floor(now / this.bucketMs));
            this.labels.addRow(bucket);
            const stats = this.labels.array(bucket);
            stats[L_ROWS]++;
            if (this.task === 'classification') {
                if (parsed.value === predicted && predicted >= 0)
                    stats[L_CORRECT]++;
            }
            else {
                const y = parsed.value;
                if (Number.isNaN(this.labelShift))
                    this.labelShift = y;
                const d = y - this.labelShift;
                stats[L_SUM] += d;
                stats[L_SUM2] += d * d;
                stats[L_RES2] += (y - predicted) ** 2;
                if (y < stats[L_MIN])
                    stats[L_MIN] = y;
                if (y > stats[L_MAX])
                    stats[L_MAX] = y;
            }
            out.matched++;
            this.mutations++;
        });
        return out;
    }
    /** A classifier's label as its class index (-1: not a class), or what is wrong with it. */
    classLabel(label) {
        let text;
        if (typeof label === 'number') {
            if (!Number.isFinite(label))
                return `the label ${label} is not a class`;
            text = String(label);
        }
        else if (typeof label === 'boolean')
            text = label ? 'true' : 'false';
        else if (typeof label === 'string') {
            const kind = this.classifier.classifyText(label);
            if (kind === values/* Kind */.b8.Null || kind === values/* Kind */.b8.NaN)
                return `the label ${quote(label)} means "missing"; leave the record out instead`;
            text =
                kind === values/* Kind */.b8.Integer || kind === values/* Kind */.b8.Number
                    ? String(this.classifier.value)
                    : kind === values/* Kind */.b8.Boolean
                        ? this.classifier.value
                            ? 'true'
                            : 'false'
                        : label;
        }
        else
            return `expected a label (a text, a number or a boolean), got ${(0,serve_records/* describeJsonType */.cc)(label)}`;
        return { value: this.classIndex.get(text) ?? -1 };
    }
    /** A regressor's label as its number, or what is wrong with it. */
    numericLabel(label) {
        if (typeof label === 'number')
            return Number.isFinite(label) ? { value: label } : `expected a finite number, got ${label}`;
        if (typeof label === 'string') {
            const kind = this.classifier.classifyText(label);
            if (kind === values/* Kind */.b8.Integer || kind === values/* Kind */.b8.Number)
                return { value: this.classifier.value };
            return `expected a number, got the text ${quote(label)}`;
        }
        return `expected a number, got ${(0,serve_records/* describeJsonType */.cc)(label)}`;
    }
    /** The window's statistics now (cached until the next row, label or bucket change). */
    snapshot() {
        const now = this.clock();
        const slot = Math.floor(now / this.bucketMs);
        const key = `${this.mutations}:${slot}`;
        if (this.cached?.key === key)
            return this.cached.snapshot;
        const snapshot = this.compute(slot);
        this.cached = { key, snapshot };
        return snapshot;
    }
    compute(slot) {
        const firstSlot = slot - this.timeSlots + 1;
        const sum = this.scratch;
        sum.fill(0);
        const width = this.width;
        const rows = this.traffic.window(firstSlot, this.windowRows, (counts) => {
            for (let j = 0; j < width; j++)
                sum[j] += counts[j];
        });
        const enoughData = rows >= this.minRows;
        let features = null;
        let driftShare = NaN;
        let prediction = null;
        if (this.driftEnabled) {
            let compared = 0;
            let drifted = 0;
            features = this.features.map((bins) => {
                const result = this.judge(bins, sum, enoughData);
                if (result.drifted !== null) {
                    compared++;
                    if (result.drifted)
                        drifted++;
                }
                const missing = sum[bins.offset + valueBins(bins)];
                return {
                    name: bins.name,
                    ...result,
                    nullShare: enoughData ? missing / rows : NaN,
                    trainingNullShare: bins.trainingNullShare,
                };
            });
            driftShare = enoughData && compared > 0 ? drifted / compared : NaN;
            if (this.prediction) {
                const { statistic, value, drifted: verdict } = this.judge(this.prediction, sum, enoughData);
                prediction = { statistic, value, drifted: verdict };
            }
        }
        return {
            version: this.version,
            windowRows: rows,
            enoughData,
            features,
            driftShare,
            prediction,
            labelled: this.labelledStats(firstSlot),
        };
    }
    /** The statistic of one bin set over the window's counts, and its verdict. */
    judge(bins, sum, enoughData) {
        const statistic = statisticOf(bins);
        const threshold = this.thresholds[statistic];
        if (!enoughData)
            return { statistic, value: NaN, drifted: null, threshold };
        const current = sum.subarray(bins.offset, bins.offset + valueBins(bins));
        const value = statistic === 'psi' ? (0,stats/* psi */.js)(bins.reference, current).statistic : (0,stats/* jensenShannon */.fy)(bins.reference, current, stats/* NATURAL_LOG */.pt).statistic;
        const drifted = Number.isNaN(value) ? null : (0,methods/* isDrift */._K)(methods/* METHODS */.J8[statistic], value, null, threshold);
        return { statistic, value, drifted, threshold };
    }
    labelledStats(firstSlot) {
        const t = new Float64Array(LABEL_WIDTH);
        t[L_MIN] = Infinity;
        t[L_MAX] = -Infinity;
        const rows = this.labels.window(firstSlot, this.windowRows, (s) => {
            for (let j = 0; j < L_MIN; j++)
                t[j] += s[j];
            if (s[L_MIN] < t[L_MIN])
                t[L_MIN] = s[L_MIN];
            if (s[L_MAX] > t[L_MAX])
                t[L_MAX] = s[L_MAX];
        });
        const enough = rows >= this.minLabelledRows;
        if (this.task === 'classification')
            return { rows, accuracy: enough ? t[L_CORRECT] / rows : NaN, r2: null };
        let r2 = NaN;
        if (enough && rows >= 2) {
            // scikit-learn's r2_score (force_finite): a constant y_true (exactly: min = max) gives 1 for perfect predictions, else 0.
            if (t[L_MIN] === t[L_MAX])
                r2 = t[L_RES2] === 0 ? 1 : 0;
            else
                r2 = 1 - t[L_RES2] / Math.max(t[L_SUM2] - (t[L_SUM] * t[L_SUM]) / rows, Number.MIN_VALUE);
        }
        return { rows, accuracy: null, r2 };
    }
    /** The monitored features, in signature order (for status pages). */
    get monitoredFeatures() {
        return this.features.map((b) => b.name);
    }
}
function quote(text) {
    return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
const FEEDBACK_RESULTS = ['matched', 'unknown_id', 'invalid'];
/** The version label of feedback that matched no served version. */
const NO_VERSION = 'none';
/**
 * The monitoring gauges and the feedback counter on a registry (create once per registry),
 * filled at scrape time from the attached monitors. Series (values NaN without a verdict):
 *
 *   mlops_serve_feature_drift{version,feature,statistic}     PSI or Jensen-Shannon
 *   mlops_serve_feature_drifted{version,feature}             1 at or over the threshold, else 0
 *   mlops_serve_feature_null_share{version,feature}          in the window
 *   mlops_serve_feature_training_null_share{version,feature}
 *   mlops_serve_drift_share{version}                         drifted share of the features
 *   mlops_serve_prediction_drift{version,statistic}
 *   mlops_serve_monitor_window_rows{version}
 *   mlops_serve_rolling_accuracy{version}                    classifiers
 *   mlops_serve_rolling_r2{version}                          regressors
 *   mlops_serve_rolling_labelled_rows{version}
 *   mlops_serve_feedback_total{version,result}               counter; version "none" for unknown ids
 *
 * Feature and prediction series exist only for monitors with drift on. Label values are
 * escaped by prom-client; a version label holds no comma, so prom-client's series keys
 * (label values joined with commas) stay distinct whatever a feature's name.
 */
class MonitorMetrics {
    attached = new Map();
    feedbackCounter;
    constructor(registry) {
        const snapshots = () => [...this.attached.values()].map((m) => m.snapshot());
        const gauge = (name, help, labelNames, fill) => new prom_client.Gauge({
            name,
            help,
            labelNames,
            registers: [registry],
            collect() {
                this.reset();
                for (const s of snapshots())
                    fill(this, s);
            },
        });
        gauge('mlops_serve_feature_drift', 'Drift of a feature over the monitoring window against the training profile: PSI (number features) or Jensen-Shannon distance, natural log (text features); NaN without enough data.', ['version', 'feature', 'statistic'], (g, s) => s.features?.forEach((f) => g.set({ version: s.version, feature: f.name, statistic: f.statistic }, f.value)));
        gauge('mlops_serve_feature_drifted', 'Whether a feature drifted (1: its statistic is at or over its threshold, 0: not; NaN without enough data).', ['version', 'feature'], (g, s) => s.features?.forEach((f) => g.set({ version: s.version, feature: f.name }, f.drifted === null ? NaN : f.drifted ? 1 : 0)));
        gauge('mlops_serve_feature_null_share', 'Share of missing values of a feature in the monitoring window (NaN without enough data).', ['version', 'feature'], (g, s) => s.features?.forEach((f) => g.set({ version: s.version, feature: f.name }, f.nullShare)));
        gauge('mlops_serve_feature_training_null_share', 'Share of missing values of a feature in the training data (null, NaN and infinite cells).', ['version', 'feature'], (g, s) => s.features?.forEach((f) => g.set({ version: s.version, feature: f.name }, f.trainingNullShare)));
        gauge('mlops_serve_drift_share', 'Share of the monitored features that drifted in the monitoring window (NaN without enough data).', ['version'], (g, s) => {
            if (s.features)
                g.set({ version: s.version }, s.driftShare);
        });
        gauge('mlops_serve_prediction_drift', "Drift of the model's predictions against its predictions on the training rows: Jensen-Shannon distance over the classes, or PSI (regression); NaN without enough data.", ['version', 'statistic'], (g, s) => {
            if (s.prediction)
                g.set({ version: s.version, statistic: s.prediction.statistic }, s.prediction.value);
        });
        gauge('mlops_serve_monitor_window_rows', 'Rows in the monitoring window.', ['version'], (g, s) => g.set({ version: s.version }, s.windowRows));
        gauge('mlops_serve_rolling_accuracy', 'Accuracy of the predictions labelled by feedback in the window (classifiers; NaN below the minimum of labelled rows).', ['version'], (g, s) => {
            if (s.labelled.accuracy !== null)
                g.set({ version: s.version }, s.labelled.accuracy);
        });
        gauge('mlops_serve_rolling_r2', 'R² of the predictions labelled by feedback in the window (regressors; NaN below the minimum of labelled rows).', ['version'], (g, s) => {
            if (s.labelled.r2 !== null)
                g.set({ version: s.version }, s.labelled.r2);
        });
        gauge('mlops_serve_rolling_labelled_rows', 'Rows labelled by feedback in the window.', ['version'], (g, s) => g.set({ version: s.version }, s.labelled.rows));
        this.feedbackCounter = new prom_client.Counter({
            name: 'mlops_serve_feedback_total',
            help: 'Labels received as feedback, by model version and result: matched (joined to a prediction), unknown_id (no recent prediction has the id; version "none"), invalid.',
            labelNames: ['version', 'result'],
            registers: [registry],
        });
        this.feedbackCounter.inc({ version: NO_VERSION, result: 'unknown_id' }, 0);
    }
    /** Serves the monitor's series from the next scrape on; replaces a monitor of the same version label. */
    attach(monitor) {
        this.attached.set(monitor.version, monitor);
        this.feedbackCounter.inc({ version: monitor.version, result: 'matched' }, 0);
        this.feedbackCounter.inc({ version: monitor.version, result: 'invalid' }, 0);
    }
    /** Removes a version's monitor and every series of it (a swapped-out version). */
    detach(monitor) {
        const version = typeof monitor === 'string' ? monitor : monitor.version;
        if (typeof monitor !== 'string' && this.attached.get(version) !== monitor)
            return;
        this.attached.delete(version);
        for (const result of FEEDBACK_RESULTS)
            this.feedbackCounter.remove({ version, result });
    }
    get monitors() {
        return [...this.attached.values()];
    }
    /**
     * Joins labels (parseFeedback's items) to the attached monitors by request id (the
     * monitor with the most recent prediction of that id) and counts the results.
     */
    feedback(items) {
        const byId = new Map();
        for (const item of items) {
            let list = byId.get(item.id);
            if (!list)
                byId.set(item.id, (list = []));
            list.push({ row: item.row, label: item.label });
        }
        const total = { matched: 0, unknownId: 0, invalid: 0, problems: [] };
        for (const [id, labels] of byId) {
            let best = null;
            let bestTime = -Infinity;
            for (const monitor of this.attached.values()) {
                const time = monitor.rememberedAt(id);
                if (time !== null && time > bestTime) {
                    best = monitor;
                    bestTime = time;
                }
            }
            let outcome;
            if (best)
                outcome = best.feedback(id, labels);
            else
                outcome = {
                    matched: 0,
                    unknownId: labels.length,
                    invalid: 0,
                    problems: [`id ${quote(id)}: no recent prediction has this request id`],
                };
            const version = best?.version ?? NO_VERSION;
            if (outcome.matched > 0)
                this.feedbackCounter.inc({ version, result: 'matched' }, outcome.matched);
            if (outcome.invalid > 0)
                this.feedbackCounter.inc({ version, result: 'invalid' }, outcome.invalid);
            if (outcome.unknownId > 0)
                this.feedbackCounter.inc({ version: NO_VERSION, result: 'unknown_id' }, outcome.unknownId);
            total.matched += outcome.matched;
            total.unknownId += outcome.unknownId;
            total.invalid += outcome.invalid;
            for (const p of outcome.problems)
                if (total.problems.length < MAX_PROBLEMS)
                    total.problems.push(p);
        }
        return total;
    }
}
// ---------------------------------------------------------------------------------------------
// Feedback bodies
const JSON_TYPES = new Set(['application/json', 'text/json']);
const JSONL_TYPES = new Set([
    'application/x-ndjson',
    'application/jsonl',
    'application/x-jsonlines',
    'application/jsonlines',
    'application/json-lines',
]);
const CSV_TYPES = new Set(['text/csv', 'application/csv']);
const TSV_TYPES = new Set(['text/tab-separated-values']);
/** Collects the labels of a body and what is wrong with its entries. */
class FeedbackSink {
    maxItems;
    items = [];
    problems = [];
    problemCount = 0;
    constructor(maxItems) {
        this.maxItems = maxItems;
    }
    problem(message) {
        this.problemCount++;
        if (this.problems.length < MAX_PROBLEMS)
            this.problems.push(message);
    }
    add(item) {
        if (this.items.length >= this.maxItems)
            throw new decode/* HttpError */.j$(413, `more than ${this.maxItems} labels in one feedback body; send them in several requests`);
        this.items.push(item);
    }
    result() {
        if (this.problemCount > 0) {
            const more = this.problemCount > this.problems.length ? `; and ${this.problemCount - this.problems.length} more` : '';
            throw new decode/* HttpError */.j$(400, `${this.problemCount} malformed feedback ${this.problemCount === 1 ? 'entry' : 'entries'}: ${this.problems.join('; ')}${more}`);
        }
        if (this.items.length === 0)
            throw new decode/* HttpError */.j$(400, 'the feedback holds no labels');
        return this.items;
    }
}
/** A request id, or what is wrong with it. */
function checkId(value) {
    if (typeof value !== 'string')
        return `expected the request id as a text, got ${(0,serve_records/* describeJsonType */.cc)(value)}`;
    if (value.length === 0)
        return 'the request id is empty';
    if (value.length > MAX_ID_LENGTH)
        return `the request id has ${value.length} characters, more than ${MAX_ID_LENGTH}`;
    return null;
}
/** A label value, or what is wrong with it. */
function checkLabel(value) {
    if (value === null || value === undefined)
        return 'a label is required (leave out records without one)';
    if (typeof value === 'string') {
        if (value.length === 0)
            return 'the label is empty';
        if (value.length > MAX_LABEL_LENGTH)
            return `the label has ${value.length} characters, more than ${MAX_LABEL_LENGTH}`;
        return null;
    }
    if (typeof value === 'number' || typeof value === 'boolean')
        return null;
    return `expected a label (a text, a number or a boolean), got ${(0,serve_records/* describeJsonType */.cc)(value)}`;
}
/** A row number, or what is wrong with it. */
function checkRow(value) {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
        return null;
    return `expected the record's index in its request (a whole number from 0), got ${typeof value === 'number' ? value : (0,serve_records/* describeJsonType */.cc)(value)}`;
}
const has = (o, key) => Object.prototype.hasOwnProperty.call(o, key);
/**
 * One feedback entry ({id, labels} or {id, label, row?}) into the sink. `at(field)` names a
 * field of the entry in messages (`feedback[2].labels[0]`, `line 4, "label"`).
 */
function readEntry(entry, where, at, sink) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        sink.problem(`${where}: expected an object with "id" and "labels" (or "label"), got ${(0,serve_records/* describeJsonType */.cc)(entry)}`);
        return;
    }
    const e = entry;
    const idProblem = has(e, 'id') ? checkId(e.id) : 'the request id is missing';
    if (idProblem)
        sink.problem(`${at('id')}: ${idProblem}`);
    const hasLabels = has(e, 'labels');
    const hasLabel = has(e, 'label');
    if (hasLabels === hasLabel) {
        sink.problem(hasLabels
            ? `${where}: give "labels" or "label", not both`
            : `${where}: "labels" (one per record of the request, in order) or "label" (with "row") is missing`);
        return;
    }
    if (hasLabels) {
        if (has(e, 'row'))
            sink.problem(`${at('row')}: "row" goes with "label"; "labels" give every record in order`);
        if (!Array.isArray(e.labels) || e.labels.length === 0) {
            sink.problem(`${at('labels')}: expected a non-empty array of labels, got ${Array.isArray(e.labels) ? 'an empty array' : (0,serve_records/* describeJsonType */.cc)(e.labels)}`);
            return;
        }
        e.labels.forEach((label, i) => {
            const problem = checkLabel(label);
            if (problem)
                sink.problem(`${at(`labels`)}[${i}]: ${problem}`);
            else if (!idProblem)
                sink.add({ id: e.id, row: i, label: label });
        });
        return;
    }
    const labelProblem = checkLabel(e.label);
    if (labelProblem)
        sink.problem(`${at('label')}: ${labelProblem}`);
    const row = has(e, 'row') && e.row !== null ? e.row : null;
    const rowProblem = row === null ? null : checkRow(row);
    if (rowProblem)
        sink.problem(`${at('row')}: ${rowProblem}`);
    if (!idProblem && !labelProblem && !rowProblem)
        sink.add({ id: e.id, row: row, label: e.label });
}
function jsonFeedback(body, sink) {
    if (body === null || typeof body !== 'object' || Array.isArray(body))
        throw new decode/* HttpError */.j$(400, `the feedback must be a JSON object {"id": ..., "labels": [...]} or {"feedback": [...]}, got ${(0,serve_records/* describeJsonType */.cc)(body)}`);
    const b = body;
    if (has(b, 'feedback')) {
        if (!Array.isArray(b.feedback))
            throw new decode/* HttpError */.j$(400, `feedback: expected an array of entries, got ${(0,serve_records/* describeJsonType */.cc)(b.feedback)}`);
        b.feedback.forEach((entry, i) => readEntry(entry, `feedback[${i}]`, (field) => `feedback[${i}].${field}`, sink));
        return;
    }
    readEntry(b, 'the feedback', (field) => field, sink);
}
function jsonLinesFeedback(text, sink) {
    const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
    lines.forEach((raw, i) => {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (line.trim() === '')
            return;
        let value;
        try {
            value = JSON.parse(line);
        }
        catch (error) {
            sink.problem(`line ${i + 1}: not valid JSON (${error.message.slice(0, 120)})`);
            return;
        }
        readEntry(value, `line ${i + 1}`, (field) => `line ${i + 1}, "${field}"`, sink);
    });
}
/** A labels file: a header with `id`, `label` and optionally `row` (other columns are ignored), a label per line. */
function delimitedFeedback(buf, delimiter, sink) {
    let start = 0;
    if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
        start = 3;
    let header = null;
    let idAt = -1;
    let labelAt = -1;
    let rowAt = -1;
    const tokenizer = new delimited/* DelimitedTokenizer */.N0(delimiter);
    tokenizer.tokenize(buf, start, buf.length, true, {
        record(b, starts, ends, flags, count, line) {
            const fields = [];
            for (let i = 0; i < count; i++) {
                const text = b.toString('utf8', starts[i], ends[i]);
                fields.push(flags[i] & delimited/* FIELD_ESCAPED_QUOTES */.RP ? (0,delimited/* unescapeQuotes */.E9)(text) : text);
            }
            if (count === 1 && fields[0] === '' && !(flags[0] & delimited/* FIELD_QUOTED */.uU))
                return; // a blank line
            let malformed = -1;
            for (let i = 0; i < count; i++)
                if (flags[i] & (delimited/* FIELD_MALFORMED */.bL | delimited/* FIELD_UNTERMINATED */.ok))
                    malformed = i;
            if (!header) {
                header = fields.map((f) => f.trim());
                idAt = header.indexOf('id');
                labelAt = header.indexOf('label');
                rowAt = header.indexOf('row');
                if (idAt < 0 || labelAt < 0)
                    throw new decode/* HttpError */.j$(400, `line ${line}: the header of a labels file needs the columns "id" and "label" (and "row" for requests of several records); got ${header.map((h) => JSON.stringify(h)).join(', ')}`);
                return;
            }
            if (malformed >= 0) {
                sink.problem(`line ${line}, column "${header[malformed] ?? malformed + 1}": a quote is not closed, or text follows a closing quote`);
                return;
            }
            const id = fields[idAt] ?? '';
            const label = fields[labelAt] ?? '';
            const rowText = rowAt >= 0 ? (fields[rowAt] ?? '').trim() : '';
            const idProblem = checkId(id);
            if (idProblem)
                sink.problem(`line ${line}, column "id": ${idProblem}`);
            const labelProblem = checkLabel(label);
            if (labelProblem)
                sink.problem(`line ${line}, column "label": ${labelProblem}`);
            let row = null;
            if (rowText !== '') {
                row = /^\d{1,15}$/.test(rowText) ? Number(rowText) : NaN;
                if (Number.isNaN(row))
                    sink.problem(`line ${line}, column "row": expected a whole number from 0, got ${quote(rowText)}`);
            }
            if (!idProblem && !labelProblem && !Number.isNaN(row))
                sink.add({ id, row, label });
        },
    });
    if (!header)
        throw new decode/* HttpError */.j$(400, 'the labels file is empty: give a header with "id" and "label", then a label per line');
}
const utf8 = new TextDecoder('utf-8', { fatal: true });
/**
 * A feedback body into labels. `body` is the raw Buffer (read by `content-type`: JSON
 * when absent) or an already parsed JSON value. JSON: `{"id": "...", "labels": [...]}` (one
 * label per record of the request, in order) or `{"feedback": [{"id", "labels"} | {"id",
 * "label", "row"?}, ...]}`. JSON Lines: one such entry per line. CSV/TSV: a labels file with
 * the columns `id`, `label` and optional `row` (a labels file joined on the request id).
 * Throws HttpError 400 listing the malformed entries (entry or line, and field), 413 past
 * `maxItems` labels, 415 for another content type.
 */
function parseFeedback(body, contentType, options = {}) {
    const sink = new FeedbackSink(options.maxItems ?? MAX_FEEDBACK_ITEMS);
    if (!Buffer.isBuffer(body)) {
        jsonFeedback(body, sink);
        return sink.result();
    }
    const media = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (media === '' || JSON_TYPES.has(media)) {
        jsonFeedback((0,http/* parseJsonBody */.Y2)(body), sink);
        return sink.result();
    }
    const delimiter = CSV_TYPES.has(media) ? 44 : TSV_TYPES.has(media) ? 9 : -1;
    if (delimiter < 0 && !JSONL_TYPES.has(media))
        throw new decode/* HttpError */.j$(415, `feedback in ${JSON.stringify(media)} is not supported: send application/json, application/x-ndjson (JSON Lines) or text/csv (a labels file with id, label and row)`);
    if (body.length === 0)
        throw new decode/* HttpError */.j$(400, 'the request has no body: send the labels');
    let text;
    try {
        text = utf8.decode(body);
    }
    catch {
        throw new decode/* HttpError */.j$(400, 'the body is not valid UTF-8');
    }
    if (delimiter < 0)
        jsonLinesFeedback(text, sink);
    else
        delimitedFeedback(body, delimiter, sink);
    return sink.result();
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
 *
 * Bounded whatever clients send: a request's records are sampled (`sample`), at most
 * `maxRowsPerRequest` of them are written (a 10,000-row batch would otherwise outweigh
 * every other client in what drift-check reads), and a text value longer than
 * `maxValueChars` is cut and marked (the value ends in "…", and `_cut` lists the
 * fields cut). Records not written for the cap or a full queue are counted by reason
 * (`onDrop`, which the server turns into a Prometheus counter and a warning line).
 */



const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
const DEFAULT_LOG_KEEP = 5;
const DEFAULT_LOG_MAX_ROWS_PER_REQUEST = 1000;
const DEFAULT_LOG_MAX_VALUE_CHARS = 1000;
/** The key listing the fields whose text was cut. */
const CUT_KEY = '_cut';
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
    /** Records sampled but not written because their request had more than maxRowsPerRequest. */
    droppedByCap = 0;
    maxRowsPerRequest;
    maxValueChars;
    /** Told of records dropped (the server counts them in a metric and warns). */
    onDrop;
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
        this.maxRowsPerRequest = options.maxRowsPerRequest ?? DEFAULT_LOG_MAX_ROWS_PER_REQUEST;
        this.maxValueChars = options.maxValueChars ?? DEFAULT_LOG_MAX_VALUE_CHARS;
        this.onDrop = options.onDrop ?? null;
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
    /**
     * Logs the records of one request: `entry(i)` builds record i's entry (a flat object);
     * sampling and the per-request cap decide which are built at all.
     */
    writeRequest(records, entry) {
        if (this.closed)
            return;
        let written = 0;
        let capped = 0;
        for (let i = 0; i < records; i++) {
            if (!this.sampled())
                continue;
            if (written >= this.maxRowsPerRequest) {
                capped++;
                continue;
            }
            written++;
            this.write(entry(i));
        }
        if (capped > 0) {
            this.droppedByCap += capped;
            this.onDrop?.('request_cap', capped);
        }
    }
    /** Queues one entry (already sampled); never blocks. Long texts are cut (see the header). */
    write(entry) {
        if (this.closed)
            return;
        let cut = null;
        for (const key of Object.keys(entry)) {
            const value = entry[key];
            if (typeof value === 'string' && value.length > this.maxValueChars) {
                entry[key] = `${value.slice(0, this.maxValueChars)}…`;
                (cut ??= []).push(key);
            }
        }
        if (cut)
            entry[CUT_KEY] = cut;
        const line = `${JSON.stringify(entry)}\n`;
        if (this.pendingBytes + line.length > this.maxPendingBytes) {
            this.dropped++;
            this.onDrop?.('queue_full', 1);
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
// EXTERNAL MODULE: ./src/core/serve/auth.ts
var auth = __webpack_require__(99841);
;// CONCATENATED MODULE: ./src/core/serve/binary.ts
/**
 * The Open Inference Protocol's binary tensor data extension over HTTP/REST, as Triton
 * defines it (extension "binary_tensor_data", triton-inference-server/server
 * docs/protocol/extension_binary_data.md) and as its Python client speaks it
 * (tritonclient.http, which sends every input and asks for every output in binary unless
 * told otherwise). Pure functions; the server wires them to the request and the answer.
 *
 * A request body is the JSON inference request followed by raw tensor bytes. The
 * `Inference-Header-Content-Length` header gives the JSON's length in bytes; an input
 * whose `parameters` carry `binary_data_size: N` has no `data`, its N bytes follow the JSON,
 * in the order the inputs are listed, with nothing after the last. Elements are
 * little-endian, row major, unpadded, in the datatype's native size: BOOL one byte (0 or
 * 1), FP16 an IEEE half, BYTES a 4-byte little-endian length and then that many bytes.
 * An answer uses the same layout: an output is sent in binary when the request's output
 * entry says `parameters.binary_data: true`, or when it says nothing and the request's
 * `parameters.binary_data_output` is true (an entry's `binary_data` wins either way). That
 * is the extension's wording and KServe's; Triton's own server ignores
 * `binary_data_output` for an output the request lists without `binary_data`. The
 * Python client always sets one or the other, so both readings answer it alike.
 *
 * - `decodeBinaryRequest(raw, header)`: the JSON request with every binary input's bytes
 *   turned into the `data` array the JSON protocol carries (numbers, booleans, texts) and
 *   `binary_data_size` removed, ready for `decodeOip`. Without the header the body is
 *   plain JSON, and an input that declares `binary_data_size` is refused.
 * - `binaryOutputsWanted(request)`: which outputs the client wants in binary.
 * - `encodeBinaryResponse(response, wanted)`: the answer's body, header length and
 *   headers (`Content-Type: application/octet-stream` and the header length, as Triton
 *   answers), or null when every output goes as JSON.
 *
 * Where we differ from Triton, so a request means one thing: BYTES elements must
 * be UTF-8 text (the model takes texts); a BOOL byte other than 0 or 1, an INT64 or
 * UINT64 beyond ±(2^53 − 1) (a JSON number cannot hold it exactly) and an infinite float
 * are refused; a float NaN becomes null, the JSON protocol's missing value, imputed like
 * any other missing value. Every refusal is a 400 that names the input and says what to
 * change. The header length, the sizes and the shapes are untrusted: nothing is
 * allocated from a declared size before it has been checked against the bytes present.
 */



/** The request and answer header giving the JSON's length in bytes (lower case, as Node reads headers). */
const INFERENCE_HEADER = 'inference-header-content-length';
/** The Content-Type of a body carrying binary tensors, request or answer (Triton's). */
const BINARY_CONTENT_TYPE = 'application/octet-stream';
/** A value a binary element cannot be, and why. */
class Refused {
    why;
    constructor(why) {
        this.why = why;
    }
}
const MAX_EXACT = Number.MAX_SAFE_INTEGER;
const MAX_EXACT_BIG = BigInt(MAX_EXACT);
/** A whole-number datatype of 1, 2 or 4 bytes. */
function integer(bytes, signed) {
    const bits = bytes * 8;
    const min = signed ? -(2 ** (bits - 1)) : 0;
    const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    return {
        bytes,
        read: (buf, at) => (signed ? buf.readIntLE(at, bytes) : buf.readUIntLE(at, bytes)),
        write(buf, at, value) {
            if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
                return false;
            if (signed)
                buf.writeIntLE(value, at, bytes);
            else
                buf.writeUIntLE(value, at, bytes);
            return true;
        },
    };
}
function integer64(signed) {
    const min = signed ? -(2n ** 63n) : 0n;
    const max = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
    return {
        bytes: 8,
        read(buf, at) {
            const value = signed ? buf.readBigInt64LE(at) : buf.readBigUInt64LE(at);
            if (value > MAX_EXACT_BIG || value < -MAX_EXACT_BIG)
                return new Refused(`${value}, beyond ±${MAX_EXACT}, the whole numbers a JSON request carries exactly; send such values as FP64 or as BYTES text`);
            return Number(value);
        },
        write(buf, at, value) {
            let big;
            if (typeof value === 'bigint')
                big = value;
            else if (typeof value === 'number' && Number.isInteger(value))
                big = BigInt(value);
            else
                return false;
            if (big < min || big > max)
                return false;
            if (signed)
                buf.writeBigInt64LE(big, at);
            else
                buf.writeBigUInt64LE(big, at);
            return true;
        },
    };
}
/** A float as the JSON protocol carries it: NaN is a missing value (null); infinities are refused. */
function finite(value) {
    if (Number.isNaN(value))
        return null;
    if (!Number.isFinite(value))
        return new Refused(`${value}, which the model cannot take; send finite numbers (NaN is taken as a missing value)`);
    return value;
}
/** A float datatype: FP16 (an IEEE half), FP32 or FP64. */
function binary_float(bytes) {
    const read = (buf, at) => bytes === 2 ? halfToNumber(buf.readUInt16LE(at)) : bytes === 4 ? buf.readFloatLE(at) : buf.readDoubleLE(at);
    return {
        bytes,
        read: (buf, at) => finite(read(buf, at)),
        write(buf, at, value) {
            if (typeof value !== 'number')
                return false;
            if (bytes === 2)
                buf.writeUInt16LE(numberToHalf(value), at);
            else if (bytes === 4)
                buf.writeFloatLE(value, at);
            else
                buf.writeDoubleLE(value, at);
            return true;
        },
    };
}
/** An IEEE 754 half (binary16) from its bits. */
function halfToNumber(bits) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const fraction = bits & 0x3ff;
    if (exponent === 0)
        return sign * fraction * 2 ** -24;
    if (exponent === 0x1f)
        return fraction === 0 ? sign * Infinity : NaN;
    return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
/** The bits of the IEEE 754 half nearest to `value` (ties to even; beyond 65504 rounds to infinity as IEEE does). */
function numberToHalf(value) {
    if (Number.isNaN(value))
        return 0x7e00;
    const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
    const a = Math.abs(value);
    if (a >= 65520)
        return sign | 0x7c00;
    // Subnormal: a multiple of 2^-24 (a result of 1024 is the smallest normal, 0x0400).
    if (a < 2 ** -14)
        return sign | roundHalfEven(a * 2 ** 24);
    let exponent = Math.floor(Math.log2(a));
    if (2 ** exponent > a)
        exponent--;
    else if (2 ** (exponent + 1) <= a)
        exponent++;
    let fraction = roundHalfEven((a / 2 ** exponent - 1) * 1024);
    if (fraction === 1024) {
        fraction = 0;
        exponent++;
    }
    return sign | ((exponent + 15) << 10) | fraction;
}
function roundHalfEven(x) {
    const floor = Math.floor(x);
    const rest = x - floor;
    if (rest > 0.5)
        return floor + 1;
    if (rest < 0.5)
        return floor;
    return floor % 2 === 0 ? floor : floor + 1;
}
/** Every datatype but BYTES, by name: its element size and how to read and write one element. */
const FIXED = {
    BOOL: {
        bytes: 1,
        read(buf, at) {
            const byte = buf[at];
            if (byte === 0 || byte === 1)
                return byte === 1;
            return new Refused(`the byte ${byte}; a BOOL is one byte, 0 (false) or 1 (true)`);
        },
        write(buf, at, value) {
            if (typeof value !== 'boolean')
                return false;
            buf[at] = value ? 1 : 0;
            return true;
        },
    },
    UINT8: integer(1, false),
    UINT16: integer(2, false),
    UINT32: integer(4, false),
    UINT64: integer64(false),
    INT8: integer(1, true),
    INT16: integer(2, true),
    INT32: integer(4, true),
    INT64: integer64(true),
    FP16: binary_float(2),
    FP32: binary_float(4),
    FP64: binary_float(8),
};
const DATATYPES = [...Object.keys(FIXED), 'BYTES'];
function isDatatype(value) {
    return typeof value === 'string' && DATATYPES.includes(value);
}
/** Strict UTF-8 that keeps a leading U+FEFF as text (it is part of an element, not a byte order mark). */
const utf8Element = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const binary_utf8 = new TextDecoder('utf-8', { fatal: true });
function bad(message) {
    return new decode/* HttpError */.j$(400, message);
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const binary_has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
function binary_short(value) {
    let text;
    try {
        text = JSON.stringify(value) ?? String(value);
    }
    catch {
        text = (0,serve_records/* describeJsonType */.cc)(value);
    }
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
/** How messages name input `i`: `inputs[2] (age)`. */
function inputLabel(i, name) {
    return typeof name === 'string' ? `inputs[${i}] (${name.length > 60 ? `${name.slice(0, 60)}…` : name})` : `inputs[${i}]`;
}
/** Whole numbers ≥ 0 that a JSON number holds exactly. */
function isCount(value) {
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
/** The element count of a shape, as a double: exact up to 2^53, Infinity or inexact beyond (never NaN). */
function elementCount(shape) {
    if (shape.includes(0))
        return 0;
    return shape.reduce((product, d) => product * d, 1);
}
function describeCount(count) {
    return count <= MAX_EXACT ? String(count) : `more than ${MAX_EXACT}`;
}
/** The JSON's length from the header: a whole number of bytes, at least 1 and at most the body. */
function headerBytes(header, bodyLength) {
    if (Array.isArray(header))
        throw bad(`Inference-Header-Content-Length is given ${header.length} times; give it once, the length in bytes of the JSON request at the start of the body`);
    const text = String(header);
    const length = typeof header === 'number' ? header : /^[0-9]+$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(length) || length < 0)
        throw bad(`Inference-Header-Content-Length must be the length in bytes of the JSON request at the start of the body (a whole number), got ${binary_short(text)}`);
    if (length === 0)
        throw bad('Inference-Header-Content-Length is 0, but the body must start with the JSON inference request; give the length of that JSON in bytes');
    if (length > bodyLength)
        throw bad(`Inference-Header-Content-Length is ${text}, but the body has only ${bodyLength} bytes; it must give the length in bytes of the JSON request at the start of the body`);
    return length;
}
/** The JSON request at the start of a binary body, which must be an object. */
function parseHeader(bytes) {
    const where = `the JSON request (the first ${bytes.length} bytes of the body, per Inference-Header-Content-Length)`;
    let text;
    try {
        text = binary_utf8.decode(bytes);
    }
    catch {
        throw bad(`${where} is not valid UTF-8; is Inference-Header-Content-Length the length of the JSON alone, in bytes?`);
    }
    let request;
    try {
        request = JSON.parse(text);
    }
    catch (error) {
        const message = error instanceof RangeError ? 'it is nested too deeply' : error.message.slice(0, 200);
        throw bad(`${where} is not valid JSON (${message}); is Inference-Header-Content-Length the length of the JSON alone, in bytes?`);
    }
    if (!isObject(request))
        throw bad(`${where} must be a JSON object with "inputs", got ${(0,serve_records/* describeJsonType */.cc)(request)}`);
    return request;
}
/** The inputs that declare `binary_data_size`, in order, each checked on its own (throws naming the first at fault). */
function declaredInputs(request) {
    const inputs = request.inputs;
    if (!Array.isArray(inputs))
        throw bad(`inputs: expected an array of tensors, got ${(0,serve_records/* describeJsonType */.cc)(inputs)}`);
    const declared = [];
    inputs.forEach((input, i) => {
        if (!isObject(input))
            throw bad(`inputs[${i}]: expected a tensor object {name, shape, datatype, data or parameters}, got ${(0,serve_records/* describeJsonType */.cc)(input)}`);
        const parameters = input.parameters;
        if (parameters === undefined)
            return;
        const label = inputLabel(i, input.name);
        if (!isObject(parameters))
            throw bad(`${label}: parameters must be an object, got ${(0,serve_records/* describeJsonType */.cc)(parameters)}`);
        if (!binary_has(parameters, 'binary_data_size'))
            return;
        const size = parameters.binary_data_size;
        if (!isCount(size))
            throw bad(`${label}: parameters.binary_data_size must be the tensor's length in bytes (a whole number ≥ 0), got ${binary_short(size)}`);
        if (binary_has(input, 'data'))
            throw bad(`${label}: gives both "data" and parameters.binary_data_size; send the tensor once, in "data" (JSON) or as binary_data_size bytes after the JSON request`);
        const datatype = input.datatype;
        if (!isDatatype(datatype))
            throw bad(`${label}: datatype must be one of ${DATATYPES.join(', ')}, got ${binary_short(datatype)}`);
        const shape = input.shape;
        if (!Array.isArray(shape) || !shape.every(isCount))
            throw bad(`${label}: shape must be an array of whole numbers ≥ 0, got ${binary_short(shape)}`);
        declared.push({ input, parameters, label, size, datatype, shape: shape });
    });
    return declared;
}
/** One binary input's bytes as a `data` array; throws naming the input and element at fault. */
function readTensor(bytes, tensor) {
    const { label, datatype, shape } = tensor;
    const count = elementCount(shape);
    const shapeText = binary_short(shape);
    if (datatype === 'BYTES')
        return readTexts(bytes, count, label, shapeText);
    const { bytes: width, read } = FIXED[datatype];
    if (bytes.length % width !== 0)
        throw bad(`${label}: binary_data_size ${bytes.length} is not a multiple of ${width}, the size of one ${datatype} value`);
    const values = bytes.length / width;
    if (count !== values)
        throw bad(`${label}: its ${bytes.length} bytes hold ${values} ${datatype} values, but the shape ${shapeText} needs ${describeCount(count)}`);
    const data = new Array(values);
    for (let j = 0; j < values; j++) {
        const value = read(bytes, j * width);
        if (value instanceof Refused)
            throw bad(`${label}: value ${j} is ${value.why}`);
        data[j] = value;
    }
    return data;
}
/** BYTES elements (a 4-byte little-endian length, then the bytes) as UTF-8 texts. */
function readTexts(bytes, count, label, shapeText) {
    // Every element takes at least its 4-byte length: a shape needing more cannot fit, whatever it claims.
    if (count > bytes.length / 4)
        throw bad(`${label}: the shape ${shapeText} needs ${describeCount(count)} BYTES elements, each a 4-byte length and then its bytes, but binary_data_size is only ${bytes.length} bytes`);
    const texts = new Array(count);
    let at = 0;
    for (let j = 0; j < count; j++) {
        if (bytes.length - at < 4)
            throw bad(`${label}: its ${bytes.length} bytes end after ${j} of the ${count} elements the shape ${shapeText} needs (element ${j}'s 4-byte length is cut off)`);
        const length = bytes.readUInt32LE(at);
        at += 4;
        if (length > bytes.length - at)
            throw bad(`${label}: element ${j} gives its length as ${length} bytes, but only ${bytes.length - at} of the input's ${bytes.length} bytes are left; each BYTES element is a 4-byte little-endian length and then that many bytes`);
        try {
            texts[j] = utf8Element.decode(bytes.subarray(at, at + length));
        }
        catch {
            throw bad(`${label}: element ${j} is not valid UTF-8; this server takes BYTES as UTF-8 text`);
        }
        at += length;
    }
    if (at !== bytes.length)
        throw bad(`${label}: ${bytes.length - at} bytes are left after the ${count} elements of the shape ${shapeText}; binary_data_size must cover exactly those elements`);
    return texts;
}
/**
 * Splits an OIP request body into the JSON request and its binary tensors. `header` is the
 * Inference-Header-Content-Length header as Node gives it (or a number); without it the body
 * is plain JSON (read as `parseJsonBody` reads it) and may declare no binary input. Returns the
 * request with each binary input's `data` filled in, in the order the inputs are listed, and
 * `binary_data_size` removed (its `parameters` too when nothing else is left), for `decodeOip`.
 * Throws a 400 HttpError that says what is wrong.
 */
function decodeBinaryRequest(raw, header) {
    if (header === undefined) {
        const body = (0,http/* parseJsonBody */.Y2)(raw);
        const inputs = isObject(body) && Array.isArray(body.inputs) ? body.inputs : [];
        inputs.forEach((input, i) => {
            if (isObject(input) && isObject(input.parameters) && binary_has(input.parameters, 'binary_data_size'))
                throw bad(`${inputLabel(i, input.name)}: parameters.binary_data_size says its bytes follow the JSON, but the request has no Inference-Header-Content-Length header; send that header with the JSON's length in bytes, or send the values in "data"`);
        });
        return body;
    }
    const length = headerBytes(header, raw.length);
    const request = parseHeader(raw.subarray(0, length));
    const declared = declaredInputs(request);
    const after = raw.length - length;
    // Checked before anything is read: the declared sizes must account for every byte present.
    const total = declared.reduce((sum, d) => sum + d.size, 0);
    if (total !== after) {
        const sizes = declared.length
            ? `(${declared
                .slice(0, 10)
                .map((d) => `${d.label}: ${d.size}`)
                .join(', ')}${declared.length > 10 ? ', …' : ''})`
            : '(no input has parameters.binary_data_size)';
        throw bad(`the body has ${after} bytes after the JSON request; the inputs declare ${describeCount(total)} in parameters.binary_data_size ${sizes}. Each binary input's bytes follow the JSON in the order the inputs are listed, with nothing after the last`);
    }
    let at = length;
    for (const tensor of declared) {
        const data = readTensor(raw.subarray(at, at + tensor.size), tensor);
        at += tensor.size;
        delete tensor.parameters.binary_data_size;
        if (Object.keys(tensor.parameters).length === 0)
            delete tensor.input.parameters;
        tensor.input.data = data;
    }
    return request;
}
/**
 * Which outputs the client wants in binary (see the header): an output entry's
 * `parameters.binary_data`, else the request's `parameters.binary_data_output`, else JSON.
 * Works on a plain JSON request too (a JSON request may ask for a binary answer). Throws a
 * 400 when one of those parameters is not true or false; call it before the model runs.
 */
function binaryOutputsWanted(request) {
    if (!isObject(request))
        return () => false;
    let all = false;
    const parameters = request.parameters;
    if (parameters !== undefined) {
        if (!isObject(parameters))
            throw bad(`parameters: expected an object, got ${(0,serve_records/* describeJsonType */.cc)(parameters)}`);
        if (binary_has(parameters, 'binary_data_output')) {
            const value = parameters.binary_data_output;
            if (typeof value !== 'boolean')
                throw bad(`parameters.binary_data_output: expected true or false, got ${binary_short(value)}`);
            all = value;
        }
    }
    const own = new Map();
    if (Array.isArray(request.outputs))
        request.outputs.forEach((output, i) => {
            if (!isObject(output) || typeof output.name !== 'string' || output.parameters === undefined)
                return;
            const p = output.parameters;
            if (!isObject(p))
                throw bad(`outputs[${i}].parameters: expected an object, got ${(0,serve_records/* describeJsonType */.cc)(p)}`);
            if (!binary_has(p, 'binary_data'))
                return;
            if (typeof p.binary_data !== 'boolean')
                throw bad(`outputs[${i}].parameters.binary_data: expected true or false, got ${binary_short(p.binary_data)}`);
            if (!own.has(output.name))
                own.set(output.name, p.binary_data);
        });
    return (name) => own.get(name) ?? all;
}
/** One output's data as binary elements. Throws an Error (the server's fault, not the client's) when data and shape or datatype disagree. */
function writeTensor(output) {
    const { name, shape, datatype, data } = output;
    const where = `output "${name}"`;
    if (!Array.isArray(shape) || !shape.every(isCount))
        throw new Error(`${where}: the shape ${binary_short(shape)} is not an array of whole numbers ≥ 0`);
    const count = elementCount(shape);
    if (data.length !== count)
        throw new Error(`${where}: ${data.length} values where the shape ${binary_short(shape)} needs ${describeCount(count)}`);
    if (!isDatatype(datatype))
        throw new Error(`${where}: datatype ${binary_short(datatype)} is not one of ${DATATYPES.join(', ')}`);
    if (datatype === 'BYTES') {
        const elements = Array.from(data, (value, j) => {
            if (typeof value === 'string')
                return Buffer.from(value, 'utf8');
            if (value instanceof Uint8Array)
                return value;
            throw new Error(`${where}: value ${j} (${binary_short(value)}) is not a BYTES element (a string or bytes)`);
        });
        const buf = Buffer.alloc(elements.reduce((sum, e) => sum + 4 + e.length, 0));
        let at = 0;
        for (const element of elements) {
            buf.writeUInt32LE(element.length, at);
            buf.set(element, at + 4);
            at += 4 + element.length;
        }
        return buf;
    }
    const { bytes, write } = FIXED[datatype];
    const buf = Buffer.alloc(count * bytes);
    for (let j = 0; j < count; j++) {
        const value = data[j];
        if (!write(buf, j * bytes, value))
            throw new Error(`${where}: ${datatype} cannot hold value ${j} (${binary_short(value)})`);
    }
    return buf;
}
/**
 * An OIP answer with the outputs `wanted` in binary: each carries `parameters:
 * {binary_data_size}` (other parameters kept) and no `data`, its bytes following the JSON in
 * the order of the outputs; the others keep their JSON `data`. Returns the body, the JSON's
 * length in bytes and the headers to answer with (Content-Type application/octet-stream and
 * Inference-Header-Content-Length), or null when no output is wanted in binary (answer JSON as
 * before).
 */
function encodeBinaryResponse(response, wanted) {
    const binary = response.outputs.map((output) => wanted(output.name));
    if (!binary.includes(true))
        return null;
    const tensors = [];
    const outputs = response.outputs.map((output, k) => {
        if (!binary[k])
            return output;
        const bytes = writeTensor(output);
        tensors.push(bytes);
        const { data: _data, ...rest } = output;
        return { ...rest, parameters: { ...output.parameters, binary_data_size: bytes.length } };
    });
    const json = Buffer.from(JSON.stringify({ ...response, outputs }), 'utf8');
    return {
        body: Buffer.concat([json, ...tensors]),
        headerLength: json.length,
        headers: { 'Content-Type': BINARY_CONTENT_TYPE, 'Inference-Header-Content-Length': String(json.length) },
    };
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
    refusals;
    logDrops;
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
        this.refusals = new prom_client.Counter({
            name: 'mlops_serve_rejected_requests_total',
            help: 'Requests refused with a 4xx, by reason (too_many_rows, body_too_large, bad_body, invalid_input, missing_value, no_finite_prediction, unsupported_media_type, timeout, headers_too_large, bad_http, not_found, method_not_allowed, unauthorized, ...).',
            labelNames: ['reason'],
            registers: [this.registry],
        });
        this.logDrops = new prom_client.Counter({
            name: 'mlops_serve_prediction_log_dropped_total',
            help: 'Prediction log lines not written, by reason: queue_full (the disk is behind) or request_cap (records of one request past the log cap).',
            labelNames: ['reason'],
            registers: [this.registry],
        });
        this.swaps = new prom_client.Counter({
            name: 'mlops_serve_model_loads_total',
            help: 'Model loads (startup, alias moves, admin calls), by result.',
            labelNames: ['result'],
            registers: [this.registry],
        });
    }
    /** A request refused with a 4xx (any route, parser errors included), by reason. */
    refused(reason) {
        this.refusals.inc({ reason });
    }
    /** Prediction log lines not written, by reason (queue_full, request_cap). */
    logDropped(reason, count) {
        this.logDrops.inc({ reason }, count);
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
    profile;
    profileReason;
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
    /**
     * Features the model is known to take missing: those the training data had missing
     * values in (its profile counts them). Empty when the model came without a profile.
     */
    missingSeenInTraining;
    loadedAt = new Date();
    constructor(identity, loaded, 
    /** The profile of the training data stored with the model (profile.json), or null. */
    profile = null, 
    /** Why there is no profile (said where monitoring is off), or null. */
    profileReason = null) {
        this.identity = identity;
        this.loaded = loaded;
        this.profile = profile;
        this.profileReason = profileReason;
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
        const missing = new Set();
        for (const column of profile?.columns ?? []) {
            const counts = column.counts;
            if (this.featureNames.has(column.name) && ((counts?.null ?? 0) > 0 || (counts?.nan ?? 0) > 0))
                missing.add(column.name);
        }
        this.missingSeenInTraining = missing;
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
        const { table } = (0,serve_records/* recordsToTable */.kH)(this.signature.features, records);
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
    // Read before the caller removes a pulled folder: the server keeps the profile (monitoring, the missing-value policy).
    const { profile, reason } = await (0,profile_profile/* loadTrainingProfile */.Qd)(dir);
    const served = new ServedModel(identity, loaded, profile, reason);
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
/**
 * Rows scored at a time: a large batch is scored slice by slice, letting other requests
 * and health checks through between slices.
 */
const SLICE_ROWS = 256;
/** A client's X-Request-Id is kept when it is this short and printable; else the server makes one. */
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;
/** The largest feedback body (a labels file): 8 MB, or --max-body when larger. */
const FEEDBACK_MAX_BODY = 8 * 1024 * 1024;
/** Lets the event loop answer what is waiting (I/O included) before going on. */
const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));
const TFS = /^\/v1\/models\/([^/:]+)(?:\/versions\/(\d{1,15}))?(:predict|:feedback|\/metadata)?$/;
const OIP = /^\/v2\/models\/([^/]+)(?:\/versions\/(\d{1,15}))?(\/infer|\/feedback|\/ready)?$/;
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
        if (m[3] === ':feedback')
            return { route: { kind: 'tfs', action: 'feedback', name, version }, method: 'POST' };
        return { route: { kind: 'tfs', action: m[3] ? 'metadata' : 'status', name, version }, method: 'GET' };
    }
    m = OIP.exec(path);
    if (m) {
        const name = decodeSegment(m[1]);
        const version = m[2] ? Number(m[2]) : null;
        if (m[3] === '/infer')
            return { route: { kind: 'oip', action: 'infer', name, version }, method: 'POST' };
        if (m[3] === '/feedback')
            return { route: { kind: 'oip', action: 'feedback', name, version }, method: 'POST' };
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
    /** The monitoring gauges and feedback counter (registered whether or not a model is monitored). */
    monitoring;
    monitors = new Map();
    /** Signed reloads taken within the replay window (signature -> when it expires). */
    seenSignatures = new Map();
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
        this.maxBody = options.maxBodyBytes ?? http/* DEFAULT_MAX_BODY_BYTES */.y_;
        this.maxRows = options.maxRows ?? decode/* DEFAULT_MAX_ROWS */.hA;
        this.log = options.log ?? null;
        this.logger = options.logger ?? (() => { });
        this.following = options.follow;
        this.monitoring = new MonitorMetrics(this.metrics.registry);
        if (options.follow && options.initial.identity.version > 0)
            this.lastSeenDigest = options.initial.identity.digest;
        this.servedChanged();
        this.metrics.load(true); // the start-up load, made before the server existed
        if (this.log)
            this.log.onDrop = (reason, count) => this.logDropped(reason, count);
        const timeout = Math.round((options.requestTimeoutSeconds ?? 30) * 1000);
        // Node checks for timed-out requests every connectionsCheckingInterval (30 s by default): check often enough to keep the limit.
        this.http = (0,external_node_http_.createServer)({ connectionsCheckingInterval: Math.min(30_000, Math.max(100, timeout / 4)) }, (req, res) => void this.handle(req, res));
        this.http.requestTimeout = timeout;
        this.http.headersTimeout = Math.min(15_000, timeout);
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
        this.servedChanged();
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
                throw new decode/* HttpError */.j$(404, `no route ${path}`);
            if (!matched)
                throw new decode/* HttpError */.j$(404, `no route ${path}`);
            if (req.method !== matched.method && !(matched.method === 'GET' && req.method === 'HEAD')) {
                throw new decode/* HttpError */.j$(405, `${path} takes ${matched.method}, not ${req.method}`, { Allow: matched.method });
            }
            if (this.closing)
                res.setHeader('Connection', 'close');
            const { route } = matched;
            if (route.kind === 'tfs' || route.kind === 'oip') {
                if (route.name !== this.name)
                    throw new decode/* HttpError */.j$(404, `no model "${route.name}": this server serves "${this.name}"`);
                if (route.action === 'feedback') {
                    await this.feedback(req, res);
                    return;
                }
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
                        (0,http/* sendJson */.jD)(res, 200, route.action === 'status' ? this.tfsStatus(route.version) : this.tfsMetadata(model));
                    else if (route.action === 'ready')
                        (0,http/* sendJson */.jD)(res, 200, { name: this.name, ready: true });
                    else
                        (0,http/* sendJson */.jD)(res, 200, this.oipMetadata(model, route.version));
                }
                finally {
                    model.release();
                }
                return;
            }
            if (route.kind === 'server') {
                if (route.action === 'live')
                    (0,http/* sendJson */.jD)(res, 200, { live: true });
                else if (route.action === 'ready')
                    (0,http/* sendJson */.jD)(res, this.closing ? 503 : 200, { ready: !this.closing });
                else if (route.action === 'metadata')
                    (0,http/* sendJson */.jD)(res, 200, { name: 'mlops-serve', version: API_VERSION, extensions: ['binary_tensor_data'] });
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
        this.metrics.refused(status === 408 ? 'timeout' : status === 431 ? 'headers_too_large' : status === 413 ? 'body_too_large' : 'bad_http');
    }
    sendError(res, error, label) {
        if (res.headersSent) {
            res.destroy();
            return;
        }
        if (error instanceof decode/* HttpError */.j$) {
            if (error.status < 500)
                this.metrics.refused(error.reason);
            (0,http/* sendJson */.jD)(res, error.status, { error: error.message }, error.headers);
            if (error.headers.Connection === 'close')
                res.once('finish', () => res.req.socket?.destroySoon?.());
            return;
        }
        // The details (paths, the runtime's own words) go to the server's log, not to clients.
        this.logger(`${label}: ${(0,errors/* describeError */.U)(error)}`);
        (0,http/* sendJson */.jD)(res, 500, { error: `internal error (${label}); the server's log has the details` });
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
            throw new decode/* HttpError */.j$(404, `version ${version} of "${this.name}" is not served (served: ${this.servedVersions().join(', ')})`);
        return model;
    }
    servedVersions() {
        return this.slots.all().map((m) => String(m.identity.version));
    }
    /** A prediction request of either protocol; sets `routed.version` to the version that answers. */
    async predict(req, res, protocol, version, started, routed) {
        let decoded;
        let binaryWanted = null;
        try {
            const raw = await (0,http/* readBody */.x8)(req, this.maxBody);
            if (protocol === 'tfs')
                decoded = (0,decode/* decodeTfServing */.zk)((0,http/* parseJsonBody */.Y2)(raw), this.maxRows);
            else {
                // The binary tensor extension when the request says so (Inference-Header-Content-Length), else JSON.
                const body = decodeBinaryRequest(raw, req.headers[INFERENCE_HEADER]);
                binaryWanted = binaryOutputsWanted(body);
                decoded = (0,decode/* decodeOip */.TX)(body, this.maxRows);
            }
        }
        catch (error) {
            // Refused before a model took it (bad body, 413, 415): still a failed prediction request.
            this.metrics.rejected(error instanceof decode/* HttpError */.j$ ? error.status : 500);
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
            const id = requestId(req, protocol === 'oip' ? decoded.id : undefined);
            const { predictions: scored, records } = await this.score(model, decoded, id);
            predictions = scored;
            const headers = { 'X-Model-Version': String(model.identity.version) };
            // An OIP `id` may hold what a header cannot (line breaks, non-ASCII): it is then in the body only.
            if (REQUEST_ID.test(id))
                headers['X-Request-Id'] = id;
            if (protocol === 'tfs')
                (0,http/* sendJson */.jD)(res, 200, tfsResponse(model, predictions, decoded.columnar), headers);
            else {
                const answer = oipResponse(model, predictions, { ...decoded, id });
                const binary = binaryWanted && encodeBinaryResponse(answer, binaryWanted);
                if (binary) {
                    res.writeHead(200, { ...binary.headers, 'Content-Length': binary.body.length, ...headers });
                    res.end(binary.body);
                }
                else
                    (0,http/* sendJson */.jD)(res, 200, answer, headers);
            }
            status = 200;
            if (this.log)
                this.logPredictions(model, records, predictions, id);
        }
        catch (error) {
            status = error instanceof decode/* HttpError */.j$ ? error.status : 500;
            if (error instanceof decode/* HttpError */.j$)
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
    drops = { queue_full: 0, request_cap: 0, warnedAt: 0 };
    /** After any change of the served models: the served-versions gauge, and a monitor per served model (the ones swapped out detached). */
    servedChanged() {
        this.metrics.setServed(this.slots.stable, this.slots.candidate);
        const served = new Set(this.slots.all());
        for (const [model, monitor] of this.monitors) {
            if (served.has(model))
                continue;
            this.monitors.delete(model);
            if (!this.slots.all().some((m) => String(m.identity.version) === monitor.version))
                this.monitoring.detach(monitor);
        }
        if (this.options.monitor === null)
            return;
        for (const model of served) {
            if (this.monitors.has(model))
                continue;
            const monitor = OnlineMonitor.forServedModel(model, model.profile, { nullValues: this.options.nullValues, ...this.options.monitor }, model.profileReason ?? undefined);
            this.monitors.set(model, monitor);
            this.monitoring.attach(monitor);
            if (monitor.driftReason)
                this.logger(`v${model.identity.version}: no drift monitoring: ${monitor.driftReason}`);
        }
    }
    /** Counts prediction log lines not written, and says so in the server's log at most once a minute. */
    logDropped(reason, count) {
        this.metrics.logDropped(reason, count);
        this.drops[reason] += count;
        const now = Date.now();
        if (now - this.drops.warnedAt < 60_000)
            return;
        const parts = [];
        if (this.drops.queue_full > 0)
            parts.push(`${this.drops.queue_full} because the disk fell behind`);
        if (this.drops.request_cap > 0)
            parts.push(`${this.drops.request_cap} past the per-request cap (--log-max-rows-per-request)`);
        this.logger(`warning: prediction log: ${parts.join(' and ')} not written since the last warning (mlops_serve_prediction_log_dropped_total)`);
        this.drops = { queue_full: 0, request_cap: 0, warnedAt: now };
    }
    /**
     * Ground truth that arrived later (`POST .../feedback`): labels by request id (JSON, JSON
     * Lines, or a CSV/TSV labels file with id, label and optional row), joined with the
     * predictions the monitors remember; answers what matched. With an admin token, only
     * its holders may send labels (they move the accuracy gauges that alerts watch).
     */
    async feedback(req, res) {
        const token = this.options.adminToken;
        if (token !== null && !(0,auth/* bearerMatches */.ls)(req.headers.authorization, token))
            throw new decode/* HttpError */.j$(401, 'feedback needs Authorization: Bearer <admin token> on this server', {
                'WWW-Authenticate': 'Bearer realm="mlops-admin"',
            });
        const raw = await (0,http/* readBody */.x8)(req, Math.max(this.maxBody, FEEDBACK_MAX_BODY));
        const outcome = this.monitoring.feedback(parseFeedback(raw, req.headers['content-type'] ?? null));
        (0,http/* sendJson */.jD)(res, 200, { matched: outcome.matched, unknown_id: outcome.unknownId, invalid: outcome.invalid, problems: outcome.problems });
    }
    /**
     * Checks and scores a request SLICE_ROWS records at a time, yielding to other requests
     * (health checks included) between slices; the first slice at fault ends it with its
     * 400. Returns the predictions and the records as the model took them (by feature name).
     */
    async score(model, decoded, id) {
        const policy = { nullValues: this.options.nullValues, missing: this.options.missing ?? 'reject' };
        const total = decoded.records.length;
        const predictions = [];
        const records = [];
        const tables = [];
        for (let start = 0; start < total; start += SLICE_ROWS) {
            if (start > 0)
                await yieldToEventLoop();
            const { table, request } = (0,decode/* requestTable */.Kn)(model, (0,decode/* sliceRecords */.Xh)(decoded, start, Math.min(total, start + SLICE_ROWS)), policy);
            const part = await model.predict(table, rowRange(0, table.rows));
            const infinite = part.findIndex((p) => !isFinitePrediction(p));
            if (infinite >= 0)
                throw new decode/* HttpError */.j$(400, noFinitePrediction(table, infinite, request.row(infinite)), {}, 'no_finite_prediction');
            for (const p of part)
                predictions.push(p);
            for (const r of request.records)
                records.push(r);
            tables.push(table);
        }
        // Only a request answered in full is monitored, as one request (feedback names it by its id).
        const monitor = this.monitors.get(model);
        if (monitor) {
            const table = tables.length === 1 ? tables[0] : concatTables(tables);
            monitor.observe(table, rowRange(0, table.rows), predictions, id);
        }
        return { predictions, records };
    }
    logPredictions(model, records, predictions, id) {
        const time = new Date().toISOString();
        const features = model.signature.features;
        const has = Object.prototype.hasOwnProperty;
        this.log.writeRequest(predictions.length, (i) => {
            const record = records[i];
            const entry = Object.create(null);
            for (const f of features)
                if (has.call(record, f.name))
                    entry[f.name] = record[f.name];
            entry._time = time;
            entry._model = model.identity.name;
            entry._version = model.identity.version;
            entry._request_id = id;
            if (predictions.length > 1)
                entry._row = i;
            const p = predictions[i];
            entry._prediction = 'label' in p ? p.label : p.value;
            return entry;
        });
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
        const raw = req.method === 'POST' ? await (0,http/* readBody */.x8)(req, 64 * 1024) : Buffer.alloc(0);
        const signature = req.headers[auth/* SIGNATURE_HEADER */.D8];
        const signed = action === 'reload' && typeof signature === 'string';
        const refused = signed
            ? (0,auth/* checkSignedReload */.IQ)({ timestamp: req.headers[auth/* TIMESTAMP_HEADER */.L1], signature }, raw, token, this.seenSignatures)
            : (0,auth/* bearerMatches */.ls)(req.headers.authorization, token)
                ? null
                : 'the admin API needs Authorization: Bearer <admin token>';
        if (refused !== null)
            throw new decode/* HttpError */.j$(401, refused, { 'WWW-Authenticate': 'Bearer realm="mlops-admin"' });
        const body = (0,http/* parseJsonBody */.Y2)(raw, false);
        if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body)))
            throw new decode/* HttpError */.j$(400, 'the body must be a JSON object');
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
                    this.servedChanged();
                    this.logger(`candidate ${this.name} v${model.identity.version} gets ${weight}% of requests`);
                });
                break;
            }
            case 'weight': {
                const weight = weightField(fields.weight);
                if (!this.slots.candidate)
                    throw new decode/* HttpError */.j$(409, 'no candidate: POST /admin/candidate first');
                this.slots.setWeight(weight);
                this.logger(`candidate v${this.slots.candidate.identity.version} gets ${weight}% of requests`);
                break;
            }
            case 'promote':
                await this.exclusive(async () => {
                    const candidate = this.slots.candidate;
                    if (!candidate)
                        throw new decode/* HttpError */.j$(409, 'no candidate to promote');
                    this.slots.promote();
                    this.servedChanged();
                    this.logger(`promoted v${candidate.identity.version}: it is the stable version`);
                });
                break;
            case 'rollback':
                await this.exclusive(async () => {
                    const candidate = this.slots.candidate;
                    this.slots.rollback();
                    this.servedChanged();
                    if (candidate)
                        this.logger(`rolled back candidate v${candidate.identity.version}`);
                });
                break;
            case 'reload': {
                const ref = refField(fields, false);
                // A signed reload names the exact bytes: a version number or an alias could mean another model by the time it arrives.
                if (signed && (ref === null || !/^sha256:[0-9a-f]{64}$/.test(ref)))
                    throw new decode/* HttpError */.j$(400, 'ref: a signed reload names the version by its digest (sha256:...), as deploy sends it');
                await this.exclusive(async () => {
                    if (ref !== null) {
                        if (this.slots.stable.identity.digest !== (await this.digestOf(ref)))
                            await this.swapStable(ref, 'reload').catch(loadFailed(ref));
                        return;
                    }
                    if (!this.following)
                        throw new decode/* HttpError */.j$(400, 'ref: which version? The server follows no alias, so reload needs a "ref"');
                    const version = await this.options.source.resolve(this.following).catch(loadFailed(this.following));
                    if (version.digest !== this.slots.stable.identity.digest)
                        await this.swapStable(version.digest, `reload: ${this.following} is v${version.version}`).catch(loadFailed(this.following));
                    this.lastSeenDigest = version.digest;
                });
                break;
            }
        }
        (0,http/* sendJson */.jD)(res, 200, this.status());
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
            monitoring: Object.fromEntries([...this.monitors.values()].map((m) => [m.version, m.snapshot()])),
        };
    }
}
function refField(fields, required) {
    const ref = fields.ref;
    if (ref === undefined || ref === null) {
        if (required)
            throw new decode/* HttpError */.j$(400, 'ref: give the version to load: a number ("3"), an alias or a digest (sha256:...)');
        return null;
    }
    if (typeof ref === 'number' && Number.isInteger(ref) && ref > 0)
        return String(ref);
    if (typeof ref !== 'string' || ref.trim() === '' || ref.length > 200)
        throw new decode/* HttpError */.j$(400, 'ref: expected a version number ("3"), an alias or a digest (sha256:...)');
    return ref.trim();
}
function weightField(value) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100)
        throw new decode/* HttpError */.j$(400, `weight: expected a number from 0 to 100 (the candidate's percent of requests), got ${JSON.stringify(value) ?? 'nothing'}`);
    return value;
}
/** A failed load as the admin API answers it: 422 with the reason (the served models are unchanged). */
function loadFailed(ref) {
    return (error) => {
        if (error instanceof decode/* HttpError */.j$)
            throw error;
        throw new decode/* HttpError */.j$(422, `cannot load ${ref}: ${(0,errors/* describeError */.U)(error).split('\n')[0]}`);
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
        return `${where}: the model gives no finite prediction for this record: it has no value for ${truncate(missing.join(', '))}, and this model does not fill in missing values; send every feature`;
    return `${where}: the model gives no finite prediction for this record; are its values far outside the training data?`;
}
/** The tables of a request's slices as one (the same columns, in the same order). */
function concatTables(tables) {
    const rows = tables.reduce((n, t) => n + t.rows, 0);
    const columns = tables[0].columns.map((first, c) => {
        const numbers = new Float64Array(rows);
        const anyTexts = tables.some((t) => t.columns[c].texts !== null);
        const texts = anyTexts ? [] : null;
        let at = 0;
        let present = 0;
        let numeric = 0;
        for (const t of tables) {
            const column = t.columns[c];
            numbers.set(column.numbers.subarray(0, t.rows), at);
            if (texts)
                for (let r = 0; r < t.rows; r++)
                    texts.push(column.texts ? column.texts[r] : Number.isNaN(column.numbers[r]) ? null : String(column.numbers[r]));
            present += column.present;
            numeric += column.numeric;
            at += t.rows;
        }
        return { name: first.name, numbers, texts, present, numeric };
    });
    return { rows, columns, files: [] };
}
/** Rows start..end-1. */
function rowRange(start, end) {
    return Array.from({ length: end - start }, (_, i) => start + i);
}
/** The request's id (answered as X-Request-Id, and OIP's `id`): the OIP request's `id`, else the client's X-Request-Id when usable, else a new one. */
function requestId(req, oipId) {
    if (oipId !== undefined)
        return oipId;
    const given = req.headers['x-request-id'];
    if (typeof given === 'string' && REQUEST_ID.test(given))
        return given;
    return (0,external_node_crypto_.randomUUID)();
}
function truncate(text) {
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
            throw new decode/* HttpError */.j$(400, `outputs: no output ${unknown.map((u) => `"${u}"`).join(', ')} (outputs: ${specs.map((t) => t.name).join(', ')})`);
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
// EXTERNAL MODULE: ./src/commands/signals.ts
var signals = __webpack_require__(35055);
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
        .option('--max-rows <n>', 'most records (rows) in one prediction request; more get 413', String(decode/* DEFAULT_MAX_ROWS */.hA))
        .option('--missing <policy>', 'a record that leaves out a feature or sends null: reject (400 naming the field, unless the training data had missing values in that feature) or impute (the model fills it in as in training)', 'reject')
        .option('--request-timeout <seconds>', 'time a client has to send a whole request; slower ones get 408', '30')
        .option('--no-monitor', 'turn off online monitoring (drift of inputs and predictions against the training profile, rolling accuracy from feedback)')
        .option('--monitor-window <seconds>', 'online monitoring: the rolling window by time', String(MONITOR_DEFAULTS.windowSeconds))
        .option('--monitor-rows <n>', 'online monitoring: the rolling window by count (the newest records)', String(MONITOR_DEFAULTS.windowRows))
        .option('--monitor-min-rows <n>', 'online monitoring: fewer records in the window give no drift figures (NaN: not enough data)', String(MONITOR_DEFAULTS.minRows))
        .option('--log <file>', 'write a prediction log (JSON Lines: the features, _time, _model, _version, _prediction per record)')
        .option('--log-sample <fraction>', 'fraction of predicted records written to the log, 0 to 1', '1')
        .option('--log-max-bytes <bytes>', `rotate the log at this size (default ${DEFAULT_LOG_MAX_BYTES / 1024 / 1024}mb)`, '10mb')
        .option('--log-keep <n>', 'rotated log files kept (<file>.1 is the newest)', String(DEFAULT_LOG_KEEP))
        .option('--log-max-rows-per-request <n>', 'records of one request written to the log at most (after --log-sample); the rest are counted in mlops_serve_prediction_log_dropped_total', String(DEFAULT_LOG_MAX_ROWS_PER_REQUEST))
        .option('--log-max-value-chars <n>', 'texts longer than this are cut in the log (ending in "…", listed in _cut)', String(DEFAULT_LOG_MAX_VALUE_CHARS))
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
    const missing = options.missing;
    if (!decode/* MISSING_POLICIES */.yT.includes(missing))
        throw new errors/* UserError */.y(`--missing: expected ${decode/* MISSING_POLICIES */.yT.join(' or ')}, got "${options.missing}"`, 'Use --missing reject (the default) or --missing impute.');
    const requestTimeoutSeconds = number(options.requestTimeout, '--request-timeout', 0.1, 3600);
    const monitor = options.monitor
        ? {
            windowSeconds: wholeNumber(options.monitorWindow, '--monitor-window', 60, 30 * 86_400),
            windowRows: wholeNumber(options.monitorRows, '--monitor-rows', 10, 10_000_000),
            minRows: wholeNumber(options.monitorMinRows, '--monitor-min-rows', 1, 10_000_000),
        }
        : null;
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
                maxRowsPerRequest: wholeNumber(options.logMaxRowsPerRequest, '--log-max-rows-per-request', 1, 10_000_000),
                maxValueChars: wholeNumber(options.logMaxValueChars, '--log-max-value-chars', 16, 10_000_000),
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
            missing,
            requestTimeoutSeconds,
            monitor,
            nullValues: loaded.config.data.null_values,
            log,
            logger: (line) => stderr(`${new Date().toISOString()} ${line}`),
        });
        const bound = await server.listen(port, options.host);
        const host = options.host.includes(':') ? `[${options.host}]` : options.host;
        const { identity } = initial;
        process.stdout.write(`mlops serve: ${identity.name} v${identity.version} (${identity.digest.slice(0, 19)}, ${backend})${follow ? `, following ${follow} every ${pollSeconds}s` : ''}${adminToken ? ', admin API on' : ''}; listening on http://${host}:${bound}\n`);
        stderr(`  TF Serving: POST http://${host}:${bound}/v1/models/${identity.name}:predict  ·  Open Inference Protocol: POST http://${host}:${bound}/v2/models/${identity.name}/infer  ·  metrics: /metrics`);
        await (0,signals/* untilStopSignal */.f)(stderr);
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

/***/ 35055:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ untilStopSignal)
/* harmony export */ });
/** Waiting for the end of a long-running command (a server). */
/** Resolves at the first SIGTERM or SIGINT, having said which in `say`; the handlers are removed. */
function untilStopSignal(say) {
    return new Promise((resolveStop) => {
        const stop = (signal) => {
            process.off('SIGTERM', onTerm);
            process.off('SIGINT', onInt);
            say(`${signal}: finishing requests in flight, then stopping`);
            resolveStop();
        };
        const onTerm = () => stop('SIGTERM');
        const onInt = () => stop('SIGINT');
        process.on('SIGTERM', onTerm);
        process.on('SIGINT', onInt);
    });
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


/***/ }),

/***/ 48045:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kn: () => (/* binding */ requestTable),
/* harmony export */   TX: () => (/* binding */ decodeOip),
/* harmony export */   Xh: () => (/* binding */ sliceRecords),
/* harmony export */   hA: () => (/* binding */ DEFAULT_MAX_ROWS),
/* harmony export */   j$: () => (/* binding */ HttpError),
/* harmony export */   yT: () => (/* binding */ MISSING_POLICIES),
/* harmony export */   zk: () => (/* binding */ decodeTfServing)
/* harmony export */ });
/* unused harmony exports SERVING_SIGNATURE, bindInputs */
/* harmony import */ var _data_values_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(12912);
/* harmony import */ var _records_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(31109);


/** An answer other than 200, with a message for the client. */
class HttpError extends Error {
    status;
    headers;
    reason;
    constructor(status, message, headers = {}, 
    /** Why the request was refused, as metrics count it (`mlops_serve_rejected_requests_total{reason}`); default: by status. */
    reason = REASONS[status] ?? `status_${status}`) {
        super(message);
        this.status = status;
        this.headers = headers;
        this.reason = reason;
    }
}
/** The reason a refusal of each status counts under, unless the error names a finer one. */
const REASONS = {
    400: 'bad_request',
    401: 'unauthorized',
    404: 'not_found',
    405: 'method_not_allowed',
    408: 'timeout',
    409: 'conflict',
    413: 'body_too_large',
    415: 'unsupported_media_type',
    422: 'load_failed',
    431: 'headers_too_large',
};
const MAX_ISSUES = 10;
/** The default limit of records (rows) in one prediction request. */
const DEFAULT_MAX_ROWS = 10_000;
/** The largest finite float32: a number feature the graph takes as FP32 (or as an unknown type) must fit. */
const FLOAT32_MAX = 3.4028234663852886e38;
/** A 413 for a request of more rows than the server takes. */
function tooManyRows(at, rows, maxRows) {
    return new HttpError(413, `${at}: ${rows} records where a request may carry at most ${maxRows}; send fewer records per request (the server's limit is set by mlops serve --max-rows)`, {}, 'too_many_rows');
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
            throw bad(`${path(i)}: expected a row of values like ${path(0)}, got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(row)}`);
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
        throw bad(`the body must be a JSON object with "instances" or "inputs", got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(body)}`);
    // One signature, as a model exported with its defaults has: any other name is a 400, as TF Serving answers.
    if (Object.prototype.hasOwnProperty.call(body, 'signature_name') && body.signature_name !== SERVING_SIGNATURE)
        throw bad(`signature_name: ${typeof body.signature_name === 'string' ? JSON.stringify(body.signature_name) : (0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(body.signature_name)} is not a signature of this model; its one signature is "${SERVING_SIGNATURE}"`);
    const hasInstances = Object.prototype.hasOwnProperty.call(body, 'instances');
    const hasInputs = Object.prototype.hasOwnProperty.call(body, 'inputs');
    if (hasInstances && hasInputs)
        throw bad('give either "instances" (row format) or "inputs" (columnar format), not both');
    const none = { unnamed: null, wide: new Map() };
    if (hasInstances) {
        const instances = body.instances;
        if (!Array.isArray(instances))
            throw bad(`instances: expected an array of records, got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(instances)}`);
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
                throw bad(`instances[${i}]: expected an object of feature name -> value, got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(instance)}`);
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
        const refusal = `inputs: expected an object of feature name -> array of values, got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(inputs)}`;
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
                throw bad(`inputs.${name}: expected an array of values, got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(values)}`);
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
        throw bad(`the body must be a JSON object with "inputs", got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(body)}`);
    let id;
    if (body.id !== undefined) {
        if (typeof body.id !== 'string')
            throw bad(`id: expected a string, got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(body.id)}`);
        id = body.id;
    }
    let outputs = null;
    if (body.outputs !== undefined) {
        if (!Array.isArray(body.outputs))
            throw bad(`outputs: expected an array of {"name": ...}, got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(body.outputs)}`);
        outputs = body.outputs.map((o, i) => {
            if (!isObject(o) || typeof o.name !== 'string')
                throw bad(`outputs[${i}]: expected an object with a "name"`);
            return o.name;
        });
    }
    const inputs = body.inputs;
    if (!Array.isArray(inputs))
        throw bad(`inputs: expected an array of tensors, got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(inputs)}`);
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
            throw bad(`${at}: expected a tensor object {name, shape, datatype, data}, got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(tensor)}`);
        const { name, shape, datatype, data } = tensor;
        if (typeof name !== 'string' || name === '')
            throw bad(`${at}.name: expected a feature name, got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(name)}`);
        if (index.has(name))
            throw bad(`${at}.name: "${name}" is given twice (also inputs[${index.get(name)}])`);
        if (typeof datatype !== 'string' || !(datatype in OIP_TYPES))
            throw bad(`${at}.datatype: expected one of ${Object.keys(OIP_TYPES).join(', ')}, got ${short(datatype)}`);
        if (!Array.isArray(shape) || shape.length === 0 || shape.length > 2 || !shape.every((d) => Number.isInteger(d) && d >= 0))
            throw bad(`${at}.shape: expected [rows] or [rows, 1] (or [rows, k] for a graph's one tensor input), got ${short(shape)}`);
        if (shape[0] > maxRows)
            throw tooManyRows(`${at}.shape`, shape[0], maxRows);
        const n = shape[0];
        const width = shape.length === 2 ? shape[1] : 1;
        if (width === 0)
            throw bad(`${at}.shape: a tensor of no columns, ${short(shape)}`);
        if (!Array.isArray(data))
            throw bad(`${at}.data: expected an array of values, got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(data)}`);
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
                throw bad(`${at}.data[${i}] (${name}): ${datatype} holds ${kindNoun(kind)}, got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(v)}`);
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
                shape: short(shape),
                refusal: `${at}.shape: a feature column has one value per row: [rows] or [rows, 1], got ${short(shape)}`,
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
        where: (i, feature) => index.has(feature) ? `inputs[${index.get(feature)}].data[${i}] (${feature})` : `row ${i} of inputs (no input ${feature})`,
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
                throw bad(`${at}.data[${i}]: expected a row of ${width} values, got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(row)}`);
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
function short(value) {
    let text;
    try {
        text = JSON.stringify(value) ?? String(value);
    }
    catch {
        text = (0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(value);
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
            throw bad(`${rowPath(i)}: expected a row of ${k} values (${list}), got ${(0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .describeJsonType */ .cc)(value)}`);
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
function requestTable(model, decoded, options = {}) {
    const { nullValues, missing = 'impute' } = options;
    const request = bindInputs(model, decoded);
    const features = model.signature.features;
    const target = model.signature.target.name;
    const unknown = request.names.filter(({ name }) => !model.featureNames.has(name) && name !== target);
    const booleanFeatures = new Set(features.filter((f) => f.type === 'number' && model.inputDatatype(f.name) === 'BOOL').map((f) => f.name));
    const { table, issues } = (0,_records_js__WEBPACK_IMPORTED_MODULE_1__/* .recordsToTable */ .kH)(features, request.records, { nullValues, booleanFeatures });
    const messages = [
        ...unknown.map((u) => `${u.where}: unknown feature "${truncate(u.name)}"`),
        ...issues.map((issue) => `${request.where(issue.record, truncate(issue.feature))}: ${issue.message}`),
        ...nonValues(model, request, nullValues),
    ];
    const total = messages.length;
    messages.splice(MAX_ISSUES);
    let missingCount = 0;
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
        // Under `reject`, a feature the training data never lacked may not be missing here.
        const strict = missing === 'reject'
            ? features.flatMap((f, c) => (model.missingSeenInTraining.has(f.name) ? [] : [{ c, name: f.name, text: f.type !== 'number' }]))
            : [];
        const isMissing = (c, text, row) => {
            const column = table.columns[c];
            return text ? column.texts[row] === null : Number.isNaN(column.numbers[row]);
        };
        // A feature the request never names (in any record) is one message, not one per record.
        const named = new Set(request.names.map((n) => n.name));
        const absent = request === decoded ? strict.filter(({ name }) => !named.has(name)) : [];
        for (const { name } of absent.slice(0, MAX_ISSUES)) {
            messages.push(`${truncate(name)}: no record has it, ${missingRefusal(model, name)}`);
            missingCount++;
        }
        const perRecord = strict.filter((f) => !absent.includes(f));
        for (let row = 0; row < table.rows && messages.length < MAX_ISSUES; row++) {
            for (const { c, name, text } of perRecord) {
                if (!isMissing(c, text, row))
                    continue;
                messages.push(`${request.where(row, truncate(name))}: missing, ${missingRefusal(model, name)}`);
                missingCount++;
                if (messages.length >= MAX_ISSUES)
                    break;
            }
            for (const { c, name, datatype, whole, limit } of checked) {
                const v = table.columns[c].numbers[row];
                const at = request.where(row, name);
                if (Math.abs(v) > limit)
                    messages.push(`${at}: ${short(request.records[row][name])} is out of the range the model can take`);
                else if (whole && Number.isNaN(v))
                    messages.push(`${at}: missing, but the model takes ${truncate(name)} as ${datatype}, which has no missing value; send a value`);
                else if (whole && !Number.isInteger(v))
                    messages.push(`${at}: ${short(request.records[row][name])} is not a whole number, and the model takes ${truncate(name)} as ${datatype}`);
                else
                    continue;
                if (messages.length >= MAX_ISSUES)
                    break;
            }
        }
    }
    const missingOnly = missingCount > 0 && missingCount === messages.length;
    if (messages.length > 0) {
        const more = total > MAX_ISSUES ? `; and ${total - MAX_ISSUES} more` : '';
        const list = unknown.length > 0 ? ` (the model's features: ${features.map((f) => f.name).join(', ')})` : '';
        throw new HttpError(400, `${messages.join('; ')}${more}${list}`, {}, missingOnly ? 'missing_value' : 'invalid_input');
    }
    return { table, request };
}
/**
 * Records start..end-1 of a request, as a request of their own whose messages still
 * name them by their place in the whole request (the server checks and scores a large
 * request slice by slice). The names are the whole request's.
 */
function sliceRecords(request, start, end) {
    if (start === 0 && end >= request.records.length)
        return request;
    const unnamed = request.unnamed;
    return {
        ...request,
        records: request.records.slice(start, end),
        row: (i) => request.row(start + i),
        where: (i, feature) => request.where(start + i, feature),
        element: (i, name, j) => request.element(start + i, name, j),
        unnamed: unnamed && {
            rows: unnamed.rows.slice(start, end),
            element: (i, j) => unnamed.element(start + i, j),
            refusal: unnamed.refusal,
        },
    };
}
/** What the server does with a feature a record leaves out (or sends as null or a null text). */
const MISSING_POLICIES = ['reject', 'impute'];
/** Why a missing value is refused under the `reject` policy, and what to do. */
function missingRefusal(model, name) {
    const fix = 'send a value, or start the server with --missing impute to have the model fill it in as in training';
    if (!model.profile)
        return `and this model has no training profile to show it takes ${truncate(name)} missing; ${fix}`;
    return `and the training data never lacked ${truncate(name)}; ${fix}`;
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
    const classifier = new _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .ValueClassifier */ .Dw(nullValues ?? _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .DEFAULT_NULL_VALUES */ .LL);
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
                if (kind === _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .Kind */ .b8.Null)
                    continue;
                if (kind === _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .Kind */ .b8.NaN || kind === _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .Kind */ .b8.Infinity)
                    messages.push(`${request.where(i, truncate(name))}: ${short(raw)} is not a value the model can take; send null or leave the feature out for a missing value`);
            }
            values++;
        }
        if (values === 0)
            messages.push(`${request.row(i)}: the record has no value for any feature (${truncate(features.join(', '))}); send its feature values`);
    });
    return messages;
}
function truncate(text) {
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}


/***/ }),

/***/ 34379:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Y2: () => (/* binding */ parseJsonBody),
/* harmony export */   jD: () => (/* binding */ sendJson),
/* harmony export */   x8: () => (/* binding */ readBody),
/* harmony export */   y_: () => (/* binding */ DEFAULT_MAX_BODY_BYTES)
/* harmony export */ });
/* harmony import */ var _decode_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(48045);

/** The default limit of a request body: 1 MiB (about 5,000 records of ten features). */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/**
 * Reads the body, refusing more than `limit` bytes with a 413: at once when the
 * Content-Length says so, else as soon as the bytes read pass the limit (the rest is
 * never read; the connection is closed after the answer).
 */
function readBody(req, limit, hint = 'send fewer records per request') {
    return new Promise((resolve, reject) => {
        const declared = req.headers['content-length'];
        if (declared !== undefined && Number(declared) > limit) {
            reject(tooLarge(limit, `Content-Length is ${declared}`, hint));
            return;
        }
        const encoding = req.headers['content-encoding'];
        if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
            reject(new _decode_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpError */ .j$(415, `Content-Encoding "${encoding}" is not supported: send the body uncompressed`, {}, 'unsupported_media_type'));
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
                finish(tooLarge(limit, 'the body is larger', hint));
                return;
            }
            chunks.push(chunk);
        };
        const onEnd = () => finish(null);
        const onError = (error) => finish(new _decode_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpError */ .j$(400, `the request body could not be read (${error.message})`));
        const onAborted = () => finish(new _decode_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpError */ .j$(400, 'the client closed the request before its body was complete'));
        req.on('data', onData);
        req.on('end', onEnd);
        req.on('error', onError);
        req.on('aborted', onAborted);
    });
}
function tooLarge(limit, what, hint) {
    return new _decode_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpError */ .j$(413, `the request body is over the limit of ${limit} bytes (${what}); ${hint}`, {
        Connection: 'close',
    });
}
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Parses a body as JSON, with 400s that say what is wrong. */
function parseJsonBody(body, required = true) {
    if (body.length === 0) {
        if (required)
            throw new _decode_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpError */ .j$(400, 'the request has no body: send a JSON object', {}, 'bad_body');
        return undefined;
    }
    let text;
    try {
        text = utf8.decode(body);
    }
    catch {
        throw new _decode_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpError */ .j$(400, 'the body is not valid UTF-8', {}, 'bad_body');
    }
    try {
        return JSON.parse(text);
    }
    catch (error) {
        const message = error instanceof RangeError ? 'it is nested too deeply' : error.message.slice(0, 200);
        throw new _decode_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpError */ .j$(400, `the body is not valid JSON: ${message}`, {}, 'bad_body');
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


/***/ }),

/***/ 31109:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fz: () => (/* binding */ featureTable),
/* harmony export */   cc: () => (/* binding */ describeJsonType),
/* harmony export */   kH: () => (/* binding */ recordsToTable)
/* harmony export */ });
/* harmony import */ var _data_values_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(12912);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(74296);


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
    const classifier = new _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .ValueClassifier */ .Dw(options.nullValues ?? _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .DEFAULT_NULL_VALUES */ .LL);
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
                    if (kind === _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .Kind */ .b8.Integer || kind === _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .Kind */ .b8.Number || (booleans && kind === _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .Kind */ .b8.Boolean))
                        v = classifier.value;
                    else if (kind !== _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .Kind */ .b8.Null && kind !== _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .Kind */ .b8.NaN && kind !== _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .Kind */ .b8.Infinity)
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
                if (kind === _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .Kind */ .b8.Integer || kind === _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .Kind */ .b8.Number) {
                    numbers[i] = classifier.value;
                    numeric++;
                    text = String(classifier.value);
                }
                else if (kind === _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .Kind */ .b8.Boolean)
                    text = classifier.value ? 'true' : 'false';
                else if (kind === _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .Kind */ .b8.String || kind === _data_values_js__WEBPACK_IMPORTED_MODULE_0__/* .Kind */ .b8.Datetime)
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
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${missing.length === 1 ? 'feature column' : 'feature columns'} ${missing.map((m) => `"${m}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in ${where}`, `The model takes ${features.map((f) => f.name).join(', ')}; a column may be empty, but it must be there.`);
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


/***/ })

};
