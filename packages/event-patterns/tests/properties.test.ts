import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { matchesPattern, patternProblems, wildcardMatches, wildcardProblem } from '../src/index.js';

// Patterns and events come from tenants: whatever they hold, matching and checking answer.
describe('untrusted patterns and events', () => {
  it('checking any JSON value answers, never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(Array.isArray(patternProblems(value, { maxDepth: 10 }))).toBe(true);
      }),
    );
  });

  it('matching any object against any JSON event answers true or false, never throws', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue(), (pattern, event) => {
        expect(typeof matchesPattern(pattern, event)).toBe('boolean');
      }),
    );
  });

  it('a well-formed pattern of exact values matches the event it was read from', () => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), leaf, { minKeys: 1 }), (data) => {
        const pattern = { data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, [v]])) };
        expect(patternProblems(pattern, { maxDepth: 10 })).toEqual([]);
        expect(matchesPattern(pattern, { type: 't', id: 'e', data })).toBe(true);
      }),
    );
  });
});

describe('wildcards', () => {
  // The reference: the same wildcard as an anchored regular expression.
  const viaRegExp = (glob: string, value: string) =>
    new RegExp(
      `^${glob
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      's',
    ).test(value);
  const text = (chars: string[]) =>
    fc.array(fc.constantFrom(...chars), { maxLength: 12 }).map((a) => a.join(''));

  it('match as the equivalent regular expression does', () => {
    fc.assert(
      fc.property(text(['a', 'b', '*']), text(['a', 'b']), (glob, value) => {
        fc.pre(wildcardProblem(glob) === undefined);
        expect(wildcardMatches(glob, value)).toBe(viaRegExp(glob, value));
      }),
      { numRuns: 2000 },
    );
  });

  it('cost one pass however a tenant writes them (no backtracking)', () => {
    const value = 'a'.repeat(256 * 1024);
    const glob = `${'*a'.repeat(1000)}*b`;
    const started = performance.now();
    expect(wildcardMatches(glob, value)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
