// graph-node's BigDecimal (graph/src/data/store/scalar/bigdecimal.rs over Rust bigdecimal 0.1.2):
// value = digits x 10^exp, every result normalised to at most 34 significant digits with trailing
// zeros stripped; division computes 100 significant digits first. Rounding to 34 digits is
// half-up for positive values and truncation for negative ones (bigdecimal 0.1's with_prec).
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
const digitCount = (value: bigint) => (value === 0n ? 1 : abs(value).toString().length);

/** Rounds to `precision` significant digits: half-up when positive, truncated when negative. */
function withPrecision(value: Decimal, precision: number): Decimal {
  const count = digitCount(value.digits);
  if (count <= precision) return value;
  const drop = count - precision;
  const divisor = 10n ** BigInt(drop);
  let digits = value.digits / divisor;
  if (value.digits > 0n && (value.digits % divisor) * 2n >= divisor) digits += 1n;
  return { digits, exp: value.exp + drop };
}

export function normalize(value: Decimal): Decimal {
  if (value.digits === 0n) return { digits: 0n, exp: 0 };
  let { digits, exp } = withPrecision(value, MAX_SIGNIFICANT_DIGITS);
  while (digits % 10n === 0n) {
    digits /= 10n;
    exp += 1;
  }
  return { digits, exp };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.digits * 10n ** BigInt(a.exp - exp), b.digits * 10n ** BigInt(b.exp - exp), exp];
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

export function dividedBy(a: Decimal, b: Decimal): Decimal {
  if (b.digits === 0n) throw new BigDecimalError('Division by zero');
  if (a.digits === 0n) return { digits: 0n, exp: 0 };
  // Scale the dividend so the truncated quotient has more than 100 significant digits, then
  // round its magnitude half-up to 100 digits, then apply graph-node's normalisation to 34.
  const shift = Math.max(0, DIVISION_PRECISION + 2 + digitCount(b.digits) - digitCount(a.digits));
  const quotient = (a.digits * 10n ** BigInt(shift)) / b.digits;
  const drop = Math.max(0, digitCount(quotient) - DIVISION_PRECISION);
  const divisor = 10n ** BigInt(drop);
  let digits = quotient / divisor;
  if (abs(quotient % divisor) * 2n >= divisor && drop > 0) digits += quotient < 0n ? -1n : 1n;
  return normalize({ digits, exp: a.exp - b.exp - shift + drop });
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

export function fromString(text: string): Decimal {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match || `${match[2]}${match[3] ?? ''}` === '') {
    throw new BigDecimalError(`failed to parse decimal: "${text}"`);
  }
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const digits = BigInt(`${sign === '-' ? '-' : ''}${whole}${fraction}` || '0');
  const exp = Number(exponent) - fraction.length;
  return checkExponent(normalize({ digits, exp }));
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
