import type { Answer } from '@hookrelay/client';
import { PortalLink } from '../../app/links.js';
import { ScrollRegion } from '../../components/scroll-region.js';
import { StatusBadge } from '../../components/status-badge.js';
import { TimeOf } from '../../components/time-of.js';

type EventSummary = Answer<'/v1/events', 'get'>['events'][number];

export const EventsTable = ({ events }: { events: readonly EventSummary[] }) => (
  <ScrollRegion label="Events">
    <table>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Type</th>
          <th scope="col">Status</th>
          <th scope="col">Sent</th>
          <th scope="col" className="num">
            Endpoints
          </th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.event_id}>
            <td>
              <PortalLink to={`/deliveries/${encodeURIComponent(e.event_id)}`}>
                <code>{e.event_id}</code>
              </PortalLink>
            </td>
            <td>
              <code>{e.type}</code>
            </td>
            <td>
              <StatusBadge status={e.status} />
            </td>
            <td>
              <TimeOf iso={e.created_at} />
            </td>
            <td className="num">{e.delivery_count ?? '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </ScrollRegion>
);
