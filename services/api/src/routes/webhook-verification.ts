import { challengeEndpoint } from '@hookrelay/delivery';
import { asksChallenge, awaitsVerification, ConflictError, NotFoundError } from '@hookrelay/domain';
import { jsonResponse } from '@hookrelay/http';
import type { Deps } from '../deps.js';
import { verificationResultExample } from '../examples/webhooks.js';
import { type RouteRequest, route } from '../route-spec.js';
import { verificationResult } from '../schemas/webhooks.js';

/** What a webhook that has still to answer its ownership challenge is refused with. */
export const unverified = (id: string) =>
  new ConflictError(
    `Webhook ${id} has not answered its ownership challenge and gets nothing until it does; POST /v1/webhooks/${id}/verify asks again.`,
    'webhook_unverified',
  );

export const UNVERIFIED_EXAMPLE = {
  code: 'webhook_unverified',
  message: unverified('wh_01JD6YQ2B8N5C4R7T0VXKMZ3PA').message,
};

/** A new challenge, sent now, to the endpoint of a webhook that asks for one. */
const challengeAgain = async (req: RouteRequest, deps: Deps) => {
  const id = req.params.id ?? '';
  const found = await deps.webhooks.get(req.principal.tenant_id, id);
  if (!found) throw new NotFoundError('webhook', id);
  if (!asksChallenge(found)) {
    throw new ConflictError(
      `Webhook ${found.id} does not ask for the ownership challenge; set verification to "challenge" first.`,
      'verification_not_enabled',
    );
  }
  const { webhook, outcome } = await challengeEndpoint(deps, found);
  return jsonResponse(200, {
    webhook_id: webhook.id,
    verification_status: awaitsVerification(webhook) ? 'unverified' : 'verified',
    ...outcome,
  });
};

/** `POST /v1/webhooks/{id}/verify`: the ownership challenge, asked again. */
export const verifyWebhookRoute = route({
  method: 'POST',
  path: '/v1/webhooks/{id}/verify',
  auth: 'tenant',
  portal: 'manage',
  tag: 'Webhooks',
  summary: 'Challenge the endpoint again',
  description:
    'For a webhook with verification "challenge" (or of a tenant that requires it): sends its endpoint a new signed ' +
    'hookrelay.endpoint.verification request now, synchronously. An endpoint that answers 2xx echoing ' +
    'data.challenge (as {"challenge": "..."} or in the X-Hookrelay-Challenge header) is verified and gets ' +
    'deliveries from then on; a failed challenge leaves the webhook as it was.',
  success: {
    status: 200,
    description: 'What the endpoint answered, and the webhook as it is now.',
    schema: verificationResult,
    example: verificationResultExample,
  },
  errors: {
    404: { code: 'not_found', message: 'No webhook with id wh_01JD6YQ2B8N5C4R7T0VXKMZ3PA.' },
    409: {
      code: 'verification_not_enabled',
      message:
        'Webhook wh_01JD6YQ2B8N5C4R7T0VXKMZ3PA does not ask for the ownership challenge; set verification to "challenge" first.',
    },
  },
  handle: challengeAgain,
});
