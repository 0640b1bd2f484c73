/**
 * Workflow artifacts from steps: upload a folder (reports, a model) and download one an
 * earlier job uploaded. Only in a JavaScript action step on a runner, which alone gets
 * the Actions runtime; the GitHub clients are loaded on first use.
 */
import { UserError } from '../core/errors.js';
import type { StepIO } from '../ports/step-io.js';
import { actionsRuntimeAvailable } from '../ports/storage.js';
import { shown } from './validate-data.js';

/** True when artifacts can be uploaded and downloaded here. */
export function artifactsAvailable(io: StepIO): boolean {
  return io.onGitHub && actionsRuntimeAvailable();
}

/** Uploads `dir` as the artifact `name`; a failure is a warning (the files stay where they are), never a failed step. */
export async function uploadArtifact(io: StepIO, name: string, dir: string, what: string): Promise<void> {
  if (!artifactsAvailable(io)) return;
  try {
    const store = new (await import('../adapters/github/storage.js')).GitHubArtifactStore();
    const { location } = await store.upload(name, dir);
    io.info(`Uploaded ${what} as artifact "${name}": ${location}`);
  } catch (error) {
    io.warning(`${capitalize(what)} could not be uploaded as an artifact (${(error as Error).message}); the files are in ${shown(dir)}.`);
  }
}

/** Downloads the artifact named by the input `input` (when set) into `dir`. */
export async function downloadArtifactInput(io: StepIO, input: string, dir: string, what: string): Promise<void> {
  const name = io.getInput(input);
  if (!name) return;
  if (!artifactsAvailable(io))
    throw new UserError(
      `${input} "${name}" can only be downloaded in a GitHub Actions job step`,
      'Locally, the files are already on disk: leave it unset (or point at them directly).',
    );
  const store = new (await import('../adapters/github/storage.js')).GitHubArtifactStore();
  await store.download(name, dir);
  io.info(`Downloaded ${what} from artifact "${name}" into ${shown(dir)}.`);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
