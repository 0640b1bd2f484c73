/** train: fit a built-in model kind (or run your own trainer), with lineage and a run cache. */
import { contractPath, readContract } from '../core/contracts/index.js';
import { expandPaths } from '../core/data/paths.js';
import { cardSections } from '../core/evaluate/markdown-report.js';
import type { DataFormat } from '../core/data/source.js';
import { UserError } from '../core/errors.js';
import { code, escapeText, formatNumber, table as mdTable } from '../core/markdown.js';
import { DEFAULT_ALGORITHM, MODEL_KINDS } from '../core/model/kinds.js';
import { ALGORITHM_CHOICES, parseTrainParams, readParamsFile, renameLegacyModelKey, TrainSection } from '../core/train/params.js';
import type { TrainParams } from '../core/train/params.js';
import { trainModel } from '../core/train/pipeline.js';
import type { TrainOutcome, TrainPorts } from '../core/train/pipeline.js';
import { ensureWritableDir } from '../core/workspace.js';
import { uploadArtifact } from './artifacts.js';
import type { StepContext } from './context.js';
import { booleanInput, InputError, listInput, pathsInput, resolveInput, stringInput } from './spec.js';
import type { StepSpec } from './spec.js';

const kinds = Object.values(MODEL_KINDS)
  .map((kind) => `${kind.name} (${kind.description})`)
  .join('; ');

export const train: StepSpec = {
  name: 'train',
  title: 'Train',
  description:
    'Trains a built-in model (linear or MLP on TensorFlow.js, gbdt gradient-boosted trees, or auto: the best of the three on the validation split; exported to ONNX with its preprocessing inside, with permutation feature importance) or runs your own trainer command (its model.onnx checked), writes a model directory with its model card and metrics, and skips training when an identical run is cached.',
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
      description:
        'Your own trainer, run by the shell instead of the built-in model. It gets MLOPS_TRAIN_DATA, MLOPS_TARGET, MLOPS_PARAMS_FILE (every key of the train section and params file, as JSON), MLOPS_MODEL_DIR and MLOPS_METRICS_FILE in its environment, and must write a JSON object of metrics into MLOPS_METRICS_FILE and the model into MLOPS_MODEL_DIR: as model.onnx (checked, then evaluated, registered and served like a built-in model), optionally with reference-predictions.csv (its own predictions, for the fidelity gate). Default: train.command in mlops.yaml.',
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
  async run(ctx: StepContext): Promise<void> {
    await runTrain(ctx);
  },
};

/** Resolves the inputs, trains (or reuses a cached run), and publishes the model directory. */
async function runTrain(ctx: StepContext): Promise<void> {
  const { io, workspace, config: loaded } = ctx;
  const step = train;
  const patterns = pathsInput(ctx, step, 'data');
  if (patterns.length === 0) throw new UserError('no training data', 'Set the `data` input (or --data), or data.path in mlops.yaml.');
  const target = stringInput(ctx, step, 'target');
  if (!target) throw new UserError('no target column', 'Set the `target` input (or --target), or data.target in mlops.yaml.');
  const { params, command, sources } = await resolveParams(ctx);
  const useCache = booleanInput(ctx, step, 'cache') ?? true;
  const outputOverride = io.getInput('output-dir');
  const modelDir = workspace.modelDir(outputOverride);
  // Before any work: an unwritable folder is an error now, not after training.
  await ensureWritableDir(workspace.dir('train', outputOverride), outputOverride ? 'input output-dir' : 'the train folder');

  const files = await expandPaths(patterns);
  const codePatterns = listInput(ctx, step, 'code-paths').map((p) => workspace.path(p));
  const codeFiles = codePatterns.length > 0 ? await expandPaths(codePatterns) : [];
  const modelName = loaded.config.model?.name ?? 'model';
  const ports: TrainPorts = {
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
  const outcome = await trainModel(
    {
      modelName,
      files,
      target,
      params,
      paramSources: sources,
      command,
      codeFiles,
      format: (loaded.config.data.format ?? 'auto') as DataFormat | 'auto',
      nullValues: loaded.config.data.null_values,
      modelDir,
      cache: useCache ? await ctx.runCache('train') : null,
    },
    ports,
  );
  await publish(ctx, outcome, modelName, command !== null);
}

/**
 * The parameters: mlops.yaml's train section, then the params file, then the inputs
 * (each input resolved by the one rule); checked together against the parameters of
 * the run and of its algorithm.
 */
async function resolveParams(ctx: StepContext): Promise<{ params: TrainParams; command: string | null; sources: string }> {
  const { io, workspace, config: loaded } = ctx;
  const warn = (message: string) => io.warning(message);
  const { command: _configCommand, ...fromConfig } = renameLegacyModelKey(loaded.config.train ?? {}, 'train in mlops.yaml', warn);
  const paramsPath = stringInput(ctx, train, 'params');
  const fromFile = paramsPath ? renameLegacyModelKey(await readParamsFile(workspace.path(paramsPath), paramsPath), paramsPath, warn) : {};
  const overrides: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(train.inputs)) {
    if (!spec.config?.startsWith('train.') || name === 'command') continue;
    const resolved = resolveInput(ctx, train, name, fromFile);
    if (resolved?.source === 'input') overrides[spec.config.slice('train.'.length)] = resolved.value;
  }
  if (typeof overrides.batch_size === 'string') overrides.batch_size = batchSize(overrides.batch_size);
  const where =
    [loaded.file ? 'train in mlops.yaml' : null, paramsPath || null, Object.keys(overrides).length > 0 ? 'inputs' : null]
      .filter(Boolean)
      .join(' + ') || 'defaults';
  const { command: _fileCommand, ...fileParams } = fromFile;
  const command = stringInput(ctx, train, 'command', fromFile) ?? null;
  const params = parseTrainParams({ ...fromConfig, ...fileParams, ...overrides }, where, command ? 'command' : 'builtin');
  return { params, command, sources: where };
}

/** batch-size is the one input that is a word or a number: auto, or a whole number. */
function batchSize(text: string): 'auto' | number {
  if (text === 'auto') return 'auto';
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value)) throw new InputError('batch-size', `"${text}" (input) is not auto or a whole number`);
  return value;
}

async function publish(ctx: StepContext, outcome: TrainOutcome, modelName: string, byCommand: boolean): Promise<void> {
  const { io, workspace } = ctx;
  // The card's leaderboard (auto) and feature importance, as evaluate's report shows them (a cache hit's card too).
  const card = byCommand
    ? null
    : await readContract('modelCard', outcome.modelDir, workspace.shown(contractPath('modelCard', outcome.modelDir)));
  const fromCard = card ? cardSections(card).flatMap((section) => [`### ${section.title}`, '', section.body, '']) : [];
  const rows = Object.entries(outcome.metrics).map(([name, value]) => [`\`${name}\``, formatNumber(value)]);
  const shownDir = workspace.shown(outcome.modelDir);
  const how = outcome.cacheHit
    ? `Reused an identical earlier run (same data, parameters and trainer): key \`${outcome.cacheKey}\`.`
    : `${byCommand ? 'Ran your trainer' : `Trained on the ${outcome.backend} backend`} in ${(outcome.seconds ?? 0).toFixed(1)} s. Model directory: ${code(shownDir, 200, false)}.`;
  await io.appendSummary(
    [
      `## Training: ${escapeText(modelName)}${outcome.cacheHit ? ' (cached)' : ''}`,
      '',
      how,
      '',
      rows.length > 0 ? mdTable(['Metric', 'Value'], rows, ['left', 'right']) : '*No metrics.*',
      '',
      ...fromCard,
    ].join('\n'),
  );
  await uploadArtifact(ctx, io.getInput('artifact-name') || `model-${modelName}`, outcome.modelDir, 'the model');
  io.setOutput('model-dir', shownDir);
  io.setOutput('metrics', JSON.stringify(outcome.metrics));
  io.setOutput('cache-hit', String(outcome.cacheHit));
  io.setOutput('backend', outcome.backend);
  io.setOutput('cache-key', outcome.cacheKey);
}
