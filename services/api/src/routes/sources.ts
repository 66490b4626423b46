import { randomBytes } from 'node:crypto';
import { providerIssuesSecret } from '@hookrelay/definitions';
import { ConflictError, iso, NotFoundError, newId, ValidationError } from '@hookrelay/domain';
import { jsonResponse } from '@hookrelay/http';
import {
  archivedBody,
  archiveRange,
  type InboundRequest,
  readArchivedBody,
  type Source,
  type SourceSecret,
} from '@hookrelay/inbound';
import { generateSecret } from '@hookrelay/signing';
import type { FromSchema } from 'json-schema-to-ts';
import { FIELD_ALIASES, withFieldAliases } from '../aliases.js';
import type { Deps } from '../deps.js';
import {
  createSourceExample,
  inboundRequestExample,
  patchSourceExample,
  replayAcceptedExample,
  requestListExample,
  rotatedSourceSecretExample,
  rotateSourceSecretExample,
  sourceEnvelopeExample,
  sourceListExample,
} from '../examples/sources.js';
import {
  createSourceBody,
  inboundRequestView,
  patchSourceBody,
  replayAccepted,
  requestList,
  requestsQuery,
  rotatedSourceSecret,
  rotateSourceSecretBody,
  sourceEnvelope,
  sourceList,
} from '../inbound-schemas.js';
import { refusePlaceholderSecret } from '../placeholder-secret.js';
import { type RouteRequest, route } from '../route-spec.js';
import { page } from './views.js';

type RotateSecret = FromSchema<typeof rotateSourceSecretBody>;

const MAX_SOURCES_PER_TENANT = 50;

const view = (deps: Deps, source: Source, secret?: string) => ({
  id: source.id,
  name: source.name,
  provider: source.provider,
  ingest_url: `${deps.inbound.ingestBaseUrl}/in/${source.token}`,
  ...(secret ? { secret } : {}),
  ...(source.config ? { config: source.config } : {}),
  forward: source.forward,
  rejected_count: source.rejected_count,
  created_at: source.created_at,
  updated_at: source.updated_at,
});

const mustGet = async (deps: Deps, req: RouteRequest): Promise<Source> => {
  const id = req.params.id ?? '';
  const source = await deps.inbound.sources.get(req.principal.tenant_id, id);
  if (!source) throw new NotFoundError('source', id);
  return source;
};

/** The received request the path names (`/v1/inbound/{id}`), the caller's own, or a 404. */
const mustGetRequest = async (deps: Deps, req: RouteRequest): Promise<InboundRequest> => {
  const id = req.params.id ?? '';
  const request = await deps.inbound.requests.get(req.principal.tenant_id, id);
  if (!request) throw new NotFoundError('inbound webhook', id);
  return request;
};

/** A page of what a source received, newest first. */
const listRequests = async (req: RouteRequest<unknown, FromSchema<typeof requestsQuery>>, deps: Deps) => {
  const source = await mustGet(deps, req);
  const result = await deps.inbound.requests.listBySource(
    source.tenant_id,
    source.id,
    Number(req.query.limit ?? 50),
    req.query.cursor,
  );
  return jsonResponse(
    200,
    page(
      'requests',
      result.requests.map((r) => ({
        id: r.id,
        received_at: r.received_at,
        ...(r.provider_event_id ? { provider_event_id: r.provider_event_id } : {}),
        type: r.type,
        status: r.status,
        ...(r.routed_at ? { routed_at: r.routed_at } : {}),
        size: r.size,
        ...archiveFields(r),
        duplicate_count: r.duplicate_count ?? 0,
      })),
      result.next_cursor,
    ),
  );
};

/**
 * Where the body is: the object and this body's range in it. Nothing while the request waits
 * to be processed with its body only in its queue message (it is archived as it is routed).
 */
const archiveFields = (request: InboundRequest) => {
  const at = archivedBody(request);
  if (!at) return {};
  const range = archiveRange(at, request.size);
  return { s3_uri: at.s3_uri, ...(range ? { s3_range: range } : {}) };
};

/** The raw body as the view shows it (base64 when it is not UTF-8), or nothing before it is archived. */
const bodyFields = async (deps: Deps, request: InboundRequest) => {
  const at = archivedBody(request);
  if (!at) return {};
  const raw = (await readArchivedBody(deps.inbound.archive, request, at)) ?? Buffer.alloc(0);
  const text = raw.toString('utf8');
  const utf8 = Buffer.from(text, 'utf8').equals(raw);
  return { body: utf8 ? text : raw.toString('base64'), body_encoding: utf8 ? 'utf8' : 'base64' };
};

/** One received request with its headers and raw body (base64 when it is not UTF-8). */
const readRequest = async (req: RouteRequest, deps: Deps) => {
  const request = await mustGetRequest(deps, req);
  const {
    tenant_id: _t,
    s3_key: _k,
    s3_uri: _u,
    s3_offset: _o,
    round: _r,
    routed_round: _rr,
    forward: _f,
    ...shown
  } = request;
  return jsonResponse(200, {
    ...shown,
    ...archiveFields(request),
    duplicate_count: request.duplicate_count ?? 0,
    ...(await bodyFields(deps, request)),
  });
};

/**
 * Queues a received request to be routed again, as a new round. A request whose body is not
 * archived yet (it waits to be processed, or its first message is in the dead-letter queue)
 * cannot be: the replay's message would carry nothing to route.
 */
const replayRequest = async (req: RouteRequest, deps: Deps) => {
  const request = await mustGetRequest(deps, req);
  const { id } = request;
  if (!archivedBody(request)) {
    throw new ConflictError(
      request.status === 'RECEIVED'
        ? 'This request is still waiting to be processed: it is routed, and its body archived, within moments. Replay it once it is ROUTED.'
        : 'This request failed before its body was archived: its message is in the inbound dead-letter queue, and is routed when on-call requeues it.',
      'request_not_archived',
    );
  }
  const round = await deps.inbound.requests.nextRound(request.tenant_id, id);
  await deps.inbound.queue.send(
    { v: 1, tenant_id: request.tenant_id, source_id: request.source_id, request_id: id, round },
    request.source_id,
    `${id}-r${round}`,
  );
  return jsonResponse(
    202,
    withFieldAliases(
      { request_id: id, status: 'RECEIVED', message: 'Queued to be routed again.' },
      FIELD_ALIASES.replayAccepted,
    ),
  );
};

const checkConfig = (provider: string, config: unknown) => {
  if (provider === 'hmac' && !config) {
    throw new ValidationError('The hmac provider needs a config: header, algorithm and encoding.', [
      { field: 'config', message: 'is required for the hmac provider' },
    ]);
  }
  if (provider !== 'hmac' && config) {
    throw new ValidationError('Only the hmac provider takes a config.', [
      { field: 'config', message: 'is only for the hmac provider' },
    ]);
  }
};

export const sourceRoutes = [
  route({
    method: 'POST',
    path: '/v1/sources',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Inbound',
    summary: 'Create a source',
    description:
      'A source receives webhooks from a provider at its ingest_url and verifies them as the provider ' +
      'documents. Stripe, Shopify and Slack issue the secret (give it); for the others one is generated ' +
      'when absent and shown only in this response. At most 50 per tenant.',
    body: createSourceBody,
    bodyExample: createSourceExample,
    success: {
      status: 201,
      description: 'Created, with its ingest_url (and a generated secret, shown this once).',
      schema: sourceEnvelope,
      example: sourceEnvelopeExample,
    },
    errors: { 409: { code: 'too_many_sources', message: 'A tenant can have at most 50 sources.' } },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const { body } = req;
      checkConfig(body.provider, body.config);
      refusePlaceholderSecret(body.secret);
      if (!body.secret && providerIssuesSecret(body.provider)) {
        throw new ValidationError(
          `A ${body.provider} source needs the signing secret ${body.provider} gave you.`,
          [{ field: 'secret', message: `is required for the ${body.provider} provider` }],
        );
      }
      if ((await deps.inbound.sources.list(tenantId)).length >= MAX_SOURCES_PER_TENANT) {
        throw new ConflictError(
          `A tenant can have at most ${MAX_SOURCES_PER_TENANT} sources.`,
          'too_many_sources',
        );
      }
      const now = deps.clock.now();
      const source: Source = {
        id: newId('src', now),
        tenant_id: tenantId,
        name: body.name,
        provider: body.provider,
        ...(body.config ? { config: body.config } : {}),
        forward: body.forward ?? false,
        token: randomBytes(24).toString('base64url'),
        created_at: iso(now),
        updated_at: iso(now),
        rejected_count: 0,
      };
      const secret = body.secret ?? generateSecret();
      await deps.inbound.sources.create(source, [{ secret }]);
      // A secret the tenant gave us is not shown back; one we made is shown this once.
      return jsonResponse(201, { source: view(deps, source, body.secret ? undefined : secret) });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/sources',
    auth: 'tenant',
    portal: 'read',
    tag: 'Inbound',
    summary: 'List sources',
    description: 'All your inbound sources (never their secrets).',
    success: { status: 200, description: 'Your sources.', schema: sourceList, example: sourceListExample },
    handle: async (req, deps) => {
      const sources = await deps.inbound.sources.list(req.principal.tenant_id);
      return jsonResponse(200, { sources: sources.map((s) => view(deps, s)), count: sources.length });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/sources/{id}',
    auth: 'tenant',
    portal: 'read',
    tag: 'Inbound',
    summary: 'Read a source',
    description: 'One source with its ingest_url and counters (never its secret).',
    success: {
      status: 200,
      description: 'The source.',
      schema: sourceEnvelope,
      example: sourceEnvelopeExample,
    },
    handle: async (req, deps) => jsonResponse(200, { source: view(deps, await mustGet(deps, req)) }),
  }),
  route({
    method: 'PATCH',
    path: '/v1/sources/{id}',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Inbound',
    summary: 'Update a source',
    description: 'Rename it, change its hmac config or whether it forwards requests as outbound events.',
    body: patchSourceBody,
    bodyExample: patchSourceExample,
    success: {
      status: 200,
      description: 'The source as it is now.',
      schema: sourceEnvelope,
      example: { source: { ...sourceEnvelopeExample.source, ...patchSourceExample } },
    },
    handle: async (req, deps) => {
      const source = await mustGet(deps, req);
      const { body } = req;
      if (body.config) checkConfig(source.provider, body.config);
      const updated = await deps.inbound.sources.update(
        source.tenant_id,
        source.id,
        body,
        iso(deps.clock.now()),
      );
      return jsonResponse(200, { source: view(deps, updated) });
    },
  }),
  route({
    method: 'DELETE',
    path: '/v1/sources/{id}',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Inbound',
    summary: 'Delete a source',
    description: 'Its ingest URL answers 404 from then on; what it received stays readable until it expires.',
    success: { status: 204, description: 'Deleted; no body.' },
    handle: async (req, deps) => {
      const source = await mustGet(deps, req);
      await deps.inbound.sources.delete(source.tenant_id, source.id);
      return { statusCode: 204, headers: {}, body: '' };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/sources/{id}/rotate-secret',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Inbound',
    summary: "Rotate a source's secret",
    description:
      'A new signing secret, given or generated (then shown this once); the old one still verifies for 24 h. ' +
      'At most three secrets verify at once; of two rotations at the same moment one wins, the other is a 409.',
    body: rotateSourceSecretBody,
    bodyExample: rotateSourceSecretExample,
    optionalBody: true,
    success: {
      status: 200,
      description: 'The source; a generated secret is in it.',
      schema: rotatedSourceSecret,
      example: rotatedSourceSecretExample,
    },
    errors: {
      404: { code: 'not_found', message: 'No source with id src_01JD6YQ2B8N5C4R7T0VXKMZ3PA.' },
      409: {
        code: 'rotation_conflict',
        message:
          'Another rotation of this secret happened at the same moment; its secret is the current one. Rotate again if you need a new one.',
      },
    },
    handle: async (req, deps) => {
      const source = await mustGet(deps, req);
      // A body-less request is an empty one: the router parsed no JSON.
      const body: RotateSecret = req.body ?? {};
      refusePlaceholderSecret(body.secret);
      const now = deps.clock.now();
      const current = await deps.inbound.sources.secrets(source.tenant_id, source.id);
      const until = now + deps.rotationOverlapMs;
      // At most three secrets verify at once: the newest and two still in their overlap.
      const kept: SourceSecret[] = current
        .filter((s) => s.expires_at === undefined || s.expires_at > now)
        .map((s) => ({ secret: s.secret, expires_at: Math.min(s.expires_at ?? until, until) }))
        .slice(0, 2);
      const secret = body.secret ?? generateSecret();
      const written = await deps.inbound.sources.setSecrets(
        source.tenant_id,
        source.id,
        [{ secret }, ...kept],
        current,
        iso(now),
      );
      if (!written) {
        throw new ConflictError(
          'Another rotation of this secret happened at the same moment; its secret is the current one. Rotate again if you need a new one.',
          'rotation_conflict',
        );
      }
      return jsonResponse(200, {
        source: view(deps, source, body.secret ? undefined : secret),
        previous_secret_expires_at: kept.length > 0 ? iso(until) : null,
      });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/sources/{id}/requests',
    auth: 'tenant',
    portal: 'read',
    tag: 'Inbound',
    summary: 'List received requests',
    description: 'What a source received, newest first, a page at a time.',
    query: requestsQuery,
    success: {
      status: 200,
      description: 'A page of requests.',
      schema: requestList,
      example: requestListExample,
    },
    handle: listRequests,
  }),
  route({
    method: 'GET',
    path: '/v1/inbound/{id}',
    auth: 'tenant',
    portal: 'read',
    tag: 'Inbound',
    summary: 'Read a received request',
    description:
      'One received request with its headers and raw body, byte-identical to what the provider sent ' +
      '(base64 when it is not UTF-8).',
    success: {
      status: 200,
      description: 'The request.',
      schema: inboundRequestView,
      example: inboundRequestExample,
    },
    handle: readRequest,
  }),
  route({
    method: 'POST',
    path: '/v1/inbound/{id}/replay',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Inbound',
    summary: 'Replay a received request',
    description:
      'Routes it again: a new bus event (and a new outbound event when the source forwards). ' +
      'Where the stage archives bodies in batches, a request whose body is not archived yet (still ' +
      'RECEIVED from the provider, or FAILED before its body was archived) is refused with ' +
      '409 request_not_archived.',
    success: {
      status: 202,
      description: 'Queued to be routed again.',
      schema: replayAccepted,
      example: replayAcceptedExample,
    },
    errors: {
      409: {
        code: 'request_not_archived',
        message:
          'This request is still waiting to be processed: it is routed, and its body archived, within moments. Replay it once it is ROUTED.',
      },
    },
    handle: replayRequest,
  }),
];
