// Attribute indexes (and GiST version indexes) are postponed while a deployment catches up (graph-node's
// GRAPH_POSTPONE_ATTRIBUTE_INDEX_CREATION: store/postgres/src/relational/index.rs `to_postpone`,
// store/postgres/src/deployment_store.rs `create_postponed_indexes`): `open` creates only what
// writes need, `createPostponedIndexes` the rest. These cases check which indexes exist when
// (pg_indexes), that the indexes created later are the ones an eager `open` creates, that queries
// answer the same with and without them, and that what a crash can leave — some indexes built,
// the rest not, or an invalid one — ends with all of them, valid, after a restart. Both backends.

import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphQLServer } from '../../src/graphql/server.js';
import { parseSchema } from '../../src/schema/schema.js';
import type { BlockPtr, EntityChange, Value } from '../../src/schema/value.js';
import { DeploymentStore, storeOptionsFromEnv } from '../../src/store/deployment-store.js';
import { openSqlClient, type SqlClient, type StoreLocation } from '../../src/store/sql-client.js';
import { freePort } from '../chain/local-chain.js';

const SCHEMA = parseSchema(`
type Loan @entity(immutable: false) {
  id: ID!
  debt: BigInt!
  status: String!
  borrower: Account!
  tags: [String!]!
  payments: [Payment!]! @derivedFrom(field: "loan")
}
type Account @entity(immutable: false) {
  id: Bytes!
  name: String
}
type Payment @entity(immutable: true) {
  id: Bytes!
  loan: Loan!
  amount: BigInt!
}
`);

/**
 * One index per stored non-list field but a mutable table's id (created at once; an immutable
 * one's has its UNIQUE), and a mutable table's GiST (id, block_range).
 */
const POSTPONED_INDEXES = [
  'account__name',
  'account_id_block_range',
  'loan__borrower',
  'loan__debt',
  'loan__status',
  'loan_id_block_range',
  'payment__amount',
  'payment__loan',
];

const ptr = (number: number): BlockPtr => ({
  number,
  hash: `0x${number.toString(16).padStart(64, '0')}`,
  parentHash: `0x${(number - 1).toString(16).padStart(64, '0')}`,
  timestamp: 1_000 + number,
});
const bytes = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
const set = (entityType: string, id: string, fields: Record<string, Value>): EntityChange => ({
  op: 'set',
  entityType,
  id,
  data: new Map(Object.entries(fields)),
});
const str = (value: string): Value => ({ kind: 'String', value });
const big = (value: bigint): Value => ({ kind: 'BigInt', value });
const byteValue = (hex: string): Value => ({ kind: 'Bytes', value: Buffer.from(hex.slice(2), 'hex') });

/** Blocks 1..n: loans opened, repaid and closed, payments, accounts renamed. */
function history(n: number): Array<{ block: BlockPtr; changes: EntityChange[] }> {
  return Array.from({ length: n }, (_, i) => {
    const b = i + 1;
    const loan = `loan-${b % 7}`;
    const account = bytes(b % 3);
    return {
      block: ptr(b),
      changes: [
        set('Account', account, { id: byteValue(account), name: str(`account ${b}`) }),
        set('Loan', loan, {
          id: str(loan),
          debt: big(BigInt((b * 7_919) % 1_000)),
          status: str(b % 5 === 0 ? 'CLOSED' : 'OPEN'),
          borrower: byteValue(account),
          tags: { kind: 'List', value: [str(`t${b % 2}`)] },
        }),
        set('Payment', bytes(1_000 + b), { id: byteValue(bytes(1_000 + b)), loan: str(loan), amount: big(BigInt(b)) }),
      ],
    };
  });
}

const QUERIES = [
  '{ loans(where: { status: "OPEN", debt_gt: "100" }, orderBy: debt, orderDirection: desc) { id debt status borrower { id name } } }',
  '{ loans(block: { number: 9 }, orderBy: debt) { id debt payments(orderBy: amount) { amount } } }',
  '{ payments(where: { amount_lt: "15" }, orderBy: amount, orderDirection: desc) { id amount loan { id } } }',
  '{ accounts(where: { name_contains: "1" }, orderBy: name) { id name } }',
  '{ loans(where: { id_in: ["loan-1", "loan-3", "loan-6"] }, orderBy: id) { id status } }',
];

const backends = [
  { name: 'PGlite', postgresUrl: undefined as string | undefined },
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'PostgreSQL', postgresUrl: process.env.TEST_DATABASE_URL }] : []),
];

describe.each(backends)('postponed indexes over $name', ({ postgresUrl }) => {
  let dataDir: string;
  let location: StoreLocation;
  let sql: SqlClient;
  const deployment = `QmPostponed${Date.now()}`;
  const servers: Server[] = [];

  /** Index names of the deployment's schema, and their definitions with the schema name left out. */
  const indexes = async (store: DeploymentStore) => {
    const rows = await sql.query<{ indexname: string; indexdef: string }>(
      'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1',
      [store.layout.namespace],
    );
    return {
      names: rows.map((r) => r.indexname).sort(),
      defs: rows.map((r) => r.indexdef.replaceAll(store.layout.namespace, 'ns')).sort(),
    };
  };
  const invalidIndexes = async (store: DeploymentStore) =>
    sql.query(
      'SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT i.indisvalid',
      [store.layout.namespace],
    );
  /** Every query's answer, from a fresh server (no result cache), with sequential scans off. */
  const answers = async (store: DeploymentStore) => {
    const port = await freePort();
    servers.push(await createGraphQLServer([{ name: 'postponed', deployment, store }], { port, cache: { blocks: 0 } }));
    const results = [];
    for (const query of QUERIES) {
      const response = await fetch(`http://127.0.0.1:${port}/subgraphs/name/postponed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      results.push(await response.json());
    }
    return results;
  };

  // The layout `indexer run` makes: a GiST index, not the tests' exclusion constraint (vitest.config.ts).
  const checkBlockRanges = process.env.INDEXER_CHECK_BLOCK_RANGES;
  beforeAll(async () => {
    delete process.env.INDEXER_CHECK_BLOCK_RANGES;
    dataDir = mkdtempSync(join(tmpdir(), 'postponed-indexes-'));
    location = postgresUrl ? { postgresUrl } : { dataDir };
    sql = await openSqlClient(location);
    // The planner takes an index whenever one fits, so the answers after creation come through them.
    if (!postgresUrl) await sql.query('SET enable_seqscan = off');
  });
  afterAll(async () => {
    if (checkBlockRanges !== undefined) process.env.INDEXER_CHECK_BLOCK_RANGES = checkBlockRanges;
    for (const server of servers) server.close();
    await sql?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('catches up without the attribute and GiST indexes and creates exactly the eager set later, answering the same', async () => {
    const store = await DeploymentStore.open(sql, deployment, SCHEMA, false, { postponeIndexes: true });
    const blocks = history(20);
    await store.transact(blocks.slice(0, 10), [], ptr(10));
    await store.transact(blocks.slice(10), [], ptr(20));
    const catchingUp = await indexes(store);
    expect(catchingUp.names.filter((name) => POSTPONED_INDEXES.includes(name))).toEqual([]);
    // What writes need is there (current versions, immutable ids and blocks), and lookups by id.
    expect(catchingUp.names).toEqual(
      expect.arrayContaining(['loan_current', 'account_current', 'payment_block', 'loan__id', 'account__id']),
    );
    const before = await answers(store);
    expect(JSON.stringify(before)).not.toContain('errors');
    expect((before[0] as { data: { loans: unknown[] } }).data.loans.length).toBeGreaterThan(0);

    expect(await store.createPostponedIndexes()).toBe(POSTPONED_INDEXES.length);
    const synced = await indexes(store);
    expect(synced.names.filter((name) => !catchingUp.names.includes(name))).toEqual(POSTPONED_INDEXES);
    expect(await answers(store)).toEqual(before);
    // Idempotent: a second call (the next time the head is reached) builds nothing.
    expect(await store.createPostponedIndexes()).toBe(0);

    // An eager deployment (GRAPH_POSTPONE_ATTRIBUTE_INDEX_CREATION=false) has the same indexes.
    const eager = await DeploymentStore.open(sql, `${deployment}Eager`, SCHEMA, false, {
      postponeIndexes: false,
    });
    try {
      expect((await indexes(eager)).defs).toEqual(synced.defs);
      expect(await eager.createPostponedIndexes()).toBe(0);
    } finally {
      await eager.drop();
    }
  });

  it('after a crash that left some indexes unbuilt and one invalid, a restart ends with all of them valid', async () => {
    const store = await DeploymentStore.open(sql, deployment, SCHEMA, false, { postponeIndexes: true });
    const all = await indexes(store);
    const namespace = `"${store.layout.namespace}"`;
    // A plain CREATE INDEX commits whole or not at all: a crash during the creation leaves some
    // built and the others absent. An invalid one is what an interrupted CREATE INDEX CONCURRENTLY
    // leaves (made by hand here: PGlite has a single backend, so no concurrent build).
    for (const name of ['loan__status', 'payment__amount', 'account__name']) {
      await sql.query(`DROP INDEX ${namespace}."${name}"`);
    }
    await sql.query(`UPDATE pg_index SET indisvalid = false WHERE indexrelid = '${namespace}."loan__debt"'::regclass`);
    expect(await invalidIndexes(store)).toHaveLength(1);
    if (!postgresUrl) {
      // Restart: the PGlite data directory reopened, the deployment reopened as `indexer run` does.
      await sql.close();
      sql = await openSqlClient(location);
      await sql.query('SET enable_seqscan = off');
    }
    const reopened = await DeploymentStore.open(sql, deployment, SCHEMA, false, { postponeIndexes: true });
    expect((await indexes(reopened)).names).not.toContain('loan__status');
    expect(await reopened.createPostponedIndexes()).toBe(4);
    expect(await indexes(reopened)).toEqual(all);
    expect(await invalidIndexes(reopened)).toEqual([]);
    await reopened.drop();
  });

  it('reads GRAPH_POSTPONE_ATTRIBUTE_INDEX_CREATION as graph-node reads a flag, on when unset', () => {
    expect(storeOptionsFromEnv({})).toEqual({ postponeIndexes: true });
    for (const on of ['', 'true', '1']) {
      expect(storeOptionsFromEnv({ GRAPH_POSTPONE_ATTRIBUTE_INDEX_CREATION: on }).postponeIndexes).toBe(true);
    }
    for (const off of ['false', '0']) {
      expect(storeOptionsFromEnv({ GRAPH_POSTPONE_ATTRIBUTE_INDEX_CREATION: off }).postponeIndexes).toBe(false);
    }
    expect(() => storeOptionsFromEnv({ GRAPH_POSTPONE_ATTRIBUTE_INDEX_CREATION: 'yes' })).toThrow(
      'GRAPH_POSTPONE_ATTRIBUTE_INDEX_CREATION must be true, false, 1 or 0, but is "yes"',
    );
  });
});
