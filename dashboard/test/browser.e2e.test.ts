// @vitest-environment node
// The dashboard in real headless Chromium over the real pipeline: an EDR chain with a seeded
// simulation, `indexer run` serving graph-node's API, Vite serving the app. The numbers on the
// pages must be the subgraph's; a screenshot of each view lands in test-artifacts/.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalChain, startChain } from 'contracts/chain';
import { deploy } from 'contracts/deploy';
import { simulate } from 'contracts/simulate';
import { type Browser, chromium } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const artifacts = join(root, 'test-artifacts');
let chain: LocalChain;
let indexer: ChildProcess;
let vite: ViteDevServer;
let browser: Browser;
let graphqlUrl: string;
let appUrl: string;
let dataDir: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createNetServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

async function graphql<T>(query: string): Promise<T> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data: T };
  return body.data;
}

beforeAll(async () => {
  chain = await startChain();
  const deployment = await deploy({ rpc: chain.rpc, write: false });
  await simulate({ rpc: chain.rpc, deployment, seed: 5, loans: 24, days: 45 });
  const head = Number(
    (
      (await (
        await fetch(chain.rpc, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}',
        })
      ).json()) as { result: string }
    ).result,
  );
  dataDir = mkdtempSync(join(tmpdir(), 'dashboard-e2e-'));
  const [port, statusPort, metricsPort, appPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  indexer = spawn(
    process.execPath,
    [
      join(root, 'indexer/bin/indexer.mjs'),
      'run',
      '--subgraph',
      join(root, 'subgraph'),
      '--rpc',
      chain.rpc,
      '--name',
      'loans',
      '--data',
      dataDir,
      '--port',
      String(port),
      '--status-port',
      String(statusPort),
      '--metrics-port',
      String(metricsPort),
      '--no-progress',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  graphqlUrl = `http://127.0.0.1:${port}/subgraphs/name/loans`;
  for (let tries = 0; ; tries += 1) {
    const meta = await graphql<{ _meta: { block: { number: number } } }>('{ _meta { block { number } } }').catch(
      () => null,
    );
    if (meta?._meta.block.number === head) break;
    if (tries > 600) throw new Error('the indexer did not reach the chain head');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.env.VITE_NETWORKS = JSON.stringify({
    networks: [{ id: 'local', label: 'Local', chainId: 31337, subgraphUrl: graphqlUrl }],
  });
  vite = await createServer({
    root: join(root, 'dashboard'),
    server: { port: appPort, host: '127.0.0.1' },
    logLevel: 'error',
  });
  await vite.listen();
  appUrl = `http://127.0.0.1:${appPort}`;
  browser = await chromium.launch({
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
  mkdirSync(artifacts, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
  indexer?.kill('SIGTERM');
  await chain?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('dashboard in Chromium', () => {
  it('shows the subgraph’s protocol KPIs and markets on the overview', async () => {
    const data = await graphql<{
      protocols: Array<{ openLoanCount: number }>;
      markets: Array<{ name: string; openLoanCount: number }>;
    }>('{ protocols { openLoanCount } markets(orderBy: name) { name openLoanCount } }');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${appUrl}/`);
    const openLoans = page.locator('.kpi', { hasText: 'Open loans' }).locator('dd');
    await openLoans.waitFor({ timeout: 30_000 });
    expect(await openLoans.textContent()).toBe(String(data.protocols[0]?.openLoanCount));
    for (const market of data.markets) {
      const row = page.locator('tr', { has: page.locator('th', { hasText: market.name }) });
      expect(await row.locator('td').nth(5).textContent()).toBe(String(market.openLoanCount));
    }
    await page.waitForSelector('figure.chart svg', { timeout: 30_000 });
    await page.screenshot({ path: join(artifacts, 'overview.png') });
    await page.close();
  });

  it('shows one ladder row per liquidation bucket below the price, and the loans table page', async () => {
    const data = await graphql<{
      markets: Array<{ name: string; latestPriceUSD: string; liquidationBuckets: Array<{ lowerPriceUSD: string }> }>;
      loans: Array<{ loanId: string }>;
    }>(
      `{ markets(orderBy: name) { name latestPriceUSD liquidationBuckets(first: 1000, where: { loanCount_gt: 0 }) { lowerPriceUSD } }
         loans(first: 25, where: { status: OPEN }, orderBy: liquidationPrice, orderDirection: desc) { loanId } }`,
    );
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${appUrl}/risk?fall=25`);
    await page.waitForSelector('article.panel', { timeout: 30_000 });
    for (const market of data.markets) {
      const expected = market.liquidationBuckets.filter(
        (b) => Number(b.lowerPriceUSD) <= Number(market.latestPriceUSD) * 1.0001,
      ).length;
      const article = page.locator('article.panel', { hasText: market.name });
      expect(await article.locator('tbody tr').count()).toBe(Math.min(expected, 50));
    }
    await page.screenshot({ path: join(artifacts, 'risk.png') });
    await page.goto(`${appUrl}/positions`);
    await page.waitForSelector('tbody tr', { timeout: 30_000 });
    const ids = await page.locator('tbody tr th').allTextContents();
    expect(ids).toEqual(data.loans.map((l) => `#${l.loanId}`));
    await page.screenshot({ path: join(artifacts, 'positions.png') });
    await page.close();
  });

  it('lists the liquidation history and opens a loan page with its whole timeline', async () => {
    const data = await graphql<{
      liquidations: Array<{ reason: string; loan: { id: string; loanId: string } }>;
    }>('{ liquidations(first: 50, orderBy: timestamp, orderDirection: desc) { reason loan { id loanId } } }');
    expect(data.liquidations.length).toBeGreaterThan(0);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${appUrl}/liquidations`);
    await page.waitForSelector('tbody tr', { timeout: 30_000 });
    expect(await page.locator('tbody tr td:nth-child(3)').allTextContents()).toEqual(
      data.liquidations.map((l) => `#${l.loan.loanId}`),
    );
    await page.screenshot({ path: join(artifacts, 'liquidations.png') });

    const loanId = data.liquidations[0]?.loan.id as string;
    const loan = await graphql<{
      loan: {
        repayments: unknown[];
        collateralChanges: unknown[];
        liquidation: unknown[];
        closure: unknown[];
        installmentCount: number;
      };
    }>(
      `{ loan(id: "${loanId}") { installmentCount repayments { id } collateralChanges { id } liquidation { id } closure { id } } }`,
    );
    await page.locator('tbody tr td:nth-child(3) a').first().click();
    await page.waitForSelector('#loan-title', { timeout: 30_000 });
    expect(await page.locator('#loan-title').textContent()).toContain('liquidated');
    const timeline = page
      .locator('table', { has: page.locator('caption', { hasText: 'Timeline' }) })
      .locator('tbody tr');
    const expected =
      loan.loan.repayments.length +
      loan.loan.collateralChanges.length +
      loan.loan.liquidation.length +
      loan.loan.closure.length;
    expect(await timeline.count()).toBe(expected);
    const installments = page
      .locator('table', { has: page.locator('caption', { hasText: 'Installments' }) })
      .locator('tbody tr');
    expect(await installments.count()).toBe(loan.loan.installmentCount);
    await page.screenshot({ path: join(artifacts, 'loan.png'), fullPage: true });

    await page.goto(`${appUrl}/loans/0x${'00'.repeat(52)}`);
    await page.waitForSelector('text=Loan not found', { timeout: 30_000 });
    await page.close();
  });
});
