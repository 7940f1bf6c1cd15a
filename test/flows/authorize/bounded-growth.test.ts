/**
 * Unauthenticated visits to /auth must not grow the store without bound (dex #1292): a password login stores
 * nothing until the credentials are right, and a login sent to an upstream provider stores one request that
 * expires within the hour (garbage collection removes it), whatever `expiry.authRequests` says. A browser holds at
 * most one such pending request per client (issue 12 item 1).
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEX_V2_45_ENV, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { readForm, UserAgent } from '../../helpers/user-agent.js';

let f: TestFerry;
before(async () => {
  f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage: { type: memory }
web: { http: '${listen}' }
expiry: { authRequests: 24h }
connectors:
- { type: mockPassword, id: pw, name: Password, config: { username: kilgore, password: trout } }
- { type: mockCallback, id: upstream, name: Upstream }
staticClients:
- { id: app, secret: s, name: App, redirectURIs: ['https://app.example.com/cb'] }
- { id: other, secret: s, name: Other, redirectURIs: ['https://app.example.com/cb'], allowedConnectors: [upstream] }
`, { env: DEX_V2_45_ENV }); // the approval page ends each login (dex v2.45.1's flow)
});
after(() => f.stop());

const q = (connector: string, client = 'app') =>
  new URLSearchParams({ client_id: client, redirect_uri: 'https://app.example.com/cb', response_type: 'code', scope: 'openid', connector_id: connector });

/** Number of auth requests in the store: everything is expired two days from now, so GC counts them all. */
async function storedAuthRequests(): Promise<number> {
  const gc = await f.ferry.deps.storage.garbageCollect(new Date(Date.now() + 2 * 24 * 3600 * 1000));
  return gc.authRequests;
}

test('300 visits to a password login store nothing; a successful login stores exactly one request', async () => {
  await Promise.all(
    Array.from({ length: 300 }, async () => {
      const page = await new UserAgent(f.issuer).browse(`${f.issuer}/auth?${q('pw')}`);
      assert.equal(page.status, 200);
    }),
  );
  assert.equal(await storedAuthRequests(), 0, 'bots filling in nothing leave nothing behind');

  const ua = new UserAgent(f.issuer);
  const form = await ua.browse(`${f.issuer}/auth?${q('pw')}`);
  const wrong = await ua.submit(readForm(form), { login: 'kilgore', password: 'nope' });
  assert.equal(wrong.status, 401);
  assert.equal(await storedAuthRequests(), 0, 'a wrong password stores nothing either');
  const approval = await ua.submit(readForm(wrong), { login: 'kilgore', password: 'trout' });
  assert.equal(approval.status, 200);
  assert.equal(await storedAuthRequests(), 1);
});

test('visits that go to an upstream provider expire within the hour, not after expiry.authRequests', async () => {
  for (let i = 0; i < 50; i++) {
    const r = await fetch(`${f.issuer}/auth/upstream?${q('upstream')}`, { redirect: 'manual' });
    assert.equal(r.status, 302);
  }
  const storage = f.ferry.deps.storage;
  const inFiftyNineMinutes = await storage.garbageCollect(new Date(Date.now() + 59 * 60 * 1000));
  assert.equal(inFiftyNineMinutes.authRequests, 0, 'still valid for a slow upstream login');
  const inSixtyOneMinutes = await storage.garbageCollect(new Date(Date.now() + 61 * 60 * 1000));
  assert.equal(inSixtyOneMinutes.authRequests, 50, 'all collected after an hour');
});

/** Starts a login at the upstream connector; returns the stored request's id (the `state` sent upstream) and the URL. */
async function startUpstream(ua: UserAgent, client = 'app'): Promise<{ id: string; next: string }> {
  const r = await ua.request(`${f.issuer}/auth/upstream?${q('upstream', client)}`);
  assert.equal(r.status, 302);
  const next = new URL(r.headers.get('location') ?? '', f.issuer);
  return { id: next.searchParams.get('state') ?? '', next: next.href };
}

/** How many of `ids` are still stored. */
async function stillStored(ids: string[]): Promise<number> {
  const found = await Promise.all(ids.map((id) => f.ferry.deps.storage.getAuthRequest(id).then(() => 1, () => 0)));
  return found.reduce((a: number, b: number) => a + b, 0);
}

test('one browser starting 20 upstream logins for one client holds one pending request; the last one completes', async () => {
  await storedAuthRequests(); // empty the store
  const ua = new UserAgent(f.issuer);
  const started: { id: string; next: string }[] = [];
  for (let i = 0; i < 20; i++) started.push(await startUpstream(ua));
  assert.equal(new Set(started.map((s) => s.id)).size, 20);
  assert.equal(await stillStored(started.map((s) => s.id)), 1);
  const last = started.at(-1);
  assert.ok(last);
  await f.ferry.deps.storage.getAuthRequest(last.id); // the survivor is the newest
  const earlier = await ua.browse(started[0]?.next ?? '');
  assert.equal(earlier.status, 400, 'a replaced login cannot be finished');
  const done = await ua.browse(last.next);
  assert.equal(done.status, 200, 'the newest login reaches the approval page');
  assert.match(done.html, /approval|Grant Access|grant access/i);
});

test('two browsers keep one pending request each; one browser keeps one per client', async () => {
  await storedAuthRequests(); // empty the store
  const a = new UserAgent(f.issuer);
  const b = new UserAgent(f.issuer);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await startUpstream(a)).id, (await startUpstream(b)).id, (await startUpstream(a, 'other')).id);
  assert.equal(await stillStored(ids), 3);
  assert.equal(await storedAuthRequests(), 3, 'nothing else was stored');
});

test('a pending-request cookie naming another browser\'s request does not delete it', async () => {
  await storedAuthRequests(); // empty the store
  const victim = await startUpstream(new UserAgent(f.issuer));
  const attacker = new UserAgent(f.issuer);
  await startUpstream(attacker);
  const [name] = [...attacker.jar.keys()].filter((k) => k.includes('_req_'));
  assert.ok(name, 'the pending-request cookie was set');
  attacker.jar.set(name, victim.id);
  await startUpstream(attacker);
  assert.equal(await stillStored([victim.id]), 1);
});
