import fc from 'fast-check';
import { type Draw, EDGE_STRINGS, jsonFor, mostlyValid, type Schema, textFor } from './edge-values.js';
import type { Fixtures } from './fixtures.js';
import { idKindOf, isDestructive, type Operation } from './operations.js';

/** Who a request is sent as. */
export type Caller = 'tenant' | 'portal-manage' | 'portal-read' | 'admin' | 'other' | 'none' | 'forged';

/** One request of the fuzz test, as sent. */
export interface FuzzRequest {
  readonly caller: Caller;
  readonly method: string;
  /** Path and query string, encoded, as fetch sends them. */
  readonly path: string;
  /** The body text as sent; absent, no body. */
  readonly body?: string;
  readonly headers: Readonly<Record<string, string>>;
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Bodies no schema describes: not JSON, JSON of another shape, too deep, too big, polluting. */
export const EDGE_BODIES: readonly string[] = [
  '',
  '   ',
  'null',
  '[]',
  '"x"',
  '5',
  'true',
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  'NaN',
  '\uFEFF{}',
  '{}garbage',
  '{"a":1}{"b":2}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  nested(1_000),
  `{"type":"a.b","data":${nested(40)}}`,
  `{"type":"deep","data":${nested(50_000)}}`,
  '{"url":"http://127.0.0.1/a","url":5}',
  `{"x":"${'y'.repeat(300_000)}"}`,
  '{"type":"big","data":1e400}',
  '{"type":"surrogate","data":"\\ud800"}',
  '{"type":"nul\\u0000","data":{}}',
];

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/merge-patch+json',
  'APPLICATION/JSON',
  'application/json; charset=iso-8859-1',
  'multipart/form-data; boundary=x',
];

/** Percent-encodings no decoder accepts, written into a path as they are. */
const RAW_SEGMENTS = ['%ZZ', '%E0%A4%A', '%C0%AF', '%ED%A0%80', 'a%2Fb', '%'];

/**
 * A path segment percent-encoded as UTF-8; a lone surrogate (which UTF-8 cannot write) as the
 * three bytes a careless encoder writes for it, which no decoder accepts.
 */
export const encodeSegment = (value: string): string =>
  Array.from(value, (char) => {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    }
    return encodeURIComponent(char);
  }).join('');

/** A header value fetch can send: UTF-8 bytes as Latin-1, without the controls HTTP forbids. */
export const headerValue = (value: string): string =>
  Array.from(Buffer.from(value, 'utf8'))
    .filter((byte) => byte === 0x09 || (byte >= 0x20 && byte !== 0x7f))
    .map((byte) => String.fromCharCode(byte))
    .join('');

/** How many fields a body schema has, nested ones included: each is a chance of an edge value. */
const fieldsOf = (schema: Schema): number => {
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (Array.isArray(branches))
    return Math.max(...branches.map((b) => fieldsOf({ ...schema, ...b, anyOf: undefined })));
  const properties = Object.values((schema.properties ?? {}) as Record<string, Schema>);
  const items = schema.items as Schema | undefined;
  return 1 + properties.reduce((n, p) => n + fieldsOf(p), 0) + (items ? fieldsOf(items) : 0);
};

/**
 * How one operation's fields are drawn: real values for the fields that name things (so that
 * requests get past the 404s), one field in `validWeight + 1` from edge values.
 */
const drawFor = (op: Operation, fixtures: Fixtures): Draw => {
  const receiver = fixtures.receiverUrl;
  return {
    validWeight: 2 * (op.parameters.length + fieldsOf(op.body?.schema ?? {}) + 3),
    valid: (name) => {
      switch (name) {
        case 'cursor':
          return fixtures.cursors.own;
        case 'webhook_id':
        case 'webhookId':
          return fixtures.ids.webhook.slice(0, 2);
        case 'session':
          return fixtures.ids.session;
        case 'url':
        case 'target_url':
          return [`${receiver}/fuzz`, `${receiver}/fuzz?q=${'a'.repeat(1_900)}`, `${receiver}/ünïcode/😀`];
        case 'type':
        case 'event':
          return ['order.created', 'order.paid', 'user.deleted'];
        case 'events[]':
          return ['order.created', 'order.*', 'user.deleted', 'hookrelay.endpoint.disabled'];
        case 'Idempotency-Key':
          return ['order-1042-paid', 'retry-1', 'k'.repeat(255)];
        case 'id':
          return ['evt_fuzz_fixed', fixtures.ids.event[0] ?? 'evt_1'];
        case 'since':
        case 'until':
        case 'created_after':
        case 'created_before':
          // Instants a client anywhere writes, in an order that differs from their text's.
          return [
            '2026-01-01T10:00:00+09:00',
            '2026-01-01T05:00:00Z',
            '2025-12-31T23:00:00-08:00',
            '2020-06-30T12:00:00+05:45',
            new Date(Date.now() + 86_400_000).toISOString(),
          ];
        default:
          return undefined;
      }
    },
    edge: (name) => {
      switch (name) {
        case 'cursor':
          return fixtures.cursors.foreign;
        case 'webhook_id':
        case 'webhookId':
          return fixtures.theirs.webhook;
        case 'url':
        case 'target_url':
          return [
            'http://169.254.169.254/latest/meta-data',
            'http://10.0.0.1/hook',
            'http://[::1]:1/hook',
            'https://example.invalid/hook',
            'ftp://example.com/hook',
            `http://${'a'.repeat(300)}.com/`,
          ];
        case 'type':
        case 'event':
        case 'events[]':
          return ['hookrelay.endpoint.disabled', 'HookRelay.Endpoint.Disabled', 'a'.repeat(129), '*.*'];
        case 'secret':
          return ['whsec_...', 'your-secret-here', '12345678', 'whsec_'];
        default:
          return undefined;
      }
    },
  };
};

/** The callers a request is meant to come from, and the others it sometimes comes from. */
const callerFor = (op: Operation, draw: Draw): fc.Arbitrary<Caller> => {
  const portal: Caller[] =
    op.portal === 'read' ? ['portal-manage', 'portal-read'] : op.portal ? ['portal-manage'] : [];
  const meant: Caller[] =
    op.auth === 'public' ? ['none'] : op.auth === 'admin' ? ['admin'] : ['tenant', 'tenant', ...portal];
  const others = (
    ['tenant', 'portal-manage', 'portal-read', 'admin', 'other', 'none', 'forged'] as const
  ).filter((c) => !meant.includes(c));
  return mostlyValid(draw, fc.constantFrom(...meant), fc.constantFrom(...others));
};

/** A value for a path parameter: a real id (a spare one for a destructive call), or an edge one. */
const pathValue = (op: Operation, name: string, schema: Schema, fixtures: Fixtures, draw: Draw) => {
  const raw = fc.constantFrom(...RAW_SEGMENTS);
  const edges = fc.oneof(fc.constantFrom(...EDGE_STRINGS).map(encodeSegment), raw);
  if (name === 'proxy') {
    const pages = fc.constantFrom(
      '',
      'deliveries/evt_1',
      'endpoints',
      'assets/index.js',
      'a/../../v1/webhooks',
    );
    return mostlyValid(draw, pages, fc.oneof(edges, fc.constant('x'.repeat(3_000))));
  }
  if (name === 'file') {
    const files = fc.constantFrom('swagger-ui-bundle.js', 'swagger-ui.css', 'redoc.standalone.js');
    return mostlyValid(draw, files, fc.oneof(edges, fc.constant('..%2Fpackage.json')));
  }
  const kind = idKindOf(op.template, name);
  const own = kind ? (isDestructive(op) ? fixtures.spare[kind] : fixtures.ids[kind]) : [];
  const theirs = kind ? fixtures.theirs[kind] : [];
  return mostlyValid(
    draw,
    own.length > 0 ? fc.constantFrom(...own) : textFor(schema, name, draw).map(encodeSegment),
    fc.oneof(
      edges,
      textFor(schema, name, draw).map(encodeSegment),
      ...(theirs.length > 0 ? [fc.constantFrom(...theirs)] : []),
    ),
  );
};

/** Query parameters: each documented one half the time, now and then an unknown or repeated one. */
const queryFor = (op: Operation, draw: Draw): fc.Arbitrary<[string, string][]> => {
  const params = op.parameters.filter((p) => p.in === 'query');
  // Each parameter half the time; a cursor, which is for the list and filters it came from and
  // so refuses most requests, one time in four.
  const known = fc.tuple(
    ...params.map((p) =>
      fc.oneof(
        { weight: p.name === 'cursor' ? 3 : 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: textFor(p.schema, p.name, draw) },
      ),
    ),
  );
  const extra = mostlyValid(
    draw,
    fc.constant(undefined),
    fc.tuple(
      fc.constantFrom('x', '__proto__', 'limit', 'cursor', 'status', 'constructor', 'hasOwnProperty'),
      fc.constantFrom(...EDGE_STRINGS),
    ),
  );
  return fc.tuple(known, extra).map(([values, more]) => {
    const pairs: [string, string][] = [];
    params.forEach((p, i) => {
      const value = values[i];
      if (value !== undefined) pairs.push([p.name, value]);
    });
    if (more) pairs.push(more);
    return pairs;
  });
};

/** The body: the schema's (mostly valid), or none; now and then an edge body or content type. */
const bodyFor = (op: Operation, draw: Draw): fc.Arbitrary<{ text?: string; type?: string }> => {
  // fetch sends no body with a GET; the other methods without a body still get stray ones.
  if (op.method === 'GET') return fc.constant({});
  const edgeBody = fc.constantFrom(...EDGE_BODIES).map((text) => ({ text }));
  const valid = op.body
    ? jsonFor(op.body.schema, 'body', draw).map((value) => ({ text: JSON.stringify(value) }))
    : fc.constant({});
  const typed = fc
    .tuple(fc.oneof(valid, edgeBody, fc.constant({})), fc.constantFrom(...CONTENT_TYPES))
    .map(([body, type]) => ({ ...body, type }));
  return mostlyValid(draw, valid, fc.oneof(edgeBody, typed, fc.constant({})));
};

/** Request headers beyond the key: the operation's own (Idempotency-Key) and an x-request-id. */
const headersFor = (op: Operation, draw: Draw): fc.Arbitrary<Record<string, string>> => {
  const params = op.parameters.filter((p) => p.in === 'header');
  const own = fc.tuple(
    ...params.map((p) => fc.oneof(fc.constant(undefined), textFor(p.schema, p.name, draw))),
  );
  const requestId = mostlyValid(
    draw,
    fc.constant(undefined),
    fc.constantFrom('trace-123', 'a'.repeat(300), 'with spaces', 'é-latin1', '../x', '"quoted"', ''),
  );
  return fc.tuple(own, requestId).map(([values, id]) => {
    const headers: Record<string, string> = {};
    params.forEach((p, i) => {
      const value = values[i];
      if (value !== undefined) headers[p.name] = headerValue(value);
    });
    if (id !== undefined) headers['x-request-id'] = headerValue(id);
    return headers;
  });
};

/** Requests for one operation: every parameter and body field drawn from real and edge values. */
export const requestsFor = (op: Operation, fixtures: Fixtures): fc.Arbitrary<FuzzRequest> => {
  const draw = drawFor(op, fixtures);
  const names = [...op.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const segments = fc.tuple(
    ...names.map((name) =>
      pathValue(op, name, pathParams.find((p) => p.name === name)?.schema ?? {}, fixtures, draw),
    ),
  );
  return fc
    .record({
      caller: callerFor(op, draw),
      segments,
      query: queryFor(op, draw),
      body: bodyFor(op, draw),
      headers: headersFor(op, draw),
    })
    .map(({ caller, segments: values, query, body, headers }) => {
      let i = 0;
      const path = op.template.replace(/\{\w+\}/g, () => values[i++] ?? '');
      const search = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeSegment(v)}`).join('&');
      // The path as fetch sends it (dot segments resolved), which is what the answer is checked for.
      const url = new URL(`${path}${search ? `?${search}` : ''}`, 'http://api.invalid');
      return {
        caller,
        method: op.method,
        path: `${url.pathname}${url.search}`,
        ...(body.text !== undefined ? { body: body.text } : {}),
        headers: body.type ? { ...headers, 'content-type': body.type } : headers,
      };
    });
};
