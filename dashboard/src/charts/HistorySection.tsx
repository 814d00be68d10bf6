// The range choice (in the URL) and the lazily loaded history charts, ending at the indexed
// head's time (chain time): the overview's and a market page's.
import { lazy, Suspense } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { MetaQuery } from '../graphql/queries.js';
import { RANGES, type Range } from './series.js';

const HistoryCharts = lazy(() => import('./HistoryCharts.js'));

export function HistorySection(props: { market?: string }) {
  const [params, setParams] = useSearchParams();
  const range: Range = (params.get('range') ?? '') in RANGES ? (params.get('range') as Range) : '30d';
  // The status bar's query.
  const [meta] = useQuery({ query: MetaQuery, requestPolicy: 'cache-first' });
  const now = meta.data?._meta?.block.timestamp ?? null;
  return (
    <>
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
          <HistoryCharts range={range} now={now} market={props.market} />
        </Suspense>
      )}
    </>
  );
}
