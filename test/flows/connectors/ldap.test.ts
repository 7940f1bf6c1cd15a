/**
 * The LDAP connector against a real OpenLDAP (test/peers/ldap): the connector contract over every transport
 * (plain, StartTLS, LDAPS, LDAPS with insecureSkipVerify), then TLS, binding and refresh cases.
 * Search, mapping and group cases are in ldap-search.test.ts.
 */

import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isPasswordConnector, isRefreshConnector } from '../../../src/connectors/capabilities.js';
import { passwordLogin, runConnectorContract } from '../../../src/connectors/contract/index.js';
import type { Connector, Identity, PasswordConnector, RefreshConnector, Scopes } from '../../../src/connectors/types.js';
import { lookupConnectorFactory } from '../../../src/config/registry.js';
import { ConnectorError } from '../../../src/lib/errors.js';
import { changeMember, GROUPS, JANE, JOHN, ldapConfig, ldapPeer, openLdap, type Transport } from '../../fixtures/ldap/peer.js';

const peer = ldapPeer();
const PLAIN: Scopes = { offlineAccess: false, groups: false };
const GROUPS_ONLY: Scopes = { offlineAccess: false, groups: true };
const OFFLINE: Scopes = { offlineAccess: true, groups: true };
const ADMINS = `cn=admins,${GROUPS}`;

type Ldap = PasswordConnector & RefreshConnector;
async function open(raw: Record<string, unknown>): Promise<Ldap> {
  const conn: Connector = await openLdap(raw);
  assert.ok(isPasswordConnector(conn) && isRefreshConnector(conn));
  return conn;
}

const isConnectorError = (err: unknown) => {
  assert.ok(err instanceof ConnectorError, `expected a ConnectorError, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
  assert.equal(err.connectorId, 'ldap');
  return true;
};

for (const t of ['plain', 'startTLS', 'ldaps', 'ldaps-insecureSkipVerify'] satisfies Transport[]) {
  const config = ldapConfig(peer, t);
  runConnectorContract({
    name: `ldap over ${t}`,
    open: () => openLdap(config),
    openUnreachable: () => openLdap({ ...config, host: '127.0.0.1:1' }),
    login: passwordLogin,
    users: { primary: { username: JANE.username, password: JANE.password, email: JANE.email, emailVerified: true, groups: ['admins', 'developers', 'posix-users'] } },
    refresh: true,
    upstreamChange: {
      group: 'admins',
      removeFromGroup: () => changeMember(peer, 'delete', ADMINS, JANE.dn),
      restore: () => changeMember(peer, 'add', ADMINS, JANE.dn),
    },
  });
}

describe('ldap: TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-ldap-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a CA that did not sign the server certificate fails LDAPS and StartTLS with a ConnectorError', async () => {
    for (const t of ['ldaps', 'startTLS'] as const) {
      const conn = await open(ldapConfig(peer, t, { rootCA: peer.otherCA }));
      await assert.rejects(conn.login(PLAIN, JOHN.username, JOHN.password), (err: unknown) => {
        isConnectorError(err);
        assert.match((err as Error).message, /certificate/);
        return true;
      });
    }
  });

  test('without rootCA the server is not trusted, unless insecureSkipVerify', async () => {
    const { rootCA: _ignored, ...noCA } = ldapConfig(peer, 'startTLS');
    await assert.rejects((await open(noCA)).login(PLAIN, JOHN.username, JOHN.password), isConnectorError);
    const skip = await open({ ...noCA, insecureSkipVerify: true });
    assert.equal((await skip.login(PLAIN, JOHN.username, JOHN.password)).valid, true);
  });

  test('rootCAData (base64 PEM) works like rootCA and wins over it', async () => {
    const data = readFileSync(peer.ca).toString('base64');
    const conn = await open(ldapConfig(peer, 'ldaps', { rootCA: peer.otherCA, rootCAData: data }));
    assert.equal((await conn.login(PLAIN, JOHN.username, JOHN.password)).valid, true);
  });

  test('an unreadable or empty rootCA fails the open with a ConnectorError', async () => {
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate\n');
    await assert.rejects(openLdap(ldapConfig(peer, 'ldaps', { rootCA: junk })), (err: unknown) => isConnectorError(err) && /no certificates/.test((err as Error).message));
    await assert.rejects(openLdap(ldapConfig(peer, 'ldaps', { rootCA: join(dir, 'missing.pem') })), isConnectorError);
    await assert.rejects(openLdap(ldapConfig(peer, 'ldaps', { rootCAData: Buffer.from('junk').toString('base64') })), isConnectorError);
  });

  test('a client certificate is presented: ours is accepted, one from an unknown CA is refused by the server', async () => {
    assert.ok(peer.clientCert && peer.otherClientCert, 'FERRY_LDAP_CLIENT_CERT/FERRY_LDAP_OTHER_CLIENT_CERT are set by test/peers/ldap/start.sh');
    for (const t of ['ldaps', 'startTLS'] as const) {
      const good = await open(ldapConfig(peer, t, { clientCert: peer.clientCert, clientKey: peer.clientKey }));
      assert.equal((await good.login(PLAIN, JOHN.username, JOHN.password)).valid, true, t);
      const bad = await open(ldapConfig(peer, t, { clientCert: peer.otherClientCert, clientKey: peer.otherClientKey }));
      await assert.rejects(bad.login(PLAIN, JOHN.username, JOHN.password), isConnectorError);
    }
    await assert.rejects(openLdap(ldapConfig(peer, 'ldaps', { clientCert: join(dir, 'nope.crt'), clientKey: join(dir, 'nope.key') })), isConnectorError);
  });

  test('insecureNoSSL wins over startTLS, as in dex (plain LDAP, no CA needed)', async () => {
    const conn = await open({ ...ldapConfig(peer, 'plain'), startTLS: true, rootCA: peer.otherCA });
    assert.equal((await conn.login(PLAIN, JOHN.username, JOHN.password)).valid, true);
  });
});

describe('ldap: binding', () => {
  test('an empty password is refused before any bind (no request reaches the server)', async () => {
    const down = await open({ ...ldapConfig(peer, 'plain'), host: '127.0.0.1:1' });
    assert.deepEqual(await down.login(PLAIN, JOHN.username, ''), { identity: null, valid: false });
  });

  test('anonymous search: no bindDN/bindPW', async () => {
    const conn = await open(ldapConfig(peer, 'plain', { bindDN: '', bindPW: '' }));
    const r = await conn.login(GROUPS_ONLY, JOHN.username, JOHN.password);
    assert.equal(r.valid, true);
    assert.deepEqual(r.identity?.groups, ['developers', 'posix-users', 'posix-ops']);
  });

  test('a wrong service password is a ConnectorError, not an invalid login', async () => {
    const conn = await open(ldapConfig(peer, 'plain', { bindPW: 'wrong' }));
    await assert.rejects(conn.login(PLAIN, JOHN.username, JOHN.password), isConnectorError);
  });

  test('a server that is down is a ConnectorError for login and refresh', async () => {
    const live = await open(ldapConfig(peer, 'plain'));
    const r = await live.login(OFFLINE, JOHN.username, JOHN.password);
    assert.ok(r.identity);
    const down = await open({ ...ldapConfig(peer, 'ldaps'), host: '127.0.0.1:1' });
    await assert.rejects(down.login(PLAIN, JOHN.username, JOHN.password), isConnectorError);
    await assert.rejects(down.refresh(OFFLINE, r.identity), isConnectorError);
  });

  test('the prompt is usernamePrompt, "Username" by default; the factory is registered as "ldap"', async () => {
    assert.equal((await open(ldapConfig(peer, 'plain'))).prompt(), 'Email or username');
    assert.equal((await open(ldapConfig(peer, 'plain', { usernamePrompt: '' }))).prompt(), 'Username');
    assert.equal(lookupConnectorFactory('ldap')?.type, 'ldap');
  });
});

describe('ldap: connector data and refresh', () => {
  const identityWith = (base: Identity, data: object): Identity => ({ ...base, connectorData: new TextEncoder().encode(JSON.stringify(data)) });

  test('connector data is kept only with offline_access, as dex JSON {username, entry}', async () => {
    const conn = await open(ldapConfig(peer, 'plain'));
    assert.equal((await conn.login(GROUPS_ONLY, JOHN.email, JOHN.password)).identity?.connectorData, null);
    const { identity } = await conn.login(OFFLINE, JOHN.email, JOHN.password);
    const data = JSON.parse(new TextDecoder().decode(identity?.connectorData ?? new Uint8Array()));
    assert.equal(data.username, JOHN.email, 'the username as typed');
    assert.equal(data.entry.DN, JOHN.dn);
    assert.ok(data.entry.Attributes.some((a: { Name: string; Values: string[] }) => a.Name === 'mail' && a.Values[0] === JOHN.email));
  });

  test('refresh re-reads the user with the service account and keeps the connector data', async () => {
    const conn = await open(ldapConfig(peer, 'plain'));
    const { identity } = await conn.login(OFFLINE, JOHN.username, JOHN.password);
    assert.ok(identity);
    const again = await conn.refresh(OFFLINE, { ...identity, groups: [], email: 'stale@example.org' });
    assert.equal(again.email, JOHN.email);
    assert.deepEqual(again.groups, ['developers', 'posix-users', 'posix-ops']);
    assert.deepEqual(again.connectorData, identity.connectorData);
    assert.deepEqual((await conn.refresh({ offlineAccess: true, groups: false }, identity)).groups, []);
  });

  test('refresh requires the same DN, an existing user and readable connector data', async () => {
    const conn = await open(ldapConfig(peer, 'plain'));
    const { identity } = await conn.login(OFFLINE, JOHN.username, JOHN.password);
    assert.ok(identity);
    await assert.rejects(conn.refresh(OFFLINE, identityWith(identity, { username: JOHN.username, entry: { DN: JANE.dn } })), (err: unknown) => isConnectorError(err) && /expected/.test((err as Error).message));
    await assert.rejects(conn.refresh(OFFLINE, identityWith(identity, { username: 'ghost', entry: { DN: `uid=ghost,${JANE.dn}` } })), isConnectorError);
    await assert.rejects(conn.refresh(OFFLINE, { ...identity, connectorData: null }), isConnectorError);
    await assert.rejects(conn.refresh(OFFLINE, { ...identity, connectorData: new TextEncoder().encode('{oops') }), isConnectorError);
  });

  test('refresh data written by dex (Go field names, extra fields) works', async () => {
    const conn = await open(ldapConfig(peer, 'startTLS'));
    const { identity } = await conn.login(PLAIN, JOHN.username, JOHN.password);
    assert.ok(identity);
    const dex = { username: JOHN.username, entry: { DN: JOHN.dn, Attributes: [{ Name: 'uid', Values: [JOHN.username], ByteValues: ['am9obmRvZQ=='] }] } };
    const refreshed = await conn.refresh(OFFLINE, identityWith(identity, dex));
    assert.equal(refreshed.userId, JOHN.username);
    assert.deepEqual(refreshed.groups, ['developers', 'posix-users', 'posix-ops']);
  });
});
