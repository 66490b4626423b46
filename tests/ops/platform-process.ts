import { startPlatform } from '@hookrelay/local';

// A whole platform in a process of its own, for tests that stop and start it again: the
// handlers build their clients once per process, so a real restart needs a new process.
// Prints one `READY {"apiUrl","receiverUrl",...}` line once serving; SIGTERM stops it.
const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`platform-process needs ${name}`);
  return value;
};

const platform = await startPlatform({
  stage: 'local',
  apiPort: 0,
  receiverPort: 0,
  ingestPort: 0,
  dynamodbPort: Number(need('TEST_DYNAMODB_PORT')),
  sqsPort: Number(need('TEST_SQS_PORT')),
  dataDir: need('TEST_DATA_DIR'),
  adminKey: need('ADMIN_API_KEY'),
  sweepIntervalMs: 3_600_000,
  // The queues' visibility timeout, shorter than a stage's 180 s so that a test can wait it out.
  ...(process.env.TEST_VISIBILITY_SECONDS
    ? {
        visibilityTimeoutSeconds: Number(process.env.TEST_VISIBILITY_SECONDS),
        inboundVisibilityTimeoutSeconds: Number(process.env.TEST_VISIBILITY_SECONDS),
      }
    : {}),
  log: (entry) => {
    if (entry.level === 'ERROR') process.stderr.write(`${JSON.stringify(entry)}\n`);
  },
});

process.stdout.write(
  `READY ${JSON.stringify({
    apiUrl: platform.apiUrl,
    receiverUrl: platform.receiverUrl,
    dynamodbEndpoint: platform.dynamodbEndpoint,
    sqsEndpoint: platform.sqsEndpoint,
  })}\n`,
);

process.once('SIGTERM', () => {
  platform.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
