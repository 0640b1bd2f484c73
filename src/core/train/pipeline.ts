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
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FILE_NAMES, MODEL_CARD_FORMAT, readContract, writeContract } from '../contracts/index.js';
import type { ModelCard, ModelFile } from '../contracts/index.js';
import { readTable } from '../data/table.js';
import type { DataFormat } from '../data/source.js';
import { Kind } from '../data/values.js';
import { UserError } from '../errors.js';
import { hashFile, sha256, stableJson } from '../lineage.js';
import type { FileHash } from '../lineage.js';
import { modelKind } from '../model/kinds.js';
import type { Algorithm } from '../model/kinds.js';
import type { EncodedRows, Fitted, ModelSignature, TabularModel } from '../model/model.js';
import { seededRandom, shuffleInPlace } from '../model/random.js';
import { ColumnProfileBuilder, PREDICTION_COLUMN, TRAINING_PROFILE_FILE } from '../profile/profile.js';
import type { ColumnProfileState } from '../profile/profile.js';
import { scanData } from '../validate/scan.js';
import type { ScanResult } from '../validate/scan.js';
import { progressLine } from '../validate/validate.js';
import type { RunCache } from '../../ports/storage.js';
import { describeModelFile, MODEL_FILE, modelFileDigest } from '../model/model-io.js';
import { openOnnxModel } from '../model/onnx-model.js';
import type { OnnxModel } from '../model/onnx-model.js';
import { inspectOnnx } from '../onnx/graph.js';
import { AUTO_ALGORITHM, candidateParams } from './params.js';
import type { TrainParams } from './params.js';
import { IMPORTANCE_MAX_ROWS, permutationImportance } from './importance.js';
import type { PermutationImportance } from './importance.js';
import { AUTO_CANDIDATES, bestCandidate, leaderboardLine, selectionRule } from './leaderboard.js';
import type { LeaderboardEntry } from './leaderboard.js';
import {
  compareLabels,
  encodeFeatures,
  encodeTarget,
  fitPreprocessor,
  labelledRows,
  labelOf,
  preprocessSignature,
} from '../model/preprocess.js';
import type { Preprocessor } from '../model/preprocess.js';
import type { Table } from '../data/table.js';
import { epochProgress } from './progress.js';
import { fullMetrics, scalarMetrics, scoreRows } from '../evaluate/score.js';

export const TRAINER_VERSION = 'mlops-actions-builtin/1';

export type Metrics = Record<string, number | null>;

export interface TrainJob {
  /** The model's name (model.name of mlops.yaml): in the card and the cache key. */
  modelName: string;
  files: readonly string[];
  target: string;
  params: TrainParams;
  /** Where the parameters came from, for the card: "train in mlops.yaml + params.yaml + inputs". */
  paramSources: string;
  /** The user's trainer, run instead of the built-in kinds, and the files of its code (hashed). */
  command: string | null;
  codeFiles: readonly string[];
  format: DataFormat | 'auto';
  nullValues?: readonly string[];
  /** The model directory to write (replaced when training succeeds). */
  modelDir: string;
  /** The run cache, or null to always train. */
  cache: RunCache | null;
}

/** What the use case needs of the world. */
export interface TrainPorts {
  info(message: string): void;
  warning(message: string): void;
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** A path as people see it (relative to the working directory). */
  shown(path: string): string;
  /** Where the run comes from: commit and ref, and the workflow run. */
  lineage(): Promise<Pick<ModelCard, 'git' | 'run'>>;
  /** Runs the user's command with the one environment policy (its output goes to the log). */
  runCommand(job: { command: string; what: string; env: Record<string, string> }): Promise<void>;
}

export interface TrainOutcome {
  modelDir: string;
  metrics: Metrics;
  cacheHit: boolean;
  /** What the model was fitted on (tensorflow, wasm, cpu), or "none" (a command, or a cache hit). */
  backend: string;
  cacheKey: string;
  /** Seconds of the whole run; null on a cache hit. */
  seconds: number | null;
}

/** Trains (or reuses an identical earlier run) and writes the model directory. */
export async function trainModel(job: TrainJob, ports: TrainPorts): Promise<TrainOutcome> {
  const started = performance.now();
  const dataHashes: FileHash[] = [];
  for (const file of job.files) dataHashes.push(await hashFile(file));
  const codeHashes: FileHash[] = [];
  for (const file of job.codeFiles) codeHashes.push(await hashFile(file));
  const trainer = job.command
    ? { kind: 'command' as const, command: job.command, code: codeHashes.map((h) => ({ path: ports.shown(h.path), sha256: h.sha256 })) }
    : { kind: 'builtin' as const, version: TRAINER_VERSION, build: await codeIdentity() };
  const hashes = {
    data: sha256(stableJson(dataHashes.map((h) => h.sha256))),
    params: sha256(stableJson({ params: job.params, target: job.target, format: job.format, nullValues: job.nullValues ?? null })),
    code: sha256(stableJson(trainer)),
  };
  const cacheKey = `mlops-train-${job.modelName}-${sha256(stableJson(hashes)).slice(0, 40)}`;
  const { modelDir, cache } = job;

  if (cache && (await restored(cache, cacheKey, modelDir, ports))) {
    const metrics = await readMetrics(join(modelDir, FILE_NAMES.metrics), ports.shown);
    ports.info(`Cache hit: reusing the model trained from the same data, parameters and trainer (key ${cacheKey}).`);
    return { modelDir, metrics, cacheHit: true, backend: 'none', cacheKey, seconds: null };
  }

  const lineage = await ports.lineage();
  const staging = `${modelDir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  let outcome: TrainOutcome;
  try {
    // The training files' profile first: reading them again after the fit would hold the
    // scan's buffers on top of what the fit leaves (the table, ONNX Runtime), and the peak
    // memory would be their sum.
    const scan = await scanData(job.files, {
      format: job.format,
      nullValues: job.nullValues,
      // Large files: a line every 2 s (the profile comes before the fit's own lines).
      progressIntervalMs: 2000,
      onProgress: (p) => ports.info(`Profiling the training data: ${progressLine(p)}`),
    });
    const result = job.command ? await runTrainer(job, job.command, staging, ports) : await fitBuiltin(job, staging, ports);
    const card: ModelCard = {
      format: MODEL_CARD_FORMAT,
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
    await writeContract('modelCard', staging, card);
    await writeTrainingProfile(job, scan, staging, result.predictions, ports);
    await rm(modelDir, { recursive: true, force: true });
    await mkdir(dirname(modelDir), { recursive: true });
    await rename(staging, modelDir);
    outcome = { modelDir, metrics: result.metrics, cacheHit: false, backend: result.backend, cacheKey, seconds: card.durationMs! / 1000 };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }

  if (cache) {
    try {
      if (await cache.save(cacheKey, modelDir)) ports.info(`Saved the run in the ${cache.description} under ${cacheKey}.`);
      else
        ports.info(
          `The run was not saved in the ${cache.description}: an entry for ${cacheKey} exists (or the store declined it; see above).`,
        );
    } catch (error) {
      ports.warning(
        `The run cache could not be written (${(error as Error).message}); the model is fine, only the next identical run will train again.`,
      );
    }
  }
  return outcome;
}

async function restored(cache: RunCache, key: string, modelDir: string, ports: TrainPorts): Promise<boolean> {
  return ports.group(`Looking for an identical earlier run (${cache.description})`, async () => {
    let hit: boolean;
    try {
      hit = await cache.restore(key, modelDir);
    } catch (error) {
      ports.warning(`The run cache could not be read (${(error as Error).message}); training instead.`);
      return false;
    }
    if (!hit) return false;
    const problem = await restoredProblem(key, modelDir);
    if (problem === null) return true;
    ports.warning(`The cached run under ${key} is not the run it claims to be (${problem}); training instead.`);
    await rm(modelDir, { recursive: true, force: true });
    return false;
  });
}

/**
 * Why a model directory restored from the run cache under `key` cannot be reused, or null: its
 * card must have been written by the run with this key, and its graph must be the one the card
 * describes (the SHA-256 train recorded). A cache entry is written by whoever could write the
 * cache; this ties what is reused to what the key promises before it reaches evaluate and register.
 */
export async function restoredProblem(key: string, modelDir: string): Promise<string | null> {
  let card: ModelCard | null;
  try {
    card = await readContract('modelCard', modelDir);
  } catch (error) {
    return `its model card cannot be read: ${(error as Error).message}`;
  }
  if (!card) return 'it has no model card';
  if (card.hashes?.cacheKey !== key) return `its model card was written for ${String(card.hashes?.cacheKey ?? 'no cache key')}`;
  if (card.model?.file === MODEL_FILE) {
    const graph = await modelFileDigest(modelDir);
    if (graph !== `sha256:${card.model.sha256}`)
      return `its ${MODEL_FILE} is ${graph ?? 'missing'}, the card records sha256:${card.model.sha256}`;
  }
  return null;
}

/** What a trainer adds to the model directory and the card. */
interface Trained {
  metrics: Metrics;
  backend: string;
  task?: 'classification' | 'regression';
  data: Partial<ModelCard['data']>;
  epochs?: ModelCard['epochs'] & { rowsPerSecond: number };
  cardMetrics: ModelCard['metrics'];
  /** The profile of the model's predictions on every training row (column `_prediction`), when we can predict. */
  predictions: ColumnProfileState | null;
  /** The model file and signature, when the directory holds a graph (always for built-in kinds). */
  model?: { file: ModelFile; signature: ModelSignature };
  /** The built-in kind kept (for auto, the chosen candidate). */
  algorithm?: Algorithm;
  /** auto's candidates, with the kept one marked. */
  leaderboard?: LeaderboardEntry[];
  importance?: PermutationImportance;
}

/**
 * The identity of the running code: a hash of this bundle (or source file), so that
 * a new release never reuses models its predecessor trained.
 */
async function codeIdentity(): Promise<string> {
  try {
    return (await hashFile(fileURLToPath(import.meta.url))).sha256.slice(0, 16);
  } catch {
    return 'unknown';
  }
}

/** A metrics file: a JSON object of metric names to numbers (nested details are kept in the file, not gated). */
async function readMetrics(path: string, shown: (path: string) => string): Promise<Metrics> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UserError(
      `cannot read metrics ${shown(path)}: ${(error as Error).message}`,
      'The trainer must write a JSON object of metrics there.',
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UserError(`${shown(path)}: expected a JSON object of metric names to numbers`);
  const metrics: Metrics = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'number' || v === null) metrics[name] = v;
    else if (typeof v === 'object') continue;
    else throw new UserError(`${shown(path)}: metric "${name}" is ${JSON.stringify(v)}, not a number`);
  }
  return metrics;
}

/** Runs the user's trainer into `dir` and reads its metrics. */
async function runTrainer(job: TrainJob, command: string, dir: string, ports: TrainPorts): Promise<Trained> {
  const paramsFile = join(dirname(dir), `params-${process.pid}.json`);
  await writeFile(paramsFile, `${JSON.stringify(job.params, null, 2)}\n`);
  const metricsFile = join(dir, FILE_NAMES.metrics);
  try {
    await ports.group(`Running the trainer: ${command}`, () =>
      ports.runCommand({
        command,
        what: 'trainer command',
        env: {
          MLOPS_TRAIN_DATA: job.files.join('\n'),
          MLOPS_TARGET: job.target,
          MLOPS_PARAMS_FILE: paramsFile,
          MLOPS_MODEL_DIR: dir,
          MLOPS_METRICS_FILE: metricsFile,
        },
      }),
    );
  } finally {
    await rm(paramsFile, { force: true });
  }
  const metrics = await readMetrics(metricsFile, ports.shown);
  if ((await readdir(dir)).every((file) => file === FILE_NAMES.metrics))
    throw new UserError(
      'the trainer wrote no model files into MLOPS_MODEL_DIR',
      `Save the model into the folder named by MLOPS_MODEL_DIR: as ${MODEL_FILE} for evaluate, register, deploy and serve to use it (see the README, "Bring your own model").`,
    );
  const trained: Trained = { metrics, backend: 'none', data: {}, cardMetrics: { validation: metrics }, predictions: null };
  if (!existsSync(join(dir, MODEL_FILE))) {
    ports.warning(
      `The trainer wrote no ${MODEL_FILE}: evaluate needs a predictions file (evaluate.predictions), and register, deploy and serve cannot load the model. ` +
        'Export it to ONNX (see the README, "Bring your own model").',
    );
    return trained;
  }
  const table = await readTable(job.files, { format: job.format, nullValues: job.nullValues });
  const checked = await checkTrainerGraph(join(dir, MODEL_FILE), table, job, ports);
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
async function checkTrainerGraph(
  file: string,
  table: Table,
  job: TrainJob,
  ports: TrainPorts,
): Promise<{ file: ModelFile; signature: ModelSignature }> {
  const shownPath = ports.shown(file);
  const bytes = new Uint8Array(await readFile(file));
  const info = inspectOnnx(bytes, shownPath);
  const columns = table.columns.map((c) => c.name);
  const dataFeatures = table.columns
    .filter((c) => c.name !== job.target && (!job.params.features || job.params.features.includes(c.name)))
    .map((c) => ({ name: c.name, type: c.texts ? ('string' as const) : ('number' as const) }));
  // One tensor of every feature, with no column order in the graph: the data's feature columns, in file order.
  const singleTensor =
    info.inputs.length === 1 && !columns.includes(info.inputs[0]!.name) && !info.metadata.feature_names && !info.metadata['mlops.features'];
  if (singleTensor) {
    const width = info.inputs[0]!.shape?.[1];
    if (typeof width === 'number' && width !== dataFeatures.length)
      throw new UserError(
        `${shownPath}: the graph's input ${info.inputs[0]!.name} takes ${width} columns, but the training data has ${dataFeatures.length} feature columns`,
        'Set train.features to the columns the model takes, in order, or add their names to the graph as metadata feature_names (a JSON list).',
      );
    ports.info(`${shownPath} takes one tensor of ${dataFeatures.length} columns: the training data's feature columns, in file order.`);
  }
  const open = (signature?: Partial<ModelSignature>): Promise<OnnxModel> =>
    openOnnxModel(bytes, { shownPath, algorithm: 'onnx', signature, log: (line) => ports.info(line) });
  let model = await open(singleTensor ? { features: dataFeatures } : undefined);
  try {
    let { signature } = model;
    // The graph names no classes (a classifier node's classlabels, or mlops.target metadata): the target's sorted values, said in the log.
    const named = info.classLabels !== null || Object.hasOwn(info.metadata, 'mlops.target');
    if (signature.target.task === 'classification' && !named) {
      const column = table.columns.find((c) => c.name === job.target);
      const labels = new Set<string>();
      if (column)
        for (let r = 0; r < table.rows; r++) {
          const label = labelOf(column, r);
          if (label !== null) labels.add(label);
        }
      const classes = [...labels].sort(compareLabels);
      if (classes.length === signature.target.classes.length) {
        model.dispose();
        model = await open({
          ...(singleTensor ? { features: dataFeatures } : {}),
          target: { name: job.target, task: 'classification', classes },
        });
        signature = model.signature;
        ports.info(
          `${shownPath} names no classes: its probability columns are taken as the target's values in sorted order (${classes.join(', ')}), as scikit-learn orders classes_. ` +
            "If that is not their order, name them in the graph (the classifier node's classlabels, or metadata mlops.target).",
        );
      } else
        ports.warning(
          `${shownPath} gives ${signature.target.classes.length} class probabilities but the target "${job.target}" has ${classes.length} classes; ` +
            `the classes are named ${signature.target.classes.join(', ')}. Name them in the graph (classlabels of the classifier node) to fix this.`,
        );
    }
    const missing = signature.features.filter((f) => !columns.includes(f.name)).map((f) => f.name);
    if (missing.length > 0)
      throw new UserError(
        `${shownPath}: the graph takes ${missing.map((m) => JSON.stringify(m)).join(', ')}, which ${missing.length === 1 ? 'is not a column' : 'are not columns'} of the training data (${columns.join(', ')})`,
        'Name the graph inputs after the data columns (one input per column), or give a single-tensor graph its column order as metadata feature_names.',
      );
    const sample = Array.from({ length: Math.min(table.rows, 100) }, (_, i) => i);
    await model.predict(table, sample);
    signature = { ...signature, target: { ...signature.target, name: job.target } };
    ports.info(
      `${shownPath}: ${signature.target.task}, ${signature.features.length} feature columns` +
        (signature.target.task === 'classification' ? `, classes ${signature.target.classes.join(', ')}` : '') +
        ` (producer ${info.producer || 'unknown'}, opsets ${Object.entries(info.opsets)
          .map(([d, v]) => `${d || 'ai.onnx'} ${v}`)
          .join(', ')}).`,
    );
    return { file: describeModelFile(bytes, model), signature };
  } finally {
    model.dispose();
  }
}

/** The data of a built-in run: one table, one seeded split and one preprocessing fit, shared by every candidate. */
interface Split {
  table: Table;
  pre: Preprocessor;
  train: number[];
  validation: number[];
  unlabelled: number;
}

/** Reads the data, splits it (seeded) and fits the preprocessing on the training rows. */
async function prepareSplit(job: TrainJob, ports: TrainPorts): Promise<Split> {
  const { params, target } = job;
  const table = await readTable(job.files, { format: job.format, nullValues: job.nullValues });
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
  const train = labelledRows(pre, table, trainRows);
  const validation = labelledRows(pre, table, validationRows);
  const unlabelled = table.rows - train.length - validation.length;
  if (unlabelled > 0)
    ports.warning(`${unlabelled} rows have no usable target "${target}" (missing, or a class not seen in training) and are left out.`);
  if (train.length === 0) throw new UserError(`no training rows with a target "${target}"`);
  ports.info(
    `${pre.target.task}: ${train.length} training rows, ${validation.length} validation rows, ${pre.features.length} features (${pre.width} inputs after encoding)` +
      (pre.target.task === 'classification' ? `, classes ${pre.target.classes.join(', ')}` : ''),
  );
  return { table, pre, train, validation, unlabelled };
}

/** One fitted kind: its graph, and its metrics on the validation rows (the training rows when there are none). */
interface Candidate {
  algorithm: Algorithm;
  params: TrainParams;
  backend: string;
  fitted: Fitted;
  rowsPerSecond: number;
  trainingMs: number;
  validation: Metrics;
}

/** Fits `algorithm` on the split and scores its ONNX graph on the validation rows. */
async function fitCandidate(algorithm: Algorithm, params: TrainParams, split: Split, ports: TrainPorts): Promise<Candidate> {
  const kind = modelKind(algorithm);
  const backend = await kind.setup((line) => ports.warning(line));
  ports.info(`${algorithm} runs on the ${backend} backend.`);
  const { pre, table } = split;
  // The encoded features (rows x pre.width, one-hot blocks included) are made when a kind first reads
  // them, then kept: the networks read them at once, gbdt only for one-hot text (its native categories
  // and raw numbers come from the table), which spares it rows x width float32s on wide one-hot data.
  const encoded = (rows: number[]): EncodedRows => {
    let x: Float32Array | null = null;
    return {
      get x() {
        return (x ??= encodeFeatures(pre, table, rows));
      },
      y: encodeTarget(pre, table, rows),
    };
  };
  const started = performance.now();
  const fitted: Fitted = await kind.fit({
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
  ports.info(
    `Stopped after ${epochs.run} epochs${epochs.stoppedEarly ? ' (early stopping)' : ''}; kept the weights of epoch ${epochs.best}. ` +
      `${rowsPerSecond.toLocaleString('en-US')} rows/s.`,
  );
  for (const note of fitted.notes ?? []) ports.info(note);
  const model = await openOnnxModel(fitted.onnx, { shownPath: `${algorithm}.onnx`, algorithm, signature: preprocessSignature(pre) });
  try {
    const rows = split.validation.length > 0 ? split.validation : split.train;
    const validation = scalarMetrics(fullMetrics(await scoreRows(model, table, rows)));
    return { algorithm, params, backend, fitted, rowsPerSecond, trainingMs, validation };
  } finally {
    model.dispose();
  }
}

/**
 * Fits the built-in kind named by params.algorithm into `dir`; for `auto`, every kind of
 * AUTO_CANDIDATES on the same split (each with its own defaults and your keys), keeping
 * the best on validation (leaderboard.ts) and recording the others in the card.
 */
async function fitBuiltin(job: TrainJob, dir: string, ports: TrainPorts): Promise<Trained> {
  const { params } = job;
  const files = job.files;
  const source = files.length === 1 ? ports.shown(files[0]!) : `${files.length} files`;
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
  const candidates: Candidate[] = [];
  for (const [i, algorithm] of AUTO_CANDIDATES.entries())
    candidates.push(
      await ports.group(`Training ${algorithm} on ${source} (auto: candidate ${i + 1} of ${AUTO_CANDIDATES.length})`, () =>
        fitCandidate(algorithm, candidateParams(params, algorithm), split, ports),
      ),
    );
  const best = bestCandidate(
    task,
    candidates.map((c) => c.validation),
  );
  const leaderboard: LeaderboardEntry[] = candidates.map((c, i) => ({
    algorithm: c.algorithm,
    validation: c.validation,
    trainingMs: c.trainingMs,
    chosen: i === best,
  }));
  const chosen = candidates[best]!;
  return ports.group(`Keeping ${chosen.algorithm} (auto)`, async () => {
    ports.info(
      `auto: kept the candidate with ${selectionRule(task)} on the ${split.validation.length > 0 ? `${split.validation.length} validation rows` : `${split.train.length} training rows (there is no validation split)`}.`,
    );
    for (const entry of leaderboard) ports.info(leaderboardLine(task, entry));
    return keep(job, split, chosen, leaderboard, dir, ports);
  });
}

/** Writes the kept candidate's graph into `dir`, with its metrics, the profile of its predictions and its feature importance. */
async function keep(
  job: TrainJob,
  split: Split,
  candidate: Candidate,
  leaderboard: LeaderboardEntry[] | null,
  dir: string,
  ports: TrainPorts,
): Promise<Trained> {
  const { table, pre } = split;
  const { fitted, algorithm } = candidate;
  // From here on the model is its ONNX graph: the metrics, the profile and every later step score the same file.
  const file = join(dir, MODEL_FILE);
  await writeFile(file, fitted.onnx);
  const signature = preprocessSignature(pre);
  const model = await openOnnxModel(fitted.onnx, { shownPath: ports.shown(file), algorithm, signature, log: (line) => ports.info(line) });
  ports.info(
    `Exported to ONNX with the preprocessing inside (${ports.shown(file)}, ${(fitted.onnx.byteLength / 1024).toFixed(1)} KB); ` +
      `scored from here on with onnxruntime-${model.runtime}.`,
  );
  try {
    // Every row scored once: the profile of the predictions takes them all, the training metrics the training rows'.
    const allRows = Array.from({ length: table.rows }, (_, i) => i);
    const output = await model.predict(table, allRows);
    const trainMetrics = scalarMetrics(fullMetrics(await scoreRows(predicted(model, output), table, split.train)));
    const validationMetrics = split.validation.length > 0 ? candidate.validation : null;
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
    const importance = await importanceOf(model, split, job, ports);
    const metrics = validationMetrics ?? trainMetrics;
    await writeFile(join(dir, FILE_NAMES.metrics), `${JSON.stringify(metrics, null, 2)}\n`);
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
      model: { file: describeModelFile(fitted.onnx, model), signature },
      ...(leaderboard ? { leaderboard } : {}),
      ...(importance ? { importance: fitted.gain ? { ...importance, gain: fitted.gain } : importance } : {}),
    };
  } finally {
    model.dispose();
  }
}

/**
 * `model` answering from `output`, its predictions for every row of the table (row-major,
 * as `predict` gives them), so scoring rows of that table runs no session again.
 */
function predicted(model: TabularModel, output: Float64Array): TabularModel {
  const { target } = model.signature;
  const width = target.task === 'classification' ? target.classes.length : 1;
  return {
    algorithm: model.algorithm,
    signature: model.signature,
    predict: (_table, rows) => {
      const out = new Float64Array(rows.length * width);
      for (let i = 0; i < rows.length; i++) for (let j = 0; j < width; j++) out[i * width + j] = output[rows[i]! * width + j]!;
      return Promise.resolve(out);
    },
    dispose: () => undefined,
  };
}

/** Permutation importance of the kept model on the validation rows (the training rows without a split), logged. */
async function importanceOf(model: OnnxModel, split: Split, job: TrainJob, ports: TrainPorts): Promise<PermutationImportance | null> {
  const onValidation = split.validation.length > 0;
  const rows = onValidation ? split.validation : split.train;
  const started = performance.now();
  const importance = await permutationImportance(model, split.table, rows, job.target, { seed: job.params.seed });
  if (!importance) return null;
  ports.info(
    `Feature importance: permutation, the drop in ${importance.metric} when one column is shuffled (${importance.repeats} repeats) on ` +
      `${importance.rows.toLocaleString('en-US')} ${onValidation ? 'validation' : 'training'} rows` +
      (rows.length > importance.rows
        ? ` (a sample of ${rows.length.toLocaleString('en-US')}, at most ${IMPORTANCE_MAX_ROWS.toLocaleString('en-US')} to bound the time)`
        : '') +
      `, ${((performance.now() - started) / 1000).toFixed(1)} s. ` +
      `Most important: ${importance.features
        .slice(0, 5)
        .map((f) => `${f.name} ${f.mean.toFixed(3)} ± ${f.std.toFixed(3)}`)
        .join(', ')}.`,
  );
  return { ...importance, on: onValidation ? 'validation' : 'training' };
}

/**
 * profile.json in the model directory: the data profile of the training files (the
 * same mergeable profile validate-data writes) plus the model's predictions, so a
 * registered version carries the reference that drift-check compares production with.
 */
async function writeTrainingProfile(
  job: TrainJob,
  scan: ScanResult,
  dir: string,
  predictions: ColumnProfileState | null,
  ports: TrainPorts,
): Promise<void> {
  // Paths as the project names them (relative to the working directory), never the training machine's own.
  const profile = {
    ...scan.profile,
    files: job.files.map(ports.shown),
    columns: predictions ? [...scan.profile.columns, predictions] : scan.profile.columns,
  };
  await writeFile(join(dir, TRAINING_PROFILE_FILE), `${JSON.stringify(profile)}\n`);
  ports.info(`Training data profile (${scan.rows} rows, ${profile.columns.length} columns) saved with the model for drift checks.`);
}
