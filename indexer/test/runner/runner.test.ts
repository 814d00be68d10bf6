import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainSource } from '../../src/chain/chain-source.js';
import { RpcClient } from '../../src/chain/rpc-client.js';
import { DeploymentRunner } from '../../src/runner/deployment-runner.js';
import type {
  BlockChanges,
  BlockOutcome,
  ChainBlock,
  DynamicDataSource,
  EntityReader,
} from '../../src/runner/ports.js';
import type { BlockPtr } from '../../src/schema/value.js';
import { startFaultProxy } from '../chain/fault-proxy.js';
import { deployEmitter, emit, type LocalChain, mine, startLocalChain, waitForReceipt } from '../chain/local-chain.js';
import { CREATE_TOPIC, CURSED, FileStore, TestRuntime, VALUE_TOPIC } from './test-deployment.js';

let chain: LocalChain;
beforeAll(async () => {
  chain = await startLocalChain();
});
afterAll(async () => {
  await chain?.stop();
});

async function headNumber(): Promise<number> {
  return Number(await chain.rpc<string>('eth_blockNumber'));
}

async function send(to: string, topic: string, word: bigint): Promise<number> {
  const receipt = await waitForReceipt(chain, await emit(chain, to, topic, word));
  return Number(receipt.blockNumber);
}

function startRunner(
  factory: string,
  startBlock: number,
  options: { url?: string; stopAtBlock?: number; store?: FileStore; runtime?: TestRuntime } = {},
) {
  const store = options.store ?? new FileStore(null);
  const logs: string[] = [];
  const runner = new DeploymentRunner({
    name: 'test',
    deployment: 'QmTest',
    source: new ChainSource(
      new RpcClient({ url: options.url ?? chain.url, retryBaseDelayMs: 20, retryMaxDelayMs: 200 }),
      { initial: 8 },
    ),
    runtime: options.runtime ?? new TestRuntime(factory, startBlock),
    store,
    finalityDepth: 10,
    pollIntervalMs: 20,
    maxRangeBlocks: 16,
    ...(options.stopAtBlock === undefined ? {} : { stopAtBlock: options.stopAtBlock }),
    log: (line) => logs.push(line),
  });
  const done = runner.run();
  return { runner, store, done, logs };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function totals(store: FileStore) {
  const entities = await store.currentEntities();
  return {
    events: entities.filter((e) => e.entityType === 'Event').length,
    totals: Object.fromEntries(
      entities
        .filter((e) => e.entityType === 'Total')
        .map((e) => [e.id, (e.data.get('sum') as { value: bigint }).value]),
    ),
  };
}

/** A file store whose writes wait until the test lets them through, the first `failures` failing. */
class GatedStore extends FileStore {
  readonly heads: BlockPtr[] = [];
  private readonly gates: Array<() => void> = [];
  open = false;

  constructor(private failures: number) {
    super(null);
  }

  get waiting(): number {
    return this.gates.length;
  }

  release(): void {
    this.gates.shift()?.();
  }

  override async transact(blocks: BlockChanges[], dataSources: DynamicDataSource[], head: BlockPtr): Promise<void> {
    this.heads.push(head);
    if (!this.open) await new Promise<void>((resolve) => this.gates.push(resolve));
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('disk full');
    }
    return super.transact(blocks, dataSources, head);
  }
}

class RecordingRuntime extends TestRuntime {
  readonly blocks: number[] = [];

  override processBlock(block: ChainBlock, state: EntityReader): Promise<BlockOutcome> {
    this.blocks.push(block.ptr.number);
    return super.processBlock(block, state);
  }
}

describe('DeploymentRunner on a real chain', () => {
  it('indexes past events, then follows new blocks once synced', async () => {
    const factory = await deployEmitter(chain);
    const start = await headNumber();
    for (const v of [1n, 2n, 3n]) await send(factory, VALUE_TOPIC, v);
    await mine(chain, 40);
    const { runner, store, done } = startRunner(factory, start);
    try {
      await until(async () => runner.status().synced, 'sync');
      expect(await totals(store)).toEqual({ events: 3, totals: { [factory]: 6n } });
      const status = runner.status();
      expect(status.latestBlock?.number).toBe(await headNumber());
      expect(status.health).toBe('healthy');
      expect(status.entityCount).toBe(4n);

      const block = await send(factory, VALUE_TOPIC, 10n);
      await until(() => (runner.latestBlock?.number ?? 0) >= block, 'the new block');
      expect(await totals(store)).toEqual({ events: 4, totals: { [factory]: 16n } });
    } finally {
      runner.stop();
      await done;
    }
  });

  it('reverts a reorganised chain to the common ancestor and re-indexes the new blocks', async () => {
    const factory = await deployEmitter(chain);
    const start = await headNumber();
    await send(factory, VALUE_TOPIC, 1n);
    const { runner, store, done, logs } = startRunner(factory, start);
    try {
      await until(async () => runner.status().synced, 'sync');
      const snapshot = await chain.rpc<string>('evm_snapshot');
      const forkPoint = await headNumber();
      await send(factory, VALUE_TOPIC, 100n);
      await send(factory, VALUE_TOPIC, 200n);
      await until(() => (runner.latestBlock?.number ?? 0) >= forkPoint + 2, 'the doomed blocks');
      expect((await totals(store)).totals[factory]).toBe(301n);

      await chain.rpc('evm_revert', [snapshot]);
      await send(factory, VALUE_TOPIC, 7n); // a different block forkPoint+1
      await mine(chain, 3);
      const newHead = await headNumber();
      await until(async () => runner.latestBlock?.number === newHead && runner.status().synced, 'the new chain');
      expect(await totals(store)).toEqual({ events: 2, totals: { [factory]: 8n } });
      expect(runner.latestBlock?.hash).toBe(
        (await chain.rpc<{ hash: string }>('eth_getBlockByNumber', [`0x${newHead.toString(16)}`, false])).hash,
      );
      expect(
        logs.some((line) => line.includes(`reorg detected at block ${forkPoint + 2}; reverting to block ${forkPoint}`)),
      ).toBe(true);
    } finally {
      runner.stop();
      await done;
    }
  });

  it('after a restart, reverts a reorg that happened while it was down by the finality depth', async () => {
    const factory = await deployEmitter(chain);
    const start = await headNumber();
    await send(factory, VALUE_TOPIC, 1n);
    const snapshot = await chain.rpc<string>('evm_snapshot');
    await send(factory, VALUE_TOPIC, 100n);
    const first = startRunner(factory, start);
    await until(async () => first.runner.status().synced, 'sync');
    first.runner.stop();
    await first.done;
    expect((await totals(first.store)).totals[factory]).toBe(101n);

    await chain.rpc('evm_revert', [snapshot]);
    await send(factory, VALUE_TOPIC, 5n);
    await send(factory, VALUE_TOPIC, 6n);
    const second = startRunner(factory, start, { store: first.store });
    try {
      await until(async () => second.runner.status().synced, 'sync after restart');
      expect(await totals(second.store)).toEqual({ events: 3, totals: { [factory]: 12n } });
      expect(second.logs.some((line) => line.includes('reorg detected'))).toBe(true);
    } finally {
      second.runner.stop();
      await second.done;
    }
  });

  it('adds a created data source: its logs from that block on (same block included), none before', async () => {
    const factory = await deployEmitter(chain);
    const child = await deployEmitter(chain);
    const start = await headNumber();
    await send(child, VALUE_TOPIC, 1n); // before the data source exists: not indexed
    await chain.rpc('evm_setAutomine', [false]);
    await emit(chain, child, VALUE_TOPIC, 20n); // same block, lower log index: indexed (rescan)
    await emit(chain, factory, CREATE_TOPIC, BigInt(child));
    await emit(chain, child, VALUE_TOPIC, 300n);
    await mine(chain);
    await chain.rpc('evm_setAutomine', [true]);
    await send(child, VALUE_TOPIC, 4000n);
    const { runner, store, done } = startRunner(factory, start);
    try {
      await until(async () => runner.status().synced, 'sync');
      expect(await totals(store)).toEqual({ events: 3, totals: { [child]: 4320n } });
      expect((await store.dynamicDataSources()).map((d) => d.address)).toEqual([child]);
    } finally {
      runner.stop();
      await done;
    }
  });

  it('stops on a deterministic handler error with health failed, keeping the data before that block', async () => {
    const factory = await deployEmitter(chain);
    const start = await headNumber();
    const good = await send(factory, VALUE_TOPIC, 5n);
    const cursed = await send(factory, VALUE_TOPIC, CURSED);
    await send(factory, VALUE_TOPIC, 7n);
    const { runner, store, done } = startRunner(factory, start);
    await done;
    const status = runner.status();
    expect(status.health).toBe('failed');
    expect(status.fatalError).toMatchObject({
      message: 'value 666 is cursed',
      handler: 'handleValue',
      deterministic: true,
    });
    expect(status.fatalError?.block?.number).toBe(cursed);
    expect(status.lastHealthyBlock?.number).toBe(good);
    expect((await store.head())?.number).toBe(cursed);
    expect(await totals(store)).toEqual({ events: 1, totals: { [factory]: 5n } });
    // A restart does not index past the failure.
    const again = startRunner(factory, start, { store });
    await again.done;
    expect(again.runner.status().health).toBe('failed');
    expect(await totals(store)).toEqual({ events: 1, totals: { [factory]: 5n } });
  });

  it('runs the next range while a write commits, shows committed blocks only, and retries a failed write', async () => {
    const factory = await deployEmitter(chain);
    const start = await headNumber();
    for (let i = 1n; i <= 20n; i += 1n) await send(factory, VALUE_TOPIC, i);
    const end = await headNumber();
    const clean = startRunner(factory, start, { stopAtBlock: end });
    await clean.done;

    const store = new GatedStore(1);
    const runtime = new RecordingRuntime(factory, start);
    const { runner, done, logs } = startRunner(factory, start, { stopAtBlock: end, store, runtime });
    await until(() => store.waiting === 1, 'the first write');
    const firstHead = (store.heads[0] as BlockPtr).number;
    expect(firstHead).toBeLessThan(end);
    await until(() => runtime.blocks.some((n) => n > firstHead), 'handlers of the next range');
    // At most one write in flight, and nothing shown before it commits.
    expect(store.waiting).toBe(1);
    expect(store.heads).toHaveLength(1);
    expect(runner.status().latestBlock).toBeNull();
    expect(runner.status().entityCount).toBe(0n);
    store.release(); // fails: the runner reloads the (empty) store and indexes the range again
    await until(() => logs.some((line) => line.includes('disk full; retrying')), 'the retry');
    store.open = true;
    store.release();
    await done;
    expect(runner.status().latestBlock?.number).toBe(end);
    expect(await store.snapshot()).toBe(await clean.store.snapshot());
    expect(await totals(store)).toEqual({ events: 20, totals: { [factory]: 210n } });
  });

  it('rides out an RPC that is down, rate-limited, failing and slow, ending with the same data', async () => {
    const factory = await deployEmitter(chain);
    const start = await headNumber();
    for (let i = 1n; i <= 30n; i += 1n) await send(factory, VALUE_TOPIC, i);
    const end = await headNumber();
    const clean = startRunner(factory, start, { stopAtBlock: end });
    await clean.done;

    const proxy = await startFaultProxy(chain.url);
    try {
      proxy.inject({ kind: 'status', status: 429 }, 5);
      proxy.inject({ kind: 'status', status: 502 }, 3);
      proxy.inject({ kind: 'delay', ms: 300 }, 3);
      proxy.inject({ kind: 'drop' }, 4, /eth_getLogs/);
      proxy.down = true;
      const faulty = startRunner(factory, start, { url: proxy.url, stopAtBlock: end });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(faulty.runner.latestBlock).toBeNull();
      proxy.down = false;
      await faulty.done;
      expect(proxy.faulted).toBeGreaterThanOrEqual(15);
      expect(faulty.runner.status().health).toBe('healthy');
      expect(await faulty.store.snapshot()).toBe(await clean.store.snapshot());
      expect(await totals(faulty.store)).toEqual({ events: 30, totals: { [factory]: 465n } });
    } finally {
      await proxy.close();
    }
  });
});
