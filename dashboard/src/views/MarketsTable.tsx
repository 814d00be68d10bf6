// The markets table of the overview and the markets page.
import { Link } from 'react-router';
import { DataTable } from '../components/DataTable.js';
import { useNetworkLink } from '../components/useNetworkLink.js';
import { formatBps, formatBtc, formatUsd } from '../format/amounts.js';
import type { MarketRow } from '../graphql/queries.js';

export function MarketsTable(props: { markets: MarketRow[]; caption?: string }) {
  const link = useNetworkLink();
  return (
    <DataTable
      caption={props.caption ?? 'Markets'}
      csvName="markets.csv"
      rows={props.markets}
      rowKey={(m) => m.id}
      columns={[
        {
          header: 'Market',
          rowHeader: true,
          cell: (m) => <Link to={link(`/markets/${m.id}`)}>{m.name}</Link>,
          csv: (m) => m.name,
        },
        { header: 'BTC price', cell: (m) => formatUsd(m.latestPriceUSD), csv: (m) => m.latestPriceUSD },
        {
          header: 'Collateral',
          cell: (m) => (
            <span title={formatBtc(m.totalCollateral, m.collateralDecimals)}>{formatUsd(m.totalCollateralUSD)}</span>
          ),
          csv: (m) => m.totalCollateralUSD,
        },
        {
          header: 'Debt',
          cell: (m) => formatUsd(m.totalPrincipalOutstandingUSD),
          csv: (m) => m.totalPrincipalOutstandingUSD,
        },
        { header: 'LTV', cell: (m) => formatBps(m.ltvBps), csv: (m) => m.ltvBps },
        { header: 'Liquidation LTV', cell: (m) => formatBps(m.liquidationLtvBps), csv: (m) => m.liquidationLtvBps },
        { header: 'Utilization', cell: (m) => formatBps(m.utilizationBps), csv: (m) => m.utilizationBps },
        { header: 'Open loans', cell: (m) => m.openLoanCount, csv: (m) => m.openLoanCount },
        {
          header: 'Liquidations (price / default)',
          cell: (m) => `${m.priceLiquidationCount} / ${m.defaultLiquidationCount}`,
          csv: (m) => `${m.priceLiquidationCount}/${m.defaultLiquidationCount}`,
        },
        { header: 'Bad debt', cell: (m) => formatUsd(m.totalBadDebtUSD), csv: (m) => m.totalBadDebtUSD },
      ]}
    />
  );
}
