// PGlite in a worker thread against PGlite in this thread: the same rows for every value type the
// store reads, transactions all or nothing, and PostgreSQL's errors with their fields.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlClient, type SqlClient } from '../../src/store/sql-client.js';

const VALUES = `SELECT
  12345678901234567890.000000000000000001::numeric AS amount,
  9223372036854775807::int8 AS big,
  42::int4 AS small,
  '\\x00ff10'::bytea AS bytes,
  ARRAY['\\x01'::bytea, '\\x0203'::bytea] AS byte_list,
  ARRAY[1.5, 2]::numeric[] AS amounts,
  ARRAY['a', NULL, 'c']::text[] AS texts,
  int4range(3, NULL) AS range,
  '{"a": [1, "x"]}'::jsonb AS doc,
  NULL::text AS nothing,
  true AS yes,
  $1::text AS param_text,
  $2::bytea AS param_bytes,
  $3::numeric[] AS param_amounts`;
const PARAMS = ['ünïcode', new Uint8Array([7, 8, 9]), ['1.000000000000000000001', '-2']];

describe('PGlite in a worker thread', () => {
  let dir: string;
  let worker: SqlClient;
  let local: SqlClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pglite-thread-'));
    worker = await openSqlClient({ dataDir: dir });
    local = await openSqlClient({ pglite: 'this-thread' });
    await worker.query('CREATE TABLE t (id int4 PRIMARY KEY, v text)');
  });

  afterAll(async () => {
    await worker?.close();
    await local?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns exactly the rows PGlite returns in this thread', async () => {
    const [fromWorker] = await worker.query(VALUES, PARAMS);
    const [fromThread] = await local.query(VALUES, PARAMS);
    expect(fromWorker).toStrictEqual(fromThread);
    expect(fromWorker?.amount).toBe('12345678901234567890.000000000000000001');
    expect(fromWorker?.bytes).toBeInstanceOf(Uint8Array);
    expect(fromWorker?.param_bytes).toEqual(new Uint8Array([7, 8, 9]));
  });

  it('writes nothing of a transaction whose body throws, or whose statement fails', async () => {
    await expect(
      worker.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1, $1)', ['kept?']);
        throw new Error('body failed');
      }),
    ).rejects.toThrow('body failed');
    await expect(
      worker.transaction(async (tx) => {
        await Promise.all([
          tx.query('INSERT INTO t VALUES (2, $1)', ['x']),
          tx.query('INSERT INTO t VALUES (2, $1)', ['y']),
        ]);
      }),
    ).rejects.toMatchObject({ code: '23505', message: expect.stringContaining('duplicate key') });
    expect(await worker.query('SELECT * FROM t')).toEqual([]);
  });

  it('commits a whole transaction; other statements wait for it and see all of it', async () => {
    let insideDone = false;
    const transaction = worker.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (3, $1)', ['a']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await tx.query('INSERT INTO t VALUES (4, $1)', ['b']);
      insideDone = true;
      return 'result';
    });
    const outside = worker.query('SELECT count(*)::int4 AS n FROM t');
    await expect(transaction).resolves.toBe('result');
    expect(insideDone).toBe(true);
    expect(await outside).toEqual([{ n: 2 }]);
  });

  it('gives a clear error for a nested transaction and keeps working after an error', async () => {
    await expect(worker.transaction((tx) => tx.transaction(async () => 1))).rejects.toThrow(
      'nested transactions are not supported',
    );
    await expect(worker.query('SELECT * FROM missing_table')).rejects.toThrow(
      'relation "missing_table" does not exist',
    );
    expect(await worker.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('keeps committed data across a reopen of the data directory', async () => {
    await worker.close();
    worker = await openSqlClient({ dataDir: dir });
    expect(await worker.query('SELECT id, v FROM t ORDER BY id')).toEqual([
      { id: 3, v: 'a' },
      { id: 4, v: 'b' },
    ]);
    await expect(worker.query('SELECT 1')).resolves.toHaveLength(1);
  });
});
