#!/usr/bin/env node
// Runs one benchmark of this folder under V8's CPU profiler and prints where the handlers' time
// goes: every sample taken inside a trigger (SubgraphRuntime's `invoke`) is charged to the part
// of the WASM host nearest the sample's own frame (entity loads, entity saves, the entity cache,
// the event, the instance reset, other host functions) or, when the sample is in WASM, to the
// subgraph's own compiled code. Garbage collection is not inside any frame: it is given beside.
// Usage: node bench/profile.mjs [handlers|indexing|<file>.cpuprofile] (default handlers), with the
// benchmark's own variables (BENCH_CHAIN_CACHE, BENCH_EVENTS, …); a .cpuprofile is only read. The
// profiles stay in the printed folder, to open in Chrome DevTools. The profiler slows the run:
// read the shares, not the benchmark's speed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const target = process.argv[2] ?? 'handlers';

/** Runs `bench/<name>.bench.ts` under the profiler; returns its main thread's profile file. */
function profileBenchmark(name) {
  const file = readdirSync(here).find((entry) => entry === `${name}.bench.ts`);
  if (!file) fail(`no benchmark "${name}" in bench/ (try handlers or indexing, or give a .cpuprofile file)`);
  const dir = mkdtempSync(join(tmpdir(), 'indexer-profile-'));
  console.log(`=== ${file} under --cpu-prof (profiles in ${dir}) ===`);
  const run = spawnSync(
    'node',
    ['--max-semi-space-size=64', '--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', `bench/${file}`],
    { cwd: join(here, '..'), stdio: 'inherit' },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
  // Node names profiles CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile; thread 0 is the main one.
  const main = readdirSync(dir).find((entry) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(entry));
  if (!main) fail(`the run wrote no main-thread profile in ${dir}`);
  return join(dir, main);
}

function fail(message) {
  console.error(`profile: ${message}`);
  process.exit(2);
}

/**
 * The parts of the host, tried from a sample's own frame outwards to the WASM frame that called
 * the host (or to the trigger's start); the first that matches takes the sample.
 */
const PARTS = [
  ['entity loads (store.get: entity written into mapping memory)', (f) => f.functionName === 'writeEntity'],
  ['entity saves (store.set: entity read from mapping memory)', (f) => f.functionName === 'readEntity'],
  ['entity cache (lookups, merge, checks)', (f) => /\/(entity-cache|entity-state)\.ts$/.test(f.url)],
  ['event, block and transaction into mapping memory', (f) => /\/(ethereum-event|event-params)\.ts$/.test(f.url)],
  ['instance reset before each trigger', (f) => f.functionName === 'reset' && f.url.endsWith('/mapping-module.ts')],
];
const HOST = 'other host functions (BigInt, BigDecimal, conversions, logs)';
const COMPILED = "the subgraph's compiled code";
const OTHER = 'other (trigger set-up, runtime glue)';

const profileFile = target.endsWith('.cpuprofile') ? target : profileBenchmark(target);
let profile;
try {
  profile = JSON.parse(readFileSync(profileFile, 'utf8'));
} catch (error) {
  fail(`cannot read ${profileFile} as a CPU profile: ${error.message}`);
}
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

const isWasm = (frame) => frame.url.startsWith('wasm://');
const isTriggerStart = (frame) => frame.functionName === 'invoke' && frame.url.endsWith('/subgraph-runtime.ts');

/** A sample's part, or null outside triggers; memoized per profile node. */
const partOf = new Map();
function classify(id) {
  if (partOf.has(id)) return partOf.get(id);
  let part = null;
  let calledFromWasm = false;
  let at = id;
  // The host's own frames first: from the sample up to the WASM code that called the host.
  for (; at !== undefined; at = parentOf.get(at)) {
    const frame = nodes.get(at).callFrame;
    if (isWasm(frame)) {
      calledFromWasm = true;
      break;
    }
    if (isTriggerStart(frame)) break;
    part ??= PARTS.find(([, matches]) => matches(frame))?.[0] ?? null;
  }
  if (part === null && calledFromWasm) part = at === id ? COMPILED : HOST;
  // Then only whether the sample is inside a trigger at all.
  while (at !== undefined && !isTriggerStart(nodes.get(at).callFrame)) at = parentOf.get(at);
  const result = at === undefined ? null : (part ?? OTHER);
  partOf.set(id, result);
  return result;
}

const spent = new Map();
let handlers = 0;
let gc = 0;
let busy = 0;
profile.samples.forEach((id, i) => {
  const micros = profile.timeDeltas[i] ?? 0;
  const name = nodes.get(id).callFrame.functionName;
  if (name !== '(idle)') busy += micros;
  if (name === '(garbage collector)') gc += micros;
  const part = classify(id);
  if (part === null) return;
  handlers += micros;
  spent.set(part, (spent.get(part) ?? 0) + micros);
});

const seconds = (micros) => `${(micros / 1e6).toFixed(2)} s`;
const share = (micros, of) => `${((100 * micros) / of).toFixed(1)} %`;
console.log(
  `\nmain thread busy ${seconds(busy)}; inside triggers ${seconds(handlers)}; garbage collection ${seconds(gc)} (${share(gc, busy)} of busy, not inside any trigger's frames)`,
);
for (const [part, micros] of [...spent].sort((a, b) => b[1] - a[1])) {
  console.log(`${share(micros, handlers).padStart(7)}  ${seconds(micros).padStart(8)}  ${part}`);
}
const entityWork = PARTS.slice(0, 3).reduce((sum, [part]) => sum + (spent.get(part) ?? 0), 0);
console.log(`entity loads, saves and cache together: ${share(entityWork, handlers)} of the time inside triggers`);
