/**
 * The shipped command as users run it: `bin/ferry` executing the esbuild bundle (`dist/bundle/main.js`, built by
 * `scripts/image/dist.sh` when the sources changed), not the sources through tsx. It serves a config with SQLite
 * storage (a native module the bundle leaves external) and the password DB; an openid-client login with PKCE, a
 * refresh, and a clean stop on SIGTERM. The npm tarball and the container image are tested in npm-package.test.ts
 * and image.test.ts; this one needs neither npm nor podman, so it always runs.
 */

import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { hash } from '@node-rs/bcrypt';
import { decodeJwt } from 'jose';
import { freePort } from '../../helpers/ferry.js';
import { passwordLogin } from './chart.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FERRY = join(ROOT, 'bin', 'ferry');
const REDIRECT = 'http://127.0.0.1:5555/callback';
const dir = mkdtempSync(join(tmpdir(), 'ferry-bundle-'));
let server: ChildProcess | undefined;
let log = '';
let issuer = '';

before(async () => {
  await run('bash', ['scripts/image/dist.sh'], { cwd: ROOT, timeout: 15 * 60_000 });
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}/dex`;
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `
issuer: ${issuer}
storage: { type: sqlite3, config: { file: ${join(dir, 'dex.db')} } }
web: { http: 127.0.0.1:${port} }
enablePasswordDB: true
staticPasswords:
- { email: bundle@example.com, hash: "${await hash('bundle-password', 10)}", username: bundle, userID: 3d1f6a0e-bundle }
staticClients:
- { id: bundle-app, name: Bundle App, public: true, redirectURIs: ['${REDIRECT}'] }
`);
  server = spawn(FERRY, ['serve', config], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (d: Buffer) => (log += d));
  server.stderr!.on('data', (d: Buffer) => (log += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await fetch(`${issuer}/.well-known/openid-configuration`).catch(() => undefined);
    if (r?.status === 200) break;
    if (Date.now() > deadline || server.exitCode !== null) assert.fail(`bin/ferry serve never answered; output:\n${log}`);
    await new Promise((done) => setTimeout(done, 300));
  }
});

after(() => {
  if (server?.exitCode === null) server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('bin/ferry (the bundle)', () => {
  test('the running process is node executing dist/bundle/main.js', () => {
    const argv = readFileSync(`/proc/${server!.pid}/cmdline`, 'utf8').split('\0');
    assert.equal(resolve(argv[1] ?? ''), join(ROOT, 'dist', 'bundle', 'main.js'));
    assert.equal(argv[2], 'serve');
  });

  test('`bin/ferry version` answers', async () => {
    const { stdout } = await run(FERRY, ['version']);
    assert.match(stdout, /^Ferry Version: \d+\.\d+\.\d+\nNode Version: v\d+/);
  });

  test('a password login with PKCE, then a refresh that rotates the refresh token', async () => {
    const tokens = await passwordLogin(issuer, 'bundle-app', REDIRECT, 'bundle@example.com', 'bundle-password');
    assert.equal(tokens.claims()?.email, 'bundle@example.com');
    assert.ok(tokens.refresh_token, 'offline_access gave a refresh token (stored in SQLite)');

    const refreshed = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'bundle-app' }),
    });
    const body = (await refreshed.json()) as { id_token?: string; refresh_token?: string };
    assert.equal(refreshed.status, 200, JSON.stringify(body));
    const claims = decodeJwt(body.id_token ?? '');
    assert.equal(claims.sub, tokens.claims()?.sub);
    assert.equal(claims.email, 'bundle@example.com');
    assert.ok(body.refresh_token && body.refresh_token !== tokens.refresh_token, 'the refresh token rotated');
  });

  test('SIGTERM stops it cleanly (exit code 0)', async () => {
    const exited = new Promise<number | null>((done) => server!.once('exit', (code) => done(code)));
    server!.kill('SIGTERM');
    assert.equal(await exited, 0, log);
  });
});
