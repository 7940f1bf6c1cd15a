import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { pino } from 'pino';
import type { SigningAlgorithm } from '../../config/types.js';
import { createLocalSigner } from '../../keys/local.js';
import { openMemoryStorage } from '../../storage/memory/index.js';
import type { TokenContext } from './claims.js';
import { tokenHash } from './hash.js';
import { createTokenIssuer } from './issuer.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const DAY = 86_400_000;
const ISSUER = 'https://dex.example.com/dex';

async function setup(algorithm: SigningAlgorithm = 'ES256') {
  const now = () => new Date(T0);
  const signer = createLocalSigner({
    storage: openMemoryStorage(),
    algorithm,
    rotationPeriod: 6 * 3600_000,
    idTokensValidFor: DAY,
    logger: pino({ level: 'silent' }),
    now,
  });
  await signer.start(AbortSignal.abort());
  const tokens = createTokenIssuer({ signer, issuer: ISSUER, idTokensValidFor: DAY, now });
  const jwks = createLocalJWKSet({ keys: await signer.validationKeys() });
  const verify = async (jwt: string) => (await jwtVerify(jwt, jwks, { issuer: ISSUER, currentDate: now() })).payload;
  return { signer, tokens, verify };
}

const ctx: TokenContext = {
  clientId: 'app',
  scopes: ['openid', 'email', 'audience:server:client_id:peer'],
  claims: { userId: '0-385-28089-0', username: 'Kilgore', preferredUsername: 'kt', email: 'k@x.io', emailVerified: true, groups: [] },
  connectorId: 'mock',
  nonce: 'abc',
  authTime: new Date(T0 - 5000),
  sessionId: '',
};

describe('createTokenIssuer', () => {
  test('idToken: signed claims, expiry = now + idTokensValidFor, at_hash and c_hash over the given values', async () => {
    const { tokens, verify } = await setup();
    const access = await tokens.accessToken(ctx);
    const id = await tokens.idToken(ctx, { accessToken: access.token, code: 'the-code' });
    assert.equal(id.expiry.getTime(), T0 + DAY);
    const c = await verify(id.token);
    assert.equal(c.sub, 'Cg0wLTM4NS0yODA4OS0wEgRtb2Nr');
    assert.deepEqual(c.aud, ['peer', 'app']);
    assert.equal(c.azp, 'app');
    assert.equal(c.exp, (T0 + DAY) / 1000);
    assert.equal(c.iat, T0 / 1000);
    assert.equal(c.auth_time, T0 / 1000 - 5);
    assert.equal(c.nonce, 'abc');
    assert.equal(c.email_verified, true);
    assert.equal(c.at_hash, tokenHash(access.token, 'ES256'));
    assert.equal(c.c_hash, tokenHash('the-code', 'ES256'));
    assert.match(String(c.jti), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal('sid' in c, false);
    assert.equal(decodeProtectedHeader(id.token).alg, 'ES256');
  });

  test('idToken without an access token or code has neither hash', async () => {
    const { tokens, verify } = await setup();
    const c = await verify((await tokens.idToken(ctx)).token);
    assert.equal('at_hash' in c, false);
    assert.equal('c_hash' in c, false);
  });

  test('accessToken: the ID-token claim set with a unique at_hash and jti per token', async () => {
    const { tokens, verify } = await setup();
    const [a, b] = await Promise.all([tokens.accessToken(ctx), tokens.accessToken(ctx)]);
    assert.notEqual(a!.token, b!.token);
    const ca = await verify(a!.token);
    const cb = await verify(b!.token);
    assert.match(String(ca.at_hash), /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(ca.at_hash, cb.at_hash);
    assert.notEqual(ca.jti, cb.jti);
    const { at_hash: _a, jti: _j, ...restA } = ca;
    const { at_hash: _b, jti: _k, ...restB } = cb;
    assert.deepEqual(restA, restB);
    assert.equal(a!.expiry.getTime(), T0 + DAY);
  });

  test('sid only when the session id is non-empty', async () => {
    const { tokens } = await setup();
    assert.equal(decodeJwt((await tokens.idToken({ ...ctx, sessionId: 'sess-1' })).token).sid, 'sess-1');
  });

  test('EdDSA signer: hashes use SHA-512 and the token verifies', async () => {
    const { tokens, verify } = await setup('EdDSA');
    const id = await tokens.idToken(ctx, { code: 'c0de' });
    const c = await verify(id.token);
    assert.equal(c.c_hash, tokenHash('c0de', 'EdDSA'));
    assert.equal(String(c.c_hash).length, 43);
  });
});
