import type { EventCatalog, EventTypeSample } from '@hookrelay/domain';

/** How often one instance rewrites a type's catalog item (its example and last-seen time). */
export const CATALOG_NOTE_EVERY_MS = 10 * 60_000;

/**
 * The catalog as the API notes accepted events in it: each instance writes a type at most once
 * per CATALOG_NOTE_EVERY_MS, so a tenant sending one type a thousand times a second costs a
 * write every ten minutes per instance, not a write per event. What this instance remembers is
 * a saving, never the truth: the catalog is what the table holds.
 */
export class NotedTypes {
  private readonly written = new Map<string, number>();

  constructor(
    private readonly catalog: EventCatalog,
    private readonly everyMs = CATALOG_NOTE_EVERY_MS,
  ) {}

  list(tenantId: string): Promise<EventTypeSample[]> {
    return this.catalog.list(tenantId);
  }

  async note(tenantId: string, sample: EventTypeSample, nowMs: number): Promise<void> {
    const key = `${tenantId}\n${sample.type}`;
    const last = this.written.get(key);
    if (last !== undefined && nowMs - last < this.everyMs) return;
    this.written.set(key, nowMs);
    if (this.written.size > 10_000) this.written.delete(this.written.keys().next().value as string);
    try {
      await this.catalog.note(tenantId, sample);
    } catch (error) {
      this.written.delete(key);
      throw error;
    }
  }
}
