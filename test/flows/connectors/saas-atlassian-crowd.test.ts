/**
 * The `atlassian-crowd` connector against the Crowd Usermanagement REST API simulation (test/sim/crowd-sim.ts),
 * shaped like Atlassian's documented API; not a live Crowd server.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { atlassianCrowd } from '../../../src/connectors/atlassian-crowd/index.js';
import { isPasswordConnector } from '../../../src/connectors/capabilities.js';
import { passwordLogin, runConnectorContract } from '../../../src/connectors/contract/index.js';
import type { Connector, PasswordConnector, Scopes } from '../../../src/connectors/types.js';
import { ConfigError } from '../../../src/lib/errors.js';
import type { ApiSim } from '../../sim/api-sim.js';
import { CROWD_APP, CROWD_PATH, startCrowdSim, type CrowdSimUser } from '../../sim/crowd-sim.js';
import { assertClean, cleanRejection, GROUPS, OFFLINE, PLAIN, refreshIdentity as refresh, simDeps } from './saas-fixtures.js';

let sim: ApiSim<CrowdSimUser>;
before(async () => {
  sim = await startCrowdSim();
});
after(() => sim.close());

const base = () => ({ baseURL: `${sim.url}/crowd/`, clientID: CROWD_APP.name, clientSecret: CROWD_APP.password });
const SECRETS = [CROWD_APP.password, 'alice-pw-do-not-log', Buffer.from(`${CROWD_APP.name}:${CROWD_APP.password}`).toString('base64')];

function open(extra: Record<string, unknown> = {}, deps = simDeps()): PasswordConnector & Connector {
  const conn = atlassianCrowd.open('crowd', atlassianCrowd.parseConfig({ ...base(), ...extra }, 'connectors[0].config'), deps) as Connector;
  assert.ok(isPasswordConnector(conn));
  return conn;
}
const ALICE = { username: 'alice', password: 'alice-pw-do-not-log', email: 'alice@example.com', emailVerified: true, groups: ['jira-users', 'developers'] };
const login = (conn: Connector, scopes: Scopes = GROUPS, user = ALICE) => passwordLogin(conn, scopes, user);
const rejectsClean = cleanRejection(SECRETS);
let undo = () => {};

runConnectorContract({
  name: 'atlassian-crowd (API simulation)',
  open: () => open(),
  openUnreachable: () => open({ baseURL: 'http://127.0.0.1:1/crowd' }),
  login: (conn, scopes, user) => passwordLogin(conn, scopes, user),
  users: { primary: ALICE },
  refresh: true,
  upstreamChange: {
    group: 'developers',
    removeFromGroup: async () => void (undo = sim.mutate('alice', (u) => void (u.groups = u.groups.filter((g) => g !== 'developers')))),
    restore: async () => undo(),
  },
  allowedGroups: { open: () => open({ groups: ['developers', 'admins'] }), expected: ['developers'] },
});

describe('atlassian-crowd: login', () => {
  test('identity, prompt, app credentials and the documented calls', async () => {
    const conn = open();
    assert.equal(conn.prompt(), '');
    assert.equal(open({ usernamePrompt: 'Crowd login' }).prompt(), 'Crowd login');
    sim.clearRequests();
    const id = await login(conn, OFFLINE);
    assert.deepEqual({ ...id, connectorData: null }, {
      userId: '32769:9f0c2a1e-alice', username: 'alice', preferredUsername: '', email: 'alice@example.com', emailVerified: true, groups: ['jira-users', 'developers'], connectorData: null,
    });
    assert.equal(new TextDecoder().decode(id.connectorData ?? new Uint8Array()), '{"username":"alice"}', "dex's connector data");
    assert.deepEqual(sim.requests.map((r) => `${r.method} ${r.path.slice(CROWD_PATH.length)}`), ['POST /authentication', 'GET /user/group/nested']);
    assert.equal(sim.requests[0]?.query.get('username'), 'alice');
  });

  test('preferredUsernameField: key, name, email; anything else leaves it empty with a warning', async () => {
    for (const [field, want] of [['key', '32769:9f0c2a1e-alice'], ['name', 'alice'], ['email', 'alice@example.com']]) {
      assert.equal((await login(open({ preferredUsernameField: field }), PLAIN)).preferredUsername, want);
    }
    const deps = simDeps();
    assert.equal((await login(open({ preferredUsernameField: 'mail' }, deps), PLAIN)).preferredUsername, '');
    assert.match(deps.lines.join(''), /unknown preferredUsernameField/);
    for (const inherited of ['toString', 'constructor']) {
      assert.equal((await login(open({ preferredUsernameField: inherited }), PLAIN)).preferredUsername, '', inherited);
    }
  });

  test('wrong password, unknown user, inactive account, empty password: { valid: false }', async () => {
    const conn = open();
    for (const [u, p] of [['alice', 'nope'], ['nobody', 'x'], ['carol', 'carol-pw'], ['alice', '']]) {
      assert.deepEqual(await conn.login(PLAIN, u ?? '', p ?? ''), { identity: null, valid: false }, `${u}`);
    }
  });

  test('required groups: enforced even without the groups scope; only the listed ones returned', async () => {
    const conn = open({ groups: ['developers'] });
    assert.deepEqual((await login(conn)).groups, ['developers']);
    assert.deepEqual((await login(conn, PLAIN)).groups, []);
    await rejectsClean(login(conn, PLAIN, { ...ALICE, username: 'bob', password: 'bob-pw' }), 'groups');
  });

  test('1,500 nested groups over 2 pages', async () => {
    sim.clearRequests();
    const dave = await login(open(), GROUPS, { ...ALICE, username: 'dave', password: 'dave-pw' });
    assert.equal(dave.groups.length, 1500);
    const pages = sim.requests.filter((r) => r.path.endsWith('/user/group/nested'));
    assert.deepEqual(pages.map((r) => r.query.get('start-index')), ['0', '1000']);
  });

  test('refused application credentials are an upstream failure, not a wrong password', async () => {
    await assert.rejects(open({ clientSecret: 'wrong' }).login(PLAIN, 'alice', ALICE.password), (e) => assertClean(e, SECRETS, 'upstream') && /application credentials were refused/.test((e as Error).message));
  });
});

describe('atlassian-crowd: refresh', () => {
  test('re-reads the user; a removed or deactivated user fails cleanly', async () => {
    const conn = open();
    const id = await login(conn, OFFLINE);
    const renamed = sim.mutate('alice', (u) => void (u.email = 'alice@new.example'));
    try {
      assert.equal((await refresh(conn, id)).email, 'alice@new.example');
    } finally {
      renamed();
    }
    const inactive = sim.mutate('alice', (u) => void (u.active = false));
    try {
      await rejectsClean(refresh(conn, id), 'refused');
    } finally {
      inactive();
    }
    await rejectsClean(refresh(conn, { ...id, connectorData: new TextEncoder().encode('{"username":"ghost"}') }));
    await rejectsClean(refresh(conn, { ...id, connectorData: null }));
  });

  test('required groups are checked again on refresh', async () => {
    const conn = open({ groups: ['developers'] });
    const id = await login(conn, OFFLINE);
    const out = sim.mutate('alice', (u) => void (u.groups = ['jira-users']));
    try {
      await rejectsClean(refresh(conn, id), 'groups');
    } finally {
      out();
    }
  });
});

describe('atlassian-crowd: upstream failures are clean, nothing secret is logged', () => {
  for (const [fault, path] of [['server-error', '/authentication'], ['rate-limit', '/user/group/nested'], ['bad-gateway', '/authentication'], ['malformed-json', '/user/group/nested']] as const) {
    test(`${fault} on ${path}`, async () => {
      const deps = simDeps();
      sim.inject(fault, { path });
      await rejectsClean(open({}, deps).login(GROUPS, 'alice', ALICE.password), 'upstream');
      const log = deps.lines.join('');
      for (const s of SECRETS) assert.ok(!log.includes(s));
    });
  }
});

describe('atlassian-crowd: config', () => {
  const bad = (extra: Record<string, unknown>, key: string) =>
    assert.throws(() => atlassianCrowd.parseConfig({ ...base(), ...extra }, 'connectors[0].config'), (e) => e instanceof ConfigError && e.issues.some((i) => i.path === `connectors[0].config.${key}`));

  test('dex\'s keys, case-insensitive; bad ones named', () => {
    bad({ baseURL: '' }, 'baseURL');
    bad({ clientSecret: undefined }, 'clientSecret');
    bad({ groups: 'developers' }, 'groups');
    const c = atlassianCrowd.parseConfig({ BaseURL: 'https://crowd.example.com/crowd/', ClientID: 'a', ClientSecret: 'b', PreferredUsernameField: 'email' }, 'c');
    assert.deepEqual([c.baseURL, c.clientID, c.preferredUsernameField], ['https://crowd.example.com/crowd', 'a', 'email']);
  });
});
