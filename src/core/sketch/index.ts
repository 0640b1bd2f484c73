/** Small, fast, mergeable data sketches for profiling: quantiles, distinct counts, frequent items. */
export { KllSketch, type KllState } from './kll.js';
export { HyperLogLog, hashString, hashNumber, hashNumbers, HASH_SEED, type HllState } from './hll.js';
export { FrequentItems, type FrequentItemsState } from './frequent.js';
