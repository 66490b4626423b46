/** One thing wrong with a pattern: where (a dotted path, list entries by index) and what. */
interface PatternProblem {
  readonly path: string;
  readonly message: string;
}

interface PatternRules {
  /** The path the pattern itself is reported under (`filter`); empty by default. */
  readonly root?: string;
  /** Deepest nesting of objects (the pattern is level 1; nested fields and `$or` branches add one). */
  readonly maxDepth: number;
  /** The only field names allowed at the top (and in the top's `$or` branches); absent: any. */
  readonly topFields?: readonly string[];
  /**
   * Wildcard values the pattern may hold at most (anything-but's included): each is a search
   * through the event's string, so their number bounds what matching an event can cost.
   */
  readonly maxWildcards?: number;
  /** Problems reported at most; the rest are not looked for. Default 20. */
  readonly maxProblems?: number;
}

/** Every operator a list entry may use, the key of a one-key object. */
const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
] as const;

const LOWER = ['>', '>='];
const UPPER = ['<', '<='];
const COMPARISONS = ['=', ...LOWER, ...UPPER];
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const json = (v: unknown) => JSON.stringify(v);

interface Checker {
  problem(path: string, message: string): void;
  /** Counts a wildcard value, which costs a search through the event's string. */
  wildcard(path: string): void;
}

/** What is wrong with a wildcard value, if anything (EventBridge's rules for `*` and `\`). */
export const wildcardProblem = (glob: string): string | undefined => {
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') {
      const next = glob[i + 1];
      if (next !== '*' && next !== '\\') return 'escapes something other than * or \\ (write \\* or \\\\)';
      i++;
    } else if (c === '*' && glob[i + 1] === '*') return 'has two * in a row';
  }
  return undefined;
};

const checkString = (check: Checker, path: string, operand: unknown, example: string) => {
  if (typeof operand !== 'string') check.problem(path, `must be a string, like ${example}`);
};

/** A string, or `{"equals-ignore-case": string}` (prefix and suffix take both). */
const checkAffix = (check: Checker, path: string, operand: unknown, example: string) => {
  if (isObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
      check.problem(path, `must be a string, or {"equals-ignore-case": string}, like ${example}`);
    } else checkString(check, `${path}.equals-ignore-case`, operand['equals-ignore-case'], example);
  } else checkString(check, path, operand, example);
};

const checkWildcard = (check: Checker, path: string, operand: unknown) => {
  if (typeof operand !== 'string') return check.problem(path, 'must be a string, like "*.png"');
  const problem = wildcardProblem(operand);
  if (problem) check.problem(path, problem);
  check.wildcard(path);
};

const checkNumeric = (check: Checker, path: string, operand: unknown) => {
  const shape = 'must be [comparison, number] or [lower, number, upper, number], like [">", 0, "<=", 5]';
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4))
    return check.problem(path, shape);
  let ok = true;
  for (let i = 0; i < operand.length; i += 2) {
    if (!COMPARISONS.includes(operand[i])) {
      check.problem(`${path}.${i}`, `must be one of ${COMPARISONS.map(json).join(', ')}`);
      ok = false;
    }
    if (typeof operand[i + 1] !== 'number') {
      check.problem(`${path}.${i + 1}`, 'must be a number');
      ok = false;
    }
  }
  if (!ok || operand.length === 2) return;
  const [op1, n1, op2, n2] = operand as [string, number, string, number];
  const low = LOWER.includes(op1) ? n1 : LOWER.includes(op2) ? n2 : undefined;
  const high = UPPER.includes(op1) ? n1 : UPPER.includes(op2) ? n2 : undefined;
  if (low === undefined || high === undefined) {
    return check.problem(path, 'must pair a lower bound (> or >=) with an upper bound (< or <=)');
  }
  if (low >= high) check.problem(path, `is an empty range: nothing is above ${low} and below ${high}`);
};

const checkAnythingBut = (check: Checker, path: string, operand: unknown) => {
  const shape =
    'must be a string, a number, a list of strings or of numbers, or one of {"prefix": ...}, ' +
    '{"suffix": ...}, {"equals-ignore-case": ...}, {"wildcard": ...}';
  if (typeof operand === 'string' || typeof operand === 'number') return;
  if (Array.isArray(operand)) {
    const strings = operand.every((v) => typeof v === 'string');
    const numbers = operand.every((v) => typeof v === 'number');
    if (operand.length === 0 || !(strings || numbers)) check.problem(path, shape);
    return;
  }
  if (!isObject(operand) || Object.keys(operand).length !== 1) return check.problem(path, shape);
  const [op, inner] = Object.entries(operand)[0] as [string, unknown];
  const at = `${path}.${op}`;
  if (op === 'prefix' || op === 'suffix') return checkString(check, at, inner, '"us-"');
  if (op !== 'equals-ignore-case' && op !== 'wildcard') return check.problem(path, shape);
  const list = Array.isArray(inner) ? inner : [inner];
  if (list.length === 0) return check.problem(at, 'must be a string or a list of strings, not an empty list');
  list.forEach((v, i) => {
    const where = Array.isArray(inner) ? `${at}.${i}` : at;
    if (op === 'wildcard') checkWildcard(check, where, v);
    else checkString(check, where, v, '"initializing"');
  });
};

const checkCidr = (check: Checker, path: string, operand: unknown) => {
  const m = typeof operand === 'string' ? CIDR.exec(operand) : null;
  const octetsOk = m?.slice(1, 5).every((o) => Number(o) <= 255);
  if (!m || !octetsOk || Number(m[5]) > 32) {
    check.problem(path, 'must be an IPv4 CIDR block like "10.0.0.0/24" (IPv6 is not supported)');
  }
};

const checkOperator = (check: Checker, path: string, op: string, operand: unknown) => {
  switch (op) {
    case 'prefix':
      return checkAffix(check, path, operand, '"ord_"');
    case 'suffix':
      return checkAffix(check, path, operand, '".png"');
    case 'equals-ignore-case':
      return checkString(check, path, operand, '"eur"');
    case 'wildcard':
      return checkWildcard(check, path, operand);
    case 'anything-but':
      return checkAnythingBut(check, path, operand);
    case 'numeric':
      return checkNumeric(check, path, operand);
    case 'exists':
      if (typeof operand !== 'boolean') check.problem(path, 'must be true or false');
      return;
    case 'cidr':
      return checkCidr(check, path, operand);
  }
};

const checkMatchers = (check: Checker, path: string, list: readonly unknown[]) => {
  if (list.length === 0) return check.problem(path, 'is an empty list, which matches nothing');
  for (const [i, entry] of list.entries()) {
    const at = `${path}.${i}`;
    if (entry === null || ['string', 'number', 'boolean'].includes(typeof entry)) continue;
    if (!isObject(entry)) {
      check.problem(at, 'must be a value (string, number, boolean, null) or a matcher');
      continue;
    }
    const keys = Object.keys(entry);
    const op = keys[0] ?? '';
    if (keys.length !== 1) check.problem(at, 'must hold exactly one operator, like {"prefix": "ord_"}');
    else if (!(OPERATORS as readonly string[]).includes(op)) {
      check.problem(at, `has an unknown operator "${op}" (one of ${OPERATORS.join(', ')})`);
    } else checkOperator(check, `${at}.${op}`, op, entry[op]);
  }
};

const checkPattern = (
  check: Checker,
  rules: PatternRules,
  path: string,
  node: unknown,
  depth: number,
  top: boolean,
) => {
  const here = path || '(the pattern)';
  if (!isObject(node)) return check.problem(here, 'must be an object of fields');
  if (depth > rules.maxDepth) return check.problem(here, `nests deeper than ${rules.maxDepth} levels`);
  const entries = Object.entries(node);
  if (entries.length === 0) return check.problem(here, 'is empty: name at least one field');
  const join = (key: string) => (path ? `${path}.${key}` : key);
  for (const [key, value] of entries) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) {
        check.problem(join(key), 'must be a list of at least two patterns');
        continue;
      }
      value.forEach((branch, i) => {
        checkPattern(check, rules, join(`$or.${i}`), branch, depth + 1, top);
      });
      continue;
    }
    if (top && rules.topFields && !rules.topFields.includes(key)) {
      check.problem(join(key), `is not a field of the event, which has only ${rules.topFields.join(', ')}`);
      continue;
    }
    if (Array.isArray(value)) checkMatchers(check, join(key), value);
    else if (isObject(value)) checkPattern(check, rules, join(key), value, depth + 1, false);
    else
      check.problem(
        join(key),
        `must be a list of values or matchers (like [${json(value)}]) or an object of fields`,
      );
  }
};

/**
 * What is wrong with an event pattern, checked by its structure: objects of fields, each a
 * non-empty list of values or one-operator matchers with operands of the right type, `$or`
 * over two patterns or more, no deeper than `maxDepth`, no more wildcards than `maxWildcards`.
 * Empty when it is well formed.
 *
 * @example
 * patternProblems({ data: { amount: [{ numeric: ['>'] }] } }, { root: 'filter', maxDepth: 10 })
 * // [{ path: 'filter.data.amount.0.numeric', message: 'must be [comparison, number] or ...' }]
 */
export const patternProblems = (pattern: unknown, rules: PatternRules): PatternProblem[] => {
  const problems: PatternProblem[] = [];
  const max = rules.maxProblems ?? 20;
  let wildcards = 0;
  const check: Checker = {
    problem: (path, message) => {
      if (problems.length < max) problems.push({ path, message });
    },
    wildcard: (path) => {
      wildcards++;
      if (rules.maxWildcards !== undefined && wildcards === rules.maxWildcards + 1) {
        check.problem(path, `is a wildcard more than the ${rules.maxWildcards} a pattern may hold`);
      }
    },
  };
  checkPattern(check, rules, rules.root ?? '', pattern, 1, true);
  return problems;
};
