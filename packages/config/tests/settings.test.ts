import { DEFAULT_SWEEP_GRACE_MS } from '@hookrelay/definitions';
import { describe, expect, it } from '@jest/globals';
import { readConfig, required } from '../src/index.js';
import { eventStoreSettings, senderSettings } from '../src/settings.js';

describe('shared settings', () => {
  it('give every function the same defaults', () => {
    const config = readConfig(
      { table: required('DATA_TABLE'), ...eventStoreSettings, ...senderSettings },
      {
        DATA_TABLE: 't',
      },
    );
    expect(config).toEqual({
      table: 't',
      retentionDays: 30,
      sweepGraceMs: DEFAULT_SWEEP_GRACE_MS,
      timeoutMs: 10_000,
      httpsOnly: false,
      allowlist: '',
    });
  });

  it('read the environment once and name what is wrong', () => {
    expect(readConfig(eventStoreSettings, { SWEEP_GRACE_MS: '300', RETENTION_DAYS: '7' })).toEqual({
      retentionDays: 7,
      sweepGraceMs: 300,
    });
    expect(() => readConfig(eventStoreSettings, { SWEEP_GRACE_MS: 'soon' })).toThrow(/SWEEP_GRACE_MS/);
  });
});
