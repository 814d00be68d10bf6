// The runner and the PGlite store together: a deployment catches up without its attribute and GiST
// indexes and gets them when it first reaches the chain head — also when it was at the head already before
// a restart, and when it stops on a deterministic failure (it then only serves queries).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainSource } from '../../src/chain/chain-source.js';
import { RpcClient } from '../../src/chain/rpc-client.js';
import { DeploymentRunner } from '../../src/runner/deployment-runner.js';
import { parseSchema } from '../../src/schema/schema.js';
import { DeploymentStore } from '../../src/store/deployment-store.js';
import { openSqlClient, type SqlClient } from '../../src/store/sql-client.js';
import { deployEmitter, emit, type LocalChain, mine, startLocalChain, waitForReceipt } from '../chain/local-chain.js';
import { CURSED, TestRuntime, VALUE_TOPIC } from './test-deployment.js';

/** The entities TestRuntime's handlers write. */
const SCHEMA = parseSchema(`
type Event @entity(immutable: true) { id: ID!, value: BigInt!, block: Int!, emitter: String! }
type Total @entity(immutable: false) { id: ID!, sum: BigInt!, count: Int! }
`);
/** Built while catching up: lookups by id. */
const EAGER_INDEXES = ['total__id'];
const POSTPONED_INDEXES = [
  'event__block',
  'event__emitter',
  'event__value',
  'total__count',
  'total__sum',
  'total_id_block_range',
];
const ALL_INDEXES = [...EAGER_INDEXES, ...POSTPONED_INDEXES].sort();

let chain: LocalChain;
let sql: SqlClient;
// The layout `indexer run` makes: a GiST index, not the tests' exclusion constraint (vitest.config.ts).
const checkBlockRanges = process.env.INDEXER_CHECK_BLOCK_RANGES;
beforeAll(async () => {
  delete process.env.INDEXER_CHECK_BLOCK_RANGES;
  chain = await startLocalChain();
  sql = await openSqlClient({});
});
afterAll(async () => {
  if (checkBlockRanges !== undefined) process.env.INDEXER_CHECK_BLOCK_RANGES = checkBlockRanges;
  await sql?.close();
  await chain?.stop();
});

async function headNumber(): Promise<number> {
  return Number(await chain.rpc<string>('eth_blockNumber'));
}

async function send(to: string, word: bigint): Promise<number> {
  return Number((await waitForReceipt(chain, await emit(chain, to, VALUE_TOPIC, word))).blockNumber);
}

/** The attribute and GiST indexes of the deployment's schema. */
async function queryIndexes(store: DeploymentStore): Promise<string[]> {
  const rows = await sql.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = $1', [
    store.layout.namespace,
  ]);
  return rows
    .map((r) => r.indexname)
    .filter((name) => name.includes('__') || name.endsWith('_id_block_range'))
    .sort();
}

function runner(store: DeploymentStore, factory: string, startBlock: number, stopAtBlock?: number) {
  const logs: string[] = [];
  const instance = new DeploymentRunner({
    name: 'test',
    deployment: 'QmPostponed',
    source: new ChainSource(new RpcClient({ url: chain.url, retryBaseDelayMs: 20, retryMaxDelayMs: 200 }), {
      initial: 8,
    }),
    runtime: new TestRuntime(factory, startBlock),
    store,
    finalityDepth: 10,
    pollIntervalMs: 20,
    maxRangeBlocks: 16,
    ...(stopAtBlock === undefined ? {} : { stopAtBlock }),
    log: (line) => logs.push(line),
  });
  return { runner: instance, done: instance.run(), logs };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('postponed indexes in the runner', () => {
  it('catches up without them, creates them at the head, and again after a restart at the head', async () => {
    const factory = await deployEmitter(chain);
    const start = await headNumber();
    for (const v of [1n, 2n, 3n]) await send(factory, v);
    await mine(chain, 40);
    const store = await DeploymentStore.open(sql, `QmRunnerPostponed${Date.now()}`, SCHEMA, false, {
      postponeIndexes: true,
    });
    try {
      // Catching up: stopped short of the head, the data is written, indexed by id only.
      const partial = runner(store, factory, start, start + 20);
      await partial.done;
      expect((await store.head())?.number).toBe(start + 20);
      expect(await queryIndexes(store)).toEqual(EAGER_INDEXES);

      const live = runner(store, factory, start);
      await until(() => live.runner.status().synced, 'sync');
      live.runner.stop();
      await live.done;
      expect(await queryIndexes(store)).toEqual(ALL_INDEXES);
      expect(live.logs).toContainEqual(expect.stringMatching(/^test: created 6 postponed indexes in /));

      // Killed between reaching the head and building them (dropped by hand here), then restarted
      // with nothing left to index: reaching the head again builds them.
      for (const name of POSTPONED_INDEXES.slice(2)) {
        await sql.query(`DROP INDEX "${store.layout.namespace}"."${name}"`);
      }
      const restarted = runner(store, factory, start);
      await until(() => restarted.runner.status().synced, 'sync after restart');
      restarted.runner.stop();
      await restarted.done;
      expect(await queryIndexes(store)).toEqual(ALL_INDEXES);
      expect(restarted.logs).toContainEqual(expect.stringMatching(/^test: created 4 postponed indexes in /));
    } finally {
      await store.drop();
    }
  });

  it('creates them when the deployment stops on a deterministic failure', async () => {
    const factory = await deployEmitter(chain);
    const start = await headNumber();
    await send(factory, 1n);
    await send(factory, CURSED);
    await mine(chain, 5);
    const store = await DeploymentStore.open(sql, `QmRunnerFailed${Date.now()}`, SCHEMA, false, {
      postponeIndexes: true,
    });
    try {
      expect(await queryIndexes(store)).toEqual(EAGER_INDEXES);
      const failing = runner(store, factory, start);
      await failing.done;
      expect(failing.runner.status().health).toBe('failed');
      expect(await queryIndexes(store)).toEqual(ALL_INDEXES);
    } finally {
      await store.drop();
    }
  });
});
