/**
 * Starts a real Ferry (the same `startFerry` the CLI uses) on a free loopback port from YAML text, for flow tests.
 * The YAML is a function of the issuer URL so tests can write dex-format configs naturally.
 */

import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFerry, type RunningFerry } from '../../src/cli/start.js';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/lib/logger.js';

export interface TestFerry {
  issuer: string;
  ferry: RunningFerry;
  stop(): Promise<void>;
}

/**
 * Ports handed out by `freePort`, reserved across the test processes of one run. A port is chosen from below the
 * kernel's ephemeral range (`ip_local_port_range`), which is where the kernel picks for `listen(0)` and for the
 * local end of outgoing connections, and reserved with a file created exclusively under `PORTS_DIR`; the files go
 * when the process exits, and one left by a process that is gone is taken over. An ephemeral port (what this
 * used to return) could be handed to another test file's `listen(0)` or to a connection between `freePort` and
 * the caller's `listen`, which then failed with EADDRINUSE (or, before `listenOn`, hung).
 */
const PORTS_DIR = join(tmpdir(), 'ferry-test-ports');
const reservedHere: string[] = [];
process.on('exit', () => {
  for (const f of reservedHere) rmSync(f, { force: true });
});

function portRange(): [number, number] {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (low >= 12_000) return [10_000, low];
  } catch {
    // not Linux: any unprivileged range; the reservation files still keep test files apart
  }
  return [20_000, 30_000];
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

function reserve(port: number): boolean {
  const file = join(PORTS_DIR, String(port));
  for (let i = 0; i < 2; i++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      reservedHere.push(file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(file, 'utf8'));
      if (!Number.isInteger(owner) || owner <= 0 || alive(owner)) return false;
      rmSync(file, { force: true }); // left by a process that is gone; two takers race on the `wx` above
    }
  }
  return false;
}

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createNetServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

export async function freePort(): Promise<number> {
  mkdirSync(PORTS_DIR, { recursive: true });
  const [low, high] = portRange();
  for (let i = 0; i < 500; i++) {
    const port = low + randomInt(high - low);
    if (reserve(port) && (await canListen(port))) return port;
  }
  throw new Error(`freePort: no free port in ${low}-${high} after 500 tries`);
}

/**
 * The environment of dex v2.45.1's login flow: sessions off (`DEX_SESSIONS_ENABLED=false`; Ferry's default is on).
 * Tests that pin v2.45.1 behaviour (login → approval on every login, no session cookie) run with it, which also
 * proves that the flag restores that behaviour.
 */
export const DEX_V2_45_ENV: NodeJS.ProcessEnv = Object.freeze({ DEX_SESSIONS_ENABLED: 'false' });

/** `yaml(issuer, listen)` returns the config text; storage/web/issuer keys are the test's to write. */
export async function startTestFerry(
  yaml: (issuer: string, listen: string) => string,
  opts: { env?: NodeJS.ProcessEnv; now?: () => Date } = {},
): Promise<TestFerry> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/dex`;
  const env = opts.env ?? {};
  const { config } = parseConfig(yaml(issuer, `127.0.0.1:${port}`), env);
  const ferry = await startFerry(config, { logger: silentLogger(), env, now: opts.now });
  return { issuer, ferry, stop: () => ferry.stop() };
}
