/**
 * The `openshift` connector against the OpenShift simulation (test/sim/openshift-sim.ts) over TLS — the OAuth
 * metadata, OAuth server and `user.openshift.io/v1` users API, shaped like OpenShift's documented API; not a live
 * cluster. Trust comes from the real `rootCA` option (or `insecureCA`).
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runConnectorContract } from '../../../src/connectors/contract/index.js';
import { openshift } from '../../../src/connectors/openshift/index.js';
import type { Connector, Scopes } from '../../../src/connectors/types.js';
import { ConfigError } from '../../../src/lib/errors.js';
import type { ApiSim } from '../../sim/api-sim.js';
import { contractLogin, loginWithCode, SIM_CALLBACK, simLogin } from '../../sim/callback-login.js';
import { OPENSHIFT_CLIENT, startOpenshiftSim, type OpenshiftSimUser } from '../../sim/openshift-sim.js';
import { cleanRejection, GROUPS, OFFLINE, PLAIN, refreshIdentity as refresh, simDeps } from './saas-fixtures.js';

let sim: ApiSim<OpenshiftSimUser>;
before(async () => {
  sim = await startOpenshiftSim({ tls: true });
});
after(() => sim.close());

const base = () => ({ issuer: sim.url, clientID: OPENSHIFT_CLIENT.clientId, clientSecret: OPENSHIFT_CLIENT.clientSecret, redirectURI: SIM_CALLBACK, rootCA: sim.caFile });
const SECRETS = [OPENSHIFT_CLIENT.clientSecret];

function open(extra: Record<string, unknown> = {}, deps = simDeps()): Connector {
  const cfg = openshift.parseConfig({ ...base(), ...extra }, 'connectors[0].config');
  return openshift.open('openshift', cfg, { ...deps, now: () => new Date(sim.now()) }) as Connector;
}
const login = (conn: Connector, user: string, scopes: Scopes = GROUPS) => simLogin(sim, conn, scopes, user);
const rejectsClean = cleanRejection(SECRETS);
let undo = () => {};

runConnectorContract({
  name: 'openshift (API simulation, TLS)',
  open: () => open(),
  openUnreachable: () => open({ issuer: 'https://127.0.0.1:1' }),
  login: contractLogin(() => sim),
  users: { primary: { username: 'alice', email: 'alice', emailVerified: false, groups: ['cluster-admins', 'developers'] } },
  wrongCredentials: async (conn) => {
    await rejectsClean(simLogin(sim, conn, PLAIN, 'alice', { sim_deny: '1' }), 'refused');
    await rejectsClean(loginWithCode(conn, PLAIN, 'code_forged-by-someone-else-0000'), 'refused');
  },
  refresh: true,
  upstreamChange: {
    group: 'developers',
    removeFromGroup: async () => void (undo = sim.mutate('alice', (u) => void (u.groups = u.groups.filter((g) => g !== 'developers')))),
    restore: async () => undo(),
  },
});

describe('openshift: discovery, identity, groups', () => {
  test('endpoints from the OAuth metadata; scope user:info; the name is username, preferred username and email', async () => {
    sim.clearRequests();
    const conn = open();
    const id = await login(conn, 'alice', PLAIN);
    await login(conn, 'alice', PLAIN);
    assert.equal(sim.requests.filter((r) => r.path === '/.well-known/oauth-authorization-server').length, 1, 'discovered once');
    assert.equal(sim.requests.find((r) => r.path === '/oauth/authorize')?.query.get('scope'), 'user:info');
    assert.deepEqual({ ...id, connectorData: null }, {
      userId: '6c4c9c2e-1f57-4e8a-9a7e-000000000001', username: 'alice', preferredUsername: 'alice', email: 'alice', emailVerified: false, groups: [], connectorData: null,
    });
  });

  test('groups: required membership, enforced with or without the groups scope', async () => {
    const conn = open({ groups: ['cluster-admins'] });
    assert.deepEqual((await login(conn, 'alice')).groups, ['cluster-admins', 'developers'], 'all groups, not filtered (as dex)');
    await rejectsClean(login(conn, 'bob'), 'groups');
    await rejectsClean(login(conn, 'bob', PLAIN), 'groups');
  });

  test('a user in 1,500 groups', async () => {
    assert.equal((await login(open(), 'dave')).groups.length, 1500);
  });
});

describe('openshift: TLS trust', () => {
  test('without rootCA the cluster is not trusted; insecureCA skips verification (and says so)', async () => {
    await rejectsClean(login(open({ rootCA: '' }), 'alice', PLAIN));
    const deps = simDeps();
    assert.equal((await login(open({ rootCA: '', insecureCA: true }, deps), 'alice', PLAIN)).username, 'alice');
    assert.match(deps.lines.join(''), /insecureCA is set/);
  });
});

describe('openshift: refresh', () => {
  test('connector data in dex\'s oauth2.Token JSON shape; one written by dex refreshes', async () => {
    const conn = open();
    const id = await login(conn, 'alice', OFFLINE);
    const doc = JSON.parse(new TextDecoder().decode(id.connectorData ?? new Uint8Array())) as Record<string, string>;
    assert.deepEqual(Object.keys(doc).sort(), ['access_token', 'expiry', 'token_type']);
    const dexWritten = `{"access_token":"${doc.access_token}","token_type":"Bearer","expiry":"${doc.expiry?.replace('Z', '+00:00')}"}`;
    const again = await refresh(conn, { ...id, connectorData: new TextEncoder().encode(dexWritten) });
    assert.equal(again.userId, id.userId);
  });

  test('an expired token (OpenShift issues no refresh tokens), a revoked one, or none fails cleanly', async () => {
    const conn = open();
    const id = await login(conn, 'alice', OFFLINE);
    sim.advance(25 * 3600_000);
    await rejectsClean(refresh(conn, id));
    const bob = await login(conn, 'bob', OFFLINE);
    sim.revoke('bob');
    await rejectsClean(refresh(conn, bob));
    await rejectsClean(refresh(conn, { ...bob, connectorData: null }));
  });

  test('a user recreated under the same name (new uid) is refused on refresh', async () => {
    const conn = open();
    const id = await login(conn, 'alice', OFFLINE);
    const restore = sim.mutate('alice', (u) => void (u.uid = 'another-uid'));
    try {
      await rejectsClean(refresh(conn, id));
    } finally {
      restore();
    }
  });
});

describe('openshift: upstream failures are clean', () => {
  for (const [fault, path] of [['server-error', '/.well-known/oauth-authorization-server'], ['rate-limit', '/oauth/token'], ['bad-gateway', '/apis/user.openshift.io/v1/users/~'], ['malformed-json', '/apis/user.openshift.io/v1/users/~']] as const) {
    test(`${fault} on ${path}`, async () => {
      const conn = open();
      sim.inject(fault, { path });
      await rejectsClean(login(conn, 'alice'), 'upstream');
      assert.equal((await login(conn, 'alice')).username, 'alice', 'the next login works');
    });
  }
});

describe('openshift: config', () => {
  const bad = (extra: Record<string, unknown>, key: string) =>
    assert.throws(() => openshift.parseConfig({ ...base(), ...extra }, 'connectors[0].config'), (e) => e instanceof ConfigError && e.issues.some((i) => i.path === `connectors[0].config.${key}`));

  test('bad options are reported with their key; keys are case-insensitive', () => {
    bad({ issuer: 'not a url' }, 'issuer');
    bad({ rootCA: '/nonexistent/ca.pem' }, 'rootCA');
    bad({ insecureCA: 'true' }, 'insecureCA');
    bad({ clientSecret: undefined }, 'clientSecret');
    assert.equal(openshift.parseConfig({ ...base(), InsecureCA: true, Issuer: `${sim.url}/` }, 'c').issuer, sim.url);
  });

  test('redirectURI must be the issuer callback', async () => {
    await assert.rejects(login(open({ redirectURI: 'https://elsewhere.example/callback' }), 'alice', PLAIN), ConfigError);
  });
});
