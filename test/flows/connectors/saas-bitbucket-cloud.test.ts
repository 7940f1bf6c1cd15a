/**
 * The `bitbucket-cloud` connector against the Bitbucket Cloud API simulation (test/sim/bitbucket-sim.ts) — shaped
 * like Bitbucket's published 2.0 API, not the live service. bitbucket.org's endpoints are replaced with the
 * test-only `createBitbucketCloudFactory(endpoints)`.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBitbucketCloudFactory, type BitbucketEndpoints } from '../../../src/connectors/bitbucket-cloud/index.js';
import { isRefreshConnector } from '../../../src/connectors/capabilities.js';
import { runConnectorContract } from '../../../src/connectors/contract/index.js';
import type { Connector } from '../../../src/connectors/types.js';
import type { ApiSim } from '../../sim/api-sim.js';
import { BITBUCKET_CLIENT, startBitbucketSim, type BitbucketSimUser } from '../../sim/bitbucket-sim.js';
import { contractLogin, loginWithCode, SIM_CALLBACK, simLogin } from '../../sim/callback-login.js';
import { cleanRejection, GROUPS, OFFLINE, PLAIN, recordingLogger, simDeps } from './saas-fixtures.js';

let sim: ApiSim<BitbucketSimUser>;
before(async () => {
  sim = await startBitbucketSim();
});
after(() => sim.close());

const base = { clientID: BITBUCKET_CLIENT.clientId, clientSecret: BITBUCKET_CLIENT.clientSecret, redirectURI: SIM_CALLBACK };
const SECRETS = [BITBUCKET_CLIENT.clientSecret];
const endpoints = (origin: string): BitbucketEndpoints => ({
  authURL: `${origin}/site/oauth2/authorize`,
  tokenURL: `${origin}/site/oauth2/access_token`,
  apiURL: `${origin}/2.0`,
});
async function open(extra: Record<string, unknown> = {}, deps = simDeps(), origin = sim.url): Promise<Connector> {
  const f = createBitbucketCloudFactory(endpoints(origin));
  return f.open('bitbucket', f.parseConfig({ ...base, ...extra }, 'c'), { ...deps, now: () => new Date(sim.now()) });
}
const login = (conn: Connector, user: string, scopes = GROUPS) => simLogin(sim, conn, scopes, user);
const rejectsClean = cleanRejection(SECRETS);
let undo = () => {};

runConnectorContract({
  name: 'bitbucket-cloud (API simulation)',
  open: () => open(),
  openUnreachable: () => open({}, simDeps(), 'http://127.0.0.1:1'),
  login: contractLogin(() => sim),
  users: { primary: { username: 'alice', email: 'alice@example.com', emailVerified: true, groups: ['atlas', 'zephyr'] } },
  wrongCredentials: async (conn) => {
    await rejectsClean(simLogin(sim, conn, PLAIN, 'alice', { sim_deny: '1' }), 'refused');
    await rejectsClean(loginWithCode(conn, PLAIN, 'forged'), 'refused');
  },
  refresh: true,
  upstreamChange: {
    group: 'zephyr',
    removeFromGroup: async () => {
      undo = sim.mutate('alice', (u) => void (u.workspaces = u.workspaces.filter((w) => w.slug !== 'zephyr')));
    },
    restore: async () => undo(),
  },
  allowedGroups: { open: () => open({ teams: ['zephyr', 'other'] }), expected: ['zephyr'] },
});

describe('bitbucket-cloud: identity and workspaces', () => {
  test('UUID, username, primary confirmed email; scopes account email; client by HTTP Basic', async () => {
    sim.clearRequests();
    const id = await login(await open(), 'alice', PLAIN);
    assert.deepEqual({ ...id, connectorData: null }, {
      userId: '{0f7c1c2e-1d6b-4f0e-9a51-6b1f1b2a3c4d}', username: 'alice', preferredUsername: '', email: 'alice@example.com', emailVerified: true, groups: [], connectorData: null,
    });
    assert.equal(sim.requests.find((r) => r.path === '/site/oauth2/authorize')?.query.get('scope'), 'account email');
    assert.match(String(sim.requests.find((r) => r.path === '/site/oauth2/access_token')?.headers.authorization), /^Basic /);
    assert.ok(!sim.requests.some((r) => r.path === '/2.0/user/workspaces'), 'workspaces are not read without groups or teams');
  });

  test('a user without a confirmed primary email cannot log in', async () => {
    await rejectsClean(login(await open(), 'bob', PLAIN), 'refused');
  });

  test('teams: required membership enforced without the groups scope', async () => {
    const conn = await open({ teams: ['atlas'] });
    assert.deepEqual((await login(conn, 'alice', PLAIN)).groups, []);
    await rejectsClean(login(conn, 'grace', PLAIN), 'groups');
  });

  test('getWorkspacePermissions adds slug:permission; an unreadable permission is skipped with a warning', async () => {
    assert.deepEqual((await login(await open({ getWorkspacePermissions: true }), 'alice')).groups, ['atlas', 'zephyr', 'atlas:owner', 'zephyr:member']);
    const rec = recordingLogger();
    const conn = await open({ getWorkspacePermissions: true }, { ...simDeps(), logger: rec.logger, lines: rec.lines });
    sim.inject('server-error', { path: '/2.0/user/workspaces/zephyr/permission' });
    assert.deepEqual((await login(conn, 'alice')).groups, ['atlas', 'zephyr', 'atlas:owner']);
    assert.ok(rec.lines.some((l) => l.includes('workspace permission not readable')));
    assert.ok(!rec.lines.join('').includes(BITBUCKET_CLIENT.clientSecret));
  });

  test('includeTeamGroups is accepted, ignored, and warned about', async () => {
    const rec = recordingLogger();
    const conn = await open({ includeTeamGroups: true }, { ...simDeps(), logger: rec.logger, lines: rec.lines });
    assert.deepEqual((await login(conn, 'alice')).groups, ['atlas', 'zephyr']);
    assert.ok(rec.lines.some((l) => l.includes('includeTeamGroups is deprecated')));
  });

  test('1,500 workspaces across pages of 100', async () => {
    sim.clearRequests();
    assert.equal((await login(await open(), 'grace')).groups.length, 1500);
    assert.equal(sim.requests.filter((r) => r.path === '/2.0/user/workspaces').length, 15);
  });
});

describe('bitbucket-cloud: refresh and failures', () => {
  test('an expired access token is renewed with the refresh token; a revoked grant fails cleanly', async () => {
    const conn = await open();
    assert.ok(isRefreshConnector(conn));
    const id = await login(conn, 'alice', OFFLINE);
    sim.advance(3 * 3600_000);
    const renewed = await conn.refresh(OFFLINE, id);
    assert.notDeepEqual(renewed.connectorData, id.connectorData);
    assert.deepEqual(renewed.groups, ['atlas', 'zephyr']);
    sim.revoke('alice');
    sim.advance(3 * 3600_000);
    await rejectsClean(conn.refresh(OFFLINE, renewed));
  });

  for (const [fault, path] of [['rate-limit', '/2.0/user/emails'], ['server-error', '/2.0/user/workspaces'], ['malformed-json', '/2.0/user'], ['unauthorized', '/2.0/user']] as const) {
    test(`${fault} on ${path}`, async () => {
      const conn = await open();
      sim.inject(fault, { path });
      await rejectsClean(login(conn, 'alice'), 'upstream');
    });
  }
});
