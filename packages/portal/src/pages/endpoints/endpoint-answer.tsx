import { JsonBlock } from '../../components/json-block.js';
import { StatusBadge, type Tone } from '../../components/status-badge.js';

/** What an endpoint answered a request sent to it now (a test event, an ownership challenge). */
export interface Answered {
  readonly status_code: number | null;
  readonly duration_ms?: number;
  readonly error_kind?: string;
  readonly response?: string;
}

/**
 * The answer, announced: a badge for the verdict, the status code (or that none came), how long
 * it took, why it failed, what the verdict means, and the response body.
 */
export const EndpointAnswer = ({
  answer,
  verdict,
  meaning,
  responseLabel,
}: {
  answer: Answered;
  verdict: { status: string; tone?: Tone };
  meaning?: string;
  responseLabel: string;
}) => (
  <div className="result" role="status">
    <p>
      <StatusBadge {...verdict} /> {answer.status_code !== null ? `HTTP ${answer.status_code}` : 'no answer'}
      {answer.duration_ms !== undefined && ` in ${answer.duration_ms} ms`}
      {answer.error_kind && ` (${answer.error_kind})`}
      {meaning}
    </p>
    {answer.response && <JsonBlock value={answer.response} label={responseLabel} />}
  </div>
);
