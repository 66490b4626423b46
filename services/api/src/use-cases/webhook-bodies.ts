import type { FromSchema } from 'json-schema-to-ts';
import type { createWebhookBody, patchWebhookBody } from '../schemas/webhooks.js';

/** A webhook's create and patch bodies, as the API's schemas let them through. */
export type CreateWebhook = FromSchema<typeof createWebhookBody>;
export type PatchWebhook = FromSchema<typeof patchWebhookBody>;
