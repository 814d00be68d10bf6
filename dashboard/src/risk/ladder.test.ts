import { describe, expect, it } from 'vitest';
import { type Bucket, bucketHealth, debtAtRisk, healthDistribution, ladder } from './ladder.js';

const bucket = (lower: number, debtUsd: number, loans = 1): Bucket => ({
  lowerPriceUSD: String(lower),
  upperPriceUSD: String(lower * 1.0116),
  debt: String(BigInt(debtUsd) * 1_000_000n),
  collateral: '0',
  loanCount: loans,
});

describe('liquidation ladder', () => {
  const buckets = [bucket(32_359.37, 26_000), bucket(48_000, 10_000, 2), bucket(40_000, 5_000), bucket(60_000, 0, 0)];

  it('accumulates debt from the highest liquidation price down, skipping empty buckets', () => {
    expect(ladder(buckets, 6, 65_000)).toEqual([
      { price: 48_000, debtUSD: 10_000, cumulativeDebtUSD: 10_000, loans: 2 },
      { price: 40_000, debtUSD: 5_000, cumulativeDebtUSD: 15_000, loans: 1 },
      { price: 32_359.37, debtUSD: 26_000, cumulativeDebtUSD: 41_000, loans: 1 },
    ]);
  });

  it('answers "BTC falls by X %" from the buckets alone', () => {
    expect(debtAtRisk(buckets, 6, 65_000, 30)).toEqual({ debtUSD: 10_000, loans: 2 }); // 45,500
    // 50 %: $32,500 falls inside the lowest bucket, whose loans are not all liquidatable yet.
    expect(debtAtRisk(buckets, 6, 65_000, 50)).toEqual({ debtUSD: 15_000, loans: 3 });
    expect(debtAtRisk(buckets, 6, 65_000, 51)).toEqual({ debtUSD: 41_000, loans: 4 }); // $31,850
    expect(debtAtRisk(buckets, 6, 65_000, 0)).toEqual({ debtUSD: 0, loans: 0 });
  });

  it('gives each bucket its health factor at the current price', () => {
    expect(bucketHealth(bucket(32_500, 1), 65_000)).toBe(2);
  });
});

describe('health-factor distribution', () => {
  it("puts each bucket's debt in the bin of its health factor, over every market", () => {
    const bins = healthDistribution([
      // BTC at 65,000: health 65/70 < 1, 65/60 = 1.083, 65/50 = 1.3, 65/20 = 3.25
      {
        buckets: [bucket(70_000, 1_000), bucket(60_000, 2_000, 2), bucket(50_000, 4_000)],
        debtDecimals: 6,
        price: 65_000,
      },
      { buckets: [bucket(20_000, 8_000), bucket(10_000, 0, 0)], debtDecimals: 6, price: 65_000 },
    ]);
    expect(bins.map((b) => [b.from, b.debtUSD, b.loans])).toEqual([
      [0, 1_000, 1],
      [1, 2_000, 2],
      [1.1, 0, 0],
      [1.25, 4_000, 1],
      [1.5, 0, 0],
      [2, 0, 0],
      [3, 8_000, 1],
    ]);
  });
});
