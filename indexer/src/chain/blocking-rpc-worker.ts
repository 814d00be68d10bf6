// The worker thread behind BlockingRpc: it owns an RpcClient (batching, retries of transient
// failures with backoff) and answers each request on the reply port, then wakes the main thread,
// which is blocked in Atomics.wait on the shared flag.
import { writeSync } from 'node:fs';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { RpcClient, RpcError } from './rpc-client.js';

export interface BlockingRpcInit {
  url: string;
  /** Int32 flag: 0 while a request is pending, 1 once its answer is on `replies`. */
  flag: SharedArrayBuffer;
  replies: MessagePort;
}

export interface BlockingRpcRequest {
  method: string;
  params: unknown[];
}

export type BlockingRpcReply =
  | { ok: true; value: unknown }
  | { ok: false; rpcError: { method: string; code: number | undefined; details: string } }
  | { ok: false; message: string };

const { url, flag, replies } = workerData as BlockingRpcInit;
const signal = new Int32Array(flag);
// The main thread is blocked while the worker retries, so its console would print nothing:
// status lines go straight to stderr.
const client = new RpcClient({
  url,
  onStatus: (message) => {
    if (message) writeSync(2, `ethereum.call: ${message}\n`);
  },
});

function answer(reply: BlockingRpcReply): void {
  replies.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

parentPort?.on('message', (request: BlockingRpcRequest) => {
  client.request(request.method, request.params).then(
    (value) => answer({ ok: true, value }),
    (error: unknown) =>
      answer(
        error instanceof RpcError
          ? { ok: false, rpcError: { method: error.method, code: error.code, details: error.details } }
          : { ok: false, message: error instanceof Error ? error.message : String(error) },
      ),
  );
});
