/**
 * Runs N Ferry replicas as separate processes (`node --import tsx src/main.ts serve <config>`, as in production
 * behind a load balancer) on one store, and drives a browser login across them: every hop may go to another
 * replica, since all flow state lives in the store and cookies are per host (not per port).
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hash } from '@node-rs/bcrypt';
import { freePort } from '../../helpers/ferry.js';
import { readForm, UserAgent } from '../../helpers/user-agent.js';
import { CLIENT_IDS, CLIENT_SECRET, REDIRECT, replicaYaml, type StoreConfig, USER } from './replicas.config.js';

export interface Replica {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  /** The replica's own base URL for the issuer path: `${origin}/dex`. */
  base: string;
  child: ChildProcess;
}

export interface Cluster {
  /** The one issuer every replica is configured with (tokens carry it as `iss`). */
  issuer: string;
  replicas: Replica[];
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../../../src/main.ts', import.meta.url));
const READY_TIMEOUT_MS = 90_000;

async function waitReady(r: Replica, log: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (r.child.exitCode !== null) break;
    const ok = await fetch(`${r.base}/.well-known/openid-configuration`).then((res) => res.ok, () => false);
    if (ok) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`replica ${r.origin} did not start:\n${readFileSync(log, 'utf8').slice(-2000)}`);
}

export async function startCluster(n: number, storage: StoreConfig): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-replicas-'));
  const ports = await Promise.all(Array.from({ length: n }, () => freePort()));
  const issuer = `http://127.0.0.1:${ports[0]}/dex`;
  const passwordHash = await hash(USER.password, 10);
  const replicas: Replica[] = [];
  const logs: string[] = [];
  for (const [i, port] of ports.entries()) {
    const file = join(dir, `replica-${i}.yaml`);
    writeFileSync(file, replicaYaml({ issuer, listen: `127.0.0.1:${port}`, storage, passwordHash }));
    const log = join(dir, `replica-${i}.log`);
    const out = openSync(log, 'w');
    // One process per replica: these tests are about replicas; workers within one are test/flows/cluster/'s.
    const env = { ...process.env, FERRY_WORKERS: '1' };
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', file], { stdio: ['ignore', out, out], env });
    replicas.push({ origin: `http://127.0.0.1:${port}`, base: `http://127.0.0.1:${port}/dex`, child });
    logs.push(log);
  }
  const stop = async () => {
    await Promise.all(
      replicas.map(
        (r) =>
          new Promise<void>((done) => {
            if (r.child.exitCode !== null) return done();
            const kill = setTimeout(() => r.child.kill('SIGKILL'), 5000);
            r.child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            r.child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(replicas.map((r, i) => waitReady(r, logs[i]!)));
  } catch (err) {
    await stop();
    throw err;
  }
  return { issuer, replicas, stop };
}

/** `url` with its origin replaced by the replica's (same path and query). */
export const on = (r: Replica, url: string): string => {
  const u = new URL(url);
  return r.origin + u.pathname + u.search;
};

/** Follows redirects, sending every hop to `r`; stops at a page, or at the client's redirect URI. */
export async function follow(ua: UserAgent, r: Replica, url: string, init?: RequestInit): Promise<{ url: string; html: string; status: number; redirect?: URL }> {
  let next = on(r, url);
  let req = init;
  for (let i = 0; i < 10; i++) {
    const res = await ua.request(next, req);
    req = undefined;
    const loc = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && loc) {
      const target = new URL(loc, next);
      if (target.href.startsWith(REDIRECT)) return { url: next, html: '', status: res.status, redirect: target };
      next = on(r, target.href);
      continue;
    }
    return { url: next, html: await res.text(), status: res.status };
  }
  throw new Error('too many redirects');
}

const formPost = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

/**
 * The browser part of a code flow: `/auth` on `start`, the password form and the approval on `finish`.
 * Returns the authorization code.
 */
export async function browserLogin(start: Replica, finish: Replica, clientId: string = CLIENT_IDS[0]): Promise<string> {
  const ua = new UserAgent(start.origin);
  const scope = 'openid email offline_access';
  const q = new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', scope, state: 'state-1', nonce: 'nonce-1' });
  let page = await follow(ua, start, `${start.base}/auth?${q}`);
  const link = /href="([^"]*\/auth\/local[^"]*)"/.exec(page.html)?.[1];
  if (link) page = await follow(ua, start, new URL(link.replace(/&amp;/g, '&'), page.url).href);
  assert.equal(page.status, 200, `password form on ${start.origin}`);
  const form = readForm({ ...page, headers: new Headers() });
  page = await follow(ua, finish, form.action, formPost({ ...form.fields, login: USER.email, password: USER.password }));
  if (!page.redirect) {
    assert.equal(page.status, 200, `approval page on ${finish.origin}: ${page.html.slice(0, 200)}`);
    const approval = readForm({ ...page, headers: new Headers() });
    page = await follow(ua, finish, approval.action, formPost({ ...approval.fields, approval: 'approve' }));
  }
  assert.ok(page.redirect, 'redirected to the client');
  assert.equal(page.redirect.searchParams.get('state'), 'state-1');
  const code = page.redirect.searchParams.get('code');
  assert.ok(code, `a code in ${page.redirect.href}`);
  return code;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, string>;
}

/** POST /token on replica `r` with client_secret_basic. */
export async function token(r: Replica, form: Record<string, string>, clientId: string = CLIENT_IDS[0]): Promise<TokenAnswer> {
  const res = await fetch(`${r.base}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${CLIENT_SECRET}`).toString('base64')}`,
    },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

export const redeem = (r: Replica, code: string, clientId?: string) => token(r, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, clientId);
export const refresh = (r: Replica, refreshToken: string, clientId?: string) => token(r, { grant_type: 'refresh_token', refresh_token: refreshToken }, clientId);
