import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLocalSigner } from '../../keys/local.js';
import { silentLogger } from '../../lib/logger.js';
import { openMemoryStorage } from '../../storage/memory/index.js';
import { revokeJwt } from './access-tokens.js';
import { revokeGrant } from './grant-revocation.js';
import { createAccessTokenChecker } from './token-checker.js';

const ISS = 'http://127.0.0.1:5556/dex';

async function setup(maxEntries?: number) {
  let t = Date.UTC(2026, 0, 1);
  const now = () => new Date(t);
  const storage = openMemoryStorage();
  const signer = createLocalSigner({ storage, algorithm: 'ES256', rotationPeriod: 3600e3, idTokensValidFor: 3600e3, logger: silentLogger(), now });
  let verifies = 0;
  const counting = { ...signer, verify: (jwt: string) => ((verifies += 1), signer.verify(jwt)) };
  const checker = createAccessTokenChecker({ signer: counting, issuer: ISS, storage, now, recheckMs: 2000, ...(maxEntries ? { maxEntries } : {}) });
  const iat = Math.floor(t / 1000);
  const mint = (claims: Record<string, unknown>) => signer.sign({ iss: ISS, sub: 'u', aud: 'app', iat, exp: iat + 60, jti: 'j1', ...claims });
  return { storage, checker, mint, advance: (ms: number) => (t += ms), verifies: () => verifies };
}

test('a token is verified once and remembered; garbage and foreign issuers are refused', async () => {
  const s = await setup();
  const token = await s.mint({});
  for (let i = 0; i < 5; i++) assert.equal((await s.checker.check(token))?.sub, 'u');
  assert.equal(s.verifies(), 1);
  assert.equal(await s.checker.check('a.b.c'), null);
  assert.equal(await s.checker.check(await s.mint({ iss: 'https://evil' })), null);
});

test('an expired token is refused even when remembered', async () => {
  const s = await setup();
  const token = await s.mint({});
  assert.ok(await s.checker.check(token));
  s.advance(61_000);
  assert.equal(await s.checker.check(token), null);
});

test('a revocation elsewhere shows within the recheck window; forget() makes a local one immediate', async () => {
  const s = await setup();
  const token = await s.mint({});
  const claims = await s.checker.check(token);
  assert.ok(claims);
  await revokeJwt(s.storage, claims, 'app');
  assert.ok(await s.checker.check(token), 'still remembered as not revoked inside the window');
  s.advance(2000);
  assert.equal(await s.checker.check(token), null, 'refused after the window');

  const other = await s.mint({ jti: 'j2' });
  const c2 = await s.checker.check(other);
  assert.ok(c2);
  await revokeJwt(s.storage, c2, 'app');
  s.checker.forget('j2');
  assert.equal(await s.checker.check(other), null, 'refused at once after forget');
});

// bench/lib/token-workloads.ts relies on this: more distinct tokens than the memory holds, cycled in order, verify on
// every call, so the bench's userinfo row measures verification and not the memory.
test('the memory is bounded: cycling more tokens than it holds verifies every call, fewer once each', async () => {
  const s = await setup(4);
  const many = await Promise.all(Array.from({ length: 6 }, (_, i) => s.mint({ jti: `m${i}` })));
  for (let pass = 0; pass < 3; pass++) for (const t of many) assert.ok(await s.checker.check(t));
  assert.equal(s.verifies(), 18);
  const few = many.slice(0, 4);
  for (let pass = 0; pass < 3; pass++) for (const t of few) assert.ok(await s.checker.check(t));
  assert.equal(s.verifies(), 18 + 4);
});

test('a revoked grant or a revoked jti each refuse the token (one denylist read asks for both)', async () => {
  const s = await setup();
  const byGrant = await s.mint({ jti: 'g-1', ferry_grant: 'grant-a' });
  const byJti = await s.mint({ jti: 'j-1', ferry_grant: 'grant-b' });
  const neither = await s.mint({ jti: 'n-1', ferry_grant: 'grant-c' });
  await revokeGrant(s.storage, 'grant-a', 'app', new Date(Date.UTC(2026, 0, 2)));
  await revokeJwt(s.storage, { jti: 'j-1', exp: Math.floor(Date.UTC(2026, 0, 2) / 1000) }, 'app');
  assert.equal(await s.checker.check(byGrant), null);
  assert.equal(await s.checker.check(byJti), null);
  assert.equal((await s.checker.check(neither))?.jti, 'n-1');
});
