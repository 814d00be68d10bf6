// Handler dispatch cost per event with the real subgraph: fresh WASM instance per trigger (as
// graph-node does), event written into its memory, handler run, entity cache. Two handlers:
// AnswerUpdated (a price: 1 entity written, market revalued, 4 snapshots) and a bare
// LiquiditySupplied. Usage: pnpm --filter indexer bench dispatch
import { join } from 'node:path';
import { encodeAbiParameters, encodeEventTopics, type Hex, keccak256, type RpcBlock, type RpcLog, toHex } from 'viem';
import { loadSubgraph } from '../src/testing/index.js';

const manifest = join(import.meta.dirname, '../../subgraph/build/subgraph.yaml');
const MARKET = '0x1111111111111111111111111111111111111111';
const FEED = '0x2222222222222222222222222222222222222222';
const sg = await loadSubgraph({ manifest });
await sg.handleEvent({
  dataSource: 'MarketFactory',
  address: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
  event: 'MarketCreated',
  args: {
    market: MARKET,
    collateralToken: `0x${'33'.repeat(20)}`,
    debtToken: `0x${'44'.repeat(20)}`,
    priceFeed: FEED,
    maxLtvBps: 6500,
    liquidationLtvBps: 8000,
    liquidationPenaltyBps: 500,
    reserveFactorBps: 1000,
    aprBps: 900,
    gracePeriod: 86_400,
  },
  block: { number: 5, timestamp: 1_700_000_000 },
});
sg.commit();
const runtime = sg.runtime;
const state = sg.state;
const feedEvent = runtime.manifest.templates.find((t) => t.name === 'PriceFeed')?.eventHandlers[0]?.abiEvent;
if (!feedEvent) throw new Error('no AnswerUpdated handler');

function block(number: number, logs: RpcLog[]) {
  const hash = keccak256(toHex(number));
  return {
    ptr: { number, hash, parentHash: null, timestamp: 1_700_000_000 + number },
    raw: { hash, transactions: [] } as unknown as RpcBlock,
    logs,
    receipts: new Map(),
  };
}

const perBlock = 100;
const blocks = 40;
const logs = (number: number) =>
  Array.from({ length: perBlock }, (_, i) => ({
    address: FEED,
    topics: encodeEventTopics({
      abi: [feedEvent],
      eventName: 'AnswerUpdated',
      args: { current: 65_000_00000000n + BigInt(i), roundId: BigInt(number * perBlock + i) },
    } as never) as [Hex],
    data: encodeAbiParameters([{ type: 'uint256' }], [BigInt(number)]),
    blockNumber: toHex(number),
    transactionHash: keccak256(toHex(`${number}-${i}`)),
    transactionIndex: '0x0',
    logIndex: toHex(i),
    removed: false,
  })) as unknown as RpcLog[];

const prepared = Array.from({ length: blocks }, (_, b) => block(b + 10, logs(b + 10)));
// Warm up the JIT, then measure.
await runtime.processBlock(prepared[0] as never, state);
// CPU time beside wall time: on a shared machine the wall clock also counts other processes' turns.
const cpuBefore = process.cpuUsage();
const started = performance.now();
let triggers = 0;
for (const b of prepared.slice(1)) triggers += (await runtime.processBlock(b as never, state)).triggers;
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
const module = [...runtime.modules.values()].find((m) => m.file.includes('PriceFeed'));
console.log(
  `AnswerUpdated: ${triggers} triggers in ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU = ${((ms * 1000) / triggers).toFixed(1)} µs wall, ${((cpuMs * 1000) / triggers).toFixed(1)} µs CPU per event (${module?.resetsInstances ? 'kept instance reset per trigger' : 'fresh instance per trigger'})`,
);
