/**
 * The one auto-submitting form page: every value escaped, fields in order, only the fixed script (allowed by its
 * hash in `autoSubmitCSP`) and no inline event handler, and the CSP's form-action for each kind of action.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { autoSubmitCSP, autoSubmitPage } from './auto-submit-page.js';

const page = (action: string, fields: Record<string, string>) => autoSubmitPage({ action, fields, title: 'T <1>', noscript: 'Press "Continue".' });

test('every field, the action, the title and the noscript text are escaped', () => {
  const html = page(`https://rp.example/cb?a=1&b='2'`, { state: `"><script>alert(1)</script>`, "n'<a>": 'v&w' });
  assert.match(html, /<form method="post" action="https:\/\/rp\.example\/cb\?a=1&amp;b=&#39;2&#39;">/);
  assert.match(html, /<input type="hidden" name="state" value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;">/);
  assert.match(html, /<input type="hidden" name="n&#39;&lt;a&gt;" value="v&amp;w">/);
  assert.match(html, /<title>T &lt;1&gt;<\/title>/);
  assert.match(html, /<noscript><p>Press &quot;Continue&quot;\.<\/p><\/noscript>/);
  assert.equal(html.match(/<script>/g)?.length, 1, 'only the page\'s own script');
});

test('the fields keep their order, and the page posts without JavaScript through a button', () => {
  const html = page('/x', { SAMLRequest: 'PD94+bWw=', RelayState: 'abc' });
  assert.ok(html.indexOf('name="SAMLRequest" value="PD94+bWw="') < html.indexOf('name="RelayState" value="abc"'));
  assert.match(html, /<button type="submit">Continue<\/button>/);
});

test('the CSP allows exactly the page\'s script by hash, and no inline event handler is used', () => {
  const html = page('https://rp.example/cb', { code: 'c' });
  const script = /<script>([^<]*)<\/script>/.exec(html)?.[1] ?? '';
  const hash = createHash('sha256').update(script).digest('base64');
  const csp = autoSubmitCSP('https://rp.example/cb');
  assert.equal(csp, `default-src 'none'; script-src 'sha256-${hash}'; form-action https://rp.example; frame-ancestors 'none'; base-uri 'none'`);
  assert.doesNotMatch(html, /\son[a-z]+=/i);
});

test("form-action: the action's origin, scheme: without authority, 'self' for a path, 'none' when unparsable", () => {
  const formAction = (a: string) => /form-action ([^;]*);/.exec(autoSubmitCSP(a))?.[1];
  assert.equal(formAction('https://rp.example:8443/a/b?c#d'), 'https://rp.example:8443');
  assert.equal(formAction('com.example.app:/callback'), 'com.example.app:');
  assert.equal(formAction('/dex/callback'), "'self'");
  assert.equal(formAction('not a uri'), "'none'");
});
