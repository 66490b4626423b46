import type { Answer } from '@hookrelay/client';
import { useId } from 'react';
import { PortalLink } from '../../app/links.js';
import { useCanManage } from '../../app/session.js';
import { ActionButton } from '../../components/action-button.js';
import { AttemptsTable } from '../../components/attempts-table.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { StatusBadge } from '../../components/status-badge.js';
import { TimeOf } from '../../components/time-of.js';
import { useResend } from './event-mutations.js';

type Delivery = Answer<'/v1/events/{id}', 'get'>['deliveries'][number];

/** One endpoint's delivery of the event: its state, its attempts, and resending it. */
export const DeliveryCard = ({
  eventId,
  delivery,
  url,
}: {
  eventId: string;
  delivery: Delivery;
  url?: string;
}) => {
  const canManage = useCanManage();
  const resend = useResend(eventId, delivery.webhook_id);
  const titleId = useId();
  return (
    <section className="card section" aria-labelledby={titleId}>
      <div className="page-header">
        <h3 id={titleId}>
          <PortalLink to={`/endpoints/${delivery.webhook_id}`} className="url">
            {url ?? delivery.webhook_id}
          </PortalLink>
        </h3>
        {canManage && (
          <div className="actions">
            <ActionButton
              label="Resend"
              busyLabel="Resending…"
              busy={resend.isPending}
              onClick={() => resend.mutate()}
            />
          </div>
        )}
      </div>
      <p>
        <StatusBadge status={delivery.status} /> {delivery.attempt_count}{' '}
        {delivery.attempt_count === 1 ? 'attempt' : 'attempts'}
        {delivery.last_status_code !== undefined && `, last answered HTTP ${delivery.last_status_code}`}
        {delivery.next_attempt_at && (
          <>
            , next attempt <TimeOf iso={delivery.next_attempt_at} />
          </>
        )}
      </p>
      {delivery.last_error && <p className="small">Last error: {delivery.last_error}</p>}
      {resend.isError && <ErrorNotice error={resend.error} action="Resend" />}
      {resend.data && <p role="status">Attempt {resend.data.attempt} queued for now.</p>}
      {delivery.attempts.length > 0 && (
        <AttemptsTable attempts={delivery.attempts} label={`Attempts to ${url ?? delivery.webhook_id}`} />
      )}
    </section>
  );
};
