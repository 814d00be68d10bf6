// Handler dispatch cost per event with the real subgraph: an instance in its initial state per
// trigger, the event written into its memory, the handler run against the entity cache. A simple
// handler (BorrowerApprovalSet) and the heaviest frequent one (AnswerUpdated).
// Usage: pnpm --filter indexer bench dispatch; INDEXER_WASM_INSTANCES=fresh compares with a fresh
// instance per trigger.
import type { RpcLog } from 'viem';
import { eventLogs, FEED, loadSubgraphWithMarket, MARKET, syntheticBlock, templateEvent } from './market-subgraph.js';

const sg = await loadSubgraphWithMarket();
const perBlock = 100;
// Measured in steady state, as in a long indexing run: the first 2,000 events let V8 optimize the
// host's code and tier the WASM up from its baseline compiler.
const warmUpBlocks = 20;
const blocks = 100;

async function measure(label: string, firstBlock: number, makeLogs: (number: number) => RpcLog[]): Promise<void> {
  const runtime = sg.runtime;
  const prepared = Array.from({ length: warmUpBlocks + blocks }, (_, b) =>
    syntheticBlock(firstBlock + b, makeLogs(firstBlock + b)),
  );
  // CPU time beside wall time: on a shared machine the wall clock also counts other processes'
  // turns.
  for (const b of prepared.slice(0, warmUpBlocks)) await runtime.processBlock(b as never, sg.state);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let triggers = 0;
  for (const b of prepared.slice(warmUpBlocks)) triggers += (await runtime.processBlock(b as never, sg.state)).triggers;
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `${label}: ${triggers} events, ${((ms * 1000) / triggers).toFixed(1)} µs wall, ${((cpuMs * 1000) / triggers).toFixed(1)} µs CPU per event`,
  );
}

const reuse = sg.runtime.modules.values().next().value?.reuse ?? 'reset';
console.log(
  `instances: ${reuse === 'reset' ? 'one kept instance per mapping, reset before each trigger' : 'a fresh instance per trigger'} (INDEXER_WASM_INSTANCES=${reuse})`,
);
await measure('BorrowerApprovalSet (simple: 2 loads, 2 saves)', 10, (n) =>
  eventLogs(MARKET, templateEvent(sg, 'LoanMarket', 'BorrowerApprovalSet'), n, perBlock, (i) => ({
    borrower: `0x${(n * perBlock + i).toString(16).padStart(40, '0')}`,
    approved: i % 2 === 0,
  })),
);
await measure('AnswerUpdated (a price: 7 loads, 8 saves — market, protocol and 4 snapshots revalued)', 200, (n) =>
  eventLogs(FEED, templateEvent(sg, 'PriceFeed', 'AnswerUpdated'), n, perBlock, (i) => ({
    current: 65_000_00000000n + BigInt(i),
    roundId: BigInt(n * perBlock + i),
    updatedAt: BigInt(n),
  })),
);
