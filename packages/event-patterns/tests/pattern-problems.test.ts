import { describe, expect, it } from '@jest/globals';
import { patternProblems } from '../src/index.js';

const rules = { root: 'filter', maxDepth: 4, topFields: ['type', 'id', 'data'] };
const problemsOf = (pattern: unknown) => patternProblems(pattern, rules);

describe('well-formed patterns have no problems', () => {
  it.each([
    ['the issue’s example', { data: { amount: [{ numeric: ['>', 10000] }], currency: ['eur'] } }],
    ['exact values of every JSON type', { data: { a: ['x', 1, 2.5, true, null] } }],
    [
      'prefix and suffix, also ignoring case',
      { data: { a: [{ prefix: 'ord_' }, { suffix: { 'equals-ignore-case': '.PNG' } }] } },
    ],
    ['equals-ignore-case', { type: [{ 'equals-ignore-case': 'Invoice.Paid' }] }],
    ['wildcard with escapes', { data: { path: [{ wildcard: 'dir/*.png' }, { wildcard: 'a\\*b\\\\*' }] } }],
    [
      'anything-but a value',
      { data: { state: [{ 'anything-but': 'initializing' }, { 'anything-but': 123 }] } },
    ],
    [
      'anything-but a list',
      { data: { state: [{ 'anything-but': ['stopped', 'overloaded'] }, { 'anything-but': [100, 200] }] } },
    ],
    ['anything-but a prefix', { data: { region: [{ 'anything-but': { prefix: 'us-' } }] } }],
    [
      'anything-but ignoring case, a list',
      { data: { s: [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }] } },
    ],
    ['anything-but a wildcard', { data: { p: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }],
    [
      'a numeric range, either order',
      { data: { n: [{ numeric: ['>', 0, '<=', 5] }, { numeric: ['<', 10, '>=', 1] }] } },
    ],
    ['exists', { data: { n: [{ exists: false }] } }],
    ['cidr', { data: { ip: [{ cidr: '10.0.0.0/24' }] } }],
    ['$or at the top', { $or: [{ type: ['a'] }, { data: { x: [1] } }] }],
    ['$or nested', { data: { $or: [{ x: [1] }, { y: [2] }] } }],
    ['any field name below the top', { data: { source: ['x'], '': ['empty name'] } }],
    ['nesting up to the limit', { data: { a: { b: { c: ['x'] } } } }],
  ])('%s', (_name, pattern) => {
    expect(problemsOf(pattern)).toEqual([]);
  });
});

describe('each problem says where and what', () => {
  it.each([
    ['not an object', ['x'], 'filter', 'must be an object of fields'],
    ['an empty pattern', {}, 'filter', 'is empty: name at least one field'],
    [
      'a field the event lacks at the top',
      { amount: [1] },
      'filter.amount',
      'is not a field of the event, which has only type, id, data',
    ],
    [
      'a bare value',
      { data: { currency: 'eur' } },
      'filter.data.currency',
      'must be a list of values or matchers (like ["eur"]) or an object of fields',
    ],
    [
      'an empty list',
      { data: { currency: [] } },
      'filter.data.currency',
      'is an empty list, which matches nothing',
    ],
    [
      'a list in a list',
      { data: { currency: [['eur']] } },
      'filter.data.currency.0',
      'must be a value (string, number, boolean, null) or a matcher',
    ],
    [
      'an unknown operator',
      { data: { a: [{ contains: 'x' }] } },
      'filter.data.a.0',
      'has an unknown operator "contains" (one of prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr)',
    ],
    [
      'two operators in one matcher',
      { data: { a: [{ prefix: 'a', suffix: 'b' }] } },
      'filter.data.a.0',
      'must hold exactly one operator, like {"prefix": "ord_"}',
    ],
    [
      'prefix of a number',
      { data: { a: [{ prefix: 1 }] } },
      'filter.data.a.0.prefix',
      'must be a string, like "ord_"',
    ],
    [
      'prefix with another option',
      { data: { a: [{ prefix: { 'ignore-case': 'x' } }] } },
      'filter.data.a.0.prefix',
      'must be a string, or {"equals-ignore-case": string}, like "ord_"',
    ],
    [
      'suffix ignoring case of a number',
      { data: { a: [{ suffix: { 'equals-ignore-case': 2 } }] } },
      'filter.data.a.0.suffix.equals-ignore-case',
      'must be a string, like ".png"',
    ],
    [
      'equals-ignore-case of a list',
      { data: { a: [{ 'equals-ignore-case': ['x'] }] } },
      'filter.data.a.0.equals-ignore-case',
      'must be a string, like "eur"',
    ],
    [
      'two stars in a row',
      { data: { a: [{ wildcard: 'a**b' }] } },
      'filter.data.a.0.wildcard',
      'has two * in a row',
    ],
    [
      'a stray escape',
      { data: { a: [{ wildcard: 'a\\b' }] } },
      'filter.data.a.0.wildcard',
      'escapes something other than * or \\ (write \\* or \\\\)',
    ],
    [
      'a trailing backslash',
      { data: { a: [{ wildcard: 'a\\' }] } },
      'filter.data.a.0.wildcard',
      'escapes something other than * or \\ (write \\* or \\\\)',
    ],
    [
      'numeric without a number',
      { data: { n: [{ numeric: ['>'] }] } },
      'filter.data.n.0.numeric',
      'must be [comparison, number] or [lower, number, upper, number], like [">", 0, "<=", 5]',
    ],
    [
      'numeric with a string bound',
      { data: { n: [{ numeric: ['>', '10'] }] } },
      'filter.data.n.0.numeric.1',
      'must be a number',
    ],
    [
      'numeric with an unknown comparison',
      { data: { n: [{ numeric: ['!=', 1] }] } },
      'filter.data.n.0.numeric.0',
      'must be one of "=", ">", ">=", "<", "<="',
    ],
    [
      'numeric with two lower bounds',
      { data: { n: [{ numeric: ['>', 1, '>=', 2] }] } },
      'filter.data.n.0.numeric',
      'must pair a lower bound (> or >=) with an upper bound (< or <=)',
    ],
    [
      'numeric = in a range',
      { data: { n: [{ numeric: ['=', 1, '<', 2] }] } },
      'filter.data.n.0.numeric',
      'must pair a lower bound (> or >=) with an upper bound (< or <=)',
    ],
    [
      'an empty numeric range',
      { data: { n: [{ numeric: ['>', 10, '<', 5] }] } },
      'filter.data.n.0.numeric',
      'is an empty range: nothing is above 10 and below 5',
    ],
    [
      'exists of a string',
      { data: { n: [{ exists: 'yes' }] } },
      'filter.data.n.0.exists',
      'must be true or false',
    ],
    [
      'anything-but of mixed types',
      { data: { s: [{ 'anything-but': ['a', 1] }] } },
      'filter.data.s.0.anything-but',
      'must be a string, a number, a list of strings or of numbers, or one of {"prefix": ...}, {"suffix": ...}, {"equals-ignore-case": ...}, {"wildcard": ...}',
    ],
    [
      'anything-but of null',
      { data: { s: [{ 'anything-but': null }] } },
      'filter.data.s.0.anything-but',
      'must be a string, a number, a list of strings or of numbers, or one of {"prefix": ...}, {"suffix": ...}, {"equals-ignore-case": ...}, {"wildcard": ...}',
    ],
    [
      'anything-but a numeric',
      { data: { s: [{ 'anything-but': { numeric: ['>', 1] } }] } },
      'filter.data.s.0.anything-but',
      'must be a string, a number, a list of strings or of numbers, or one of {"prefix": ...}, {"suffix": ...}, {"equals-ignore-case": ...}, {"wildcard": ...}',
    ],
    [
      'anything-but a bad wildcard in a list',
      { data: { s: [{ 'anything-but': { wildcard: ['ok*', 'x**'] } }] } },
      'filter.data.s.0.anything-but.wildcard.1',
      'has two * in a row',
    ],
    [
      'an IPv6 cidr',
      { data: { ip: [{ cidr: '2001:db8::/32' }] } },
      'filter.data.ip.0.cidr',
      'must be an IPv4 CIDR block like "10.0.0.0/24" (IPv6 is not supported)',
    ],
    [
      'a cidr without a length',
      { data: { ip: [{ cidr: '10.0.0.1' }] } },
      'filter.data.ip.0.cidr',
      'must be an IPv4 CIDR block like "10.0.0.0/24" (IPv6 is not supported)',
    ],
    [
      '$or with one branch',
      { $or: [{ type: ['a'] }] },
      'filter.$or',
      'must be a list of at least two patterns',
    ],
    ['$or of a non-pattern', { $or: [{ type: ['a'] }, 'b'] }, 'filter.$or.1', 'must be an object of fields'],
    [
      '$or at the top naming a field the event lacks',
      { $or: [{ type: ['a'] }, { amount: [1] }] },
      'filter.$or.1.amount',
      'is not a field of the event, which has only type, id, data',
    ],
    [
      'nesting past the limit',
      { data: { a: { b: { c: { d: ['x'] } } } } },
      'filter.data.a.b.c',
      'nests deeper than 4 levels',
    ],
  ])('%s', (_name, pattern, path, message) => {
    expect(problemsOf(pattern)).toEqual([{ path, message }]);
  });

  it('counts wildcards, anything-but’s included, against the most a pattern may hold', () => {
    const limited = { ...rules, maxWildcards: 2 };
    const two = { data: { a: [{ wildcard: 'x*' }], b: [{ 'anything-but': { wildcard: '*y' } }] } };
    expect(patternProblems(two, limited)).toEqual([]);
    const three = { data: { ...two.data, c: [{ 'anything-but': { wildcard: ['*z', '*w'] } }] } };
    expect(patternProblems(three, limited)).toEqual([
      {
        path: 'filter.data.c.0.anything-but.wildcard.0',
        message: 'is a wildcard more than the 2 a pattern may hold',
      },
    ]);
  });

  it('reports every problem, up to the most it is asked for', () => {
    const many = { data: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, []])) };
    expect(problemsOf(many)).toHaveLength(20);
    expect(patternProblems(many, { ...rules, maxProblems: 3 })).toHaveLength(3);
  });

  it('without a root or top fields, a pattern is checked the way the bus takes it', () => {
    expect(patternProblems({ source: ['aws.ec2'] }, { maxDepth: 10 })).toEqual([]);
    expect(patternProblems({}, { maxDepth: 10 })).toEqual([
      { path: '(the pattern)', message: 'is empty: name at least one field' },
    ]);
  });
});
