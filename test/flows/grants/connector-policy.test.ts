/**
 * The connector invariant across every grant (dex advisory GHSA-7qjx-gp9h-65qj): a grant may use a connector only
 * when the client's `allowedConnectors` contains it (else `invalid_grant`) and the connector's `grantTypes` allow
 * the grant (else `invalid_request`). One table, one row per grant; the browser grants (code, implicit, device) are
 * also refused at `/auth/{connector}`.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { issueRefreshToken } from '../../../src/server/tokens/refresh-store.js';
import { tokenResponseBody } from '../../../src/server/grants/endpoint.js';
import { createTokenIssuer } from '../../../src/server/tokens/issuer.js';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { decodeJwt } from 'jose';
import { newDeviceCode, newId } from '../../../src/storage/ids.js';
import { UserAgent } from '../../helpers/user-agent.js';
import {
  assertNoLeaks, assertOAuthError, DEVICE_GRANT, EXCHANGE_GRANT, type GrantsFixture, ID_TOKEN_TYPE, REDIRECT, SECRETS, startGrantsFerry,
} from './grants.config.js';

let g: GrantsFixture;
before(async () => {
  // The password grant uses a connector that allows only authorization_code, for the grantTypes rows.
  g = await startGrantsFerry({ passwordConnector: 'pw-code-only' });
});
after(async () => {
  assertNoLeaks(g.answers);
  await g.stop();
});

const kilgore = { userId: '0-385-28089-0', username: 'Kilgore Trout', preferredUsername: '', email: 'k@example.com', emailVerified: true, groups: [] };
const DAY = 86_400_000;

/** Seeds what each grant presents, for `clientId` through `connectorId`, and returns the /token form. */
const presenters: Record<string, (clientId: string, connectorId: string) => Promise<Record<string, string>>> = {
  authorization_code: async (clientId, connectorId) => {
    const id = newId();
    await g.f.ferry.deps.storage.createAuthCode({
      id, clientId, redirectURI: REDIRECT, nonce: '', scopes: ['openid'], connectorId, connectorData: null, claims: kilgore,
      expiry: new Date(g.clock.now().getTime() + 600_000), pkce: { codeChallenge: '', codeChallengeMethod: '' }, authTime: null, sessionId: '',
    });
    return { grant_type: 'authorization_code', code: id, redirect_uri: REDIRECT };
  },
  refresh_token: async (clientId, connectorId) => {
    const token = await issueRefreshToken(g.f.ferry.deps, {
      clientId, connectorId, claims: kilgore, scopes: ['openid', 'offline_access'], nonce: '', sessionId: '', connectorData: null,
    });
    return { grant_type: 'refresh_token', refresh_token: token };
  },
  password: async () => ({ grant_type: 'password', username: 'kilgore', password: 'trout', scope: 'openid' }),
  [EXCHANGE_GRANT]: async (_clientId, connectorId) => ({
    grant_type: EXCHANGE_GRANT, connector_id: connectorId, subject_token: 'upstream', subject_token_type: ID_TOKEN_TYPE,
  }),
  [DEVICE_GRANT]: async (clientId, connectorId) => {
    // A device login the user completed earlier through `connectorId`.
    const { signer } = g.f.ferry.deps;
    const issuer = createTokenIssuer({ signer, issuer: g.f.issuer, idTokensValidFor: DAY, now: g.clock.now });
    const ctx = { clientId, scopes: ['openid'], claims: kilgore, connectorId, nonce: '', authTime: null, sessionId: '' };
    const access = await issuer.accessToken(ctx);
    const deviceCode = newDeviceCode();
    await g.f.ferry.deps.storage.createDeviceToken({
      deviceCode, status: 'complete', token: JSON.stringify(tokenResponseBody({ accessToken: access.token, expiresIn: 60 })),
      expiry: new Date(g.clock.now().getTime() + 300_000), lastRequestTime: g.clock.now(), pollIntervalSeconds: 5,
      pkce: { codeChallenge: '', codeChallengeMethod: '' },
    });
    return { grant_type: DEVICE_GRANT, device_code: deviceCode };
  },
};

const credentials: Record<string, [string, string]> = { restricted: ['restricted', SECRETS.restricted], app: ['app', SECRETS.app] };

describe('every grant × a connector the client may not use → invalid_grant', () => {
  // `restricted` may use only mock-b.
  for (const [grant, present] of Object.entries(presenters)) {
    test(grant, async () => {
      const form = await present('restricted', 'mock');
      const a = await g.post('/token', form, grant === DEVICE_GRANT ? {} : { auth: credentials.restricted });
      assertOAuthError(a, 400, 'invalid_grant', 'Connector not allowed for this client.');
      const allowed = await g.post('/token', await present('restricted', 'mock-b'), grant === DEVICE_GRANT ? {} : { auth: credentials.restricted });
      if (grant !== 'password') assert.equal(allowed.status, 200, `${grant} through an allowed connector: ${allowed.text}`);
    });
  }

  test('client_credentials uses no connector: the subject is the client itself', async () => {
    const a = await g.post('/token', { grant_type: 'client_credentials', scope: 'openid' }, { auth: credentials.restricted });
    assert.equal(a.status, 200);
    assert.equal(decodeJwt(String(a.json.id_token)).sub, encodeSubject('restricted', ''));
  });

  for (const [what, responseType, redirect] of [
    ['authorization_code', 'code', REDIRECT],
    ['implicit', 'id_token', REDIRECT],
    ['device_code', 'code', '/dex/device/callback'],
  ] as const) {
    test(`${what} at /auth/{connector}`, async () => {
      const q = new URLSearchParams({ client_id: 'restricted', redirect_uri: redirect, response_type: responseType, scope: 'openid', nonce: 'n', state: 's' });
      const page = await new UserAgent(g.f.issuer).browse(`${g.f.issuer}/auth/mock?${q}`);
      assert.equal(page.status, 403);
      assert.match(page.html, /may not use this login method/);
    });
  }
});

describe('every grant × a connector whose grantTypes exclude it → invalid_request', () => {
  // mock-code-only and pw-code-only allow only authorization_code; mock-implicit-only only the implicit flow.
  const excluding = (grant: string) => (grant === 'password' ? 'pw-code-only' : grant === 'authorization_code' ? 'mock-implicit-only' : 'mock-code-only');
  for (const [grant, present] of Object.entries(presenters)) {
    test(grant, async () => {
      const connector = excluding(grant);
      const a = await g.post('/token', await present('app', connector), grant === DEVICE_GRANT ? {} : { auth: credentials.app });
      assertOAuthError(a, 400, 'invalid_request', 'Requested connector does not support this grant type.');
    });
  }

  test('browser flows at /auth/{connector}: implicit through a code-only connector, code through an implicit-only one', async () => {
    for (const [connector, responseType] of [['mock-code-only', 'id_token'], ['mock-implicit-only', 'code']] as const) {
      const q = new URLSearchParams({ client_id: 'app', redirect_uri: REDIRECT, response_type: responseType, scope: 'openid', nonce: 'n' });
      const page = await new UserAgent(g.f.issuer).browse(`${g.f.issuer}/auth/${connector}?${q}`);
      assert.equal(page.status, 400, connector);
      assert.match(page.html, /cannot be used for this kind of request/);
    }
  });
});
