import { ActionButton } from '../../components/action-button.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { JsonBlock } from '../../components/json-block.js';
import { StatusBadge } from '../../components/status-badge.js';
import { useTestEvent } from './endpoint-queries.js';

/** Sends a signed webhook.test now and shows what the endpoint answered. */
export const TestEvent = ({ id }: { id: string }) => {
  const test = useTestEvent(id);
  return (
    <section aria-labelledby="test-title" className="section card">
      <h2 id="test-title">Send a test event</h2>
      <p className="muted">
        A signed <code>webhook.test</code> event goes out now; it is not recorded as a delivery.
      </p>
      <ActionButton
        label="Send test event"
        busyLabel="Sending…"
        busy={test.isPending}
        onClick={() => test.mutate()}
      />
      {test.isError && <ErrorNotice error={test.error} action="Test event" />}
      {test.data && (
        <div className="result" role="status">
          <p>
            <StatusBadge status={test.data.success ? 'success' : 'failure'} />{' '}
            {test.data.status_code !== null ? `HTTP ${test.data.status_code}` : 'no answer'}
            {test.data.duration_ms !== undefined && ` in ${test.data.duration_ms} ms`}
            {test.data.error_kind && ` (${test.data.error_kind})`}
          </p>
          {test.data.response && <JsonBlock value={test.data.response} label="Response of the test" />}
        </div>
      )}
    </section>
  );
};
