/**
 * The one bundle behind every action and the CLI (dist/bundle/index.js). The build
 * (scripts/build.mjs) writes a tiny entry per action, dist/<step>/index.js and
 * dist/main/index.js, and one for the CLI, dist/cli/index.js: each imports this
 * bundle and calls one function below.
 *
 * The bundle is also the script of its own data-reader threads. Loaded in one of
 * those, it runs the reader loop and nothing else: the steps, TensorFlow.js and the
 * CLI are imported on demand (chunks of the bundle), so a reader thread never loads them.
 */
import './shims.js';
import { startBundle } from './entry.js';

const readerThread = startBundle(import.meta.url);

async function loadSteps() {
  return (await import('./steps/index.js')).STEPS;
}

/** The names of the steps, in order: one action each (dist/<name>/index.js). */
export async function stepNames(): Promise<string[]> {
  return Object.keys(await loadSteps());
}

/** Runs a step as a GitHub action, by name (dist/<name>/index.js, and the root action). */
export async function runActionByName(name: string): Promise<void> {
  if (readerThread) return;
  const [steps, { runAction }, core] = await Promise.all([loadSteps(), import('./adapters/github/run.js'), import('@actions/core')]);
  const step = Object.hasOwn(steps, name) ? steps[name] : undefined;
  if (!step) {
    core.setFailed(`input step: "${name}" is not a step; choose one of: ${Object.keys(steps).join(', ')}`);
    return;
  }
  await runAction(step);
}

/** The root action (dist/main/index.js): runs the step its `step` input names. */
export async function runRootAction(): Promise<void> {
  if (readerThread) return;
  const core = await import('@actions/core');
  await runActionByName(core.getInput('step'));
}

/** The mlops CLI on process.argv (dist/cli/index.js); resolves when the command has finished. */
export async function runCli(): Promise<void> {
  if (readerThread) return;
  // src/cli.ts runs the program when loaded.
  await import('./cli.js');
}

/**
 * For benchmarks (bench/*.mjs), which time the library itself rather than a command:
 * the model directory loader and the table reader, as the steps use them, and the quantile
 * sketch of the column profiles with the accuracy parameter they use.
 */
export async function benchmarkHooks(): Promise<{
  loadModel: typeof import('./core/model/model-io.js').loadModel;
  readTable: typeof import('./core/data/table.js').readTable;
  KllSketch: typeof import('./core/sketch/kll.js').KllSketch;
  BatchedSketch: typeof import('./core/profile/profile.js').BatchedSketch;
  KLL_K: number;
}> {
  const [{ loadModel }, { readTable }, { KllSketch }, { BatchedSketch, KLL_K }] = await Promise.all([
    import('./core/model/model-io.js'),
    import('./core/data/table.js'),
    import('./core/sketch/kll.js'),
    import('./core/profile/profile.js'),
  ]);
  return { loadModel, readTable, KllSketch, BatchedSketch, KLL_K };
}
