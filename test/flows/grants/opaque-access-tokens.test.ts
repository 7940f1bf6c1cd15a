/**
 * Opaque access tokens (issue 13 item 3), driven by `openid-client` against a Ferry on SQLite: a client with
 * `accessTokenFormat: opaque` gets `ferry_at_…` values that userinfo and introspection (RFC 7662, dex's fields)
 * accept, that RFC 7009 revocation and the revocation of their grant stop at once, that expire with the ID token,
 * and that are stored only as a hash. A client without the setting still gets dex's JWT; with
 * `oauth2.accessTokenFormat: opaque` every client does unless it says `jwt`.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { hash } from '@node-rs/bcrypt';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { testClock } from './grants.config.js';

const ADMIN = { email: 'admin@example.com', password: 'password', userId: '08a8684b-db88-4b73-90a9-3cd1661f5466' };
const OPAQUE = /^ferry_at_[A-Za-z0-9_-]{43}$/;
const SECRET = 'opaque-secret';

async function config(globalFormat: string, dir: string) {
  const adminHash = await hash(ADMIN.password, 10);
  return (issuer: string, listen: string) => `
issuer: ${issuer}
storage:
  type: sqlite3
  config: { file: ${join(dir, 'ferry.db')} }
web:
  http: ${listen}
oauth2:
  grantTypes: [authorization_code, refresh_token, password, client_credentials]
  passwordConnector: local
${globalFormat ? `  accessTokenFormat: ${globalFormat}` : ''}
enablePasswordDB: true
staticPasswords:
- email: ${ADMIN.email}
  hash: "${adminHash}"
  username: admin
  preferredUsername: admin
  userID: ${ADMIN.userId}
  groups: [team-a]
staticClients:
- { id: opq, name: Opaque App, secret: ${SECRET}, accessTokenFormat: opaque, redirectURIs: ['http://127.0.0.1:5555/cb'] }
- { id: jwt, name: JWT App, secret: ${SECRET}, accessTokenFormat: jwt, redirectURIs: ['http://127.0.0.1:5555/cb'] }
- { id: plain, name: Plain App, secret: ${SECRET}, redirectURIs: ['http://127.0.0.1:5555/cb'] }
`;
}

interface Server {
  f: TestFerry;
  clock: ReturnType<typeof testClock>;
  rp(id: string): Promise<client.Configuration>;
  stop(): Promise<void>;
}

async function start(globalFormat: string): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-opaque-'));
  const clock = testClock();
  const f = await startTestFerry(await config(globalFormat, dir), { now: clock.now });
  return {
    f,
    clock,
    rp: (id) => client.discovery(new URL(f.issuer), id, undefined, client.ClientSecretBasic(SECRET), { execute: [client.allowInsecureRequests] }),
    stop: async () => {
      await f.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const isJwt = (t: string) => t.split('.').length === 3 && typeof decodeJwt(t).iss === 'string';

describe('a client with accessTokenFormat: opaque', () => {
  let s: Server;
  let opq: client.Configuration;
  let plain: client.Configuration;
  const userinfo = (token: string) => fetch(`${s.f.issuer}/userinfo`, { headers: { authorization: `Bearer ${token}` } });
  const login = (rp = opq) =>
    client.genericGrantRequest(rp, 'password', { username: ADMIN.email, password: ADMIN.password, scope: 'openid email profile groups offline_access' });
  before(async () => {
    s = await start('');
    opq = await s.rp('opq');
    plain = await s.rp('plain');
  });
  after(() => s.stop());

  test('password and refresh grants: opaque access tokens that userinfo and introspection accept', async () => {
    const tokens = await login();
    assert.match(tokens.access_token, OPAQUE);
    const id = decodeJwt(tokens.id_token!);
    const digest = createHash('sha256').update(tokens.access_token).digest();
    assert.equal(id.at_hash, digest.subarray(0, 16).toString('base64url'), 'the ID token binds the opaque value');
    const ui = await userinfo(tokens.access_token);
    assert.equal(ui.status, 200);
    const claims = (await ui.json()) as Record<string, unknown>;
    assert.equal(claims.sub, encodeSubject(ADMIN.userId, 'local'));
    assert.equal(claims.email, ADMIN.email);
    assert.deepEqual(claims.groups, ['team-a']);
    assert.equal(claims.iss, s.f.issuer);
    const r = await client.tokenIntrospection(opq, tokens.access_token);
    assert.deepEqual(Object.keys(r), ['active', 'client_id', 'sub', 'exp', 'iat', 'nbf', 'username', 'aud', 'iss', 'token_type', 'token_use', 'ext']);
    assert.equal(r.active, true);
    assert.equal(r.client_id, 'opq');
    assert.equal(r.token_use, 'access_token');
    assert.equal(r.exp, id.exp, 'lives as long as the ID token');

    const refreshed = await client.refreshTokenGrant(opq, tokens.refresh_token!);
    assert.match(refreshed.access_token, OPAQUE);
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.ok(refreshed.id_token && isJwt(refreshed.id_token), 'the ID token stays a JWT');
    assert.equal((await client.tokenIntrospection(opq, refreshed.access_token)).active, true);
    assert.equal((await userinfo(refreshed.access_token)).status, 200);
  });

  test('client_credentials: an opaque token for the client itself', async () => {
    const tokens = await client.clientCredentialsGrant(opq, { scope: 'openid profile' });
    assert.match(tokens.access_token, OPAQUE);
    const r = await client.tokenIntrospection(opq, tokens.access_token);
    assert.equal(r.active, true);
    assert.equal(r.sub, encodeSubject('opq', ''));
    assert.equal((r.ext as Record<string, unknown>).name, 'Opaque App');
    assert.equal((await userinfo(tokens.access_token)).status, 200);
  });

  test('RFC 7009 revocation stops it at once; another client cannot revoke it', async () => {
    const tokens = await client.clientCredentialsGrant(opq, { scope: 'openid' });
    await client.tokenRevocation(plain, tokens.access_token);
    assert.equal((await client.tokenIntrospection(opq, tokens.access_token)).active, true, "another client's revocation is a no-op");
    assert.equal((await userinfo(tokens.access_token)).status, 200);
    await client.tokenRevocation(opq, tokens.access_token, { token_type_hint: 'access_token' });
    assert.equal((await client.tokenIntrospection(opq, tokens.access_token)).active, false);
    const ui = await userinfo(tokens.access_token);
    assert.equal(ui.status, 401);
    assert.match(ui.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    await client.tokenRevocation(opq, tokens.access_token); // twice is fine
  });

  test('revoking the refresh token revokes the grant: its opaque access tokens stop too', async () => {
    const tokens = await login();
    assert.equal((await userinfo(tokens.access_token)).status, 200);
    await client.tokenRevocation(opq, tokens.refresh_token!);
    assert.equal((await client.tokenIntrospection(opq, tokens.access_token)).active, false);
    assert.equal((await userinfo(tokens.access_token)).status, 401);
  });

  test('unknown, tampered and expired opaque tokens are refused', async () => {
    const tokens = await client.clientCredentialsGrant(opq, { scope: 'openid' });
    const tampered = tokens.access_token.slice(0, -1) + (tokens.access_token.endsWith('A') ? 'B' : 'A');
    for (const t of [tampered, `ferry_at_${'x'.repeat(43)}`]) {
      assert.equal((await client.tokenIntrospection(opq, t)).active, false);
      assert.equal((await userinfo(t)).status, 401);
    }
    s.clock.advance(24 * 3600_000 + 1000);
    try {
      assert.equal((await client.tokenIntrospection(opq, tokens.access_token)).active, false);
      assert.equal((await userinfo(tokens.access_token)).status, 401);
      const gc = await s.f.ferry.deps.storage.garbageCollect(s.clock.now());
      assert.ok(gc.accessTokens >= 1, 'garbage collection removes expired opaque tokens');
    } finally {
      s.clock.advance(-(24 * 3600_000 + 1000));
    }
  });

  test('only a hash is stored: the token value is nowhere in the database file', async () => {
    const tokens = await client.clientCredentialsGrant(opq, { scope: 'openid' });
    const id = createHash('sha256').update(tokens.access_token).digest('base64url');
    const stored = await s.f.ferry.deps.storage.findAccessToken(id);
    assert.equal(stored?.clientId, 'opq');
    const file = (s.f.ferry.deps.config.storage.config as { file: string }).file;
    const bytes = [file, `${file}-wal`].map((p) => { try { return readFileSync(p).toString('latin1'); } catch { return ''; } }).join('');
    assert.ok(bytes.includes(id), 'the hash is there');
    assert.ok(!bytes.includes(tokens.access_token.slice('ferry_at_'.length)), 'the value is not');
  });

  test('a client without the setting keeps dex\'s JWT access tokens', async () => {
    const tokens = await login(plain);
    assert.ok(isJwt(tokens.access_token));
    assert.equal((await client.tokenIntrospection(plain, tokens.access_token)).active, true);
    assert.equal((await userinfo(tokens.access_token)).status, 200);
    const cc = await client.clientCredentialsGrant(plain, { scope: 'openid' });
    assert.ok(isJwt(cc.access_token));
  });
});

describe('oauth2.accessTokenFormat: opaque', () => {
  let s: Server;
  before(async () => {
    s = await start('opaque');
  });
  after(() => s.stop());

  test('is every client\'s default; a client saying jwt keeps JWTs', async () => {
    assert.match((await client.clientCredentialsGrant(await s.rp('plain'), { scope: 'openid' })).access_token, OPAQUE);
    assert.ok(isJwt((await client.clientCredentialsGrant(await s.rp('jwt'), { scope: 'openid' })).access_token));
  });
});
