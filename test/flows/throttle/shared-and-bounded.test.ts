/**
 * The lockout is stored, so a second Ferry on the same SQLite file refuses the locked account at once; the client
 * address honours `web.clientRemoteIP` only from a trusted proxy; and anonymous floods of `/auth/{connector}` and
 * `/device/code` cannot grow the store without bound (issue 12 item 1).
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { hash } from '@node-rs/bcrypt';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { basic } from '../grants/grants.config.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-throttle-'));
const USER = { email: 'jane@example.com', password: 'correct horse' };
let a: TestFerry;
let b: TestFerry;

const config = (pwHash: string) => (issuer: string, listen: string) => `
issuer: ${issuer}
storage: { type: sqlite3, config: { file: ${join(dir, 'ferry.db')} } }
web:
  http: '${listen}'
  clientRemoteIP: { header: X-Real-IP, trustedProxies: ['127.0.0.1/32'] }
oauth2: { passwordConnector: local, grantTypes: [authorization_code, password, 'urn:ietf:params:oauth:grant-type:device_code'] }
expiry: { deviceRequests: 5m }
enablePasswordDB: true
staticPasswords:
- { email: ${USER.email}, hash: "${pwHash}", username: jane, userID: 6d3a6a2e-2c4b-4a8e-9d1c-1f2e3d4c5b6a }
connectors:
- { type: mockCallback, id: upstream, name: Upstream }
staticClients:
- { id: app, secret: s3cret, name: App, redirectURIs: ['https://app.example.com/cb', '/dex/device/callback'] }
`;

before(async () => {
  const h = await hash(USER.password, 10);
  a = await startTestFerry(config(h));
  b = await startTestFerry(config(h));
});
after(async () => {
  await a.stop();
  await b.stop();
  rmSync(dir, { recursive: true, force: true });
});

const grant = (f: TestFerry, password: string, ip?: string) =>
  fetch(`${f.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('app', 's3cret'), ...(ip ? { 'x-real-ip': ip } : {}) },
    body: new URLSearchParams({ grant_type: 'password', username: USER.email, password, scope: 'openid' }),
  });

test('an account locked through one replica is locked on the other (same SQLite file)', async () => {
  // Wrong passwords through A until A announces a block of at least 2 s (the backoff doubles).
  let wait = 0;
  for (let i = 0; i < 100 && wait < 2; i++) {
    const r = await grant(a, `wrong-${i}`);
    await r.arrayBuffer();
    wait = r.status === 429 ? Number(r.headers.get('retry-after')) : 0;
    // A 1 s block must run out before the next failure can double it (however fast the machine answers).
    if (r.status === 429 && wait < 2) await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
  }
  assert.ok(wait >= 2, 'replica A locked the account');
  const viaB = await grant(b, USER.password);
  assert.equal(viaB.status, 429, 'replica B refuses the right password too');
  assert.match(viaB.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
});

test('X-Real-IP from the trusted proxy (127.0.0.1) separates client addresses', async () => {
  // Each spoofed-but-trusted address is a distinct client: 31 failures from one address block it, not the others.
  const account = (i: number) => `nobody${i}@example.com`;
  const one = async (ip: string, i: number) =>
    (await fetch(`${a.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('app', 's3cret'), 'x-real-ip': ip },
      body: new URLSearchParams({ grant_type: 'password', username: account(i), password: 'x', scope: 'openid' }),
    })).status;
  const fromOne: number[] = [];
  for (let i = 0; i < 34; i++) fromOne.push(await one('203.0.113.7', i));
  assert.ok(fromOne.includes(429), `203.0.113.7 is throttled: ${fromOne.join(',')}`);
  assert.equal(await one('203.0.113.8', 99), 401, 'another address behind the same proxy is not');
});

test('a flood of /auth/{connector} stores a bounded number of auth requests', async () => {
  const q = new URLSearchParams({ client_id: 'app', redirect_uri: 'https://app.example.com/cb', response_type: 'code', scope: 'openid' });
  const counts = new Map<number, number>();
  for (let i = 0; i < 300; i++) {
    const r = await fetch(`${b.issuer}/auth/upstream?${q}`, { redirect: 'manual' });
    await r.arrayBuffer();
    counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  }
  assert.ok((counts.get(429) ?? 0) >= 150, `most of the flood is refused: ${JSON.stringify([...counts])}`);
  const gc = await b.ferry.deps.storage.garbageCollect(new Date(Date.now() + 2 * 24 * 3600_000));
  assert.ok(gc.authRequests <= 100, `stored auth requests: ${gc.authRequests}`);
  assert.ok(gc.authRequests > 0);
});

test('/device/code is bounded per client address: 429 temporarily_unavailable with Retry-After', async () => {
  const statuses: number[] = [];
  let limited: Response | undefined;
  for (let i = 0; i < 40; i++) {
    const r = await fetch(`${a.issuer}/device/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-real-ip': '198.51.100.4' },
      body: new URLSearchParams({ client_id: 'app', client_secret: 's3cret', scope: 'openid' }),
    });
    statuses.push(r.status);
    if (r.status === 429 && !limited) limited = r;
    else await r.arrayBuffer();
  }
  assert.deepEqual(statuses.slice(0, 30), Array(30).fill(200));
  assert.ok(limited, `never limited: ${statuses.join(',')}`);
  assert.match(limited.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
  assert.equal(((await limited.json()) as { error: string }).error, 'temporarily_unavailable');
});
