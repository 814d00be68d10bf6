// The loan lifecycle on a real chain, against hand-computed figures for the WBTC/USDC market
// (maxLtv 65 %, liquidation LTV 80 %, penalty 5 %, reserve factor 10 %, APR 9 %, grace 3 days,
// prices older than 2 days refused). USDC has 6 decimals, WBTC and the feed 8.
import type { Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abis, fund, type Protocol, startProtocol } from './protocol.js';

const DAY = 86_400n;
const USDC = 10n ** 6n;
const BTC = 10n ** 8n;
const usd = (dollars: number) => BigInt(dollars) * USDC;
const price = (dollars: number) => BigInt(dollars) * 10n ** 8n;

let p: Protocol;
let market: Address;
let feed: Address;
let governance: Address;
let lender: Address;
let borrower: Address;
let keeper: Address;
let stranger: Address;

beforeAll(async () => {
  p = await startProtocol();
  const m = p.deployment.markets[0];
  if (!m) throw new Error('no market');
  market = m.address;
  feed = m.priceFeed;
  [governance, keeper, lender, borrower, stranger] = p.accounts as [Address, Address, Address, Address, Address];
  for (const account of [lender, borrower, keeper, stranger]) await fund(p, account);
});
afterAll(async () => {
  await p?.stop();
});

const loan = (id: bigint) =>
  p.read<readonly [Address, number, bigint, bigint, bigint, number, bigint, bigint, bigint]>(
    market,
    abis.market,
    'getLoan',
    [id],
  );
const pushPrice = (dollars: number) => p.write(governance, feed, abis.feed, 'updateAnswer', [price(dollars)]);

describe('LoanMarket', () => {
  it('gives the first lender shares 1:1 and emits LiquiditySupplied', async () => {
    const receipt = await p.write(lender, market, abis.market, 'supply', [usd(1_000_000)]);
    expect(p.events(receipt)).toEqual([
      {
        eventName: 'LiquiditySupplied',
        args: { lender: expect.stringMatching(/0x/i), assets: usd(1_000_000), shares: usd(1_000_000) },
      },
    ]);
  });

  it('refuses borrowers that compliance has not approved', async () => {
    expect(await p.revertOf(borrower, market, abis.market, 'openLoan', [BTC, usd(26_000), 4, 30n * DAY])).toBe(
      'BorrowerNotApproved',
    );
    expect(await p.revertOf(stranger, market, abis.market, 'setBorrowerApproval', [borrower, true])).toBe(
      'AccessControlUnauthorizedAccount',
    );
    const receipt = await p.write(governance, market, abis.market, 'setBorrowerApproval', [borrower, true]);
    expect(p.events(receipt)[0]).toMatchObject({ eventName: 'BorrowerApprovalSet', args: { approved: true } });
  });

  it('refuses a loan above maxLtv, a bad schedule and more than the liquidity', async () => {
    expect(await p.revertOf(borrower, market, abis.market, 'openLoan', [BTC, usd(42_300), 4, 30n * DAY])).toBe(
      'LtvTooHigh',
    );
    expect(await p.revertOf(borrower, market, abis.market, 'openLoan', [BTC, usd(1_000), 0, 30n * DAY])).toBe(
      'InvalidSchedule',
    );
    expect(
      await p.revertOf(borrower, market, abis.market, 'openLoan', [100n * BTC, usd(2_000_000), 4, 30n * DAY]),
    ).toBe('InsufficientLiquidity');
  });

  let opened: bigint;
  it('opens a 26,000 USDC loan on 1 BTC at $65,000 (LTV 40 %), 4 monthly installments', async () => {
    const receipt = await p.write(borrower, market, abis.market, 'openLoan', [BTC, usd(26_000), 4, 30n * DAY]);
    const [event] = p.events(receipt).filter((e) => e.eventName === 'LoanOpened');
    opened = await p.now();
    expect(event?.args).toMatchObject({
      loanId: 1n,
      collateralAmount: BTC,
      principal: usd(26_000),
      aprBps: 900,
      installmentCount: 4,
      installmentInterval: 30n * DAY,
      maturity: opened + 120n * DAY,
      price: price(65_000),
    });
    expect(await loan(1n)).toEqual([
      expect.any(String),
      0,
      BTC,
      usd(26_000),
      usd(26_000),
      900,
      opened,
      opened + 120n * DAY,
      opened + 30n * DAY,
    ]);
    expect(await p.read(market, abis.market, 'totalCollateral')).toBe(BTC);
  });

  it('accrues simple interest per second: 26,000 x 9 % x 30/365 = 192.328767 USDC', async () => {
    await p.setTime(opened + 30n * DAY);
    await p.rpc.call('evm_mine', []);
    expect(await p.read(market, abis.market, 'debtOf', [1n])).toBe(usd(26_000) + 192_328_767n);
  });

  it('takes a payment as interest first, then principal, and moves the next due date', async () => {
    expect(await p.revertOf(borrower, market, abis.market, 'repay', [1n, 100n])).toBe('PaymentBelowInterest');
    await p.setTime(opened + 30n * DAY + 1n);
    // One second later: 26,000e6 x 900 x 2,592,001 / (10,000 x 31,536,000) = 192,328,841.
    const receipt = await p.write(borrower, market, abis.market, 'repay', [1n, 192_328_841n + usd(6_500)]);
    expect(p.events(receipt)[0]?.args).toMatchObject({
      loanId: 1n,
      amount: 192_328_841n + usd(6_500),
      interestPaid: 192_328_841n,
      principalPaid: usd(6_500),
      principalOutstanding: usd(19_500),
      nextDueAt: opened + 60n * DAY,
    });
    // 10 % of the interest, rounded down, goes to the reserve.
    expect(await p.read(market, abis.market, 'reserveBalance')).toBe(19_232_884n);
  });

  it('lets the borrower withdraw collateral only while LTV stays under maxLtv', async () => {
    await pushPrice(65_000);
    expect(await p.revertOf(stranger, market, abis.market, 'withdrawCollateral', [1n, BTC / 10n])).toBe('NotBorrower');
    expect(await p.revertOf(borrower, market, abis.market, 'withdrawCollateral', [1n, (BTC * 6n) / 10n])).toBe(
      'LtvTooHigh',
    );
    const receipt = await p.write(borrower, market, abis.market, 'withdrawCollateral', [1n, BTC / 10n]);
    expect(p.events(receipt)[0]).toMatchObject({
      eventName: 'CollateralWithdrawn',
      args: { loanId: 1n, amount: BTC / 10n, collateralAfter: (BTC * 9n) / 10n },
    });
    const deposit = await p.write(stranger, market, abis.market, 'depositCollateral', [1n, BTC / 10n]);
    expect(p.events(deposit)[0]).toMatchObject({
      eventName: 'CollateralDeposited',
      args: { loanId: 1n, amount: BTC / 10n, collateralAfter: BTC },
    });
  });

  it('refuses stale prices', async () => {
    await p.setTime(opened + 33n * DAY);
    await p.rpc.call('evm_mine', []);
    expect(await p.revertOf(borrower, market, abis.market, 'withdrawCollateral', [1n, 1n])).toBe('StalePrice');
  });

  it('is liquidatable for DEFAULT only after the grace period, and settles with the penalty', async () => {
    await p.setTime(opened + 63n * DAY);
    await pushPrice(65_000);
    expect(await p.read(market, abis.market, 'liquidatable', [1n])).toEqual([false, 0]);
    expect(await p.revertOf(keeper, market, abis.market, 'liquidate', [1n])).toBe('NotLiquidatable');
    const liquidatedAt = opened + 63n * DAY + 1n;
    await p.setTime(liquidatedAt);
    await p.rpc.call('evm_mine', []);
    expect(await p.read(market, abis.market, 'liquidatable', [1n])).toEqual([true, 1]);
    const at = liquidatedAt + 1n;
    await p.setTime(at);
    const receipt = await p.write(keeper, market, abis.market, 'liquidate', [1n]);
    // Debt: 19,500 USDC + interest since the payment at day 30 + 1 s.
    const interest = (usd(19_500) * 900n * (at - (opened + 30n * DAY + 1n))) / (10_000n * 365n * DAY);
    const debt = usd(19_500) + interest;
    // Collateral worth debt x 1.05 at $65,000: debt x 1.05 x 1e10 / 65,000e8, rounded down.
    const seized = (((debt * 10_500n) / 10_000n) * 10n ** 10n) / price(65_000);
    expect(p.events(receipt).find((e) => e.eventName === 'LoanLiquidated')?.args).toMatchObject({
      loanId: 1n,
      reason: 1,
      debtRepaid: debt,
      collateralSeized: seized,
      collateralReturned: BTC - seized,
      badDebt: 0n,
      reserveCovered: 0n,
      price: price(65_000),
    });
    expect((await loan(1n))[1]).toBe(2);
    expect(await p.revertOf(borrower, market, abis.market, 'repay', [1n, usd(1)])).toBe('LoanNotOpen');
  });

  it('liquidates for PRICE, and a crash below the penalty leaves bad debt that the reserve covers first', async () => {
    await pushPrice(65_000);
    await p.write(borrower, market, abis.market, 'openLoan', [BTC, usd(42_000), 2, 30n * DAY]);
    await pushPrice(44_000);
    expect(await p.read(market, abis.market, 'liquidatable', [2n])).toEqual([true, 0]);
    const reserveBefore = await p.read<bigint>(market, abis.market, 'reserveBalance');
    const receipt = await p.write(keeper, market, abis.market, 'liquidate', [2n]);
    const event = p.events(receipt).find((e) => e.eventName === 'LoanLiquidated')?.args as {
      badDebt: bigint;
      reserveCovered: bigint;
    };
    // All the collateral goes; the liquidator pays its value discounted by the 5 % penalty.
    const debtRepaid = (usd(44_000) * 10_000n) / 10_500n;
    expect(event).toMatchObject({ reason: 0, collateralSeized: BTC, collateralReturned: 0n, debtRepaid });
    expect(event.badDebt).toBeGreaterThan(usd(42_000) - debtRepaid - 1n);
    // biome-ignore lint/complexity/useMathMinMax: Math.min does not take bigints
    expect(event.reserveCovered).toBe(reserveBefore < event.badDebt ? reserveBefore : event.badDebt);
    expect(await p.read(market, abis.market, 'totalBadDebt')).toBe(event.badDebt);
    expect(await p.read(market, abis.market, 'reserveBalance')).toBe(reserveBefore - event.reserveCovered);
  });

  it('closes a fully repaid loan and returns the collateral', async () => {
    await pushPrice(65_000);
    await p.write(borrower, market, abis.market, 'openLoan', [BTC, usd(10_000), 1, 7n * DAY]);
    const debt = await p.read<bigint>(market, abis.market, 'debtOf', [3n]);
    const receipt = await p.write(borrower, market, abis.market, 'repay', [3n, debt + usd(100)]);
    const events = p.events(receipt);
    expect(events.map((e) => e.eventName)).toEqual(['LoanRepaid', 'LoanClosed']);
    expect(events[0]?.args).toMatchObject({ principalOutstanding: 0n, nextDueAt: 0n, principalPaid: usd(10_000) });
    expect(events[1]?.args).toMatchObject({ loanId: 3n, collateralReturned: BTC });
    expect((await loan(3n))[1]).toBe(1);
  });

  it('pays lenders back at the share price, which interest raised', async () => {
    const shares = await p.read<bigint>(market, abis.market, 'sharesOf', [lender]);
    expect(await p.revertOf(lender, market, abis.market, 'withdraw', [shares + 1n])).toBe('InsufficientShares');
    const receipt = await p.write(lender, market, abis.market, 'withdraw', [shares / 2n]);
    const event = p.events(receipt)[0]?.args as { assets: bigint; shares: bigint };
    const assets =
      (await p.read<bigint>(market, abis.market, 'availableLiquidity')) +
      event.assets +
      (await p.read<bigint>(market, abis.market, 'totalPrincipalOutstanding'));
    expect(event.shares).toBe(shares / 2n);
    expect(event.assets).toBe(((shares / 2n) * assets) / shares);
  });

  it('applies new risk parameters and refuses inconsistent ones', async () => {
    const params = {
      maxLtvBps: 6000,
      liquidationLtvBps: 7800,
      liquidationPenaltyBps: 600,
      reserveFactorBps: 1200,
      aprBps: 1000,
      gracePeriod: 86_400,
    };
    expect(await p.revertOf(governance, market, abis.market, 'setRiskParams', [{ ...params, maxLtvBps: 7900 }])).toBe(
      'InvalidRiskParams',
    );
    const receipt = await p.write(governance, market, abis.market, 'setRiskParams', [params]);
    expect(p.events(receipt)[0]).toEqual({ eventName: 'RiskParamsUpdated', args: params });
  });
});
