/**
 * `mlops serve` (a real-time inference server) and `mlops predict` (batch scoring of
 * a file), over the model files that train writes and the registry keeps.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import writeFileAtomic from 'write-file-atomic';
import type { LoadedConfig } from '../core/config/config.js';
import { configPath } from '../core/config/config.js';
import { Workspace } from '../core/workspace.js';
import { loadGuard, type TrustContext } from '../core/signing/trust.js';
import { expandPaths, refuseOverwritingInput } from '../core/data/paths.js';
import { DATA_FORMATS } from '../core/data/source.js';
import type { DataFormat } from '../core/data/source.js';
import { readTable } from '../core/data/table.js';
import { UserError } from '../core/errors.js';
import { outputFormatOf, predictTable } from '../core/serve/batch.js';
import { DEFAULT_MAX_ROWS, MISSING_POLICIES } from '../core/serve/decode.js';
import type { MissingPolicy } from '../core/serve/decode.js';
import type { ServedModel } from '../core/serve/model.js';
import { MONITOR_DEFAULTS } from '../core/serve/monitor.js';
import {
  DEFAULT_LOG_KEEP,
  DEFAULT_LOG_MAX_BYTES,
  DEFAULT_LOG_MAX_ROWS_PER_REQUEST,
  DEFAULT_LOG_MAX_VALUE_CHARS,
  PredictionLog,
} from '../core/serve/prediction-log.js';
import { InferenceServer } from '../core/serve/server.js';
import { ModelSource } from '../core/serve/source.js';
import { onnxRuntime } from '../core/onnx/runtime.js';
import { loadProjectConfig, projectRegistry } from '../adapters/local/run.js';
import { NAME_PATTERN } from '../ports/registry.js';
import type { Registry } from '../ports/registry.js';
import { untilStopSignal } from './signals.js';

interface ModelOptions {
  config?: string;
  registry?: string;
  model?: string;
  modelDir?: string;
}

interface ServeOptions extends ModelOptions {
  alias: string;
  ref?: string;
  name?: string;
  host: string;
  port: string;
  poll: string;
  adminToken?: string;
  maxBody: string;
  maxRows: string;
  log?: string;
  logSample: string;
  logMaxBytes: string;
  logKeep: string;
  logMaxRowsPerRequest: string;
  logMaxValueChars: string;
  missing: string;
  requestTimeout: string;
  monitor: boolean;
  monitorWindow: string;
  monitorRows: string;
  monitorMinRows: string;
}

interface PredictOptions extends ModelOptions {
  input: string[];
  output: string;
  ref: string;
  format?: 'auto' | DataFormat;
}

const stderr = (line: string) => process.stderr.write(`${line}\n`);

/** Adds `mlops serve` and `mlops predict`. */
export function addServeCommands(program: Command): void {
  const modelOptions = (command: Command) =>
    command
      .option('--config <file>', 'mlops.yaml (for model.name, the registry and data.null_values)')
      .option(
        '--registry <where>',
        'oci://host/namespace or a folder (default: registry.url or registry.path in mlops.yaml, else .mlops/registry beside it)',
      )
      .option('--model <name>', 'the model name in the registry (default: model.name in mlops.yaml)')
      .option('--model-dir <dir>', 'serve this model directory (the model-dir output of train) instead of a registry version');

  modelOptions(
    program
      .command('serve')
      .description(
        'Serves a model over HTTP (TF Serving REST and Open Inference Protocol v2), following a registry alias: a new version is loaded, warmed up and swapped in without failing a request. Canary, admin API, Prometheus metrics and a prediction log.',
      ),
  )
    .option('--alias <alias>', 'the registry alias to serve and follow', 'production')
    .option('--ref <ref>', 'serve this version (number, alias or digest) as it is now, without following')
    .option('--name <name>', 'the model name in request URLs when serving --model-dir (default: --model, model.name, or the folder name)')
    .option('--host <host>', 'the address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--port <port>', 'the port (0: any free port; the bound one is printed)', '8080')
    .option('--poll <seconds>', 'seconds between checks of the alias (0: never; POST /admin/reload still checks)', '10')
    .option(
      '--admin-token <token>',
      'enables the admin API (/admin/...: canary, promote, rollback, reload) for requests with Authorization: Bearer <token>; also the secret of signed reloads (default: MLOPS_ADMIN_TOKEN; without a token there is no admin API)',
    )
    .option('--max-body <bytes>', 'largest request body, e.g. 1048576, 512kb or 4mb; larger ones get 413', '1mb')
    .option('--max-rows <n>', 'most records (rows) in one prediction request; more get 413', String(DEFAULT_MAX_ROWS))
    .option(
      '--missing <policy>',
      'a record that leaves out a feature or sends null: reject (400 naming the field, unless the training data had missing values in that feature) or impute (the model fills it in as in training)',
      'reject',
    )
    .option('--request-timeout <seconds>', 'time a client has to send a whole request; slower ones get 408', '30')
    .option(
      '--no-monitor',
      'turn off online monitoring (drift of inputs and predictions against the training profile, rolling accuracy from feedback)',
    )
    .option('--monitor-window <seconds>', 'online monitoring: the rolling window by time', String(MONITOR_DEFAULTS.windowSeconds))
    .option(
      '--monitor-rows <n>',
      'online monitoring: the rolling window by count (the newest records)',
      String(MONITOR_DEFAULTS.windowRows),
    )
    .option(
      '--monitor-min-rows <n>',
      'online monitoring: fewer records in the window give no drift figures (NaN: not enough data)',
      String(MONITOR_DEFAULTS.minRows),
    )
    .option('--log <file>', 'write a prediction log (JSON Lines: the features, _time, _model, _version, _prediction per record)')
    .option('--log-sample <fraction>', 'fraction of predicted records written to the log, 0 to 1', '1')
    .option('--log-max-bytes <bytes>', `rotate the log at this size (default ${DEFAULT_LOG_MAX_BYTES / 1024 / 1024}mb)`, '10mb')
    .option('--log-keep <n>', 'rotated log files kept (<file>.1 is the newest)', String(DEFAULT_LOG_KEEP))
    .option(
      '--log-max-rows-per-request <n>',
      'records of one request written to the log at most (after --log-sample); the rest are counted in mlops_serve_prediction_log_dropped_total',
      String(DEFAULT_LOG_MAX_ROWS_PER_REQUEST),
    )
    .option(
      '--log-max-value-chars <n>',
      'texts longer than this are cut in the log (ending in "…", listed in _cut)',
      String(DEFAULT_LOG_MAX_VALUE_CHARS),
    )
    .action(async (options: ServeOptions) => {
      await serve(options);
    });

  modelOptions(
    program
      .command('predict')
      .description(
        'Scores a data file with a model: writes every input row with its prediction (and probability_<class> columns for classification), as CSV, TSV, JSON Lines or Parquet by the output name.',
      ),
  )
    .requiredOption('--input <files...>', 'data files or globs (CSV, TSV, JSON Lines, gzip too; Parquet)')
    .requiredOption('-o, --output <file>', 'where to write the predictions (.csv, .tsv, .jsonl or .parquet)')
    .option('--ref <ref>', 'the registry version to use: number, alias or digest', 'production')
    .addOption(new Option('--format <format>', 'input format (default: from the file name)').choices(['auto', ...DATA_FORMATS]))
    .action(async (options: PredictOptions) => {
      await predict(options);
    });
}

function modelName(options: ModelOptions & { name?: string }, loaded: LoadedConfig, fallback: string | null): string {
  const name = options.name ?? options.model ?? loaded.config.model?.name ?? fallback;
  if (!name) throw new UserError('no model name', 'Give --model, or set model.name in mlops.yaml.');
  return name;
}

async function serve(options: ServeOptions): Promise<void> {
  const loaded = await loadProjectConfig(options.config);
  const port = wholeNumber(options.port, '--port', 0, 65535);
  const pollSeconds = number(options.poll, '--poll', 0, 86_400);
  const maxBodyBytes = byteSize(options.maxBody, '--max-body');
  const maxRows = wholeNumber(options.maxRows, '--max-rows', 1, 10_000_000);
  const missing = options.missing as MissingPolicy;
  if (!MISSING_POLICIES.includes(missing))
    throw new UserError(
      `--missing: expected ${MISSING_POLICIES.join(' or ')}, got "${options.missing}"`,
      'Use --missing reject (the default) or --missing impute.',
    );
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
  const backend = `onnxruntime-${(await onnxRuntime(stderr)).name}`;
  const registry = projectRegistry(loaded, options.registry);
  const workDir = await mkdtemp(join(tmpdir(), 'mlops-serve-'));
  let server: InferenceServer | null = null;
  try {
    let initial: ServedModel;
    let source: ModelSource;
    let follow: string | null = null;
    if (options.modelDir) {
      const name = modelName(options, loaded, basename(resolve(options.modelDir)).toLowerCase());
      source = new ModelSource(registry, name, workDir);
      initial = await source.loadDir(options.modelDir);
    } else {
      const name = modelName(options, loaded, null);
      if (!NAME_PATTERN.test(name))
        throw new UserError(`model name "${name}" is not allowed`, 'Use lower-case letters, digits, ".", "_" and "-".');
      source = new ModelSource(
        registry,
        name,
        workDir,
        await serveTrust(loaded, registry, options.ref ? aliasOf(options.ref) : options.alias),
      );
      if (options.ref) initial = await source.load(options.ref);
      else {
        follow = options.alias;
        let version;
        try {
          version = await source.resolve(follow);
        } catch (error) {
          throw new UserError(
            `cannot serve ${name} ${follow}: ${(error as Error).message.split('\n')[0]}`,
            `Point the alias at a version (mlops registry alias ${name} ${follow} <version>), or serve one with --ref or --model-dir.`,
          );
        }
        initial = await source.load(version.digest);
      }
    }
    const log = options.log
      ? await PredictionLog.open({
          path: resolve(options.log),
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
    process.stdout.write(
      `mlops serve: ${identity.name} v${identity.version} (${identity.digest.slice(0, 19)}, ${backend})${follow ? `, following ${follow} every ${pollSeconds}s` : ''}${adminToken ? ', admin API on' : ''}; listening on http://${host}:${bound}\n`,
    );
    stderr(
      `  TF Serving: POST http://${host}:${bound}/v1/models/${identity.name}:predict  ·  Open Inference Protocol: POST http://${host}:${bound}/v2/models/${identity.name}/infer  ·  metrics: /metrics`,
    );
    await untilStopSignal(stderr);
    await server.close();
    stderr('stopped');
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The alias a reference names (production, staging), or null for a version number or digest. */
function aliasOf(ref: string): string | null {
  return /^v?\d+$/.test(ref) || ref.startsWith('sha256:') ? null : ref;
}

/**
 * How versions are verified before they are loaded: the `signing:` section of mlops.yaml, for
 * the environment the server follows (an alias such as production) or null. On a GitHub runner
 * the repository's own workflows are the default signers, as in deploy.
 */
async function serveTrust(loaded: LoadedConfig, registry: Registry, environment: string | null) {
  const env = process.env;
  const onGitHub = env.GITHUB_ACTIONS === 'true';
  const context: TrustContext = {
    section: loaded.config.signing,
    secret: (name) => env[name] || undefined,
    onGitHub,
    githubRepository: onGitHub ? env.GITHUB_REPOSITORY || null : null,
    githubServer: env.GITHUB_SERVER_URL || undefined,
    resolvePath: (path) => configPath(loaded, path),
    tufCachePath: join(Workspace.of(loaded, process.cwd()).dir('cache'), 'sigstore-tuf'),
  };
  const guard = await loadGuard(registry.signatures, context, environment);
  return { guard, warn: (message: string) => stderr(`warning: ${message}`) };
}

async function predict(options: PredictOptions): Promise<void> {
  const loaded = await loadProjectConfig(options.config);
  const files = await expandPaths(options.input.map((p) => resolve(p)));
  await refuseOverwritingInput(resolve(options.output), files, (path) => relative(process.cwd(), path) || path);
  await onnxRuntime(stderr);
  const registry = projectRegistry(loaded, options.registry);
  const workDir = await mkdtemp(join(tmpdir(), 'mlops-predict-'));
  try {
    let model: ServedModel;
    if (options.modelDir) {
      model = await new ModelSource(null, modelName(options, loaded, 'model'), workDir).loadDir(options.modelDir);
    } else {
      const trust = await serveTrust(loaded, registry, aliasOf(options.ref));
      model = await new ModelSource(registry, modelName(options, loaded, null), workDir, trust).load(options.ref);
    }
    const table = await readTable(files, { format: options.format ?? 'auto', nullValues: loaded.config.data.null_values });
    const showProgress = table.rows >= 100_000;
    let lastShown = 0;
    const { text, rows } = await predictTable(model, table, outputFormatOf(options.output), (done, total) => {
      if (showProgress && (done - lastShown >= total / 20 || done === total)) {
        lastShown = done;
        stderr(`predicted ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows`);
      }
    });
    await writeFileAtomic(resolve(options.output), text);
    const { identity } = model;
    stderr(`wrote ${options.output}: ${rows} rows predicted by ${identity.name} v${identity.version} (${identity.uri})`);
    model.retire();
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function number(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max)
    throw new UserError(`${flag}: "${text}" is not a number from ${min} to ${max}`);
  return value;
}

function wholeNumber(text: string, flag: string, min: number, max: number): number {
  const value = number(text, flag, min, max);
  if (!Number.isInteger(value)) throw new UserError(`${flag}: "${text}" is not a whole number`);
  return value;
}

/** 1048576, 512kb, 4mb, 1gb (powers of 1024). */
export function byteSize(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb?|kib|mb?|mib|gb?|gib)?\s*$/i.exec(text);
  if (!match) throw new UserError(`${flag}: "${text}" is not a size`, 'Give bytes (1048576) or a size with a unit: 512kb, 4mb.');
  const unit = (match[2] ?? 'b').toLowerCase()[0]!;
  const bytes = Math.floor(Number(match[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1));
  if (bytes < 1) throw new UserError(`${flag}: "${text}" is too small`);
  return bytes;
}
