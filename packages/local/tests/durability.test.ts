import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from '@jest/globals';
import { localDurability } from '../src/dynamodb-local.js';
import { relaxFauxqsSync } from '../src/fauxqs-sync.js';

/*
 * How the local platform writes its data folder: every write reaches the kernel before the
 * emulators answer (a SIGKILL loses nothing), without waiting for the disk on each one.
 */
describe('local durability', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookrelay-durability-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("fauxqs's store, once switched to WAL, commits without an fsync each time", async () => {
    const before = new DatabaseSync(join(dir, 'before.db'));
    // Through a statement, not exec: another test file of this process may have relaxed exec
    // already (the prototype is the process's).
    before.prepare('PRAGMA journal_mode = WAL').get();
    // SQLite's default: FULL (2).
    expect(before.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 });
    before.close();

    await relaxFauxqsSync();
    const after = new DatabaseSync(join(dir, 'after.db'));
    after.exec('PRAGMA journal_mode = WAL');
    // NORMAL (1): the WAL is written on each commit and synced at checkpoints.
    expect(after.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 1 });
    // Any other statement runs as before.
    after.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
    after.exec("INSERT INTO t VALUES ('a')");
    expect(after.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    after.close();
  });

  it('DynamoDB Local skips fsync only where libeatmydata is installed, and LOCAL_FSYNC=1 keeps it', () => {
    const debian = (file: string) => file === '/usr/lib/x86_64-linux-gnu/libeatmydata.so';
    expect(localDurability({}, debian)).toEqual({
      mode: 'process',
      preload: '/usr/lib/x86_64-linux-gnu/libeatmydata.so',
    });
    expect(localDurability({}, () => false)).toEqual({ mode: 'disk' });
    expect(localDurability({ LOCAL_FSYNC: '1' }, debian)).toEqual({ mode: 'disk' });
  });
});
