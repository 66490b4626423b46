import { describe, expect, it } from '@jest/globals';
import { lazyPorts } from '../src/lazy-port.js';
import { once } from '../src/once.js';

/** A store that remembers what it holds, and ports over it built by a counted, failable load. */
class Names {
  private readonly held = new Set<string>();
  async add(name: string): Promise<void> {
    this.held.add(name);
  }
  async has(name: string): Promise<boolean> {
    return this.held.has(name);
  }
}

const countedPorts = (failures = 0) => {
  let loads = 0;
  const port = lazyPorts(
    once(async () => {
      loads += 1;
      if (loads <= failures) throw new Error('the adapters could not be read');
      const names = new Names();
      return { names, other: new Names() };
    }),
  );
  return { port, loads: () => loads };
};

describe('ports built on their first call', () => {
  it('loads nothing until a method is called, then once for every port and every call at once', async () => {
    const { port, loads } = countedPorts();
    const names = port('names');
    const other = port('other');
    expect(loads()).toBe(0);

    await Promise.all([names.add('a'), names.add('b'), other.add('c')]);
    expect(loads()).toBe(1);
    expect(await names.has('a')).toBe(true);
    expect(await names.has('c')).toBe(false);
    expect(await other.has('c')).toBe(true);
    expect(loads()).toBe(1);
  });

  it('a failed load fails the call that asked, as a failing store would, and is tried again by the next', async () => {
    const { port, loads } = countedPorts(1);
    const names = port('names');
    await expect(names.add('a')).rejects.toThrow('the adapters could not be read');
    await names.add('a');
    expect(await names.has('a')).toBe(true);
    expect(loads()).toBe(2);
  });

  it('is not a thenable: a port returned from an async function is the port, not a load', async () => {
    const { port, loads } = countedPorts();
    const names = await (async () => port('names'))();
    expect(loads()).toBe(0);
    expect(await names.has('x')).toBe(false);
  });
});
