import { StatusBadge } from '../../components/status-badge.js';
import { TimeOf } from '../../components/time-of.js';
import { EventFilter } from './event-filter.js';
import { laneOf, SIGNATURE_SCHEMES, stateOf, type Webhook } from './webhook-types.js';

/** Every setting of an endpoint, custom header values masked as the API returns them. */
export const EndpointSummary = ({ webhook }: { webhook: Webhook }) => {
  const headers = Object.entries(webhook.headers ?? {});
  return (
    <dl className="summary">
      <dt>State</dt>
      <dd>
        <StatusBadge status={stateOf(webhook)} />
        {webhook.disabled_reason && <span className="small"> {webhook.disabled_reason}</span>}
      </dd>
      <dt>Id</dt>
      <dd>
        <code>{webhook.id}</code>
      </dd>
      {webhook.description && (
        <>
          <dt>Description</dt>
          <dd>{webhook.description}</dd>
        </>
      )}
      <dt>Receives</dt>
      <dd>
        <EventFilter events={webhook.events} />
      </dd>
      <dt>Payload filter</dt>
      <dd>
        {webhook.filter ? (
          <pre className="code">{JSON.stringify(webhook.filter, null, 2)}</pre>
        ) : (
          <span className="muted">none: every event of these types</span>
        )}
      </dd>
      <dt>Signatures</dt>
      <dd>{(webhook.signature_schemes ?? []).map((s) => SIGNATURE_SCHEMES[s]).join(', ')}</dd>
      {webhook.public_keys && webhook.public_keys.length > 0 && (
        <>
          <dt>Public keys</dt>
          <dd>
            <ul className="plain" data-testid="public-keys">
              {webhook.public_keys.map((key) => (
                <li key={key}>
                  <code>{key}</code>
                </li>
              ))}
            </ul>
            <span className="small muted">Verify v1a signatures with these; newest first.</span>
          </dd>
        </>
      )}
      {webhook.verification === 'challenge' && (
        <>
          <dt>Ownership</dt>
          <dd data-testid="verification">
            {webhook.verification_status === 'verified' ? (
              <>
                <StatusBadge status="Verified" tone="good" /> the endpoint answered its challenge
              </>
            ) : (
              <>
                <StatusBadge status="Unverified" tone="wait" /> the endpoint gets nothing until it answers its
                challenge
              </>
            )}
            {webhook.verification_required && (
              <span className="small muted"> (your account requires it of every endpoint)</span>
            )}
          </dd>
        </>
      )}
      <dt>Custom headers</dt>
      <dd>
        {headers.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <ul className="plain">
            {headers.map(([name, masked]) => (
              <li key={name}>
                <code>{name}</code>: <code>{masked}</code>
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Rate limit</dt>
      <dd>{webhook.rate_limit ? `${webhook.rate_limit} deliveries per second` : 'none'}</dd>
      <dt>Ordering</dt>
      <dd>
        {webhook.ordering === 'per_key'
          ? `Per key; an exhausted delivery ${webhook.on_exhausted === 'pause' ? 'pauses its key' : 'lets its key go on'}`
          : 'None'}
      </dd>
      <dt>Lane</dt>
      <dd>
        {laneOf(webhook)}
        {webhook.lane_since && (
          <>
            {' '}
            since <TimeOf iso={webhook.lane_since} />
          </>
        )}
      </dd>
      <dt>Attempts</dt>
      <dd>
        {webhook.delivery_success_count ?? 0} succeeded, {webhook.delivery_failure_count ?? 0} failed
      </dd>
      <dt>Last delivery</dt>
      <dd>
        <TimeOf iso={webhook.last_triggered_at} />
      </dd>
      <dt>Created</dt>
      <dd>
        <TimeOf iso={webhook.created_at} />
      </dd>
    </dl>
  );
};
