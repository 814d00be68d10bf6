// A loan's risk figures at its latest event: debt with interest accrued to the event's block,
// LTV and health factor at the market price then, and its liquidation price.
import { BigInt, ethereum, log } from "@graphprotocol/graph-ts";
import { LiquidationBucket, Loan, Market } from "../../generated/schema";
import { enterBucket } from "./buckets";
import { BPS } from "./constants";
import { accruedInterest, healthFactor, liquidationPrice, ltvBpsOf, toDecimal } from "./math";
import { marketCollateralValue } from "./market";
import { loanEntityId } from "./ids";

export function debtAt(loan: Loan, timestamp: BigInt): BigInt {
  return loan.principalOutstanding.plus(
    accruedInterest(loan.principalOutstanding, loan.aprBps, timestamp.minus(loan.lastPaymentAt)),
  );
}

/** The open loan an event names; anything else is impossible on chain, so it stops indexing. */
export function loadOpenLoan(market: Market, loanId: BigInt, event: ethereum.Event): Loan {
  let loan = Loan.load(loanEntityId(event.address, loanId));
  if (loan == null || loan.status != "OPEN") {
    log.critical("loan {} of market {} is {} but event {} (tx {}) needs it open", [
      loanId.toString(),
      market.id.toHexString(),
      loan == null ? "unknown" : loan.status,
      event.logIndex.toString(),
      event.transaction.hash.toHexString(),
    ]);
    throw new Error("loan not open");
  }
  return loan;
}

/**
 * Recomputes debt, LTV, health factor and liquidation price, and enters the loan's bucket (`left`:
 * the bucket it left, from leaveBucket).
 */
export function refreshLoanRisk(loan: Loan, market: Market, event: ethereum.Event, left: LiquidationBucket | null): void {
  let debt = debtAt(loan, event.block.timestamp);
  let value = marketCollateralValue(market, loan.collateralAmount);
  let debtBps = debt.times(BPS);
  loan.debt = debt;
  loan.ltvBps = ltvBpsOf(debtBps, value);
  loan.healthFactor = healthFactor(debtBps, value, market.liquidationLtvBps);
  let price = liquidationPrice(
    debtBps,
    loan.collateralAmount,
    market.liquidationLtvBps,
    market.collateralDecimals,
    market.priceFeedDecimals,
    market.debtDecimals,
  );
  loan.liquidationPrice = price;
  loan.liquidationPriceUSD = toDecimal(price, market.priceFeedDecimals);
  loan.updatedAtBlock = event.block.number;
  loan.updatedAt = event.block.timestamp;
  enterBucket(loan, market, left);
}
