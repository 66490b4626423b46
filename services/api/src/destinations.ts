import { isIP } from 'node:net';
import { ValidationError } from '@hookrelay/domain';

/** What the connect-time guard answers for an address (`DestinationGuard` of the same allow-list). */
export interface DestinationPolicy {
  allows(address: string): boolean;
}

/**
 * Refuses, with a 400 naming the field, a URL whose host is an IP literal the platform would
 * never call (loopback, private, link-local and the metadata address, CGNAT, unique-local,
 * multicast, unspecified) unless the operator's allow-list (`DESTINATION_ALLOWLIST`, the same
 * one the connect-time guard reads) names it. Host names pass here: what they resolve to is
 * checked when the delivery connects, after DNS, so that rebinding does not help.
 *
 * @example assertCallableDestination(guard, 'url', 'http://169.254.169.254/latest') // throws
 */
export const assertCallableDestination = (policy: DestinationPolicy, field: string, url: string): void => {
  let host: string;
  try {
    // WHATWG URL parsing normalises 0x7f.1, 2130706433 and the like to dotted IPv4.
    host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return; // the schema has refused it already
  }
  if (isIP(host) === 0 || policy.allows(host)) return;
  const message =
    'points to a private, loopback, link-local or metadata address, which the platform does not call';
  throw new ValidationError(`Invalid request body: ${field} ${message} (${host}).`, [{ field, message }]);
};
