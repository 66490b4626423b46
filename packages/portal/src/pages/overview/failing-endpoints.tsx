import { PortalLink } from '../../app/links.js';
import { EmptyState } from '../../components/empty-state.js';
import { ScrollRegion } from '../../components/scroll-region.js';
import { StatusBadge } from '../../components/status-badge.js';
import { TimeOf } from '../../components/time-of.js';
import { FAILING_STATES, type FailingEndpoint } from './stats-types.js';

/** The endpoints failing now, worst first as the API lists them, each linking to its page. */
export const FailingEndpoints = ({ failing }: { failing: readonly FailingEndpoint[] }) => (
  <section aria-labelledby="failing-title" className="section">
    <h2 id="failing-title">Endpoints failing now</h2>
    {failing.length === 0 ? (
      <EmptyState title="No endpoint is failing now">Every endpoint is taking its deliveries.</EmptyState>
    ) : (
      <ScrollRegion label="Failing endpoints">
        <table>
          <thead>
            <tr>
              <th scope="col">Endpoint</th>
              <th scope="col">State</th>
              <th scope="col" className="num">
                Failed attempts
              </th>
              <th scope="col">Last failure</th>
              <th scope="col">Failing since</th>
            </tr>
          </thead>
          <tbody>
            {failing.map((f) => (
              <tr key={f.webhook_id}>
                <td>
                  <PortalLink to={`/endpoints/${f.webhook_id}`} className="url">
                    {f.url || f.webhook_id}
                  </PortalLink>
                  {f.disabled_reason && <div className="muted small">{f.disabled_reason}</div>}
                </td>
                <td>
                  <StatusBadge status={FAILING_STATES[f.state].label} tone={FAILING_STATES[f.state].tone} />
                </td>
                <td className="num">{f.failures}</td>
                <td>
                  <TimeOf iso={f.last_failure_at} />
                </td>
                <td>{f.failing_since ? <TimeOf iso={f.failing_since} /> : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    )}
  </section>
);
