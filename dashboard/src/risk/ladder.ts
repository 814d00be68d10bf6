// The liquidation ladder from the subgraph's liquidation-price buckets: how much debt becomes
// liquidatable as BTC falls, without fetching a single loan.
export interface Bucket {
  lowerPriceUSD: string;
  upperPriceUSD: string;
  debt: string;
  collateral: string;
  loanCount: number;
}

export interface LadderStep {
  /** BTC price (USD): at or below it, the step's loans are liquidatable. */
  price: number;
  debtUSD: number;
  /** Debt liquidatable if BTC falls to `price` (this step and every higher one). */
  cumulativeDebtUSD: number;
  loans: number;
}

export function ladder(buckets: Bucket[], debtDecimals: number, currentPrice: number): LadderStep[] {
  const steps = buckets
    .filter((b) => b.loanCount > 0 && Number(b.lowerPriceUSD) <= currentPrice * 1.0001)
    .map((b) => ({
      price: Number(b.lowerPriceUSD),
      debtUSD: Number(BigInt(b.debt)) / 10 ** debtDecimals,
      loans: b.loanCount,
    }))
    .sort((a, b) => b.price - a.price);
  let total = 0;
  return steps.map((step) => {
    total += step.debtUSD;
    return { ...step, cumulativeDebtUSD: total };
  });
}

/** Debt certainly liquidatable if BTC falls by `percent` (buckets whose lower bound is reached). */
export function debtAtRisk(
  buckets: Bucket[],
  debtDecimals: number,
  currentPrice: number,
  percent: number,
): { debtUSD: number; loans: number } {
  const threshold = currentPrice * (1 - percent / 100);
  let debtUSD = 0;
  let loans = 0;
  for (const b of buckets) {
    if (b.loanCount > 0 && Number(b.lowerPriceUSD) >= threshold) {
      debtUSD += Number(BigInt(b.debt)) / 10 ** debtDecimals;
      loans += b.loanCount;
    }
  }
  return { debtUSD, loans };
}

/** Health factor of a bucket's loans at `currentPrice` (price / liquidation price). */
export function bucketHealth(bucket: Bucket, currentPrice: number): number {
  return currentPrice / Number(bucket.lowerPriceUSD);
}

/** Health-factor bins of the distribution: [from, to). */
export const HEALTH_BINS: Array<[number, number]> = [
  [0, 1],
  [1, 1.1],
  [1.1, 1.25],
  [1.25, 1.5],
  [1.5, 2],
  [2, 3],
  [3, Number.POSITIVE_INFINITY],
];

export interface HealthBin {
  from: number;
  to: number;
  debtUSD: number;
  loans: number;
}

/**
 * Open debt by health factor at each market's current price, from the buckets alone (a loan's
 * health factor is price / liquidation price, so a bucket's loans share it to within the
 * bucket's 0.5 % width). Below 1: liquidatable now.
 */
export function healthDistribution(
  markets: Array<{ buckets: Bucket[]; debtDecimals: number; price: number }>,
): HealthBin[] {
  const bins = HEALTH_BINS.map(([from, to]) => ({ from, to, debtUSD: 0, loans: 0 }));
  for (const market of markets) {
    for (const bucket of market.buckets) {
      if (bucket.loanCount === 0) continue;
      const health = bucketHealth(bucket, market.price);
      const bin = bins.find((b) => health >= b.from && health < b.to);
      if (!bin) continue;
      bin.debtUSD += Number(BigInt(bucket.debt)) / 10 ** market.debtDecimals;
      bin.loans += bucket.loanCount;
    }
  }
  return bins;
}
