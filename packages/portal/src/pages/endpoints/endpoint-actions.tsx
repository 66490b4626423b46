import { useNavigate } from 'react-router';
import { PortalLink, withSession } from '../../app/links.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useDeleteWebhook, useUpdateWebhook } from './endpoint-queries.js';
import type { Webhook } from './webhook-types.js';

/** Edit, pause or resume, delete (after asking). */
export const EndpointActions = ({ webhook }: { webhook: Webhook }) => {
  const navigate = useNavigate();
  const update = useUpdateWebhook(webhook.id);
  const remove = useDeleteWebhook(webhook.id);
  return (
    <>
      <PortalLink to={`/endpoints/${webhook.id}/edit`} className="button">
        Edit
      </PortalLink>
      <button
        type="button"
        className="button"
        disabled={update.isPending}
        onClick={() => update.mutate({ active: !webhook.active })}
      >
        {webhook.active ? 'Disable' : 'Enable'}
      </button>
      <ConfirmButton
        label="Delete"
        title="Delete this endpoint?"
        confirmLabel="Delete endpoint"
        danger
        disabled={remove.isPending}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => navigate(withSession('/endpoints'), { replace: true }),
          })
        }
      >
        <p>
          Deliveries to <code>{webhook.url}</code> stop now and its settings and secret are removed. This
          cannot be undone.
        </p>
      </ConfirmButton>
      {update.isError && <ErrorNotice error={update.error} action={webhook.active ? 'Disable' : 'Enable'} />}
      {remove.isError && <ErrorNotice error={remove.error} action="Delete" />}
    </>
  );
};
