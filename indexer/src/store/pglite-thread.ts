// The embedded PGlite in a worker thread (pglite-thread-worker.ts), behind the same SqlClient: the
// database's WASM work (parsing, planning, writing pages) runs on another core while this thread
// runs the subgraph's handlers. Requests and replies are structured-cloned, which keeps every
// value PGlite returns as it is (text for numeric and int8, Uint8Array for bytea, arrays, null,
// parsed jsonb). `@electric-sql/pglite/worker` is not used: it is built for web workers (an
// EventTarget worker, navigator.locks for leader election), which Node's worker_threads are not.
import { Worker } from 'node:worker_threads';
import type { PGliteReply, PGliteRequest, PGliteThreadInit, ThreadError } from './pglite-thread-worker.js';
import { type Row, type SqlClient, transactionClient } from './sql-client.js';

const WORKER_ENTRY = new URL('./pglite-thread-worker.mjs', import.meta.url);

/** A request without its id: the client numbers them. */
type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;
type Request = WithoutId<PGliteRequest>;

interface Waiting {
  resolve: (rows: Row[]) => void;
  reject: (error: Error) => void;
}

class PGliteThreadClient implements SqlClient {
  private nextId = 1;
  private nextTx = 1;
  private readonly waiting = new Map<number, Waiting>();
  /** Set once the worker is gone: every later request fails with it. */
  private gone: Error | null = null;

  constructor(private readonly worker: Worker) {
    // Like PGlite in this thread, an idle client does not keep the process alive: the worker is
    // referenced only while a request waits for its answer.
    worker.unref();
    worker.on('message', (reply: PGliteReply) => this.settle(reply));
    worker.on('error', (error) => this.lose(new Error(`PGlite worker failed: ${error.message}`)));
    worker.on('exit', (code) => this.lose(new Error(`PGlite worker exited (code ${code})`)));
  }

  /** Waits for the worker's answer to request 0: the database opened, or why not. */
  ready(): Promise<Row[]> {
    return this.wait(0);
  }

  query<T extends Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.request({ op: 'query', sql, params, tx: null }) as Promise<T[]>;
  }

  /**
   * BEGIN is sent without waiting for it and the body's statements follow it at once: the worker
   * runs them in order. Whatever the body throws rolls the transaction back; a process killed
   * before COMMIT leaves nothing of it (PostgreSQL's recovery at the next open).
   */
  async transaction<T>(body: (tx: SqlClient) => Promise<T>): Promise<T> {
    const tx = this.nextTx++;
    // A failed BEGIN fails the body's statements and the COMMIT with the same error.
    this.request({ op: 'begin', tx }).catch(() => undefined);
    let result: T;
    try {
      result = await body(
        transactionClient(
          <R extends Row>(sql: string, params: unknown[] = []) =>
            this.request({ op: 'query', sql, params, tx }) as Promise<R[]>,
        ),
      );
    } catch (error) {
      await this.request({ op: 'rollback', tx }).catch(() => undefined);
      throw error;
    }
    await this.request({ op: 'commit', tx });
    return result;
  }

  async close(): Promise<void> {
    if (this.gone) return;
    try {
      await this.request({ op: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }

  private request(request: Request): Promise<Row[]> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    const answer = this.wait(id);
    this.worker.postMessage({ ...request, id } as PGliteRequest);
    return answer;
  }

  private wait(id: number): Promise<Row[]> {
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise<Row[]>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
  }

  private settle(reply: PGliteReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (reply.ok) waiting.resolve(reply.rows);
    else waiting.reject(fromThread(reply.error));
  }

  private lose(error: Error): void {
    this.gone ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(this.gone);
    this.waiting.clear();
  }
}

/** The worker's error as this thread's, with PGlite's fields (code, detail, …) on it. */
function fromThread(error: ThreadError): Error {
  return Object.assign(new Error(error.message), error.fields);
}

export async function openPGliteThread(dataDir: string | null): Promise<SqlClient> {
  const client = new PGliteThreadClient(
    new Worker(WORKER_ENTRY, { workerData: { dataDir } satisfies PGliteThreadInit }),
  );
  try {
    await client.ready();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  return client;
}
