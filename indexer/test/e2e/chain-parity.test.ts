// The whole pipeline with every real part: an EDR chain, the protocol, a seeded simulation with a
// crash, `indexer run`'s parts (WASM host + versioned store + GraphQL server) over PGlite and, when
// TEST_DATABASE_URL is set, PostgreSQL. What GraphQL answers must equal the chain's own views, at
// the head and at a past block.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalChain, startChain } from 'contracts/chain';
import { type Deployment, deploy } from 'contracts/deploy';
import { type SimulationSummary, simulate } from 'contracts/simulate';
import { type Abi, type Address, createPublicClient, http, type PublicClient } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../../contracts/src/compile.js';
import type { IndexerConfig } from '../../src/cli/config.js';
import { type RunningIndexer, startIndexer } from '../../src/runner/indexer.js';
import { defaultParts } from '../../src/runner/parts.js';
import { freePort } from '../chain/local-chain.js';

const manifest = join(import.meta.dirname, '../../../subgraph/build/subgraph.yaml');
const marketAbi = loadArtifact('LoanMarket').abi as Abi;
let chain: LocalChain;
let deployment: Deployment;
let summary: SimulationSummary;
let client: PublicClient;
let pastBlock: bigint;

beforeAll(async () => {
  chain = await startChain();
  deployment = await deploy({ rpc: chain.rpc, write: false });
  client = createPublicClient({ transport: http(chain.rpc) });
  summary = await simulate({ rpc: chain.rpc, deployment, seed: 3, loans: 30, days: 60, crashPct: 40, crashDay: 40 });
  pastBlock = (await client.getBlockNumber()) / 2n;
});
afterAll(async () => {
  await chain?.stop();
});

const backends = [
  { name: 'PGlite', postgresUrl: null as string | null },
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'PostgreSQL', postgresUrl: process.env.TEST_DATABASE_URL }] : []),
];

describe.each(backends)('indexer run over $name', ({ postgresUrl }) => {
  let running: RunningIndexer;
  let dataDir: string;
  let url: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'indexer-e2e-'));
    const name = `parity-${Date.now()}`;
    const config: IndexerConfig = {
      deployments: [{ name, manifest, rpc: chain.rpc, network: null, finalityDepth: 10, pollIntervalMs: 50 }],
      dataDir,
      postgresUrl,
      host: '127.0.0.1',
      port: await freePort(),
      statusPort: await freePort(),
      metricsPort: await freePort(),
      progress: false,
    };
    if (postgresUrl) await defaultParts.resetDeployment(config.deployments[0] as never, config);
    running = await startIndexer(config, defaultParts, { log: () => {} });
    url = `http://127.0.0.1:${config.port}/subgraphs/name/${name}`;
    const head = Number(await client.getBlockNumber());
    for (let tries = 0; ; tries += 1) {
      const meta = await query('{ _meta { block { number } } }').catch(() => null);
      if ((meta?._meta as { block: { number: number } } | undefined)?.block.number === head) break;
      if (tries > 600) throw new Error('the indexer did not reach the chain head in 60 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function query(text: string): Promise<Record<string, unknown>> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: text }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: Array<{ message: string }> };
    if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data as Record<string, unknown>;
  }

  async function compareWithChain(blockArg: string, blockNumber: bigint | undefined): Promise<number> {
    const data =
      await query(`{ markets${blockArg ? `(${blockArg})` : ''} { id totalCollateral totalPrincipalOutstanding reserveBalance availableLiquidity totalBadDebt
      loanCount loans(first: 1000) { loanId status collateralAmount principal principalOutstanding nextDueAt } } }`);
    const markets = data.markets as Array<
      Record<string, unknown> & { id: Address; loans: Array<Record<string, string | null>> }
    >;
    expect(markets).toHaveLength(deployment.markets.length);
    let loans = 0;
    for (const market of markets) {
      const read = (functionName: string, args: unknown[] = []) =>
        client.readContract({ address: market.id, abi: marketAbi, functionName, args, blockNumber });
      for (const total of [
        'totalCollateral',
        'totalPrincipalOutstanding',
        'reserveBalance',
        'availableLiquidity',
        'totalBadDebt',
      ]) {
        expect(market[total], `${total} of ${market.id}`).toBe(String(await read(total)));
      }
      expect(market.loanCount).toBe(Number(await read('loanCount')));
      for (const loan of market.loans) {
        const view = (await read('getLoan', [BigInt(loan.loanId as string)])) as readonly [
          Address,
          number,
          bigint,
          bigint,
          bigint,
          number,
          bigint,
          bigint,
          bigint,
        ];
        expect(loan, `loan ${loan.loanId} of ${market.id}`).toMatchObject({
          status: ['OPEN', 'REPAID', 'LIQUIDATED'][view[1]],
          collateralAmount: String(view[2]),
          principal: String(view[3]),
          principalOutstanding: String(view[4]),
          nextDueAt: view[1] === 0 ? String(view[8]) : null,
        });
        loans += 1;
      }
    }
    return loans;
  }

  it('answers every market total and every loan exactly as the contracts do at the head', async () => {
    expect(await compareWithChain('', undefined)).toBe(summary.loansOpened);
  });

  it('answers `block: { number }` queries with the chain state of that block', async () => {
    const loans = await compareWithChain(`block: { number: ${pastBlock} }`, pastBlock);
    expect(loans).toBeGreaterThan(0);
    expect(loans).toBeLessThan(summary.loansOpened);
  });

  it('has one event entity per log on chain', async () => {
    const events = await query(
      `{ liquidations(first: 1000) { id reason badDebt } repayments(first: 1000) { id } loanOpenings(first: 1000) { id } }`,
    );
    expect((events.liquidations as unknown[]).length).toBe(summary.liquidations.price + summary.liquidations.default);
    expect((events.repayments as unknown[]).length).toBe(summary.events.LoanRepaid);
    expect((events.loanOpenings as unknown[]).length).toBe(summary.events.LoanOpened);
    expect((events.liquidations as Array<{ badDebt: string }>).filter((l) => l.badDebt !== '0')).toHaveLength(
      summary.liquidations.withBadDebt,
    );
  });

  it('answers errors the way graph-node does', async () => {
    await expect(query('{ loans(first: 5000) { id } }')).rejects.toThrow(
      'The `first` argument must be between 0 and 1000, but is 5000',
    );
    await expect(query('{ loans(block: { number: 99999999 }) { id } }')).rejects.toThrow(
      /has only indexed up to block number \d+ and data for block number 99999999 is therefore not yet available/,
    );
    // graph-node's own field check (graphql/src/execution/query.rs validate_fields, error.rs UnknownField).
    await expect(query('{ loans { nope } }')).rejects.toThrow('Type `Loan` has no field `nope`');
  });
});
