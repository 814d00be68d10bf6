// CollateralDeposited and CollateralWithdrawn, with LTV and liquidation price before and after
// (Liquity's TroveChange).
import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";
import { CollateralChange } from "../../../generated/schema";
import { CollateralDeposited, CollateralWithdrawn } from "../../../generated/templates/LoanMarket/LoanMarket";
import { getOrCreateAccount } from "../../common/accounts";
import { leaveBucket } from "../../common/buckets";
import { ZERO } from "../../common/constants";
import { eventId } from "../../common/ids";
import { loadOpenLoan, refreshLoanRisk } from "../../common/loans";
import { loadMarket, revalueMarket } from "../../common/market";
import { Activity, recordActivity } from "../../common/snapshots";

function recordCollateral(event: ethereum.Event, loanId: BigInt, who: Address, amount: BigInt, collateralAfter: BigInt, deposit: boolean): void {
  let market = loadMarket(event.address, event);
  let loan = loadOpenLoan(market, loanId, event);
  let expected = deposit ? loan.collateralAmount.plus(amount) : loan.collateralAmount.minus(amount);
  if (!expected.equals(collateralAfter)) {
    throw new Error("loan " + loanId.toString() + " collateral " + expected.toString() + " != event's " + collateralAfter.toString());
  }
  let change = new CollateralChange(eventId(event));
  change.collateralBefore = loan.collateralAmount;
  change.ltvBpsBefore = loan.ltvBps;
  let priceBefore = loan.liquidationPrice;
  change.liquidationPriceBefore = priceBefore ? (priceBefore as BigInt) : ZERO;

  let left = leaveBucket(loan);
  loan.collateralAmount = collateralAfter;
  refreshLoanRisk(loan, market, event, left);
  loan.save();

  change.loan = loan.id;
  change.market = market.id;
  change.account = getOrCreateAccount(who).id;
  change.direction = deposit ? "IN" : "OUT";
  change.amount = amount;
  change.collateralAfter = collateralAfter;
  change.ltvBpsAfter = loan.ltvBps;
  let priceAfter = loan.liquidationPrice;
  change.liquidationPriceAfter = priceAfter ? (priceAfter as BigInt) : ZERO;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.transactionHash = event.transaction.hash;
  change.save();

  market.totalCollateral = deposit ? market.totalCollateral.plus(amount) : market.totalCollateral.minus(amount);
  let protocol = revalueMarket(market, event);
  protocol.save();
  recordActivity(market, protocol, event, new Activity());
}

export function handleCollateralDeposited(event: CollateralDeposited): void {
  let p = event.params;
  recordCollateral(event, p.loanId, p.from, p.amount, p.collateralAfter, true);
}

export function handleCollateralWithdrawn(event: CollateralWithdrawn): void {
  let p = event.params;
  recordCollateral(event, p.loanId, p.to, p.amount, p.collateralAfter, false);
}
