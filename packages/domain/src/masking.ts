// What the platform may show of values that can be credentials, once they were set.

const MASK = '****';

/**
 * A URL as it may be shown: credentials in it (`user:pass@`, or a lone token before `@`) are
 * secrets the platform uses but never returns; the rest of the URL is kept exactly as given.
 *
 * @example
 * maskUrl('https://bob:hunter2@example.com/hook') // 'https://bob:****@example.com/hook'
 */
export const maskUrl = (url: string): string =>
  url.replace(/^(https?:\/\/)([^/?#]*)@/i, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon === -1 ? MASK : `${userinfo.slice(0, colon)}:${MASK}`}@`;
  });

/**
 * A header value as it may be shown after it was set: never whole; a long one keeps its last
 * four characters so that people can tell values apart.
 *
 * @example
 * maskHeaderValue('Bearer tok_live_0123456789abcdef') // '****cdef'
 */
export const maskHeaderValue = (value: string): string =>
  value.length >= 16 ? `${MASK}${value.slice(-4)}` : MASK;
