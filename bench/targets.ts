/**
 * The two servers under test. Each starts as its own child process on a random loopback port and is described
 * to the workloads only by its discovery document, its clients and its login details.
 */

import { hash } from '@node-rs/bcrypt';
import { statSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse, stringify } from 'yaml';
import type { LoginTarget } from './lib/login-flow.js';
import { freePort, startServer, type ServerProcess } from './lib/proc.js';

export const CLIENT_SECRET = 'bench-secret';
export const REDIRECT_URI = 'http://127.0.0.1:1/cb';
export const USERNAME = 'bench';
export const PASSWORD = 'bench';
/**
 * Users of the `local` password DB: one per browser of the login-under-load row (bench/run.ts), as real logins are
 * of different people. Ferry's brute-force throttle has the attempts on one account take turns (each is claimed
 * before its check, docs/security.md): eight browsers hashing for one account would hash one at a time and measure
 * that queue, not the discovery latency beside parallel logins.
 */
export const LOCAL_USERS = 16;
export const localUser = (i: number): string => `bench${i % LOCAL_USERS}@example.com`;

export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint: string;
  introspection_endpoint?: string;
}

export interface RunningServer {
  name: string;
  proc: ServerProcess;
  discoveryUrl: string;
  discovery: Discovery;
  /**
   * The login target for client `bench-<i>` (and, for Ferry, a chosen connector; `opaque`: Ferry's
   * `bench-opaque-<i>`, whose access tokens are opaque; the peer's always are).
   */
  login: (clientIndex: number, connectorId?: string, opts?: { opaque?: boolean }) => LoginTarget;
}

const BENCH_DIR = import.meta.dirname;
const ROOT = join(BENCH_DIR, '..');

async function describe(name: string, proc: ServerProcess, discoveryUrl: string, extra: (c?: string) => Record<string, string>): Promise<RunningServer> {
  const res = await fetch(discoveryUrl);
  const discovery = (await res.json()) as Discovery;
  return {
    name,
    proc,
    discoveryUrl,
    discovery,
    login: (i, connectorId, opts) => ({
      authorizationEndpoint: discovery.authorization_endpoint,
      tokenEndpoint: discovery.token_endpoint,
      clientId: opts?.opaque && name.startsWith('Ferry') ? `bench-opaque-${i}` : `bench-${i}`,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      scope: 'openid email offline_access',
      username: connectorId === 'local' ? localUser(i) : USERNAME,
      password: PASSWORD,
      extraParams: extra(connectorId),
    }),
  };
}

export async function startPeer(clients: number): Promise<RunningServer> {
  const port = await freePort();
  const discoveryUrl = `http://127.0.0.1:${port}/.well-known/openid-configuration`;
  const proc = await startServer(
    [join(BENCH_DIR, 'peer-oidc-provider.mjs')],
    { PORT: String(port), CLIENTS: String(clients), CLIENT_SECRET, REDIRECT_URI, BENCH_USER: USERNAME, BENCH_PASSWORD: PASSWORD },
    discoveryUrl,
  );
  // oidc-provider only honours offline_access when consent is prompted for.
  return describe('oidc-provider 9.13.3', proc, discoveryUrl, () => ({ prompt: 'consent' }));
}

const newestMtime = (dir: string): number =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .reduce((max, e) => Math.max(max, statSync(join(e.parentPath, e.name)).mtimeMs), 0);

/**
 * How `bin/ferry` and `npm start` run Ferry: the bundle. `BENCH_FERRY_LAUNCH` compares other ways, e.g.
 * `dist/main.js` (the unbundled build) or `--max-semi-space-size=1 dist/bundle/main.js` (V8 flags).
 */
export const FERRY_LAUNCH = process.env.BENCH_FERRY_LAUNCH
  ? process.env.BENCH_FERRY_LAUNCH.split(' ').map((a) => (a.endsWith('.js') ? join(ROOT, a) : a))
  : [join(ROOT, 'dist', 'bundle', 'main.js')];

/** `npm run build` when the bundle is missing or older than any file in src/. */
export function ensureBuilt(): void {
  const main = join(ROOT, 'dist', 'bundle', 'main.js');
  let built = 0;
  try {
    built = statSync(main).mtimeMs;
  } catch {
    built = 0;
  }
  if (built > newestMtime(join(ROOT, 'src'))) return;
  console.log('building Ferry (dist is missing or stale)…');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/** `algorithm` overrides the signing key's (`signer.config.algorithm`); the server is then named after it. */
export async function startFerry(clients: number, tmpDir: string, algorithm?: string): Promise<RunningServer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/dex`;
  const config = parse(readFileSync(join(BENCH_DIR, 'ferry-bench.yaml'), 'utf8')) as Record<string, unknown>;
  config.issuer = issuer;
  config.web = { ...(config.web as object), http: `127.0.0.1:${port}` };
  // BENCH_FERRY_STORAGE=memory matches the peer, which keeps everything in a JavaScript Map; sqlite3 is the default.
  config.storage =
    process.env.BENCH_FERRY_STORAGE === 'memory' ? { type: 'memory' } : { type: 'sqlite3', config: { file: join(tmpDir, `ferry${algorithm ?? ''}.db`) } };
  const [template] = config.staticPasswords as Record<string, unknown>[];
  const passwordHash = await hash(PASSWORD, 10);
  config.staticPasswords = Array.from({ length: LOCAL_USERS }, (_, i) => ({
    ...template,
    email: localUser(i),
    username: `bench${i}`,
    userID: `6f9c1ac6-2f0e-4b4e-9d0a-${String(i).padStart(12, '0')}`,
    hash: passwordHash,
  }));
  config.staticClients = [false, true].flatMap((opaque) =>
    Array.from({ length: clients }, (_, i) => ({
      id: opaque ? `bench-opaque-${i}` : `bench-${i}`,
      name: `Bench ${i}`,
      secret: CLIENT_SECRET,
      redirectURIs: [REDIRECT_URI],
      ...(opaque ? { accessTokenFormat: 'opaque' } : {}),
    })),
  );
  if (algorithm) {
    const signer = config.signer as { config: Record<string, unknown> };
    signer.config = { ...signer.config, algorithm };
  }
  const configFile = join(tmpDir, algorithm ? `ferry-bench-${algorithm}.yaml` : 'ferry-bench.yaml');
  writeFileSync(configFile, stringify(config));
  const discoveryUrl = `${issuer}/.well-known/openid-configuration`;
  const proc = await startServer([...FERRY_LAUNCH, 'serve', configFile], {}, discoveryUrl);
  return describe(algorithm ? `Ferry ${algorithm}` : 'Ferry', proc, discoveryUrl, (connectorId) => ({ connector_id: connectorId ?? 'mock' }));
}
