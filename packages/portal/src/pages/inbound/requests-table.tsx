import type { Answer } from '@hookrelay/client';
import { PortalLink } from '../../app/links.js';
import { ScrollRegion } from '../../components/scroll-region.js';
import { StatusBadge } from '../../components/status-badge.js';
import { TimeOf } from '../../components/time-of.js';

type ReceivedRequest = Answer<'/v1/sources/{id}/requests', 'get'>['requests'][number];

export const RequestsTable = ({
  sourceId,
  requests,
}: {
  sourceId: string;
  requests: readonly ReceivedRequest[];
}) => (
  <ScrollRegion label="Received requests">
    <table>
      <thead>
        <tr>
          <th scope="col">Received</th>
          <th scope="col">Type</th>
          <th scope="col">Status</th>
          <th scope="col">Provider's id</th>
          <th scope="col" className="num">
            Size
          </th>
          <th scope="col" className="num">
            Duplicates
          </th>
        </tr>
      </thead>
      <tbody>
        {requests.map((r) => (
          <tr key={r.id}>
            <td>
              <PortalLink to={`/inbound/${sourceId}/requests/${r.id}`}>
                <TimeOf iso={r.received_at} />
              </PortalLink>
            </td>
            <td>{r.type ? <code>{r.type}</code> : '–'}</td>
            <td>
              <StatusBadge status={r.status} />
            </td>
            <td>{r.provider_event_id ? <code>{r.provider_event_id}</code> : '–'}</td>
            <td className="num">{r.size !== undefined ? `${r.size} B` : '–'}</td>
            <td className="num">{r.duplicate_count ?? 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </ScrollRegion>
);
