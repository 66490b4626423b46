import { type ErrorDetail, ValidationError } from '@hookrelay/domain';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from './route-spec.js';

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule.default;

const bodies = new Ajv({ allErrors: true, strict: false, useDefaults: false });
const queries = new Ajv({ allErrors: true, strict: false, coerceTypes: true, useDefaults: true });
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

const detail = (e: ErrorObject): ErrorDetail => {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') {
    const field = [path, params.additionalProperty].filter(Boolean).join('.');
    return { field, message: 'is not a known field' };
  }
  if (e.keyword === 'required') {
    return { field: [path, params.missingProperty].filter(Boolean).join('.'), message: 'is required' };
  }
  return { field: path || '(body)', message: e.message ?? 'is invalid' };
};

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

const check = (ajv: Ajv, schema: JsonSchema, value: unknown, what: string): void => {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (!validate(value)) {
    const details = (validate.errors ?? []).map(detail);
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
