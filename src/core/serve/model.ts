/**
 * A model as the server holds it: the loaded model (any TabularModel; every model
 * directory is loaded as an ONNX graph through ONNX Runtime), its signature, what it is
 * (name, version, digest, uri), and a count of the requests using it, so a model that
 * was swapped out is disposed only after its last request has finished.
 *
 * Conventions: features are the signature's, in its order; requests become a Table
 * of those columns (records.ts) and go to `model.predict(table, rows)`, the preprocessing
 * being inside the graph. The graph's own inputs and outputs (names, OIP v2 datatypes,
 * shapes) are optional: an OnnxModel has them, other TabularModels do not, and the
 * server then describes the signature instead.
 */
import type { Table } from '../data/table.js';
import { loadModel } from '../model/model-io.js';
import { loadTrainingProfile } from '../profile/profile.js';
import type { DatasetProfile } from '../profile/profile.js';
import { integerClasses } from '../model/export-onnx.js';
import type { ModelSignature, TabularModel } from '../model/model.js';
import type { ModelCard } from '../contracts/index.js';
import { recordsToTable } from './records.js';
import type { RawRecord } from './records.js';

export interface ModelIdentity {
  name: string;
  /** The registry version; 0 for a model directory given directly. */
  version: number;
  /** sha256:<hex> of the registry version, or of the directory's files. */
  digest: string;
  /** local://name/3, oci://..., or file://<dir>. */
  uri: string;
}

/** A graph input or output as the Open Inference Protocol v2 describes tensors (-1: any size). */
export interface GraphTensor {
  name: string;
  /** FP32, FP64, INT64, INT32, BOOL, BYTES, ... */
  datatype: string;
  shape: readonly number[];
}

/** What an ONNX-backed model tells of its graph (onnx-model.ts's OnnxModel has all of it). */
interface GraphModel {
  graphInputs: readonly GraphTensor[];
  graphOutputs: readonly GraphTensor[];
  runtime?: string;
}

/** A loaded model and its card (model-io.ts's LoadedModel, for any TabularModel). */
export interface LoadedServedModel {
  model: TabularModel;
  card: ModelCard | null;
}

/** One prediction: a class with its probabilities (in `classes` order), or a value. */
export type Prediction = { label: string; probabilities: number[] } | { value: number };

export class ServedModel {
  private inFlight = 0;
  private retired = false;
  private disposed = false;
  readonly signature: ModelSignature;
  readonly task: 'classification' | 'regression';
  readonly classes: readonly string[];
  readonly featureNames: ReadonlySet<string>;
  /** The graph's inputs and outputs, or null for a model that does not expose them. */
  readonly graph: { inputs: readonly GraphTensor[]; outputs: readonly GraphTensor[]; runtime: string | null } | null;
  /**
   * The graph's one input when it takes every feature as one [rows, k] tensor (in
   * signature order), else null (one input per feature column).
   */
  readonly tensorInput: GraphTensor | null;
  /** How labels travel in tensors: INT64 when every class is a whole number, else BYTES. */
  readonly labelDatatype: 'INT64' | 'BYTES';
  /**
   * Features the model is known to take missing: those the training data had missing
   * values in (its profile counts them). Empty when the model came without a profile.
   */
  readonly missingSeenInTraining: ReadonlySet<string>;
  readonly loadedAt = new Date();

  constructor(
    readonly identity: ModelIdentity,
    private readonly loaded: LoadedServedModel,
    /** The profile of the training data stored with the model (profile.json), or null. */
    readonly profile: DatasetProfile | null = null,
    /** Why there is no profile (said where monitoring is off), or null. */
    readonly profileReason: string | null = null,
  ) {
    const signature = loaded.model.signature;
    this.signature = signature;
    this.task = signature.target.task;
    this.classes = signature.target.task === 'classification' ? [...signature.target.classes] : [];
    this.featureNames = new Set(signature.features.map((f) => f.name));
    const model = loaded.model as TabularModel & Partial<GraphModel>;
    this.graph =
      'graphInputs' in model && Array.isArray(model.graphInputs) && Array.isArray(model.graphOutputs)
        ? { inputs: model.graphInputs, outputs: model.graphOutputs, runtime: model.runtime ?? null }
        : null;
    const inputs = this.graph?.inputs ?? [];
    this.tensorInput =
      inputs.length === 1 && (signature.features.length > 1 || inputs[0]!.name !== signature.features[0]?.name) ? inputs[0]! : null;
    const labelOutput = this.graph?.outputs.find((o) => o.name === 'label');
    // Whole-number classes as the export writes them ("007" stays text), small enough to be exact as JSON numbers.
    const integers = this.classes.length > 0 && integerClasses(this.classes) && this.classes.every((c) => c.replace('-', '').length <= 15);
    this.labelDatatype = integers && (!labelOutput || labelOutput.datatype.startsWith('INT')) ? 'INT64' : 'BYTES';
    const missing = new Set<string>();
    for (const column of profile?.columns ?? []) {
      const counts = column.counts as Partial<Record<string, number>> | undefined;
      if (this.featureNames.has(column.name) && ((counts?.null ?? 0) > 0 || (counts?.nan ?? 0) > 0)) missing.add(column.name);
    }
    this.missingSeenInTraining = missing;
  }

  get card(): ModelCard | null {
    return this.loaded.card;
  }

  /** False for a classifier that gives labels only (its probabilities are one-hot): answers carry no probabilities. */
  get probabilities(): boolean {
    return this.task === 'classification' && this.signature.probabilities;
  }

  /** The OIP v2 datatype the graph takes a feature in (its own input, or the one tensor's), or null when unknown. */
  inputDatatype(feature: string): string | null {
    if (!this.graph) return null;
    if (this.tensorInput) return this.tensorInput.datatype;
    return this.graph.inputs.find((i) => i.name === feature)?.datatype ?? null;
  }

  /** A graph output by name, or undefined. */
  graphOutput(name: string): GraphTensor | undefined {
    return this.graph?.outputs.find((o) => o.name === name);
  }

  /** Marks the model in use by one more request; pair with `release()`. */
  acquire(): void {
    this.inFlight++;
  }

  release(): void {
    this.inFlight--;
    if (this.retired && this.inFlight === 0) this.dispose();
  }

  /** The model is no longer served: dispose it once the requests using it have finished. */
  retire(): void {
    this.retired = true;
    if (this.inFlight === 0) this.dispose();
  }

  get isRetired(): boolean {
    return this.retired;
  }

  private dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loaded.model.dispose();
  }

  /** Predictions for `rows` of a table holding every feature column (see records.ts for requests, featureTable for files). */
  async predict(table: Table, rows: readonly number[]): Promise<Prediction[]> {
    const output = await this.loaded.model.predict(table, rows);
    const predictions: Prediction[] = [];
    if (this.task === 'regression') {
      for (let i = 0; i < rows.length; i++) predictions.push({ value: output[i]! });
      return predictions;
    }
    const k = this.classes.length;
    for (let i = 0; i < rows.length; i++) {
      const probabilities = Array.from(output.subarray(i * k, (i + 1) * k));
      let best = 0;
      for (let c = 1; c < k; c++) if (probabilities[c]! > probabilities[best]!) best = c;
      predictions.push({ label: this.classes[best]!, probabilities });
    }
    return predictions;
  }

  /** Raw records to predictions, without validation (see decode.ts for the checks a server makes). */
  async predictRecords(records: readonly RawRecord[]): Promise<Prediction[]> {
    const { table } = recordsToTable(this.signature.features, records);
    return this.predict(
      table,
      Array.from({ length: records.length }, (_, i) => i),
    );
  }
}

/** Whether every number of a prediction is finite (JSON cannot carry NaN or infinities). */
export function isFinitePrediction(p: Prediction): boolean {
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
export async function loadServedModel(dir: string, identity: ModelIdentity): Promise<ServedModel> {
  const loaded = await loadModel(dir, undefined, 'requests');
  // Read before the caller removes a pulled folder: the server keeps the profile (monitoring, the missing-value policy).
  const { profile, reason } = await loadTrainingProfile(dir);
  const served = new ServedModel(identity, loaded, profile, reason);
  try {
    // Missing values where the graph can take them; zero (false) for integer and boolean inputs, which have no "missing".
    const warmRecord: Record<string, unknown> = {};
    for (const feature of served.signature.features) {
      const datatype = served.inputDatatype(feature.name);
      if (datatype === 'BOOL' || datatype?.startsWith('INT') || datatype?.startsWith('UINT')) warmRecord[feature.name] = 0;
    }
    const [warm] = await served.predictRecords([warmRecord]);
    if (!warm) throw new Error('the warm-up gave no prediction');
  } catch (error) {
    served.retire();
    throw new Error(`${identity.uri}: the model does not predict (${(error as Error).message})`);
  }
  return served;
}
