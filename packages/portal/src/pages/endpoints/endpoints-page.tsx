import { useWebhooks } from '../../api/shared-queries.js';
import { PortalLink } from '../../app/links.js';
import { useCanManage } from '../../app/session.js';
import { EmptyState } from '../../components/empty-state.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Loading } from '../../components/loading.js';
import { PageHeader } from '../../components/page-header.js';
import { ScrollRegion } from '../../components/scroll-region.js';
import { StatusBadge } from '../../components/status-badge.js';
import { TimeOf } from '../../components/time-of.js';
import { EventFilter } from './event-filter.js';
import { laneOf, stateOf, type Webhook } from './webhook-types.js';

const EndpointRow = ({ webhook }: { webhook: Webhook }) => (
  <tr>
    <td>
      <PortalLink to={`/endpoints/${webhook.id}`} className="url">
        {webhook.url}
      </PortalLink>
      {webhook.description && <div className="muted small">{webhook.description}</div>}
    </td>
    <td>
      <StatusBadge status={stateOf(webhook)} />
    </td>
    <td>{laneOf(webhook)}</td>
    <td>
      <EventFilter events={webhook.events} />
    </td>
    <td className="num">{webhook.delivery_success_count ?? 0}</td>
    <td className="num">{webhook.delivery_failure_count ?? 0}</td>
    <td>
      <TimeOf iso={webhook.last_triggered_at} />
    </td>
  </tr>
);

const EndpointsPage = () => {
  const webhooks = useWebhooks();
  const canManage = useCanManage();
  const list = webhooks.data ?? [];
  return (
    <>
      <PageHeader title="Endpoints">
        {canManage && (
          <PortalLink to="/endpoints/new" className="button button-primary">
            New endpoint
          </PortalLink>
        )}
      </PageHeader>
      {webhooks.isPending && <Loading what="Reading your endpoints" />}
      {webhooks.isError && <ErrorNotice error={webhooks.error} />}
      {webhooks.data && list.length === 0 && (
        <EmptyState title="No endpoint yet">
          {canManage
            ? 'Add the URL where events should be delivered: “New endpoint” above.'
            : 'Endpoints are where events are delivered; someone who can manage this account adds them.'}
        </EmptyState>
      )}
      {list.length > 0 && (
        <ScrollRegion label="Endpoints">
          <table>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">State</th>
                <th scope="col">Lane</th>
                <th scope="col">Receives</th>
                <th scope="col" className="num">
                  Succeeded
                </th>
                <th scope="col" className="num">
                  Failed
                </th>
                <th scope="col">Last delivery</th>
              </tr>
            </thead>
            <tbody>
              {list.map((w) => (
                <EndpointRow key={w.id} webhook={w} />
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </>
  );
};

export default EndpointsPage;
