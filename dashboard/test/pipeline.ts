// The real pipeline the browser test and the benchmark run the dashboard over: EDR chains with a
// seeded simulation each, one `indexer run` process serving graph-node's API for every chain (a
// deployment per network, like `npm start`), and headless Chromium.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type LocalChain, startChain } from 'contracts/chain';
import { deploy } from 'contracts/deploy';
import { simulate } from 'contracts/simulate';
import { type Browser, chromium } from 'playwright-core';
import type { NetworkConfig } from '../src/config/networks.js';
import { openLoans } from './open-loans.js';

export const root = join(import.meta.dirname, '..', '..');

export interface NetworkPlan {
  id: string;
  label: string;
  chainId: number;
  seed: number;
  loans: number;
  days: number;
  /** Loans opened after the simulation (test/open-loans.ts), all still open when it is indexed. */
  openLoans?: number;
}

export interface Pipeline {
  networks: NetworkConfig[];
  stop(): Promise<void>;
}

export async function graphql<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${body.errors?.[0]?.message ?? 'no data'}`);
  return body.data;
}

async function headOf(rpc: string): Promise<number> {
  const response = await fetch(rpc, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}',
  });
  return Number(((await response.json()) as { result: string }).result);
}

/** Chains simulated one after the other (2 cores), then indexed to their heads. */
export async function startPipeline(plans: NetworkPlan[]): Promise<Pipeline> {
  const chains: LocalChain[] = [];
  let indexer: ChildProcess | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'dashboard-pipeline-'));
  const stop = async () => {
    indexer?.kill('SIGTERM');
    await Promise.all(chains.map((c) => c.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const heads: number[] = [];
    for (const plan of plans) {
      const chain = await startChain({ chainId: plan.chainId });
      chains.push(chain);
      const deployment = await deploy({ rpc: chain.rpc, write: false });
      await simulate({ rpc: chain.rpc, deployment, seed: plan.seed, loans: plan.loans, days: plan.days });
      if (plan.openLoans) await openLoans(chain.rpc, deployment, plan.openLoans, plan.seed);
      heads.push(await headOf(chain.rpc));
    }
    const [port, statusPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
    const config = join(dataDir, 'indexer.json');
    writeFileSync(
      config,
      JSON.stringify({
        data: join(dataDir, 'store'),
        port,
        statusPort,
        metricsPort,
        // Deployed by the same account on fresh chains, the contracts have the built manifest's addresses.
        deployments: plans.map((plan, i) => ({
          name: `loans-${plan.id}`,
          subgraph: join(root, 'subgraph'),
          rpc: chains[i]?.rpc,
        })),
      }),
    );
    let stderr = '';
    indexer = spawn(
      process.execPath,
      [join(root, 'indexer/bin/indexer.mjs'), 'run', '--config', config, '--no-progress'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    indexer.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const networks = plans.map((plan) => ({
      id: plan.id,
      label: plan.label,
      chainId: plan.chainId,
      subgraphUrl: `http://127.0.0.1:${port}/subgraphs/name/loans-${plan.id}`,
    }));
    // Two minutes, and more for the large run's loans (the indexer handles a few hundred events a second).
    const deadline = Date.now() + 120_000 + plans.reduce((ms, plan) => ms + (plan.openLoans ?? 0) * 30, 0);
    for (const [i, network] of networks.entries()) {
      for (;;) {
        const meta = await graphql<{ _meta: { block: { number: number } } }>(
          network.subgraphUrl,
          '{ _meta { block { number } } }',
        ).catch(() => null);
        if (meta?._meta.block.number === heads[i]) break;
        if (indexer.exitCode !== null) throw new Error(`indexer run exited: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`the indexer did not reach the head of ${network.id}: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return { networks, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
