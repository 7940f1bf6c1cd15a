/**
 * The switch from dex to Ferry on a store dex v2.45.1 left behind (issue 9), shared by the etcd and Kubernetes
 * flows: Ferry is started with an unchanged dex config on the prepared store, everything dex kept must still work
 * through the HTTP endpoints and the gRPC API, Ferry then creates objects of its own, and the test reads the store
 * back with dex's rules (test/fixtures/dex-store/dex-read-back.ts).
 */

import assert from 'node:assert/strict';
import { hash } from '@node-rs/bcrypt';
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import { type DexScenario, dexRefreshTokenString, PASSWORD } from '../../fixtures/dex-store/scenario.js';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { dexClient, type DexClient } from '../api/grpc-client.js';

export const REDIRECT = 'http://127.0.0.1:5555/callback';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** What Ferry creates through the API after the switch (dex must find these too). */
export const FERRY_MADE = {
  client: { id: 'ferry-made-app', secret: 'ferry-made-secret', name: 'Made by Ferry' },
  password: { email: 'new.user@example.com', username: 'newuser', userId: 'b7f3c1de-5a2b-4d8e-9f10-2233445566aa' },
  connector: { id: 'ferry-made-conn', type: 'mockCallback', name: 'Made by Ferry', config: '{"note":"x"}' },
};

export interface SwitchedFerry extends TestFerry {
  api: DexClient;
}

/** Starts Ferry on `storage` with the config a dex operator already has (password DB, gRPC API, grants). */
export async function startOnDexStore(storage: { type: string; config: Record<string, unknown> }): Promise<SwitchedFerry> {
  const grpcAddr = `127.0.0.1:${await freePort()}`;
  const f = await startTestFerry(
    (issuer, listen) => `
issuer: ${issuer}
storage: ${JSON.stringify(storage)}
web:
  http: ${listen}
grpc:
  addr: ${grpcAddr}
oauth2:
  grantTypes: [authorization_code, refresh_token, password, '${DEVICE_GRANT}']
  passwordConnector: local
enablePasswordDB: true
`,
    // a dex that created connectors through its API ran with this flag; the switch keeps the environment too
    { env: { DEX_API_CONNECTORS_CRUD: 'true' } },
  );
  const api = dexClient(grpcAddr);
  return { ...f, api, stop: async () => (api.close(), f.stop()) };
}

async function post(issuer: string, path: string, form: Record<string, string>, client?: { id: string; secret: string }) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;
  const res = await fetch(issuer + path, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Every item dex kept works on Ferry. Returns the refresh token string Ferry handed back. */
export async function checkSwitch(f: SwitchedFerry, s: DexScenario): Promise<{ refreshToken: string; sub: string }> {
  const client = { id: s.client.id, secret: s.client.secret };

  // keys: a token dex signed (with its current key and with the previous one) verifies at Ferry's /keys
  const jwks = createLocalJWKSet((await (await fetch(`${f.issuer}/keys`)).json()) as JSONWebKeySet);
  for (const k of [s.keys.signing, s.keys.previous]) {
    const jwt = await new SignJWT({ sub: 'dex-signed' })
      .setProtectedHeader({ alg: 'RS256', kid: k.kid })
      .setIssuer(f.issuer)
      .setAudience(s.client.id)
      .setExpirationTime('10m')
      .sign(await importJWK(k.priv, 'RS256'));
    const { payload } = await jwtVerify(jwt, jwks, { issuer: f.issuer, audience: s.client.id });
    assert.equal(payload.sub, 'dex-signed');
  }

  // clients, passwords and connectors created through dex's API
  const got = await f.api.call<{ client: { secret: string; redirect_uris: string[]; name: string } }>('GetClient', { id: s.client.id });
  assert.deepEqual([got.client.secret, got.client.redirect_uris, got.client.name], [s.client.secret, [s.client.redirectURI], s.client.name]);
  const pws = await f.api.call<{ passwords: { email: string; user_id: string }[] }>('ListPasswords');
  assert.ok(pws.passwords.some((p) => p.email === s.password.email && p.user_id === s.password.userID), 'dex password listed');
  const conns = await f.api.call<{ connectors: { id: string; type: string; config: Buffer }[] }>('ListConnectors');
  const conn = conns.connectors.find((c) => c.id === s.connector.id);
  assert.equal(conn?.type, s.connector.type);

  // the refresh token dex handed to the client refreshes (and the new one again)
  const r1 = await post(f.issuer, '/token', { grant_type: 'refresh_token', refresh_token: dexRefreshTokenString(s.refresh.id, s.refresh.token) }, client);
  assert.equal(r1.status, 200, JSON.stringify(r1.json));
  const { payload: idt } = await jwtVerify(String(r1.json.id_token), jwks, { issuer: f.issuer, audience: s.client.id });
  assert.equal(idt.email, s.password.email);
  const r2 = await post(f.issuer, '/token', { grant_type: 'refresh_token', refresh_token: String(r1.json.refresh_token) }, client);
  assert.equal(r2.status, 200, JSON.stringify(r2.json));

  // the password logs in (password grant through the password DB)
  const pw = await post(f.issuer, '/token', { grant_type: 'password', username: s.password.email, password: PASSWORD, scope: 'openid email' }, client);
  assert.equal(pw.status, 200, JSON.stringify(pw.json));
  const { protectedHeader } = await jwtVerify(String(pw.json.id_token), jwks, { issuer: f.issuer });
  assert.equal(protectedHeader.kid, s.keys.signing.kid, "Ferry signs with dex's current key until dex's next rotation");

  // the pending authorization code and device request dex stored
  const code = await post(f.issuer, '/token', { grant_type: 'authorization_code', code: s.authCode.id, redirect_uri: s.client.redirectURI }, client);
  assert.equal(code.status, 200, JSON.stringify(code.json));
  const { payload: codeToken } = await jwtVerify(String(code.json.id_token), jwks, { issuer: f.issuer });
  assert.equal(codeToken.nonce, s.authCode.nonce);
  const device = await post(f.issuer, '/token', { grant_type: DEVICE_GRANT, device_code: s.device.deviceCode }, client);
  assert.deepEqual([device.status, device.json.error], [400, 'authorization_pending']);

  // the refresh token is listed for the user (gRPC ListRefresh takes the ID token's sub)
  const sub = String(idt.sub);
  const refs = await f.api.call<{ refresh_tokens: { id: string; client_id: string }[] }>('ListRefresh', { user_id: sub });
  assert.deepEqual(refs.refresh_tokens.map((r) => [r.id, r.client_id]), [[s.refresh.id, s.client.id]]);
  return { refreshToken: String(r2.json.refresh_token), sub };
}

/** Ferry creates a client, a password and a connector through the API. */
export async function createThroughApi(f: SwitchedFerry): Promise<void> {
  const m = FERRY_MADE;
  await f.api.call('CreateClient', { client: { id: m.client.id, secret: m.client.secret, name: m.client.name, redirect_uris: [REDIRECT] } });
  const pwHash = await hash('ferry-made-pw', 10);
  await f.api.call('CreatePassword', { password: { email: m.password.email, hash: Buffer.from(pwHash), username: m.password.username, user_id: m.password.userId } });
  await f.api.call('CreateConnector', { connector: { id: m.connector.id, type: m.connector.type, name: m.connector.name, config: Buffer.from(m.connector.config) } });
}
