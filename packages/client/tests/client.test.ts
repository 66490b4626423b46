import type { eventAccepted, eventList, webhookEnvelope, webhookList } from '@hookrelay/api/schemas';
import { describe, expect, it } from '@jest/globals';
import type { FromSchema } from 'json-schema-to-ts';
import { type Answer, apiError, createHookrelayClient } from '../src/index.js';

// The client's types come from the generated document; the API's from the schemas that validate.
// These lines do not compile when the two disagree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agrees = <T extends true>(value: T): T => value;
agrees<Same<Answer<'/v1/events', 'post'>, FromSchema<typeof eventAccepted>>>(true);
agrees<Same<Answer<'/v1/events', 'get'>, FromSchema<typeof eventList>>>(true);
agrees<Same<Answer<'/v1/webhooks/{id}', 'get'>, FromSchema<typeof webhookEnvelope>>>(true);
agrees<Same<Answer<'/v1/webhooks', 'get'>, FromSchema<typeof webhookList>>>(true);

/** A fetch that records each request and answers with a canned JSON body. */
const recording = (status: number, body: unknown) => {
  const seen: Request[] = [];
  const fetch = async (request: Request) => {
    seen.push(request);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { seen, fetch };
};

describe('createHookrelayClient', () => {
  it('sends the key as a bearer token to the base URL, stage prefix kept, and types the answer', async () => {
    const { seen, fetch } = recording(201, { event_id: 'evt_1', status: 'PENDING', delivery_count: 1 });
    const hookrelay = createHookrelayClient({
      baseUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/',
      apiKey: 'hr_test',
      fetch,
    });
    const { data, error } = await hookrelay.POST('/v1/events', {
      body: { type: 'invoice.paid', data: { invoice_id: 'in_1042' } },
    });
    expect(error).toBeUndefined();
    const eventId: string | undefined = data?.event_id;
    expect(eventId).toBe('evt_1');
    expect(seen[0]?.url).toBe('https://abc.execute-api.eu-west-1.amazonaws.com/prod/v1/events');
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer hr_test');
    expect(await seen[0]?.json()).toEqual({ type: 'invoice.paid', data: { invoice_id: 'in_1042' } });
  });

  it('fills path and query parameters, and gives errors in the error shape', async () => {
    const { seen, fetch } = recording(404, {
      error: { code: 'not_found', message: 'No webhook with id wh_x.' },
    });
    const hookrelay = createHookrelayClient({ baseUrl: 'http://127.0.0.1:3000', apiKey: 'hr_test', fetch });
    const { data, error, response } = await hookrelay.GET('/v1/webhooks/{id}/deliveries', {
      params: { path: { id: 'wh_x' }, query: { limit: 5 } },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(apiError(error)?.code).toBe('not_found');
    expect(seen[0]?.url).toBe('http://127.0.0.1:3000/v1/webhooks/wh_x/deliveries?limit=5');
  });

  it('refuses, at compile time, a path the API does not have and a body it would refuse', () => {
    const hookrelay = createHookrelayClient({ baseUrl: 'http://127.0.0.1:3000' });
    const calls = [
      // @ts-expect-error: no such route
      () => hookrelay.GET('/v1/nothing-here'),
      // @ts-expect-error: a webhook needs a url
      () => hookrelay.POST('/v1/webhooks', { body: { description: 'no url' } }),
      // @ts-expect-error: an event's type is a string
      () => hookrelay.POST('/v1/events', { body: { type: 1 } }),
      // @ts-expect-error: an event needs a type (or an event name)
      () => hookrelay.POST('/v1/events', { body: { data: { invoice_id: 'in_1' } } }),
      // @ts-expect-error: a portal session's capabilities are read and manage
      () => hookrelay.POST('/v1/portal/sessions', { body: { capabilities: ['admin'] } }),
      // Either name of the type compiles, with any other field beside it.
      () => hookrelay.POST('/v1/events', { body: { event: 'order.created', order_id: 'o_1' } }),
    ];
    expect(calls).toHaveLength(6);
  });
});
