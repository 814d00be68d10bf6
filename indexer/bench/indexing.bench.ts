// Indexing throughput on a local EDR chain: 100,000 events (1,000 blocks × 100 logs by default;
// BENCH_EVENTS / BENCH_LOGS_PER_BLOCK change that).
//  1. raw limit: the runner's own chain work — adaptive eth_getLogs over the range, the blocks
//     holding logs (with transactions), and ABI-decoding every log with viem — with no handlers;
//  2. runner: the full DeploymentRunner loop (ranges, per-block processing, in-memory state,
//     store transactions with the cursor) with decode-only handlers and an in-memory store.
// The end-to-end figure with the subgraph's WASM handlers and PGlite needs src/wasm and src/store;
// see the README for what this measures today.
import { decodeEventLog, keccak256, parseAbi, toHex } from 'viem';
import { ChainSource } from '../src/chain/chain-source.js';
import { RpcClient } from '../src/chain/rpc-client.js';
import { DeploymentRunner } from '../src/runner/deployment-runner.js';
import type { BlockOutcome, ChainBlock, SubgraphRuntime } from '../src/runner/ports.js';
import { deployBatchEmitter, emitBlocks, startLocalChain } from '../test/chain/local-chain.js';
import { FileStore } from '../test/runner/test-deployment.js';

const abi = parseAbi(['event Tick(uint256 value)']);
const TICK = keccak256(toHex('Tick(uint256)'));
const events = Number(process.env.BENCH_EVENTS ?? 100_000);
const perBlock = Number(process.env.BENCH_LOGS_PER_BLOCK ?? 100);
const blocks = Math.ceil(events / perBlock);

const chain = await startLocalChain();
try {
  const emitter = await deployBatchEmitter(chain);
  const start = Number(await chain.rpc<string>('eth_blockNumber')) + 1;
  let t = performance.now();
  await emitBlocks(chain, emitter, TICK, blocks, perBlock);
  const end = Number(await chain.rpc<string>('eth_blockNumber'));
  console.log(
    `chain: ${blocks * perBlock} events in ${blocks} blocks generated in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  // 1. Raw limit, measured before and after the runner so that neither gets a warm-up advantage.
  const rawPass = async () => {
    const t = performance.now();
    const source = new ChainSource(new RpcClient({ url: chain.url }));
    let decoded = 0;
    for (let from = start; from <= end; ) {
      const batch = await source.logs(from, end, { addresses: [emitter], topic0: [TICK] });
      const withLogs = [...new Set(batch.logs.map((log) => Number(log.blockNumber)))];
      for (let i = 0; i < withLogs.length; i += 200) await source.blocks(withLogs.slice(i, i + 200), true);
      for (const log of batch.logs) {
        decodeEventLog({ abi, data: log.data, topics: log.topics as [`0x${string}`] });
        decoded += 1;
      }
      from = batch.toBlock + 1;
    }
    return { decoded, seconds: (performance.now() - t) / 1000 };
  };
  const rawBefore = await rawPass();

  // 2. The runner loop with decode-only handlers.
  const runtime: SubgraphRuntime = {
    network: 'localhost',
    startBlock: start,
    needsEveryBlock: false,
    needsReceipts: false,
    logFilter: () => ({ addresses: [emitter], topic0: [TICK] }),
    setDynamicDataSources: () => {},
    processBlock: async (block: ChainBlock): Promise<BlockOutcome> => {
      for (const log of block.logs) decodeEventLog({ abi, data: log.data, topics: log.topics as [`0x${string}`] });
      return { changes: [], createdDataSources: [], failure: null, triggers: block.logs.length };
    },
  };
  t = performance.now();
  const runner = new DeploymentRunner({
    name: 'bench',
    deployment: 'QmBench',
    source: new ChainSource(new RpcClient({ url: chain.url })),
    runtime,
    store: new FileStore(null),
    finalityDepth: 0,
    pollIntervalMs: 50,
    stopAtBlock: end,
  });
  await runner.run();
  const runnerSeconds = (performance.now() - t) / 1000;
  const rawAfter = await rawPass();
  const decoded = rawAfter.decoded;
  const rawSeconds = Math.min(rawBefore.seconds, rawAfter.seconds);
  const rawRate = decoded / rawSeconds;
  console.log(
    `raw limit (getLogs + blocks + decode, no handlers): ${decoded} events in ${rawSeconds.toFixed(2)} s = ${rawRate.toFixed(0)} events/s (best of 2)`,
  );
  const runnerRate = decoded / runnerSeconds;
  console.log(
    `runner loop (decode-only handlers, in-memory store): ${decoded} events in ${runnerSeconds.toFixed(2)} s = ${runnerRate.toFixed(0)} events/s (${((runnerRate / rawRate) * 100).toFixed(0)} % of the raw limit)`,
  );
} finally {
  await chain.stop();
}
