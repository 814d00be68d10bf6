import { describe, expect, it } from 'vitest';
import type { SnapshotsData } from '../graphql/queries.js';
import { buildSeries, rangeStart } from './series.js';

const day = 86_400;
const protocolSnapshot = (t: number, collateral: string, newLoanCount: number) => ({
  periodStart: String(t),
  totalCollateralUSD: collateral,
  totalDebtUSD: '50',
  collateralizationRatio: '2',
  newLoanCount,
  repaymentCount: 1,
  priceLiquidationCount: 0,
  defaultLiquidationCount: 1,
});
const market = { id: '0x01', name: 'WBTC/USDC', priceFeedDecimals: 8 };

describe('buildSeries', () => {
  it('fills the periods without a snapshot: levels carried forward, flows zero', () => {
    const data: SnapshotsData = {
      protocolSnapshots: [protocolSnapshot(10 * day, '100', 3), protocolSnapshot(13 * day, '80', 1)],
      marketSnapshots: [
        { periodStart: String(9 * day), priceClose: '0', market },
        { periodStart: String(10 * day), priceClose: '6000000000000', market },
        { periodStart: String(12 * day), priceClose: '5500000000000', market },
      ],
    };
    const points = buildSeries(data, day, 0, 14 * day);
    expect(points.map((p) => p.t)).toEqual([10, 11, 12, 13, 14].map((d) => d * day));
    expect(points.map((p) => p.collateral)).toEqual([100, 100, 100, 80, 80]);
    expect(points.map((p) => p.newLoans)).toEqual([3, 0, 0, 1, 0]);
    expect(points.map((p) => p.defaultLiquidations)).toEqual([1, 0, 0, 1, 0]);
    // The feed's 0 before its first answer is no price, not a fall to zero.
    expect(points.map((p) => p.prices['WBTC/USDC'])).toEqual([60_000, 60_000, 55_000, 55_000, 55_000]);
  });

  it('is empty without snapshots (the chart shows its empty state)', () => {
    expect(buildSeries({ protocolSnapshots: [], marketSnapshots: [] }, day, 0, 10 * day)).toEqual([]);
  });
});

describe('rangeStart', () => {
  it('aligns to the period and covers exactly the range', () => {
    const now = 100 * day + 5000;
    expect(rangeStart('30d', now)).toBe(71 * day);
    expect(rangeStart('24h', now)).toBe(99 * day + 7200);
    expect(rangeStart('all', now)).toBe(0);
  });
});
