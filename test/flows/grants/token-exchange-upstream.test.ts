/**
 * Token exchange against a real upstream OpenID Provider (`test/peers/oidc-upstream`, oidc-provider 9.13.3): a user
 * logs in at the upstream, the upstream's ID token is exchanged at Ferry through the `oidc` connector, and a forged
 * or foreign token is refused with 401 `access_denied`. Needs the peer's variables (`FERRY_OIDC_*`).
 *
 * The `oidc` connector is configured exactly as in a dex config.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { opLogin, upstreamEnv } from '../../peers/oidc-upstream/op-login.js';
import { assertNoLeaks, assertOAuthError, EXCHANGE_GRANT, type GrantsFixture, ID_TOKEN_TYPE, SECRETS, startGrantsFerry } from './grants.config.js';

const env = upstreamEnv();
let g: GrantsFixture;

before(async () => {
  g = await startGrantsFerry({
    connectors: (issuer) => `
- type: oidc
  id: upstream
  name: Upstream
  config:
    issuer: ${env.issuer}
    clientID: ${env.clientID}
    clientSecret: ${env.clientSecret}
    redirectURI: ${issuer}/callback
    insecureEnableGroups: true`,
  });
});
after(async () => {
  assertNoLeaks(g.answers);
  await g.stop();
});

/** janedoe logs in at the upstream; returns the upstream ID token. */
async function upstreamIdToken(): Promise<string> {
  const rp = await client.discovery(new URL(env.issuer), env.clientID, env.clientSecret, undefined, { execute: [client.allowInsecureRequests] });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: 'http://127.0.0.1/callback', scope: 'openid email profile groups', state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const callback = await opLogin(url.href, 'janedoe');
  const tokens = await client.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier, expectedState: state });
  assert.ok(tokens.id_token);
  return tokens.id_token;
}

test('an upstream ID token is exchanged for a Ferry access token of the upstream user', async () => {
  const upstream = await upstreamIdToken();
  const app = await g.rp('app', client.ClientSecretBasic(SECRETS.app));
  const r = await client.genericGrantRequest(app, EXCHANGE_GRANT, {
    connector_id: 'upstream', subject_token: upstream, subject_token_type: ID_TOKEN_TYPE, scope: 'openid email groups',
  });
  const claims = decodeJwt(r.access_token);
  assert.equal(claims.sub, encodeSubject(String(decodeJwt(upstream).sub), 'upstream'));
  assert.equal(claims.email, 'janedoe@example.org');
  assert.deepEqual(claims.groups, ['admins', 'developers']);
  assert.equal(claims.iss, g.f.issuer);
});

test('a tampered or non-JWT subject token is refused with 401 access_denied', async () => {
  const upstream = await upstreamIdToken();
  const [h, p] = upstream.split('.');
  const forged = `${h}.${p}.${'A'.repeat(43)}`;
  for (const subject of [forged, 'not-a-jwt']) {
    const a = await g.post('/token', { grant_type: EXCHANGE_GRANT, connector_id: 'upstream', subject_token: subject, subject_token_type: ID_TOKEN_TYPE }, { auth: ['app', SECRETS.app] });
    assertOAuthError(a, 401, 'access_denied', 'The subject token could not be verified.');
  }
});
