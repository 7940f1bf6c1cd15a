/**
 * The home page at the issuer URL in real Chromium (docs/devices.md): it lists the browser's session and the
 * connected applications with their devices; revoking an application or one device ends exactly those refresh
 * tokens; sign out here clears the cookie so the next login asks for the password; sign out everywhere ends the
 * user's other browsers too, and the dashboard receives a verified back-channel logout token for each ended
 * session. Attack regressions: a cross-site or token-less POST changes nothing, one user cannot revoke another's
 * device by its id, and no other name (inherited member names included, and 150 generated ones) revokes anything.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Page } from 'playwright-core';
import { decodeRefreshToken } from '../../../src/server/tokens/refresh-token-wire.js';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';
import { ANN, BOB, login, refresh, startDevices, type DevicesSetup } from './devices.config.js';

let s: DevicesSetup;
let laptop1: TestBrowser;
let laptop2: TestBrowser;

before(async () => {
  s = await startDevices(true);
  laptop1 = await launchBrowser('devices/home-1');
  laptop2 = await launchBrowser('devices/home-2');
});
after(async () => {
  await laptop1?.close();
  await laptop2?.close();
  await s?.stop();
});

const home = (p: Page) => p.goto(`${s.f.issuer}/`);
const works = async (token: string) => typeof (await refresh(s.kubectl, token)) !== 'string';
const idOf = (token: string) => decodeRefreshToken(token).id;
const rt = (t: { refresh_token?: string }) => t.refresh_token ?? assert.fail('no refresh token');

/** The browser's session cookie as a Cookie header, and the page's CSRF token. */
async function credentials(b: TestBrowser, p: Page): Promise<{ cookie: string; csrf: string }> {
  await home(p);
  const csrf = (await p.locator('input[name=csrf]').first().getAttribute('value')) ?? '';
  const cookie = (await b.context.cookies(s.f.issuer)).map((c) => `${c.name}=${c.value}`).join('; ');
  return { cookie, csrf };
}

const post = (action: string, form: Record<string, string>, headers: Record<string, string>) =>
  fetch(`${s.f.issuer}/home/${action}`, { method: 'POST', redirect: 'manual', body: new URLSearchParams(form), headers });

describe('the home page', () => {
  test('without a session: the landing page with a sign-in hint, and no CORS headers on the HTML', async () => {
    const r = await fetch(`${s.f.issuer}/`, { headers: { origin: 'http://elsewhere.example' } });
    assert.equal(r.status, 200);
    assert.match(await r.text(), /id="sign-in-hint"/);
    assert.equal(r.headers.get('access-control-allow-origin'), null, 'the page is not in the CORS scope');
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const discovery = await fetch(`${s.f.issuer}/.well-known/openid-configuration`, { headers: { origin: 'http://elsewhere.example' } });
    assert.equal(discovery.headers.get('access-control-allow-origin'), '*', 'the API routes keep theirs');
  });

  test('lists the session and the applications; revoking an application ends its refresh tokens', async () => {
    const page = await laptop1.page();
    const k = rt(await login(page, s.kubectl, ANN));
    const d = rt(await login(page, s.dashboard, ANN));
    await home(page);
    await laptop1.screenshot(page, '1-home.png');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Signed in as ann');
    assert.equal(await page.locator('tr.session').count(), 1);
    assert.match((await page.locator('tr.session[aria-current=true]').textContent()) ?? '', /this browser.*Chrom/i);
    assert.deepEqual(await page.locator('article.app h3').allTextContents(), ['Dashboard', 'Kubectl']);
    assert.equal(await page.locator('article.app[data-client=kubectl] tr.device').count(), 1);

    await page.getByRole('button', { name: 'Revoke Kubectl' }).click();
    await page.waitForURL(`${s.f.issuer}/`);
    assert.deepEqual(await page.locator('article.app h3').allTextContents(), ['Dashboard']);
    assert.equal(await works(k), false, "the revoked application's token is refused");
    assert.equal(typeof (await refresh(s.dashboard, d)), 'object', 'the other application keeps working');
  });

  test('revoking one device leaves the other laptop working', async () => {
    const [p1, p2] = [await laptop1.page(), await laptop2.page()];
    const t1 = rt(await login(p1, s.kubectl, ANN));
    const t2 = rt(await login(p2, s.kubectl, ANN));
    await home(p1);
    assert.equal(await p1.locator('article.app[data-client=kubectl] tr.device').count(), 2);
    await laptop1.screenshot(p1, '2-two-devices.png');
    await p1.getByRole('button', { name: `Revoke device ${idOf(t2)} of Kubectl` }).click();
    await p1.waitForURL(`${s.f.issuer}/`);
    assert.equal(await p1.locator('article.app[data-client=kubectl] tr.device').count(), 1);
    assert.equal(await works(t2), false);
    assert.equal(await works(t1), true);
  });

  test('attacks: a POST without the token or from another site, or naming another user’s device, changes nothing', async () => {
    const p1 = await laptop1.page();
    const victim = rt(await login(p1, s.kubectl, ANN));
    const ann = await credentials(laptop1, p1);
    const form = { csrf: ann.csrf, id: idOf(victim) };
    const refused = [
      await post('revoke-device', { id: idOf(victim) }, { cookie: ann.cookie }),
      await post('revoke-device', { ...form, csrf: 'forged' }, { cookie: ann.cookie }),
      await post('revoke-device', form, { cookie: ann.cookie, 'sec-fetch-site': 'cross-site' }),
      await post('revoke-device', form, { cookie: ann.cookie, origin: 'http://evil.example' }),
    ];
    assert.deepEqual(refused.map((r) => r.status), [403, 403, 403, 403]);
    assert.equal((await post('revoke-device', form, {})).status, 401, 'no session, no action');

    // Bob, signed in on the other laptop, names Ann's device with his own valid token.
    const p2 = await laptop2.page();
    await laptop2.context.clearCookies();
    await login(p2, s.kubectl, BOB);
    const bob = await credentials(laptop2, p2);
    const cross = await post('revoke-device', { csrf: bob.csrf, id: idOf(victim) }, { cookie: bob.cookie });
    assert.equal(cross.status, 404);
    assert.equal((await post('revoke-app', { csrf: bob.csrf, client_id: 'nope' }, { cookie: bob.cookie })).status, 404);
    // Names every object inherits are no application of his either (an `in` test found them on every map).
    for (const inherited of ['toString', 'constructor', 'hasOwnProperty']) {
      assert.equal((await post('revoke-app', { csrf: bob.csrf, client_id: inherited }, { cookie: bob.cookie })).status, 404, inherited);
    }
    // Any other name he posts, for either action: a 404, never a redirect ("revoked") or a 5xx.
    const names = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype), '__proto__', ' kubectl', 'KUBECTL'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('revoke-app', 'revoke-device'), names, async (action, name) => {
        fc.pre(name !== 'kubectl');
        const field = action === 'revoke-app' ? 'client_id' : 'id';
        const r = await post(action, { csrf: bob.csrf, [field]: name }, { cookie: bob.cookie });
        assert.equal(r.status, 404, `${action} ${JSON.stringify(name)}`);
      }),
      { numRuns: 150 },
    );
    assert.equal(await works(victim), true, "Ann's device still works");
  });

  test('sign out here clears the cookie and the next login asks for the password', async () => {
    const p1 = await laptop1.page();
    await home(p1);
    await p1.getByRole('button', { name: 'Sign out here' }).click();
    await p1.waitForURL(`${s.f.issuer}/`);
    await p1.locator('#sign-in-hint').waitFor();
    assert.equal((await laptop1.context.cookies(s.f.issuer)).some((c) => c.name === 'dex_session'), false);
    const { url } = await s.kubectl.rp.authorize('openid email');
    await p1.goto(url.href);
    await p1.getByLabel('Password').waitFor();
    await laptop1.screenshot(p1, '3-password-again.png');
  });

  test('sign out everywhere ends the user’s other browsers', async () => {
    const [p1, p2] = [await laptop1.page(), await laptop2.page()];
    await laptop1.context.clearCookies();
    await laptop2.context.clearCookies();
    await login(p1, s.dashboard, ANN);
    await login(p2, s.dashboard, ANN);
    const storage = s.f.ferry.deps.storage;
    const annSessions = async () => (await storage.listAuthSessions()).filter((x) => x.userId === ANN.userId).length;
    const withDashboard = (await storage.listAuthSessions()).filter((x) => x.userId === ANN.userId && 'dashboard' in x.clientStates);
    const ended = new Set(withDashboard.map((x) => x.id));
    await home(p1);
    assert.ok((await p1.locator('tr.session').count()) >= 2, 'both browsers are listed');
    assert.equal(await p1.locator('tr.session').count(), await annSessions());
    await p1.getByRole('button', { name: 'Sign out everywhere' }).click();
    await p1.locator('#sign-in-hint').waitFor();
    await home(p2);
    await p2.locator('#sign-in-hint').waitFor();
    assert.equal(await annSessions(), 0);
    // The Dashboard (it has a backchannelLogoutURI) receives a verified logout token for each ended session.
    assert.ok(ended.size >= 2, 'both browsers signed in to the dashboard');
    const told = async () => new Set(s.backchannel.received.map((r) => String(r.claims.sid)).filter((sid) => ended.has(sid)));
    const deadline = Date.now() + 20_000;
    while ((await told()).size < ended.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual([...(await told())].sort(), [...ended].sort(), 'every ended session told the dashboard');
    const bob = (await s.f.ferry.deps.storage.listAuthSessions()).filter((x) => x.userId === BOB.userId);
    assert.equal(bob.length, 1, "another user's session is untouched");
  });
});
