/**
 * The `gitlab` connector against the GitLab API simulation (test/sim/gitlab-sim.ts) — shaped like GitLab's
 * published API, not the live service. The simulation stands in for a self-hosted instance via `baseURL`.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isRefreshConnector, isTokenIdentityConnector } from '../../../src/connectors/capabilities.js';
import { runConnectorContract } from '../../../src/connectors/contract/index.js';
import { gitlab } from '../../../src/connectors/gitlab/index.js';
import type { Connector } from '../../../src/connectors/types.js';
import { ConfigError } from '../../../src/lib/errors.js';
import type { ApiSim } from '../../sim/api-sim.js';
import { contractLogin, loginWithCode, SIM_CALLBACK, simLogin } from '../../sim/callback-login.js';
import { GITLAB_CLIENT, startGitlabSim, type GitlabSimUser } from '../../sim/gitlab-sim.js';
import { cleanRejection, GROUPS, OFFLINE, PLAIN, simDeps } from './saas-fixtures.js';

let sim: ApiSim<GitlabSimUser>;
let tls: ApiSim<GitlabSimUser>;
before(async () => {
  [sim, tls] = await Promise.all([startGitlabSim(), startGitlabSim({ tls: true })]);
});
after(() => Promise.all([sim.close(), tls.close()]));

const base = () => ({ baseURL: sim.url, clientID: GITLAB_CLIENT.clientId, clientSecret: GITLAB_CLIENT.clientSecret, redirectURI: SIM_CALLBACK });
const SECRETS = [GITLAB_CLIENT.clientSecret];

async function open(extra: Record<string, unknown> = {}): Promise<Connector> {
  return gitlab.open('gitlab', gitlab.parseConfig({ ...base(), ...extra }, 'connectors[0].config'), { ...simDeps(), now: () => new Date(sim.now()) });
}
const login = (conn: Connector, user: string, scopes = GROUPS) => simLogin(sim, conn, scopes, user);
const rejectsClean = cleanRejection(SECRETS);
let undo = () => {};

runConnectorContract({
  name: 'gitlab (API simulation)',
  open: () => open(),
  openUnreachable: async () => gitlab.open('gitlab', gitlab.parseConfig({ ...base(), baseURL: 'http://127.0.0.1:1' }, 'c'), simDeps()),
  login: contractLogin(() => sim),
  users: { primary: { username: 'alice', email: 'alice@example.com', emailVerified: true, groups: ['platform', 'docs'] } },
  wrongCredentials: async (conn) => {
    await rejectsClean(simLogin(sim, conn, PLAIN, 'alice', { sim_deny: '1' }), 'refused');
    await rejectsClean(loginWithCode(conn, PLAIN, 'forged'), 'refused');
  },
  refresh: true,
  upstreamChange: {
    group: 'docs',
    removeFromGroup: async () => {
      undo = sim.mutate('alice', (u) => void (u.groups = u.groups.filter((x) => x.fullPath !== 'docs')));
    },
    restore: async () => undo(),
  },
  allowedGroups: { open: () => open({ groups: ['docs', 'nope'] }), expected: ['docs'] },
});

describe('gitlab: identity and scopes', () => {
  test('numeric id, name, username, email; name falls back to email; useLoginAsID', async () => {
    const id = await login(await open(), 'alice', PLAIN);
    assert.deepEqual({ ...id, connectorData: null }, {
      userId: '11', username: 'Alice Liddell', preferredUsername: 'alice', email: 'alice@example.com', emailVerified: true, groups: [], connectorData: null,
    });
    assert.equal((await login(await open(), 'bob', PLAIN)).username, 'bob@example.com');
    assert.equal((await login(await open({ useLoginAsID: true }), 'alice', PLAIN)).userId, 'alice');
  });

  test('upstream scopes: read_user; openid for groups; read_api for inherited groups', async () => {
    const scopesAsked = async (extra: Record<string, unknown>, scopes = GROUPS) => {
      sim.clearRequests();
      await login(await open(extra), 'alice', scopes);
      return sim.requests.find((r) => r.path === '/oauth/authorize')?.query.get('scope');
    };
    assert.equal(await scopesAsked({}, PLAIN), 'read_user');
    assert.equal(await scopesAsked({}), 'read_user openid');
    assert.equal(await scopesAsked({ groups: ['docs'] }, PLAIN), 'read_user openid');
    assert.equal(await scopesAsked({ inheritedGroups: true }), 'read_user openid read_api');
  });
});

describe('gitlab: groups', () => {
  test('getGroupsPermission with direct groups: roles from the userinfo claims', async () => {
    assert.deepEqual((await login(await open({ getGroupsPermission: true }), 'alice')).groups, ['platform', 'docs', 'platform:owner']);
  });

  test('inheritedGroups: full paths from the groups API; roles from claims, parents and the members API', async () => {
    assert.deepEqual((await login(await open({ inheritedGroups: true }), 'alice')).groups, ['platform', 'platform/infra', 'docs']);
    const id = await login(await open({ inheritedGroups: true, getGroupsPermission: true }), 'alice');
    assert.deepEqual(id.groups, ['platform', 'platform/infra', 'docs', 'platform:owner', 'platform/infra:owner', 'docs:reporter']);
  });

  test('required groups: filtered, enforced without the groups scope, refused when in none', async () => {
    const conn = await open({ groups: ['platform/infra', 'docs'], inheritedGroups: true });
    assert.deepEqual((await login(conn, 'alice')).groups, ['platform/infra', 'docs']);
    assert.deepEqual((await login(conn, 'alice', PLAIN)).groups, []);
    await rejectsClean(login(conn, 'bob', PLAIN), 'groups');
  });

  test('1,500 inherited groups across pages of 100', async () => {
    sim.clearRequests();
    const id = await login(await open({ inheritedGroups: true }), 'erin');
    assert.equal(id.groups.length, 1500);
    assert.equal(sim.requests.filter((r) => r.path === '/api/v4/groups').length, 16, '15 full pages and an empty one');
  });
});

describe('gitlab: refresh and token exchange', () => {
  test('refresh redeems the upstream refresh token and stores the rotated one', async () => {
    const conn = await open();
    assert.ok(isRefreshConnector(conn));
    const id = await login(conn, 'alice', OFFLINE);
    sim.clearRequests();
    const again = await conn.refresh(OFFLINE, id);
    assert.equal(sim.requests.find((r) => r.path === '/oauth/token')?.form.get('grant_type'), 'refresh_token');
    assert.notDeepEqual(again.connectorData, id.connectorData);
    assert.equal(again.userId, id.userId);
    await rejectsClean(conn.refresh(OFFLINE, id), 'connector');
  });

  test('dex-format connector data with only an access token is refreshed with it', async () => {
    const conn = await open();
    assert.ok(isRefreshConnector(conn));
    const id = await login(conn, 'alice', OFFLINE);
    const { accessToken } = JSON.parse(new TextDecoder().decode(id.connectorData ?? new Uint8Array())) as { accessToken: string };
    const dexData = new TextEncoder().encode(JSON.stringify({ accessToken, refreshToken: '' }));
    assert.deepEqual((await conn.refresh(OFFLINE, { ...id, connectorData: dexData })).groups, ['platform', 'docs']);
  });

  test('a revoked upstream grant fails refresh cleanly', async () => {
    const conn = await open();
    assert.ok(isRefreshConnector(conn));
    const id = await login(conn, 'bob', OFFLINE);
    sim.revoke('bob');
    await rejectsClean(conn.refresh(OFFLINE, id));
  });

  test('token exchange: a GitLab access token yields the identity with groups', async () => {
    const conn = await open();
    assert.ok(isTokenIdentityConnector(conn));
    const id = await login(conn, 'alice', OFFLINE);
    const { accessToken } = JSON.parse(new TextDecoder().decode(id.connectorData ?? new Uint8Array())) as { accessToken: string };
    const exchanged = await conn.tokenIdentity('urn:ietf:params:oauth:token-type:access_token', accessToken);
    assert.equal(exchanged.userId, '11');
    assert.deepEqual(exchanged.groups, ['platform', 'docs']);
    await rejectsClean(conn.tokenIdentity('urn:ietf:params:oauth:token-type:access_token', 'at_not-a-real-token-000000000000'));
  });
});

describe('gitlab: upstream failures are clean', () => {
  for (const [fault, path] of [['rate-limit', '/oauth/userinfo'], ['server-error', '/api/v4/user'], ['malformed-json', '/api/v4/user'], ['unauthorized', '/api/v4/user']] as const) {
    test(`${fault} on ${path}`, async () => {
      const conn = await open();
      sim.inject(fault, { path });
      await rejectsClean(login(conn, 'alice'), 'upstream');
    });
  }
});

describe('gitlab: config and TLS', () => {
  const bad = (extra: Record<string, unknown>, key: string) =>
    assert.throws(() => gitlab.parseConfig({ ...base(), ...extra }, 'c'), (e) => e instanceof ConfigError && e.issues.some((i) => i.path === `c.${key}`));

  test('bad options are reported with their key; baseURL defaults to gitlab.com', () => {
    bad({ baseURL: 'not a url' }, 'baseURL');
    bad({ rootCAData: Buffer.from('not pem').toString('base64') }, 'rootCAData');
    bad({ groups: 'docs' }, 'groups');
    const { baseURL: _b, ...rest } = base();
    assert.equal(gitlab.parseConfig(rest, 'c').baseURL, 'https://gitlab.com');
  });

  test('a self-hosted instance over TLS trusted through rootCAData', async () => {
    const cfg = { ...base(), baseURL: tls.url, rootCAData: Buffer.from(tls.caPEM ?? '').toString('base64') };
    const conn = await gitlab.open('gitlab', gitlab.parseConfig(cfg, 'c'), simDeps());
    assert.equal((await simLogin(tls, conn, PLAIN, 'alice')).email, 'alice@example.com');
    const untrusted = await gitlab.open('gitlab', gitlab.parseConfig({ ...cfg, rootCAData: undefined }, 'c'), simDeps());
    await rejectsClean(simLogin(tls, untrusted, PLAIN, 'alice'), 'upstream');
  });
});
