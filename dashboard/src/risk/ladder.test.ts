import { describe, expect, it } from 'vitest';
import { type Bucket, bucketHealth, debtAtRisk, ladder } from './ladder.js';

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
