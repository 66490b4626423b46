import type { Key, ReactNode } from 'react';
import { ScrollRegion } from './scroll-region.js';

/** One column of a {@link DataTable}: its header, and what each row shows under it. */
export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => ReactNode;
  /** A figure: header and cells aligned as numbers. */
  readonly numeric?: boolean;
}

/**
 * A list as a table in a named scroll region, one row an item, one column a {@link Column}.
 *
 *   <DataTable label="Events" rows={events} rowKey={(e) => e.event_id} columns={EVENT_COLUMNS} />
 */
export const DataTable = <Row,>({
  label,
  columns,
  rows,
  rowKey,
}: {
  label: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => Key;
}) => (
  <ScrollRegion label={label}>
    <table>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} scope="col" className={column.numeric ? 'num' : undefined}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column) => (
              <td key={column.header} className={column.numeric ? 'num' : undefined}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  </ScrollRegion>
);
