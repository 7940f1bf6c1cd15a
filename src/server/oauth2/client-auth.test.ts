import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openMemoryStorage } from '../../storage/memory/index.js';
import type { Client } from '../../storage/types.js';
import { authenticateClient, readClientCredentials } from './client-auth.js';
import { OAuthError } from './oauth-error.js';

const basic = (id: string, secret: string) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');
const none = { clientId: '', clientSecret: '' };

async function failure(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof OAuthError, String(err));
    return `${err.status} ${err.code}`;
  }
}

describe('readClientCredentials', () => {
  test('Basic credentials are URL-unescaped (Go QueryUnescape)', () => {
    const c = readClientCredentials(basic('my%20app', 'a%2Bb+c%3A'), none);
    assert.deepEqual(c, { clientId: 'my app', clientSecret: 'a+b c:', method: 'client_secret_basic' });
  });
  test('the secret may contain colons; the id ends at the first one', () => {
    assert.equal(readClientCredentials(basic('app', 's:e:c'), none).clientSecret, 's:e:c');
  });
  test('form credentials', () => {
    assert.deepEqual(readClientCredentials(undefined, { clientId: 'a', clientSecret: 's' }), {
      clientId: 'a',
      clientSecret: 's',
      method: 'client_secret_post',
    });
    assert.equal(readClientCredentials('Bearer xyz', { clientId: 'a', clientSecret: '' }).method, 'none');
  });
  test('bad input', async () => {
    assert.equal(await failure(() => readClientCredentials(basic('a', 's'), { clientId: '', clientSecret: 's' })), '400 invalid_request');
    assert.equal(await failure(() => readClientCredentials(basic('a', 's'), { clientId: 'b', clientSecret: '' })), '400 invalid_request');
    assert.equal(await failure(() => readClientCredentials(basic('a', 's'), { clientId: 'a', clientSecret: '' })), 'ok');
    assert.equal(await failure(() => readClientCredentials(basic('a%zz', 's'), none)), '400 invalid_request');
    assert.equal(await failure(() => readClientCredentials('Basic !!!', none)), '401 invalid_client');
    assert.equal(await failure(() => readClientCredentials('Basic ' + Buffer.from('nocolon').toString('base64'), none)), '401 invalid_client');
  });
});

describe('authenticateClient', async () => {
  const storage = openMemoryStorage();
  const client = (id: string, secret: string, isPublic: boolean): Client => ({
    id, secret, public: isPublic, redirectURIs: [], trustedPeers: [], name: id, logoURL: '', allowedConnectors: [],
    postLogoutRedirectURIs: [], backchannelLogoutURI: '', refreshTokenLifetime: '', clientCredentialsClaims: null,
    ssoSharedWith: null, mfaChain: null,
  });
  await storage.createClient(client('conf', 'sekret', false));
  await storage.createClient(client('pub', '', true));

  const auth = (clientId: string, clientSecret: string) =>
    authenticateClient(storage, { clientId, clientSecret, method: 'client_secret_post' });

  test('right secret, public client without secret', async () => {
    assert.equal((await auth('conf', 'sekret')).id, 'conf');
    assert.equal((await auth('pub', '')).id, 'pub');
  });
  test('unknown client, wrong or missing secret, no id', async () => {
    for (const [id, secret] of [['nope', 'x'], ['conf', 'sekreT'], ['conf', ''], ['', ''], ['pub', 'guess']] as const) {
      assert.equal(await failure(auth(id, secret)), '401 invalid_client', `${id}/${secret}`);
    }
  });
});
