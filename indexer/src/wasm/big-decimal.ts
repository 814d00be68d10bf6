// graph-node's BigDecimal (graph/src/data/store/scalar/bigdecimal.rs over Rust bigdecimal 0.1.2):
// value = digits x 10^exp, every result normalised to at most 34 significant digits with trailing
// zeros stripped; division computes 100 significant digits first. Rounding to 34 digits is
// half-up for positive values and truncation for negative ones (bigdecimal 0.1's with_prec).
// Handlers make these calls by the thousand, so the arithmetic avoids printing numbers to count
// their digits and computes a quotient's 100 digits only when they can change the result
// (bench/big-decimal.bench.ts).
export const MAX_SIGNIFICANT_DIGITS = 34;
const DIVISION_PRECISION = 100;
const MIN_EXP = -6143;
const MAX_EXP = 6144;

export class BigDecimalError extends Error {}

export interface Decimal {
  digits: bigint;
  /** value = digits x 10^exp */
  exp: number;
}

const abs = (value: bigint) => (value < 0n ? -value : value);

/** 10^n; those up to 10^511 are kept, as alignment, rounding and division need them all the time. */
const POW10: bigint[] = [1n];
const POW10_KEPT = 512;
function pow10(n: number): bigint {
  if (n >= POW10_KEPT) return 10n ** BigInt(n);
  for (let k = POW10.length; k <= n; k += 1) POW10.push((POW10[k - 1] as bigint) * 10n);
  return POW10[n] as bigint;
}

/**
 * Decimal digits of |value|, without printing it: the double's log10 is off by at most one near a
 * power of ten, which one comparison corrects. Beyond a double's range, the string's length.
 */
function digitCount(value: bigint): number {
  const magnitude = abs(value);
  if (magnitude < 10n) return 1;
  const approximate = Number(magnitude);
  if (approximate === Number.POSITIVE_INFINITY) return magnitude.toString().length;
  let count = Math.floor(Math.log10(approximate)) + 1;
  if (magnitude < pow10(count - 1)) count -= 1;
  else if (magnitude >= pow10(count)) count += 1;
  return count;
}

/** Rounds to `precision` significant digits: half-up when positive, truncated when negative. */
function withPrecision(value: Decimal, precision: number): Decimal {
  // Most values are short enough: one comparison, no digit count.
  if (abs(value.digits) < pow10(precision)) return value;
  const drop = digitCount(value.digits) - precision;
  const divisor = pow10(drop);
  let digits = value.digits / divisor;
  if (value.digits > 0n && (value.digits - digits * divisor) * 2n >= divisor) digits += 1n;
  return { digits, exp: value.exp + drop };
}

export function normalize(value: Decimal): Decimal {
  if (value.digits === 0n) return { digits: 0n, exp: 0 };
  let { digits, exp } = withPrecision(value, MAX_SIGNIFICANT_DIGITS);
  if (digits % 10n !== 0n) return { digits, exp };
  // Trailing zeros (an amount in wei has 18 of them) go 16 at a time, then 8, 4, 2 and 1.
  const chunk = pow10(16);
  while (digits % chunk === 0n) {
    digits /= chunk;
    exp += 16;
  }
  for (const zeros of [8, 4, 2, 1]) {
    const divisor = pow10(zeros);
    if (digits % divisor === 0n) {
      digits /= divisor;
      exp += zeros;
    }
  }
  return { digits, exp };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (a.exp === b.exp) return [a.digits, b.digits, a.exp];
  if (a.exp < b.exp) return [a.digits, b.digits * pow10(b.exp - a.exp), a.exp];
  return [a.digits * pow10(a.exp - b.exp), b.digits, b.exp];
}

export function plus(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b);
  return normalize({ digits: x + y, exp });
}

export function minus(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b);
  return normalize({ digits: x - y, exp });
}

export function times(a: Decimal, b: Decimal): Decimal {
  return normalize({ digits: a.digits * b.digits, exp: a.exp + b.exp });
}

/**
 * The first `count` significant digits of |a / b|, truncated: `head` x 10^`exp`. The dividend is
 * scaled so the integer quotient has more than `count` digits.
 */
function quotientHead(a: Decimal, b: Decimal, count: number): Decimal {
  const dividend = abs(a.digits);
  const divisor = abs(b.digits);
  const shift = Math.max(0, count + 1 + digitCount(divisor) - digitCount(dividend));
  const quotient = (dividend * pow10(shift)) / divisor;
  const drop = digitCount(quotient) - count;
  return { digits: quotient / pow10(drop), exp: a.exp - b.exp - shift + drop };
}

/** The quick division's digits: the 34 kept, the 35th that rounds them, 5 that rule out a carry. */
const QUICK_TAIL = 5;
const QUICK_DIGITS = MAX_SIGNIFICANT_DIGITS + 1 + QUICK_TAIL;
const QUICK_NINES = pow10(QUICK_TAIL) - 1n;

/**
 * bigdecimal 0.1's division: the quotient's magnitude to 100 significant digits, rounded half-up
 * on the 101st, then graph-node's normalisation to 34 (bigdecimal.rs `impl Div`, `normalized`).
 * The rounding to 100 digits can only change the 34 kept or the 35th when digits 36 to 100 are all
 * nines, so 40 digits are computed first and the 101 only when digits 36 to 40 are nines.
 */
export function dividedBy(a: Decimal, b: Decimal): Decimal {
  if (b.digits === 0n) throw new BigDecimalError('Division by zero');
  if (a.digits === 0n) return { digits: 0n, exp: 0 };
  const negative = a.digits < 0n !== b.digits < 0n;
  const quick = quotientHead(a, b, QUICK_DIGITS);
  const tail = pow10(QUICK_TAIL);
  if (quick.digits % tail !== QUICK_NINES) {
    // Digits 1 to 35 as the 100-digit rounding leaves them: normalize rounds them to 34.
    const digits = quick.digits / tail;
    return normalize({ digits: negative ? -digits : digits, exp: quick.exp + QUICK_TAIL });
  }
  const full = quotientHead(a, b, DIVISION_PRECISION + 1);
  let digits = full.digits / 10n;
  if (full.digits % 10n >= 5n) digits += 1n;
  return normalize({ digits: negative ? -digits : digits, exp: full.exp + 1 });
}

export function equals(a: Decimal, b: Decimal): boolean {
  const x = normalize(a);
  const y = normalize(b);
  return x.digits === y.digits && x.exp === y.exp;
}

export function compare(a: Decimal, b: Decimal): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Plain notation, never an exponent: "1500", "0.00001", "-12.5". */
export function format(value: Decimal): string {
  const { digits, exp } = value;
  const sign = digits < 0n ? '-' : '';
  const text = abs(digits).toString();
  if (exp >= 0) return sign + text + '0'.repeat(exp);
  const point = text.length + exp;
  if (point > 0) return `${sign}${text.slice(0, point)}.${text.slice(point)}`;
  return `${sign}0.${'0'.repeat(-point)}${text}`;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * bigdecimal's `from_str`: `[+-]digits[.digits][e[+-]digits]`, at least one mantissa digit.
 * Scanned by hand rather than with a regular expression: handlers parse a string per price.
 */
export function fromString(text: string): Decimal {
  const trimmed = text.trim();
  const end = trimmed.length;
  let at = 0;
  const first = trimmed.charCodeAt(0);
  const negative = first === 45; // '-'
  if (negative || first === 43) at += 1; // '+'
  const wholeStart = at;
  while (at < end && isDigit(trimmed.charCodeAt(at))) at += 1;
  const wholeEnd = at;
  let fractionStart = at;
  let fractionEnd = at;
  if (at < end && trimmed.charCodeAt(at) === 46) {
    fractionStart = at + 1; // after '.'
    at = fractionStart;
    while (at < end && isDigit(trimmed.charCodeAt(at))) at += 1;
    fractionEnd = at;
  }
  let exponent = 0;
  // 'e' or 'E'
  if (at < end && (trimmed.charCodeAt(at) | 32) === 101) {
    const exponentStart = at + 1;
    at = exponentStart;
    const sign = trimmed.charCodeAt(at);
    if (sign === 43 || sign === 45) at += 1;
    const exponentDigits = at;
    while (at < end && isDigit(trimmed.charCodeAt(at))) at += 1;
    exponent = at === exponentDigits ? Number.NaN : Number(trimmed.slice(exponentStart, at));
  }
  if (at !== end || Number.isNaN(exponent) || (wholeEnd === wholeStart && fractionEnd === fractionStart)) {
    throw new BigDecimalError(`failed to parse decimal: "${text}"`);
  }
  const whole = trimmed.slice(wholeStart, wholeEnd);
  const magnitude = BigInt(fractionEnd > fractionStart ? whole + trimmed.slice(fractionStart, fractionEnd) : whole);
  const exp = exponent - (fractionEnd - fractionStart);
  return checkExponent(normalize({ digits: negative ? -magnitude : magnitude, exp }));
}

export function fromBigInt(value: bigint): Decimal {
  return normalize({ digits: value, exp: 0 });
}

export function checkExponent(value: Decimal): Decimal {
  if (value.exp < MIN_EXP || value.exp > MAX_EXP) {
    throw new BigDecimalError(
      `big decimal exponent \`${value.exp}\` is outside the \`${MIN_EXP}\` to \`${MAX_EXP}\` range`,
    );
  }
  return value;
}
