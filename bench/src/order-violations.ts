/** One request an ordered endpoint received, in the order it received them. */
export interface Arrival {
  readonly eventId: string;
  /** Whether the endpoint answered it with a 2xx. */
  readonly ok: boolean;
  /**
   * Logged in two entries, as a receiver sees them: `arrived` when the request came in, and
   * `answered` (with `ok`) when its answer went out, so a later event that comes in while an
   * earlier one is still being answered is seen to overtake it. Without it, one entry is both.
   */
  readonly phase?: 'arrived' | 'answered';
}

/**
 * Deliveries received out of order within a key: for each key, walking its arrivals in the order
 * they came, a delivery is a violation when an event accepted after it has already succeeded
 * (something earlier arrives after a later success), or when an event accepted before it has not
 * yet succeeded (it overtook). A repeat of the key's latest success is not one (delivery is at
 * least once); arrivals of events the acceptances do not list are ignored.
 *
 * @example
 * countOrderViolations(
 *   new Map([['k', [{ eventId: 'b', ok: true }, { eventId: 'a', ok: true }]]]),
 *   new Map([['k', ['a', 'b']]]),
 * ) // 2: b overtook a, then a arrived after b's success
 */
export const countOrderViolations = (
  arrivalsByKey: ReadonlyMap<string, readonly Arrival[]>,
  acceptedByKey: ReadonlyMap<string, readonly string[]>,
): number => {
  let violations = 0;
  for (const [key, arrivals] of arrivalsByKey) {
    const position = new Map((acceptedByKey.get(key) ?? []).map((id, i) => [id, i] as const));
    const succeeded = new Set<number>();
    // Every position below `prefix` has succeeded; `latest` is the highest that has.
    let prefix = 0;
    let latest = -1;
    for (const { eventId, ok, phase } of arrivals) {
      const at = position.get(eventId);
      if (at === undefined) continue;
      if (phase !== 'answered' && (at < latest || at > prefix)) violations += 1;
      if (!ok || phase === 'arrived') continue;
      succeeded.add(at);
      latest = Math.max(latest, at);
      while (succeeded.has(prefix)) prefix += 1;
    }
  }
  return violations;
};
