/**
 * `ferry serve` as a real process tree (`node --import tsx src/main.ts serve …`, the entry `bin/ferry` runs), with
 * JSON logs read line by line: the test waits for log lines and learns the workers' pids from the primary's
 * `worker serving` lines. The config: sqlite3 in a temp file (or what `storage` says), the password DB with one
 * user, one confidential client, telemetry on its own port.
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hash } from '@node-rs/bcrypt';
import { freePort } from '../../helpers/ferry.js';

export const CLIENT = { id: 'cluster-app', secret: 'cluster-secret', redirect: 'http://127.0.0.1:5555/callback' };
export const USER = { email: 'jane@example.com', password: 'correct horse battery' };
const ROOT = resolve(import.meta.dirname, '../../..');
const START_TIMEOUT_MS = 120_000;

/**
 * The node processes `pid` has started: its workers. Other children are left out (tsx starts an `esbuild`
 * service process when its cache is cold).
 */
export function nodeChildren(pid: number): number[] {
  let pids: number[];
  try {
    pids = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there is none
  }
  return pids.filter((p) => {
    try {
      return readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'node';
    } catch {
      return false; // gone meanwhile
    }
  });
}

export type LogLine = Record<string, unknown> & { msg: string; at: number };

export interface Served {
  child: ChildProcess;
  port: number;
  issuer: string;
  telemetry: string;
  lines: LogLine[];
  /** Resolves with the first line (already seen or to come) for which `match` holds. */
  waitFor(match: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Current worker pids by slot, from the primary's `worker serving` / `worker exited` lines. */
  workers(): Map<number, number>;
  exited: Promise<{ code: number | null; signal: string | null }>;
  stop(): Promise<void>;
}

const passwordHash = hash(USER.password, 10);

export interface ServeOptions {
  args?: string[];
  env?: Record<string, string>;
  /** The `storage:` value (flow YAML); sqlite3 in a temp file by default. */
  storage?: string;
  /** More top-level YAML. */
  extra?: string;
  /** The web port; a free one by default. */
  port?: number;
  /** A command that runs `node …` given as its trailing arguments (e.g. to enter a cgroup first). */
  prefix?: string[];
}

export async function serveProcess(opts: ServeOptions = {}): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-cluster-'));
  const [port, tport] = [opts.port ?? (await freePort()), await freePort()];
  const issuer = `http://127.0.0.1:${port}/dex`;
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    `issuer: ${issuer}
storage: ${opts.storage ?? JSON.stringify({ type: 'sqlite3', config: { file: join(dir, 'ferry.db') } })}
web: { http: 127.0.0.1:${port} }
telemetry: { http: 127.0.0.1:${tport} }
logger: { level: info, format: json }
enablePasswordDB: true
staticPasswords: [{ email: ${USER.email}, hash: "${await passwordHash}", username: jane, userID: 4d3c2b1a-0000-4000-8000-00000000beef }]
staticClients: [{ id: ${CLIENT.id}, secret: ${CLIENT.secret}, name: Cluster App, redirectURIs: ['${CLIENT.redirect}'] }]
${opts.extra ?? ''}
`,
  );
  const command = [...(opts.prefix ?? []), process.execPath, '--import', 'tsx', 'src/main.ts', 'serve', ...(opts.args ?? []), file];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  const lines: LogLine[] = [];
  const waiters = new Set<(l: LogLine) => void>();
  let tail = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (tail + chunk).split('\n');
    tail = parts.pop() ?? '';
    for (const text of parts) {
      let line: LogLine;
      try {
        line = { ...(JSON.parse(text) as { msg: string }), at: Date.now() };
      } catch {
        line = { msg: text, at: Date.now(), raw: true };
      }
      lines.push(line);
      for (const w of waiters) w(line);
    }
  });
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const waitFor = (match: (l: LogLine) => boolean, timeoutMs = START_TIMEOUT_MS): Promise<LogLine> => {
    const seen = lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        fail(new Error(`no matching log line in ${timeoutMs} ms; log:\n${lines.map((l) => JSON.stringify(l)).join('\n').slice(-3000)}`));
      }, timeoutMs);
      const check = (l: LogLine) => {
        if (!match(l)) return;
        clearTimeout(timer);
        waiters.delete(check);
        ok(l);
      };
      waiters.add(check);
    });
  };
  const workers = () => {
    const m = new Map<number, number>();
    for (const l of lines) {
      if (l.msg === 'worker serving') m.set(Number(l['worker']), Number(l['processId']));
      if (l.msg === 'worker exited; restarting it' && m.get(Number(l['worker'])) === Number(l['processId'])) m.delete(Number(l['worker']));
    }
    return m;
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(kill);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { child, port, issuer, telemetry: `http://127.0.0.1:${tport}`, lines, waitFor, workers, exited, stop };
}

/** Waits until `ferry serve` says `serving` (or fails with its log). */
export async function serving(opts: ServeOptions = {}): Promise<Served> {
  const s = await serveProcess(opts);
  try {
    await Promise.race([
      s.waitFor((l) => l.msg === 'serving'),
      s.exited.then(({ code }) => Promise.reject(new Error(`ferry serve exited (${code}):\n${s.lines.map((l) => JSON.stringify(l)).join('\n')}`))),
    ]);
  } catch (err) {
    await s.stop();
    throw err;
  }
  return s;
}
