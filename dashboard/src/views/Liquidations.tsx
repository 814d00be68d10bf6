// Liquidation history, newest first, filterable by reason and market; each row opens its loan.
// Paged with cursors on (timestamp, id) like the positions page: no `skip`, so paging works
// past graph-node's skip limit.
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { Choice } from '../components/Choice.js';
import { answers, QueryState } from '../components/QueryState.js';
import { usePolling } from '../components/usePolling.js';
import type { VariablesOf } from '../graphql/graphql.js';
import { type LiquidationRow, LiquidationsQuery } from '../graphql/queries.js';
import { CursorPager, FIRST_PAGE, useUrlPage } from '../pagination/CursorPager.js';
import { type Page, pageQuery, pageRows } from '../pagination/cursor.js';
import { LiquidationsTable } from './LiquidationsTable.js';
import { MarketChoice } from './MarketChoice.js';

export const PAGE = 50;
type LiquidationFilter = VariablesOf<typeof LiquidationsQuery>['where'];

/** The query variables of one page (asked for one row more, to learn whether more follow). */
export function liquidationsVariables(
  filters: { reason: 'PRICE' | 'DEFAULT' | null; market: string },
  page: Page,
): VariablesOf<typeof LiquidationsQuery> {
  const base: LiquidationFilter = {};
  if (filters.reason) base.reason = filters.reason;
  if (filters.market) base.market = filters.market;
  const query = pageQuery(base, 'timestamp', 'string', 'desc', page);
  // A page before a row comes back oldest first; pageRows turns it round.
  return { first: PAGE + 1, orderDirection: query.orderDirection, where: query.where };
}

const cursorOf = (row: LiquidationRow | undefined) => (row ? { value: row.timestamp, id: row.id } : null);

export function Liquidations() {
  const [params] = useSearchParams();
  const { page, pageNumber, update } = useUrlPage();
  const reasonParam = params.get('reason');
  const reason = reasonParam === 'PRICE' || reasonParam === 'DEFAULT' ? reasonParam : null;
  const market = params.get('market') ?? '';
  const variables = liquidationsVariables({ reason, market }, page);
  const [result, reexecute] = useQuery({ query: LiquidationsQuery, variables, requestPolicy: 'cache-and-network' });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 15_000);
  const shown = pageRows((answers(result, variables) && result.data?.liquidations) || [], PAGE, page);
  const refilter = (changes: Record<string, string | null>) => update({ ...changes, ...FIRST_PAGE });
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
          onChange={(value) => refilter({ reason: value })}
        />
        <MarketChoice value={market} onChange={(value) => refilter({ market: value })} />
      </div>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={shown.rows.length === 0}
        retry={() => reexecute({ requestPolicy: 'network-only' })}
        what="liquidations"
      >
        <LiquidationsTable caption={`Liquidations, page ${pageNumber}`} rows={shown.rows} csvName="liquidations.csv" />
      </QueryState>
      <CursorPager pageNumber={pageNumber} shown={shown} cursorOf={cursorOf} update={update} />
    </section>
  );
}
