import { useId } from 'react';
import type { AuthenticationState } from './form-state.js';
import type { Webhook } from './webhook-types.js';

interface AuthenticationFieldProps {
  readonly state: AuthenticationState;
  /** The stored certificate, as the API describes it (never its key). */
  readonly certificate?: Webhook['tls_client_certificate'];
  readonly onChange: (patch: Partial<AuthenticationState>) => void;
}

/** How deliveries prove who sends them, besides the signatures: an OAuth2 token, a client certificate. */
export const AuthenticationField = ({ state, certificate, onChange }: AuthenticationFieldProps) => {
  const id = useId();
  return (
    <fieldset className="fieldset">
      <legend>Authentication</legend>
      <p className="muted small">
        Besides the signatures. Secrets and private keys are never shown again once saved.
      </p>
      <label className="check">
        <input
          type="checkbox"
          checked={state.oauth}
          onChange={(e) => onChange({ oauth: e.target.checked })}
        />
        OAuth2 client credentials (a bearer token on every delivery)
      </label>
      {state.oauth && (
        <>
          <div className="field">
            <label htmlFor={`${id}-token-url`}>Token URL</label>
            <input
              id={`${id}-token-url`}
              type="url"
              required
              maxLength={2048}
              placeholder="https://auth.example.com/oauth/token"
              value={state.tokenUrl}
              onChange={(e) => onChange({ tokenUrl: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-client-id`}>Client id</label>
            <input
              id={`${id}-client-id`}
              required
              maxLength={255}
              value={state.clientId}
              onChange={(e) => onChange({ clientId: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-client-secret`}>Client secret</label>
            <input
              id={`${id}-client-secret`}
              type="password"
              required
              maxLength={1024}
              autoComplete="off"
              value={state.clientSecret}
              onChange={(e) => onChange({ clientSecret: e.target.value })}
              aria-describedby={`${id}-client-secret-hint`}
            />
            <p id={`${id}-client-secret-hint`} className="muted small">
              {state.hadOauth
                ? 'Leave it as it is to keep the stored secret.'
                : 'Stored apart; never shown again.'}
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${id}-scope`}>Scope</label>
            <input
              id={`${id}-scope`}
              maxLength={1000}
              placeholder="optional, space-separated"
              value={state.scope}
              onChange={(e) => onChange({ scope: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-client-auth`}>Client authentication</label>
            <select
              id={`${id}-client-auth`}
              value={state.clientAuthentication}
              onChange={(e) =>
                onChange({
                  clientAuthentication: e.target.value as AuthenticationState['clientAuthentication'],
                })
              }
            >
              <option value="client_secret_basic">HTTP Basic (client_secret_basic)</option>
              <option value="client_secret_post">In the form (client_secret_post)</option>
            </select>
          </div>
        </>
      )}
      <label className="check">
        <input type="checkbox" checked={state.mtls} onChange={(e) => onChange({ mtls: e.target.checked })} />
        Mutual TLS (a client certificate on every https delivery)
      </label>
      {state.mtls && (
        <>
          {certificate && (
            <p className="small" data-testid="client-certificate">
              Stored: <code>{certificate.subject}</code>, expires {certificate.not_after.slice(0, 10)}
              {certificate.status !== 'valid' ? ` (${certificate.status})` : ''}. Paste a new one to replace
              it.
            </p>
          )}
          <PemField
            id={`${id}-certificate`}
            label="Client certificate (PEM)"
            value={state.certificate}
            required={!certificate}
            onChange={(value) => onChange({ certificate: value })}
          />
          <PemField
            id={`${id}-private-key`}
            label="Private key (PEM)"
            value={state.privateKey}
            required={!certificate}
            hint={
              certificate ? 'Empty: the stored key, for a renewed certificate of the same key.' : undefined
            }
            onChange={(value) => onChange({ privateKey: value })}
          />
          <PemField
            id={`${id}-ca`}
            label="CA of the endpoint's server certificate (PEM, optional)"
            value={state.caCertificate}
            required={false}
            hint="Only for an endpoint on a private PKI: trusted besides the public roots."
            onChange={(value) => onChange({ caCertificate: value })}
          />
        </>
      )}
    </fieldset>
  );
};

const PemField = (props: {
  id: string;
  label: string;
  value: string;
  required: boolean;
  hint?: string | undefined;
  onChange: (value: string) => void;
}) => (
  <div className="field">
    <label htmlFor={props.id}>{props.label}</label>
    <textarea
      id={props.id}
      rows={4}
      spellCheck={false}
      autoComplete="off"
      required={props.required}
      maxLength={16_384}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      {...(props.hint ? { 'aria-describedby': `${props.id}-hint` } : {})}
    />
    {props.hint && (
      <p id={`${props.id}-hint`} className="muted small">
        {props.hint}
      </p>
    )}
  </div>
);
