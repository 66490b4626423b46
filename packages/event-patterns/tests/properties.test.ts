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

  it('find long pieces as includes does (the linear search)', () => {
    const ab = (min: number, max: number) =>
      fc.array(fc.constantFrom('a', 'b'), { minLength: min, maxLength: max }).map((a) => a.join(''));
    fc.assert(
      fc.property(ab(65, 90), ab(0, 300), ab(0, 300), fc.boolean(), (piece, before, after, planted) => {
        const value = planted ? `${before}${piece}${after}` : `${before}${after}`;
        expect(wildcardMatches(`*${piece}*`, value)).toBe(value.includes(piece));
      }),
      { numRuns: 500 },
    );
  });

  it('cost a pass through the string however a tenant writes them (no backtracking)', () => {
    const value = 'a'.repeat(256 * 1024);
    const cases = [
      `${'*a'.repeat(1000)}*b`,
      // A long piece that almost matches everywhere: V8's own search takes 0.2 s over this.
      `*${'a'.repeat(1000)}b${'a'.repeat(1000)}*`,
    ];
    for (const glob of cases) {
      const started = performance.now();
      expect(wildcardMatches(glob, value)).toBe(false);
      expect(performance.now() - started).toBeLessThan(100);
    }
  });
});
