/**
 * The connector contract suite for the generic `oauth` connector, against the real upstream provider
 * (oidc-provider 9.13.3 from test/peers/oidc-upstream) used as a plain OAuth 2.0 server with its userinfo
 * endpoint. The connector has no refresh (as in dex), so the refresh cases do not apply.
 */

import assert from 'node:assert/strict';
import { runConnectorContract } from '../../../src/connectors/contract/index.js';
import { oauth } from '../../../src/connectors/oauth/index.js';
import { UserRefusedError } from '../../../src/lib/errors.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { freePort } from '../../helpers/ferry.js';
import { callbackLogin } from '../../peers/oidc-upstream/callback-login.js';
import { TEST_CALLBACK, TEST_ISSUER, upstreamEnv } from '../../peers/oidc-upstream/op-login.js';

const up = upstreamEnv();
const deps = { logger: silentLogger(), now: () => new Date(), issuer: TEST_ISSUER };
const config = (tokenAndUserinfo = up.issuer) => ({
  clientID: up.clientID,
  clientSecret: up.clientSecret,
  redirectURI: TEST_CALLBACK,
  authorizationURL: `${up.issuer}/auth`,
  tokenURL: `${tokenAndUserinfo}/token`,
  userInfoURL: `${tokenAndUserinfo}/me`,
  scopes: ['openid', 'profile', 'email', 'groups'],
  userIDKey: 'sub',
  claimMapping: { userNameKey: 'name' },
});
const open = async (c = config()) => oauth.open('generic', oauth.parseConfig(c, 'connectors[0].config'), deps);

runConnectorContract({
  name: 'oauth against oidc-provider 9.13.3',
  open: () => open(),
  // The browser part reaches the provider; the token endpoint and userinfo do not answer.
  openUnreachable: async () => open(config(`http://127.0.0.1:${await freePort()}`)),
  login: (conn, scopes, user) => callbackLogin(conn, scopes, user.username),
  users: { primary: { username: 'bob', email: 'bob@example.org', emailVerified: true, groups: ['builders', 'ops'] } },
  wrongCredentials: async (conn) => {
    await assert.rejects(callbackLogin(conn, { offlineAccess: false, groups: false }, 'bob', { abort: true }), (err: unknown) => {
      assert.ok(err instanceof UserRefusedError && err.reason === 'access_denied', `got ${String(err)}`);
      assert.doesNotMatch(err.message, /aborted/i, 'the upstream description is not carried');
      return true;
    });
  },
  refresh: false,
});
