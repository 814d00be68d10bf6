// Hourly and daily snapshots per market and for the protocol, updated by each event of the
// period (no clock-driven handlers): state at the period's last event plus the period's activity.
import { BigDecimal, BigInt, ethereum } from "@graphprotocol/graph-ts";
import { Market, MarketSnapshot, Protocol, ProtocolSnapshot } from "../../generated/schema";
import { DAY, HOUR, ZERO, ZERO_BD } from "./constants";
import { periodId } from "./ids";
import { plusAmount, plusDecimalAmount, ratio } from "./math";

/** What one event adds to its periods. */
export class Activity {
  newLoans: i32 = 0;
  newLoanVolume: BigInt = ZERO;
  repayments: i32 = 0;
  repaymentVolume: BigInt = ZERO;
  interestPaid: BigInt = ZERO;
  priceLiquidations: i32 = 0;
  defaultLiquidations: i32 = 0;
  liquidatedDebt: BigInt = ZERO;
  badDebt: BigInt = ZERO;
}

export function recordActivity(market: Market, protocol: Protocol, event: ethereum.Event, activity: Activity): void {
  // The same for both periods: one division, not two.
  let protocolRatio = ratio(protocol.totalCollateralUSD, protocol.totalDebtUSD);
  recordPeriod(market, protocol, protocolRatio, event, activity, "h", HOUR);
  recordPeriod(market, protocol, protocolRatio, event, activity, "d", DAY);
}

function recordPeriod(
  market: Market,
  protocol: Protocol,
  protocolRatio: BigDecimal | null,
  event: ethereum.Event,
  activity: Activity,
  period: string,
  length: i64,
): void {
  let number = event.block.timestamp.toI64() / length;
  let start = BigInt.fromI64(number * length);
  let name = period == "h" ? "HOUR" : "DAY";

  let id = periodId(market.id, period, number);
  let snapshot = MarketSnapshot.load(id);
  if (snapshot == null) {
    snapshot = new MarketSnapshot(id);
    snapshot.market = market.id;
    snapshot.period = name;
    snapshot.periodStart = start;
    snapshot.priceOpen = market.latestPrice;
    snapshot.priceHigh = market.latestPrice;
    snapshot.priceLow = market.latestPrice;
    snapshot.newLoanCount = 0;
    snapshot.newLoanVolume = ZERO;
    snapshot.repaymentCount = 0;
    snapshot.repaymentVolume = ZERO;
    snapshot.interestPaid = ZERO;
    snapshot.priceLiquidationCount = 0;
    snapshot.defaultLiquidationCount = 0;
    snapshot.liquidatedDebt = ZERO;
    snapshot.badDebt = ZERO;
  }
  snapshot.collateral = market.totalCollateral;
  snapshot.collateralUSD = market.totalCollateralUSD;
  snapshot.debt = market.totalPrincipalOutstanding;
  snapshot.debtUSD = market.totalPrincipalOutstandingUSD;
  snapshot.collateralizationRatio = market.collateralizationRatio;
  snapshot.openLoanCount = market.openLoanCount;
  snapshot.availableLiquidity = market.availableLiquidity;
  snapshot.reserveBalance = market.reserveBalance;
  if (market.latestPrice.gt(snapshot.priceHigh)) snapshot.priceHigh = market.latestPrice;
  if (market.latestPrice.lt(snapshot.priceLow)) snapshot.priceLow = market.latestPrice;
  snapshot.priceClose = market.latestPrice;
  snapshot.newLoanCount += activity.newLoans;
  snapshot.newLoanVolume = plusAmount(snapshot.newLoanVolume, activity.newLoanVolume);
  snapshot.repaymentCount += activity.repayments;
  snapshot.repaymentVolume = plusAmount(snapshot.repaymentVolume, activity.repaymentVolume);
  snapshot.interestPaid = plusAmount(snapshot.interestPaid, activity.interestPaid);
  snapshot.priceLiquidationCount += activity.priceLiquidations;
  snapshot.defaultLiquidationCount += activity.defaultLiquidations;
  snapshot.liquidatedDebt = plusAmount(snapshot.liquidatedDebt, activity.liquidatedDebt);
  snapshot.badDebt = plusAmount(snapshot.badDebt, activity.badDebt);
  snapshot.blockNumber = event.block.number;
  snapshot.timestamp = event.block.timestamp;
  snapshot.save();

  let protocolId = periodId(protocol.id, period, number);
  let total = ProtocolSnapshot.load(protocolId);
  if (total == null) {
    total = new ProtocolSnapshot(protocolId);
    total.protocol = protocol.id;
    total.period = name;
    total.periodStart = start;
    total.newLoanCount = 0;
    total.newLoanVolumeUSD = ZERO_BD;
    total.repaymentCount = 0;
    total.repaymentVolumeUSD = ZERO_BD;
    total.priceLiquidationCount = 0;
    total.defaultLiquidationCount = 0;
    total.liquidatedDebtUSD = ZERO_BD;
    total.badDebtUSD = ZERO_BD;
  }
  total.totalCollateralUSD = protocol.totalCollateralUSD;
  total.totalDebtUSD = protocol.totalDebtUSD;
  total.collateralizationRatio = protocolRatio;
  total.openLoanCount = protocol.openLoanCount;
  total.newLoanCount += activity.newLoans;
  total.newLoanVolumeUSD = plusDecimalAmount(total.newLoanVolumeUSD, activity.newLoanVolume, market.debtDecimals);
  total.repaymentCount += activity.repayments;
  total.repaymentVolumeUSD = plusDecimalAmount(total.repaymentVolumeUSD, activity.repaymentVolume, market.debtDecimals);
  total.priceLiquidationCount += activity.priceLiquidations;
  total.defaultLiquidationCount += activity.defaultLiquidations;
  total.liquidatedDebtUSD = plusDecimalAmount(total.liquidatedDebtUSD, activity.liquidatedDebt, market.debtDecimals);
  total.badDebtUSD = plusDecimalAmount(total.badDebtUSD, activity.badDebt, market.debtDecimals);
  total.blockNumber = event.block.number;
  total.timestamp = event.block.timestamp;
  total.save();
}
