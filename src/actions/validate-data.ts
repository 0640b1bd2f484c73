import '../shims.js';
import { runAction } from '../adapters/github/run.js';
import { runEntry } from '../entry.js';
import { validateData } from '../steps/validate-data.js';

await runEntry(import.meta.url, () => runAction(validateData));
