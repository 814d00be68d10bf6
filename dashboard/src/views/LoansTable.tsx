// The loans table shared by the positions, risk and account pages.
import { Link } from 'react-router';
import { DataTable } from '../components/DataTable.js';
import { shortAddress, useNetworkLink } from '../components/useNetworkLink.js';
import { formatBps, formatBtc, formatDate, formatUsd, toUnits } from '../format/amounts.js';
import type { LoanRow } from '../graphql/queries.js';

export function LoansTable(props: { caption: string; loans: LoanRow[]; csvName: string }) {
  const link = useNetworkLink();
  return (
    <DataTable
      caption={props.caption}
      csvName={props.csvName}
      rows={props.loans}
      rowKey={(loan) => loan.id}
      columns={[
        {
          header: 'Loan',
          rowHeader: true,
          cell: (loan) => <Link to={link(`/loans/${loan.id}`)}>#{loan.loanId}</Link>,
          csv: (loan) => loan.loanId,
        },
        {
          header: 'Market',
          text: true,
          cell: (loan) => <Link to={link(`/markets/${loan.market.id}`)}>{loan.market.name}</Link>,
          csv: (loan) => loan.market.name,
        },
        {
          header: 'Borrower',
          text: true,
          cell: (loan) => (
            <Link to={link(`/accounts/${loan.borrower.id}`)} title={loan.borrower.id}>
              {shortAddress(loan.borrower.id)}
            </Link>
          ),
          csv: (loan) => loan.borrower.id,
        },
        { header: 'Status', text: true, cell: (loan) => loan.status.toLowerCase(), csv: (loan) => loan.status },
        {
          header: 'Collateral',
          cell: (loan) => formatBtc(loan.collateralAmount, loan.market.collateralDecimals),
          csv: (loan) => loan.collateralAmount,
        },
        {
          header: 'Debt',
          cell: (loan) => formatUsd(toUnits(loan.debt, loan.market.debtDecimals)),
          csv: (loan) => loan.debt,
        },
        { header: 'LTV', cell: (loan) => formatBps(loan.ltvBps), csv: (loan) => loan.ltvBps },
        {
          header: 'Health (last update)',
          cell: (loan) => (loan.healthFactor === null ? '—' : Number(loan.healthFactor).toFixed(2)),
          csv: (loan) => loan.healthFactor ?? '',
          className: (loan) => (loan.healthFactor !== null && Number(loan.healthFactor) < 1.1 ? 'danger' : undefined),
        },
        {
          header: 'Liquidation price',
          cell: (loan) => (loan.liquidationPriceUSD === null ? '—' : formatUsd(loan.liquidationPriceUSD)),
          csv: (loan) => loan.liquidationPriceUSD ?? '',
        },
        { header: 'Next due', cell: (loan) => formatDate(loan.nextDueAt), csv: (loan) => loan.nextDueAt ?? '' },
      ]}
    />
  );
}
