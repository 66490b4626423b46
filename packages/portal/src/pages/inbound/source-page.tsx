import { useParams } from 'react-router';
import { PortalLink } from '../../app/links.js';
import { useCanManage } from '../../app/session.js';
import { EmptyState } from '../../components/empty-state.js';
import { PageHeader } from '../../components/page-header.js';
import { PagedList } from '../../components/paged-list.js';
import { ReadPage } from '../../components/read-page.js';
import { SummaryItem } from '../../components/summary-item.js';
import { TimeOf } from '../../components/time-of.js';
import { IngestUrl } from './ingest-url.js';
import { RequestsTable } from './requests-table.js';
import { RotateSourceSecret } from './rotate-source-secret.js';
import { useReceivedRequests, useSource } from './source-queries.js';
import { PROVIDERS } from './source-types.js';

const Requests = ({ sourceId }: { sourceId: string }) => {
  const pages = useReceivedRequests(sourceId);
  return (
    <PagedList
      pages={pages}
      itemsOf={(p) => p.requests}
      reading="Reading received requests"
      empty={
        <EmptyState title="Nothing received yet">
          Set the URL above as the webhook address at the provider; requests appear here as they arrive.
        </EmptyState>
      }
    >
      {(requests) => <RequestsTable sourceId={sourceId} requests={requests} />}
    </PagedList>
  );
};

const SourcePage = () => {
  const { sourceId = '' } = useParams();
  const source = useSource(sourceId);
  const canManage = useCanManage();
  const crumbs = (
    <p className="crumbs">
      <PortalLink to="/inbound">Inbound</PortalLink>
    </p>
  );
  return (
    <ReadPage query={source} reading="Reading the source" title="Source" crumbs={crumbs}>
      {(s) => (
        <>
          <PageHeader title={s.name} />
          <dl className="summary">
            <SummaryItem term="Provider">{PROVIDERS[s.provider].label}</SummaryItem>
            <SummaryItem term="Forwards as events">{s.forward ? 'yes' : 'no'}</SummaryItem>
            <SummaryItem term="Refused requests">{s.rejected_count ?? 0}</SummaryItem>
            <SummaryItem term="Created">
              <TimeOf iso={s.created_at} />
            </SummaryItem>
          </dl>
          <section className="section" aria-labelledby="url-title">
            <h2 id="url-title">Webhook URL for the provider</h2>
            <IngestUrl url={s.ingest_url} />
          </section>
          {canManage && <RotateSourceSecret source={s} />}
          <section className="section" aria-labelledby="requests-title">
            <h2 id="requests-title">Received requests</h2>
            <Requests sourceId={s.id} />
          </section>
        </>
      )}
    </ReadPage>
  );
};

export default SourcePage;
