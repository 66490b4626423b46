import { type ErrorDetail, ValidationError } from '@hookrelay/domain';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from './route-spec.js';

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule.default;

// verbose: each error carries its schema, whose description makes a pattern error readable.
const bodies = new Ajv({ allErrors: true, strict: false, useDefaults: false, verbose: true });
const queries = new Ajv({
  allErrors: true,
  strict: false,
  coerceTypes: true,
  useDefaults: true,
  verbose: true,
});
addFormats(bodies);
addFormats(queries);

/** A host name as DNS has them (letters, digits, "-", "_" in dot-separated labels), or an IPv6 literal. */
const DIALLABLE_HOST =
  /^(?:\[[0-9a-f:.]+\]|(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?)$/;

/**
 * The URLs the platform takes are ones it will call: they must parse as a URL does when it is
 * dialled (a port past 65535 does not), be http(s), name a host that DNS could answer for and a
 * port that exists.
 */
export const isCallableUrl = (text: string): boolean => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    DIALLABLE_HOST.test(url.hostname) &&
    url.port !== '0'
  );
};
bodies.addFormat('uri', isCallableUrl);

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

const fieldOf = (e: ErrorObject): string => e.instancePath.replace(/^\//, '').replace(/\//g, '.');

/** One ajv error as a field and a sentence a person can act on. */
const detail = (e: ErrorObject): ErrorDetail => {
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
      const described = (e.parentSchema as { description?: unknown } | undefined)?.description;
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
const collapseAlternatives = (errors: readonly ErrorObject[]): ErrorDetail[] => {
  const groups = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inGroup = (e: ErrorObject, g: ErrorObject) =>
    e !== g && e.schemaPath.startsWith(`${g.schemaPath}/`) && e.instancePath.startsWith(g.instancePath);
  const details: ErrorDetail[] = [];
  for (const e of errors) {
    if (groups.some((g) => inGroup(e, g))) continue;
    if (!groups.includes(e)) {
      details.push(detail(e));
      continue;
    }
    const branches = errors.filter((b) => inGroup(b, e));
    const field = fieldOf(e) || '(body)';
    if (branches.length > 0 && branches.every((b) => b.keyword === 'required')) {
      const names = branches.map((b) => String((b.params as Record<string, unknown>).missingProperty));
      details.push({ field, message: `needs ${[...new Set(names)].join(' or ')}` });
    } else if (branches.length > 0 && branches.every((b) => b.keyword === 'type')) {
      details.push({
        field,
        message: `must be ${typeList(branches.flatMap((b) => String((b.params as Record<string, unknown>).type).split(',')))}`,
      });
    } else {
      const forms = [...new Set(branches.map((b) => detail(b).message))];
      details.push({ field, message: `must match one of the allowed forms: ${forms.join('; or ')}` });
    }
  }
  return details;
};

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

const check = (ajv: Ajv, schema: JsonSchema, value: unknown, what: string): void => {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (!validate(value)) {
    const details = collapseAlternatives(validate.errors ?? []);
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

export const validateBody = (schema: JsonSchema, body: unknown): void =>
  check(bodies, schema, body, 'request body');

/** Validates (and coerces in place) the query string against the route's schema. */
export const validateQuery = (schema: JsonSchema | undefined, query: Record<string, unknown>): void => {
  if (!schema) {
    if (Object.keys(query).length > 0) {
      const field = Object.keys(query)[0] ?? '';
      throw new ValidationError(`Invalid query: ${field} is not a known parameter.`, [
        { field, message: 'is not a known parameter' },
      ]);
    }
    return;
  }
  check(queries, schema, query, 'query');
};
