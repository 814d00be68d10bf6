// Liquidation history, newest first, filterable by reason; each row links to its loan.
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { downloadCsv } from '../components/csv.js';
import { QueryState } from '../components/QueryState.js';
import { usePolling } from '../components/usePolling.js';
import { formatBps, formatBtc, formatDate, formatUsd, toUnits } from '../format/amounts.js';
import { LiquidationsQuery } from '../graphql/queries.js';

const PAGE = 50;

export function Liquidations() {
  const [params, setParams] = useSearchParams();
  const reason = ['PRICE', 'DEFAULT'].includes(params.get('reason') ?? '') ? (params.get('reason') as string) : '';
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const [result, reexecute] = useQuery({
    query: LiquidationsQuery,
    variables: { first: PAGE, skip: page * PAGE, where: reason ? { reason } : {} },
    requestPolicy: 'cache-and-network',
  });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 15_000);
  const rows = result.data?.liquidations ?? [];
  const network = params.get('network');
  const set = (key: string, value: string) =>
    setParams((p) => {
      p.set(key, value);
      return p;
    });
  return (
    <section aria-labelledby="liquidations-title">
      <h2 id="liquidations-title">Liquidations</h2>
      <div className="controls">
        <label>
          Reason{' '}
          <select
            value={reason}
            onChange={(e) => {
              set('reason', e.target.value);
              set('page', '0');
            }}
          >
            <option value="">All</option>
            <option value="PRICE">Price</option>
            <option value="DEFAULT">Default</option>
          </select>
        </label>
        <button
          type="button"
          disabled={rows.length === 0}
          onClick={() =>
            downloadCsv(
              'liquidations.csv',
              [
                'time',
                'market',
                'loan',
                'reason',
                'debtRepaid',
                'collateralSeized',
                'badDebt',
                'priceUSD',
                'ltvBps',
                'liquidator',
                'transaction',
              ],
              rows.map((r) => [
                r.timestamp,
                r.market.name,
                r.loan.loanId,
                r.reason,
                r.debtRepaid,
                r.collateralSeized,
                r.badDebt,
                r.priceUSD,
                r.ltvBps,
                r.liquidator.id,
                r.transactionHash,
              ]),
            )
          }
        >
          Download CSV
        </button>
      </div>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={rows.length === 0}
        retry={() => reexecute({ requestPolicy: 'network-only' })}
        what="liquidations"
      >
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Market</th>
              <th scope="col">Loan</th>
              <th scope="col">Reason</th>
              <th scope="col">Debt repaid</th>
              <th scope="col">Collateral seized</th>
              <th scope="col">Bad debt</th>
              <th scope="col">BTC price</th>
              <th scope="col">LTV</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{formatDate(r.timestamp)}</td>
                <td>{r.market.name}</td>
                <td>
                  <Link to={`/loans/${r.loan.id}${network ? `?network=${encodeURIComponent(network)}` : ''}`}>
                    #{r.loan.loanId}
                  </Link>
                </td>
                <td>{r.reason === 'PRICE' ? 'Price' : 'Default'}</td>
                <td>{formatUsd(toUnits(r.debtRepaid, r.market.debtDecimals))}</td>
                <td>{formatBtc(r.collateralSeized, r.market.collateralDecimals)}</td>
                <td className={r.badDebt !== '0' ? 'danger' : undefined}>
                  {formatUsd(toUnits(r.badDebt, r.market.debtDecimals))}
                </td>
                <td>{formatUsd(r.priceUSD)}</td>
                <td>{formatBps(r.ltvBps)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </QueryState>
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={page === 0} onClick={() => set('page', String(page - 1))}>
          Previous
        </button>
        <span>Page {page + 1}</span>
        <button type="button" disabled={rows.length < PAGE} onClick={() => set('page', String(page + 1))}>
          Next
        </button>
      </nav>
    </section>
  );
}
