#!/usr/bin/env node
// Runs every package's Vitest suite in dependency order (contracts → subgraph → indexer →
// dashboard → end-to-end), one package at a time so that suites starting chains and servers on
// 2 cores do not starve each other, then prints one plain `N passed, N failed` line for CI.
// Usage: node scripts/test.mjs [package ...]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const order = ['contracts', 'subgraph', 'indexer', 'dashboard', 'e2e'];
const wanted = process.argv.slice(2);
const packages = order.filter(
  (name) => (wanted.length === 0 || wanted.includes(name)) && existsSync(join(root, name, 'package.json')),
);

const build = spawnSync('pnpm', ['-s', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('test: the build failed; fix it before the tests can run.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const name of packages) {
  const cwd = join(root, name);
  const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  if (!manifest.scripts?.test) continue;
  const report = join(root, `.test-results-${name}.json`);
  rmSync(report, { force: true });
  console.log(`\n=== ${name} ===`);
  const run = spawnSync(
    'pnpm',
    ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`],
    { cwd, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } },
  );
  if (!existsSync(report)) {
    console.error(`test: ${name} produced no report (vitest exit ${run.status}).`);
    failed += 1;
    continue;
  }
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + (results.numTodoTests ?? 0);
  // A suite that fails to load counts as a failure even though it ran no test.
  const brokenSuites = results.testResults.filter(
    (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
  );
  failed += brokenSuites.length;
  if (run.status !== 0 && results.numFailedTests === 0 && brokenSuites.length === 0) failed += 1;
}

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
