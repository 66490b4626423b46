import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The ownership challenge: the platform POSTs a signed `hookrelay.endpoint.verification`
 * request whose data carries a random `challenge`, and the endpoint proves it is the one that
 * wants the webhook's deliveries by answering 2xx with that value, in a JSON body
 * `{"challenge": "..."}` or in the `X-Hookrelay-Challenge` header.
 *
 * @example
 * const challenge = newChallenge();
 * answersChallenge({ ok: true, response: `{"challenge":"${challenge}"}` }, challenge); // true
 */

/** The answer header an endpoint may echo the challenge in, instead of the body. */
const CHALLENGE_HEADER = 'x-hookrelay-challenge';

/** 32 random bytes, base64url: unguessable, and safe in JSON and in a header. */
export const newChallenge = (): string => randomBytes(32).toString('base64url');

const same = (offered: unknown, challenge: string): boolean => {
  if (typeof offered !== 'string') return false;
  const [a, b] = [Buffer.from(offered), Buffer.from(challenge)];
  return a.length === b.length && timingSafeEqual(a, b);
};

const echoedInBody = (body: string | undefined, challenge: string): boolean => {
  try {
    const parsed: unknown = JSON.parse(body ?? '');
    return (
      typeof parsed === 'object' &&
      parsed !== null &&
      same((parsed as { challenge?: unknown }).challenge, challenge)
    );
  } catch {
    return false;
  }
};

/** Whether an endpoint's answer proves it: a 2xx echoing the challenge in its body or header. */
export const answersChallenge = (
  answer: {
    readonly ok: boolean;
    readonly response?: string;
    readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
  },
  challenge: string,
): boolean => {
  if (!answer.ok) return false;
  const header = answer.headers?.[CHALLENGE_HEADER];
  return (
    same(Array.isArray(header) ? header[0] : header, challenge) || echoedInBody(answer.response, challenge)
  );
};
