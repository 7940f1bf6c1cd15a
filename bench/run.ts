/**
 * `npm run bench`: Ferry against oidc-provider 9.13.3, both as child processes on loopback, same workloads in the
 * same run, back to back (the order alternates per workload to spread drift on a noisy 2-core machine).
 * Env: BENCH_SECONDS (measured seconds per workload, default 5), BENCH_SERVERS (`both` | `peer` | `ferry`),
 * BENCH_LOAD_CONNECTORS (connectors whose logins load Ferry in the latency-under-load rows, default `mock,local`;
 * `local` is the password DB, so its logins run bcrypt; empty = skip those rows), BENCH_WORKLOADS (comma-separated
 * substrings of workload names to run, e.g. `refresh,login`; default all; `BENCH_ONLY` is the same),
 * BENCH_LIMITS=0 (skip measuring the machine's signing and bcrypt limits), BENCH_TOKENS (distinct tokens for
 * introspection and userinfo, default 12000), BENCH_ROUNDS (measurements per server and workload, default 1: with
 * more, the rounds alternate the order and the table shows the median round of each server and the median of the
 * rounds' ratios, which steadies the figures on a machine whose speed drifts).
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { keepAliveAgent } from './lib/http.js';
import { autocannonGet, closedLoop, type LoadResult, type Window } from './lib/load.js';
import { exchange, loginOnce } from './lib/login-flow.js';
import { childPids, cpuMs, eventLoopsCpuMs, peakRssMiB, rssMiB } from './lib/proc.js';
import { markdownTable, median, textTable, type Measured, type NoteRow, type Report, type Row } from './lib/report.js';
import { ensureBuilt, startFerry, startPeer, type RunningServer } from './targets.js';
import { measureLimits, type Limits } from './lib/limits.js';
import { perSec, TOKEN_WORKLOADS } from './lib/token-workloads.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SERVERS = process.env.BENCH_SERVERS ?? 'both';
// Comma-separated; a comma followed by a space belongs to a workload's name (`introspection, opaque (…`).
const ONLY = (process.env.BENCH_ONLY ?? process.env.BENCH_WORKLOADS ?? '').split(/,(?! )/).filter(Boolean);
const LOAD_CONNECTORS = (process.env.BENCH_LOAD_CONNECTORS ?? (ONLY.length ? '' : 'mock,local')).split(',').filter(Boolean);
const CONNECTIONS = 16;
const REFRESH_WORKERS = 16;
const LOGIN_WORKERS = 8;
const IDLE_RSS_TARGET_MIB = 80;
/** BENCH_IDLE_SECONDS: how long the servers sit without requests before the idle RSS is read (at least 1). */
const IDLE_SECONDS = Math.max(1, Number(process.env.BENCH_IDLE_SECONDS ?? 30));
const UNDER_LOAD_P99_TARGET_MS = 20;
const WINDOW: Window = { warmupMs: 1000, measureMs: Math.max(1, SECONDS) * 1000 };
/** Measurements per server and workload; the table shows the median (see `medianRun`). */
const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_ROUNDS ?? 1)) || 1);

/** The run with the median throughput: its latencies, CPU and memory are shown together, as measured. */
function medianRun(runs: Measured[]): Measured | undefined {
  const ops = median(runs.map((m) => m.opsPerSec));
  return runs.find((m) => m.opsPerSec === ops);
}

/** Run one workload against one server, reading the server's CPU time at the edges of the measured window. */
async function measure(s: RunningServer, run: (w: Window) => Promise<LoadResult>): Promise<Measured> {
  let start: number | undefined;
  let end: number | undefined;
  let mainStart: number | undefined;
  let mainEnd: number | undefined;
  let client: NodeJS.CpuUsage | undefined;
  let clientUsed: NodeJS.CpuUsage | undefined;
  const onMeasure = (p: 'start' | 'end'): void => {
    if (p === 'start') {
      start = cpuMs(s.proc.pid);
      mainStart = eventLoopsCpuMs(s.proc.pid);
      client = process.cpuUsage();
    } else {
      end = cpuMs(s.proc.pid);
      mainEnd = eventLoopsCpuMs(s.proc.pid);
      clientUsed = process.cpuUsage(client);
    }
  };
  let rssPeakMiB = rssMiB(s.proc.pid);
  const sampler = setInterval(() => (rssPeakMiB = Math.max(rssPeakMiB, rssMiB(s.proc.pid))), 100);
  const result = await run({ ...WINDOW, onMeasure }).finally(() => clearInterval(sampler));
  end ??= cpuMs(s.proc.pid);
  mainEnd ??= eventLoopsCpuMs(s.proc.pid);
  clientUsed ??= process.cpuUsage(client);
  const used = start === undefined ? Number.NaN : end - start;
  const usedMain = mainStart === undefined ? Number.NaN : mainEnd - mainStart;
  if (result.errors > 0) console.error(`  ${s.name}: ${result.errors} error(s); first: ${result.firstError}`);
  const perOp = (ms: number): number => (result.ops > 0 ? ms / result.ops : Number.NaN);
  return { ...result, cpuMsPerOp: perOp(used), mainMsPerOp: perOp(usedMain), clientCpuMsPerOp: perOp((clientUsed.user + clientUsed.system) / 1000), rssPeakMiB };
}

interface Workload {
  name: string;
  target?: number;
  /** ops/s the row must also reach, from the machine's limits measured in the same run. */
  limit?: (l: Limits) => number;
  limitText?: string;
  /** Ferry's side runs on a second Ferry with an ES256 key. */
  es256?: boolean;
  /** Only Ferry runs it (the peer has nothing to compare: it checks one fixed password without hashing). */
  ferryOnly?: boolean;
  run: (s: RunningServer, w: Window) => Promise<LoadResult>;
}

/** LOGIN_WORKERS browsers logging in through `connectorId` over and over, each with its own cookie jar. */
function logins(s: RunningServer, w: Window, connectorId: string): Promise<LoadResult> {
  const agent = keepAliveAgent(LOGIN_WORKERS);
  return closedLoop(LOGIN_WORKERS, w, async (i) => {
    await loginOnce(agent, s.login(i, connectorId));
  });
}

const workloads: Workload[] = [
  { name: 'discovery', target: 1.5, run: (s, w) => autocannonGet(s.discoveryUrl, { connections: CONNECTIONS }, w) },
  { name: 'keys (JWKS)', target: 1.5, run: (s, w) => autocannonGet(s.discovery.jwks_uri, { connections: CONNECTIONS }, w) },
  {
    name: 'userinfo',
    target: 2,
    run: async (s, w) => {
      const { access_token: token } = await loginOnce(keepAliveAgent(1), s.login(0));
      return autocannonGet(s.discovery.userinfo_endpoint, { connections: CONNECTIONS, headers: { authorization: `Bearer ${token}` } }, w);
    },
  },
  {
    name: 'refresh grant (rotating)',
    target: 0.8,
    limit: perSec('RS256', 2),
    limitText: '75% of RS256 sig/s ÷ 2',
    run: async (s, w) => {
      const agent = keepAliveAgent(REFRESH_WORKERS);
      const chains: string[] = [];
      for (let i = 0; i < REFRESH_WORKERS; i++) {
        const { refresh_token: rt } = await loginOnce(agent, s.login(i));
        if (!rt) throw new Error(`${s.name}: login issued no refresh token`);
        chains.push(rt);
      }
      return closedLoop(REFRESH_WORKERS, w, async (i) => {
        const next = await exchange(agent, s.login(i), { grant_type: 'refresh_token', refresh_token: chains[i] ?? '' });
        if (!next.refresh_token) throw new Error('refresh response has no refresh_token');
        chains[i] = next.refresh_token;
      });
    },
  },
  { name: 'full login flow', target: 2, run: (s, w) => logins(s, w, 'mock') },
  {
    // Issue 13 item 4: password logins as fast as native bcrypt allows. Each browser signs in as its own password-DB
    // user (see `underLoad`).
    name: 'full login flow, password DB (bcrypt cost 10)',
    ferryOnly: true,
    limit: (l) => 0.9 * l.bcryptPerSec,
    limitText: '90% of native bcrypt/s',
    run: (s, w) => logins(s, w, 'local'),
  },
  ...TOKEN_WORKLOADS,
];

/** Discovery p99 while password logins saturate the server: a rate-limited probe beside LOGIN_WORKERS logins. */
async function underLoad(s: RunningServer, connectorId: string): Promise<{ probe: Measured; logins: LoadResult }> {
  const [probe, done] = await Promise.all([
    measure(s, (w) => autocannonGet(s.discoveryUrl, { connections: 2, overallRate: 200 }, w)),
    logins(s, WINDOW, connectorId),
  ]);
  return { probe, logins: done };
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
  const servers: RunningServer[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.proc.stop()));
    rmSync(tmp, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    if (SERVERS !== 'ferry') servers.push(await startPeer(REFRESH_WORKERS));
    if (SERVERS !== 'peer') {
      ensureBuilt();
      servers.push(await startFerry(REFRESH_WORKERS, tmp));
    }
    const peer = servers.find((s) => s.name !== 'Ferry');
    const ferry = servers.find((s) => s.name === 'Ferry');
    const selected = workloads.filter((wl) => ONLY.length === 0 || ONLY.some((o) => wl.name.includes(o)));
    const ferryEs256 = ferry && selected.some((wl) => wl.es256) ? await startFerry(REFRESH_WORKERS, tmp, 'ES256') : undefined;
    if (ferryEs256) servers.push(ferryEs256);
    // RSS one second after start, and once idle: V8 gives back the young generation that start-up grew and compacts
    // the old one only when its memory reducer sees a quiet process (10–20 s here), as in a pod between requests.
    await sleep(1000);
    const early = new Map(servers.map((s) => [s.name, rssMiB(s.proc.pid)]));
    console.log(`RSS 1 s after start: ${[...early].map(([n, v]) => `${n} ${v.toFixed(1)} MiB`).join(', ')}`);
    await sleep(Math.max(0, IDLE_SECONDS * 1000 - 1000));
    const idle = new Map(servers.map((s) => [s.name, rssMiB(s.proc.pid)]));
    console.log(`idle RSS after ${IDLE_SECONDS} s: ${[...idle].map(([n, v]) => `${n} ${v.toFixed(1)} MiB`).join(', ')}`);

    const limits = process.env.BENCH_LIMITS === '0' ? undefined : await measureLimits();
    if (limits) console.log(`limits: ${JSON.stringify(limits)}`);
    const rows: Row[] = [];
    for (const [k, wl] of selected.entries()) {
      const pair = [wl.ferryOnly ? undefined : peer, wl.es256 ? ferryEs256 : ferry].filter((s): s is RunningServer => s !== undefined);
      const fs = wl.es256 ? ferryEs256 : ferry;
      // Each round measures both servers back to back; the order alternates by workload and by round.
      const rounds: Map<string, Measured>[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const order = (k + r) % 2 === 0 ? pair : [...pair].reverse();
        const got = new Map<string, Measured>();
        for (const s of order) {
          console.log(`${wl.name}: ${s.name}${ROUNDS > 1 ? ` (round ${r + 1}/${ROUNDS})` : ''}…`);
          got.set(s.name, await measure(s, (w) => wl.run(s, w)));
        }
        rounds.push(got);
      }
      const runsOf = (s?: RunningServer): Measured[] => (s ? rounds.map((g) => g.get(s.name)).filter((m): m is Measured => m !== undefined) : []);
      const f = medianRun(runsOf(fs));
      const p = medianRun(runsOf(peer));
      const both = rounds.map((g) => ({ f: fs && g.get(fs.name), p: peer && g.get(peer.name) }));
      const ratio = median(both.flatMap(({ f, p }) => (f && p && p.opsPerSec > 0 ? [f.opsPerSec / p.opsPerSec] : [])));
      const cpuRatio = median(both.flatMap(({ f, p }) => (f && p && f.cpuMsPerOp > 0 ? [p.cpuMsPerOp / f.cpuMsPerOp] : [])));
      const clean = [...runsOf(fs), ...runsOf(peer)].every((m) => m.errors === 0);
      const needed = limits && wl.limit ? wl.limit(limits) : undefined;
      const checks = [
        ...(wl.target !== undefined && ratio !== undefined ? [ratio >= wl.target] : []),
        ...(needed !== undefined && f ? [f.opsPerSec >= needed] : []),
      ];
      const pass = checks.length === 0 ? undefined : clean && checks.every(Boolean);
      // The ops/s the targets ask for, and the server CPU per operation at which they would fit (see Row).
      const targetOps = Math.max(wl.target !== undefined && p ? wl.target * p.opsPerSec : 0, needed ?? 0);
      const cpuBudgetMsPerOp = targetOps > 0 && f ? (cpus().length * 1000) / targetOps - f.clientCpuMsPerOp : undefined;
      const target = [
        ...(wl.target !== undefined ? [`>= ${wl.target}x`] : []),
        ...(needed !== undefined ? [`>= ${needed.toFixed(0)}/s (${wl.limitText ?? 'limit'})`] : []),
      ].join(', ') || '-';
      rows.push({ workload: wl.name, ...(f ? { ferry: f } : {}), ...(p ? { peer: p } : {}), ratio, cpuRatio, target, cpuBudgetMsPerOp, pass });
    }

    const notes: NoteRow[] = [];
    const ferryIdle = ferry ? idle.get(ferry.name) : undefined;
    const ferryIsOneProcess = ferry !== undefined && childPids(ferry.proc.pid).length === 0;
    const mib = (m: Map<string, number>, s?: RunningServer): string => (s ? (m.get(s.name)?.toFixed(1) ?? '-') : '-');
    notes.push({ workload: 'RSS 1 s after start (MiB)', ferry: mib(early, ferry), peer: mib(early, peer), target: '-' });
    notes.push({
      workload: `idle RSS (MiB) after ${IDLE_SECONDS} s without requests`,
      ferry: mib(idle, ferry),
      peer: mib(idle, peer),
      // The target is for one serving process; with workers the row is their sum with the primary's (information).
      target: ferryIsOneProcess ? `<= ${IDLE_RSS_TARGET_MIB} MiB` : `- (${IDLE_RSS_TARGET_MIB} MiB is for one process)`,
      pass: ferryIdle === undefined || !ferryIsOneProcess ? undefined : ferryIdle <= IDLE_RSS_TARGET_MIB,
    });
    for (const connectorId of LOAD_CONNECTORS) {
      if (!ferry) break;
      console.log(`discovery under ${connectorId}-connector login load: Ferry…`);
      const { probe, logins } = await underLoad(ferry, connectorId);
      notes.push({
        workload: `discovery p99 (ms) under ${LOGIN_WORKERS} ${connectorId} logins (${logins.opsPerSec.toFixed(0)} logins/s)`,
        ferry: probe.p99.toFixed(2),
        peer: '-',
        target: `< ${UNDER_LOAD_P99_TARGET_MS} ms`,
        pass: probe.errors === 0 && logins.errors === 0 && probe.p99 < UNDER_LOAD_P99_TARGET_MS,
      });
      if (logins.errors > 0) console.error(`  logins under load: ${logins.errors} error(s); first: ${logins.firstError}`);
    }
    if (limits) {
      for (const [alg, n] of Object.entries(limits.signaturesPerSec)) {
        notes.push({ workload: `limit: ${alg} signatures/s on ${limits.cores} cores (jose)`, ferry: n.toFixed(0), peer: '', target: '-' });
      }
      notes.push({ workload: `limit: native bcrypt cost 10 /s on ${limits.cores} cores`, ferry: limits.bcryptPerSec.toFixed(1), peer: '', target: '-' });
    }
    const peak = (s?: RunningServer): string => (s ? peakRssMiB(s.proc.pid).toFixed(1) : '-');
    notes.push({ workload: 'peak RSS after all runs (MiB)', ferry: peak(ferry), peer: peak(peer), target: '-' });

    const report: Report = {
      date: new Date().toISOString(),
      command: `BENCH_SECONDS=${SECONDS}${ROUNDS > 1 ? ` BENCH_ROUNDS=${ROUNDS}` : ''} npm run bench`,
      node: process.version,
      cpus: cpus().length,
      seconds: SECONDS,
      rows,
      notes,
    };
    console.log(`\n${textTable(rows, notes)}\n`);
    mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'results', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(import.meta.dirname, 'results', 'latest.md'), `${markdownTable(rows, notes)}\n`);
    console.log('written: bench/results/latest.json, bench/results/latest.md');
    const broken = rows.some((r) => (r.ferry?.errors ?? 0) + (r.peer?.errors ?? 0) > 0);
    if (broken) process.exitCode = 1;
  } finally {
    await stopAll();
  }
}

await main();
