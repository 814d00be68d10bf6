import { BorrowerApprovalSet } from "../../../generated/templates/LoanMarket/LoanMarket";
import { BorrowerApproval, BorrowerApprovalChange } from "../../../generated/schema";
import { getOrCreateAccount } from "../../common/accounts";
import { eventId, pairId } from "../../common/ids";
import { loadMarket } from "../../common/market";

export function handleBorrowerApprovalSet(event: BorrowerApprovalSet): void {
  let market = loadMarket(event.address, event);
  let account = getOrCreateAccount(event.params.borrower);
  let id = pairId(event.address, event.params.borrower);
  let approval = BorrowerApproval.load(id);
  if (approval == null) {
    approval = new BorrowerApproval(id);
    approval.market = market.id;
    approval.account = account.id;
  }
  approval.approved = event.params.approved;
  approval.updatedAt = event.block.timestamp;
  approval.save();

  let change = new BorrowerApprovalChange(eventId(event));
  change.approval = approval.id;
  change.market = market.id;
  change.account = account.id;
  change.approved = event.params.approved;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.transactionHash = event.transaction.hash;
  change.save();
}
