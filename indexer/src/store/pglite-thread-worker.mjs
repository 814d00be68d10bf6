// Entry of the PGlite worker (pglite-thread.ts): worker threads do not inherit the parent's
// TypeScript loader, so register tsx here before loading the TypeScript body. If that fails, the
// main thread's open() gets the reason as the answer to its first request.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

try {
  register();
  await import('./pglite-thread-worker.ts');
} catch (error) {
  const message = `the PGlite worker could not start: ${error instanceof Error ? error.message : String(error)}`;
  parentPort?.postMessage({ id: 0, ok: false, error: { message, fields: {} } });
}
