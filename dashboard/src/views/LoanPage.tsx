// One loan: its terms and risk, the installment schedule (paid, due, overdue) and its timeline,
// every event with its transaction. An unknown id is a not-found page.
import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { DataTable } from '../components/DataTable.js';
import { EntityPage } from '../components/EntityPage.js';
import { shortAddress, useNetworkLink } from '../components/useNetworkLink.js';
import { formatBps, formatBtc, formatDate, formatUsd, toUnits } from '../format/amounts.js';
import { type LoanDetail, LoanQuery, MetaQuery } from '../graphql/queries.js';

const LoanCharts = lazy(() => import('../charts/LoanCharts.js'));

/** `liquidated`: never paid, the loan was liquidated first. */
export type InstallmentState = 'paid' | 'due' | 'overdue' | 'upcoming' | 'liquidated';

export function schedule(
  loan: Pick<LoanDetail, 'installmentCount' | 'installmentsPaid' | 'installmentInterval' | 'openedAt' | 'status'>,
  now: number,
) {
  return Array.from({ length: loan.installmentCount }, (_, index) => {
    const dueAt = Number(loan.openedAt) + (index + 1) * Number(loan.installmentInterval);
    let state: InstallmentState = loan.status === 'LIQUIDATED' ? 'liquidated' : 'upcoming';
    if (index < loan.installmentsPaid || loan.status === 'REPAID') state = 'paid';
    else if (index === loan.installmentsPaid && loan.status === 'OPEN') state = dueAt < now ? 'overdue' : 'due';
    return { number: index + 1, dueAt, state };
  });
}

export function LoanPage() {
  return (
    <EntityPage query={LoanQuery} what="loan" titleId="loan-title" pick={(data) => data.loan}>
      {(loan) => <LoanDetails loan={loan} />}
    </EntityPage>
  );
}

function LoanDetails({ loan }: { loan: LoanDetail }) {
  const link = useNetworkLink();
  // An open loan's price chart runs to the indexed head's time (chain time).
  const [meta] = useQuery({ query: MetaQuery, requestPolicy: 'cache-first' });
  const now = meta.data?._meta?.block.timestamp ?? null;
  const debt = (raw: string) => formatUsd(toUnits(raw, loan.market.debtDecimals));
  const events = [
    ...loan.opening.map((o) => ({
      id: o.id,
      t: o.timestamp,
      tx: o.transactionHash,
      what: `Opened: ${formatBtc(o.collateralAmount, loan.market.collateralDecimals)} collateral, ${debt(o.principal)} borrowed in ${o.installmentCount} installments (LTV ${formatBps(o.ltvBps)})`,
    })),
    ...loan.repayments.map((r) => ({
      id: r.id,
      t: r.timestamp,
      tx: r.transactionHash,
      what: `Payment of ${debt(r.amount)} (interest ${debt(r.interestPaid)}, principal ${debt(r.principalPaid)})${r.late ? ' — late' : ''}`,
    })),
    ...loan.collateralChanges.map((c) => ({
      id: c.id,
      t: c.timestamp,
      tx: c.transactionHash,
      what: `Collateral ${c.direction === 'IN' ? 'deposited' : 'withdrawn'}: ${formatBtc(c.amount, loan.market.collateralDecimals)} (LTV after ${formatBps(c.ltvBpsAfter)})`,
    })),
    ...loan.liquidation.map((l) => ({
      id: l.id,
      t: l.timestamp,
      tx: l.transactionHash,
      what: `Liquidated for ${l.reason === 'PRICE' ? 'price' : 'default'}: ${debt(l.debtRepaid)} repaid, bad debt ${debt(l.badDebt)}`,
    })),
    ...loan.closure.map((c) => ({
      id: c.id,
      t: c.timestamp,
      tx: c.transactionHash,
      what: `Repaid in full; ${formatBtc(c.collateralReturned, loan.market.collateralDecimals)} returned`,
    })),
  ].sort((a, b) => Number(a.t) - Number(b.t));
  return (
    <>
      <h2 id="loan-title">
        Loan #{loan.loanId} · {loan.market.name} · {loan.status.toLowerCase()}
      </h2>
      <dl className="kpis">
        <div className="kpi">
          <dt>Collateral</dt>
          <dd>{formatBtc(loan.collateralAmount, loan.market.collateralDecimals)}</dd>
        </div>
        <div className="kpi">
          <dt>Debt (last update)</dt>
          <dd>{debt(loan.debt)}</dd>
        </div>
        <div className="kpi">
          <dt>Principal</dt>
          <dd>{debt(loan.principal)}</dd>
        </div>
        <div className="kpi">
          <dt>LTV</dt>
          <dd>{formatBps(loan.ltvBps)}</dd>
        </div>
        <div className="kpi">
          <dt>Liquidation price</dt>
          <dd>{loan.liquidationPriceUSD === null ? '—' : formatUsd(loan.liquidationPriceUSD)}</dd>
        </div>
        <div className="kpi">
          <dt>BTC now</dt>
          <dd>{formatUsd(loan.market.latestPriceUSD)}</dd>
        </div>
        <div className="kpi">
          <dt>APR</dt>
          <dd>{formatBps(loan.aprBps)}</dd>
        </div>
      </dl>
      <p>
        Borrower{' '}
        <Link to={link(`/accounts/${loan.borrower.id}`)} title={loan.borrower.id}>
          {shortAddress(loan.borrower.id)}
        </Link>{' '}
        · market <Link to={link(`/markets/${loan.market.id}`)}>{loan.market.name}</Link>
      </p>
      {now !== null && (
        <Suspense fallback={<div className="panel skeleton" role="status" aria-label="Loading charts" />}>
          <LoanCharts loan={loan} now={now} />
        </Suspense>
      )}
      <DataTable
        caption={`Installments (${formatUsd(toUnits(loan.installmentAmount, loan.market.debtDecimals))} of principal each)`}
        csvName={`loan-${loan.loanId}-installments.csv`}
        rows={schedule(loan, Date.now() / 1000)}
        rowKey={(i) => String(i.number)}
        rowClassName={(i) => (i.state === 'overdue' ? 'danger' : undefined)}
        columns={[
          { header: '#', cell: (i) => i.number, csv: (i) => i.number },
          { header: 'Due', cell: (i) => formatDate(i.dueAt), csv: (i) => i.dueAt },
          { header: 'State', text: true, cell: (i) => i.state, csv: (i) => i.state },
        ]}
      />
      <DataTable
        caption={`Timeline (opened ${formatDate(loan.openedAt)}, maturity ${formatDate(loan.maturity)})`}
        csvName={`loan-${loan.loanId}-timeline.csv`}
        rows={events}
        rowKey={(e) => e.id}
        columns={[
          { header: 'Time', cell: (e) => formatDate(e.t), csv: (e) => e.t },
          { header: 'Event', text: true, cell: (e) => e.what, csv: (e) => e.what },
          {
            header: 'Transaction',
            cell: (e) => <span title={e.tx}>{`${e.tx.slice(0, 10)}…`}</span>,
            csv: (e) => e.tx,
          },
        ]}
      />
    </>
  );
}
