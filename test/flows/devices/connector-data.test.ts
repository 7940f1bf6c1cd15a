/**
 * An upstream that rotates its own refresh token (connector data, kept once per user and connector on
 * OfflineSessions) must see the latest value whichever device refreshes: an older device, which dex's own entry
 * does not name, records the new data as the newest one does, and its entry's last use is kept.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { issueRefreshToken } from '../../../src/server/tokens/refresh-store.js';
import { decodeRefreshToken } from '../../../src/server/tokens/refresh-token-wire.js';
import { keyOfToken } from '../../../src/server/tokens/devices.js';
import { APP_SECRET, claims, tokenFixture, type TokenFixture } from '../token/token.config.js';

let f: TokenFixture;
before(async () => {
  f = await tokenFixture();
  // Sessions on: one token per device (what the config loader sets unless DEX_SESSIONS_ENABLED=false).
  (f.deps.config as { sessions?: unknown }).sessions = { cookieName: 'dex_session' };
});
after(() => f?.close());

const refresh = async (token: string) => {
  const payload = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: 'app', client_secret: APP_SECRET }).toString();
  const res = await f.app.inject({ method: 'POST', url: '/dex/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload });
  assert.equal(res.statusCode, 200, res.body);
  return String((JSON.parse(res.body) as { refresh_token: string }).refresh_token);
};

test("an older device's refresh saves the upstream's new data for every device", async () => {
  const issue = (sessionId: string) =>
    issueRefreshToken(f.deps, {
      clientId: 'app', connectorId: 'spy', claims: claims(), scopes: ['openid', 'offline_access'], nonce: '', sessionId,
      connectorData: new TextEncoder().encode('login-data'),
    });
  const older = await issue('laptop-1');
  f.advance(1000);
  const newer = await issue('laptop-2');
  const userId = claims().userId;
  let session = await f.storage.getOfflineSessions(userId, 'spy');
  assert.equal(keyOfToken(session.refresh, decodeRefreshToken(older).id), `ferry-device:${decodeRefreshToken(older).id}`);

  f.advance(1000);
  await refresh(older);
  assert.equal(f.spy.lastData, 'login-data');
  session = await f.storage.getOfflineSessions(userId, 'spy');
  assert.equal(new TextDecoder().decode(session.connectorData ?? undefined), 'data-1', 'the older device recorded the new data');
  assert.equal(session.refresh[`ferry-device:${decodeRefreshToken(older).id}`]?.lastUsed.getTime(), f.deps.now().getTime());

  await refresh(newer);
  assert.equal(f.spy.lastData, 'data-1', 'the newest device refreshes with the data the older one saved');
});
