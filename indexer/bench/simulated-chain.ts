// The protocol simulator's chain for the benchmarks: a local EDR node, the contracts deployed and
// the seeded simulation run until about `targetEvents` events exist. BENCH_CHAIN_CACHE=<dir> keeps
// the chain's journal there and replays it in later runs of the same size instead of simulating.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChain } from 'contracts/chain';
import { type Deployment, deploy } from 'contracts/deploy';
import { type SimulationSummary, simulate } from 'contracts/simulate';
import { type Abi, type AbiEvent, toEventSelector } from 'viem';
import type { LogFilter } from '../src/chain/chain-source.js';
import { RpcClient } from '../src/chain/rpc-client.js';

export interface BenchChain {
  url: string;
  start: number;
  end: number;
  filter: LogFilter;
  abi: Abi;
  stop(): Promise<void>;
}

interface CachedSimulation {
  targetEvents: number;
  days: number;
  deployment: Deployment;
  summary: SimulationSummary;
}

/**
 * The simulated chain, built once per BENCH_CHAIN_CACHE directory: the chain's journal is
 * replayed and the simulation skipped when the cache was built for the same size.
 */
export async function simulationChain(targetEvents: number): Promise<BenchChain> {
  // Seed 1 yields about 23,000 events per 90 simulated days with loans uncapped.
  const days = Number(process.env.BENCH_DAYS ?? Math.ceil((targetEvents / 23_000) * 90));
  const cacheDir = process.env.BENCH_CHAIN_CACHE;
  const cacheFile = cacheDir && join(cacheDir, 'simulation.json');
  const cached: CachedSimulation | undefined =
    cacheFile && existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : undefined;
  const reusable = cached && cached.targetEvents === targetEvents && cached.days === days;
  if (cacheDir && !reusable) rmSync(cacheDir, { recursive: true, force: true });
  const chain = await startChain(cacheDir ? { journal: join(cacheDir, 'chain.jsonl') } : {});
  let deployment: Deployment;
  let summary: SimulationSummary;
  if (reusable && chain.resumed) {
    ({ deployment, summary } = cached);
    console.log(
      `chain: replayed ${chain.resumed.blocks} blocks from ${cacheDir} in ${chain.resumed.seconds.toFixed(1)} s`,
    );
  } else {
    if (chain.journalProblem) console.log(`chain: ${chain.journalProblem}`);
    deployment = await deploy({ rpc: chain.rpc, write: false });
    summary = await simulate({ rpc: chain.rpc, deployment, loans: Math.ceil(targetEvents / 4), days });
    if (cacheFile) writeFileSync(cacheFile, JSON.stringify({ targetEvents, days, deployment, summary }));
  }
  const abisDir = join(import.meta.dirname, '../../abis');
  const events = new Map<string, AbiEvent>();
  for (const file of readdirSync(abisDir)) {
    for (const item of JSON.parse(readFileSync(join(abisDir, file), 'utf8')) as Abi) {
      if (item.type === 'event') events.set(toEventSelector(item), item);
    }
  }
  const addresses = [
    deployment.factory.address,
    ...deployment.markets.map((m) => m.address),
    ...Object.values(deployment.feeds).map((f) => f.address),
  ].map((a) => a.toLowerCase());
  const end = Number(await new RpcClient({ url: chain.rpc }).request<string>('eth_blockNumber', []));
  console.log(`simulation: ${summary.totalEvents} events (${summary.loansOpened} loans, ${summary.days} days)`);
  return {
    // The measurements read the node directly: the journal's proxy runs in this process.
    url: chain.nodeRpc,
    start: deployment.factory.startBlock,
    end,
    filter: { addresses, topic0: [...events.keys()] },
    abi: [...events.values()],
    stop: chain.stop,
  };
}
