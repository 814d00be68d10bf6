// Loans sorted and filtered on the server; the page, sort and filter live in the URL.
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { QueryState } from '../components/QueryState.js';
import { usePolling } from '../components/usePolling.js';
import { formatBps, formatBtc, formatDate, formatUsd, toUnits } from '../format/amounts.js';
import { LoansQuery } from '../graphql/queries.js';

const PAGE = 25;
const SORTS: Record<string, string> = {
  liquidationPrice: 'Liquidation price',
  debt: 'Debt',
  collateralAmount: 'Collateral',
  ltvBps: 'LTV',
  nextDueAt: 'Next due date',
  openedAt: 'Opened',
};

export function Positions() {
  const [params, setParams] = useSearchParams();
  const sort = SORTS[params.get('sort') ?? ''] ? (params.get('sort') as string) : 'liquidationPrice';
  const direction = params.get('dir') === 'asc' ? 'asc' : 'desc';
  const status = ['OPEN', 'REPAID', 'LIQUIDATED'].includes(params.get('status') ?? '')
    ? (params.get('status') as string)
    : 'OPEN';
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const [result, reexecute] = useQuery({
    query: LoansQuery,
    variables: { first: PAGE, skip: page * PAGE, orderBy: sort, orderDirection: direction, where: { status } },
    requestPolicy: 'cache-and-network',
  });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 15_000);
  const update = (changes: Record<string, string>) =>
    setParams((p) => {
      for (const [key, value] of Object.entries(changes)) p.set(key, value);
      return p;
    });
  const loans = result.data?.loans ?? [];
  return (
    <section aria-labelledby="positions-title">
      <h2 id="positions-title">Positions</h2>
      <div className="controls">
        <label>
          Status{' '}
          <select value={status} onChange={(e) => update({ status: e.target.value, page: '0' })}>
            <option value="OPEN">Open</option>
            <option value="REPAID">Repaid</option>
            <option value="LIQUIDATED">Liquidated</option>
          </select>
        </label>
        <label>
          Sort by{' '}
          <select value={sort} onChange={(e) => update({ sort: e.target.value, page: '0' })}>
            {Object.entries(SORTS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => update({ dir: direction === 'asc' ? 'desc' : 'asc' })}>
          {direction === 'asc' ? 'Ascending' : 'Descending'}
        </button>
      </div>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={loans.length === 0}
        retry={() => reexecute({ requestPolicy: 'network-only' })}
        what="loans"
      >
        <table>
          <thead>
            <tr>
              <th scope="col">Loan</th>
              <th scope="col">Market</th>
              <th scope="col">Borrower</th>
              <th scope="col">Collateral</th>
              <th scope="col">Debt</th>
              <th scope="col">LTV</th>
              <th scope="col">Health</th>
              <th scope="col">Liquidation price</th>
              <th scope="col">Next due</th>
            </tr>
          </thead>
          <tbody>
            {loans.map((loan) => (
              <tr key={loan.id}>
                <th scope="row">
                  <Link
                    to={`/loans/${loan.id}${params.get('network') ? `?network=${encodeURIComponent(params.get('network') as string)}` : ''}`}
                  >
                    #{loan.loanId}
                  </Link>
                </th>
                <td>{loan.market.name}</td>
                <td title={loan.borrower.id}>{`${loan.borrower.id.slice(0, 6)}…${loan.borrower.id.slice(-4)}`}</td>
                <td>{formatBtc(loan.collateralAmount, loan.market.collateralDecimals)}</td>
                <td>{formatUsd(toUnits(loan.debt, loan.market.debtDecimals))}</td>
                <td>{formatBps(loan.ltvBps)}</td>
                <td className={loan.healthFactor !== null && Number(loan.healthFactor) < 1.1 ? 'danger' : undefined}>
                  {loan.healthFactor === null ? '—' : Number(loan.healthFactor).toFixed(2)}
                </td>
                <td>{loan.liquidationPriceUSD === null ? '—' : formatUsd(loan.liquidationPriceUSD)}</td>
                <td>{formatDate(loan.nextDueAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </QueryState>
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={page === 0} onClick={() => update({ page: String(page - 1) })}>
          Previous
        </button>
        <span>Page {page + 1}</span>
        <button type="button" disabled={loans.length < PAGE} onClick={() => update({ page: String(page + 1) })}>
          Next
        </button>
      </nav>
    </section>
  );
}
