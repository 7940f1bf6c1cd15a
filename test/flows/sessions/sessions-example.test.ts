/**
 * What `npm start` serves (examples/config-dev.yaml, only its addresses and storage swapped for the test's): a user
 * signs in once through the startup hint's client (Example CLI, out-of-band page) and reaches Example App without
 * a password prompt, because the two share their sign-in (Example App then asks only for its second factor; the
 * whole journey in Chromium is example-journey.test.ts).
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { decodeEntities, readForm, UserAgent } from '../../helpers/user-agent.js';
import { isPasswordForm } from './sessions-rp.js';

let f: TestFerry;
before(async () => {
  const dev = readFileSync(new URL('../../../examples/config-dev.yaml', import.meta.url), 'utf8');
  f = await startTestFerry((issuer, listen) =>
    dev
      .replace('issuer: http://localhost:5556/dex', `issuer: ${issuer}`)
      .replace('  http: 127.0.0.1:5556', `  http: ${listen}`)
      .replace(/storage:\n {2}type: sqlite3\n {2}config:\n {4}file: var\/sqlite\/ferry.db/, 'storage:\n  type: memory')
      .replace(/telemetry:\n {2}http: 127.0.0.1:5558\n/, ''),
  );
});
after(() => f?.stop());

const q = (clientId: string, redirectURI: string) =>
  new URLSearchParams({ client_id: clientId, redirect_uri: redirectURI, response_type: 'code', scope: 'openid email', state: 'st',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });

test('the dev example: sign in once to Example CLI, reach Example App without a password', async () => {
  const ua = new UserAgent(f.issuer);
  let page = await ua.browse(`${f.issuer}/auth?${q('example-cli', 'urn:ietf:wg:oauth:2.0:oob')}`);
  const local = /href="([^"]*\/auth\/local\?[^"]*)"/.exec(page.html)?.[1];
  assert.ok(local, 'the connector list offers the password login');
  page = await ua.browse(new URL(decodeEntities(local), f.issuer).href);
  assert.ok(isPasswordForm(page), `${page.status} ${page.url} ${page.html.slice(0, 300)}`);
  const back = /href="([^"]*\/auth\?[^"]*)"/.exec(page.html)?.[1] ?? '';
  assert.equal(new URL(decodeEntities(back), f.issuer).searchParams.get('prompt'), 'select_account', 'the way back shows the list, not the session');
  page = await ua.submit(readForm(page), { login: 'admin@example.com', password: 'password', remember_me: 'on' });
  page = await ua.submit(readForm(page), { approval: 'approve' });
  assert.match(page.html, /code/i, 'the out-of-band page shows the code');
  assert.ok(ua.jar.get('dex_session'), 'the browser holds a session');

  const app = await ua.browse(`${f.issuer}/auth?${q('example-app', 'http://127.0.0.1:5555/callback')}`);
  assert.equal(new URL(app.url).pathname, '/dex/mfa/totp', 'Example App: no connector list, no password, only its second factor (mfaChain)');
  const choose = await ua.browse(`${f.issuer}/auth?${q('example-app', 'http://127.0.0.1:5555/callback')}&prompt=select_account`);
  assert.match(choose.html, /\/auth\/mock\?/, 'prompt=select_account: the connector list, although a session exists');
});
