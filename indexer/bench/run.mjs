#!/usr/bin/env node
// Runs every benchmark in this folder (`*.bench.ts`) one after another; each prints its figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();
let failures = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  // With the young generation `indexer run` has (bin/indexer.mjs).
  const run = spawnSync('node', ['--max-semi-space-size=64', '--import', 'tsx', `bench/${file}`], {
    cwd: `${here}/..`,
    stdio: 'inherit',
  });
  if (run.status !== 0) failures += 1;
}
process.exit(failures === 0 ? 0 : 1);
