// @vitest-environment node
// The dashboard in real headless Chromium over the real pipeline (test/pipeline.ts): two EDR
// chains with seeded simulations, `indexer run` serving graph-node's API for both, Vite serving
// the app. The numbers on the pages must be the subgraph's, asked here of the same endpoints; a
// screenshot of each view lands in test-artifacts/ (light, dark and a phone's width).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBps, formatUsd, toUnits } from '../src/format/amounts.js';
import { launchBrowser, type Pipeline, graphql as query, root, startPipeline } from './pipeline.js';

const artifacts = join(root, 'test-artifacts');
let pipeline: Pipeline;
let vite: ViteDevServer;
let browser: Browser;
let graphqlUrl: string;
let appUrl: string;

const graphql = <T>(text: string, variables?: Record<string, unknown>) => query<T>(graphqlUrl, text, variables);

async function open(path: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  await page.goto(`${appUrl}${path}`);
  return page;
}

async function close(page: Page) {
  await page.context().close();
}

beforeAll(async () => {
  pipeline = await startPipeline([
    { id: 'a', label: 'Local L2 A', chainId: 31337, seed: 5, loans: 24, days: 45 },
    { id: 'b', label: 'Local L2 B', chainId: 31338, seed: 9, loans: 8, days: 20 },
  ]);
  graphqlUrl = pipeline.networks[0]?.subgraphUrl as string;
  process.env.VITE_NETWORKS = JSON.stringify({ networks: pipeline.networks });
  vite = await createServer({
    root: join(root, 'dashboard'),
    server: { port: 0, host: '127.0.0.1' },
    logLevel: 'error',
  });
  await vite.listen();
  appUrl = vite.resolvedUrls?.local[0]?.replace(/\/$/, '') as string;
  browser = await launchBrowser();
  mkdirSync(artifacts, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
  await pipeline?.stop();
});

describe('dashboard in Chromium', () => {
  it('shows the subgraph’s protocol KPIs, markets and charts on the overview (light, dark, phone)', async () => {
    const data = await graphql<{
      protocols: Array<{ openLoanCount: number; totalDebtUSD: string }>;
      markets: Array<{ name: string; openLoanCount: number }>;
    }>('{ protocols { openLoanCount totalDebtUSD } markets(orderBy: name) { name openLoanCount } }');
    const page = await open('/?range=all');
    const openLoans = page.locator('.kpi', { hasText: 'Open loans' }).locator('dd');
    await openLoans.waitFor({ timeout: 30_000 });
    expect(await openLoans.textContent()).toBe(String(data.protocols[0]?.openLoanCount));
    expect(await page.locator('.kpi', { hasText: 'Debt outstanding' }).locator('dd').textContent()).toBe(
      formatUsd(data.protocols[0]?.totalDebtUSD as string),
    );
    const markets = page.locator('table', { has: page.locator('caption', { hasText: 'Markets' }) });
    for (const market of data.markets) {
      const row = markets.locator('tr', { has: page.locator('th', { hasText: market.name }) });
      expect(await row.locator('td').nth(6).textContent()).toBe(String(market.openLoanCount));
    }
    await page.screenshot({ path: join(artifacts, 'overview.png'), fullPage: true });
    await page.waitForFunction(
      () => document.querySelectorAll('figure.chart .recharts-wrapper > svg').length === 5,
      null,
      {
        timeout: 30_000,
      },
    );
    await page.screenshot({ path: join(artifacts, 'overview.png'), fullPage: true });
    await close(page);

    const dark = await open('/?range=all', { colorScheme: 'dark', viewport: { width: 390, height: 844 } });
    await dark.waitForSelector('figure.chart .recharts-wrapper > svg', { timeout: 30_000 });
    await dark.screenshot({ path: join(artifacts, 'overview-phone-dark.png'), fullPage: true });
    await close(dark);
  });

  it('adds up every network on the all-networks overview', async () => {
    const answers = await Promise.all(
      pipeline.networks.map((n) =>
        query<{ protocols: Array<{ openLoanCount: number; loanCount: number; totalCollateralUSD: string }> }>(
          n.subgraphUrl,
          '{ protocols { openLoanCount loanCount totalCollateralUSD } }',
        ),
      ),
    );
    const protocols = answers.map((a) => a.protocols[0] as (typeof a.protocols)[number]);
    expect(protocols.every((p) => p.loanCount > 0)).toBe(true);
    const page = await open('/?network=all', { colorScheme: 'dark' });
    await page.waitForSelector('#all-title', { timeout: 30_000 });
    const kpi = (label: string) => page.locator('.kpi', { hasText: label }).locator('dd').textContent();
    expect(await kpi('Open loans')).toBe(String(protocols.reduce((sum, p) => sum + p.openLoanCount, 0)));
    expect(await kpi('Collateral locked')).toBe(
      formatUsd(protocols.reduce((sum, p) => sum + Number(p.totalCollateralUSD), 0)),
    );
    const rows = page.locator('table', { has: page.locator('caption', { hasText: 'Networks' }) }).locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).locator('td').nth(3).textContent()).toBe(String(protocols[1]?.openLoanCount));
    await page.screenshot({ path: join(artifacts, 'all-networks-dark.png'), fullPage: true });
    await close(page);
  });

  it('shows the ladder, the health distribution and the most at-risk loans on the risk page', async () => {
    const data = await graphql<{
      markets: Array<{ name: string; latestPriceUSD: string; liquidationBuckets: Array<{ lowerPriceUSD: string }> }>;
      loans: Array<{ loanId: string }>;
      protocols: Array<{ openLoanCount: number }>;
    }>(
      `{ markets(orderBy: name) { name latestPriceUSD liquidationBuckets(first: 1000, where: { loanCount_gt: 0 }) { lowerPriceUSD } }
         loans(first: 10, where: { status: OPEN }, orderBy: liquidationPrice, orderDirection: desc) { loanId }
         protocols { openLoanCount } }`,
    );
    const page = await open('/risk?fall=25');
    await page.waitForSelector('article.panel', { timeout: 30_000 });
    for (const market of data.markets) {
      const expected = market.liquidationBuckets.filter(
        (b) => Number(b.lowerPriceUSD) <= Number(market.latestPriceUSD) * 1.0001,
      ).length;
      const article = page.locator('article.panel', { hasText: market.name });
      expect(await article.locator('tbody tr').count()).toBe(Math.min(expected, 50));
    }
    const atRisk = page.locator('table', { has: page.locator('caption', { hasText: 'Most at-risk' }) });
    expect(await atRisk.locator('tbody tr th').allTextContents()).toEqual(data.loans.map((l) => `#${l.loanId}`));
    const health = page.locator('table', { has: page.locator('caption', { hasText: 'Health-factor' }) });
    const counts = (await health.locator('tbody tr td:nth-child(2)').allTextContents()).map(Number);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(data.protocols[0]?.openLoanCount);
    await page.screenshot({ path: join(artifacts, 'risk.png'), fullPage: true });
    await close(page);
  });

  it('pages positions with cursors: each page equals the subgraph’s rows at that offset', async () => {
    const all = await graphql<{ loans: Array<{ loanId: string }> }>(
      '{ loans(first: 1000, orderBy: debt, orderDirection: desc) { loanId } }',
    );
    const ids = all.loans.map((l) => `#${l.loanId}`);
    expect(ids.length).toBeGreaterThan(10);
    const page = await open('/positions?status=OPEN&sort=debt&size=10');
    const shown = async () => {
      await page.waitForSelector('tbody tr', { timeout: 30_000 });
      return page.locator('tbody tr th').allTextContents();
    };
    // The first page: open loans only, by debt.
    const open1 = await graphql<{ loans: Array<{ loanId: string }> }>(
      '{ loans(first: 30, where: { status: OPEN }, orderBy: debt, orderDirection: desc) { loanId } }',
    );
    const openIds = open1.loans.map((l) => `#${l.loanId}`);
    expect(await shown()).toEqual(openIds.slice(0, 10));
    await page.screenshot({ path: join(artifacts, 'positions.png'), fullPage: true });
    if (openIds.length > 10) {
      await page.getByRole('button', { name: 'Next' }).click();
      await page.waitForURL(/after=/);
      await page.waitForFunction(() => document.querySelector('caption')?.textContent?.includes('page 2'));
      expect(await shown()).toEqual(openIds.slice(10, 20));
      await page.getByRole('button', { name: 'Previous' }).click();
      await page.waitForURL(/before=/);
      await page.waitForFunction(() => document.querySelector('caption')?.textContent?.includes('page 1'));
      expect(await shown()).toEqual(openIds.slice(0, 10));
    }
    // Every status, sorted by opening time: pages 1 to 3 of the repaid loans.
    const repaid = await graphql<{ loans: Array<{ loanId: string }> }>(
      '{ loans(first: 1000, where: { status: REPAID }, orderBy: openedAt, orderDirection: asc) { loanId } }',
    );
    const repaidIds = repaid.loans.map((l) => `#${l.loanId}`);
    await page.goto(`${appUrl}/positions?status=REPAID&sort=openedAt&dir=asc&size=10`);
    for (let pageIndex = 0; pageIndex * 10 < repaidIds.length; pageIndex += 1) {
      await page.waitForFunction(
        (n) => document.querySelector('caption')?.textContent?.includes(`page ${n}`),
        pageIndex + 1,
      );
      expect(await shown()).toEqual(repaidIds.slice(pageIndex * 10, pageIndex * 10 + 10));
      const next = page.getByRole('button', { name: 'Next' });
      if ((pageIndex + 1) * 10 >= repaidIds.length) expect(await next.isDisabled()).toBe(true);
      else await next.click();
    }
    await close(page);
  });

  it('lists the markets and opens a market page with its parameters and their history', async () => {
    const data = await graphql<{
      markets: Array<{
        id: string;
        name: string;
        liquidationLtvBps: number;
        aprBps: number;
        totalPrincipalOutstandingUSD: string;
        riskParamsChanges: Array<{ id: string; liquidationLtvBps: number }>;
      }>;
    }>(
      `{ markets(orderBy: name) { id name liquidationLtvBps aprBps totalPrincipalOutstandingUSD
           riskParamsChanges(first: 100, orderBy: timestamp, orderDirection: desc) { id liquidationLtvBps } } }`,
    );
    const page = await open('/markets?sort=totalPrincipalOutstandingUSD&dir=desc');
    await page.waitForSelector('tbody tr', { timeout: 30_000 });
    const byDebt = [...data.markets].sort(
      (a, b) => Number(b.totalPrincipalOutstandingUSD) - Number(a.totalPrincipalOutstandingUSD),
    );
    expect(await page.locator('tbody tr th').allTextContents()).toEqual(byDebt.map((m) => m.name));
    await page.screenshot({ path: join(artifacts, 'markets.png'), fullPage: true });

    const market =
      data.markets.find((m) => m.riskParamsChanges.length > 1) ?? (data.markets[0] as (typeof data.markets)[number]);
    await page.locator('tbody tr th a', { hasText: market.name }).click();
    await page.waitForSelector('#market-title', { timeout: 30_000 });
    const fact = (label: string) =>
      page
        .locator('.facts div', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
        .locator('dd')
        .textContent();
    expect(await fact('Liquidation LTV')).toBe(formatBps(market.liquidationLtvBps));
    expect(await fact('APR')).toBe(formatBps(market.aprBps));
    const history = page.locator('table', { has: page.locator('caption', { hasText: 'Parameter history' }) });
    expect(await history.locator('tbody tr').count()).toBe(market.riskParamsChanges.length);
    expect(await history.locator('tbody tr td:nth-child(3)').allTextContents()).toEqual(
      market.riskParamsChanges.map((c) => formatBps(c.liquidationLtvBps)),
    );
    // The market's own history charts, drawn before the screenshot.
    await page.waitForFunction(
      () => document.querySelectorAll('figure.chart .recharts-wrapper > svg').length === 5,
      undefined,
      { timeout: 30_000 },
    );
    await page.screenshot({ path: join(artifacts, 'market.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(artifacts, 'market-phone.png'), fullPage: true });

    await page.goto(`${appUrl}/markets/0x${'00'.repeat(20)}`);
    await page.waitForSelector('text=Market not found', { timeout: 30_000 });
    await close(page);
  });

  it('opens an account page with its loans, liquidity and liquidations', async () => {
    const data = await graphql<{
      borrowers: Array<{ id: string; loanCount: number; loans: Array<{ loanId: string; status: string }> }>;
      keepers: Array<{ id: string; liquidationCount: number }>;
    }>(
      `{ borrowers: accounts(first: 1, orderBy: loanCount, orderDirection: desc) {
           id loanCount loans(first: 1000, orderBy: openedAt, orderDirection: desc) { loanId status } }
         keepers: accounts(first: 1, orderBy: liquidationCount, orderDirection: desc) { id liquidationCount } }`,
    );
    const borrower = data.borrowers[0];
    expect(borrower?.loanCount).toBeGreaterThan(0);
    const page = await open(`/accounts/${borrower?.id}`);
    await page.waitForSelector('#account-title', { timeout: 30_000 });
    // Its loans one cursor page of 25 at a time, newest first, as the subgraph orders them.
    const loanIds = borrower?.loans.map((l) => `#${l.loanId}`) ?? [];
    const loans = page.locator('table', { has: page.locator('caption', { hasText: 'Loans (newest first)' }) });
    // The loans are a query of their own, answered after the account's title shows.
    await loans.locator('tbody tr th').first().waitFor({ timeout: 30_000 });
    expect(await loans.locator('tbody tr th').allTextContents()).toEqual(loanIds.slice(0, 25));
    if (loanIds.length > 25) {
      await page.getByRole('button', { name: 'Next' }).click();
      await page.waitForURL(/after=/);
      await page.waitForSelector('caption:has-text("Loans (newest first), page 2")');
      expect(await loans.locator('tbody tr th').allTextContents()).toEqual(loanIds.slice(25, 50));
    }
    const liquidated = page.locator('table', { has: page.locator('caption', { hasText: "this account's loans" }) });
    expect(await liquidated.locator('tbody tr').count()).toBe(
      Math.min(100, borrower?.loans.filter((l) => l.status === 'LIQUIDATED').length ?? 0),
    );
    await page.screenshot({ path: join(artifacts, 'account-borrower.png'), fullPage: true });

    const lender = await graphql<{
      lenderPositions: Array<{ account: { id: string } }>;
    }>('{ lenderPositions(first: 1, orderBy: supplied, orderDirection: desc) { account { id } } }');
    const lenderId = lender.lenderPositions[0]?.account.id as string;
    const positions = await graphql<{
      account: { lenderPositions: Array<{ supplied: string; market: { name: string; debtDecimals: number } }> };
    }>(
      `query($id: ID!) { account(id: $id) { lenderPositions(first: 100) { supplied market { name debtDecimals } } } }`,
      { id: lenderId },
    );
    await page.goto(`${appUrl}/accounts/${lenderId}`);
    await page.waitForSelector('#account-title', { timeout: 30_000 });
    const liquidity = page.locator('table', { has: page.locator('caption', { hasText: 'Lender liquidity' }) });
    await liquidity.locator('tbody tr').first().waitFor({ timeout: 30_000 });
    for (const position of positions.account.lenderPositions) {
      const row = liquidity.locator('tr', { has: page.locator('th', { hasText: position.market.name }) });
      expect(await row.locator('td').first().textContent()).toBe(
        formatUsd(toUnits(position.supplied, position.market.debtDecimals)),
      );
    }

    const keeper = data.keepers[0];
    if (keeper && keeper.liquidationCount > 0) {
      await page.goto(`${appUrl}/accounts/${keeper.id}`);
      const performed = page.locator('table', { has: page.locator('caption', { hasText: 'as a keeper' }) });
      await performed.locator('tbody tr').first().waitFor({ timeout: 30_000 });
      expect(await performed.locator('tbody tr').count()).toBe(Math.min(keeper.liquidationCount, 100));
      await page.screenshot({ path: join(artifacts, 'account-keeper.png'), fullPage: true });
    }
    await page.goto(`${appUrl}/accounts/0x${'00'.repeat(20)}`);
    await page.waitForSelector('text=Account not found', { timeout: 30_000 });
    await page.goto(`${appUrl}/accounts/not-an-address`);
    await page.waitForSelector('text=Account not found', { timeout: 30_000 });
    await close(page);
  });

  it('lists the liquidation history and opens a loan page with its whole timeline', async () => {
    const data = await graphql<{
      liquidations: Array<{ reason: string; loan: { id: string; loanId: string } }>;
    }>('{ liquidations(first: 50, orderBy: timestamp, orderDirection: desc) { reason loan { id loanId } } }');
    expect(data.liquidations.length).toBeGreaterThan(0);
    const page = await open('/liquidations');
    await page.waitForSelector('tbody tr', { timeout: 30_000 });
    expect(await page.locator('tbody tr td:nth-child(3)').allTextContents()).toEqual(
      data.liquidations.map((l) => `#${l.loan.loanId}`),
    );
    await page.screenshot({ path: join(artifacts, 'liquidations.png'), fullPage: true });

    const loanId = data.liquidations[0]?.loan.id as string;
    const loan = await graphql<{
      loan: {
        opening: unknown[];
        repayments: unknown[];
        collateralChanges: unknown[];
        liquidation: unknown[];
        closure: unknown[];
        installmentCount: number;
      };
    }>(
      `{ loan(id: "${loanId}") { installmentCount opening { id } repayments { id } collateralChanges { id } liquidation { id } closure { id } } }`,
    );
    await page.locator('tbody tr td:nth-child(3) a').first().click();
    await page.waitForSelector('#loan-title', { timeout: 30_000 });
    expect(await page.locator('#loan-title').textContent()).toContain('liquidated');
    const timeline = page
      .locator('table', { has: page.locator('caption', { hasText: 'Timeline' }) })
      .locator('tbody tr');
    const expected =
      loan.loan.opening.length +
      loan.loan.repayments.length +
      loan.loan.collateralChanges.length +
      loan.loan.liquidation.length +
      loan.loan.closure.length;
    expect(await timeline.count()).toBe(expected);
    // Oldest first: the opening is the first row.
    expect(await timeline.first().locator('td').nth(1).textContent()).toMatch(/^Opened: /);
    const installments = page
      .locator('table', { has: page.locator('caption', { hasText: 'Installments' }) })
      .locator('tbody tr');
    expect(await installments.count()).toBe(loan.loan.installmentCount);
    // The LTV chart: one dot per event of the timeline.
    const dots = page.locator('figure', { hasText: 'LTV at each event' }).locator('.recharts-line-dots circle');
    await dots.first().waitFor({ timeout: 30_000 });
    expect(await dots.count()).toBe(expected);
    await page.screenshot({ path: join(artifacts, 'loan.png'), fullPage: true });

    await page.goto(`${appUrl}/loans/0x${'00'.repeat(52)}`);
    await page.waitForSelector('text=Loan not found', { timeout: 30_000 });
    await close(page);
  });
});
