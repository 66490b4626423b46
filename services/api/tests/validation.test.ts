import { type ErrorDetail, ValidationError } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import { createEventBody, createWebhookBody, listEventsQuery, patchWebhookBody } from '../src/schemas.js';
import { validateBody, validateQuery } from '../src/validation.js';

const refusal = (run: () => void): { message: string; details: readonly ErrorDetail[] } => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return { message: error.message, details: error.details };
    throw error;
  }
  throw new Error('accepted');
};

describe('validation errors a person can act on', () => {
  it('an enum error lists the allowed values', () => {
    const { message, details } = refusal(() => validateQuery(listEventsQuery, { status: 'LOST' }));
    expect(details).toEqual([
      { field: 'status', message: 'must be one of PENDING, DELIVERED, FAILED, CANCELLED' },
    ]);
    expect(message).toBe('Invalid query: status must be one of PENDING, DELIVERED, FAILED, CANCELLED.');
    const schemes = refusal(() =>
      validateBody(createWebhookBody, {
        url: 'https://example.com',
        signature_schemes: ['standard', 'hmac'],
      }),
    );
    expect(schemes.details).toEqual([
      { field: 'signature_schemes.1', message: 'must be one of standard, stripe, body-hmac' },
    ]);
  });

  it('anyOf noise becomes one sentence that says what was expected', () => {
    const { message, details } = refusal(() => validateBody(createEventBody, { data: {} }));
    expect(details).toEqual([{ field: '(body)', message: 'needs type or event' }]);
    expect(message).toBe('Invalid request body: (body) needs type or event.');
  });

  it('a value of several allowed types says which', () => {
    const { details } = refusal(() => validateBody(patchWebhookBody, { rate_limit: 'fast' }));
    expect(details).toEqual([{ field: 'rate_limit', message: 'must be an integer or null' }]);
  });

  it('a pattern error says what the value looks like, not the regular expression alone', () => {
    const { details } = refusal(() =>
      validateBody(createWebhookBody, { url: 'https://e.com', events: ['or*der'] }),
    );
    expect(details).toHaveLength(1);
    expect(details[0]?.field).toBe('events.0');
    expect(details[0]?.message).toMatch(/trailing wildcard/);
  });
});
