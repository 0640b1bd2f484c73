import '../shims.js';
import { runAction } from '../adapters/github/run.js';
import { runEntry } from '../entry.js';
import { evaluate } from '../steps/evaluate.js';

await runEntry(import.meta.url, () => runAction(evaluate));
