// A loopback HTTP proxy in front of a JSON-RPC node that misbehaves on demand: it answers the next
// N requests with an HTTP status (429, 503 …), drops the connection, or delays them.
import { createServer, type Server } from 'node:http';
import { readBody } from '../../src/status/http.js';

export type Fault = { kind: 'status'; status: number } | { kind: 'drop' } | { kind: 'delay'; ms: number };

export interface FaultProxy {
  url: string;
  /** Applies `fault` to the next `count` requests (optionally only those whose body matches). */
  inject(fault: Fault, count: number, bodyMatches?: RegExp): void;
  /** Requests that got a fault so far. */
  faulted: number;
  requests: number;
  /** When set, every request is dropped until cleared (the node is "down"). */
  down: boolean;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const pending: Array<{ fault: Fault; left: number; bodyMatches?: RegExp }> = [];
  const state = { faulted: 0, requests: 0, down: false };
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    state.requests += 1;
    const rule = pending.find((r) => r.left > 0 && (!r.bodyMatches || r.bodyMatches.test(body)));
    const fault: Fault | undefined = state.down ? { kind: 'drop' } : rule?.fault;
    if (rule && !state.down) rule.left -= 1;
    if (fault) state.faulted += 1;
    if (fault?.kind === 'drop') {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      response.writeHead(fault.status, { 'content-type': 'text/plain' }).end('injected fault');
      return;
    }
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    try {
      const forwarded = await fetch(upstream, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      response.writeHead(forwarded.status, { 'content-type': 'application/json' }).end(await forwarded.text());
    } catch {
      request.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    inject(fault, count, bodyMatches) {
      pending.push({ fault, left: count, ...(bodyMatches ? { bodyMatches } : {}) });
    },
    get faulted() {
      return state.faulted;
    },
    get requests() {
      return state.requests;
    },
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  } as FaultProxy;
}
