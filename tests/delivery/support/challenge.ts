import type { ReceivedRequest, Responder, TestReceiver } from '../../support/receiver.js';

/** The type of the platform's ownership challenge request. */
export const VERIFICATION = 'hookrelay.endpoint.verification';

export const typeOf = (request: ReceivedRequest): string =>
  (JSON.parse(request.body) as { type: string }).type;

export const challengeOf = (request: ReceivedRequest): string =>
  (JSON.parse(request.body) as { data: { challenge: string } }).data.challenge;

/** Answers challenges as `how` says (echo in the body, in the header, or not at all), events with 200. */
export const answering =
  (how: () => 'body' | 'header' | 'ignore'): Responder =>
  (request) => {
    if (typeOf(request) !== VERIFICATION || how() === 'ignore') return { status: 200 };
    const challenge = challengeOf(request);
    return how() === 'body'
      ? { status: 200, body: JSON.stringify({ challenge }) }
      : { status: 200, headers: { 'x-hookrelay-challenge': challenge } };
  };

/** What a receiver got besides challenges, and the challenges themselves. */
export const events = (r: TestReceiver) => r.requests.filter((request) => typeOf(request) !== VERIFICATION);
export const challenges = (r: TestReceiver) =>
  r.requests.filter((request) => typeOf(request) === VERIFICATION);
