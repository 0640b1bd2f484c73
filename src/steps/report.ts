/**
 * report: the fork-safe reporter. A pull request from a fork runs with a read-only
 * token, so its evaluate step saves the comment (comment.json beside its reports); this
 * step runs in a workflow_run workflow of the base repository, which may comment, and
 * posts it after checking the pull request's head commit is the triggering run's.
 */
import { postSavedComments } from '../core/report/pr-comment.js';
import type { StepContext } from './context.js';
import { stringInput } from './spec.js';
import type { StepSpec } from './spec.js';

export const report: StepSpec = {
  name: 'report',
  title: 'Report',
  description:
    'Fork-safe pull request comments: in a workflow_run workflow, posts the comment a pull request run of evaluate saved, on that pull request, after checking its head commit is the triggering run’s. Never runs the pull request’s code.',
  inputs: {
    config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
    from: {
      description:
        "The saved comment: a comment.json, the folder holding it (evaluate's reports artifact), or a folder of downloaded artifacts each holding one (several models). Default: evaluate's folder, .mlops/evaluate beside mlops.yaml.",
    },
    token: {
      description: "GitHub token for the comment (the job needs permissions: pull-requests: write). Default: the workflow's token.",
      actionDefault: '${{ github.token }}',
    },
  },
  outputs: {
    'comment-url': { description: 'URLs of the comments posted, one per line; empty when nothing was posted.' },
  },
  run: runReport,
};

async function runReport(ctx: StepContext): Promise<void> {
  const from = stringInput(ctx, report, 'from');
  const token = stringInput(ctx, report, 'token');
  const urls = await postSavedComments({
    from: from ? ctx.workspace.path(from) : ctx.workspace.dir('evaluate'),
    event: await ctx.env.event(),
    github: () => ctx.github(token),
    log: ctx.io,
    shown: (path) => ctx.workspace.shown(path),
  });
  ctx.io.setOutput('comment-url', urls.join('\n'));
}
