// Synchronous JSON-RPC for the WASM host: a mapping's `ethereum.call` is a synchronous import, the
// node is reached asynchronously. A worker thread (blocking-rpc-worker.ts) makes the request while
// this thread waits on a SharedArrayBuffer with Atomics.wait; the answer is taken off a
// MessagePort with receiveMessageOnPort, so any size of answer travels without copying by hand.
// The worker starts on the first request: handlers that make no calls never pay for it. The
// worker's RpcClient reports its attempts with each answer; they reach `onRequest` here, on the
// thread that owns the metrics.
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { BlockingRpcInit, BlockingRpcReply, BlockingRpcRequest } from './blocking-rpc-worker.js';
import { type RpcClientOptions, RpcError } from './rpc-client.js';

const WORKER_ENTRY = new URL('./blocking-rpc-worker.mjs', import.meta.url);

export class BlockingRpcFailure extends Error {}

export interface BlockingRpcOptions {
  /** Called for every attempt the worker made (retries included), as RpcClient's own option. */
  onRequest?: RpcClientOptions['onRequest'];
}

export class BlockingRpc {
  private worker: Worker | null = null;
  private replies: MessagePort | null = null;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    readonly url: string,
    private readonly options: BlockingRpcOptions = {},
  ) {}

  /**
   * Sends one request and blocks until the node answers. Transient failures are retried by the
   * worker's RpcClient; an error answer from the node throws RpcError.
   */
  request<T>(method: string, params: unknown[]): T {
    const worker = this.start();
    Atomics.store(this.flag, 0, 0);
    worker.postMessage({ method, params } satisfies BlockingRpcRequest);
    // No deadline: RpcClient retries transient failures forever (as the rest of the indexer does),
    // and the worker answers every request, its own failures included.
    Atomics.wait(this.flag, 0, 0);
    const received = receiveMessageOnPort(this.replies as MessagePort);
    if (!received) throw new BlockingRpcFailure(`${method}: the JSON-RPC worker woke without an answer`);
    const reply = received.message as BlockingRpcReply;
    const onRequest = this.options.onRequest;
    if (onRequest) for (const attempt of reply.attempts) onRequest(attempt.method, attempt.seconds, attempt.failed);
    if (reply.ok) return reply.value as T;
    if ('rpcError' in reply) throw new RpcError(reply.rpcError.method, reply.rpcError.code, reply.rpcError.details);
    throw new BlockingRpcFailure(`${method}: ${reply.message}`);
  }

  /** Whether the worker was ever started (a handler made a call). */
  get started(): boolean {
    return this.worker !== null;
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = null;
    this.replies?.close();
    this.replies = null;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const { port1, port2 } = new MessageChannel();
    const init: BlockingRpcInit = { url: this.url, flag: this.flag.buffer as SharedArrayBuffer, replies: port2 };
    Atomics.store(this.flag, 0, 0);
    const worker = new Worker(WORKER_ENTRY, { workerData: init, transferList: [port2] });
    // The worker never keeps the process alive: it only serves requests the main thread waits for.
    worker.unref();
    port1.unref();
    this.worker = worker;
    this.replies = port1;
    return worker;
  }
}
