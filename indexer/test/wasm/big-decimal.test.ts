// BigDecimal arithmetic at its rounding edges, with the results graph-node's rules give
// (graph/src/data/store/scalar/bigdecimal.rs over bigdecimal 0.1.2): every result normalised to
// 34 significant digits (`with_prec`: half-up for a positive value, truncation for a negative
// one) with trailing zeros stripped; `Div` first computes the magnitude to 100 significant digits,
// rounded half-up on the 101st, and graph-node then normalises that to 34.
import { describe, expect, it } from 'vitest';
import {
  BigDecimalError,
  compare,
  type Decimal,
  dividedBy,
  equals,
  format,
  fromBigInt,
  fromString,
  minus,
  normalize,
  plus,
  times,
} from '../../src/wasm/big-decimal.js';

const d = (text: string) => fromString(text);
const show = (value: Decimal) => format(normalize(value));
/** `digits` x 10^`exp` as a mapping can build it (graph-ts `new BigDecimal`): not normalised. */
const raw = (digits: string, exp: number): Decimal => ({ digits: BigInt(digits), exp });

describe('normalisation: 34 significant digits, trailing zeros stripped', () => {
  it.each([
    ['0.12345678901234567890123456789012345', '0.1234567890123456789012345678901235'],
    ['-0.12345678901234567890123456789012345', '-0.1234567890123456789012345678901234'],
    ['0.12345678901234567890123456789012344', '0.1234567890123456789012345678901234'],
    ['9999999999999999999999999999999999.5', '10000000000000000000000000000000000'],
    ['-9999999999999999999999999999999999.9', '-9999999999999999999999999999999999'],
    ['1500000000000000000000', '1500000000000000000000'],
    ['1.500', '1.5'],
    ['-000.000100', '-0.0001'],
    ['0e-20', '0'],
    ['-0', '0'],
    ['1e-5', '0.00001'],
    ['1.5E+3', '1500'],
    ['+.5', '0.5'],
    ['5.', '5'],
    [' 12.5\n', '12.5'],
  ])('%s reads as %s', (text, expected) => expect(show(d(text))).toBe(expected));

  it('keeps equal values equal whatever their trailing zeros', () => {
    expect(normalize(raw('1500000000000000000000', -18))).toEqual({ digits: 15n, exp: 2 });
    expect(equals(raw('15000', -4), raw('15', -1))).toBe(true);
    expect(equals(raw('-15000', -4), raw('15', -1))).toBe(false);
    // Digits beyond the 34th do not count: both round to the same value.
    expect(equals(raw(`1${'0'.repeat(34)}1`, -35), raw('1', 0))).toBe(true);
    expect(compare(raw('15000', -4), raw('16', -1))).toBe(-1);
    expect(fromBigInt(10n ** 40n)).toEqual({ digits: 1n, exp: 40 });
  });

  it('refuses what bigdecimal cannot parse, and exponents outside decimal128', () => {
    for (const text of ['', '.', '-', '1e', '1e+', '1.2.3', '0x10', 'e5', '1 2', '١']) {
      expect(() => fromString(text)).toThrow(new BigDecimalError(`failed to parse decimal: "${text}"`));
    }
    expect(() => fromString('1e7000')).toThrow('big decimal exponent `7000` is outside the `-6143` to `6144` range');
    expect(show(d('1e6144'))).toBe(`1${'0'.repeat(6144)}`);
  });
});

describe('arithmetic rounds each result to 34 digits', () => {
  it.each([
    ['0.1', '0.2', 'plus', '0.3'],
    [
      '0.1234567890123456789012345678901234',
      '0.00000000000000000000000000000000005',
      'plus',
      '0.1234567890123456789012345678901235',
    ],
    [
      '-0.1234567890123456789012345678901234',
      '-0.00000000000000000000000000000000009',
      'plus',
      '-0.1234567890123456789012345678901234',
    ],
    ['1e-100', '1e100', 'plus', `1${'0'.repeat(100)}`],
    ['1234.567890123456789012', '65432.12345678', 'minus', '-64197.555566656543210988'],
    // Exactly 80780398.602345541765421935672002468: 35 digits.
    ['1234.567890123456789012', '65432.123456789', 'times', '80780398.60234554176542193567200247'],
    ['-1234.567890123456789012', '65432.123456789', 'times', '-80780398.60234554176542193567200246'],
    ['1', '3', 'dividedBy', '0.3333333333333333333333333333333333'],
    ['2', '3', 'dividedBy', '0.6666666666666666666666666666666667'],
    ['-2', '3', 'dividedBy', '-0.6666666666666666666666666666666666'],
    ['2', '-3', 'dividedBy', '-0.6666666666666666666666666666666666'],
    ['-2', '-3', 'dividedBy', '0.6666666666666666666666666666666667'],
    ['1234567890123456789012', '1000000000000000000', 'dividedBy', '1234.567890123456789012'],
    ['1', '8', 'dividedBy', '0.125'],
    ['1e-6000', '3', 'dividedBy', `0.${'0'.repeat(6000)}3333333333333333333333333333333333`],
    ['7e6000', '0.0003', 'dividedBy', `2333333333333333333333333333333333${'0'.repeat(5971)}`],
    ['0', '-7', 'dividedBy', '0'],
  ])('%s %s %s = %s', (a, b, op, expected) => {
    const operation = { plus, minus, times, dividedBy }[op as 'plus'];
    expect(show(operation(d(a), d(b)))).toBe(expected);
  });

  it('divides by zero with an error', () => {
    expect(() => dividedBy(d('1'), d('0'))).toThrow(new BigDecimalError('Division by zero'));
  });

  it('rounds a quotient twice, as graph-node does: to 100 digits, then to 34', () => {
    // 1.000…0 4 999…9 5: the 101st digit (5) rounds the 100 up to 1.000…0 5 000…0, which then
    // rounds half-up to 34 digits; a single rounding to 34 would see the 4 and round down.
    const ahead = `1${'0'.repeat(33)}4${'9'.repeat(65)}5`;
    expect(show(dividedBy(raw(ahead, -100), d('1')))).toBe(`1.${'0'.repeat(32)}1`);
    expect(show(times(raw(ahead, -100), d('1')))).toBe('1');
    // A negative magnitude is truncated to 34 digits, but only after the rounding to 100 carried.
    const carried = `1${'0'.repeat(33)}${'9'.repeat(66)}5`;
    expect(show(dividedBy(raw(`-${carried}`, -100), d('1')))).toBe(`-1.${'0'.repeat(32)}1`);
    expect(show(times(raw(`-${carried}`, -100), d('1')))).toBe('-1');
    // Without a carry from the 101st digit, the nines stay.
    const short = `1${'0'.repeat(33)}4${'9'.repeat(65)}4`;
    expect(show(dividedBy(raw(short, -100), d('1')))).toBe('1');
    // The same through a real division: (10^70 − 1) / (3 × 10^70) = 0.333…3 (70 threes) …
    expect(show(dividedBy(raw(`${'9'.repeat(70)}`, 0), raw('3', 70)))).toBe('0.3333333333333333333333333333333333');
    // … and a quotient whose digits 35 to 100 are nines, but whose 101st is a 4: no carry, so
    // the negative one is truncated, the positive one rounded up on its 35th digit.
    const nines = BigInt(`2${'0'.repeat(33)}${'9'.repeat(66)}4`) * 7n;
    expect(show(dividedBy({ digits: -nines, exp: 0 }, raw('7', 0)))).toBe(`-2${'0'.repeat(100)}`);
    expect(show(dividedBy({ digits: nines, exp: 0 }, raw('7', 0)))).toBe(`2${'0'.repeat(32)}1${'0'.repeat(67)}`);
  });
});
