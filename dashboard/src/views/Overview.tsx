import { lazy, Suspense } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { RANGES, type Range } from '../charts/series.js';
import { Kpis } from '../components/Kpis.js';
import { QueryState } from '../components/QueryState.js';
import { usePolling } from '../components/usePolling.js';
import { MetaQuery, OverviewQuery } from '../graphql/queries.js';
import { MarketsTable } from './MarketsTable.js';

const HistoryCharts = lazy(() => import('../charts/HistoryCharts.js'));

export function Overview() {
  const [params, setParams] = useSearchParams();
  const range: Range = (params.get('range') ?? '') in RANGES ? (params.get('range') as Range) : '30d';
  const [result, reexecute] = useQuery({ query: OverviewQuery, requestPolicy: 'cache-and-network' });
  // The charts' ranges end at the indexed head's time (chain time), the status bar's query.
  const [meta] = useQuery({ query: MetaQuery, requestPolicy: 'cache-first' });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 15_000);
  const protocol = result.data?.protocols[0];
  const now = meta.data?._meta?.block.timestamp ?? null;
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
            <Kpis kpis={protocol} />
            <MarketsTable markets={result.data?.markets ?? []} />
            <fieldset className="controls ranges">
              <legend>History</legend>
              {Object.entries(RANGES).map(([key, r]) => (
                <label key={key}>
                  <input
                    type="radio"
                    name="range"
                    value={key}
                    checked={range === key}
                    onChange={() =>
                      setParams((p) => {
                        p.set('range', key);
                        return p;
                      })
                    }
                  />{' '}
                  {r.label}
                </label>
              ))}
            </fieldset>
            {now !== null && (
              <Suspense fallback={<div className="panel skeleton" role="status" aria-label="Loading charts" />}>
                <HistoryCharts range={range} now={now} />
              </Suspense>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}
