/**
 * A SAML response logs in once across every replica (issue 12 item 9): two Ferrys on one SQLite file share the
 * replay record of accepted assertion IDs (a stored entry, not a per-process cache), and an auth request that has
 * logged in takes no second response, whichever assertion it carries. The responses are genuinely signed with the
 * corpus IdP key (`test/fixtures/saml/corpus.ts`) for the auth requests the replicas really started.
 */

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../../../src/server/context.js';
import { finalizeLogin } from '../../../src/server/authflow/finalize.js';
import { OAuthError } from '../../../src/server/oauth2/oauth-error.js';
import { DEFAULTS, KEYS, responseXml, signedAssertion, WORLD } from '../../fixtures/saml/corpus.js';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-saml-replicas-'));
let a: TestFerry;
let b: TestFerry;

// Both replicas serve the same ACS URL (the load balancer's), so a response meant for one is valid on the other.
const config = (issuer: string, listen: string) => `
issuer: ${issuer}
storage: { type: sqlite3, config: { file: ${join(dir, 'ferry.db')} } }
web: { http: '${listen}' }
connectors:
- type: saml
  id: saml
  name: SAML
  config:
    ssoURL: https://idp.example.org/sso
    redirectURI: ${WORLD.acs}
    entityIssuer: ${WORLD.sp}
    ssoIssuer: ${WORLD.idp}
    caData: ${Buffer.from(KEYS.idpCert).toString('base64')}
    usernameAttr: name
    emailAttr: email
    groupsAttr: groups
staticClients:
- { id: app, secret: s3cret, name: App, redirectURIs: ['https://app.example.com/cb'] }
`;

before(async () => {
  a = await startTestFerry(config);
  b = await startTestFerry(config);
});
after(async () => {
  await a.stop();
  await b.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a login on `f` and returns its auth request id (the RelayState of the SAML post page). */
async function startLogin(f: TestFerry): Promise<string> {
  const q = new URLSearchParams({ client_id: 'app', redirect_uri: 'https://app.example.com/cb', response_type: 'code', scope: 'openid email', state: 'st' });
  const res = await fetch(`${f.issuer}/auth?${q}`, { redirect: 'manual' });
  const page = await res.text();
  assert.equal(res.status, 200, page);
  const relay = /name="RelayState" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(relay, 'the SAML post page carries the auth request id');
  return relay;
}

/** A response signed by the IdP for `requestId`, valid now, with its own assertion ID. */
function response(requestId: string, assertionId: string, nameId = 'janedoe@example.org'): string {
  const t = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  const p = { ...DEFAULTS, inResponseTo: requestId, assertionId, nameId, notBefore: t(-60), notOnOrAfter: t(300) };
  return Buffer.from(responseXml(p, signedAssertion(p))).toString('base64');
}

const post = (f: TestFerry, requestId: string, samlResponse: string) =>
  fetch(`${f.issuer}/callback`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: requestId }),
  });

test('an assertion accepted by replica A is refused by replica B (stored replay record)', async () => {
  const id = await startLogin(a);
  const signed = response(id, `_a-${randomUUID()}`);
  const first = await post(a, id, signed);
  await first.arrayBuffer();
  assert.equal(first.status, 303, 'replica A accepts the response');
  assert.match(first.headers.get('location') ?? '', /\/auth\?req=[a-z0-9]+&hmac=/, 'on to the dispatcher (sessions on)');
  // Replica B read the request before A stored the login (the race two replicas can run): only the replay
  // record can stop it now.
  await a.ferry.deps.storage.updateAuthRequest(id, (old) => ({ ...old, loggedIn: false }));
  const second = await post(b, id, signed);
  const page = await second.text();
  assert.equal(second.status, 400, 'replica B refuses the replayed assertion');
  assert.doesNotMatch(page, /janedoe/);
  assert.equal((await a.ferry.deps.storage.getAuthRequest(id)).loggedIn, false, 'B did not log the request in');

  // Control: B accepts a fresh assertion for a request of its own, so it is not refusing everything.
  const own = await startLogin(b);
  const fresh = await post(b, own, response(own, `_a-${randomUUID()}`));
  await fresh.arrayBuffer();
  assert.equal(fresh.status, 303);
});

test('a second response for a request that already logged in is a 400 and changes nothing', async () => {
  const id = await startLogin(a);
  const first = await post(a, id, response(id, `_a-${randomUUID()}`));
  await first.arrayBuffer();
  assert.equal(first.status, 303);
  const before = await a.ferry.deps.storage.getAuthRequest(id);
  assert.equal(before.loggedIn, true);
  assert.equal(before.claims.email, 'janedoe@example.org');

  // Another genuine assertion (new ID, other user) for the same request, on either replica.
  for (const f of [a, b]) {
    const again = await post(f, id, response(id, `_a-${randomUUID()}`, 'johndoe@example.org'));
    const page = await again.text();
    assert.equal(again.status, 400, 'the logged-in request takes no second response');
    assert.match(page, /already complete/);
    assert.equal(again.headers.get('location'), null, 'no way on to the approval step');
  }
  const after = await a.ferry.deps.storage.getAuthRequest(id);
  assert.deepEqual(after, before, 'the login (identity, auth time) is unchanged');
});

test('a login stored by another replica while this one verified is not overwritten (checked in the update)', async () => {
  const id = await startLogin(a);
  const stale = await a.ferry.deps.storage.getAuthRequest(id); // what A read before B's login landed
  const viaB = await post(b, id, response(id, `_a-${randomUUID()}`, 'johndoe@example.org'));
  await viaB.arrayBuffer();
  assert.equal(viaB.status, 303);
  const { deps } = a.ferry;
  const sessions = { enabled: false }; // the refusal comes from the stored update, before any session is touched
  const ctx = { storage: deps.storage, now: deps.now, config: deps.config, logger: deps.logger, issuerPath: '/dex', sessions } as unknown as ServerContext;
  const resolved = await deps.connectors.get('saml');
  const identity = { userId: 'other', username: 'Other', preferredUsername: '', email: 'other@example.org', emailVerified: true, groups: [], connectorData: null };
  const reply = { redirect: () => assert.fail('no redirect to the approval step') } as unknown as FastifyReply;
  await assert.rejects(finalizeLogin({ id: 'r1' } as FastifyRequest, reply, ctx, stale, resolved, identity), (err: unknown) => {
    assert.ok(err instanceof OAuthError && err.status === 400, String(err));
    return true;
  });
  assert.equal((await deps.storage.getAuthRequest(id)).claims.email, 'johndoe@example.org', "B's login is kept");
});

test('two different responses for one request racing on both replicas: exactly one logs in', async () => {
  const id = await startLogin(a);
  const results = await Promise.all([a, b].map(async (f, i) => {
    const r = await post(f, id, response(id, `_a-${randomUUID()}`, i === 0 ? 'janedoe@example.org' : 'johndoe@example.org'));
    await r.arrayBuffer();
    return r.status;
  }));
  assert.deepEqual([...results].sort(), [303, 400], `statuses ${results}`);
  const stored = await a.ferry.deps.storage.getAuthRequest(id);
  assert.equal(stored.claims.email, results[0] === 303 ? 'janedoe@example.org' : 'johndoe@example.org', "the winner's identity is the one kept");
});
