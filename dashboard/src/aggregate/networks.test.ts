import { describe, expect, it } from 'vitest';
import type { ProtocolKpis } from '../graphql/queries.js';
import { allNetworks, collateralization, sumKpis } from './networks.js';

const kpis = (collateral: string, debt: string, open: number): ProtocolKpis => ({
  totalCollateralUSD: collateral,
  totalDebtUSD: debt,
  totalLenderAssetsUSD: '1000.5',
  totalReserveUSD: '10',
  totalBadDebtUSD: '0',
  openLoanCount: open,
  loanCount: open + 2,
  priceLiquidationCount: 1,
  defaultLiquidationCount: 0,
  marketCount: 2,
});

describe('sumKpis', () => {
  it('adds amounts and counts, and recomputes the ratio from the sums', () => {
    const total = sumKpis([kpis('300', '100', 3), kpis('100', '100', 4)]);
    expect(total.totalCollateralUSD).toBe('400');
    expect(total.totalLenderAssetsUSD).toBe('2001');
    expect(total.openLoanCount).toBe(7);
    expect(total.loanCount).toBe(11);
    expect(total.marketCount).toBe(4);
    expect(collateralization(total)).toBe(2);
  });

  it('has no ratio without debt', () => {
    expect(collateralization(kpis('5', '0', 0))).toBeNull();
  });
});

describe('allNetworks', () => {
  it('names the networks that failed and sums the others', () => {
    const result = allNetworks([
      { network: 'a', kpis: kpis('300', '100', 3), error: null },
      { network: 'b', kpis: null, error: 'fetch failed' },
      { network: 'c', kpis: null, error: null },
    ]);
    expect(result.missing).toEqual(['b']);
    expect(result.total.openLoanCount).toBe(3);
  });
});
