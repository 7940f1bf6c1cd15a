/**
 * The outbox worker against a real HTTP receiver on loopback and the memory store: a notification is delivered
 * once with a valid logout token, retried with backoff after a 503, dropped after a 400, not claimed while another
 * replica's lease runs, and claimed by exactly one of several workers racing for it.
 */

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { BACKCHANNEL_LOGOUT_DEFAULTS } from '../../config/backchannel-logout.js';
import { createLocalSigner } from '../../keys/local.js';
import { silentLogger } from '../../lib/logger.js';
import { openMemoryStorage } from '../../storage/memory/index.js';
import type { Storage } from '../../storage/storage.js';
import type { AuthSession, Client } from '../../storage/types.js';
import { createDeliveryWorker } from './delivery-worker.js';
import { createSessionEnder } from './end-session.js';
import { BACKCHANNEL_LOGOUT_EVENT } from './logout-token.js';
import { deliveryId } from './outbox.js';

const ISSUER = 'https://id.example/dex';
let server: Server;
let port = 0;
let answer = 200;
const tokens: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      tokens.push(new URLSearchParams(body).get('logout_token') ?? '');
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
after(() => server.close());

const client = (id: string, extra: Partial<Client> = {}): Client => ({
  id, secret: 's', redirectURIs: [], trustedPeers: [], public: false, name: id, logoURL: '', allowedConnectors: [],
  postLogoutRedirectURIs: [], backchannelLogoutURI: `http://127.0.0.1:${port}/bc/${id}`, refreshTokenLifetime: '',
  clientCredentialsClaims: null, ssoSharedWith: null, mfaChain: null, ...extra,
});

const session = (clients: string[]): AuthSession => {
  const t = new Date('2030-01-01T00:00:00Z');
  const state = { authenticatedAt: t, lastActivity: t, lastTokenIssuedAt: null, viaSSO: false };
  return {
    id: 'sess-1', secret: 'x', userId: 'u1', connectorId: 'local', clientStates: Object.fromEntries(clients.map((c) => [c, state])),
    createdAt: t, lastActivity: t, ipAddress: '', userAgent: '', absoluteExpiry: t, idleExpiry: t, logoutState: null,
  };
};

async function setup(clients: Client[]): Promise<{ storage: Storage; now: { t: Date }; worker: (owner: string) => ReturnType<typeof createDeliveryWorker> }> {
  const storage = openMemoryStorage();
  for (const c of clients) await storage.createClient(c);
  const now = { t: new Date() };
  const signer = createLocalSigner({ storage, algorithm: 'RS256', rotationPeriod: 3600e3, idTokensValidFor: 3600e3, logger: silentLogger(), now: () => now.t });
  await signer.rotate();
  const config = { ...BACKCHANNEL_LOGOUT_DEFAULTS, retryAfter: 1000, maxRetryDelay: 4000, giveUpAfter: 60_000 };
  const worker = (owner: string) => createDeliveryWorker({ storage, signer, issuer: ISSUER, logger: silentLogger(), now: () => now.t, config, owner, random: () => 1 });
  return { storage, now, worker };
}

test('delivers one verified logout token per client with a back-channel URI, then the outbox is empty', async () => {
  tokens.length = 0;
  answer = 200;
  const { storage, now, worker } = await setup([client('a'), client('b', { backchannelLogoutURI: '' })]);
  await createSessionEnder({ storage, logger: silentLogger(), now: () => now.t }).endSession(session(['a', 'b']), 'logout');
  assert.equal(await worker('w1').runOnce(), 1);
  assert.equal(tokens.length, 1);
  const keys = createLocalJWKSet({ keys: (await storage.getKeys()).signingKeyPub ? [(await storage.getKeys()).signingKeyPub!] : [] });
  const { payload, protectedHeader } = await jwtVerify(tokens[0]!, keys, { issuer: ISSUER, audience: 'a', typ: 'logout+jwt' });
  assert.equal(protectedHeader.typ, 'logout+jwt');
  assert.equal(payload.sid, 'sess-1');
  assert.deepEqual(payload.events, { [BACKCHANNEL_LOGOUT_EVENT]: {} });
  assert.equal(payload.nonce, undefined);
  assert.deepEqual(await storage.listLogoutDeliveries(), []);
  await assert.rejects(storage.getAuthSession('sess-1'));
});

test('a 503 is retried after the backoff; a later 200 delivers', async () => {
  tokens.length = 0;
  answer = 503;
  const { storage, now, worker } = await setup([client('a')]);
  const w = worker('w1');
  await createSessionEnder({ storage, logger: silentLogger(), now: () => now.t }).notify(session(['a']));
  assert.equal(await w.runOnce(), 1);
  const [entry] = await storage.listLogoutDeliveries();
  assert.equal(entry?.attempts, 1);
  assert.equal(entry?.lastError, 'status 503');
  assert.equal(entry?.leaseOwner, '', 'the lease is released');
  assert.equal(entry?.nextAttemptAt.getTime(), now.t.getTime() + 1000, 'first retry after retryAfter (jitter at its top)');
  assert.equal(await w.runOnce(), 0, 'not due yet');
  answer = 200;
  now.t = new Date(now.t.getTime() + 1000);
  assert.equal(await w.runOnce(), 1);
  assert.equal(tokens.length, 2, 'a fresh token per attempt');
  assert.notEqual(tokens[0], tokens[1]);
  assert.deepEqual(await storage.listLogoutDeliveries(), []);
});

test('a 400 (the relying party refused the token) is dropped, not retried', async () => {
  answer = 400;
  const { storage, now, worker } = await setup([client('a')]);
  await createSessionEnder({ storage, logger: silentLogger(), now: () => now.t }).notify(session(['a']));
  await worker('w1').runOnce();
  assert.deepEqual(await storage.listLogoutDeliveries(), []);
});

test('plain http to a non-loopback host is refused without a request', async () => {
  tokens.length = 0;
  const { storage, now, worker } = await setup([client('a', { backchannelLogoutURI: 'http://rp.example/bc' })]);
  await createSessionEnder({ storage, logger: silentLogger(), now: () => now.t }).notify(session(['a']));
  await worker('w1').runOnce();
  assert.equal(tokens.length, 0);
  assert.deepEqual(await storage.listLogoutDeliveries(), []);
});

test('an entry leased by another replica waits for the lease; racing workers deliver it once', async () => {
  tokens.length = 0;
  answer = 200;
  const { storage, now, worker } = await setup([client('a')]);
  await createSessionEnder({ storage, logger: silentLogger(), now: () => now.t }).notify(session(['a']));
  const id = deliveryId('sess-1', 'a');
  await storage.updateLogoutDelivery(id, (d) => ({ ...d, leaseOwner: 'dead-replica', leaseUntil: new Date(now.t.getTime() + 30_000) }));
  assert.equal(await worker('w1').runOnce(), 0, 'a live lease is respected');
  now.t = new Date(now.t.getTime() + 30_000);
  const handled = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((o) => worker(o).runOnce()));
  assert.equal(handled.reduce((a, b) => a + b, 0), 1, 'exactly one worker claimed it');
  assert.equal(tokens.length, 1);
});

test('ending a session twice queues one notification', async () => {
  const { storage, now } = await setup([client('a')]);
  const ender = createSessionEnder({ storage, logger: silentLogger(), now: () => now.t });
  await Promise.all([ender.notify(session(['a'])), ender.notify(session(['a']))]);
  assert.equal((await storage.listLogoutDeliveries()).length, 1);
});
