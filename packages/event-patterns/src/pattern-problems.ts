/** One thing wrong with a pattern: where (a dotted path, list entries by index) and what. */
export interface PatternProblem {
  readonly path: string;
  readonly message: string;
}

export interface PatternRules {
  /** The path the pattern itself is reported under (`filter`); empty by default. */
  readonly root?: string;
  /** Deepest nesting of objects (the pattern is level 1; nested fields and `$or` branches add one). */
  readonly maxDepth: number;
  /** The only field names allowed at the top (and in the top's `$or` branches); absent: any. */
  readonly topFields?: readonly string[];
  /** Problems reported at most; the rest are not looked for. Default 20. */
  readonly maxProblems?: number;
}

/** Every operator a list entry may use, the key of a one-key object. */
export const OPERATORS = [
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

type Report = (path: string, message: string) => void;

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

const checkString = (report: Report, path: string, operand: unknown, example: string) => {
  if (typeof operand !== 'string') report(path, `must be a string, like ${example}`);
};

/** A string, or `{"equals-ignore-case": string}` (prefix and suffix take both). */
const checkAffix = (report: Report, path: string, operand: unknown, example: string) => {
  if (isObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
      report(path, `must be a string, or {"equals-ignore-case": string}, like ${example}`);
    } else checkString(report, `${path}.equals-ignore-case`, operand['equals-ignore-case'], example);
  } else checkString(report, path, operand, example);
};

const checkWildcard = (report: Report, path: string, operand: unknown) => {
  if (typeof operand !== 'string') return report(path, 'must be a string, like "*.png"');
  const problem = wildcardProblem(operand);
  if (problem) report(path, problem);
};

const checkNumeric = (report: Report, path: string, operand: unknown) => {
  const shape = 'must be [comparison, number] or [lower, number, upper, number], like [">", 0, "<=", 5]';
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) return report(path, shape);
  let ok = true;
  for (let i = 0; i < operand.length; i += 2) {
    if (!COMPARISONS.includes(operand[i])) {
      report(`${path}.${i}`, `must be one of ${COMPARISONS.map(json).join(', ')}`);
      ok = false;
    }
    if (typeof operand[i + 1] !== 'number') {
      report(`${path}.${i + 1}`, 'must be a number');
      ok = false;
    }
  }
  if (!ok || operand.length === 2) return;
  const [op1, n1, op2, n2] = operand as [string, number, string, number];
  const low = LOWER.includes(op1) ? n1 : LOWER.includes(op2) ? n2 : undefined;
  const high = UPPER.includes(op1) ? n1 : UPPER.includes(op2) ? n2 : undefined;
  if (low === undefined || high === undefined) {
    return report(path, 'must pair a lower bound (> or >=) with an upper bound (< or <=)');
  }
  if (low >= high) report(path, `is an empty range: nothing is above ${low} and below ${high}`);
};

const checkAnythingBut = (report: Report, path: string, operand: unknown) => {
  const shape =
    'must be a string, a number, a list of strings or of numbers, or one of {"prefix": ...}, ' +
    '{"suffix": ...}, {"equals-ignore-case": ...}, {"wildcard": ...}';
  if (typeof operand === 'string' || typeof operand === 'number') return;
  if (Array.isArray(operand)) {
    const strings = operand.every((v) => typeof v === 'string');
    const numbers = operand.every((v) => typeof v === 'number');
    if (operand.length === 0 || !(strings || numbers)) report(path, shape);
    return;
  }
  if (!isObject(operand) || Object.keys(operand).length !== 1) return report(path, shape);
  const [op, inner] = Object.entries(operand)[0] as [string, unknown];
  const at = `${path}.${op}`;
  if (op === 'prefix' || op === 'suffix') return checkString(report, at, inner, '"us-"');
  if (op !== 'equals-ignore-case' && op !== 'wildcard') return report(path, shape);
  const list = Array.isArray(inner) ? inner : [inner];
  if (list.length === 0) return report(at, 'must be a string or a list of strings, not an empty list');
  list.forEach((v, i) => {
    const where = Array.isArray(inner) ? `${at}.${i}` : at;
    if (op === 'wildcard') checkWildcard(report, where, v);
    else checkString(report, where, v, '"initializing"');
  });
};

const checkCidr = (report: Report, path: string, operand: unknown) => {
  const m = typeof operand === 'string' ? CIDR.exec(operand) : null;
  const octetsOk = m?.slice(1, 5).every((o) => Number(o) <= 255);
  if (!m || !octetsOk || Number(m[5]) > 32) {
    report(path, 'must be an IPv4 CIDR block like "10.0.0.0/24" (IPv6 is not supported)');
  }
};

const checkOperator = (report: Report, path: string, op: string, operand: unknown) => {
  switch (op) {
    case 'prefix':
      return checkAffix(report, path, operand, '"ord_"');
    case 'suffix':
      return checkAffix(report, path, operand, '".png"');
    case 'equals-ignore-case':
      return checkString(report, path, operand, '"eur"');
    case 'wildcard':
      return checkWildcard(report, path, operand);
    case 'anything-but':
      return checkAnythingBut(report, path, operand);
    case 'numeric':
      return checkNumeric(report, path, operand);
    case 'exists':
      if (typeof operand !== 'boolean') report(path, 'must be true or false');
      return;
    case 'cidr':
      return checkCidr(report, path, operand);
  }
};

const checkMatchers = (report: Report, path: string, list: readonly unknown[]) => {
  if (list.length === 0) return report(path, 'is an empty list, which matches nothing');
  for (const [i, entry] of list.entries()) {
    const at = `${path}.${i}`;
    if (entry === null || ['string', 'number', 'boolean'].includes(typeof entry)) continue;
    if (!isObject(entry)) {
      report(at, 'must be a value (string, number, boolean, null) or a matcher');
      continue;
    }
    const keys = Object.keys(entry);
    const op = keys[0] ?? '';
    if (keys.length !== 1) report(at, 'must hold exactly one operator, like {"prefix": "ord_"}');
    else if (!(OPERATORS as readonly string[]).includes(op)) {
      report(at, `has an unknown operator "${op}" (one of ${OPERATORS.join(', ')})`);
    } else checkOperator(report, `${at}.${op}`, op, entry[op]);
  }
};

const checkPattern = (
  report: Report,
  rules: PatternRules,
  path: string,
  node: unknown,
  depth: number,
  top: boolean,
) => {
  const here = path || '(the pattern)';
  if (!isObject(node)) return report(here, 'must be an object of fields');
  if (depth > rules.maxDepth) return report(here, `nests deeper than ${rules.maxDepth} levels`);
  const entries = Object.entries(node);
  if (entries.length === 0) return report(here, 'is empty: name at least one field');
  const join = (key: string) => (path ? `${path}.${key}` : key);
  for (const [key, value] of entries) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) {
        report(join(key), 'must be a list of at least two patterns');
        continue;
      }
      value.forEach((branch, i) => {
        checkPattern(report, rules, join(`$or.${i}`), branch, depth + 1, top);
      });
      continue;
    }
    if (top && rules.topFields && !rules.topFields.includes(key)) {
      report(join(key), `is not a field of the event, which has only ${rules.topFields.join(', ')}`);
      continue;
    }
    if (Array.isArray(value)) checkMatchers(report, join(key), value);
    else if (isObject(value)) checkPattern(report, rules, join(key), value, depth + 1, false);
    else
      report(
        join(key),
        `must be a list of values or matchers (like [${json(value)}]) or an object of fields`,
      );
  }
};

/**
 * What is wrong with an event pattern, checked by its structure: objects of fields, each a
 * non-empty list of values or one-operator matchers with operands of the right type, `$or`
 * over two patterns or more, no deeper than `maxDepth`. Empty when it is well formed.
 *
 * @example
 * patternProblems({ data: { amount: [{ numeric: ['>'] }] } }, { root: 'filter', maxDepth: 10 })
 * // [{ path: 'filter.data.amount.0.numeric', message: 'must be [comparison, number] or ...' }]
 */
export const patternProblems = (pattern: unknown, rules: PatternRules): PatternProblem[] => {
  const problems: PatternProblem[] = [];
  const max = rules.maxProblems ?? 20;
  const report: Report = (path, message) => {
    if (problems.length < max) problems.push({ path, message });
  };
  checkPattern(report, rules, rules.root ?? '', pattern, 1, true);
  return problems;
};
