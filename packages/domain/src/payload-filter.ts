import { patternProblems } from '@hookrelay/event-patterns';
import type { ErrorDetail } from './errors.js';

/** A filter's largest size as JSON (an EventBridge rule's pattern: 2,048 characters, 4,096 on request). */
export const MAX_FILTER_BYTES = 4096;
/** Its deepest nesting: the pattern is level 1, `data` level 2, and so on (`$or` branches count). */
export const MAX_FILTER_DEPTH = 10;
/**
 * Its wildcard values at most: each is a search through a string of the event (up to 256 KB,
 * a few milliseconds at worst), and their number is what bounds a filter's cost per event.
 */
export const MAX_FILTER_WILDCARDS = 10;
/** What a filter is matched against: the event as it was accepted, `{type, id, data}`. */
const FILTERED_EVENT_FIELDS = ['type', 'id', 'data'] as const;

const encoder = new TextEncoder();

/**
 * What is wrong with a webhook's payload filter, each problem with the path where it is
 * (`filter.data.amount.0.numeric`): its size first, then its structure as an event pattern
 * whose top fields are the event's own, with at most `MAX_FILTER_WILDCARDS` wildcards. Empty
 * when the filter may be stored.
 *
 * @example
 * filterProblems({ amount: [{ numeric: ['>', 10000] }] })
 * // [{ field: 'filter.amount', message: 'is not a field of the event, which has only type, id, data' }]
 */
export const filterProblems = (filter: unknown): ErrorDetail[] => {
  const bytes = encoder.encode(JSON.stringify(filter)).length;
  if (bytes > MAX_FILTER_BYTES) {
    return [
      {
        field: 'filter',
        message: `takes ${bytes} bytes as JSON, more than the ${MAX_FILTER_BYTES} a filter may take`,
      },
    ];
  }
  return patternProblems(filter, {
    root: 'filter',
    maxDepth: MAX_FILTER_DEPTH,
    maxWildcards: MAX_FILTER_WILDCARDS,
    topFields: FILTERED_EVENT_FIELDS,
  }).map((p) => ({ field: p.path, message: p.message }));
};
