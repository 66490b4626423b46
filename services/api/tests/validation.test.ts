import { Logger } from '@aws-lambda-powertools/logger';
import { type ErrorDetail, ValidationError } from '@hookrelay/domain';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ROUTE_GROUPS } from '../src/route-groups.js';
import type { RouteGroup } from '../src/route-spec.js';
import { routesByGroup } from '../src/route-table.js';
import { createEventBody, createWebhookBody, listEventsQuery, patchWebhookBody } from '../src/schemas.js';
import { type Validators, validateBody, validateQuery } from '../src/validation.js';
import { emptyBody } from '../src/validator-build.js';

const logger = new Logger({ logLevel: 'SILENT' });
const validatorsOf: Partial<Record<RouteGroup, Validators>> = {};
beforeAll(async () => {
  for (const [group, load] of Object.entries(ROUTE_GROUPS)) {
    validatorsOf[group as RouteGroup] = (await load(logger)).validators;
  }
});

/** A group's validators, loaded before the tests. */
const of = (group: RouteGroup): Validators => {
  const validators = validatorsOf[group];
  if (!validators) throw new Error(`the ${group} group was not loaded`);
  return validators;
};

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
    const { message, details } = refusal(() =>
      validateQuery(of('events'), listEventsQuery, { status: 'LOST' }),
    );
    expect(details).toEqual([
      { field: 'status', message: 'must be one of PENDING, DELIVERED, FAILED, CANCELLED' },
    ]);
    expect(message).toBe('Invalid query: status must be one of PENDING, DELIVERED, FAILED, CANCELLED.');
    const schemes = refusal(() =>
      validateBody(of('webhooks'), createWebhookBody, {
        url: 'https://example.com',
        signature_schemes: ['standard', 'hmac'],
      }),
    );
    expect(schemes.details).toEqual([
      { field: 'signature_schemes.1', message: 'must be one of standard, stripe, body-hmac, ed25519' },
    ]);
  });

  it('anyOf noise becomes one sentence that says what was expected', () => {
    const { message, details } = refusal(() => validateBody(of('events'), createEventBody, { data: {} }));
    expect(details).toEqual([{ field: '(body)', message: 'needs type or event' }]);
    expect(message).toBe('Invalid request body: (body) needs type or event.');
  });

  it('an event with its type, wrong elsewhere, is told what is wrong by field, not by form', () => {
    const say = (body: unknown) => refusal(() => validateBody(of('events'), createEventBody, body)).details;
    expect(say({ type: 1 })).toEqual([{ field: 'type', message: 'must be a string' }]);
    expect(say({ type: 'order.created', id: 7 })).toEqual([{ field: 'id', message: 'must be a string' }]);
    expect(say({ event: 'order.created', id: 'bad id' })).toEqual([
      { field: 'id', message: expect.stringMatching(/^must match /) },
    ]);
    expect(say({ type: 1, event: 2 })).toEqual([
      { field: 'type', message: 'must be a string' },
      { field: 'event', message: 'must be a string' },
    ]);
  });

  it('a value of several allowed types says which', () => {
    const { details } = refusal(() => validateBody(of('webhooks'), patchWebhookBody, { rate_limit: 'fast' }));
    expect(details).toEqual([{ field: 'rate_limit', message: 'must be an integer or null' }]);
  });

  it('a pattern error says what the value looks like, not the regular expression alone', () => {
    const { details } = refusal(() =>
      validateBody(of('webhooks'), createWebhookBody, { url: 'https://e.com', events: ['or*der'] }),
    );
    expect(details).toHaveLength(1);
    expect(details[0]?.field).toBe('events.0');
    expect(details[0]?.message).toMatch(/trailing wildcard/);
  });
});

describe('validators compiled ahead of time', () => {
  it('each route group loads the routes of its file, with a generated validator for every schema they check', async () => {
    const table = routesByGroup(logger);
    let checked = 0;
    for (const [group, load] of Object.entries(ROUTE_GROUPS)) {
      const { routes, validators } = await load(logger);
      const declared = table[group as RouteGroup];
      expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
        declared.map((r) => `${r.method} ${r.path}`),
      );
      const runs: (() => void)[] = [() => validateBody(validators, emptyBody, {})];
      for (const r of routes) {
        if (r.body) runs.push(() => validateBody(validators, r.body ?? {}, null));
        if (r.query) runs.push(() => validateQuery(validators, r.query, {}));
      }
      for (const run of runs) {
        try {
          run();
        } catch (error) {
          // A refusal is a validator at work; a missing validator is a plain Error.
          expect(error).toBeInstanceOf(ValidationError);
        }
      }
      checked += runs.length;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('a schema no validator was generated for is a build error, not a silent pass', () => {
    expect(() =>
      validateBody(of('events'), { type: 'object', properties: { x: { type: 'string' } } }, {}),
    ).toThrow(/no body validator was generated/);
  });

  it('a query is coerced to its types and gets its defaults, in place', () => {
    const query: Record<string, unknown> = { limit: '7' };
    validateQuery(of('events'), listEventsQuery, query);
    expect(query.limit).toBe(7);
    const empty: Record<string, unknown> = {};
    validateQuery(of('events'), listEventsQuery, empty);
    expect(empty.limit).toBe(50);
  });
});
