import { useParams } from 'react-router';
import { PortalLink } from '../../app/links.js';
import { useCanManage } from '../../app/session.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Loading } from '../../components/loading.js';
import { PageHeader } from '../../components/page-header.js';
import { EndpointActions } from './endpoint-actions.js';
import { useWebhook } from './endpoint-queries.js';
import { EndpointSummary } from './endpoint-summary.js';
import { RecentAttempts } from './recent-attempts.js';
import { RecoverFailures } from './recover-failures.js';
import { RotateSecret } from './rotate-secret.js';
import { TestEvent } from './test-event.js';
import { VerifyEndpoint } from './verify-endpoint.js';

const EndpointPage = () => {
  const { id = '' } = useParams();
  const webhook = useWebhook(id);
  const canManage = useCanManage();
  if (webhook.isPending) return <Loading what="Reading the endpoint" />;
  if (webhook.isError) {
    return (
      <>
        <PageHeader title="Endpoint" />
        <ErrorNotice error={webhook.error} />
        <PortalLink to="/endpoints">Back to the endpoints</PortalLink>
      </>
    );
  }
  const w = webhook.data;
  return (
    <>
      <p className="crumbs">
        <PortalLink to="/endpoints">Endpoints</PortalLink>
      </p>
      <PageHeader title={<span className="url">{w.url}</span>}>
        {canManage && <EndpointActions webhook={w} />}
      </PageHeader>
      <EndpointSummary webhook={w} />
      {canManage && (
        <div className="grid-2">
          {w.verification === 'challenge' && <VerifyEndpoint id={w.id} />}
          <TestEvent id={w.id} />
          <RotateSecret id={w.id} />
          <RecoverFailures id={w.id} />
        </div>
      )}
      <RecentAttempts id={w.id} />
    </>
  );
};

export default EndpointPage;
