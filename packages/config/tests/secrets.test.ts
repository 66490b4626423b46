import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetParameterCommand, type GetParameterCommandInput, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../src/index.js';
import {
  type ParameterFetcher,
  requiredSecret,
  secretFromEnv,
  secretFromParameter,
  ssmParameterFetcher,
} from '../src/secrets.js';

/** A fetcher over a map of parameters that records each read. */
const fakeSsm = (parameters: Record<string, string>) => {
  const reads: { name: string; maxAge: number }[] = [];
  const fetch: ParameterFetcher = async (name, maxAge) => {
    reads.push({ name, maxAge });
    const value = parameters[name];
    if (value === undefined) throw Object.assign(new Error('not found'), { name: 'ParameterNotFound' });
    return value;
  };
  return { fetch, reads, parameters };
};

describe('secretFromEnv', () => {
  it('reads the value from the parameter the environment names, at once and then on demand', async () => {
    const ssm = fakeSsm({ '/hookrelay/prod/admin-api-key': 'hr_admin_one' });
    const env = { ADMIN_API_KEY_PARAMETER: '/hookrelay/prod/admin-api-key' };
    const secret = await secretFromEnv('ADMIN_API_KEY', { env, fetch: ssm.fetch, maxAgeSeconds: 60 });
    expect(ssm.reads).toEqual([{ name: '/hookrelay/prod/admin-api-key', maxAge: 60 }]);
    expect(secret?.source).toBe('ssm:/hookrelay/prod/admin-api-key');
    ssm.parameters['/hookrelay/prod/admin-api-key'] = 'hr_admin_two';
    await expect(secret?.value()).resolves.toBe('hr_admin_two');
    expect(ssm.reads).toHaveLength(2);
  });

  it('keeps the last value when SSM cannot be read after init', async () => {
    const ssm = fakeSsm({ '/k': 'first' });
    const secret = await secretFromEnv('ADMIN_API_KEY', {
      env: { ADMIN_API_KEY_PARAMETER: '/k' },
      fetch: ssm.fetch,
    });
    delete ssm.parameters['/k'];
    await expect(secret?.value()).resolves.toBe('first');
    ssm.parameters['/k'] = 'second';
    await expect(secret?.value()).resolves.toBe('second');
  });

  it('prefers the parameter over a value in the environment', async () => {
    const ssm = fakeSsm({ '/p': 'from-ssm' });
    const secret = await secretFromEnv('CURSOR_SECRET', {
      env: { CURSOR_SECRET_PARAMETER: '/p', CURSOR_SECRET: 'from-env' },
      fetch: ssm.fetch,
    });
    await expect(secret?.value()).resolves.toBe('from-ssm');
  });

  it('takes the value from the environment when no parameter is named (the local platform)', async () => {
    const ssm = fakeSsm({});
    const secret = await secretFromEnv('CURSOR_SECRET', {
      env: { CURSOR_SECRET: 'local' },
      fetch: ssm.fetch,
    });
    await expect(secret?.value()).resolves.toBe('local');
    expect(secret?.source).toBe('env:CURSOR_SECRET');
    expect(ssm.reads).toHaveLength(0);
    await expect(secretFromEnv('CURSOR_SECRET', { env: {}, fetch: ssm.fetch })).resolves.toBeUndefined();
  });

  it('fails at init, naming the parameter, when it cannot be read or is empty', async () => {
    const ssm = fakeSsm({ '/empty': ' ' });
    const missing = secretFromEnv('ADMIN_API_KEY', {
      env: { ADMIN_API_KEY_PARAMETER: '/hookrelay/prod/admin-api-key' },
      fetch: ssm.fetch,
    });
    await expect(missing).rejects.toThrow(ConfigError);
    await expect(missing).rejects.toThrow(
      'Cannot read SSM parameter /hookrelay/prod/admin-api-key (ADMIN_API_KEY_PARAMETER): ParameterNotFound',
    );
    await expect(
      secretFromEnv('ADMIN_API_KEY', { env: { ADMIN_API_KEY_PARAMETER: '/empty' }, fetch: ssm.fetch }),
    ).rejects.toThrow('SSM parameter /empty (ADMIN_API_KEY_PARAMETER) is empty');
  });
});

describe('secretFromParameter', () => {
  it('ignores a plain value: only a parameter name counts', async () => {
    const ssm = fakeSsm({});
    await expect(
      secretFromParameter('ADMIN_API_KEY_PARAMETER', { env: { ADMIN_API_KEY: 'x' }, fetch: ssm.fetch }),
    ).resolves.toBeUndefined();
  });
});

describe('requiredSecret', () => {
  it('names both variables when neither is set', async () => {
    await expect(requiredSecret('CURSOR_SECRET', { env: {} })).rejects.toThrow(
      'Missing or invalid configuration: CURSOR_SECRET_PARAMETER or CURSOR_SECRET',
    );
  });
});

describe('ssmParameterFetcher', () => {
  /** An SSM client whose requests never leave the process: the last step answers them. */
  const recordingClient = (value: string) => {
    const inputs: GetParameterCommandInput[] = [];
    const client = new SSMClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    client.middlewareStack.add(
      () => async (args) => {
        inputs.push(args.input as GetParameterCommandInput);
        return {
          response: {},
          output: {
            $metadata: {},
            Parameter: { Name: (args.input as GetParameterCommandInput).Name, Value: value },
          },
        };
      },
      { step: 'initialize', name: 'answerLocally', priority: 'high' },
    );
    return { client, inputs };
  };

  it('asks SSM for the decrypted value and caches it for the given age', async () => {
    const { client, inputs } = recordingClient('s3cret');
    const fetch = ssmParameterFetcher(new SSMProvider({ awsSdkV3Client: client }));
    await expect(fetch('/hookrelay/dev/cursor-secret', 300)).resolves.toBe('s3cret');
    await expect(fetch('/hookrelay/dev/cursor-secret', 300)).resolves.toBe('s3cret');
    expect(inputs).toEqual([{ Name: '/hookrelay/dev/cursor-secret', WithDecryption: true }]);
    expect(new GetParameterCommand(inputs[0] ?? { Name: '' }).input.WithDecryption).toBe(true);
  });
});
