// The "all networks" overview: the KPIs of every configured network added up. Ratios are not
// added: the collateralization of the sum is recomputed from the summed collateral and debt.
import type { ProtocolKpis } from '../graphql/queries.js';

export interface NetworkKpis {
  network: string;
  /** Null when the network's subgraph has no protocol yet (nothing deployed or indexed). */
  kpis: ProtocolKpis | null;
  error: string | null;
}

const USD_FIELDS = [
  'totalCollateralUSD',
  'totalDebtUSD',
  'totalLenderAssetsUSD',
  'totalReserveUSD',
  'totalBadDebtUSD',
] as const;
const COUNT_FIELDS = [
  'openLoanCount',
  'loanCount',
  'priceLiquidationCount',
  'defaultLiquidationCount',
  'marketCount',
] as const;

export function sumKpis(list: ProtocolKpis[]): ProtocolKpis {
  const total = {} as ProtocolKpis;
  for (const field of USD_FIELDS) total[field] = String(list.reduce((sum, k) => sum + Number(k[field]), 0));
  for (const field of COUNT_FIELDS) total[field] = list.reduce((sum, k) => sum + k[field], 0);
  return total;
}

/** Collateral value / debt, or null without debt. */
export function collateralization(kpis: Pick<ProtocolKpis, 'totalCollateralUSD' | 'totalDebtUSD'>): number | null {
  const debt = Number(kpis.totalDebtUSD);
  return debt > 0 ? Number(kpis.totalCollateralUSD) / debt : null;
}

/** The total over the networks that answered, and which did not (the total is then partial). */
export function allNetworks(results: NetworkKpis[]): { total: ProtocolKpis; missing: string[] } {
  return {
    total: sumKpis(results.flatMap((r) => (r.kpis ? [r.kpis] : []))),
    missing: results.filter((r) => r.error !== null).map((r) => r.network),
  };
}
