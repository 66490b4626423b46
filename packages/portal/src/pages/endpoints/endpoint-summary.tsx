import { StatusBadge } from '../../components/status-badge.js';
import { SummaryItem } from '../../components/summary-item.js';
import { TimeOf } from '../../components/time-of.js';
import { EventFilter } from './event-filter.js';
import { laneOf, SIGNATURE_SCHEMES, stateOf, type Webhook } from './webhook-types.js';

const PublicKeys = ({ keys }: { keys: readonly string[] }) => (
  <SummaryItem term="Public keys">
    <ul className="plain" data-testid="public-keys">
      {keys.map((key) => (
        <li key={key}>
          <code>{key}</code>
        </li>
      ))}
    </ul>
    <span className="small muted">Verify v1a signatures with these; newest first.</span>
  </SummaryItem>
);

/** Why an unverified endpoint's last challenge failed, and when it is asked again. */
const LastChallenge = ({ webhook }: { webhook: Webhook }) => (
  <div className="small">
    Last challenge: {webhook.verification_error}
    {webhook.next_challenge_at ? (
      <>
        ; asked again <TimeOf iso={webhook.next_challenge_at} />
      </>
    ) : (
      '; no longer asked by itself: verify it again'
    )}
  </div>
);

const Ownership = ({ webhook }: { webhook: Webhook }) => (
  <SummaryItem term="Ownership" testId="verification">
    {webhook.verification_status === 'verified' ? (
      <>
        <StatusBadge status="Verified" tone="good" /> the endpoint answered its challenge
      </>
    ) : (
      <>
        <StatusBadge status="Unverified" tone="wait" /> the endpoint gets nothing until it answers its
        challenge
        {webhook.verification_error && <LastChallenge webhook={webhook} />}
      </>
    )}
    {webhook.verification_required && (
      <span className="small muted"> (your account requires it of every endpoint)</span>
    )}
  </SummaryItem>
);

const OAuth = ({ auth }: { auth: NonNullable<Webhook['auth']> }) => (
  <div>
    OAuth2 client credentials: client <code>{auth.client_id}</code> at <code>{auth.token_url}</code>
    {auth.scope && (
      <>
        , scope <code>{auth.scope}</code>
      </>
    )}
    ; secret <code>{auth.client_secret}</code>
  </div>
);

const ClientCertificate = ({
  certificate,
}: {
  certificate: NonNullable<Webhook['tls_client_certificate']>;
}) => (
  <div>
    Client certificate <code>{certificate.subject}</code> from <code>{certificate.issuer}</code>, expires{' '}
    <TimeOf iso={certificate.not_after} />{' '}
    {certificate.status !== 'valid' && (
      <StatusBadge status={certificate.status === 'expired' ? 'Expired' : 'Expiring soon'} tone="wait" />
    )}
    <div className="small muted">
      SHA-256 <code>{certificate.fingerprint_sha256}</code>
    </div>
  </div>
);

const Authentication = ({ webhook }: { webhook: Webhook }) => (
  <SummaryItem term="Authentication" testId="authentication">
    {!webhook.auth && !webhook.tls_client_certificate && <span className="muted">signatures only</span>}
    {webhook.auth && <OAuth auth={webhook.auth} />}
    {webhook.tls_client_certificate && <ClientCertificate certificate={webhook.tls_client_certificate} />}
  </SummaryItem>
);

/** Custom header values as the API returns them: masked. */
const CustomHeaders = ({ headers }: { headers: Webhook['headers'] }) => {
  const entries = Object.entries(headers ?? {});
  return (
    <SummaryItem term="Custom headers">
      {entries.length === 0 ? (
        <span className="muted">none</span>
      ) : (
        <ul className="plain">
          {entries.map(([name, masked]) => (
            <li key={name}>
              <code>{name}</code>: <code>{masked}</code>
            </li>
          ))}
        </ul>
      )}
    </SummaryItem>
  );
};

/** What the endpoint receives: types, and the payload filter over them. */
const Subscription = ({ webhook }: { webhook: Webhook }) => (
  <>
    <SummaryItem term="Receives">
      <EventFilter events={webhook.events} />
    </SummaryItem>
    <SummaryItem term="Payload filter">
      {webhook.filter ? (
        <pre className="code">{JSON.stringify(webhook.filter, null, 2)}</pre>
      ) : (
        <span className="muted">none: every event of these types</span>
      )}
    </SummaryItem>
  </>
);

/** How its deliveries go: rate, ordering, lane, and how they have gone so far. */
const Delivery = ({ webhook }: { webhook: Webhook }) => (
  <>
    <SummaryItem term="Rate limit">
      {webhook.rate_limit ? `${webhook.rate_limit} deliveries per second` : 'none'}
    </SummaryItem>
    <SummaryItem term="Ordering">
      {webhook.ordering === 'per_key'
        ? `Per key; an exhausted delivery ${webhook.on_exhausted === 'pause' ? 'pauses its key' : 'lets its key go on'}`
        : 'None'}
    </SummaryItem>
    <SummaryItem term="Lane">
      {laneOf(webhook)}
      {webhook.lane_since && (
        <>
          {' '}
          since <TimeOf iso={webhook.lane_since} />
        </>
      )}
    </SummaryItem>
    <SummaryItem term="Attempts">
      {webhook.delivery_success_count ?? 0} succeeded, {webhook.delivery_failure_count ?? 0} failed
    </SummaryItem>
    <SummaryItem term="Last delivery">
      <TimeOf iso={webhook.last_triggered_at} />
    </SummaryItem>
  </>
);

/** Every setting of an endpoint, custom header values masked as the API returns them. */
export const EndpointSummary = ({ webhook }: { webhook: Webhook }) => (
  <dl className="summary">
    <SummaryItem term="State">
      <StatusBadge status={stateOf(webhook)} />
      {webhook.disabled_reason && <span className="small"> {webhook.disabled_reason}</span>}
    </SummaryItem>
    <SummaryItem term="Id">
      <code>{webhook.id}</code>
    </SummaryItem>
    {webhook.description && <SummaryItem term="Description">{webhook.description}</SummaryItem>}
    <Subscription webhook={webhook} />
    <SummaryItem term="Signatures">
      {(webhook.signature_schemes ?? []).map((s) => SIGNATURE_SCHEMES[s].label).join(', ')}
    </SummaryItem>
    {webhook.public_keys && webhook.public_keys.length > 0 && <PublicKeys keys={webhook.public_keys} />}
    {webhook.verification === 'challenge' && <Ownership webhook={webhook} />}
    <Authentication webhook={webhook} />
    <CustomHeaders headers={webhook.headers} />
    <Delivery webhook={webhook} />
    <SummaryItem term="Created">
      <TimeOf iso={webhook.created_at} />
    </SummaryItem>
  </dl>
);
