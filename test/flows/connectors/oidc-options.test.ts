/**
 * The `oidc` connector's options, each exercised against the real upstream (oidc-provider 9.13.3 from
 * test/peers/oidc-upstream): config parsing and the redirect URI rule, the authorization request (scopes, prompt,
 * acr_values, PKCE on and off), client authentication, discovery overrides, and the claim mapping options.
 */

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { oidc, type OidcConnector } from '../../../src/connectors/oidc/index.js';
import type { Scopes } from '../../../src/connectors/types.js';
import { ConfigError, ConnectorError, UserNotInRequiredGroupsError, UserRefusedError } from '../../../src/lib/errors.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { freePort } from '../../helpers/ferry.js';
import { callbackLogin, callbackRequest, startLogin } from '../../peers/oidc-upstream/callback-login.js';
import { opLogin, TEST_CALLBACK, TEST_ISSUER, upstreamEnv } from '../../peers/oidc-upstream/op-login.js';

const up = upstreamEnv();
const deps = { logger: silentLogger(), now: () => new Date(), issuer: TEST_ISSUER };
const PLAIN: Scopes = { offlineAccess: false, groups: false };
const GROUPS: Scopes = { offlineAccess: false, groups: true };
const OFFLINE: Scopes = { offlineAccess: true, groups: true };
const base = { issuer: up.issuer, clientID: up.clientID, clientSecret: up.clientSecret, redirectURI: TEST_CALLBACK };
const parse = (extra: Record<string, unknown>) => oidc.parseConfig({ ...base, ...extra }, 'connectors[0].config');
const open = async (extra: Record<string, unknown> = {}) => (await oidc.open('up', parse(extra), deps)) as OidcConnector;

function configIssues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail('expected a ConfigError');
}

const isConnectorError = (pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ConnectorError, `expected a ConnectorError, got ${String(err)}`);
  assert.match(err.message, pattern);
  return true;
};

describe('config', () => {
  test('defaults are dex’s, keys are case-insensitive, claimMapping keys are snake_case', () => {
    const c = oidc.parseConfig({ Issuer: up.issuer, clientid: 'x', redirectURI: TEST_CALLBACK, claimMapping: { preferred_username: 'nick', EMAIL: 'mail' } }, 'c');
    assert.deepEqual(c.scopes, []);
    assert.equal(c.promptType, 'consent');
    assert.equal(c.pkceChallenge, '');
    assert.equal(c.insecureEnableGroups, false);
    assert.deepEqual(c.claimMapping, { preferred_username: 'nick', email: 'mail', groups: '' });
  });

  test('every problem is reported with its key path', () => {
    const issues = configIssues(() =>
      oidc.parseConfig(
        { issuer: 'not a url', redirectURI: TEST_CALLBACK, hostedDomains: ['example.com'], pkceChallenge: 'S512', claimModifications: { filterGroupClaims: { groupsFilter: '([' } } },
        'connectors[3].config',
      ),
    );
    assert.deepEqual(issues.map((i) => i.split(':')[0]).sort(), [
      'connectors[3].config.claimModifications.filterGroupClaims.groupsFilter',
      'connectors[3].config.clientID',
      'connectors[3].config.hostedDomains',
      'connectors[3].config.issuer',
      'connectors[3].config.pkceChallenge',
    ]);
    assert.ok(issues.some((i) => /hostedDomains: .*google connector/.test(i)));
  });

  test('redirectURI must be <issuer>/callback: refused at open, and loginURL refuses another callback URL', async () => {
    await assert.rejects(async () => oidc.open('up', parse({ redirectURI: `${TEST_ISSUER}/callback/up` }), deps), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /^redirectURI: must be "http:\/\/127\.0\.0\.1:9\/dex\/callback"/);
      return true;
    });
    const conn = await open();
    await assert.rejects(conn.loginURL(PLAIN, 'http://127.0.0.1:9/other/callback', 's'), isConnectorError(/did not match/));
  });

  test('basicAuthUnsupported defaults to true only for Okta issuers', async () => {
    const { usesClientSecretPost } = await import('../../../src/connectors/oidc/config.js');
    assert.equal(usesClientSecretPost(parse({ issuer: 'https://acme.okta.com' })), true);
    assert.equal(usesClientSecretPost(parse({ issuer: 'https://acme.okta.com', basicAuthUnsupported: false })), false);
    assert.equal(usesClientSecretPost(parse({})), false);
  });
});

describe('authorization request', () => {
  test('openid + default scopes, state, nonce; prompt and access_type only with offline access', async () => {
    const conn = await open();
    const { url, state } = await startLogin(conn, PLAIN);
    assert.equal(url.origin + url.pathname, `${up.issuer}/auth`);
    const q = url.searchParams;
    assert.equal(q.get('scope'), 'openid profile email');
    assert.equal(q.get('state'), state);
    assert.equal(q.get('redirect_uri'), TEST_CALLBACK);
    assert.ok((q.get('nonce') ?? '').length >= 32, 'a fresh nonce');
    assert.equal(q.get('prompt'), null);
    const offline = (await startLogin(conn, OFFLINE)).url.searchParams;
    assert.equal(offline.get('prompt'), 'consent');
    assert.equal(offline.get('access_type'), 'offline');
    assert.notEqual(offline.get('nonce'), q.get('nonce'));
  });

  test('promptType, acrValues and configured scopes are sent', async () => {
    const conn = await open({ promptType: 'login', acrValues: ['urn:acr:mfa', 'urn:acr:pwd'], scopes: ['email', 'openid', 'groups'] });
    const q = (await startLogin(conn, OFFLINE)).url.searchParams;
    assert.equal(q.get('prompt'), 'login');
    assert.equal(q.get('acr_values'), 'urn:acr:mfa urn:acr:pwd');
    assert.equal(q.get('scope'), 'openid email groups');
  });

  test('PKCE on: S256 is picked from discovery, and a provider that requires PKCE accepts the login', async () => {
    const conn = await open({ clientID: 'ferry-pkce' });
    const q = (await startLogin(conn, PLAIN)).url.searchParams;
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal((await callbackLogin(conn, PLAIN, 'janedoe')).userId, 'janedoe');
  });

  test('PKCE off: a provider that advertises no PKCE method gets no challenge (and one that requires it refuses)', async () => {
    const conn = await open({ issuer: up.issuerNoPKCE });
    const q = (await startLogin(conn, PLAIN)).url.searchParams;
    assert.equal(q.get('code_challenge'), null);
    assert.equal((await callbackLogin(conn, PLAIN, 'janedoe')).userId, 'janedoe');
    const strict = await open({ issuer: up.issuerNoPKCE, clientID: 'ferry-pkce' });
    await assert.rejects(callbackLogin(strict, PLAIN, 'janedoe'), isConnectorError(/invalid_request/));
  });

  test('pkceChallenge: plain is honoured even when not advertised', async () => {
    const conn = await open({ issuer: up.issuerNoPKCE, pkceChallenge: 'plain' });
    const { url, connectorData } = await startLogin(conn, PLAIN);
    assert.equal(url.searchParams.get('code_challenge_method'), 'plain');
    const stored = JSON.parse(new TextDecoder().decode(connectorData ?? undefined)) as { verifier: string };
    assert.equal(url.searchParams.get('code_challenge'), stored.verifier, 'the verifier is kept in the connector data');
  });
});

describe('token endpoint and discovery', () => {
  test('basicAuthUnsupported sends the secret in the body (client_secret_post)', async () => {
    assert.equal((await callbackLogin(await open({ clientID: 'ferry-post', basicAuthUnsupported: true }), PLAIN, 'janedoe')).userId, 'janedoe');
    await assert.rejects(callbackLogin(await open({ clientID: 'ferry-post' }), PLAIN, 'janedoe'), isConnectorError(/invalid_client|failed to get token/));
  });

  let fake: Server;
  let fakeURL = '';
  before(async () => {
    const { publicKey } = await generateKeyPair('RS256');
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'upstream-1', alg: 'RS256', use: 'sig' }] });
    fake = createServer((req, res) => {
      if (req.url === '/jwks') return void res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
      res.writeHead(302, { location: `${up.issuer}/auth${(req.url ?? '').replace(/^\/auth/, '')}` }).end();
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const addr = fake.address();
    fakeURL = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  after(() => fake?.close());

  test('providerDiscoveryOverrides replace the authorization, token and JWKS endpoints', async () => {
    const viaAuth = await open({ providerDiscoveryOverrides: { authURL: `${fakeURL}/auth` } });
    const { url, connectorData } = await startLogin(viaAuth, PLAIN);
    assert.equal(url.origin, fakeURL, 'the browser is sent to the overridden authorization endpoint');
    const forwarded = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
    const cb = await opLogin(forwarded, 'janedoe'); // the fake endpoint forwards to the real one
    assert.equal((await viaAuth.handleCallback(PLAIN, connectorData, callbackRequest(cb))).userId, 'janedoe');
    const deadToken = await open({ providerDiscoveryOverrides: { tokenURL: `http://127.0.0.1:${await freePort()}/token` } });
    await assert.rejects(callbackLogin(deadToken, PLAIN, 'janedoe'), isConnectorError(/failed to get token/));
    const otherKeys = await open({ providerDiscoveryOverrides: { jwksURL: `${fakeURL}/jwks` } });
    await assert.rejects(callbackLogin(otherKeys, PLAIN, 'janedoe'), isConnectorError(/failed to get token/), 'ID token signature checked against the overridden JWKS');
  });

  test('the discovered issuer must equal issuer (or issuerAlias)', async () => {
    const conn = await open({ issuerAlias: 'https://elsewhere.example' });
    await assert.rejects(startLogin(conn, PLAIN), isConnectorError(/issuer did not match/));
    const aliased = await open({ issuer: `${up.issuer}/`, issuerAlias: up.issuer });
    assert.equal((await callbackLogin(aliased, PLAIN, 'janedoe')).email, 'janedoe@example.org');
  });

  test('access_denied on the callback is the user\'s refusal (UserRefusedError), without the upstream description', async () => {
    const conn = await open();
    const { connectorData, state } = await startLogin(conn, PLAIN);
    const cb = new URL(`${TEST_CALLBACK}?error=access_denied&error_description=${encodeURIComponent('<script>x</script> secret detail')}&state=${state}`);
    await assert.rejects(conn.handleCallback(PLAIN, connectorData, callbackRequest(cb)), (err: unknown) => {
      assert.ok(err instanceof UserRefusedError && err.reason === 'access_denied');
      assert.doesNotMatch(err.message, /script|secret detail/);
      return true;
    });
  });

  test('a callback whose state is not the one sent is refused before any token request', async () => {
    const conn = await open();
    const { url, connectorData } = await startLogin(conn, PLAIN);
    const cb = await opLogin(url.href, 'janedoe');
    cb.searchParams.set('state', 'another-login');
    await assert.rejects(conn.handleCallback(PLAIN, connectorData, callbackRequest(cb)), (err: unknown) => err instanceof UserRefusedError && err.reason === 'bad_callback' && /state mismatch/.test(err.message));
    await assert.rejects(conn.handleCallback(PLAIN, null, callbackRequest(cb)), isConnectorError(/login state/));
  });
});

describe('claims → identity', () => {
  const EXTRA = ['profile', 'email', 'groups', 'extra'];

  test('standard claims: name, preferred_username, email, email_verified, stable sub', async () => {
    const id = await callbackLogin(await open(), PLAIN, 'janedoe');
    assert.deepEqual({ ...id, connectorData: null }, {
      userId: 'janedoe', username: 'Jane Doe', preferredUsername: 'janedoe', email: 'janedoe@example.org',
      emailVerified: true, groups: [], connectorData: null,
    });
  });

  test('userIDKey, userNameKey and claimMapping (email, preferred_username) read other claims', async () => {
    const conn = await open({ scopes: EXTRA, userIDKey: 'employee_id', userNameKey: 'login_name', claimMapping: { email: 'mail', preferred_username: 'nickname' } });
    const id = await callbackLogin(conn, PLAIN, 'mapped');
    assert.equal(id.userId, 'E-1001');
    assert.equal(id.username, 'mapped.user');
    assert.equal(id.email, 'mapped@corp.example');
    assert.equal(id.preferredUsername, 'mappy');
    const missing = await open({ scopes: EXTRA, userNameKey: 'no_such_claim', claimMapping: { email: 'mail' } });
    await assert.rejects(callbackLogin(missing, PLAIN, 'mapped'), isConnectorError(/missing "no_such_claim" claim/));
    const noEmail = await open({ scopes: EXTRA });
    await assert.rejects(callbackLogin(noEmail, PLAIN, 'mapped'), isConnectorError(/missing email claim/), 'email scope without an email claim');
  });

  test('insecureSkipEmailVerified: a missing email_verified becomes true; a present false stays false', async () => {
    await assert.rejects(callbackLogin(await open(), PLAIN, 'noverify'), isConnectorError(/email_verified/));
    const skip = await open({ insecureSkipEmailVerified: true });
    assert.equal((await callbackLogin(skip, PLAIN, 'noverify')).emailVerified, true);
    assert.equal((await callbackLogin(skip, PLAIN, 'johndoe')).emailVerified, false);
    assert.equal((await callbackLogin(await open(), PLAIN, 'johndoe')).emailVerified, false);
  });

  test('getUserInfo: claims missing from a thin ID token come from userinfo', async () => {
    const scopes = ['profile', 'email', 'groups'];
    await assert.rejects(callbackLogin(await open({ scopes }), PLAIN, 'thin'), isConnectorError(/missing "name" claim/));
    const id = await callbackLogin(await open({ scopes, getUserInfo: true, insecureEnableGroups: true }), GROUPS, 'thin');
    assert.deepEqual([id.userId, id.username, id.email, id.emailVerified, id.groups], ['thin', 'Thin Token', 'thin@example.org', true, ['thin-group']]);
  });

  test('groups only with insecureEnableGroups (and the groups scope)', async () => {
    const scopes = ['profile', 'email', 'groups'];
    assert.deepEqual((await callbackLogin(await open({ scopes }), GROUPS, 'janedoe')).groups, []);
    const on = await open({ scopes, insecureEnableGroups: true });
    assert.deepEqual((await callbackLogin(on, GROUPS, 'janedoe')).groups, ['admins', 'developers']);
    assert.deepEqual((await callbackLogin(on, PLAIN, 'janedoe')).groups, [], 'not without the groups scope');
  });

  test('allowedGroups: no match is UserNotInRequiredGroupsError, even without the groups scope', async () => {
    const conn = await open({ scopes: ['profile', 'email', 'groups'], insecureEnableGroups: true, allowedGroups: ['admins'] });
    assert.deepEqual((await callbackLogin(conn, GROUPS, 'janedoe')).groups, ['admins']);
    await assert.rejects(callbackLogin(conn, PLAIN, 'johndoe'), (err: unknown) => err instanceof UserNotInRequiredGroupsError && err.connectorId === 'up');
  });

  test('groups claim mapping, groupsFilter, modifyGroupNames and newGroupFromClaims', async () => {
    const common = { scopes: EXTRA, insecureEnableGroups: true, claimMapping: { email: 'mail', groups: 'roles' } };
    assert.deepEqual((await callbackLogin(await open(common), GROUPS, 'mapped')).groups, ['plain'], '`groups` exists, so the mapping is not used');
    const conn = await open({
      ...common,
      overrideClaimMapping: true,
      claimModifications: {
        filterGroupClaims: { groupsFilter: '^role-a$' },
        modifyGroupNames: { prefix: 'up-', suffix: '-x' },
        newGroupFromClaims: [
          { claims: ['department', 'team', 'no_such_claim'], delimiter: ':', clearDelimiter: true, prefix: 'org' },
          { claims: ['team'], delimiter: '/', prefix: 'team' },
          { claims: ['no_such_claim'], delimiter: '/', prefix: 'never' },
        ],
      },
    });
    assert.deepEqual((await callbackLogin(conn, GROUPS, 'mapped')).groups, ['up-role-a-x', 'org:eng:coreinfra', 'team/core:infra']);
  });
});
