// Entry of the blocking JSON-RPC worker (blocking-rpc.ts): worker threads do not inherit the
// parent's TypeScript loader, so register tsx here before loading the TypeScript body. If that
// fails, every request is answered with the reason: the main thread is blocked waiting for an
// answer and could not notice a worker that is gone.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

try {
  register();
  await import('./blocking-rpc-worker.ts');
} catch (error) {
  const signal = new Int32Array(workerData.flag);
  const reason = error instanceof Error ? error.message : String(error);
  parentPort?.on('message', () => {
    workerData.replies.postMessage({
      ok: false,
      message: `the JSON-RPC worker could not start: ${reason}`,
      attempts: [],
    });
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
}
