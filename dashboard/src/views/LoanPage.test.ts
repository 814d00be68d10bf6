import { describe, expect, it } from 'vitest';
import { schedule } from './LoanPage.js';

describe('installment schedule', () => {
  const loan = {
    installmentCount: 4,
    installmentsPaid: 1,
    installmentInterval: '100',
    openedAt: '1000',
    status: 'OPEN' as const,
  };

  it('marks paid, overdue and upcoming installments from the loan’s fields', () => {
    expect(schedule(loan, 1_250).map((i) => [i.dueAt, i.state])).toEqual([
      [1100, 'paid'],
      [1200, 'overdue'],
      [1300, 'upcoming'],
      [1400, 'upcoming'],
    ]);
    expect(schedule(loan, 1_150)[1]?.state).toBe('due');
    expect(schedule({ ...loan, status: 'REPAID' }, 9_999).every((i) => i.state === 'paid')).toBe(true);
    expect(schedule({ ...loan, status: 'LIQUIDATED' }, 1_250).map((i) => i.state)).toEqual([
      'paid',
      'liquidated',
      'liquidated',
      'liquidated',
    ]);
  });
});
