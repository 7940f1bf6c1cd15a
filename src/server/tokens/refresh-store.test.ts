import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundError, StorageError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import { openMemoryStorage } from '../../storage/memory/index.js';
import type { Storage } from '../../storage/storage.js';
import { decodeRefreshToken } from './refresh-token-wire.js';
import { DEVICES_PER_CLIENT } from './devices.js';
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

  test('with sessions on each browser session or sessionless exchange keeps its own token; the cap evicts the oldest', async () => {
    const storage = openMemoryStorage();
    let t = Date.parse('2030-01-01T00:00:00Z');
    const deps = { storage, now: () => new Date((t += 1000)), logger: silentLogger(), config: { sessions: {} } };
    const laptop1 = decodeRefreshToken(await issueRefreshToken(deps, input({ sessionId: 'laptop-1' })));
    const laptop2 = decodeRefreshToken(await issueRefreshToken(deps, input({ sessionId: 'laptop-2' })));
    assert.equal((await storage.getRefresh(laptop1.id)).token, laptop1.secret, 'the first laptop keeps its token');
    const again = decodeRefreshToken(await issueRefreshToken(deps, input({ sessionId: 'laptop-1' })));
    await assert.rejects(storage.getRefresh(laptop1.id), NotFoundError, 'a new login from the same session replaces its token');
    let session = await storage.getOfflineSessions('u1', 'mock');
    assert.equal(session.refresh.app?.id, again.id, "the newest device holds dex's slot");
    assert.equal(session.refresh[`ferry-device:${laptop2.id}`]?.clientId, 'app');

    const scripted: string[] = [];
    for (let i = 0; i < DEVICES_PER_CLIENT; i++) scripted.push(decodeRefreshToken(await issueRefreshToken(deps, input({ sessionId: '' }))).id);
    session = await storage.getOfflineSessions('u1', 'mock');
    assert.equal(Object.keys(session.refresh).length, DEVICES_PER_CLIENT);
    for (const gone of [laptop2.id, again.id]) await assert.rejects(storage.getRefresh(gone), NotFoundError, 'evicted: the oldest');
    assert.equal((await storage.listRefreshTokens()).length, DEVICES_PER_CLIENT, 'evicted tokens are deleted, not just unlinked');
    assert.equal(session.refresh.app?.id, scripted.at(-1));
  });
});
