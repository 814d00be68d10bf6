import { BigDecimal, BigInt } from "@graphprotocol/graph-ts";

export const BPS = BigInt.fromI32(10000);
export const BPS_I32: i32 = 10000;
export const ZERO = BigInt.zero();
export const ONE = BigInt.fromI32(1);
export const ZERO_BD = BigDecimal.zero();
export const HOUR: i64 = 3600;
export const DAY: i64 = 86400;
/** LiquidationBucket granularity: buckets per factor of ten in price (0.5 % wide). */
export const BUCKETS_PER_DECADE: f64 = 200;
