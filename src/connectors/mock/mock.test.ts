import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../../lib/errors.js';
import type { CallbackRequest, ConnectorDeps, Identity, Scopes } from '../types.js';
import { MockCallbackConnector, mockCallback } from './callback.js';
import { MockPasswordConnector, mockPassword } from './password.js';

const scopes: Scopes = { offlineAccess: true, groups: true };
const deps = {} as ConnectorDeps; // the mocks use nothing from their host
const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

const kilgore = (groups: string[], data: string): Identity => ({
  userId: '0-385-28089-0',
  username: 'Kilgore Trout',
  preferredUsername: '',
  email: 'kilgore@kilgore.trout',
  emailVerified: true,
  groups,
  connectorData: new TextEncoder().encode(data),
});

describe('mockCallback', () => {
  const conn = mockCallback.open('mock', mockCallback.parseConfig({}, 'connectors[0].config'), deps) as MockCallbackConnector;

  test('loginURL redirects straight to the callback with state', async () => {
    const { url, connectorData } = await conn.loginURL(scopes, 'http://127.0.0.1:5556/dex/callback?x=1', 'st ate');
    assert.equal(url, 'http://127.0.0.1:5556/dex/callback?x=1&state=st+ate');
    assert.equal(connectorData, null);
  });

  test('callback, refresh and token exchange all yield Kilgore Trout with groups "authors" and data "foobar"', async () => {
    const req: CallbackRequest = { method: 'GET', url: new URL('http://x/callback'), headers: {}, form: null };
    const want = kilgore(['authors'], 'foobar');
    const got = [
      await conn.handleCallback(scopes, null, req),
      await conn.refresh(scopes, kilgore([], 'x')),
      await conn.tokenIdentity('urn:ietf:params:oauth:token-type:id_token', 'anything'),
    ];
    for (const id of got) {
      assert.deepEqual({ ...id, connectorData: text(id.connectorData) }, { ...want, connectorData: 'foobar' });
    }
    got[0]?.groups.push('mutated');
    assert.deepEqual((await conn.handleCallback(scopes, null, req)).groups, ['authors'], 'each call returns a fresh copy');
  });

  test('config: any mapping, nothing else', () => {
    assert.deepEqual(mockCallback.parseConfig({ ignored: 1 }, 'p'), {});
    assert.throws(() => mockCallback.parseConfig('x', 'connectors[0].config'), /connectors\[0\]\.config: expected a mapping/);
  });
});

describe('mockPassword', () => {
  test('config: username and password are both required (keys case-insensitive)', () => {
    assert.deepEqual(mockPassword.parseConfig({ UserName: 'u', password: 'p' }, 'c'), { username: 'u', password: 'p' });
    assert.throws(
      () => mockPassword.parseConfig({ password: 5 }, 'connectors[2].config'),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.issues.map((i) => `${i.path}: ${i.message}`).join('|') ===
          'connectors[2].config.username: required|connectors[2].config.password: expected a string',
    );
  });

  const conn = mockPassword.open('pw', { username: 'kilgore', password: 'trout' }, deps) as MockPasswordConnector;

  test('the right credentials log in Kilgore Trout without groups', async () => {
    const { identity, valid } = await conn.login(scopes, 'kilgore', 'trout');
    assert.equal(valid, true);
    assert.ok(identity);
    assert.deepEqual({ ...identity, connectorData: text(identity.connectorData) }, {
      ...kilgore([], ''),
      connectorData: '{"test": "true"}',
    });
    assert.equal(conn.prompt(), '');
  });

  test('wrong credentials are invalid, not errors', async () => {
    for (const [u, p] of [['kilgore', 'wrong'], ['other', 'trout'], ['', ''], ['kilgore', 'trout ']]) {
      assert.deepEqual(await conn.login(scopes, u as string, p as string), { identity: null, valid: false });
    }
  });

  test('refresh returns the identity unchanged', async () => {
    const id = kilgore(['g'], 'd');
    assert.equal(await conn.refresh(scopes, id), id);
  });
});
