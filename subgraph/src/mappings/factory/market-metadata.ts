import { Address } from "@graphprotocol/graph-ts";
import { MarketMetadata } from "../../../generated/MarketFactory/MarketFactory";
import { Token } from "../../../generated/schema";
import { loadMarket } from "../../common/market";

function saveToken(address: Address, symbol: string, decimals: i32): void {
  // Tokens are immutable: a token shared by several markets is written once.
  if (Token.load(address) != null) return;
  let token = new Token(address);
  token.symbol = symbol;
  token.decimals = decimals;
  token.save();
}

export function handleMarketMetadata(event: MarketMetadata): void {
  let p = event.params;
  let market = loadMarket(p.market, event);
  saveToken(Address.fromBytes(market.collateralToken), p.collateralSymbol, p.collateralDecimals);
  saveToken(Address.fromBytes(market.debtToken), p.debtSymbol, p.debtDecimals);
  market.name = p.collateralSymbol + "/" + p.debtSymbol;
  market.collateralDecimals = p.collateralDecimals;
  market.debtDecimals = p.debtDecimals;
  market.priceFeedDescription = p.priceFeedDescription;
  market.priceFeedDecimals = p.priceFeedDecimals;
  market.save();
}
