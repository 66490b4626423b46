import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startPlatform } from './platform.js';
import { portalLinks, seedTenants } from './seed.js';

// `make dev`: the whole platform in the foreground, one JSON log stream, clean Ctrl-C.
const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  return raw ? Number.parseInt(raw, 10) : fallback;
};
const inMemory = process.env.DEV_IN_MEMORY === '1';
const dataDir = inMemory ? undefined : resolve(process.env.DEV_DATA_DIR ?? '.data');
const log = (entry: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ timestamp: new Date().toISOString(), ...entry })}\n`);

const adminKey = ((): string => {
  if (process.env.ADMIN_API_KEY) return process.env.ADMIN_API_KEY;
  const file = dataDir ? join(dataDir, 'admin-key') : undefined;
  if (file && existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = `hr_admin_${randomBytes(24).toString('base64url')}`;
  if (file && dataDir) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, key, { mode: 0o600 });
  }
  return key;
})();

const keysFile = dataDir ? join(dataDir, 'seed-keys.json') : undefined;

// Set once the platform runs: a start that fails after it (seeding, say) stops what it started,
// so that no engine is left holding its port for the next start.
let started: { stop(): Promise<void> } | undefined;

const main = async () => {
  const platform = await startPlatform({
    apiPort: int('API_PORT', 3000),
    receiverPort: int('RECEIVER_PORT', 3001),
    ingestPort: int('INGEST_PORT', 3002),
    dynamodbPort: int('DYNAMODB_PORT', 8000),
    sqsPort: int('SQS_PORT', 4566),
    ...(dataDir ? { dataDir } : {}),
    adminKey,
    sweepIntervalMs: int('SWEEP_INTERVAL_MS', 60_000),
    ...(process.env.VISIBILITY_TIMEOUT_SECONDS
      ? { visibilityTimeoutSeconds: int('VISIBILITY_TIMEOUT_SECONDS', 180) }
      : {}),
    releaseHeldOnStart: process.env.DEV_RELEASE_HELD === '1',
    log,
  });
  started = platform;
  log({ service: 'platform', message: 'event source mappings', topology: platform.topology });
  // What the functions sent to SQS and used so far, for a run that counts them (the soak).
  const statsEvery = int('STATS_INTERVAL_MS', 0);
  if (statsEvery > 0) {
    setInterval(
      () =>
        log({
          service: 'platform',
          message: 'stats',
          messages_sent: platform.messagesSent(),
          usage: platform.usage(),
          event_loop: platform.eventLoop(),
          aws_calls: platform.awsCalls(),
          instances: platform.instances(),
        }),
      statsEvery,
    ).unref();
  }
  // LOCAL_CPU_PROFILE=<file>: SIGUSR2 starts a CPU profile of this thread, the next one writes it
  // there (the soak takes one over its steady state; bench/src/profile-split.ts reads it).
  const profileFile = process.env.LOCAL_CPU_PROFILE;
  if (profileFile) {
    const { Session } = await import('node:inspector/promises');
    let session: InstanceType<typeof Session> | undefined;
    process.on('SIGUSR2', async () => {
      if (!session) {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 1000 });
        await session.post('Profiler.start');
        return;
      }
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(profileFile, JSON.stringify(profile));
      session.disconnect();
      session = undefined;
      log({ service: 'platform', message: 'cpu profile written', file: profileFile });
    });
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ service: 'platform', message: `${signal}: stopping` });
    platform.stop().then(
      () => {
        log({ service: 'platform', message: 'stopped' });
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const seeded = await seedTenants(platform.apiUrl, adminKey, platform.receiverUrl);
  const known: Record<string, string> =
    keysFile && existsSync(keysFile) ? JSON.parse(readFileSync(keysFile, 'utf8')) : {};
  for (const s of seeded) if (s.api_key) known[s.tenant_id] = s.api_key;
  for (const s of seeded) {
    if (s.skipped)
      log({
        service: 'seed',
        level: 'WARN',
        message: `seeded ${s.tenant_id} without its webhook: ${s.skipped}`,
      });
  }
  const skipped = seeded.filter((s) => s.skipped);
  if (keysFile) writeFileSync(keysFile, JSON.stringify(known, null, 2), { mode: 0o600 });

  const first = known['test-tenant'] ?? '<test-tenant key>';
  const portals = await portalLinks(platform.apiUrl, known);
  const lines = [
    '',
    'Hookrelay is running (Ctrl-C stops it)',
    `  API         ${platform.apiUrl}   docs: ${platform.apiUrl}/v1/docs`,
    `  Receiver    ${platform.receiverUrl}`,
    `  Inbound     ${platform.ingestUrl}/in/{token}   (sources: POST /v1/sources; docs/inbound.md)`,
    `  DynamoDB    ${platform.dynamodbEndpoint}    SQS: ${platform.sqsEndpoint}`,
    `  Data        ${dataDir ?? 'in memory (DEV_IN_MEMORY=1)'}`,
    `  Admin key   ${adminKey}`,
    ...Object.entries(known).map(([t, k]) => `  ${t.padEnd(11)} ${k}`),
    '',
    'Tenant portal (a link per tenant, valid for a day; docs/portal.md):',
    ...portals.map((p) => `  ${p.tenant_id.padEnd(11)} ${p.url ?? `no link: ${p.error}`}`),
    ...(skipped.length > 0
      ? [
          '',
          `Skipped: no webhook on the receiver for ${skipped.map((s) => s.tenant_id).join(', ')}: DESTINATION_ALLOWLIST`,
          `  is "${process.env.DESTINATION_ALLOWLIST ?? ''}" and loopback is refused, as in production (docs/local.md).`,
        ]
      : []),
    '',
    'Send a first event:',
    `  curl -s -X POST ${platform.apiUrl}/v1/events -H "Authorization: Bearer ${first}" \\`,
    `    -H "Content-Type: application/json" -d '{"type":"order.created","data":{"order_id":"o_1"}}'`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
};

main().catch(async (error) => {
  log({
    service: 'platform',
    level: 'ERROR',
    message: 'failed to start',
    error: String(error?.stack ?? error),
  });
  await started?.stop().catch(() => undefined);
  process.exit(1);
});
