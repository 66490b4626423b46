import { envelopeOf, type SecretStore, type StoredEvent, type Webhook } from '@hookrelay/domain';
import type { HttpSender, SendResult } from '../http-sender.js';
import { signedRequest } from '../signed-request.js';

/** What sending an attempt needs. */
interface SendPorts {
  readonly secrets: Pick<SecretStore, 'get'>;
  readonly sender: HttpSender;
}

/** Watches an attempt while it is in flight: `start` as it goes out (its signal abandons it), `stop` once it is back. */
export interface AttemptWatch {
  start(): AbortSignal;
  stop(): void;
}

/**
 * Sends an attempt: the event's envelope, signed with the webhook's current secrets, to its
 * URL, through the sender (destination guard, endpoint authentication, timeout). With a watch,
 * the attempt can be abandoned while in flight.
 *
 * @example const result = await sendAttempt(deps, { tenantId, event, webhook, nowMs });
 */
export const sendAttempt = async (
  deps: SendPorts,
  attempt: {
    readonly tenantId: string;
    readonly event: StoredEvent;
    readonly webhook: Webhook;
    readonly nowMs: number;
  },
  watch?: AttemptWatch,
): Promise<SendResult> => {
  const { tenantId, event, webhook, nowMs } = attempt;
  const secrets = await deps.secrets.get(tenantId, webhook.id, nowMs);
  const request = signedRequest(webhook.url, envelopeOf(event), secrets, nowMs, webhook);
  if (!watch) return deps.sender.send(request);
  const signal = watch.start();
  try {
    return await deps.sender.send(request, { signal });
  } finally {
    watch.stop();
  }
};
