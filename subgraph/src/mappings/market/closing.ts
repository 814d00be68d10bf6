// What a loan's end (repayment or liquidation) does to the loan and to its borrower.
import { ethereum } from "@graphprotocol/graph-ts";
import { Account, Loan } from "../../../generated/schema";
import { leaveBucket } from "../../common/buckets";
import { ZERO } from "../../common/constants";

export function closeLoan(loan: Loan, status: string, event: ethereum.Event): void {
  let left = leaveBucket(loan);
  if (left != null) left.save();
  loan.status = status;
  loan.collateralAmount = ZERO;
  loan.principalOutstanding = ZERO;
  loan.debt = ZERO;
  loan.nextDueAt = null;
  loan.defaultsAt = null;
  loan.liquidationPrice = null;
  loan.liquidationPriceUSD = null;
  loan.healthFactor = null;
  loan.ltvBps = 0;
  loan.closedAt = event.block.timestamp;
  loan.updatedAtBlock = event.block.number;
  loan.updatedAt = event.block.timestamp;
  loan.save();
  let borrower = Account.load(loan.borrower);
  if (borrower != null) {
    borrower.openLoanCount -= 1;
    borrower.save();
  }
}
