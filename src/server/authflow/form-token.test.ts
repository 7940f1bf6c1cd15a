import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import type { SigningAlgorithm } from '../../config/types.js';
import { createLocalSigner, type LocalSigner } from '../../keys/local.js';
import type { Signer } from '../../keys/signer.js';
import { openMemoryStorage } from '../../storage/memory/index.js';
import type { Storage } from '../../storage/storage.js';
import { checkFormToken, signFormToken, type FormTokenContext } from './form-token.js';

const HOUR = 3600_000;
const ROTATE_MS = 2 * 60_000;
const FLOW_MS = 10 * 60_000;
const COOKIE = 'flow-cookie-value';

function clock() {
  let t = Date.parse('2026-03-01T00:00:00Z');
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

async function server(storage: Storage, now: () => Date, algorithm: SigningAlgorithm = 'ES256'): Promise<{ ctx: FormTokenContext; signer: LocalSigner }> {
  const signer = createLocalSigner({ storage, algorithm, rotationPeriod: ROTATE_MS, idTokensValidFor: HOUR, logger: pino({ level: 'silent' }), now });
  await signer.start(AbortSignal.abort());
  return { ctx: { signer, now, config: { expiry: { authRequests: FLOW_MS } } }, signer };
}

describe('password form token', () => {
  for (const alg of ['RS256', 'ES256', 'EdDSA'] as SigningAlgorithm[]) {
    test(`${alg}: an HMAC token (no signature) that checks for its cookie and connector`, async () => {
      const c = clock();
      const { ctx } = await server(openMemoryStorage(), c.now, alg);
      const token = await signFormToken(ctx, COOKIE, 'mock');
      assert.match(token, /^m\.[A-Za-z0-9_-]+\.[0-9]+\.[A-Za-z0-9_-]{43}$/);
      assert.equal(await checkFormToken(ctx, COOKIE, 'mock', token), 'valid');
    });
  }

  test('refused: another cookie, another connector, a forged or altered MAC, no cookie, garbage', async () => {
    const c = clock();
    const { ctx } = await server(openMemoryStorage(), c.now);
    const token = await signFormToken(ctx, COOKIE, 'mock');
    const [m, kid, exp, mac] = token.split('.') as [string, string, string, string];
    assert.equal(await checkFormToken(ctx, 'attacker-cookie', 'mock', token), 'invalid');
    assert.equal(await checkFormToken(ctx, COOKIE, 'ldap', token), 'invalid');
    assert.equal(await checkFormToken(ctx, '', 'mock', token), 'invalid');
    // Whoever chose the cookie can compute anything that depends on the cookie alone, but not the server's secret.
    const guessed = createHmac('sha256', COOKIE).update(JSON.stringify(['ferry:password-form', 'mock', COOKIE, Number(exp)])).digest('base64url');
    assert.equal(await checkFormToken(ctx, COOKIE, 'mock', [m, kid, exp, guessed].join('.')), 'invalid');
    assert.equal(await checkFormToken(ctx, COOKIE, 'mock', [m, kid, String(Number(exp) + 3600), mac].join('.')), 'invalid', 'a later expiry');
    // The first character carries six whole bits of the MAC (the last one only four, and may already be `A`).
    const altered = `${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    assert.equal(await checkFormToken(ctx, COOKIE, 'mock', [m, kid, exp, altered].join('.')), 'invalid');
    for (const bad of ['x', 'm.a.b.c', `m.${kid}.-1.${mac}`, `m.${kid}.${exp}`, `${token}.x`, 'eyJhbGciOiJub25lIn0.e30.']) {
      assert.equal(await checkFormToken(ctx, COOKIE, 'mock', bad), 'invalid', bad);
    }
  });

  test('past the login flow lifetime the token is stale (the form is offered again), not valid', async () => {
    const c = clock();
    const { ctx } = await server(openMemoryStorage(), c.now);
    const token = await signFormToken(ctx, COOKIE, 'mock');
    c.advance(FLOW_MS - 1000);
    assert.equal(await checkFormToken(ctx, COOKIE, 'mock', token), 'valid');
    c.advance(2000);
    assert.equal(await checkFormToken(ctx, COOKIE, 'mock', token), 'stale');
  });

  test('a replica on the same storage accepts the token, and refuses one for another cookie', async () => {
    const c = clock();
    const storage = openMemoryStorage();
    const a = await server(storage, c.now);
    const b = await server(storage, c.now);
    const token = await signFormToken(a.ctx, COOKIE, 'mock');
    assert.equal(await checkFormToken(b.ctx, COOKIE, 'mock', token), 'valid');
    assert.equal(await checkFormToken(b.ctx, 'other', 'mock', token), 'invalid');
  });

  test('key rotation: still valid where the replaced key is held; stale after a second rotation or on a replica started since', async () => {
    const c = clock();
    const storage = openMemoryStorage();
    const a = await server(storage, c.now);
    const token = await signFormToken(a.ctx, COOKIE, 'mock');
    c.advance(ROTATE_MS + 1000);
    assert.equal((await a.signer.rotate()).rotated, true);
    assert.equal(await checkFormToken(a.ctx, COOKIE, 'mock', token), 'valid', 'the key this process signed with a moment ago');
    const late = await server(storage, c.now);
    assert.equal(await checkFormToken(late.ctx, COOKIE, 'mock', token), 'stale', 'the private key is gone from storage');
    const fresh = await signFormToken(a.ctx, COOKIE, 'mock');
    assert.notEqual(fresh.split('.')[1], token.split('.')[1]);
    assert.equal(await checkFormToken(late.ctx, COOKIE, 'mock', fresh), 'valid', 'a token of the new key checks everywhere');
    c.advance(ROTATE_MS + 1000);
    assert.equal((await a.signer.rotate()).rotated, true);
    assert.equal(await checkFormToken(a.ctx, COOKIE, 'mock', token), 'stale');
  });

  test('a replica that has not seen the rotation yet re-reads the keys for a token of the newer key', async () => {
    const c = clock();
    const storage = openMemoryStorage();
    const a = await server(storage, c.now);
    const b = await server(storage, c.now);
    c.advance(ROTATE_MS + 1000);
    await a.signer.rotate();
    const token = await signFormToken(a.ctx, COOKIE, 'mock');
    assert.equal(await checkFormToken(b.ctx, COOKIE, 'mock', token), 'valid');
  });

  test('a signer without shared secrets: a JWS, as before; a JWS is also accepted where secrets exist', async () => {
    const c = clock();
    const { ctx, signer } = await server(openMemoryStorage(), c.now);
    const { sharedSecret: _, ...rest } = signer;
    const jwsOnly: FormTokenContext = { ...ctx, signer: rest satisfies Signer };
    const jws = await signFormToken(jwsOnly, COOKIE, 'mock');
    assert.equal(jws.split('.').length, 3);
    assert.equal(await checkFormToken(jwsOnly, COOKIE, 'mock', jws), 'valid');
    assert.equal(await checkFormToken(ctx, COOKIE, 'mock', jws), 'valid');
    assert.equal(await checkFormToken(ctx, 'other', 'mock', jws), 'invalid');
    assert.equal(await checkFormToken(jwsOnly, COOKIE, 'mock', await signFormToken(ctx, COOKIE, 'mock')), 'stale', 'no secret to check a MAC with');
  });
});
