/**
 * A model as the server holds it: the loaded model (any kind, through the model seam)
 * and its preprocessing, what it is (name, version, digest, uri), and a count of the
 * requests using it, so a model that was swapped out is disposed only after its last
 * request has finished.
 */
import { loadModel } from '../model/model-io.js';
import type { LoadedModel } from '../model/model-io.js';
import { encodeRecords } from '../model/preprocess.js';
import type { Preprocessor, RawValue } from '../model/preprocess.js';

export interface ModelIdentity {
  name: string;
  /** The registry version; 0 for a model directory given directly. */
  version: number;
  /** sha256:<hex> of the registry version, or of the directory's files. */
  digest: string;
  /** local://name/3, oci://..., or file://<dir>. */
  uri: string;
}

/** One prediction: a class with its probabilities (in `classes` order), or a value. */
export type Prediction = { label: string; probabilities: number[] } | { value: number };

export class ServedModel {
  private inFlight = 0;
  private retired = false;
  private disposed = false;
  readonly task: 'classification' | 'regression';
  readonly classes: readonly string[];
  readonly featureNames: ReadonlySet<string>;
  readonly loadedAt = new Date();

  constructor(
    readonly identity: ModelIdentity,
    private readonly loaded: LoadedModel,
  ) {
    const target = loaded.preprocess.target;
    this.task = target.task;
    this.classes = target.task === 'classification' ? target.classes : [];
    this.featureNames = new Set(loaded.preprocess.features.map((f) => f.name));
  }

  get preprocess(): Preprocessor {
    return this.loaded.preprocess;
  }

  get card(): LoadedModel['card'] {
    return this.loaded.card;
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

  /** Encoded features (rows x width) to predictions. */
  async predictEncoded(x: Float32Array, rows: number): Promise<Prediction[]> {
    const output = await this.loaded.model.predictEncoded(x, rows);
    const predictions: Prediction[] = [];
    if (this.task === 'regression') {
      for (let i = 0; i < rows; i++) predictions.push({ value: output[i]! });
      return predictions;
    }
    const k = this.classes.length;
    for (let i = 0; i < rows; i++) {
      const probabilities = Array.from(output.subarray(i * k, (i + 1) * k));
      let best = 0;
      for (let c = 1; c < k; c++) if (probabilities[c]! > probabilities[best]!) best = c;
      predictions.push({ label: this.classes[best]!, probabilities });
    }
    return predictions;
  }

  /** Raw records to predictions, without validation (see decode.ts for the checks a server makes). */
  async predictRecords(records: ReadonlyArray<Readonly<Record<string, RawValue>>>): Promise<Prediction[]> {
    const { x } = encodeRecords(this.loaded.preprocess, records);
    return this.predictEncoded(x, records.length);
  }
}

/**
 * Loads a model directory and warms it up with one prediction (an all-missing
 * record), so the first request does not pay for compiling kernels, and a model
 * that cannot predict fails here rather than on a request.
 */
export async function loadServedModel(dir: string, identity: ModelIdentity): Promise<ServedModel> {
  const loaded = await loadModel(dir);
  const served = new ServedModel(identity, loaded);
  try {
    const [warm] = await served.predictRecords([{}]);
    const finite = warm && ('value' in warm ? Number.isFinite(warm.value) : warm.probabilities.every(Number.isFinite));
    if (!finite) throw new Error('the warm-up prediction is not a finite number');
  } catch (error) {
    served.retire();
    throw new Error(`${identity.uri}: the model does not predict (${(error as Error).message})`);
  }
  return served;
}
