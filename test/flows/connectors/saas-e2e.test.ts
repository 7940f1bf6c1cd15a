/**
 * End to end through Ferry with dex-format configs: `microsoft` (a callback connector, against the Microsoft
 * identity platform + Graph simulation) and `keystone` / `atlassian-crowd` (password connectors, against their
 * REST simulations). A scripted browser logs in, the client redeems the code, the ID token carries the mapped
 * claims, a refresh reflects an upstream change, and refused users or failing upstreams end on clean pages.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { SIM_UPSTREAM_BODY, type ApiSim } from '../../sim/api-sim.js';
import { CROWD_APP, startCrowdSim, type CrowdSimUser } from '../../sim/crowd-sim.js';
import { KEYSTONE_ADMIN, startKeystoneSim, type KeystoneSim } from '../../sim/keystone-sim.js';
import { MICROSOFT_CLIENT, startMicrosoftSim, TENANT, type MicrosoftSimUser } from '../../sim/microsoft-sim.js';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { readForm, UserAgent } from '../../helpers/user-agent.js';

const REDIRECT = 'http://127.0.0.1:5555/callback';
const CLIENT = { id: 'app', secret: 'app-secret' };

let ms: ApiSim<MicrosoftSimUser>;
let ks: KeystoneSim;
let crowd: ApiSim<CrowdSimUser>;
let f: TestFerry;
before(async () => {
  [ms, ks, crowd] = await Promise.all([startMicrosoftSim(), startKeystoneSim(), startCrowdSim()]);
  f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
oauth2:
  skipApprovalScreen: true
connectors:
- type: microsoft
  id: microsoft
  name: Microsoft
  config:
    clientID: ${MICROSOFT_CLIENT.clientId}
    clientSecret: ${MICROSOFT_CLIENT.clientSecret}
    redirectURI: ${issuer}/callback
    tenant: ${TENANT}
    apiURL: ${ms.url}
    graphURL: ${ms.url}
    groups: [Developers, Admins]
    useGroupsAsWhitelist: true
    preferredUsernameField: mailNickname
- type: keystone
  id: keystone
  name: OpenStack
  config:
    keystoneHost: ${ks.url}
    domain: default
    keystoneUsername: ${KEYSTONE_ADMIN.username}
    keystonePassword: ${KEYSTONE_ADMIN.password}
- type: atlassian-crowd
  id: crowd
  name: Crowd
  config:
    baseURL: ${crowd.url}/crowd
    clientID: ${CROWD_APP.name}
    clientSecret: ${CROWD_APP.password}
    usernamePrompt: Crowd login
staticClients:
- id: ${CLIENT.id}
  secret: ${CLIENT.secret}
  name: App
  redirectURIs: ['${REDIRECT}']
`);
});
after(async () => {
  await f.stop();
  await Promise.all([ms.close(), ks.close(), crowd.close()]);
});

const authQuery = (scope: string) => new URLSearchParams({ client_id: CLIENT.id, redirect_uri: REDIRECT, response_type: 'code', scope, state: 'st-1', nonce: 'n-1' });
const SCOPE = 'openid email profile groups offline_access';

async function tokenRequest(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${f.issuer}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

async function redeem(redirect: URL | undefined): Promise<{ claims: JWTPayload; refreshToken: string }> {
  assert.ok(redirect, 'redirected to the client');
  assert.equal(redirect.searchParams.get('state'), 'st-1');
  const { status, body } = await tokenRequest({ grant_type: 'authorization_code', code: redirect.searchParams.get('code') ?? '', redirect_uri: REDIRECT });
  assert.equal(status, 200, JSON.stringify(body));
  const { payload } = await jwtVerify(String(body.id_token), createRemoteJWKSet(new URL(`${f.issuer}/keys`)), { issuer: f.issuer, audience: CLIENT.id });
  return { claims: payload, refreshToken: String(body.refresh_token) };
}

async function refreshClaims(refreshToken: string): Promise<JWTPayload> {
  const { status, body } = await tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
  assert.equal(status, 200, JSON.stringify(body));
  return (await jwtVerify(String(body.id_token), createRemoteJWKSet(new URL(`${f.issuer}/keys`)), { issuer: f.issuer, audience: CLIENT.id })).payload;
}

function assertCleanPage(html: string, secrets: string[]): void {
  for (const leak of [SIM_UPSTREAM_BODY, ...secrets]) assert.ok(!html.includes(leak), `page leaks ${leak}`);
  assert.doesNotMatch(html, /\b(?:at|rt|code)_[\w-]{20,}/, 'no upstream token on the page');
}

describe('microsoft through Ferry', () => {
  async function browserLogin(user: string) {
    const ua = new UserAgent(f.issuer);
    const toUpstream = await ua.browse(`${f.issuer}/auth/microsoft?${authQuery(SCOPE)}`);
    assert.equal(toUpstream.redirect?.origin, ms.url, `sent to Microsoft (got ${toUpstream.status})`);
    return ua.browse((await ms.authorize(toUpstream.redirect.href, user)).href);
  }

  test('claims from Graph; the groups whitelist; refresh reflects a group removed upstream', async () => {
    const { claims, refreshToken } = await redeem((await browserLogin('alice')).redirect);
    assert.equal(claims.sub, encodeSubject('a1a1a1a1-0000-0000-0000-000000000001', 'microsoft'));
    assert.deepEqual([claims.email, claims.email_verified, claims.name, claims.preferred_username], ['alice@example.onmicrosoft.com', true, 'Alice Liddell', 'alice']);
    assert.deepEqual(claims.groups, ['Developers', 'Admins']);
    const undo = ms.mutate('alice', (u) => void (u.groups = u.groups.filter((g) => !g.endsWith('000000000002'))));
    try {
      assert.deepEqual((await refreshClaims(refreshToken)).groups, ['Developers']);
    } finally {
      undo();
    }
  });

  test('a login the upstream declines is the 403 page, a forged code the 400 page: the user\'s doing is never a 5xx', async () => {
    const declined = await browserLogin('no-such-user');
    assert.equal(declined.status, 403);
    assert.match(declined.html, /Microsoft did not allow this login/);
    const ua = new UserAgent(f.issuer);
    const toUpstream = await ua.browse(`${f.issuer}/auth/microsoft?${authQuery(SCOPE)}`);
    assert.ok(toUpstream.redirect);
    const callback = await ms.authorize(toUpstream.redirect.href, 'alice');
    callback.searchParams.set('code', 'forged-code-0000');
    const forged = await ua.browse(callback.href);
    assert.equal(forged.status, 400);
    assert.match(forged.html, /invalid or has expired/);
  });

  test('a user in none of the required groups gets the 403 page; a Graph failure the clean 502 page', async () => {
    const refused = await browserLogin('carol');
    assert.equal(refused.status, 403);
    assert.match(refused.html, /not a member of any of the groups required to log in with Microsoft/);
    ms.inject('server-error', { path: '/v1.0/me' });
    const failed = await browserLogin('alice');
    assert.equal(failed.status, 502);
    assert.match(failed.html, /Login with Microsoft failed/, 'the page names the connector');
    assertCleanPage(failed.html, [MICROSOFT_CLIENT.clientSecret]);
  });
});

describe('password connectors through Ferry', () => {
  async function passwordForm(connector: string, ua: UserAgent) {
    const page = await ua.browse(`${f.issuer}/auth/${connector}?${authQuery(SCOPE)}`);
    assert.equal(page.status, 200);
    assert.match(page.html, /type="password"/);
    return page;
  }

  test('keystone: wrong password re-renders the form; the right one yields keystone claims; refresh re-reads groups', async () => {
    const ua = new UserAgent(f.issuer);
    const form = await passwordForm('keystone', ua);
    assert.match(form.html, /username/i);
    const bad = await ua.submit(readForm(form), { login: 'alice', password: 'wrong' });
    assert.equal(bad.status, 401);
    const done = await ua.submit(readForm(bad), { login: 'alice', password: 'alice-pw-do-not-log' });
    const { claims, refreshToken } = await redeem(done.redirect);
    assert.equal(claims.sub, encodeSubject('1f5a6c3e9b8d4a2e8f7c6b5a4d3c2b11', 'keystone'));
    assert.deepEqual([claims.email, claims.name, claims.groups], ['alice@example.org', 'alice', ['developers', 'operators']]);
    const undo = ks.mutate('alice', (u) => void (u.groups = ['developers']));
    try {
      assert.deepEqual((await refreshClaims(refreshToken)).groups, ['developers']);
    } finally {
      undo();
    }
  });

  test('crowd: the prompt is usernamePrompt; an upstream failure is a clean 502 page', async () => {
    const ua = new UserAgent(f.issuer);
    const form = await passwordForm('crowd', ua);
    assert.match(form.html, /Crowd login/);
    crowd.inject('server-error', { path: '/authentication' });
    const failed = await ua.submit(readForm(form), { login: 'alice', password: 'alice-pw-do-not-log' });
    assert.equal(failed.status, 502);
    assert.match(failed.html, /Login with Crowd failed/, 'the page names the connector');
    assertCleanPage(failed.html, [CROWD_APP.password, 'alice-pw-do-not-log']);
    const ok = await ua.submit(readForm(await passwordForm('crowd', ua)), { login: 'alice', password: 'alice-pw-do-not-log' });
    const { claims } = await redeem(ok.redirect);
    assert.equal(claims.sub, encodeSubject('32769:9f0c2a1e-alice', 'crowd'));
  });
});
