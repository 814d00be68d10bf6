import { LoanClosure } from "../../../generated/schema";
import { LoanClosed } from "../../../generated/templates/LoanMarket/LoanMarket";
import { eventId } from "../../common/ids";
import { loadOpenLoan } from "../../common/loans";
import { loadMarket, revalueMarket } from "../../common/market";
import { Activity, recordActivity } from "../../common/snapshots";
import { closeLoan } from "./closing";

export function handleLoanClosed(event: LoanClosed): void {
  let market = loadMarket(event.address, event);
  let loan = loadOpenLoan(market, event.params.loanId, event);
  let closure = new LoanClosure(eventId(event));
  closure.loan = loan.id;
  closure.market = market.id;
  closure.collateralReturned = event.params.collateralReturned;
  closure.blockNumber = event.block.number;
  closure.timestamp = event.block.timestamp;
  closure.transactionHash = event.transaction.hash;
  closure.save();

  market.totalCollateral = market.totalCollateral.minus(loan.collateralAmount);
  market.openLoanCount -= 1;
  market.repaidLoanCount += 1;
  closeLoan(loan, "REPAID", event);
  let protocol = revalueMarket(market, event);
  protocol.openLoanCount -= 1;
  protocol.repaidLoanCount += 1;
  protocol.save();
  recordActivity(market, protocol, event, new Activity());
}
