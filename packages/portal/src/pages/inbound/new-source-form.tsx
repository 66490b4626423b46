import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice.js';
import { DEFAULT_HMAC, type HmacConfig, HmacConfigFields } from './hmac-config-fields.js';
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
      <div className="field">
        <label htmlFor={`${ids}-name`}>Name</label>
        <input
          id={`${ids}-name`}
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-provider`}>Provider</label>
        <select
          id={`${ids}-provider`}
          value={provider}
          onChange={(e) => setProvider(PROVIDER_NAMES.find((p) => p === e.target.value) ?? 'github')}
        >
          {PROVIDER_NAMES.map((p) => (
            <option key={p} value={p}>
              {PROVIDERS[p].label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-secret`}>Signing secret{issued ? '' : ' (optional)'}</label>
        <input
          id={`${ids}-secret`}
          required={issued}
          minLength={8}
          maxLength={512}
          autoComplete="off"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          aria-describedby={`${ids}-secret-hint`}
        />
        <p id={`${ids}-secret-hint`} className="muted small">
          {issued
            ? `${PROVIDERS[provider].label} issues the secret: paste the one it gave you.`
            : 'Leave empty to have one generated; it is shown once.'}
        </p>
      </div>
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
