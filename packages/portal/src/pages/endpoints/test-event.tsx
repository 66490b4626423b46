import { ActionButton } from '../../components/action-button.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { EndpointAnswer } from './endpoint-answer.js';
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
        <EndpointAnswer
          answer={test.data}
          verdict={{ status: test.data.success ? 'success' : 'failure' }}
          responseLabel="Response of the test"
        />
      )}
    </section>
  );
};
