// A journaled chain restarted from its journal is the same chain: every block hash (so every
// timestamp, transaction and state root) equals the recorded one, for a deployed protocol with a
// simulation (blocks of many transactions, `evm_mine` at given timestamps, automined deploy
// transactions at wall-clock times). A journal that cannot replay is reported and set aside.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEventLog, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalChain, startChain } from '../src/chain.js';
import { type Deployment, deploy } from '../src/deploy.js';
import { simulate } from '../src/simulate/index.js';
import { JsonRpc } from '../src/simulate/rpc.js';
import { abis } from './protocol.js';

const dir = mkdtempSync(join(tmpdir(), 'journal-'));
const journal = join(dir, 'chain.jsonl');
const accounts = 30;
let deployment: Deployment;
let recorded: Array<{ hash: Hex; timestamp: Hex; transactions: Hex[] }>;
/** The journal as the first chain left it (the resumed chain below extends the file). */
let recordedText: string;

async function blocksOf(chain: LocalChain) {
  const rpc = new JsonRpc(chain.rpc);
  const head = Number(await rpc.call<Hex>('eth_blockNumber'));
  return rpc.batch<{ hash: Hex; timestamp: Hex; transactions: Hex[] }>(
    Array.from({ length: head + 1 }, (_, n) => ({
      method: 'eth_getBlockByNumber',
      params: [`0x${n.toString(16)}`, false],
    })),
  );
}

/** Starts a chain on a copy of the recorded journal, changed by `edit`. */
async function startOnCopy(name: string, edit: (text: string) => string) {
  const file = join(dir, name);
  writeFileSync(file, edit(recordedText));
  return { file, chain: await startChain({ accounts, journal: file }) };
}

beforeAll(async () => {
  const chain = await startChain({ accounts, journal });
  try {
    deployment = await deploy({ rpc: chain.rpc, network: 'journal-test', write: false });
    await simulate({ rpc: chain.rpc, deployment, seed: 3, loans: 10, days: 8, crashPct: 40, crashDay: 5 });
    recorded = await blocksOf(chain);
  } finally {
    await chain.stop();
  }
  recordedText = readFileSync(journal, 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a chain restarted from its journal', () => {
  let chain: LocalChain;
  beforeAll(async () => {
    chain = await startChain({ accounts, journal });
  });
  afterAll(async () => chain?.stop());

  it('has every block of the recorded chain with the same hash and timestamp', async () => {
    expect(recorded.filter((block) => block.transactions.length > 1).length).toBeGreaterThan(5);
    expect(chain.resumed?.blocks).toBe(recorded.length - 1);
    const replayed = await blocksOf(chain);
    expect(replayed.map((b) => [b.hash, b.timestamp])).toEqual(recorded.map((b) => [b.hash, b.timestamp]));
  });

  it('goes on with the same simulation: loans opened before the restart are paid or liquidated after it', async () => {
    const rpc = new JsonRpc(chain.rpc);
    const before = Number(await rpc.call<Hex>('eth_blockNumber'));
    const summary = await simulate({ rpc: chain.rpc, deployment, seed: 3, loans: 10, days: 12, resume: true });
    expect(summary.failedTransactions).toBe(0);
    expect(summary.blocks).toBeGreaterThanOrEqual(5); // the new batcher's funding, then days 9-12
    const logs = await rpc.call<Array<{ address: Hex; topics: [Hex, ...Hex[]]; data: Hex; blockNumber: Hex }>>(
      'eth_getLogs',
      [{ fromBlock: '0x0', toBlock: 'latest', address: deployment.markets.map((m) => m.address) }],
    );
    const events = logs.map((log) => ({
      block: Number(log.blockNumber),
      market: log.address.toLowerCase(),
      ...(decodeEventLog({ abi: abis.market, data: log.data, topics: log.topics }) as unknown as {
        eventName: string;
        args: { loanId?: bigint };
      }),
    }));
    const openedBefore = new Set(
      events
        .filter((e) => e.eventName === 'LoanOpened' && e.block <= before)
        .map((e) => `${e.market}:${e.args.loanId}`),
    );
    const settledAfter = events.filter(
      (e) =>
        e.block > before &&
        (e.eventName === 'LoanRepaid' || e.eventName === 'LoanLiquidated') &&
        openedBefore.has(`${e.market}:${e.args.loanId}`),
    );
    expect(openedBefore.size).toBeGreaterThan(0);
    expect(settledAfter.length).toBeGreaterThan(0);
  });
});

describe('a journal that cannot be replayed', () => {
  it('with a corrupt line: reported with its line number, set aside, and the chain starts anew', async () => {
    const { file, chain } = await startOnCopy('corrupt.jsonl', (text) => {
      const lines = text.split('\n');
      lines[20] = (lines[20] ?? '').slice(0, 30);
      return lines.join('\n');
    });
    try {
      expect(chain.journalProblem).toMatch(
        /corrupt\.jsonl line 21 is not JSON .*; kept it as .*corrupt\.jsonl\.bad and started a fresh chain$/,
      );
      expect(chain.resumed).toBeUndefined();
      expect(Number(await new JsonRpc(chain.rpc).call<Hex>('eth_blockNumber'))).toBe(0);
      expect(existsSync(`${file}.bad`)).toBe(true);
      expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(1); // a fresh header
    } finally {
      await chain.stop();
    }
  });

  it('whose blocks come out different: names the line and the block', async () => {
    const { chain } = await startOnCopy('forged.jsonl', (text) => text.replace(/"0x1e8480"/, '"0x1e8481"'));
    try {
      expect(chain.journalProblem).toMatch(
        /forged\.jsonl line \d+ \(\w+\) does not replay: block \d+ 0x[0-9a-f]{64} instead of block \d+ 0x[0-9a-f]{64}/,
      );
      expect(Number(await new JsonRpc(chain.rpc).call<Hex>('eth_blockNumber'))).toBe(0);
    } finally {
      await chain.stop();
    }
  });

  it('cut off in its last line (the chain stopped while writing it): that line is dropped, the rest resumes', async () => {
    const { file, chain } = await startOnCopy('torn.jsonl', (text) => `${text}{"m":"evm_mine","p":[17`);
    try {
      expect(chain.journalProblem).toBeUndefined();
      expect(chain.resumed?.tornLine).toBe(recordedText.split('\n').length);
      expect(readFileSync(file, 'utf8')).toBe(recordedText);
      const head = await new JsonRpc(chain.rpc).call<{ hash: Hex }>('eth_getBlockByNumber', ['latest', false]);
      expect(head.hash).toBe(recorded.at(-1)?.hash);
    } finally {
      await chain.stop();
    }
  });
});
