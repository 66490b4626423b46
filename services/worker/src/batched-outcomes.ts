import {
  type BreakerPolicy,
  type LaneMove,
  type LanePolicy,
  type OutcomeTally,
  tallyOutcomes,
  type Webhook,
  type WebhookStore,
} from '@hookrelay/domain';

type Outcome = { success: boolean; at: string; disable?: string };

/**
 * The webhook store as one worker invocation sees it: each attempt's outcome is held, and
 * `flush` writes them per webhook, one write for a batch instead of one per attempt. An outcome
 * that disables the webhook is written at once, so that the webhook stops being called.
 */
export class BatchedOutcomes
  implements
    Pick<WebhookStore, 'get' | 'recordOutcome' | 'markLane' | 'noteUnanswered' | 'noteAnswered' | 'takeProbe'>
{
  private readonly held = new Map<string, { tenantId: string; webhookId: string; outcomes: Outcome[] }>();

  constructor(private readonly store: WebhookStore) {}

  get(tenantId: string, webhookId: string): Promise<Webhook | undefined> {
    return this.store.get(tenantId, webhookId);
  }

  /** Lane moves are written at once: the next message for the endpoint must already see them. */
  markLane(
    tenantId: string,
    webhookId: string,
    change: LaneMove,
    nowMs: number,
    policy: LanePolicy,
  ): Promise<boolean> {
    return this.store.markLane(tenantId, webhookId, change, nowMs, policy);
  }

  /** The breaker's state is written at once too: every instance reads it before its next attempt. */
  noteUnanswered(tenantId: string, webhookId: string, nowMs: number, policy: BreakerPolicy): Promise<void> {
    return this.store.noteUnanswered(tenantId, webhookId, nowMs, policy);
  }

  noteAnswered(tenantId: string, webhookId: string): Promise<void> {
    return this.store.noteAnswered(tenantId, webhookId);
  }

  takeProbe(tenantId: string, webhookId: string, nowMs: number, untilMs: number): Promise<boolean> {
    return this.store.takeProbe(tenantId, webhookId, nowMs, untilMs);
  }

  async recordOutcome(tenantId: string, webhookId: string, outcome: Outcome): Promise<Webhook | undefined> {
    if (outcome.disable) return this.store.recordOutcome(tenantId, webhookId, outcome);
    const key = `${tenantId}\u0000${webhookId}`;
    const entry = this.held.get(key) ?? { tenantId, webhookId, outcomes: [] };
    entry.outcomes.push(outcome);
    this.held.set(key, entry);
    return undefined;
  }

  /** Writes what is held, one write per webhook; what fails stays held for the next flush. */
  async flush(): Promise<void> {
    const entries = [...this.held.entries()];
    await Promise.all(
      entries.map(async ([key, { tenantId, webhookId, outcomes }]) => {
        const tally: OutcomeTally | undefined = tallyOutcomes(outcomes);
        if (tally) await this.store.recordOutcomes(tenantId, webhookId, tally);
        this.held.delete(key);
      }),
    );
  }
}
