import { describe, expect, it } from '@jest/globals';
import { answersChallenge, newChallenge } from '../src/endpoint-verification.js';

describe('the ownership challenge', () => {
  const challenge = newChallenge();

  it('is a new unguessable value each time, safe in JSON and in a header', () => {
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newChallenge()).not.toBe(challenge);
  });

  it('is answered by a 2xx echoing it in a JSON body or in X-Hookrelay-Challenge', () => {
    expect(answersChallenge({ ok: true, response: JSON.stringify({ challenge }) }, challenge)).toBe(true);
    expect(answersChallenge({ ok: true, response: JSON.stringify({ challenge, other: 1 }) }, challenge)).toBe(
      true,
    );
    expect(
      answersChallenge(
        { ok: true, response: '', headers: { 'x-hookrelay-challenge': challenge } },
        challenge,
      ),
    ).toBe(true);
  });

  it('is not answered by an error status, another value, the value elsewhere, or no JSON', () => {
    const body = JSON.stringify({ challenge });
    expect(answersChallenge({ ok: false, response: body }, challenge)).toBe(false);
    expect(
      answersChallenge({ ok: true, response: JSON.stringify({ challenge: newChallenge() }) }, challenge),
    ).toBe(false);
    expect(answersChallenge({ ok: true, response: JSON.stringify({ value: challenge }) }, challenge)).toBe(
      false,
    );
    expect(answersChallenge({ ok: true, response: challenge }, challenge)).toBe(false);
    expect(answersChallenge({ ok: true, response: JSON.stringify([challenge]) }, challenge)).toBe(false);
    expect(answersChallenge({ ok: true, response: JSON.stringify({ challenge: 1 }) }, challenge)).toBe(false);
    expect(
      answersChallenge({ ok: true, headers: { 'x-hookrelay-challenge': `${challenge}x` } }, challenge),
    ).toBe(false);
    expect(answersChallenge({ ok: true }, challenge)).toBe(false);
  });
});
