/**
 * Connector RPCs behind `DEX_API_CONNECTORS_CRUD`: refused while the flag is off; with it on, full CRUD with
 * validation by the connector type's own config parser, static connectors read-only, and a connector created
 * through the API usable for a real login — re-opened with its new config after UpdateConnector bumps its
 * resource version.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, type JWTPayload } from 'jose';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { type Page, readForm, UserAgent } from '../../helpers/user-agent.js';
import { type ApiFerry, REDIRECT, startApiFerry } from './api.config.js';
import { grpc } from './grpc-client.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const MOCK_PW = { id: 'api-pw', type: 'mockPassword', name: 'API Password', config: json({ username: 'kilgore', password: 'first-pw' }) };

describe('connector CRUD flag off', () => {
  let f: ApiFerry;
  before(async () => {
    f = await startApiFerry({ env: {} });
  });
  after(() => f.stop());

  test('every connector RPC answers FAILED_PRECONDITION naming the flag', async () => {
    for (const [method, req] of [
      ['CreateConnector', { connector: MOCK_PW }],
      ['UpdateConnector', { id: 'api-pw', new_name: 'x' }],
      ['DeleteConnector', { id: 'api-pw' }],
      ['ListConnectors', {}],
    ] as const) {
      const err = await f.api.fail(method, req);
      assert.equal(err.code, grpc.status.FAILED_PRECONDITION, method);
      assert.equal(err.details, 'DEX_API_CONNECTORS_CRUD feature flag is not enabled', method);
    }
    await assert.rejects(f.ferry.deps.storage.getConnector('api-pw'), { code: 'ERR_NOT_FOUND' }, 'nothing stored');
  });
});

describe('connector CRUD flag on', () => {
  let f: ApiFerry;
  before(async () => {
    // Each login ends on the approval page (dex v2.45.1's flow, sessions off).
    f = await startApiFerry({ env: { DEX_API_CONNECTORS_CRUD: 'true', DEX_SESSIONS_ENABLED: 'false' } });
  });
  after(() => f.stop());

  /** Logs in through connector `id` with a password; returns the ID token's claims, or the failed page. */
  async function login(id: string, username: string, password: string): Promise<{ claims: JWTPayload } | { failed: Page }> {
    const ua = new UserAgent(f.issuer);
    const q = new URLSearchParams({ client_id: 'static-app', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email', state: 'st-1' });
    let page = await ua.browse(`${f.issuer}/auth/${id}?${q}`);
    assert.equal(page.status, 200, `login form of ${id}`);
    page = await ua.submit(readForm(page), { login: username, password });
    if (page.status !== 200 || !/approval|approve/i.test(page.html)) return { failed: page };
    page = await ua.submit(readForm(page), { approval: 'approve' });
    const code = page.redirect?.searchParams.get('code');
    assert.ok(code, 'an authorization code');
    const r = await fetch(`${f.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('static-app:static-secret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
    });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { id_token: string };
    return { claims: decodeJwt(body.id_token) };
  }

  test('validation: required fields, JSON, the type’s own config parser, grant types', async () => {
    const cases: Array<[object, RegExp]> = [
      [{}, /^no connector supplied$/],
      [{ connector: { ...MOCK_PW, id: '' } }, /^no id supplied$/],
      [{ connector: { ...MOCK_PW, type: '' } }, /^no type supplied$/],
      [{ connector: { ...MOCK_PW, name: '' } }, /^no name supplied$/],
      [{ connector: { ...MOCK_PW, config: Buffer.alloc(0) } }, /^no config supplied$/],
      [{ connector: { ...MOCK_PW, config: Buffer.from('{not json') } }, /^invalid config supplied$/],
      [{ connector: { ...MOCK_PW, type: 'nope' } }, /^unknown connector type "nope"$/],
      [{ connector: { ...MOCK_PW, config: json({ username: 'kilgore' }) } }, /^invalid connector config: config\.password/],
      [{ connector: { ...MOCK_PW, grant_types: ['authorization_code', 'bogus'] } }, /^unknown grant type "bogus"$/],
    ];
    for (const [req, message] of cases) {
      const err = await f.api.fail('CreateConnector', req);
      assert.equal(err.code, grpc.status.INVALID_ARGUMENT, String(message));
      assert.match(err.details, message);
    }
    assert.equal((await f.api.fail('UpdateConnector', { id: 'x' })).details, 'nothing to update');
    assert.equal((await f.api.fail('UpdateConnector', { new_name: 'x' })).details, 'no id supplied');
    assert.equal((await f.api.fail('DeleteConnector', {})).details, 'no id supplied');
  });

  test('static connectors are listed and read-only', async () => {
    const { connectors } = await f.api.call<{ connectors: Array<{ id: string; type: string }> }>('ListConnectors');
    assert.deepEqual(connectors.map((c) => `${c.id}:${c.type}`).sort(), ['local:local', 'mock:mockCallback']);
    for (const [method, req] of [
      ['CreateConnector', { connector: { ...MOCK_PW, id: 'mock' } }],
      ['UpdateConnector', { id: 'mock', new_name: 'x' }],
      ['DeleteConnector', { id: 'local' }],
    ] as const) {
      const err = await f.api.fail(method, req);
      assert.equal(err.code, grpc.status.FAILED_PRECONDITION, method);
      assert.match(err.details, /read-only/);
    }
  });

  test('create → login works; already_exists; listed with its config', async () => {
    const res = await f.api.call<{ already_exists: boolean }>('CreateConnector', { connector: { ...MOCK_PW, grant_types: ['authorization_code'] } });
    assert.equal(res.already_exists, false);
    assert.equal((await f.ferry.deps.storage.getConnector('api-pw')).resourceVersion, '1');
    assert.equal((await f.api.call<{ already_exists: boolean }>('CreateConnector', { connector: MOCK_PW })).already_exists, true);
    const { connectors } = await f.api.call<{ connectors: Array<{ id: string; name: string; config: Buffer; grant_types: string[] }> }>('ListConnectors');
    const mine = connectors.find((c) => c.id === 'api-pw');
    assert.equal(mine?.name, 'API Password');
    assert.deepEqual(JSON.parse(mine?.config.toString() ?? ''), { username: 'kilgore' }, 'listed without its secrets');
    assert.deepEqual(mine?.grant_types, ['authorization_code']);

    const list = await new UserAgent(f.issuer).browse(
      `${f.issuer}/auth?${new URLSearchParams({ client_id: 'static-app', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid' })}`,
    );
    assert.match(list.html, /API Password/, 'shown on the connector list');
    const ok = await login('api-pw', 'kilgore', 'first-pw');
    assert.ok('claims' in ok);
    assert.equal(ok.claims.sub, encodeSubject('0-385-28089-0', 'api-pw'));
  });

  test('update bumps the resource version and the next login uses the new config', async () => {
    const res = await f.api.call<{ not_found: boolean }>('UpdateConnector', {
      id: 'api-pw',
      new_config: json({ username: 'kilgore', password: 'second-pw' }),
      new_name: 'API Password v2',
      new_grant_types: { grant_types: [] },
    });
    assert.equal(res.not_found, false);
    const stored = await f.ferry.deps.storage.getConnector('api-pw');
    assert.equal(stored.resourceVersion, '2');
    assert.deepEqual(stored.grantTypes, [], 'present-but-empty grant types mean all');
    const old = await login('api-pw', 'kilgore', 'first-pw');
    assert.ok('failed' in old, 'the old password no longer works');
    const ok = await login('api-pw', 'kilgore', 'second-pw');
    assert.ok('claims' in ok, 'the new password works');

    const bad = await f.api.fail('UpdateConnector', { id: 'api-pw', new_config: json({ password: 'only' }) });
    assert.equal(bad.code, grpc.status.INVALID_ARGUMENT);
    assert.equal((await f.ferry.deps.storage.getConnector('api-pw')).resourceVersion, '2', 'a refused update writes nothing');
    const missing = await f.api.call<{ not_found: boolean }>('UpdateConnector', { id: 'ghost', new_name: 'x' });
    assert.equal(missing.not_found, true);
  });

  test('a change made by another replica (storage only) is picked up by the resource version', async () => {
    await f.ferry.deps.storage.updateConnector('api-pw', (old) => ({
      ...old,
      config: JSON.stringify({ username: 'kilgore', password: 'third-pw' }),
      resourceVersion: '3',
    }));
    assert.ok('claims' in (await login('api-pw', 'kilgore', 'third-pw')));
  });

  test('delete: gone from the list and from /auth; not_found the second time', async () => {
    assert.equal((await f.api.call<{ not_found: boolean }>('DeleteConnector', { id: 'api-pw' })).not_found, false);
    assert.equal((await f.api.call<{ not_found: boolean }>('DeleteConnector', { id: 'api-pw' })).not_found, true);
    const q = new URLSearchParams({ client_id: 'static-app', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid' });
    const page = await new UserAgent(f.issuer).browse(`${f.issuer}/auth/api-pw?${q}`);
    assert.ok(page.status >= 400 || page.redirect?.searchParams.get('error'), 'the deleted connector cannot be used');
    const { connectors } = await f.api.call<{ connectors: Array<{ id: string }> }>('ListConnectors');
    assert.ok(!connectors.some((c) => c.id === 'api-pw'));
  });
});
