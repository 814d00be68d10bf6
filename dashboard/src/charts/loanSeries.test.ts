import { describe, expect, it } from 'vitest';
import { buildLoanSeries, buildPriceSeries, type LoanEvents } from './loanSeries.js';

// 8-decimal BTC and feed, 6-decimal USD, liquidation at 80 % LTV.
const market = { collateralDecimals: 8, debtDecimals: 6, priceFeedDecimals: 8, liquidationLtvBps: 8000 };
const opening = {
  id: '0x01',
  timestamp: '1000',
  collateralAmount: '100000000', // 1 BTC
  principal: '30000000000', // 30,000 USD
  price: '6000000000000', // 60,000 USD
  ltvBps: 5000,
};
const deposit = {
  id: '0x02',
  timestamp: '2000',
  collateralAfter: '200000000', // 2 BTC
  ltvBpsAfter: 2500,
  liquidationPriceAfter: '1875000000000', // 18,750 USD, as the subgraph recorded it
};
const repayment = { id: '0x03', timestamp: '3000', principalOutstandingAfter: '20000000000', ltvBpsAfter: 2000 };
const liquidated: LoanEvents = {
  market,
  opening: [opening],
  // Given out of order: the series sorts by time.
  repayments: [repayment],
  collateralChanges: [deposit],
  liquidation: [
    {
      id: '0x04',
      timestamp: '4000',
      collateralBefore: '200000000',
      debt: '20100000000', // 20,100 USD with interest
      priceUSD: '12000',
      ltvBps: 8375,
    },
  ],
  closure: [],
};

describe('buildLoanSeries', () => {
  it('has one point per event with the state after it (the state found, for a liquidation)', () => {
    const points = buildLoanSeries(liquidated);
    expect(points.map((p) => [p.t, p.kind, p.collateral, p.debt, p.ltv, p.liquidationPrice, p.price])).toEqual([
      // 30,000 / (1 BTC x 0.8) = 37,500
      [1000, 'opened', 1, 30_000, 0.5, 37_500, 60_000],
      // the deposit's own liquidation price; debt unchanged
      [2000, 'collateral', 2, 30_000, 0.25, 18_750, null],
      // 20,000 / (2 BTC x 0.8) = 12,500
      [3000, 'repayment', 2, 20_000, 0.2, 12_500, null],
      // 20,100 / (2 BTC x 0.8) = 12,562.5
      [4000, 'liquidated', 2, 20_100, 0.8375, 12_562.5, 12_000],
    ]);
  });

  it('ends a repaid loan at its closure, after the final repayment of the same transaction', () => {
    const repaid: LoanEvents = {
      market,
      opening: [opening],
      repayments: [{ ...repayment, principalOutstandingAfter: '0', ltvBpsAfter: 0 }],
      collateralChanges: [],
      liquidation: [],
      closure: [{ id: '0x05', timestamp: '3000' }],
    };
    expect(buildLoanSeries(repaid).map((p) => [p.kind, p.collateral, p.debt, p.ltv, p.liquidationPrice])).toEqual([
      ['opened', 1, 30_000, 0.5, 37_500],
      ['repayment', 1, 0, 0, 0],
      ['closed', 0, 0, 0, null],
    ]);
  });
});

describe('buildPriceSeries', () => {
  it('merges the closes with the events and carries the liquidation price forward', () => {
    const snapshots = [
      { periodStart: '0', priceClose: '0' }, // the feed before its first answer: no price
      { periodStart: '1000', priceClose: '5900000000000' },
      { periodStart: '3600', priceClose: '5000000000000' },
    ];
    expect(buildPriceSeries(buildLoanSeries(liquidated), snapshots, 8)).toEqual([
      { t: 1000, btc: 59_000, liquidation: null },
      { t: 1000, btc: 60_000, liquidation: 37_500 },
      { t: 2000, btc: 60_000, liquidation: 18_750 },
      { t: 3000, btc: 60_000, liquidation: 12_500 },
      { t: 3600, btc: 50_000, liquidation: 12_500 },
      { t: 4000, btc: 12_000, liquidation: 12_562.5 },
    ]);
  });
});
