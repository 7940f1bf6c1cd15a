import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { openMemoryStorage } from '../storage/memory/index.js';
import type { Keys } from '../storage/types.js';
import { applyRotation, rotateKeys, rotationReason, type RotationOptions } from './rotation.js';
import { generateSigningKey } from './generate-key.js';

const HOUR = 3600_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A logger whose JSON lines are collected for assertions. */
function captureLogger() {
  const lines: Array<{ level: number; msg: string } & Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, lines };
}

function setup(overrides: Partial<RotationOptions> = {}) {
  let t = T0;
  const storage = openMemoryStorage();
  const { logger, lines } = captureLogger();
  const opts: RotationOptions = {
    storage,
    algorithm: 'ES256',
    rotationPeriod: 6 * HOUR,
    idTokensValidFor: 24 * HOUR,
    logger,
    now: () => new Date(t),
    ...overrides,
  };
  return { storage, opts, lines, advance: (ms: number) => (t += ms), at: () => t };
}

describe('rotationReason', () => {
  const empty: Keys = { signingKey: null, signingKeyPub: null, verificationKeys: [], nextRotation: new Date(0) };
  test('missing when there is no signing key', () => {
    assert.equal(rotationReason(empty, new Date(T0)), 'missing');
  });
  test('expired at and after nextRotation, null before', () => {
    const keys = { ...empty, signingKey: { kty: 'EC' }, nextRotation: new Date(T0) };
    assert.equal(rotationReason(keys, new Date(T0 - 1)), null);
    assert.equal(rotationReason(keys, new Date(T0)), 'expired');
  });
});

describe('rotateKeys', () => {
  test('rotates an empty store: new key pair, no verification keys, nextRotation = now + period', async () => {
    const { storage, opts, lines } = setup();
    const r = await rotateKeys(opts);
    assert.equal(r.rotated, true);
    const keys = await storage.getKeys();
    assert.match(keys.signingKey?.kid ?? '', /^[0-9a-f]{40}$/);
    assert.equal(keys.signingKeyPub?.kid, keys.signingKey?.kid);
    assert.equal(keys.signingKeyPub?.d, undefined, 'public key has no private part');
    assert.equal(keys.signingKey?.d !== undefined, true);
    assert.deepEqual([keys.signingKeyPub?.alg, keys.signingKeyPub?.use, keys.signingKeyPub?.crv], ['ES256', 'sig', 'P-256']);
    assert.deepEqual(keys.verificationKeys, []);
    assert.equal(keys.nextRotation.getTime(), T0 + 6 * HOUR);
    assert.ok(lines.some((l) => l.msg === 'keys rotated' && l.reason === 'missing'));
  });

  test('does nothing before nextRotation', async () => {
    const { storage, opts, advance } = setup();
    await rotateKeys(opts);
    const before = await storage.getKeys();
    advance(6 * HOUR - 1);
    const r = await rotateKeys(opts);
    assert.equal(r.rotated, false);
    assert.equal((await storage.getKeys()).signingKey?.kid, before.signingKey?.kid);
  });

  test('after nextRotation: old key demoted for idTokensValidFor, then pruned', async () => {
    const { storage, opts, advance, at } = setup();
    await rotateKeys(opts);
    const first = await storage.getKeys();
    advance(6 * HOUR);
    assert.equal((await rotateKeys(opts)).rotated, true);
    const second = await storage.getKeys();
    assert.notEqual(second.signingKey?.kid, first.signingKey?.kid);
    assert.equal(second.verificationKeys.length, 1);
    assert.deepEqual(second.verificationKeys[0]?.publicKey, first.signingKeyPub);
    assert.equal(second.verificationKeys[0]?.expiry.getTime(), at() + 24 * HOUR);
    assert.equal(second.nextRotation.getTime(), at() + 6 * HOUR);

    // Rotations at +12h, +18h, +24h keep the first key (expires at +30h); the one at +36h drops it.
    for (let i = 0; i < 3; i++) {
      advance(6 * HOUR);
      await rotateKeys(opts);
    }
    const kids = (await storage.getKeys()).verificationKeys.map((v) => v.publicKey.kid);
    assert.ok(kids.includes(first.signingKey?.kid));
    advance(12 * HOUR);
    await rotateKeys(opts);
    const after = await storage.getKeys();
    assert.ok(!after.verificationKeys.some((v) => v.publicKey.kid === first.signingKey?.kid), 'expired key pruned');
    assert.ok(after.verificationKeys.every((v) => v.expiry.getTime() >= at()));
  });

  test('a change of algorithm applies at the next rotation', async () => {
    const { storage, opts, advance } = setup();
    await rotateKeys(opts);
    const changed = { ...opts, algorithm: 'EdDSA' as const };
    await rotateKeys(changed);
    assert.equal((await storage.getKeys()).signingKey?.alg, 'ES256', 'not before nextRotation');
    advance(6 * HOUR);
    await rotateKeys(changed);
    const keys = await storage.getKeys();
    assert.deepEqual([keys.signingKey?.alg, keys.signingKey?.crv], ['EdDSA', 'Ed25519']);
    assert.equal(keys.verificationKeys[0]?.publicKey.alg, 'ES256');
  });

  test('RS256 keys are RSA 2048 with kid, alg and use', async () => {
    const pair = await generateSigningKey('RS256');
    assert.equal(Buffer.from(pair.signingKeyPub.n ?? '', 'base64url').length * 8, 2048);
    assert.deepEqual([pair.signingKeyPub.kty, pair.signingKeyPub.alg, pair.signingKeyPub.use], ['RSA', 'RS256', 'sig']);
    await assert.rejects(generateSigningKey('HS256' as never), TypeError);
  });

  test('another replica rotating first: AlreadyRotated, logged at info, its keys returned', async () => {
    const { storage, opts, lines } = setup();
    let calls = 0;
    // Replica B rotates while replica A is generating its key (outside the update).
    const other = { ...opts, logger: pino({ level: 'silent' }) };
    const racing: RotationOptions = {
      ...opts,
      generate: async (alg) => {
        calls++;
        const pair = await generateSigningKey(alg);
        await rotateKeys(other);
        return pair;
      },
    };
    const r = await rotateKeys(racing);
    assert.equal(calls, 1);
    assert.equal(r.rotated, false);
    const stored = await storage.getKeys();
    assert.equal(r.keys.signingKey?.kid, stored.signingKey?.kid);
    assert.ok(lines.some((l) => l.level === 30 && /already rotated/.test(l.msg)));
    assert.ok(!lines.some((l) => l.level >= 50), 'nothing logged as an error');
  });

  test('applyRotation does not mutate the old record', async () => {
    const { opts } = setup();
    const pair = await generateSigningKey('ES256');
    const old: Keys = {
      signingKey: { kid: 'a' },
      signingKeyPub: { kid: 'a' },
      verificationKeys: [{ publicKey: { kid: 'z' }, expiry: new Date(T0 - 1) }],
      nextRotation: new Date(T0),
    };
    const snapshot = structuredClone(old);
    const next = applyRotation(old, pair, new Date(T0), opts);
    assert.deepEqual(old, snapshot);
    assert.deepEqual(next.verificationKeys.map((v) => v.publicKey.kid), ['a']);
  });
});
