import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Log lines AWS writes on the platform's behalf, which no handler here prints: Lambda's
 * platform records (JSON log format) and API Gateway's access-log line. Built as AWS writes
 * them, with values of the same shape and length, so the benchmark can weigh them.
 */

const traceId = () =>
  `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0;Lineage=1:${randomBytes(4).toString('hex')}:0`;

/**
 * `platform.start` and `platform.report`, the INFO records Lambda writes for every invocation
 * of a function with the JSON log format (a system log level of WARN or above drops them).
 *
 * @example
 * platformRecords({ memoryMb: 512, durationMs: 12.3, traced: true }).join('\n').length // ≈ 700
 */
export const platformRecords = (o: { memoryMb: number; durationMs: number; traced: boolean }): string[] => {
  const requestId = randomUUID();
  const time = new Date().toISOString();
  const tracing = o.traced
    ? { tracing: { spanId: randomBytes(8).toString('hex'), type: 'X-Amzn-Trace-Id', value: traceId() } }
    : {};
  return [
    JSON.stringify({ time, type: 'platform.start', record: { requestId, version: '$LATEST', ...tracing } }),
    JSON.stringify({
      time,
      type: 'platform.report',
      record: {
        requestId,
        metrics: {
          durationMs: Math.round(o.durationMs * 1000) / 1000,
          billedDurationMs: Math.ceil(o.durationMs),
          memorySizeMB: o.memoryMb,
          maxMemoryUsedMB: Math.round(o.memoryMb * 0.2),
        },
        ...tracing,
        status: 'success',
      },
    }),
  ];
};

/**
 * An access-log line as API Gateway writes it: the stage's format with each `$context`
 * variable replaced by its value, `-` where a variable has none.
 *
 * @example
 * accessLogLine({ status: '$context.status' }, { '$context.status': '201' }) // '{"status":"201"}'
 */
export const accessLogLine = (
  format: Readonly<Record<string, string>>,
  values: Readonly<Record<string, string>>,
): string =>
  JSON.stringify(
    Object.fromEntries(Object.entries(format).map(([field, variable]) => [field, values[variable] ?? '-'])),
  );

/** The `$context` values of an accepted `POST /v1/events` (201) behind the HTTP API. */
export const acceptedEventContext = (o: {
  tenantId: string;
  responseLength: number;
  latencyMs: number;
}): Record<string, string> => ({
  '$context.requestId': `${randomBytes(10).toString('base64').slice(0, 14)}=`,
  '$context.extendedRequestId': `${randomBytes(10).toString('base64').slice(0, 14)}=`,
  '$context.requestTime': '06/Dec/2026:10:53:01 +0000',
  '$context.requestTimeEpoch': String(Date.now()),
  '$context.identity.sourceIp': '203.0.113.45',
  '$context.httpMethod': 'POST',
  '$context.routeKey': 'POST /v1/events',
  '$context.resourcePath': '/v1/events',
  '$context.path': '/v1/events',
  '$context.status': '201',
  '$context.responseLength': String(o.responseLength),
  '$context.responseLatency': String(Math.round(o.latencyMs) + 3),
  '$context.integration.latency': String(Math.round(o.latencyMs)),
  '$context.integration.status': '201',
  '$context.integrationLatency': String(Math.round(o.latencyMs)),
  '$context.authorizer.tenant_id': o.tenantId,
  '$context.authorizer.status': '200',
  '$context.authorizer.latency': '0',
});
