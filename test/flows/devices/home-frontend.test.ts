/**
 * The home page with an operator's dex-format frontend dir (test/fixtures/dex-frontend/custom, written for dex
 * v2.45.1, so without dex master's home.html): Ferry starts as before and serves its own home page to a browser
 * holding a session cookie, and the landing page to one without.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { encodeSessionCookie } from '../../../src/server/sessions/session-cookie.js';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { dexFrontendConfig, USER } from '../dex-frontend/dex-frontend.config.js';

let f: TestFerry;
before(async () => {
  f = await startTestFerry(await dexFrontendConfig('custom', { skipApproval: true }), { env: { DEX_SESSIONS_ENABLED: 'true' } });
});
after(() => f?.stop());

test("a dex template dir without home.html keeps working: Ferry's page for a session, the landing page without", async () => {
  const now = new Date();
  const later = new Date(now.getTime() + 3_600_000);
  const session = {
    id: 'home-frontend-session', secret: 'a-secret-only-this-browser-has', userId: USER.userId, connectorId: 'local',
    clientStates: {}, createdAt: now, lastActivity: now, ipAddress: '127.0.0.1', userAgent: 'test <agent>',
    absoluteExpiry: later, idleExpiry: later, logoutState: null,
  };
  await f.ferry.deps.storage.createAuthSession(session);
  const claims = { userId: USER.userId, username: 'ada', preferredUsername: '', email: USER.email, emailVerified: true, groups: [] };
  const key = {
    credentialId: 'cred-1', publicKey: new Uint8Array([1]), attestationType: 'none', aaguid: '', signCount: 0, cloneWarning: false,
    transport: [], backupEligible: false, backupState: false, displayName: 'Ada’s <security key>', createdAt: now,
  };
  await f.ferry.deps.storage.createUserIdentity({
    userId: USER.userId, connectorId: 'local', claims, consents: {}, createdAt: now, lastLogin: now, blockedUntil: null,
    mfaSecrets: { 'totp-1': { type: 'TOTP', secret: 'sealed', confirmed: true, createdAt: now, lastUsedCounter: 0 } },
    webauthnCredentials: { passkey: [key] },
    backupCodes: null,
  } as Parameters<typeof f.ferry.deps.storage.createUserIdentity>[0]);
  const cookie = `dex_session=${encodeSessionCookie(session.id, session.secret, Buffer.alloc(0))}`;

  const signedIn = await fetch(`${f.issuer}/`, { headers: { cookie } });
  assert.equal(signedIn.status, 200);
  const page = await signedIn.text();
  assert.match(page, /<h2>Your sessions<\/h2>/);
  assert.match(page, /test &lt;agent&gt;/, 'values are escaped');
  assert.doesNotMatch(page, /test <agent>/);
  assert.match(page, /Signed in as ada/);
  assert.match(page, /<li>TOTP <span class="muted">totp-1<\/span>/, 'the TOTP enrolment is listed');
  assert.match(page, /<li>WebAuthn <span class="muted">Ada’s &lt;security key&gt;<\/span>/, 'the passkey is listed by its name');
  assert.doesNotMatch(page, /sealed/, 'no secret reaches the page');

  const forged = await fetch(`${f.issuer}/`, { headers: { cookie: `dex_session=${encodeSessionCookie(session.id, 'guessed', Buffer.alloc(0))}` } });
  assert.match(await forged.text(), /id="sign-in-hint"/, 'a cookie with the wrong secret is no session');
});
