import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { seedTenants } from '@hookrelay/local';
import { type Env, envValue, UsageError } from './stage-target.js';

/** Where `make seed` sends its requests, and where it remembers the keys it was shown. */
interface SeedSettings {
  readonly apiUrl: string;
  readonly adminKey: string;
  readonly receiverUrl: string;
  /** Keys are shown once, at creation; this file keeps them for the next run (local only). */
  readonly keysFile?: string;
}

export interface SeedReport {
  readonly api_url: string;
  readonly receiver_url: string;
  readonly tenants: readonly {
    readonly tenant_id: string;
    readonly created: boolean;
    /** Null when the tenant existed and its key was not kept (it was printed when created). */
    readonly api_key: string | null;
    /** The default webhook, on `${receiver_url}/{tenant_id}/webhook`, when this run made it. */
    readonly webhook_id?: string;
  }[];
}

/**
 * Reads the seed settings. On `STAGE=local` everything has the `make dev` default:
 * API http://127.0.0.1:${API_PORT:-3000}, receiver http://127.0.0.1:${RECEIVER_PORT:-3001}, the
 * admin key from ADMIN_API_KEY or `${DEV_DATA_DIR:-.data}/admin-key`. Other stages need
 * API_URL, ADMIN_API_KEY and RECEIVER_URL.
 */
export const seedSettingsFromEnv = (env: Env, stage: string, cwd: string): SeedSettings => {
  const local = stage === 'local';
  const dataDir = resolve(cwd, envValue(env, 'DEV_DATA_DIR') ?? '.data');
  const apiUrl =
    envValue(env, 'API_URL') ??
    (local ? `http://127.0.0.1:${envValue(env, 'API_PORT') ?? '3000'}` : undefined);
  const receiverUrl =
    envValue(env, 'RECEIVER_URL') ??
    (local ? `http://127.0.0.1:${envValue(env, 'RECEIVER_PORT') ?? '3001'}` : undefined);
  const keyFile = join(dataDir, 'admin-key');
  const adminKey =
    envValue(env, 'ADMIN_API_KEY') ??
    (local && existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
  const missing = [
    ...(apiUrl ? [] : ['API_URL']),
    ...(adminKey ? [] : [local ? `ADMIN_API_KEY (or ${keyFile})` : 'ADMIN_API_KEY']),
    ...(receiverUrl ? [] : ['RECEIVER_URL']),
  ];
  if (!apiUrl || !adminKey || !receiverUrl) {
    throw new UsageError(`make seed STAGE=${stage} needs ${missing.join(', ')}.`);
  }
  const keysFile = envValue(env, 'SEED_KEYS_FILE') ?? (local ? join(dataDir, 'seed-keys.json') : undefined);
  return {
    apiUrl: apiUrl.replace(/\/+$/, ''),
    adminKey,
    receiverUrl: receiverUrl.replace(/\/+$/, ''),
    ...(keysFile ? { keysFile } : {}),
  };
};

const readKeys = (file: string | undefined): Record<string, string> => {
  if (!file || !existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  } catch {
    // A damaged keys file only loses the reminder of old keys; seeding itself goes on.
    return {};
  }
};

/**
 * Creates the seed tenants (`test-tenant`, `acme`, `globex`) with a default webhook on the
 * reference receiver; existing ones are left alone, so running it again changes nothing.
 *
 * @example
 * await seed({ apiUrl: 'http://127.0.0.1:3000', adminKey, receiverUrl: 'http://127.0.0.1:3001' })
 * // { tenants: [{ tenant_id: 'test-tenant', created: true, api_key: 'hr_...', ... }, ...] }
 */
export const seed = async (settings: SeedSettings): Promise<SeedReport> => {
  const seeded = await seedTenants(settings.apiUrl, settings.adminKey, settings.receiverUrl);
  const known = readKeys(settings.keysFile);
  for (const s of seeded) if (s.api_key) known[s.tenant_id] = s.api_key;
  if (settings.keysFile && seeded.some((s) => s.api_key)) {
    mkdirSync(dirname(settings.keysFile), { recursive: true });
    writeFileSync(settings.keysFile, `${JSON.stringify(known, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    api_url: settings.apiUrl,
    receiver_url: settings.receiverUrl,
    tenants: seeded.map((s) => ({
      tenant_id: s.tenant_id,
      created: s.created,
      api_key: s.api_key ?? known[s.tenant_id] ?? null,
      ...(s.webhook_id ? { webhook_id: s.webhook_id } : {}),
    })),
  };
};
