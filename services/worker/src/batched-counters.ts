import {
  type AttemptSample,
  type BucketCounts,
  type DeliveryCounterStore,
  tallyCounters,
} from '@hookrelay/domain';

/**
 * The delivery counters as one worker invocation sees them: each recorded attempt is held, and
 * `flush` adds them up per (webhook, bucket) and writes each sum once, so a batch costs one
 * write per webhook and counter size (two when it straddles a bucket's end), not one per attempt.
 */
export class BatchedCounters {
  private held = new Map<string, { tenantId: string; webhookId: string; samples: AttemptSample[] }>();
  /** Sums a failed flush could not write, kept for the next one. */
  private unwritten: { tenantId: string; webhookId: string; counts: BucketCounts }[] = [];

  constructor(private readonly store: Pick<DeliveryCounterStore, 'add'>) {}

  record(tenantId: string, webhookId: string, sample: AttemptSample): void {
    const key = `${tenantId}\u0000${webhookId}`;
    const entry = this.held.get(key) ?? { tenantId, webhookId, samples: [] };
    entry.samples.push(sample);
    this.held.set(key, entry);
  }

  /** Writes what is held; what fails stays held for the next flush (and the first error is thrown). */
  async flush(): Promise<void> {
    const sums = [
      ...this.unwritten,
      ...[...this.held.values()].flatMap(({ tenantId, webhookId, samples }) =>
        tallyCounters(samples).map((counts) => ({ tenantId, webhookId, counts })),
      ),
    ];
    this.held = new Map();
    this.unwritten = [];
    const results = await Promise.allSettled(
      sums.map(({ tenantId, webhookId, counts }) => this.store.add(tenantId, webhookId, counts)),
    );
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected' ? [{ sum: sums[i], error: r.reason }] : [],
    );
    for (const { sum } of failed) if (sum) this.unwritten.push(sum);
    if (failed[0]) throw failed[0].error;
  }
}
