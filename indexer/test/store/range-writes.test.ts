// The store writes a whole range of blocks per entity type at once (graph-node folds a write batch
// the same way: graph/src/components/store/write.rs `RowGroup::append_row`, then
// store/postgres/src/relational.rs `Layout::update`). These cases check that what it stores is
// exactly graph-node's versioning — one row per version with its closed `block_range`, `block$` for
// immutables — and that time travel at every block, and reverts into the middle of a range
// (`Layout::revert_block`), give what a block-by-block write would have given. Both backends.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphQLServer } from '../../src/graphql/server.js';
import { parseSchema } from '../../src/schema/schema.js';
import type { BlockPtr, EntityChange, Value } from '../../src/schema/value.js';
import { DeploymentStore } from '../../src/store/deployment-store.js';
import { openSqlClient, type SqlClient } from '../../src/store/sql-client.js';
import { freePort } from '../chain/local-chain.js';

const SCHEMA = `
type Thing @entity(immutable: false) {
  id: ID!
  value: Int!
  tags: [String!]!
  notes: [Note!]! @derivedFrom(field: "thing")
}
type Note @entity(immutable: true) {
  id: Bytes!
  text: String!
  thing: Thing!
}
`;

/** Strings that need quoting inside an array literal, to check list columns survive bulk writes. */
const AWKWARD_TAGS = ['plain', 'quote " and \\ backslash', '{braces}, comma', 'NULL', ''];

const ptr = (number: number): BlockPtr => ({
  number,
  hash: `0x${number.toString(16).padStart(64, '0')}`,
  parentHash: `0x${(number - 1).toString(16).padStart(64, '0')}`,
  timestamp: 1_000 + number,
});
const thing = (id: string, value: number, tags = ['t']): EntityChange => ({
  op: 'set',
  entityType: 'Thing',
  id,
  data: new Map<string, Value>([
    ['id', { kind: 'String', value: id }],
    ['value', { kind: 'Int', value }],
    ['tags', { kind: 'List', value: tags.map((tag) => ({ kind: 'String', value: tag }) as Value) }],
  ]),
});
const note = (id: string, text: string, thingId: string): EntityChange => ({
  op: 'set',
  entityType: 'Note',
  id,
  data: new Map<string, Value>([
    ['id', { kind: 'Bytes', value: Buffer.from(id.slice(2), 'hex') }],
    ['text', { kind: 'String', value: text }],
    ['thing', { kind: 'String', value: thingId }],
  ]),
});
const remove = (id: string): EntityChange => ({ op: 'remove', entityType: 'Thing', id });

type Range = Array<{ block: BlockPtr; changes: EntityChange[] }>;
const range = (blocks: Record<number, EntityChange[]>): Range =>
  Object.entries(blocks).map(([n, changes]) => ({ block: ptr(Number(n)), changes }));

/** What a user must see at a block: the changes of every committed block up to it, replayed. */
class History {
  private blocks: Range = [];
  add(written: Range) {
    this.blocks.push(...written);
  }
  revert(to: number) {
    this.blocks = this.blocks.filter(({ block }) => block.number <= to);
  }
  at(number: number) {
    const things = new Map<string, { id: string; value: number; tags: string[] }>();
    const notes = new Map<string, { id: string; text: string }>();
    for (const { block, changes } of this.blocks) {
      if (block.number > number) break;
      for (const change of changes) {
        if (change.op === 'remove') things.delete(change.id);
        else if (change.entityType === 'Note') {
          notes.set(change.id, { id: change.id, text: (change.data.get('text') as { value: string }).value });
        } else {
          const tags = (change.data.get('tags') as { value: Array<{ value: string }> }).value.map((t) => t.value);
          things.set(change.id, { id: change.id, value: (change.data.get('value') as { value: number }).value, tags });
        }
      }
    }
    const sorted = <T extends { id: string }>(map: Map<string, T>) =>
      [...map.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    return { things: sorted(things), notes: sorted(notes) };
  }
}

const backends = [
  { name: 'PGlite', postgresUrl: undefined as string | undefined },
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'PostgreSQL', postgresUrl: process.env.TEST_DATABASE_URL }] : []),
];

describe.each(backends)('range writes over $name', ({ postgresUrl }) => {
  let sql: SqlClient;
  let store: DeploymentStore;
  let server: Server;
  let url: string;
  const history = new History();

  const write = async (written: Range) => {
    await store.transact(written, [], written[written.length - 1]?.block as BlockPtr);
    history.add(written);
  };
  const revert = async (to: number) => {
    await store.revertTo(ptr(to));
    history.revert(to);
  };
  const query = async (block: number) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ things(block: { number: ${block} }, orderBy: id) { id value tags }
                  notes(block: { number: ${block} }, orderBy: id) { id text } }`,
      }),
    });
    return ((await response.json()) as { data: unknown }).data;
  };
  /** Every stored version of Thing: id, value and its block range. */
  const thingVersions = async () =>
    (
      await sql.query<{ id: string; value: number; lo: number; hi: number | null }>(
        `SELECT id, value, lower(block_range) AS lo, upper(block_range) AS hi FROM ${store.layout.table('Thing').qualified} ORDER BY id, lo`,
      )
    ).map((v) => `${v.id}=${v.value} [${v.lo},${v.hi ?? ''})`);
  const expectTimeTravelEqualsHistory = async (head: number) => {
    for (let block = 1; block <= head; block += 1)
      expect(await query(block), `block ${block}`).toEqual(history.at(block));
  };

  beforeAll(async () => {
    sql = await openSqlClient(postgresUrl ? { postgresUrl } : {});
    store = await DeploymentStore.open(sql, `QmRangeWrites${Date.now()}`, parseSchema(SCHEMA), false);
    const port = await freePort();
    server = await createGraphQLServer([{ name: 'ranges', deployment: 'QmRanges', store }], { port });
    url = `http://127.0.0.1:${port}/subgraphs/name/ranges`;
    // Two ranges: an entity changed in several blocks of one range, removed and re-created
    // within a range and across ranges, set and removed in the same block, immutables in both.
    await write(
      range({
        1: [thing('a', 1), thing('b', 1), note('0x01', 'first', 'a')],
        2: [thing('a', 2)],
        3: [thing('a', 3, AWKWARD_TAGS), remove('b')],
      }),
    );
    await write(
      range({
        4: [thing('a', 4), note('0x02', 'second', 'a')],
        5: [thing('b', 5)],
        6: [remove('a'), thing('c', 6), note('0x03', 'third', 'c')],
        7: [thing('a', 7), thing('c', 7)],
        8: [thing('b', 8), thing('d', 8), remove('d')],
      }),
    );
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await store?.drop();
    await sql?.close();
  });

  it('stores one version per change with its closed block range, as block-by-block writes would', async () => {
    expect(await thingVersions()).toEqual([
      'a=1 [1,2)',
      'a=2 [2,3)',
      'a=3 [3,4)',
      'a=4 [4,6)',
      'a=7 [7,)',
      'b=1 [1,3)',
      'b=5 [5,8)',
      'b=8 [8,)',
      'c=6 [6,7)',
      'c=7 [7,)',
    ]);
    const notes = await sql.query<{ block: number }>(
      `SELECT "block$" AS block FROM ${store.layout.table('Note').qualified} ORDER BY "block$"`,
    );
    expect(notes.map((n) => n.block)).toEqual([1, 4, 6]);
    expect(await store.head()).toMatchObject({ number: 8 });
  });

  it('answers time travel at every block of both ranges like the block-by-block history', async () => {
    await expectTimeTravelEqualsHistory(8);
    expect(history.at(3).things[0]?.tags).toEqual(AWKWARD_TAGS);
  });

  it('reverts into the middle of a range: later versions deleted, the ones alive then reopened', async () => {
    await revert(6);
    expect(await thingVersions()).toEqual([
      'a=1 [1,2)',
      'a=2 [2,3)',
      'a=3 [3,4)',
      'a=4 [4,6)',
      'b=1 [1,3)',
      'b=5 [5,)',
      'c=6 [6,)',
    ]);
    expect((await store.currentEntities()).map((e) => `${e.entityType} ${e.id}`).sort()).toEqual([
      'Note 0x01',
      'Note 0x02',
      'Note 0x03',
      'Thing b',
      'Thing c',
    ]);
    // The replacing blocks write on top of the reverted state without overlapping versions.
    await write(range({ 7: [thing('a', 70)], 8: [remove('c'), thing('b', 80)] }));
    await expectTimeTravelEqualsHistory(8);
    await revert(2);
    expect(await thingVersions()).toEqual(['a=1 [1,2)', 'a=2 [2,)', 'b=1 [1,)']);
    await expectTimeTravelEqualsHistory(2);
  });

  it('refuses an immutable entity inserted again in a later block of the range, writing nothing', async () => {
    const before = await thingVersions();
    await expect(
      store.transact(range({ 3: [thing('z', 1), note('0x09', 'x', 'z')], 4: [note('0x09', 'y', 'z')] }), [], ptr(4)),
    ).rejects.toThrow(
      'entity Note[0x09] is immutable; inserting it at block 4 is not possible as it was already inserted at block 3',
    );
    const descending = [
      { block: ptr(5), changes: [thing('z', 1)] },
      { block: ptr(4), changes: [thing('z', 2)] },
    ];
    await expect(store.transact(descending, [], ptr(5))).rejects.toThrow(
      'store: blocks of a range must ascend, but block 4 follows 5',
    );
    expect(await thingVersions()).toEqual(before);
    expect(await store.head()).toMatchObject({ number: 2 });
  });
});
