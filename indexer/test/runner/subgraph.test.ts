// The runner with the real subgraph: the built WASM mappings (subgraph/build, from `pnpm build`)
// run by the WASM host over a chain driven by the contracts package's simulator.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalChain as ContractsChain, startChain } from 'contracts/chain';
import { type Deployment, deploy } from 'contracts/deploy';
import { type SimulationSummary, simulate } from 'contracts/simulate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainSource } from '../../src/chain/chain-source.js';
import { RpcClient } from '../../src/chain/rpc-client.js';
import { DeploymentRunner } from '../../src/runner/deployment-runner.js';
import { SubgraphRuntime } from '../../src/wasm/subgraph-runtime.js';
import { FileStore } from './test-deployment.js';

const manifest = join(import.meta.dirname, '../../../subgraph/build/subgraph.yaml');
let chain: ContractsChain;
let deployment: Deployment;
let summary: SimulationSummary;

beforeAll(async () => {
  if (!existsSync(manifest)) throw new Error(`${manifest} is missing: run \`pnpm build\` (builds the subgraph) first`);
  chain = await startChain();
  deployment = await deploy({ rpc: chain.rpc, write: false });
  summary = await simulate({ rpc: chain.rpc, deployment, loans: 12, days: 30 });
});
afterAll(async () => {
  await chain?.stop();
});

async function count(store: FileStore, type: string): Promise<number> {
  return (await store.currentEntities()).filter((e) => e.entityType === type).length;
}

describe('runner + WASM host + the real subgraph', () => {
  it('indexes the simulated protocol: markets from the factory template, every loan, no failure', async () => {
    expect(readFileSync(manifest, 'utf8')).toContain(deployment.factory.address.toLowerCase());
    const head = Number(await new RpcClient({ url: chain.rpc }).request<string>('eth_blockNumber', []));
    const store = new FileStore(null);
    const logs: string[] = [];
    const runner = new DeploymentRunner({
      name: 'btc-rwa-loans',
      deployment: 'QmSubgraph',
      source: new ChainSource(new RpcClient({ url: chain.rpc })),
      runtime: SubgraphRuntime.load(manifest),
      store,
      finalityDepth: 10,
      pollIntervalMs: 20,
      stopAtBlock: head,
      log: (line) => logs.push(line),
    });
    await runner.run();
    expect(logs).toEqual([]);
    expect(runner.status().health).toBe('healthy');
    expect(runner.latestBlock?.number).toBe(head);
    expect(await count(store, 'Market')).toBe(deployment.markets.length);
    expect(await count(store, 'Loan')).toBe(summary.loansOpened);
    expect(await count(store, 'Repayment')).toBe(summary.events.LoanRepaid ?? 0);
    expect((await store.dynamicDataSources()).length).toBeGreaterThanOrEqual(deployment.markets.length);
  });
});
