import { useId } from 'react';
import { InputField } from '../../components/input-field.js';
import { SelectField } from '../../components/select-field.js';
import type { AuthenticationState } from './form-state.js';
import { UrlField } from './url-field.js';
import type { Webhook } from './webhook-types.js';

type Certificate = Webhook['tls_client_certificate'];
type Patch = (patch: Partial<AuthenticationState>) => void;

type TextSetting = 'tokenUrl' | 'clientId' | 'clientSecret' | 'scope';

/** The OAuth2 client-credentials grant: where the token comes from, and as whom. */
const OAuthFields = ({ state, onChange }: { state: AuthenticationState; onChange: Patch }) => {
  const text = (setting: TextSetting) => ({
    value: state[setting],
    onChange: (value: string) => onChange({ [setting]: value }),
  });
  return (
    <>
      <UrlField label="Token URL" placeholder="https://auth.example.com/oauth/token" {...text('tokenUrl')} />
      <InputField label="Client id" required maxLength={255} {...text('clientId')} />
      <InputField
        label="Client secret"
        type="password"
        required
        maxLength={1024}
        autoComplete="off"
        {...text('clientSecret')}
        hint={
          state.hadOauth ? 'Leave it as it is to keep the stored secret.' : 'Stored apart; never shown again.'
        }
      />
      <InputField label="Scope" maxLength={1000} placeholder="optional, space-separated" {...text('scope')} />
      <SelectField
        label="Client authentication"
        value={state.clientAuthentication}
        onChange={(value) =>
          onChange({ clientAuthentication: value as AuthenticationState['clientAuthentication'] })
        }
      >
        <option value="client_secret_basic">HTTP Basic (client_secret_basic)</option>
        <option value="client_secret_post">In the form (client_secret_post)</option>
      </SelectField>
    </>
  );
};

const PemField = ({
  label,
  value,
  required,
  hint,
  onChange,
}: {
  label: string;
  value: string;
  required: boolean;
  hint?: string | undefined;
  onChange: (value: string) => void;
}) => {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={4}
        spellCheck={false}
        autoComplete="off"
        required={required}
        maxLength={16_384}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...(hint ? { 'aria-describedby': `${id}-hint` } : {})}
      />
      {hint && (
        <p id={`${id}-hint`} className="muted small">
          {hint}
        </p>
      )}
    </div>
  );
};

/** Mutual TLS: the stored certificate, if any, and the PEM fields that replace it. */
const ClientCertificateFields = ({
  state,
  certificate,
  onChange,
}: {
  state: AuthenticationState;
  certificate: Certificate;
  onChange: Patch;
}) => (
  <>
    {certificate && (
      <p className="small" data-testid="client-certificate">
        Stored: <code>{certificate.subject}</code>, expires {certificate.not_after.slice(0, 10)}
        {certificate.status !== 'valid' ? ` (${certificate.status})` : ''}. Paste a new one to replace it.
      </p>
    )}
    <PemField
      label="Client certificate (PEM)"
      value={state.certificate}
      required={!certificate}
      onChange={(value) => onChange({ certificate: value })}
    />
    <PemField
      label="Private key (PEM)"
      value={state.privateKey}
      required={!certificate}
      hint={certificate ? 'Empty: the stored key, for a renewed certificate of the same key.' : undefined}
      onChange={(value) => onChange({ privateKey: value })}
    />
    <PemField
      label="CA of the endpoint's server certificate (PEM, optional)"
      value={state.caCertificate}
      required={false}
      hint="Only for an endpoint on a private PKI: trusted besides the public roots."
      onChange={(value) => onChange({ caCertificate: value })}
    />
  </>
);

interface AuthenticationFieldProps {
  readonly state: AuthenticationState;
  /** The stored certificate, as the API describes it (never its key). */
  readonly certificate?: Certificate;
  readonly onChange: Patch;
}

/** How deliveries prove who sends them, besides the signatures: an OAuth2 token, a client certificate. */
export const AuthenticationField = ({ state, certificate, onChange }: AuthenticationFieldProps) => (
  <fieldset className="fieldset">
    <legend>Authentication</legend>
    <p className="muted small">
      Besides the signatures. Secrets and private keys are never shown again once saved.
    </p>
    <label className="check">
      <input type="checkbox" checked={state.oauth} onChange={(e) => onChange({ oauth: e.target.checked })} />
      OAuth2 client credentials (a bearer token on every delivery)
    </label>
    {state.oauth && <OAuthFields state={state} onChange={onChange} />}
    <label className="check">
      <input type="checkbox" checked={state.mtls} onChange={(e) => onChange({ mtls: e.target.checked })} />
      Mutual TLS (a client certificate on every https delivery)
    </label>
    {state.mtls && <ClientCertificateFields state={state} certificate={certificate} onChange={onChange} />}
  </fieldset>
);
