import { createHash } from 'node:crypto';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { JsonSchema } from './route-spec.js';

/**
 * What the API's validators are built from. They are compiled ahead of time
 * (scripts/emit-validators.ts writes src/generated/), so a cold start neither loads ajv's
 * compiler nor compiles a schema on its first request: this module holds what the generated
 * code and the generator share.
 */

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

/** The `format`s a schema may name: ajv-formats' full set, with `uri` meaning a URL we can call. */
export const formats = { ...fullFormats, uri: isCallableUrl };

/** Bodies are checked as sent; a query's strings are coerced to the schema's types and defaults filled in. */
export const AJV_OPTIONS = {
  body: { allErrors: true, strict: false, useDefaults: false },
  query: { allErrors: true, strict: false, coerceTypes: true, useDefaults: true },
} as const;

export type ValidatorKind = keyof typeof AJV_OPTIONS;

/** The name a schema's generated validator is exported under: a digest of the schema's JSON. */
export const validatorName = (kind: ValidatorKind, schema: JsonSchema): string =>
  `${kind}_${createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 16)}`;
