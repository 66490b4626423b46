/**
 * fauxqs keeps its queues in SQLite (node:sqlite, WAL) on this process's event loop, with
 * SQLite's default synchronous=FULL: every send, receive and delete waits for an fsync
 * (about 1.4 ms here) while nothing else in the platform runs. In WAL mode synchronous=NORMAL
 * still writes each change to the log before the call returns, so a platform killed with
 * SIGKILL loses nothing; only a power loss could cost the last moments. The pragma is set on
 * the connection fauxqs opens, right after it switches to WAL. `LOCAL_FSYNC=1` keeps FULL.
 */
let relaxed = false;
export const relaxFauxqsSync = async (): Promise<void> => {
  if (relaxed || process.env.LOCAL_FSYNC === '1') return;
  relaxed = true;
  const { DatabaseSync } = await import('node:sqlite');
  const exec = DatabaseSync.prototype.exec;
  DatabaseSync.prototype.exec = function (this: InstanceType<typeof DatabaseSync>, sql: string) {
    exec.call(this, sql);
    if (/^\s*PRAGMA\s+journal_mode\s*=\s*WAL\s*$/i.test(sql)) exec.call(this, 'PRAGMA synchronous = NORMAL');
  };
};
