import { getPriority } from 'node:os';
import { threadId } from 'node:worker_threads';

// Module state, as a function's clients and caches are: one copy per instance.
let invocations = 0;

export const handler = async (event: {
  waitMs?: number;
}): Promise<{ thread: number; invocations: number; priority: number }> => {
  invocations += 1;
  const seen = invocations;
  if (event.waitMs) await new Promise((r) => setTimeout(r, event.waitMs));
  return { thread: threadId, invocations: seen, priority: getPriority() };
};
