// The dashboard's GraphQL documents, typed by gql.tada from graph-node's API schema for this
// subgraph. Amounts arrive as strings (BigInt, BigDecimal) and are converted on display.
// Fragments are unmasked (`@_unmask`): views read their fields directly.
import { graphql, type ResultOf } from './graphql.js';

export const ProtocolKpisFields = graphql(`
  fragment ProtocolKpis on Protocol @_unmask {
    totalCollateralUSD totalDebtUSD totalLenderAssetsUSD totalReserveUSD totalBadDebtUSD openLoanCount loanCount
    priceLiquidationCount defaultLiquidationCount marketCount
  }
`);

export const MarketFields = graphql(`
  fragment MarketFields on Market @_unmask {
    id name collateralDecimals debtDecimals latestPriceUSD totalCollateral totalCollateralUSD totalPrincipalOutstandingUSD
    lenderAssetsUSD reserveBalanceUSD totalBadDebtUSD utilizationBps ltvBps maxLtvBps liquidationLtvBps openLoanCount
    loanCount priceLiquidationCount defaultLiquidationCount
  }
`);

export const LoanFields = graphql(`
  fragment LoanFields on Loan @_unmask {
    id loanId status market { id name collateralDecimals debtDecimals latestPriceUSD } borrower { id } collateralAmount
    principalOutstanding debt ltvBps healthFactor liquidationPriceUSD liquidationPrice nextDueAt openedAt closedAt
  }
`);

export const LiquidationFields = graphql(`
  fragment LiquidationFields on Liquidation @_unmask {
    id reason timestamp transactionHash market { id name debtDecimals collateralDecimals } loan { id loanId }
    borrower { id } liquidator { id } debtRepaid collateralSeized badDebt priceUSD ltvBps
  }
`);

export type ProtocolKpis = ResultOf<typeof ProtocolKpisFields>;
export type MarketRow = ResultOf<typeof MarketFields>;
export type LoanRow = ResultOf<typeof LoanFields>;
export type LiquidationRow = ResultOf<typeof LiquidationFields>;

export const OverviewQuery = graphql(
  `
  query Overview {
    protocols(first: 1) { ...ProtocolKpis }
    markets(first: 100, orderBy: name) { ...MarketFields }
  }
`,
  [ProtocolKpisFields, MarketFields],
);

/** The KPIs of one network, fetched from every configured endpoint by the all-networks view. */
export const KpisQuery = graphql(
  `
  query Kpis {
    protocols(first: 1) { ...ProtocolKpis }
  }
`,
  [ProtocolKpisFields],
);

/** Hourly or daily snapshots since a time: the overview's charts (never whole collections). */
export const SnapshotsQuery = graphql(`
  query Snapshots($period: String!, $since: BigInt!) {
    protocolSnapshots(first: 1000, orderBy: periodStart, orderDirection: asc, where: { period: $period, periodStart_gte: $since }) {
      periodStart totalCollateralUSD totalDebtUSD collateralizationRatio newLoanCount repaymentCount
      priceLiquidationCount defaultLiquidationCount
    }
    marketSnapshots(first: 1000, orderBy: periodStart, orderDirection: asc, where: { period: $period, periodStart_gte: $since }) {
      periodStart priceClose market { id name priceFeedDecimals }
    }
  }
`);
export type SnapshotsData = ResultOf<typeof SnapshotsQuery>;

/**
 * One market's snapshots in the shape of `SnapshotsQuery` (aliases), so the market page draws
 * them with the overview's series and charts.
 */
export const MarketSnapshotsQuery = graphql(`
  query MarketSnapshots($period: String!, $since: BigInt!, $market: String!) {
    protocolSnapshots: marketSnapshots(
      first: 1000, orderBy: periodStart, orderDirection: asc,
      where: { market: $market, period: $period, periodStart_gte: $since }
    ) {
      periodStart totalCollateralUSD: collateralUSD totalDebtUSD: debtUSD collateralizationRatio newLoanCount repaymentCount
      priceLiquidationCount defaultLiquidationCount
    }
    marketSnapshots(
      first: 1000, orderBy: periodStart, orderDirection: asc,
      where: { market: $market, period: $period, periodStart_gte: $since }
    ) { periodStart priceClose market { id name priceFeedDecimals } }
  }
`);

export const LoansQuery = graphql(
  `
  query Loans($first: Int!, $orderBy: Loan_orderBy!, $orderDirection: OrderDirection!, $where: Loan_filter!) {
    loans(first: $first, orderBy: $orderBy, orderDirection: $orderDirection, where: $where) { ...LoanFields }
  }
`,
  [LoanFields],
);

export const RiskQuery = graphql(
  `
  query Risk {
    markets(first: 100, orderBy: name) {
      ...MarketFields
      liquidationBuckets(first: 1000, where: { loanCount_gt: 0 }, orderBy: lowerPriceUSD, orderDirection: desc) {
        lowerPriceUSD upperPriceUSD debt collateral loanCount
      }
    }
    loans(first: 10, where: { status: OPEN }, orderBy: liquidationPrice, orderDirection: desc) { ...LoanFields }
  }
`,
  [MarketFields, LoanFields],
);
export type RiskData = ResultOf<typeof RiskQuery>;

export const MetaQuery = graphql(`
  query Meta { _meta { block { number timestamp } hasIndexingErrors deployment } }
`);

export const LiquidationsQuery = graphql(
  `
  query Liquidations($first: Int!, $orderDirection: OrderDirection!, $where: Liquidation_filter!) {
    liquidations(first: $first, where: $where, orderBy: timestamp, orderDirection: $orderDirection) { ...LiquidationFields }
  }
`,
  [LiquidationFields],
);

export const LoanQuery = graphql(
  `
  query Loan($id: ID!) {
    loan(id: $id) {
      ...LoanFields
      principal interestPaid aprBps installmentCount installmentsPaid installmentInterval installmentAmount maturity
      market { liquidationLtvBps priceFeedDecimals }
      opening { id timestamp collateralAmount principal price ltvBps installmentCount transactionHash }
      repayments(orderBy: timestamp) {
        id timestamp amount interestPaid principalPaid principalOutstandingAfter late ltvBpsAfter transactionHash
      }
      collateralChanges(orderBy: timestamp) {
        id timestamp direction amount collateralAfter ltvBpsAfter liquidationPriceAfter transactionHash
      }
      liquidation { id timestamp reason debtRepaid badDebt collateralBefore debt priceUSD ltvBps transactionHash }
      closure { id timestamp collateralReturned transactionHash }
    }
  }
`,
  [LoanFields],
);
export type LoanDetail = NonNullable<ResultOf<typeof LoanQuery>['loan']>;

/** A market's BTC closes over a loan's life: the loan page's liquidation price chart. */
export const MarketPricesQuery = graphql(`
  query MarketPrices($market: String!, $period: String!, $from: BigInt!, $to: BigInt!) {
    marketSnapshots(
      first: 1000, orderBy: periodStart, orderDirection: asc,
      where: { market: $market, period: $period, periodStart_gte: $from, periodStart_lte: $to }
    ) { periodStart priceClose }
  }
`);

export const MarketsQuery = graphql(
  `
  query Markets($orderBy: Market_orderBy!, $orderDirection: OrderDirection!) {
    markets(first: 100, orderBy: $orderBy, orderDirection: $orderDirection) { ...MarketFields aprBps }
  }
`,
  [MarketFields],
);

export const MarketQuery = graphql(
  `
  query Market($id: ID!) {
    market(id: $id) {
      ...MarketFields
      priceFeed priceFeedDescription liquidationPenaltyBps reserveFactorBps aprBps gracePeriod createdAt
      collateralToken { id symbol } debtToken { id symbol } collateralizationRatio repaidLoanCount
      riskParamsChanges(first: 100, orderBy: timestamp, orderDirection: desc) {
        id maxLtvBps liquidationLtvBps liquidationPenaltyBps reserveFactorBps aprBps gracePeriod blockNumber timestamp transactionHash
      }
    }
  }
`,
  [MarketFields],
);
export type MarketDetail = NonNullable<ResultOf<typeof MarketQuery>['market']>;

export const AccountsQuery = graphql(`
  query Accounts($first: Int!, $orderBy: Account_orderBy!, $orderDirection: OrderDirection!, $where: Account_filter!) {
    accounts(first: $first, orderBy: $orderBy, orderDirection: $orderDirection, where: $where) {
      id loanCount openLoanCount liquidationCount
    }
  }
`);
export type AccountRow = ResultOf<typeof AccountsQuery>['accounts'][number];

export const AccountQuery = graphql(
  `
  query Account($id: ID!) {
    account(id: $id) {
      id loanCount openLoanCount liquidationCount
      liquidatedLoans: loans(first: 100, where: { status: LIQUIDATED }, orderBy: openedAt, orderDirection: desc) {
        liquidation { ...LiquidationFields }
      }
      lenderPositions(first: 100) {
        id shares supplied withdrawn market { id name debtDecimals totalShares lenderAssetsUSD }
      }
      liquidations(first: 100, orderBy: timestamp, orderDirection: desc) { ...LiquidationFields }
    }
  }
`,
  [LiquidationFields],
);
export type AccountDetail = NonNullable<ResultOf<typeof AccountQuery>['account']>;
