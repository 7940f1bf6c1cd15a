/**
 * The `github` connector against the GitHub API simulation (test/sim/github-sim.ts) — a simulation shaped like
 * GitHub's published REST API, not the live service. github.com endpoints are replaced with the test-only
 * `createGithubFactory(endpoints)`; GitHub Enterprise runs through the real `hostName` + `rootCA` options over TLS.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runConnectorContract } from '../../../src/connectors/contract/index.js';
import { createGithubFactory, type GithubEndpoints } from '../../../src/connectors/github/index.js';
import type { Connector, Identity } from '../../../src/connectors/types.js';
import { isRefreshConnector } from '../../../src/connectors/capabilities.js';
import { ConfigError } from '../../../src/lib/errors.js';
import type { ApiSim } from '../../sim/api-sim.js';
import { contractLogin, loginWithCode, SIM_CALLBACK, simLogin } from '../../sim/callback-login.js';
import { GITHUB_CLIENT, startGithubSim, type GithubSimUser } from '../../sim/github-sim.js';
import { assertClean, cleanRejection, GROUPS, OFFLINE, PLAIN, simDeps } from './saas-fixtures.js';

let sim: ApiSim<GithubSimUser>;
let app: ApiSim<GithubSimUser>;
let ghe: ApiSim<GithubSimUser>;
before(async () => {
  [sim, app, ghe] = await Promise.all([startGithubSim(), startGithubSim({ app: true }), startGithubSim({ tls: true })]);
});
after(() => Promise.all([sim.close(), app.close(), ghe.close()]));

const base = { clientID: GITHUB_CLIENT.clientId, clientSecret: GITHUB_CLIENT.clientSecret, redirectURI: SIM_CALLBACK };
const SECRETS = [GITHUB_CLIENT.clientSecret];
const endpoints = (s: ApiSim<GithubSimUser>): GithubEndpoints => ({
  authURL: `${s.url}/login/oauth/authorize`,
  tokenURL: `${s.url}/login/oauth/access_token`,
  apiURL: `${s.url}/api/v3`,
});

async function open(extra: Record<string, unknown> = {}, s = sim, e?: GithubEndpoints): Promise<Connector> {
  const f = createGithubFactory(e ?? endpoints(s));
  // The connector reads the simulation's clock, so `s.advance()` expires tokens on both sides.
  return f.open('github', f.parseConfig({ ...base, ...extra }, 'connectors[0].config'), { ...simDeps(), now: () => new Date(s.now()) });
}

const login = (conn: Connector, user: string, scopes = GROUPS, s = sim) => simLogin(s, conn, scopes, user);
const rejectsClean = cleanRejection(SECRETS);

runConnectorContract({
  name: 'github (API simulation)',
  open: () => open({ orgs: [{ name: 'wonderland' }] }),
  openUnreachable: () =>
    open({ orgs: [{ name: 'wonderland' }] }, sim, { ...endpoints(sim), tokenURL: 'http://127.0.0.1:1/login/oauth/access_token', apiURL: 'http://127.0.0.1:1/api/v3' }),
  login: contractLogin(() => sim),
  users: { primary: { username: 'alice', email: 'alice@example.com', emailVerified: true, groups: ['wonderland:Red Team', 'wonderland:Blue Team'] } },
  wrongCredentials: async (conn) => {
    await rejectsClean(simLogin(sim, conn, PLAIN, 'alice', { sim_deny: '1' }), 'refused');
    await rejectsClean(loginWithCode(conn, PLAIN, 'code_forged-by-someone-else-0000'), 'refused');
  },
  refresh: true,
  upstreamChange: {
    group: 'wonderland:Blue Team',
    removeFromGroup: async () => {
      undo = sim.mutate('alice', (u) => void (u.teams = u.teams.filter((t) => t.name !== 'Blue Team')));
    },
    restore: async () => undo(),
  },
  allowedGroups: { open: () => open({ orgs: [{ name: 'wonderland', teams: ['Red Team'] }] }), expected: ['wonderland:Red Team'] },
});
let undo = () => {};

describe('github: identity mapping', () => {
  test('numeric id, display name, login, primary verified email; useLoginAsID', async () => {
    const id = await login(await open(), 'alice', PLAIN);
    assert.deepEqual({ ...id, connectorData: null }, {
      userId: '1001', username: 'Alice Liddell', preferredUsername: 'alice', email: 'alice@example.com', emailVerified: true, groups: [], connectorData: null,
    });
    assert.equal((await login(await open({ useLoginAsID: true }), 'alice', PLAIN)).userId, 'alice');
    assert.equal((await login(await open(), 'carol', PLAIN)).username, 'Carol');
  });

  test('the public profile email is used as is, without reading /user/emails', async () => {
    sim.clearRequests();
    assert.equal((await login(await open(), 'carol', PLAIN)).email, 'carol@public.example');
    assert.ok(!sim.requests.some((r) => r.path.endsWith('/user/emails')));
  });

  test('preferredEmailDomain: exact, with a * label, and falling back to the primary address', async () => {
    assert.equal((await login(await open({ preferredEmailDomain: 'corp.example.org' }), 'alice', PLAIN)).email, 'alice@corp.example.org');
    assert.equal((await login(await open({ preferredEmailDomain: '*.example.org' }), 'alice', PLAIN)).email, 'alice@corp.example.org');
    assert.equal((await login(await open({ preferredEmailDomain: 'old.example.net' }), 'alice', PLAIN)).email, 'alice@example.com', 'unverified addresses never win');
    assert.equal((await login(await open({ preferredEmailDomain: 'example.com' }), 'carol', PLAIN)).email, 'carol@example.com', 'the domain beats the public email');
  });

  test('a user with no verified email cannot log in', async () => {
    await rejectsClean(login(await open(), 'bob', PLAIN), 'refused');
  });
});

describe('github: orgs, teams and groups', () => {
  test('groups only with the groups scope; orgs membership enforced without it', async () => {
    const conn = await open({ orgs: [{ name: 'wonderland' }, { name: 'looking-glass', teams: ['Chess'] }] });
    assert.deepEqual((await login(conn, 'alice', PLAIN)).groups, []);
    assert.deepEqual((await login(conn, 'alice')).groups, ['wonderland:Red Team', 'wonderland:Blue Team', 'looking-glass:Chess']);
    await rejectsClean(login(conn, 'carol', PLAIN), 'groups');
  });

  test('a user in the org but in none of the listed teams is refused', async () => {
    await rejectsClean(login(await open({ orgs: [{ name: 'wonderland', teams: ['Green Team'] }] }), 'alice'), 'groups');
    await rejectsClean(login(await open({ orgs: [{ name: 'looking-glass', teams: ['Red Team'] }] }), 'alice'), 'groups');
  });

  test('teamNameField: slug and both', async () => {
    const slug = await login(await open({ orgs: [{ name: 'wonderland', teams: ['red-team'] }], teamNameField: 'slug' }), 'alice');
    assert.deepEqual(slug.groups, ['wonderland:red-team']);
    const both = await login(await open({ orgs: [{ name: 'looking-glass' }], teamNameField: 'both' }), 'alice');
    assert.deepEqual(both.groups, ['looking-glass:Chess', 'looking-glass:chess']);
  });

  test('legacy org: team names without prefix, no membership check', async () => {
    assert.deepEqual((await login(await open({ org: 'wonderland' }), 'alice')).groups, ['Red Team', 'Blue Team']);
    assert.deepEqual((await login(await open({ org: 'wonderland' }), 'carol')).groups, []);
  });

  test('loadAllGroups: every org followed by its org:team entries, only with the groups scope', async () => {
    const conn = await open({ loadAllGroups: true });
    assert.deepEqual((await login(conn, 'alice')).groups, ['wonderland', 'wonderland:Red Team', 'wonderland:Blue Team', 'looking-glass', 'looking-glass:Chess']);
    sim.clearRequests();
    assert.deepEqual((await login(conn, 'alice', PLAIN)).groups, []);
    const authorize = sim.requests.find((r) => r.path === '/login/oauth/authorize');
    assert.equal(authorize?.query.get('scope'), 'user:email', 'read:org is asked only when needed');
  });

  test('1,500 teams across pages, 100 a page, API version header on every call', async () => {
    sim.clearRequests();
    const id = await login(await open({ loadAllGroups: true }), 'dave');
    assert.equal(id.groups.length, 1501);
    assert.equal(id.groups.at(-1), 'big-org:Team 1500');
    const pages = sim.requests.filter((r) => r.path === '/api/v3/user/teams');
    assert.equal(pages.length, 15);
    assert.ok(sim.requests.filter((r) => r.path.startsWith('/api/v3')).every((r) => r.headers['x-github-api-version'] === '2022-11-28'));
    assert.equal(sim.requests.find((r) => r.path === '/login/oauth/authorize')?.query.get('scope'), 'user:email read:org');
  });
});

describe('github: refresh', () => {
  test('OAuth App token: refresh re-reads the user and keeps the connector data', async () => {
    const conn = await open({ orgs: [{ name: 'wonderland' }] });
    assert.ok(isRefreshConnector(conn));
    const id = await login(conn, 'alice', OFFLINE);
    const restore = sim.mutate('alice', (u) => void (u.name = 'Alice L.'));
    try {
      const again = await conn.refresh(OFFLINE, id);
      assert.equal(again.username, 'Alice L.');
      assert.deepEqual(again.connectorData, id.connectorData);
    } finally {
      restore();
    }
  });

  test('GitHub App expiring token: renewed with the upstream refresh token, new token stored', async () => {
    const conn = await open({ orgs: [{ name: 'wonderland' }] }, app);
    assert.ok(isRefreshConnector(conn));
    const id = await login(conn, 'alice', OFFLINE, app);
    const stored = JSON.parse(new TextDecoder().decode(id.connectorData ?? new Uint8Array())) as Record<string, string>;
    assert.ok(stored.refreshToken && stored.accessToken && !stored.expiry?.startsWith('0001'), 'access, refresh and expiry stored');
    app.clearRequests();
    assert.deepEqual((await conn.refresh(OFFLINE, id)).connectorData, id.connectorData, 'a valid token is reused');
    assert.equal(app.requests.filter((r) => r.path === '/login/oauth/access_token').length, 0);
    app.advance(9 * 3600_000);
    const renewed = await conn.refresh(OFFLINE, id);
    const tokenCalls = app.requests.filter((r) => r.path === '/login/oauth/access_token');
    assert.equal(tokenCalls.length, 1);
    assert.equal(tokenCalls[0]?.form.get('grant_type'), 'refresh_token');
    assert.notDeepEqual(renewed.connectorData, id.connectorData, 'the rotated token is stored');
    assert.deepEqual(renewed.groups, id.groups);
  });

  test('a revoked upstream token fails refresh cleanly (OAuth App and GitHub App)', async () => {
    const conn = await open({}, sim);
    const id = await login(conn, 'carol', OFFLINE);
    sim.revoke('carol');
    await rejectsClean((conn as { refresh(s: typeof OFFLINE, i: Identity): Promise<Identity> }).refresh(OFFLINE, id));
    const appConn = await open({}, app);
    assert.ok(isRefreshConnector(appConn));
    const appId = await login(appConn, 'carol', OFFLINE, app);
    app.revoke('carol');
    app.advance(9 * 3600_000);
    await rejectsClean(appConn.refresh(OFFLINE, appId));
  });

  test('nothing secret is logged, even at debug level, across login, renewal and failures', async () => {
    const deps = { ...simDeps(), now: () => new Date(app.now()) };
    const f = createGithubFactory(endpoints(app));
    const conn = await f.open('github', f.parseConfig({ ...base, org: 'wonderland' }, 'c'), deps);
    assert.ok(isRefreshConnector(conn));
    const id = await login(conn, 'alice', OFFLINE, app);
    app.advance(9 * 3600_000);
    await conn.refresh(OFFLINE, id);
    const log = deps.lines.join('');
    assert.match(log, /legacy field 'org'/, 'the recording logger is live');
    assert.match(log, /refreshed the upstream access token/);
    assert.ok(!log.includes(GITHUB_CLIENT.clientSecret));
    assert.doesNotMatch(log, /\b(?:at|rt|code)_[\w-]{20,}/);
  });

  test('refresh without connector data fails cleanly', async () => {
    const conn = await open();
    assert.ok(isRefreshConnector(conn));
    const id = await login(conn, 'alice', GROUPS);
    await rejectsClean(conn.refresh(OFFLINE, id));
  });
});

describe('github: upstream failures are clean', () => {
  for (const [fault, path] of [['rate-limit', '/api/v3/user'], ['server-error', '/api/v3/user/teams'], ['malformed-json', '/api/v3/user'], ['bad-gateway', '/login/oauth/access_token']] as const) {
    test(`${fault} on ${path}`, async () => {
      const conn = await open({ loadAllGroups: true });
      sim.inject(fault, { path, retryAfter: 42 });
      await assert.rejects(login(conn, 'alice'), (e) => {
        assertClean(e, SECRETS, 'upstream');
        if (fault === 'rate-limit') assert.match((e as Error).message, /429, rate limited.*retry after 42 s/);
        assert.match((e as Error).message, new RegExp(path.replace(/\//g, '\\/')), 'the log names the endpoint');
        return true;
      });
    });
  }
});

describe('github: config', () => {
  const f = createGithubFactory();
  const bad = (extra: Record<string, unknown>, key: string) =>
    assert.throws(() => f.parseConfig({ ...base, ...extra }, 'connectors[0].config'), (e) => e instanceof ConfigError && e.issues.some((i) => i.path === `connectors[0].config.${key}`));

  test('each bad option is reported with its key', () => {
    bad({ org: 'a', orgs: [{ name: 'b' }] }, 'org');
    bad({ hostName: 'https://ghe.example.com/' }, 'hostName');
    bad({ rootCA: '/etc/ca.pem' }, 'rootCA');
    bad({ hostName: 'ghe.example.com', rootCA: '/nonexistent/ca.pem' }, 'rootCA');
    bad({ teamNameField: 'id' }, 'teamNameField');
    bad({ preferredEmailDomain: 'example.*' }, 'preferredEmailDomain');
    bad({ clientID: undefined }, 'clientID');
  });

  test('keys are case-insensitive as in dex', () => {
    const c = f.parseConfig({ ...base, TeamNameField: 'slug', loadallgroups: true }, 'c');
    assert.equal(c.teamNameField, 'slug');
    assert.equal(c.loadAllGroups, true);
  });

  test('redirectURI must be the issuer callback', async () => {
    const conn = await open({ redirectURI: 'https://elsewhere.example/callback' });
    await assert.rejects(simLogin(sim, conn, PLAIN, 'alice'), ConfigError);
  });
});

describe('github: GitHub Enterprise (hostName + rootCA, TLS)', () => {
  const gheConfig = () => ({ ...base, hostName: ghe.host, rootCA: ghe.caFile });

  test('logs in through https://<hostName>, trusting rootCA; every address counts as verified', async () => {
    const f = createGithubFactory();
    const conn = await f.open('ghe', f.parseConfig({ ...gheConfig(), orgs: [{ name: 'wonderland' }] }, 'c'), simDeps());
    const id = await simLogin(ghe, conn, GROUPS, 'alice');
    assert.deepEqual(id.groups, ['wonderland:Red Team', 'wonderland:Blue Team']);
    assert.equal((await simLogin(ghe, conn, GROUPS, 'bob')).email, 'bob@example.com', 'GHE has no email verification');
  });

  test('without rootCA the self-signed host is not trusted', async () => {
    const f = createGithubFactory();
    const conn = await f.open('ghe', f.parseConfig({ ...base, hostName: ghe.host }, 'c'), simDeps());
    await rejectsClean(simLogin(ghe, conn, PLAIN, 'alice'));
  });
});
