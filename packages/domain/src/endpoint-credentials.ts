import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import type { ClientCertificate } from './models.js';

/**
 * The secret halves of a webhook's endpoint authentication, kept apart from the webhook (in a
 * table only the API and the worker read) and never shown after they were set: the OAuth2
 * client secret and the private key of the client certificate.
 */
export interface EndpointCredentials {
  readonly oauth_client_secret?: string;
  readonly tls_private_key?: string;
}

export interface EndpointCredentialStore {
  get(tenantId: string, webhookId: string): Promise<EndpointCredentials | undefined>;
  /** Replaces what is stored; an empty value removes the item. */
  put(tenantId: string, webhookId: string, credentials: EndpointCredentials): Promise<void>;
  delete(tenantId: string, webhookId: string): Promise<void>;
}

/** An access token as cached for every worker instance, until shortly before it expires. */
export interface CachedToken {
  readonly access_token: string;
  /** Epoch ms after which it is not used (some time before the token endpoint said it expires). */
  readonly use_until: number;
}

/**
 * Tokens shared by every instance that sends to the webhook, keyed by the webhook and the
 * version of its credentials (`credentials_id`): a token got with old credentials is never used.
 */
export interface TokenCache {
  get(
    tenantId: string,
    webhookId: string,
    credentialsId: string,
    nowMs: number,
  ): Promise<CachedToken | undefined>;
  put(tenantId: string, webhookId: string, credentialsId: string, token: CachedToken): Promise<void>;
}

/** What a view shows in place of a client secret or private key once it is set. */
export const CREDENTIAL_MASK = '****';

/** A new version id for a webhook's credentials. */
export const newCredentialsId = (): string => randomBytes(9).toString('base64url');

/** When a token is used until: a tenth of its life before it expires, at most a minute before. */
export const tokenUseUntil = (nowMs: number, expiresInSeconds: number): number => {
  const lifeMs = expiresInSeconds * 1000;
  return nowMs + lifeMs - Math.min(60_000, lifeMs / 10);
};

/** How long a token whose endpoint gave no `expires_in` is used: five minutes. */
export const TOKEN_DEFAULT_LIFE_SECONDS = 300;

/** A client certificate counts as expiring within this long of its `not_after`. */
const CERTIFICATE_EXPIRING_MS = 30 * 24 * 3600 * 1000;

/** `valid`, `expiring` (within 30 days) or `expired`, at `nowMs`. */
export const certificateStatus = (
  certificate: Pick<ClientCertificate, 'not_after'>,
  nowMs: number,
): 'valid' | 'expiring' | 'expired' => {
  const end = Date.parse(certificate.not_after);
  if (end <= nowMs) return 'expired';
  return end - nowMs <= CERTIFICATE_EXPIRING_MS ? 'expiring' : 'valid';
};

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** A one-line distinguished name (`CN=client, O=Acme`) from Node's multi-line form. */
const oneLine = (name: string): string =>
  name
    .split('\n')
    .map((part) => part.trim())
    .filter(Boolean)
    .join(', ');

/**
 * Reads a client certificate and its private key (PEM) as the API stores them: the problem, in
 * a sentence, when either is not PEM, the key is not the certificate's, or the CA is not a
 * certificate; otherwise what a view shows of it.
 *
 * @example
 * describeClientCertificate({ certificate, private_key }, 'abc')
 * // { certificate: { subject: 'CN=hookrelay-client', fingerprint_sha256: 'AB:CD:...', not_after: '...', ... } }
 */
export const describeClientCertificate = (
  input: { readonly certificate: string; readonly private_key: string; readonly ca_certificate?: string },
  credentialsId: string,
): { readonly certificate: ClientCertificate } | { readonly problem: string; readonly field: string } => {
  const pems = input.certificate.match(PEM_CERTIFICATE) ?? [];
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(pems[0] ?? '');
  } catch {
    return { field: 'certificate', problem: 'is not a PEM certificate (-----BEGIN CERTIFICATE-----)' };
  }
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(input.private_key);
  } catch {
    return {
      field: 'private_key',
      problem: 'is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)',
    };
  }
  if (!leaf.checkPrivateKey(key)) {
    return { field: 'private_key', problem: 'does not belong to the certificate (their public keys differ)' };
  }
  if (input.ca_certificate !== undefined) {
    try {
      new X509Certificate((input.ca_certificate.match(PEM_CERTIFICATE) ?? [])[0] ?? '');
    } catch {
      return { field: 'ca_certificate', problem: 'is not a PEM certificate (-----BEGIN CERTIFICATE-----)' };
    }
  }
  return {
    certificate: {
      certificate: pems.join('\n'),
      ...(input.ca_certificate !== undefined ? { ca_certificate: input.ca_certificate.trim() } : {}),
      subject: oneLine(leaf.subject),
      issuer: oneLine(leaf.issuer),
      fingerprint_sha256: leaf.fingerprint256,
      not_before: leaf.validFromDate.toISOString(),
      not_after: leaf.validToDate.toISOString(),
      credentials_id: credentialsId,
    },
  };
};
