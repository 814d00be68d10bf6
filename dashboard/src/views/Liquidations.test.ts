import { describe, expect, it } from 'vitest';
import { liquidationsVariables, PAGE } from './Liquidations.js';

const market = '0x00000000000000000000000000000000000000aa';
const row = { value: '1700000000', id: '0x0bcd' };

describe('liquidations paging', () => {
  it('asks for the newest page with the filters and no skip, one row more than shown', () => {
    const variables = liquidationsVariables({ reason: 'PRICE', market }, {});
    expect(variables).toEqual({ first: PAGE + 1, orderDirection: 'desc', where: { reason: 'PRICE', market } });
    expect('skip' in variables).toBe(false);
  });

  it('continues after the last row: older, or as old with a smaller id, the filters in each branch', () => {
    expect(liquidationsVariables({ reason: 'DEFAULT', market }, { after: row })).toEqual({
      first: PAGE + 1,
      orderDirection: 'desc',
      where: {
        or: [
          { reason: 'DEFAULT', market, timestamp_lt: '1700000000' },
          { reason: 'DEFAULT', market, timestamp: '1700000000', id_lt: '0x0bcd' },
        ],
      },
    });
  });

  it('goes back before the first row oldest first, without filters when none is chosen', () => {
    expect(liquidationsVariables({ reason: null, market: '' }, { before: row })).toEqual({
      first: PAGE + 1,
      orderDirection: 'asc',
      where: { or: [{ timestamp_gt: '1700000000' }, { timestamp: '1700000000', id_gt: '0x0bcd' }] },
    });
  });
});
