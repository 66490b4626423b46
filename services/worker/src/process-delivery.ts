import { DEFAULT_SWEEP_GRACE_MS } from '@hookrelay/definitions';
import type { HttpSender, SendResult } from '@hookrelay/delivery';
import { signedRequest } from '@hookrelay/delivery';
import {
  type AttemptSample,
  awaitsVerification,
  type BreakerPolicy,
  breakerState,
  type Clock,
  DEFAULT_BREAKER_POLICY,
  DEFAULT_LANE_POLICY,
  type DeliveryMessage,
  type DeliveryQueue,
  decideAttempt,
  EVENT_COMMIT_WINDOW_MS,
  type EventStore,
  envelopeOf,
  FAILING_NOTICE_QUIET_MS,
  iso,
  isReservedType,
  type Lane,
  type LaneMove,
  type LanePolicy,
  laneChange,
  laneOf,
  maskUrl,
  notifyTenant,
  type OperationalDeps,
  type RateLimiter,
  type SecretStore,
  type StoredEvent,
  type Webhook,
  type WebhookStore,
} from '@hookrelay/domain';
import { type CertificateNoticeDeps, noticeExpiringCertificate } from './certificate-notice.js';
import { recordAttempt } from './record-attempt.js';

/** The longest delay SQS gives a message (15 minutes). */
const SQS_MAX_DELAY_MS = 900_000;

export interface WorkerDeps {
  readonly events: EventStore;
  readonly webhooks: Pick<
    WebhookStore,
    'get' | 'recordOutcome' | 'markLane' | 'noteUnanswered' | 'noteAnswered' | 'takeProbe'
  >;
  readonly secrets: SecretStore;
  readonly queue: DeliveryQueue;
  readonly sender: HttpSender;
  readonly clock: Clock;
  /** Delays before each attempt, in ms (entry 0 is the first attempt's). */
  readonly schedule: readonly number[];
  readonly random?: () => number;
  /** When an endpoint counts as slow and when it comes back (DEFAULT_LANE_POLICY if absent). */
  readonly lanes?: LanePolicy;
  /** When an endpoint that stops answering is held back, and for how long (DEFAULT_BREAKER_POLICY if absent). */
  readonly breaker?: BreakerPolicy;
  /**
   * Told how long past its due time (the sweeper's reckoning: `next_attempt_at`, else the
   * event's `created_at`) each pending delivery was taken from its lane, and for one handed
   * back to wait for its endpoint, how late it will be when it comes back.
   */
  readonly onTaken?: (lane: Lane, lateByMs: number) => void;
  /**
   * Attempts one endpoint may have in flight at once in this process, on the slow lane; a
   * message beyond it is handed back for later, unattempted (absent: no limit).
   */
  readonly endpointSlots?: EndpointSlots;
  /** Consulted only for webhooks with a `rate_limit`; without one, limits are not enforced. */
  readonly rateLimiter?: RateLimiter;
  /** Where operational events go (`hookrelay.*`); without it the tenant is not told. */
  readonly notices?: WorkerNoticeDeps;
  /**
   * How old an event may be before its first attempt lists it as PENDING first (the sweeper's
   * grace less the longest attempt): the PENDING list looks for untouched events only back to
   * the sweeper's mark, which may pass an event while its first attempt runs. Default
   * DEFAULT_SWEEP_GRACE_MS less a minute.
   */
  readonly listBeforeAttemptAfterMs?: number;
  /** Told of every attempt recorded (the stats' counters); without it nothing is counted. */
  readonly counters?: { record(tenantId: string, webhookId: string, sample: AttemptSample): void };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type NoticeDeps = OperationalDeps & {
  readonly webhooks: Pick<WebhookStore, 'list' | 'claimFailingNotice'>;
};

/** Where operational events go, with what the certificate notice needs besides. */
export type WorkerNoticeDeps = NoticeDeps & CertificateNoticeDeps;

/**
 * Counts an endpoint's attempts in flight; `take` refuses once it has its limit. It also keeps,
 * as moving averages, how long the endpoint's attempts hold their slot and how often they get
 * an answer at all, which say how long a message refused a slot should wait, and how many
 * slots the endpoint gets: `limit` while it answers, even slowly, an eighth of it (at least
 * one) once most of its attempts get no answer, so a dead endpoint's attempts, each holding its
 * batch until the timeout, take few of the lane's pollers.
 */
export class EndpointSlots {
  private readonly busy = new Map<string, number>();
  private readonly seen = new Map<string, EndpointPace>();
  readonly deadLimit: number;

  constructor(readonly limit: number) {
    this.deadLimit = Math.max(1, Math.floor(limit / 8));
  }

  take(webhookId: string): boolean {
    const n = this.busy.get(webhookId) ?? 0;
    const pace = this.seen.get(webhookId);
    if (n >= (pace && pace.answeredShare < 0.5 ? this.deadLimit : this.limit)) return false;
    this.busy.set(webhookId, n + 1);
    return true;
  }

  /** Frees a slot; `ended` says how the attempt that held it went, when one was made. */
  give(webhookId: string, ended?: { heldMs: number; answered: boolean }): void {
    const n = (this.busy.get(webhookId) ?? 1) - 1;
    if (n <= 0) this.busy.delete(webhookId);
    else this.busy.set(webhookId, n);
    if (!ended) return;
    const before = this.seen.get(webhookId);
    const answered = ended.answered ? 1 : 0;
    this.seen.set(
      webhookId,
      before
        ? {
            typicalHoldMs: before.typicalHoldMs * 0.9 + ended.heldMs * 0.1,
            answeredShare: before.answeredShare * 0.9 + answered * 0.1,
          }
        : { typicalHoldMs: ended.heldMs, answeredShare: answered },
    );
  }

  /** How the endpoint's attempts have gone so far, if any has ended yet. */
  pace(webhookId: string): EndpointPace | undefined {
    return this.seen.get(webhookId);
  }
}

/** How an endpoint's attempts typically go: time holding a slot, and the share answered. */
export interface EndpointPace {
  readonly typicalHoldMs: number;
  readonly answeredShare: number;
}

/** What is assumed before any of an endpoint's attempts has ended. */
const UNKNOWN_PACE: EndpointPace = { typicalHoldMs: 10_000, answeredShare: 1 };

/**
 * How long a message refused a slot waits before it comes back, doubled each time the same
 * message is refused again and spread over up to twice that (at most SQS's 15 minutes):
 * - an endpoint that answers (most attempts get an HTTP status, even a slow one): about twice
 *   its attempt time (at least a second), never more than 30 times it (at least 30 s), so a
 *   busy endpoint answering in 1.5 s gets its message back in 3 to 6 s, and within 45 s;
 * - one that does not (timeouts, refused connections): a minute, or six times its attempt time,
 *   doubling towards 15 minutes, so a dead endpoint's growing backlog costs few receives.
 *
 * @example
 * slotWaitMs({ typicalHoldMs: 1_500, answeredShare: 1 }, 0, 0.5) // 4_500
 * slotWaitMs({ typicalHoldMs: 10_000, answeredShare: 0 }, 1, 0) // 120_000
 */
export const slotWaitMs = (pace: EndpointPace, held: number, random: number): number => {
  const doubling = 2 ** Math.min(held, 20) * (1 + random);
  if (pace.answeredShare >= 0.5) {
    const wait = Math.max(1_000, 2 * pace.typicalHoldMs) * doubling;
    return Math.min(SQS_MAX_DELAY_MS, Math.max(30_000, 30 * pace.typicalHoldMs), wait);
  }
  return Math.min(SQS_MAX_DELAY_MS, Math.max(60_000, 6 * pace.typicalHoldMs) * doubling);
};

/**
 * A message whose event is not written yet: the API sends messages just before it writes the
 * event, so the event is usually there within milliseconds. The worker looks again after
 * each of these pauses (350 ms in all) before it hands the message back for a second, the
 * shortest delay SQS has.
 */
const COMMIT_LOOKS_MS = [50, 100, 200] as const;
const COMMIT_WAIT_MS = 1_000;

/** Hands a message back for a second: what it waits for (a write, a claim) is on its way. */
const comeBackShortly = async (
  deps: Pick<WorkerDeps, 'queue'>,
  msg: DeliveryMessage,
  lane: Lane,
): Promise<Outcome> => {
  await deps.queue.send([{ message: msg, delaySeconds: COMMIT_WAIT_MS / 1000, lane }]);
  return { kind: 'deferred', delayMs: COMMIT_WAIT_MS };
};

/** When a message's attempt was due: its retry time, else about when it was first sent. */
const dueOf = (msg: DeliveryMessage, nowMs: number): number =>
  msg.not_before ?? (msg.commit_by !== undefined ? msg.commit_by - EVENT_COMMIT_WINDOW_MS : nowMs);

/**
 * A delivery held back before its first attempt leaves its event where the PENDING list looks
 * (an attempt would have), once: the message queued again says so (`listed`), and later holds
 * write nothing. Best effort: the message is already on its way.
 */
const listWaiting = async (
  deps: Pick<WorkerDeps, 'events'>,
  msg: DeliveryMessage,
): Promise<DeliveryMessage> => {
  if (msg.listed) return msg;
  await deps.events.markWaiting(msg.tenant_id, msg.event_id).catch(() => undefined);
  return { ...msg, listed: true };
};

export type Outcome =
  | { kind: 'delivered'; attempt: number; result: SendResult; lane_change?: LaneMove }
  | { kind: 'retry'; attempt: number; delayMs: number; result: SendResult; lane_change?: LaneMove }
  | { kind: 'failed'; attempt: number; result: SendResult; lane_change?: LaneMove }
  | { kind: 'forwarded'; lane: Lane; abandoned_after_ms?: number }
  | { kind: 'cancelled'; reason: string }
  | { kind: 'deferred'; delayMs: number }
  | { kind: 'rate_limited'; delayMs: number }
  | { kind: 'parked'; delayMs: number }
  | { kind: 'skipped'; reason: string };

/**
 * Holds a delivery back while its webhook's `rate_limit` is used up for the current second:
 * the same message goes back on the queue for the next second (SQS delays count in whole
 * seconds), no attempt is made or counted, and nothing about the delivery changes. A webhook
 * without a limit costs nothing here: no read, no write. Returns the wait, or 0 to go on.
 */
export const holdForRateLimit = async (
  deps: Pick<WorkerDeps, 'rateLimiter' | 'queue' | 'events'>,
  webhook: Pick<Webhook, 'tenant_id' | 'id' | 'rate_limit'>,
  msg: DeliveryMessage,
  nowMs: number,
  lane: Lane = 'main',
  unattempted = false,
): Promise<number> => {
  if (webhook.rate_limit === undefined || !deps.rateLimiter) return 0;
  const wait = await deps.rateLimiter.take(webhook.tenant_id, webhook.id, webhook.rate_limit, nowMs);
  if (wait <= 0) return 0;
  // A delivery never attempted is listed as PENDING the first time it is held.
  const again = unattempted ? await listWaiting(deps, msg) : msg;
  await deps.queue.send([{ message: again, delaySeconds: Math.max(1, Math.ceil(wait / 1000)), lane }]);
  return wait;
};

/**
 * Hands a delivery back, unattempted and uncounted, while its endpoint's breaker holds it: it
 * comes back when the breaker may let it through (spread over a fifth more, so that a backlog
 * does not come back at once), at most SQS's 15 minutes later. A new message, so the wait
 * spends none of the queue's receives that exist for poison messages.
 */
const park = async (
  deps: WorkerDeps,
  msg: DeliveryMessage,
  lane: Lane,
  waitMs: number,
  unattempted: boolean,
): Promise<Outcome> => {
  const delayMs = Math.min(
    SQS_MAX_DELAY_MS,
    Math.max(1_000, waitMs) * (1 + 0.2 * (deps.random ?? Math.random)()),
  );
  const again = unattempted ? await listWaiting(deps, msg) : msg;
  await deps.queue.send([{ message: again, delaySeconds: Math.ceil(delayMs / 1000), lane }]);
  // Counted in the lane's lag as taken when it comes back, as a delivery waiting for a slot is.
  const now = deps.clock.now();
  deps.onTaken?.(lane, now + delayMs - dueOf(msg, now));
  return { kind: 'parked', delayMs };
};

/**
 * A main-lane attempt given up unanswered after the lane's budget: the request reached the
 * endpoint, so it is in the history as an attempt (`abandoned`), and the slow lane makes the
 * next one at once, with the full timeout. It spends no step of the retry schedule (the
 * delivery's round is unchanged) and does not count toward the webhook's run of failures; the
 * stats count it as the unanswered attempt it was.
 */
const recordAbandoned = async (
  deps: WorkerDeps,
  msg: DeliveryMessage,
  event: StoredEvent,
  result: SendResult,
): Promise<Outcome> => {
  const { tenant_id: tenantId, event_id: eventId, webhook_id: webhookId, attempt } = msg;
  const roundAttempts = event.deliveries[webhookId]?.round_attempts ?? 0;
  const finished = deps.clock.now();
  const at = iso(finished);
  const reason = `abandoned: no answer within ${result.duration_ms} ms on the main lane; handed to the slow lane`;
  // The next attempt's message first, as for a retry: a claim that never lands leaves this
  // attempt's own message to come back and make it again.
  await deps.queue.send([
    { message: { ...msg, attempt: attempt + 1, not_before: finished }, delaySeconds: 0, lane: 'slow' },
  ]);
  await deps.events.putAttempt(tenantId, {
    event_id: eventId,
    webhook_id: webhookId,
    attempt,
    attempted_at: at,
    duration_ms: result.duration_ms,
    outcome: 'failure',
    error_kind: 'abandoned',
  });
  const claim = await deps.events.claimAttempt(
    tenantId,
    eventId,
    webhookId,
    {
      status: 'PENDING',
      attempt_count: attempt,
      round_attempts: roundAttempts,
      at,
      next_attempt_at: at,
      last_error: reason,
    },
    event,
  );
  if (claim === 'lost') return { kind: 'skipped', reason: `attempt ${attempt} recorded by another worker` };
  deps.counters?.record(tenantId, webhookId, { at, success: false, duration_ms: result.duration_ms });
  return { kind: 'forwarded', lane: 'slow', abandoned_after_ms: result.duration_ms };
};

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

/**
 * Makes the attempt a message asks for, records it, and schedules what follows: the next
 * attempt (as a delayed message that hops until its time when the wait exceeds what SQS
 * allows), or the end of the schedule (FAILED, copy in the DLQ). A message whose attempt
 * was already recorded is skipped, so redelivery never double-counts or regresses state.
 *
 * Lanes (docs/delivery.md): on `main`, a message for a quarantined endpoint is forwarded to
 * `slow` unattempted, an attempt unanswered after `slowAfterMs` quarantines its endpoint, and
 * one unanswered after `mainLaneBudgetMs` is abandoned and handed to `slow`; on `slow`, an
 * endpoint has at most `endpointSlots` attempts in flight, and comes back to `main` once it
 * has answered quickly for `recoverAfterMs`.
 */
export const processDelivery = async (
  deps: WorkerDeps,
  msg: DeliveryMessage,
  lane: Lane = 'main',
): Promise<Outcome> => {
  const slots = lane === 'slow' ? deps.endpointSlots : undefined;
  if (slots && !slots.take(msg.webhook_id)) {
    // The endpoint already has all the attempts in flight it may have: this one waits in the
    // queue rather than in a poller, unattempted and uncounted.
    const held = msg.held ?? 0;
    const delayMs = slotWaitMs(
      slots.pace(msg.webhook_id) ?? UNKNOWN_PACE,
      held,
      (deps.random ?? Math.random)(),
    );
    const again = msg.attempt === 1 ? await listWaiting(deps, msg) : msg;
    await deps.queue.send([{ message: { ...again, held: held + 1 }, delaySeconds: delayMs / 1000, lane }]);
    // Counted in the lane's lag as taken when it comes back: the sweeper then knows a delivery
    // that is this late may be waiting in the queue, not lost, and sends no copy of it.
    const now = deps.clock.now();
    deps.onTaken?.(lane, now + delayMs - dueOf(msg, now));
    return { kind: 'deferred', delayMs };
  }
  const started = deps.clock.now();
  let outcome: Outcome | undefined;
  try {
    outcome = await attemptDelivery(deps, msg, lane);
    return outcome;
  } finally {
    const result = outcome && 'result' in outcome ? outcome.result : undefined;
    slots?.give(
      msg.webhook_id,
      result ? { heldMs: deps.clock.now() - started, answered: result.status_code !== undefined } : undefined,
    );
  }
};

const attemptDelivery = async (deps: WorkerDeps, msg: DeliveryMessage, lane: Lane): Promise<Outcome> => {
  const now = deps.clock.now();
  if (msg.not_before !== undefined && msg.not_before > now + 1000) {
    const delayMs = msg.not_before - now;
    await deps.queue.send([{ message: msg, delaySeconds: Math.min(SQS_MAX_DELAY_MS, delayMs) / 1000, lane }]);
    return { kind: 'deferred', delayMs };
  }
  const { tenant_id: tenantId, event_id: eventId, webhook_id: webhookId } = msg;
  let event = await deps.events.get(tenantId, eventId);
  for (const pause of COMMIT_LOOKS_MS) {
    if (event || msg.commit_by === undefined || now >= msg.commit_by) break;
    await sleep(pause);
    event = await deps.events.get(tenantId, eventId);
  }
  if (!event && msg.commit_by !== undefined && now < msg.commit_by) {
    // Sent before its event was written: the write may still be on its way. Until the
    // producer's deadline the message comes back; after it, the event was never accepted.
    return comeBackShortly(deps, msg, lane);
  }
  const delivery = event?.deliveries[webhookId];
  if (!event || !delivery) return { kind: 'skipped', reason: 'no such delivery' };
  if (
    delivery.status === 'PENDING' &&
    delivery.attempt_count < msg.attempt - 1 &&
    msg.not_before !== undefined &&
    now < msg.not_before + EVENT_COMMIT_WINDOW_MS
  ) {
    // A retry whose message is here before the previous attempt's claim (it is sent first):
    // the claim may still be on its way. If it never lands, the previous attempt's own message
    // comes back and makes it again, and this one is dropped once the window has passed.
    return comeBackShortly(deps, msg, lane);
  }
  if (delivery.status !== 'PENDING' || delivery.attempt_count !== msg.attempt - 1) {
    // Already done (a redelivery); make sure a crash after the record did not leave the event unsettled.
    if (delivery.status !== 'PENDING' && event.status === 'PENDING')
      await deps.events.settle(tenantId, eventId, iso(now));
    return { kind: 'skipped', reason: `attempt ${msg.attempt} already handled` };
  }

  deps.onTaken?.(lane, now - Date.parse(delivery.next_attempt_at ?? event.created_at));

  const webhook = await deps.webhooks.get(tenantId, webhookId);
  if (!webhook?.active || awaitsVerification(webhook)) {
    // No attempt is made, so none is counted: the delivery's count keeps matching its attempts.
    // An endpoint that has not answered its ownership challenge (its URL changed since it was
    // queued) gets nothing.
    const reason = !webhook ? 'webhook deleted' : webhook.active ? 'webhook unverified' : 'webhook disabled';
    await deps.events.cancel(tenantId, eventId, iso(now), [webhookId], reason);
    return { kind: 'cancelled', reason };
  }

  const policy = deps.lanes ?? DEFAULT_LANE_POLICY;
  if (lane === 'main' && laneOf(webhook) === 'slow') {
    // Quarantined since this message was queued: it waits in the slow lane, unattempted.
    await deps.queue.send([{ message: msg, delaySeconds: 0, lane: 'slow' }]);
    return { kind: 'forwarded', lane: 'slow' };
  }

  // An endpoint that stopped answering is held back by every instance at once: its breaker is
  // on the webhook item read above. While open, deliveries wait unattempted; once the period is
  // over, one probe at a time goes ahead, and the first answer closes it.
  const breakerPolicy = deps.breaker ?? DEFAULT_BREAKER_POLICY;
  const breaker = breakerState(webhook, now, breakerPolicy);
  const unattempted = delivery.attempt_count === 0;
  if (breaker.kind === 'open') return park(deps, msg, lane, breaker.untilMs - now, unattempted);
  let probing = false;
  if (breaker.kind === 'half-open') {
    const lease = now + breakerPolicy.probeLeaseMs;
    if (
      breaker.probeBusyUntilMs !== undefined ||
      !(await deps.webhooks.takeProbe(tenantId, webhookId, now, lease))
    ) {
      return park(deps, msg, lane, (breaker.probeBusyUntilMs ?? lease) - now, unattempted);
    }
    probing = true;
  }

  // A rate-limited message waits in the lane it came from.
  const held = await holdForRateLimit(deps, webhook, msg, now, lane, delivery.attempt_count === 0);
  if (held > 0) return { kind: 'rate_limited', delayMs: held };

  // An old event's first attempt: listed first, so that the PENDING list shows it while the
  // attempt runs, whatever the sweeper's mark (one write, for late first attempts only).
  if (
    unattempted &&
    !msg.listed &&
    now - Date.parse(event.created_at) > (deps.listBeforeAttemptAfterMs ?? DEFAULT_SWEEP_GRACE_MS - 60_000)
  ) {
    await deps.events.markWaiting(tenantId, eventId).catch(() => undefined);
  }

  const secrets = await deps.secrets.get(tenantId, webhookId, now);
  // An attempt on the main lane still unanswered after `slowAfterMs` moves its endpoint to the
  // slow lane at once, not when it finally answers or times out: its next messages go there.
  let quarantined: Promise<boolean> | undefined;
  const watchdog =
    laneOf(webhook) === 'main'
      ? setTimeout(() => {
          quarantined = deps.webhooks
            .markLane(tenantId, webhookId, 'quarantine', deps.clock.now(), policy)
            .catch(() => false);
        }, policy.slowAfterMs)
      : undefined;
  // No main-lane attempt holds its batch longer than the budget: past it, it is abandoned and
  // handed to the slow lane, so a burst for a hanging endpoint cannot take every poller.
  const giveUp = new AbortController();
  const budget =
    lane === 'main'
      ? setTimeout(() => giveUp.abort(), Math.max(policy.mainLaneBudgetMs, policy.slowAfterMs))
      : undefined;
  let result: SendResult;
  try {
    result = await deps.sender.send(signedRequest(webhook.url, envelopeOf(event), secrets, now, webhook), {
      signal: giveUp.signal,
    });
  } finally {
    clearTimeout(watchdog);
    clearTimeout(budget);
  }
  if (result.abandoned) {
    await (quarantined ??
      deps.webhooks.markLane(tenantId, webhookId, 'quarantine', deps.clock.now(), policy).catch(() => false));
    return recordAbandoned(deps, msg, event, result);
  }
  const finished = deps.clock.now();
  // The breaker hears of every attempt that got no answer, and of the first answer after them:
  // an endpoint that keeps answering costs it no write.
  if (result.status_code === undefined) {
    await deps.webhooks.noteUnanswered(tenantId, webhookId, finished, breakerPolicy).catch(() => undefined);
  } else if (probing || webhook.unanswered !== undefined) {
    await deps.webhooks.noteAnswered(tenantId, webhookId).catch(() => undefined);
  }
  const slow = result.error_kind === 'timeout' || result.duration_ms >= policy.slowAfterMs;
  const move: LaneMove | undefined = quarantined
    ? 'quarantine'
    : laneChange(webhook, { slow }, finished, policy);
  // Lanes steer where the next attempts wait; a failed lane write changes nothing else.
  await (quarantined ??
    (move
      ? deps.webhooks.markLane(tenantId, webhookId, move, finished, policy).catch(() => false)
      : undefined));
  const nextLane: Lane = move === 'quarantine' ? 'slow' : move === 'recover' ? 'main' : laneOf(webhook);
  const laneNote = move && move !== 'renew' ? { lane_change: move } : {};
  const attempt = msg.attempt;
  const { update, next, disable } = decideAttempt(result, {
    attempt,
    roundAttempts: delivery.round_attempts,
    finishedMs: finished,
    ...(webhook.failing_since ? { failingSince: webhook.failing_since } : {}),
    schedule: deps.schedule,
    ...(deps.random ? { random: deps.random } : {}),
  });
  const at = update.at;
  const outcome: Outcome =
    next.kind === 'retry'
      ? { kind: 'retry', attempt, delayMs: next.delayMs, result, ...laneNote }
      : { kind: next.kind, attempt, result, ...laneNote };
  if (next.kind === 'failed') {
    // Into the DLQ before the state says FAILED: if this throws, SQS redelivers and we try again.
    const { not_before: _notBefore, ...message } = msg;
    await deps.queue.deadLetter({
      ...message,
      reason: 'exhausted',
      failed_at: at,
      attempts: attempt,
      ...(result.status_code !== undefined ? { last_status_code: result.status_code } : {}),
      ...(update.last_error ? { last_error: update.last_error } : {}),
    });
  }

  if (next.kind === 'retry') {
    // The next attempt's message before the claim, as the API sends an event's messages before
    // writing it: a worker killed after the claim leaves no retry without its message. If the
    // claim is then not made (lost to another worker, or killed first), the message finds the
    // attempt not recorded, or recorded by the other worker, and is skipped. If this send fails,
    // the claim leaves a sweep mark and the sweeper sends it later.
    await deps.queue
      .send([
        {
          message: { ...msg, attempt: attempt + 1, not_before: next.notBefore },
          delaySeconds: Math.min(SQS_MAX_DELAY_MS, next.delayMs) / 1000,
          lane: nextLane,
        },
      ])
      .catch(() => undefined);
  }

  const claim = await recordAttempt(deps, {
    tenantId,
    event,
    webhookId,
    attempt,
    result,
    update,
    ...(disable ? { disable } : {}),
  });
  if (claim === 'lost') return { kind: 'skipped', reason: `attempt ${attempt} recorded by another worker` };
  if (deps.notices) {
    // Telling is best effort: the attempt stands, and the delivery must not be tried again for it.
    await tellTenant(deps.notices, {
      event,
      webhook,
      attempt,
      at,
      result,
      exhausted: update.status === 'FAILED',
      ...(update.last_error ? { lastError: update.last_error } : {}),
      ...(disable ? { disabled: disable } : {}),
    }).catch(() => undefined);
    await noticeExpiringCertificate(deps.notices, webhook, finished).catch(() => undefined);
  }
  if (next.kind !== 'retry' && claim === 'claimed') {
    // Every delivery is final but the claim could not settle the event (it changed since it
    // was read): settle now. While another is open (`open`), that one's claim settles it.
    await deps.events.settle(tenantId, eventId, at);
  }
  return outcome;
};
