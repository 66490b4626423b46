import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { INSTANCE_NICE, startLambdaInstances } from '@hookrelay/local';
import { afterAll, describe, expect, it } from '@jest/globals';

const module = new URL('./support/counting-handler.ts', import.meta.url).href;

describe('Lambda-like instances', () => {
  const instances = startLambdaInstances({ service: 'worker', module, maximum: 3, timeoutMs: 30_000 });
  afterAll(() => instances.stop());

  type Answer = { thread: number; invocations: number; priority: number };
  const invoke = (waitMs = 0) => instances.invoke<{ waitMs: number }, Answer>({ waitMs });

  it('runs concurrent invocations in instances of their own, each with its own module state', async () => {
    const answers = await Promise.all([invoke(300), invoke(300), invoke(300)]);
    expect(new Set(answers.map((a) => a.thread)).size).toBe(3);
    // Each instance counted only its own invocation.
    expect(answers.map((a) => a.invocations)).toEqual([1, 1, 1]);
  });

  it('reuses an idle instance, and never runs more instances than its maximum', async () => {
    const answers = await Promise.all(Array.from({ length: 9 }, () => invoke(100)));
    expect(new Set(answers.map((a) => a.thread)).size).toBe(3);
    expect(instances.stats().started).toBe(3);
    // Twelve invocations over three instances, one at a time in each: 4 each.
    const last = await Promise.all([invoke(100), invoke(100), invoke(100)]);
    expect(last.map((a) => a.invocations).sort()).toEqual([5, 5, 5]);
  });

  it('runs its instances in threads named after the function, below the platform’s own priority', async () => {
    const platformPriority = getPriority();
    const answers = await Promise.all([invoke(100), invoke(100)]);
    // The instance's thread only: this thread keeps its priority.
    expect(answers.map((a) => a.priority)).toEqual([
      Math.min(19, platformPriority + INSTANCE_NICE),
      Math.min(19, platformPriority + INSTANCE_NICE),
    ]);
    expect(getPriority()).toBe(platformPriority);
    // The kernel's name for each, where the soak's CPU accounting finds them.
    const names = readdirSync('/proc/self/task').map((tid) =>
      readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(),
    );
    expect(names.filter((n) => n === 'fn:worker')).toHaveLength(instances.stats().instances);
  });

  it('ends an invocation still running at the timeout with its instance, as Lambda does; the next starts afresh', async () => {
    const timed = startLambdaInstances({ service: 'worker', module, maximum: 1, timeoutMs: 500 });
    try {
      const first = await timed.invoke<{ waitMs: number }, Answer>({ waitMs: 0 });
      expect(first.invocations).toBe(1);
      await expect(timed.invoke({ waitMs: 5_000 })).rejects.toThrow('Task timed out after 0.50 seconds');
      // A new instance, with module state of its own: its first invocation.
      const next = await timed.invoke<{ waitMs: number }, Answer>({ waitMs: 0 });
      expect(next.invocations).toBe(1);
      expect(next.thread).not.toBe(first.thread);
      expect(timed.stats()).toMatchObject({ instances: 1, started: 2 });
    } finally {
      await timed.stop();
    }
  });

  // The built entry comes from `make build` (make test builds first).
  it('loads a plain JavaScript module, as a function’s built bundle is, with no TypeScript loader', async () => {
    const bundled = startLambdaInstances({
      service: 'worker',
      module: new URL('./support/plain-handler.mjs', import.meta.url).href,
      maximum: 1,
      timeoutMs: 30_000,
    });
    try {
      const answer = await bundled.invoke<unknown, { bundle: boolean; execArgv: string[] }>({});
      expect(answer.bundle).toBe(true);
      expect(answer.execArgv).not.toContain('tsx');
    } finally {
      await bundled.stop();
    }
  });
});
