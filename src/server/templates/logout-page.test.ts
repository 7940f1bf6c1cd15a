/**
 * The logout page: Ferry's own `logout.html` (confirmation form, signed-out, no session) and the built-in page a
 * theme without `logout.html` gets (dex v2.45.1 themes), which escapes what it prints.
 */

import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fallbackLogoutPage } from './logout-page.js';
import { createRenderer, webRoot } from './render.js';

const opts = { issuer: 'Acme Corp', logoURL: '', theme: 'light', extra: {}, issuerPath: '/dex' };
const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

test("Ferry's logout.html: a confirmation form posting to /logout, then 'Signed out'", async () => {
  const r = await createRenderer(opts);
  const confirm = r.logout({ showConfirmation: true, loggedOut: false, backURL: '', postURL: '/dex/logout' });
  assert.match(confirm, /<form[^>]*method="post"[^>]*action="\/dex\/logout"/);
  assert.match(confirm, /Sign out of Acme Corp\?/);
  assert.match(r.logout({ showConfirmation: false, loggedOut: true, backURL: '', postURL: '/dex/logout' }), /Signed out/);
  assert.match(r.logout({ showConfirmation: false, loggedOut: false, backURL: '', postURL: '/dex/logout' }), /Not signed in/);
  assert.doesNotMatch(r.logout({ showConfirmation: false, loggedOut: true, backURL: 'javascript:alert(1)', postURL: '/dex/logout' }), /javascript:/);
});

test('a theme without logout.html gets the built-in page', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-web-'));
  dirs.push(dir);
  await cp(webRoot(), dir, { recursive: true });
  await unlink(join(dir, 'templates', 'logout.html'));
  const r = await createRenderer({ ...opts, dir });
  assert.match(r.logout({ showConfirmation: true, loggedOut: false, backURL: '', postURL: '/dex/logout' }), /<form method="post" action="\/dex\/logout">/);
  assert.equal(
    fallbackLogoutPage({ showConfirmation: true, loggedOut: false, backURL: '"><script>', postURL: '/x"><script>' }).includes('<script>'),
    false,
  );
});
