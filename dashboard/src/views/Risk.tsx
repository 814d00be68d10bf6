// Liquidation risk: the ladder per market, "BTC falls by X %", the health-factor distribution
// (all from the subgraph's liquidation-price buckets, no loan fetched) and the most at-risk
// open loans (ordered by liquidation price on the server).
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { DataTable } from '../components/DataTable.js';
import { QueryState } from '../components/QueryState.js';
import { usePolling } from '../components/usePolling.js';
import { formatUsd } from '../format/amounts.js';
import { RiskQuery } from '../graphql/queries.js';
import { debtAtRisk, healthDistribution, ladder } from '../risk/ladder.js';
import { LoansTable } from './LoansTable.js';

const binLabel = (from: number, to: number) =>
  to === Number.POSITIVE_INFINITY ? `≥ ${from}` : from === 0 ? `< ${to} (liquidatable)` : `${from} – ${to}`;

export function Risk() {
  const [params, setParams] = useSearchParams();
  const fall = Math.min(90, Math.max(0, Number(params.get('fall') ?? 20) || 0));
  const [result, reexecute] = useQuery({ query: RiskQuery, requestPolicy: 'cache-and-network' });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 15_000);
  const markets = result.data?.markets ?? [];
  const distribution = healthDistribution(
    markets.map((m) => ({
      buckets: m.liquidationBuckets,
      debtDecimals: m.debtDecimals,
      price: Number(m.latestPriceUSD),
    })),
  );
  const largest = Math.max(...distribution.map((b) => b.debtUSD), 1);
  return (
    <section aria-labelledby="risk-title">
      <h2 id="risk-title">Liquidation risk</h2>
      <label className="control">
        BTC falls by {fall} %
        <input
          type="range"
          min={0}
          max={90}
          value={fall}
          onChange={(e) =>
            setParams((p) => {
              p.set('fall', e.target.value);
              return p;
            })
          }
        />
      </label>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={markets.length === 0}
        retry={() => reexecute({ requestPolicy: 'network-only' })}
        what="markets"
      >
        <div className="panel">
          <h3>Health factor of open debt, at today's BTC price</h3>
          <DataTable
            caption="Health-factor distribution (debt-weighted)"
            csvName="health-distribution.csv"
            rows={distribution}
            rowKey={(b) => String(b.from)}
            columns={[
              {
                header: 'Health factor',
                rowHeader: true,
                cell: (b) => binLabel(b.from, b.to),
                csv: (b) => binLabel(b.from, b.to),
              },
              { header: 'Loans', cell: (b) => b.loans, csv: (b) => b.loans },
              { header: 'Debt', cell: (b) => formatUsd(b.debtUSD), csv: (b) => b.debtUSD },
              {
                header: 'Share',
                cell: (b) => (
                  <span className="bar" aria-hidden="true">
                    <span
                      className={b.from < 1.1 ? 'bar-fill danger-fill' : 'bar-fill'}
                      style={{ width: `${(b.debtUSD / largest) * 100}%` }}
                    />
                  </span>
                ),
                csv: (b) => (b.debtUSD / largest).toFixed(4),
              },
            ]}
          />
        </div>
        <LoansTable
          caption="Most at-risk open loans (highest liquidation price first)"
          loans={result.data?.loans ?? []}
          csvName="at-risk-loans.csv"
        />
        {markets.map((market) => {
          const price = Number(market.latestPriceUSD);
          const atRisk = debtAtRisk(market.liquidationBuckets, market.debtDecimals, price, fall);
          const steps = ladder(market.liquidationBuckets, market.debtDecimals, price);
          return (
            <article key={market.id} className="panel">
              <h3>
                {market.name} · BTC {formatUsd(price)}
              </h3>
              <p data-testid={`at-risk-${market.name}`}>
                If BTC falls {fall} % (to {formatUsd(price * (1 - fall / 100))}): {formatUsd(atRisk.debtUSD)} of debt in{' '}
                {atRisk.loans} {atRisk.loans === 1 ? 'loan' : 'loans'} becomes liquidatable.
              </p>
              <DataTable
                caption="Liquidation ladder (debt liquidatable at or below each price)"
                csvName={`ladder-${market.name}.csv`}
                rows={steps.slice(0, 50)}
                rowKey={(step) => String(step.price)}
                columns={[
                  { header: 'BTC price', cell: (s) => formatUsd(s.price), csv: (s) => s.price },
                  {
                    header: 'Fall from now',
                    cell: (s) => `${(((price - s.price) / price) * 100).toFixed(1)} %`,
                    csv: (s) => (((price - s.price) / price) * 100).toFixed(2),
                  },
                  { header: 'Debt at this level', cell: (s) => formatUsd(s.debtUSD), csv: (s) => s.debtUSD },
                  {
                    header: 'Cumulative debt',
                    cell: (s) => formatUsd(s.cumulativeDebtUSD),
                    csv: (s) => s.cumulativeDebtUSD,
                  },
                  { header: 'Loans', cell: (s) => s.loans, csv: (s) => s.loans },
                ]}
              />
            </article>
          );
        })}
      </QueryState>
    </section>
  );
}
