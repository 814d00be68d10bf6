// `indexer run` end to end with the real subgraph (WASM host + PGlite store + GraphQL) over a
// chain driven by the contracts package's simulator: kill -9 mid-sync, restart, and the served
// data equals an uninterrupted run's.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalChain, startChain } from 'contracts/chain';
import { type Deployment, deploy } from 'contracts/deploy';
import { type SimulationSummary, simulate } from 'contracts/simulate';
import { encodeFunctionData, parseAbi } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../chain/local-chain.js';

const bin = join(import.meta.dirname, '../../bin/indexer.mjs');
const subgraph = join(import.meta.dirname, '../../../subgraph');
const work = mkdtempSync(join(tmpdir(), 'indexer-run-'));
const children = new Set<ChildProcess>();
let chain: LocalChain;
let summary: SimulationSummary;
let deployment: Deployment;
let end: number;

beforeAll(async () => {
  chain = await startChain();
  deployment = await deploy({ rpc: chain.rpc, write: false });
  summary = await simulate({ rpc: chain.rpc, deployment, loans: 15, days: 40 });
  const response = await post(chain.rpc, { jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] });
  end = Number((response as { result: string }).result);
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await chain?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
  const body = (await post(chain.rpc, { jsonrpc: '2.0', id: 1, method, params })) as {
    result?: T;
    error?: { message: string };
  };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** Pushes a BTC price to the first mock feed (as its owner) and returns the block it landed in. */
async function pushPrice(price: bigint): Promise<number> {
  const feed = Object.values(deployment.feeds)[0]?.address as string;
  const data = encodeFunctionData({ abi: parseAbi(['function updateAnswer(int256)']), args: [price] });
  const hash = await rpc<string>('eth_sendTransaction', [{ from: deployment.deployer, to: feed, data }]);
  const receipt = await rpc<{ blockNumber: string }>('eth_getTransactionReceipt', [hash]);
  return Number(receipt.blockNumber);
}

async function latestPrices(running: Running): Promise<Array<{ price: string; blockNumber: string }>> {
  const body = (await post(`http://127.0.0.1:${running.port}/subgraphs/name/subgraph`, {
    query: '{ priceUpdates(first: 3, orderBy: blockNumber, orderDirection: desc) { price blockNumber } }',
  })) as { data: { priceUpdates: Array<{ price: string; blockNumber: string }> } };
  return body.data.priceUpdates;
}

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}

interface Running {
  child: ChildProcess;
  port: number;
  statusPort: number;
  metricsPort: number;
  stderr: () => string;
}

async function startIndexer(dataDir: string): Promise<Running> {
  const [port, statusPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    [
      bin,
      'run',
      '--subgraph',
      subgraph,
      '--rpc',
      chain.rpc,
      '--data',
      dataDir,
      '--port',
      String(port),
      '--status-port',
      String(statusPort),
      '--metrics-port',
      String(metricsPort),
      '--max-range',
      '3',
      '--poll-interval',
      '50',
      '--no-progress',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, port, statusPort, metricsPort, stderr: () => stderr };
}

/** The indexed block the status API reports, or null while the server is not up. */
async function latestBlock(running: Running): Promise<number | null> {
  try {
    const body = (await post(`http://127.0.0.1:${running.statusPort}/graphql`, {
      query: '{ indexingStatuses { health chains { latestBlock { number } } } }',
    })) as {
      data: { indexingStatuses: Array<{ health: string; chains: Array<{ latestBlock: { number: string } | null }> }> };
    };
    const status = body.data.indexingStatuses[0];
    if (status?.health !== 'healthy') throw new Error(`indexer unhealthy: ${JSON.stringify(status)}`);
    const latest = status.chains[0]?.latestBlock;
    return latest ? Number(latest.number) : null;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('indexer unhealthy')) throw error;
    return null;
  }
}

async function waitForBlock(running: Running, block: number): Promise<number> {
  // Generous: on a loaded 2-core machine a cold start (tsx, PGlite, WASM) alone can take a minute.
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (running.child.exitCode !== null) throw new Error(`indexer exited: ${running.stderr()}`);
    const latest = await latestBlock(running);
    if (latest !== null && latest >= block) return latest;
    if (Date.now() > deadline) throw new Error(`indexer did not reach block ${block}: ${running.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function served(running: Running): Promise<unknown> {
  return post(`http://127.0.0.1:${running.port}/subgraphs/name/subgraph`, {
    query: `{
      loans(first: 1000, orderBy: id) { id status collateralAmount principalOutstanding interestPaid }
      markets(first: 100, orderBy: id) { id name }
      repayments(first: 1000, orderBy: id) { id }
      priceUpdates(first: 1000, orderBy: id) { id }
      _meta { block { number hash } hasIndexingErrors }
    }`,
  });
}

async function kill(running: Running, signal: NodeJS.Signals): Promise<void> {
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  running.child.kill(signal);
  await exited;
}

describe('indexer run', () => {
  it('serves the simulated protocol; after kill -9 mid-sync and a restart it serves exactly the same data', async () => {
    const clean = await startIndexer(join(work, 'clean'));
    await waitForBlock(clean, end);
    const expected = (await served(clean)) as { data: { loans: unknown[]; _meta: { block: { number: number } } } };
    const metrics = await (await fetch(`http://127.0.0.1:${clean.metricsPort}/metrics`)).text();
    expect(metrics).toContain('indexer_graphql_query_seconds_count{subgraph="name/subgraph"} 1\n');
    expect(metrics).toMatch(/indexer_events_processed_total\{deployment="Qm\w+"\} [1-9]/);
    await kill(clean, 'SIGTERM');
    expect(expected.data.loans).toHaveLength(summary.loansOpened);
    expect(expected.data._meta.block.number).toBe(end);

    const crashing = join(work, 'crashing');
    const killedAt: number[] = [];
    for (const fraction of [0.3, 0.6]) {
      const running = await startIndexer(crashing);
      killedAt.push(await waitForBlock(running, Math.floor(end * fraction)));
      await kill(running, 'SIGKILL');
    }
    expect(killedAt.every((block) => block < end)).toBe(true);
    const resumed = await startIndexer(crashing);
    try {
      await waitForBlock(resumed, end);
      expect(await served(resumed)).toEqual(expected);
    } finally {
      await kill(resumed, 'SIGTERM');
    }
  }, 420_000);

  it('reverts a reorganised chain and serves the replacing blocks', async () => {
    const running = await startIndexer(join(work, 'reorg'));
    try {
      await waitForBlock(running, end);
      const snapshot = await rpc<string>('evm_snapshot');
      const doomed = await pushPrice(70_123_00000000n);
      await waitForBlock(running, doomed);
      expect((await latestPrices(running))[0]).toEqual({ price: '7012300000000', blockNumber: String(doomed) });

      await rpc('evm_revert', [snapshot]);
      const replacing = await pushPrice(50_456_00000000n);
      expect(replacing).toBe(doomed);
      await rpc('hardhat_mine', ['0x2']);
      await waitForBlock(running, replacing + 2);
      const prices = await latestPrices(running);
      expect(prices[0]).toEqual({ price: '5045600000000', blockNumber: String(replacing) });
      expect(prices.some((p) => p.price === '7012300000000')).toBe(false);
      expect(running.stderr()).toContain(`reorg detected at block ${doomed}`);
    } finally {
      await kill(running, 'SIGTERM');
    }
  }, 420_000);
});
