// Loans sorted and filtered on the server, paged with cursors (no `skip`, so paging works past
// graph-node's skip limit); the filters, sort, page size and cursor live in the URL.
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { Choice } from '../components/Choice.js';
import { answers, QueryState } from '../components/QueryState.js';
import { usePolling } from '../components/usePolling.js';
import type { VariablesOf } from '../graphql/graphql.js';
import { type LoanRow, LoansQuery } from '../graphql/queries.js';
import { CursorPager, FIRST_PAGE, useUrlPage } from '../pagination/CursorPager.js';
import { type FieldKind, pageQuery, pageRows } from '../pagination/cursor.js';
import { LoansTable } from './LoansTable.js';
import { MarketChoice } from './MarketChoice.js';

/** Sort keys; the nullable ones (null once a loan closes) are offered for open loans only. */
const SORTS = {
  liquidationPrice: { label: 'Liquidation price', kind: 'string', openOnly: true },
  healthFactor: { label: 'Health factor', kind: 'string', openOnly: true },
  debt: { label: 'Debt', kind: 'string', openOnly: false },
  collateralAmount: { label: 'Collateral', kind: 'string', openOnly: false },
  ltvBps: { label: 'LTV', kind: 'int', openOnly: false },
  nextDueAt: { label: 'Next due date', kind: 'string', openOnly: true },
  openedAt: { label: 'Opened', kind: 'string', openOnly: false },
} as const satisfies Record<string, { label: string; kind: FieldKind; openOnly: boolean }>;
type Sort = keyof typeof SORTS;
const STATUSES = ['OPEN', 'REPAID', 'LIQUIDATED'] as const;
const SIZES = [10, 25, 50, 100];
type LoanFilter = VariablesOf<typeof LoansQuery>['where'];

export function Positions() {
  const [params] = useSearchParams();
  const { page, pageNumber, update } = useUrlPage();
  const status = STATUSES.find((s) => s === params.get('status')) ?? 'OPEN';
  const sortParam = params.get('sort') ?? '';
  const sort: Sort =
    sortParam in SORTS && (status === 'OPEN' || !SORTS[sortParam as Sort].openOnly)
      ? (sortParam as Sort)
      : status === 'OPEN'
        ? 'liquidationPrice'
        : 'openedAt';
  const direction = params.get('dir') === 'asc' ? 'asc' : 'desc';
  const size = SIZES.includes(Number(params.get('size'))) ? Number(params.get('size')) : 25;
  const market = params.get('market') ?? '';
  const borrower = (params.get('borrower') ?? '').toLowerCase();

  const base: LoanFilter = { status };
  if (market) base.market = market;
  if (/^0x[0-9a-f]{40}$/.test(borrower)) base.borrower = borrower;
  const query = pageQuery(base, sort, SORTS[sort].kind, direction, page);
  const variables = { first: size + 1, orderBy: sort, orderDirection: query.orderDirection, where: query.where };
  const [result, reexecute] = useQuery({ query: LoansQuery, variables, requestPolicy: 'cache-and-network' });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 15_000);

  const refilter = (changes: Record<string, string | null>) => update({ ...changes, ...FIRST_PAGE });
  const shown = pageRows((answers(result, variables) && result.data?.loans) || [], size, page);
  const cursorOf = (loan: LoanRow | undefined) => (loan ? { value: String(loan[sort] ?? ''), id: loan.id } : null);

  return (
    <section aria-labelledby="positions-title">
      <h2 id="positions-title">Positions</h2>
      <div className="controls">
        <Choice
          label="Status"
          value={status}
          options={STATUSES.map((s) => [s, s.charAt(0) + s.slice(1).toLowerCase()] as const)}
          onChange={(value) => refilter({ status: value })}
        />
        <MarketChoice value={market} onChange={(value) => refilter({ market: value })} />
        <label>
          Borrower{' '}
          <input
            type="search"
            placeholder="0x…"
            defaultValue={borrower}
            aria-invalid={borrower !== '' && !/^0x[0-9a-f]{40}$/.test(borrower)}
            onChange={(e) => {
              const value = e.target.value.trim().toLowerCase();
              if (value === '' || /^0x[0-9a-f]{40}$/.test(value)) refilter({ borrower: value });
            }}
          />
        </label>
        <Choice
          label="Sort by"
          value={sort}
          options={Object.entries(SORTS)
            .filter(([, s]) => status === 'OPEN' || !s.openOnly)
            .map(([value, s]) => [value, s.label] as const)}
          onChange={(value) => refilter({ sort: value })}
        />
        <button type="button" onClick={() => refilter({ dir: direction === 'asc' ? 'desc' : 'asc' })}>
          {direction === 'asc' ? 'Ascending' : 'Descending'}
        </button>
        <Choice
          label="Rows"
          value={size}
          options={SIZES.map((n) => [n, String(n)] as const)}
          onChange={(value) => refilter({ size: value })}
        />
      </div>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={shown.rows.length === 0}
        retry={() => reexecute({ requestPolicy: 'network-only' })}
        what="loans"
      >
        <LoansTable caption={`Loans, page ${pageNumber}`} loans={shown.rows} csvName="positions.csv" />
      </QueryState>
      <CursorPager pageNumber={pageNumber} shown={shown} cursorOf={cursorOf} update={update} />
    </section>
  );
}
