// The markets (sortable list) and one market: its figures and their history charts (its own
// snapshots), its parameters and their history.
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { HistorySection } from '../charts/HistorySection.js';
import { Choice } from '../components/Choice.js';
import { DataTable } from '../components/DataTable.js';
import { EntityPage } from '../components/EntityPage.js';
import { QueryState } from '../components/QueryState.js';
import { shortAddress, useNetworkLink } from '../components/useNetworkLink.js';
import { usePolling } from '../components/usePolling.js';
import { formatBps, formatBtc, formatDate, formatDuration, formatUsd } from '../format/amounts.js';
import { type MarketDetail, MarketQuery, MarketsQuery } from '../graphql/queries.js';
import { MarketsTable } from './MarketsTable.js';

const SORTS = {
  name: 'Name',
  totalCollateralUSD: 'Collateral',
  totalPrincipalOutstandingUSD: 'Debt',
  utilizationBps: 'Utilization',
  openLoanCount: 'Open loans',
  totalBadDebtUSD: 'Bad debt',
} as const;
type Sort = keyof typeof SORTS;

export function Markets() {
  const [params, setParams] = useSearchParams();
  const sort: Sort = (params.get('sort') ?? '') in SORTS ? (params.get('sort') as Sort) : 'name';
  const direction = params.get('dir') === 'desc' ? 'desc' : 'asc';
  const [result, reexecute] = useQuery({
    query: MarketsQuery,
    variables: { orderBy: sort, orderDirection: direction },
    requestPolicy: 'cache-and-network',
  });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 15_000);
  const set = (key: string, value: string) =>
    setParams((p) => {
      p.set(key, value);
      return p;
    });
  const markets = result.data?.markets ?? [];
  return (
    <section aria-labelledby="markets-title">
      <h2 id="markets-title">Markets</h2>
      <div className="controls">
        <Choice label="Sort by" value={sort} options={Object.entries(SORTS)} onChange={(value) => set('sort', value)} />
        <button type="button" onClick={() => set('dir', direction === 'asc' ? 'desc' : 'asc')}>
          {direction === 'asc' ? 'Ascending' : 'Descending'}
        </button>
      </div>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={markets.length === 0}
        retry={() => reexecute({ requestPolicy: 'network-only' })}
        what="markets"
      >
        <MarketsTable markets={markets} />
      </QueryState>
    </section>
  );
}

export function MarketPage() {
  return (
    <EntityPage query={MarketQuery} what="market" titleId="market-title" pick={(data) => data.market}>
      {(market) => <MarketDetails market={market} />}
    </EntityPage>
  );
}

function MarketDetails({ market }: { market: MarketDetail }) {
  const link = useNetworkLink();
  const ratio = market.collateralizationRatio === null ? null : Number(market.collateralizationRatio);
  const facts: Array<[string, string]> = [
    ['BTC price', formatUsd(market.latestPriceUSD)],
    [
      'Collateral',
      `${formatBtc(market.totalCollateral, market.collateralDecimals)} · ${formatUsd(market.totalCollateralUSD)}`,
    ],
    ['Debt outstanding', formatUsd(market.totalPrincipalOutstandingUSD)],
    ['Collateralization', ratio === null ? '—' : `${(ratio * 100).toFixed(0)} %`],
    ["Lenders' liquidity", formatUsd(market.lenderAssetsUSD)],
    ['Utilization', formatBps(market.utilizationBps)],
    ['Reserve', formatUsd(market.reserveBalanceUSD)],
    ['Bad debt', formatUsd(market.totalBadDebtUSD)],
    ['Open loans', String(market.openLoanCount)],
    [
      'Loans ever',
      `${market.loanCount} (${market.repaidLoanCount} repaid, ${market.priceLiquidationCount + market.defaultLiquidationCount} liquidated)`,
    ],
  ];
  const parameters: Array<[string, string]> = [
    ['Max LTV', formatBps(market.maxLtvBps)],
    ['Liquidation LTV', formatBps(market.liquidationLtvBps)],
    ['Liquidation penalty', formatBps(market.liquidationPenaltyBps)],
    ['Reserve factor', formatBps(market.reserveFactorBps)],
    ['APR', formatBps(market.aprBps)],
    ['Grace period', formatDuration(Number(market.gracePeriod))],
    ['Collateral / debt token', `${market.collateralToken.symbol} / ${market.debtToken.symbol}`],
    ['Price feed', `${market.priceFeedDescription} (${shortAddress(market.priceFeed)})`],
    ['Created', formatDate(market.createdAt)],
  ];
  return (
    <>
      <h2 id="market-title">
        {market.name} <small title={market.id}>{shortAddress(market.id)}</small>
      </h2>
      <dl className="kpis">
        {facts.map(([label, value]) => (
          <div className="kpi" key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p>
        <Link to={link('/positions', { market: market.id })}>Open loans of this market</Link> ·{' '}
        <Link to={link('/liquidations', { market: market.id })}>its liquidations</Link>
      </p>
      <HistorySection market={market.id} />
      <h3>Risk parameters</h3>
      <dl className="facts">
        {parameters.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <DataTable
        caption="Parameter history (newest first; the first row is the market's creation)"
        csvName={`market-${market.name}-parameters.csv`}
        rows={market.riskParamsChanges}
        rowKey={(c) => c.id}
        columns={[
          { header: 'Time', cell: (c) => formatDate(c.timestamp), csv: (c) => c.timestamp },
          { header: 'Max LTV', cell: (c) => formatBps(c.maxLtvBps), csv: (c) => c.maxLtvBps },
          { header: 'Liquidation LTV', cell: (c) => formatBps(c.liquidationLtvBps), csv: (c) => c.liquidationLtvBps },
          { header: 'Penalty', cell: (c) => formatBps(c.liquidationPenaltyBps), csv: (c) => c.liquidationPenaltyBps },
          { header: 'Reserve factor', cell: (c) => formatBps(c.reserveFactorBps), csv: (c) => c.reserveFactorBps },
          { header: 'APR', cell: (c) => formatBps(c.aprBps), csv: (c) => c.aprBps },
          { header: 'Grace period', cell: (c) => formatDuration(Number(c.gracePeriod)), csv: (c) => c.gracePeriod },
          { header: 'Block', cell: (c) => c.blockNumber, csv: (c) => c.blockNumber },
          {
            header: 'Transaction',
            cell: (c) => <span title={c.transactionHash}>{`${c.transactionHash.slice(0, 10)}…`}</span>,
            csv: (c) => c.transactionHash,
          },
        ]}
      />
    </>
  );
}
