import { describe, expect, it } from '@jest/globals';
import { synthPlatform } from './support/synth.js';

/*
 * The whole synthesized configuration of a stage, so that any change to what would be planned
 * shows up in review as a snapshot diff. The bundles are placeholders with fixed content and
 * mode, and asset hashes cover contents and relative paths only, so the snapshot is the same
 * on every machine; it holds no absolute path and no timestamp.
 */
describe('synthesized stacks', () => {
  const first = synthPlatform('dev');

  it('are the same from one synth to the next, wherever the bundles are', () => {
    const second = synthPlatform('dev');
    expect(second.stateful.text).toBe(first.stateful.text);
    expect(second.stateless.text).toBe(first.stateless.text);
  });

  it('hold no absolute path and no temporary folder', () => {
    for (const { text } of [first.stateful, first.stateless]) {
      expect(text).not.toMatch(/hookrelay-bundles-|\/tmp\/|\/work\/|\/home\/|\/Users\//);
    }
  });

  it('stateful (dev) matches the snapshot', () => {
    expect(first.stateful.json).toMatchSnapshot();
  });

  it('stateless (dev) matches the snapshot', () => {
    expect(first.stateless.json).toMatchSnapshot();
  });
});
