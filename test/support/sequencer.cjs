/**
 * Runs the slowest test files first, so that the two workers finish together. Jest orders files by how long
 * they took in its last run when its cache holds that; without a cache (a fresh clone, as on CI) it orders
 * them by file size, which starts workflow-contract.test.ts, the slowest file, near the middle of the run.
 * Here a file without a time in the cache takes its time from the list below (seconds on CI with 2 workers,
 * roughly: only their order matters), and files in neither come last, largest first, as Jest orders them.
 */
const { basename } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const EXPECTED_SECONDS = {
  'workflow-contract': 80,
  'registry-contract': 58,
  cli: 41,
  'action-register': 39,
  'alert-relay': 35,
  'serve-process': 31,
  'action-train-evaluate': 27,
  'step-train': 25,
  'action-deploy-serve': 22,
  parallel: 20,
  'model-kinds': 19,
  'step-evaluate': 17,
  'results-service': 17,
  'workflow-sharded': 15,
  'action-deploy': 13,
  'monitoring-loop': 13,
  'registry-local': 12,
  'workflow-runner': 12,
};

class SlowestFirst extends Sequencer {
  sort(tests) {
    const size = new Map();
    const sizeOf = (test) => {
      if (!size.has(test.path)) size.set(test.path, test.context.hasteFS.getSize(test.path) ?? 0);
      return size.get(test.path);
    };
    const expected = (test) => {
      const seconds = EXPECTED_SECONDS[basename(test.path).replace(/\.test\.ts$/, '')];
      return seconds === undefined ? undefined : seconds * 1000;
    };
    for (const test of tests) test.duration = this.time(test) ?? expected(test);
    return tests.sort((a, b) => {
      const failedA = this.hasFailed(a);
      const failedB = this.hasFailed(b);
      if (failedA !== failedB) return failedA ? -1 : 1;
      const timeA = a.duration ?? -1;
      const timeB = b.duration ?? -1;
      if (timeA !== timeB) return timeB - timeA;
      return sizeOf(b) - sizeOf(a);
    });
  }
}

module.exports = SlowestFirst;
