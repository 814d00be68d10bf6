import { dataSource } from "@graphprotocol/graph-ts";
import { AnswerUpdated } from "../../../generated/templates/PriceFeed/PriceFeed";
import { PriceUpdate } from "../../../generated/schema";
import { eventId } from "../../common/ids";
import { toDecimal } from "../../common/math";
import { loadMarket, revalueMarket } from "../../common/market";
import { Activity, recordActivity } from "../../common/snapshots";

export function handleAnswerUpdated(event: AnswerUpdated): void {
  let market = loadMarket(dataSource.context().getBytes("market"), event);
  let price = event.params.current;
  let update = new PriceUpdate(eventId(event));
  update.market = market.id;
  update.feed = event.address;
  update.roundId = event.params.roundId;
  update.price = price;
  update.priceUSD = toDecimal(price, market.priceFeedDecimals);
  update.updatedAt = event.params.updatedAt;
  update.blockNumber = event.block.number;
  update.timestamp = event.block.timestamp;
  update.transactionHash = event.transaction.hash;
  update.save();

  market.latestPrice = price;
  market.latestPriceUSD = update.priceUSD;
  market.latestPriceAt = event.params.updatedAt;
  let protocol = revalueMarket(market, event);
  protocol.save();
  recordActivity(market, protocol, event, new Activity());
}
