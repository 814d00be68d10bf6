import { BigInt } from "@graphprotocol/graph-ts";
import { Repayment } from "../../../generated/schema";
import { LoanRepaid } from "../../../generated/templates/LoanMarket/LoanMarket";
import { getOrCreateAccount } from "../../common/accounts";
import { leaveBucket } from "../../common/buckets";
import { BPS, ZERO } from "../../common/constants";
import { eventId } from "../../common/ids";
import { loadOpenLoan, refreshLoanRisk } from "../../common/loans";
import { loadMarket, revalueMarket } from "../../common/market";
import { toDecimal } from "../../common/math";
import { Activity, recordActivity } from "../../common/snapshots";

export function handleLoanRepaid(event: LoanRepaid): void {
  let p = event.params;
  let market = loadMarket(event.address, event);
  let loan = loadOpenLoan(market, p.loanId, event);
  if (!loan.principalOutstanding.minus(p.principalPaid).equals(p.principalOutstanding)) {
    throw new Error("loan " + p.loanId.toString() + " principal does not add up: " + loan.principalOutstanding.toString() + " - " + p.principalPaid.toString() + " != " + p.principalOutstanding.toString());
  }
  let dueBefore = loan.nextDueAt;
  let repayment = new Repayment(eventId(event));
  repayment.principalOutstandingBefore = loan.principalOutstanding;
  repayment.dueAtBefore = dueBefore ? (dueBefore as BigInt) : ZERO;
  repayment.late = event.block.timestamp.gt(repayment.dueAtBefore) && repayment.dueAtBefore.gt(ZERO);

  // The reserve's share of interest uses the factor fixed into the loan when it opened.
  let reserveCut = p.interestPaid.times(BigInt.fromI32(loan.reserveFactorBps)).div(BPS);
  let left = leaveBucket(loan);
  loan.principalOutstanding = p.principalOutstanding;
  loan.interestPaid = loan.interestPaid.plus(p.interestPaid);
  loan.principalRepaid = loan.principalRepaid.plus(p.principalPaid);
  loan.lastPaymentAt = event.block.timestamp;
  let repaid = loan.principal.minus(loan.principalOutstanding);
  let paid = loan.installmentAmount.equals(ZERO) ? 0 : repaid.div(loan.installmentAmount).toI32();
  loan.installmentsPaid = p.principalOutstanding.equals(ZERO) ? loan.installmentCount : min(paid, loan.installmentCount);
  if (p.principalOutstanding.equals(ZERO)) {
    loan.nextDueAt = null;
    loan.defaultsAt = null;
  } else {
    loan.nextDueAt = p.nextDueAt;
    loan.defaultsAt = p.nextDueAt.plus(loan.gracePeriod);
  }
  refreshLoanRisk(loan, market, event, left);
  loan.save();

  repayment.loan = loan.id;
  repayment.market = market.id;
  repayment.payer = getOrCreateAccount(p.payer).id;
  repayment.amount = p.amount;
  repayment.interestPaid = p.interestPaid;
  repayment.principalPaid = p.principalPaid;
  repayment.reserveCut = reserveCut;
  repayment.principalOutstandingAfter = p.principalOutstanding;
  repayment.nextDueAt = loan.nextDueAt;
  repayment.ltvBpsAfter = loan.ltvBps;
  repayment.blockNumber = event.block.number;
  repayment.timestamp = event.block.timestamp;
  repayment.transactionHash = event.transaction.hash;
  repayment.save();

  market.totalPrincipalOutstanding = market.totalPrincipalOutstanding.minus(p.principalPaid);
  market.reserveBalance = market.reserveBalance.plus(reserveCut);
  market.availableLiquidity = market.availableLiquidity.plus(p.amount.minus(reserveCut));
  market.cumulativePrincipalRepaid = market.cumulativePrincipalRepaid.plus(p.principalPaid);
  market.cumulativeInterestPaid = market.cumulativeInterestPaid.plus(p.interestPaid);
  let protocol = revalueMarket(market, event);
  protocol.cumulativeInterestPaidUSD = protocol.cumulativeInterestPaidUSD.plus(toDecimal(p.interestPaid, market.debtDecimals));
  protocol.save();

  let activity = new Activity();
  activity.repayments = 1;
  activity.repaymentVolume = p.amount;
  activity.interestPaid = p.interestPaid;
  recordActivity(market, protocol, event, activity);
}
