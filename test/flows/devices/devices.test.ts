/**
 * dex issue #981 as a user meets it: `kubectl` logged in on two laptops (two Chromium profiles, openid-client as
 * the relying party). With sessions on both keep a working refresh token, each listed by the gRPC API's
 * ListRefresh, and revoking one (RFC 7009, as `kubectl` would on logout) leaves the other working. With
 * `DEX_SESSIONS_ENABLED=false` dex's rule holds: the second login ends the first laptop's token. A script logging in
 * in a loop (password grant, no browser session) stays within the cap of devices per client.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { refreshRpcs } from '../../../src/api/refresh.js';
import { DEVICES_PER_CLIENT } from '../../../src/server/tokens/devices.js';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';
import { ANN, login, refresh, startDevices, type DevicesSetup } from './devices.config.js';

let laptop1: TestBrowser;
let laptop2: TestBrowser;

before(async () => {
  laptop1 = await launchBrowser('devices/laptop-1');
  laptop2 = await launchBrowser('devices/laptop-2');
});
after(async () => {
  await laptop1?.close();
  await laptop2?.close();
});

const refreshToken = (t: { refresh_token?: string }): string => {
  assert.ok(t.refresh_token, 'a refresh token was issued');
  return t.refresh_token;
};

describe('sessions on: one refresh token per device', () => {
  let s: DevicesSetup;
  before(async () => (s = await startDevices(true)));
  after(() => s?.stop());

  test('two laptops each keep a working refresh token; revoking one leaves the other working', async () => {
    const t1 = refreshToken(await login(await laptop1.page(), s.kubectl, ANN));
    const t2 = refreshToken(await login(await laptop2.page(), s.kubectl, ANN));
    assert.notEqual(t1, t2);

    const r1 = await refresh(s.kubectl, t1);
    const r2 = await refresh(s.kubectl, t2);
    assert.ok(typeof r1 !== 'string', `laptop 1 refreshes: ${String(r1)}`);
    assert.ok(typeof r2 !== 'string', `laptop 2 refreshes: ${String(r2)}`);
    assert.equal(r1.claims()?.email, ANN.email);

    // The API lists one token per device of the client.
    const api = refreshRpcs({ storage: s.f.ferry.deps.storage, now: () => new Date() } as Parameters<typeof refreshRpcs>[0]);
    const listed = await api.listRefresh({ userId: encodeSubject(ANN.userId, 'local') } as never, {} as never);
    assert.deepEqual((listed.refreshTokens ?? []).map((r) => r.clientId), ['kubectl', 'kubectl']);

    // Laptop 1 logs out: its client revokes its own token (RFC 7009).
    await client.tokenRevocation(s.kubectl.config, refreshToken(r1), { token_type_hint: 'refresh_token' });
    assert.equal(await refresh(s.kubectl, refreshToken(r1)), 'invalid_request', 'the revoked device is refused');
    const again = await refresh(s.kubectl, refreshToken(r2));
    assert.ok(typeof again !== 'string', `laptop 2 still refreshes: ${String(again)}`);
  });

  test('a new login from the same browser replaces that browser’s token, not the other laptop’s', async () => {
    const page2 = await laptop2.page();
    const before2 = refreshToken(await login(page2, s.kubectl, ANN));
    const other = refreshToken(await login(await laptop1.page(), s.kubectl, ANN));
    const after2 = refreshToken(await login(page2, s.kubectl, ANN));
    assert.equal(await refresh(s.kubectl, before2), 'invalid_request', 'the same browser’s earlier token is replaced');
    for (const t of [other, after2]) assert.ok(typeof (await refresh(s.kubectl, t)) !== 'string');
  });

  test('a script logging in over and over keeps at most 20 devices: the oldest is evicted', async () => {
    const grant = () => client.genericGrantRequest(s.dashboard.config, 'password', { username: ANN.email, password: ANN.password, scope: 'openid offline_access' });
    const first = refreshToken(await grant());
    const second = refreshToken(await grant());
    for (let i = 0; i < DEVICES_PER_CLIENT - 1; i++) await grant();
    assert.equal(await refresh(s.dashboard, first), 'invalid_request', 'the oldest device is evicted');
    assert.ok(typeof (await refresh(s.dashboard, second)) !== 'string', 'the second oldest is the 20th and still works');
    const session = await s.f.ferry.deps.storage.getOfflineSessions(ANN.userId, 'local');
    assert.equal(Object.values(session.refresh).filter((r) => r.clientId === 'dashboard').length, DEVICES_PER_CLIENT);
  });
});

describe("DEX_SESSIONS_ENABLED=false: dex's one token per user and client", () => {
  let s: DevicesSetup;
  before(async () => (s = await startDevices(false)));
  after(() => s?.stop());

  test('the second laptop’s login ends the first laptop’s refresh token', async () => {
    const t1 = refreshToken(await login(await laptop1.page(), s.kubectl, ANN));
    const t2 = refreshToken(await login(await laptop2.page(), s.kubectl, ANN));
    assert.equal(await refresh(s.kubectl, t1), 'invalid_request', 'dex answers invalid_request for a replaced token');
    assert.ok(typeof (await refresh(s.kubectl, t2)) !== 'string', 'the newest login works');
  });
});
