/**
 * The `keystone` connector against the Keystone Identity API v3 simulation (test/sim/keystone-sim.ts), shaped
 * like OpenStack's documented API; not a live Keystone.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isPasswordConnector } from '../../../src/connectors/capabilities.js';
import { passwordLogin, runConnectorContract } from '../../../src/connectors/contract/index.js';
import { keystone } from '../../../src/connectors/keystone/index.js';
import type { Connector, PasswordConnector, Scopes } from '../../../src/connectors/types.js';
import { ConfigError } from '../../../src/lib/errors.js';
import { KEYSTONE_ADMIN, startKeystoneSim, type KeystoneSim } from '../../sim/keystone-sim.js';
import { cleanRejection, GROUPS, OFFLINE, PLAIN, refreshIdentity as refresh, simDeps } from './saas-fixtures.js';

let sim: KeystoneSim;
before(async () => {
  sim = await startKeystoneSim();
});
after(() => sim.close());

const base = () => ({ keystoneHost: sim.url, domain: 'default', keystoneUsername: KEYSTONE_ADMIN.username, keystonePassword: KEYSTONE_ADMIN.password });
const secrets = () => [KEYSTONE_ADMIN.password, 'alice-pw-do-not-log', ...sim.issued];

function open(extra: Record<string, unknown> = {}, deps = simDeps()): PasswordConnector & Connector {
  const conn = keystone.open('keystone', keystone.parseConfig({ ...base(), ...extra }, 'connectors[0].config'), { ...deps, now: () => new Date(sim.now()) }) as Connector;
  assert.ok(isPasswordConnector(conn));
  return conn;
}
const ALICE = { username: 'alice', password: 'alice-pw-do-not-log', email: 'alice@example.org', emailVerified: true, groups: ['developers', 'operators'] };
const login = (conn: Connector, scopes: Scopes = GROUPS, user = ALICE) => passwordLogin(conn, scopes, user);
const rejectsClean = cleanRejection(secrets);
let undo = () => {};

runConnectorContract({
  name: 'keystone (API simulation)',
  open: () => open(),
  openUnreachable: () => open({ keystoneHost: 'http://127.0.0.1:1' }),
  login: (conn, scopes, user) => passwordLogin(conn, scopes, user),
  users: { primary: ALICE },
  refresh: true,
  upstreamChange: {
    group: 'operators',
    removeFromGroup: async () => void (undo = sim.mutate('alice', (u) => void (u.groups = u.groups.filter((g) => g !== 'operators')))),
    restore: async () => undo(),
  },
});

describe('keystone: login', () => {
  test('prompt, identity mapping, the v3 request shape', async () => {
    const conn = open();
    assert.equal(conn.prompt(), 'username');
    sim.clearRequests();
    const id = await login(conn, PLAIN);
    assert.deepEqual(id, { userId: '1f5a6c3e9b8d4a2e8f7c6b5a4d3c2b11', username: 'alice', preferredUsername: '', email: 'alice@example.org', emailVerified: true, groups: [], connectorData: null });
    assert.ok(!sim.requests.some((r) => r.path.endsWith('/groups')), 'groups are read only with the scope');
    assert.ok(sim.requests.filter((r) => r.path.startsWith('/v3/users/')).every((r) => typeof r.headers['x-auth-token'] === 'string'));
  });

  test('a user without an email: empty and unverified', async () => {
    const bob = await login(open(), PLAIN, { ...ALICE, username: 'bob', password: 'bob-pw' });
    assert.deepEqual([bob.email, bob.emailVerified], ['', false]);
  });

  test('wrong password, unknown user, empty password: { valid: false }, no error', async () => {
    const conn = open();
    for (const [u, p] of [['alice', 'nope'], ['nobody', 'x'], ['alice', '']]) {
      assert.deepEqual(await conn.login(PLAIN, u ?? '', p ?? ''), { identity: null, valid: false });
    }
  });

  test('domain by name or id; the same name in another domain is another user', async () => {
    const corp = await login(open({ domain: 'Corp' }), GROUPS, { ...ALICE, password: 'corp-alice-pw' });
    assert.deepEqual([corp.userId, corp.email, corp.groups], ['3f5a6c3e9b8d4a2e8f7c6b5a4d3c2b33', 'alice@corp.example', ['corp']]);
    const byId = await login(open({ domain: 'c4d6f0f6a0e94d3f8d2c1b6e7a9f0e11' }), PLAIN, { ...ALICE, password: 'corp-alice-pw' });
    assert.equal(byId.userId, corp.userId);
    assert.deepEqual(await open({ domain: 'Corp' }).login(PLAIN, 'alice', ALICE.password), { identity: null, valid: false });
  });

  test('1,500 groups across 3 pages', async () => {
    sim.clearRequests();
    const dave = await login(open(), GROUPS, { ...ALICE, username: 'dave', password: 'dave-pw' });
    assert.equal(dave.groups.length, 1500);
    assert.equal(dave.groups.at(-1), 'project-1500');
    assert.equal(sim.requests.filter((r) => r.path.endsWith('/groups')).length, 3);
  });
});

describe('keystone: refresh', () => {
  test('uses the admin token; a deleted user fails cleanly', async () => {
    const conn = open();
    const id = await login(conn, OFFLINE);
    sim.clearRequests();
    const again = await refresh(conn, id);
    assert.deepEqual(again, id);
    const auth = sim.requests.filter((r) => r.path === '/v3/auth/tokens');
    assert.equal(auth.length, 1, 'one admin authentication');
    const gone = sim.mutate('alice', (u) => void (u.id = 'ffffffffffffffffffffffffffffffff'));
    try {
      await rejectsClean(refresh(conn, id));
    } finally {
      gone();
    }
  });

  test('without admin credentials, or with wrong ones, refresh fails cleanly (and the gap is logged at open)', async () => {
    const deps = simDeps();
    const conn = open({ keystoneUsername: '', keystonePassword: '' }, deps);
    const id = await login(conn, OFFLINE);
    await rejectsClean(refresh(conn, id));
    assert.match(deps.lines.join(''), /refresh will fail/);
    await rejectsClean(refresh(open({ keystonePassword: 'wrong' }), id));
  });
});

describe('keystone: upstream failures are clean, nothing secret is logged', () => {
  for (const [fault, path] of [['server-error', '/v3/auth/tokens'], ['rate-limit', '/v3/users/1f5a6c3e9b8d4a2e8f7c6b5a4d3c2b11'], ['malformed-json', '/groups'], ['unauthorized', '/v3/users/1f5a6c3e9b8d4a2e8f7c6b5a4d3c2b11']] as const) {
    test(`${fault} on ${path}`, async () => {
      const deps = simDeps();
      const conn = open({}, deps);
      sim.inject(fault, { path });
      await rejectsClean(conn.login(GROUPS, 'alice', ALICE.password), 'upstream');
      const log = deps.lines.join('');
      for (const s of secrets()) assert.ok(!log.includes(s));
    });
  }
});

describe('keystone: config', () => {
  const bad = (extra: Record<string, unknown>, key: string) =>
    assert.throws(() => keystone.parseConfig({ ...base(), ...extra }, 'connectors[0].config'), (e) => e instanceof ConfigError && e.issues.some((i) => i.path === `connectors[0].config.${key}`));

  test('dex\'s keys, case-insensitive; bad ones named', () => {
    bad({ keystoneHost: 'keystone:5000 x' }, 'keystoneHost');
    bad({ domain: '' }, 'domain');
    const c = keystone.parseConfig({ KeystoneHost: `${sim.url}/`, Domain: 'default', keystoneusername: 'u', KEYSTONEPASSWORD: 'p' }, 'c');
    assert.deepEqual([c.keystoneHost, c.domain, c.keystoneUsername, c.keystonePassword], [sim.url, { id: 'default' }, 'u', 'p']);
    assert.deepEqual(keystone.parseConfig({ ...base(), domain: '6f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' }, 'c').domain, { id: '6f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' });
    assert.deepEqual(keystone.parseConfig({ ...base(), domain: 'Corp' }, 'c').domain, { name: 'Corp' });
  });
});
