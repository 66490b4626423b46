import { type ReceivedRequest, startReceiver, type TestReceiver } from './receiver.js';

/**
 * An OAuth2 token endpoint on loopback (client credentials grant, client_secret_basic or
 * client_secret_post) and the rules of a resource server that trusts it: tokens it issued and
 * did not revoke.
 */
export interface TokenServer {
  readonly url: string;
  /** Every token request it got. */
  readonly requests: ReceivedRequest[];
  /** Whether a request carries `Authorization: Bearer` with a token issued here and not revoked. */
  accepts(request: ReceivedRequest): boolean;
  /** The tokens issued so far, oldest first. */
  readonly issued: string[];
  revoke(token: string): void;
  /** Answers every token request with this status and body from now on (or as before, with undefined). */
  failWith(answer?: { status: number; body: string }): void;
  close(): Promise<void>;
}

/** The client id and secret of a token request, from HTTP Basic or the form. */
export const clientOf = (request: ReceivedRequest): { id: string; secret: string; form: URLSearchParams } => {
  const form = new URLSearchParams(request.body);
  const basic = /^Basic (.+)$/.exec(String(request.headers.authorization ?? ''));
  if (basic) {
    const [id = '', secret = ''] = Buffer.from(basic[1] ?? '', 'base64')
      .toString('utf8')
      .split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret), form };
  }
  return { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '', form };
};

export const startTokenServer = async (client: { id: string; secret: string }): Promise<TokenServer> => {
  const issued: string[] = [];
  const revoked = new Set<string>();
  let failure: { status: number; body: string } | undefined;
  const receiver: TestReceiver = await startReceiver((request) => {
    if (failure) return failure;
    const asked = clientOf(request);
    if (asked.form.get('grant_type') !== 'client_credentials') {
      return { status: 400, body: JSON.stringify({ error: 'unsupported_grant_type' }) };
    }
    if (asked.id !== client.id || asked.secret !== client.secret) {
      return {
        status: 401,
        body: JSON.stringify({ error: 'invalid_client', error_description: 'bad credentials' }),
      };
    }
    const token = `tok-${issued.length + 1}-${Math.random().toString(36).slice(2)}`;
    issued.push(token);
    return {
      status: 200,
      body: JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }),
    };
  });
  return {
    url: `${receiver.url}/oauth/token`,
    requests: receiver.requests,
    issued,
    accepts: (request) => {
      const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
      return bearer !== undefined && issued.includes(bearer) && !revoked.has(bearer);
    },
    revoke: (token) => revoked.add(token),
    failWith: (answer) => {
      failure = answer;
    },
    close: () => receiver.close(),
  };
};
