import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const hex = (seed: string, chars: number): string =>
  createHash('sha256').update(seed).digest('base64url').replace(/[-_]/g, 'x').slice(0, chars);

const CURRENCIES = ['usd', 'eur', 'gbp', 'cad', 'aud'] as const;
const PLANS = [
  { id: 'price_starter_m', nickname: 'Starter (monthly)', amount: 1900 },
  { id: 'price_growth_m', nickname: 'Growth (monthly)', amount: 4900 },
  { id: 'price_scale_y', nickname: 'Scale (yearly)', amount: 99000 },
] as const;

/**
 * A realistic event of about 1 KB, different for each `n`: shaped like a Stripe
 * `invoice.paid` (ids, amounts, timestamps, nested customer, lines and metadata), the kind of
 * body a platform like ours carries, rather than a repeated character.
 *
 * @example
 * JSON.stringify(invoicePaid(7)).length // ≈ 1,000
 */
export const invoicePaid = (n: number, at = Date.now()): { type: string; data: Record<string, unknown> } => {
  const seed = String(n);
  const plan = PLANS[n % PLANS.length] ?? PLANS[0];
  const quantity = 1 + (n % 7);
  const subtotal = plan.amount * quantity;
  const tax = Math.round(subtotal * 0.2);
  const created = Math.floor(at / 1000);
  return {
    type: 'invoice.paid',
    data: {
      id: `in_${hex(`${seed}i`, 24)}`,
      object: 'invoice',
      number: `${hex(`${seed}n`, 8).toUpperCase()}-${String(1000 + (n % 9000)).padStart(4, '0')}`,
      status: 'paid',
      currency: CURRENCIES[n % CURRENCIES.length],
      amount_due: subtotal + tax,
      amount_paid: subtotal + tax,
      subtotal,
      tax,
      created,
      period_start: created - 30 * 86400,
      period_end: created,
      customer: {
        id: `cus_${hex(`${seed}c`, 14)}`,
        email: `billing+${hex(`${seed}e`, 6).toLowerCase()}@example.com`,
        name: `Customer ${n}`,
        address: {
          country: ['US', 'DE', 'GB', 'FR', 'CA'][n % 5],
          postal_code: String(10000 + ((n * 7919) % 89999)),
        },
      },
      subscription: `sub_${hex(`${seed}s`, 24)}`,
      lines: {
        object: 'list',
        data: [
          {
            id: `il_${hex(`${seed}l`, 24)}`,
            amount: subtotal,
            quantity,
            description: `${quantity} × ${plan.nickname}`,
            price: {
              id: plan.id,
              unit_amount: plan.amount,
              recurring: { interval: plan.id.endsWith('_y') ? 'year' : 'month' },
            },
          },
        ],
        has_more: false,
      },
      payment_intent: `pi_${hex(`${seed}p`, 24)}`,
      hosted_invoice_url: `https://invoice.example.com/i/${hex(`${seed}h`, 32)}`,
      footer: 'Thank you for your business. Questions about this invoice? billing@example.com',
      metadata: {
        order_id: `ord_${n}`,
        region: ['us-east', 'eu-west', 'ap-south'][n % 3],
        attempt: String(1 + (n % 3)),
      },
    },
  };
};

/**
 * The mean size of the events the bench sends (the JSON body of `POST /v1/events`), as sent
 * and gzipped one by one, over `count` of them.
 *
 * @example
 * payloadSize() // { bytes: ≈1,100, gzip_bytes: ≈650 }
 */
export const payloadSize = (count = 1000, at = Date.now()): { bytes: number; gzip_bytes: number } => {
  let bytes = 0;
  let gzipBytes = 0;
  for (let n = 0; n < count; n++) {
    const body = Buffer.from(JSON.stringify(invoicePaid(n, at)));
    bytes += body.length;
    gzipBytes += gzipSync(body).length;
  }
  return { bytes: Math.round(bytes / count), gzip_bytes: Math.round(gzipBytes / count) };
};
