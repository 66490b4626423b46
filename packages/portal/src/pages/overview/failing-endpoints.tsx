import { useWebhooks } from '../../api/shared-queries.js';
import { PortalLink } from '../../app/links.js';
import { EmptyState } from '../../components/empty-state.js';
import { ScrollRegion } from '../../components/scroll-region.js';
import { StatusBadge } from '../../components/status-badge.js';
import { TimeOf } from '../../components/time-of.js';
import type { FailingEndpoint } from './stats-shape.js';

const FailingTable = ({ rows }: { rows: readonly FailingEndpoint[] }) => (
  <ScrollRegion label="Failing endpoints">
    <table>
      <thead>
        <tr>
          <th scope="col">Endpoint</th>
          <th scope="col">Failures</th>
          <th scope="col">Last failure</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((f) => (
          <tr key={f.webhook_id}>
            <td>
              <PortalLink to={`/endpoints/${f.webhook_id}`}>{f.url || f.webhook_id}</PortalLink>
            </td>
            <td>{f.failures}</td>
            <td>
              <TimeOf iso={f.last_failure_at} />
            </td>
            <td>{f.state ? <StatusBadge status={f.state} /> : '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </ScrollRegion>
);

// Without the stats' list, the endpoints the platform itself disabled are the ones known to fail.
const DisabledByPlatform = () => {
  const webhooks = useWebhooks();
  const disabled = (webhooks.data ?? []).filter((w) => !w.active && w.disabled_reason);
  if (disabled.length === 0) {
    return <EmptyState title="No endpoint is failing now">Every endpoint is taking deliveries.</EmptyState>;
  }
  return (
    <FailingTable
      rows={disabled.map((w) => ({
        webhook_id: w.id,
        url: w.url,
        failures: w.delivery_failure_count ?? 0,
        ...(w.last_triggered_at ? { last_failure_at: w.last_triggered_at } : {}),
        state: 'Disabled by the platform',
      }))}
    />
  );
};

/** The endpoints failing now: the stats' list when the API has one, else the disabled ones. */
export const FailingEndpoints = ({ failing }: { failing: readonly FailingEndpoint[] | undefined }) => (
  <section aria-labelledby="failing-title" className="section">
    <h2 id="failing-title">Endpoints failing now</h2>
    {failing === undefined ? (
      <DisabledByPlatform />
    ) : failing.length === 0 ? (
      <EmptyState title="No endpoint is failing now">Every endpoint is taking deliveries.</EmptyState>
    ) : (
      <FailingTable rows={failing} />
    )}
  </section>
);
