import { CopyButton } from './copy-button.js';

/** A signing secret the API shows only in this answer: say so, show it, offer to copy it. */
export const SecretOnce = ({ secret, note }: { secret: string; note?: string }) => (
  <div className="notice notice-secret" role="status">
    <p className="notice-title">Store this secret now: it is not shown again.</p>
    <p>
      <code className="secret" data-testid="secret">
        {secret}
      </code>{' '}
      <CopyButton value={secret} label="Copy secret" />
    </p>
    {note && <p className="small">{note}</p>}
  </div>
);
