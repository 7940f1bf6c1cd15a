import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../lib/errors.js';
import { parseOauthConfig } from './oauth/config.js';
import { parseOidcConfig } from './oidc/config.js';

const oauth = (extra: Record<string, unknown> = {}) => ({
  clientID: 'c',
  redirectURI: 'https://ferry.example.com/callback',
  tokenURL: 'http://idp.example.com/token',
  authorizationURL: 'https://idp.example.com/auth',
  userInfoURL: 'https://idp.example.com/me',
  ...extra,
});

test('oauth: a plain-http upstream endpoint is refused, naming the key, unless insecureAllowHTTP', () => {
  assert.throws(() => parseOauthConfig(oauth(), 'connectors[0].config'), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /connectors\[0\]\.config\.tokenURL: must be an https URL \(set insecureAllowHTTP: true/);
    return true;
  });
  assert.equal(parseOauthConfig(oauth({ insecureAllowHTTP: true }), 'c').tokenURL, 'http://idp.example.com/token');
  assert.equal(parseOauthConfig(oauth({ tokenURL: 'http://127.0.0.1:9000/token' }), 'c').tokenURL, 'http://127.0.0.1:9000/token');
  assert.equal(parseOauthConfig(oauth({ tokenURL: 'http://localhost:9000/token' }), 'c').tokenURL, 'http://localhost:9000/token');
});

test('oidc: the issuer and every discovery override must be https (or loopback)', () => {
  const base = { clientID: 'c', redirectURI: 'https://ferry.example.com/callback' };
  assert.throws(() => parseOidcConfig({ ...base, issuer: 'http://accounts.example.com' }, 'c'), /c\.issuer: must be an https URL/);
  assert.throws(
    () => parseOidcConfig({ ...base, issuer: 'https://accounts.example.com', providerDiscoveryOverrides: { tokenURL: 'http://evil.example/t' } }, 'c'),
    /c\.providerDiscoveryOverrides\.tokenURL: must be an https URL/,
  );
  assert.equal(parseOidcConfig({ ...base, issuer: 'http://[::1]:8080' }, 'c').issuer, 'http://[::1]:8080');
  assert.equal(parseOidcConfig({ ...base, issuer: 'http://accounts.example.com', insecureAllowHTTP: true }, 'c').insecureAllowHTTP, true);
});
