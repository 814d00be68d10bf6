// Chart series from the subgraph's hourly or daily snapshots. A snapshot exists only for a
// period with an event, so the gaps are filled: levels (collateral, debt, ratio, price) carry
// the previous period's value, flows (new loans, repayments, liquidations) are zero.
import type { SnapshotsData } from '../graphql/queries.js';

export const RANGES = {
  '24h': { label: '24 hours', seconds: 86_400, period: 'HOUR' },
  '7d': { label: '7 days', seconds: 7 * 86_400, period: 'HOUR' },
  '30d': { label: '30 days', seconds: 30 * 86_400, period: 'DAY' },
  '90d': { label: '90 days', seconds: 90 * 86_400, period: 'DAY' },
  '1y': { label: '1 year', seconds: 365 * 86_400, period: 'DAY' },
  all: { label: 'All', seconds: null, period: 'DAY' },
} as const;
export type Range = keyof typeof RANGES;

export const stepOf = (period: 'HOUR' | 'DAY') => (period === 'HOUR' ? 3600 : 86_400);

/** First period start of a range ending at `now` (chain time), aligned to the period. */
export function rangeStart(range: Range, now: number): number {
  const { seconds, period } = RANGES[range];
  if (seconds === null) return 0;
  const step = stepOf(period);
  return Math.floor((now - seconds) / step) * step + step;
}

export interface Point {
  t: number;
  collateral: number | null;
  debt: number | null;
  ratio: number | null;
  newLoans: number;
  repayments: number;
  priceLiquidations: number;
  defaultLiquidations: number;
  /** BTC close price per market name. */
  prices: Record<string, number>;
}

export function buildSeries(data: SnapshotsData, step: number, from: number, to: number): Point[] {
  const protocol = new Map(data.protocolSnapshots.map((s) => [Number(s.periodStart), s]));
  const prices = new Map<number, Record<string, number>>();
  for (const s of data.marketSnapshots) {
    // A feed that has not answered yet reports 0: no price rather than a fall to zero.
    if (BigInt(s.priceClose) <= 0n) continue;
    const t = Number(s.periodStart);
    const entry = prices.get(t) ?? {};
    entry[s.market.name] = Number(s.priceClose) / 10 ** s.market.priceFeedDecimals;
    prices.set(t, entry);
  }
  const starts = [...protocol.keys(), ...prices.keys()];
  if (starts.length === 0) return [];
  const first = Math.max(from, Math.min(...starts));
  const points: Point[] = [];
  let previous: Point | undefined;
  for (let t = first; t <= to; t += step) {
    const s = protocol.get(t);
    const point: Point = s
      ? {
          t,
          collateral: Number(s.totalCollateralUSD),
          debt: Number(s.totalDebtUSD),
          ratio: s.collateralizationRatio === null ? null : Number(s.collateralizationRatio),
          newLoans: s.newLoanCount,
          repayments: s.repaymentCount,
          priceLiquidations: s.priceLiquidationCount,
          defaultLiquidations: s.defaultLiquidationCount,
          prices: { ...previous?.prices, ...prices.get(t) },
        }
      : {
          t,
          collateral: previous?.collateral ?? null,
          debt: previous?.debt ?? null,
          ratio: previous?.ratio ?? null,
          newLoans: 0,
          repayments: 0,
          priceLiquidations: 0,
          defaultLiquidations: 0,
          prices: { ...previous?.prices, ...prices.get(t) },
        };
    points.push(point);
    previous = point;
  }
  return points;
}
