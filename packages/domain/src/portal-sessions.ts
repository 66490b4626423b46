import { randomBytes } from 'node:crypto';
import { hashApiKey } from './api-keys.js';
import type { Plan, TenantStatus } from './models.js';

/** What a portal session may do: `read` sees everything of its tenant, `manage` also changes it. */
export type PortalCapability = 'read' | 'manage';

/** How the portal looks for the session: the SaaS's own accent colour, logo and name. */
export interface PortalTheme {
  readonly mode?: 'light' | 'dark';
  /** `#rrggbb`. */
  readonly accent?: string;
  /** An https URL or a `data:image/…` URL. */
  readonly logo_url?: string;
  readonly name?: string;
}

/** A portal link's session, as stored (the token only as its hash). */
export interface PortalSession {
  readonly session_id: string;
  readonly tenant_id: string;
  readonly token_hash: string;
  readonly capabilities: readonly PortalCapability[];
  readonly theme: PortalTheme;
  /** The origins that may show the portal in an iframe (`frame-ancestors`). */
  readonly frame_origins: readonly string[];
  readonly created_at: string;
  readonly expires_at: string;
  readonly revoked_at?: string;
}

/** A session with what the authorizer and the API check it against: its tenant's access. */
export interface ResolvedPortalSession {
  readonly session: PortalSession;
  readonly status: TenantStatus;
  readonly plan: Plan;
  /** Sessions of the tenant created before this instant were all ended at once. */
  readonly not_before?: string;
}

export interface PortalSessionStore {
  create(session: PortalSession): Promise<void>;
  /** The session with its tenant's access, or undefined when there is no such session. */
  resolve(sessionId: string): Promise<ResolvedPortalSession | undefined>;
  /** Ends one session of the tenant; false when the tenant has no live session of that id. */
  revoke(tenantId: string, sessionId: string, now: string): Promise<boolean>;
  /** Ends every session of the tenant created up to `now`. */
  revokeAll(tenantId: string, now: string): Promise<void>;
}

export const PORTAL_TOKEN_PREFIX = 'hrps_';
export const PORTAL_SESSION_DEFAULT_TTL_S = 3_600;
export const PORTAL_SESSION_MAX_TTL_S = 7 * 86_400;

/**
 * A session's token: `hrps_`, the session id, a dot and 32 random bytes (base64url). The id lets
 * the token be found without an index; the random part is what makes it unguessable. Shown
 * once, in the link; stored only as its SHA-256 hash, like an API key.
 *
 * @example portalToken('ps_01JD6Z9M3QH4T2W7X9RZ5K8B1C') // 'hrps_ps_01JD6Z9M3QH4T2W7X9RZ5K8B1C.q3…'
 */
export const portalToken = (sessionId: string): string =>
  `${PORTAL_TOKEN_PREFIX}${sessionId}.${randomBytes(32).toString('base64url')}`;

/** The session id a token names, or undefined when it is not shaped like a session token. */
export const sessionIdOfToken = (token: string): string | undefined =>
  /^hrps_(ps_[0-9A-Za-z]{10,40})\.[A-Za-z0-9_-]{43}$/.exec(token)?.[1];

export const hashPortalToken = hashApiKey;

/**
 * Why a session no longer opens anything, or undefined while it is live: revoked alone or with
 * all of its tenant's, expired, or its tenant disabled.
 */
export const portalSessionRefusal = (
  resolved: ResolvedPortalSession | undefined,
  now: string,
): 'unknown' | 'revoked' | 'expired' | 'tenant_inactive' | undefined => {
  if (!resolved) return 'unknown';
  const { session, status, not_before } = resolved;
  if (session.revoked_at) return 'revoked';
  if (not_before && session.created_at <= not_before) return 'revoked';
  if (session.expires_at <= now) return 'expired';
  if (status !== 'active') return 'tenant_inactive';
  return undefined;
};
