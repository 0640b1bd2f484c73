import '../shims.js';
import { runAction } from '../adapters/github/run.js';
import { runEntry } from '../entry.js';
import { driftCheck } from '../steps/drift-check.js';

await runEntry(import.meta.url, () => runAction(driftCheck));
