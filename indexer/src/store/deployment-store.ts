// One deployment's versioned entities (graph-node store/postgres: relational.rs, block_range.rs):
// a `set` at block B closes the current version at B and inserts [B, ∞); a removal only closes it;
// a revert to A deletes versions that start after A and reopens those closed after A. Blocks,
// data sources and the head are written in one transaction, so a crash never leaves half a block.
import type { SubgraphSchema } from '../schema/schema.js';
import type { BlockPtr, EntityChange } from '../schema/value.js';
import { idOf, idParam, Layout, quote, rowToEntity, type Table, toSql } from './layout.js';
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

const MAX_PARAMS = 30_000;

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
  ): Promise<DeploymentStore> {
    const store = new DeploymentStore(sql, deployment, schema, ownsClient);
    await sql.transaction(async (tx) => {
      for (const statement of store.layout.ddl()) await tx.query(statement);
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

  async transact(
    blocks: Array<{ block: BlockPtr; changes: EntityChange[] }>,
    dataSources: StoredDataSource[],
    head: BlockPtr,
  ): Promise<void> {
    await this.sql.transaction(async (tx) => {
      for (const { block, changes } of blocks) await this.writeBlock(tx, block.number, changes);
      for (const ds of dataSources) {
        await tx.query(
          `INSERT INTO ${this.dataSourcesTable} (template, address, context, start_block) VALUES ($1, $2, $3, $4)`,
          [ds.template, ds.address, ds.context === null ? null : JSON.stringify(ds.context), ds.startBlock],
        );
      }
      await this.setHead(tx, head);
    });
  }

  private async setHead(tx: SqlClient, head: BlockPtr): Promise<void> {
    await tx.query(
      `UPDATE ${this.meta} SET head_number = $1, head_hash = $2, head_parent_hash = $3, head_timestamp = $4`,
      [head.number, head.hash, head.parentHash, head.timestamp],
    );
  }

  private async writeBlock(tx: SqlClient, block: number, changes: EntityChange[]): Promise<void> {
    const byType = new Map<string, EntityChange[]>();
    for (const change of changes) {
      const list = byType.get(change.entityType) ?? [];
      list.push(change);
      byType.set(change.entityType, list);
    }
    for (const [typeName, list] of byType) {
      const table = this.layout.table(typeName);
      if (!table.type.immutable) {
        const ids = list.map((c) => idParam(table, c.id));
        const idType = table.idScalar === 'Bytes' ? 'bytea[]' : table.idScalar === 'Int8' ? 'int8[]' : 'text[]';
        await tx.query(
          `UPDATE ${table.qualified} SET block_range = int4range(lower(block_range), $1) WHERE id = ANY($2::${idType}) AND upper_inf(block_range)`,
          [block, ids],
        );
      }
      const sets = list.filter((c): c is Extract<EntityChange, { op: 'set' }> => c.op === 'set');
      await this.insertVersions(tx, table, block, sets);
    }
  }

  private async insertVersions(
    tx: SqlClient,
    table: Table,
    block: number,
    sets: Array<Extract<EntityChange, { op: 'set' }>>,
  ): Promise<void> {
    if (sets.length === 0) return;
    const columns = table.columns.map((c) => quote(c.name));
    const versionColumn = table.type.immutable ? '"block$"' : 'block_range';
    const perRow = table.columns.length + 1;
    const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMS / perRow));
    for (let start = 0; start < sets.length; start += rowsPerStatement) {
      const chunk = sets.slice(start, start + rowsPerStatement);
      const params: unknown[] = [];
      const tuples = chunk.map((change) => {
        const placeholders = table.columns.map((column) => {
          params.push(column.name === 'id' ? idParam(table, change.id) : toSql(change.data.get(column.field.name)));
          return `$${params.length}::${column.sqlType}`;
        });
        params.push(block);
        const version = table.type.immutable ? `$${params.length}::int4` : `int4range($${params.length}::int4, NULL)`;
        return `(${[...placeholders, version].join(', ')})`;
      });
      await tx.query(
        `INSERT INTO ${table.qualified} (${[...columns, versionColumn].join(', ')}) VALUES ${tuples.join(', ')}`,
        params,
      );
    }
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
      await this.setHead(tx, block);
    });
  }

  /** A deterministic failure: the head moves to the failing block and health becomes failed. */
  async fail(error: StoredFatalError): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`UPDATE ${this.meta} SET fatal_error = $1`, [JSON.stringify(error)]);
      await this.setHead(tx, error.block);
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

  /** Drops the deployment's data. */
  async drop(): Promise<void> {
    await this.sql.query(`DROP SCHEMA IF EXISTS ${quote(this.layout.namespace)} CASCADE`);
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.sql.close();
  }
}
