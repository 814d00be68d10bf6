// Market loading and the derived figures that follow every change of its totals; protocol totals
// move by the same deltas, so no handler ever iterates over markets or loans.
import { BigDecimal, BigInt, Bytes, ethereum, log } from "@graphprotocol/graph-ts";
import { Market, Protocol } from "../../generated/schema";
import { BPS, ZERO, ZERO_BD } from "./constants";
import { collateralValue, ltvBps, plusChange, ratio, toDecimal } from "./math";

export function getProtocol(id: Bytes): Protocol {
  let protocol = Protocol.load(id);
  if (protocol == null) {
    protocol = new Protocol(id);
    protocol.marketCount = 0;
    protocol.loanCount = 0;
    protocol.openLoanCount = 0;
    protocol.repaidLoanCount = 0;
    protocol.priceLiquidationCount = 0;
    protocol.defaultLiquidationCount = 0;
    protocol.totalCollateralUSD = ZERO_BD;
    protocol.totalDebtUSD = ZERO_BD;
    protocol.totalLenderAssetsUSD = ZERO_BD;
    protocol.totalReserveUSD = ZERO_BD;
    protocol.totalBadDebtUSD = ZERO_BD;
    protocol.cumulativeBorrowedUSD = ZERO_BD;
    protocol.cumulativeInterestPaidUSD = ZERO_BD;
    protocol.cumulativeLiquidatedDebtUSD = ZERO_BD;
    protocol.updatedAtBlock = ZERO;
    protocol.updatedAt = ZERO;
  }
  return protocol;
}

/** The market a LoanMarket or PriceFeed event belongs to; a missing one is a broken assumption. */
export function loadMarket(id: Bytes, event: ethereum.Event): Market {
  let market = Market.load(id);
  if (market == null) {
    log.critical("event {} at block {} names market {}, which MarketCreated never created", [
      event.transaction.hash.toHexString(),
      event.block.number.toString(),
      id.toHexString(),
    ]);
    throw new Error("unknown market");
  }
  return market;
}

export function marketCollateralValue(market: Market, collateral: BigInt): BigInt {
  return collateralValue(collateral, market.latestPrice, market.collateralDecimals, market.priceFeedDecimals, market.debtDecimals);
}

/**
 * Recomputes the market's USD figures and ratios after its raw totals or price changed, and
 * moves the protocol's totals by the difference. Saves the market; the protocol comes back
 * changed and unsaved, for the handler to finish and save once.
 */
export function revalueMarket(market: Market, event: ethereum.Event): Protocol {
  let protocol = getProtocol(market.protocol);
  let value = marketCollateralValue(market, market.totalCollateral);
  let collateralUSD = toDecimal(value, market.debtDecimals);
  let debtUSD = toDecimal(market.totalPrincipalOutstanding, market.debtDecimals);
  let lenderAssets = market.availableLiquidity.plus(market.totalPrincipalOutstanding);
  let lenderAssetsUSD = toDecimal(lenderAssets, market.debtDecimals);
  let reserveUSD = toDecimal(market.reserveBalance, market.debtDecimals);
  let badDebtUSD = toDecimal(market.totalBadDebt, market.debtDecimals);

  protocol.totalCollateralUSD = plusChange(protocol.totalCollateralUSD, collateralUSD, market.totalCollateralUSD);
  protocol.totalDebtUSD = plusChange(protocol.totalDebtUSD, debtUSD, market.totalPrincipalOutstandingUSD);
  protocol.totalLenderAssetsUSD = plusChange(protocol.totalLenderAssetsUSD, lenderAssetsUSD, market.lenderAssetsUSD);
  protocol.totalReserveUSD = plusChange(protocol.totalReserveUSD, reserveUSD, market.reserveBalanceUSD);
  protocol.totalBadDebtUSD = plusChange(protocol.totalBadDebtUSD, badDebtUSD, market.totalBadDebtUSD);
  protocol.updatedAtBlock = event.block.number;
  protocol.updatedAt = event.block.timestamp;

  market.totalCollateralUSD = collateralUSD;
  market.totalPrincipalOutstandingUSD = debtUSD;
  market.lenderAssetsUSD = lenderAssetsUSD;
  market.reserveBalanceUSD = reserveUSD;
  market.totalBadDebtUSD = badDebtUSD;
  market.ltvBps = ltvBps(market.totalPrincipalOutstanding, value);
  market.collateralizationRatio = ratio(value.toBigDecimal(), market.totalPrincipalOutstanding.toBigDecimal());
  market.utilizationBps = lenderAssets.equals(ZERO) ? 0 : market.totalPrincipalOutstanding.times(BPS).div(lenderAssets).toI32();
  market.save();
  return protocol;
}

export function usd(market: Market, raw: BigInt): BigDecimal {
  return toDecimal(raw, market.debtDecimals);
}
