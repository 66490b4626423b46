import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  awsCallsPerDelivery,
  type CpuSnapshot,
  cpuBreakdown,
  cpuSnapshot,
  parseStat,
  roleOf,
  watchedProcesses,
} from '../../bench/src/cpu-accounting.js';

/** A `stat` line as the kernel writes it, with the fields the accounting reads. */
const stat = (pid: number, name: string, pgrp: number, utime: number, stime: number) =>
  `${pid} (${name}) S 1 ${pgrp} ${pgrp} 0 -1 4194560 100 0 0 0 ${utime} ${stime} 0 0 20 0 8 0 100 0 0\n`;

/** A fake /proc: each process with its threads (`[tid, name, utime, stime]`), the machine's line. */
const fakeProc = (
  dir: string,
  processes: { pid: number; name: string; pgrp: number; threads: [number, string, number, number][] }[],
  machine: { busy: number; idle: number },
  loadavg: number,
) => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const p of processes) {
    const u = p.threads.reduce((a, t) => a + t[2], 0);
    const s = p.threads.reduce((a, t) => a + t[3], 0);
    mkdirSync(join(dir, String(p.pid), 'task'), { recursive: true });
    writeFileSync(join(dir, String(p.pid), 'stat'), stat(p.pid, p.name, p.pgrp, u, s));
    for (const [tid, name, ut, st] of p.threads) {
      mkdirSync(join(dir, String(p.pid), 'task', String(tid)));
      writeFileSync(join(dir, String(p.pid), 'task', String(tid), 'stat'), stat(tid, name, p.pgrp, ut, st));
    }
  }
  writeFileSync(join(dir, 'stat'), `cpu  ${machine.busy} 0 0 ${machine.idle} 0 0 0 0 0 0\ncpu0 1 2 3 4\n`);
  writeFileSync(join(dir, 'loadavg'), `${loadavg} 1.00 1.00 2/300 1234\n`);
};

describe('cpu accounting', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'cpu-accounting-')), 'proc');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a stat line whose name has spaces and parentheses', () => {
    expect(parseStat(stat(7, 'V8 (Worker) x', 42, 120, 30))).toEqual({
      name: 'V8 (Worker) x',
      pgrp: 42,
      ticks: 150,
    });
    expect(parseStat('garbage')).toBeUndefined();
  });

  it('gives each thread its role by its process and its name', () => {
    expect(roleOf('platform', 'MainThread')).toBe('platform_main_thread');
    expect(roleOf('platform', 'fn:worker')).toBe('lambda_instances');
    expect(roleOf('platform', 'fn:inbound-proc')).toBe('lambda_instances');
    expect(roleOf('platform', 'engine:fauxqs')).toBe('platform_fauxqs');
    expect(roleOf('platform', 'engine:iam-front')).toBe('platform_iam_front');
    expect(roleOf('platform', 'V8Worker')).toBe('platform_helpers');
    expect(roleOf('platform', 'libuv-worker')).toBe('platform_helpers');
    expect(roleOf('dynamodb', 'C2 CompilerThre')).toBe('dynamodb_local');
    expect(roleOf('bench', 'MainThread')).toBe('bench_driver_and_endpoints');
  });

  it('finds the platform group and its java, and counts each role over the window per delivery', () => {
    const platform = (mainTicks: number, instances: [number, string, number, number][]) => ({
      pid: 100,
      name: 'node',
      pgrp: 100,
      threads: [[100, 'MainThread', mainTicks, 0], [101, 'V8Worker', 10, 0], ...instances] as [
        number,
        string,
        number,
        number,
      ][],
    });
    const java = (ticks: number) => ({
      pid: 200,
      name: 'java',
      pgrp: 100,
      threads: [
        [200, 'java', 0, 0],
        [201, 'C2 CompilerThre', ticks, 0],
      ] as [number, string, number, number][],
    });
    const bench = (ticks: number) => ({
      pid: 300,
      name: 'node',
      pgrp: 300,
      threads: [[300, 'MainThread', ticks, 0]] as [number, string, number, number][],
    });
    const other = {
      pid: 400,
      name: 'node',
      pgrp: 400,
      threads: [[400, 'MainThread', 999, 0]] as [number, string, number, number][],
    };

    fakeProc(
      dir,
      [
        platform(1000, [
          [102, 'fn:worker', 300, 100],
          [103, 'fn:worker', 50, 0],
        ]),
        java(500),
        bench(80),
        other,
      ],
      { busy: 10_000, idle: 5_000 },
      3.5,
    );
    const watched = watchedProcesses(100, 300, dir);
    expect(watched).toEqual(
      expect.arrayContaining([
        { pid: 100, kind: 'platform' },
        { pid: 200, kind: 'dynamodb' },
        { pid: 300, kind: 'bench' },
      ]),
    );
    expect(watched).toHaveLength(3);
    const start: CpuSnapshot = { ...cpuSnapshot(watched, dir), at: 0 };

    // Ten seconds later: the main thread spent 400 ticks, instance 102 200 (100 user, 100 system),
    // instance 103 ended (its 50 ticks before and 30 more stay in the process's total), instance
    // 104 started and spent 70, java 250, the bench 20; the helpers nothing.
    const later = platform(1400, [
      [102, 'fn:worker', 400, 200],
      [104, 'fn:worker', 70, 0],
    ]);
    fakeProc(dir, [later, java(750), bench(100), other], { busy: 11_500, idle: 6_500 }, 4.25);
    // The process's total keeps what its exited thread spent: 50 before the window, 30 in it.
    writeFileSync(join(dir, '100', 'stat'), stat(100, 'node', 100, 1400 + 10 + 600 + 70 + 50 + 30, 0));
    const end: CpuSnapshot = { ...cpuSnapshot(watched, dir), at: 10_000 };

    const breakdown = cpuBreakdown(start, end, 200);
    expect(breakdown.cpu_s).toEqual({
      platform_main_thread: 4,
      lambda_instances: 2.7,
      dynamodb_local: 2.5,
      exited_threads: 0.3,
      bench_driver_and_endpoints: 0.2,
      platform_helpers: 0,
    });
    expect(breakdown.total_cpu_s).toBe(9.7);
    // 4 s of the main thread over 200 deliveries: 20 ms each.
    expect(breakdown.cpu_ms_per_delivery.platform_main_thread).toBe(20);
    expect(breakdown.total_cpu_ms_per_delivery).toBe(48.5);
    expect(breakdown.cores_used).toBe(0.97);
    // 3,000 ticks in 10 s: three cores; 1,500 of them busy, half of the three.
    expect(breakdown.machine_cores_busy).toBe(1.5);
    expect(breakdown.loadavg).toEqual({ start: 3.5, end: 4.25 });
    expect(breakdown.window_s).toBe(10);
  });

  it('reports no CPU per delivery when nothing was delivered', () => {
    fakeProc(
      dir,
      [{ pid: 5, name: 'node', pgrp: 5, threads: [[5, 'MainThread', 10, 0]] }],
      { busy: 0, idle: 0 },
      0,
    );
    const snap = cpuSnapshot([{ pid: 5, kind: 'platform' }], dir);
    expect(cpuBreakdown(snap, { ...snap, at: snap.at + 1000 }, 0).total_cpu_ms_per_delivery).toBe(0);
  });

  it('counts the AWS calls made between two counts, per delivery, most first', () => {
    const calls = awsCallsPerDelivery(
      { 'worker UpdateItem': 10, 'worker ReceiveMessage': 5, 'api PutItem': 3 },
      {
        'worker UpdateItem': 30,
        'worker ReceiveMessage': 45,
        'api PutItem': 3,
        'api TransactWriteItems': 10,
      },
      20,
    );
    expect(calls).toEqual({
      total: 3.5,
      'worker ReceiveMessage': 2,
      'worker UpdateItem': 1,
      'api TransactWriteItems': 0.5,
    });
    expect(Object.keys(calls)).toEqual([
      'total',
      'worker ReceiveMessage',
      'worker UpdateItem',
      'api TransactWriteItems',
    ]);
  });
});
