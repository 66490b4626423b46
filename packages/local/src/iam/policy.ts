import type { PolicyStatement } from '@hookrelay/definitions/access';
import type { Permission } from './requests.js';

/** An IAM resource pattern: `*` matches any run of characters, `?` any one. */
const matches = (pattern: string, value: string): boolean => {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  return compiled(pattern).test(value);
};

/** Each wildcard pattern's expression, compiled once: every call a function makes is checked. */
const expressions = new Map<string, RegExp>();
const compiled = (pattern: string): RegExp => {
  const known = expressions.get(pattern);
  if (known) return known;
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  const expression = new RegExp(`^${source}$`);
  expressions.set(pattern, expression);
  return expression;
};

/**
 * Whether identity-based statements allow a permission. Only `Allow` statements are written
 * (no `Deny`, no conditions on data access), so a permission is allowed exactly when one
 * statement names its action and a resource that matches.
 */
export const allows = (statements: readonly PolicyStatement[], permission: Permission): boolean =>
  statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      s.Action.some((a) => matches(a, permission.action)) &&
      s.Resource.some((r) => matches(r, permission.resource)),
  );
