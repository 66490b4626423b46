import { type ErrorDetail, ValidationError } from '@hookrelay/domain';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonSchema } from './route-spec.js';
import { type ValidatorKind, validatorName } from './validator-build.js';

/** A route group's generated validators (`generated/<group>.js`), by kind and name. */
export type Validators = Readonly<Record<ValidatorKind, Readonly<Record<string, ValidateFunction>>>>;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** `["integer", "null"]` or "integer,null" as "an integer or null". */
const typeList = (types: unknown): string =>
  (Array.isArray(types) ? types.map(String) : String(types).split(','))
    .map((t) => TYPE_NAMES[t] ?? t)
    .join(' or ');

/** The schema that holds the keyword an error names (`#/properties/url/pattern` → the `url` schema). */
const parentSchemaOf = (root: JsonSchema, schemaPath: string): unknown =>
  schemaPath
    .split('/')
    .slice(1, -1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      root,
    );

const fieldOf = (e: ErrorObject): string => e.instancePath.replace(/^\//, '').replace(/\//g, '.');

/** One ajv error as a field and a sentence a person can act on. */
const detail = (e: ErrorObject, schema: JsonSchema): ErrorDetail => {
  const path = fieldOf(e);
  const params = e.params as Record<string, unknown>;
  const field = path || '(body)';
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        field: [path, params.additionalProperty].filter(Boolean).join('.'),
        message: 'is not a known field',
      };
    case 'required':
      return { field: [path, params.missingProperty].filter(Boolean).join('.'), message: 'is required' };
    case 'enum':
      return {
        field,
        message: `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`,
      };
    case 'type':
      return { field, message: `must be ${typeList(params.type)}` };
    case 'pattern': {
      const described = (parentSchemaOf(schema, e.schemaPath) as { description?: unknown } | undefined)
        ?.description;
      return {
        field,
        message: `must match ${String(params.pattern)}${typeof described === 'string' ? ` (${described})` : ''}`,
      };
    }
    default:
      return { field, message: e.message ?? 'is invalid' };
  }
};

/**
 * ajv reports a failed `anyOf`/`oneOf` as every branch's own errors plus "must match a schema
 * in anyOf": those become one sentence of what would have done ("needs type or event", "must
 * be a string or null").
 */
const collapseAlternatives = (errors: readonly ErrorObject[], schema: JsonSchema): ErrorDetail[] => {
  const groups = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inGroup = (e: ErrorObject, g: ErrorObject) =>
    e !== g && e.schemaPath.startsWith(`${g.schemaPath}/`) && e.instancePath.startsWith(g.instancePath);
  const details: ErrorDetail[] = [];
  for (const e of errors) {
    if (groups.some((g) => inGroup(e, g))) continue;
    if (!groups.includes(e)) {
      details.push(detail(e, schema));
      continue;
    }
    const branches = errors.filter((b) => inGroup(b, e));
    const field = fieldOf(e) || '(body)';
    // A branch that has what it requires was the form meant: its own errors say what is wrong.
    const meant = chosenBranchErrors(branches, e);
    if (meant.length > 0) {
      const seen = new Set<string>();
      for (const d of meant.map((b) => detail(b, schema))) {
        const key = `${d.field}\n${d.message}`;
        if (!seen.has(key)) details.push(d);
        seen.add(key);
      }
    } else if (branches.length > 0 && branches.every((b) => b.keyword === 'required')) {
      const names = branches.map((b) => String((b.params as Record<string, unknown>).missingProperty));
      details.push({ field, message: `needs ${[...new Set(names)].join(' or ')}` });
    } else if (branches.length > 0 && branches.every((b) => b.keyword === 'type')) {
      details.push({
        field,
        message: `must be ${typeList(branches.flatMap((b) => String((b.params as Record<string, unknown>).type).split(',')))}`,
      });
    } else {
      const forms = [...new Set(branches.map((b) => detail(b, schema).message))];
      details.push({ field, message: `must match one of the allowed forms: ${forms.join('; or ')}` });
    }
  }
  return details;
};

/**
 * The errors of the branches of a failed `anyOf`/`oneOf` that lack nothing they require (the
 * body has `type`, so the `type` form was meant), or none when every branch lacks something.
 */
const chosenBranchErrors = (branches: readonly ErrorObject[], group: ErrorObject): ErrorObject[] => {
  const branchOf = (b: ErrorObject) => b.schemaPath.slice(group.schemaPath.length + 1).split('/')[0] ?? '';
  const lacking = new Set(
    branches.filter((b) => b.keyword === 'required' && b.instancePath === group.instancePath).map(branchOf),
  );
  return branches.filter((b) => !lacking.has(branchOf(b)));
};

/** Each group's validators by schema, once found. */
const resolved = new WeakMap<Validators, WeakMap<JsonSchema, ValidateFunction>>();

/** The validator generated for `schema` (scripts/emit-validators.ts), found by its digest once. */
const validatorFor = (validators: Validators, kind: ValidatorKind, schema: JsonSchema): ValidateFunction => {
  let found = resolved.get(validators);
  if (!found) {
    found = new WeakMap();
    resolved.set(validators, found);
  }
  const known = found.get(schema);
  if (known) return known;
  const validate = validators[kind][validatorName(kind, schema)];
  if (!validate) {
    throw new Error(`no ${kind} validator was generated for this schema: run pnpm run generate`);
  }
  found.set(schema, validate);
  return validate;
};

const check = (
  validators: Validators,
  kind: ValidatorKind,
  schema: JsonSchema,
  value: unknown,
  what: string,
): void => {
  const validate = validatorFor(validators, kind, schema);
  if (!validate(value)) {
    const details = collapseAlternatives(validate.errors ?? [], schema);
    const unique = details.filter(
      (d, i) => details.findIndex((o) => o.field === d.field && o.message === d.message) === i,
    );
    const first = unique[0];
    throw new ValidationError(
      first ? `Invalid ${what}: ${first.field} ${first.message}.` : `Invalid ${what}.`,
      unique.slice(0, 20),
    );
  }
};

export const validateBody = (validators: Validators, schema: JsonSchema, body: unknown): void =>
  check(validators, 'body', schema, body, 'request body');

/** Validates (and coerces in place) the query string against the route's schema. */
export const validateQuery = (
  validators: Validators,
  schema: JsonSchema | undefined,
  query: Record<string, unknown>,
): void => {
  if (!schema) {
    if (Object.keys(query).length > 0) {
      const field = Object.keys(query)[0] ?? '';
      throw new ValidationError(`Invalid query: ${field} is not a known parameter.`, [
        { field, message: 'is not a known parameter' },
      ]);
    }
    return;
  }
  check(validators, 'query', schema, query, 'query');
};
