import { useState } from 'react';
import { PortalLink } from '../../app/links.js';
import { useCanManage } from '../../app/session.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { EmptyState } from '../../components/empty-state.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Loading } from '../../components/loading.js';
import { PageHeader } from '../../components/page-header.js';
import { SecretOnce } from '../../components/secret-once.js';
import { TimeOf } from '../../components/time-of.js';
import { IngestUrl } from './ingest-url.js';
import { NewSourceForm } from './new-source-form.js';
import { useSources } from './source-queries.js';
import { PROVIDERS, type Source } from './source-types.js';

const Created = ({ source }: { source: Source }) => (
  <section className="card section" aria-labelledby="created-title">
    <h2 id="created-title">Source “{source.name}” created</h2>
    <p>Give this URL to {PROVIDERS[source.provider].label} as the webhook address:</p>
    <IngestUrl url={source.ingest_url} />
    {source.secret && (
      <SecretOnce secret={source.secret} note="Set it as the signing secret at the provider." />
    )}
    <PortalLink to={`/inbound/${source.id}`}>See what it receives</PortalLink>
  </section>
);

const COLUMNS: readonly Column<Source>[] = [
  { header: 'Source', cell: (s) => <PortalLink to={`/inbound/${s.id}`}>{s.name}</PortalLink> },
  { header: 'Provider', cell: (s) => PROVIDERS[s.provider].label },
  { header: 'Forwards', cell: (s) => (s.forward ? 'yes' : 'no') },
  { header: 'Refused', numeric: true, cell: (s) => s.rejected_count ?? 0 },
  { header: 'Created', cell: (s) => <TimeOf iso={s.created_at} /> },
];

const SourcesPage = () => {
  const sources = useSources();
  const canManage = useCanManage();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Source>();
  return (
    <>
      <PageHeader title="Inbound">
        {canManage && !creating && (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New source
          </button>
        )}
      </PageHeader>
      <p className="muted">
        Sources receive webhooks from providers (Stripe, GitHub, …) at their own URL, verify each signature
        and keep every request.
      </p>
      {created && <Created source={created} />}
      {creating && (
        <NewSourceForm
          onCreated={(source) => {
            setCreated(source);
            setCreating(false);
          }}
        />
      )}
      {sources.isPending && <Loading what="Reading your sources" />}
      {sources.isError && <ErrorNotice error={sources.error} />}
      {sources.data && sources.data.length === 0 && !creating && (
        <EmptyState title="No source yet">
          {canManage
            ? 'Create one for each provider that sends you webhooks: “New source” above.'
            : 'Someone who can manage this account adds them.'}
        </EmptyState>
      )}
      {sources.data && sources.data.length > 0 && (
        <DataTable label="Sources" columns={COLUMNS} rows={sources.data} rowKey={(s) => s.id} />
      )}
    </>
  );
};

export default SourcesPage;
