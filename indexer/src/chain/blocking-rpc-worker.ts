// The worker thread behind BlockingRpc: it owns an RpcClient (batching, retries of transient
// failures with backoff) and answers each request on the reply port, then wakes the main thread,
// which is blocked in Atomics.wait on the shared flag. Each reply carries the HTTP attempts its
// RpcClient made (retries included), so the main thread can count them in its metrics: the
// worker has no registry of its own.
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

/** One attempt of a request, as RpcClient's `onRequest` reports it. */
export interface BlockingRpcAttempt {
  method: string;
  seconds: number;
  failed: boolean;
}

export type BlockingRpcOutcome =
  | { ok: true; value: unknown }
  | { ok: false; rpcError: { method: string; code: number | undefined; details: string } }
  | { ok: false; message: string };

export type BlockingRpcReply = BlockingRpcOutcome & { attempts: BlockingRpcAttempt[] };

const { url, flag, replies } = workerData as BlockingRpcInit;
const signal = new Int32Array(flag);
// The main thread waits for each answer before it sends the next request, so the attempts since
// the last answer all belong to the request being answered.
let attempts: BlockingRpcAttempt[] = [];
// The main thread is blocked while the worker retries, so its console would print nothing:
// status lines go straight to stderr.
const client = new RpcClient({
  url,
  onStatus: (message) => {
    if (message) writeSync(2, `ethereum.call: ${message}\n`);
  },
  onRequest: (method, seconds, failed) => {
    attempts.push({ method, seconds, failed });
  },
});

function answer(outcome: BlockingRpcOutcome): void {
  replies.postMessage({ ...outcome, attempts } satisfies BlockingRpcReply);
  attempts = [];
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
