// The root action: the step its `step` input names, from the shared bundle. Written by scripts/build.mjs.
import { runRootAction } from '../bundle/index.js';
await runRootAction();
