/** train: fit the built-in model (or run your own trainer), with lineage and a run cache. */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { asList, configPath, loadConfig } from '../core/config/config.js';
import type { LoadedConfig } from '../core/config/config.js';
import { expandPaths } from '../core/data/paths.js';
import { readTable } from '../core/data/table.js';
import type { DataFormat } from '../core/data/source.js';
import { UserError } from '../core/errors.js';
import { gitCommit, hashFile, runUrl, sha256, stableJson } from '../core/lineage.js';
import { ColumnProfileBuilder, PREDICTION_COLUMN, TRAINING_PROFILE_FILE } from '../core/profile/profile.js';
import type { ColumnProfileState } from '../core/profile/profile.js';
import { Kind } from '../core/data/values.js';
import { scanData } from '../core/validate/scan.js';
import type { FileHash } from '../core/lineage.js';
import { code, escapeText, formatNumber, table as mdTable } from '../core/markdown.js';
import { initBackend } from '../core/train/backend.js';
import { fitModel, predictEncoded, seededRandom, shuffleInPlace } from '../core/train/model.js';
import { saveModel } from '../core/train/model-io.js';
import { parseTrainParams } from '../core/train/params.js';
import type { TrainParams } from '../core/train/params.js';
import { encodeFeatures, encodeTarget, fitPreprocessor, labelledRows } from '../core/train/preprocess.js';
import { fullMetrics, scalarMetrics, scoreRows } from '../core/train/score.js';
import type { StepIO } from '../ports/step-io.js';
import type { RunCache } from '../ports/storage.js';
import { actionsRuntimeAvailable } from '../ports/storage.js';
import { LocalRunCache } from '../adapters/local/storage.js';
import { uploadArtifact } from './artifacts.js';
import { choiceInput, InputError, listInput } from './spec.js';
import type { StepSpec } from './spec.js';
import { outputDirFor, shown } from './validate-data.js';

export const TRAINER_VERSION = 'mlops-actions-builtin/1';
const METRICS_FILE = 'metrics.json';

export const train: StepSpec = {
  name: 'train',
  title: 'Train',
  description:
    'Trains the built-in TensorFlow.js model (linear or MLP, preprocessing included) or runs your own trainer command, writes a model directory with its model card and metrics, and skips training when an identical run is cached.',
  inputs: {
    config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
    data: { description: 'Training data files or globs, one per line. Default: data.path in mlops.yaml.', list: true },
    target: { description: 'The label column. Default: data.target in mlops.yaml.' },
    params: { description: 'A YAML or JSON file of training parameters; its keys override the train section of mlops.yaml.' },
    model: { description: 'mlp or linear. Default: train.model in mlops.yaml, else mlp.', choices: ['mlp', 'linear'] },
    epochs: { description: 'Maximum epochs. Default: train.epochs, else 1000 (early stopping usually ends sooner).' },
    'learning-rate': { description: 'Adam learning rate. Default: train.learning_rate, else 0.001.' },
    'batch-size': {
      description: 'Rows per training step, or auto. Default: train.batch_size, else auto (32 for small data, up to 2048 for large).',
    },
    seed: { description: 'Random seed: the same seed, data and parameters give the same model. Default: train.seed, else 42.' },
    command: {
      description:
        'Your own trainer, run by the shell instead of the built-in model. It gets MLOPS_TRAIN_DATA, MLOPS_TARGET, MLOPS_PARAMS_FILE, MLOPS_MODEL_DIR and MLOPS_METRICS_FILE in its environment and must write the model into MLOPS_MODEL_DIR and a JSON object of metrics into MLOPS_METRICS_FILE. Default: train.command in mlops.yaml.',
    },
    'code-paths': {
      description: "Files or globs of your trainer's code, one per line, hashed into the cache key and the model card (with `command`).",
      list: true,
    },
    cache: {
      description: 'true to reuse an identical earlier run (same data, parameters and trainer), false to always train. Default: true.',
      choices: ['true', 'false'],
    },
    'output-dir': { description: 'Where the model directory goes (as model/). Default: .mlops/train beside mlops.yaml.' },
    'artifact-name': { description: 'Name of the model artifact uploaded on GitHub. Default: model-<model name>.' },
  },
  outputs: {
    'model-dir': { description: 'Path of the model directory (model files, preprocess.json, model-card.json, metrics.json).' },
    metrics: { description: 'Validation metrics as a JSON object (training metrics when there is no validation split).' },
    'cache-hit': { description: '"true" when an identical earlier run was reused and nothing was trained.' },
    backend: { description: 'The TensorFlow.js backend used: tensorflow, wasm or cpu ("none" for a command or a cache hit).' },
    'cache-key': { description: 'The run cache key: a hash of the data, parameters and trainer code.' },
  },
  async run(io: StepIO): Promise<void> {
    await runTrain(io);
  },
};

export interface TrainOutcome {
  modelDir: string;
  metrics: Record<string, number | null>;
  cacheHit: boolean;
  backend: string;
  cacheKey: string;
}

function numberInput(io: StepIO, name: string, integer: boolean): number | undefined {
  const text = io.getInput(name);
  if (text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)))
    throw new InputError(name, `"${text}" is not ${integer ? 'a whole number' : 'a number'}`);
  return value;
}

async function readParamsFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UserError(`cannot read params file ${path}`, 'Check the `params` input; it is relative to the working directory.');
  }
  try {
    const value = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (value === null || value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error('expected a mapping of parameter names to values');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new UserError(`${path}: ${(error as Error).message}`);
  }
}

/** Parameters: mlops.yaml's train section, then the params file, then inputs. */
async function resolveParams(io: StepIO, loaded: LoadedConfig): Promise<{ params: TrainParams; command: string | null; sources: string }> {
  const { command: configCommand, ...fromConfig } = (loaded.config.train ?? {}) as Record<string, unknown>;
  const paramsPath = io.getInput('params');
  const fromFile = paramsPath ? await readParamsFile(resolve(paramsPath)) : {};
  const { command: fileCommand, ...fileParams } = fromFile;
  const overrides: Record<string, unknown> = {};
  const model = choiceInput<'mlp' | 'linear'>(io, train, 'model');
  if (model) overrides.model = model;
  const epochs = numberInput(io, 'epochs', true);
  if (epochs !== undefined) overrides.epochs = epochs;
  const learningRate = numberInput(io, 'learning-rate', false);
  if (learningRate !== undefined) overrides.learning_rate = learningRate;
  if (io.getInput('batch-size') === 'auto') overrides.batch_size = 'auto';
  else {
    const batchSize = numberInput(io, 'batch-size', true);
    if (batchSize !== undefined) overrides.batch_size = batchSize;
  }
  const seed = numberInput(io, 'seed', true);
  if (seed !== undefined) overrides.seed = seed;
  const where =
    [loaded.file ? 'train in mlops.yaml' : null, paramsPath || null, Object.keys(overrides).length > 0 ? 'inputs' : null]
      .filter(Boolean)
      .join(' + ') || 'defaults';
  const params = parseTrainParams({ ...fromConfig, ...fileParams, ...overrides }, where);
  const command =
    io.getInput('command') ||
    (typeof fileCommand === 'string' ? fileCommand : null) ||
    (typeof configCommand === 'string' ? configCommand : null);
  return { params, command, sources: where };
}

export async function runTrain(io: StepIO): Promise<TrainOutcome> {
  const started = performance.now();
  const loaded = await loadConfig(io.getInput('config') || undefined);
  const dataInputs = listInput(io, 'data');
  const patterns =
    dataInputs.length > 0 ? dataInputs.map((p) => resolve(p)) : asList(loaded.config.data.path).map((p) => configPath(loaded, p));
  if (patterns.length === 0) throw new UserError('no training data', 'Set the `data` input (or --data), or data.path in mlops.yaml.');
  const files = await expandPaths(patterns);
  const target = io.getInput('target') || loaded.config.data.target;
  if (!target) throw new UserError('no target column', 'Set the `target` input (or --target), or data.target in mlops.yaml.');
  const { params, command, sources } = await resolveParams(io, loaded);
  const useCache = (choiceInput<'true' | 'false'>(io, train, 'cache') ?? 'true') === 'true';
  const outputDir = outputDirFor(io, loaded, 'train');
  const modelDir = join(outputDir, 'model');
  const modelName = loaded.config.model?.name ?? 'model';

  // The cache key: what the model is a function of.
  const dataHashes: FileHash[] = [];
  for (const file of files) dataHashes.push(await hashFile(file));
  const codePatterns = listInput(io, 'code-paths').map((p) => resolve(p));
  const codeFiles = codePatterns.length > 0 ? await expandPaths(codePatterns) : [];
  const codeHashes: FileHash[] = [];
  for (const file of codeFiles) codeHashes.push(await hashFile(file));
  const trainer = command
    ? { kind: 'command', command, code: codeHashes.map((h) => ({ path: shown(h.path), sha256: h.sha256 })) }
    : { kind: 'builtin', version: TRAINER_VERSION, build: await codeIdentity() };
  const hashes = {
    data: sha256(stableJson(dataHashes.map((h) => h.sha256))),
    params: sha256(
      stableJson({ params, target, format: loaded.config.data.format ?? 'auto', nullValues: loaded.config.data.null_values ?? null }),
    ),
    code: sha256(stableJson(trainer)),
  };
  const cacheKey = `mlops-train-${modelName}-${sha256(stableJson(hashes)).slice(0, 40)}`;
  const onRunner = io.onGitHub && actionsRuntimeAvailable();
  // GitHub's storage clients are large: loaded only on a runner (a chunk of their own in the bundle).
  const cache: RunCache = onRunner
    ? new (await import('../adapters/github/storage.js')).GitHubRunCache()
    : new LocalRunCache(join(outputDirFor(io, loaded, 'cache', false), 'train'));

  if (useCache) {
    const hit = await io.group(`Looking for an identical earlier run (${cache.description})`, async () => {
      try {
        return await cache.restore(cacheKey, modelDir);
      } catch (error) {
        io.warning(`The run cache could not be read (${(error as Error).message}); training instead.`);
        return false;
      }
    });
    if (hit) {
      const metrics = await readMetrics(join(modelDir, METRICS_FILE));
      io.info(`Cache hit: reusing the model trained from the same data, parameters and trainer (key ${cacheKey}).`);
      await finish(io, { modelDir, metrics, cacheHit: true, backend: 'none', cacheKey }, modelName, null);
      return { modelDir, metrics, cacheHit: true, backend: 'none', cacheKey };
    }
  }

  const lineage = {
    git: { commit: await gitCommit(), ref: process.env.GITHUB_REF ?? null },
    run: { url: runUrl(), id: process.env.GITHUB_RUN_ID ?? null, attempt: process.env.GITHUB_RUN_ATTEMPT ?? null },
  };
  let metrics: Record<string, number | null>;
  let backend = 'none';
  let card: Record<string, unknown>;
  if (command) {
    const result = await runCommand(io, command, { files, target, params, modelDir });
    metrics = result.metrics;
    card = {
      format: 'mlops-model-card/v1',
      name: modelName,
      trainer,
      params,
      paramSources: sources,
      data: { target, files: dataHashes.map((h) => ({ path: shown(h.path), sha256: h.sha256, bytes: h.bytes })) },
      hashes: { ...hashes, cacheKey },
      ...lineage,
      trainedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
      metrics: { validation: metrics },
    };
    await writeFile(join(modelDir, 'model-card.json'), `${JSON.stringify(card, null, 2)}\n`);
    await writeFile(join(modelDir, METRICS_FILE), `${JSON.stringify(metrics, null, 2)}\n`);
    await writeTrainingProfile(io, modelDir, files, loaded, null);
  } else {
    backend = await initBackend(undefined, (line) => io.warning(line));
    io.info(`TensorFlow.js backend: ${backend}`);
    const result = await io.group(`Training ${params.model} on ${files.length === 1 ? shown(files[0]!) : `${files.length} files`}`, () =>
      trainBuiltin(io, files, loaded, target, params),
    );
    metrics = result.metrics;
    card = {
      format: 'mlops-model-card/v1',
      name: modelName,
      task: result.task,
      trainer: { ...trainer, model: params.model, backend },
      params,
      paramSources: sources,
      data: {
        target,
        features: result.features,
        classes: result.classes,
        files: dataHashes.map((h) => ({ path: shown(h.path), sha256: h.sha256, bytes: h.bytes })),
        rows: result.rows,
      },
      hashes: { ...hashes, cacheKey },
      ...lineage,
      trainedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
      epochs: result.epochs,
      metrics: { train: result.trainMetrics, validation: result.validationMetrics },
    };
    await saveModel(modelDir, result.model, result.preprocess, card);
    await writeFile(join(modelDir, METRICS_FILE), `${JSON.stringify(metrics, null, 2)}\n`);
    await writeTrainingProfile(io, modelDir, files, loaded, result.predictions);
    result.model.dispose();
  }

  if (useCache) {
    try {
      if (await cache.save(cacheKey, modelDir)) io.info(`Saved the run in the ${cache.description} under ${cacheKey}.`);
      else
        io.info(
          `The run was not saved in the ${cache.description}: an entry for ${cacheKey} exists (or the store declined it; see above).`,
        );
    } catch (error) {
      io.warning(
        `The run cache could not be written (${(error as Error).message}); the model is fine, only the next identical run will train again.`,
      );
    }
  }
  const outcome = { modelDir, metrics, cacheHit: false, backend, cacheKey };
  await finish(io, outcome, modelName, card);
  return outcome;
}

/**
 * The identity of the running code: a hash of this bundle (or source file), so that
 * a new release of the action never reuses models its predecessor trained.
 */
async function codeIdentity(): Promise<string> {
  try {
    return (await hashFile(fileURLToPath(import.meta.url))).sha256.slice(0, 16);
  } catch {
    return 'unknown';
  }
}

async function readMetrics(path: string): Promise<Record<string, number | null>> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UserError(
      `cannot read metrics ${path}: ${(error as Error).message}`,
      'The trainer must write a JSON object of metrics there.',
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UserError(`${path}: expected a JSON object of metric names to numbers`);
  const metrics: Record<string, number | null> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'number' || v === null) metrics[name] = v;
    else if (typeof v === 'object')
      continue; // nested details are kept in the file, not gated
    else throw new UserError(`${path}: metric "${name}" is ${JSON.stringify(v)}, not a number`);
  }
  return metrics;
}

interface BuiltinResult {
  model: Awaited<ReturnType<typeof fitModel>>['model'];
  preprocess: ReturnType<typeof fitPreprocessor>;
  task: string;
  features: string[];
  classes: string[] | null;
  rows: { total: number; train: number; validation: number; unlabelled: number };
  epochs: { run: number; best: number; stoppedEarly: boolean; trainingMs: number; rowsPerSecond: number };
  trainMetrics: Record<string, unknown>;
  validationMetrics: Record<string, unknown> | null;
  metrics: Record<string, number | null>;
  /** The profile of the model's predictions on every training row (column `_prediction`). */
  predictions: ColumnProfileState;
}

/**
 * Writes profile.json into the model directory: the data profile of the training files
 * (the same mergeable profile validate-data writes) plus the model's predictions, so a
 * registered version carries the reference that drift-check compares production with.
 */
async function writeTrainingProfile(
  io: StepIO,
  modelDir: string,
  files: string[],
  loaded: LoadedConfig,
  predictions: ColumnProfileState | null,
): Promise<void> {
  const scan = await scanData(files, {
    format: (loaded.config.data.format ?? 'auto') as DataFormat | 'auto',
    nullValues: loaded.config.data.null_values,
  });
  // Paths as the project names them (relative to the working directory), never the training machine's own.
  const profile = {
    ...scan.profile,
    files: files.map(shown),
    columns: predictions ? [...scan.profile.columns, predictions] : scan.profile.columns,
  };
  await writeFile(join(modelDir, TRAINING_PROFILE_FILE), `${JSON.stringify(profile)}\n`);
  io.info(`Training data profile (${scan.rows} rows, ${profile.columns.length} columns) saved with the model for drift checks.`);
}

async function trainBuiltin(
  io: StepIO,
  files: string[],
  loaded: LoadedConfig,
  target: string,
  params: TrainParams,
): Promise<BuiltinResult> {
  const table = await readTable(files, {
    format: (loaded.config.data.format ?? 'auto') as DataFormat | 'auto',
    nullValues: loaded.config.data.null_values,
  });
  // A seeded split: the last validation_split of a shuffled order is held out.
  const order = Array.from({ length: table.rows }, (_, i) => i);
  shuffleInPlace(order, seededRandom(params.seed));
  const validationCount = Math.floor(table.rows * params.validation_split);
  const trainRows = order.slice(0, table.rows - validationCount).sort((a, b) => a - b);
  const validationRows = order.slice(table.rows - validationCount).sort((a, b) => a - b);
  const pre = fitPreprocessor(table, trainRows, {
    target,
    features: params.features,
    task: params.task,
    maxCategories: params.max_categories,
  });
  const trainLabelled = labelledRows(pre, table, trainRows);
  const validationLabelled = labelledRows(pre, table, validationRows);
  const unlabelled = table.rows - trainLabelled.length - validationLabelled.length;
  if (unlabelled > 0)
    io.warning(`${unlabelled} rows have no usable target "${target}" (missing, or a class not seen in training) and are left out.`);
  if (trainLabelled.length === 0) throw new UserError(`no training rows with a target "${target}"`);
  io.info(
    `${pre.target.task}: ${trainLabelled.length} training rows, ${validationLabelled.length} validation rows, ${pre.features.length} features (${pre.width} inputs after encoding)` +
      (pre.target.task === 'classification' ? `, classes ${pre.target.classes.join(', ')}` : ''),
  );
  const fit = await fitModel(
    pre,
    params,
    { x: encodeFeatures(pre, table, trainLabelled), y: encodeTarget(pre, table, trainLabelled) },
    validationLabelled.length > 0
      ? { x: encodeFeatures(pre, table, validationLabelled), y: encodeTarget(pre, table, validationLabelled) }
      : null,
    (e) =>
      io.info(
        `epoch ${String(e.epoch).padStart(String(e.epochs).length)}/${e.epochs}  loss ${e.loss.toFixed(4)}` +
          (e.valLoss !== null ? `  val_loss ${e.valLoss.toFixed(4)}` : '') +
          `  ${(e.elapsedMs / 1000).toFixed(1)} s  ETA ${(e.etaMs / 1000).toFixed(0)} s (at most; early stopping may end sooner)`,
      ),
  );
  io.info(
    `Stopped after ${fit.epochsRun} epochs${fit.stoppedEarly ? ' (early stopping)' : ''}; kept the weights of epoch ${fit.bestEpoch}. ` +
      `${Math.round((trainLabelled.length * fit.epochsRun) / (fit.trainingMs / 1000)).toLocaleString('en-US')} rows/s.`,
  );
  const trainMetrics = fullMetrics(await scoreRows(fit.model, pre, table, trainLabelled));
  const allRows = Array.from({ length: table.rows }, (_, i) => i);
  const output = await predictEncoded(fit.model, pre, encodeFeatures(pre, table, allRows), allRows.length);
  const predictions = new ColumnProfileBuilder(PREDICTION_COLUMN);
  if (pre.target.task === 'classification') {
    const classes = pre.target.classes;
    const k = classes.length;
    for (let i = 0; i < allRows.length; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (output[i * k + c]! > output[i * k + best]!) best = c;
      predictions.add(Kind.String, 0, classes[best]!);
    }
  } else {
    for (let i = 0; i < allRows.length; i++) predictions.add(Kind.Number, output[i]!, null);
  }
  const validationMetrics = validationLabelled.length > 0 ? fullMetrics(await scoreRows(fit.model, pre, table, validationLabelled)) : null;
  return {
    model: fit.model,
    preprocess: pre,
    task: pre.target.task,
    features: pre.features.map((f) => f.name),
    classes: pre.target.task === 'classification' ? pre.target.classes : null,
    rows: { total: table.rows, train: trainLabelled.length, validation: validationLabelled.length, unlabelled },
    epochs: {
      run: fit.epochsRun,
      best: fit.bestEpoch,
      stoppedEarly: fit.stoppedEarly,
      trainingMs: Math.round(fit.trainingMs),
      rowsPerSecond: Math.round((trainLabelled.length * fit.epochsRun) / (fit.trainingMs / 1000)),
    },
    trainMetrics: trainMetrics as unknown as Record<string, unknown>,
    validationMetrics: validationMetrics as unknown as Record<string, unknown> | null,
    metrics: scalarMetrics(validationMetrics ?? trainMetrics),
    predictions: predictions.toState(),
  };
}

/** Runs the user's trainer and collects its model directory and metrics. */
async function runCommand(
  io: StepIO,
  command: string,
  job: { files: string[]; target: string; params: TrainParams; modelDir: string },
): Promise<{ metrics: Record<string, number | null> }> {
  const work = `${job.modelDir}.partial-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const paramsFile = join(work, '..', `params-${process.pid}.json`);
  await writeFile(paramsFile, `${JSON.stringify(job.params, null, 2)}\n`);
  const metricsFile = join(work, METRICS_FILE);
  // The trainer gets the environment a `run:` step would: not the runner's service tokens, nor this step's inputs.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('INPUT_') && !/^ACTIONS_(RUNTIME|ID_TOKEN_REQUEST|RESULTS|CACHE)_/.test(name),
    ),
  );
  const env = {
    ...inherited,
    MLOPS_TRAIN_DATA: job.files.join('\n'),
    MLOPS_TARGET: job.target,
    MLOPS_PARAMS_FILE: paramsFile,
    MLOPS_MODEL_DIR: work,
    MLOPS_METRICS_FILE: metricsFile,
  };
  const code = await io.group(`Running the trainer: ${command}`, async () => {
    return await new Promise<number>((resolvePromise, reject) => {
      const child = spawn(command, { shell: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const forward = (stream: NodeJS.ReadableStream) => {
        let buffered = '';
        stream.on('data', (chunk: Buffer) => {
          buffered += chunk.toString('utf8');
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) io.info(line);
        });
        stream.on('end', () => buffered && io.info(buffered));
      };
      forward(child.stdout);
      forward(child.stderr);
      child.on('error', reject);
      child.on('close', (status) => resolvePromise(status ?? 1));
    });
  });
  await rm(paramsFile, { force: true });
  if (code !== 0) {
    await rm(work, { recursive: true, force: true });
    throw new UserError(`the trainer command failed with exit code ${code}: ${command}`, 'Its output is in the log above.');
  }
  const metrics = await readMetrics(metricsFile);
  const written = (await readdir(work)).filter((f) => f !== METRICS_FILE);
  if (written.length === 0) {
    await rm(work, { recursive: true, force: true });
    throw new UserError(
      'the trainer wrote no model files into MLOPS_MODEL_DIR',
      'Save the model into the folder named by MLOPS_MODEL_DIR.',
    );
  }
  await rm(job.modelDir, { recursive: true, force: true });
  await mkdir(join(job.modelDir, '..'), { recursive: true });
  await rename(work, job.modelDir);
  return { metrics };
}

async function finish(io: StepIO, outcome: TrainOutcome, modelName: string, card: Record<string, unknown> | null): Promise<void> {
  const rows = Object.entries(outcome.metrics).map(([name, value]) => [`\`${name}\``, formatNumber(value)]);
  const summary = [
    `## Training: ${escapeText(modelName)}${outcome.cacheHit ? ' (cached)' : ''}`,
    '',
    outcome.cacheHit
      ? `Reused an identical earlier run (same data, parameters and trainer): key \`${outcome.cacheKey}\`.`
      : `Trained in ${(((card?.durationMs as number) ?? 0) / 1000).toFixed(1)} s on the ${outcome.backend} backend. Model directory: ${code(shown(outcome.modelDir), 200, false)}.`,
    '',
    rows.length > 0 ? mdTable(['Metric', 'Value'], rows, ['left', 'right']) : '*No metrics.*',
    '',
  ].join('\n');
  await io.appendSummary(summary);
  await uploadArtifact(io, io.getInput('artifact-name') || `model-${modelName}`, outcome.modelDir, 'the model');
  io.setOutput('model-dir', shown(outcome.modelDir));
  io.setOutput('metrics', JSON.stringify(outcome.metrics));
  io.setOutput('cache-hit', String(outcome.cacheHit));
  io.setOutput('backend', outcome.backend);
  io.setOutput('cache-key', outcome.cacheKey);
}
