import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMemoryStorage } from '../../storage/memory/index.js';
import { revokeGrant } from './grant-revocation.js';
import { checkOpaqueAccessToken, issueOpaqueAccessToken, looksOpaque, opaqueTokenId, revokeOpaqueAccessToken } from './opaque-access-token.js';

const T0 = new Date(Date.UTC(2026, 0, 1));
const later = (ms: number) => new Date(T0.getTime() + ms);
const claims = { iss: 'https://id.example.com', sub: 'u', aud: 'app', ferry_grant: 'g1' };

test('a token is 256 random bits after ferry_at_, stored only by its hash, with its claims until expiry', async () => {
  const storage = openMemoryStorage();
  const token = await issueOpaqueAccessToken(storage, claims, 'app', 'g1', later(60_000));
  assert.ok(looksOpaque(token));
  assert.equal(Buffer.from(token.slice('ferry_at_'.length), 'base64url').length, 32);
  const stored = await storage.findAccessToken(opaqueTokenId(token));
  assert.deepEqual(stored, { id: opaqueTokenId(token), clientId: 'app', grantId: 'g1', claims, expiry: later(60_000) });
  assert.ok(!JSON.stringify(stored).includes(token.slice(9)), 'the value itself is not stored');
  assert.deepEqual(await checkOpaqueAccessToken(storage, token, later(59_999)), claims);
  assert.equal(await checkOpaqueAccessToken(storage, token, later(60_000)), null, 'expired at expiry');
  assert.notEqual(await issueOpaqueAccessToken(storage, claims, 'app', 'g1', later(1)), token);
});

test('shapes that are not opaque tokens never reach storage; unknown ones are null', async () => {
  const storage = openMemoryStorage();
  for (const t of ['', 'a.b.c', 'ferry_at_short', `ferry_at_${'A'.repeat(42)}=`, `FERRY_AT_${'A'.repeat(43)}`]) assert.equal(looksOpaque(t), false, t);
  assert.equal(await checkOpaqueAccessToken(storage, `ferry_at_${'A'.repeat(43)}`, T0), null);
});

test('revocation: only by its client; revoking its grant stops it too', async () => {
  const storage = openMemoryStorage();
  const token = await issueOpaqueAccessToken(storage, claims, 'app', 'g1', later(60_000));
  assert.equal(await revokeOpaqueAccessToken(storage, token, 'other'), false);
  assert.ok(await checkOpaqueAccessToken(storage, token, T0));
  assert.equal(await revokeOpaqueAccessToken(storage, token, 'app'), true);
  assert.equal(await checkOpaqueAccessToken(storage, token, T0), null);
  assert.equal(await revokeOpaqueAccessToken(storage, token, 'app'), false, 'gone');

  const second = await issueOpaqueAccessToken(storage, claims, 'app', 'g1', later(60_000));
  await revokeGrant(storage, 'g1', 'app', later(60_000));
  assert.equal(await checkOpaqueAccessToken(storage, second, T0), null);
});
