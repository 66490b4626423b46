import { EXAMPLE } from './ids.js';

export const createSourceExample = {
  name: 'Stripe production',
  provider: 'stripe',
  secret: 'whsec_stripe_provided_signing_secret',
  forward: true,
};

const source = {
  id: EXAMPLE.sourceId,
  name: 'Stripe production',
  provider: 'stripe',
  ingest_url: 'https://in.hookrelay.example/in/k3Jd8sLq0vNw2ZxP4rT6yB9cF1hM5gA7',
  forward: true,
  rejected_count: 0,
  created_at: EXAMPLE.createdAt,
  updated_at: EXAMPLE.createdAt,
};
export const sourceEnvelopeExample = { source };
export const sourceListExample = { sources: [source], count: 1 };
export const patchSourceExample = { name: 'Stripe (live)', forward: false };
export const rotateSourceSecretExample = { secret: 'whsec_new_secret_from_the_provider' };
export const rotatedSourceSecretExample = {
  source,
  previous_secret_expires_at: '2026-12-01T09:15:02.481Z',
};

const summary = {
  id: EXAMPLE.inboundId,
  received_at: EXAMPLE.createdAt,
  provider_event_id: 'evt_1QJx8fLkdIwHu7ix0Xb9kFvA',
  type: 'invoice.paid',
  status: 'ROUTED',
  routed_at: EXAMPLE.deliveredAt,
  size: 1873,
  s3_uri: 's3://hookrelay-inbound-prod/acme/batches/2026/11/30/5d41402abc4b2a76b9719d911017c592',
  s3_range: 'bytes=3746-5618',
  duplicate_count: 0,
};
export const requestListExample = { requests: [summary], next_cursor: null, has_more: false };
export const inboundRequestExample = {
  ...summary,
  source_id: EXAMPLE.sourceId,
  provider: 'stripe',
  headers: { 'content-type': 'application/json', 'stripe-signature': 't=1764494101,v1=5257a869e7ec...' },
  body: '{"id":"evt_1QJx8fLkdIwHu7ix0Xb9kFvA","type":"invoice.paid","data":{"object":{"id":"in_1042"}}}',
  body_encoding: 'utf8',
};
export const replayAcceptedExample = {
  request_id: EXAMPLE.inboundId,
  status: 'RECEIVED',
  message: 'Queued to be routed again.',
  webhook_id: EXAMPLE.inboundId,
};
