// One deployment's versioned entities (graph-node store/postgres: relational.rs, block_range.rs):
// a `set` at block B closes the current version at B and inserts [B, ∞); a removal only closes it;
// a revert to A deletes versions that start after A and reopens those closed after A. Blocks,
// data sources and the head are written in one transaction, so a crash never leaves half a block.
import type { SubgraphSchema } from '../schema/schema.js';
import type { BlockPtr, Entity, EntityChange } from '../schema/value.js';
import { bulkParamType, idOf, idParam, Layout, quote, rowToEntity, type Table, toBulkSql } from './layout.js';
import { onTransactions, type SqlClient } from './sql-client.js';

export interface StoredEntity {
  entityType: string;
  id: string;
  data: Map<string, import('../schema/value.js').Value>;
}

export interface StoredDataSource {
  template: string;
  address: string;
  context: unknown;
  startBlock: number;
}

export interface DeploymentStatus {
  head: BlockPtr | null;
  fatalError: StoredFatalError | null;
}

export interface StoredFatalError {
  message: string;
  block: BlockPtr;
  handler: string | null;
}

export interface StoreOptions {
  /**
   * Create the indexes only GraphQL uses (attribute indexes, mutable tables' GiST `(id,
   * block_range)`) only when the deployment is synced (`createPostponedIndexes`; Layout.ddl).
   */
  postponeIndexes: boolean;
}

/**
 * `GRAPH_POSTPONE_ATTRIBUTE_INDEX_CREATION`, parsed as graph-node parses a boolean flag
 * (graph/src/env/mod.rs `EnvVarBoolean`: empty, `true` or `1` is on; `false` or `0` off). Unlike
 * graph-node's release default (off; held back there until verified on its hosted service,
 * NEWS.md), unset means on: see the indexer README, "Store and GraphQL".
 */
export function storeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): StoreOptions {
  const value = env.GRAPH_POSTPONE_ATTRIBUTE_INDEX_CREATION;
  if (value === undefined || value === '' || value === 'true' || value === '1') return { postponeIndexes: true };
  if (value === 'false' || value === '0') return { postponeIndexes: false };
  throw new Error(`GRAPH_POSTPONE_ATTRIBUTE_INDEX_CREATION must be true, false, 1 or 0, but is "${value}"`);
}

/** One SQL statement and its parameters. */
type Statement = [text: string, params: unknown[]];

/** Rows per bulk insert: bounds the size of one statement's arrays. */
const ROWS_PER_INSERT = 5_000;

/** One entity version a range writes: visible in [block, end), `end` null while current. */
interface Version {
  id: string;
  data: Entity;
  block: number;
  end: number | null;
}

/** A range's writes to one entity type. */
interface RowGroup {
  table: Table;
  /** Entity id → block at which its version from before the range closes (mutable types only). */
  clamps: Map<string, number>;
  /** New versions in block order; null where a later change in the same block replaced one. */
  versions: Array<Version | null>;
  /** Entity id → index in `versions` of its latest version in the range. */
  open: Map<string, number>;
}

/** Adds one change at `block` to its type's group (graph-node's `RowGroup::append_row`). */
function fold(group: RowGroup, block: number, change: EntityChange): void {
  const { id } = change;
  const at = group.open.get(id);
  const latest = at === undefined ? null : group.versions[at];
  if (group.table.type.immutable) {
    if (change.op === 'remove') {
      throw new Error(`entity ${change.entityType}[${id}] is immutable and cannot be removed (block ${block})`);
    }
    if (latest && latest.block !== block) {
      throw new Error(
        `entity ${change.entityType}[${id}] is immutable; inserting it at block ${block} is not possible as it was already inserted at block ${latest.block}`,
      );
    }
  } else if (!group.clamps.has(id)) {
    group.clamps.set(id, block);
  }
  if (latest && latest.end === null) {
    // Two changes at one block (the runner sends one per entity, but be exact): the later wins.
    if (latest.block === block) group.versions[at as number] = null;
    else latest.end = block;
  }
  if (change.op === 'set') {
    group.open.set(id, group.versions.length);
    group.versions.push({ id, data: change.data, block, end: null });
  } else {
    group.open.delete(id);
  }
}

export class DeploymentStore {
  readonly layout: Layout;
  private readonly meta: string;
  private readonly dataSourcesTable: string;

  readonly sql: SqlClient;
  /** Bumped when a transaction starts and ends: a remembered status is only valid within one value. */
  private generation = 0;
  private statusMemo: { generation: number; value: Promise<DeploymentStatus> } | undefined;

  private constructor(
    sql: SqlClient,
    readonly deployment: string,
    schema: SubgraphSchema,
    private readonly ownsClient: boolean,
  ) {
    // The head and health only change in this store's transactions (transact, revertTo, fail).
    this.sql = onTransactions(sql, () => {
      this.generation += 1;
    });
    const namespace = `sgd_${deployment.replace(/[^a-zA-Z0-9_]/g, '_').toLowerCase()}`;
    this.layout = new Layout(schema, namespace);
    this.meta = `${quote(namespace)}."subgraph$meta"`;
    this.dataSourcesTable = `${quote(namespace)}."data_sources$"`;
  }

  static async open(
    sql: SqlClient,
    deployment: string,
    schema: SubgraphSchema,
    ownsClient = true,
    options: StoreOptions = storeOptionsFromEnv(),
  ): Promise<DeploymentStore> {
    const store = new DeploymentStore(sql, deployment, schema, ownsClient);
    await sql.transaction(async (tx) => {
      for (const statement of store.layout.ddl(options)) await tx.query(statement);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${store.meta} (singleton bool PRIMARY KEY DEFAULT true, head_number int4, head_hash text, head_parent_hash text, head_timestamp int8, fatal_error jsonb, created_at timestamptz NOT NULL DEFAULT now())`,
      );
      await tx.query(`INSERT INTO ${store.meta} (singleton) VALUES (true) ON CONFLICT DO NOTHING`);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${store.dataSourcesTable} (vid bigserial PRIMARY KEY, template text NOT NULL, address text NOT NULL, context jsonb, start_block int4 NOT NULL)`,
      );
    });
    return store;
  }

  async head(): Promise<BlockPtr | null> {
    return (await this.status()).head;
  }

  async currentEntities(): Promise<StoredEntity[]> {
    const entities: StoredEntity[] = [];
    for (const table of this.layout.tables.values()) {
      const where = table.type.immutable ? '' : ' WHERE upper_inf(block_range)';
      for (const row of await this.sql.query(`SELECT * FROM ${table.qualified}${where}`)) {
        entities.push({ entityType: table.type.name, id: idOf(table, row.id), data: rowToEntity(table, row) });
      }
    }
    return entities;
  }

  async dynamicDataSources(): Promise<StoredDataSource[]> {
    const rows = await this.sql.query<{ template: string; address: string; context: unknown; start_block: number }>(
      `SELECT template, address, context, start_block FROM ${this.dataSourcesTable} ORDER BY vid`,
    );
    return rows.map((r) => ({
      template: r.template,
      address: r.address,
      context: r.context,
      startBlock: r.start_block,
    }));
  }

  /**
   * Writes a range of blocks (in increasing order), the data sources they created and the new head
   * in one transaction. The whole range is written per entity type with one statement closing the
   * versions current before the range and one bulk insert of every version the range made, each
   * with its final block range — graph-node folds a batch the same way
   * (graph/src/components/store/write.rs `RowGroup::append_row`; store/postgres/src/relational.rs
   * `Layout::update`: `ClampRangeQuery`, then `InsertQuery`).
   */
  async transact(
    blocks: Array<{ block: BlockPtr; changes: EntityChange[] }>,
    dataSources: StoredDataSource[],
    head: BlockPtr,
  ): Promise<void> {
    const groups = this.groupByType(blocks);
    const statements: Statement[] = [];
    for (const group of groups.values()) statements.push(...this.clamp(group), ...this.insertVersions(group));
    for (const ds of dataSources) {
      statements.push([
        `INSERT INTO ${this.dataSourcesTable} (template, address, context, start_block) VALUES ($1, $2, $3, $4)`,
        [ds.template, ds.address, ds.context === null ? null : JSON.stringify(ds.context), ds.startBlock],
      ]);
    }
    statements.push(this.setHead(head));
    // Every statement is sent at once: a client runs a transaction's statements in the order they
    // are called, and a client in another thread (pglite-thread.ts) then works through them without
    // waiting for this thread, which is running the next range's handlers meanwhile.
    await this.sql.transaction(async (tx) => {
      await Promise.all(statements.map(([text, params]) => tx.query(text, params)));
    });
  }

  private setHead(head: BlockPtr): Statement {
    return [
      `UPDATE ${this.meta} SET head_number = $1, head_hash = $2, head_parent_hash = $3, head_timestamp = $4`,
      [head.number, head.hash, head.parentHash, head.timestamp],
    ];
  }

  /**
   * Folds a range's changes into, per entity type, the block at which each entity's version from
   * before the range closes (its first change in the range) and every version the range creates
   * with its final range: a version set at b1 and changed again at b2 is [b1, b2); one removed at
   * b2 is [b1, b2) with nothing after it; the last one stays open.
   */
  private groupByType(blocks: Array<{ block: BlockPtr; changes: EntityChange[] }>): Map<string, RowGroup> {
    const groups = new Map<string, RowGroup>();
    let previous = Number.NEGATIVE_INFINITY;
    for (const { block, changes } of blocks) {
      if (block.number < previous) {
        throw new Error(`store: blocks of a range must ascend, but block ${block.number} follows ${previous}`);
      }
      previous = block.number;
      for (const change of changes) {
        let group = groups.get(change.entityType);
        if (!group) {
          group = { table: this.layout.table(change.entityType), clamps: new Map(), versions: [], open: new Map() };
          groups.set(change.entityType, group);
        }
        fold(group, block.number, change);
      }
    }
    return groups;
  }

  /** The statement closing, at their first change in the range, the versions current before it. */
  private clamp(group: RowGroup): Statement[] {
    if (group.table.type.immutable || group.clamps.size === 0) return [];
    const { table } = group;
    const idType = `${table.columns.find((c) => c.name === 'id')?.sqlType ?? 'text'}[]`;
    return [
      [
        `UPDATE ${table.qualified} AS t SET block_range = int4range(lower(t.block_range), c.block) FROM unnest($1::${idType}, $2::int4[]) AS c(id, block) WHERE t.id = c.id AND upper_inf(t.block_range)`,
        [[...group.clamps.keys()].map((id) => idParam(table, id)), [...group.clamps.values()]],
      ],
    ];
  }

  /**
   * The statements inserting the range's versions of one type, in block order, with one array
   * per column (`INSERT … SELECT … FROM unnest($1::text[], $2::numeric[], …)`): a fixed number
   * of bound parameters whatever the row count, which PGlite and pg parse far faster than one
   * parameter per value.
   */
  private insertVersions(group: RowGroup): Statement[] {
    const { table } = group;
    const versions = group.versions.filter((version): version is Version => version !== null);
    const columns = table.columns;
    const names = columns.map((c) => quote(c.name));
    const params = columns.map((c) => bulkParamType(c));
    const selected = columns.map((c, i) => (c.field.list ? `u.c${i}::${c.sqlType}` : `u.c${i}`));
    const aliases = columns.map((_, i) => `c${i}`).join(', ');
    const n = columns.length;
    const [versionColumn, versionValue] = table.type.immutable
      ? ['"block$"', `u.c${n}`]
      : ['block_range', `int4range(u.c${n}, u.c${n + 1})`];
    const statement =
      `INSERT INTO ${table.qualified} (${[...names, versionColumn].join(', ')}) ` +
      `SELECT ${[...selected, versionValue].join(', ')} FROM unnest(${[...params, 'int4[]', 'int4[]'].map((type, i) => `$${i + 1}::${type}`).join(', ')}) AS u(${aliases}, c${n}, c${n + 1})`;
    const inserts: Statement[] = [];
    for (let start = 0; start < versions.length; start += ROWS_PER_INSERT) {
      const chunk = versions.slice(start, start + ROWS_PER_INSERT);
      const values = columns.map((column) =>
        chunk.map((v) =>
          column.name === 'id' ? idParam(table, v.id) : toBulkSql(column, v.data.get(column.field.name)),
        ),
      );
      inserts.push([statement, [...values, chunk.map((v) => v.block), chunk.map((v) => v.end)]]);
    }
    return inserts;
  }

  /** Reorg: forget everything after `block`. */
  async revertTo(block: BlockPtr): Promise<void> {
    await this.sql.transaction(async (tx) => {
      for (const table of this.layout.tables.values()) {
        if (table.type.immutable) {
          await tx.query(`DELETE FROM ${table.qualified} WHERE "block$" > $1`, [block.number]);
        } else {
          await tx.query(`DELETE FROM ${table.qualified} WHERE lower(block_range) > $1`, [block.number]);
          await tx.query(
            `UPDATE ${table.qualified} SET block_range = int4range(lower(block_range), NULL) WHERE NOT upper_inf(block_range) AND upper(block_range) > $1`,
            [block.number],
          );
        }
      }
      await tx.query(`DELETE FROM ${this.dataSourcesTable} WHERE start_block > $1`, [block.number]);
      await tx.query(`UPDATE ${this.meta} SET fatal_error = NULL WHERE (fatal_error->'block'->>'number')::int4 > $1`, [
        block.number,
      ]);
      await tx.query(...this.setHead(block));
    });
  }

  /** A deterministic failure: the head moves to the failing block and health becomes failed. */
  async fail(error: StoredFatalError): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`UPDATE ${this.meta} SET fatal_error = $1`, [JSON.stringify(error)]);
      await tx.query(...this.setHead(error.block));
    });
  }

  async fatalError(): Promise<StoredFatalError | null> {
    return (await this.status()).fatalError;
  }

  /**
   * Head and fatal error, read once per change (the GraphQL server needs both for every request):
   * remembered until one of this store's transactions starts or ends. The indexer writes and
   * serves in one process, so no other writer moves the head.
   */
  status(): Promise<DeploymentStatus> {
    const generation = this.generation;
    if (this.statusMemo?.generation === generation) return this.statusMemo.value;
    const value = this.readStatus();
    const memo = { generation, value };
    this.statusMemo = memo;
    value.catch(() => {
      if (this.statusMemo === memo) this.statusMemo = undefined;
    });
    return value;
  }

  private async readStatus(): Promise<DeploymentStatus> {
    const [row] = await this.sql.query<{
      head_number: number | null;
      head_hash: string;
      head_parent_hash: string | null;
      head_timestamp: string;
      fatal_error: StoredFatalError | string | null;
    }>(`SELECT head_number, head_hash, head_parent_hash, head_timestamp, fatal_error FROM ${this.meta}`);
    const fatal = row?.fatal_error ?? null;
    return {
      head:
        !row || row.head_number === null
          ? null
          : {
              number: row.head_number,
              hash: row.head_hash,
              parentHash: row.head_parent_hash,
              timestamp: Number(row.head_timestamp),
            },
      fatalError: typeof fatal === 'string' ? (JSON.parse(fatal) as StoredFatalError) : fatal,
    };
  }

  /**
   * Refreshes the planner's statistics of the deployment's tables. PostgreSQL's autovacuum does
   * this on its own (graph-node relies on it); embedded PGlite has no autovacuum, and without
   * statistics it plans an ordered, filtered page as a sort of the whole table.
   */
  async analyze(): Promise<void> {
    for (const table of this.layout.tables.values()) await this.sql.query(`ANALYZE ${table.qualified}`);
  }

  /**
   * Creates every index of the layout that is missing — the indexes `open` postponed —
   * and returns how many it created. The runner calls it when the deployment first reaches the
   * chain head in a process, or stops on a failure (graph-node calls `create_postponed_indexes`
   * near the head: core/src/subgraph/runner/mod.rs, store/postgres/src/deployment_store.rs), so a
   * restart after a crash before or during the creation ends with all of them; when they exist,
   * its `IF NOT EXISTS` statements change nothing. Each index is built by its own statement
   * outside a transaction: a crash keeps
   * those already built, and a plain (not concurrent) `CREATE INDEX` is atomic, leaving no
   * half-built index. An invalid index in the deployment's schema — what an interrupted
   * `CREATE INDEX CONCURRENTLY` leaves, say by hand on PostgreSQL — is never used by queries yet
   * still updated by every write, and `IF NOT EXISTS` would skip it: it is dropped first, as
   * graph-node drops one (`check_index_is_valid`, then `drop index … if exists`).
   *
   * graph-node also records that it created them (`postponed_indexes_created`) so that it never
   * creates them again after an operator dropped some on purpose; nothing here drops indexes
   * that way, so the catalog alone says what is missing.
   */
  async createPostponedIndexes(): Promise<number> {
    const namespace = this.layout.namespace;
    const invalid = await this.sql.query<{ name: string }>(
      'SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT i.indisvalid',
      [namespace],
    );
    for (const { name } of invalid) await this.sql.query(`DROP INDEX IF EXISTS ${quote(namespace)}.${quote(name)}`);
    const count = async () => {
      const [row] = await this.sql.query<{ n: string }>('SELECT count(*) AS n FROM pg_indexes WHERE schemaname = $1', [
        namespace,
      ]);
      return Number(row?.n);
    };
    const before = await count();
    for (const statement of this.layout.ddl({ postponeIndexes: false })) await this.sql.query(statement);
    return (await count()) - before;
  }

  /** Drops the deployment's data. */
  async drop(): Promise<void> {
    await this.sql.query(`DROP SCHEMA IF EXISTS ${quote(this.layout.namespace)} CASCADE`);
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.sql.close();
  }
}
