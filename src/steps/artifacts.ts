/**
 * Workflow artifacts from steps: upload a folder (reports, a model) and download one an
 * earlier job uploaded. Only in a JavaScript action step on a runner, which alone gets
 * the Actions runtime (ctx.artifacts() is null elsewhere).
 */
import { UserError } from '../core/errors.js';
import type { StepContext } from './context.js';

/** Uploads `dir` as the artifact `name`; a failure is a warning (the files stay where they are), never a failed step. */
export async function uploadArtifact(ctx: StepContext, name: string, dir: string, what: string): Promise<void> {
  const store = await ctx.artifacts();
  if (!store) return;
  try {
    const { location } = await store.upload(name, dir);
    ctx.io.info(`Uploaded ${what} as artifact "${name}": ${location}`);
  } catch (error) {
    ctx.io.warning(
      `${capitalize(what)} could not be uploaded as an artifact (${(error as Error).message}); the files are in ${ctx.workspace.shown(dir)}.`,
    );
  }
}

/** Downloads the artifact named by the input `input` (when set) into `dir`. */
export async function downloadArtifactInput(ctx: StepContext, input: string, dir: string, what: string): Promise<void> {
  const name = ctx.io.getInput(input);
  if (!name) return;
  const store = await ctx.artifacts();
  if (!store)
    throw new UserError(
      `${input} "${name}" can only be downloaded in a GitHub Actions job step`,
      'Locally, the files are already on disk: leave it unset (or point at them directly).',
    );
  await store.download(name, dir);
  ctx.io.info(`Downloaded ${what} from artifact "${name}" into ${ctx.workspace.shown(dir)}.`);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
