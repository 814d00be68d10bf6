// graph-node's query semantics on a fixture in the spirit of graph-node's own
// store/test-store/tests/graphql/query.rs (musicians, bands, songs), written at several blocks
// into the real versioned store (PGlite, and PostgreSQL when TEST_DATABASE_URL is set) and
// queried through the real HTTP server. Each expectation names the graph-node behaviour it checks.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphQLServer } from '../../src/graphql/server.js';
import { parseSchema } from '../../src/schema/schema.js';
import type { BlockPtr, Entity, EntityChange, Value } from '../../src/schema/value.js';
import { DeploymentStore } from '../../src/store/deployment-store.js';
import { openSqlClient, type SqlClient } from '../../src/store/sql-client.js';
import { freePort } from '../chain/local-chain.js';

const SCHEMA = `
enum Genre { ROCK, JAZZ }
type Musician @entity(immutable: false) {
  id: ID!
  name: String!
  mainBand: Band
  bands: [Band!]!
  plays: BigInt
  rating: BigDecimal
  wallet: Bytes
  writtenSongs: [Song!]! @derivedFrom(field: "writtenBy")
}
type Band @entity(immutable: false) {
  id: ID!
  name: String!
  genre: Genre!
  members: [Musician!]! @derivedFrom(field: "mainBand")
}
type Song @entity(immutable: true) {
  id: Bytes!
  title: String!
  writtenBy: Musician!
  seconds: Int!
}
`;

const s = (value: string): Value => ({ kind: 'String', value });
const block = (number: number): BlockPtr => ({
  number,
  hash: `0x${number.toString(16).padStart(64, '0')}`,
  parentHash: null,
  timestamp: 1_000 + number,
});
const set = (entityType: string, id: string, fields: Record<string, Value>): EntityChange => ({
  op: 'set',
  entityType,
  id,
  data: new Map([
    ['id', entityType === 'Song' ? { kind: 'Bytes', value: Buffer.from(id.slice(2), 'hex') } : s(id)],
    ...Object.entries(fields),
  ]) as Entity,
});

const backends = [
  { name: 'PGlite', postgresUrl: undefined as string | undefined },
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'PostgreSQL', postgresUrl: process.env.TEST_DATABASE_URL }] : []),
];

describe.each(backends)('graph-node query API over $name', ({ postgresUrl }) => {
  let sql: SqlClient;
  let store: DeploymentStore;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    sql = await openSqlClient(postgresUrl ? { postgresUrl } : {});
    store = await DeploymentStore.open(sql, `QmConformance${Date.now()}`, parseSchema(SCHEMA), false);
    await store.transact(
      [
        {
          block: block(1),
          changes: [
            set('Band', 'b1', { name: s('The Musicians'), genre: s('ROCK') }),
            set('Band', 'b2', { name: s('The Amateurs'), genre: s('JAZZ') }),
            set('Musician', 'm1', {
              name: s('John'),
              mainBand: s('b1'),
              bands: { kind: 'List', value: [s('b1'), s('b2')] },
              plays: { kind: 'BigInt', value: 10n },
              rating: { kind: 'BigDecimal', value: '4.5' },
              wallet: { kind: 'Bytes', value: Buffer.from('ABCDEF', 'hex') },
            }),
            set('Musician', 'm2', {
              name: s('Lisa'),
              mainBand: s('b1'),
              bands: { kind: 'List', value: [s('b1')] },
              plays: { kind: 'BigInt', value: 300n },
            }),
            set('Song', '0x01', { title: s('Cheesy Tune'), writtenBy: s('m1'), seconds: { kind: 'Int', value: 180 } }),
          ],
        },
        {
          block: block(2),
          changes: [
            set('Musician', 'm1', {
              name: s('Johnny'),
              mainBand: s('b1'),
              bands: { kind: 'List', value: [s('b1'), s('b2')] },
              plays: { kind: 'BigInt', value: 20n },
              rating: { kind: 'BigDecimal', value: '4.5' },
            }),
            set('Musician', 'm3', {
              name: s('tom'),
              mainBand: s('b2'),
              bands: { kind: 'List', value: [s('b2')] },
              plays: { kind: 'BigInt', value: 20n },
            }),
            set('Song', '0x02', { title: s('Rock Tune'), writtenBy: s('m2'), seconds: { kind: 'Int', value: 240 } }),
            { op: 'remove', entityType: 'Band', id: 'b2' },
          ],
        },
      ],
      [],
      block(2),
    );
    const port = await freePort();
    server = await createGraphQLServer([{ name: 'music', deployment: 'QmMusic', store }], { port });
    url = `http://127.0.0.1:${port}/subgraphs/name/music`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await store?.drop();
    await sql?.close();
  });

  const post = async (query: string) =>
    (await (
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      })
    ).json()) as {
      data?: Record<string, unknown>;
      errors?: Array<{ message: string }>;
    };
  const data = async (query: string) => {
    const body = await post(query);
    expect(body.errors).toBeUndefined();
    return body.data as Record<string, unknown>;
  };

  it('serialises BigInt and BigDecimal as strings and Bytes as lower-case hex (graph/src/data/value.rs)', async () => {
    expect(await data('{ musician(id: "m2") { name plays rating wallet mainBand { name genre } } }')).toEqual({
      musician: {
        name: 'Lisa',
        plays: '300',
        rating: null,
        wallet: null,
        mainBand: { name: 'The Musicians', genre: 'ROCK' },
      },
    });
    expect(await data('{ songs { id title } }')).toEqual({
      songs: [
        { id: '0x01', title: 'Cheesy Tune' },
        { id: '0x02', title: 'Rock Tune' },
      ],
    });
  });

  it('reads the latest version by default and any past version with block: { number } (block_range.rs)', async () => {
    expect(await data('{ musicians(orderBy: name) { id name } }')).toEqual({
      musicians: [
        { id: 'm1', name: 'Johnny' },
        { id: 'm2', name: 'Lisa' },
        { id: 'm3', name: 'tom' },
      ],
    });
    expect(
      await data(
        '{ musicians(block: { number: 1 }) { name wallet } bands(block: { number: 1 }) { id } songs(block: { number: 1 }) { title } }',
      ),
    ).toEqual({
      musicians: [
        { name: 'John', wallet: '0xabcdef' },
        { name: 'Lisa', wallet: null },
      ],
      bands: [{ id: 'b1' }, { id: 'b2' }],
      songs: [{ title: 'Cheesy Tune' }],
    });
    expect(await data('{ bands { id } }')).toEqual({ bands: [{ id: 'b1' }] });
  });

  it('filters with every operator family, nested `field_` filters and `or`', async () => {
    const ids = async (where: string) =>
      ((await data(`{ musicians(where: ${where}) { id } }`)).musicians as Array<{ id: string }>).map((m) => m.id);
    expect(await ids('{ plays_gt: "15" }')).toEqual(['m1', 'm2', 'm3']);
    expect(await ids('{ plays: "20" }')).toEqual(['m1', 'm3']);
    expect(await ids('{ plays_lte: "20", name_not: "tom" }')).toEqual(['m1']);
    expect(await ids('{ name_in: ["Lisa", "tom"] }')).toEqual(['m2', 'm3']);
    expect(await ids('{ name_in: [] }')).toEqual([]);
    expect(await ids('{ name_starts_with_nocase: "JO" }')).toEqual(['m1']);
    expect(await ids('{ name_contains: "o" }')).toEqual(['m1', 'm3']);
    expect(await ids('{ name_not_ends_with: "a" }')).toEqual(['m1', 'm3']);
    expect(await ids('{ rating: null }')).toEqual(['m2', 'm3']);
    expect(await ids('{ bands_contains: ["b2"] }')).toEqual(['m1', 'm3']);
    expect(await ids('{ mainBand_: { genre: ROCK } }')).toEqual(['m1', 'm2']);
    expect(await ids('{ writtenSongs_: { seconds_gt: 200 } }')).toEqual(['m2']);
    expect(await ids('{ or: [{ name: "Lisa" }, { name: "tom" }] }')).toEqual(['m2', 'm3']);
    expect(await ids('{ _change_block: { number_gte: 2 } }')).toEqual(['m1', 'm3']);
  });

  it("refuses column filters beside 'or' (graphql/src/store/query.rs)", async () => {
    const body = await post('{ musicians(where: { name: "Lisa", or: [{ name: "tom" }] }) { id } }');
    expect(body.errors?.[0]?.message).toBe("Cannot mix column filters with 'or' operator");
  });

  it('orders with ties broken by id, pages with first/skip, and bounds first (GRAPH_GRAPHQL_MAX_FIRST)', async () => {
    expect(await data('{ musicians(orderBy: plays, orderDirection: desc, first: 2) { id } }')).toEqual({
      musicians: [{ id: 'm2' }, { id: 'm3' }],
    });
    expect(await data('{ musicians(orderBy: plays, skip: 1, first: 1) { id } }')).toEqual({
      musicians: [{ id: 'm3' }],
    });
    // parent__child ordering (graph-node 0.30+): by the referenced band's name at the queried
    // block. m3's band was removed at block 2, so its key is NULL: first when descending; m1 and
    // m2 share a band and fall back to id.
    expect(await data('{ musicians(orderBy: mainBand__name, orderDirection: desc) { id } }')).toEqual({
      musicians: [{ id: 'm3' }, { id: 'm2' }, { id: 'm1' }],
    });
    expect((await post('{ musicians(first: 1001) { id } }')).errors?.[0]?.message).toBe(
      'The `first` argument must be between 0 and 1000, but is 1001',
    );
  });

  it('resolves derived fields with their own arguments', async () => {
    expect(
      await data('{ band(id: "b1") { members(orderBy: name, orderDirection: desc) { name writtenSongs { title } } } }'),
    ).toEqual({
      band: {
        members: [
          { name: 'Lisa', writtenSongs: [{ title: 'Rock Tune' }] },
          { name: 'Johnny', writtenSongs: [{ title: 'Cheesy Tune' }] },
        ],
      },
    });
  });

  it('answers _meta and refuses blocks it has not indexed (graph-node error text)', async () => {
    expect(await data('{ _meta { block { number hash } deployment hasIndexingErrors } }')).toEqual({
      _meta: { block: { number: 2, hash: block(2).hash }, deployment: 'QmMusic', hasIndexingErrors: false },
    });
    expect((await post('{ musicians(block: { number: 3 }) { id } }')).errors?.[0]?.message).toBe(
      'subgraph QmMusic has only indexed up to block number 2 and data for block number 3 is therefore not yet available',
    );
  });

  it('keeps serving after bad input, with graph-node-shaped errors', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: unknown[] }).errors).toHaveLength(1);
    expect((await post('{ musicians { nope } }')).errors?.[0]?.message).toMatch(
      /^Cannot query field "nope" on type "Musician"\./,
    );
    expect(await data('{ band(id: "b1") { id } }')).toEqual({ band: { id: 'b1' } });
  });

  it('refuses queries deeper than GRAPH_GRAPHQL_MAX_DEPTH (255)', async () => {
    const deep = `{ musicians { ${'mainBand { members { '.repeat(128)}id${' } }'.repeat(128)} } }`;
    expect((await post(deep)).errors?.[0]?.message).toBe('query has a depth that exceeds the limit of 255');
  });

  it('after a fatal error answers indexing_error, keeping only _meta unless subgraphError: allow', async () => {
    await store.fail({ message: 'boom', block: block(2), handler: 'handleThing' });
    expect(await post('{ _meta { hasIndexingErrors } bands { id } }')).toEqual({
      data: { _meta: { hasIndexingErrors: true } },
      errors: [{ message: 'indexing_error' }],
    });
    expect(await post('{ bands(subgraphError: allow) { id } }')).toEqual({
      data: { bands: [{ id: 'b1' }] },
      errors: [{ message: 'indexing_error' }],
    });
  });

  it('reverts to a block: later versions vanish, closed ones reopen (store revert)', async () => {
    await store.revertTo(block(1));
    expect(await data('{ musicians { name } bands { id } songs { title } }')).toEqual({
      musicians: [{ name: 'John' }, { name: 'Lisa' }],
      bands: [{ id: 'b1' }, { id: 'b2' }],
      songs: [{ title: 'Cheesy Tune' }],
    });
  });
});
