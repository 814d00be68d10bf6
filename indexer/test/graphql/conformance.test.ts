// graph-node's query semantics on a fixture in the spirit of graph-node's own
// store/test-store/tests/graphql/query.rs (musicians, bands, songs), written at several blocks
// into the real versioned store (PGlite, and PostgreSQL when TEST_DATABASE_URL is set) and
// queried through the real HTTP server. Each expectation names the graph-node behaviour it checks.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlLimitsFromEnv, queryCacheSettingsFromEnv } from '../../src/graphql/environment.js';
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

// graph/src/env/graphql.rs: names, defaults, `_` allowed in numbers (NoUnderscores).
describe("graph-node's GraphQL environment variables", () => {
  it('have graph-node defaults: complexity off, depth 255, first 1000, skip u32::MAX, cache 2 blocks of 1000 MB', () => {
    expect(graphqlLimitsFromEnv({})).toEqual({
      maxFirst: 1000,
      maxSkip: 4_294_967_295,
      maxDepth: 255,
      maxComplexity: undefined,
    });
    expect(queryCacheSettingsFromEnv({})).toEqual({
      blocks: 2,
      maxMemBytes: 1_000_000_000,
      shards: 128,
      maxEntryRatio: 3,
      cachedSubgraphIds: '*',
    });
  });

  it('read set values and refuse values that are not numbers, naming the variable', () => {
    expect(
      graphqlLimitsFromEnv({ GRAPH_GRAPHQL_MAX_COMPLEXITY: '1_000_000', GRAPH_GRAPHQL_MAX_SKIP: '5000' }),
    ).toMatchObject({
      maxComplexity: 1_000_000,
      maxSkip: 5000,
    });
    expect(
      queryCacheSettingsFromEnv({ GRAPH_QUERY_CACHE_BLOCKS: '0', GRAPH_CACHED_SUBGRAPH_IDS: 'QmA,QmB' }),
    ).toMatchObject({
      blocks: 0,
      cachedSubgraphIds: ['QmA', 'QmB'],
    });
    expect(() => graphqlLimitsFromEnv({ GRAPH_GRAPHQL_MAX_COMPLEXITY: 'lots' })).toThrow(
      'GRAPH_GRAPHQL_MAX_COMPLEXITY must be a non-negative integer, but is "lots"',
    );
  });
});

describe.each(backends)('graph-node query API over $name', ({ postgresUrl }) => {
  let sql: SqlClient;
  let store: DeploymentStore;
  let server: Server;
  let url: string;
  // The same deployment served with graph-node's query cache off, and with a complexity limit.
  let uncached: Server;
  let uncachedUrl: string;
  let limited: Server;
  let limitedUrl: string;
  /** Entity SELECTs the store ran (the per-request status read is not counted). */
  const statements: string[] = [];

  beforeAll(async () => {
    sql = await openSqlClient(postgresUrl ? { postgresUrl } : {});
    const counting: SqlClient = {
      query: (text, params) => {
        if (!text.includes('subgraph$meta')) statements.push(text);
        return sql.query(text, params);
      },
      transaction: (body) => sql.transaction(body),
      close: () => sql.close(),
    };
    store = await DeploymentStore.open(counting, `QmConformance${Date.now()}`, parseSchema(SCHEMA), false);
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
    const served = [{ name: 'music', deployment: 'QmMusic', store }];
    const port = await freePort();
    server = await createGraphQLServer(served, { port });
    url = `http://127.0.0.1:${port}/subgraphs/name/music`;
    const uncachedPort = await freePort();
    uncached = await createGraphQLServer(served, { port: uncachedPort, cache: { blocks: 0 } });
    uncachedUrl = `http://127.0.0.1:${uncachedPort}/subgraphs/name/music`;
    const limitedPort = await freePort();
    limited = await createGraphQLServer(served, { port: limitedPort, limits: { maxComplexity: 60 } });
    limitedUrl = `http://127.0.0.1:${limitedPort}/subgraphs/name/music`;
  });
  afterAll(async () => {
    for (const s of [server, uncached, limited]) await new Promise((resolve) => (s ? s.close(resolve) : resolve(null)));
    await store?.drop();
    await sql?.close();
  });

  const post = async (query: string, at = url, variables?: Record<string, unknown>) =>
    (await (
      await fetch(at, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      })
    ).json()) as {
      data?: Record<string, unknown>;
      errors?: Array<{ message: string }>;
    };
  const data = async (query: string, at = url) => {
    const body = await post(query, at);
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
    // graph-node's own field check (execution/query.rs validate_fields; error.rs UnknownField with
    // its location, UndefinedFragment): the spec validation is silent by default in graph-node.
    expect((await post('{ musicians { nope } }')).errors).toEqual([
      { message: 'Type `Musician` has no field `nope`', locations: [{ line: 1, column: 15 }] },
    ]);
    expect((await post('{ musicians { ...missing } }')).errors).toEqual([
      { message: 'fragment `missing` is not defined' },
    ]);
    expect(await data('{ band(id: "b1") { id } }')).toEqual({ band: { id: 'b1' } });
  });

  it("refuses queries deeper than GRAPH_GRAPHQL_MAX_DEPTH (255) with graph-node's text (graph/src/data/query/error.rs TooDeep)", async () => {
    const deep = `{ musicians { ${'mainBand { members { '.repeat(128)}id${' } }'.repeat(128)} } }`;
    expect((await post(deep)).errors?.[0]?.message).toBe('query has a depth that exceeds the limit of `255`');
    // 254 nested selection sets still run: graph-node fails when the depth reaches the limit
    // (`first: 1` keeps the complexity from overflowing).
    const allowed = `{ musicians(first: 1) { ${'mainBand { members(first: 1) { '.repeat(126)}mainBand { id }${' } }'.repeat(126)} } }`;
    expect((await post(allowed)).errors).toBeUndefined();
  });

  // graphql/src/execution/query.rs `complexity_inner`: a list field counts first + first × its
  // children (first defaults to 100 unless given as a literal), a single object passes its
  // children through, leaves count 0; error text from graph/src/data/query/error.rs TooComplex.
  it('checks GRAPH_GRAPHQL_MAX_COMPLEXITY as graph-node computes it, and only when it is set', async () => {
    const sixty = '{ musicians(first: 10) { id mainBand { name } bands(first: 5) { id } } }';
    expect((await post(sixty, limitedUrl)).errors).toBeUndefined();
    const tooComplex = (n: number) =>
      `query potentially returns \`${n}\` entities or more and thereby exceeds the limit of \`60\` entities. Possible solutions are reducing the depth of the query, querying fewer relationships or using \`first\` to return smaller collections`;
    expect((await post('{ musicians(first: 10) { bands(first: 6) { id } } }', limitedUrl)).errors).toEqual([
      { message: tooComplex(70) },
    ]);
    // `first` from a variable counts as the default 100: 100 + 100 × 0.
    expect(
      (await post('query ($n: Int) { musicians(first: $n) { id } }', limitedUrl, { n: 1 })).errors?.[0]?.message,
    ).toBe(tooComplex(100));
    // Fragments count like the fields they stand for.
    expect(
      (await post('{ bands(first: 2) { ...m } } fragment m on Band { members(first: 30) { id } }', limitedUrl)).errors,
    ).toEqual([{ message: tooComplex(62) }]);
    // Off by default: the same queries run on the default server.
    expect((await post('{ musicians(first: 10) { bands(first: 6) { id } } }')).errors).toBeUndefined();
    // Overflowing u64 is refused even without a limit (ComplexityError::Overflow → TooComplex(u64::MAX, 0)).
    const huge = `{ musicians(first: 1000) { ${'bands(first: 1000) { members(first: 1000) { '.repeat(4)}id${' } }'.repeat(4)} } }`;
    expect((await post(huge)).errors?.[0]?.message).toBe(
      'query potentially returns `18446744073709551615` entities or more and thereby exceeds the limit of `0` entities. Possible solutions are reducing the depth of the query, querying fewer relationships or using `first` to return smaller collections',
    );
  });

  // graph-node's prefetch (graphql/src/store/prefetch.rs) loads a field for all parents of a level
  // in one windowed query (store/postgres/src/relational_queries.rs FilterWindow: unnest(parents)
  // cross join lateral (… order by … limit first offset skip)).
  it('loads derived fields for all parents in one query per level, with first/skip/orderBy/where per parent', async () => {
    statements.length = 0;
    expect(
      await data(
        '{ bands(block: { number: 1 }) { id members(first: 1, orderBy: name, orderDirection: desc) { name writtenSongs { title } } } }',
        uncachedUrl,
      ),
    ).toEqual({
      bands: [
        { id: 'b1', members: [{ name: 'Lisa', writtenSongs: [] }] },
        { id: 'b2', members: [] },
      ],
    });
    // bands, then members of both bands, then songs of the members: three SELECTs, not one per parent.
    expect(statements.filter((text) => text.startsWith('SELECT'))).toHaveLength(3);
    expect(
      await data(
        '{ bands(block: { number: 1 }) { id members(skip: 1, where: { plays_lt: "100" }) { id } } }',
        uncachedUrl,
      ),
    ).toEqual({
      bands: [
        { id: 'b1', members: [] },
        { id: 'b2', members: [] },
      ],
    });
    expect(await data('{ bands { members(where: { name_not: "Lisa" }) { id } } }', uncachedUrl)).toEqual({
      bands: [{ members: [{ id: 'm1' }] }],
    });
  });

  it('applies where/orderBy/first to list references per parent (children_type_c), default order by id', async () => {
    expect(
      await data(
        '{ musicians(block: { number: 1 }) { id all: bands { id } byName: bands(orderBy: name) { id } amateurs: bands(where: { name_starts_with: "The A" }) { id } one: bands(first: 1, skip: 1) { id } } }',
        uncachedUrl,
      ),
    ).toEqual({
      musicians: [
        {
          id: 'm1',
          all: [{ id: 'b1' }, { id: 'b2' }],
          byName: [{ id: 'b2' }, { id: 'b1' }],
          amateurs: [{ id: 'b2' }],
          one: [{ id: 'b2' }],
        },
        { id: 'm2', all: [{ id: 'b1' }], byName: [{ id: 'b1' }], amateurs: [], one: [] },
      ],
    });
  });

  // graphql/src/execution/cache.rs: results are cached per block; a new head starts a new cache.
  it('serves cached results only for the block they were computed at, and the same as without the cache', async () => {
    const query = '{ musicians(orderBy: name) { id name plays } _meta { block { number } } }';
    const before = await data(query);
    expect(await data(query)).toEqual(before);
    expect(await data(query, uncachedUrl)).toEqual(before);
    await store.transact(
      [
        {
          block: block(3),
          changes: [
            set('Musician', 'm2', {
              name: s('Lisa B'),
              mainBand: s('b1'),
              bands: { kind: 'List', value: [s('b1')] },
              plays: { kind: 'BigInt', value: 301n },
            }),
          ],
        },
      ],
      [],
      block(3),
    );
    const after = await data(query);
    expect(after).toEqual(await data(query, uncachedUrl));
    expect(after._meta).toEqual({ block: { number: 3 } });
    expect((after.musicians as Array<{ name: string }>).map((m) => m.name)).toEqual(['Johnny', 'Lisa B', 'tom']);
    await store.revertTo(block(2));
    expect(await data(query)).toEqual(before);
  });

  it('after a fatal error answers indexing_error, keeping only _meta unless subgraphError: allow', async () => {
    // Cached while healthy; the failure at the same head must not be answered from that cache.
    expect(await data('{ _meta { block { number } hasIndexingErrors } }')).toEqual({
      _meta: { block: { number: 2 }, hasIndexingErrors: false },
    });
    await store.fail({ message: 'boom', block: block(2), handler: 'handleThing' });
    expect(await data('{ _meta { block { number } hasIndexingErrors } }')).toEqual({
      _meta: { block: { number: 2 }, hasIndexingErrors: true },
    });
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
