// Indexing throughput on a local EDR chain.
//
// Chain (BENCH_SOURCE; BENCH_CHAIN_CACHE=<dir> keeps the simulated chain's journal there and
// replays it in later runs of the same size instead of simulating again):
//   simulation (default) — the contracts package's seeded protocol simulator (MarketFactory,
//     LoanMarkets, price feeds) run until about BENCH_EVENTS events (default 100,000) exist;
//   emitter — 100 logs per block from a tiny test contract (seconds to build; quick runs).
// Measurements:
//   1. raw limit: the runner's own chain work — adaptive eth_getLogs over the range, the blocks
//      holding logs (with transactions), viem ABI-decoding of every log — with no handlers;
//   2. runner: the DeploymentRunner loop (ranges, per-block processing, in-memory state, store
//      transactions with the cursor) with decode-only handlers and an in-memory store;
//   3. (simulation only) the same loop running the real subgraph's WASM handlers
//      (subgraph/build, `pnpm build` first) with the in-memory store;
//   4. (simulation only) end to end: WASM handlers and the PGlite store, opened as `indexer run`
//      opens them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Abi, decodeEventLog, type Hex, parseAbi, toEventSelector } from 'viem';
import { ChainSource } from '../src/chain/chain-source.js';
import { RpcClient } from '../src/chain/rpc-client.js';
import type { DeploymentConfig, IndexerConfig } from '../src/cli/config.js';
import { IndexerMetrics } from '../src/metrics/indexer-metrics.js';
import { DeploymentRunner } from '../src/runner/deployment-runner.js';
import { defaultParts } from '../src/runner/parts.js';
import type { BlockOutcome, ChainBlock, DeploymentStore, SubgraphRuntime } from '../src/runner/ports.js';
import { SubgraphRuntime as WasmSubgraphRuntime } from '../src/wasm/subgraph-runtime.js';
import { deployBatchEmitter, emitBlocks, startLocalChain } from '../test/chain/local-chain.js';
import { FileStore } from '../test/runner/test-deployment.js';
import { type BenchChain, simulationChain } from './simulated-chain.js';

const sourceKind = process.env.BENCH_SOURCE ?? 'simulation';
const targetEvents = Number(process.env.BENCH_EVENTS ?? 100_000);

async function emitterChain(): Promise<BenchChain> {
  const chain = await startLocalChain();
  const abi = parseAbi(['event Tick(uint256 value)']);
  const topic = toEventSelector(abi[0]);
  const emitter = await deployBatchEmitter(chain);
  const start = Number(await chain.rpc<string>('eth_blockNumber')) + 1;
  await emitBlocks(chain, emitter, topic, Math.ceil(targetEvents / 100), 100);
  const end = Number(await chain.rpc<string>('eth_blockNumber'));
  return { url: chain.url, start, end, filter: { addresses: [emitter], topic0: [topic] }, abi, stop: chain.stop };
}

function decode(abi: Abi, log: { data: Hex; topics: Hex[] }): void {
  decodeEventLog({ abi, data: log.data, topics: log.topics as [Hex, ...Hex[]], strict: false });
}

let t = performance.now();
const bench = sourceKind === 'emitter' ? await emitterChain() : await simulationChain(targetEvents);
try {
  console.log(`chain: blocks ${bench.start}..${bench.end} built in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const rawPass = async () => {
    const started = performance.now();
    const source = new ChainSource(new RpcClient({ url: bench.url }));
    let decoded = 0;
    for (let from = bench.start; from <= bench.end; ) {
      const batch = await source.logs(from, bench.end, bench.filter);
      const withLogs = [...new Set(batch.logs.map((log) => Number(log.blockNumber)))];
      for (let i = 0; i < withLogs.length; i += 200) await source.blocks(withLogs.slice(i, i + 200), true);
      for (const log of batch.logs) decode(bench.abi, log);
      decoded += batch.logs.length;
      from = batch.toBlock + 1;
    }
    return { decoded, seconds: (performance.now() - started) / 1000 };
  };
  // Raw limit before and after the runner so that neither gets a warm-up advantage.
  const rawBefore = await rawPass();

  const runtime: SubgraphRuntime = {
    network: 'localhost',
    startBlock: bench.start,
    needsEveryBlock: false,
    needsReceipts: false,
    logFilter: () => bench.filter,
    setDynamicDataSources: () => {},
    processBlock: async (block: ChainBlock): Promise<BlockOutcome> => {
      for (const log of block.logs) decode(bench.abi, log);
      return { changes: [], createdDataSources: [], failure: null, triggers: block.logs.length };
    },
  };
  t = performance.now();
  const runner = new DeploymentRunner({
    name: 'bench',
    deployment: 'QmBench',
    source: new ChainSource(new RpcClient({ url: bench.url })),
    runtime,
    store: new FileStore(null),
    finalityDepth: 0,
    pollIntervalMs: 50,
    stopAtBlock: bench.end,
  });
  await runner.run();
  const runnerSeconds = (performance.now() - t) / 1000;
  const rawAfter = await rawPass();

  // 3. and 4.: the real subgraph's handlers, first with the in-memory store, then end to end
  // with the PGlite store as `indexer run` opens it.
  const wasmRuns: Array<{ label: string; seconds: number }> = [];
  if (sourceKind !== 'emitter') {
    const manifest = join(import.meta.dirname, '../../subgraph/build/subgraph.yaml');
    const timeWasm = async (label: string, runtime: SubgraphRuntime, store: DeploymentStore) => {
      const metrics = new IndexerMetrics();
      const started = performance.now();
      const wasmRunner = new DeploymentRunner({
        name: 'bench-wasm',
        deployment: 'QmBenchWasm',
        source: new ChainSource(new RpcClient({ url: bench.url })),
        runtime,
        store,
        finalityDepth: 0,
        pollIntervalMs: 50,
        stopAtBlock: bench.end,
        log: (line) => console.log(line),
        metrics,
      });
      await wasmRunner.run();
      const seconds = (performance.now() - started) / 1000;
      const sum = (name: string) =>
        Number(new RegExp(`${name}_sum\\{[^}]*\\} (\\S+)`).exec(metrics.registry.render())?.[1] ?? 0);
      console.log(
        `  ${label}: ${seconds.toFixed(2)} s, of which WASM host ${sum('indexer_block_handlers_seconds').toFixed(2)} s, store writes ${sum('indexer_store_write_seconds').toFixed(2)} s (overlapping the handlers; the runner waited ${sum('indexer_store_wait_seconds').toFixed(2)} s for them)`,
      );
      if (wasmRunner.status().health !== 'healthy') console.log(`  the subgraph failed: ${label} is not valid`);
      wasmRuns.push({ label, seconds });
    };
    await timeWasm(
      'runner + subgraph WASM handlers, in-memory store',
      WasmSubgraphRuntime.load(manifest),
      new FileStore(null),
    );
    const dataDir = mkdtempSync(join(tmpdir(), 'indexer-bench-'));
    try {
      const deploymentConfig: DeploymentConfig = {
        name: 'bench',
        manifest,
        rpc: bench.url,
        network: null,
        finalityDepth: 0,
        pollIntervalMs: 50,
      };
      const indexerConfig: IndexerConfig = {
        deployments: [deploymentConfig],
        dataDir,
        postgresUrl: null,
        host: '127.0.0.1',
        port: 0,
        statusPort: 0,
        metricsPort: 0,
        progress: false,
      };
      const opened = await defaultParts.openDeployment(deploymentConfig, indexerConfig, new IndexerMetrics());
      try {
        await timeWasm('end to end: runner + subgraph WASM handlers + PGlite store', opened.runtime, opened.store);
        // What the runner does once on reaching the head (stopAtBlock ends the run before it):
        // the attribute and GiST indexes postponed while catching up (none with
        // GRAPH_POSTPONE_ATTRIBUTE_INDEX_CREATION=false).
        const began = performance.now();
        const created = (await opened.store.createPostponedIndexes?.()) ?? 0;
        console.log(
          `  then at the head: ${created} postponed indexes created in ${((performance.now() - began) / 1000).toFixed(2)} s`,
        );
      } finally {
        await opened.store.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  const events = rawAfter.decoded;
  const rawRate = events / Math.min(rawBefore.seconds, rawAfter.seconds);
  const runnerRate = events / runnerSeconds;
  console.log(
    `raw limit (getLogs + blocks + decode, no handlers): ${events} events, ${rawRate.toFixed(0)} events/s (best of 2)`,
  );
  console.log(
    `runner loop (decode-only handlers, in-memory store): ${events} events in ${runnerSeconds.toFixed(2)} s = ${runnerRate.toFixed(0)} events/s (${((runnerRate / rawRate) * 100).toFixed(0)} % of the raw limit)`,
  );
  for (const { label, seconds } of wasmRuns) {
    const rate = events / seconds;
    console.log(
      `${label}: ${events} events in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} events/s (${((rate / rawRate) * 100).toFixed(0)} % of the raw limit)`,
    );
  }
} finally {
  await bench.stop();
}
