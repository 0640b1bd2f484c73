import '../shims.js';
import { runAction } from '../adapters/github/run.js';
import { runEntry } from '../entry.js';
import { deploy } from '../steps/deploy.js';

await runEntry(import.meta.url, () => runAction(deploy));
