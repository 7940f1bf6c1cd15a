import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../lib/logger.js';
import { openMemoryStorage } from '../../storage/memory/index.js';
import type { Client } from '../../storage/types.js';
import { GRANT_TYPES } from '../oauth2/grant-types.js';
import { OAuthError } from '../oauth2/oauth-error.js';
import { runGrant } from './endpoint.js';
import type { ServerContext } from '../context.js';
import type { Grant } from './grant.js';
import { grants } from './grant-table.js';

const client = (id: string, trustedPeers: string[] = []): Client => ({
  id, secret: 's', redirectURIs: [], trustedPeers, public: false, name: id, logoURL: '', allowedConnectors: [],
  postLogoutRedirectURIs: [], backchannelLogoutURI: '', refreshTokenLifetime: '', clientCredentialsClaims: null, ssoSharedWith: null, mfaChain: null,
});

async function setup() {
  const storage = openMemoryStorage();
  await storage.createClient(client('app'));
  await storage.createClient(client('trusting', ['app']));
  await storage.createClient(client('stranger'));
  const deps = { storage, logger: silentLogger(), now: () => new Date() } as unknown as ServerContext;
  return { deps, app: await storage.getClient('app') };
}

/** A grant that declares a scope policy and never checks scopes itself: only the endpoint can refuse them. */
function forgetfulGrant(scopePolicy: Grant['scopePolicy']) {
  const seen: string[][] = [];
  const grant: Grant<null> = {
    grantType: GRANT_TYPES.clientCredentials,
    requiresClientAuth: true,
    parameters: ['scope'],
    scopePolicy,
    resolve: async () => ({ connectorId: '', state: null }),
    async authorize(req) {
      seen.push(req.scopes);
      return { accessToken: 'a', expiresIn: 1 };
    },
  };
  return { grant, seen };
}

const OPENID_ONLY = { standard: new Set(['openid', 'profile']), requireOpenId: true, rejected: { groups: 'no groups here' }, errorCode: 'invalid_scope' } as const;

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof OAuthError, String(err));
    return `${err.code}: ${err.description}`;
  }
}

test('the endpoint runs the scope policy a grant declares, before the grant mints anything', async () => {
  const { deps, app } = await setup();
  const { grant, seen } = forgetfulGrant(OPENID_ONLY);
  const run = (scope: string) =>
    outcome(runGrant(deps, { grant, grantType: grant.grantType, form: { get: (n) => (n === 'scope' ? scope : '') }, client: app, requestId: 'r' }));

  assert.equal(await run('profile'), 'invalid_scope: Missing required scope(s) ["openid"].');
  assert.equal(await run('openid groups'), 'invalid_scope: no groups here');
  assert.equal(await run('openid email'), 'invalid_scope: Unrecognized scope(s) ["email"]');
  assert.equal(await run('openid audience:server:client_id:stranger'), 'invalid_scope: Client can\'t request scope(s) ["audience:server:client_id:stranger"]');
  assert.equal(await run('openid audience:server:client_id:nobody'), 'invalid_scope: Client can\'t request scope(s) ["audience:server:client_id:nobody"]');
  assert.deepEqual(seen, [], 'authorize never ran for a refused scope');

  assert.equal(await run('openid  profile audience:server:client_id:trusting'), 'ok');
  assert.deepEqual(seen, [['openid', 'profile', 'audience:server:client_id:trusting']], 'the grant gets the checked scopes');
});

test('a grant without a scope policy gets the scopes unchecked', async () => {
  const { deps, app } = await setup();
  const { grant, seen } = forgetfulGrant(null);
  const form = { get: (n: string) => (n === 'scope' ? 'anything audience:server:client_id:stranger' : '') };
  assert.equal(await outcome(runGrant(deps, { grant, grantType: grant.grantType, form, client: app, requestId: 'r' })), 'ok');
  assert.deepEqual(seen, [['anything', 'audience:server:client_id:stranger']]);
});

test('every grant that takes a `scope` parameter declares a scope policy (refresh only narrows its own)', () => {
  for (const [type, grant] of Object.entries(grants)) {
    assert.ok(grant);
    assert.notEqual(grant.scopePolicy, undefined, type);
    if (grant.parameters.includes('scope') && type !== GRANT_TYPES.refreshToken) assert.ok(grant.scopePolicy, `${type} has no scope policy`);
  }
});
