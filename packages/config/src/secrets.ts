import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { ConfigError } from './index.js';

/**
 * Reads a SecureString parameter, decrypted. Powertools Parameters caches each value for
 * `maxAgeSeconds`, so a function asking on every invocation calls SSM at most once per period.
 */
export type ParameterFetcher = (name: string, maxAgeSeconds: number) => Promise<string | undefined>;

/**
 * The fetcher over SSM Parameter Store (`ssm:GetParameter` with `WithDecryption`).
 *
 * @example
 * const fetch = ssmParameterFetcher();
 * await fetch('/hookrelay/prod/admin-api-key', 300);
 */
export const ssmParameterFetcher = (provider: SSMProvider = new SSMProvider()): ParameterFetcher => {
  return (name, maxAgeSeconds) => provider.get(name, { decrypt: true, maxAge: maxAgeSeconds });
};

/** A secret the function holds: the value is read when asked, never logged or kept in config. */
export interface Secret {
  /** Where the value comes from, for logs (never the value itself). */
  readonly source: string;
  value(): Promise<string>;
}

interface SecretOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly fetch?: ParameterFetcher;
  /** How long a value read from SSM is reused before it is read again (default 300 s). */
  readonly maxAgeSeconds?: number;
}

const DEFAULT_MAX_AGE_SECONDS = 300;

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value;

/**
 * A secret named by the SSM parameter in `parameterVariable` (what cloud stages set: the
 * function's environment holds the parameter's name, never its value). Read once here, so a
 * missing parameter or a missing permission fails the function's init, and then on demand
 * through the cache, so a rotated value is picked up within `maxAgeSeconds` (if SSM cannot be
 * reached then, the last value read is kept).
 * Returns undefined when the variable is not set.
 *
 * @example
 * const key = await secretFromParameter('ADMIN_API_KEY_PARAMETER');
 * if (key) await key.value();
 */
export const secretFromParameter = async (
  parameterVariable: string,
  options: SecretOptions = {},
): Promise<Secret | undefined> => {
  const env = options.env ?? process.env;
  const name = nonEmpty(env[parameterVariable]);
  if (!name) return undefined;
  const fetch = options.fetch ?? ssmParameterFetcher();
  const maxAge = options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
  const read = async (): Promise<string> => {
    let value: string | undefined;
    try {
      value = await fetch(name, maxAge);
    } catch (error) {
      const reason = error instanceof Error ? error.name : 'error';
      throw new ConfigError(`Cannot read SSM parameter ${name} (${parameterVariable}): ${reason}`);
    }
    const present = nonEmpty(value);
    if (!present) throw new ConfigError(`SSM parameter ${name} (${parameterVariable}) is empty`);
    return present;
  };
  // After init, an SSM outage keeps the last value rather than failing every request: a
  // rotation is then picked up late, which is better than refusing every caller.
  let last = await read();
  const current = async (): Promise<string> => {
    try {
      last = await read();
    } catch {
      // keep `last`
    }
    return last;
  };
  return { source: `ssm:${name}`, value: current };
};

/**
 * A secret from `<variable>_PARAMETER` (an SSM parameter name, on AWS) or else from
 * `<variable>` itself (the value, as the local platform sets it). Undefined when neither is set.
 *
 * @example
 * const cursor = await secretFromEnv('CURSOR_SECRET'); // CURSOR_SECRET_PARAMETER or CURSOR_SECRET
 */
export const secretFromEnv = async (
  variable: string,
  options: SecretOptions = {},
): Promise<Secret | undefined> => {
  const fromParameter = await secretFromParameter(`${variable}_PARAMETER`, options);
  if (fromParameter) return fromParameter;
  const value = nonEmpty((options.env ?? process.env)[variable]);
  if (!value) return undefined;
  return { source: `env:${variable}`, value: async () => value };
};

/** `secretFromEnv`, failing with the names of both variables when neither is set. */
export const requiredSecret = async (variable: string, options: SecretOptions = {}): Promise<Secret> => {
  const secret = await secretFromEnv(variable, options);
  if (!secret) {
    throw new ConfigError(`Missing or invalid configuration: ${variable}_PARAMETER or ${variable}`);
  }
  return secret;
};
