import { wildcardMatches } from './wildcard.js';

/**
 * An EventBridge event pattern: per field, a list of values or matchers (any may match), or an
 * object of nested fields; every field of the pattern must match.
 */
export type EventPattern = { readonly [field: string]: unknown };

type Leaf = string | number | boolean | null;

const NOTHING: Readonly<Record<string, unknown>> = Object.freeze({});

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field of the event, own fields only: `constructor` or `toString` are not in every event. */
const fieldOf = (event: Record<string, unknown>, field: string): unknown =>
  Object.hasOwn(event, field) ? event[field] : undefined;

/**
 * Whether any leaf value of a field passes `test`: the value itself, or the elements of an array
 * (nested arrays crushed, as EventBridge does). Objects are not leaves, nor is an absent field.
 */
const someLeaf = (value: unknown, test: (leaf: Leaf) => boolean): boolean => {
  if (Array.isArray(value)) return value.some((v) => someLeaf(v, test));
  if (value === undefined || isObject(value)) return false;
  return test(value as Leaf);
};

const ipv4 = (text: string): number | undefined => {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
};

const inCidr = (value: Leaf, cidr: string): boolean => {
  // No IPv4 address is longer than 255.255.255.255: a long string is not split to find out.
  if (typeof value !== 'string' || value.length > 15) return false;
  const [base, bits] = cidr.split('/');
  const ip = ipv4(value);
  const net = ipv4(base ?? '');
  const size = Number(bits ?? 32);
  if (ip === undefined || net === undefined || !(size >= 0 && size <= 32)) return false;
  const block = 2 ** (32 - size);
  return Math.floor(ip / block) === Math.floor(net / block);
};

const compare = (value: number, op: unknown, bound: number): boolean => {
  switch (op) {
    case '=':
      return value === bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    default:
      return false;
  }
};

const numeric = (value: Leaf, ops: unknown): boolean => {
  if (typeof value !== 'number' || !Array.isArray(ops)) return false;
  for (let i = 0; i + 1 < ops.length; i += 2) {
    if (!compare(value, ops[i], Number(ops[i + 1]))) return false;
  }
  return true;
};

/**
 * The event's value in lower case, kept for the next matcher: a list of n ignore-case matchers
 * lowers a (possibly 256 KB) value once, not n times.
 */
let lowered: { readonly from: string; readonly to: string } = { from: '', to: '' };
const lowerValue = (s: string) => {
  if (s !== lowered.from) lowered = { from: s, to: s.toLowerCase() };
  return lowered.to;
};
const lower = (s: string) => s.toLowerCase();
const oneOrMany = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : [v]);

/**
 * The string matchers (`prefix`, `suffix`, `equals-ignore-case`, `wildcard`), each operand a
 * string, or a list of them inside `anything-but`; undefined when the matcher is none of them.
 */
const stringMatch = (value: Leaf, matcher: Record<string, unknown>): boolean | undefined => {
  const text = typeof value === 'string' ? value : undefined;
  const any = (operand: unknown, test: (s: string, against: string) => boolean) =>
    text !== undefined && oneOrMany(operand).some((o) => typeof o === 'string' && test(text, o));
  if ('prefix' in matcher) {
    const p = matcher.prefix;
    if (isObject(p)) return any(p['equals-ignore-case'], (s, o) => lowerValue(s).startsWith(lower(o)));
    return any(p, (s, o) => s.startsWith(o));
  }
  if ('suffix' in matcher) {
    const s = matcher.suffix;
    if (isObject(s)) return any(s['equals-ignore-case'], (t, o) => lowerValue(t).endsWith(lower(o)));
    return any(s, (t, o) => t.endsWith(o));
  }
  if ('equals-ignore-case' in matcher) {
    return any(matcher['equals-ignore-case'], (s, o) => lowerValue(s) === lower(o));
  }
  if ('wildcard' in matcher) return any(matcher.wildcard, (s, o) => wildcardMatches(o, s));
  return undefined;
};

/** One leaf value of the event against one entry of the pattern's list. */
const matchesValue = (value: Leaf, matcher: unknown): boolean => {
  if (!isObject(matcher)) return value === matcher;
  const asString = stringMatch(value, matcher);
  if (asString !== undefined) return asString;
  if ('numeric' in matcher) return numeric(value, matcher.numeric);
  if ('cidr' in matcher) return inCidr(value, String(matcher.cidr));
  if ('anything-but' in matcher) {
    const but = matcher['anything-but'];
    // anything-but a prefix (suffix, ...) is said of strings only.
    if (isObject(but)) return typeof value === 'string' && stringMatch(value, but) === false;
    return !oneOrMany(but).includes(value);
  }
  return false;
};

const matchesField = (value: unknown, matchers: readonly unknown[]): boolean =>
  matchers.some((matcher) => {
    // Exists is said of leaves: a field holding an object (or only an empty array) does not exist.
    if (isObject(matcher) && 'exists' in matcher) {
      const has = someLeaf(value, () => true);
      return matcher.exists === true ? has : !has;
    }
    return someLeaf(value, (leaf) => matchesValue(leaf, matcher));
  });

/**
 * Nested fields under a field. Under an array of objects, one element must match all of them
 * (EventBridge's array-consistent matching: two fields never match from two elements).
 */
const matchesNested = (pattern: EventPattern, value: unknown): boolean => {
  if (!Array.isArray(value)) return matchesPattern(pattern, isObject(value) ? value : NOTHING);
  let sawObject = false;
  for (const element of value) {
    if (!isObject(element) && !Array.isArray(element)) continue;
    sawObject = true;
    if (matchesNested(pattern, element)) return true;
  }
  return !sawObject && matchesPattern(pattern, NOTHING);
};

/**
 * EventBridge's event pattern matching, as AWS documents it: a pattern lists, per field, the
 * values (or matchers) that match; nested objects match nested fields; every field of the
 * pattern must match (AND), any entry of a field's list may (OR); an array in the event
 * matches when any of its elements does. Matchers: exact values (strings, numbers, booleans,
 * null), `prefix`, `suffix`, `equals-ignore-case`, `wildcard`, `anything-but` (a value, a
 * list, or a prefix/suffix/equals-ignore-case/wildcard), `numeric` (comparisons), `exists`,
 * `cidr` (IPv4), and `$or` over sub-patterns. The pattern is trusted to be well formed
 * (`patternProblems` says whether it is); a malformed entry matches nothing rather than throwing.
 *
 * @example
 * matchesPattern({ source: ['hookrelay.inbound.stripe'] }, { source: 'hookrelay.inbound.stripe' }) // true
 * matchesPattern({ data: { amount: [{ numeric: ['>', 10000] }] } }, { data: { amount: 12000 } }) // true
 */
export const matchesPattern = (pattern: EventPattern, event: unknown): boolean => {
  const source = isObject(event) ? event : NOTHING;
  for (const [field, rule] of Object.entries(pattern)) {
    if (field === '$or' && Array.isArray(rule)) {
      if (!rule.some((branch) => isObject(branch) && matchesPattern(branch, source))) return false;
    } else if (Array.isArray(rule)) {
      if (!matchesField(fieldOf(source, field), rule)) return false;
    } else if (isObject(rule)) {
      if (!matchesNested(rule, fieldOf(source, field))) return false;
    } else return false;
  }
  return true;
};
