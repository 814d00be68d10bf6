import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageQuery, pageRows } from './cursor.js';

const cursor = { value: '1500000000', id: '0xab' };

describe('cursor pagination', () => {
  it('round-trips a cursor through the URL and rejects malformed ones', () => {
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(encodeCursor({ value: '1.25', id: '0x01' }))).toEqual({ value: '1.25', id: '0x01' });
    expect(decodeCursor('12~not-hex')).toBeNull();
    expect(decodeCursor('~0xab')).toBeNull();
    expect(decodeCursor('abc~0xab')).toBeNull();
    expect(decodeCursor(null)).toBeNull();
  });

  it('asks for the first page with the plain filter', () => {
    expect(pageQuery({ status: 'OPEN' }, 'debt', 'string', 'desc', {})).toEqual({
      where: { status: 'OPEN' },
      orderDirection: 'desc',
      reverse: false,
    });
  });

  it('continues after a row: smaller value, or the same value and a smaller id (descending)', () => {
    expect(pageQuery({ status: 'OPEN' }, 'debt', 'string', 'desc', { after: cursor })).toEqual({
      where: {
        or: [
          { status: 'OPEN', debt_lt: '1500000000' },
          { status: 'OPEN', debt: '1500000000', id_lt: '0xab' },
        ],
      },
      orderDirection: 'desc',
      reverse: false,
    });
  });

  it('goes back before a row by querying the other way round, with Int values as numbers', () => {
    expect(pageQuery({}, 'ltvBps', 'int', 'desc', { before: { value: '4500', id: '0x01' } })).toEqual({
      where: { or: [{ ltvBps_gt: 4500 }, { ltvBps: 4500, id_gt: '0x01' }] },
      orderDirection: 'asc',
      reverse: true,
    });
  });

  it('pages by id alone without an or', () => {
    expect(pageQuery({}, 'id', 'string', 'asc', { after: cursor }).where).toEqual({ id_gt: '0xab' });
  });

  it('shows size rows, learns from the extra row whether more follow, and turns a backward page round', () => {
    expect(pageRows([1, 2, 3], 2, {})).toEqual({ rows: [1, 2], hasPrevious: false, hasNext: true });
    expect(pageRows([1, 2], 2, { after: cursor })).toEqual({ rows: [1, 2], hasPrevious: true, hasNext: false });
    expect(pageRows([3, 2, 1], 2, { before: cursor })).toEqual({ rows: [2, 3], hasPrevious: true, hasNext: true });
    expect(pageRows([2, 1], 2, { before: cursor })).toEqual({ rows: [1, 2], hasPrevious: false, hasNext: true });
  });
});
