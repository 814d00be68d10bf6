// The handlers around the loans: risk parameters, compliance approvals, lenders leaving, and a
// collateral top-up, with the snapshot of each hour rolling over to the next.
import type { SubgraphHarness } from 'indexer/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { BORROWER, BTC, DAY, LENDER, MARKET, marketWithLiquidity, openLoan, T0, usd } from './market-fixture.js';

let sg: SubgraphHarness;
beforeAll(async () => {
  sg = await marketWithLiquidity();
});

describe('market administration', () => {
  it('applies new risk parameters to the market and keeps their history', async () => {
    await sg.handleEvent({
      dataSource: 'LoanMarket',
      address: MARKET,
      event: 'RiskParamsUpdated',
      args: {
        maxLtvBps: 6000,
        liquidationLtvBps: 7800,
        liquidationPenaltyBps: 600,
        reserveFactorBps: 1200,
        aprBps: 1000,
        gracePeriod: DAY,
      },
      block: { number: 12, timestamp: T0 + 3_600 },
    });
    expect(sg.get('Market', MARKET)).toMatchObject({
      maxLtvBps: 6000,
      liquidationLtvBps: 7800,
      aprBps: 1000,
      gracePeriod: BigInt(DAY),
    });
    expect(
      sg
        .all('RiskParamsChange')
        .map((c) => c.aprBps)
        .sort(),
    ).toEqual([1000, 900]);
  });

  it('records compliance approvals and revocations per market, with history', async () => {
    const approval = (approved: boolean, block: number) =>
      sg.handleEvent({
        dataSource: 'LoanMarket',
        address: MARKET,
        event: 'BorrowerApprovalSet',
        args: { borrower: BORROWER, approved },
        block: { number: block },
      });
    await approval(true, 13);
    await approval(false, 14);
    expect(sg.get('BorrowerApproval', `${MARKET}${BORROWER.slice(2)}`)).toMatchObject({
      approved: false,
      account: BORROWER,
    });
    expect(sg.all('BorrowerApprovalChange').map((c) => c.approved)).toEqual([true, false]);
  });

  it('takes a lender’s withdrawal out of its position and the market', async () => {
    await sg.handleEvent({
      dataSource: 'LoanMarket',
      address: MARKET,
      event: 'LiquidityWithdrawn',
      args: { lender: LENDER, assets: usd(250_000), shares: usd(250_000) },
      block: { number: 15 },
    });
    expect(sg.all('LenderPosition')).toEqual([
      expect.objectContaining({ shares: usd(750_000), withdrawn: usd(250_000) }),
    ]);
    expect(sg.get('Market', MARKET)).toMatchObject({ availableLiquidity: usd(750_000), totalShares: usd(750_000) });
    expect(sg.all('LiquidityEvent').map((e) => e.direction)).toEqual(['IN', 'OUT']);
  });

  it('adds a collateral top-up to the loan, its bucket and the market', async () => {
    await openLoan(sg, 16, T0 + 2 * 3_600, 1n, BTC, usd(26_000));
    await sg.handleEvent({
      dataSource: 'LoanMarket',
      address: MARKET,
      event: 'CollateralDeposited',
      args: { loanId: 1n, from: BORROWER, amount: BTC, collateralAfter: 2n * BTC },
      block: { number: 17, timestamp: T0 + 2 * 3_600 + 60 },
    });
    const loan = sg.all('Loan')[0];
    // 26,000 USDC plus 60 s of interest over $130,000 of collateral: just over 20 %, rounded up.
    expect(loan).toMatchObject({ collateralAmount: 2n * BTC, ltvBps: 2001 });
    expect(sg.get('LiquidationBucket', loan?.bucket as string)).toMatchObject({ collateral: 2n * BTC, loanCount: 1 });
    expect(sg.get('Market', MARKET)).toMatchObject({ totalCollateral: 2n * BTC });
  });

  it('starts a new hourly snapshot each hour and carries the state over', () => {
    const hours = sg
      .all('MarketSnapshot')
      .filter((s) => s.period === 'HOUR')
      .sort((a, b) => Number(a.periodStart) - Number(b.periodStart));
    expect(hours.map((h) => Number(h.periodStart) - T0)).toEqual([0, 3_600, 7_200]);
    expect(hours[2]).toMatchObject({
      newLoanCount: 1,
      collateral: 2n * BTC,
      openLoanCount: 1,
      availableLiquidity: usd(724_000),
    });
    expect(hours[0]).toMatchObject({ newLoanCount: 0 });
  });
});
