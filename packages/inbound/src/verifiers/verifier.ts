/** Request headers with lowercase names, as the ingestion function normalizes them. */
export type Headers = Readonly<Record<string, string | undefined>>;

export type Verification =
  | {
      readonly ok: true;
      readonly eventId?: string;
      readonly type?: string;
      /** Where the type was read: a header's name, or the body's field (`type`). */
      readonly typeFrom?: string;
    }
  | {
      readonly ok: false;
      /** `missing_header` and `malformed_header` are an invalid request; the rest are no proof of the sender. */
      readonly reason: 'missing_header' | 'malformed_header' | 'bad_signature' | 'stale_timestamp';
      readonly message: string;
      readonly header?: string;
    };

/** Settings of the configurable `hmac` provider. */
export interface HmacConfig {
  readonly header: string;
  readonly algorithm: 'sha256' | 'sha512';
  readonly encoding: 'hex' | 'base64';
  readonly prefix?: string;
  /** Header carrying the sender's delivery id, used to drop retries of one delivery. */
  readonly id_header?: string;
  /** Header carrying the event type; else the body's `type`. */
  readonly type_header?: string;
}

/**
 * One provider's signature scheme: a pure function of the raw bytes as received, the
 * headers, one secret and the time (ms).
 *
 * @example
 * github.verify(Buffer.from('Hello, World!'), { 'x-hub-signature-256': 'sha256=7571…' }, secret, Date.now())
 */
export interface Verifier {
  verify(rawBody: Buffer, headers: Headers, secret: string, now: number, config?: HmacConfig): Verification;
}

/** Timestamped schemes accept a request signed at most this long ago (or ahead). */
const TOLERANCE_SECONDS = 300;

export const missing = (header: string): Verification => ({
  ok: false,
  reason: 'missing_header',
  header,
  message: `The ${header} header is required.`,
});

export const malformed = (header: string, why: string): Verification => ({
  ok: false,
  reason: 'malformed_header',
  header,
  message: `The ${header} header is malformed: ${why}.`,
});

export const badSignature = (header: string): Verification => ({
  ok: false,
  reason: 'bad_signature',
  header,
  message: `The ${header} signature does not match the payload.`,
});

/** Checks a unix timestamp (seconds, as text) against the tolerance. */
export const checkTimestamp = (header: string, value: string, now: number): Verification | undefined => {
  if (!/^\d{1,12}$/.test(value)) return malformed(header, 'the timestamp is not a number of seconds');
  if (Math.abs(now / 1000 - Number(value)) > TOLERANCE_SECONDS) {
    return {
      ok: false,
      reason: 'stale_timestamp',
      header,
      message: `The ${header} timestamp is more than ${TOLERANCE_SECONDS} seconds from now.`,
    };
  }
  return undefined;
};

/** `{ok: true}` with only the fields that are known; the type read from `typeFrom`. */
export const verified = (
  eventId: string | undefined,
  type: string | undefined,
  typeFrom = 'type',
): Verification => ({
  ok: true,
  ...(eventId ? { eventId } : {}),
  ...(type ? { type, typeFrom } : {}),
});
