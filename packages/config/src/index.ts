/**
 * Reads configuration once, at init, and fails fast naming every missing variable.
 *
 * @example
 * const config = readConfig({ table: required('DATA_TABLE'), timeoutMs: optionalInt('TIMEOUT_MS', 10_000) });
 */
export class ConfigError extends Error {}

type Reader<T> = (env: NodeJS.ProcessEnv) => T | ConfigError;

export const required =
  (name: string): Reader<string> =>
  (env) => {
    const value = env[name];
    return value === undefined || value === '' ? new ConfigError(name) : value;
  };

export const optional =
  (name: string, fallback: string): Reader<string> =>
  (env) =>
    env[name] ?? fallback;

export const optionalInt =
  (name: string, fallback: number): Reader<number> =>
  (env) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    return Number.isInteger(value) ? value : new ConfigError(`${name} (not an integer: "${raw}")`);
  };

/**
 * One of a few values (numbers or words), `fallback` when absent; anything else is named as
 * invalid.
 *
 * @example
 * readConfig({ lanes: optionalChoice('DELIVERY_LANES', [1, 2] as const, 2) }) // { lanes: 2 }
 */
export const optionalChoice =
  <T extends number | string>(name: string, choices: readonly T[], fallback: T): Reader<T> =>
  (env) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    return (
      choices.find((choice) => String(choice) === raw) ??
      new ConfigError(`${name} (${choices.join(' or ')}, not "${raw}")`)
    );
  };

export const optionalBool =
  (name: string, fallback: boolean): Reader<boolean> =>
  (env) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    return raw === '1' || raw.toLowerCase() === 'true';
  };

export const readConfig = <S extends Record<string, Reader<unknown>>>(
  spec: S,
  env: NodeJS.ProcessEnv = process.env,
): { [K in keyof S]: Exclude<ReturnType<S[K]>, ConfigError> } => {
  const missing: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, read] of Object.entries(spec)) {
    const value = read(env);
    if (value instanceof ConfigError) missing.push(value.message);
    else out[key] = value;
  }
  if (missing.length > 0) throw new ConfigError(`Missing or invalid configuration: ${missing.join(', ')}`);
  return out as { [K in keyof S]: Exclude<ReturnType<S[K]>, ConfigError> };
};
