// The root action: runs the step named by the `step` input.
import '../shims.js';
import * as core from '@actions/core';
import { runAction } from '../adapters/github/run.js';
import { runEntry } from '../entry.js';
import { STEPS } from '../steps/index.js';

await runEntry(import.meta.url, async () => {
  const name = core.getInput('step');
  const step = STEPS[name];
  if (step) await runAction(step);
  else core.setFailed(`input step: "${name}" is not a step that works yet; choose one of: ${Object.keys(STEPS).join(', ')}`);
});
