import { type TimeRange, ValidationError } from '@hookrelay/domain';

/**
 * `created_after` / `created_before` of a query (already checked as date-times) as the range
 * the stores take: UTC with milliseconds, so that they compare as the stored times do.
 */
export const createdRangeOf = (query: Record<string, unknown>): TimeRange | undefined => {
  const after = typeof query.created_after === 'string' ? new Date(query.created_after) : undefined;
  const before = typeof query.created_before === 'string' ? new Date(query.created_before) : undefined;
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
