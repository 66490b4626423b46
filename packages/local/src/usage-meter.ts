/** What the platform's functions used, in the units AWS bills them. */
export interface LocalUsage {
  /** Per function: invocations and their billed milliseconds (each rounded up). */
  readonly lambda: Readonly<Record<string, { readonly invocations: number; readonly billedMs: number }>>;
  readonly dynamodbRru: number;
  readonly dynamodbWru: number;
  /** SQS requests as billed: one per 64 KB of each request's payload. */
  readonly sqsRequests: number;
}

/** DynamoDB operations billed in write units; every other one is billed in read units. */
const WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'ExecuteTransaction',
]);

const SQS_CHUNK_BYTES = 65_536;

/**
 * Counts what a run's functions would be billed for: each invocation's duration, the capacity
 * units DynamoDB reports for each call, SQS requests by 64 KB chunk. Fed by the IAM fronts
 * (every AWS call a function makes crosses one) and by whatever invokes the functions; a bench
 * prices it with its price table.
 *
 * @example
 * const meter = new UsageMeter();
 * meter.invoked('worker', 41.2);
 * meter.dynamodb('PutItem', 1);
 * meter.snapshot(); // { lambda: { worker: { invocations: 1, billedMs: 42 } }, dynamodbWru: 1, ... }
 */
export class UsageMeter {
  private readonly lambda = new Map<string, { invocations: number; billedMs: number }>();
  private rru = 0;
  private wru = 0;
  private sqsRequests = 0;

  invoked(service: string, durationMs: number): void {
    const seen = this.lambda.get(service) ?? { invocations: 0, billedMs: 0 };
    this.lambda.set(service, {
      invocations: seen.invocations + 1,
      billedMs: seen.billedMs + Math.max(1, Math.ceil(durationMs)),
    });
  }

  /** A DynamoDB call (its operation, e.g. `PutItem`) and the capacity units it consumed. */
  dynamodb(operation: string, units: number): void {
    if (WRITES.has(operation)) this.wru += units;
    else this.rru += units;
  }

  /** An SQS call with a payload of this many bytes. */
  sqs(payloadBytes: number): void {
    this.sqsRequests += Math.max(1, Math.ceil(payloadBytes / SQS_CHUNK_BYTES));
  }

  snapshot(): LocalUsage {
    return {
      lambda: Object.fromEntries(this.lambda),
      dynamodbRru: this.rru,
      dynamodbWru: this.wru,
      sqsRequests: this.sqsRequests,
    };
  }
}

/** A handler whose every invocation's duration the meter counts, as the function's. */
export const timed =
  <E, C, R>(service: string, handler: (event: E, context: C) => Promise<R>, meter: UsageMeter) =>
  async (event: E, context: C): Promise<R> => {
    const began = performance.now();
    try {
      return await handler(event, context);
    } finally {
      meter.invoked(service, performance.now() - began);
    }
  };

/** Capacity units in a DynamoDB answer's `ConsumedCapacity` (one entry, or one per table). */
export const consumedUnits = (answer: unknown): number => {
  const consumed = (answer as { ConsumedCapacity?: unknown } | null)?.ConsumedCapacity;
  const entries = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return entries.reduce(
    (sum: number, entry) => sum + Number((entry as { CapacityUnits?: unknown }).CapacityUnits ?? 0),
    0,
  );
};
