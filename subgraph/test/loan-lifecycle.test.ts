// Every handler through the compiled WASM, against figures computed by hand with the contract's
// formulas (contracts/solidity/LoanMarket.sol).

import type { SubgraphHarness } from 'indexer/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BORROWER,
  BTC,
  DAY,
  FACTORY,
  KEEPER,
  LENDER,
  loanId,
  MARKET,
  marketWithLiquidity,
  openLoan,
  price,
  pushPrice,
  T0,
  usd,
} from './market-fixture.js';

let sg: SubgraphHarness;
const LOAN1 = loanId(MARKET, 1n);
const opened = T0 + DAY;

beforeAll(async () => {
  sg = await marketWithLiquidity();
});

describe('market creation', () => {
  it('creates the protocol, the market with its parameters and metadata, and its tokens', () => {
    expect(sg.get('Protocol', FACTORY)).toMatchObject({
      marketCount: 1,
      loanCount: 0,
      totalLenderAssetsUSD: '1000000',
    });
    expect(sg.get('Market', MARKET)).toMatchObject({
      name: 'WBTC/USDC',
      collateralDecimals: 8,
      debtDecimals: 6,
      priceFeedDescription: 'BTC / USD',
      maxLtvBps: 6500,
      liquidationLtvBps: 8000,
      latestPrice: price(65_000),
      latestPriceUSD: '65000',
      availableLiquidity: usd(1_000_000),
      totalShares: usd(1_000_000),
    });
    expect(
      sg
        .all('Token')
        .map((t) => t.symbol)
        .sort(),
    ).toEqual(['USDC', 'WBTC']);
    expect(sg.all('RiskParamsChange')).toHaveLength(1);
  });

  it('starts the LoanMarket and PriceFeed templates at the creation block, the feed with its market as context', () => {
    expect(sg.dataSources()).toEqual([
      { template: 'LoanMarket', address: MARKET, context: null, startBlock: 10 },
      {
        template: 'PriceFeed',
        address: '0x2222222222222222222222222222222222222222',
        context: [['market', 'Bytes', MARKET]],
        startBlock: 10,
      },
    ]);
  });

  it('records lender positions', () => {
    expect(sg.all('LenderPosition')).toEqual([
      expect.objectContaining({ account: LENDER, shares: usd(1_000_000), supplied: usd(1_000_000), withdrawn: 0n }),
    ]);
  });
});

describe('a loan from opening to liquidation', () => {
  it('opens: LTV 40 %, liquidation price $32,500, health factor 2, bucketed by liquidation price', async () => {
    await openLoan(sg, 12, opened, 1n, BTC, usd(26_000));
    const loan = sg.get('Loan', LOAN1);
    expect(loan).toMatchObject({
      status: 'OPEN',
      collateralAmount: BTC,
      principalOutstanding: usd(26_000),
      installmentAmount: usd(6_500),
      nextDueAt: BigInt(opened + 30 * DAY),
      defaultsAt: BigInt(opened + 33 * DAY),
      ltvBps: 4000,
      healthFactor: '2',
      liquidationPrice: price(32_500),
      liquidationPriceUSD: '32500',
    });
    expect(sg.get('LiquidationBucket', loan?.bucket as string)).toMatchObject({
      debt: usd(26_000),
      collateral: BTC,
      loanCount: 1,
      lowerPriceUSD: '32359.37',
      upperPriceUSD: '32734.07',
    });
    expect(sg.get('Market', MARKET)).toMatchObject({
      totalCollateral: BTC,
      totalPrincipalOutstanding: usd(26_000),
      availableLiquidity: usd(974_000),
      openLoanCount: 1,
      ltvBps: 4000,
      utilizationBps: 260,
    });
    expect(sg.get('Account', BORROWER)).toMatchObject({ loanCount: 1, openLoanCount: 1 });
  });

  it('repays: interest first, 10 % of it to the reserve, next due date moves, loan changes bucket', async () => {
    // 26,000e6 x 900 x 2,592,001 s / (10,000 x 31,536,000) = 192,328,841
    const interest = 192_328_841n;
    await sg.handleEvent({
      dataSource: 'LoanMarket',
      address: MARKET,
      event: 'LoanRepaid',
      args: {
        loanId: 1n,
        payer: BORROWER,
        amount: interest + usd(6_500),
        interestPaid: interest,
        principalPaid: usd(6_500),
        principalOutstanding: usd(19_500),
        nextDueAt: BigInt(opened + 60 * DAY),
      },
      block: { number: 13, timestamp: opened + 30 * DAY + 1 },
    });
    const loan = sg.get('Loan', LOAN1);
    expect(loan).toMatchObject({
      principalOutstanding: usd(19_500),
      interestPaid: interest,
      installmentsPaid: 1,
      nextDueAt: BigInt(opened + 60 * DAY),
      liquidationPrice: price(24_375),
    });
    const [repayment] = sg.all('Repayment');
    expect(repayment).toMatchObject({ reserveCut: 19_232_884n, late: true, principalOutstandingBefore: usd(26_000) });
    expect(sg.get('Market', MARKET)).toMatchObject({
      reserveBalance: 19_232_884n,
      availableLiquidity: usd(974_000) + usd(6_500) + interest - 19_232_884n,
      cumulativeInterestPaid: interest,
    });
    const buckets = sg.all('LiquidationBucket');
    expect(buckets.filter((b) => b.loanCount === 1)).toEqual([
      expect.objectContaining({ id: loan?.bucket, debt: usd(19_500) }),
    ]);
    expect(buckets.filter((b) => b.loanCount === 0)).toEqual([expect.objectContaining({ debt: 0n, collateral: 0n })]);
  });

  it('records a collateral withdrawal with LTV and liquidation price before and after', async () => {
    await pushPrice(sg, 14, opened + 31 * DAY, 65_000);
    await sg.handleEvent({
      dataSource: 'LoanMarket',
      address: MARKET,
      event: 'CollateralWithdrawn',
      args: { loanId: 1n, to: BORROWER, amount: BTC / 10n, collateralAfter: (BTC * 9n) / 10n },
      block: { number: 14 },
    });
    const [change] = sg.all('CollateralChange');
    // Debt now: 19,500 USDC + 86,399 s of 9 % interest = 19,504.808163 USDC.
    const debt = usd(19_500) + (usd(19_500) * 900n * 86_399n) / (10_000n * 365n * 86_400n);
    expect(debt).toBe(19_504_808_163n);
    // Liquidation price = debt / (0.9 BTC x 80 %), in the feed's 8 decimals: $27,090.01
    expect(change).toMatchObject({
      direction: 'OUT',
      collateralBefore: BTC,
      collateralAfter: (BTC * 9n) / 10n,
      liquidationPriceBefore: price(24_375),
      liquidationPriceAfter: (debt * 10_000n * 10n ** 10n) / (((BTC * 9n) / 10n) * 8_000n),
      ltvBpsAfter: 3335, // 19,504.81 / 58,500 = 33.342 %, rounded up
    });
    expect(sg.get('Market', MARKET)).toMatchObject({ totalCollateral: (BTC * 9n) / 10n });
  });

  it('liquidates for DEFAULT: the loan, the market totals, the keeper and the buckets follow', async () => {
    const debt = usd(19_600);
    const seized = 31_661_538n; // debt x 1.05 at $65,000
    await sg.handleEvent({
      dataSource: 'LoanMarket',
      address: MARKET,
      event: 'LoanLiquidated',
      args: {
        loanId: 1n,
        liquidator: KEEPER,
        reason: 1,
        debtRepaid: debt,
        collateralSeized: seized,
        collateralReturned: (BTC * 9n) / 10n - seized,
        badDebt: 0n,
        reserveCovered: 0n,
        price: price(65_000),
      },
      block: { number: 15, timestamp: opened + 64 * DAY },
    });
    expect(sg.get('Loan', LOAN1)).toMatchObject({
      status: 'LIQUIDATED',
      collateralAmount: 0n,
      principalOutstanding: 0n,
      nextDueAt: null,
      liquidationPrice: null,
      bucket: null,
      closedAt: BigInt(opened + 64 * DAY),
    });
    expect(sg.all('Liquidation')).toEqual([
      expect.objectContaining({ reason: 'DEFAULT', debt, liquidator: KEEPER, ltvBps: 3351, priceUSD: '65000' }),
    ]);
    expect(sg.get('Market', MARKET)).toMatchObject({
      totalCollateral: 0n,
      totalPrincipalOutstanding: 0n,
      openLoanCount: 0,
      defaultLiquidationCount: 1,
      cumulativeCollateralSeized: seized,
    });
    expect(sg.get('Account', KEEPER)).toMatchObject({ liquidationCount: 1 });
    expect(sg.all('LiquidationBucket').every((b) => b.debt === 0n && b.loanCount === 0)).toBe(true);
    expect(sg.get('Protocol', FACTORY)).toMatchObject({
      openLoanCount: 0,
      defaultLiquidationCount: 1,
      totalDebtUSD: '0',
    });
  });
});

describe('bad debt, repayment in full, and the assumptions the mapping checks', () => {
  it('records bad debt the reserve covers first', async () => {
    await pushPrice(sg, 20, opened + 70 * DAY, 65_000);
    await openLoan(sg, 20, opened + 70 * DAY, 2n, BTC, usd(42_000));
    await pushPrice(sg, 21, opened + 70 * DAY + 3_600, 44_000);
    const debtRepaid = (usd(44_000) * 10_000n) / 10_500n;
    const badDebt = usd(42_000) + 4_315n - debtRepaid;
    await sg.handleEvent({
      dataSource: 'LoanMarket',
      address: MARKET,
      event: 'LoanLiquidated',
      args: {
        loanId: 2n,
        liquidator: KEEPER,
        reason: 0,
        debtRepaid,
        collateralSeized: BTC,
        collateralReturned: 0n,
        badDebt,
        reserveCovered: 19_232_884n,
        price: price(44_000),
      },
      block: { number: 21 },
    });
    expect(sg.all('BadDebtRealization')).toEqual([
      expect.objectContaining({ badDebt, reserveCovered: 19_232_884n, lenderLoss: badDebt - 19_232_884n }),
    ]);
    expect(sg.get('Market', MARKET)).toMatchObject({
      reserveBalance: 0n,
      totalBadDebt: badDebt,
      priceLiquidationCount: 1,
    });
  });

  it('closes a loan repaid in full and returns its collateral', async () => {
    await pushPrice(sg, 30, opened + 80 * DAY, 65_000);
    await openLoan(sg, 30, opened + 80 * DAY, 3n, BTC, usd(10_000), 1);
    const args = {
      loanId: 3n,
      payer: BORROWER,
      amount: usd(10_000),
      interestPaid: 0n,
      principalPaid: usd(10_000),
      principalOutstanding: 0n,
      nextDueAt: 0n,
    };
    await sg.handleEvent({
      dataSource: 'LoanMarket',
      address: MARKET,
      event: 'LoanRepaid',
      args,
      block: { number: 31 },
    });
    await sg.handleEvent({
      dataSource: 'LoanMarket',
      address: MARKET,
      event: 'LoanClosed',
      args: { loanId: 3n, collateralReturned: BTC },
      block: { number: 31 },
    });
    expect(sg.get('Loan', loanId(MARKET, 3n))).toMatchObject({
      status: 'REPAID',
      installmentsPaid: 1,
      collateralAmount: 0n,
    });
    expect(sg.get('Market', MARKET)).toMatchObject({ repaidLoanCount: 1, openLoanCount: 0, totalCollateral: 0n });
    expect(sg.get('Account', BORROWER)).toMatchObject({ loanCount: 3, openLoanCount: 0 });
  });

  it('fails loudly on a collateral change for a closed loan, naming handler and block, and writes nothing', async () => {
    const before = sg.all('CollateralChange').length;
    await expect(
      sg.handleEvent({
        dataSource: 'LoanMarket',
        address: MARKET,
        event: 'CollateralDeposited',
        args: { loanId: 3n, from: BORROWER, amount: BTC, collateralAfter: BTC },
        block: { number: 40 },
      }),
    ).rejects.toThrow(
      /Critical error logged in mapping with message: loan 3 of market .* is REPAID .* in handler `handleCollateralDeposited` at block #40/,
    );
    expect(sg.all('CollateralChange')).toHaveLength(before);
  });
});

describe('snapshots', () => {
  it('keeps one market snapshot per day and hour, with the period open/high/low/close price and activity', () => {
    const days = sg.all('MarketSnapshot').filter((s) => s.period === 'DAY');
    const crashDay = days.find((s) => s.periodStart === BigInt(Math.floor((opened + 70 * DAY) / DAY) * DAY));
    expect(crashDay).toMatchObject({
      priceOpen: price(65_000),
      priceHigh: price(65_000),
      priceLow: price(44_000),
      priceClose: price(44_000),
      newLoanCount: 1,
      newLoanVolume: usd(42_000),
      priceLiquidationCount: 1,
    });
    expect(new Set(days.map((s) => s.id)).size).toBe(days.length);
    expect(sg.all('MarketSnapshot').filter((s) => s.period === 'HOUR').length).toBeGreaterThan(days.length);
    expect(sg.all('ProtocolSnapshot').length).toBeGreaterThan(0);
  });
});
