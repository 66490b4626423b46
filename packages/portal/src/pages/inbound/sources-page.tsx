import { useState } from 'react';
import { PortalLink } from '../../app/links.js';
import { useCanManage } from '../../app/session.js';
import { EmptyState } from '../../components/empty-state.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Loading } from '../../components/loading.js';
import { PageHeader } from '../../components/page-header.js';
import { ScrollRegion } from '../../components/scroll-region.js';
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

const SourcesTable = ({ sources }: { sources: readonly Source[] }) => (
  <ScrollRegion label="Sources">
    <table>
      <thead>
        <tr>
          <th scope="col">Source</th>
          <th scope="col">Provider</th>
          <th scope="col">Forwards</th>
          <th scope="col" className="num">
            Refused
          </th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {sources.map((s) => (
          <tr key={s.id}>
            <td>
              <PortalLink to={`/inbound/${s.id}`}>{s.name}</PortalLink>
            </td>
            <td>{PROVIDERS[s.provider].label}</td>
            <td>{s.forward ? 'yes' : 'no'}</td>
            <td className="num">{s.rejected_count ?? 0}</td>
            <td>
              <TimeOf iso={s.created_at} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </ScrollRegion>
);

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
      {sources.data && sources.data.length > 0 && <SourcesTable sources={sources.data} />}
    </>
  );
};

export default SourcesPage;
