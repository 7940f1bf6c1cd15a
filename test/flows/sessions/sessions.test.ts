/**
 * Browser sessions as relying parties see them (openid-client as the client, a scripted browser): single sign-on
 * between clients per `ssoSharedWith` (one-way, not transitive), remembered consent, and OIDC Core §3.1.2.1's
 * `prompt`, `max_age` and `id_token_hint` against a signed-in browser; `sid` and `auth_time` in the tokens.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { UserAgent } from '../../helpers/user-agent.js';
import { ALICE, BOB, sessionsConfig } from './sessions.config.js';
import { approve, errorOf, isApproval, isPasswordForm, logIn, redeem, start } from './sessions-rp.js';

let f: TestFerry;
before(async () => {
  f = await startTestFerry(await sessionsConfig());
});
after(() => f?.stop());

/** A new browser signed in to `app-a` as `user` (approved); returns it with the ID token and its claims. */
async function signedIn(user = ALICE, scope = 'openid email') {
  const ua = new UserAgent(f.issuer);
  const s = await start(ua, f.issuer, 'app-a', scope);
  let page = await logIn(ua, s.page, user);
  if (isApproval(page)) page = await approve(ua, page);
  const { tokens, claims } = await redeem(s, page);
  return { ua, idToken: tokens.id_token ?? '', claims, accessToken: tokens.access_token };
}

describe('single sign-on', () => {
  test('signed in to app-a, the browser reaches app-b without a password; app-c still asks (not transitive)', async () => {
    const { ua, claims } = await signedIn();
    assert.equal(typeof claims.sid, 'string', 'the ID token names the session');
    const b = await start(ua, f.issuer, 'app-b');
    assert.ok(isApproval(b.page), 'no password form: straight to consent for app-b');
    const { claims: atB } = await redeem(b, await approve(ua, b.page));
    assert.equal(atB.sub, claims.sub);
    assert.equal(atB.sid, claims.sid, 'same browser session');
    assert.equal(atB.auth_time, claims.auth_time, 'SSO keeps the time of the real login');
    const c = await start(ua, f.issuer, 'app-c');
    assert.ok(isPasswordForm(c.page), 'app-b got its sign-in through SSO, so it cannot pass it on to app-c');
  });

  test('sharing is one-way: signed in to app-b only, app-a asks for the password', async () => {
    const ua = new UserAgent(f.issuer);
    const b = await start(ua, f.issuer, 'app-b');
    const page = await logIn(ua, b.page, BOB);
    await redeem(b, isApproval(page) ? await approve(ua, page) : page);
    assert.ok(isPasswordForm((await start(ua, f.issuer, 'app-a')).page));
  });

  test('a client named toString gets no sign-in it was never given (no state inherited from Object.prototype)', async () => {
    const { ua } = await signedIn();
    const t = await start(ua, f.issuer, 'toString');
    assert.ok(isPasswordForm(t.page), 'the session holds no state for it and nothing shares with it');
    const page = await logIn(ua, t.page, ALICE);
    const { claims } = await redeem(t, isApproval(page) ? await approve(ua, page) : page);
    assert.equal(claims.aud, 'toString');
  });

  test('the access token carries sid too', async () => {
    const { claims, accessToken } = await signedIn();
    assert.equal(decodeJwt(accessToken).sid, claims.sid);
  });
});

describe('remembered consent', () => {
  test('approval is shown once, again when the scopes grow, and under prompt=consent', async () => {
    const { ua } = await signedIn(BOB);
    const again = await start(ua, f.issuer, 'app-a');
    assert.ok(again.page.redirect, 'same scopes: straight back to the client');
    await redeem(again, again.page);
    const more = await start(ua, f.issuer, 'app-a', 'openid email profile');
    assert.ok(isApproval(more.page), 'a new scope needs approval');
    await redeem(more, await approve(ua, more.page));
    const forced = await start(ua, f.issuer, 'app-a', 'openid email', { prompt: 'consent' });
    assert.ok(isApproval(forced.page), 'prompt=consent shows it whatever was remembered');
    const fewer = await start(ua, f.issuer, 'app-a', 'openid');
    assert.ok(fewer.page.redirect, 'fewer scopes than approved: no page');
  });

  test('denying sends access_denied to the client', async () => {
    const { ua } = await signedIn(BOB);
    const s = await start(ua, f.issuer, 'app-a', 'openid email groups');
    assert.ok(isApproval(s.page));
    const { readForm } = await import('../../helpers/user-agent.js');
    const denied = await ua.submit(readForm(s.page), { approval: 'deny' });
    assert.equal(errorOf(denied), 'access_denied');
  });
});

describe('prompt', () => {
  test('prompt=none: silent with a session, login_required without one', async () => {
    const { ua, claims } = await signedIn();
    const silent = await start(ua, f.issuer, 'app-a', 'openid email', { prompt: 'none' });
    const { claims: again } = await redeem(silent, silent.page);
    assert.equal(again.sid, claims.sid);
    const stranger = await start(new UserAgent(f.issuer), f.issuer, 'app-a', 'openid email', { prompt: 'none' });
    assert.equal(errorOf(stranger.page), 'login_required');
  });

  test('prompt=none needing consent answers consent_required, and reaching an unshared client login_required', async () => {
    const { ua } = await signedIn();
    const more = await start(ua, f.issuer, 'app-a', 'openid email groups', { prompt: 'none' });
    assert.equal(errorOf(more.page), 'consent_required');
    const c = await start(ua, f.issuer, 'app-c', 'openid', { prompt: 'none' });
    assert.equal(errorOf(c.page), 'login_required');
  });

  test('prompt=login and prompt=select_account show the login instead of reusing the session', async () => {
    const { ua, claims } = await signedIn();
    const login = await start(ua, f.issuer, 'app-a', 'openid email', { prompt: 'login' });
    assert.ok(isPasswordForm(login.page));
    const { claims: after } = await redeem(login, await logIn(ua, login.page, ALICE));
    assert.equal(after.sid, claims.sid, 'the same user again keeps the browser session');
    assert.ok(isPasswordForm((await start(ua, f.issuer, 'app-a', 'openid email', { prompt: 'select_account' })).page));
  });
});

describe('max_age', () => {
  test('an older login means signing in again; auth_time is in the ID token and checked by the client', async () => {
    const { ua, claims } = await signedIn();
    assert.equal(typeof claims.auth_time, 'number');
    const fresh = await start(ua, f.issuer, 'app-a', 'openid email', { max_age: '3600' });
    const { claims: kept } = await redeem(fresh, fresh.page);
    assert.equal(kept.auth_time, claims.auth_time, 'silent: the original login time');
    await new Promise((r) => setTimeout(r, 2100));
    const stale = await start(ua, f.issuer, 'app-a', 'openid email', { max_age: '1' });
    assert.ok(isPasswordForm(stale.page), 'login older than max_age');
    const { claims: renewed } = await redeem(stale, await logIn(ua, stale.page, ALICE));
    assert.ok(Number(renewed.auth_time) > Number(claims.auth_time), 'a new auth_time');
    const silentStale = await start(ua, f.issuer, 'app-a', 'openid email', { max_age: '0', prompt: 'none' });
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(errorOf(silentStale.page), 'login_required');
  });
});

describe('id_token_hint', () => {
  test('the same user: silent; another user: the session is ignored; with prompt=none: login_required', async () => {
    const alice = await signedIn(ALICE);
    const bob = await signedIn(BOB);
    const same = await start(alice.ua, f.issuer, 'app-a', 'openid email', { id_token_hint: alice.idToken, prompt: 'none' });
    await redeem(same, same.page);
    const other = await start(alice.ua, f.issuer, 'app-a', 'openid email', { id_token_hint: bob.idToken });
    assert.ok(isPasswordForm(other.page), "bob's hint in alice's browser: log in");
    const otherSilent = await start(alice.ua, f.issuer, 'app-a', 'openid email', { id_token_hint: bob.idToken, prompt: 'none' });
    assert.equal(errorOf(otherSilent.page), 'login_required');
  });

  test('a hint Ferry did not sign is invalid_request', async () => {
    const alice = await signedIn(ALICE);
    const [h, p] = alice.idToken.split('.');
    const forged = await start(alice.ua, f.issuer, 'app-a', 'openid email', { id_token_hint: `${h}.${p}.AAAA` });
    assert.equal(errorOf(forged.page), 'invalid_request');
  });
});
