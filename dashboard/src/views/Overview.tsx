import { useQuery } from 'urql';
import { HistorySection } from '../charts/HistorySection.js';
import { Kpis } from '../components/Kpis.js';
import { QueryState } from '../components/QueryState.js';
import { usePolling } from '../components/usePolling.js';
import { OverviewQuery } from '../graphql/queries.js';
import { MarketsTable } from './MarketsTable.js';

export function Overview() {
  const [result, reexecute] = useQuery({ query: OverviewQuery, requestPolicy: 'cache-and-network' });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 15_000);
  const protocol = result.data?.protocols[0];
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
            <HistorySection />
          </>
        )}
      </QueryState>
    </section>
  );
}
