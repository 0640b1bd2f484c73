import '../shims.js';
import { runAction } from '../adapters/github/run.js';
import { runEntry } from '../entry.js';
import { register } from '../steps/register.js';

await runEntry(import.meta.url, () => runAction(register));
