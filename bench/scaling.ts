/**
 * `node --import tsx bench/scaling.ts`: how Ferry scales with its worker processes (bench/README.md, "Scaling").
 * Runs run.ts's refresh grant (16 rotating chains) and full login flow (8 browsers, mock connector, approval page)
 * against the bundle on sqlite3, once per worker count in BENCH_SCALING_WORKERS (default `1,2`), and reports ops/s,
 * p50/p99, CPU per operation of the whole server (primary + workers, all threads), of the workers' main threads
 * (the event loops, the part that cannot spread over cores within one process), of the primary, and of the load
 * generator (this process). Also times SQLite's serial part: one refresh-token update transaction, which every
 * process takes in turn under the write lock. Env: BENCH_SECONDS (default 5). Writes bench/results/scaling.md.
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import * as fixtures from '../src/storage/conformance/fixtures.js';
import { keepAliveAgent } from './lib/http.js';
import { closedLoop, type LoadResult, type Window } from './lib/load.js';
import { exchange, loginOnce } from './lib/login-flow.js';
import { childPids, cpuMs, mainThreadCpuMs } from './lib/proc.js';
import { ensureBuilt, startFerry, type RunningServer } from './targets.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WORKER_COUNTS = (process.env.BENCH_SCALING_WORKERS ?? '1,2').split(',').map(Number);
const WINDOW: Window = { warmupMs: 1000, measureMs: Math.max(1, SECONDS) * 1000 };
const REFRESH_WORKERS = 16;
const LOGIN_WORKERS = 8;

interface Figures extends LoadResult {
  cpu: number;
  mainThreads: number[];
  primary: number;
  client: number;
}

/** Runs `op` in a closed loop; reads CPU of the server tree, each worker's main thread and this process at the edges. */
async function measure(s: RunningServer, workers: number, op: (i: number) => Promise<void>): Promise<Figures> {
  const serving = childPids(s.proc.pid);
  const loops = serving.length ? serving : [s.proc.pid];
  const read = () => ({ cpu: cpuMs(s.proc.pid), main: loops.map(mainThreadCpuMs), primary: serving.length ? cpuMs(s.proc.pid) - serving.reduce((a, p) => a + cpuMs(p), 0) : 0, client: process.cpuUsage() });
  let at = read();
  let used = { cpu: NaN, main: [NaN], primary: NaN, client: NaN };
  const onMeasure = (phase: 'start' | 'end') => {
    const now = read();
    if (phase === 'start') at = now;
    else {
      const c = process.cpuUsage(at.client);
      used = { cpu: now.cpu - at.cpu, main: now.main.map((m, i) => m - at.main[i]!), primary: now.primary - at.primary, client: (c.user + c.system) / 1000 };
    }
  };
  const r = await closedLoop(workers, { ...WINDOW, onMeasure }, op);
  const per = (ms: number) => (r.ops > 0 ? ms / r.ops : NaN);
  return { ...r, cpu: per(used.cpu), mainThreads: used.main.map(per), primary: per(used.primary), client: per(used.client) };
}

async function refresh(s: RunningServer): Promise<Figures> {
  const agent = keepAliveAgent(REFRESH_WORKERS);
  const chains: string[] = [];
  for (let i = 0; i < REFRESH_WORKERS; i++) chains.push((await loginOnce(agent, s.login(i))).refresh_token ?? '');
  return measure(s, REFRESH_WORKERS, async (i) => {
    const next = await exchange(agent, s.login(i), { grant_type: 'refresh_token', refresh_token: chains[i]! });
    if (!next.refresh_token) throw new Error('refresh response has no refresh_token');
    chains[i] = next.refresh_token;
  });
}

async function login(s: RunningServer): Promise<Figures> {
  const agent = keepAliveAgent(LOGIN_WORKERS);
  return measure(s, LOGIN_WORKERS, async (i) => void (await loginOnce(agent, s.login(i))));
}

/**
 * One refresh-token update transaction on a WAL sqlite3 file, one process, back to back: wall ms and CPU ms each.
 * On a quiet machine the two agree (no fsync per commit with synchronous=NORMAL); on a loaded one, CPU is the
 * better estimate of how long the write lock is held.
 */
async function sqliteUpdateMs(dir: string): Promise<{ wall: number; cpu: number }> {
  const storage = await openSqliteStorage({ file: join(dir, 'serial.db') });
  await storage.createRefresh({ ...fixtures.refreshToken(0), id: 'serial' });
  const n = 5000;
  const [t0, c0] = [performance.now(), process.cpuUsage()];
  for (let i = 0; i < n; i++) await storage.updateRefreshToken('serial', (old) => ({ ...old, token: String(i) }));
  const c = process.cpuUsage(c0);
  await storage.close();
  return { wall: (performance.now() - t0) / n, cpu: (c.user + c.system) / 1000 / n };
}

const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const row = (w: number, name: string, r: Figures) =>
  `| ${w} | ${name} | ${r.opsPerSec.toFixed(0)} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${f(r.cpu)} | ${r.mainThreads.map((m) => f(m)).join(' + ')} | ${f(r.primary)} | ${f(r.client)} | ${r.errors} |`;

async function main(): Promise<void> {
  ensureBuilt();
  const rows: string[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'ferry-bench-scaling-'));
  try {
    for (const w of WORKER_COUNTS) {
      process.env.BENCH_WORKERS = String(w);
      const dir = mkdtempSync(join(tmp, `w${w}-`));
      const s = await startFerry(REFRESH_WORKERS, dir);
      try {
        for (const [name, run] of [['refresh grant', refresh], ['full login flow', login]] as const) {
          console.log(`${w} worker(s): ${name}…`);
          const r = await run(s);
          if (r.errors) console.error(`  ${r.errors} error(s); first: ${r.firstError}`);
          rows.push(row(w, name, r));
        }
      } finally {
        await s.proc.stop();
      }
    }
    const serial = await sqliteUpdateMs(tmp);
    const table = [
      `BENCH_SECONDS=${SECONDS} BENCH_SCALING_WORKERS=${WORKER_COUNTS.join(',')} node --import tsx bench/scaling.ts — ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores`,
      '',
      '| workers | workload | ops/s | p50 ms | p99 ms | server cpu ms/op | main thread ms/op, per worker | primary ms/op | load generator ms/op | errors |',
      '| ---: | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
      ...rows,
      '',
      `SQLite serial part: one refresh-token update transaction takes ${f(serial.wall)} ms wall, ${f(serial.cpu)} ms CPU (${(1000 / serial.cpu).toFixed(0)}/s through the write lock at best).`,
    ].join('\n');
    console.log(`\n${table}\n`);
    mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'results', 'scaling.md'), `${table}\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
