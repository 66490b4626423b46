import { useParams } from 'react-router';
import { PortalLink } from '../../app/links.js';
import { useCanManage } from '../../app/session.js';
import { EmptyState } from '../../components/empty-state.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Loading } from '../../components/loading.js';
import { MoreButton } from '../../components/more-button.js';
import { PageHeader } from '../../components/page-header.js';
import { SummaryItem } from '../../components/summary-item.js';
import { TimeOf } from '../../components/time-of.js';
import { IngestUrl } from './ingest-url.js';
import { RequestsTable } from './requests-table.js';
import { RotateSourceSecret } from './rotate-source-secret.js';
import { useReceivedRequests, useSource } from './source-queries.js';
import { PROVIDERS } from './source-types.js';

const Requests = ({ sourceId }: { sourceId: string }) => {
  const pages = useReceivedRequests(sourceId);
  if (pages.isPending) return <Loading what="Reading received requests" />;
  if (pages.isError) return <ErrorNotice error={pages.error} />;
  const requests = pages.data.pages.flatMap((p) => p.requests);
  if (requests.length === 0) {
    return (
      <EmptyState title="Nothing received yet">
        Set the URL above as the webhook address at the provider; requests appear here as they arrive.
      </EmptyState>
    );
  }
  return (
    <>
      <RequestsTable sourceId={sourceId} requests={requests} />
      <MoreButton
        hasMore={pages.hasNextPage}
        loading={pages.isFetchingNextPage}
        onMore={() => pages.fetchNextPage()}
      />
    </>
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
  if (source.isPending) return <Loading what="Reading the source" />;
  if (source.isError) {
    return (
      <>
        {crumbs}
        <PageHeader title="Source" />
        <ErrorNotice error={source.error} />
      </>
    );
  }
  const s = source.data;
  return (
    <>
      {crumbs}
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
  );
};

export default SourcePage;
