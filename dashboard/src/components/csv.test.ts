import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';

describe('CSV export', () => {
  it('quotes cells with commas, quotes and newlines', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['plain', 'with, comma'],
          ['say "hi"', 1],
        ],
      ),
    ).toBe('a,b\nplain,"with, comma"\n"say ""hi""",1');
  });
});
