/**
 * Server processes under test: a free loopback port, spawn + readiness wait, stop, and the /proc readings the
 * report needs (CPU time in ms from utime+stime, resident set size in MiB).
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const CLOCK_TICKS_PER_SEC = 100; // getconf CLK_TCK on Linux x86-64 / arm64

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** The last lines of the server's stderr/stdout, for error reports. */
  tail: () => string;
  stop: () => Promise<void>;
}

/**
 * Spawn `node args…` and wait until `readyUrl` answers 200 (at most `timeoutMs`). Env `BENCH_NODE_ARGS` adds node
 * options to every server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile them).
 */
export async function startServer(args: string[], env: Record<string, string>, readyUrl: string, timeoutMs = 60_000): Promise<ServerProcess> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // BENCH_WORKERS: Ferry's serving processes (FERRY_WORKERS); 1 unless set, so each server under test is one process.
  const workers = process.env.BENCH_WORKERS ?? '1';
  const child = spawn(process.execPath, [...nodeArgs, ...args], { env: { ...process.env, FERRY_WORKERS: workers, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (b: Buffer): void => {
    log = (log + b.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const server: ServerProcess = {
    child,
    pid: child.pid ?? 0,
    tail: () => log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200 && allChildrenListen(server.pid, Number(new URL(readyUrl).port))) return server;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await server.stop();
  throw new Error(`server not ready after ${timeoutMs} ms:\n${log}`);
}

/** utime + stime in ms from a /proc `stat` file (fields 14 and 15, counted after the parenthesised name). */
function statMs(file: string): number {
  try {
    const stat = readFileSync(file, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(rest[11]) + Number(rest[12])) * 1000) / CLOCK_TICKS_PER_SEC;
  } catch {
    return 0; // the process is gone
  }
}

/** The live child processes of `pid` (Ferry's workers under its primary). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** `of(p)` summed over `pid` and its live child processes, recursively (Ferry's primary and its workers). */
const overTree = (pid: number, of: (p: number) => number): number => of(pid) + childPids(pid).reduce((sum, c) => sum + overTree(c, of), 0);

/** User + system CPU time consumed so far by `pid` and its live child processes (all threads), in ms. */
export const cpuMs = (pid: number): number => overTree(pid, (p) => statMs(`/proc/${p}/stat`));

/** CPU time of `pid`'s main thread only (the event loop; not libuv's pool or V8's helper threads), in ms. */
export const mainThreadCpuMs = (pid: number): number => statMs(`/proc/${pid}/task/${pid}/stat`);

/** CPU time of the main threads (event loops) of `pid` and its live child processes, in ms. */
export const eventLoopsCpuMs = (pid: number): number => overTree(pid, mainThreadCpuMs);

/** True when every child of `pid` holds the socket listening on `port` (each worker accepts connections). */
function allChildrenListen(pid: number, port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const rows = readFileSync('/proc/net/tcp', 'utf8').split('\n').map((l) => l.trim().split(/\s+/));
  const inode = rows.find((f) => f[1]?.endsWith(hex) && f[3] === '0A')?.[9];
  const holds = (p: number) => {
    try {
      return readdirSync(`/proc/${p}/fd`).some((fd) => readlinkSync(`/proc/${p}/fd/${fd}`) === `socket:[${inode}]`);
    } catch {
      return false;
    }
  };
  return inode !== undefined && childPids(pid).every(holds);
}

/** A `/proc/<pid>/status` field of one process, in kB (0 for a process gone). */
function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // the process is gone
  }
}

/**
 * Resident memory of a server: one process, or a primary and its workers summed (pages they share, such as
 * Node's own code, are counted once per process, so the sum overstates what they use together).
 */
export const rssMiB = (pid: number): number => overTree(pid, (p) => statusKb(p, 'VmRSS')) / 1024;
/** The same with each process's own peak (`VmHWM`), whenever it was reached. */
export const peakRssMiB = (pid: number): number => overTree(pid, (p) => statusKb(p, 'VmHWM')) / 1024;
