import { type OutcomeTally, tallyOutcomes, type Webhook, type WebhookStore } from '@hookrelay/domain';

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

  get(...args: Parameters<WebhookStore['get']>): Promise<Webhook | undefined> {
    return this.store.get(...args);
  }

  /** Lane moves are written at once: the next message for the endpoint must already see them. */
  markLane(...args: Parameters<WebhookStore['markLane']>): Promise<boolean> {
    return this.store.markLane(...args);
  }

  /** The breaker's state is written at once too: every instance reads it before its next attempt. */
  noteUnanswered(...args: Parameters<WebhookStore['noteUnanswered']>): Promise<void> {
    return this.store.noteUnanswered(...args);
  }

  noteAnswered(...args: Parameters<WebhookStore['noteAnswered']>): Promise<void> {
    return this.store.noteAnswered(...args);
  }

  takeProbe(...args: Parameters<WebhookStore['takeProbe']>): Promise<boolean> {
    return this.store.takeProbe(...args);
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
