/**
 * The `microsoft` connector against the Microsoft identity platform + Graph simulation (test/sim/microsoft-sim.ts),
 * shaped like the published v2.0 endpoints and Graph v1.0; not the live service. The connector is pointed at the
 * simulation with its own `apiURL` and `graphURL` options.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runConnectorContract } from '../../../src/connectors/contract/index.js';
import { microsoft } from '../../../src/connectors/microsoft/index.js';
import type { Connector, Scopes } from '../../../src/connectors/types.js';
import { ConfigError } from '../../../src/lib/errors.js';
import type { ApiSim } from '../../sim/api-sim.js';
import { contractLogin, loginWithCode, SIM_CALLBACK, simLogin } from '../../sim/callback-login.js';
import { MICROSOFT_CLIENT, startMicrosoftSim, TENANT, type MicrosoftSimUser } from '../../sim/microsoft-sim.js';
import { assertClean, cleanRejection, GROUPS, OFFLINE, PLAIN, refreshIdentity as refresh, simDeps } from './saas-fixtures.js';

let sim: ApiSim<MicrosoftSimUser>;
let common: ApiSim<MicrosoftSimUser>;
before(async () => {
  [sim, common] = await Promise.all([startMicrosoftSim(), startMicrosoftSim('common')]);
});
after(() => Promise.all([sim.close(), common.close()]));

const base = { clientID: MICROSOFT_CLIENT.clientId, clientSecret: MICROSOFT_CLIENT.clientSecret, redirectURI: SIM_CALLBACK, tenant: TENANT };
const SECRETS = [MICROSOFT_CLIENT.clientSecret, MICROSOFT_CLIENT.assertion];

function open(extra: Record<string, unknown> = {}, s = sim, deps = simDeps()): Connector {
  const cfg = microsoft.parseConfig({ ...base, apiURL: s.url, graphURL: s.url, ...extra }, 'connectors[0].config');
  return microsoft.open('microsoft', cfg, { ...deps, now: () => new Date(s.now()) }) as Connector;
}
const login = (conn: Connector, user: string, scopes: Scopes = GROUPS, s = sim) => simLogin(s, conn, scopes, user);
const rejectsClean = cleanRejection(SECRETS);
const authorizeQuery = async (conn: Connector, scopes: Scopes) =>
  new URL((await (conn as { loginURL(s: Scopes, c: string, st: string): Promise<{ url: string }> }).loginURL(scopes, SIM_CALLBACK, 'st')).url);
let undo = () => {};

runConnectorContract({
  name: 'microsoft (API simulation)',
  open: () => open(),
  openUnreachable: () => open({ apiURL: 'http://127.0.0.1:1', graphURL: 'http://127.0.0.1:1' }),
  login: contractLogin(() => sim),
  users: { primary: { username: 'alice', email: 'alice@example.onmicrosoft.com', emailVerified: true, groups: ['Developers', 'Admins', 'All Company'] } },
  wrongCredentials: async (conn) => {
    await rejectsClean(simLogin(sim, conn, PLAIN, 'alice', { sim_deny: '1' }), 'refused');
    await rejectsClean(loginWithCode(conn, PLAIN, 'code_forged-by-someone-else-0000'), 'refused');
  },
  refresh: true,
  upstreamChange: {
    group: 'Admins',
    removeFromGroup: async () => void (undo = sim.mutate('alice', (u) => void (u.groups = u.groups.filter((g) => !g.endsWith('000000000002'))))),
    restore: async () => undo(),
  },
  allowedGroups: { open: () => open({ groups: ['Admins', 'Ops'], useGroupsAsWhitelist: true }), expected: ['Admins'] },
});

describe('microsoft: tenants and the authorize URL', () => {
  test('tenant in the endpoint path; upstream scopes; prompt and domain_hint', async () => {
    const u = await authorizeQuery(open({ promptType: 'select_account', domainHint: 'example.com' }), OFFLINE);
    assert.equal(u.pathname, `/${TENANT}/oauth2/v2.0/authorize`);
    assert.equal(u.searchParams.get('scope'), 'user.read directory.read.all offline_access');
    assert.equal(u.searchParams.get('prompt'), 'select_account');
    assert.equal(u.searchParams.get('domain_hint'), 'example.com');
    const plain = await authorizeQuery(open({ scopes: ['openid', 'profile', 'User.Read'] }), PLAIN);
    assert.equal(plain.searchParams.get('scope'), 'openid profile User.Read');
    assert.equal(plain.searchParams.get('prompt'), null);
  });

  for (const tenant of ['common', 'organizations', 'consumers']) {
    test(`tenant ${tenant}: no directory scope and no groups`, async () => {
      const conn = open({ tenant, groups: ['Admins'] }, common);
      const u = await authorizeQuery(conn, GROUPS);
      assert.equal(u.pathname, `/${tenant}/oauth2/v2.0/authorize`);
      assert.equal(u.searchParams.get('scope'), 'user.read');
    });
  }

  test('default tenant common: logs in without reading groups', async () => {
    common.clearRequests();
    const id = await login(open({ tenant: '' }, common), 'carol', GROUPS, common);
    assert.deepEqual(id.groups, []);
    assert.ok(!common.requests.some((r) => r.path.includes('getMemberGroups')));
  });
});

describe('microsoft: identity and groups', () => {
  test('id, displayName, UPN as email (always verified); emailToLowercase; preferredUsernameField', async () => {
    const bob = await login(open(), 'bob', PLAIN);
    assert.deepEqual({ ...bob, connectorData: null }, {
      userId: 'b2b2b2b2-0000-0000-0000-000000000002', username: 'Bob Smith', preferredUsername: '', email: 'Bob.Smith@Example.COM', emailVerified: true, groups: [], connectorData: null,
    });
    assert.equal((await login(open({ emailToLowercase: true }), 'bob', PLAIN)).email, 'bob.smith@example.com');
    for (const [field, want] of [['name', 'Alice Liddell'], ['email', 'alice@example.onmicrosoft.com'], ['mailNickname', 'alice'], ['onPremisesSamAccountName', 'ALICE'], ['nope', ''], ['toString', ''], ['constructor', '']]) {
      assert.equal((await login(open({ preferredUsernameField: field }), 'alice', PLAIN)).preferredUsername, want, field);
    }
  });

  test('group ids with groupNameFormat: id; security groups only', async () => {
    const ids = await login(open({ groupNameFormat: 'id' }), 'alice');
    assert.deepEqual(ids.groups.map((g) => g.slice(-1)), ['1', '2', '3']);
    assert.deepEqual((await login(open({ onlySecurityGroups: true }), 'alice')).groups, ['Developers', 'Admins']);
    const sent = sim.requests.filter((r) => r.path === '/v1.0/me/getMemberGroups');
    assert.ok(sent.length > 0);
  });

  test('groups: a user in none is refused with the 403 error; useGroupsAsWhitelist off returns all', async () => {
    await rejectsClean(login(open({ groups: ['Admins'] }), 'carol', PLAIN), 'groups');
    await rejectsClean(login(open({ groups: ['Admins'] }), 'bob'), 'groups');
    assert.deepEqual((await login(open({ groups: ['Admins'] }), 'alice')).groups, ['Developers', 'Admins', 'All Company']);
    assert.deepEqual((await login(open({ groups: ['Admins'] }), 'alice', PLAIN)).groups, [], 'enforced, not returned, without the scope');
  });

  test('1,500 groups (dex #4833): ids over 2 pages, names in 1,000-id chunks over 3 answer pages', async () => {
    sim.clearRequests();
    const id = await login(open(), 'dave');
    assert.equal(id.groups.length, 1500);
    assert.equal(id.groups[0], 'Bulk 0001');
    assert.equal(id.groups.at(-1), 'Bulk 1500');
    assert.equal(sim.requests.filter((r) => r.path === '/v1.0/me/getMemberGroups').length, 2);
    const byIds = sim.requests.filter((r) => r.path === '/v1.0/directoryObjects/getByIds');
    assert.equal(byIds.length, 3, 'a chunk of 1,000 ids answered in 2 pages of 500, then a chunk of 500');
    assert.ok(byIds.every((r) => r.status === 200), 'no request over the 1,000-id limit');
  });
});

describe('microsoft: refresh', () => {
  test('an expired access token is renewed with the rotating refresh token and stored', async () => {
    const conn = open();
    const id = await login(conn, 'alice', OFFLINE);
    sim.clearRequests();
    assert.deepEqual((await refresh(conn, id)).connectorData, id.connectorData, 'a valid token is reused');
    sim.advance(3700_000);
    const renewed = await refresh(conn, id);
    assert.notDeepEqual(renewed.connectorData, id.connectorData);
    assert.equal(sim.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token')).length, 1);
    sim.advance(3700_000);
    await rejectsClean(refresh(conn, id), 'connector');
    assert.equal((await refresh(conn, renewed)).email, 'alice@example.onmicrosoft.com', 'the rotated token works');
  });

  test('a revoked upstream token fails refresh cleanly; no connector data fails cleanly', async () => {
    const conn = open();
    const id = await login(conn, 'carol', OFFLINE);
    sim.revoke('carol');
    await rejectsClean(refresh(conn, id));
    sim.advance(3700_000);
    await rejectsClean(refresh(conn, id));
    await rejectsClean(refresh(conn, { ...id, connectorData: null }));
  });
});

describe('microsoft: clientAssertion', () => {
  test('the token request carries the assertion read from the file, not the secret', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ferry-ms-')), 'token');
    writeFileSync(file, `${MICROSOFT_CLIENT.assertion}\n`);
    sim.clearRequests();
    const conn = open({ clientSecret: '', clientAssertion: file });
    assert.equal((await login(conn, 'alice', PLAIN)).userId, 'a1a1a1a1-0000-0000-0000-000000000001');
    const form = sim.requests.find((r) => r.path.endsWith('/oauth2/v2.0/token'))?.form;
    assert.equal(form?.get('client_assertion'), MICROSOFT_CLIENT.assertion);
    assert.equal(form?.get('client_secret'), null);
    writeFileSync(file, 'eyJ.rotated-but-wrong.sig');
    await rejectsClean(login(conn, 'alice', PLAIN));
    await rejectsClean(login(open({ clientSecret: '', clientAssertion: '/nonexistent/token' }), 'alice', PLAIN));
  });
});

describe('microsoft: upstream failures are clean', () => {
  for (const [fault, path] of [['rate-limit', '/v1.0/me'], ['server-error', '/v1.0/me/getMemberGroups'], ['bad-gateway', '/v1.0/directoryObjects/getByIds'], ['malformed-json', `/${TENANT}/oauth2/v2.0/token`]] as const) {
    test(`${fault} on ${path}`, async () => {
      sim.inject(fault, { path, retryAfter: 9 });
      await assert.rejects(login(open(), 'alice'), (e) => {
        assertClean(e, SECRETS, 'upstream');
        if (fault === 'rate-limit') assert.match((e as Error).message, /429, rate limited.*retry after 9 s/);
        return true;
      });
    });
  }

  test('nothing secret is logged across login, renewal and failure', async () => {
    const deps = simDeps();
    const conn = open({ preferredUsernameField: 'upn' }, sim, deps);
    const id = await login(conn, 'alice', OFFLINE);
    sim.advance(3700_000);
    await refresh(conn, id);
    sim.inject('server-error', { path: '/v1.0/me' });
    await rejectsClean(refresh(conn, id));
    const log = deps.lines.join('');
    assert.match(log, /unknown preferredUsernameField/, 'the recording logger is live');
    for (const s of SECRETS) assert.ok(!log.includes(s));
    assert.doesNotMatch(log, /\b(?:at|rt|code)_[\w-]{20,}/);
  });
});

describe('microsoft: config', () => {
  const bad = (extra: Record<string, unknown>, key: string) =>
    assert.throws(() => microsoft.parseConfig({ ...base, ...extra }, 'connectors[0].config'), (e) => e instanceof ConfigError && e.issues.some((i) => i.path === `connectors[0].config.${key}`));

  test('bad options are reported with their key', () => {
    bad({ groupNameFormat: 'mail' }, 'groupNameFormat');
    bad({ clientSecret: '' }, 'clientSecret');
    bad({ graphURL: 'not a url' }, 'graphURL');
    bad({ onlySecurityGroups: 'yes' }, 'onlySecurityGroups');
  });

  test('defaults are dex\'s; keys are case-insensitive', () => {
    const c = microsoft.parseConfig({ ...base, tenant: undefined, GraphURL: 'https://graph.example/', UseGroupsAsWhitelist: true }, 'c');
    assert.equal(c.tenant, 'common');
    assert.equal(c.groupNameFormat, 'name');
    assert.equal(c.apiURL, 'https://login.microsoftonline.com');
    assert.equal(c.graphURL, 'https://graph.example');
    assert.equal(c.useGroupsAsWhitelist, true);
  });

  test('redirectURI must be the issuer callback', async () => {
    await assert.rejects(login(open({ redirectURI: 'https://elsewhere.example/callback' }), 'alice', PLAIN), ConfigError);
  });
});
