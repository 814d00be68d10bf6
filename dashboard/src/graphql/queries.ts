// The dashboard's GraphQL documents against the subgraph's API (graph-node naming), with the
// shapes they return. Amounts arrive as strings (BigInt, BigDecimal) and are converted on display.
import { gql } from 'urql';

export interface MarketRow {
  id: string;
  name: string;
  collateralDecimals: number;
  debtDecimals: number;
  latestPriceUSD: string;
  totalCollateral: string;
  totalCollateralUSD: string;
  totalPrincipalOutstandingUSD: string;
  lenderAssetsUSD: string;
  reserveBalanceUSD: string;
  totalBadDebtUSD: string;
  utilizationBps: number;
  ltvBps: number;
  liquidationLtvBps: number;
  openLoanCount: number;
  priceLiquidationCount: number;
  defaultLiquidationCount: number;
}

export interface OverviewData {
  protocols: Array<{
    totalCollateralUSD: string;
    totalDebtUSD: string;
    totalLenderAssetsUSD: string;
    totalReserveUSD: string;
    totalBadDebtUSD: string;
    openLoanCount: number;
    loanCount: number;
  }>;
  markets: MarketRow[];
  protocolSnapshots: Array<{
    periodStart: string;
    totalCollateralUSD: string;
    totalDebtUSD: string;
    newLoanCount: number;
    priceLiquidationCount: number;
    defaultLiquidationCount: number;
  }>;
}

export const OverviewQuery = gql<OverviewData>`
  query Overview {
    protocols(first: 1) { totalCollateralUSD totalDebtUSD totalLenderAssetsUSD totalReserveUSD totalBadDebtUSD openLoanCount loanCount }
    markets(first: 100, orderBy: name) {
      id name collateralDecimals debtDecimals latestPriceUSD totalCollateral totalCollateralUSD totalPrincipalOutstandingUSD
      lenderAssetsUSD reserveBalanceUSD totalBadDebtUSD utilizationBps ltvBps liquidationLtvBps openLoanCount
      priceLiquidationCount defaultLiquidationCount
    }
    protocolSnapshots(first: 365, orderBy: periodStart, orderDirection: desc, where: { period: "DAY" }) {
      periodStart totalCollateralUSD totalDebtUSD newLoanCount priceLiquidationCount defaultLiquidationCount
    }
  }
`;

export interface LoanRow {
  id: string;
  loanId: string;
  status: 'OPEN' | 'REPAID' | 'LIQUIDATED';
  market: { name: string; collateralDecimals: number; debtDecimals: number };
  borrower: { id: string };
  collateralAmount: string;
  principalOutstanding: string;
  debt: string;
  ltvBps: number;
  healthFactor: string | null;
  liquidationPriceUSD: string | null;
  nextDueAt: string | null;
}

export const LoansQuery = gql<
  { loans: LoanRow[] },
  { first: number; skip: number; orderBy: string; orderDirection: string; where: Record<string, unknown> }
>`
  query Loans($first: Int!, $skip: Int!, $orderBy: Loan_orderBy, $orderDirection: OrderDirection, $where: Loan_filter) {
    loans(first: $first, skip: $skip, orderBy: $orderBy, orderDirection: $orderDirection, where: $where) {
      id loanId status market { name collateralDecimals debtDecimals } borrower { id } collateralAmount principalOutstanding
      debt ltvBps healthFactor liquidationPriceUSD nextDueAt
    }
  }
`;

export interface RiskData {
  markets: Array<
    MarketRow & {
      liquidationBuckets: Array<{
        lowerPriceUSD: string;
        upperPriceUSD: string;
        debt: string;
        collateral: string;
        loanCount: number;
      }>;
    }
  >;
}

export const RiskQuery = gql<RiskData>`
  query Risk {
    markets(first: 100, orderBy: name) {
      id name collateralDecimals debtDecimals latestPriceUSD totalCollateral totalCollateralUSD totalPrincipalOutstandingUSD
      lenderAssetsUSD reserveBalanceUSD totalBadDebtUSD utilizationBps ltvBps liquidationLtvBps openLoanCount
      priceLiquidationCount defaultLiquidationCount
      liquidationBuckets(first: 1000, where: { loanCount_gt: 0 }, orderBy: lowerPriceUSD, orderDirection: desc) {
        lowerPriceUSD upperPriceUSD debt collateral loanCount
      }
    }
  }
`;

export const MetaQuery = gql<{
  _meta: { block: { number: number; timestamp: number | null }; hasIndexingErrors: boolean; deployment: string };
}>`
  query Meta { _meta { block { number timestamp } hasIndexingErrors deployment } }
`;

export interface LiquidationRow {
  id: string;
  reason: 'PRICE' | 'DEFAULT';
  timestamp: string;
  transactionHash: string;
  market: { name: string; debtDecimals: number; collateralDecimals: number };
  loan: { id: string; loanId: string };
  liquidator: { id: string };
  debtRepaid: string;
  collateralSeized: string;
  badDebt: string;
  priceUSD: string;
  ltvBps: number;
}

export const LiquidationsQuery = gql<
  { liquidations: LiquidationRow[] },
  { first: number; skip: number; where: Record<string, unknown> }
>`
  query Liquidations($first: Int!, $skip: Int!, $where: Liquidation_filter) {
    liquidations(first: $first, skip: $skip, where: $where, orderBy: timestamp, orderDirection: desc) {
      id reason timestamp transactionHash market { name debtDecimals collateralDecimals } loan { id loanId } liquidator { id }
      debtRepaid collateralSeized badDebt priceUSD ltvBps
    }
  }
`;

export interface LoanDetail extends LoanRow {
  principal: string;
  interestPaid: string;
  aprBps: number;
  installmentCount: number;
  installmentsPaid: number;
  installmentInterval: string;
  installmentAmount: string;
  openedAt: string;
  maturity: string;
  market: LoanRow['market'] & { liquidationLtvBps: number; latestPriceUSD: string };
  repayments: Array<{
    id: string;
    timestamp: string;
    amount: string;
    interestPaid: string;
    principalPaid: string;
    late: boolean;
    transactionHash: string;
  }>;
  collateralChanges: Array<{
    id: string;
    timestamp: string;
    direction: 'IN' | 'OUT';
    amount: string;
    ltvBpsAfter: number;
    transactionHash: string;
  }>;
  liquidation: Array<{
    id: string;
    timestamp: string;
    reason: string;
    debtRepaid: string;
    badDebt: string;
    transactionHash: string;
  }>;
  closure: Array<{ id: string; timestamp: string; collateralReturned: string; transactionHash: string }>;
}

export const LoanQuery = gql<{ loan: LoanDetail | null }, { id: string }>`
  query Loan($id: ID!) {
    loan(id: $id) {
      id loanId status borrower { id } collateralAmount principal principalOutstanding interestPaid debt ltvBps healthFactor
      liquidationPriceUSD nextDueAt aprBps installmentCount installmentsPaid installmentInterval installmentAmount openedAt maturity
      market { name collateralDecimals debtDecimals liquidationLtvBps latestPriceUSD }
      repayments(orderBy: timestamp) { id timestamp amount interestPaid principalPaid late transactionHash }
      collateralChanges(orderBy: timestamp) { id timestamp direction amount ltvBpsAfter transactionHash }
      liquidation { id timestamp reason debtRepaid badDebt transactionHash }
      closure { id timestamp collateralReturned transactionHash }
    }
  }
`;
