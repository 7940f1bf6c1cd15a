/**
 * The dispatcher's MFA gate, as the mfa feature meets it: a client whose chain is non-empty goes to
 * `/mfa?req&hmac` (a verifier for the MFA step only) after login; once the request is marked MFA-validated (what
 * the mfa feature does at the end) the continue link issues the code, and the tokens say how the user
 * authenticated (`amr` ["pwd","otp","mfa"], `acr`). Under `prompt=none` MFA is `interaction_required`.
 * The mfa pages themselves are the mfa feature's; here the test marks the request as they would.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeJwt } from 'jose';
import { continueURL, STEP, verifyStep } from '../../../src/server/sessions/step-mac.js';
import { MFA_ACR } from '../../../src/server/sessions/auth-methods.js';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { readForm, UserAgent } from '../../helpers/user-agent.js';
import { ALICE, sessionsConfig } from './sessions.config.js';
import { errorOf, isApproval, redeem, start } from './sessions-rp.js';

let f: TestFerry;
before(async () => {
  const base = await sessionsConfig({ extra: 'mfa:\n  authenticators:\n  - {id: totp, type: TOTP, config: {issuer: Ferry}}\n' });
  f = await startTestFerry((issuer, listen) => base(issuer, listen).replace('redirectURIs: ["http://127.0.0.1:5555/callback"], ssoSharedWith: [app-b]}', 'redirectURIs: ["http://127.0.0.1:5555/callback"], ssoSharedWith: [app-b], mfaChain: [totp]}'));
});
after(() => f?.stop());

test('MFA first, then consent, then the code; amr and acr in the tokens; prompt=none is interaction_required', async () => {
  const ua = new UserAgent(f.issuer);
  const s = await start(ua, f.issuer, 'app-a');
  const form = readForm(s.page);
  delete form.fields.remember_me;
  const posted = await ua.request(form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form.fields, login: ALICE.email, password: ALICE.password }).toString(),
  });
  const cont = new URL(posted.headers.get('location') ?? '', f.issuer);
  const toMFA = await ua.request(cont.href);
  assert.equal(toMFA.status, 303);
  const mfa = new URL(toMFA.headers.get('location') ?? '', f.issuer);
  assert.equal(mfa.pathname, '/dex/mfa');
  const storage = f.ferry.deps.storage;
  const authReq = await storage.getAuthRequest(mfa.searchParams.get('req') ?? '');
  assert.ok(verifyStep(authReq, mfa.searchParams.get('hmac') ?? '', STEP.mfa), 'the MFA entry\'s verifier');
  assert.equal(verifyStep(authReq, mfa.searchParams.get('hmac') ?? '', STEP.continue), false, 'and only that');
  assert.equal((await ua.request(cont.href)).headers.get('location'), toMFA.headers.get('location'), 'no way round MFA');

  await storage.updateAuthRequest(authReq.id, (a) => ({ ...a, mfaValidated: true }));
  const approval = await ua.browse(new URL(continueURL('/dex', authReq), f.issuer).href);
  assert.ok(isApproval(approval), 'after MFA: consent');
  const done = await ua.submit(readForm(approval), { approval: 'approve' });
  const { tokens, claims } = await redeem(s, done);
  assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
  assert.equal(claims.acr, MFA_ACR);
  assert.deepEqual(decodeJwt(tokens.access_token).amr, ['pwd', 'otp', 'mfa']);

  const silent = await start(ua, f.issuer, 'app-a', 'openid email', { prompt: 'none' });
  assert.equal(errorOf(silent.page), 'interaction_required', 'a new login of this client needs MFA again');
  const b = await start(ua, f.issuer, 'app-b');
  assert.ok(isApproval(b.page), 'app-b asks for no MFA (it has no chain and there is no default)');
  const { claims: atB } = await redeem(b, await ua.submit(readForm(b.page), { approval: 'approve' }));
  assert.equal(atB.amr, undefined, 'no MFA, no amr: dex\'s claim set');
});
