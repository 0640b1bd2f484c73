/** What an evaluation produced, in the shape every report (Markdown, HTML, PR comment) renders. */
import type { BootstrapResult } from './bootstrap.js';
import type { FidelityResult } from './fidelity.js';
import type { Blessing } from './gates.js';
import type { ClassificationMetrics, PrPoint, RegressionMetrics, RocPoint } from './metrics.js';

export interface EvaluationReportData {
  /** The model's name (from mlops.yaml or the model card). */
  modelName: string;
  task: 'classification' | 'regression';
  /** How the task of a predictions file was chosen (one sentence); null for a model, whose signature says it. */
  taskReason?: string | null;
  /** Test data files and rows scored. */
  data: { files: string[]; rows: number };
  candidate: { source: string; metrics: ClassificationMetrics | RegressionMetrics };
  /** The model in production (or a metrics file), scored on the same test data; null for a first model. */
  baseline: { source: string; metrics: Record<string, unknown> } | null;
  /** The gates' verdict, with the conversion fidelity's reasons when it failed. */
  blessing: Blessing;
  /** The conversion fidelity check (reference-predictions.csv of the model directory), or null when there was none. */
  fidelity?: FidelityResult | null;
  /** Classification with scores: one curve per class (one-vs-rest), or one for the positive class when binary. */
  curves: Array<{ class: string; roc: RocPoint[]; pr: PrPoint[] }>;
  /** Regression: a sample of (actual, predicted) pairs for a scatter plot. */
  residuals: Array<{ actual: number; predicted: number }>;
  /** Metrics per value of the slicing columns. */
  slices: Array<{ column: string; value: string; count: number; metrics: Record<string, number | null> }>;
  /**
   * Bootstrap confidence intervals of the candidate's metrics and paired intervals of the changes
   * (bootstrap.ts); null or absent when the bootstrap was off.
   */
  bootstrap?: BootstrapResult | null;
  /** Links (run, artifacts) shown at the foot of reports. */
  links: Array<{ label: string; url: string }>;
  evaluatedAt: string;
}
