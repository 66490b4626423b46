import type { Lane, LaneLagStore } from '@hookrelay/domain';

/**
 * How late, past their due time as the sweeper reckons it, this worker took deliveries from
 * each lane, written to the lag store at most every `everyMs` (the largest seen since the
 * last write). The sweeper reads it to tell a delivery that is late because the queue is long
 * from one whose message was lost.
 */
export class LagReporter {
  private readonly worst = new Map<Lane, number>();
  private readonly lastWrite = new Map<Lane, number>();

  constructor(
    private readonly store: LaneLagStore,
    private readonly everyMs = 5_000,
  ) {}

  observe(lane: Lane, lagMs: number): void {
    if (!Number.isFinite(lagMs) || lagMs < 0) return;
    this.worst.set(lane, Math.max(this.worst.get(lane) ?? 0, lagMs));
  }

  async flush(nowMs: number): Promise<void> {
    await Promise.all(
      [...this.worst.entries()].map(async ([lane, lagMs]) => {
        if (nowMs - (this.lastWrite.get(lane) ?? 0) < this.everyMs) return;
        await this.store.report({ lane, lag_ms: Math.round(lagMs), reported_at: nowMs });
        this.lastWrite.set(lane, nowMs);
        this.worst.delete(lane);
      }),
    );
  }
}
