import type { Answer, paths } from '@hookrelay/client';
import { INBOUND_PROVIDER_INFO, INBOUND_PROVIDERS } from '@hookrelay/definitions/inbound-providers';

export type Source = Answer<'/v1/sources/{id}', 'get'>['source'];
export type SourceInput = paths['/v1/sources']['post']['requestBody']['content']['application/json'];
export type Provider = SourceInput['provider'];

/**
 * Every provider the API takes, with its label and whether it issues the secret (then it must be
 * given) or one is generated: the list in definitions, which the API's enum is built from.
 */
export const PROVIDERS = INBOUND_PROVIDER_INFO satisfies Record<
  Provider,
  { label: string; issuesSecret: boolean }
>;

export const PROVIDER_NAMES = INBOUND_PROVIDERS;
