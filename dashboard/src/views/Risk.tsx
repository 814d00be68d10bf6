import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { QueryState } from '../components/QueryState.js';
import { usePolling } from '../components/usePolling.js';
import { formatUsd } from '../format/amounts.js';
import { RiskQuery } from '../graphql/queries.js';
import { debtAtRisk, ladder } from '../risk/ladder.js';

export function Risk() {
  const [params, setParams] = useSearchParams();
  const fall = Math.min(90, Math.max(0, Number(params.get('fall') ?? 20)));
  const [result, reexecute] = useQuery({ query: RiskQuery, requestPolicy: 'cache-and-network' });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 15_000);
  const markets = result.data?.markets ?? [];
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
                {atRisk.loans} loans becomes liquidatable.
              </p>
              <table>
                <caption>Liquidation ladder (debt liquidatable at or below each price)</caption>
                <thead>
                  <tr>
                    <th scope="col">BTC price</th>
                    <th scope="col">Fall from now</th>
                    <th scope="col">Debt at this level</th>
                    <th scope="col">Cumulative debt</th>
                    <th scope="col">Loans</th>
                  </tr>
                </thead>
                <tbody>
                  {steps.slice(0, 50).map((step) => (
                    <tr key={step.price}>
                      <td>{formatUsd(step.price)}</td>
                      <td>{(((price - step.price) / price) * 100).toFixed(1)} %</td>
                      <td>{formatUsd(step.debtUSD)}</td>
                      <td>{formatUsd(step.cumulativeDebtUSD)}</td>
                      <td>{step.loans}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </article>
          );
        })}
      </QueryState>
    </section>
  );
}
