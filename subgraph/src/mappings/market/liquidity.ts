// LiquiditySupplied and LiquidityWithdrawn: lenders' shares and the market's liquidity.
import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";
import { LenderPosition, LiquidityEvent } from "../../../generated/schema";
import { LiquiditySupplied, LiquidityWithdrawn } from "../../../generated/templates/LoanMarket/LoanMarket";
import { getOrCreateAccount } from "../../common/accounts";
import { ZERO } from "../../common/constants";
import { eventId, pairId } from "../../common/ids";
import { loadMarket, revalueMarket } from "../../common/market";
import { Activity, recordActivity } from "../../common/snapshots";

function recordLiquidity(event: ethereum.Event, lender: Address, assets: BigInt, shares: BigInt, supplied: boolean): void {
  let market = loadMarket(event.address, event);
  let account = getOrCreateAccount(lender);
  let id = pairId(event.address, lender);
  let position = LenderPosition.load(id);
  if (position == null) {
    position = new LenderPosition(id);
    position.market = market.id;
    position.account = account.id;
    position.shares = ZERO;
    position.supplied = ZERO;
    position.withdrawn = ZERO;
  }
  if (supplied) {
    position.shares = position.shares.plus(shares);
    position.supplied = position.supplied.plus(assets);
    market.totalShares = market.totalShares.plus(shares);
    market.availableLiquidity = market.availableLiquidity.plus(assets);
  } else {
    position.shares = position.shares.minus(shares);
    position.withdrawn = position.withdrawn.plus(assets);
    market.totalShares = market.totalShares.minus(shares);
    market.availableLiquidity = market.availableLiquidity.minus(assets);
  }
  position.save();

  let record = new LiquidityEvent(eventId(event));
  record.position = position.id;
  record.market = market.id;
  record.lender = account.id;
  record.direction = supplied ? "IN" : "OUT";
  record.assets = assets;
  record.shares = shares;
  record.blockNumber = event.block.number;
  record.timestamp = event.block.timestamp;
  record.transactionHash = event.transaction.hash;
  record.save();

  let protocol = revalueMarket(market, event);
  protocol.save();
  recordActivity(market, protocol, event, new Activity());
}

export function handleLiquiditySupplied(event: LiquiditySupplied): void {
  recordLiquidity(event, event.params.lender, event.params.assets, event.params.shares, true);
}

export function handleLiquidityWithdrawn(event: LiquidityWithdrawn): void {
  recordLiquidity(event, event.params.lender, event.params.assets, event.params.shares, false);
}
