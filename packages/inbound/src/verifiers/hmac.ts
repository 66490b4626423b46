import { jsonObject, stringField } from './json-body.js';
import { hmac, macEquals } from './mac.js';
import { badSignature, malformed, missing, type Verifier, verified } from './verifier.js';

/**
 * A configurable HMAC of the raw body: the header, sha256 or sha512, hex or base64, and an
 * optional prefix (`sha256=`) before the digest.
 */
export const configurableHmac: Verifier = {
  verify(rawBody, headers, secret, _now, config) {
    if (!config) return missing('(configuration)');
    const value = headers[config.header.toLowerCase()];
    if (!value) return missing(config.header);
    const prefix = config.prefix ?? '';
    if (!value.startsWith(prefix)) return malformed(config.header, `expected the prefix "${prefix}"`);
    const expected = hmac(config.algorithm, secret, rawBody);
    if (!macEquals(expected, value.slice(prefix.length).trim(), config.encoding)) {
      return badSignature(config.header);
    }
    const eventId = config.id_header ? headers[config.id_header.toLowerCase()] : undefined;
    const type = config.type_header
      ? headers[config.type_header.toLowerCase()]
      : stringField(jsonObject(rawBody)?.type);
    return verified(eventId, type, config.type_header ?? 'type');
  },
};
