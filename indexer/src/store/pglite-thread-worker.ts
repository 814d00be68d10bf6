// The worker thread behind PGliteThreadClient (pglite-thread.ts): it owns the embedded PGlite, runs
// each request in arrival order and answers it on the parent port. A transaction is PGlite's own
// `transaction()`, held open until the main thread sends commit or rollback: PGlite queues every
// other statement until it ends, as it does in one thread.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { openSqlClient, type Row, type SqlClient } from './sql-client.js';

export interface PGliteThreadInit {
  /** Directory of the database; null for an in-memory one. */
  dataDir: string | null;
}

export type PGliteRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[]; tx: number | null }
  | { id: number; op: 'begin' | 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'close' };

/** An error's message and its own primitive fields (PGlite's `code`, `detail`, `position`, …). */
export interface ThreadError {
  message: string;
  fields: Record<string, string | number | boolean | null>;
}

/** Reply 0 says the database is open (or why it is not); the others answer the request `id`. */
export type PGliteReply = { id: number; ok: true; rows: Row[] } | { id: number; ok: false; error: ThreadError };

interface OpenTransaction {
  /** The transaction's client, once PGlite has begun it. */
  client: Promise<SqlClient>;
  /** Ends the transaction: commit (true) or roll back (false). */
  end: (commit: boolean) => void;
  /** Settles when PGlite has committed or rolled back. */
  done: Promise<void>;
}

/** Thrown inside PGlite's transaction to make it roll back. */
const ROLLBACK = Symbol('rollback');

const { dataDir } = workerData as PGliteThreadInit;
const port = parentPort as MessagePort;
const opening = openSqlClient({ ...(dataDir === null ? {} : { dataDir }), pglite: 'this-thread' });
const transactions = new Map<number, OpenTransaction>();

function begin(db: SqlClient): OpenTransaction {
  let started!: (client: SqlClient) => void;
  let failed!: (error: unknown) => void;
  let end!: (commit: boolean) => void;
  const client = new Promise<SqlClient>((resolve, reject) => {
    started = resolve;
    failed = reject;
  });
  const ending = new Promise<boolean>((resolve) => {
    end = resolve;
  });
  const done = db.transaction(async (tx) => {
    started(tx);
    if (!(await ending)) throw ROLLBACK;
  });
  // BEGIN itself failed: the transaction's statements fail with its error.
  done.catch(failed);
  return { client, end, done };
}

async function serve(request: PGliteRequest): Promise<Row[]> {
  const db = await opening;
  switch (request.op) {
    case 'query': {
      if (request.tx === null) return db.query(request.sql, request.params);
      const tx = await transaction(request.tx).client;
      return tx.query(request.sql, request.params);
    }
    case 'begin':
      transactions.set(request.tx, begin(db));
      await transaction(request.tx).client;
      return [];
    case 'commit':
    case 'rollback': {
      const open = transaction(request.tx);
      transactions.delete(request.tx);
      open.end(request.op === 'commit');
      await open.done.catch((error: unknown) => {
        if (error !== ROLLBACK) throw error;
      });
      return [];
    }
    case 'close':
      await db.close();
      return [];
  }
}

function transaction(tx: number): OpenTransaction {
  const open = transactions.get(tx);
  if (!open) throw new Error(`PGlite worker: no open transaction ${tx}`);
  return open;
}

function threadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  const fields: ThreadError['fields'] = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return { message: error.message, fields };
}

opening.then(
  () => port.postMessage({ id: 0, ok: true, rows: [] } satisfies PGliteReply),
  (error: unknown) => port.postMessage({ id: 0, ok: false, error: threadError(error) } satisfies PGliteReply),
);
port.on('message', (request: PGliteRequest) => {
  serve(request).then(
    (rows) => port.postMessage({ id: request.id, ok: true, rows } satisfies PGliteReply),
    (error: unknown) =>
      port.postMessage({ id: request.id, ok: false, error: threadError(error) } satisfies PGliteReply),
  );
});
