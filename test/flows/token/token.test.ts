import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { NotFoundError } from '../../../src/lib/errors.js';
import { issueRefreshToken } from '../../../src/server/tokens/refresh-store.js';
import { decodeRefreshToken, encodeRefreshToken } from '../../../src/server/tokens/refresh-token-wire.js';
import type { RefreshToken } from '../../../src/storage/types.js';
import { APP_SECRET, claims, DAY, REDIRECT, storeCode, tokenFixture, type FixtureOptions, type TokenFixture } from './token.config.js';

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  json: Record<string, unknown>;
}

/** Every body any test received: checked at the end for stack traces and leaked internals. */
const bodies: string[] = [];
/** Every refresh token any test received: none may appear in a log line. */
const issued: string[] = [];
const fixtures: TokenFixture[] = [];
after(async () => {
  for (const b of bodies) {
    assert.doesNotMatch(b, /\bat .+:\d+:\d+|Error:|node_modules|\/very\/secret/, `leaky body: ${b}`);
  }
  const secrets = [APP_SECRET, 'other-secret', ...issued, ...issued.map((v) => decodeRefreshToken(v).secret)];
  for (const f of fixtures) {
    const log = f.logs.join('');
    for (const s of secrets) assert.ok(!log.includes(s), 'a secret or token reached the log');
  }
  await Promise.all(fixtures.map((f) => f.close()));
});

async function fixture(opts?: FixtureOptions): Promise<TokenFixture> {
  const f = await tokenFixture(opts);
  fixtures.push(f);
  return f;
}

const basic = (id: string, secret: string) =>
  'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');

interface PostOptions {
  /** `false`: send no credentials; a pair: HTTP Basic; default: form credentials of `app`. */
  auth?: false | [string, string];
  contentType?: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
}

async function post(f: TokenFixture, form: Record<string, string> | string, opts: PostOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/x-www-form-urlencoded' };
  let payload = form;
  if (typeof form !== 'string') {
    const params = new URLSearchParams(form);
    if (opts.auth === undefined) {
      params.set('client_id', 'app');
      params.set('client_secret', APP_SECRET);
    } else if (opts.auth) headers.authorization = basic(...opts.auth);
    payload = params.toString();
  }
  const res = await f.app.inject({ method: opts.method ?? 'POST', url: '/dex/token', headers, payload: opts.method === 'GET' ? undefined : payload });
  bodies.push(res.body);
  const rt = res.statusCode === 200 ? (JSON.parse(res.body) as { refresh_token?: string }).refresh_token : undefined;
  if (rt) issued.push(rt);
  return { status: res.statusCode, headers: res.headers, json: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {} };
}

function assertError(a: Answer, status: number, error: string, description?: string | RegExp): void {
  assert.equal(a.status, status, JSON.stringify(a.json));
  assert.equal(a.json.error, error);
  assert.equal(typeof a.json.error_description, 'string');
  if (typeof description === 'string') assert.equal(a.json.error_description, description);
  else if (description) assert.match(String(a.json.error_description), description);
  assert.equal(a.headers['cache-control'], 'no-store');
  assert.equal(a.headers.pragma, 'no-cache');
}

const exchange = (f: TokenFixture, code: string, extra: Record<string, string> = {}, opts?: PostOptions) =>
  post(f, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...extra }, opts);

const refresh = (f: TokenFixture, token: string, extra: Record<string, string> = {}, opts?: PostOptions) =>
  post(f, { grant_type: 'refresh_token', refresh_token: token, ...extra }, opts);

const halfHash = (s: string) => createHash('sha256').update(s).digest().subarray(0, 16).toString('base64url');

/** Exchanges a fresh code and returns the refresh token it yields. */
async function refreshTokenFor(f: TokenFixture, over: Parameters<typeof storeCode>[1] = {}, opts?: PostOptions): Promise<string> {
  const code = await storeCode(f, over);
  const a = await exchange(f, code.id, {}, opts ?? (over.clientId === 'other' ? { auth: ['other', 'other-secret'] } : undefined));
  assert.equal(a.status, 200, JSON.stringify(a.json));
  assert.equal(typeof a.json.refresh_token, 'string');
  return a.json.refresh_token as string;
}

const storedToken = (f: TokenFixture, wire: string): Promise<RefreshToken> => f.storage.getRefresh(decodeRefreshToken(wire).id);

describe('endpoint: bad requests', async () => {
  const f = await fixture();
  const code = await storeCode(f);
  const table: Array<[string, () => Promise<Answer>, number, string, (string | RegExp)?]> = [
    ['missing grant_type', () => post(f, { code: code.id }), 400, 'invalid_request', 'Required param: grant_type.'],
    ['unknown grant', () => post(f, { grant_type: 'magic' }), 400, 'unsupported_grant_type'],
    ['implicit is not a token grant', () => post(f, { grant_type: 'implicit' }), 400, 'unsupported_grant_type'],
    ['password not offered', () => post(f, { grant_type: 'password' }), 400, 'unsupported_grant_type'],
    ['GET', () => post(f, {}, { method: 'GET' }), 400, 'invalid_request', 'method not allowed'],
    ['PUT', () => post(f, { grant_type: 'authorization_code' }, { method: 'PUT' }), 400, 'invalid_request', 'method not allowed'],
    ['JSON body', () => post(f, JSON.stringify({ grant_type: 'authorization_code', code: code.id }), { contentType: 'application/json' }), 400, 'invalid_request'],
    ['malformed JSON body', () => post(f, '{"grant_type":', { contentType: 'application/json' }), 400, 'invalid_request'],
    ['XML body', () => post(f, '<x/>', { contentType: 'application/xml' }), 400, 'invalid_request'],
    ['oversized body', () => post(f, `grant_type=authorization_code&code=${'x'.repeat(1_100_000)}`), 400, 'invalid_request'],
    ['repeated parameter', () => post(f, `grant_type=authorization_code&code=${code.id}&code=${code.id}`), 400, 'invalid_request', 'Parameter code must not be repeated.'],
    ['missing code', () => exchange(f, ''), 400, 'invalid_request', 'Required param: code.'],
    ['unknown code', () => exchange(f, 'nope'), 400, 'invalid_grant', 'Invalid or expired code parameter.'],
    ['no credentials', () => exchange(f, code.id, {}, { auth: false }), 401, 'invalid_client'],
    ['unknown client', () => exchange(f, code.id, {}, { auth: ['ghost', 'x'] }), 401, 'invalid_client', 'Invalid client credentials.'],
    ['missing refresh_token', () => refresh(f, ''), 400, 'invalid_request', 'No refresh token is found in request.'],
    ['garbage refresh_token', () => refresh(f, '!!not-a-token!!'), 400, 'invalid_request', /already been claimed/],
  ];
  for (const [name, run, status, error, description] of table) {
    test(name, async () => assertError(await run(), status, error, description));
  }
  test('the code survived all of that', async () => {
    assert.equal((await f.storage.getAuthCode(code.id)).id, code.id);
  });
});

describe('endpoint: enabled grants', async () => {
  test('a grant missing from oauth2.grantTypes is unsupported', async () => {
    const f = await fixture({ grantTypes: ['authorization_code'] });
    assertError(await refresh(f, 'whatever'), 400, 'unsupported_grant_type');
    assert.equal((await exchange(f, (await storeCode(f)).id)).status, 200);
  });
});

describe('client authentication', async () => {
  const f = await fixture();
  test('HTTP Basic with URL-encoded id and secret', async () => {
    const a = await exchange(f, (await storeCode(f)).id, {}, { auth: ['app', APP_SECRET] });
    assert.equal(a.status, 200, JSON.stringify(a.json));
  });
  test('Basic plus form secret is invalid_request', async () => {
    const code = await storeCode(f);
    const a = await exchange(f, code.id, { client_secret: APP_SECRET }, { auth: ['app', APP_SECRET] });
    assertError(a, 400, 'invalid_request', 'Client authentication must use only one method.');
  });
  test('wrong secret: 401, with WWW-Authenticate only for Basic', async () => {
    const code = await storeCode(f);
    const viaBasic = await exchange(f, code.id, {}, { auth: ['app', 'wrong'] });
    assertError(viaBasic, 401, 'invalid_client', 'Invalid client credentials.');
    assert.match(String(viaBasic.headers['www-authenticate']), /^Basic realm="/);
    const viaForm = await exchange(f, code.id, { client_id: 'app', client_secret: 'wrong' }, { auth: false });
    assertError(viaForm, 401, 'invalid_client');
    assert.equal(viaForm.headers['www-authenticate'], undefined);
    assert.ok(!f.logs.join('').includes('wrong'), 'a presented secret reached the log');
  });
  test('public client with no secret (S256 PKCE)', async () => {
    const verifier = 'v'.repeat(43);
    const code = await storeCode(f, { clientId: 'cli', pkce: { codeChallenge: createHash('sha256').update(verifier).digest('base64url'), codeChallengeMethod: 'S256' } });
    const a = await exchange(f, code.id, { client_id: 'cli', code_verifier: verifier }, { auth: false });
    assert.equal(a.status, 200, JSON.stringify(a.json));
  });

  test('attack: a public client redeems a code without PKCE or with plain: invalid_grant (issue 12 item 7)', async () => {
    const plain = await storeCode(f, { clientId: 'cli', pkce: { codeChallenge: 'p'.repeat(43), codeChallengeMethod: 'plain' } });
    const none = await storeCode(f, { clientId: 'cli' });
    for (const [code, extra] of [[none, {}], [plain, { code_verifier: 'p'.repeat(43) }]] as const) {
      const a = await exchange(f, code.id, { client_id: 'cli', ...extra }, { auth: false });
      assert.equal(a.status, 400);
      assert.equal(a.json.error, 'invalid_grant');
      assert.match(String(a.json.error_description), /S256/);
    }
    const confidential = await storeCode(f);
    assert.equal((await exchange(f, confidential.id)).status, 200, 'confidential clients keep dex behaviour');
  });

  test('with requireS256ForPublicClients: false a public client redeems without PKCE, as in dex', async () => {
    const g = await fixture({ publicS256: false });
    const code = await storeCode(g, { clientId: 'cli' });
    assert.equal((await exchange(g, code.id, { client_id: 'cli' }, { auth: false })).status, 200);
  });
});

describe('authorization_code', async () => {
  const f = await fixture();

  test('success: tokens, headers, claims, c_hash and at_hash', async () => {
    const code = await storeCode(f);
    const a = await exchange(f, code.id);
    assert.equal(a.status, 200);
    assert.equal(a.headers['cache-control'], 'no-store');
    assert.equal(a.headers.pragma, 'no-cache');
    assert.deepEqual(Object.keys(a.json), ['access_token', 'token_type', 'expires_in', 'refresh_token', 'id_token']);
    assert.equal(a.json.token_type, 'bearer');
    assert.equal(a.json.expires_in, DAY / 1000);
    const id = await f.deps.signer.verify(String(a.json.id_token));
    assert.equal(id.iss, 'http://127.0.0.1:5556/dex');
    assert.equal(id.aud, 'app');
    assert.equal(id.nonce, code.nonce);
    assert.equal(id.email, 'kilgore@kilgore.trout');
    assert.equal(id.c_hash, halfHash(code.id));
    assert.equal(id.at_hash, halfHash(String(a.json.access_token)));
    assert.equal(decodeJwt(String(a.json.access_token)).sub, id.sub);
  });

  test('no refresh token without offline_access, or without a refresh-capable connector that allows the grant', async () => {
    for (const over of [{ scopes: ['openid'] }, { connectorId: 'plain' }, { connectorId: 'no-refresh-grant' }]) {
      const a = await exchange(f, (await storeCode(f, over)).id);
      assert.equal(a.status, 200);
      assert.equal(a.json.refresh_token, undefined, JSON.stringify(over));
    }
    const noOpenId = await exchange(f, (await storeCode(f, { scopes: ['email'] })).id);
    assert.equal(noOpenId.json.id_token, undefined);
  });

  test('expired code, other client\'s code, wrong redirect_uri', async () => {
    const expired = await storeCode(f, { expiry: new Date(f.deps.now().getTime() - 1) });
    assertError(await exchange(f, expired.id), 400, 'invalid_grant', 'Invalid or expired code parameter.');
    const others = await storeCode(f, { clientId: 'other' });
    assertError(await exchange(f, others.id), 400, 'invalid_grant', 'Invalid or expired code parameter.');
    const code = await storeCode(f);
    const wrong = await exchange(f, code.id, { redirect_uri: REDIRECT + '/x' });
    assertError(wrong, 400, 'invalid_request', 'redirect_uri did not match URI from initial request.');
    assert.equal((await exchange(f, code.id)).status, 200, 'a rejected attempt must not spend the code');
  });

  test('PKCE matrix', async () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const s256 = { codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', codeChallengeMethod: 'S256' };
    const cases: Array<[string, { codeChallenge: string; codeChallengeMethod: string }, string, number, string?]> = [
      ['S256 ok', s256, verifier, 200],
      ['plain ok', { codeChallenge: verifier, codeChallengeMethod: 'plain' }, verifier, 200],
      ['wrong verifier', s256, verifier.replace('d', 'e'), 400, 'invalid_grant'],
      ['verifier without challenge', { codeChallenge: '', codeChallengeMethod: '' }, verifier, 400, 'invalid_request'],
      ['challenge without verifier', s256, '', 400, 'invalid_grant'],
    ];
    for (const [name, pkce, v, status, error] of cases) {
      const code = await storeCode(f, { pkce });
      const a = await exchange(f, code.id, v ? { code_verifier: v } : {});
      if (error) assertError(a, status, error);
      else assert.equal(a.status, status, `${name}: ${JSON.stringify(a.json)}`);
    }
  });

  test('replay: the second redemption fails and nothing remains; concurrent redemptions give one winner', async () => {
    const code = await storeCode(f, { scopes: ['openid'] });
    assert.equal((await exchange(f, code.id)).status, 200);
    assertError(await exchange(f, code.id), 400, 'invalid_grant');
    await assert.rejects(f.storage.getAuthCode(code.id), NotFoundError);
    const raced = await storeCode(f, { scopes: ['openid'] });
    const answers = await Promise.all(Array.from({ length: 10 }, () => exchange(f, raced.id)));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, ...Array(9).fill(400)]);
  });

  test('one refresh token per user + connector + client', async () => {
    const first = await refreshTokenFor(f);
    const others = await refreshTokenFor(f, { clientId: 'other' });
    const second = await refreshTokenFor(f);
    await assert.rejects(storedToken(f, first), NotFoundError);
    assertError(await refresh(f, first), 400, 'invalid_request');
    const session = await f.storage.getOfflineSessions('0-385-28089-0', 'mock');
    assert.equal(session.refresh.app?.id, decodeRefreshToken(second).id);
    assert.equal(session.refresh.other?.id, decodeRefreshToken(others).id);
    assert.equal((await refresh(f, others, {}, { auth: ['other', 'other-secret'] })).status, 200);
  });
});

describe('refresh_token: rotation', async () => {
  const f = await fixture();

  test('rotation: a new secret each time; the old one is refused and ends the family (RFC 9700 §4.14.2)', async () => {
    const t0 = await refreshTokenFor(f);
    f.advance(1000);
    const a = await refresh(f, t0);
    assert.equal(a.status, 200, JSON.stringify(a.json));
    const t1 = String(a.json.refresh_token);
    assert.notEqual(t1, t0);
    assert.equal(decodeRefreshToken(t1).id, decodeRefreshToken(t0).id);
    assert.equal(typeof a.json.id_token, 'string');
    assertError(await refresh(f, t0), 400, 'invalid_request', 'Refresh token is invalid or has already been claimed by another client.');
    assertError(await refresh(f, t1), 400, 'invalid_request', 'Refresh token is invalid or has already been claimed by another client.');
  });

  test('another client\'s refresh token is invalid_grant', async () => {
    const t = await refreshTokenFor(f);
    assertError(await refresh(f, t, {}, { auth: ['other', 'other-secret'] }), 400, 'invalid_grant');
  });

  test('scope narrowing is allowed, widening is not', async () => {
    const t = await refreshTokenFor(f, { scopes: ['openid', 'email', 'offline_access'] });
    const wide = await refresh(f, t, { scope: 'openid email groups' });
    assertError(wide, 400, 'invalid_request', 'Requested scopes contain unauthorized scope(s): "groups".');
    const narrow = await refresh(f, t, { scope: 'openid' });
    assert.equal(narrow.status, 200);
    assert.equal(decodeJwt(String(narrow.json.id_token)).email, undefined);
    const same = await refresh(f, String(narrow.json.refresh_token));
    assert.equal(decodeJwt(String(same.json.id_token)).email, 'kilgore@kilgore.trout', 'omitted scope = the original');
  });

  test('the client must still be allowed to use the code\'s and the token\'s connector', async () => {
    const code = await storeCode(f, { clientId: 'only-pw' });
    const auth: PostOptions = { auth: ['only-pw', 'only-pw-secret'] };
    assertError(await exchange(f, code.id, {}, auth), 400, 'invalid_grant', 'Connector not allowed for this client.');
    const t = await issueRefreshToken(f.deps, {
      clientId: 'only-pw', connectorId: 'mock', claims: claims(), scopes: ['openid', 'offline_access'], nonce: '', sessionId: '', connectorData: null,
    });
    assertError(await refresh(f, t, {}, auth), 400, 'invalid_grant', 'Connector not allowed for this client.');
  });

  test('connector refresh updates claims except the user id; connector data moves through OfflineSessions', async () => {
    const t = await refreshTokenFor(f, { connectorId: 'spy', connectorData: new TextEncoder().encode('login-data') });
    const a = await refresh(f, t, { scope: 'openid profile groups' });
    assert.equal(a.status, 200);
    assert.equal(f.spy.lastData, 'login-data');
    const id = decodeJwt(String(a.json.id_token));
    assert.equal(id.name, 'Renamed');
    assert.deepEqual(id.groups, ['new-group']);
    const stored = await storedToken(f, String(a.json.refresh_token));
    assert.equal(stored.claims.userId, '0-385-28089-0');
    assert.equal(stored.claims.username, 'Renamed');
    const session = await f.storage.getOfflineSessions('0-385-28089-0', 'spy');
    assert.equal(new TextDecoder().decode(session.connectorData ?? undefined), 'data-1');
    assert.equal(session.refresh.app?.lastUsed.getTime(), f.deps.now().getTime());
    await refresh(f, String(a.json.refresh_token));
    assert.equal(f.spy.lastData, 'data-1', 'the next refresh sees the data the last one saved');
  });

  test('mockPassword refresh keeps the identity', async () => {
    const t = await refreshTokenFor(f, { connectorId: 'pw' });
    const a = await refresh(f, t);
    assert.equal(a.status, 200);
    assert.deepEqual((await storedToken(f, String(a.json.refresh_token))).claims, claims());
  });

  test('a failing upstream refresh is a generic 500 server_error and leaves the token usable', async () => {
    const t = await refreshTokenFor(f, { connectorId: 'spy' });
    f.spy.fail = true;
    const a = await refresh(f, t);
    f.spy.fail = false;
    assertError(a, 500, 'server_error', 'An internal server error occurred.');
    assert.ok(f.logs.some((l) => l.includes('upstream refresh failed')), 'the real error is logged');
    assert.equal((await refresh(f, t)).status, 200);
  });

  test('legacy raw refresh id with per-token connector data', async () => {
    const now = f.deps.now();
    await f.storage.createRefresh({
      id: 'legacyid', token: '', obsoleteToken: '', createdAt: now, lastUsed: now, clientId: 'app', connectorId: 'spy',
      connectorData: new TextEncoder().encode('legacy-data'), claims: claims({ userId: 'legacy-user' }), scopes: ['openid', 'offline_access'],
      nonce: '', sessionId: '',
    });
    const a = await refresh(f, 'legacyid');
    assert.equal(a.status, 200, JSON.stringify(a.json));
    assert.equal(f.spy.lastData, 'legacy-data');
    const rotated = String(a.json.refresh_token);
    assert.deepEqual(decodeRefreshToken(rotated).id, 'legacyid');
    assertError(await refresh(f, 'legacyid'), 400, 'invalid_request');
    const stored = await f.storage.getRefresh('legacyid');
    assert.equal(stored.connectorData, null);
    const session = await f.storage.getOfflineSessions('legacy-user', 'spy');
    assert.ok(session.connectorData && session.connectorData.length > 0);
    assert.equal(session.refresh.app?.id, 'legacyid');
  });

  test('50 concurrent refreshes of one token: exactly one success, the rest invalid_request, no 5xx', async () => {
    const t = await refreshTokenFor(f, { connectorId: 'spy' });
    const before = f.spy.calls;
    f.advance(1000);
    const answers = await Promise.all(Array.from({ length: 50 }, () => refresh(f, t)));
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1);
    assert.equal(statuses.filter((s) => s >= 500).length, 0);
    for (const a of answers.filter((x) => x.status !== 200)) assertError(a, 400, 'invalid_request');
    assert.equal(f.spy.calls - before, 1, 'the upstream is refreshed once');
  });
});

describe('refresh_token: reuse interval, disabled rotation, lifetimes', async () => {
  test('inside the reuse interval the obsolete token returns the current one', async () => {
    const f = await fixture({ refresh: { reuseInterval: 3000 } });
    const t0 = await refreshTokenFor(f);
    const early = await refresh(f, t0);
    assert.equal(early.json.refresh_token, t0, 'inside the window of issuance: not rotated');
    f.advance(10_000);
    const t1 = String((await refresh(f, t0)).json.refresh_token);
    assert.notEqual(t1, t0);
    f.advance(2000);
    const again = await refresh(f, t0);
    assert.equal(again.status, 200);
    assert.equal(again.json.refresh_token, t1);
    f.advance(2000);
    assertError(await refresh(f, t0), 400, 'invalid_request');
    assertError(await refresh(f, t1), 400, 'invalid_request'); // outside the interval the replay revoked the family
  });

  test('disableRotation: the same token comes back and last-used moves', async () => {
    const f = await fixture({ refresh: { disableRotation: true } });
    const t = await refreshTokenFor(f);
    f.advance(5000);
    const a = await refresh(f, t);
    assert.equal(a.json.refresh_token, t);
    assert.equal((await storedToken(f, t)).lastUsed.getTime(), f.deps.now().getTime());
    assert.equal((await refresh(f, t)).json.refresh_token, t);
  });

  test('absolute lifetime', async () => {
    const f = await fixture({ refresh: { absoluteLifetime: 60_000 } });
    const t = await refreshTokenFor(f);
    f.advance(30_000);
    const t1 = String((await refresh(f, t)).json.refresh_token);
    f.advance(30_001);
    assertError(await refresh(f, t1), 400, 'invalid_request', 'Refresh token expired.');
  });

  test('idle lifetime', async () => {
    const f = await fixture({ refresh: { validIfNotUsedFor: 60_000 } });
    let t = await refreshTokenFor(f);
    for (let i = 0; i < 3; i++) {
      f.advance(59_000);
      const a = await refresh(f, t);
      assert.equal(a.status, 200);
      t = String(a.json.refresh_token);
    }
    f.advance(60_001);
    assertError(await refresh(f, t), 400, 'invalid_request', 'Refresh token expired.');
  });

  test('a wire token for a missing id is refused like a claimed one', async () => {
    const f = await fixture();
    assertError(await refresh(f, encodeRefreshToken('gone', 'secret')), 400, 'invalid_request');
  });
});
