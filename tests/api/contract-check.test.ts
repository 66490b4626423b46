import { describe, expect, it } from '@jest/globals';
import { contractProblems } from '../support/contract.js';

// The check every API response of the test suite goes through (tests/support/platform.ts).
const json = 'application/json';

describe('the contract check on responses', () => {
  it('passes a response the document describes', () => {
    const text = JSON.stringify({ webhooks: [], count: 0 });
    expect(
      contractProblems({ method: 'GET', path: '/v1/webhooks', status: 200, contentType: json, text }),
    ).toEqual([]);
  });

  it('fails a body the schema refuses, an undocumented status and another content type', () => {
    const flat = JSON.stringify({ id: 'wh_1', url: 'https://e.com', events: [], active: true });
    expect(
      contractProblems({
        method: 'GET',
        path: '/v1/webhooks/wh_1',
        status: 200,
        contentType: json,
        text: flat,
      }),
    ).toEqual([expect.stringContaining("must have required property 'webhook'")]);
    expect(
      contractProblems({ method: 'GET', path: '/health', status: 401, contentType: json, text: '{}' }),
    ).toEqual([expect.stringContaining('status not documented')]);
    expect(
      contractProblems({
        method: 'GET',
        path: '/v1/webhooks',
        status: 200,
        contentType: 'text/html',
        text: '',
      }),
    ).toEqual([expect.stringContaining('content type text/html not documented')]);
  });

  it('takes a literal path before a template, and unknown routes only as 404/405 errors', () => {
    const text = JSON.stringify({ success: true, status_code: 200, response: '' });
    expect(
      contractProblems({
        method: 'POST',
        path: '/v1/webhooks/test?webhook_id=wh_1',
        status: 200,
        contentType: json,
        text,
      }),
    ).toEqual([]);
    const error = JSON.stringify({ error: { code: 'route_not_found', message: 'No route.' } });
    expect(
      contractProblems({ method: 'GET', path: '/v2/x', status: 404, contentType: json, text: error }),
    ).toEqual([]);
    expect(
      contractProblems({ method: 'GET', path: '/v2/x', status: 200, contentType: json, text: '{}' }),
    ).toEqual([expect.stringContaining('no operation')]);
  });

  it("reads a greedy path variable (API Gateway's {proxy+}) across slashes", () => {
    const page = { status: 200, contentType: 'text/html; charset=utf-8', text: '<!doctype html>' };
    expect(
      contractProblems({ method: 'GET', path: '/portal/deliveries/evt_1?session=ps_1', ...page }),
    ).toEqual([]);
    const missing = JSON.stringify({ error: { code: 'not_found', message: 'No such file.' } });
    expect(
      contractProblems({
        method: 'GET',
        path: '/portal/assets/a/b.js',
        status: 404,
        contentType: json,
        text: missing,
      }),
    ).toEqual([]);
  });
});
