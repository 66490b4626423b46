import { type TimeRange, ValidationError } from '@hookrelay/domain';

/** Where a date-time was given, for the message that names it. */
type Place = 'query' | 'request body';

/**
 * A date-time the schema accepted, as the UTC instant the stores compare (ISO-8601 with
 * milliseconds). One the schema accepts but no clock can represent (a leap second, `23:59:60`;
 * an offset without its minutes, `+01`) is the client's mistake: a 400 naming the field.
 *
 * @example instantOf('2026-01-01T10:00:00+09:00', 'since', 'request body') // '2026-01-01T01:00:00.000Z'
 */
const instantOf = (raw: string, field: string, place: Place): string => {
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) {
    throw new ValidationError(`Invalid ${place}: ${field} is not a date and time this API can represent.`, [
      { field, message: 'must be a date-time such as 2026-06-30T23:59:59Z or 2026-06-30T12:00:00+01:00' },
    ]);
  }
  return date.toISOString();
};

/**
 * The range [`after`, `before`) of two optional date-times as instants, refused unless `after`
 * comes first. Text is not compared: `10:00+09:00` is before `05:00Z`.
 */
export const instantRange = (
  place: Place,
  after: { readonly field: string; readonly value: unknown },
  before: { readonly field: string; readonly value: unknown },
): TimeRange => {
  const from = typeof after.value === 'string' ? instantOf(after.value, after.field, place) : undefined;
  const to = typeof before.value === 'string' ? instantOf(before.value, before.field, place) : undefined;
  if (from && to && from >= to) {
    throw new ValidationError(`Invalid ${place}: ${after.field} must be before ${before.field}.`, [
      { field: after.field, message: `must be before ${before.field}` },
    ]);
  }
  return { ...(from ? { after: from } : {}), ...(to ? { before: to } : {}) };
};

/**
 * `created_after` / `created_before` of a query (already checked as date-times) as the range
 * the stores take: UTC with milliseconds, so that they compare as the stored times do.
 */
export const createdRangeOf = (query: Record<string, unknown>): TimeRange | undefined => {
  const range = instantRange(
    'query',
    { field: 'created_after', value: query.created_after },
    { field: 'created_before', value: query.created_before },
  );
  return range.after || range.before ? range : undefined;
};
