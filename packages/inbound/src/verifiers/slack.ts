import { jsonObject, stringField } from './json-body.js';
import { hmac, macEquals } from './mac.js';
import { badSignature, checkTimestamp, malformed, missing, type Verifier, verified } from './verifier.js';

const SIGNATURE = 'X-Slack-Signature';
const TIMESTAMP = 'X-Slack-Request-Timestamp';

/** The type of a Slack request: the Events API's inner event, else the envelope or a slash command. */
const slackType = (rawBody: Buffer, json: Record<string, unknown> | undefined): string | undefined => {
  if (json) {
    const event = json.event as Record<string, unknown> | undefined;
    return stringField(event?.type) ?? stringField(json.type);
  }
  const form = new URLSearchParams(rawBody.toString('utf8'));
  if (form.has('command')) return 'slash_command';
  if (form.has('payload')) return 'interactivity';
  return undefined;
};

/**
 * Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>">` keyed with
 * the app's signing secret, `X-Slack-Request-Timestamp` within 300 s. The Events API's
 * `event_id` identifies a delivery.
 */
export const slack: Verifier = {
  verify(rawBody, headers, secret, now) {
    const signature = headers['x-slack-signature'];
    const timestamp = headers['x-slack-request-timestamp'];
    if (!signature) return missing(SIGNATURE);
    if (!timestamp) return missing(TIMESTAMP);
    if (!signature.startsWith('v0=')) return malformed(SIGNATURE, 'expected v0=<hex>');
    const stale = checkTimestamp(TIMESTAMP, timestamp, now);
    if (stale) return stale;
    const expected = hmac('sha256', secret, `v0:${timestamp}:`, rawBody);
    if (!macEquals(expected, signature.slice(3), 'hex')) return badSignature(SIGNATURE);
    const json = jsonObject(rawBody);
    return verified(stringField(json?.event_id), slackType(rawBody, json));
  },
};
