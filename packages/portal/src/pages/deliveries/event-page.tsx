import { useParams } from 'react-router';
import { useEvent } from '../../api/event-queries.js';
import { useWebhookUrls } from '../../api/shared-queries.js';
import { PortalLink } from '../../app/links.js';
import { useCanManage } from '../../app/session.js';
import { ActionButton } from '../../components/action-button.js';
import { EmptyState } from '../../components/empty-state.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { JsonBlock } from '../../components/json-block.js';
import { Loading } from '../../components/loading.js';
import { PageHeader } from '../../components/page-header.js';
import { StatusBadge } from '../../components/status-badge.js';
import { SummaryItem } from '../../components/summary-item.js';
import { TimeOf } from '../../components/time-of.js';
import { DeliveryCard } from './delivery-card.js';
import { useRetryEvent } from './event-mutations.js';

/** Shown while the event is FAILED; its answer stays once the event is retrying. */
const RetryControl = ({ id, failed }: { id: string; failed: boolean }) => {
  const retry = useRetryEvent(id);
  return (
    <>
      {failed && (
        <ActionButton
          label="Retry failed deliveries"
          busyLabel="Retrying…"
          busy={retry.isPending}
          primary
          onClick={() => retry.mutate()}
        />
      )}
      {retry.isError && <ErrorNotice error={retry.error} action="Retry" />}
      {retry.data && (
        <span role="status">
          {retry.data.retried} {retry.data.retried === 1 ? 'delivery' : 'deliveries'} retrying.
        </span>
      )}
    </>
  );
};

const EventPage = () => {
  const { eventId = '' } = useParams();
  const event = useEvent(eventId, { follow: true });
  const urls = useWebhookUrls();
  const canManage = useCanManage();
  const crumbs = (
    <p className="crumbs">
      <PortalLink to="/deliveries">Deliveries</PortalLink>
    </p>
  );
  if (event.isPending) return <Loading what="Reading the event" />;
  if (event.isError) {
    return (
      <>
        {crumbs}
        <PageHeader title="Event" />
        <ErrorNotice error={event.error} />
      </>
    );
  }
  const e = event.data;
  return (
    <>
      {crumbs}
      <PageHeader title={<code>{e.event_id}</code>}>
        {canManage && <RetryControl id={e.event_id} failed={e.status === 'FAILED'} />}
      </PageHeader>
      <dl className="summary">
        <SummaryItem term="Status">
          <StatusBadge status={e.status} />
        </SummaryItem>
        <SummaryItem term="Type">
          <code>{e.type}</code>
        </SummaryItem>
        <SummaryItem term="Sent">
          <TimeOf iso={e.created_at} />
        </SummaryItem>
      </dl>
      <section className="section" aria-labelledby="payload-title">
        <h2 id="payload-title">Payload</h2>
        <JsonBlock value={e.data} label="Event payload" />
      </section>
      <section className="section" aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">Deliveries</h2>
        {e.deliveries.length === 0 ? (
          <EmptyState title="No endpoint receives this type">
            Add an endpoint for <code>{e.type}</code> (or every type) and new events of it will be delivered.
          </EmptyState>
        ) : (
          e.deliveries.map((d) => (
            <DeliveryCard
              key={d.webhook_id}
              eventId={e.event_id}
              delivery={d}
              {...(urls.get(d.webhook_id) ? { url: urls.get(d.webhook_id) } : {})}
            />
          ))
        )}
      </section>
    </>
  );
};

export default EventPage;
