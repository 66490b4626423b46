import { REQUEST_ID_ALIASES } from '@hookrelay/inbound';

// Old spellings kept working for one release after docs/api.md fixed the names; the one place
// they live. The OpenAPI document marks each of them `deprecated`.

/** Query parameters: old name → name. A request may use either; the name wins if both are sent. */
export const QUERY_ALIASES: Readonly<Record<string, string>> = { webhookId: 'webhook_id' };

/** Response fields: old name → name, per response shape. The old name carries a copy. */
export const FIELD_ALIASES = {
  eventAccepted: { deliveries: 'delivery_count' },
  attemptList: { deliveries: 'attempts' },
  /** The inbound request id, `webhook_id` before; the ingest answer and bus events send it too. */
  replayAccepted: REQUEST_ID_ALIASES,
} as const satisfies Record<string, Readonly<Record<string, string>>>;

/** Rewrites old query parameter names to their names, in place. */
export const renameQueryAliases = (query: Record<string, unknown>): void => {
  for (const [old, name] of Object.entries(QUERY_ALIASES)) {
    if (!(old in query)) continue;
    if (!(name in query)) query[name] = query[old];
    delete query[old];
  }
};

/** The body with each old field name beside its new one (same value). */
export const withFieldAliases = <T extends Record<string, unknown>>(
  body: T,
  aliases: Readonly<Record<string, string>>,
): T & Record<string, unknown> => {
  const copies = Object.fromEntries(
    Object.entries(aliases)
      .filter(([, name]) => name in body)
      .map(([old, name]) => [old, body[name]]),
  );
  return { ...body, ...copies };
};
