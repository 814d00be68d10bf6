import { keccak256, toHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainSource } from '../../src/chain/chain-source.js';
import { findCommonAncestor, isCanonical, RecentBlocks } from '../../src/chain/reorgs.js';
import { RpcClient } from '../../src/chain/rpc-client.js';
import { startFaultProxy } from './fault-proxy.js';
import {
  deployBatchEmitter,
  deployEmitter,
  emit,
  emitBlocks,
  type LocalChain,
  mine,
  startLocalChain,
  waitForReceipt,
} from './local-chain.js';

const TOPIC_A = keccak256(toHex('A(uint256)'));
const TOPIC_B = keccak256(toHex('B(uint256)'));

let chain: LocalChain;
let emitter: string;

beforeAll(async () => {
  chain = await startLocalChain();
  emitter = await deployEmitter(chain);
});
afterAll(async () => {
  await chain?.stop();
});

describe('ChainSource over a real EDR node', () => {
  it('filters logs by address and topic0 and orders them by block and log index', async () => {
    const other = await deployEmitter(chain);
    const first = Number(await chain.rpc<string>('eth_blockNumber')) + 1;
    await chain.rpc('evm_setAutomine', [false]);
    await emit(chain, emitter, TOPIC_A, 1n);
    await emit(chain, emitter, TOPIC_B, 2n);
    await emit(chain, other, TOPIC_A, 3n);
    await mine(chain);
    await chain.rpc('evm_setAutomine', [true]);
    await waitForReceipt(chain, await emit(chain, emitter, TOPIC_A, 4n));
    const source = new ChainSource(new RpcClient({ url: chain.url }));
    const head = await source.headNumber();

    const batch = await source.logs(first, head, { addresses: [emitter], topic0: [TOPIC_A] });
    expect(batch.logs.map((log) => BigInt(log.data))).toEqual([1n, 4n]);
    const both = await source.logs(first, head, { addresses: [emitter, other], topic0: [TOPIC_A, TOPIC_B] });
    expect(both.logs.map((log) => BigInt(log.data))).toEqual([1n, 2n, 3n, 4n]);
    expect(both.logs.map((log) => Number(log.logIndex))).toEqual([0, 1, 2, 0]);
    const anyAddress = await source.logs(first, head, { addresses: null, topic0: [TOPIC_B] });
    expect(anyAddress.logs.map((log) => BigInt(log.data))).toEqual([2n]);
  });

  it('shrinks the range when the node refuses a large one and grows it again when sparse', async () => {
    await mine(chain, 200);
    const head = Number(await chain.rpc<string>('eth_blockNumber'));
    const refusing = await startRefusingProxy(chain.url, 2);
    try {
      const source = new ChainSource(new RpcClient({ url: refusing.url }), { initial: 64, sparseBelow: 10 });
      const batch = await source.logs(1, head, { addresses: [emitter], topic0: [TOPIC_A] });
      expect(batch.toBlock - batch.fromBlock + 1).toBe(16);
      const next = await source.logs(batch.toBlock + 1, head, { addresses: [emitter], topic0: [TOPIC_A] });
      expect(next.toBlock - next.fromBlock + 1).toBe(32);
    } finally {
      await refusing.close();
    }
  });

  it('retries network errors, HTTP 429 and 5xx with backoff and reports a status line', async () => {
    const proxy = await startFaultProxy(chain.url);
    const statuses: Array<string | null> = [];
    try {
      const rpc = new RpcClient({ url: proxy.url, retryBaseDelayMs: 10, onStatus: (s) => statuses.push(s) });
      proxy.inject({ kind: 'status', status: 429 }, 2);
      proxy.inject({ kind: 'status', status: 503 }, 1);
      proxy.inject({ kind: 'drop' }, 1);
      const head = await rpc.request<string>('eth_blockNumber', []);
      expect(Number(head)).toBeGreaterThan(0);
      expect(proxy.faulted).toBe(4);
      expect(statuses.slice(0, 4).map((s) => s?.replace(/retry \d+ in .*/, ''))).toEqual([
        `RPC ${proxy.url}: rate limited (HTTP 429); `,
        `RPC ${proxy.url}: rate limited (HTTP 429); `,
        `RPC ${proxy.url}: HTTP 503; `,
        expect.stringMatching(/network error/),
      ]);
      expect(statuses.at(-1)).toBeNull();
    } finally {
      await proxy.close();
    }
  });

  it('reads many logs per block from the batch emitter', async () => {
    const batchEmitter = await deployBatchEmitter(chain);
    const first = Number(await chain.rpc<string>('eth_blockNumber')) + 1;
    await emitBlocks(chain, batchEmitter, TOPIC_B, 2, 5);
    const source = new ChainSource(new RpcClient({ url: chain.url }));
    const batch = await source.logs(first, first + 1, { addresses: [batchEmitter], topic0: [TOPIC_B] });
    expect(
      batch.logs.map((log) => [Number(log.blockNumber) - first, Number(log.logIndex), Number(BigInt(log.data))]),
    ).toEqual([
      [0, 0, 5],
      [0, 1, 4],
      [0, 2, 3],
      [0, 3, 2],
      [0, 4, 1],
      [1, 0, 5],
      [1, 1, 4],
      [1, 2, 3],
      [1, 3, 2],
      [1, 4, 1],
    ]);
  });

  it('gives a JSON-RPC error back at once instead of retrying it', async () => {
    const rpc = new RpcClient({ url: chain.url });
    await expect(rpc.request('eth_noSuchMethod', [])).rejects.toThrow(/eth_noSuchMethod failed/);
  });

  it('batches concurrent requests into few HTTP posts', async () => {
    const proxy = await startFaultProxy(chain.url);
    try {
      const source = new ChainSource(new RpcClient({ url: proxy.url, batchSize: 50 }));
      const blocks = await source.blocks(
        Array.from({ length: 100 }, (_, i) => i),
        false,
      );
      expect(blocks.size).toBe(100);
      expect(blocks.get(7)?.number).toBe('0x7');
      expect(proxy.requests).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  it('detects a reorg by hash and finds the common ancestor', async () => {
    const source = new ChainSource(new RpcClient({ url: chain.url }));
    const snapshot = await chain.rpc<string>('evm_snapshot');
    const base = await source.headNumber();
    await mine(chain, 5);
    const recent = new RecentBlocks(10);
    for (const [n, block] of await source.blocks([base, base + 1, base + 2, base + 3, base + 4, base + 5], false)) {
      recent.record({ number: n, hash: block.hash as string });
    }
    const cursor = { number: base + 5, hash: recent.hashAt(base + 5) as string };
    expect(await isCanonical(source, cursor)).toBe(true);

    await chain.rpc('evm_revert', [snapshot]);
    await emit(chain, emitter, TOPIC_B, 99n); // a different block base+1
    await mine(chain, 6);
    expect(await isCanonical(source, cursor)).toBe(false);
    expect(await findCommonAncestor(source, recent, cursor.number, 0)).toBe(base);
    // After a restart only the cursor is known: go back the finality depth.
    const onlyCursor = new RecentBlocks(10);
    onlyCursor.record(cursor);
    expect(await findCommonAncestor(source, onlyCursor, cursor.number, 0)).toBe(cursor.number - 10);
  });
});

/** Answers the first `refusals` eth_getLogs with a provider-style "too many results" error. */
async function startRefusingProxy(upstream: string, refusals: number) {
  const { createServer } = await import('node:http');
  let left = refusals;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', async () => {
      const parsed = JSON.parse(body) as { id: number; method: string } | Array<{ id: number; method: string }>;
      const calls = Array.isArray(parsed) ? parsed : [parsed];
      if (left > 0 && calls.some((c) => c.method === 'eth_getLogs')) {
        left -= 1;
        const errors = calls.map((c) => ({
          jsonrpc: '2.0',
          id: c.id,
          error: { code: -32005, message: 'query returned more than 10000 results' },
        }));
        response.end(JSON.stringify(Array.isArray(parsed) ? errors : errors[0]));
        return;
      }
      const forwarded = await fetch(upstream, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      response.end(await forwarded.text());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
