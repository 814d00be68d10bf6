// One loan's collateral, debt, LTV and liquidation price over time, from its own event entities
// (one point per event), and its liquidation price against the market's BTC price (the price
// from the market's snapshots between events). The events record the loan's state after them;
// a liquidation records the state the liquidator found, so its point shows that state.
import { toUnits } from '../format/amounts.js';

/** The loan fields the series reads (a subset of `LoanQuery`'s loan). */
export interface LoanEvents {
  market: { collateralDecimals: number; debtDecimals: number; priceFeedDecimals: number; liquidationLtvBps: number };
  opening: ReadonlyArray<{
    id: string;
    timestamp: string;
    collateralAmount: string;
    principal: string;
    price: string;
    ltvBps: number;
  }>;
  repayments: ReadonlyArray<{ id: string; timestamp: string; principalOutstandingAfter: string; ltvBpsAfter: number }>;
  collateralChanges: ReadonlyArray<{
    id: string;
    timestamp: string;
    collateralAfter: string;
    ltvBpsAfter: number;
    liquidationPriceAfter: string;
  }>;
  liquidation: ReadonlyArray<{
    id: string;
    timestamp: string;
    collateralBefore: string;
    debt: string;
    priceUSD: string;
    ltvBps: number;
  }>;
  closure: ReadonlyArray<{ id: string; timestamp: string }>;
}

export type LoanEventKind = 'opened' | 'repayment' | 'collateral' | 'liquidated' | 'closed';

export interface LoanPoint {
  t: number;
  kind: LoanEventKind;
  /** BTC. */
  collateral: number;
  /** USD: principal outstanding (interest is paid with each repayment); a liquidation's debt with interest. */
  debt: number;
  /** Debt / collateral value (fraction; 0 once repaid and closed). */
  ltv: number;
  /** USD price at which the loan reaches the market's liquidation LTV (null without collateral). */
  liquidationPrice: number | null;
  /** BTC price the event itself recorded (opening, liquidation), else null. */
  price: number | null;
}

// Event order within one block follows the contract: collateral and repayments between the
// opening and the end; a closure follows the final repayment in the same transaction.
const ORDER: Record<LoanEventKind, number> = { opened: 0, collateral: 1, repayment: 2, liquidated: 3, closed: 4 };

/**
 * One point per event, oldest first. The liquidation price is debt / (collateral x liquidation
 * LTV) at the market's current liquidation LTV (it applies to every loan; a collateral change
 * records its own, which is used as is).
 */
export function buildLoanSeries(loan: LoanEvents): LoanPoint[] {
  const { collateralDecimals, debtDecimals, priceFeedDecimals, liquidationLtvBps } = loan.market;
  type State = Omit<LoanPoint, 't' | 'kind'>;
  type Raw = { t: number; kind: LoanEventKind; apply: (state: State) => State };
  const state = (
    collateral: number,
    debt: number,
    ltvBps: number,
    price: number | null,
    liquidationPrice = collateral > 0 && liquidationLtvBps > 0
      ? debt / (collateral * (liquidationLtvBps / 10_000))
      : null,
  ): State => ({ collateral, debt, ltv: ltvBps / 10_000, liquidationPrice, price });
  const btc = (raw: string) => toUnits(raw, collateralDecimals);
  const usd = (raw: string) => toUnits(raw, debtDecimals);
  const events: Raw[] = [
    ...loan.opening.map((o) => ({
      t: Number(o.timestamp),
      kind: 'opened' as const,
      apply: () => state(btc(o.collateralAmount), usd(o.principal), o.ltvBps, toUnits(o.price, priceFeedDecimals)),
    })),
    ...loan.repayments.map((r) => ({
      t: Number(r.timestamp),
      kind: 'repayment' as const,
      apply: (s: State) => state(s.collateral, usd(r.principalOutstandingAfter), r.ltvBpsAfter, null),
    })),
    ...loan.collateralChanges.map((c) => ({
      t: Number(c.timestamp),
      kind: 'collateral' as const,
      apply: (s: State) => {
        const collateral = btc(c.collateralAfter);
        const recorded = collateral > 0 ? toUnits(c.liquidationPriceAfter, priceFeedDecimals) : null;
        return state(collateral, s.debt, c.ltvBpsAfter, null, recorded);
      },
    })),
    ...loan.liquidation.map((l) => ({
      t: Number(l.timestamp),
      kind: 'liquidated' as const,
      apply: () => state(btc(l.collateralBefore), usd(l.debt), l.ltvBps, Number(l.priceUSD)),
    })),
    // Nothing owed: LTV 0, and no price liquidates it any more.
    ...loan.closure.map((c) => ({
      t: Number(c.timestamp),
      kind: 'closed' as const,
      apply: () => state(0, 0, 0, null),
    })),
  ].sort((a, b) => a.t - b.t || ORDER[a.kind] - ORDER[b.kind]);
  const points: LoanPoint[] = [];
  let current = state(0, 0, 0, null);
  for (const event of events) {
    current = event.apply(current);
    points.push({ t: event.t, kind: event.kind, ...current });
  }
  return points;
}

export interface PricePoint {
  t: number;
  /** BTC price: the snapshot's close, or the price an event recorded. */
  btc: number | null;
  /** The loan's liquidation price then (carried from the latest event; null before it opened and once closed). */
  liquidation: number | null;
}

/**
 * The loan's liquidation price against the BTC price: the market snapshots' closes (raw, feed
 * decimals; a feed's 0 before its first answer is no price) merged with the loan's points, the
 * liquidation price carried forward from the latest event at or before each time.
 */
export function buildPriceSeries(
  points: LoanPoint[],
  snapshots: ReadonlyArray<{ periodStart: string; priceClose: string }>,
  priceFeedDecimals: number,
): PricePoint[] {
  const rows: Array<{ t: number; btc: number | null; point?: LoanPoint }> = [
    ...snapshots
      .filter((s) => BigInt(s.priceClose) > 0n)
      .map((s) => ({ t: Number(s.periodStart), btc: toUnits(s.priceClose, priceFeedDecimals) })),
    ...points.map((p) => ({ t: p.t, btc: p.price, point: p })),
  ];
  // At equal times the snapshot comes first: the event's own state is the later one.
  rows.sort((a, b) => a.t - b.t || (a.point ? 1 : 0) - (b.point ? 1 : 0));
  const series: PricePoint[] = [];
  let liquidation: number | null = null;
  let btc: number | null = null;
  for (const row of rows) {
    if (row.point) liquidation = row.point.liquidationPrice;
    btc = row.btc ?? btc;
    series.push({ t: row.t, btc, liquidation });
  }
  return series;
}
