import { describe, expect, it } from 'vitest';
import { formatAge, formatBps, formatBtc, formatDuration, formatUsd, toUnits } from './amounts.js';

describe('amount formatting', () => {
  it('converts raw integers exactly enough for display, whatever the decimals', () => {
    expect(toUnits('2600000000', 6)).toBe(2600);
    expect(toUnits(123456789n, 8)).toBeCloseTo(1.23456789, 8);
    expect(toUnits('13633648899423687984', 18)).toBeCloseTo(13.633648899, 8);
  });

  it('formats USD, BTC, basis points and ages', () => {
    expect(formatUsd('26000.4')).toBe('$26,000');
    expect(formatUsd(1_234_567, true)).toBe('$1.23M');
    expect(formatUsd('not a number')).toBe('—');
    expect(formatBtc('150000000', 8)).toBe('1.5 BTC');
    expect(formatBps(4000)).toBe('40.00 %');
    expect(formatAge(1_000, 1_030)).toBe('30 s ago');
    expect(formatAge(0, 7_200)).toBe('2 h ago');
  });
});

describe('durations', () => {
  it('names the largest whole unit', () => {
    expect(formatDuration(3 * 86_400)).toBe('3 days');
    expect(formatDuration(3600)).toBe('1 hour');
    expect(formatDuration(5400)).toBe('90 minutes');
    expect(formatDuration(45)).toBe('45 s');
  });
});
