import { OPERATIONAL_EVENT_TYPES } from '@hookrelay/domain/models';
import { DEFAULT_SCHEMES, type SignatureScheme, type Webhook, type WebhookInput } from './webhook-types.js';

export interface HeaderRow {
  readonly key: number;
  readonly name: string;
  readonly value: string;
}

export interface EndpointFormState {
  readonly url: string;
  readonly description: string;
  /** Every type the tenant sends (`*`), or only `types`. */
  readonly allTypes: boolean;
  readonly types: readonly string[];
  /** The platform's own events about the endpoint, subscribed by name. */
  readonly operational: readonly string[];
  readonly schemes: readonly SignatureScheme[];
  readonly headers: readonly HeaderRow[];
  /** Deliveries per second, as typed; empty = no limit. */
  readonly rateLimit: string;
  /** The payload filter as JSON text, as typed; empty = no filter. */
  readonly filter: string;
  readonly active: boolean;
  /** The endpoint must answer an ownership challenge before it gets anything. */
  readonly verification: boolean;
  /** The tenant requires the challenge of every endpoint: the form shows it and sends no choice. */
  readonly verificationRequired: boolean;
  /** Ordered delivery per key, and what a key does once a delivery is exhausted. */
  readonly ordering: 'none' | 'per_key';
  readonly onExhausted: 'continue' | 'pause';
  readonly authentication: AuthenticationState;
}

/** How deliveries authenticate to the endpoint, as the form edits it. */
export interface AuthenticationState {
  /** OAuth2 client credentials: a bearer token on every delivery. */
  readonly oauth: boolean;
  readonly tokenUrl: string;
  readonly clientId: string;
  /** `****` while the stored secret is kept. */
  readonly clientSecret: string;
  readonly scope: string;
  readonly clientAuthentication: 'client_secret_basic' | 'client_secret_post';
  /** The endpoint had OAuth2 when the form opened: turning it off removes it. */
  readonly hadOauth: boolean;
  /** Mutual TLS: a client certificate on every https delivery. */
  readonly mtls: boolean;
  /** A new certificate (PEM); empty keeps the stored one. */
  readonly certificate: string;
  /** Its private key (PEM); empty keeps the stored one. */
  readonly privateKey: string;
  /** A CA for the endpoint's own certificate (PEM); empty: the public roots only. */
  readonly caCertificate: string;
  /** The endpoint had a certificate when the form opened: turning it off removes it. */
  readonly hadCertificate: boolean;
}

/** What the API shows in place of a client secret or private key once it is set. */
const MASKED = '****';

const authenticationStateOf = (webhook?: Webhook): AuthenticationState => ({
  oauth: webhook?.auth !== undefined,
  tokenUrl: webhook?.auth?.token_url ?? '',
  clientId: webhook?.auth?.client_id ?? '',
  clientSecret: webhook?.auth ? MASKED : '',
  scope: webhook?.auth?.scope ?? '',
  clientAuthentication: webhook?.auth?.client_authentication ?? 'client_secret_basic',
  hadOauth: webhook?.auth !== undefined,
  mtls: webhook?.tls_client_certificate !== undefined,
  certificate: '',
  privateKey: '',
  caCertificate: '',
  hadCertificate: webhook?.tls_client_certificate !== undefined,
});

type AuthBody = Pick<WebhookInput, 'auth' | 'tls_client_certificate'>;

/**
 * The `auth` and `tls_client_certificate` of the body: set when the form has them, `null` when
 * one the endpoint had was turned off, absent when nothing changes (a stored certificate is kept
 * unless a new one is pasted; the masked secret keeps the stored one, as the API documents).
 */
const authenticationBodyOf = (auth: AuthenticationState): AuthBody => {
  const body: { -readonly [K in keyof AuthBody]: AuthBody[K] } = {};
  if (auth.oauth) {
    body.auth = {
      type: 'oauth2_client_credentials',
      token_url: auth.tokenUrl.trim(),
      client_id: auth.clientId.trim(),
      client_secret: auth.clientSecret,
      ...(auth.scope.trim() ? { scope: auth.scope.trim() } : {}),
      client_authentication: auth.clientAuthentication,
    };
  } else if (auth.hadOauth) {
    body.auth = null;
  }
  if (auth.mtls && auth.certificate.trim()) {
    body.tls_client_certificate = {
      certificate: auth.certificate.trim(),
      private_key: auth.privateKey.trim() || MASKED,
      ...(auth.caCertificate.trim() ? { ca_certificate: auth.caCertificate.trim() } : {}),
    };
  } else if (!auth.mtls && auth.hadCertificate) {
    body.tls_client_certificate = null;
  }
  return body;
};

const isOperational = (type: string): boolean =>
  (OPERATIONAL_EVENT_TYPES as readonly string[]).includes(type);

export const formStateOf = (webhook?: Webhook): EndpointFormState => {
  const events = webhook?.events ?? [];
  const types = events.filter((e) => !isOperational(e) && e !== '*');
  return {
    url: webhook?.url ?? '',
    description: webhook?.description ?? '',
    allTypes: types.length === 0,
    types,
    operational: events.filter(isOperational),
    schemes: webhook?.signature_schemes ?? DEFAULT_SCHEMES,
    headers: Object.entries(webhook?.headers ?? {}).map(([name, value], key) => ({ key, name, value })),
    rateLimit: webhook?.rate_limit ? String(webhook.rate_limit) : '',
    filter: webhook?.filter ? JSON.stringify(webhook.filter, null, 2) : '',
    active: webhook?.active ?? true,
    verification: webhook?.verification === 'challenge',
    verificationRequired: webhook?.verification_required === true,
    ordering: webhook?.ordering ?? 'none',
    onExhausted: webhook?.on_exhausted ?? 'continue',
    authentication: authenticationStateOf(webhook),
  };
};

type Filter = NonNullable<WebhookInput['filter']>;

const parseFilter = (text: string): { filter: Filter | null } | { problem: string } => {
  if (!text.trim()) return { filter: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problem: `Not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { problem: 'A filter is a JSON object of fields, like {"data": {"currency": ["eur"]}}.' };
  }
  return { filter: parsed as Filter };
};

/** Why the filter's text cannot be sent, or undefined when it can (empty included). */
export const filterTextProblem = (text: string): string | undefined => {
  const parsed = parseFilter(text);
  return 'problem' in parsed ? parsed.problem : undefined;
};

/**
 * The API body of the form. An empty `events` means every type the tenant sends but none of the
 * platform's own, so with operational events chosen "every type" is spelled `*`. Header values
 * still masked (`****abcd`) keep the stored value, as the API documents.
 */
export const bodyOf = (
  state: EndpointFormState,
): WebhookInput & { rate_limit: number | null; filter: Filter | null } => {
  const types = state.allTypes ? (state.operational.length > 0 ? ['*'] : []) : state.types;
  const rate = Number.parseInt(state.rateLimit, 10);
  return {
    url: state.url.trim(),
    description: state.description,
    events: [...types, ...state.operational],
    signature_schemes: [...state.schemes],
    headers: Object.fromEntries(
      state.headers.filter((h) => h.name.trim()).map((h) => [h.name.trim(), h.value]),
    ),
    rate_limit: Number.isFinite(rate) ? rate : null,
    // The form does not submit text that does not parse (filterTextProblem), so this is the filter.
    filter: (() => {
      const parsed = parseFilter(state.filter);
      return 'filter' in parsed ? parsed.filter : null;
    })(),
    active: state.active,
    ordering: state.ordering,
    on_exhausted: state.onExhausted,
    // Under the tenant's requirement the endpoint's own choice is not shown, so it is left as it is.
    ...(state.verificationRequired ? {} : { verification: state.verification ? 'challenge' : 'none' }),
    ...authenticationBodyOf(state.authentication),
  };
};
