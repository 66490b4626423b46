import { createHash, createHmac } from 'node:crypto';

/**
 * Inbound webhooks as providers send them: a Stripe event, a GitHub push and a Shopify order,
 * shaped and sized like the providers' documented examples (Stripe's `payment_intent.succeeded`
 * event object, GitHub's `push` payload with its repository and commits, Shopify's
 * `orders/create` order), different for every `n`, and signed as each provider signs them, so
 * `packages/inbound`'s verifiers accept them.
 */

export type Provider = 'stripe' | 'github' | 'shopify';
export const PROVIDERS: readonly Provider[] = ['stripe', 'github', 'shopify'];

export interface SignedWebhook {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** Deterministic per-`n` text of a given length from an alphabet (ids, hashes, names). */
const token = (
  n: number,
  salt: string,
  length: number,
  alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789',
) => {
  let out = '';
  let block = 0;
  while (out.length < length) {
    const digest = createHash('sha256').update(`${salt}:${n}:${block++}`).digest();
    for (const byte of digest) if (out.length < length) out += alphabet[byte % alphabet.length];
  }
  return out;
};
const hex = (n: number, salt: string, length: number) => token(n, salt, length, '0123456789abcdef');
const pick = <T>(n: number, list: readonly T[]): T => list[n % list.length] as T;
const unix = (n: number) => 1_764_000_000 + n * 37;
const isoAt = (n: number) => new Date(unix(n) * 1000).toISOString();

const NAMES = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Edsger Dijkstra'];
const CITIES = [
  { city: 'Berlin', zip: '10115', country: 'Germany', country_code: 'DE', province: 'Berlin' },
  { city: 'Ottawa', zip: 'K1P 1J1', country: 'Canada', country_code: 'CA', province: 'Ontario' },
  { city: 'Austin', zip: '78701', country: 'United States', country_code: 'US', province: 'Texas' },
];

/** Stripe's `payment_intent.succeeded` event (about 3 KB), as its API reference shows it. */
export const stripeEvent = (n: number) => {
  const amount = 500 + ((n * 7919) % 200_000);
  const name = pick(n, NAMES);
  const where = pick(n, CITIES);
  const address = {
    city: where.city,
    country: where.country_code,
    line1: `${(n % 300) + 1} Market Street`,
    line2: null,
    postal_code: where.zip,
    state: where.province,
  };
  return {
    id: `evt_3${token(n, 'stripe-evt', 23)}`,
    object: 'event',
    api_version: '2024-06-20',
    created: unix(n),
    data: {
      object: {
        id: `pi_3${token(n, 'stripe-pi', 23)}`,
        object: 'payment_intent',
        amount,
        amount_capturable: 0,
        amount_details: { tip: {} },
        amount_received: amount,
        application: null,
        application_fee_amount: null,
        automatic_payment_methods: { allow_redirects: 'always', enabled: true },
        canceled_at: null,
        cancellation_reason: null,
        capture_method: 'automatic_async',
        client_secret: `pi_3${token(n, 'stripe-pi', 23)}_secret_${token(n, 'stripe-cs', 25)}`,
        confirmation_method: 'automatic',
        created: unix(n) - 2,
        currency: pick(n, ['usd', 'eur', 'cad']),
        customer: `cus_${token(n, 'stripe-cus', 14)}`,
        description: `Order #${100_000 + n}`,
        invoice: null,
        last_payment_error: null,
        latest_charge: `ch_3${token(n, 'stripe-ch', 23)}`,
        livemode: false,
        metadata: { order_id: String(100_000 + n), cart_id: token(n, 'cart', 12) },
        next_action: null,
        on_behalf_of: null,
        payment_method: `pm_1${token(n, 'stripe-pm', 23)}`,
        payment_method_configuration_details: { id: `pmc_1${token(n, 'pmc', 23)}`, parent: null },
        payment_method_options: {
          card: {
            installments: null,
            mandate_options: null,
            network: null,
            request_three_d_secure: 'automatic',
          },
          link: { persistent_token: null },
        },
        payment_method_types: ['card', 'link'],
        processing: null,
        receipt_email: `${name.split(' ')[0]?.toLowerCase()}.${n}@example.com`,
        review: null,
        setup_future_usage: null,
        shipping: { address, carrier: null, name, phone: null, tracking_number: null },
        source: null,
        statement_descriptor: null,
        statement_descriptor_suffix: null,
        status: 'succeeded',
        transfer_data: null,
        transfer_group: null,
      },
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: `req_${token(n, 'stripe-req', 14)}`, idempotency_key: token(n, 'idem', 36) },
    type: 'payment_intent.succeeded',
  };
};

const githubUser = (login: string, id: number) => ({
  login,
  id,
  node_id: `MDQ6VXNlcj${token(id, 'node', 10)}`,
  avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
  gravatar_id: '',
  url: `https://api.github.com/users/${login}`,
  html_url: `https://github.com/${login}`,
  followers_url: `https://api.github.com/users/${login}/followers`,
  following_url: `https://api.github.com/users/${login}/following{/other_user}`,
  gists_url: `https://api.github.com/users/${login}/gists{/gist_id}`,
  starred_url: `https://api.github.com/users/${login}/starred{/owner}{/repo}`,
  subscriptions_url: `https://api.github.com/users/${login}/subscriptions`,
  organizations_url: `https://api.github.com/users/${login}/orgs`,
  repos_url: `https://api.github.com/users/${login}/repos`,
  events_url: `https://api.github.com/users/${login}/events{/privacy}`,
  received_events_url: `https://api.github.com/users/${login}/received_events`,
  type: 'User',
  site_admin: false,
});

/** GitHub's `push` event (about 7–9 KB): the repository object, one to three commits. */
export const githubPush = (n: number) => {
  const owner = pick(n, ['octo-org', 'acme-corp', 'hookrelay-labs']);
  const name = pick(n, ['payments', 'storefront', 'infra', 'mobile-app']);
  const full = `${owner}/${name}`;
  const api = `https://api.github.com/repos/${full}`;
  const author = pick(n, NAMES);
  const login = author.split(' ')[0]?.toLowerCase() ?? 'dev';
  const commits = Array.from({ length: 1 + (n % 3) }, (_, i) => {
    const sha = hex(n * 10 + i, 'commit', 40);
    return {
      id: sha,
      tree_id: hex(n * 10 + i, 'tree', 40),
      distinct: true,
      message: `${pick(n + i, ['Fix', 'Add', 'Update', 'Refactor'])} ${pick(n + i, ['checkout flow', 'retry budget', 'README', 'webhook signature check'])} (#${1000 + n + i})`,
      timestamp: isoAt(n + i),
      url: `https://github.com/${full}/commit/${sha}`,
      author: { name: author, email: `${login}@example.com`, username: login },
      committer: { name: 'GitHub', email: 'noreply@github.com', username: 'web-flow' },
      added: i === 0 ? [`src/${token(n, 'file', 8)}.ts`] : [],
      removed: [],
      modified: [`src/${token(n + i, 'mod', 10)}.ts`, 'package.json'],
    };
  });
  const head = commits.at(-1);
  const repoId = 100_000_000 + (n % 1000);
  return {
    ref: 'refs/heads/main',
    before: hex(n, 'before', 40),
    after: head?.id ?? hex(n, 'after', 40),
    repository: {
      id: repoId,
      node_id: `R_kgDO${token(repoId, 'repo', 8)}`,
      name,
      full_name: full,
      private: true,
      owner: githubUser(owner, 9_000_000 + (n % 3)),
      html_url: `https://github.com/${full}`,
      description: `The ${name} service`,
      fork: false,
      url: `https://github.com/${full}`,
      ...Object.fromEntries(
        [
          'forks',
          'keys',
          'collaborators',
          'teams',
          'hooks',
          'issue_events',
          'events',
          'assignees',
          'branches',
          'tags',
          'blobs',
          'git_tags',
          'git_refs',
          'trees',
          'statuses',
          'languages',
          'stargazers',
          'contributors',
          'subscribers',
          'subscription',
          'commits',
          'git_commits',
          'comments',
          'issue_comment',
          'contents',
          'compare',
          'merges',
          'archive',
          'downloads',
          'issues',
          'pulls',
          'milestones',
          'notifications',
          'labels',
          'releases',
          'deployments',
        ].map((what) => [`${what}_url`, `${api}/${what}`]),
      ),
      created_at: unix(0) - 86_400 * 400,
      updated_at: isoAt(n),
      pushed_at: unix(n),
      git_url: `git://github.com/${full}.git`,
      ssh_url: `git@github.com:${full}.git`,
      clone_url: `https://github.com/${full}.git`,
      svn_url: `https://github.com/${full}`,
      homepage: null,
      size: 1000 + (n % 5000),
      stargazers_count: n % 50,
      watchers_count: n % 50,
      language: 'TypeScript',
      has_issues: true,
      has_projects: false,
      has_downloads: true,
      has_wiki: false,
      has_pages: false,
      has_discussions: false,
      forks_count: 0,
      mirror_url: null,
      archived: false,
      disabled: false,
      open_issues_count: n % 20,
      license: null,
      allow_forking: false,
      is_template: false,
      web_commit_signoff_required: false,
      topics: [],
      visibility: 'private',
      forks: 0,
      open_issues: n % 20,
      watchers: n % 50,
      default_branch: 'main',
      stargazers: n % 50,
      master_branch: 'main',
      organization: owner,
      custom_properties: {},
    },
    pusher: { name: login, email: `${login}@example.com` },
    organization: {
      login: owner,
      id: 9_000_000 + (n % 3),
      node_id: `O_kgDO${token(n % 3, 'org', 8)}`,
      url: `https://api.github.com/orgs/${owner}`,
      repos_url: `https://api.github.com/orgs/${owner}/repos`,
      events_url: `https://api.github.com/orgs/${owner}/events`,
      hooks_url: `https://api.github.com/orgs/${owner}/hooks`,
      issues_url: `https://api.github.com/orgs/${owner}/issues`,
      members_url: `https://api.github.com/orgs/${owner}/members{/member}`,
      public_members_url: `https://api.github.com/orgs/${owner}/public_members{/member}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${9_000_000 + (n % 3)}?v=4`,
      description: null,
    },
    sender: githubUser(login, 1_000_000 + (n % 5)),
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/${full}/compare/${hex(n, 'before', 12)}...${(head?.id ?? '').slice(0, 12)}`,
    commits,
    head_commit: head,
  };
};

const money = (amount: string, currency: string) => ({
  shop_money: { amount, currency_code: currency },
  presentment_money: { amount, currency_code: currency },
});

/** Shopify's `orders/create` order (about 6–8 KB): customer, addresses, one to three line items. */
export const shopifyOrder = (n: number) => {
  const id = 5_500_000_000_000 + n;
  const currency = pick(n, ['USD', 'CAD', 'EUR']);
  const name = pick(n, NAMES);
  const [first = '', last = ''] = name.split(' ');
  const where = pick(n, CITIES);
  const address = {
    first_name: first,
    address1: `${(n % 300) + 1} Queen Street`,
    phone: `+1 555 01${String(n % 100).padStart(2, '0')}`,
    city: where.city,
    zip: where.zip,
    province: where.province,
    country: where.country,
    last_name: last,
    address2: null,
    company: null,
    latitude: null,
    longitude: null,
    name,
    country_code: where.country_code,
    province_code: null,
  };
  const items = Array.from({ length: 1 + (n % 3) }, (_, i) => {
    const price = (((n + i) * 37) % 20_000) / 100 + 5;
    return {
      id: 13_000_000_000_000 + n * 10 + i,
      admin_graphql_api_id: `gid://shopify/LineItem/${13_000_000_000_000 + n * 10 + i}`,
      attributed_staffs: [],
      current_quantity: 1 + (i % 2),
      fulfillable_quantity: 1 + (i % 2),
      fulfillment_service: 'manual',
      fulfillment_status: null,
      gift_card: false,
      grams: 200 + i * 50,
      name: `${pick(n + i, ['Linen shirt', 'Canvas tote', 'Ceramic mug', 'Wool socks'])} - ${pick(i, ['S', 'M', 'L'])}`,
      price: price.toFixed(2),
      price_set: money(price.toFixed(2), currency),
      product_exists: true,
      product_id: 7_000_000_000_000 + ((n + i) % 400),
      properties: [],
      quantity: 1 + (i % 2),
      requires_shipping: true,
      sku: `SKU-${token(n + i, 'sku', 6).toUpperCase()}`,
      taxable: true,
      title: pick(n + i, ['Linen shirt', 'Canvas tote', 'Ceramic mug', 'Wool socks']),
      total_discount: '0.00',
      total_discount_set: money('0.00', currency),
      variant_id: 42_000_000_000_000 + ((n + i) % 900),
      variant_inventory_management: 'shopify',
      variant_title: pick(i, ['S', 'M', 'L']),
      vendor: 'Hookrelay Goods',
      tax_lines: [{ channel_liable: false, price: (price * 0.13).toFixed(2), rate: 0.13, title: 'HST' }],
      duties: [],
      discount_allocations: [],
    };
  });
  const subtotal = items.reduce((t, item) => t + Number(item.price) * item.quantity, 0);
  const tax = subtotal * 0.13;
  const total = (subtotal + tax + 9.99).toFixed(2);
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    app_id: 580_111,
    browser_ip: `203.0.113.${n % 250}`,
    buyer_accepts_marketing: n % 2 === 0,
    cancel_reason: null,
    cancelled_at: null,
    cart_token: token(n, 'cart', 32),
    checkout_id: 30_000_000_000_000 + n,
    checkout_token: hex(n, 'checkout', 32),
    client_details: {
      accept_language: 'en-US,en;q=0.9',
      browser_height: 900,
      browser_ip: `203.0.113.${n % 250}`,
      browser_width: 1440,
      session_hash: null,
      user_agent:
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
    },
    confirmation_number: token(n, 'confirm', 9).toUpperCase(),
    confirmed: true,
    contact_email: `${first.toLowerCase()}.${n}@example.com`,
    created_at: isoAt(n),
    currency,
    current_subtotal_price: subtotal.toFixed(2),
    current_subtotal_price_set: money(subtotal.toFixed(2), currency),
    current_total_discounts: '0.00',
    current_total_price: total,
    current_total_price_set: money(total, currency),
    current_total_tax: tax.toFixed(2),
    current_total_tax_set: money(tax.toFixed(2), currency),
    customer_locale: 'en',
    discount_codes: [],
    email: `${first.toLowerCase()}.${n}@example.com`,
    estimated_taxes: false,
    financial_status: 'paid',
    fulfillment_status: null,
    landing_site: '/',
    name: `#${1000 + n}`,
    note: null,
    note_attributes: [],
    number: n,
    order_number: 1000 + n,
    order_status_url: `https://hookrelay-goods.myshopify.com/${token(n, 'shop', 10)}/orders/${hex(n, 'status', 32)}/authenticate?key=${hex(n, 'key', 32)}`,
    payment_gateway_names: ['shopify_payments'],
    phone: null,
    presentment_currency: currency,
    processed_at: isoAt(n),
    source_name: 'web',
    subtotal_price: subtotal.toFixed(2),
    subtotal_price_set: money(subtotal.toFixed(2), currency),
    tags: '',
    tax_lines: [
      { price: tax.toFixed(2), rate: 0.13, title: 'HST', price_set: money(tax.toFixed(2), currency) },
    ],
    taxes_included: false,
    test: false,
    token: hex(n, 'order-token', 32),
    total_discounts: '0.00',
    total_line_items_price: subtotal.toFixed(2),
    total_price: total,
    total_shipping_price_set: money('9.99', currency),
    total_tax: tax.toFixed(2),
    total_weight: items.reduce((t, item) => t + item.grams, 0),
    updated_at: isoAt(n),
    billing_address: address,
    customer: {
      id: 6_000_000_000_000 + (n % 5000),
      email: `${first.toLowerCase()}.${n}@example.com`,
      created_at: isoAt(0),
      updated_at: isoAt(n),
      first_name: first,
      last_name: last,
      state: 'enabled',
      note: null,
      verified_email: true,
      tax_exempt: false,
      phone: null,
      currency,
      tax_exemptions: [],
      admin_graphql_api_id: `gid://shopify/Customer/${6_000_000_000_000 + (n % 5000)}`,
      default_address: {
        id: 8_000_000_000_000 + (n % 5000),
        customer_id: 6_000_000_000_000 + (n % 5000),
        ...address,
        default: true,
      },
    },
    line_items: items,
    shipping_address: address,
    shipping_lines: [
      {
        id: 4_400_000_000_000 + n,
        carrier_identifier: null,
        code: 'Standard',
        discounted_price: '9.99',
        price: '9.99',
        price_set: money('9.99', currency),
        source: 'shopify',
        title: 'Standard',
        tax_lines: [],
      },
    ],
  };
};

const uuid = (n: number, salt: string) => {
  const h = hex(n, salt, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * Webhook `n` of `provider`, its body serialized as the provider sends it and its headers signed
 * with the source's `secret` at `nowSeconds`.
 *
 * @example
 * const { body, headers } = signedWebhook('github', 7, secret, Math.floor(Date.now() / 1000));
 */
export const signedWebhook = (
  provider: Provider,
  n: number,
  secret: string,
  nowSeconds: number,
): SignedWebhook => {
  const json = { 'content-type': 'application/json' };
  if (provider === 'stripe') {
    const body = JSON.stringify(stripeEvent(n), null, 2);
    const v1 = createHmac('sha256', secret).update(`${nowSeconds}.${body}`).digest('hex');
    return {
      body,
      headers: {
        ...json,
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': `t=${nowSeconds},v1=${v1}`,
      },
    };
  }
  if (provider === 'github') {
    const body = JSON.stringify(githubPush(n));
    return {
      body,
      headers: {
        ...json,
        'user-agent': 'GitHub-Hookshot/2b1f2c9',
        'x-github-event': 'push',
        'x-github-delivery': uuid(n, 'delivery'),
        'x-github-hook-id': '512345678',
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      },
    };
  }
  const body = JSON.stringify(shopifyOrder(n));
  return {
    body,
    headers: {
      ...json,
      'user-agent': 'Shopify-Captain-Hook',
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': 'hookrelay-goods.myshopify.com',
      'x-shopify-api-version': '2024-07',
      'x-shopify-webhook-id': uuid(n, 'shopify-webhook'),
      'x-shopify-event-id': uuid(n, 'shopify-event'),
      'x-shopify-triggered-at': new Date(nowSeconds * 1000).toISOString(),
      'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
    },
  };
};
