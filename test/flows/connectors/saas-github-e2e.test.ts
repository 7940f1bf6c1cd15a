/**
 * End to end through Ferry: a scripted browser logs in with the `github` connector configured for GitHub
 * Enterprise (`hostName` + `rootCA`) against the GitHub API simulation over TLS, and the client gets an ID token
 * whose `groups` are `org:team`. Refused users and upstream failures end on clean error pages, and a refresh
 * reflects a team removed upstream.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { SIM_UPSTREAM_BODY, type ApiSim } from '../../sim/api-sim.js';
import { GITHUB_CLIENT, startGithubSim, type GithubSimUser } from '../../sim/github-sim.js';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { UserAgent } from '../../helpers/user-agent.js';

const REDIRECT = 'http://127.0.0.1:5555/callback';
const CLIENT = { id: 'app', secret: 'app-secret' };

let sim: ApiSim<GithubSimUser>;
let f: TestFerry;
before(async () => {
  sim = await startGithubSim({ tls: true });
  f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
oauth2:
  skipApprovalScreen: true
connectors:
- type: github
  id: github
  name: GitHub Enterprise
  config:
    clientID: ${GITHUB_CLIENT.clientId}
    clientSecret: ${GITHUB_CLIENT.clientSecret}
    redirectURI: ${issuer}/callback
    hostName: ${sim.host}
    rootCA: ${sim.caFile}
    orgs:
    - name: wonderland
    - name: looking-glass
      teams: [Chess]
staticClients:
- id: ${CLIENT.id}
  secret: ${CLIENT.secret}
  name: App
  redirectURIs: ['${REDIRECT}']
`);
});
after(async () => {
  await f.stop();
  await sim.close();
});

/** Browser: /auth → GitHub (the simulation, as `user`) → /callback → the client's redirect URI, or an error page. */
async function browserLogin(user: string, scope = 'openid email profile groups offline_access') {
  const ua = new UserAgent(f.issuer);
  const q = new URLSearchParams({ client_id: CLIENT.id, redirect_uri: REDIRECT, response_type: 'code', scope, state: 'st-1', nonce: 'n-1' });
  const toGithub = await ua.browse(`${f.issuer}/auth?${q}`);
  assert.ok(toGithub.redirect, `sent to GitHub (got ${toGithub.status})`);
  assert.equal(toGithub.redirect.origin, sim.url);
  const back = await sim.authorize(toGithub.redirect.href, user);
  return ua.browse(back.href);
}

async function tokenRequest(form: Record<string, string>): Promise<Record<string, unknown>> {
  const r = await fetch(`${f.issuer}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await r.json()) as Record<string, unknown>;
  assert.equal(r.status, 200, JSON.stringify(body));
  return body;
}

describe('github through Ferry (GitHub Enterprise simulation over TLS)', () => {
  test('login: ID token with org:team groups; refresh reflects a team removed upstream', async () => {
    const page = await browserLogin('alice');
    assert.ok(page.redirect, `redirected to the client (got ${page.status}: ${page.html.slice(0, 200)})`);
    assert.equal(page.redirect.searchParams.get('state'), 'st-1');
    const code = page.redirect.searchParams.get('code') ?? '';
    const tokens = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    const jwks = createRemoteJWKSet(new URL(`${f.issuer}/keys`));
    const { payload } = await jwtVerify(String(tokens.id_token), jwks, { issuer: f.issuer, audience: CLIENT.id });
    assert.equal(payload.sub, encodeSubject('1001', 'github'));
    assert.deepEqual(payload.groups, ['wonderland:Red Team', 'wonderland:Blue Team', 'looking-glass:Chess']);
    assert.equal(payload.email, 'alice@example.com');
    assert.equal(payload.name, 'Alice Liddell');
    assert.equal(payload.preferred_username, 'alice');

    const undo = sim.mutate('alice', (u) => void (u.teams = u.teams.filter((t) => t.name !== 'Blue Team')));
    try {
      const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) });
      const { payload: again } = await jwtVerify(String(refreshed.id_token), jwks, { issuer: f.issuer, audience: CLIENT.id });
      assert.deepEqual(again.groups, ['wonderland:Red Team', 'looking-glass:Chess']);
    } finally {
      undo();
    }
  });

  test('a user outside the listed orgs gets the 403 page', async () => {
    const page = await browserLogin('carol');
    assert.equal(page.redirect, undefined);
    assert.equal(page.status, 403);
    assert.match(page.html, /not a member of any of the groups/);
  });

  test('an upstream failure ends on a clean 502 page without the upstream body or secrets', async () => {
    sim.inject('server-error', { path: '/api/v3/user' });
    const page = await browserLogin('alice');
    assert.equal(page.status, 502);
    assert.match(page.html, /Login with GitHub Enterprise failed/, "the page names the connector");
    for (const leak of [SIM_UPSTREAM_BODY, GITHUB_CLIENT.clientSecret]) assert.ok(!page.html.includes(leak), `page leaks ${leak}`);
    assert.doesNotMatch(page.html, /\b(?:at|rt|code)_[\w-]{20,}/, 'no upstream token on the page');
  });
});
