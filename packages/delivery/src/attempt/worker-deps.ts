import type { DeliveryLanes } from '@hookrelay/definitions';
import type {
  AttemptSample,
  BreakerPolicy,
  Clock,
  DeliveryQueue,
  EventStore,
  Lane,
  LanePolicy,
  RateLimiter,
  SecretStore,
  WebhookStore,
} from '@hookrelay/domain';
import type { HttpSender } from '../http-sender.js';
import type { CertificateNoticeDeps } from './certificate-notice.js';
import type { BreakerPorts } from './endpoint-breaker.js';
import type { EndpointSlots } from './endpoint-slots.js';
import type { RecordPorts } from './record-attempt.js';
import type { NoticeDeps } from './tell-tenant.js';

/** Where operational events go, with what the certificate notice needs besides. */
export type WorkerNoticeDeps = NoticeDeps & CertificateNoticeDeps;

/** What the checks before an attempt on a lane need. */
export interface PreparePorts
  extends BreakerPorts,
    Pick<WorkerDeps, 'clock' | 'onTaken' | 'rateLimiter' | 'listBeforeAttemptAfterMs' | 'deliveryLanes'> {
  readonly events: Pick<EventStore, 'get' | 'settle' | 'cancel' | 'markWaiting'>;
  readonly webhooks: Pick<WebhookStore, 'get' | 'takeProbe'>;
}

/** The ports of an attempt on the lanes (`processDelivery`). */
export interface WorkerDeps {
  readonly events: EventStore;
  readonly webhooks: Pick<
    WebhookStore,
    'get' | 'recordOutcome' | 'markLane' | 'noteUnanswered' | 'noteAnswered' | 'takeProbe'
  >;
  readonly secrets: SecretStore;
  readonly queue: DeliveryQueue;
  readonly sender: HttpSender;
  readonly clock: Clock;
  /** Delays before each attempt, in ms (entry 0 is the first attempt's). */
  readonly schedule: readonly number[];
  readonly random?: () => number;
  /** When an endpoint counts as slow and when it comes back (DEFAULT_LANE_POLICY if absent). */
  readonly lanes?: LanePolicy;
  /**
   * The stage's delivery lanes (two if absent). With one there is no slow queue: a quarantined
   * endpoint's deliveries stay in the main queue and are attempted from it under the slow lane's
   * policy (the full timeout, the shared breaker), and no attempt is ever abandoned or forwarded
   * to "the slow lane", which would be the queue it came from.
   */
  readonly deliveryLanes?: DeliveryLanes;
  /** When an endpoint that stops answering is held back, and for how long (DEFAULT_BREAKER_POLICY if absent). */
  readonly breaker?: BreakerPolicy;
  /**
   * Told how long past its due time (the sweeper's reckoning: `next_attempt_at`, else the
   * event's `created_at`) each pending delivery was taken from its lane, and for one handed
   * back to wait for its endpoint, how late it will be when it comes back.
   */
  readonly onTaken?: (lane: Lane, lateByMs: number) => void;
  /**
   * Attempts one endpoint may have in flight at once in this process, on the slow lane; a
   * message beyond it is handed back for later, unattempted (absent: no limit).
   */
  readonly endpointSlots?: EndpointSlots;
  /** Consulted only for webhooks with a `rate_limit`; without one, limits are not enforced. */
  readonly rateLimiter?: RateLimiter;
  /** Where operational events go (`hookrelay.*`); without it the tenant is not told. */
  readonly notices?: WorkerNoticeDeps;
  /**
   * How old an event may be before its first attempt lists it as PENDING first (the sweeper's
   * grace less the longest attempt): the PENDING list looks for untouched events only back to
   * the sweeper's mark, which may pass an event while its first attempt runs. Default
   * DEFAULT_SWEEP_GRACE_MS less a minute.
   */
  readonly listBeforeAttemptAfterMs?: number;
  /** Told of every attempt recorded (the stats' counters); without it nothing is counted. */
  readonly counters?: { record(tenantId: string, webhookId: string, sample: AttemptSample): void };
}

/** What recording an attempt made from a lane needs. */
export interface LaneRecordPorts
  extends RecordPorts,
    Pick<WorkerDeps, 'queue' | 'clock' | 'lanes' | 'breaker' | 'notices' | 'deliveryLanes'> {
  readonly webhooks: Pick<WebhookStore, 'recordOutcome' | 'markLane' | 'noteUnanswered' | 'noteAnswered'>;
}
