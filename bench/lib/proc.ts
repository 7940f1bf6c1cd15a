/**
 * Server processes under test: a free loopback port, spawn + readiness wait, stop, and the /proc readings the
 * report needs (CPU time in ms from utime+stime, resident set size in MiB).
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
export async function startServer(args: string[], env: Record<string, string>, readyUrl: string, timeoutMs = 20_000): Promise<ServerProcess> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
      if (res.status === 200) return server;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await server.stop();
  throw new Error(`server not ready after ${timeoutMs} ms:\n${log}`);
}

/** User + system CPU time consumed by `pid` so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(rest[11]) + Number(rest[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SEC;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

export const rssMiB = (pid: number): number => statusKb(pid, 'VmRSS') / 1024;
export const peakRssMiB = (pid: number): number => statusKb(pid, 'VmHWM') / 1024;
