import {
  type CachedToken,
  type EndpointAuth,
  TOKEN_DEFAULT_LIFE_SECONDS,
  tokenUseUntil,
} from '@hookrelay/domain';
import type { HttpSender } from './http-sender.js';

/** A token, or why none came (a sentence that never carries a secret or a token). */
export type TokenAnswer =
  | { readonly ok: true; readonly token: CachedToken }
  | { readonly ok: false; readonly error: string; readonly abandoned?: true };

/** RFC 6749 section 2.3.1: the id and secret are form-encoded before they are joined for Basic. */
const formEncoded = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');

/** `invalid_client: Client authentication failed`, from an RFC 6749 error answer, if it is one. */
const oauthError = (body: string | undefined): string | undefined => {
  try {
    const parsed = JSON.parse(body ?? '') as { error?: unknown; error_description?: unknown };
    if (typeof parsed.error !== 'string') return undefined;
    const description = typeof parsed.error_description === 'string' ? `: ${parsed.error_description}` : '';
    return `${parsed.error}${description}`.slice(0, 300);
  } catch {
    return undefined;
  }
};

/**
 * Asks the token endpoint for an access token with the client credentials grant (RFC 6749
 * section 4.4), form-encoded, the client authenticated with HTTP Basic (`client_secret_basic`,
 * the default) or in the form (`client_secret_post`). The request goes through `sender`, so the
 * destination guard refuses a token URL it would refuse for a delivery. The token is used until
 * a tenth of its life (at most a minute) before `expires_in` ends.
 *
 * @example
 * await requestToken(sender, auth, 'client-secret', Date.now()) // { ok: true, token: { access_token, use_until } }
 */
export const requestToken = async (
  sender: HttpSender,
  auth: EndpointAuth,
  clientSecret: string,
  nowMs: number,
  signal?: AbortSignal,
): Promise<TokenAnswer> => {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scope) form.set('scope', auth.scope);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (auth.client_authentication === 'client_secret_post') {
    form.set('client_id', auth.client_id);
    form.set('client_secret', clientSecret);
  } else {
    const pair = `${formEncoded(auth.client_id)}:${formEncoded(clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  const result = await sender.send(
    { url: auth.token_url, body: form.toString(), headers },
    { readBody: true, ...(signal ? { signal } : {}) },
  );
  if (result.abandoned)
    return { ok: false, error: 'abandoned before the token endpoint answered', abandoned: true };
  if (result.status_code === undefined) {
    return { ok: false, error: `token endpoint not reached (${result.error_kind}: ${result.error ?? ''})` };
  }
  if (!result.ok) {
    const reason = oauthError(result.body);
    return {
      ok: false,
      error: `token endpoint answered HTTP ${result.status_code}${reason ? ` (${reason})` : ''}`,
    };
  }
  let parsed: { access_token?: unknown; token_type?: unknown; expires_in?: unknown };
  try {
    parsed = JSON.parse(result.body ?? '') as typeof parsed;
  } catch {
    return { ok: false, error: 'token endpoint answered something that is not JSON' };
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof parsed.access_token !== 'string' ||
    !parsed.access_token
  ) {
    return { ok: false, error: 'token endpoint answered without an access_token' };
  }
  if (typeof parsed.token_type === 'string' && parsed.token_type.toLowerCase() !== 'bearer') {
    return {
      ok: false,
      error: `token endpoint answered a ${parsed.token_type.slice(0, 40)} token, not a bearer token`,
    };
  }
  const expiresIn = Number(parsed.expires_in);
  const life = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : TOKEN_DEFAULT_LIFE_SECONDS;
  return { ok: true, token: { access_token: parsed.access_token, use_until: tokenUseUntil(nowMs, life) } };
};
