// The real subgraph loaded in the handler harness with one market (and its price feed) created,
// and synthetic blocks of events for it: what the dispatch benchmarks feed the WASM host.
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
import { loadSubgraph, type SubgraphHarness } from '../src/testing/index.js';

export const MARKET = '0x1111111111111111111111111111111111111111';
export const FEED = '0x2222222222222222222222222222222222222222';

export async function loadSubgraphWithMarket(): Promise<SubgraphHarness> {
  const sg = await loadSubgraph({ manifest: join(import.meta.dirname, '../../subgraph/build/subgraph.yaml') });
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
  return sg;
}

export function templateEvent(sg: SubgraphHarness, template: string, name: string): AbiEvent {
  const event = sg.runtime.manifest.templates
    .find((t) => t.name === template)
    ?.eventHandlers.find((h) => h.abiEvent.name === name)?.abiEvent;
  if (!event) throw new Error(`no ${name} handler in ${template}`);
  return event;
}

/** `count` logs of `event` at `address` in block `number`, with the arguments `args` gives. */
export function eventLogs(
  address: string,
  event: AbiEvent,
  number: number,
  count: number,
  args: (i: number) => Record<string, unknown>,
): RpcLog[] {
  const indexed = event.inputs.filter((input) => input.indexed);
  const data = event.inputs.filter((input) => !input.indexed);
  return Array.from({ length: count }, (_, i) => {
    const values = args(i);
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

/** A block as the runner hands it to the runtime, holding `logs`. */
export function syntheticBlock(number: number, logs: RpcLog[]) {
  const hash = keccak256(toHex(number));
  return {
    ptr: { number, hash, parentHash: null, timestamp: 1_700_000_000 + number },
    raw: { hash, transactions: [] } as unknown as RpcBlock,
    logs,
    receipts: new Map(),
  };
}
