/**
 * The client, password, version, discovery and refresh-token RPCs, driven through `@grpc/grpc-js` against Ferry's
 * Connect server: response flags (`already_exists`, `not_found`) exactly where dex sets them, validation errors
 * as gRPC statuses with safe messages, secrets and hashes left out of lists.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hash } from '@node-rs/bcrypt';
import { issueRefreshToken } from '../../../src/server/tokens/refresh-store.js';
import { decodeRefreshToken } from '../../../src/server/tokens/refresh-token-wire.js';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { type ApiFerry, REDIRECT, startApiFerry, STATIC_USER } from './api.config.js';
import { grpc } from './grpc-client.js';

let f: ApiFerry;
before(async () => {
  f = await startApiFerry();
});
after(() => f.stop());

interface WireClient {
  id: string;
  secret?: string;
  redirect_uris: string[];
  name: string;
  public: boolean;
  [k: string]: unknown;
}

describe('clients', () => {
  test('create with id and secret, get it back, already_exists on a duplicate', async () => {
    const client = { id: 'app-1', secret: 's3cret', name: 'App One', redirect_uris: [REDIRECT], trusted_peers: ['static-app'] };
    const created = await f.api.call<{ already_exists: boolean; client: WireClient }>('CreateClient', { client });
    assert.equal(created.already_exists, false);
    assert.equal(created.client.id, 'app-1');
    const got = await f.api.call<{ client: WireClient }>('GetClient', { id: 'app-1' });
    assert.equal(got.client.secret, 's3cret');
    assert.deepEqual(got.client.redirect_uris, [REDIRECT]);
    assert.deepEqual(got.client.trusted_peers, ['static-app']);
    const dup = await f.api.call<{ already_exists: boolean; client: WireClient | null }>('CreateClient', { client });
    assert.equal(dup.already_exists, true);
    assert.equal(dup.client, null, 'no client echoed on a duplicate');
  });

  test('empty id and secret are generated; a public client gets no secret', async () => {
    const conf = await f.api.call<{ client: WireClient }>('CreateClient', { client: { name: 'Gen' } });
    assert.match(conf.client.id, /^[a-z][a-z2-7]{24}$/);
    assert.match(conf.client.secret ?? '', /^[a-z][a-z2-7]{24}[a-z][a-z2-7]{24}$/, 'secret is two ids');
    const pub = await f.api.call<{ client: WireClient }>('CreateClient', { client: { name: 'Pub', public: true } });
    assert.equal(pub.client.secret, '');
    assert.equal((await f.api.call<{ client: WireClient }>('GetClient', { id: conf.client.id })).client.secret, conf.client.secret);
  });

  test('script URLs and non-RFC 3986 redirect URIs are refused by CreateClient and UpdateClient (issue 12 item 5)', async () => {
    for (const uri of ['javascript:alert(document.domain)', 'data:text/html,x', 'VBScript:x', 'file:///etc/passwd', 'blob:https://a.example/x', 'http://localhost:1\\@evil.example/cb']) {
      const err = await f.api.fail('CreateClient', { client: { id: 'bad-uri', name: 'Bad', redirect_uris: ['https://ok.example/cb', uri] } });
      assert.equal(err.code, grpc.status.INVALID_ARGUMENT, uri);
      assert.match(err.details, /^invalid redirect_uris\[1\]: /, uri);
    }
    const logout = await f.api.fail('CreateClient', { client: { id: 'bad-uri', post_logout_redirect_uris: ['javascript:x'] } });
    assert.match(logout.details, /post_logout_redirect_uris\[0\]: the javascript: scheme/);
    await assert.rejects(f.api.call('GetClient', { id: 'bad-uri' }), 'nothing was stored');
    await f.api.call('CreateClient', { client: { id: 'good-uri', name: 'Good', redirect_uris: ['com.example.app:/cb', 'http://127.0.0.1:8000/cb'] } });
    const upd = await f.api.fail('UpdateClient', { id: 'good-uri', redirect_uris: ['javascript:alert(1)'] });
    assert.equal(upd.code, grpc.status.INVALID_ARGUMENT);
    const got = await f.api.call<{ client: WireClient }>('GetClient', { id: 'good-uri' });
    assert.deepEqual(got.client.redirect_uris, ['com.example.app:/cb', 'http://127.0.0.1:8000/cb'], 'unchanged');
  });

  test('an invalid refresh_token_lifetime is refused', async () => {
    const err = await f.api.fail('CreateClient', { client: { id: 'bad-life', refresh_token_lifetime: 'forever' } });
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
    assert.match(err.details, /invalid refresh token lifetime "forever"/);
    const missing = await f.api.fail('CreateClient', {});
    assert.equal(missing.code, grpc.status.INVALID_ARGUMENT);
    assert.equal(missing.details, 'no client supplied');
  });

  test('a 200 kB invalid value gets a short InvalidArgument and the connection lives on (found by test/fuzz)', async () => {
    // The message quotes the value; unbounded, it overflowed the HTTP/2 header frame and reset the connection.
    const err = await f.api.fail('CreateClient', { client: { id: 'huge-life', refresh_token_lifetime: 'x'.repeat(200_000) } });
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
    assert.match(err.details, /^invalid refresh token lifetime "x+… \(truncated\)$/);
    assert.ok(err.details.length < 500);
    const version = await f.api.call<{ api: number }>('GetVersion');
    assert.ok(version.api > 0, 'the same connection still answers');
  });

  test('update changes only the given fields; explicit-presence fields can be cleared', async () => {
    await f.api.call('CreateClient', {
      client: { id: 'app-2', secret: 'keep-me', name: 'Two', logo_url: 'https://logo', redirect_uris: [REDIRECT], backchannel_logout_uri: 'https://rp/bc' },
    });
    const upd = await f.api.call<{ not_found: boolean }>('UpdateClient', { id: 'app-2', name: 'Two v2', refresh_token_lifetime: 'session' });
    assert.equal(upd.not_found, false);
    let c = (await f.api.call<{ client: WireClient }>('GetClient', { id: 'app-2' })).client;
    assert.equal(c.name, 'Two v2');
    assert.equal(c.logo_url, 'https://logo', 'unchanged');
    assert.deepEqual(c.redirect_uris, [REDIRECT], 'unchanged');
    assert.equal(c.secret, 'keep-me', 'secret is not updatable');
    assert.equal(c.refresh_token_lifetime, 'session');
    assert.equal(c.backchannel_logout_uri, 'https://rp/bc');
    await f.api.call('UpdateClient', { id: 'app-2', backchannel_logout_uri: '', redirect_uris: ['http://127.0.0.1:9/cb'] });
    c = (await f.api.call<{ client: WireClient }>('GetClient', { id: 'app-2' })).client;
    assert.equal(c.backchannel_logout_uri, '', 'present-but-empty clears it');
    assert.deepEqual(c.redirect_uris, ['http://127.0.0.1:9/cb']);
    assert.equal(c.refresh_token_lifetime, 'session', 'absent leaves it');
  });

  test('not_found flags on update and delete; get of a missing client is a NOT_FOUND status', async () => {
    assert.equal((await f.api.call<{ not_found: boolean }>('UpdateClient', { id: 'nope', name: 'x' })).not_found, true);
    assert.equal((await f.api.call<{ not_found: boolean }>('DeleteClient', { id: 'nope' })).not_found, true);
    const err = await f.api.fail('GetClient', { id: 'nope' });
    assert.equal(err.code, grpc.status.NOT_FOUND);
    const noId = await f.api.fail('UpdateClient', { name: 'x' });
    assert.equal(noId.code, grpc.status.INVALID_ARGUMENT);
  });

  test('static clients are listed but read-only', async () => {
    const err = await f.api.fail('UpdateClient', { id: 'static-app', name: 'hijack' });
    assert.equal(err.code, grpc.status.FAILED_PRECONDITION);
    assert.match(err.details, /read-only/);
    assert.equal((await f.api.fail('DeleteClient', { id: 'static-app' })).code, grpc.status.FAILED_PRECONDITION);
  });

  test('list omits secrets; delete removes', async () => {
    await f.api.call('CreateClient', { client: { id: 'app-3', secret: 'list-secret', name: 'Three' } });
    const { clients } = await f.api.call<{ clients: WireClient[] }>('ListClients');
    const ids = clients.map((c) => c.id);
    assert.ok(ids.includes('app-3') && ids.includes('static-app'));
    for (const c of clients) assert.equal('secret' in c, false, 'ClientInfo has no secret field');
    assert.doesNotMatch(JSON.stringify(clients), /list-secret|static-secret/);
    assert.equal((await f.api.call<{ not_found: boolean }>('DeleteClient', { id: 'app-3' })).not_found, false);
    assert.equal((await f.api.fail('GetClient', { id: 'app-3' })).code, grpc.status.NOT_FOUND);
  });
});

describe('passwords', () => {
  const email = 'jane@example.com';
  let hash10: string;
  before(async () => {
    hash10 = await hash('jane-pw', 10);
  });

  test('create, already_exists, verify right and wrong password, not_found', async () => {
    const pw = { email, hash: Buffer.from(hash10), username: 'jane', user_id: 'jane-1' };
    assert.equal((await f.api.call<{ already_exists: boolean }>('CreatePassword', { password: pw })).already_exists, false);
    assert.equal((await f.api.call<{ already_exists: boolean }>('CreatePassword', { password: pw })).already_exists, true);
    assert.deepEqual(await f.api.call('VerifyPassword', { email: 'JANE@example.com', password: 'jane-pw' }), { verified: true, not_found: false });
    assert.deepEqual(await f.api.call('VerifyPassword', { email, password: 'wrong' }), { verified: false, not_found: false });
    assert.deepEqual(await f.api.call('VerifyPassword', { email: 'who@example.com', password: 'x' }), { verified: false, not_found: true });
    const stat = await f.api.call('VerifyPassword', { email: STATIC_USER.email, password: STATIC_USER.password });
    assert.equal((stat as { verified: boolean }).verified, true, 'static passwords verify too');
  });

  test('bcrypt cost must be 10..16; user_id and hash are required', async () => {
    const low = await hash('x', 4);
    let err = await f.api.fail('CreatePassword', { password: { email: 'low@x', hash: Buffer.from(low), user_id: 'u' } });
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
    assert.equal(err.details, 'given hash cost = 4 does not meet minimum cost requirement = 10');
    const high = low.replace('$04$', '$17$');
    err = await f.api.fail('CreatePassword', { password: { email: 'high@x', hash: Buffer.from(high), user_id: 'u' } });
    assert.match(err.details, /above upper bound cost = 16/);
    err = await f.api.fail('CreatePassword', { password: { email: 'plain@x', hash: Buffer.from('plaintext'), user_id: 'u' } });
    assert.match(err.details, /parsing bcrypt hash/);
    err = await f.api.fail('CreatePassword', { password: { email: 'n@x', hash: Buffer.from(hash10) } });
    assert.equal(err.details, 'no user ID supplied');
    err = await f.api.fail('CreatePassword', { password: { email: 'n@x', user_id: 'u' } });
    assert.equal(err.details, 'no hash of password supplied');
    err = await f.api.fail('UpdatePassword', { email, new_hash: Buffer.from(low) });
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
  });

  test('update needs a change; changes hash and username; not_found', async () => {
    assert.equal((await f.api.fail('UpdatePassword', { email })).details, 'nothing to update');
    const next = await hash('jane-pw-2', 11);
    const res = await f.api.call<{ not_found: boolean }>('UpdatePassword', { email, new_hash: Buffer.from(next), new_username: 'janey' });
    assert.equal(res.not_found, false);
    assert.equal((await f.api.call<{ verified: boolean }>('VerifyPassword', { email, password: 'jane-pw-2' })).verified, true);
    assert.equal((await f.api.call<{ verified: boolean }>('VerifyPassword', { email, password: 'jane-pw' })).verified, false);
    assert.equal((await f.api.call<{ not_found: boolean }>('UpdatePassword', { email: 'no@x', new_username: 'n' })).not_found, true);
  });

  test('list omits hashes; static passwords are read-only; delete and not_found', async () => {
    const { passwords } = await f.api.call<{ passwords: Array<{ email: string; username: string; hash: Buffer }> }>('ListPasswords');
    const jane = passwords.find((p) => p.email === email);
    assert.equal(jane?.username, 'janey');
    for (const p of passwords) assert.equal(p.hash.length, 0, `no hash for ${p.email}`);
    assert.ok(passwords.some((p) => p.email === STATIC_USER.email));
    assert.equal((await f.api.fail('DeletePassword', { email: STATIC_USER.email })).code, grpc.status.FAILED_PRECONDITION);
    assert.equal((await f.api.call<{ not_found: boolean }>('DeletePassword', { email })).not_found, false);
    assert.equal((await f.api.call<{ not_found: boolean }>('DeletePassword', { email })).not_found, true);
    assert.equal((await f.api.fail('DeletePassword', {})).details, 'no email supplied');
  });
});

describe('version and discovery', () => {
  test('GetVersion: Ferry version and API 4', async () => {
    const v = await f.api.call<{ server: string; api: number }>('GetVersion');
    assert.match(v.server, /^\d+\.\d+\.\d+/);
    assert.equal(v.api, 4);
  });

  test('GetDiscovery matches the HTTP document', async () => {
    const http = (await (await fetch(`${f.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    const d = await f.api.call<Record<string, unknown>>('GetDiscovery');
    for (const key of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint']) {
      assert.equal(d[key], http[key], key);
    }
    for (const key of ['grant_types_supported', 'response_types_supported', 'scopes_supported', 'claims_supported', 'id_token_signing_alg_values_supported']) {
      assert.deepEqual(d[key], http[key], key);
    }
  });
});

describe('refresh tokens', () => {
  const claims = { userId: 'u-42', username: 'u', preferredUsername: '', email: 'u@x', emailVerified: true, groups: [] };
  const sub = encodeSubject('u-42', 'mock');

  async function issue(clientId: string): Promise<string> {
    const deps = { storage: f.ferry.deps.storage, now: () => new Date(), logger: silentLogger() };
    const input = { clientId, connectorId: 'mock', claims, scopes: ['openid', 'offline_access'], nonce: '', sessionId: '', connectorData: null };
    return issueRefreshToken(deps, input);
  }

  async function refreshAtToken(token: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const r = await fetch(`${f.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('static-app:static-secret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  }

  test('list by encoded sub; empty for an unknown user; a raw user id is refused', async () => {
    const token = await issue('static-app');
    await issue('other-app');
    const { refresh_tokens } = await f.api.call<{ refresh_tokens: Array<{ id: string; client_id: string; created_at: string }> }>('ListRefresh', { user_id: sub });
    assert.deepEqual(refresh_tokens.map((r) => r.client_id).sort(), ['other-app', 'static-app']);
    assert.ok(Number(refresh_tokens[0]?.created_at) > 1_600_000_000, 'unix seconds');
    const none = await f.api.call<{ refresh_tokens: unknown[] }>('ListRefresh', { user_id: encodeSubject('nobody', 'mock') });
    assert.deepEqual(none.refresh_tokens, []);
    const err = await f.api.fail('ListRefresh', { user_id: '!!' });
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
    assert.equal((await refreshAtToken(token)).status, 200, 'the token works before revocation');
  });

  test('revoke removes the token: /token then refuses it; second revoke is not_found', async () => {
    const issued = await issue('static-app');
    const refreshed = await refreshAtToken(issued);
    const token = String(refreshed.body.refresh_token);
    const access = String(refreshed.body.access_token);
    const userinfo = () => fetch(`${f.issuer}/userinfo`, { headers: { authorization: `Bearer ${access}` } }).then((r) => r.status);
    assert.equal(await userinfo(), 200);
    const res = await f.api.call<{ not_found: boolean }>('RevokeRefresh', { user_id: sub, client_id: 'static-app' });
    await new Promise((r) => setTimeout(r, 2100)); // past the access-token checker's recheck interval
    assert.equal(await userinfo(), 401, 'access tokens minted from the revoked refresh token stop working (issue 12 item 6)');
    assert.equal(res.not_found, false);
    const after = await refreshAtToken(token);
    assert.equal(after.status, 400);
    assert.equal(after.body.error, 'invalid_request', 'dex answers an unknown refresh token with invalid_request');
    assert.match(String(after.body.error_description), /invalid or has already been claimed/);
    const again = await f.api.call<{ not_found: boolean }>('RevokeRefresh', { user_id: sub, client_id: 'static-app' });
    assert.equal(again.not_found, true);
    const unknownUser = await f.api.call<{ not_found: boolean }>('RevokeRefresh', { user_id: encodeSubject('x', 'y'), client_id: 'static-app' });
    assert.equal(unknownUser.not_found, true);
    const { refresh_tokens } = await f.api.call<{ refresh_tokens: Array<{ client_id: string }> }>('ListRefresh', { user_id: sub });
    assert.deepEqual(refresh_tokens.map((r) => r.client_id), ['other-app']);
  });

  test('several devices (sessions on): each listed with its own id; RevokeRefresh keeps dex’s meaning and ends them all', async () => {
    const user = { ...claims, userId: 'u-43' };
    const devSub = encodeSubject('u-43', 'mock');
    const deps = { storage: f.ferry.deps.storage, now: () => new Date(), logger: silentLogger(), config: { sessions: {} } };
    const issueOn = (sessionId: string) =>
      issueRefreshToken(deps, { clientId: 'static-app', connectorId: 'mock', claims: user, scopes: ['openid', 'offline_access'], nonce: '', sessionId, connectorData: null });
    const tokens = [await issueOn('laptop-1'), await issueOn('laptop-2')];
    const { refresh_tokens } = await f.api.call<{ refresh_tokens: Array<{ id: string; client_id: string }> }>('ListRefresh', { user_id: devSub });
    assert.deepEqual(refresh_tokens.map((r) => r.client_id), ['static-app', 'static-app']);
    assert.deepEqual(refresh_tokens.map((r) => r.id).sort(), tokens.map((t) => decodeRefreshToken(t).id).sort());
    const current: string[] = [];
    for (const t of tokens) {
      const r = await refreshAtToken(t);
      assert.equal(r.status, 200, 'each device refreshes');
      current.push(String(r.body.refresh_token));
    }
    const res = await f.api.call<{ not_found: boolean }>('RevokeRefresh', { user_id: devSub, client_id: 'static-app' });
    assert.equal(res.not_found, false);
    for (const t of current) assert.equal((await refreshAtToken(t)).status, 400, 'every device of the client is revoked');
  });
});
