/**
 * The `google` connector against the Google API simulation (test/sim/google-sim.ts) — OpenID discovery, a JWKS,
 * RS256 ID tokens, the service-account JWT bearer grant and the Admin SDK Directory API, shaped like Google's
 * published APIs; not the live service. `createGoogleFactory({ issuer, directoryURL })` points discovery and the
 * Directory API at the simulation; the service account's `token_uri` comes from the generated key file.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { runConnectorContract } from '../../../src/connectors/contract/index.js';
import { createGoogleFactory } from '../../../src/connectors/google/index.js';
import type { Connector } from '../../../src/connectors/types.js';
import { ConfigError } from '../../../src/lib/errors.js';
import { contractLogin, loginWithCode, SIM_CALLBACK, simLogin } from '../../sim/callback-login.js';
import { GOOGLE_CLIENT, startGoogleSim, type GoogleSim } from '../../sim/google-sim.js';
import { assertClean, cleanRejection, GROUPS, OFFLINE, PLAIN, refreshIdentity as refresh, simDeps } from './saas-fixtures.js';

let sim: GoogleSim;
let saFile = '';
before(async () => {
  sim = await startGoogleSim();
  saFile = await sim.serviceAccountFile();
});
after(() => sim.close());

const base = { clientID: GOOGLE_CLIENT.clientId, clientSecret: GOOGLE_CLIENT.clientSecret, redirectURI: SIM_CALLBACK };
const directory = () => ({ serviceAccountFilePath: saFile, domainToAdminEmail: { '*': 'admin@example.com' } });
const keyLine = () => String((JSON.parse(readFileSync(saFile, 'utf8')) as Record<string, string>).private_key?.split('\n')[1]);
const secrets = () => [GOOGLE_CLIENT.clientSecret, 'PRIVATE KEY', keyLine(), 'ya29.'];

async function open(extra: Record<string, unknown> = {}, issuer = sim.url, deps = simDeps()): Promise<Connector> {
  const f = createGoogleFactory({ issuer, directoryURL: sim.url });
  return f.open('google', f.parseConfig({ ...base, ...extra }, 'connectors[0].config'), { ...deps, now: () => new Date(sim.now()) });
}
const login = (conn: Connector, user: string, scopes = GROUPS, extra: Record<string, string> = {}) => simLogin(sim, conn, scopes, user, extra);
const rejectsClean = cleanRejection(secrets);
let undo = () => {};

runConnectorContract({
  name: 'google (API simulation)',
  open: () => open(directory()),
  openUnreachable: () => open(directory(), 'http://127.0.0.1:1'),
  login: contractLogin(() => sim),
  users: { primary: { username: 'alice', email: 'alice@example.com', emailVerified: true, groups: ['eng@example.com', 'admins@example.com'] } },
  wrongCredentials: async (conn) => {
    await rejectsClean(login(conn, 'alice', PLAIN, { sim_deny: '1' }), 'refused');
    await rejectsClean(loginWithCode(conn, PLAIN, 'code_forged-by-someone-else-0000'), 'refused');
  },
  refresh: true,
  upstreamChange: {
    group: 'admins@example.com',
    removeFromGroup: async () => void (undo = sim.mutate('alice', (u) => void (u.groups = u.groups.filter((g) => g !== 'admins@example.com')))),
    restore: async () => undo(),
  },
  allowedGroups: { open: () => open({ ...directory(), groups: ['eng@example.com'] }), expected: ['eng@example.com'] },
});

describe('google: login URL and identity', () => {
  test('scopes, hd, offline access and promptType', async () => {
    const url = async (extra: Record<string, unknown>, scopes = PLAIN) => {
      const conn = (await open(extra)) as { loginURL(s: typeof PLAIN, c: string, st: string): Promise<{ url: string }> };
      return new URL((await conn.loginURL(scopes, SIM_CALLBACK, 'st')).url).searchParams;
    };
    const plain = await url({});
    assert.equal(plain.get('scope'), 'openid profile email');
    assert.equal(plain.get('hd'), null);
    assert.equal(plain.get('access_type'), null);
    assert.equal((await url({ scopes: ['email'] })).get('scope'), 'openid email');
    assert.equal((await url({ hostedDomains: ['example.com'] })).get('hd'), 'example.com');
    assert.equal((await url({ hostedDomains: ['example.com', 'other.example'] })).get('hd'), '*');
    const offline = await url({}, OFFLINE);
    assert.deepEqual([offline.get('access_type'), offline.get('prompt')], ['offline', 'consent']);
    assert.equal((await url({ promptType: 'select_account' }, OFFLINE)).get('prompt'), 'select_account');
    assert.equal((await url({ promptType: '' }, OFFLINE)).get('prompt'), null);
  });

  test('user id = sub, username = name, no preferred username; an unverified email stays unverified', async () => {
    const conn = await open();
    const alice = await login(conn, 'alice', PLAIN);
    assert.deepEqual({ ...alice, connectorData: null }, {
      userId: '110000000000000000001', username: 'Alice Liddell', preferredUsername: '', email: 'alice@example.com', emailVerified: true, groups: [], connectorData: null,
    });
    const bob = await login(conn, 'bob', PLAIN);
    assert.equal(bob.emailVerified, false);
    assert.equal(bob.email, 'bob@gmail.example');
  });

  test('hostedDomains: a user of another domain, or of none, is refused', async () => {
    const conn = await open({ hostedDomains: ['example.com'] });
    assert.equal((await login(conn, 'alice', PLAIN)).email, 'alice@example.com');
    await rejectsClean(login(conn, 'carol', PLAIN), 'refused');
    await rejectsClean(login(conn, 'bob', PLAIN), 'refused');
    assert.equal((await login(await open({ hostedDomains: ['example.com', 'other.example'] }), 'carol', PLAIN)).email, 'carol@other.example');
  });

  for (const tamper of ['signature', 'audience', 'issuer', 'expired'] as const) {
    test(`an ID token with a bad ${tamper} is refused`, async () => {
      const conn = await open();
      sim.tamper = tamper;
      try {
        await assert.rejects(login(conn, 'alice', PLAIN), (e) => assertClean(e, secrets()) && /ID token rejected/.test((e as Error).message));
      } finally {
        sim.tamper = null;
      }
    });
  }

  test('a rotated signing key is fetched again', async () => {
    const conn = await open();
    await login(conn, 'alice', PLAIN);
    await sim.rotateKey();
    sim.advance(61_000);
    assert.equal((await login(conn, 'alice', PLAIN)).userId, '110000000000000000001');
  });
});

describe('google: groups from the Admin SDK Directory API', () => {
  test('service-account JWT grant impersonating the admin; the token is reused', async () => {
    const grants = sim.grants.length;
    const conn = await open(directory());
    await login(conn, 'alice');
    await login(conn, 'alice');
    assert.equal(sim.grants.length, grants + 1, 'one grant for two logins');
    const claims = sim.grants.at(-1) ?? {};
    const sa = JSON.parse(readFileSync(saFile, 'utf8')) as Record<string, string>;
    assert.equal(claims.sub, 'admin@example.com');
    assert.equal(claims.iss, sa.client_email);
    assert.equal(claims.aud, `${sim.url}/token`);
  });

  test('transitive membership: each group once, cycles stop', async () => {
    const id = await login(await open({ ...directory(), fetchTransitiveGroupMembership: true }), 'alice');
    assert.deepEqual(id.groups, ['eng@example.com', 'all-staff@example.com', 'everyone@example.com', 'admins@example.com']);
  });

  test('1,500 groups across 8 pages', async () => {
    sim.clearRequests();
    const id = await login(await open(directory()), 'dave');
    assert.equal(id.groups.length, 1500);
    assert.equal(id.groups.at(-1), 'g1500@example.com');
    assert.equal(sim.requests.filter((r) => r.path === '/admin/directory/v1/groups').length, 8);
  });

  test('required groups are enforced even without the groups scope; groups only with it', async () => {
    const conn = await open({ ...directory(), groups: ['admins@example.com'] });
    assert.deepEqual((await login(conn, 'alice', PLAIN)).groups, []);
    await rejectsClean(login(conn, 'carol', PLAIN), 'groups');
    await rejectsClean(login(conn, 'erin'), 'groups');
  });

  test('domainToAdminEmail per domain; a domain without an admin, or an admin without delegation, fails cleanly', async () => {
    const conn = await open({ serviceAccountFilePath: saFile, domainToAdminEmail: { 'example.com': 'admin@example.com' } });
    assert.deepEqual((await login(conn, 'alice')).groups, ['eng@example.com', 'admins@example.com']);
    await rejectsClean(login(conn, 'carol'));
    await rejectsClean(login(await open({ serviceAccountFilePath: saFile, domainToAdminEmail: { '*': 'not-an-admin@example.com' } }), 'alice'));
    // A domain named after an Object.prototype member has no entry either (a plain lookup would find the function).
    sim.users['mallory'] = { ...sim.users['carol']!, sub: '110000000000000000009', email: 'mallory@constructor', hd: 'constructor' };
    await assert.rejects(login(conn, 'mallory'), (e) => /no domainToAdminEmail entry for constructor/.test((e as Error).message));
  });
});

describe('google: refresh', () => {
  test('connector data is the raw upstream refresh token (dex format); a name missing on refresh is kept', async () => {
    const conn = await open(directory());
    const id = await login(conn, 'alice', OFFLINE);
    const stored = new TextDecoder().decode(id.connectorData ?? new Uint8Array());
    assert.match(stored, /^rt_/);
    const restore = sim.mutate('alice', (u) => void (u.name = ''));
    try {
      const again = await refresh(conn, id);
      assert.equal(again.username, 'Alice Liddell');
      assert.deepEqual(again.connectorData, id.connectorData, 'Google does not rotate refresh tokens');
    } finally {
      restore();
    }
  });

  test('a revoked upstream token, or no stored token, fails refresh cleanly', async () => {
    const conn = await open();
    const id = await login(conn, 'carol', OFFLINE);
    sim.revoke('carol');
    await rejectsClean(refresh(conn, id));
    await rejectsClean(refresh(conn, { ...id, connectorData: null }));
  });
});

describe('google: upstream failures are clean and nothing secret is logged', () => {
  for (const [fault, path] of [['rate-limit', '/token'], ['server-error', '/admin/directory/v1/groups'], ['bad-gateway', '/oauth2/v3/certs'], ['malformed-json', '/.well-known/openid-configuration']] as const) {
    test(`${fault} on ${path}`, async () => {
      const conn = await open(directory());
      sim.inject(fault, { path, retryAfter: 17 });
      await assert.rejects(login(conn, 'alice'), (e) => {
        assertClean(e, secrets(), 'upstream');
        if (fault === 'rate-limit') assert.match((e as Error).message, /429, rate limited.*retry after 17 s/);
        return true;
      });
      assert.equal((await login(conn, 'alice')).email, 'alice@example.com', 'the next login works');
    });
  }

  test('the log has no secret, key or token', async () => {
    const deps = simDeps();
    const conn = await open({ ...directory(), adminEmail: 'admin@example.com' }, sim.url, deps);
    const id = await login(conn, 'alice', OFFLINE);
    await refresh(conn, id);
    sim.inject('server-error', { path: '/token' });
    await rejectsClean(refresh(conn, id));
    const log = deps.lines.join('');
    assert.match(log, /adminEmail/, 'the recording logger is live');
    for (const s of secrets()) assert.ok(!log.includes(s), `log leaks ${s}`);
    assert.doesNotMatch(log, /\b(?:at|rt|code)_[\w-]{20,}/);
  });
});

describe('google: config', () => {
  const f = createGoogleFactory();
  const bad = (extra: Record<string, unknown>, key: string) =>
    assert.throws(() => f.parseConfig({ ...base, ...extra }, 'connectors[0].config'), (e) => e instanceof ConfigError && e.issues.some((i) => i.path === `connectors[0].config.${key}`));

  test('bad options are reported with their key', () => {
    bad({ serviceAccountFilePath: '/etc/sa.json' }, 'domainToAdminEmail');
    bad({ clientSecret: '' }, 'clientSecret');
    bad({ hostedDomains: 'example.com' }, 'hostedDomains');
    bad({ domainToAdminEmail: ['a'] }, 'domainToAdminEmail');
  });

  test('adminEmail becomes the "*" entry; keys are case-insensitive; promptType defaults to consent', () => {
    const c = f.parseConfig({ ...base, AdminEmail: 'a@example.com', FetchTransitiveGroupMembership: true }, 'c');
    assert.deepEqual(c.domainToAdminEmail, { '*': 'a@example.com' });
    assert.equal(c.fetchTransitiveGroupMembership, true);
    assert.equal(c.promptType, 'consent');
  });

  test('an unreadable or foreign key file fails at open, naming the option', async () => {
    await assert.rejects(open({ serviceAccountFilePath: '/nonexistent/sa.json', domainToAdminEmail: { '*': 'a@x' } }), (e) => e instanceof ConfigError && /serviceAccountFilePath/.test(e.message));
    await assert.rejects(open({ serviceAccountFilePath: import.meta.filename, domainToAdminEmail: { '*': 'a@x' } }), ConfigError);
  });

  test('without serviceAccountFilePath: GOOGLE_APPLICATION_CREDENTIALS, else a config error', async () => {
    const before = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    try {
      delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      await assert.rejects(open({ domainToAdminEmail: { '*': 'admin@example.com' } }), (e) => e instanceof ConfigError && /GOOGLE_APPLICATION_CREDENTIALS/.test(e.message));
      process.env.GOOGLE_APPLICATION_CREDENTIALS = saFile;
      assert.deepEqual((await login(await open({ domainToAdminEmail: { '*': 'admin@example.com' } }), 'alice')).groups, ['eng@example.com', 'admins@example.com']);
    } finally {
      if (before === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = before;
    }
  });

  test('redirectURI must be the issuer callback', async () => {
    await assert.rejects(login(await open({ redirectURI: 'https://elsewhere.example/callback' }), 'alice', PLAIN), ConfigError);
  });
});
