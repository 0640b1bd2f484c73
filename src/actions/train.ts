import '../shims.js';
import { runAction } from '../adapters/github/run.js';
import { runEntry } from '../entry.js';
import { train } from '../steps/train.js';

await runEntry(import.meta.url, () => runAction(train));
