/**
 * `node --import tsx bench/storage.ts`: Ferry's refresh grant and full login flow on SQLite against PostgreSQL,
 * and one against two replicas on PostgreSQL (replicas share a private PostgreSQL 15 cluster this script starts
 * with test/peers/postgres/start.sh; worker i talks to replica i mod n). Reports ops/s, p50/p99, server CPU per
 * operation (summed over replicas) and SQL round trips per operation, counted by the backends and written to
 * FERRY_STORAGE_QUERY_COUNT_FILE when the script sends SIGUSR2 at the window's edges
 * (src/storage/sql/query-counter.ts; SQLite is not counted).
 * Both stores are in dex v2.45.1's format (docs/migrating-from-dex.md). Closes with the two figures the storage
 * work is held to: SQL round trips per refresh (at most 3; the script exits 1 above that) and PostgreSQL's refresh
 * throughput as a share of SQLite's (target: 70% or more; reported, not enforced, since a shared machine is noisy).
 * Env: BENCH_SECONDS (default 5). Needs root and postgresql-15 (as the postgres peer does).
 */

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startPrivateCluster } from '../test/peers/postgres/cluster.js';
import { keepAliveAgent } from './lib/http.js';
import { closedLoop, type LoadResult, type Window } from './lib/load.js';
import { exchange, loginOnce, type LoginTarget } from './lib/login-flow.js';
import { cpuMs, freePort, startServer, type ServerProcess } from './lib/proc.js';
import { CLIENT_SECRET, ensureBuilt, FERRY_LAUNCH, PASSWORD, REDIRECT_URI, USERNAME } from './targets.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WINDOW: Window = { warmupMs: 1000, measureMs: Math.max(1, SECONDS) * 1000 };
const REFRESH_WORKERS = 16;
const LOGIN_WORKERS = 8;

interface Replica {
  proc: ServerProcess;
  /** Where the replica writes its SQL statement count on SIGUSR2 ('' for SQLite: nothing to count). */
  countFile: string;
  /** The PostgreSQL port (0 for SQLite). */
  pgPort: number;
  target: (client: number) => LoginTarget;
}

async function startReplica(tmp: string, name: string, storage: { type: string; config: unknown }): Promise<Replica> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/dex`;
  const config = parse(readFileSync(join(import.meta.dirname, 'ferry-bench.yaml'), 'utf8')) as Record<string, unknown>;
  Object.assign(config, { issuer, storage, web: { http: `127.0.0.1:${port}` }, enablePasswordDB: false, staticPasswords: [] });
  // One mock account per login worker, as logins of different people are: the brute-force throttle has the attempts
  // on one account take turns (src/server/throttle/attempt-guard.ts).
  config.connectors = Array.from({ length: LOGIN_WORKERS }, (_, i) => ({ type: 'mockPassword', id: `mock-${i}`, name: `Mock ${i}`, config: { username: USERNAME, password: PASSWORD } }));
  config.staticClients = Array.from({ length: REFRESH_WORKERS }, (_, i) => ({ id: `bench-${i}`, name: `Bench ${i}`, secret: CLIENT_SECRET, redirectURIs: [REDIRECT_URI] }));
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, stringify(config));
  const countFile = storage.type === 'sqlite3' ? '' : join(tmp, `${name}.count`);
  const proc = await startServer([...FERRY_LAUNCH, 'serve', file], { FERRY_STORAGE_QUERY_COUNT_FILE: countFile }, `${issuer}/.well-known/openid-configuration`);
  const target = (i: number): LoginTarget => ({
    authorizationEndpoint: `${issuer}/auth`,
    tokenEndpoint: `${issuer}/token`,
    clientId: `bench-${i}`,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    scope: 'openid email offline_access',
    username: USERNAME,
    password: PASSWORD,
    extraParams: { connector_id: `mock-${i % LOGIN_WORKERS}` },
  });
  const pgPort = storage.type === 'postgres' ? Number((storage.config as { port: number }).port) : 0;
  return { proc, countFile, pgPort, target };
}

/** The replica's statement count now: asks for it (SIGUSR2) and waits until it is written. */
async function queries(r: Replica): Promise<number> {
  if (r.countFile === '') return 0;
  if (existsSync(r.countFile)) unlinkSync(r.countFile);
  process.kill(r.proc.pid, 'SIGUSR2');
  for (let i = 0; i < 500 && !existsSync(r.countFile); i++) await sleep(10);
  return Number(readFileSync(r.countFile, 'utf8'));
}

const totalQueries = async (replicas: Replica[]): Promise<number> => (await Promise.all(replicas.map(queries))).reduce((a, b) => a + b, 0);

/**
 * CPU (ms) used so far by the PostgreSQL cluster listening on `port`: its postmaster with the children it reaped
 * plus its live backends. Less sensitive to a busy machine than throughput, so it is reported beside it.
 */
function postgresCpuMs(port: number): number {
  const stat = (pid: string) => {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  };
  const ticks = (f: string[], reaped: boolean) => Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0);
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('postgres') || !cmd.includes(`\0${port}\0`)) continue;
    let total = ticks(stat(pid), true);
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean)) {
      try {
        total += ticks(stat(child), false);
      } catch {
        // exited meanwhile: counted in the postmaster's reaped time once it is reaped
      }
    }
    return (total * 1000) / 100;
  }
  return Number.NaN;
}

interface Figures extends LoadResult {
  cpuMsPerOp: number;
  /** PostgreSQL's own CPU per operation (NaN for SQLite). */
  pgCpuMsPerOp: number;
  queriesPerOp: number;
}

/** Runs `op` on `workers` workers spread over the replicas; CPU and query counts are read at the window edges. */
async function measure(replicas: Replica[], workers: number, op: (r: Replica, i: number) => Promise<void>): Promise<Figures> {
  const cpu = { start: 0, end: Number.NaN };
  const pgCpu = { start: 0, end: Number.NaN };
  const q: Partial<Record<'start' | 'end', Promise<number>>> = {};
  const onMeasure = (phase: 'start' | 'end') => {
    cpu[phase] = replicas.reduce((s, r) => s + cpuMs(r.proc.pid), 0);
    pgCpu[phase] = replicas[0]!.pgPort === 0 ? Number.NaN : postgresCpuMs(replicas[0]!.pgPort);
    q[phase] = totalQueries(replicas);
  };
  const result = await closedLoop(workers, { ...WINDOW, onMeasure }, (i) => op(replicas[i % replicas.length]!, i));
  const per = (x: number) => (result.ops > 0 ? x / result.ops : Number.NaN);
  const used = { cpu: cpu.end - cpu.start, q: (await q.end!) - (await q.start!) };
  return { ...result, cpuMsPerOp: per(used.cpu), pgCpuMsPerOp: per(pgCpu.end - pgCpu.start), queriesPerOp: per(used.q) };
}

async function refreshGrant(replicas: Replica[]): Promise<Figures> {
  const agent = keepAliveAgent(REFRESH_WORKERS);
  const chains: string[] = [];
  for (let i = 0; i < REFRESH_WORKERS; i++) {
    const r = replicas[i % replicas.length]!;
    chains.push((await loginOnce(agent, r.target(i))).refresh_token ?? '');
  }
  return measure(replicas, REFRESH_WORKERS, async (r, i) => {
    const next = await exchange(agent, r.target(i), { grant_type: 'refresh_token', refresh_token: chains[i]! });
    if (!next.refresh_token) throw new Error('no refresh_token');
    chains[i] = next.refresh_token;
  });
}

async function loginFlow(replicas: Replica[]): Promise<Figures> {
  const agent = keepAliveAgent(LOGIN_WORKERS);
  return measure(replicas, LOGIN_WORKERS, async (r, i) => void (await loginOnce(agent, r.target(i))));
}

const row = (setup: string, workload: string, f: Figures, sqlite: boolean) =>
  `| ${setup} | ${workload} | ${f.opsPerSec.toFixed(0)} | ${f.p50.toFixed(2)} | ${f.p99.toFixed(2)} | ${f.cpuMsPerOp.toFixed(3)} | ${sqlite ? 'n/a' : f.pgCpuMsPerOp.toFixed(3)} | ${sqlite ? 'n/a' : f.queriesPerOp.toFixed(2)} | ${f.errors} |`;

async function main(): Promise<void> {
  ensureBuilt();
  const tmp = mkdtempSync(join(tmpdir(), 'ferry-bench-storage-'));
  const cluster = await startPrivateCluster();
  const rows: string[] = [];
  const errorNotes: string[] = [];
  const refreshOf = new Map<string, Figures>();
  try {
    const pg = { type: 'postgres', config: { ...cluster.peer, ssl: { mode: 'disable' } } };
    const setups: [string, () => Promise<Replica[]>][] = [
      ['sqlite3, 1 replica', async () => [await startReplica(tmp, 'sqlite', { type: 'sqlite3', config: { file: join(tmp, 'ferry.db') } })]],
      ['postgres, 1 replica', async () => [await startReplica(tmp, 'pg1', pg)]],
      ['postgres, 2 replicas', async () => [await startReplica(tmp, 'pg2a', pg), await startReplica(tmp, 'pg2b', pg)]],
    ];
    for (const [setup, start] of setups) {
      const replicas = await start();
      try {
        for (const [workload, run] of [['refresh grant', refreshGrant], ['full login flow', loginFlow]] as const) {
          console.log(`${setup}: ${workload}…`);
          const figures = await run(replicas);
          if (workload === 'refresh grant') refreshOf.set(setup, figures);
          rows.push(row(setup, workload, figures, setup.startsWith('sqlite')));
          if (figures.firstError) errorNotes.push(`${setup}, ${workload}: first error: ${figures.firstError}`);
        }
      } finally {
        await Promise.all(replicas.map((r) => r.proc.stop()));
      }
    }
  } finally {
    await cluster.destroy();
    rmSync(tmp, { recursive: true, force: true });
  }
  const [lite, pg1] = [refreshOf.get('sqlite3, 1 replica'), refreshOf.get('postgres, 1 replica')];
  const share = lite && pg1 ? (100 * pg1.opsPerSec) / lite.opsPerSec : Number.NaN;
  const trips = pg1?.queriesPerOp ?? Number.NaN;
  const cpuShare = lite && pg1 ? (100 * lite.cpuMsPerOp) / (pg1.cpuMsPerOp + pg1.pgCpuMsPerOp) : Number.NaN;
  const summary = [
    `PostgreSQL refresh throughput: ${share.toFixed(0)}% of SQLite's (target >= 70%; noisy on a shared machine)`,
    `SQL round trips per refresh (PostgreSQL, 1 replica): ${trips.toFixed(2)} (limit 3)`,
    `CPU per refresh: SQLite ${lite?.cpuMsPerOp.toFixed(3)} ms; PostgreSQL ${pg1?.cpuMsPerOp.toFixed(3)} ms Ferry + ${pg1?.pgCpuMsPerOp.toFixed(3)} ms PostgreSQL (SQLite's share: ${cpuShare.toFixed(0)}%, the throughput share a CPU-bound machine would show)`,
    ...errorNotes,
  ];
  const table = ['| setup | workload | ops/s | p50 ms | p99 ms | server cpu ms/op | postgres cpu ms/op | SQL round trips/op | errors |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |', ...rows].join('\n');
  console.log(`\n${table}\n\n${summary.join('\n')}\n`);
  if (!(trips <= 3)) process.exitCode = 1;
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'storage.md'), `${table}\n\n${summary.join('\n')}\n`);
}

await main();
