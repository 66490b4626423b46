import {
  type Clock,
  CREDENTIAL_MASK,
  certificateStatus,
  describeClientCertificate,
  type EndpointAuth,
  type EndpointCredentialStore,
  type EndpointCredentials,
  type ErrorDetail,
  maskUrl,
  newCredentialsId,
  systemClock,
  ValidationError,
  type Webhook,
  type WebhookPatch,
} from '@hookrelay/domain';
import { assertCallableDestination, type DestinationPolicy } from '../destinations.js';
import type { CreateWebhook, PatchWebhook } from './webhook-bodies.js';

type AuthBody = NonNullable<CreateWebhook['auth']>;
type CertificateBody = NonNullable<CreateWebhook['tls_client_certificate']>;

/** How a create or update changes the endpoint's authentication: the webhook's part and the secrets. */
interface TrustChange {
  readonly patch: Pick<WebhookPatch, 'auth' | 'tls_client_certificate'>;
  /** What the credential store holds from now on; absent when it does not change. */
  readonly credentials?: EndpointCredentials;
}

const invalid = (details: ErrorDetail[]) =>
  new ValidationError(`Invalid request body: ${details[0]?.field} ${details[0]?.message}.`, details);

const sameAuth = (a: EndpointAuth, b: Omit<EndpointAuth, 'credentials_id'>) =>
  a.token_url === b.token_url &&
  a.client_id === b.client_id &&
  a.scope === b.scope &&
  (a.client_authentication ?? 'client_secret_basic') === (b.client_authentication ?? 'client_secret_basic');

/** The OAuth2 part: `****` as the secret keeps the stored one (and the cached tokens, if nothing else changed). */
const authOf = (
  destinations: DestinationPolicy,
  body: AuthBody,
  existing: Webhook | undefined,
  stored: EndpointCredentials | undefined,
): { auth: EndpointAuth; secret: string } => {
  // A token URL sent back as views show it (a password masked) is the stored one.
  const tokenUrl =
    existing?.auth && body.token_url === maskUrl(existing.auth.token_url)
      ? existing.auth.token_url
      : body.token_url;
  if (tokenUrl !== existing?.auth?.token_url)
    assertCallableDestination(destinations, 'auth.token_url', tokenUrl);
  const fields = {
    type: body.type,
    token_url: tokenUrl,
    client_id: body.client_id,
    ...(body.scope !== undefined ? { scope: body.scope } : {}),
    ...(body.client_authentication !== undefined
      ? { client_authentication: body.client_authentication }
      : {}),
  };
  if (body.client_secret !== CREDENTIAL_MASK) {
    return { auth: { ...fields, credentials_id: newCredentialsId() }, secret: body.client_secret };
  }
  const kept = stored?.oauth_client_secret;
  if (!existing?.auth || kept === undefined) {
    throw invalid([
      { field: 'auth.client_secret', message: 'is the mask "****", but no client secret is stored' },
    ]);
  }
  const credentialsId = sameAuth(existing.auth, fields) ? existing.auth.credentials_id : newCredentialsId();
  return { auth: { ...fields, credentials_id: credentialsId }, secret: kept };
};

/** The client-certificate part: the pair must match; `****` as the key keeps the stored one. */
const certificateOf = (body: CertificateBody, stored: EndpointCredentials | undefined, nowMs: number) => {
  const masked = body.private_key === CREDENTIAL_MASK;
  const key = masked ? stored?.tls_private_key : body.private_key;
  if (key === undefined) {
    throw invalid([
      {
        field: 'tls_client_certificate.private_key',
        message: 'is the mask "****", but no private key is stored',
      },
    ]);
  }
  const described = describeClientCertificate(
    {
      certificate: body.certificate,
      private_key: key,
      ...(body.ca_certificate !== undefined ? { ca_certificate: body.ca_certificate } : {}),
    },
    newCredentialsId(),
  );
  if ('problem' in described) {
    throw invalid([{ field: `tls_client_certificate.${described.field}`, message: described.problem }]);
  }
  if (certificateStatus(described.certificate, nowMs) === 'expired') {
    throw invalid([
      {
        field: 'tls_client_certificate.certificate',
        message: `has expired (not after ${described.certificate.not_after}); no endpoint would take it`,
      },
    ]);
  }
  return { certificate: described.certificate, key };
};

/**
 * Reads a body's `auth` and `tls_client_certificate` as they are stored: the webhook keeps what
 * may be shown (the token URL, client id and scope; the certificate and what it says), the
 * credential store what may not (the client secret, the private key). A field absent leaves its
 * part as it is, `null` removes it. Throws a 400 naming the field for a token URL the platform
 * would not call, a certificate or key that is not PEM, a key that is not the certificate's, or a
 * certificate that has expired.
 *
 * @example trustChangeOf({ destinations, credentials }, { auth: { type: 'oauth2_client_credentials', ... } })
 */
export const trustChangeOf = async (
  ports: {
    readonly destinations: DestinationPolicy;
    readonly credentials?: Pick<EndpointCredentialStore, 'get'>;
    readonly clock?: Clock;
  },
  body: CreateWebhook | PatchWebhook,
  existing?: Webhook,
): Promise<TrustChange> => {
  if (body.auth === undefined && body.tls_client_certificate === undefined) return { patch: {} };
  const stored = existing ? await ports.credentials?.get(existing.tenant_id, existing.id) : undefined;
  let secret = stored?.oauth_client_secret;
  let key = stored?.tls_private_key;
  const patch: { -readonly [K in keyof TrustChange['patch']]: TrustChange['patch'][K] } = {};
  if (body.auth === null) {
    patch.auth = undefined;
    secret = undefined;
  } else if (body.auth !== undefined) {
    const made = authOf(ports.destinations, body.auth, existing, stored);
    patch.auth = made.auth;
    secret = made.secret;
  }
  if (body.tls_client_certificate === null) {
    patch.tls_client_certificate = undefined;
    key = undefined;
  } else if (body.tls_client_certificate !== undefined) {
    const made = certificateOf(body.tls_client_certificate, stored, (ports.clock ?? systemClock).now());
    patch.tls_client_certificate = made.certificate;
    key = made.key;
  }
  return {
    patch,
    credentials: {
      ...(secret !== undefined ? { oauth_client_secret: secret } : {}),
      ...(key !== undefined ? { tls_private_key: key } : {}),
    },
  };
};
