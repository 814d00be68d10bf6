// The LoanMarket's arithmetic (solidity/LoanMarket.sol), in the same integer units, so that
// derived values match the chain to the last unit.
import { BigDecimal, BigInt } from "@graphprotocol/graph-ts";
import { BPS, ONE, ZERO } from "./constants";

/** BPS x one year in seconds, simple interest's divisor: built once, not multiplied per loan. */
const BPS_YEAR = BigInt.fromI64(<i64>10000 * 365 * 86400);

/** 10^exponent; up to 10^18 built in the mapping (an i64), without a host call. */
function pow10(exponent: i32): BigInt {
  if (exponent > 18) return BigInt.fromI32(10).pow(<u8>exponent);
  let value: i64 = 1;
  for (let i = 0; i < exponent; i++) value *= 10;
  return BigInt.fromI64(value);
}

/** Collateral value in debt units: collateral x price x 10^(debt - collateral - feed decimals), rounded down. */
export function collateralValue(collateral: BigInt, price: BigInt, collateralDecimals: i32, feedDecimals: i32, debtDecimals: i32): BigInt {
  let shift = debtDecimals - collateralDecimals - feedDecimals;
  let product = collateral.times(price);
  return shift >= 0 ? product.times(pow10(shift)) : product.div(pow10(-shift));
}

/** Simple interest since the last payment, rounded down. */
export function accruedInterest(principalOutstanding: BigInt, aprBps: i32, elapsed: BigInt): BigInt {
  return principalOutstanding.times(BigInt.fromI32(aprBps)).times(elapsed).div(BPS_YEAR);
}

// The LTV, the health factor and the liquidation price all start from debt x BPS: a loan's update
// multiplies it once (debtBps) and hands it to the three.

/** LTV in bps, rounded up as the contract does; 0 without debt, i32 max without collateral value. */
export function ltvBps(debt: BigInt, value: BigInt): i32 {
  return debt.isZero() ? 0 : ltvBpsOf(debt.times(BPS), value);
}

/** ltvBps from debt x BPS. */
export function ltvBpsOf(debtBps: BigInt, value: BigInt): i32 {
  if (debtBps.isZero()) return 0;
  if (value.isZero()) return i32.MAX_VALUE;
  let ltv = debtBps.plus(value).minus(ONE).div(value);
  return ltv.gt(BigInt.fromI32(i32.MAX_VALUE)) ? i32.MAX_VALUE : ltv.toI32();
}

/** Feed price at which debt / value reaches liquidationLtvBps, rounded down; 0 without collateral. */
export function liquidationPrice(debtBps: BigInt, collateral: BigInt, liquidationLtvBps: i32, collateralDecimals: i32, feedDecimals: i32, debtDecimals: i32): BigInt {
  if (collateral.isZero()) return ZERO;
  let shift = collateralDecimals + feedDecimals - debtDecimals;
  let numerator = shift >= 0 ? debtBps.times(pow10(shift)) : debtBps.div(pow10(-shift));
  return numerator.div(collateral.times(BigInt.fromI32(liquidationLtvBps)));
}

/** Health factor = liquidation threshold / LTV, from exact integers (debt x BPS); null without debt. */
export function healthFactor(debtBps: BigInt, value: BigInt, liquidationLtvBps: i32): BigDecimal | null {
  if (debtBps.isZero()) return null;
  return value.times(BigInt.fromI32(liquidationLtvBps)).toBigDecimal().div(debtBps.toBigDecimal());
}

/**
 * raw x 10^-decimals, built from its digits and exponent without a host call. Exact: graph-node
 * normalizes it to 34 significant digits wherever it goes (an operation, a save), the rounding its
 * division by 10^decimals would have applied to the same exact quotient.
 */
export function toDecimal(raw: BigInt, decimals: i32): BigDecimal {
  let value = new BigDecimal(raw);
  value.exp = BigInt.fromI32(-decimals);
  return value;
}

// Comparing BigDecimals costs a host call (graph-ts subtracts them); a BigDecimal is zero exactly
// when its digits are, which the mapping checks itself. Adding zero changes nothing a save keeps
// (graph-node normalizes every stored BigDecimal), so the helpers below skip the host call then.

export function ratio(numerator: BigDecimal, denominator: BigDecimal): BigDecimal | null {
  if (denominator.digits.isZero()) return null;
  return numerator.div(denominator);
}

/** sum + amount, without a host call when amount is zero. */
export function plusAmount(sum: BigInt, amount: BigInt): BigInt {
  return amount.isZero() ? sum : sum.plus(amount);
}

/** sum + amount as a decimal of `decimals` places, without a host call when amount is zero. */
export function plusDecimalAmount(sum: BigDecimal, amount: BigInt, decimals: i32): BigDecimal {
  return amount.isZero() ? sum : sum.plus(toDecimal(amount, decimals));
}

/**
 * sum + (after - before), without the addition when the two are equal, and without the
 * subtraction either when they are written alike (same exponent and digits: `before` as stored,
 * normalized; `after` fresh from toDecimal, equal to it in this form unless it ends in zeros).
 */
export function plusChange(sum: BigDecimal, after: BigDecimal, before: BigDecimal): BigDecimal {
  if (after.exp.equals(before.exp) && after.digits.equals(before.digits)) return sum;
  let change = after.minus(before);
  return change.digits.isZero() ? sum : sum.plus(change);
}
