import { DEFAULT_SWEEP_GRACE_MS } from '@hookrelay/definitions';
import { optional, optionalBool, optionalInt } from './index.js';

/**
 * The settings several functions share, each read the same way everywhere: a handler spreads
 * the groups it needs into its one `readConfig` call at init.
 *
 * @example
 * const config = readConfig({ dataTable: required(ENV.dataTable), ...eventStoreSettings });
 * config.sweepGraceMs // 240000 unless SWEEP_GRACE_MS says otherwise
 */
export const eventStoreSettings = {
  /** How long records live before DynamoDB's TTL removes them. */
  retentionDays: optionalInt('RETENTION_DAYS', 30),
  /** How long past its due time a pending delivery may go unseen before the sweeper acts. */
  sweepGraceMs: optionalInt('SWEEP_GRACE_MS', DEFAULT_SWEEP_GRACE_MS),
};

/** How deliveries are sent: the per-attempt deadline and where they may go. */
export const senderSettings = {
  timeoutMs: optionalInt('DELIVERY_TIMEOUT_MS', 10_000),
  httpsOnly: optionalBool('HTTPS_ONLY', false),
  allowlist: optional('DESTINATION_ALLOWLIST', ''),
};
