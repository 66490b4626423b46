import { SIGNATURE_SCHEME_INFO } from '@hookrelay/signing/schemes';

/**
 * The rules for a webhook's custom headers: at most MAX_CUSTOM_HEADERS, names that are HTTP
 * tokens, and never a header the platform sets itself (content, signatures) or one that only
 * means something between two hops of a connection.
 *
 * @example
 * customHeaderProblem('Authorization') // undefined: allowed
 * customHeaderProblem('Webhook-Signature') // 'is set by the platform'
 */
export const MAX_CUSTOM_HEADERS = 20;
const MAX_CUSTOM_HEADER_VALUE = 1000;
/**
 * All custom headers together (names, values, ": " and CRLF): with the platform's own (every
 * scheme's signatures over three live secrets and keys, under 1.5 KB), well inside the 16 KB a
 * stock Node receiver takes before it answers 431.
 */
export const MAX_CUSTOM_HEADERS_BYTES = 4096;
export const HEADER_NAME_PATTERN = "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$";
/** Printable ASCII and tab: nothing that could end a header line. */
export const HEADER_VALUE_PATTERN = `^[\\t\\x20-\\x7e]{1,${MAX_CUSTOM_HEADER_VALUE}}$`;

const OWN = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'user-agent',
  'host',
  'webhook-id',
  'webhook-timestamp',
  ...Object.values(SIGNATURE_SCHEME_INFO).map((scheme) => scheme.header),
  'svix-id',
  'svix-timestamp',
  'svix-signature',
]);
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'expect',
]);

/** What proxies set about the path a request took: a receiver must be able to trust them. */
const PROXY = new Set(['forwarded', 'via', 'x-real-ip']);

/** Why a header name may not be a custom header, or undefined when it may. */
export const customHeaderProblem = (name: string): string | undefined => {
  if (!new RegExp(HEADER_NAME_PATTERN).test(name)) return 'is not a valid header name';
  const lower = name.toLowerCase();
  if (OWN.has(lower) || lower.startsWith('x-hookrelay-')) return 'is set by the platform';
  if (HOP_BY_HOP.has(lower)) return 'is a hop-by-hop header';
  if (PROXY.has(lower) || lower.startsWith('x-forwarded-')) return 'is set by the proxies on the way';
  return undefined;
};

/** The bytes a set of custom headers adds to a request's head. */
export const customHeadersBytes = (headers: Readonly<Record<string, string>>): number =>
  Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0);
