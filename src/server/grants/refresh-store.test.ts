import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundError, StorageError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import { openMemoryStorage } from '../../storage/memory/index.js';
import type { Storage } from '../../storage/storage.js';
import { decodeRefreshToken } from '../tokens/refresh-token-wire.js';
import { issueRefreshToken, type NewRefreshToken } from './refresh-store.js';

const now = () => new Date('2030-01-01T00:00:00Z');
const input = (over: Partial<NewRefreshToken> = {}): NewRefreshToken => ({
  clientId: 'app', connectorId: 'mock', scopes: ['openid', 'offline_access'], nonce: '', sessionId: 'sid-1',
  connectorData: new TextEncoder().encode('v1'),
  claims: { userId: 'u1', username: 'U', preferredUsername: '', email: '', emailVerified: false, groups: [] },
  ...over,
});

describe('issueRefreshToken', () => {
  test('creates the token and its OfflineSessions link; a second one for the client replaces the first', async () => {
    const storage = openMemoryStorage();
    const deps = { storage, now, logger: silentLogger() };
    const first = decodeRefreshToken(await issueRefreshToken(deps, input()));
    const stored = await storage.getRefresh(first.id);
    assert.equal(stored.token, first.secret);
    assert.equal(stored.connectorData, null, 'connector data lives on OfflineSessions');
    const other = decodeRefreshToken(await issueRefreshToken(deps, input({ clientId: 'other' })));
    const second = decodeRefreshToken(await issueRefreshToken(deps, input({ connectorData: null })));
    await assert.rejects(storage.getRefresh(first.id), NotFoundError);
    const session = await storage.getOfflineSessions('u1', 'mock');
    assert.deepEqual(Object.keys(session.refresh).sort(), ['app', 'other']);
    assert.equal(session.refresh.app?.id, second.id);
    assert.equal(session.refresh.other?.id, other.id);
    assert.equal(session.refresh.app?.sessionId, 'sid-1');
    assert.equal(new TextDecoder().decode(session.connectorData ?? undefined), 'v1', 'null data keeps the stored data');
  });

  test('when linking fails the new token is removed and the error propagates', async () => {
    const base = openMemoryStorage();
    const broken = (): never => {
      throw new StorageError('offline sessions: backend down');
    };
    const storage: Storage = Object.assign(Object.create(base) as Storage, {
      updateOfflineSessions: async () => broken(),
      createOfflineSessions: async () => broken(),
    });
    await assert.rejects(issueRefreshToken({ storage, now, logger: silentLogger() }, input()), StorageError);
    assert.deepEqual(await base.listRefreshTokens(), []);
  });
});
