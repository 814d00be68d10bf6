import { BadDebtRealization, Liquidation } from "../../../generated/schema";
import { LoanLiquidated } from "../../../generated/templates/LoanMarket/LoanMarket";
import { getOrCreateAccount } from "../../common/accounts";
import { ZERO } from "../../common/constants";
import { eventId } from "../../common/ids";
import { loadOpenLoan } from "../../common/loans";
import { loadMarket, revalueMarket } from "../../common/market";
import { collateralValue, ltvBps, toDecimal } from "../../common/math";
import { Activity, recordActivity } from "../../common/snapshots";
import { closeLoan } from "./closing";

export function handleLoanLiquidated(event: LoanLiquidated): void {
  let p = event.params;
  let market = loadMarket(event.address, event);
  let loan = loadOpenLoan(market, p.loanId, event);
  if (!p.collateralSeized.plus(p.collateralReturned).equals(loan.collateralAmount)) {
    throw new Error("liquidation of loan " + p.loanId.toString() + " moves " + p.collateralSeized.plus(p.collateralReturned).toString() + " collateral but the loan holds " + loan.collateralAmount.toString());
  }
  let reason = p.reason == 0 ? "PRICE" : "DEFAULT";
  let debt = p.debtRepaid.plus(p.badDebt);
  let value = collateralValue(loan.collateralAmount, p.price, market.collateralDecimals, market.priceFeedDecimals, market.debtDecimals);
  let seizedValue = collateralValue(p.collateralSeized, p.price, market.collateralDecimals, market.priceFeedDecimals, market.debtDecimals);
  let liquidator = getOrCreateAccount(p.liquidator);
  liquidator.liquidationCount += 1;
  liquidator.save();

  let liquidation = new Liquidation(eventId(event));
  liquidation.loan = loan.id;
  liquidation.market = market.id;
  liquidation.borrower = loan.borrower;
  liquidation.liquidator = liquidator.id;
  liquidation.reason = reason;
  liquidation.debtRepaid = p.debtRepaid;
  liquidation.collateralSeized = p.collateralSeized;
  liquidation.collateralReturned = p.collateralReturned;
  liquidation.badDebt = p.badDebt;
  liquidation.reserveCovered = p.reserveCovered;
  liquidation.price = p.price;
  liquidation.priceUSD = toDecimal(p.price, market.priceFeedDecimals);
  liquidation.ltvBps = ltvBps(debt, value);
  liquidation.debt = debt;
  liquidation.liquidatorProfitUSD = toDecimal(seizedValue.minus(p.debtRepaid), market.debtDecimals);
  liquidation.principalOutstandingBefore = loan.principalOutstanding;
  liquidation.collateralBefore = loan.collateralAmount;
  liquidation.blockNumber = event.block.number;
  liquidation.timestamp = event.block.timestamp;
  liquidation.transactionHash = event.transaction.hash;
  liquidation.save();

  if (p.badDebt.gt(ZERO)) {
    let realization = new BadDebtRealization(eventId(event));
    realization.liquidation = liquidation.id;
    realization.market = market.id;
    realization.loan = loan.id;
    realization.badDebt = p.badDebt;
    realization.reserveCovered = p.reserveCovered;
    realization.lenderLoss = p.badDebt.minus(p.reserveCovered);
    realization.timestamp = event.block.timestamp;
    realization.save();
  }

  market.totalPrincipalOutstanding = market.totalPrincipalOutstanding.minus(loan.principalOutstanding);
  market.totalCollateral = market.totalCollateral.minus(loan.collateralAmount);
  market.totalBadDebt = market.totalBadDebt.plus(p.badDebt);
  market.reserveBalance = market.reserveBalance.minus(p.reserveCovered);
  market.availableLiquidity = market.availableLiquidity.plus(p.debtRepaid).plus(p.reserveCovered);
  market.cumulativeLiquidatedDebt = market.cumulativeLiquidatedDebt.plus(p.debtRepaid);
  market.cumulativeCollateralSeized = market.cumulativeCollateralSeized.plus(p.collateralSeized);
  market.openLoanCount -= 1;
  if (reason == "PRICE") market.priceLiquidationCount += 1;
  else market.defaultLiquidationCount += 1;
  closeLoan(loan, "LIQUIDATED", event);
  let protocol = revalueMarket(market, event);
  protocol.openLoanCount -= 1;
  if (reason == "PRICE") protocol.priceLiquidationCount += 1;
  else protocol.defaultLiquidationCount += 1;
  protocol.cumulativeLiquidatedDebtUSD = protocol.cumulativeLiquidatedDebtUSD.plus(toDecimal(p.debtRepaid, market.debtDecimals));
  protocol.save();

  let activity = new Activity();
  if (reason == "PRICE") activity.priceLiquidations = 1;
  else activity.defaultLiquidations = 1;
  activity.liquidatedDebt = p.debtRepaid;
  activity.badDebt = p.badDebt;
  recordActivity(market, protocol, event, activity);
}
