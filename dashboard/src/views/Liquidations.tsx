// Liquidation history, newest first, filterable by reason and market; each row opens its loan.
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { Choice } from '../components/Choice.js';
import { answers, QueryState } from '../components/QueryState.js';
import { usePolling } from '../components/usePolling.js';
import type { VariablesOf } from '../graphql/graphql.js';
import { LiquidationsQuery } from '../graphql/queries.js';
import { LiquidationsTable } from './LiquidationsTable.js';
import { MarketChoice } from './MarketChoice.js';

const PAGE = 50;

export function Liquidations() {
  const [params, setParams] = useSearchParams();
  const reasonParam = params.get('reason');
  const reason = reasonParam === 'PRICE' || reasonParam === 'DEFAULT' ? reasonParam : null;
  const market = params.get('market') ?? '';
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const where: VariablesOf<typeof LiquidationsQuery>['where'] = {};
  if (reason) where.reason = reason;
  if (market) where.market = market;
  const variables = { first: PAGE, skip: page * PAGE, where };
  const [result, reexecute] = useQuery({ query: LiquidationsQuery, variables, requestPolicy: 'cache-and-network' });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 15_000);
  const rows = (answers(result, variables) && result.data?.liquidations) || [];
  const set = (changes: Record<string, string>) =>
    setParams((p) => {
      for (const [key, value] of Object.entries(changes)) {
        if (value) p.set(key, value);
        else p.delete(key);
      }
      return p;
    });
  return (
    <section aria-labelledby="liquidations-title">
      <h2 id="liquidations-title">Liquidations</h2>
      <div className="controls">
        <Choice
          label="Reason"
          value={reason ?? ''}
          options={[
            ['', 'All'],
            ['PRICE', 'Price'],
            ['DEFAULT', 'Default'],
          ]}
          onChange={(value) => set({ reason: value, page: '' })}
        />
        <MarketChoice value={market} onChange={(value) => set({ market: value, page: '' })} />
      </div>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={rows.length === 0}
        retry={() => reexecute({ requestPolicy: 'network-only' })}
        what="liquidations"
      >
        <LiquidationsTable caption={`Liquidations, page ${page + 1}`} rows={rows} csvName="liquidations.csv" />
      </QueryState>
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={page === 0} onClick={() => set({ page: String(page - 1) })}>
          Previous
        </button>
        <span>Page {page + 1}</span>
        <button type="button" disabled={rows.length < PAGE} onClick={() => set({ page: String(page + 1) })}>
          Next
        </button>
      </nav>
    </section>
  );
}
