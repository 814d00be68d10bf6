// Accounts (borrowers, lenders, liquidators), cursor-paged; one account: its loans, its
// liquidity per market and the liquidations of its loans and by it as a keeper.
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { Choice } from '../components/Choice.js';
import { DataTable } from '../components/DataTable.js';
import { EntityPage } from '../components/EntityPage.js';
import { answers, QueryState } from '../components/QueryState.js';
import { shortAddress, useNetworkLink } from '../components/useNetworkLink.js';
import { usePolling } from '../components/usePolling.js';
import { formatUsd, toUnits } from '../format/amounts.js';
import {
  type AccountDetail,
  AccountQuery,
  type AccountRow,
  AccountsQuery,
  type LoanRow,
  LoansQuery,
} from '../graphql/queries.js';
import { CursorPager, FIRST_PAGE, useUrlPage } from '../pagination/CursorPager.js';
import { pageQuery, pageRows } from '../pagination/cursor.js';
import { LiquidationsTable } from './LiquidationsTable.js';
import { LoansTable } from './LoansTable.js';

const SORTS = { loanCount: 'Loans', openLoanCount: 'Open loans', liquidationCount: 'Liquidations performed' } as const;
type Sort = keyof typeof SORTS;
const SIZE = 25;

export function Accounts() {
  const [params] = useSearchParams();
  const { page, pageNumber, update } = useUrlPage();
  const link = useNetworkLink();
  const navigate = useNavigate();
  const [address, setAddress] = useState('');
  const sort: Sort = (params.get('sort') ?? '') in SORTS ? (params.get('sort') as Sort) : 'loanCount';
  const query = pageQuery({}, sort, 'int', 'desc', page);
  const variables = { first: SIZE + 1, orderBy: sort, orderDirection: query.orderDirection, where: query.where };
  const [result, reexecute] = useQuery({ query: AccountsQuery, variables, requestPolicy: 'cache-and-network' });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 15_000);
  const shown = pageRows((answers(result, variables) && result.data?.accounts) || [], SIZE, page);
  const cursorOf = (a: AccountRow | undefined) => (a ? { value: String(a[sort]), id: a.id } : null);
  return (
    <section aria-labelledby="accounts-title">
      <h2 id="accounts-title">Accounts</h2>
      <div className="controls">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            navigate(link(`/accounts/${address.trim().toLowerCase()}`));
          }}
        >
          <label>
            Address{' '}
            <input type="search" placeholder="0x…" value={address} onChange={(e) => setAddress(e.target.value)} />
          </label>{' '}
          <button type="submit">Open</button>
        </form>
        <Choice
          label="Sort by"
          value={sort}
          options={Object.entries(SORTS)}
          onChange={(value) => update({ sort: value, ...FIRST_PAGE })}
        />
      </div>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={shown.rows.length === 0}
        retry={() => reexecute({ requestPolicy: 'network-only' })}
        what="accounts"
      >
        <DataTable
          caption={`Accounts by ${SORTS[sort].toLowerCase()}, page ${pageNumber}`}
          csvName="accounts.csv"
          rows={shown.rows}
          rowKey={(a) => a.id}
          columns={[
            {
              header: 'Account',
              rowHeader: true,
              cell: (a) => (
                <Link to={link(`/accounts/${a.id}`)} title={a.id}>
                  {shortAddress(a.id)}
                </Link>
              ),
              csv: (a) => a.id,
            },
            { header: 'Loans', cell: (a) => a.loanCount, csv: (a) => a.loanCount },
            { header: 'Open loans', cell: (a) => a.openLoanCount, csv: (a) => a.openLoanCount },
            { header: 'Liquidations performed', cell: (a) => a.liquidationCount, csv: (a) => a.liquidationCount },
          ]}
        />
      </QueryState>
      <CursorPager pageNumber={pageNumber} shown={shown} cursorOf={cursorOf} update={update} />
    </section>
  );
}

export function AccountPage() {
  return (
    <EntityPage query={AccountQuery} what="account" titleId="account-title" pick={(data) => data.account}>
      {(account) => <AccountDetails account={account} />}
    </EntityPage>
  );
}

const LOANS_PER_PAGE = 25;

/**
 * The account's loans, newest first, one cursor page at a time (a permissioned borrower may hold
 * thousands: the page's size, not the account's, bounds what is fetched).
 */
function AccountLoans({ borrower }: { borrower: string }) {
  const { page, pageNumber, update } = useUrlPage();
  const query = pageQuery({ borrower }, 'openedAt', 'string', 'desc', page);
  const variables = {
    first: LOANS_PER_PAGE + 1,
    orderBy: 'openedAt' as const,
    orderDirection: query.orderDirection,
    where: query.where,
  };
  const [result, reexecute] = useQuery({ query: LoansQuery, variables, requestPolicy: 'cache-and-network' });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 15_000);
  const shown = pageRows((answers(result, variables) && result.data?.loans) || [], LOANS_PER_PAGE, page);
  const cursorOf = (loan: LoanRow | undefined) => (loan ? { value: loan.openedAt, id: loan.id } : null);
  return (
    <>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={shown.rows.length === 0}
        retry={() => reexecute({ requestPolicy: 'network-only' })}
        what="loans"
      >
        <LoansTable
          caption={`Loans (newest first), page ${pageNumber}`}
          loans={shown.rows}
          csvName="account-loans.csv"
        />
      </QueryState>
      <CursorPager pageNumber={pageNumber} shown={shown} cursorOf={cursorOf} update={update} />
    </>
  );
}

/** A lender's share of the market's assets: shares / total shares x lenders' assets (USD). */
export function lenderValueUSD(shares: string, totalShares: string, lenderAssetsUSD: string): number {
  const total = BigInt(totalShares);
  if (total === 0n) return 0;
  // The share as a 9-decimal fixed-point fraction: exact in BigInt, then scaled in floating point.
  return (Number((BigInt(shares) * 1_000_000_000n) / total) / 1e9) * Number(lenderAssetsUSD);
}

function AccountDetails({ account }: { account: AccountDetail }) {
  const link = useNetworkLink();
  const ofLoans = account.liquidatedLoans.flatMap((loan) => loan.liquidation);
  return (
    <>
      <h2 id="account-title">
        Account <span title={account.id}>{account.id}</span>
      </h2>
      <dl className="kpis">
        <div className="kpi">
          <dt>Loans</dt>
          <dd>{account.loanCount}</dd>
        </div>
        <div className="kpi">
          <dt>Open loans</dt>
          <dd>{account.openLoanCount}</dd>
        </div>
        <div className="kpi">
          <dt>Markets supplied</dt>
          <dd>{account.lenderPositions.length}</dd>
        </div>
        <div className="kpi">
          <dt>Liquidations performed</dt>
          <dd>{account.liquidationCount}</dd>
        </div>
      </dl>
      <AccountLoans borrower={account.id} />
      <DataTable
        caption="Lender liquidity"
        csvName="account-liquidity.csv"
        rows={account.lenderPositions}
        rowKey={(p) => p.id}
        columns={[
          {
            header: 'Market',
            rowHeader: true,
            cell: (p) => <Link to={link(`/markets/${p.market.id}`)}>{p.market.name}</Link>,
            csv: (p) => p.market.name,
          },
          {
            header: 'Supplied',
            cell: (p) => formatUsd(toUnits(p.supplied, p.market.debtDecimals)),
            csv: (p) => p.supplied,
          },
          {
            header: 'Withdrawn',
            cell: (p) => formatUsd(toUnits(p.withdrawn, p.market.debtDecimals)),
            csv: (p) => p.withdrawn,
          },
          { header: 'Shares', cell: (p) => p.shares, csv: (p) => p.shares },
          {
            header: 'Value now',
            cell: (p) => formatUsd(lenderValueUSD(p.shares, p.market.totalShares, p.market.lenderAssetsUSD)),
            csv: (p) => lenderValueUSD(p.shares, p.market.totalShares, p.market.lenderAssetsUSD),
          },
        ]}
      />
      <LiquidationsTable
        caption="Liquidations of this account's loans"
        rows={ofLoans}
        csvName="account-liquidated.csv"
      />
      <LiquidationsTable
        caption="Liquidations performed as a keeper"
        rows={account.liquidations}
        csvName="account-keeper-liquidations.csv"
      />
    </>
  );
}
