import { createHash } from 'node:crypto';
import type { JsonSchema } from './route-spec.js';

/**
 * What the API's validators are built from. They are compiled ahead of time
 * (scripts/emit-validators.ts writes src/generated/), so a cold start neither loads ajv's
 * compiler nor compiles a schema on its first request: this module holds what the generator and
 * the router share (the formats the generated code calls are in validator-formats.ts).
 */

/**
 * The body of a route that takes none: an empty object, or nothing. Here rather than in
 * schemas/: the router checks it before any route group (and its schemas) is loaded.
 */
export const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const;

/** Bodies are checked as sent; a query's strings are coerced to the schema's types and defaults filled in. */
export const AJV_OPTIONS = {
  body: { allErrors: true, strict: false, useDefaults: false },
  query: { allErrors: true, strict: false, coerceTypes: true, useDefaults: true },
} as const;

export type ValidatorKind = keyof typeof AJV_OPTIONS;

/** The name a schema's generated validator is exported under: a digest of the schema's JSON. */
export const validatorName = (kind: ValidatorKind, schema: JsonSchema): string =>
  `${kind}_${createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 16)}`;
