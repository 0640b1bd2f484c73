// The report action: the step, from the shared bundle. Written by scripts/build.mjs.
import { runActionByName } from '../bundle/index.js';
await runActionByName('report');
