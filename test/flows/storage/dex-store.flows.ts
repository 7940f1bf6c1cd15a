/**
 * The switch from dex, end to end, on one SQL backend: a store built as dex v2.45.1 leaves it is opened by Ferry
 * with a plain dex config; what dex stored works through the HTTP endpoints and the gRPC API; then the store is
 * read back with dex's encodings (raw SQL, as dex's crud.go reads it) to check dex could open it again.
 * Imports `node:test`: tests only.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify, SignJWT } from 'jose';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { decodeEntities, readForm, UserAgent } from '../../helpers/user-agent.js';
import { dexClient, type DexClient } from '../api/grpc-client.js';
import { DEX_MIGRATION_COUNT } from '../../fixtures/dex-sql/schema.js';
import { dexRefreshTokenString } from '../../fixtures/dex-sql/rows.js';
import { buildDexStore, type DexData, dexData, type DexStoreSubject, ferryConfig, PASSWORD, REDIRECT } from './dex-store.config.js';

const GO_SQLITE_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})?\+00:00$/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

export function dexStoreFlows(name: string, open: () => Promise<DexStoreSubject & { close(): Promise<void> }>): void {
  describe(`${name}: Ferry on a store dex v2.45.1 left behind`, () => {
    let s: DexStoreSubject & { close(): Promise<void> };
    let data: DexData;
    let f: TestFerry | null = null;
    let api: DexClient;
    const form = (body: Record<string, string>, basic = true) => ({
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(basic ? { authorization: `Basic ${Buffer.from(`${data.clientId}:${data.clientSecret}`).toString('base64')}` } : {}),
      },
      body: new URLSearchParams(body).toString(),
    });
    const token = async (body: Record<string, string>) => {
      const r = await fetch(`${f!.issuer}/token`, form(body));
      return { status: r.status, json: (await r.json()) as Record<string, string> };
    };
    const table = (t: string) => (s.flavor === 'mysql' ? `\`${t}\`` : t);
    const isBytes = async (t: string, col: string, where = '1 = 1') => {
      if (s.flavor === 'sqlite') {
        const rows = await s.exec(`select typeof(${col}) as ty from ${table(t)} where ${where}`);
        return rows.every((r) => r.ty === 'blob');
      }
      return (await s.exec(`select ${col} as v from ${table(t)} where ${where}`)).every((r) => Buffer.isBuffer(r.v));
    };
    const json = (v: unknown): unknown => JSON.parse(Buffer.from(v as Buffer).toString('utf8'));

    before(async () => {
      s = await open();
      data = await dexData();
      await buildDexStore(s, data);
      const grpcAddr = `127.0.0.1:${await freePort()}`;
      // dex's gate for the connector RPCs (dex v2.45.1 pkg/featureflags): an operator using them has it set.
      f = await startTestFerry(ferryConfig(s, grpcAddr), { env: { DEX_API_CONNECTORS_CRUD: 'true' } });
      api = dexClient(grpcAddr);
    });
    after(async () => {
      api?.close();
      await f?.stop();
      await s?.close();
    });

    test('clients, passwords and connectors dex created through its API are there', async () => {
      const { clients } = await api.call<{ clients: { id: string; redirect_uris: string[]; name: string }[] }>('ListClients');
      assert.deepEqual(clients.find((c) => c.id === data.clientId)?.redirect_uris, [REDIRECT]);
      const { passwords } = await api.call<{ passwords: { email: string; user_id: string }[] }>('ListPasswords');
      assert.equal(passwords.find((p) => p.email === data.email)?.user_id, data.userId);
      const verified = await api.call<{ verified: boolean }>('VerifyPassword', { email: data.email, password: PASSWORD });
      assert.equal(verified.verified, true);
      const { connectors } = await api.call<{ connectors: { id: string; type: string }[] }>('ListConnectors');
      assert.equal(connectors.find((c) => c.id === data.connectorId)?.type, 'mockCallback');
    });

    test("tokens dex signed verify against Ferry's /keys (signing key and verification keys)", async () => {
      const jwks = createLocalJWKSet((await (await fetch(`${f!.issuer}/keys`)).json()) as JSONWebKeySet);
      for (const [key, kid] of [[data.signingKey, 'dex-signing-1'], [data.oldKey, 'dex-old-0']] as const) {
        const jwt = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(f!.issuer).setExpirationTime('5m').sign(key);
        const { payload } = await jwtVerify(jwt, jwks, { issuer: f!.issuer });
        assert.equal(payload.sub, 'x');
      }
    });

    test('the refresh token dex handed out refreshes, rotating as dex does', async () => {
      const dexString = dexRefreshTokenString(data.refreshId, data.refreshSecret);
      const first = await token({ grant_type: 'refresh_token', refresh_token: dexString });
      assert.equal(first.status, 200, JSON.stringify(first.json));
      assert.ok(first.json.id_token);
      const [row] = await s.exec(`select token, obsolete_token from refresh_token where id = '${data.refreshId}'`);
      assert.equal(row?.obsolete_token, data.refreshSecret, 'the old secret is kept as obsolete_token');
      assert.notEqual(row?.token, data.refreshSecret);
      assert.equal(first.json.refresh_token, dexRefreshTokenString(data.refreshId, String(row?.token)), "the new token in dex's wire form");
      // The new token refreshes; with no reuse interval configured the previous secret is then refused (as dex does;
      // Ferry also revokes the whole grant then, docs/compatibility.md, so the reuse comes last).
      const next = await token({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token! });
      assert.equal(next.status, 200, JSON.stringify(next.json));
      const reuse = await token({ grant_type: 'refresh_token', refresh_token: dexString });
      assert.equal(reuse.status, 400, JSON.stringify(reuse.json));
      const wrong = await token({ grant_type: 'refresh_token', refresh_token: dexRefreshTokenString(data.refreshId, 'not-the-secret') });
      assert.equal(wrong.status, 400);
    });

    test('the auth code dex issued is redeemed; the device code dex issued is pending', async () => {
      const code = await token({ grant_type: 'authorization_code', code: data.code, redirect_uri: REDIRECT });
      assert.equal(code.status, 200, JSON.stringify(code.json));
      const claims = JSON.parse(Buffer.from(code.json.id_token!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      assert.equal(claims.email, data.email);
      assert.equal(claims.nonce, 'nonce-1');
      const device = await fetch(`${f!.issuer}/token`, form({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: data.deviceCode, client_id: data.clientId,
      }, false));
      assert.equal(((await device.json()) as { error?: string }).error, 'authorization_pending');
    });

    test('the stored password logs in through the browser; the new refresh token is stored as dex stores them', async () => {
      const ua = new UserAgent(f!.issuer);
      const q = new URLSearchParams({ client_id: data.clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email offline_access', state: 'st' });
      let page = await ua.browse(`${f!.issuer}/auth?${q}`);
      const link = [...page.html.matchAll(/href="([^"]*\/auth\/local[^"]*)"/g)][0]?.[1];
      assert.ok(link, 'the password connector is offered');
      page = await ua.browse(new URL(decodeEntities(link), f!.issuer).href);
      page = await ua.submit(readForm(page), { login: data.email, password: PASSWORD });
      const code = page.redirect?.searchParams.get('code');
      assert.ok(code, 'redirected back with a code');
      const tokens = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
      assert.equal(tokens.status, 200, JSON.stringify(tokens.json));
      assert.ok(tokens.json.refresh_token);
      await api.call('CreateClient', { client: { id: 'made-by-ferry', secret: 's', redirect_uris: [REDIRECT], name: 'Made by Ferry' } });
    });

    test('afterwards the store is still in dex v2.45.1 format, its migrations untouched', async () => {
      await f!.stop();
      f = null;
      const [m] = await s.exec('select count(*) as n, max(num) as top from migrations');
      assert.equal(Number(m?.n), DEX_MIGRATION_COUNT[s.flavor]);
      assert.equal(Number(m?.top), DEX_MIGRATION_COUNT[s.flavor]);
      for (const [t, cols] of [
        ['client', ['redirect_uris', 'trusted_peers']],
        ['refresh_token', ['scopes', 'claims_groups']],
        ['password', ['hash', 'groups']],
        ['offline_session', ['refresh']],
        ['keys', ['verification_keys', 'signing_key', 'signing_key_pub']],
      ] as const) {
        for (const c of cols) assert.ok(await isBytes(t, s.flavor === 'mysql' && c === 'groups' ? '`groups`' : c), `${t}.${c} holds bytes`);
      }
      const clients = await s.exec('select id, redirect_uris, public from client');
      assert.deepEqual(clients.map((c) => c.id).sort(), [data.clientId, 'made-by-ferry']);
      for (const c of clients) assert.deepEqual(json(c.redirect_uris), [REDIRECT]);
      if (s.flavor !== 'postgres') assert.ok(clients.every((c) => c.public === 0), 'booleans are 1/0');
      const tokens = await s.exec('select id, token, obsolete_token, created_at, last_used, scopes from refresh_token');
      // The login replaced dex's token of this (user, connector, client), as dex does: the one left is Ferry's.
      assert.deepEqual(tokens.map((t) => t.id).filter((id) => id !== data.refreshId).length, 1, 'the token Ferry issued');
      for (const t of tokens) {
        assert.ok(typeof t.token === 'string' && t.token !== '' && typeof t.obsolete_token === 'string');
        assert.ok(Array.isArray(json(t.scopes)));
        if (s.flavor === 'sqlite') for (const v of [t.created_at, t.last_used]) assert.match(String(v), GO_SQLITE_TIME);
        else assert.ok(t.created_at instanceof Date && t.created_at.getUTCFullYear() > 2000);
      }
      const [session] = await s.exec(`select refresh from offline_session where user_id = '${data.userId}' and conn_id = 'local'`);
      const refs = json(session?.refresh) as Record<string, Record<string, unknown>>;
      const ref = refs[data.clientId]!;
      assert.deepEqual(Object.keys(ref).sort(), ['ClientID', 'CreatedAt', 'ID', 'LastUsed']);
      assert.ok(tokens.some((t) => t.id === ref.ID), 'the session points at a stored token');
      assert.match(String(ref.LastUsed), RFC3339);
      const [keys] = await s.exec(`select signing_key, verification_keys from ${table('keys')}`);
      const signing = json(keys?.signing_key) as Record<string, unknown>;
      assert.ok(signing.kty === 'RSA' && typeof signing.kid === 'string' && typeof signing.d === 'string');
      const vks = json(keys?.verification_keys);
      assert.ok(vks === null || (Array.isArray(vks) && vks.every((v: Record<string, unknown>) => 'publicKey' in v && RFC3339.test(String(v.expiry)))));
      const [pw] = await s.exec(`select hash from password where email = '${data.email}'`);
      assert.match(Buffer.from(pw?.hash as Buffer).toString(), /^\$2[aby]\$/);
    });
  });
}
