/**
 * The session-end policy's refresh-token rule: a `refreshTokenLifetime: session` client loses the tokens of the
 * ended session (and unlinked ones), never another session's; other clients keep theirs; the session is deleted.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../lib/logger.js';
import { openMemoryStorage } from '../../storage/memory/index.js';
import type { AuthSession, Client, RefreshToken } from '../../storage/types.js';
import { createSessionEnder } from './end-session.js';

const T = new Date('2030-01-01T00:00:00Z');
const client = (id: string, refreshTokenLifetime: string): Client => ({
  id, secret: 's', redirectURIs: [], trustedPeers: [], public: false, name: id, logoURL: '', allowedConnectors: [], postLogoutRedirectURIs: [],
  backchannelLogoutURI: '', refreshTokenLifetime, clientCredentialsClaims: null, ssoSharedWith: null, mfaChain: null,
});
const token = (id: string, clientId: string, sessionId: string): RefreshToken => ({
  id, token: 't', obsoleteToken: '', createdAt: T, lastUsed: T, clientId, connectorId: 'local', connectorData: null,
  claims: { userId: 'u1', username: 'u', preferredUsername: 'u', email: 'u@x', emailVerified: true, groups: [] }, scopes: ['offline_access'], nonce: '', sessionId,
});
const state = { authenticatedAt: T, lastActivity: T, lastTokenIssuedAt: null, viaSSO: false };
const session: AuthSession = {
  id: 'sess-1', secret: 'x', userId: 'u1', connectorId: 'local', clientStates: { web: state, cli: state }, createdAt: T, lastActivity: T,
  ipAddress: '', userAgent: '', absoluteExpiry: T, idleExpiry: T, logoutState: null,
};

test('session-bound clients lose this session\'s and unlinked tokens; other sessions and standalone clients keep theirs', async () => {
  const storage = openMemoryStorage();
  await storage.createClient(client('web', 'session'));
  await storage.createClient(client('cli', ''));
  const tokens = [token('r-web', 'web', 'sess-1'), token('r-web-other', 'web', 'sess-2'), token('r-web-old', 'web', ''), token('r-cli', 'cli', 'sess-1')];
  for (const t of tokens) await storage.createRefresh(t);
  const ref = (t: RefreshToken) => ({ id: t.id, clientId: t.clientId, createdAt: T, lastUsed: T, sessionId: t.sessionId });
  // As Ferry stores devices (src/server/tokens/devices.ts): dex's own entry, keyed by the client id, names each
  // client's newest token; older devices of the client are kept under `ferry-device:<token id>`.
  const refresh = {
    web: ref(tokens[0]!),
    'ferry-device:r-web-other': ref(tokens[1]!),
    'ferry-device:r-web-old': ref(tokens[2]!),
    cli: ref(tokens[3]!),
  };
  await storage.createOfflineSessions({ userId: 'u1', connId: 'local', connectorData: null, refresh });
  await storage.createAuthSession(session);

  const ended = await createSessionEnder({ storage, logger: silentLogger(), now: () => T }).endSession(session, 'logout');
  assert.equal(ended, true);
  assert.deepEqual((await storage.listRefreshTokens()).map((t) => t.id).sort(), ['r-cli', 'r-web-other']);
  // The surviving device of `web` moves into dex's own entry, so dex (after a rollback) still finds one.
  const left = (await storage.getOfflineSessions('u1', 'local')).refresh;
  assert.deepEqual(Object.keys(left).sort(), ['cli', 'web']);
  assert.equal(left['web']?.id, 'r-web-other');
  assert.equal(left['cli']?.id, 'r-cli');
  await assert.rejects(storage.getAuthSession('sess-1'));
  assert.equal(await createSessionEnder({ storage, logger: silentLogger(), now: () => T }).endSession(session, 'logout'), false, 'already gone');
});
