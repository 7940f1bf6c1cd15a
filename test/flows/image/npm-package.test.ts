/**
 * `npm install -g` of the packed package gives a working `ferry`: the tarball carries the built bundle (no build on
 * the user's side) and no sources or tests, the install brings runtime dependencies only, and the installed command
 * serves a config through a real login and a refresh (bcrypt: @node-rs/bcrypt's prebuilt platform package).
 * The install resolves dependencies from npm's cache, then the registry. better-sqlite3's own install script (it compiles SQLite where no
 * prebuilt binary can be fetched, 10 minutes on a busy 2-core machine) is not run here: npm 11 runs it only with
 * --allow-scripts=better-sqlite3 (docs/container.md), and the image test covers sqlite.
 */

import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { hash } from '@node-rs/bcrypt';
import { decodeJwt } from 'jose';
import { freePort } from '../../helpers/ferry.js';
import { passwordLogin } from './chart.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'ferry-npm-'));
const prefix = join(dir, 'prefix');
const ferryBin = join(prefix, 'bin', 'ferry');
const installed = join(prefix, 'lib', 'node_modules', 'ferry');
let files: string[] = [];
let server: ChildProcess | undefined;

before(async () => {
  await run('bash', ['scripts/image/dist.sh'], { timeout: 10 * 60_000 });
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { maxBuffer: 1 << 24 });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  files = packed!.files.map((f) => f.path);
  await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund',
    join(dir, packed!.filename)], { timeout: 15 * 60_000, maxBuffer: 1 << 24 });
});

after(() => {
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('npm install -g of the packed package', () => {
  test('the tarball holds the built command, pages and package.json; no sources, tests or build leftovers', () => {
    for (const f of ['package.json', 'bin/ferry', 'dist/bundle/main.js', 'dist/index.js', 'web/templates/login.html']) {
      assert.ok(files.includes(f), `${f} packed`);
    }
    for (const f of files) assert.doesNotMatch(f, /^(src|test|bench|scripts)\/|\.test\.|^dist\/\.|\.tsbuildinfo$/, f);
  });

  test('runtime dependencies only: no dev tools installed', () => {
    for (const dev of ['typescript', 'esbuild', 'tsx', 'eslint', 'oidc-provider', 'playwright-core']) {
      assert.equal(existsSync(join(installed, 'node_modules', dev)), false, `${dev} not installed`);
    }
    assert.ok(existsSync(join(installed, 'node_modules', 'better-sqlite3')));
  });

  test('`ferry version` answers', async () => {
    const { stdout } = await run(ferryBin, ['version']);
    assert.match(stdout, /^Ferry Version: \d+\.\d+\.\d+\nNode Version: v\d+/);
  });

  test('`ferry serve`: discovery and a password login', async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}/dex`;
    const config = join(dir, 'config.yaml');
    writeFileSync(config, `
issuer: ${issuer}
storage: { type: memory }
web: { http: 127.0.0.1:${port} }
enablePasswordDB: true
staticPasswords:
- { email: npm@example.com, hash: "${await hash('npm-password', 10)}", username: npm, userID: 0b6f6d0a-npm }
staticClients:
- { id: npm-app, name: Npm App, public: true, redirectURIs: ['http://127.0.0.1:5555/callback'] }
`);
    let log = '';
    server = spawn(ferryBin, ['serve', config], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => (log += d));
    server.stderr!.on('data', (d: Buffer) => (log += d));
    const deadline = Date.now() + 30_000;
    let discovery: Response | undefined;
    while (!discovery) {
      discovery = await fetch(`${issuer}/.well-known/openid-configuration`).catch(() => undefined);
      if (!discovery && Date.now() > deadline) assert.fail(`ferry serve never answered; output:\n${log}`);
      if (!discovery) await new Promise((r) => setTimeout(r, 300));
    }
    assert.equal(discovery.status, 200);
    assert.equal(((await discovery.json()) as { issuer: string }).issuer, issuer);
    const tokens = await passwordLogin(issuer, 'npm-app', 'http://127.0.0.1:5555/callback', 'npm@example.com', 'npm-password');
    assert.equal(tokens.claims()?.email, 'npm@example.com');

    // The refresh grant, as a public client sends it: a new ID token for the same user and a rotated refresh token.
    assert.ok(tokens.refresh_token, 'offline_access gave a refresh token');
    const refreshed = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'npm-app' }),
    });
    const body = (await refreshed.json()) as { id_token?: string; refresh_token?: string };
    assert.equal(refreshed.status, 200, JSON.stringify(body));
    const claims = decodeJwt(body.id_token ?? '');
    assert.equal(claims.email, 'npm@example.com');
    assert.equal(claims.sub, tokens.claims()?.sub);
    assert.ok(body.refresh_token && body.refresh_token !== tokens.refresh_token, 'the refresh token rotated');
  });
});
