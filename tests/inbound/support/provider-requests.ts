import { createHmac, randomUUID } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';

/** A request as a provider would send it: the raw body and the headers it signs it with. */
export interface ProviderRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
  /** The event type the platform should read from it. */
  readonly type: string;
}

const nowSeconds = (skewSeconds = 0) => Math.floor(Date.now() / 1000) + skewSeconds;

export const HMAC_CONFIG = {
  header: 'X-Acme-Signature',
  algorithm: 'sha512',
  encoding: 'base64',
  prefix: 'sha512=',
  id_header: 'X-Acme-Delivery',
} as const;

/** Secrets the provider would issue, for the providers that issue their own. */
export const ISSUED_SECRETS: Record<string, string> = {
  stripe: 'whsec_stripe_issued_secret_for_tests',
  shopify: 'shpss_shopify_issued_secret',
  slack: '8f742231b10e8888abcd99yyyzzz85a5',
};

/**
 * Signs `body` the way each provider documents (Stripe's and Standard Webhooks' own libraries
 * where there is one). `skewSeconds` moves the signing time, for stale-timestamp tests.
 */
export const signAs = (
  provider: string,
  secret: string,
  options: { body?: string; eventId?: string; skewSeconds?: number } = {},
): ProviderRequest => {
  const id = options.eventId ?? randomUUID();
  const skew = options.skewSeconds ?? 0;
  switch (provider) {
    case 'stripe': {
      const body =
        options.body ??
        JSON.stringify({
          id: `evt_${id.replace(/-/g, '')}`,
          object: 'event',
          type: 'invoice.paid',
          data: { object: { amount_paid: 4200, note: 'café ☕' } },
        });
      const header = new Stripe('sk_test_local').webhooks.generateTestHeaderString({
        payload: body,
        secret,
        timestamp: nowSeconds(skew),
      });
      return { body, headers: { 'Stripe-Signature': header }, type: 'invoice.paid' };
    }
    case 'github': {
      const body =
        options.body ?? JSON.stringify({ ref: 'refs/heads/main', commits: [{ message: 'ünïcode' }] });
      const signature = createHmac('sha256', secret).update(body).digest('hex');
      return {
        body,
        headers: {
          'X-Hub-Signature-256': `sha256=${signature}`,
          'X-GitHub-Event': 'push',
          'X-GitHub-Delivery': id,
        },
        type: 'push',
      };
    }
    case 'shopify': {
      const body = options.body ?? JSON.stringify({ id: 820982911946154, email: 'jon@example.com' });
      return {
        body,
        headers: {
          'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(body).digest('base64'),
          'X-Shopify-Topic': 'orders/create',
          'X-Shopify-Webhook-Id': id,
        },
        type: 'orders/create',
      };
    }
    case 'slack': {
      const body =
        options.body ??
        JSON.stringify({
          type: 'event_callback',
          event_id: `Ev${id.slice(0, 8)}`,
          event: { type: 'app_mention', text: 'hi' },
        });
      const ts = String(nowSeconds(skew));
      const signature = createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
      return {
        body,
        headers: { 'X-Slack-Signature': `v0=${signature}`, 'X-Slack-Request-Timestamp': ts },
        type: 'app_mention',
      };
    }
    case 'standard-webhooks': {
      const body = options.body ?? JSON.stringify({ type: 'user.created', data: { id: 'u_1' } });
      const at = new Date(nowSeconds(skew) * 1000);
      return {
        body,
        headers: {
          'webhook-id': `msg_${id}`,
          'webhook-timestamp': String(nowSeconds(skew)),
          'webhook-signature': new StandardWebhook(secret).sign(`msg_${id}`, at, body),
        },
        type: 'user.created',
      };
    }
    case 'generic': {
      const body = options.body ?? JSON.stringify({ type: 'order.shipped', order: 'o_1' });
      return {
        body,
        headers: {
          'X-Provider-ID': 'acme-erp',
          'X-Webhook-Signature': createHmac('sha256', secret).update(body).digest('hex'),
        },
        type: 'order.shipped',
      };
    }
    case 'hmac': {
      const body = options.body ?? JSON.stringify({ type: 'payment.settled', amount: 12 });
      return {
        body,
        headers: {
          'X-Acme-Signature': `sha512=${createHmac('sha512', secret).update(body).digest('base64')}`,
          'X-Acme-Delivery': id,
        },
        type: 'payment.settled',
      };
    }
    default:
      throw new Error(`no signer for ${provider}`);
  }
};

/** The header that, left out, the provider's verifier must name. */
export const REQUIRED_HEADER: Record<string, string> = {
  stripe: 'Stripe-Signature',
  github: 'X-Hub-Signature-256',
  shopify: 'X-Shopify-Hmac-Sha256',
  slack: 'X-Slack-Signature',
  'standard-webhooks': 'webhook-id',
  generic: 'X-Provider-ID',
  hmac: 'X-Acme-Signature',
};

export const TIMESTAMPED = new Set(['stripe', 'slack', 'standard-webhooks']);

/** Posts raw bytes to an ingest URL. */
export const post = async (url: string, request: { body: string; headers: Record<string, string> }) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...request.headers },
    body: request.body,
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: test replies are read field by field
  return { status: res.status, headers: res.headers, text, body: body as any };
};
