// One SQL interface over the embedded PGlite (default) and a real PostgreSQL (pg): the store
// writes the same SQL to both. The embedded PGlite runs in a worker thread by default
// (pglite-thread.ts), so that its WASM work runs beside the subgraph's handlers.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import pg from 'pg';
import { openPGliteThread } from './pglite-thread.js';

export type Row = Record<string, unknown>;

export interface SqlClient {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `body` in one transaction: all of it is written, or none. */
  transaction<T>(body: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The client a transaction's body gets: its statements, in the order they are called. */
export function transactionClient(query: SqlClient['query']): SqlClient {
  return {
    query,
    transaction: () => Promise.reject(new Error('nested transactions are not supported')),
    close: async () => {},
  };
}

class PGliteClient implements SqlClient {
  constructor(private readonly db: PGlite) {}

  async query<T extends Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, params)).rows;
  }

  async transaction<T>(body: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) =>
      body(
        transactionClient(
          async <R extends Row>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows,
        ),
      ),
    );
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

class PostgresClient implements SqlClient {
  constructor(private readonly pool: pg.Pool) {}

  async query<T extends Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(sql, params)).rows;
  }

  async transaction<T>(body: (tx: SqlClient) => Promise<T>): Promise<T> {
    const connection = await this.pool.connect();
    try {
      await connection.query('BEGIN');
      // A connection runs one query at a time: statements sent together (DeploymentStore.transact)
      // wait their turn here, not in pg's own queue, which pg 8 deprecates.
      let turn: Promise<unknown> = Promise.resolve();
      const result = await body(
        transactionClient(<R extends Row>(sql: string, params: unknown[] = []) => {
          const rows = turn.then(async () => (await connection.query<R>(sql, params)).rows);
          turn = rows.catch(() => undefined);
          return rows;
        }),
      );
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** The same client, calling `changed` when any of its transactions starts and when it ends. */
export function onTransactions(sql: SqlClient, changed: () => void): SqlClient {
  return {
    query: (text, params) => sql.query(text, params),
    async transaction(body) {
      changed();
      try {
        return await sql.transaction(body);
      } finally {
        changed();
      }
    },
    close: () => sql.close(),
  };
}

// numeric and int8 come back as text so that no amount is ever rounded through a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (text) => text);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (text) => text);

export interface StoreLocation {
  /** Directory of the embedded database (PGlite); ignored with `postgresUrl`. */
  dataDir?: string;
  postgresUrl?: string;
  /**
   * Where the embedded PGlite runs: in a worker thread (default), or in this thread (the
   * worker's own client, and the store benchmark's comparison).
   */
  pglite?: 'worker' | 'this-thread';
}

export async function openSqlClient(location: StoreLocation): Promise<SqlClient> {
  if (location.postgresUrl) {
    const pool = new pg.Pool({ connectionString: location.postgresUrl, max: 4 });
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new Error(`cannot connect to PostgreSQL at ${redact(location.postgresUrl)}: ${(error as Error).message}`);
    }
    await pool.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    return new PostgresClient(pool);
  }
  if (location.dataDir) mkdirSync(location.dataDir, { recursive: true });
  if (location.pglite !== 'this-thread') return openPGliteThread(location.dataDir ?? null);
  const db = await PGlite.create(location.dataDir ?? 'memory://', { extensions: { btree_gist } });
  await db.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
  return new PGliteClient(db);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
