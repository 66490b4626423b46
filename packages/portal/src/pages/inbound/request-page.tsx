import { useParams } from 'react-router';
import { PortalLink } from '../../app/links.js';
import { useCanManage } from '../../app/session.js';
import { ActionWithOutcome } from '../../components/action-with-outcome.js';
import { JsonSection } from '../../components/json-section.js';
import { PageHeader } from '../../components/page-header.js';
import { ReadPage } from '../../components/read-page.js';
import { StatusBadge } from '../../components/status-badge.js';
import { SummaryItem } from '../../components/summary-item.js';
import { TimeOf } from '../../components/time-of.js';
import { useReceivedRequest, useReplay } from './source-queries.js';

const ReplayButton = ({ id }: { id: string }) => {
  const replay = useReplay(id);
  return (
    <ActionWithOutcome
      mutation={replay}
      label="Replay"
      busyLabel="Replaying…"
      action="Replay"
      outcome={(answer) => answer.message ?? 'Queued to be routed again.'}
    />
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
  return (
    <ReadPage query={request} reading="Reading the request" title="Received request" crumbs={crumbs}>
      {(r) => (
        <>
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
          <JsonSection title="Headers" value={r.headers ?? {}} label="Request headers" />
          {r.body === undefined ? (
            <p className="small">The raw body is archived as the request is routed, within moments.</p>
          ) : (
            <JsonSection
              title={`Raw body${r.body_encoding === 'base64' ? ' (base64: not UTF-8 text)' : ''}`}
              value={r.body}
              label="Raw request body"
            />
          )}
        </>
      )}
    </ReadPage>
  );
};

export default RequestPage;
