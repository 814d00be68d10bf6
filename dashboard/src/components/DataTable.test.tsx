import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DataTable } from './DataTable.js';
import { answers, QueryState } from './QueryState.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const rows = [
  { id: '0x01', name: 'WBTC/USDC', debt: '1500000000' },
  { id: '0x02', name: 'tBTC, "test"', debt: '0' },
];

describe('DataTable', () => {
  it('renders the rows and downloads the raw values as CSV', async () => {
    let blob: Blob | undefined;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blob = b as Blob;
      return 'blob:csv';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    render(
      <DataTable
        caption="Markets"
        csvName="markets.csv"
        rows={rows}
        rowKey={(r) => r.id}
        columns={[
          { header: 'Market', rowHeader: true, cell: (r) => <a href={`/m/${r.id}`}>{r.name}</a>, csv: (r) => r.name },
          { header: 'Debt', cell: (r) => `$${Number(r.debt) / 1e6}`, csv: (r) => r.debt },
        ]}
      />,
    );
    expect(screen.getAllByRole('rowheader').map((h) => h.textContent)).toEqual(['WBTC/USDC', 'tBTC, "test"']);
    expect(screen.getAllByRole('cell').map((c) => c.textContent)).toEqual(['$1500', '$0']);
    fireEvent.click(screen.getByRole('button', { name: 'Download Markets as CSV' }));
    expect(await blob?.text()).toBe('Market,Debt\nWBTC/USDC,1500000000\n"tBTC, ""test""",0');
  });

  it('says that an empty table has no rows and disables its download', () => {
    render(<DataTable caption="Loans" csvName="l.csv" rows={[]} rowKey={String} columns={[]} />);
    expect(screen.getByText('None.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Download Loans as CSV' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('QueryState', () => {
  const base = { fetching: false, empty: true, retry: () => {}, what: 'loans', children: <p>rows</p> };

  it('says that there is nothing yet, or shows a skeleton while loading', () => {
    const { rerender } = render(<QueryState {...base} />);
    expect(screen.getByText('No loans yet.')).toBeTruthy();
    rerender(<QueryState {...base} fetching />);
    expect(screen.getByRole('status').textContent).toBe('Loading loans…');
  });

  it('keeps showing the data while it revalidates', () => {
    render(<QueryState {...base} fetching empty={false} />);
    expect(screen.getByText('rows')).toBeTruthy();
  });
});

describe('answers', () => {
  it('tells a result for other variables (the previous page) from the current one', () => {
    const result = { operation: { variables: { first: 11, where: { status: 'OPEN' } } } };
    expect(answers(result, { first: 11, where: { status: 'OPEN' } })).toBe(true);
    expect(answers(result, { first: 11, where: { or: [] } })).toBe(false);
    expect(answers({}, { first: 11 })).toBe(false);
  });
});
