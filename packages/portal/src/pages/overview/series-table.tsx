import { type Column, DataTable } from '../../components/data-table.js';
import { TimeOf } from '../../components/time-of.js';
import type { SeriesPoint } from './stats-types.js';

const COLUMNS: readonly Column<SeriesPoint>[] = [
  { header: 'From', cell: (p) => <TimeOf iso={p.start} /> },
  { header: 'Attempts', cell: (p) => p.attempts },
  { header: 'Succeeded', cell: (p) => p.succeeded },
  { header: 'Failed', cell: (p) => p.failed },
  { header: 'Delivered', cell: (p) => p.delivered },
  { header: 'Retries spent', cell: (p) => p.exhausted },
  { header: 'p50 ms', cell: (p) => p.p50_ms ?? '–' },
  { header: 'p95 ms', cell: (p) => p.p95_ms ?? '–' },
];

/** The charts' figures as a table, for screen readers and for reading exact numbers. */
export const SeriesTable = ({ series }: { series: readonly SeriesPoint[] }) => (
  <details className="details">
    <summary>The figures as a table</summary>
    <DataTable label="Figures over time" columns={COLUMNS} rows={series} rowKey={(p) => p.start} />
  </details>
);
