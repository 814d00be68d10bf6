// Every table of the dashboard: a captioned table whose rows also download as CSV (raw values,
// as the subgraph holds them, so that a spreadsheet gets exact amounts).
import type { ReactNode } from 'react';
import { downloadCsv } from './csv.js';

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  /** The CSV value: the raw amount rather than the formatted text. */
  csv: (row: Row) => string | number;
  /** The column names the row (a `th scope="row"`). */
  rowHeader?: boolean;
  className?: (row: Row) => string | undefined;
  /** Words rather than figures: aligned left. */
  text?: boolean;
}

export function DataTable<Row>(props: {
  caption: string;
  columns: Array<Column<Row>>;
  rows: Row[];
  rowKey: (row: Row) => string;
  csvName: string;
  rowClassName?: (row: Row) => string | undefined;
}) {
  return (
    <div className="table">
      <table>
        <caption>
          {props.caption}{' '}
          <button
            type="button"
            className="csv"
            disabled={props.rows.length === 0}
            aria-label={`Download ${props.caption} as CSV`}
            onClick={() =>
              downloadCsv(
                props.csvName,
                props.columns.map((c) => c.header),
                props.rows.map((row) => props.columns.map((c) => c.csv(row))),
              )
            }
          >
            CSV
          </button>
        </caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.header} scope="col" className={c.text ? 'text' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)} className={props.rowClassName?.(row)}>
              {props.columns.map((c) => {
                const className = [c.text ? 'text' : '', c.className?.(row) ?? ''].join(' ').trim() || undefined;
                return c.rowHeader ? (
                  <th key={c.header} scope="row" className={className}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={c.header} className={className}>
                    {c.cell(row)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {props.rows.length === 0 && <p className="none">None.</p>}
    </div>
  );
}
