// A WBTC/USDC market set up through the real handlers: MarketCreated + MarketMetadata, a first
// price and a lender's liquidity. Amounts are raw units (WBTC and the feed: 8 decimals, USDC: 6).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSubgraph, type SubgraphHarness } from 'indexer/testing';

export const manifest = join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'subgraph.yaml');

export const FACTORY = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';
export const MARKET = '0x1111111111111111111111111111111111111111';
export const FEED = '0x2222222222222222222222222222222222222222';
export const WBTC = '0x3333333333333333333333333333333333333333';
export const USDC = '0x4444444444444444444444444444444444444444';
export const LENDER = '0x5555555555555555555555555555555555555555';
export const BORROWER = '0x6666666666666666666666666666666666666666';
export const KEEPER = '0x7777777777777777777777777777777777777777';

export const BTC = 100_000_000n;
export const usd = (dollars: number) => BigInt(Math.round(dollars * 1e6));
export const price = (dollars: number) => BigInt(dollars) * 100_000_000n;
export const DAY = 86_400;
export const T0 = 1_700_006_400; // a day boundary: 19,676 x 86,400

export function loanId(market: string, id: bigint): string {
  return `${market}${id.toString(16).padStart(64, '0')}`;
}

export async function marketWithLiquidity(): Promise<SubgraphHarness> {
  const sg = await loadSubgraph({ manifest });
  await sg.handleEvent({
    dataSource: 'MarketFactory',
    address: FACTORY,
    event: 'MarketCreated',
    args: {
      market: MARKET,
      collateralToken: WBTC,
      debtToken: USDC,
      priceFeed: FEED,
      maxLtvBps: 6500,
      liquidationLtvBps: 8000,
      liquidationPenaltyBps: 500,
      reserveFactorBps: 1000,
      aprBps: 900,
      gracePeriod: 3 * DAY,
    },
    block: { number: 10, timestamp: T0 },
  });
  await sg.handleEvent({
    dataSource: 'MarketFactory',
    address: FACTORY,
    event: 'MarketMetadata',
    args: {
      market: MARKET,
      collateralSymbol: 'WBTC',
      collateralDecimals: 8,
      debtSymbol: 'USDC',
      debtDecimals: 6,
      priceFeedDescription: 'BTC / USD',
      priceFeedDecimals: 8,
    },
    block: { number: 10 },
  });
  await pushPrice(sg, 11, T0 + 60, 65_000);
  await sg.handleEvent({
    dataSource: 'LoanMarket',
    address: MARKET,
    event: 'LiquiditySupplied',
    args: { lender: LENDER, assets: usd(1_000_000), shares: usd(1_000_000) },
    block: { number: 11 },
  });
  return sg;
}

let round = 1n;
export async function pushPrice(sg: SubgraphHarness, block: number, timestamp: number, dollars: number): Promise<void> {
  round += 1n;
  await sg.handleEvent({
    dataSource: 'PriceFeed',
    address: FEED,
    event: 'AnswerUpdated',
    args: { current: price(dollars), roundId: round, updatedAt: BigInt(timestamp) },
    block: { number: block, timestamp },
  });
}

export async function openLoan(
  sg: SubgraphHarness,
  block: number,
  timestamp: number,
  id: bigint,
  collateral: bigint,
  principal: bigint,
  installments = 4,
): Promise<void> {
  await sg.handleEvent({
    dataSource: 'LoanMarket',
    address: MARKET,
    event: 'LoanOpened',
    args: {
      loanId: id,
      borrower: BORROWER,
      collateralAmount: collateral,
      principal,
      aprBps: 900,
      installmentCount: installments,
      installmentInterval: BigInt(30 * DAY),
      maturity: BigInt(timestamp + installments * 30 * DAY),
      price: price(65_000),
    },
    block: { number: block, timestamp },
  });
}
