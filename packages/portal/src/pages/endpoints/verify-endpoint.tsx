import { ActionButton } from '../../components/action-button.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { EndpointAnswer } from './endpoint-answer.js';
import { useVerifyEndpoint } from './endpoint-queries.js';

const meaningOf = (answer: { verified: boolean; verification_status?: string }): string =>
  answer.verified
    ? ': the endpoint is verified and gets deliveries.'
    : answer.verification_status === 'verified'
      ? ': it stays verified by its earlier answer.'
      : ': it gets nothing until it answers.';

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
        <EndpointAnswer
          answer={answer}
          verdict={
            answer.verified ? { status: 'Answered', tone: 'good' } : { status: 'Not answered', tone: 'bad' }
          }
          meaning={meaningOf(answer)}
          responseLabel="Response to the challenge"
        />
      )}
    </section>
  );
};
