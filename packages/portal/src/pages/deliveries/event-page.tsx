import { useParams } from 'react-router';
import { useEvent } from '../../api/event-queries.js';
import { useWebhookUrls } from '../../api/shared-queries.js';
import { PortalLink } from '../../app/links.js';
import { useCanManage } from '../../app/session.js';
import { ActionWithOutcome } from '../../components/action-with-outcome.js';
import { EmptyState } from '../../components/empty-state.js';
import { JsonSection } from '../../components/json-section.js';
import { PageHeader } from '../../components/page-header.js';
import { ReadPage } from '../../components/read-page.js';
import { StatusBadge } from '../../components/status-badge.js';
import { SummaryItem } from '../../components/summary-item.js';
import { TimeOf } from '../../components/time-of.js';
import { DeliveryCard } from './delivery-card.js';
import { useRetryEvent } from './event-mutations.js';

/** Shown while the event is FAILED; its answer stays once the event is retrying. */
const RetryControl = ({ id, failed }: { id: string; failed: boolean }) => {
  const retry = useRetryEvent(id);
  return (
    <ActionWithOutcome
      mutation={retry}
      label="Retry failed deliveries"
      busyLabel="Retrying…"
      action="Retry"
      offered={failed}
      outcome={({ retried }) => `${retried} ${retried === 1 ? 'delivery' : 'deliveries'} retrying.`}
    />
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
  return (
    <ReadPage query={event} reading="Reading the event" title="Event" crumbs={crumbs}>
      {(e) => (
        <>
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
          <JsonSection title="Payload" value={e.data} label="Event payload" />
          <section className="section" aria-labelledby="deliveries-title">
            <h2 id="deliveries-title">Deliveries</h2>
            {e.deliveries.length === 0 ? (
              <EmptyState title="No endpoint receives this type">
                Add an endpoint for <code>{e.type}</code> (or every type) and new events of it will be
                delivered.
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
      )}
    </ReadPage>
  );
};

export default EventPage;
