// JSON-RPC access to one chain: viem's HTTP transport batches the requests issued in the same
// tick; on top of it this client bounds the requests in flight and retries what a healthy node
// would eventually answer (network errors, timeouts, HTTP 429 and 5xx) with capped exponential
// backoff, reporting each wait as a status line instead of failing the deployment.
import { setMaxListeners } from 'node:events';
import { BaseError, HttpRequestError, http, RpcRequestError, TimeoutError } from 'viem';

export interface RpcClientOptions {
  url: string;
  /** Requests per JSON-RPC batch (one HTTP POST). */
  batchSize?: number;
  /** HTTP POSTs in flight at once. */
  maxConcurrency?: number;
  /** Per HTTP request. */
  timeoutMs?: number;
  maxResponseBytes?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Called with a human-readable line while retrying, and with null once a request succeeds again. */
  onStatus?: (message: string | null) => void;
  /** Called after every request: for metrics. */
  onRequest?: (method: string, seconds: number, failed: boolean) => void;
}

export interface RequestOptions {
  /**
   * Whether a timeout is retried as is. `eth_getLogs` turns it off: a timeout there usually means
   * the range is too big, which the caller fixes by asking for less.
   */
  retryTimeouts?: boolean;
}

/** An error the node answered with (JSON-RPC error object): retrying the same request will not help. */
export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number | undefined,
    readonly details: string,
  ) {
    super(`${method} failed: ${details}${code === undefined ? '' : ` (code ${code})`}`);
    this.name = 'RpcError';
  }
}

export class RpcClosedError extends Error {
  constructor(readonly method: string) {
    super(`${method} abandoned: the client was closed`);
    this.name = 'RpcClosedError';
  }
}

export class RpcTimeoutError extends Error {
  constructor(readonly method: string) {
    super(`${method} timed out`);
    this.name = 'RpcTimeoutError';
  }
}

type RawRequest = (args: { method: string; params?: unknown }) => Promise<unknown>;

export class RpcClient {
  private readonly send: RawRequest;
  private readonly maxInFlight: number;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private retrying = false;
  private readonly closing = new AbortController();

  constructor(private readonly options: RpcClientOptions) {
    const batchSize = options.batchSize ?? 50;
    this.maxInFlight = batchSize * (options.maxConcurrency ?? 4);
    const transport = http(options.url, {
      batch: { batchSize, wait: 0 },
      retryCount: 0,
      timeout: options.timeoutMs ?? 30_000,
      // Large enough for a few thousand logs; beyond it eth_getLogs asks for a smaller range.
      maxResponseBodySize: options.maxResponseBytes ?? 32 * 1024 * 1024,
    })({ retryCount: 0 });
    this.send = transport.request as RawRequest;
    // Every request waiting for a retry listens for close(): as many as can be in flight.
    setMaxListeners(this.maxInFlight + 10, this.closing.signal);
  }

  get url(): string {
    return this.options.url;
  }

  async request<T>(method: string, params: unknown[], requestOptions: RequestOptions = {}): Promise<T> {
    const baseDelay = this.options.retryBaseDelayMs ?? 250;
    const maxDelay = this.options.retryMaxDelayMs ?? 15_000;
    for (let attempt = 0; ; attempt += 1) {
      if (this.closing.signal.aborted) throw new RpcClosedError(method);
      await this.acquire();
      const started = performance.now();
      let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, value: await this.send({ method, params }) };
      } catch (error) {
        outcome = { ok: false, error };
      } finally {
        this.release();
      }
      this.options.onRequest?.(method, (performance.now() - started) / 1000, !outcome.ok);
      if (outcome.ok) {
        if (this.retrying) {
          this.retrying = false;
          this.options.onStatus?.(null);
        }
        return outcome.value as T;
      }
      const failure = classify(method, outcome.error);
      if (failure instanceof RpcTimeoutError && requestOptions.retryTimeouts === false) throw failure;
      if (failure instanceof RpcError) throw failure;
      const delay = Math.min(maxDelay, baseDelay * 2 ** Math.min(attempt, 16));
      this.retrying = true;
      this.options.onStatus?.(
        `RPC ${this.options.url}: ${failure.message}; retry ${attempt + 1} in ${(delay / 1000).toFixed(1)} s`,
      );
      await sleep(delay, this.closing.signal);
    }
  }

  /** Ends retrying: requests waiting for a retry fail with RpcClosedError (used on shutdown). */
  close(): void {
    this.closing.abort();
  }

  private async acquire(): Promise<void> {
    while (this.inFlight >= this.maxInFlight) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.inFlight += 1;
  }

  private release(): void {
    this.inFlight -= 1;
    this.waiting.shift()?.();
  }
}

/** Sorts a failure into: the node's answer (RpcError, final) or a transient problem (retried). */
function classify(method: string, error: unknown): RpcError | RpcTimeoutError | Error {
  if (error instanceof TimeoutError) return new RpcTimeoutError(method);
  if (error instanceof BaseError) {
    const http = error.walk((cause) => cause instanceof HttpRequestError) as HttpRequestError | null;
    if (http) {
      if (http.status === undefined) return new Error(`network error (${rootMessage(error)})`);
      if (http.status === 429) return new Error('rate limited (HTTP 429)');
      if (http.status === 408 || http.status >= 500) return new Error(`HTTP ${http.status}`);
      return new RpcError(method, http.status, `HTTP ${http.status}`);
    }
    const rpc = error.walk((cause) => cause instanceof RpcRequestError) as RpcRequestError | null;
    const code = rpc?.code ?? (error as BaseError & { code?: number }).code;
    const details = rpc?.details ?? error.details ?? error.shortMessage;
    // -32005: "limit exceeded" from many providers means rate limiting, not a bad request.
    if (code === -32005 && /rate|too many requests|exceeded.*capacity/i.test(details)) {
      return new Error(`rate limited (${details})`);
    }
    return new RpcError(method, typeof code === 'number' ? code : undefined, details);
  }
  return new Error(error instanceof Error ? error.message : String(error));
}

function rootMessage(error: BaseError): string {
  const root = error.walk();
  return root instanceof Error ? root.message : String(root);
}

/** Waits `ms`, or less if `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
