import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCallbackConnector, isRefreshConnector } from '../capabilities.js';
import type { CallbackRequest, Scopes } from '../types.js';
import { ConfigError, UserRefusedError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import { authproxy } from './factory.js';
import type { AuthProxyConnector } from './connector.js';

const deps = { logger: silentLogger(), now: () => new Date(), issuer: 'http://127.0.0.1:5556/dex' };
const GROUPS: Scopes = { offlineAccess: false, groups: true };
const open = (raw: unknown = {}, id = 'proxy') => authproxy.open(id, authproxy.parseConfig(raw, 'c'), deps) as AuthProxyConnector;
const request = (headers: Record<string, string>): CallbackRequest => ({
  method: 'GET',
  url: new URL('http://127.0.0.1:5556/dex/callback/proxy?state=s'),
  headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
  form: null,
});

test('dex defaults for every header', () => {
  assert.deepEqual(authproxy.parseConfig({}, 'c'), {
    userIDHeader: 'X-Remote-User-Id',
    userHeader: 'X-Remote-User',
    userNameHeader: 'X-Remote-User-Name',
    emailHeader: 'X-Remote-User-Email',
    groupHeader: 'X-Remote-Group',
    groupHeaderSeparator: ',',
    staticGroups: [],
  });
  assert.throws(() => authproxy.parseConfig({ userHeader: 'X Remote' }, 'c'), (err: unknown) => err instanceof ConfigError && err.issues[0]?.path === 'c.userHeader');
});

test('a callback connector without refresh; the login URL is <callback>/<id>?state=', async () => {
  const conn = open({}, 'my proxy');
  assert.ok(isCallbackConnector(conn));
  assert.equal(isRefreshConnector(conn), false);
  const { url, connectorData } = await conn.loginURL(GROUPS, 'http://127.0.0.1:5556/dex/callback', 'st&ate');
  assert.equal(url, 'http://127.0.0.1:5556/dex/callback/my%20proxy?state=st%26ate');
  assert.equal(connectorData, null);
});

test('only the user header: it fills every claim', async () => {
  const id = await open().handleCallback(GROUPS, null, request({ 'X-Remote-User': 'jane' }));
  assert.deepEqual(id, { userId: 'jane', username: 'jane', preferredUsername: 'jane', email: 'jane', emailVerified: true, groups: [], connectorData: null });
});

test('all headers, groups split and trimmed, then static groups; groups only with the scope', async () => {
  const conn = open({ staticGroups: ['everyone'] });
  const headers = { 'X-Remote-User': 'jane', 'X-Remote-User-Id': 'u-1', 'X-Remote-User-Name': 'jd', 'X-Remote-User-Email': 'jane@example.org', 'X-Remote-Group': ' admins, dev ,,ops' };
  const id = await conn.handleCallback(GROUPS, null, request(headers));
  assert.deepEqual({ ...id }, { userId: 'u-1', username: 'jane', preferredUsername: 'jd', email: 'jane@example.org', emailVerified: true, groups: ['admins', 'dev', 'ops', 'everyone'], connectorData: null });
  assert.deepEqual((await conn.handleCallback({ offlineAccess: false, groups: false }, null, request(headers))).groups, []);
});

test('custom header names (case-insensitive) and separator', async () => {
  const conn = open({ userHeader: 'X-Forwarded-User', groupHeader: 'x-forwarded-groups', groupHeaderSeparator: '|' });
  const id = await conn.handleCallback(GROUPS, null, request({ 'x-forwarded-user': 'bob', 'X-Forwarded-Groups': 'a|b, c', 'X-Remote-User': 'ignored' }));
  assert.equal(id.username, 'bob');
  assert.deepEqual(id.groups, ['a', 'b, c']);
});

test('a missing or empty user header is refused as unauthenticated (UserRefusedError)', async () => {
  const cases: Record<string, string>[] = [{}, { 'X-Remote-User': '  ' }, { 'X-Remote-User-Email': 'jane@example.org' }];
  for (const headers of cases) {
    await assert.rejects(open().handleCallback(GROUPS, null, request(headers)), (err: unknown) => err instanceof UserRefusedError && err.reason === 'unauthenticated' && err.connectorId === 'proxy');
  }
});
