/**
 * Jest runs the TypeScript sources through ts-jest as native ES modules, transpiled
 * file by file (`npm run typecheck` checks types). Two workers: most suites wait on
 * child processes, servers and files, not on the cores. The environment is Jest's Node one
 * with the Node realm's typed arrays (test/support/node-environment.cjs), so native addons'
 * arrays (onnxruntime-node's) pass `instanceof` checks.
 */
export default {
  testEnvironment: '<rootDir>/test/support/node-environment.cjs',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.build/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.all.json', diagnostics: false }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
  // Slowest files first, also on a fresh clone where Jest has no timings of an earlier run.
  testSequencer: '<rootDir>/test/support/sequencer.cjs',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
};
