import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES, type ServiceName } from './function-access.js';

/** The folder each function is deployed from (its `dist/`, holding `handler.mjs`). */
export type BundleDirs = Readonly<Record<ServiceName, string>>;

/** The file in each bundle folder that Lambda loads; its `handler` export is the entry point. */
export const BUNDLE_ENTRY = 'handler.mjs';

/** `services/<name>/dist` for every function, under the repository root. */
export const serviceBundleDirs = (repoRoot: string): BundleDirs =>
  Object.fromEntries(
    SERVICES.map((service) => [service, join(repoRoot, 'services', service, 'dist')]),
  ) as Record<ServiceName, string>;

/**
 * Fails with one message naming every missing bundle, so a synth never packages an empty or
 * stale folder without saying so.
 */
export const assertBundles = (dirs: BundleDirs, services: readonly ServiceName[] = SERVICES): void => {
  const missing = services
    .map((service) => join(dirs[service], BUNDLE_ENTRY))
    .filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `Lambda bundles missing: ${missing.join(', ')}. Build them first with \`pnpm run build\` (\`make synth\` does).`,
    );
  }
};
