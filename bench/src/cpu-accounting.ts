import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where a run's CPU goes, from the kernel's own accounting (`/proc/<pid>/task/<tid>/stat`: user
 * and system time of every thread): each process of the platform's group (its node, DynamoDB
 * Local's java) and the bench's own process, each thread given a role by its name. Node names
 * a worker thread after its `name` option (the platform names its Lambda-like instances
 * `fn:<function>` and its engine threads after what they run), its main thread `MainThread`;
 * the rest of a node process (V8's GC and compiler threads, libuv's pool) are its helpers.
 * CPU time, not wall-clock time: other work on the machine slows a thread but does not add to it.
 */

/** The kernel's clock ticks a second (`getconf CLK_TCK`, 100 on Linux). */
export const CLOCK_TICKS = 100;

/** A thread's or process's `stat` line: its name and its user + system time so far, in ticks. */
export const parseStat = (line: string): { name: string; pgrp: number; ticks: number } | undefined => {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // After the name: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime.
  const rest = line
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return { name: line.slice(open + 1, close), pgrp: Number(rest[2]), ticks: utime + stime };
};

/** What a process is to the run: the platform (node), DynamoDB Local (java), the bench itself. */
export type ProcessKind = 'platform' | 'dynamodb' | 'bench';

/** The role a thread plays, by its process and its name. */
export const roleOf = (kind: ProcessKind, thread: string): string => {
  if (kind === 'dynamodb') return 'dynamodb_local';
  if (kind === 'bench') return thread === 'MainThread' ? 'bench_driver_and_endpoints' : 'bench_helpers';
  if (thread === 'MainThread') return 'platform_main_thread';
  if (thread.startsWith('fn:')) return 'lambda_instances';
  if (thread.startsWith('engine:')) return `platform_${thread.slice('engine:'.length).replace(/\W/g, '_')}`;
  return 'platform_helpers';
};

export interface ThreadCpu {
  readonly pid: number;
  readonly tid: number;
  readonly role: string;
  readonly ticks: number;
}

export interface ProcessCpu {
  readonly pid: number;
  readonly kind: ProcessKind;
  /** The whole process's time, its exited threads' included. */
  readonly ticks: number;
  readonly threads: readonly ThreadCpu[];
}

/** A moment's CPU of the processes watched. */
export interface CpuSnapshot {
  readonly at: number;
  readonly processes: readonly ProcessCpu[];
  /** The machine's busy and total ticks (all cores, `/proc/stat`): what everyone used. */
  readonly machine: { readonly busy: number; readonly total: number };
  readonly loadavg: number;
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** The ids of every process in a process group (the platform's node and its java). */
export const processGroup = (pgid: number, proc = '/proc'): number[] =>
  readdirSync(proc)
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => parseStat(read(`${proc}/${pid}/stat`) ?? '')?.pgrp === pgid)
    .map(Number);

const processCpu = (pid: number, kind: ProcessKind, proc: string): ProcessCpu | undefined => {
  const own = parseStat(read(`${proc}/${pid}/stat`) ?? '');
  if (!own) return undefined;
  let tids: string[] = [];
  try {
    tids = readdirSync(`${proc}/${pid}/task`);
  } catch {
    // gone meanwhile
  }
  const threads = tids.flatMap((tid) => {
    const stat = parseStat(read(`${proc}/${pid}/task/${tid}/stat`) ?? '');
    return stat ? [{ pid, tid: Number(tid), role: roleOf(kind, stat.name), ticks: stat.ticks }] : [];
  });
  return { pid, kind, ticks: own.ticks, threads };
};

const machineTicks = (proc: string): { busy: number; total: number } => {
  const cpu = (read(`${proc}/stat`) ?? '').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  const total = cpu.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  // idle and iowait
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return { busy: total - idle, total };
};

/** Reads the CPU of the given processes now. */
export const cpuSnapshot = (
  watched: readonly { pid: number; kind: ProcessKind }[],
  proc = '/proc',
): CpuSnapshot => ({
  at: Date.now(),
  processes: watched.flatMap(({ pid, kind }) => processCpu(pid, kind, proc) ?? []),
  machine: machineTicks(proc),
  loadavg: Number((read(`${proc}/loadavg`) ?? '0').split(' ')[0]),
});

/** The platform's group (node → platform, java → DynamoDB Local) and the bench's own process. */
export const watchedProcesses = (
  platformPgid: number,
  benchPid: number,
  proc = '/proc',
): { pid: number; kind: ProcessKind }[] => [
  ...processGroup(platformPgid, proc).map((pid) => ({
    pid,
    kind: (/java/.test(parseStat(read(`${proc}/${pid}/stat`) ?? '')?.name ?? '')
      ? 'dynamodb'
      : 'platform') as ProcessKind,
  })),
  { pid: benchPid, kind: 'bench' },
];

export interface CpuBreakdown {
  readonly window_s: number;
  readonly deliveries: number;
  /** CPU seconds by role over the window (user + system). */
  readonly cpu_s: Readonly<Record<string, number>>;
  /** CPU milliseconds by role for each delivery. */
  readonly cpu_ms_per_delivery: Readonly<Record<string, number>>;
  readonly total_cpu_s: number;
  readonly total_cpu_ms_per_delivery: number;
  /** Cores the watched processes kept busy on average over the window. */
  readonly cores_used: number;
  /** Cores the whole machine kept busy (everyone's work), for the load beside the figures. */
  readonly machine_cores_busy: number;
  readonly loadavg: { readonly start: number; readonly end: number };
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * The CPU each role spent between two snapshots, and per delivery. A thread that started in the
 * window counts from nothing; a thread that ended in it (an instance ended at its timeout) is
 * gone from the second snapshot, and what its process spent beyond its live threads is counted
 * as `exited_threads`.
 */
export const cpuBreakdown = (start: CpuSnapshot, end: CpuSnapshot, deliveries: number): CpuBreakdown => {
  const ticks = new Map<string, number>();
  const add = (role: string, value: number) => ticks.set(role, (ticks.get(role) ?? 0) + value);
  for (const process of end.processes) {
    const before = start.processes.find((p) => p.pid === process.pid);
    const threadsBefore = new Map(before?.threads.map((t) => [t.tid, t.ticks]) ?? []);
    let live = 0;
    for (const thread of process.threads) {
      const spent = Math.max(0, thread.ticks - (threadsBefore.get(thread.tid) ?? 0));
      add(thread.role, spent);
      live += spent;
    }
    const exited = process.ticks - (before?.ticks ?? 0) - live;
    if (exited > 0)
      add(process.kind === 'platform' ? 'exited_threads' : `${process.kind}_exited_threads`, exited);
  }
  const windowS = Math.max(0.001, (end.at - start.at) / 1000);
  const seconds = (t: number) => t / CLOCK_TICKS;
  const total = [...ticks.values()].reduce((a, b) => a + b, 0);
  const roles = [...ticks.entries()].sort((a, b) => b[1] - a[1]);
  const perDelivery = (t: number) => (deliveries > 0 ? round((seconds(t) * 1000) / deliveries, 2) : 0);
  const machineTotal = end.machine.total - start.machine.total;
  // /proc/stat's ticks add up every core's: busy ÷ total is the machine's busy share.
  const cores = Math.max(1, Math.round(machineTotal / CLOCK_TICKS / windowS));
  return {
    window_s: round(windowS, 1),
    deliveries,
    cpu_s: Object.fromEntries(roles.map(([role, t]) => [role, round(seconds(t), 2)])),
    cpu_ms_per_delivery: Object.fromEntries(roles.map(([role, t]) => [role, perDelivery(t)])),
    total_cpu_s: round(seconds(total), 2),
    total_cpu_ms_per_delivery: perDelivery(total),
    cores_used: round(seconds(total) / windowS, 2),
    machine_cores_busy:
      machineTotal > 0 ? round(((end.machine.busy - start.machine.busy) / machineTotal) * cores, 2) : 0,
    loadavg: { start: start.loadavg, end: end.loadavg },
  };
};

/**
 * AWS calls between two counts (by function and operation, as the IAM fronts count them) per
 * delivery, most first, with their total.
 */
export const awsCallsPerDelivery = (
  start: Readonly<Record<string, number>>,
  end: Readonly<Record<string, number>>,
  deliveries: number,
): Record<string, number> => {
  const made = Object.entries(end)
    .map(([call, n]) => [call, n - (start[call] ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const per = (n: number) => (deliveries > 0 ? round(n / deliveries, 3) : 0);
  return {
    total: per(made.reduce((a, [, n]) => a + n, 0)),
    ...Object.fromEntries(made.map(([call, n]) => [call, per(n)])),
  };
};
