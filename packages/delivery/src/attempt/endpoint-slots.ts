import type { DeliveryMessage, Lane } from '@hookrelay/domain';
import { type HandBackPorts, handBack, SQS_MAX_DELAY_MS } from './hand-back.js';
import type { Outcome } from './outcome.js';

/** How an endpoint's attempts typically go: time holding a slot, and the share answered. */
interface EndpointPace {
  readonly typicalHoldMs: number;
  readonly answeredShare: number;
}

/** What is assumed before any of an endpoint's attempts has ended. */
const UNKNOWN_PACE: EndpointPace = { typicalHoldMs: 10_000, answeredShare: 1 };

/**
 * Counts an endpoint's attempts in flight; `take` refuses once it has its limit. It also keeps,
 * as moving averages, how long the endpoint's attempts hold their slot and how often they get
 * an answer at all, which say how long a message refused a slot should wait, and how many
 * slots the endpoint gets: `limit` while it answers, even slowly, an eighth of it (at least
 * one) once most of its attempts get no answer, so a dead endpoint's attempts, each holding its
 * batch until the timeout, take few of the lane's pollers.
 *
 * @example
 * const slots = new EndpointSlots(128);
 * if (slots.take('wh_1')) slots.give('wh_1', { heldMs: 40, answered: true });
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
 * Hands back a message whose endpoint already has all the attempts in flight it may have: it
 * waits in the queue rather than in a poller, unattempted and uncounted, for as long as
 * `slotWaitMs` says.
 */
export const waitForSlot = async (
  deps: HandBackPorts & { readonly random?: () => number },
  slots: EndpointSlots,
  msg: DeliveryMessage,
  lane: Lane,
): Promise<Outcome> => {
  const held = msg.held ?? 0;
  const delayMs = slotWaitMs(
    slots.pace(msg.webhook_id) ?? UNKNOWN_PACE,
    held,
    (deps.random ?? Math.random)(),
  );
  await handBack(deps, msg, lane, {
    delayMs,
    delaySeconds: delayMs / 1000,
    unattempted: msg.attempt === 1,
    held: held + 1,
  });
  return { kind: 'deferred', delayMs };
};
