import { describe, expect, it } from '@jest/globals';
import { formatDeadLetters, requeueLine } from '../src/dead-letter-commands.js';
import { seedSettingsFromEnv } from '../src/seed-command.js';
import { targetFromEnv, UsageError } from '../src/stage-target.js';

describe('targetFromEnv', () => {
  it('defaults to the running make dev: stage local on the default emulator ports', () => {
    expect(targetFromEnv({})).toEqual({
      kind: 'emulators',
      stage: 'local',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      sqsEndpoint: 'http://127.0.0.1:4566',
    });
  });

  it('follows DYNAMODB_PORT, SQS_PORT and LOCAL_STAGE, treating empty values as unset', () => {
    expect(
      targetFromEnv({ STAGE: 'local', DYNAMODB_PORT: '8100', SQS_PORT: '', LOCAL_STAGE: 'tabc' }),
    ).toEqual({
      kind: 'emulators',
      stage: 'tabc',
      dynamodbEndpoint: 'http://127.0.0.1:8100',
      sqsEndpoint: 'http://127.0.0.1:4566',
    });
  });

  it('takes a stage on explicit emulator endpoints, and --stage over STAGE', () => {
    const env = {
      STAGE: 'ignored',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:1',
      SQS_ENDPOINT: 'http://127.0.0.1:2',
    };
    expect(targetFromEnv(env, 'tdeadbeef')).toEqual({
      kind: 'emulators',
      stage: 'tdeadbeef',
      dynamodbEndpoint: 'http://127.0.0.1:1',
      sqsEndpoint: 'http://127.0.0.1:2',
    });
  });

  it('any other stage is AWS, with the region from the environment when given', () => {
    expect(targetFromEnv({ STAGE: 'prod', AWS_REGION: 'eu-west-1' })).toEqual({
      kind: 'aws',
      stage: 'prod',
      region: 'eu-west-1',
    });
    expect(targetFromEnv({ STAGE: 'staging' })).toEqual({ kind: 'aws', stage: 'staging' });
  });

  it('refuses a malformed stage or port with a usage error', () => {
    expect(() => targetFromEnv({ STAGE: 'Prod; rm -rf' })).toThrow(UsageError);
    expect(() => targetFromEnv({ SQS_PORT: '99999' })).toThrow('SQS_PORT must be a port number');
  });
});

describe('seedSettingsFromEnv', () => {
  it('names every missing setting on a cloud stage', () => {
    expect(() => seedSettingsFromEnv({ API_URL: 'https://api.example.com' }, 'prod', '/tmp')).toThrow(
      'make seed STAGE=prod needs ADMIN_API_KEY, RECEIVER_URL.',
    );
  });

  it('uses the make dev defaults locally, keeping keys under DEV_DATA_DIR', () => {
    expect(seedSettingsFromEnv({ ADMIN_API_KEY: 'hr_admin_x', API_PORT: '3100' }, 'local', '/repo')).toEqual({
      apiUrl: 'http://127.0.0.1:3100',
      adminKey: 'hr_admin_x',
      receiverUrl: 'http://127.0.0.1:3001',
      keysFile: '/repo/.data/seed-keys.json',
    });
  });
});

describe('output', () => {
  it('prints the requeue result exactly as documented', () => {
    expect(requeueLine({ requeued: 3, failed: 0 })).toBe('{"requeued": 3, "failed": 0}');
  });

  it('shows an empty DLQ in one line and messages as an aligned table', () => {
    expect(
      formatDeadLetters({ queue: 'hookrelay-webhook-deliveries-dlq-local', count: 0, messages: [] }),
    ).toBe('hookrelay-webhook-deliveries-dlq-local is empty.\n');
    const table = formatDeadLetters({
      queue: 'hookrelay-webhook-deliveries-dlq-local',
      count: 2,
      messages: [
        {
          message_id: 'm1',
          tenant_id: 'acme',
          event_id: 'evt_1',
          webhook_id: 'wh_1',
          attempts: 8,
          failed_at: '2026-01-01T00:00:00.000Z',
          last_error: 'timeout: no answer\nwithin 10 s',
          reason: 'exhausted',
          receive_count: 1,
        },
        { message_id: 'm2', reason: 'unreadable', receive_count: 3 },
      ],
    });
    expect(table.split('\n')).toEqual([
      'TENANT  EVENT  WEBHOOK  ATTEMPTS  FAILED AT                 LAST ERROR',
      'acme    evt_1  wh_1     8         2026-01-01T00:00:00.000Z  timeout: no answer within 10 s',
      '-       -      -        -         -                         unreadable',
      '',
      '2 messages in hookrelay-webhook-deliveries-dlq-local (peeked, not consumed)',
      '',
    ]);
  });
});
