// The liquidations table shared by the liquidations and account pages.
import { Link } from 'react-router';
import { DataTable } from '../components/DataTable.js';
import { shortAddress, useNetworkLink } from '../components/useNetworkLink.js';
import { formatBps, formatBtc, formatDate, formatUsd, toUnits } from '../format/amounts.js';
import type { LiquidationRow } from '../graphql/queries.js';

export function LiquidationsTable(props: { caption: string; rows: LiquidationRow[]; csvName: string }) {
  const link = useNetworkLink();
  return (
    <DataTable
      caption={props.caption}
      csvName={props.csvName}
      rows={props.rows}
      rowKey={(r) => r.id}
      columns={[
        { header: 'Time', cell: (r) => formatDate(r.timestamp), csv: (r) => r.timestamp },
        {
          header: 'Market',
          text: true,
          cell: (r) => <Link to={link(`/markets/${r.market.id}`)}>{r.market.name}</Link>,
          csv: (r) => r.market.name,
        },
        {
          header: 'Loan',
          cell: (r) => <Link to={link(`/loans/${r.loan.id}`)}>#{r.loan.loanId}</Link>,
          csv: (r) => r.loan.loanId,
        },
        {
          header: 'Reason',
          text: true,
          cell: (r) => (r.reason === 'PRICE' ? 'Price' : 'Default'),
          csv: (r) => r.reason,
        },
        {
          header: 'Debt repaid',
          cell: (r) => formatUsd(toUnits(r.debtRepaid, r.market.debtDecimals)),
          csv: (r) => r.debtRepaid,
        },
        {
          header: 'Collateral seized',
          cell: (r) => formatBtc(r.collateralSeized, r.market.collateralDecimals),
          csv: (r) => r.collateralSeized,
        },
        {
          header: 'Bad debt',
          cell: (r) => formatUsd(toUnits(r.badDebt, r.market.debtDecimals)),
          csv: (r) => r.badDebt,
          className: (r) => (r.badDebt !== '0' ? 'danger' : undefined),
        },
        { header: 'BTC price', cell: (r) => formatUsd(r.priceUSD), csv: (r) => r.priceUSD },
        { header: 'LTV', cell: (r) => formatBps(r.ltvBps), csv: (r) => r.ltvBps },
        {
          header: 'Liquidator',
          text: true,
          cell: (r) => (
            <Link to={link(`/accounts/${r.liquidator.id}`)} title={r.liquidator.id}>
              {shortAddress(r.liquidator.id)}
            </Link>
          ),
          csv: (r) => r.liquidator.id,
        },
        {
          header: 'Transaction',
          cell: (r) => <span title={r.transactionHash}>{`${r.transactionHash.slice(0, 10)}…`}</span>,
          csv: (r) => r.transactionHash,
        },
      ]}
    />
  );
}
