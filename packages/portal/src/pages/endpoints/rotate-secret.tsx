import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { SecretOnce } from '../../components/secret-once.js';
import { useRotateSecret } from './endpoint-queries.js';

const overlapNote = (expires: string | null | undefined) =>
  expires
    ? `The previous secret keeps signing until ${new Date(expires).toLocaleString()}, so your receiver can switch without losing a delivery.`
    : undefined;

export const RotateSecret = ({ id }: { id: string }) => {
  const rotate = useRotateSecret(id);
  return (
    <section aria-labelledby="rotate-title" className="section card">
      <h2 id="rotate-title">Signing secret</h2>
      <p className="muted">
        Deliveries are signed with the endpoint's secret. Rotate it if it may have leaked.
      </p>
      <ConfirmButton
        label={rotate.isPending ? 'Rotating…' : 'Rotate secret'}
        title="Rotate the signing secret?"
        confirmLabel="Rotate"
        disabled={rotate.isPending}
        onConfirm={() => rotate.mutate()}
      >
        <p>A new secret is issued. For 24 hours the old one signs too, then only the new one.</p>
      </ConfirmButton>
      {rotate.isError && <ErrorNotice error={rotate.error} action="Rotate" />}
      {rotate.data && (
        <SecretOnce
          secret={rotate.data.secret}
          {...(overlapNote(rotate.data.previous_secret_expires_at)
            ? { note: overlapNote(rotate.data.previous_secret_expires_at) }
            : {})}
        />
      )}
      {rotate.data?.public_key && (
        <p className="small">
          New public key (not a secret): <code data-testid="new-public-key">{rotate.data.public_key}</code>
        </p>
      )}
    </section>
  );
};
