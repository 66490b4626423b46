import { type TimeRange, ValidationError } from '@hookrelay/domain';

/**
 * A date-time the schema accepted but no clock can represent (a leap second, `23:59:60`; an
 * offset without its minutes, `+01`) is the client's mistake: a 400 naming the field.
 */
const dateOf = (
  query: Record<string, unknown>,
  field: 'created_after' | 'created_before',
): Date | undefined => {
  const raw = query[field];
  if (typeof raw !== 'string') return undefined;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) {
    throw new ValidationError(`Invalid query: ${field} is not a date and time this API can represent.`, [
      { field, message: 'must be a date-time such as 2026-06-30T23:59:59Z or 2026-06-30T12:00:00+01:00' },
    ]);
  }
  return date;
};

/**
 * `created_after` / `created_before` of a query (already checked as date-times) as the range
 * the stores take: UTC with milliseconds, so that they compare as the stored times do.
 */
export const createdRangeOf = (query: Record<string, unknown>): TimeRange | undefined => {
  const after = dateOf(query, 'created_after');
  const before = dateOf(query, 'created_before');
  if (!after && !before) return undefined;
  if (after && before && after.getTime() >= before.getTime()) {
    throw new ValidationError('Invalid query: created_after must be before created_before.', [
      { field: 'created_after', message: 'must be before created_before' },
    ]);
  }
  return {
    ...(after ? { after: after.toISOString() } : {}),
    ...(before ? { before: before.toISOString() } : {}),
  };
};
