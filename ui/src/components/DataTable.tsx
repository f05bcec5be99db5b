import type { ReactNode } from 'react';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
}

interface Props<T> {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Extra `data-*` attributes of a row, e.g. `data-file-id`. */
  rowData?: (row: T) => { [name: `data-${string}`]: string };
  /** The row's buttons, in a last column whose header is visually hidden. */
  actions: (row: T) => ReactNode;
  /** The table's accessible name, when the screen has more than one. */
  label?: string;
}

/** A scrollable `.table` with a header row and an actions column. */
export function DataTable<T>({ columns, rows, rowKey, rowData, actions, label }: Props<T>) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowData?.(row)}>
              {columns.map((column) => (
                <td key={column.header} className={column.className}>
                  {column.cell(row)}
                </td>
              ))}
              <td className="actions">{actions(row)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
