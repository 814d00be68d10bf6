// The WASM host alone: the real subgraph's handlers over the simulated chain's blocks, with the
// entities in memory — no chain node, no store, no runner in the timed part. The blocks are
// fetched once through the runner (as `indexer run` fetches them), then replayed BENCH_ROUNDS
// times (default 3), each with a fresh runtime and empty state.
// Usage: pnpm --filter indexer bench handlers; BENCH_EVENTS (default 20,000) and
// BENCH_CHAIN_CACHE as for the indexing benchmark. Prints events/s, CPU µs per event and a digest
// of the resulting entities (two builds that print the same digest produced the same entities),
// then the host calls per event, counted over one more, untimed, replay.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ChainSource } from '../src/chain/chain-source.js';
import { RpcClient } from '../src/chain/rpc-client.js';
import { DeploymentRunner } from '../src/runner/deployment-runner.js';
import { EntityState } from '../src/runner/entity-state.js';
import type { ChainBlock, SubgraphRuntime } from '../src/runner/ports.js';
import type { Value } from '../src/schema/value.js';
import { type DynamicDataSource, SubgraphRuntime as WasmSubgraphRuntime } from '../src/wasm/subgraph-runtime.js';
import { FileStore } from '../test/runner/test-deployment.js';
import { simulationChain } from './simulated-chain.js';

const targetEvents = Number(process.env.BENCH_EVENTS ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const manifest = join(import.meta.dirname, '../../subgraph/build/subgraph.yaml');

/** The blocks the runner hands the runtime (templates' re-scans included), in order. */
async function recordBlocks(): Promise<ChainBlock[]> {
  const chain = await simulationChain(targetEvents);
  try {
    const wasm = WasmSubgraphRuntime.load(manifest);
    const blocks: ChainBlock[] = [];
    const recording: SubgraphRuntime = {
      network: wasm.network,
      startBlock: wasm.startBlock,
      needsEveryBlock: wasm.needsEveryBlock,
      needsReceipts: wasm.needsReceipts,
      logFilter: () => wasm.logFilter(),
      setDynamicDataSources: (dataSources) => wasm.setDynamicDataSources(dataSources),
      processBlock: (block, state) => {
        blocks.push(block);
        return wasm.processBlock(block, state);
      },
    };
    const runner = new DeploymentRunner({
      name: 'bench-handlers',
      deployment: 'QmBenchHandlers',
      source: new ChainSource(new RpcClient({ url: chain.url })),
      runtime: recording,
      store: new FileStore(null),
      finalityDepth: 0,
      pollIntervalMs: 50,
      stopAtBlock: chain.end,
    });
    await runner.run();
    if (runner.status().health !== 'healthy') throw new Error('the subgraph failed while the blocks were fetched');
    return blocks;
  } finally {
    await chain.stop();
  }
}

function valueText(value: Value): string {
  if (value.kind === 'Bytes') return Buffer.from(value.value).toString('hex');
  if (value.kind === 'List') return `[${value.value.map(valueText).join(',')}]`;
  return value.kind === 'Null' ? 'null' : String(value.value);
}

/** Every entity, every field: sorted, hashed. */
function stateDigest(runtime: WasmSubgraphRuntime, state: EntityState): string {
  const hash = createHash('sha256');
  for (const type of [...runtime.schema.entityTypes.keys()].sort()) {
    const rows = [...state.all(type)].map((entity) =>
      [...entity.keys()]
        .sort()
        .map((field) => `${field}=${valueText(entity.get(field) as Value)}`)
        .join(';'),
    );
    for (const row of rows.sort()) hash.update(`${type}:${row}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** Runs every block through a fresh runtime and empty state, as `indexer run` would. */
async function replay(blocks: ChainBlock[]): Promise<{ runtime: WasmSubgraphRuntime; state: EntityState }> {
  const runtime = WasmSubgraphRuntime.load(manifest);
  const state = new EntityState();
  const dynamic: DynamicDataSource[] = [];
  for (const block of blocks) {
    const outcome = await runtime.processBlock(block, state);
    if (outcome.failure) throw new Error(`the subgraph failed: ${outcome.failure.message}`);
    state.apply(outcome.changes);
    if (outcome.createdDataSources.length > 0) {
      dynamic.push(...outcome.createdDataSources);
      runtime.setDynamicDataSources(dynamic);
    }
  }
  return { runtime, state };
}

/**
 * The host functions the handlers call, by name, over one more (untimed) replay: every
 * instance's imports are wrapped in a counter, so the host itself is measured unchanged.
 */
async function countHostCalls(blocks: ChainBlock[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const Instance = WebAssembly.Instance;
  const counted = (imports: WebAssembly.Imports = {}): WebAssembly.Imports =>
    Object.fromEntries(
      Object.entries(imports).map(([namespace, entries]) => [
        namespace,
        Object.fromEntries(
          Object.entries(entries).map(([name, value]) => {
            if (typeof value !== 'function') return [name, value];
            const call = value as (...args: unknown[]) => unknown;
            const counting = (...args: unknown[]) => {
              counts.set(name, (counts.get(name) ?? 0) + 1);
              return call(...args);
            };
            return [name, counting];
          }),
        ),
      ]),
    );
  WebAssembly.Instance = class extends Instance {
    constructor(module: WebAssembly.Module, imports?: WebAssembly.Imports) {
      super(module, counted(imports));
    }
  };
  try {
    await replay(blocks);
  } finally {
    WebAssembly.Instance = Instance;
  }
  return counts;
}

const blocks = await recordBlocks();
const events = blocks.reduce((sum, block) => sum + block.logs.length, 0);
console.log(`${blocks.length} blocks with ${events} events of the subgraph`);
const results: Array<{ seconds: number; cpuMicros: number }> = [];
for (let round = 1; round <= rounds; round += 1) {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { runtime, state } = await replay(blocks);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  results.push({ seconds, cpuMicros: cpu.user + cpu.system });
  console.log(
    `round ${round}: ${(events / seconds).toFixed(0)} events/s, ${((cpu.user + cpu.system) / events).toFixed(0)} µs CPU per event; ${state.size} entities, digest ${stateDigest(runtime, state)}`,
  );
}
const counts = [...(await countHostCalls(blocks))].sort((a, b) => b[1] - a[1]);
const perEvent = (calls: number) => (calls / events).toFixed(1);
const total = counts.reduce((sum, [, calls]) => sum + calls, 0);
console.log(
  `host calls per event: ${perEvent(total)} (${counts
    .slice(0, 10)
    .map(([name, calls]) => `${name} ${perEvent(calls)}`)
    .join(', ')}, …)`,
);
const best = results.reduce((a, b) => (b.seconds < a.seconds ? b : a));
console.log(
  `handlers (WASM host, in-memory entities): ${events} events, best of ${rounds}: ${(events / best.seconds).toFixed(0)} events/s, ${(best.cpuMicros / events).toFixed(0)} µs CPU per event`,
);
