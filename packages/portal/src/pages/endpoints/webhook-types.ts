import type { Answer, paths } from '@hookrelay/client';
import { DEFAULT_SIGNATURE_SCHEMES, SIGNATURE_SCHEME_INFO } from '@hookrelay/signing/schemes';

export type Webhook = Answer<'/v1/webhooks/{id}', 'get'>['webhook'];
export type WebhookInput = paths['/v1/webhooks']['post']['requestBody']['content']['application/json'];
export type SignatureScheme = NonNullable<WebhookInput['signature_schemes']>[number];

/** Every scheme the API takes and its name in words (the signing list, which the API's enum is built from). */
export const SIGNATURE_SCHEMES: Readonly<Record<SignatureScheme, { readonly label: string }>> =
  SIGNATURE_SCHEME_INFO;

export const DEFAULT_SCHEMES: readonly SignatureScheme[] = DEFAULT_SIGNATURE_SCHEMES;

/** An endpoint's state in words: active, paused by the tenant, or disabled by the platform. */
export const stateOf = (w: Pick<Webhook, 'active' | 'disabled_reason'>): string =>
  w.active ? 'Active' : w.disabled_reason ? 'Disabled by the platform' : 'Paused';

/** The lane the platform delivers on, in words (a slow endpoint is set apart from the others). */
export const laneOf = (w: Pick<Webhook, 'lane'>): string =>
  w.lane === 'slow' ? 'Slow lane (answers slowly)' : 'Main';
