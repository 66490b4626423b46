import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { SERVICES } from '../src/function-access.js';

const infraMk = readFileSync(new URL('../infra.mk', import.meta.url), 'utf8');

describe('infra.mk', () => {
  it('rebuilds the bundle of every function the stacks deploy', () => {
    const list = /^INFRA_BUNDLES := \$\(foreach service,([^,]+),/m.exec(infraMk)?.[1];
    expect(list?.split(/\s+/).sort()).toEqual([...SERVICES].sort());
  });
});
