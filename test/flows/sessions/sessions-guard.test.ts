/**
 * What must not work with sessions on, and what `DEX_SESSIONS_ENABLED=false` gives back. Attacks: a forged or
 * tampered session cookie, a cookie from before an idle timeout, a dispatcher link with a wrong verifier or used
 * from another browser, a consent verifier replayed as the dispatcher's. Flag off: dex v2.45.1's flow exactly, no
 * session cookie, every login asks again, `prompt=none` is `login_required`, `/auth?req&hmac` is no dispatcher.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEX_V2_45_ENV, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { readForm, UserAgent } from '../../helpers/user-agent.js';
import { ALICE, sessionsConfig } from './sessions.config.js';
import { approve, errorOf, isApproval, isPasswordForm, logIn, redeem, start } from './sessions-rp.js';

describe('attacks on the session and the dispatcher', () => {
  let f: TestFerry;
  before(async () => {
    f = await startTestFerry(await sessionsConfig({ extra: 'sessions:\n  validIfNotUsedFor: 2s\n  absoluteLifetime: 1h\n' }));
  });
  after(() => f?.stop());

  test('a forged or tampered cookie is refused cleanly (login form, cookie cleared), never a 500', async () => {
    const ua = new UserAgent(f.issuer);
    const s = await start(ua, f.issuer, 'app-a');
    await redeem(s, await approve(ua, await logIn(ua, s.page, ALICE)));
    const real = ua.jar.get('dex_session') ?? '';
    assert.ok(real.length > 20, 'the session cookie is set');
    for (const bad of [`${real.slice(0, -2)}xx`, 'CgRzZXNzEgZzM2NyM3Q', '%00%ff', 'A'.repeat(3000)]) {
      ua.jar.set('dex_session', bad);
      const page = (await start(ua, f.issuer, 'app-a')).page;
      assert.ok(isPasswordForm(page), `refused: ${bad.slice(0, 20)}`);
      assert.equal(ua.jar.get('dex_session'), '', 'the bad cookie is cleared');
    }
  });

  test('a session idle longer than validIfNotUsedFor is over', async () => {
    const ua = new UserAgent(f.issuer);
    const s = await start(ua, f.issuer, 'app-a');
    const page = await logIn(ua, s.page, ALICE);
    await redeem(s, isApproval(page) ? await approve(ua, page) : page); // consent may be remembered from the test before
    const silent = await start(ua, f.issuer, 'app-a', 'openid email', { prompt: 'none' });
    await redeem(silent, silent.page);
    await new Promise((r) => setTimeout(r, 2500));
    const late = await start(ua, f.issuer, 'app-a', 'openid email', { prompt: 'none' });
    assert.equal(errorOf(late.page), 'login_required');
  });

  test('a locked identity (blockedUntil, as dex HEAD stores it) signs in neither from the session nor with a password', async () => {
    const ua = new UserAgent(f.issuer);
    const s = await start(ua, f.issuer, 'app-a');
    const page = await logIn(ua, s.page, ALICE);
    await redeem(s, isApproval(page) ? await approve(ua, page) : page);
    const storage = f.ferry.deps.storage;
    await storage.updateUserIdentity(ALICE.userId, 'local', (ui) => ({ ...ui, blockedUntil: new Date(Date.now() + 3_600_000) }));
    try {
      const again = await start(ua, f.issuer, 'app-a');
      assert.ok(isPasswordForm(again.page), 'the session does not sign a locked user in');
      const refused = await logIn(ua, again.page, ALICE);
      assert.equal(refused.status, 403);
      assert.match(refused.html, /locked/);
    } finally {
      await storage.updateUserIdentity(ALICE.userId, 'local', (ui) => ({ ...ui, blockedUntil: null }));
    }
  });

  test('the dispatcher refuses a wrong verifier, the consent page\'s verifier and another browser', async () => {
    const ua = new UserAgent(f.issuer);
    const s = await start(ua, f.issuer, 'app-a', 'openid email profile');
    const form = readForm(s.page);
    delete form.fields.remember_me;
    const posted = await ua.request(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form.fields, login: ALICE.email, password: ALICE.password }).toString(),
    });
    assert.equal(posted.status, 303);
    const cont = new URL(posted.headers.get('location') ?? '', f.issuer);
    assert.equal(cont.pathname, '/dex/auth');
    const req = cont.searchParams.get('req') ?? '';
    const tampered = await ua.browse(`${f.issuer}/auth?req=${req}&hmac=${'A'.repeat(43)}`);
    assert.equal(tampered.status, 400);
    const approval = await ua.browse(cont.href);
    assert.ok(isApproval(approval));
    const approvalMac = new URL(approval.url).searchParams.get('hmac') ?? '';
    const replayed = await ua.browse(`${f.issuer}/auth?req=${req}&hmac=${approvalMac}`);
    assert.equal(replayed.status, 400, 'the approval step\'s verifier does not approve');
    const thief = await new UserAgent(f.issuer).browse(cont.href);
    assert.equal(thief.status, 403, 'another browser cannot continue this login');
  });
});

describe('DEX_SESSIONS_ENABLED=false: dex v2.45.1', () => {
  let f: TestFerry;
  before(async () => {
    f = await startTestFerry(await sessionsConfig(), { env: DEX_V2_45_ENV });
  });
  after(() => f?.stop());

  test('no session: every login asks for the password and approval; prompt=none is login_required', async () => {
    const ua = new UserAgent(f.issuer);
    for (let i = 0; i < 2; i++) {
      const s = await start(ua, f.issuer, 'app-a');
      assert.ok(isPasswordForm(s.page), `login ${i + 1} asks for the password`);
      assert.doesNotMatch(s.page.html, /remember_me/, 'no remember-me box');
      const approval = await logIn(ua, s.page, ALICE);
      assert.ok(isApproval(approval), `login ${i + 1} shows the approval page`);
      assert.equal(new URL(approval.url).pathname, '/dex/approval');
      await redeem(s, await approve(ua, approval));
      assert.equal(ua.jar.has('dex_session'), false, 'no session cookie');
    }
    const silent = await start(ua, f.issuer, 'app-a', 'openid email', { prompt: 'none' });
    assert.equal(errorOf(silent.page), 'login_required');
  });

  test('discovery as dex v2.45.1: no prompt_values_supported, no sid; /auth?req&hmac is not a dispatcher', async () => {
    const doc = (await (await fetch(`${f.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(doc.prompt_values_supported, undefined);
    assert.equal((doc.claims_supported as string[]).includes('sid'), false);
    const r = await fetch(`${f.issuer}/auth?req=abc&hmac=def`, { redirect: 'manual' });
    assert.equal(r.status, 400);
  });
});
