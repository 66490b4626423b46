import { useWebhooks } from '../../api/shared-queries.js';
import { PortalLink } from '../../app/links.js';
import { useCanManage } from '../../app/session.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { EmptyState } from '../../components/empty-state.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Loading } from '../../components/loading.js';
import { PageHeader } from '../../components/page-header.js';
import { StatusBadge } from '../../components/status-badge.js';
import { TimeOf } from '../../components/time-of.js';
import { EventFilter } from './event-filter.js';
import { laneOf, stateOf, type Webhook } from './webhook-types.js';

const COLUMNS: readonly Column<Webhook>[] = [
  {
    header: 'Endpoint',
    cell: (w) => (
      <>
        <PortalLink to={`/endpoints/${w.id}`} className="url">
          {w.url}
        </PortalLink>
        {w.description && <div className="muted small">{w.description}</div>}
      </>
    ),
  },
  { header: 'State', cell: (w) => <StatusBadge status={stateOf(w)} /> },
  { header: 'Lane', cell: laneOf },
  { header: 'Receives', cell: (w) => <EventFilter events={w.events} /> },
  { header: 'Succeeded', numeric: true, cell: (w) => w.delivery_success_count ?? 0 },
  { header: 'Failed', numeric: true, cell: (w) => w.delivery_failure_count ?? 0 },
  { header: 'Last delivery', cell: (w) => <TimeOf iso={w.last_triggered_at} /> },
];

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
      {list.length > 0 && <DataTable label="Endpoints" columns={COLUMNS} rows={list} rowKey={(w) => w.id} />}
    </>
  );
};

export default EndpointsPage;
