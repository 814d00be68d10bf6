import { RiskParamsUpdated } from "../../../generated/templates/LoanMarket/LoanMarket";
import { RiskParamsChange } from "../../../generated/schema";
import { eventId } from "../../common/ids";
import { loadMarket } from "../../common/market";

// New loans take the new terms; the liquidation threshold and penalty apply to every loan at
// once. Loans' liquidation prices and buckets follow the new threshold at each loan's next event.
export function handleRiskParamsUpdated(event: RiskParamsUpdated): void {
  let p = event.params;
  let market = loadMarket(event.address, event);
  market.maxLtvBps = p.maxLtvBps;
  market.liquidationLtvBps = p.liquidationLtvBps;
  market.liquidationPenaltyBps = p.liquidationPenaltyBps;
  market.reserveFactorBps = p.reserveFactorBps;
  market.aprBps = p.aprBps.toI32();
  market.gracePeriod = p.gracePeriod;
  market.save();

  let change = new RiskParamsChange(eventId(event));
  change.market = market.id;
  change.maxLtvBps = p.maxLtvBps;
  change.liquidationLtvBps = p.liquidationLtvBps;
  change.liquidationPenaltyBps = p.liquidationPenaltyBps;
  change.reserveFactorBps = p.reserveFactorBps;
  change.aprBps = p.aprBps.toI32();
  change.gracePeriod = p.gracePeriod;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.transactionHash = event.transaction.hash;
  change.save();
}
