import { CopyButton } from '../../components/copy-button.js';

/** The URL to give the provider: its token is the credential, so it is shown for copying only. */
export const IngestUrl = ({ url }: { url: string }) => (
  <p className="ingest">
    <code className="secret" data-testid="ingest-url">
      {url}
    </code>{' '}
    <CopyButton value={url} label="Copy URL" />
  </p>
);
