// Open debt aggregated by liquidation price, so that "debt liquidatable if BTC falls to X" and the
// health-factor distribution are one small query. A loan leaves its bucket before it changes
// and enters the bucket of its new liquidation price after: O(1) per event.
import { BigDecimal, BigInt } from "@graphprotocol/graph-ts";
import { LiquidationBucket, Loan, Market } from "../../generated/schema";
import { BUCKETS_PER_DECADE, ZERO } from "./constants";
import { bucketId } from "./ids";
import { toDecimal } from "./math";

function boundary(index: i32): BigDecimal {
  let price = Math.pow(10, <f64>index / BUCKETS_PER_DECADE);
  return BigDecimal.fromString((Math.round(price * 100) / 100).toString());
}

export function bucketIndex(priceUSD: f64): i32 {
  return <i32>Math.floor(Math.log10(priceUSD) * BUCKETS_PER_DECADE);
}

function getBucket(market: Market, index: i32): LiquidationBucket {
  let id = bucketId(market.id, index);
  let bucket = LiquidationBucket.load(id);
  if (bucket == null) {
    bucket = new LiquidationBucket(id);
    bucket.market = market.id;
    bucket.index = index;
    bucket.lowerPriceUSD = boundary(index);
    bucket.upperPriceUSD = boundary(index + 1);
    bucket.debt = ZERO;
    bucket.collateral = ZERO;
    bucket.loanCount = 0;
  }
  return bucket;
}

/**
 * Removes the loan's current debt and collateral from its bucket and returns that bucket unsaved:
 * enterBucket saves it, once, with the loan back in it when the loan stays in the same bucket;
 * a loan that leaves for good saves it itself.
 */
export function leaveBucket(loan: Loan): LiquidationBucket | null {
  let id = loan.bucket;
  if (!id) return null;
  let bucket = LiquidationBucket.load(id);
  if (bucket == null) throw new Error("loan " + loan.id.toHexString() + " points at a missing bucket");
  bucket.debt = bucket.debt.minus(loan.debt);
  bucket.collateral = bucket.collateral.minus(loan.collateralAmount);
  bucket.loanCount = bucket.loanCount - 1;
  loan.bucket = null;
  return bucket;
}

/**
 * Adds an open loan's debt and collateral to the bucket of its liquidation price, and saves the
 * bucket it left (`left`, from leaveBucket), which may be the same one.
 */
export function enterBucket(loan: Loan, market: Market, left: LiquidationBucket | null): void {
  let bucket: LiquidationBucket | null = null;
  let price = loan.liquidationPrice;
  if (price && (price as BigInt).gt(ZERO)) {
    let priceUSD = parseFloat(toDecimal(price as BigInt, market.priceFeedDecimals).toString());
    let index = bucketIndex(priceUSD);
    bucket = left != null && left.index == index ? left : getBucket(market, index);
  }
  if (left != null && left !== bucket) left.save();
  if (bucket == null) return;
  bucket.debt = bucket.debt.plus(loan.debt);
  bucket.collateral = bucket.collateral.plus(loan.collateralAmount);
  bucket.loanCount = bucket.loanCount + 1;
  bucket.save();
  loan.bucket = bucket.id;
}
