import { PortalLink } from '../../app/links.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { EmptyState } from '../../components/empty-state.js';
import { StatusBadge } from '../../components/status-badge.js';
import { TimeOf } from '../../components/time-of.js';
import { FAILING_STATES, type FailingEndpoint } from './stats-types.js';

const COLUMNS: readonly Column<FailingEndpoint>[] = [
  {
    header: 'Endpoint',
    cell: (f) => (
      <>
        <PortalLink to={`/endpoints/${f.webhook_id}`} className="url">
          {f.url || f.webhook_id}
        </PortalLink>
        {f.disabled_reason && <div className="muted small">{f.disabled_reason}</div>}
      </>
    ),
  },
  {
    header: 'State',
    cell: (f) => <StatusBadge status={FAILING_STATES[f.state].label} tone={FAILING_STATES[f.state].tone} />,
  },
  { header: 'Failed attempts', numeric: true, cell: (f) => f.failures },
  { header: 'Last failure', cell: (f) => <TimeOf iso={f.last_failure_at} /> },
  { header: 'Failing since', cell: (f) => (f.failing_since ? <TimeOf iso={f.failing_since} /> : '–') },
];

/** The endpoints failing now, worst first as the API lists them, each linking to its page. */
export const FailingEndpoints = ({ failing }: { failing: readonly FailingEndpoint[] }) => (
  <section aria-labelledby="failing-title" className="section">
    <h2 id="failing-title">Endpoints failing now</h2>
    {failing.length === 0 ? (
      <EmptyState title="No endpoint is failing now">Every endpoint is taking its deliveries.</EmptyState>
    ) : (
      <DataTable label="Failing endpoints" columns={COLUMNS} rows={failing} rowKey={(f) => f.webhook_id} />
    )}
  </section>
);
