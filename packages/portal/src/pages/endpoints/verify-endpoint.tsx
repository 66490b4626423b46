import { ActionButton } from '../../components/action-button.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { JsonBlock } from '../../components/json-block.js';
import { StatusBadge } from '../../components/status-badge.js';
import { useVerifyEndpoint } from './endpoint-queries.js';

/** Sends the endpoint a new ownership challenge now and shows what it answered. */
export const VerifyEndpoint = ({ id }: { id: string }) => {
  const verify = useVerifyEndpoint(id);
  const answer = verify.data;
  return (
    <section aria-labelledby="verify-title" className="section card">
      <h2 id="verify-title">Ownership challenge</h2>
      <p className="muted">
        A signed <code>hookrelay.endpoint.verification</code> request goes out now; the endpoint answers 2xx
        echoing its <code>challenge</code>, in the body or the <code>X-Hookrelay-Challenge</code> header.
      </p>
      <ActionButton
        label="Verify now"
        busyLabel="Challenging…"
        busy={verify.isPending}
        onClick={() => verify.mutate()}
      />
      {verify.isError && <ErrorNotice error={verify.error} action="Verify" />}
      {answer && (
        <div className="result" role="status">
          <p>
            <StatusBadge
              status={answer.verified ? 'Answered' : 'Not answered'}
              tone={answer.verified ? 'good' : 'bad'}
            />{' '}
            {answer.status_code !== null ? `HTTP ${answer.status_code}` : 'no answer'}
            {answer.duration_ms !== undefined && ` in ${answer.duration_ms} ms`}
            {answer.error_kind && ` (${answer.error_kind})`}
            {answer.verified
              ? ': the endpoint is verified and gets deliveries.'
              : answer.verification_status === 'verified'
                ? ': it stays verified by its earlier answer.'
                : ': it gets nothing until it answers.'}
          </p>
          {answer.response && <JsonBlock value={answer.response} label="Response to the challenge" />}
        </div>
      )}
    </section>
  );
};
