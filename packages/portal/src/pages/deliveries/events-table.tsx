import type { Answer } from '@hookrelay/client';
import { PortalLink } from '../../app/links.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { StatusBadge } from '../../components/status-badge.js';
import { TimeOf } from '../../components/time-of.js';

type EventSummary = Answer<'/v1/events', 'get'>['events'][number];

const COLUMNS: readonly Column<EventSummary>[] = [
  {
    header: 'Event',
    cell: (e) => (
      <PortalLink to={`/deliveries/${encodeURIComponent(e.event_id)}`}>
        <code>{e.event_id}</code>
      </PortalLink>
    ),
  },
  { header: 'Type', cell: (e) => <code>{e.type}</code> },
  { header: 'Status', cell: (e) => <StatusBadge status={e.status} /> },
  { header: 'Sent', cell: (e) => <TimeOf iso={e.created_at} /> },
  { header: 'Endpoints', numeric: true, cell: (e) => e.delivery_count ?? '–' },
];

export const EventsTable = ({ events }: { events: readonly EventSummary[] }) => (
  <DataTable label="Events" columns={COLUMNS} rows={events} rowKey={(e) => e.event_id} />
);
