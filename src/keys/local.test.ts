import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, generateKeyPair, type JWTPayload } from 'jose';
import { pino } from 'pino';
import type { SigningAlgorithm } from '../config/types.js';
import { openMemoryStorage } from '../storage/memory/index.js';
import type { Storage } from '../storage/storage.js';
import { createLocalSigner, type LocalSignerOptions } from './local.js';

const HOUR = 3600_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

function captureLogger() {
  const lines: Array<{ level: number; msg: string } & Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, lines };
}

/** Memory storage with a count of getKeys/updateKeys calls. */
function countingStorage(inner: Storage = openMemoryStorage()) {
  const counts = { getKeys: 0, updateKeys: 0 };
  const storage: Pick<Storage, 'getKeys' | 'updateKeys'> = {
    getKeys: () => (counts.getKeys++, inner.getKeys()),
    updateKeys: (u) => (counts.updateKeys++, inner.updateKeys(u)),
  };
  return { storage, counts, inner };
}

function clock() {
  let t = T0;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms), at: () => t };
}

function makeSigner(over: Partial<LocalSignerOptions> & Pick<LocalSignerOptions, 'storage' | 'now'>) {
  return createLocalSigner({
    algorithm: 'ES256',
    rotationPeriod: 6 * HOUR,
    idTokensValidFor: 24 * HOUR,
    logger: pino({ level: 'silent' }),
    ...over,
  });
}

/** A claim set issued at `t` (ms) that lives `life` seconds (1 h by default). */
const claims = (t: number, life = 3600): JWTPayload => ({ iss: 'https://ferry.test', sub: 'x', aud: 'c', iat: t / 1000, exp: t / 1000 + life });

describe('local signer: algorithms', () => {
  for (const alg of ['RS256', 'ES256', 'EdDSA'] as SigningAlgorithm[]) {
    test(`${alg}: tokens verify with jose against the published JWKS; header has kid, alg, typ`, async () => {
      const c = clock();
      const signer = makeSigner({ storage: openMemoryStorage(), now: c.now, algorithm: alg });
      await signer.start(AbortSignal.abort());
      const jwt = await signer.sign(claims(T0));
      const jwks = await signer.validationKeys();
      assert.equal(jwks.length, 1);
      assert.deepEqual([jwks[0]?.alg, jwks[0]?.use], [alg, 'sig']);
      assert.match(jwks[0]?.kid ?? '', /^[0-9a-f]{40}$/);
      assert.equal(jwks[0]?.d, undefined);
      const header = decodeProtectedHeader(jwt);
      assert.deepEqual(header, { alg, kid: jwks[0]?.kid, typ: 'JWT' });
      const { payload } = await jwtVerify(jwt, createLocalJWKSet({ keys: jwks }), { currentDate: c.now() });
      assert.equal(payload.iss, 'https://ferry.test');
      assert.equal(await signer.algorithm(), alg);
      assert.equal((await signer.verify(jwt)).sub, 'x');
    });
  }
});

describe('local signer: verify', () => {
  test('rejects a token signed by another key, an expired token and a tampered one', async () => {
    const c = clock();
    const signer = makeSigner({ storage: openMemoryStorage(), now: c.now });
    await signer.start(AbortSignal.abort());
    const kid = (await signer.validationKeys())[0]?.kid;
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT(claims(T0)).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
    await assert.rejects(signer.verify(forged), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });

    const jwt = await signer.sign(claims(T0));
    c.advance(HOUR + 1000);
    await assert.rejects(signer.verify(jwt), { code: 'ERR_JWT_EXPIRED' });

    const good = await signer.sign(claims(c.at()));
    const [h, , s] = good.split('.');
    const tampered = [h, Buffer.from(JSON.stringify({ ...claims(c.at()), sub: 'admin' })).toString('base64url'), s].join('.');
    await assert.rejects(signer.verify(tampered));
    await assert.rejects(signer.verify('not.a.jwt'));
    assert.equal((await signer.verify(good)).sub, 'x');
  });

  test('tokens signed before a rotation keep verifying; the old key is listed after the new one', async () => {
    const c = clock();
    const signer = makeSigner({ storage: openMemoryStorage(), now: c.now });
    await signer.start(AbortSignal.abort());
    const oldJwt = await signer.sign(claims(T0, 24 * 3600));
    const oldKid = decodeProtectedHeader(oldJwt).kid;
    c.advance(6 * HOUR);
    assert.equal((await signer.rotate()).rotated, true);
    const kids = (await signer.validationKeys()).map((k) => k.kid);
    assert.equal(kids.length, 2);
    assert.equal(kids[1], oldKid);
    assert.notEqual(decodeProtectedHeader(await signer.sign(claims(c.at()))).kid, oldKid);
    assert.equal((await signer.verify(oldJwt)).sub, 'x');
  });
});

describe('local signer: cache', () => {
  test('sign does no storage I/O until nextRotation, then picks up the new key', async () => {
    const c = clock();
    const { storage, counts } = countingStorage();
    const signer = makeSigner({ storage, now: c.now });
    await signer.start(AbortSignal.abort());
    const reads = counts.getKeys;
    for (let i = 0; i < 50; i++) await signer.sign(claims(T0));
    await signer.validationKeys();
    await signer.verify(await signer.sign(claims(T0)));
    await signer.algorithm();
    assert.equal(counts.getKeys, reads, 'no storage reads on the hot path');

    const kid1 = decodeProtectedHeader(await signer.sign(claims(T0))).kid;
    c.advance(6 * HOUR);
    // The first sign after nextRotation uses the previous key while one background check rotates.
    await signer.sign(claims(c.at()));
    await signer.validationKeys();
    const kid2 = decodeProtectedHeader(await signer.sign(claims(c.at()))).kid;
    assert.notEqual(kid2, kid1);
    assert.equal(counts.updateKeys, 2, 'exactly one more rotation');
  });

  test('storage failure during rotation: keeps the last key, logs an error, retries after checkInterval', async () => {
    const c = clock();
    const { storage, counts } = countingStorage();
    const { logger, lines } = captureLogger();
    let broken = false;
    const flaky: typeof storage = {
      getKeys: () => (broken ? Promise.reject(new Error('db down')) : storage.getKeys()),
      updateKeys: (u) => storage.updateKeys(u),
    };
    const signer = makeSigner({ storage: flaky, now: c.now, logger, checkInterval: 30_000 });
    await signer.start(AbortSignal.abort());
    const kid = decodeProtectedHeader(await signer.sign(claims(T0))).kid;
    broken = true;
    c.advance(6 * HOUR);
    assert.equal((await signer.verify(await signer.sign(claims(c.at())))).sub, 'x');
    assert.equal(decodeProtectedHeader(await signer.sign(claims(c.at()))).kid, kid);
    assert.ok(lines.some((l) => l.level === 50 && l.msg === 'failed to rotate keys'));
    const reads = counts.getKeys;
    await signer.sign(claims(c.at()));
    assert.equal(counts.getKeys, reads, 'held for checkInterval');
    broken = false;
    c.advance(30_000);
    await signer.validationKeys();
    assert.notEqual(decodeProtectedHeader(await signer.sign(claims(c.at()))).kid, kid);
  });

  test('sign on a cold signer without start() rotates once, even with concurrent callers', async () => {
    const c = clock();
    const { storage, counts } = countingStorage();
    const signer = makeSigner({ storage, now: c.now });
    const jwts = await Promise.all(Array.from({ length: 10 }, () => signer.sign(claims(T0))));
    assert.equal(new Set(jwts.map((j) => decodeProtectedHeader(j).kid)).size, 1);
    assert.equal(counts.updateKeys, 1);
  });
});

describe('local signer: replicas sharing one store', () => {
  test('two signers racing: exactly one rotates, both sign with the same kid, tokens cross-verify', async () => {
    const c = clock();
    const shared = openMemoryStorage();
    const a = countingStorage(shared);
    const b = countingStorage(shared);
    const la = captureLogger();
    const lb = captureLogger();
    const sa = makeSigner({ storage: a.storage, now: c.now, logger: la.logger });
    const sb = makeSigner({ storage: b.storage, now: c.now, logger: lb.logger });
    const [ra, rb] = await Promise.all([sa.rotate(), sb.rotate()]);
    assert.equal(Number(ra.rotated) + Number(rb.rotated), 1, 'exactly one rotated');
    const lines = [...la.lines, ...lb.lines];
    assert.ok(!lines.some((l) => l.level >= 50), 'no errors logged');
    assert.equal(lines.filter((l) => l.msg === 'keys rotated').length, 1);

    const ja = await sa.sign(claims(T0));
    const jb = await sb.sign(claims(T0, 24 * 3600));
    assert.equal(decodeProtectedHeader(ja).kid, decodeProtectedHeader(jb).kid);
    assert.equal((await sb.verify(ja)).sub, 'x');
    assert.equal((await sa.verify(jb)).sub, 'x');

    // Next period: both race again; one rotates, both converge on the new key and still verify old tokens.
    c.advance(6 * HOUR);
    const [r2a, r2b] = await Promise.all([sa.rotate(), sb.rotate()]);
    assert.equal(Number(r2a.rotated) + Number(r2b.rotated), 1);
    const ka = decodeProtectedHeader(await sa.sign(claims(c.at()))).kid;
    const kb = decodeProtectedHeader(await sb.sign(claims(c.at()))).kid;
    assert.equal(ka, kb);
    assert.notEqual(ka, decodeProtectedHeader(ja).kid);
    assert.deepEqual(await sa.validationKeys(), await sb.validationKeys());
    assert.equal((await sa.verify(jb)).sub, 'x');
  });

  test('start(): first check before it resolves, then periodic checks until aborted', async () => {
    const c = clock();
    const { storage, counts } = countingStorage();
    const ac = new AbortController();
    const signer = makeSigner({ storage, now: c.now, checkInterval: 10 });
    await signer.start(ac.signal);
    assert.equal(counts.updateKeys, 1);
    const kid = (await signer.validationKeys())[0]?.kid;
    c.advance(6 * HOUR);
    // Wait for the timer's check (every 10 ms) to rotate; a busy machine may take far longer than one interval.
    for (const deadline = Date.now() + 10_000; counts.updateKeys < 2 && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(counts.updateKeys, 2, 'the timer rotated');
    assert.notEqual((await signer.validationKeys())[0]?.kid, kid);
    ac.abort();
    const reads = counts.getKeys;
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(counts.getKeys, reads, 'no checks after abort');
  });
});
