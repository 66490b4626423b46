import { useParams } from 'react-router';
import { PortalLink } from '../../app/links.js';
import { useCanManage } from '../../app/session.js';
import { ActionButton } from '../../components/action-button.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { JsonBlock } from '../../components/json-block.js';
import { Loading } from '../../components/loading.js';
import { PageHeader } from '../../components/page-header.js';
import { StatusBadge } from '../../components/status-badge.js';
import { SummaryItem } from '../../components/summary-item.js';
import { TimeOf } from '../../components/time-of.js';
import { useReceivedRequest, useReplay } from './source-queries.js';

const ReplayButton = ({ id }: { id: string }) => {
  const replay = useReplay(id);
  return (
    <>
      <ActionButton
        label="Replay"
        busyLabel="Replaying…"
        busy={replay.isPending}
        primary
        onClick={() => replay.mutate()}
      />
      {replay.isError && <ErrorNotice error={replay.error} action="Replay" />}
      {replay.data && <span role="status">{replay.data.message ?? 'Queued to be routed again.'}</span>}
    </>
  );
};

const RequestPage = () => {
  const { sourceId = '', requestId = '' } = useParams();
  const request = useReceivedRequest(requestId);
  const canManage = useCanManage();
  const crumbs = (
    <p className="crumbs">
      <PortalLink to="/inbound">Inbound</PortalLink> /{' '}
      <PortalLink to={`/inbound/${sourceId}`}>Source</PortalLink>
    </p>
  );
  if (request.isPending) return <Loading what="Reading the request" />;
  if (request.isError) {
    return (
      <>
        {crumbs}
        <PageHeader title="Received request" />
        <ErrorNotice error={request.error} />
      </>
    );
  }
  const r = request.data;
  return (
    <>
      {crumbs}
      <PageHeader title={<code>{r.id}</code>}>{canManage && <ReplayButton id={r.id} />}</PageHeader>
      <dl className="summary">
        <SummaryItem term="Status">
          <StatusBadge status={r.status} />
          {r.error && <span className="small"> {r.error}</span>}
        </SummaryItem>
        <SummaryItem term="Received">
          <TimeOf iso={r.received_at} />
        </SummaryItem>
        <SummaryItem term="Type">{r.type ? <code>{r.type}</code> : '–'}</SummaryItem>
        <SummaryItem term="Provider's id">
          {r.provider_event_id ? <code>{r.provider_event_id}</code> : '–'}
        </SummaryItem>
        <SummaryItem term="Routed">
          <TimeOf iso={r.routed_at} />
        </SummaryItem>
      </dl>
      <section className="section" aria-labelledby="headers-title">
        <h2 id="headers-title">Headers</h2>
        <JsonBlock value={r.headers ?? {}} label="Request headers" />
      </section>
      <section className="section" aria-labelledby="body-title">
        <h2 id="body-title">Raw body{r.body_encoding === 'base64' ? ' (base64: not UTF-8 text)' : ''}</h2>
        <JsonBlock value={r.body} label="Raw request body" />
      </section>
    </>
  );
};

export default RequestPage;
