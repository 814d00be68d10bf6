import { DataSourceContext } from "@graphprotocol/graph-ts";
import { MarketCreated } from "../../../generated/MarketFactory/MarketFactory";
import { Market, RiskParamsChange } from "../../../generated/schema";
import { LoanMarket, PriceFeed } from "../../../generated/templates";
import { ZERO, ZERO_BD } from "../../common/constants";
import { eventId } from "../../common/ids";
import { getProtocol } from "../../common/market";

export function handleMarketCreated(event: MarketCreated): void {
  let protocol = getProtocol(event.address);
  protocol.marketCount += 1;
  protocol.updatedAtBlock = event.block.number;
  protocol.updatedAt = event.block.timestamp;
  protocol.save();

  let p = event.params;
  let market = new Market(p.market);
  market.protocol = protocol.id;
  // Names and decimals arrive with MarketMetadata, emitted next in the same transaction.
  market.name = "";
  market.collateralToken = p.collateralToken;
  market.debtToken = p.debtToken;
  market.priceFeed = p.priceFeed;
  market.priceFeedDescription = "";
  market.priceFeedDecimals = 0;
  market.collateralDecimals = 0;
  market.debtDecimals = 0;
  market.maxLtvBps = p.maxLtvBps;
  market.liquidationLtvBps = p.liquidationLtvBps;
  market.liquidationPenaltyBps = p.liquidationPenaltyBps;
  market.reserveFactorBps = p.reserveFactorBps;
  market.aprBps = p.aprBps.toI32();
  market.gracePeriod = p.gracePeriod;
  market.latestPrice = ZERO;
  market.latestPriceUSD = ZERO_BD;
  market.latestPriceAt = ZERO;
  market.totalCollateral = ZERO;
  market.totalCollateralUSD = ZERO_BD;
  market.totalPrincipalOutstanding = ZERO;
  market.availableLiquidity = ZERO;
  market.totalShares = ZERO;
  market.reserveBalance = ZERO;
  market.totalBadDebt = ZERO;
  market.totalPrincipalOutstandingUSD = ZERO_BD;
  market.lenderAssetsUSD = ZERO_BD;
  market.reserveBalanceUSD = ZERO_BD;
  market.totalBadDebtUSD = ZERO_BD;
  market.ltvBps = 0;
  market.collateralizationRatio = null;
  market.utilizationBps = 0;
  market.loanCount = 0;
  market.openLoanCount = 0;
  market.repaidLoanCount = 0;
  market.priceLiquidationCount = 0;
  market.defaultLiquidationCount = 0;
  market.cumulativeBorrowed = ZERO;
  market.cumulativePrincipalRepaid = ZERO;
  market.cumulativeInterestPaid = ZERO;
  market.cumulativeLiquidatedDebt = ZERO;
  market.cumulativeCollateralSeized = ZERO;
  market.createdAtBlock = event.block.number;
  market.createdAt = event.block.timestamp;
  market.save();

  let change = new RiskParamsChange(eventId(event));
  change.market = market.id;
  change.maxLtvBps = p.maxLtvBps;
  change.liquidationLtvBps = p.liquidationLtvBps;
  change.liquidationPenaltyBps = p.liquidationPenaltyBps;
  change.reserveFactorBps = p.reserveFactorBps;
  change.aprBps = p.aprBps.toI32();
  change.gracePeriod = p.gracePeriod;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.transactionHash = event.transaction.hash;
  change.save();

  LoanMarket.create(p.market);
  // A feed may serve several markets: the context says which market this data source feeds.
  let context = new DataSourceContext();
  context.setBytes("market", p.market);
  PriceFeed.createWithContext(p.priceFeed, context);
}

