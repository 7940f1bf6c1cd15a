/**
 * The [HEAD] session, identity, MFA and consent RPCs behind `DEX_API_SESSIONS_IDENTITIES_CRUD`, against records
 * seeded straight into storage: filters, `not_found` flags, ending a session revokes every refresh token of that
 * user and connector, and DeleteUserIdentity purges everything that belongs to the identity.
 */

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { hash } from '@node-rs/bcrypt';
import { silentLogger } from '../../../src/lib/logger.js';
import { issueRefreshToken } from '../../../src/server/tokens/refresh-store.js';
import type { AuthSession, UserIdentity } from '../../../src/storage/types.js';
import { type ApiFerry, startApiFerry } from './api.config.js';
import { grpc } from './grpc-client.js';

const T0 = new Date('2026-01-02T03:04:05Z');
const T0_UNIX = String(T0.getTime() / 1000);
const claims = (email: string) => ({ userId: '', username: 'ann', preferredUsername: 'ann', email, emailVerified: true, groups: ['g1'] });

function session(id: string, userId: string, connectorId: string): AuthSession {
  return {
    id,
    secret: 'cookie-proof',
    userId,
    connectorId,
    clientStates: { 'static-app': { authenticatedAt: T0, lastActivity: T0, lastTokenIssuedAt: null, viaSSO: false } },
    createdAt: T0,
    lastActivity: T0,
    ipAddress: '192.0.2.1',
    userAgent: 'test-agent',
    absoluteExpiry: new Date(T0.getTime() + 86_400_000),
    idleExpiry: new Date(T0.getTime() + 3_600_000),
    logoutState: null,
  };
}

function identity(userId: string, connectorId: string, email: string): UserIdentity {
  return {
    userId,
    connectorId,
    claims: { ...claims(email), userId },
    consents: { 'static-app': ['openid', 'email'], 'other-app': ['openid'] },
    mfaSecrets: {
      totp: { type: 'TOTP', secret: 'otpauth://totp/x?secret=NEVERSENT', confirmed: true, createdAt: T0, lastUsedCounter: 1 },
    },
    webauthnCredentials: {
      key: [
        {
          credentialId: Buffer.from('cred-bytes-1').toString('base64url'),
          publicKey: new Uint8Array([1, 2, 3]),
          attestationType: 'none',
          aaguid: '01234567-89ab-cdef-0123-456789abcdef',
          signCount: 5,
          cloneWarning: false,
          transport: ['usb'],
          backupEligible: true,
          backupState: false,
          displayName: 'Key',
          createdAt: T0,
        },
      ],
    },
    createdAt: T0,
    lastLogin: T0,
    blockedUntil: null,
    backupCodes: { salt: 'c2FsdA', hashes: ['aGFzaA'], createdAt: T0 },
  };
}

describe('sessions and identities flag off', () => {
  let f: ApiFerry;
  before(async () => {
    f = await startApiFerry({ env: {} });
  });
  after(() => f.stop());

  test('every RPC answers FAILED_PRECONDITION naming the flag', async () => {
    const rpcs = [
      'GetAuthSession', 'ListAuthSessions', 'DeleteAuthSession', 'TerminateSessionsByConnector', 'TerminateSessionsByUser',
      'GetUserIdentity', 'ListUserIdentities', 'DeleteUserIdentity', 'ResetMFA', 'ListMFADevices',
      'DeleteWebAuthnCredential', 'DeleteMFASecret', 'RevokeConsent',
    ];
    for (const rpc of rpcs) {
      const err = await f.api.fail(rpc, { id: 'x', user_id: 'u', connector_id: 'c' });
      assert.equal(err.code, grpc.status.FAILED_PRECONDITION, rpc);
      assert.equal(err.details, 'DEX_API_SESSIONS_IDENTITIES_CRUD feature flag is not enabled', rpc);
    }
  });
});

describe('sessions and identities flag on', () => {
  let f: ApiFerry;
  before(async () => {
    f = await startApiFerry({ env: { DEX_API_SESSIONS_IDENTITIES_CRUD: 'true' } });
  });
  after(() => f.stop());

  const store = () => f.ferry.deps.storage;
  const issue = (userId: string, connectorId: string, clientId: string) =>
    issueRefreshToken(
      { storage: store(), now: () => new Date(), logger: silentLogger() },
      { clientId, connectorId, claims: { ...claims('x@x'), userId }, scopes: ['openid'], nonce: '', sessionId: '', connectorData: null },
    );
  const refreshIds = async (userId: string, connectorId: string) =>
    (await store().listRefreshTokens()).filter((r) => r.claims.userId === userId && r.connectorId === connectorId).map((r) => r.clientId).sort();

  beforeEach(async () => {
    for (const s of await store().listAuthSessions()) await store().deleteAuthSession(s.id);
    for (const u of await store().listUserIdentities()) await store().deleteUserIdentity(u.userId, u.connectorId);
    await store().createAuthSession(session('s-ann-1', 'ann', 'mock'));
    await store().createAuthSession(session('s-ann-2', 'ann', 'local'));
    await store().createAuthSession(session('s-bob-1', 'bob', 'mock'));
    await store().createUserIdentity(identity('ann', 'mock', 'ann@example.com'));
  });

  test('get and list sessions with filters; unix-second timestamps; missing session is NOT_FOUND', async () => {
    const got = await f.api.call<{ session: Record<string, unknown> }>('GetAuthSession', { id: 's-ann-1' });
    assert.equal(got.session.user_id, 'ann');
    assert.equal(got.session.created_at, T0_UNIX);
    assert.equal(got.session.ip_address, '192.0.2.1');
    assert.deepEqual(got.session.client_states, [
      { client_id: 'static-app', authenticated_at: T0_UNIX, last_activity: T0_UNIX, last_token_issued_at: '0', via_sso: false },
    ]);
    assert.doesNotMatch(JSON.stringify(got), /cookie-proof/, 'the session secret is never sent');
    const ids = async (req: object) =>
      (await f.api.call<{ sessions: Array<{ id: string }> }>('ListAuthSessions', req)).sessions.map((s) => s.id).sort();
    assert.deepEqual(await ids({}), ['s-ann-1', 's-ann-2', 's-bob-1']);
    assert.deepEqual(await ids({ user_id: 'ann' }), ['s-ann-1', 's-ann-2']);
    assert.deepEqual(await ids({ user_id: 'ann', connector_id: 'mock' }), ['s-ann-1']);
    assert.equal((await f.api.fail('GetAuthSession', { id: 'nope' })).code, grpc.status.NOT_FOUND);
    assert.equal((await f.api.fail('GetAuthSession', {})).details, 'no id supplied');
  });

  test('delete a session revokes all refresh tokens of that user on that connector', async () => {
    await issue('ann', 'mock', 'static-app');
    await issue('ann', 'mock', 'other-app');
    await issue('ann', 'local', 'static-app');
    const res = await f.api.call<{ not_found: boolean }>('DeleteAuthSession', { id: 's-ann-1' });
    assert.equal(res.not_found, false);
    assert.deepEqual(await refreshIds('ann', 'mock'), [], 'both clients revoked');
    assert.deepEqual(await refreshIds('ann', 'local'), ['static-app'], 'other connector untouched');
    assert.deepEqual((await store().getOfflineSessions('ann', 'mock')).refresh, {});
    assert.equal((await f.api.call<{ not_found: boolean }>('DeleteAuthSession', { id: 's-ann-1' })).not_found, true);
  });

  test('delete a session queues a back-channel logout for each of its clients with a backchannelLogoutURI', async () => {
    const base = await store().getClient('static-app');
    await store().createClient({ ...base, id: 'bc-app', backchannelLogoutURI: 'http://127.0.0.1:9/backchannel' }).catch(() => undefined);
    await store().updateAuthSession('s-bob-1', (old) => ({ ...old, clientStates: { ...old.clientStates, 'bc-app': old.clientStates['static-app']! } }));
    assert.equal((await f.api.call<{ not_found: boolean }>('DeleteAuthSession', { id: 's-bob-1' })).not_found, false);
    const queued = (await store().listLogoutDeliveries()).filter((d) => d.sessionId === 's-bob-1');
    assert.deepEqual(queued.map((d) => d.clientId), ['bc-app'], 'static-app has no back-channel URI; bc-app is queued');
  });

  test('terminate by connector and by user count what they ended', async () => {
    const byConn = await f.api.call<{ sessions_terminated: string }>('TerminateSessionsByConnector', { connector_id: 'mock' });
    assert.equal(byConn.sessions_terminated, '2');
    const byUser = await f.api.call<{ sessions_terminated: string }>('TerminateSessionsByUser', { user_id: 'ann' });
    assert.equal(byUser.sessions_terminated, '1');
    assert.deepEqual(await store().listAuthSessions(), []);
    assert.equal((await f.api.fail('TerminateSessionsByUser', {})).details, 'no user_id supplied');
    assert.equal((await f.api.fail('TerminateSessionsByConnector', {})).details, 'no connector_id supplied');
  });

  test('get and list identities, with MFA metadata but never secrets or public keys', async () => {
    const { identity: u } = await f.api.call<{ identity: Record<string, unknown> }>('GetUserIdentity', { user_id: 'ann', connector_id: 'mock' });
    assert.equal(u.email, 'ann@example.com');
    assert.deepEqual(u.groups, ['g1']);
    assert.deepEqual(u.consents, [
      { client_id: 'other-app', scopes: ['openid'] },
      { client_id: 'static-app', scopes: ['openid', 'email'] },
    ]);
    assert.equal(u.last_login, T0_UNIX);
    assert.equal(u.blocked_until, '0');
    const devices = u.mfa_devices as Array<Record<string, unknown>>;
    assert.deepEqual(devices.map((d) => d.authenticator_id), ['key', 'totp']);
    const totp = devices[1]?.mfa_secret as Record<string, unknown>;
    assert.deepEqual(totp, { authenticator_id: 'totp', type: 'TOTP', confirmed: true, created_at: T0_UNIX });
    const cred = (devices[0]?.webauthn_credentials as Array<Record<string, unknown>>)[0];
    assert.equal((cred?.credential_id as Buffer).toString(), 'cred-bytes-1');
    assert.equal((cred?.aaguid as Buffer).toString('hex'), '0123456789abcdef0123456789abcdef');
    assert.doesNotMatch(JSON.stringify(u), /NEVERSENT|otpauth/);
    const { identities } = await f.api.call<{ identities: Array<{ user_id: string }> }>('ListUserIdentities');
    assert.deepEqual(identities.map((i) => i.user_id), ['ann']);
    assert.equal((await f.api.fail('GetUserIdentity', { user_id: 'ann', connector_id: 'nope' })).code, grpc.status.NOT_FOUND);
    assert.equal((await f.api.fail('GetUserIdentity', { user_id: 'ann' })).details, 'no connector_id supplied');
  });

  test('MFA: list devices, delete a WebAuthn credential and a secret, reset; not_found flags', async () => {
    const key = { user_id: 'ann', connector_id: 'mock' };
    const list = async () => (await f.api.call<{ devices: Array<{ authenticator_id: string }> }>('ListMFADevices', key)).devices.map((d) => d.authenticator_id);
    assert.deepEqual(await list(), ['key', 'totp']);
    const wrongCred = await f.api.call<{ not_found: boolean }>('DeleteWebAuthnCredential', { ...key, credential_id: Buffer.from('other') });
    assert.equal(wrongCred.not_found, true);
    const delCred = await f.api.call<{ not_found: boolean }>('DeleteWebAuthnCredential', { ...key, credential_id: Buffer.from('cred-bytes-1') });
    assert.equal(delCred.not_found, false);
    assert.deepEqual(await list(), ['totp'], 'the authenticator without credentials is gone');
    assert.equal((await f.api.call<{ not_found: boolean }>('DeleteMFASecret', { ...key, authenticator_id: 'nope' })).not_found, true);
    assert.equal((await f.api.call<{ not_found: boolean }>('DeleteMFASecret', { ...key, authenticator_id: 'totp' })).not_found, false);
    assert.deepEqual(await list(), []);
    await store().updateUserIdentity('ann', 'mock', (old) => ({ ...old, mfaSecrets: identity('ann', 'mock', '').mfaSecrets }));
    assert.notEqual((await store().getUserIdentity('ann', 'mock')).backupCodes, null);
    assert.equal((await f.api.call<{ not_found: boolean }>('ResetMFA', key)).not_found, false);
    assert.deepEqual(await list(), []);
    assert.equal((await store().getUserIdentity(key.user_id, key.connector_id)).backupCodes, null, 'reset clears backup codes');
    assert.equal((await f.api.call<{ not_found: boolean }>('ResetMFA', { user_id: 'zed', connector_id: 'mock' })).not_found, true);
    assert.equal((await f.api.fail('DeleteWebAuthnCredential', key)).details, 'no credential_id supplied');
    assert.equal((await f.api.fail('ListMFADevices', { user_id: 'zed', connector_id: 'mock' })).code, grpc.status.NOT_FOUND);
  });

  test('revoke consent for one client; not_found when absent', async () => {
    const req = { user_id: 'ann', connector_id: 'mock', client_id: 'static-app' };
    assert.equal((await f.api.call<{ not_found: boolean }>('RevokeConsent', req)).not_found, false);
    assert.deepEqual((await store().getUserIdentity('ann', 'mock')).consents, { 'other-app': ['openid'] });
    assert.equal((await f.api.call<{ not_found: boolean }>('RevokeConsent', req)).not_found, true);
    assert.equal((await f.api.fail('RevokeConsent', { user_id: 'ann', connector_id: 'mock' })).details, 'no client_id supplied');
  });

  test('delete identity purges sessions, refresh tokens, offline sessions, the password and the identity', async () => {
    const pw = { email: 'ann@example.com', hash: await hash('x', 10), username: 'ann', userId: 'ann', preferredUsername: '', groups: [], name: '', emailVerified: null };
    await store().createPassword(pw);
    await issue('ann', 'mock', 'static-app');
    await issue('bob', 'mock', 'static-app');
    const res = await f.api.call<{ not_found: boolean }>('DeleteUserIdentity', { user_id: 'ann', connector_id: 'mock' });
    assert.equal(res.not_found, false);
    assert.deepEqual((await store().listAuthSessions()).map((s) => s.id).sort(), ['s-ann-2', 's-bob-1'], 'only ann@mock sessions ended');
    assert.deepEqual(await refreshIds('ann', 'mock'), []);
    assert.deepEqual(await refreshIds('bob', 'mock'), ['static-app']);
    await assert.rejects(store().getOfflineSessions('ann', 'mock'), { code: 'ERR_NOT_FOUND' });
    await assert.rejects(store().getPassword('ann@example.com'), { code: 'ERR_NOT_FOUND' });
    await assert.rejects(store().getUserIdentity('ann', 'mock'), { code: 'ERR_NOT_FOUND' });
    assert.equal((await f.api.call<{ not_found: boolean }>('DeleteUserIdentity', { user_id: 'ann', connector_id: 'mock' })).not_found, true);
  });
});
