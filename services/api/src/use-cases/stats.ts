import { type Clock, EVENT_STATUSES, type EventStore, iso, type WebhookStore } from '@hookrelay/domain';

/** At most this many attempts (the newest) are read for one answer; `complete` says if that was all. */
export const STATS_ATTEMPT_LIMIT = 10_000;

/**
 * Attempts read per call. A page merges the webhook's history shards (one query each), so the
 * API's page size of 100 would make a full read 100 rounds of them; a few KB-sized items per
 * shard fit one DynamoDB response easily.
 */
const STATS_PAGE = 1_000;

export interface StatsPorts {
  readonly events: Pick<EventStore, 'countByStatus' | 'attemptsByWebhook'>;
  readonly webhooks: Pick<WebhookStore, 'list'>;
  readonly clock: Clock;
}

/** `15m`, `24h`, `7d` in milliseconds. */
export const windowMs = (text: string): number => {
  const n = Number(text.slice(0, -1));
  const unit = text.slice(-1);
  return n * (unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000);
};

const percentile = (sorted: readonly number[], p: number): number | null =>
  sorted.length === 0
    ? null
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? null);

/**
 * A tenant's numbers over [now - window, now): events created in the window by their status
 * now, and the attempts made in the window, which give the success rate and the latency.
 * Every attempt of the window is read (newest first, up to STATS_ATTEMPT_LIMIT), so the
 * sample is the attempts themselves, not a per-webhook page of them.
 *
 * @example tenantStats({ events, webhooks, clock }, { tenantId: 'acme', window: '24h' })
 */
export const tenantStats = async (
  { events, webhooks, clock }: StatsPorts,
  input: { readonly tenantId: string; readonly window: string },
) => {
  const { tenantId, window } = input;
  const nowMs = clock.now();
  const since = iso(nowMs - windowMs(window));
  const until = iso(nowMs);
  const counts = await events.countByStatus(tenantId, since);
  const durations: number[] = [];
  let succeeded = 0;
  let complete = true;
  for (const webhook of await webhooks.list(tenantId)) {
    let cursor: string | undefined;
    do {
      const room = STATS_ATTEMPT_LIMIT - durations.length;
      if (room <= 0) {
        complete = false;
        break;
      }
      const page = await events.attemptsByWebhook(tenantId, webhook.id, Math.min(STATS_PAGE, room), cursor, {
        after: since,
        before: until,
      });
      for (const attempt of page.attempts) {
        durations.push(attempt.duration_ms);
        if (attempt.outcome === 'success') succeeded += 1;
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }
  durations.sort((a, b) => a - b);
  const total = durations.length;
  return {
    window,
    since,
    until,
    covers: {
      events: 'Events created in [since, until), counted by their status now.',
      attempts:
        'Delivery attempts made in [since, until) to the webhooks the tenant has now (those of deleted ' +
        `webhooks are not counted), newest first, at most ${STATS_ATTEMPT_LIMIT}; complete is false when ` +
        'there were more.',
      success_rate: 'attempts.succeeded / attempts.total; null when no attempt was made.',
    },
    counts: Object.fromEntries(EVENT_STATUSES.map((s) => [s, counts[s]])),
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    success_rate: total === 0 ? null : succeeded / total,
    attempts: { total, succeeded, failed: total - succeeded, complete },
    attempt_latency_ms: {
      p50: percentile(durations, 50),
      p95: percentile(durations, 95),
      sample: total,
    },
  };
};
