import { lazy, Suspense } from 'react';
import { useQuery } from 'urql';
import { QueryState } from '../components/QueryState.js';
import { usePolling } from '../components/usePolling.js';
import { formatBps, formatUsd } from '../format/amounts.js';
import { OverviewQuery } from '../graphql/queries.js';

const HistoryChart = lazy(() => import('./HistoryChart.js'));

export function Overview() {
  const [result, reexecute] = useQuery({ query: OverviewQuery, requestPolicy: 'cache-and-network' });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 15_000);
  const protocol = result.data?.protocols[0];
  const ratio =
    protocol && Number(protocol.totalDebtUSD) > 0
      ? Number(protocol.totalCollateralUSD) / Number(protocol.totalDebtUSD)
      : null;
  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title">Overview</h2>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={!protocol}
        retry={() => reexecute({ requestPolicy: 'network-only' })}
        what="protocol data"
      >
        {protocol && (
          <>
            <dl className="kpis">
              <Kpi label="Collateral locked" value={formatUsd(protocol.totalCollateralUSD)} />
              <Kpi label="Debt outstanding" value={formatUsd(protocol.totalDebtUSD)} />
              <Kpi label="Collateralization" value={ratio === null ? '—' : `${(ratio * 100).toFixed(0)} %`} />
              <Kpi label="Open loans" value={String(protocol.openLoanCount)} />
              <Kpi label="Lenders' liquidity" value={formatUsd(protocol.totalLenderAssetsUSD)} />
              <Kpi label="Reserve" value={formatUsd(protocol.totalReserveUSD)} />
              <Kpi label="Bad debt" value={formatUsd(protocol.totalBadDebtUSD)} />
            </dl>
            <table>
              <caption>Markets</caption>
              <thead>
                <tr>
                  <th scope="col">Market</th>
                  <th scope="col">BTC price</th>
                  <th scope="col">Collateral</th>
                  <th scope="col">Debt</th>
                  <th scope="col">LTV</th>
                  <th scope="col">Utilization</th>
                  <th scope="col">Open loans</th>
                  <th scope="col">Liquidations (price / default)</th>
                </tr>
              </thead>
              <tbody>
                {result.data?.markets.map((m) => (
                  <tr key={m.id}>
                    <th scope="row">{m.name}</th>
                    <td>{formatUsd(m.latestPriceUSD)}</td>
                    <td>{formatUsd(m.totalCollateralUSD)}</td>
                    <td>{formatUsd(m.totalPrincipalOutstandingUSD)}</td>
                    <td>{formatBps(m.ltvBps)}</td>
                    <td>{formatBps(m.utilizationBps)}</td>
                    <td>{m.openLoanCount}</td>
                    <td>
                      {m.priceLiquidationCount} / {m.defaultLiquidationCount}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Suspense fallback={<div className="panel skeleton" role="status" aria-label="Loading chart" />}>
              <HistoryChart snapshots={result.data?.protocolSnapshots ?? []} />
            </Suspense>
          </>
        )}
      </QueryState>
    </section>
  );
}

function Kpi(props: { label: string; value: string }) {
  return (
    <div className="kpi">
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}
