/**
 * EventBridge's event pattern matching, as AWS documents it: a pattern lists, per field, the
 * values (or matchers) that match; nested objects match nested fields; every field of the
 * pattern must match (AND), any value of a field's list may (OR); an array in the event
 * matches when any of its elements does. Matchers: exact values (strings, numbers, booleans,
 * null), `prefix`, `suffix`, `equals-ignore-case`, `wildcard`, `anything-but` (a value, a
 * list, or a prefix/suffix/equals-ignore-case), `numeric` (comparisons), `exists` and `cidr`
 * (IPv4), and `$or` over sub-patterns.
 *
 * @example
 * matchesPattern({ source: ['hookrelay.inbound.stripe'] }, { source: 'hookrelay.inbound.stripe' }) // true
 */
export type EventPattern = { readonly [field: string]: unknown };

type Leaf = string | number | boolean | null;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

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

const inCidr = (value: unknown, cidr: string): boolean => {
  if (typeof value !== 'string') return false;
  const [base, bits] = cidr.split('/');
  const ip = ipv4(value);
  const net = ipv4(base ?? '');
  const size = Number(bits ?? 32);
  if (ip === undefined || net === undefined || !(size >= 0 && size <= 32)) return false;
  const block = 2 ** (32 - size);
  return Math.floor(ip / block) === Math.floor(net / block);
};

const wildcard = (value: unknown, glob: string): boolean => {
  if (typeof value !== 'string') return false;
  const source = glob
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(value);
};

const numeric = (value: unknown, ops: readonly unknown[]): boolean => {
  if (typeof value !== 'number') return false;
  for (let i = 0; i + 1 < ops.length; i += 2) {
    const op = ops[i];
    const bound = Number(ops[i + 1]);
    const ok =
      op === '='
        ? value === bound
        : op === '<'
          ? value < bound
          : op === '<='
            ? value <= bound
            : op === '>'
              ? value > bound
              : op === '>='
                ? value >= bound
                : false;
    if (!ok) return false;
  }
  return true;
};

const stringMatcher = (value: unknown, matcher: Record<string, unknown>): boolean | undefined => {
  if ('prefix' in matcher) {
    const p = matcher.prefix;
    if (isObject(p) && typeof p['equals-ignore-case'] === 'string') {
      return (
        typeof value === 'string' && value.toLowerCase().startsWith(p['equals-ignore-case'].toLowerCase())
      );
    }
    return typeof value === 'string' && typeof p === 'string' && value.startsWith(p);
  }
  if ('suffix' in matcher) {
    const s = matcher.suffix;
    if (isObject(s) && typeof s['equals-ignore-case'] === 'string') {
      return typeof value === 'string' && value.toLowerCase().endsWith(s['equals-ignore-case'].toLowerCase());
    }
    return typeof value === 'string' && typeof s === 'string' && value.endsWith(s);
  }
  if ('equals-ignore-case' in matcher) {
    const e = matcher['equals-ignore-case'];
    return typeof value === 'string' && typeof e === 'string' && value.toLowerCase() === e.toLowerCase();
  }
  if ('wildcard' in matcher) return wildcard(value, String(matcher.wildcard));
  return undefined;
};

/** One present leaf value against one matcher of the pattern's list. */
const matchesValue = (value: Leaf, matcher: unknown): boolean => {
  if (!isObject(matcher)) return value === matcher;
  const asString = stringMatcher(value, matcher);
  if (asString !== undefined) return asString;
  if ('numeric' in matcher) return numeric(value, matcher.numeric as unknown[]);
  if ('cidr' in matcher) return inCidr(value, String(matcher.cidr));
  if ('anything-but' in matcher) {
    const but = matcher['anything-but'];
    if (isObject(but)) {
      const hit = stringMatcher(value, but);
      return typeof value === 'string' && hit === false;
    }
    return !(Array.isArray(but) ? but : [but]).includes(value);
  }
  return false;
};

const matchesField = (present: boolean, value: unknown, matchers: readonly unknown[]): boolean => {
  const values: unknown[] = Array.isArray(value) ? value : [value];
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) {
      const leafPresent = present && values.some((v) => !isObject(v) && v !== undefined);
      return matcher.exists === true ? leafPresent : !present;
    }
    if (!present) return false;
    return values.some((v) => !isObject(v) && !Array.isArray(v) && matchesValue(v as Leaf, matcher));
  });
};

export const matchesPattern = (pattern: EventPattern, event: unknown): boolean => {
  const source = isObject(event) ? event : {};
  return Object.entries(pattern).every(([field, rule]) => {
    if (field === '$or') {
      return Array.isArray(rule) && rule.some((p) => isObject(p) && matchesPattern(p, source));
    }
    const present = field in source && source[field] !== undefined;
    const value = source[field];
    if (Array.isArray(rule)) return matchesField(present, value, rule);
    if (isObject(rule)) return matchesPattern(rule, isObject(value) ? value : {});
    return false;
  });
};
