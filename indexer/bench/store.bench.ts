// Store write speed: the versioned store's `transact` over a realistic run of the real schema —
// 100,000 immutable event entities (repayments, collateral changes, openings, price updates) over
// 1,000 blocks, each event updating its loan (10,000 loans), the borrower's account and a
// liquidation bucket, and every block the market, the protocol and their hourly snapshots — written
// in ranges of 40 blocks per transaction as the runner writes them. Prints entity changes/s
// (every change is one version row, for time travel) for PGlite in a data directory, as
// `indexer run` opens it, and for PostgreSQL when TEST_DATABASE_URL (or BENCH_POSTGRES_URL) is set.
// The attribute and GiST indexes are postponed as `indexer run` postpones them (timed separately at the end);
// GRAPH_POSTPONE_ATTRIBUTE_INDEX_CREATION=false writes with all of them from the start.
// Usage: pnpm --filter indexer bench store   (BENCH_EVENTS, BENCH_LOANS, BENCH_BLOCKS, BENCH_RANGE)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityType } from '../src/schema/schema.js';
import { parseSchema } from '../src/schema/schema.js';
import type { BlockPtr, Entity, EntityChange, Value } from '../src/schema/value.js';
import { DeploymentStore } from '../src/store/deployment-store.js';
import { openSqlClient, type SqlClient, type StoreLocation } from '../src/store/sql-client.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const LOANS = Number(process.env.BENCH_LOANS ?? 10_000);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 1_000);
const RANGE = Number(process.env.BENCH_RANGE ?? 40);
const APPLICATION_NAME = 'store-bench';
const CLOCK_TICKS = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s
const ACCOUNTS = 1_000;
const BUCKETS = 200;
const BLOCKS_PER_HOUR = 30;
const EVENT_TYPES = ['Repayment', 'Repayment', 'CollateralChange', 'LoanOpening', 'PriceUpdate'];

const schema = parseSchema(readFileSync(join(import.meta.dirname, '../../schema.graphql'), 'utf8'));

/** Hex id of `n` in `bytes` bytes. */
const hexId = (n: number, bytes: number) => `0x${n.toString(16).padStart(bytes * 2, '0')}`;
const ID_BYTES: Record<string, number> = { Loan: 52, Account: 20, Market: 20, Protocol: 20, LiquidationBucket: 24 };

/** The id of instance `n` of `typeName`, in the form its id type takes. */
function idFor(typeName: string, n: number): string {
  const type = schema.entityTypes.get(typeName);
  if (type?.idType === 'Int8') return String(n);
  if (type?.idType === 'String') return `${typeName}-${n}`;
  return hexId(n, ID_BYTES[typeName] ?? 32);
}

/** A value of every stored field, as handlers write them: references point at instance `ref`. */
function entity(type: EntityType, id: string, seed: number, ref: number): Entity {
  const data: Entity = new Map();
  for (const field of type.fields) {
    if (field.derivedFrom) continue;
    const value = field.name === 'id' ? idValue(type, id) : fieldValue(field.kind, field.baseType, seed, ref);
    data.set(field.name, field.list ? { kind: 'List', value: [value] } : value);
  }
  return data;
}

function idValue(type: EntityType, id: string): Value {
  if (type.idType === 'Bytes') return { kind: 'Bytes', value: Buffer.from(id.slice(2), 'hex') };
  if (type.idType === 'Int8') return { kind: 'Int8', value: BigInt(id) };
  return { kind: 'String', value: id };
}

function fieldValue(kind: string, baseType: string, seed: number, ref: number): Value {
  if (kind === 'enum') return { kind: 'String', value: schema.enums.get(baseType)?.[seed % 2] ?? '' };
  if (kind === 'reference') return idValue(schema.entityTypes.get(baseType) as EntityType, idFor(baseType, ref));
  switch (baseType) {
    case 'BigInt':
      return { kind: 'BigInt', value: 26_000_000_000n + BigInt(seed) * 7_919n };
    case 'BigDecimal':
      return { kind: 'BigDecimal', value: `${65_000 + (seed % 1_000)}.${seed % 97}` };
    case 'Int':
      return { kind: 'Int', value: seed % 10_000 };
    case 'Int8':
    case 'Timestamp':
      return { kind: baseType, value: 1_700_000_000_000_000n + BigInt(seed) };
    case 'Boolean':
      return { kind: 'Bool', value: seed % 3 === 0 };
    case 'Bytes':
      return { kind: 'Bytes', value: Buffer.from(hexId(seed, 32).slice(2), 'hex') };
    default:
      return { kind: 'String', value: `value ${seed}` };
  }
}

function set(typeName: string, n: number, seed: number, ref = 0): EntityChange {
  const type = schema.entityTypes.get(typeName) as EntityType;
  const id = idFor(typeName, n);
  return { op: 'set', entityType: typeName, id, data: entity(type, id, seed, ref) };
}

function blockPtr(number: number): BlockPtr {
  return { number, hash: hexId(number, 32), parentHash: hexId(number - 1, 32), timestamp: 1_700_000_000 + number * 12 };
}

const eventsPerBlock = Math.ceil(EVENTS / BLOCKS);

/** Block `b`'s net changes (one per entity, as the runner hands them over). */
function blockChanges(b: number): EntityChange[] {
  const changes = new Map<string, EntityChange>();
  const add = (change: EntityChange) => changes.set(`${change.entityType}\u0000${change.id}`, change);
  const hour = Math.floor(b / BLOCKS_PER_HOUR);
  for (let e = 0; e < eventsPerBlock; e += 1) {
    const event = b * eventsPerBlock + e;
    if (event >= EVENTS) break;
    const loan = (event * 7_919) % LOANS;
    add(set(EVENT_TYPES[event % EVENT_TYPES.length] as string, event, event, loan));
    add(set('Loan', loan, event, loan % ACCOUNTS));
    add(set('Account', loan % ACCOUNTS, event));
    add(set('LiquidationBucket', loan % BUCKETS, event));
  }
  add(set('Market', 0, b));
  add(set('Protocol', 0, b));
  add(set('MarketSnapshot', hour, b));
  add(set('ProtocolSnapshot', hour, b));
  return [...changes.values()];
}

/**
 * CPU seconds spent so far on the writes: this process (PGlite runs in it) plus, for PostgreSQL,
 * the server backends serving this benchmark's connections. On a shared machine wall time swings
 * with the other jobs; CPU time much less.
 */
async function cpuSeconds(sql: SqlClient, postgres: boolean): Promise<number> {
  const own = process.cpuUsage();
  let seconds = (own.user + own.system) / 1e6;
  if (postgres) {
    const backends = await sql.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = '${APPLICATION_NAME}'`,
    );
    for (const { pid } of backends) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      seconds += (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    }
  }
  return seconds;
}

async function run(name: string, location: StoreLocation): Promise<void> {
  const postgres = location.postgresUrl !== undefined;
  const sql = await openSqlClient(location);
  const store = await DeploymentStore.open(sql, `QmStoreBench${Date.now()}`, schema);
  let changes = 0;
  let writeMs = 0;
  let cpu = 0;
  for (let start = 1; start <= BLOCKS; start += RANGE) {
    const blocks = [];
    for (let b = start; b < Math.min(start + RANGE, BLOCKS + 1); b += 1) {
      blocks.push({ block: blockPtr(b), changes: blockChanges(b) });
    }
    changes += blocks.reduce((sum, block) => sum + block.changes.length, 0);
    const cpuBefore = await cpuSeconds(sql, postgres);
    const began = performance.now();
    await store.transact(blocks, [], blocks[blocks.length - 1]?.block as BlockPtr);
    writeMs += performance.now() - began;
    cpu += (await cpuSeconds(sql, postgres)) - cpuBefore;
  }
  // What the runner does at the head once: the indexes postponed while catching up (none when
  // GRAPH_POSTPONE_ATTRIBUTE_INDEX_CREATION=false).
  const indexing = performance.now();
  const indexes = await store.createPostponedIndexes();
  const indexMs = performance.now() - indexing;
  const counts = [...store.layout.tables.values()].map((t) => `SELECT count(*) AS n FROM ${t.qualified}`);
  const [stored] = await sql.query<{ n: string }>(`SELECT sum(n)::int8 AS n FROM (${counts.join(' UNION ALL ')}) c`);
  if (Number(stored?.n) !== changes) throw new Error(`${name}: ${stored?.n} rows stored for ${changes} changes`);
  console.log(
    `${name.padEnd(10)} ${changes} changes in ${(writeMs / 1_000).toFixed(1)} s of transact: ` +
      `${Math.round(changes / (writeMs / 1_000))} changes/s (${(writeMs / changes).toFixed(3)} ms per change); ` +
      `CPU ${cpu.toFixed(1)} s: ${Math.round(changes / cpu)} changes per CPU second; ` +
      `${(writeMs / Math.ceil(BLOCKS / RANGE)).toFixed(0)} ms per ${RANGE}-block range; ` +
      `then ${indexes} postponed indexes created in ${(indexMs / 1_000).toFixed(1)} s`,
  );
  await store.drop();
  await store.close();
}

console.log(
  `${EVENTS} events over ${BLOCKS} blocks (${LOANS} loans), ${RANGE} blocks per transaction; ` +
    'every change is one stored version',
);
const dataDir = mkdtempSync(join(tmpdir(), 'store-bench-'));
try {
  await run('PGlite', { dataDir });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
const postgresUrl = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_DATABASE_URL;
if (postgresUrl) {
  const url = new URL(postgresUrl);
  url.searchParams.set('application_name', APPLICATION_NAME);
  await run('PostgreSQL', { postgresUrl: url.toString() });
} else console.log('PostgreSQL skipped: set TEST_DATABASE_URL (or BENCH_POSTGRES_URL)');
