/**
 * Settings whose only tests read the config back, tested by what they do: `web.allowedOrigins` and
 * `web.allowedHeaders` (CORS on the API routes, never on the browser flow), `oauth2.alwaysShowLoginScreen` (the
 * connector list even with one connector), and secrets taken from the environment (`staticClients[].idEnv` /
 * `secretEnv`, `staticPasswords[].hashFromEnv`) used for a real token request.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hash } from '@node-rs/bcrypt';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';

const ORIGIN = 'https://app.example.com';
const REDIRECT = 'https://app.example.com/cb';

describe('web.allowedOrigins and web.allowedHeaders', () => {
  let f: TestFerry;
  before(async () => {
    f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage: { type: memory }
web: { http: '${listen}', allowedOrigins: ['${ORIGIN}'], allowedHeaders: [Authorization, X-Requested-With] }
connectors: [{ type: mockCallback, id: mock, name: Mock }]
staticClients: [{ id: app, secret: s3cret, name: App, redirectURIs: ['${REDIRECT}'] }]
`);
  });
  after(() => f.stop());

  test('an allowed origin gets CORS headers on discovery and keys', async () => {
    for (const path of ['/.well-known/openid-configuration', '/keys']) {
      const r = await fetch(`${f.issuer}${path}`, { headers: { origin: ORIGIN } });
      assert.equal(r.status, 200, path);
      assert.equal(r.headers.get('access-control-allow-origin'), ORIGIN, path);
    }
  });

  test('a preflight for /token allows the configured headers; another origin gets no CORS headers', async () => {
    const preflight = (origin: string) => fetch(`${f.issuer}/token`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    const ok = await preflight(ORIGIN);
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), ORIGIN);
    assert.deepEqual(ok.headers.get('access-control-allow-headers')?.toLowerCase().split(/,\s*/).sort(), ['authorization', 'x-requested-with']);
    const other = await preflight('https://evil.example.com');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  test('the browser flow never answers cross-origin', async () => {
    const r = await fetch(`${f.issuer}/auth?client_id=app&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code&scope=openid`, {
      headers: { origin: ORIGIN }, redirect: 'manual',
    });
    assert.ok(r.status < 500);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  });
});

describe('without web.allowedOrigins', () => {
  test('no CORS headers at all', async () => {
    const f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage: { type: memory }
web: { http: '${listen}' }
connectors: [{ type: mockCallback, id: mock, name: Mock }]
`);
    try {
      const r = await fetch(`${f.issuer}/.well-known/openid-configuration`, { headers: { origin: ORIGIN } });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('access-control-allow-origin'), null);
    } finally {
      await f.stop();
    }
  });
});

describe('oauth2.alwaysShowLoginScreen', () => {
  const auth = (f: TestFerry) =>
    fetch(`${f.issuer}/auth?client_id=app&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code&scope=openid&state=s`, { redirect: 'manual' });
  const start = (always: boolean) => startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage: { type: memory }
web: { http: '${listen}' }
oauth2: { alwaysShowLoginScreen: ${always} }
connectors: [{ type: mockCallback, id: mock, name: Mock }]
staticClients: [{ id: app, secret: s3cret, name: App, redirectURIs: ['${REDIRECT}'] }]
`);

  test('true: the connector list is shown even for a single connector', async () => {
    const f = await start(true);
    try {
      const r = await auth(f);
      assert.equal(r.status, 200);
      assert.match(await r.text(), /href="[^"]*\/auth\/mock\?/);
    } finally {
      await f.stop();
    }
  });

  test('false (default): a single connector starts at once', async () => {
    const f = await start(false);
    try {
      const r = await auth(f);
      assert.ok(r.status === 302 || r.status === 303, `status ${r.status}`);
      assert.match(r.headers.get('location') ?? '', /\/callback\?state=/);
    } finally {
      await f.stop();
    }
  });
});

describe('secrets from the environment', () => {
  let f: TestFerry;
  before(async () => {
    const env = { APP_ID: 'env-app', APP_SECRET: 'env-secret', ALICE_HASH: await hash('alice-password', 10) };
    f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage: { type: memory }
web: { http: '${listen}' }
enablePasswordDB: true
oauth2: { passwordConnector: local }
staticPasswords: [{ email: alice@example.com, hashFromEnv: ALICE_HASH, username: alice, userID: 8d4c-alice }]
staticClients: [{ idEnv: APP_ID, secretEnv: APP_SECRET, name: From env, redirectURIs: ['${REDIRECT}'] }]
`, { env });
  });
  after(() => f.stop());

  const passwordGrant = (client: string, password: string) => fetch(`${f.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(client).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'password', username: 'alice@example.com', password, scope: 'openid email' }),
  });

  test('the client from idEnv/secretEnv and the password from hashFromEnv get tokens', async () => {
    const r = await passwordGrant('env-app:env-secret', 'alice-password');
    const body = (await r.json()) as { id_token?: string };
    assert.equal(r.status, 200, JSON.stringify(body));
    const claims = JSON.parse(Buffer.from(body.id_token!.split('.')[1]!, 'base64url').toString()) as { aud: string; email: string };
    assert.deepEqual([claims.aud, claims.email], ['env-app', 'alice@example.com']);
  });

  test("the variables' names are not credentials", async () => {
    assert.equal((await passwordGrant('APP_ID:APP_SECRET', 'alice-password')).status, 401);
    assert.equal((await passwordGrant('env-app:env-secret', 'ALICE_HASH')).status, 401);
  });
});
