import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StorageError } from '../../lib/errors.js';
import * as f from '../conformance/fixtures.js';
import { createMemoryBackend } from '../memory/index.js';
import { createDocumentStorage } from './storage.js';

const setup = () => {
  const backend = createMemoryBackend();
  return { backend, s: createDocumentStorage(backend) };
};

test('documents missing fields (written by older versions) decode with defaults', async () => {
  const { backend, s } = setup();
  await backend.create('auth_request', 'old', JSON.stringify({ id: 'old', clientId: 'c', expiry: '2030-01-01T00:00:00.000Z' }), null);
  assert.deepStrictEqual(await s.getAuthRequest('old'), {
    ...f.authRequest(1, new Date('2030-01-01T00:00:00.000Z')),
    id: 'old',
    clientId: 'c',
    responseTypes: [],
    scopes: [],
    redirectURI: '',
    nonce: '',
    state: '',
    forceApprovalPrompt: false,
    loggedIn: false,
    claims: { userId: '', username: '', preferredUsername: '', email: '', emailVerified: false, groups: [] },
    connectorId: '',
    hmacKey: new Uint8Array(0),
    mfaValidated: false,
  });
  await backend.create('refresh_token', 'r', '{"id":"r"}', null);
  const r = await s.getRefresh('r');
  assert.equal(r.createdAt.getTime(), 0);
  assert.equal(r.connectorData, null);
});

test('the stored document uses ISO dates and base64 bytes', async () => {
  const { backend, s } = setup();
  const a = f.authRequest(0);
  await s.createAuthRequest(a);
  const doc = JSON.parse(await backend.get('auth_request', a.id)) as Record<string, unknown>;
  assert.equal(doc.expiry, a.expiry.toISOString());
  assert.equal(doc.connectorData, 'AAEC/v8=');
});

test('a corrupt document is a StorageError', async () => {
  const { backend, s } = setup();
  await backend.create('client', 'bad', '{not json', null);
  await assert.rejects(s.getClient('bad'), StorageError);
});

test('an updater may not change the key or be async; nothing is written', async () => {
  const { s } = setup();
  const c = f.client(0);
  await s.createClient(c);
  await assert.rejects(s.updateClient(c.id, (old) => ({ ...old, id: 'other' })), TypeError);
  const asyncUpdater = (async (old: typeof c) => ({ ...old, name: 'x' })) as unknown as (old: typeof c) => typeof c;
  await assert.rejects(s.updateClient(c.id, asyncUpdater), TypeError);
  assert.deepStrictEqual(await s.getClient(c.id), c);
});

test('auth session expiry is the earlier of absolute and idle expiry', async () => {
  const { backend, s } = setup();
  await s.createAuthSession(f.authSession(0, f.at(5), f.at(1)));
  await s.createAuthSession(f.authSession(1, f.at(2), f.at(9)));
  assert.equal(await backend.deleteExpired('auth_session', f.at(1.5)), 1);
  assert.equal(await backend.deleteExpired('auth_session', f.at(2.5)), 1);
});
