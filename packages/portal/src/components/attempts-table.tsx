import type { Answer } from '@hookrelay/client';
import { PortalLink } from '../app/links.js';
import { JsonBlock } from './json-block.js';
import { ScrollRegion } from './scroll-region.js';
import { StatusBadge } from './status-badge.js';
import { TimeOf } from './time-of.js';

export type Attempt = Answer<'/v1/webhooks/{id}/deliveries', 'get'>['attempts'][number];

const Response = ({ text }: { text: string | undefined }) =>
  text ? (
    <details>
      <summary>{text.length > 40 ? `${text.slice(0, 40)}…` : text}</summary>
      <JsonBlock value={text} label="Response excerpt" />
    </details>
  ) : (
    <span className="muted">–</span>
  );

/**
 * HTTP attempts: when, outcome, status code, duration, why it failed and what came back;
 * with `showEvent`, each links to its event.
 */
export const AttemptsTable = ({
  attempts,
  label,
  showEvent = false,
  endpointLabel,
}: {
  attempts: readonly Attempt[];
  label: string;
  showEvent?: boolean;
  endpointLabel?: (webhookId: string) => string;
}) => (
  <ScrollRegion label={label}>
    <table>
      <thead>
        <tr>
          <th scope="col">Time</th>
          {showEvent && <th scope="col">Event</th>}
          {endpointLabel && <th scope="col">Endpoint</th>}
          <th scope="col" className="num">
            #
          </th>
          <th scope="col">Outcome</th>
          <th scope="col" className="num">
            Status
          </th>
          <th scope="col" className="num">
            Duration
          </th>
          <th scope="col">Error</th>
          <th scope="col">Response</th>
        </tr>
      </thead>
      <tbody>
        {attempts.map((a) => (
          <tr key={`${a.event_id}:${a.webhook_id}:${a.attempt}`}>
            <td>
              <TimeOf iso={a.attempted_at} />
            </td>
            {showEvent && (
              <td>
                <PortalLink to={`/deliveries/${encodeURIComponent(a.event_id)}`}>
                  <code>{a.event_id}</code>
                </PortalLink>
              </td>
            )}
            {endpointLabel && <td className="url">{endpointLabel(a.webhook_id)}</td>}
            <td className="num">{a.attempt}</td>
            <td>
              <StatusBadge status={a.outcome} />
            </td>
            <td className="num">{a.status_code ?? '–'}</td>
            <td className="num">{a.duration_ms !== undefined ? `${a.duration_ms} ms` : '–'}</td>
            <td>{a.error_kind ?? '–'}</td>
            <td>
              <Response text={a.response} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </ScrollRegion>
);
