import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexerConfig } from '../../src/cli/config.js';
import { type IndexerParts, startIndexer } from '../../src/runner/indexer.js';
import { startFaultProxy } from '../chain/fault-proxy.js';
import {
  deployEmitter,
  emit,
  freePort,
  type LocalChain,
  startLocalChain,
  waitForReceipt,
} from '../chain/local-chain.js';
import { CURSED, FileStore, TestRuntime, VALUE_TOPIC } from './test-deployment.js';

let chain: LocalChain;
beforeAll(async () => {
  chain = await startLocalChain();
});
afterAll(async () => {
  await chain?.stop();
});

async function send(to: string, word: bigint): Promise<void> {
  await waitForReceipt(chain, await emit(chain, to, VALUE_TOPIC, word));
}

async function config(deployments: Array<{ name: string; rpc: string }>): Promise<IndexerConfig> {
  return {
    deployments: deployments.map((d) => ({
      ...d,
      manifest: '/unused',
      network: null,
      finalityDepth: 10,
      pollIntervalMs: 20,
    })),
    dataDir: '/unused',
    postgresUrl: null,
    host: '127.0.0.1',
    port: await freePort(),
    statusPort: await freePort(),
    metricsPort: await freePort(),
    progress: false,
  };
}

function parts(factories: Record<string, { factory: string; start: number }>): IndexerParts {
  return {
    openDeployment: async (deployment) => {
      const { factory, start } = factories[deployment.name] as { factory: string; start: number };
      return {
        deployment: `Qm${deployment.name}`,
        runtime: new TestRuntime(factory, start),
        store: new FileStore(null),
      };
    },
    resetDeployment: async () => {},
  };
}

async function statusQuery(port: number, query: string) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return ((await response.json()) as { data: Record<string, unknown> }).data;
}

describe('indexer process (runners + status + metrics)', () => {
  it('runs two deployments; a failed one reports health failed while the other keeps indexing', async () => {
    const good = await deployEmitter(chain);
    const bad = await deployEmitter(chain);
    const start = Number(await chain.rpc<string>('eth_blockNumber'));
    await send(good, 1n);
    await send(bad, 2n);
    await send(bad, CURSED);
    const cfg = await config([
      { name: 'good', rpc: chain.url },
      { name: 'bad', rpc: chain.url },
    ]);
    const logs: string[] = [];
    const indexer = await startIndexer(cfg, parts({ good: { factory: good, start }, bad: { factory: bad, start } }), {
      log: (line) => logs.push(line),
    });
    try {
      await expect
        .poll(() => indexer.runners.map((r) => r.status().synced || r.status().health === 'failed'), {
          timeout: 20_000,
        })
        .toEqual([true, true]);
      await send(good, 5n);
      const head = Number(await chain.rpc<string>('eth_blockNumber'));
      await expect.poll(() => indexer.runners[0]?.latestBlock?.number, { timeout: 20_000 }).toBe(head);

      const data = await statusQuery(
        cfg.statusPort,
        '{ indexingStatuses { subgraph synced health entityCount fatalError { handler block { number } } chains { latestBlock { number } chainHeadBlock { number } } } }',
      );
      const statuses = data.indexingStatuses as Array<Record<string, unknown>>;
      expect(statuses[0]).toMatchObject({
        subgraph: 'Qmgood',
        synced: true,
        health: 'healthy',
        entityCount: '3',
        fatalError: null,
      });
      expect(statuses[0]?.chains).toEqual([
        { latestBlock: { number: String(head) }, chainHeadBlock: { number: String(head) } },
      ]);
      expect(statuses[1]).toMatchObject({
        subgraph: 'Qmbad',
        health: 'failed',
        fatalError: { handler: 'handleValue', block: { number: String(start + 3) } },
      });
      expect(logs.some((line) => line.startsWith('bad: failed at block'))).toBe(true);

      const metrics = await (await fetch(`http://127.0.0.1:${cfg.metricsPort}/metrics`)).text();
      expect(metrics).toMatch(/indexer_events_processed_total\{deployment="Qmgood"\} 2\n/);
      expect(metrics).toContain('indexer_deployment_failed{deployment="Qmbad"} 1');
      expect(metrics).toMatch(/indexer_rpc_requests_total\{deployment="Qmgood",method="eth_getLogs"\} \d+/);
    } finally {
      await indexer.stop();
    }
  });

  it('stops promptly while the RPC node is down and retrying', async () => {
    const emitter = await deployEmitter(chain);
    const start = Number(await chain.rpc<string>('eth_blockNumber'));
    const proxy = await startFaultProxy(chain.url);
    proxy.down = true;
    const lines: string[] = [];
    const indexer = await startIndexer(
      await config([{ name: 'down', rpc: proxy.url }]),
      parts({ down: { factory: emitter, start } }),
      {
        log: (line) => lines.push(line),
      },
    );
    try {
      await expect.poll(() => lines.length, { timeout: 10_000 }).toBeGreaterThan(1);
      expect(lines[0]).toMatch(new RegExp(`^down: RPC ${proxy.url}: network error .*; retry 1 in`));
      const started = Date.now();
      await indexer.stop();
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await proxy.close();
    }
  });
});
