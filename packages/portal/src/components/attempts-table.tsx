import type { Answer } from '@hookrelay/client';
import { PortalLink } from '../app/links.js';
import { type Column, DataTable } from './data-table.js';
import { JsonBlock } from './json-block.js';
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

const TIME: Column<Attempt> = { header: 'Time', cell: (a) => <TimeOf iso={a.attempted_at} /> };

const EVENT: Column<Attempt> = {
  header: 'Event',
  cell: (a) => (
    <PortalLink to={`/deliveries/${encodeURIComponent(a.event_id)}`}>
      <code>{a.event_id}</code>
    </PortalLink>
  ),
};

const OUTCOME: readonly Column<Attempt>[] = [
  { header: '#', numeric: true, cell: (a) => a.attempt },
  { header: 'Outcome', cell: (a) => <StatusBadge status={a.outcome} /> },
  { header: 'Status', numeric: true, cell: (a) => a.status_code ?? '–' },
  {
    header: 'Duration',
    numeric: true,
    cell: (a) => (a.duration_ms !== undefined ? `${a.duration_ms} ms` : '–'),
  },
  { header: 'Error', cell: (a) => a.error_kind ?? '–' },
  { header: 'Response', cell: (a) => <Response text={a.response} /> },
];

/**
 * HTTP attempts: when, outcome, status code, duration, why it failed and what came back;
 * with `showEvent`, each links to its event.
 */
export const AttemptsTable = ({
  attempts,
  label,
  showEvent = false,
}: {
  attempts: readonly Attempt[];
  label: string;
  showEvent?: boolean;
}) => (
  <DataTable
    label={label}
    columns={showEvent ? [TIME, EVENT, ...OUTCOME] : [TIME, ...OUTCOME]}
    rows={attempts}
    rowKey={(a) => `${a.event_id}:${a.webhook_id}:${a.attempt}`}
  />
);
