import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_SWEEP_GRACE_MS,
  INBOUND_ENV,
  inboundBucket,
  inboundEnvironment,
  resourceName,
  stageEnvironment,
} from '@hookrelay/definitions';
import { DEFAULT_RETRY_SCHEDULE } from '@hookrelay/domain';
import type { PlatformOptions } from './platform-options.js';

const persistentSecret = (dataDir: string | undefined, name: string): string => {
  if (!dataDir) return randomBytes(32).toString('base64url');
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = randomBytes(32).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, value, { mode: 0o600 });
  return value;
};

/** The local archive bucket of a stage. */
export const localBucket = (stage: string): string => resourceName(inboundBucket.baseName, stage);

/** The environment every in-process Lambda gets: endpoints, names, stage settings. */
export const platformEnv = (
  options: PlatformOptions,
  endpoints: { dynamodb: string; sqs: string; eventbridge?: string; ingest?: string },
  queueUrls: Record<string, string>,
): Record<string, string> => {
  const stage = options.stage ?? 'local';
  const byName = (name: string) => Object.values(queueUrls).find((u) => u.endsWith(`/${name}`)) ?? name;
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    // fauxqs is S3 too; path-style addressing avoids bucket subdomains of 127.0.0.1.
    AWS_ENDPOINT_URL_S3: endpoints.sqs,
    S3_FORCE_PATH_STYLE: 'true',
    ...(endpoints.eventbridge ? { AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventbridge } : {}),
    STAGE: stage,
    ...stageEnvironment(stage, byName, options.deliveryLanes),
    ...inboundEnvironment(stage, byName, localBucket(stage)),
    ...(endpoints.ingest ? { [INBOUND_ENV.ingestBaseUrl]: endpoints.ingest } : {}),
    [INBOUND_ENV.archive]: options.inboundArchive ?? process.env[INBOUND_ENV.archive] ?? 'ingest',
    ADMIN_API_KEY: options.adminKey,
    CURSOR_SECRET: persistentSecret(options.dataDir, 'cursor-secret'),
    RETRY_SCHEDULE: options.retrySchedule ?? process.env.RETRY_SCHEDULE ?? DEFAULT_RETRY_SCHEDULE,
    DESTINATION_ALLOWLIST: options.allowlist ?? process.env.DESTINATION_ALLOWLIST ?? '127.0.0.0/8,::1/128',
    SWEEP_GRACE_MS: String(options.sweepGraceMs ?? DEFAULT_SWEEP_GRACE_MS),
    DELIVERY_TIMEOUT_MS: String(options.deliveryTimeoutMs ?? 10_000),
    HTTPS_ONLY: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    // Nothing is traced here, yet on import the X-Ray SDK under Powertools Tracer starts
    // following every promise of the process with an async hook (its automatic mode): about a
    // tenth of the platform's CPU under load (docs/benchmarks.md, section 3b). On AWS only the
    // traced functions load it, each in its own Lambda.
    AWS_XRAY_MANUAL_MODE: '1',
    POWERTOOLS_DEV: 'false',
    AWS_LAMBDA_FUNCTION_NAME: 'local',
    ...(options.extraEnv ?? {}),
  };
};
