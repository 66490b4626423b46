import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice.js';
import { InputField } from '../../components/input-field.js';
import { SelectField } from '../../components/select-field.js';
import { DEFAULT_HMAC, type HmacConfig, HmacConfigFields } from './hmac-config-fields.js';
import { SigningSecretField } from './signing-secret-field.js';
import { useCreateSource } from './source-queries.js';
import { PROVIDER_NAMES, PROVIDERS, type Provider, type Source } from './source-types.js';

/** A new source: its name, provider, secret (given or generated), and whether it forwards. */
export const NewSourceForm = ({ onCreated }: { onCreated: (source: Source) => void }) => {
  const create = useCreateSource();
  const ids = useId();
  const [name, setName] = useState('');
  const [provider, setProvider] = useState<Provider>('github');
  const [secret, setSecret] = useState('');
  const [forward, setForward] = useState(false);
  const [config, setConfig] = useState<HmacConfig>(DEFAULT_HMAC);
  const issued = PROVIDERS[provider].issuesSecret;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        name: name.trim(),
        provider,
        forward,
        ...(secret ? { secret } : {}),
        ...(provider === 'hmac' ? { config } : {}),
      },
      { onSuccess: ({ source }) => onCreated(source) },
    );
  };
  return (
    <form className="form card" onSubmit={submit} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>New source</h2>
      <InputField label="Name" required maxLength={200} value={name} onChange={setName} />
      <SelectField
        label="Provider"
        value={provider}
        onChange={(value) => setProvider(PROVIDER_NAMES.find((p) => p === value) ?? 'github')}
      >
        {PROVIDER_NAMES.map((p) => (
          <option key={p} value={p}>
            {PROVIDERS[p].label}
          </option>
        ))}
      </SelectField>
      <SigningSecretField
        label={`Signing secret${issued ? '' : ' (optional)'}`}
        required={issued}
        value={secret}
        onChange={setSecret}
        hint={
          issued
            ? `${PROVIDERS[provider].label} issues the secret: paste the one it gave you.`
            : 'Leave empty to have one generated; it is shown once.'
        }
      />
      {provider === 'hmac' && <HmacConfigFields value={config} onChange={setConfig} />}
      <label className="check">
        <input type="checkbox" checked={forward} onChange={(e) => setForward(e.target.checked)} />
        Also send each request to my endpoints as an event
      </label>
      {create.isError && <ErrorNotice error={create.error} action="Create source" />}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create source'}
        </button>
      </div>
    </form>
  );
};
