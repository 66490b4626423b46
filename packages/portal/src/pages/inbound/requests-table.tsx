import type { Answer } from '@hookrelay/client';
import { PortalLink } from '../../app/links.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { StatusBadge } from '../../components/status-badge.js';
import { TimeOf } from '../../components/time-of.js';

type ReceivedRequest = Answer<'/v1/sources/{id}/requests', 'get'>['requests'][number];

/** The columns after the first, which links to the request on its source's page. */
const DETAILS: readonly Column<ReceivedRequest>[] = [
  { header: 'Type', cell: (r) => (r.type ? <code>{r.type}</code> : '–') },
  { header: 'Status', cell: (r) => <StatusBadge status={r.status} /> },
  { header: "Provider's id", cell: (r) => (r.provider_event_id ? <code>{r.provider_event_id}</code> : '–') },
  { header: 'Size', numeric: true, cell: (r) => (r.size !== undefined ? `${r.size} B` : '–') },
  { header: 'Duplicates', numeric: true, cell: (r) => r.duplicate_count ?? 0 },
];

export const RequestsTable = ({
  sourceId,
  requests,
}: {
  sourceId: string;
  requests: readonly ReceivedRequest[];
}) => {
  const received: Column<ReceivedRequest> = {
    header: 'Received',
    cell: (r) => (
      <PortalLink to={`/inbound/${sourceId}/requests/${r.id}`}>
        <TimeOf iso={r.received_at} />
      </PortalLink>
    ),
  };
  return (
    <DataTable
      label="Received requests"
      columns={[received, ...DETAILS]}
      rows={requests}
      rowKey={(r) => r.id}
    />
  );
};
