/**
 * Unauthenticated visits to /auth must not grow the store without bound (dex #1292): a password login stores
 * nothing until the credentials are right, and a login sent to an upstream provider stores one request that
 * expires within the hour (garbage collection removes it), whatever `expiry.authRequests` says.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
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
`);
});
after(() => f.stop());

const q = (connector: string) =>
  new URLSearchParams({ client_id: 'app', redirect_uri: 'https://app.example.com/cb', response_type: 'code', scope: 'openid', connector_id: connector });

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
