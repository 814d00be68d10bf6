import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChain } from 'contracts/chain';
import { deploy } from 'contracts/deploy';
import { simulate } from 'contracts/simulate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainSource } from '../../src/chain/chain-source.js';
import { RpcClient } from '../../src/chain/rpc-client.js';
import { DeploymentRunner } from '../../src/runner/deployment-runner.js';
import { SubgraphRuntime as WasmSubgraphRuntime } from '../../src/wasm/subgraph-runtime.js';
import { deployEmitter, emit, type LocalChain, startLocalChain, waitForReceipt } from '../chain/local-chain.js';
import { CREATE_TOPIC, FileStore, TestRuntime, VALUE_TOPIC } from './test-deployment.js';

const script = join(import.meta.dirname, 'run-deployment.ts');
const work = mkdtempSync(join(tmpdir(), 'indexer-crash-'));
let chain: LocalChain;
/** The protocol chain of the second test, also stopped here should that test time out. */
let protocolChain: { stop(): Promise<void> } | undefined;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  chain = await startLocalChain();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await chain?.stop();
  await protocolChain?.stop();
  rmSync(work, { recursive: true, force: true });
});

function spawnRunner(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.stderr?.on('data', (chunk: Buffer) => {
    childErrors += chunk.toString();
  });
  return child;
}

/** What the child indexers logged (retries, failures): no line is expected. */
let childErrors = '';

/**
 * Runs the child indexer, SIGKILLs it once its store has passed a quarter, half and three quarters
 * of the range, restarts it each time, lets the last run finish, and returns its store.
 */
async function killThriceThenFinish(args: string[], start: number, end: number): Promise<FileStore> {
  const storePath = args[1] as string;
  const killedAt: number[] = [];
  for (const fraction of [0.25, 0.5, 0.75]) {
    const target = start + Math.floor((end - start) * fraction);
    const runner = spawnRunner(args);
    const exited = new Promise((resolve) => runner.once('exit', resolve));
    while ((storedHead(storePath) ?? 0) < target && runner.exitCode === null) {
      if (childErrors) throw new Error(`the child indexer logged: ${childErrors}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    runner.kill('SIGKILL');
    await exited;
    killedAt.push(storedHead(storePath) ?? -1);
  }
  expect(killedAt.every((head) => head > start && head < end)).toBe(true);
  const last = spawnRunner(args);
  let output = '';
  last.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise((resolve) => last.once('exit', resolve));
  expect(code).toBe(0);
  expect(childErrors).toBe('');
  expect(output).toBe(`done ${end}\n`);
  return new FileStore(storePath);
}

function storedHead(path: string): number | null {
  if (!existsSync(path)) return null;
  return (JSON.parse(readFileSync(path, 'utf8')) as { head: { number: number } | null }).head?.number ?? null;
}

describe('crash safety', () => {
  it('after kill -9 at arbitrary moments, a restart ends with exactly the data of an uninterrupted run', async () => {
    const factory = await deployEmitter(chain);
    const child = await deployEmitter(chain);
    const start = Number(await chain.rpc<string>('eth_blockNumber'));
    const hashes: string[] = [];
    for (let i = 1; i <= 240; i += 1) {
      if (i === 60) hashes.push(await emit(chain, factory, CREATE_TOPIC, BigInt(child)));
      hashes.push(await emit(chain, i % 3 === 0 ? child : factory, VALUE_TOPIC, BigInt(i)));
    }
    for (const hash of hashes) await waitForReceipt(chain, hash);
    const end = Number(await chain.rpc<string>('eth_blockNumber'));

    const reference = new FileStore(null);
    await new DeploymentRunner({
      name: 'reference',
      deployment: 'QmRef',
      source: new ChainSource(new RpcClient({ url: chain.url })),
      runtime: new TestRuntime(factory, start),
      store: reference,
      finalityDepth: 10,
      pollIntervalMs: 20,
      stopAtBlock: end,
    }).run();

    const resumed = await killThriceThenFinish(
      [chain.url, join(work, 'store.json'), String(end), 'test', factory, String(start)],
      start,
      end,
    );
    expect(await resumed.snapshot()).toBe(await reference.snapshot());
    expect((await resumed.dynamicDataSources()).map((d) => d.address)).toEqual([child]);
    expect((await reference.currentEntities()).filter((e) => e.entityType === 'Event').length).toBeGreaterThan(150);
  });

  it('does the same with the real subgraph WASM handlers over a simulated protocol chain', async () => {
    const manifest = join(import.meta.dirname, '../../../subgraph/build/subgraph.yaml');
    const protocol = await startChain();
    protocolChain = protocol;
    try {
      const deployment = await deploy({ rpc: protocol.rpc, write: false });
      await simulate({ rpc: protocol.rpc, deployment, loans: 15, days: 40 });
      const end = Number(await new RpcClient({ url: protocol.rpc }).request<string>('eth_blockNumber', []));
      const reference = new FileStore(null);
      await new DeploymentRunner({
        name: 'reference',
        deployment: 'QmRef',
        source: new ChainSource(new RpcClient({ url: protocol.rpc })),
        runtime: WasmSubgraphRuntime.load(manifest),
        store: reference,
        finalityDepth: 10,
        pollIntervalMs: 20,
        stopAtBlock: end,
      }).run();
      const start = deployment.factory.startBlock;
      const resumed = await killThriceThenFinish(
        [protocol.rpc, join(work, 'subgraph-store.json'), String(end), 'subgraph', manifest],
        start,
        end,
      );
      expect(await resumed.snapshot()).toBe(await reference.snapshot());
      expect((await reference.currentEntities()).filter((e) => e.entityType === 'Loan').length).toBe(15);
    } finally {
      await protocol.stop();
    }
  });
});
