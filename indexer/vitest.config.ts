import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Suites start chains, databases and WASM instances: on 2 cores one file at a time is faster.
    fileParallelism: false,
    pool: 'forks',
    // Debug-build behaviour of graph-node: versions of an entity may never overlap (src/store/layout.ts).
    env: { INDEXER_CHECK_BLOCK_RANGES: '1' },
  },
});
