import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice.js';
import { SecretOnce } from '../../components/secret-once.js';
import { SigningSecretField } from './signing-secret-field.js';
import { useRotateSourceSecret } from './source-queries.js';
import { PROVIDERS, type Source } from './source-types.js';

/** A new secret: the provider's new one, or a generated one shown once; the old one works 24 h. */
export const RotateSourceSecret = ({ source }: { source: Source }) => {
  const rotate = useRotateSourceSecret(source.id);
  const [secret, setSecret] = useState('');
  const ids = useId();
  const issued = PROVIDERS[source.provider].issuesSecret;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    rotate.mutate(secret || undefined, { onSuccess: () => setSecret('') });
  };
  return (
    <section className="card section" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Signing secret</h2>
      <form onSubmit={submit} className="inline-form">
        <SigningSecretField
          label={`New secret${issued ? '' : ' (empty: generate one)'}`}
          required={issued}
          value={secret}
          onChange={setSecret}
        />
        <button type="submit" className="button" disabled={rotate.isPending}>
          {rotate.isPending ? 'Rotating…' : 'Rotate secret'}
        </button>
      </form>
      {rotate.isError && <ErrorNotice error={rotate.error} action="Rotate" />}
      {rotate.data?.source.secret && <SecretOnce secret={rotate.data.source.secret} />}
      {rotate.data && (
        <p role="status" className="small">
          {rotate.data.previous_secret_expires_at
            ? `The previous secret still verifies until ${new Date(rotate.data.previous_secret_expires_at).toLocaleString()}.`
            : 'The new secret is in use.'}
        </p>
      )}
    </section>
  );
};
