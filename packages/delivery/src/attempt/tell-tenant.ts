import {
  FAILING_NOTICE_QUIET_MS,
  isReservedType,
  maskUrl,
  notifyTenant,
  type OperationalDeps,
  type StoredEvent,
  type Webhook,
  type WebhookStore,
} from '@hookrelay/domain';
import type { SendResult } from '../http-sender.js';

/** Where operational events go, and the webhook store's mark (`claim`) that keeps a notice to one. */
export type NoticePorts<Claim extends keyof WebhookStore> = OperationalDeps & {
  readonly webhooks: Pick<WebhookStore, 'list' | Claim>;
};

export type NoticeDeps = NoticePorts<'claimFailingNotice'>;

/** What one attempt came to, as far as telling the tenant goes. */
export interface AttemptReport {
  readonly event: Pick<StoredEvent, 'event_id' | 'type'>;
  readonly webhook: Pick<Webhook, 'tenant_id' | 'id' | 'url' | 'failing_since'>;
  readonly attempt: number;
  readonly at: string;
  readonly result: Pick<SendResult, 'ok' | 'status_code'>;
  /** The delivery ended FAILED with this attempt. */
  readonly exhausted: boolean;
  readonly lastError?: string;
  /** Why the attempt disabled the webhook, if it did. */
  readonly disabled?: string;
}

/**
 * Tells the tenant, through its webhooks that subscribe, what an attempt meant for the
 * endpoint: it was disabled (with the reason), a delivery was exhausted, or it began failing
 * after succeeding (at most once an hour). Deliveries of the platform's own events tell
 * nothing, so notices cannot feed on themselves.
 *
 * @example await tellTenant(notices, { event, webhook, attempt: 8, at, result, exhausted: true });
 */
export const tellTenant = async (given: NoticeDeps, report: AttemptReport): Promise<void> => {
  const { event, webhook, attempt, at, result } = report;
  if (result.ok || isReservedType(event.type)) return;
  const tenantId = webhook.tenant_id;
  // One attempt may tell up to three things; the tenant's webhooks are read once for all.
  let listed: ReturnType<NoticeDeps['webhooks']['list']> | undefined;
  const deps: NoticeDeps = {
    ...given,
    webhooks: {
      list: (id) => {
        listed ??= given.webhooks.list(id);
        return listed;
      },
      claimFailingNotice: (...args) => given.webhooks.claimFailingNotice(...args),
    },
  };
  const endpoint = { webhook_id: webhook.id, url: maskUrl(webhook.url) };
  const last = {
    ...(result.status_code !== undefined ? { last_status_code: result.status_code } : {}),
    ...(report.lastError ? { last_error: report.lastError } : {}),
  };
  if (report.disabled) {
    await notifyTenant(deps, tenantId, {
      type: 'hookrelay.endpoint.disabled',
      webhook_id: webhook.id,
      occasion: `${webhook.id}:${event.event_id}:${attempt}`,
      data: { ...endpoint, reason: report.disabled, disabled_at: at, ...last },
    });
  }
  if (report.exhausted) {
    await notifyTenant(deps, tenantId, {
      type: 'hookrelay.delivery.exhausted',
      webhook_id: webhook.id,
      occasion: `${webhook.id}:${event.event_id}:${attempt}`,
      data: {
        ...endpoint,
        event_id: event.event_id,
        event_type: event.type,
        attempts: attempt,
        failed_at: at,
        ...last,
      },
    });
  }
  if (webhook.failing_since === undefined) {
    await notifyTenant(
      deps,
      tenantId,
      {
        type: 'hookrelay.endpoint.failing',
        webhook_id: webhook.id,
        occasion: `${webhook.id}:${at}`,
        data: { ...endpoint, failing_since: at, event_id: event.event_id, ...last },
      },
      () => deps.webhooks.claimFailingNotice(tenantId, webhook.id, at, FAILING_NOTICE_QUIET_MS),
    );
  }
};
