/**
 * KeysCRUD: the keys singleton. Starts empty, is created by the first update, round-trips RSA and EC JWKs, and
 * a reloaded private key still signs (dex `testKeysCRUD`).
 */
import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import type { Keys } from '../../types.js';
import * as f from '../fixtures.js';
import type { Harness } from '../harness.js';

/** Fixed public JWK literals (shape only: never used to verify). */
const rsaPub: JWK = { kty: 'RSA', kid: 'rsa-1', alg: 'RS256', use: 'sig', e: 'AQAB', n: 'u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw' };
const ecPub: JWK = { kty: 'EC', kid: 'ec-1', alg: 'ES256', use: 'sig', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };

export function keysCrud(h: Harness): void {
  h.test('empty before the first update', async (s) => {
    assert.deepStrictEqual(await s.getKeys(), { signingKey: null, signingKeyPub: null, verificationKeys: [], nextRotation: new Date(0) });
  });

  h.test('round-trip, update, and the reloaded key still signs', async (s) => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const priv = { ...(await exportJWK(privateKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const pub = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const first: Keys = {
      signingKey: priv,
      signingKeyPub: pub,
      verificationKeys: [{ publicKey: rsaPub, expiry: f.at(1) }, { publicKey: ecPub, expiry: f.at(2) }],
      nextRotation: f.at(6),
    };
    let seen: Keys | undefined;
    const created = await s.updateKeys((old) => {
      seen = old;
      return first;
    });
    assert.deepStrictEqual(created, first);
    assert.deepStrictEqual(seen?.signingKey, null, 'the first updater sees the empty record');
    assert.deepStrictEqual(await s.getKeys(), first);

    const second = await s.updateKeys((old) => ({ ...old, verificationKeys: old.verificationKeys.slice(1), nextRotation: f.at(12) }));
    assert.deepStrictEqual(await s.getKeys(), second);
    assert.equal(second.verificationKeys.length, 1);

    const reloaded = (await s.getKeys()).signingKey;
    assert.ok(reloaded);
    const jwt = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(await importJWK(reloaded, 'ES256'));
    assert.equal((await jwtVerify(jwt, publicKey)).payload.sub, 'x');
  });

  h.test('updater throwing writes nothing (absent and present)', async (s) => {
    const boom = new Error('abort');
    await assert.rejects(s.updateKeys(() => { throw boom; }), (e) => e === boom);
    assert.equal((await s.getKeys()).signingKey, null);
    const stored = await s.updateKeys((old) => ({ ...old, signingKeyPub: ecPub, nextRotation: f.at() }));
    await assert.rejects(s.updateKeys(() => { throw boom; }), (e) => e === boom);
    assert.deepStrictEqual(await s.getKeys(), stored);
  });
}
