/**
 * The `gitea` connector against the Gitea API simulation (test/sim/gitea-sim.ts) — shaped like Gitea's
 * published API, not a live instance. The simulation stands in for a self-hosted Gitea via `baseURL`.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isRefreshConnector } from '../../../src/connectors/capabilities.js';
import { runConnectorContract } from '../../../src/connectors/contract/index.js';
import { gitea } from '../../../src/connectors/gitea/index.js';
import type { Connector } from '../../../src/connectors/types.js';
import { ConfigError } from '../../../src/lib/errors.js';
import type { ApiSim } from '../../sim/api-sim.js';
import { contractLogin, loginWithCode, SIM_CALLBACK, simLogin } from '../../sim/callback-login.js';
import { GITEA_CLIENT, startGiteaSim, type GiteaSimUser } from '../../sim/gitea-sim.js';
import { cleanRejection, GROUPS, OFFLINE, PLAIN, simDeps } from './saas-fixtures.js';

let sim: ApiSim<GiteaSimUser>;
before(async () => {
  sim = await startGiteaSim();
});
after(() => sim.close());

const base = () => ({ baseURL: sim.url, clientID: GITEA_CLIENT.clientId, clientSecret: GITEA_CLIENT.clientSecret, redirectURI: SIM_CALLBACK });
const SECRETS = [GITEA_CLIENT.clientSecret];
const open = async (extra: Record<string, unknown> = {}): Promise<Connector> =>
  gitea.open('gitea', gitea.parseConfig({ ...base(), ...extra }, 'c'), { ...simDeps(), now: () => new Date(sim.now()) });
const login = (conn: Connector, user: string, scopes = GROUPS) => simLogin(sim, conn, scopes, user);
const rejectsClean = cleanRejection(SECRETS);
let undo = () => {};

runConnectorContract({
  name: 'gitea (API simulation)',
  open: () => open({ loadAllGroups: true }),
  openUnreachable: async () => gitea.open('gitea', gitea.parseConfig({ ...base(), baseURL: 'http://127.0.0.1:1' }, 'c'), simDeps()),
  login: contractLogin(() => sim),
  users: { primary: { username: 'alice', email: 'alice@example.com', emailVerified: true, groups: ['acme', 'acme:Owners', 'acme:devs', 'beta', 'beta:qa'] } },
  wrongCredentials: async (conn) => {
    await rejectsClean(simLogin(sim, conn, PLAIN, 'alice', { sim_deny: '1' }), 'refused');
    await rejectsClean(loginWithCode(conn, PLAIN, 'forged'), 'refused');
  },
  refresh: true,
  upstreamChange: {
    group: 'beta:qa',
    removeFromGroup: async () => {
      undo = sim.mutate('alice', (u) => void (u.teams = u.teams.filter((t) => t.org !== 'beta')));
    },
    restore: async () => undo(),
  },
  allowedGroups: { open: () => open({ orgs: [{ name: 'acme', teams: ['devs'] }] }), expected: ['acme', 'acme:devs'] },
});

describe('gitea: identity and groups', () => {
  test('numeric id, full name (else email), login; useLoginAsID', async () => {
    const id = await login(await open(), 'alice', PLAIN);
    assert.deepEqual({ ...id, connectorData: null }, {
      userId: '21', username: 'Alice Liddell', preferredUsername: 'alice', email: 'alice@example.com', emailVerified: true, groups: [], connectorData: null,
    });
    assert.equal((await login(await open(), 'carol', PLAIN)).username, 'carol@example.com');
    assert.equal((await login(await open({ useLoginAsID: true }), 'alice', PLAIN)).userId, 'alice');
  });

  test('no orgs and no loadAllGroups: no groups, and /user/teams is not read', async () => {
    sim.clearRequests();
    assert.deepEqual((await login(await open(), 'alice')).groups, []);
    assert.ok(!sim.requests.some((r) => r.path === '/api/v1/user/teams'));
  });

  test('orgs: whole orgs, listed teams only, and refusal of users in none', async () => {
    const conn = await open({ orgs: [{ name: 'acme' }, { name: 'beta', teams: ['not-qa'] }] });
    assert.deepEqual((await login(conn, 'alice')).groups, ['acme', 'acme:Owners', 'acme:devs']);
    assert.deepEqual((await login(conn, 'alice', PLAIN)).groups, [], 'groups only with the scope');
    await rejectsClean(login(conn, 'carol', PLAIN), 'groups');
    await rejectsClean(login(await open({ orgs: [{ name: 'beta', teams: ['not-qa'] }] }), 'alice'), 'groups');
  });

  test('1,500 teams over pages of 50, until an empty page', async () => {
    sim.clearRequests();
    const id = await login(await open({ loadAllGroups: true }), 'frank');
    assert.equal(id.groups.length, 1501);
    assert.equal(sim.requests.filter((r) => r.path === '/api/v1/user/teams').length, 31);
  });
});

describe('gitea: refresh', () => {
  test('a valid token is reused; an expired one is renewed with the refresh token and stored', async () => {
    const conn = await open({ loadAllGroups: true });
    assert.ok(isRefreshConnector(conn));
    const id = await login(conn, 'alice', OFFLINE);
    assert.deepEqual((await conn.refresh(OFFLINE, id)).connectorData, id.connectorData);
    sim.advance(2 * 3600_000);
    sim.clearRequests();
    const renewed = await conn.refresh(OFFLINE, id);
    assert.equal(sim.requests.find((r) => r.path === '/login/oauth/access_token')?.form.get('grant_type'), 'refresh_token');
    assert.notDeepEqual(renewed.connectorData, id.connectorData);
    assert.deepEqual(renewed.groups, id.groups);
  });

  test('a revoked upstream grant fails refresh cleanly', async () => {
    const conn = await open();
    assert.ok(isRefreshConnector(conn));
    const id = await login(conn, 'carol', OFFLINE);
    sim.revoke('carol');
    await rejectsClean(conn.refresh(OFFLINE, id));
    sim.advance(2 * 3600_000);
    await rejectsClean(conn.refresh(OFFLINE, id));
  });
});

describe('gitea: failures and config', () => {
  for (const [fault, path] of [['rate-limit', '/api/v1/user/teams'], ['server-error', '/login/oauth/access_token'], ['malformed-json', '/api/v1/user']] as const) {
    test(`${fault} on ${path}`, async () => {
      const conn = await open({ loadAllGroups: true });
      sim.inject(fault, { path });
      await rejectsClean(login(conn, 'alice'), 'upstream');
    });
  }

  test('bad options name their key; baseURL defaults to gitea.com', () => {
    assert.throws(() => gitea.parseConfig({ ...base(), orgs: [{ teams: ['x'] }] }, 'c'), (e) => e instanceof ConfigError && e.issues.some((i) => i.path === 'c.orgs[0].name'));
    assert.throws(() => gitea.parseConfig({ ...base(), baseURL: 'ftp://x' }, 'c'), (e) => e instanceof ConfigError && e.issues.some((i) => i.path === 'c.baseURL'));
    const { baseURL: _b, ...rest } = base();
    assert.equal(gitea.parseConfig(rest, 'c').baseURL, 'https://gitea.com');
  });
});
