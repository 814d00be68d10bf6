import { BorrowerApprovalSet } from "../../../generated/templates/LoanMarket/LoanMarket";
import { BorrowerApproval, BorrowerApprovalChange } from "../../../generated/schema";
import { getOrCreateAccount } from "../../common/accounts";
import { eventId, pairId } from "../../common/ids";

export function handleBorrowerApprovalSet(event: BorrowerApprovalSet): void {
  // Nothing of the market is needed but its id, the event's address: a LoanMarket data source
  // exists only for a market MarketCreated saved, so it is not loaded.
  let marketId = event.address;
  let account = getOrCreateAccount(event.params.borrower);
  let id = pairId(event.address, event.params.borrower);
  let approval = BorrowerApproval.load(id);
  if (approval == null) {
    approval = new BorrowerApproval(id);
    approval.market = marketId;
    approval.account = account.id;
  }
  approval.approved = event.params.approved;
  approval.updatedAt = event.block.timestamp;
  approval.save();

  let change = new BorrowerApprovalChange(eventId(event));
  change.approval = approval.id;
  change.market = marketId;
  change.account = account.id;
  change.approved = event.params.approved;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.transactionHash = event.transaction.hash;
  change.save();
}
