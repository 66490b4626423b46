import { Logger } from '@aws-lambda-powertools/logger';
import { type ErrorDetail, ValidationError } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import { buildRoutes } from '../src/route-table.js';
import {
  createEventBody,
  createWebhookBody,
  emptyBody,
  listEventsQuery,
  patchWebhookBody,
} from '../src/schemas.js';
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

describe('validators compiled ahead of time', () => {
  it('every schema the router checks has its generated validator', () => {
    const routes = buildRoutes(new Logger({ logLevel: 'SILENT' }));
    const checked: (() => void)[] = [() => validateBody(emptyBody, {})];
    for (const r of routes) {
      if (r.body) checked.push(() => validateBody(r.body ?? {}, null));
      if (r.query) checked.push(() => validateQuery(r.query, {}));
    }
    expect(checked.length).toBeGreaterThan(10);
    for (const run of checked) {
      try {
        run();
      } catch (error) {
        // A refusal is a validator at work; a missing validator is a plain Error.
        expect(error).toBeInstanceOf(ValidationError);
      }
    }
  });

  it('a schema no validator was generated for is a build error, not a silent pass', () => {
    expect(() => validateBody({ type: 'object', properties: { x: { type: 'string' } } }, {})).toThrow(
      /no body validator was generated/,
    );
  });

  it('a query is coerced to its types and gets its defaults, in place', () => {
    const query: Record<string, unknown> = { limit: '7' };
    validateQuery(listEventsQuery, query);
    expect(query.limit).toBe(7);
    const empty: Record<string, unknown> = {};
    validateQuery(listEventsQuery, empty);
    expect(empty.limit).toBe(50);
  });
});
