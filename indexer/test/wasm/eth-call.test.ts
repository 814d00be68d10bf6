// ethereum.call, getBalance and hasCode from a fixture subgraph compiled with graph-cli in this
// test (test/fixtures/wasm/eth-call), against a MockPriceFeed deployed on a real EDR chain, with
// graph-node's semantics (chain/ethereum/src/runtime/runtime_adapter.rs, ethereum_adapter.rs):
// calls read the state at the event's block, a revert is null (`try_` → reverted, a plain call
// aborts the handler), node errors are retried rather than failing the subgraph.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadArtifact } from 'contracts/artifacts';
import {
  type AbiFunction,
  encodeDeployData,
  encodeFunctionData,
  getAbiItem,
  type Hex,
  type RpcBlock,
  type RpcLog,
  toFunctionSelector,
} from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcEthereumChain } from '../../src/chain/ethereum-chain.js';
import type { IndexerConfig } from '../../src/cli/config.js';
import { EntityState } from '../../src/runner/entity-state.js';
import { startIndexer } from '../../src/runner/indexer.js';
import { defaultParts } from '../../src/runner/parts.js';
import { HandlerError, loadSubgraph, plain } from '../../src/testing/index.js';
import { EthereumCallRetry, type EthereumChain } from '../../src/wasm/ethereum-calls.js';
import { SubgraphRuntime } from '../../src/wasm/subgraph-runtime.js';
import { freePort, type LocalChain, startLocalChain, waitForReceipt } from '../chain/local-chain.js';
import { buildFixture } from './build-fixture.js';

const fixture = join(import.meta.dirname, '../fixtures/wasm/eth-call');
const manifest = join(fixture, 'build/subgraph.yaml');
const feedArtifact = loadArtifact('MockPriceFeed');
const E8 = 10n ** 8n;

let chain: LocalChain;
let other: string;
let feed: Hex;
/** Block numbers: the deployment (round 1), two pushes (rounds 2 and 3), an ownership transfer. */
const blocks = { deploy: 0, round2: 0, round3: 0, transfer: 0 };

async function send(data: Hex, to?: Hex): Promise<{ contractAddress: string | null; blockNumber: string }> {
  const hash = await chain.rpc<string>('eth_sendTransaction', [{ from: chain.account, to, data, gas: '0x500000' }]);
  return waitForReceipt(chain, hash);
}

const feedCall = (functionName: string, args: unknown[]) =>
  encodeFunctionData({ abi: feedArtifact.abi, functionName, args } as never);

/** A mined block as the runner hands it to the WASM host. */
async function chainBlock(number: number) {
  const raw = await chain.rpc<RpcBlock>('eth_getBlockByNumber', [`0x${number.toString(16)}`, true]);
  const logs = await chain.rpc<RpcLog[]>('eth_getLogs', [{ fromBlock: raw.number, toBlock: raw.number }]);
  return {
    ptr: {
      number,
      hash: raw.hash as string,
      parentHash: raw.parentHash,
      timestamp: Number(BigInt(raw.timestamp)),
    },
    raw,
    logs,
    receipts: new Map(),
  };
}

function entity(state: EntityState, type: string, id: string) {
  const found = state.get(type, id);
  return found ? Object.fromEntries([...found].map(([k, v]) => [k, plain(v)])) : null;
}

beforeAll(async () => {
  buildFixture(fixture);
  chain = await startLocalChain();
  other = ((await chain.rpc<string[]>('eth_accounts'))[1] as string).toLowerCase();
  const deployed = await send(
    encodeDeployData({
      abi: feedArtifact.abi,
      bytecode: feedArtifact.bytecode,
      args: [8, 'BTC / USD', 60_000n * E8, chain.account],
    } as never),
  );
  feed = deployed.contractAddress as Hex;
  blocks.deploy = Number(deployed.blockNumber);
  blocks.round2 = Number((await send(feedCall('updateAnswer', [61_000n * E8]), feed)).blockNumber);
  blocks.round3 = Number((await send(feedCall('updateAnswer', [62_000n * E8]), feed)).blockNumber);
  blocks.transfer = Number((await send(feedCall('transferOwnership', [other]), feed)).blockNumber);
});

afterAll(async () => {
  await chain?.stop();
});

describe('ethereum.call through the runner’s path (real blocks, calls by block hash)', () => {
  let state: EntityState;
  let ethereum: RpcEthereumChain;

  beforeAll(async () => {
    const runtime = SubgraphRuntime.load(manifest);
    ethereum = new RpcEthereumChain(chain.url);
    runtime.chain = ethereum;
    state = new EntityState();
    // Every block is processed after round 3 is on the chain: each must still see its own state.
    for (const number of [blocks.deploy, blocks.round2]) {
      const outcome = await runtime.processBlock(await chainBlock(number), state);
      expect(outcome.failure).toBeNull();
      state.apply(outcome.changes);
    }
  });

  afterAll(() => ethereum.close());

  it('returns every value of a multi-value call, read at the event’s block, not the head', async () => {
    const balanceAt = async (block: number) =>
      BigInt(await chain.rpc<string>('eth_getBalance', [chain.account, `0x${block.toString(16)}`]));
    const round2 = entity(state, 'Observation', '2');
    expect(round2).toMatchObject({
      block: BigInt(blocks.round2),
      round: 2n,
      answer: 61_000n * E8,
      answeredInRound: 2n,
      description: 'BTC / USD',
      thisRoundAnswer: 61_000n * E8,
    });
    expect(round2?.updatedAt).toBe(round2?.startedAt);
    // The deployment block's observation sees round 1 only.
    expect(entity(state, 'Observation', '1')).toMatchObject({ round: 1n, answer: 60_000n * E8 });
    expect(entity(state, 'RoundSeen', '2')).toMatchObject({ answer: 61_000n * E8 });
    // getBalance is the sender's balance after that block; later transactions spent gas since.
    expect(round2?.senderBalance).toBe(await balanceAt(blocks.round2));
    expect(round2?.senderBalance).not.toBe(await balanceAt(blocks.transfer));
  });

  it('gives a reverting view to try_ as reverted', () => {
    expect(entity(state, 'Observation', '2')?.unknownRoundReverted).toBe(true);
  });

  it('hasCode: true for the feed, false for the sending account', () => {
    expect(entity(state, 'Observation', '2')).toMatchObject({ feedHasCode: true, senderHasCode: false });
  });

  it('makes the declared calls together before the handlers, which then read them from the block’s cache', async () => {
    const node = new RpcEthereumChain(chain.url);
    const sent: { batched: string[][]; oneByOne: string[] } = { batched: [], oneByOne: [] };
    // Watches which calls reach the node, and how (the real node answers them).
    const watched: EthereumChain = {
      call: (request, block) => {
        sent.oneByOne.push(request.data.slice(0, 10));
        return node.call(request, block);
      },
      callAll: (requests, block) => {
        sent.batched.push(requests.map((r) => r.data.slice(0, 10)));
        return node.callAll(requests, block);
      },
      balance: (address, block) => node.balance(address, block),
      code: (address, block) => node.code(address, block),
    };
    const runtime = SubgraphRuntime.load(manifest);
    runtime.chain = watched;
    const fresh = new EntityState();
    try {
      const outcome = await runtime.processBlock(await chainBlock(blocks.round2), fresh);
      fresh.apply(outcome.changes);
    } finally {
      node.close();
    }
    const selector = (name: string) =>
      toFunctionSelector(getAbiItem({ abi: feedArtifact.abi, name } as never) as unknown as AbiFunction);
    expect(sent.batched).toEqual([[selector('latestRoundData'), selector('getRoundData')]]);
    // Left for the handlers: description() (not declared) and the unknown round (reverts are
    // never cached); handleNewRound's getRoundData(2) is the declared call's answer.
    expect(sent.oneByOne.sort()).toEqual([selector('description'), selector('getRoundData')].sort());
    expect(entity(fresh, 'Observation', '2')).toEqual(entity(state, 'Observation', '2'));
    expect(entity(fresh, 'RoundSeen', '2')).toEqual(entity(state, 'RoundSeen', '2'));
  });

  it('a node error (the block is gone, as after a reorg) is retryable, not a deterministic failure', async () => {
    const runtime = SubgraphRuntime.load(manifest);
    const reader = new RpcEthereumChain(chain.url);
    runtime.chain = reader;
    const block = await chainBlock(blocks.round3);
    const orphan = { ...block, ptr: { ...block.ptr, hash: `0x${'ab'.repeat(32)}` } };
    try {
      // The declared calls, made before the handlers, fail first …
      const outcome = runtime.processBlock(orphan, new EntityState());
      await expect(outcome).rejects.toThrow(EthereumCallRetry);
      await expect(outcome).rejects.toThrow(/Ethereum node returned an error for the declared eth_calls of block #/);
      // … and a handler's own call the same way (the harness's path, which has no prefetch here).
      const session = runtime.openBlock(orphan, new EntityState());
      const handlers = () =>
        session.run(() => {
          for (const log of orphan.logs) session.runLogEverywhere(log);
        });
      expect(handlers).toThrow(EthereumCallRetry);
      expect(handlers).toThrow(
        /Ethereum node returned an error when calling function "\w+" of contract "PriceFeed": eth_call failed/,
      );
    } finally {
      reader.close();
    }
  });

  // No fault proxy here: it would run on this thread, which is blocked while the worker waits for it.
  it('reports every request to onRequest: the handlers’ (through the worker) and the declared calls', async () => {
    const seen: string[] = [];
    const reader = new RpcEthereumChain(chain.url, {
      onRequest: (method, seconds, failed) => {
        expect(seconds).toBeGreaterThan(0);
        seen.push(`${method}${failed ? ' failed' : ''}`);
      },
    });
    const runtime = SubgraphRuntime.load(manifest);
    runtime.chain = reader;
    try {
      const outcome = await runtime.processBlock(await chainBlock(blocks.round2), new EntityState());
      expect(outcome.failure).toBeNull();
    } finally {
      reader.close();
    }
    expect(seen.sort()).toEqual(
      [
        // Declared: latestRoundData() and getRoundData(2), on the main thread's RpcClient.
        'eth_call',
        'eth_call',
        // The handler's: description(), and the unknown round, which reverts (an error answer).
        'eth_call',
        'eth_call failed',
        'eth_getBalance',
        'eth_getCode',
        'eth_getCode',
      ].sort(),
    );
  });

  it('a block whose handlers make no calls never starts the JSON-RPC worker', async () => {
    const runtime = SubgraphRuntime.load(manifest);
    const reader = new RpcEthereumChain(chain.url);
    runtime.chain = reader;
    const quiet = new EntityState();
    const outcome = await runtime.processBlock(await chainBlock(blocks.transfer), quiet);
    quiet.apply(outcome.changes);
    expect(outcome.triggers).toBe(1);
    expect(entity(quiet, 'Quiet', other)).toEqual({ id: other, block: BigInt(blocks.transfer) });
    expect(reader.blocking.started).toBe(false);
    reader.close();
  });
});

describe('the handler test harness with `rpc`', () => {
  it('runs events at the node’s blocks: a call sees that block’s state', async () => {
    const sg = await loadSubgraph({ manifest, rpc: chain.url });
    await sg.handleEvent({
      dataSource: 'Feed',
      address: feed,
      event: 'AnswerUpdated',
      args: { current: 62_000n * E8, roundId: 3n, updatedAt: 0n },
      block: { number: blocks.round3 },
      transaction: { from: other },
    });
    expect(sg.get('Observation', '3')).toMatchObject({
      block: BigInt(blocks.round3),
      round: 3n,
      answer: 62_000n * E8,
      unknownRoundReverted: true,
      senderBalance: BigInt(await chain.rpc<string>('eth_getBalance', [other, `0x${blocks.round3.toString(16)}`])),
      senderHasCode: false,
    });
    await sg.handleEvent({
      dataSource: 'Feed',
      address: feed,
      event: 'AnswerUpdated',
      args: { current: 61_000n * E8, roundId: 2n, updatedAt: 0n },
      block: { number: blocks.transfer },
    });
    // Round 2 asked at a later block: latestRoundData is round 3 there.
    expect(sg.get('Observation', '2')).toMatchObject({ round: 3n, thisRoundAnswer: 61_000n * E8 });
  });

  it('a plain call that reverts aborts the handler with graph-ts’s message naming the function', async () => {
    const sg = await loadSubgraph({ manifest, rpc: chain.url });
    const failing = sg.handleEvent({
      dataSource: 'Feed',
      address: feed,
      event: 'NewRound',
      args: { roundId: 999n, startedBy: chain.account, startedAt: 0n },
      block: { number: blocks.round3 },
    });
    await expect(failing).rejects.toThrow(HandlerError);
    await expect(failing).rejects.toThrow(
      /Call reverted, probably because an `assert` or `require` in the contract failed, consider using `try_getRoundData` to handle this in the mapping\..*in handler `handleNewRound` at block #\d+/,
    );
  });

  it.each([
    [
      777n,
      'Unknown function "PriceFeed::latestRound" with signature `latestRound():(uint256)` called from WASM runtime',
    ],
    [778n, `Could not find ABI for contract "Missing", try adding it to the 'abis' section of the subgraph manifest`],
  ])('round %s: a call the ABIs cannot resolve fails the handler deterministically', async (roundId, message) => {
    const sg = await loadSubgraph({ manifest, rpc: chain.url });
    const failing = sg.handleEvent({
      dataSource: 'Feed',
      address: feed,
      event: 'NewRound',
      args: { roundId, startedBy: chain.account, startedAt: 0n },
      block: { number: blocks.round3 },
    });
    await expect(failing).rejects.toThrow(HandlerError);
    await expect(failing).rejects.toThrow(`${message} in handler \`handleNewRound\``);
  });

  it('without `rpc`, a call names what is missing', async () => {
    const sg = await loadSubgraph({ manifest });
    await expect(
      sg.handleEvent({
        dataSource: 'Feed',
        address: feed,
        event: 'NewRound',
        args: { roundId: 1n, startedBy: chain.account, startedAt: 0n },
        block: { number: 1 },
      }),
    ).rejects.toThrow(/ethereum.call needs a JSON-RPC node: .*pass `rpc` to loadSubgraph\(\)/);
  });
});

describe('`indexer run` (its real parts, PGlite) passes the deployment’s rpc to the WASM host', () => {
  it('indexes every observation with the values read at each event’s block', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'indexer-eth-call-'));
    const config: IndexerConfig = {
      deployments: [{ name: 'feeds', manifest, rpc: chain.url, network: null, finalityDepth: 2, pollIntervalMs: 50 }],
      dataDir,
      postgresUrl: null,
      host: '127.0.0.1',
      port: await freePort(),
      statusPort: await freePort(),
      metricsPort: await freePort(),
      progress: false,
    };
    const running = await startIndexer(config, defaultParts, { log: () => {} });
    try {
      const url = `http://127.0.0.1:${config.port}/subgraphs/name/feeds`;
      const query = async (text: string) => {
        const response = await fetch(url, { method: 'POST', body: JSON.stringify({ query: text }) });
        return ((await response.json()) as { data?: Record<string, unknown> }).data;
      };
      for (let tries = 0; ; tries += 1) {
        const meta = (await query('{ _meta { block { number } } }').catch(() => undefined))?._meta as
          | { block: { number: number } }
          | undefined;
        if (meta && meta.block.number >= blocks.transfer) break;
        if (tries > 600) throw new Error('the indexer did not reach the chain head in 60 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const data = await query('{ observations(orderBy: round) { id block round answer unknownRoundReverted } }');
      expect(data?.observations).toEqual([
        { id: '1', block: String(blocks.deploy), round: '1', answer: String(60_000n * E8), unknownRoundReverted: true },
        { id: '2', block: String(blocks.round2), round: '2', answer: String(61_000n * E8), unknownRoundReverted: true },
        { id: '3', block: String(blocks.round3), round: '3', answer: String(62_000n * E8), unknownRoundReverted: true },
      ]);
      expect(running.runners[0]?.status().health).toBe('healthy');
      // The WASM host's requests are counted with the runner's, per method.
      const metrics = await (await fetch(`http://127.0.0.1:${config.metricsPort}/metrics`)).text();
      const count = (series: string, method: string) =>
        Number(metrics.match(new RegExp(`^${series}\\{deployment="Qm\\w+",method="${method}"\\} (\\d+)$`, 'm'))?.[1]);
      // One getBalance and two hasCode per observation: only handlers make them.
      expect(count('indexer_rpc_requests_total', 'eth_getBalance')).toBe(3);
      expect(count('indexer_rpc_requests_total', 'eth_getCode')).toBe(6);
      // Per observation two declared calls and two of the handler's own (description(), the
      // unknown round), whose revert is an error answer.
      expect(count('indexer_rpc_requests_total', 'eth_call')).toBe(12);
      expect(count('indexer_rpc_errors_total', 'eth_call')).toBe(3);
      expect(count('indexer_rpc_requests_total', 'eth_getLogs')).toBeGreaterThan(0);
      expect(metrics).toMatch(/^indexer_rpc_request_seconds_count\{method="eth_getCode"\} 6$/m);
    } finally {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
