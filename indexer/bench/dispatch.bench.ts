// Handler dispatch cost per event with the real subgraph: an instance in its initial state per
// trigger, the event written into its memory, the handler run against the entity cache. A simple
// handler (BorrowerApprovalSet) and the heaviest frequent one (AnswerUpdated).
// Usage: pnpm --filter indexer bench dispatch; INDEXER_WASM_INSTANCES=fresh compares with a fresh
// instance per trigger.
import { join } from 'node:path';
import {
  type AbiEvent,
  encodeAbiParameters,
  encodeEventTopics,
  type Hex,
  keccak256,
  type RpcBlock,
  type RpcLog,
  toHex,
} from 'viem';
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

function templateEvent(template: string, name: string): AbiEvent {
  const event = sg.runtime.manifest.templates
    .find((t) => t.name === template)
    ?.eventHandlers.find((h) => h.abiEvent.name === name)?.abiEvent;
  if (!event) throw new Error(`no ${name} handler in ${template}`);
  return event;
}

function logs(address: string, event: AbiEvent, args: (number: number, i: number) => Record<string, unknown>) {
  return (number: number) =>
    Array.from({ length: perBlock }, (_, i) => {
      const values = args(number, i);
      const indexed = event.inputs.filter((input) => input.indexed);
      const data = event.inputs.filter((input) => !input.indexed);
      return {
        address,
        topics: encodeEventTopics({
          abi: [event],
          eventName: event.name,
          args: Object.fromEntries(indexed.map((input) => [input.name, values[input.name as string]])),
        } as never) as [Hex],
        data: encodeAbiParameters(
          data,
          data.map((input) => values[input.name as string]),
        ),
        blockNumber: toHex(number),
        transactionHash: keccak256(toHex(`${number}-${i}`)),
        transactionIndex: '0x0',
        logIndex: toHex(i),
        removed: false,
      };
    }) as unknown as RpcLog[];
}

async function measure(label: string, firstBlock: number, makeLogs: (number: number) => RpcLog[]): Promise<void> {
  const runtime = sg.runtime;
  const prepared = Array.from({ length: blocks }, (_, b) => block(firstBlock + b, makeLogs(firstBlock + b)));
  // Warm up the JIT on the first block, then measure. CPU time beside wall time: on a shared
  // machine the wall clock also counts other processes' turns.
  await runtime.processBlock(prepared[0] as never, sg.state);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let triggers = 0;
  for (const b of prepared.slice(1)) triggers += (await runtime.processBlock(b as never, sg.state)).triggers;
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
await measure(
  'BorrowerApprovalSet (simple: 3 loads, 2 saves)',
  10,
  logs(MARKET, templateEvent('LoanMarket', 'BorrowerApprovalSet'), (n, i) => ({
    borrower: `0x${(n * perBlock + i).toString(16).padStart(40, '0')}`,
    approved: i % 2 === 0,
  })),
);
await measure(
  'AnswerUpdated (a price: 7 loads, 8 saves — market, protocol and 4 snapshots revalued)',
  100,
  logs(FEED, templateEvent('PriceFeed', 'AnswerUpdated'), (n, i) => ({
    current: 65_000_00000000n + BigInt(i),
    roundId: BigInt(n * perBlock + i),
    updatedAt: BigInt(n),
  })),
);
