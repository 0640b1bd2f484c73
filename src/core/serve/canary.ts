/**
 * The models being served: a stable version and, during a canary, a candidate that
 * gets `weight` percent of the prediction requests. The split is deterministic and
 * exact (smooth weighted round robin): of every 100 consecutive requests, `weight` go
 * to the candidate, spread evenly, so a canary's share does not depend on luck and
 * tests can count it. Swaps replace a reference: a request keeps the model it was
 * routed to until it finishes, and a model swapped out is disposed after its last request.
 */
import type { ServedModel } from './model.js';

export class ModelSlots {
  private stableModel: ServedModel;
  private candidateModel: ServedModel | null = null;
  private weightPercent = 0;
  private credit = 0;

  constructor(stable: ServedModel) {
    this.stableModel = stable;
  }

  get stable(): ServedModel {
    return this.stableModel;
  }
  get candidate(): ServedModel | null {
    return this.candidateModel;
  }
  get weight(): number {
    return this.candidateModel ? this.weightPercent : 0;
  }

  /** The model for the next request, acquired: call `release()` on it when the request is done. */
  route(): ServedModel {
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
  byVersion(version: number): ServedModel | null {
    const chosen =
      this.stableModel.identity.version === version
        ? this.stableModel
        : this.candidateModel?.identity.version === version
          ? this.candidateModel
          : null;
    chosen?.acquire();
    return chosen;
  }

  /** Serves `model` as the stable version from the next request on. */
  swapStable(model: ServedModel): void {
    const old = this.stableModel;
    this.stableModel = model;
    if (old !== model && old !== this.candidateModel) old.retire();
  }

  setCandidate(model: ServedModel, weight: number): void {
    const old = this.candidateModel;
    this.candidateModel = model;
    this.setWeight(weight);
    if (old && old !== model && old !== this.stableModel) old.retire();
  }

  setWeight(weight: number): void {
    this.weightPercent = weight;
    this.credit = 0;
  }

  /** The candidate becomes the stable version; the canary ends (weight 0). */
  promote(): void {
    const candidate = this.candidateModel;
    if (!candidate) return;
    this.candidateModel = null;
    this.setWeight(0);
    this.swapStable(candidate);
  }

  /** Drops the candidate; every request goes to the stable version again. */
  rollback(): void {
    const old = this.candidateModel;
    this.candidateModel = null;
    this.setWeight(0);
    if (old && old !== this.stableModel) old.retire();
  }

  /** Every model served now. */
  all(): ServedModel[] {
    return this.candidateModel ? [this.stableModel, this.candidateModel] : [this.stableModel];
  }

  /** Stops serving: disposes the models once their requests are done. */
  retireAll(): void {
    for (const model of this.all()) model.retire();
  }
}
