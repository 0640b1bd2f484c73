// The root action: runs the step named by the `step` input, by loading that step's own bundle.
import * as core from '@actions/core';

const STEPS = ['validate-data', 'train', 'evaluate', 'register', 'deploy', 'drift-check'];
const step = core.getInput('step');
if (STEPS.includes(step)) {
  // The step bundles sit beside this one (dist/<step>/index.js) and run when loaded.
  await import(/* webpackIgnore: true */ new URL(`../${step}/index.js`, import.meta.url).href);
} else {
  core.setFailed(`input step: "${step}" is not a step; choose one of: ${STEPS.join(', ')}`);
}
