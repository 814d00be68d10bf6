import { describe, expect, it } from 'vitest';
import { isRangeTooLarge, LogRange } from './log-range.js';

describe('LogRange', () => {
  it('starts small and doubles while responses stay sparse, up to its maximum', () => {
    const range = new LogRange({ max: 1_000 });
    expect(range.size).toBe(100);
    range.observe(100, 5);
    expect(range.size).toBe(200);
    for (let i = 0; i < 5; i += 1) range.observe(range.size, 0);
    expect(range.size).toBe(1_000);
  });

  it('does not grow on a short range it did not ask for in full (the end of the chain)', () => {
    const range = new LogRange({ initial: 100 });
    range.observe(40, 0);
    expect(range.size).toBe(100);
  });

  it('after a dense response aims the next range at the target number of logs', () => {
    const range = new LogRange({ initial: 100, targetLogs: 10_000 });
    range.observe(100, 15_000);
    expect(range.size).toBe(100);
    range.observe(100, 40_000);
    expect(range.size).toBe(25);
    range.observe(25, 1_000_000);
    expect(range.size).toBe(1);
  });

  it('halves on a refusal down to its minimum, then says it cannot shrink', () => {
    const range = new LogRange({ initial: 8, min: 2 });
    expect(range.shrink()).toBe(true);
    expect(range.size).toBe(4);
    expect(range.shrink()).toBe(true);
    expect(range.shrink()).toBe(false);
    expect(range.size).toBe(2);
  });

  it('recognises providers\' "ask for fewer blocks" errors', () => {
    expect(isRangeTooLarge('query returned more than 10000 results')).toBe(true);
    expect(isRangeTooLarge('block range is too wide')).toBe(true);
    expect(isRangeTooLarge('execution reverted')).toBe(false);
  });
});
