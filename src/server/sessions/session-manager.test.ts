/**
 * SessionManager against the memory store, through fastify's cookie handling: one session per browser, the same
 * user again updates it, another user replaces (and deletes) it, a wrong secret or an expired session is refused
 * and the cookie cleared, and the cookie carries dex's attributes.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { silentLogger } from '../../lib/logger.js';
import { openMemoryStorage } from '../../storage/memory/index.js';
import type { AuthRequest } from '../../storage/types.js';
import { recordIdentity } from './identity.js';
import { encodeSessionCookie } from './session-cookie.js';
import { SessionManager } from './session-manager.js';

const HOUR = 3_600_000;
const CONFIG = { cookieName: 'dex_session', absoluteLifetime: 24 * HOUR, validIfNotUsedFor: HOUR, rememberMeCheckedByDefault: true, cookieEncryptionKey: '', ssoSharedWithDefault: 'none' as const };

function loggedIn(userId: string, clientId = 'app'): AuthRequest {
  const claims = { userId, username: userId, preferredUsername: '', email: `${userId}@x`, emailVerified: true, groups: [] };
  return { clientId, connectorId: 'local', claims } as unknown as AuthRequest;
}

async function setup(issuer = 'https://id.example/dex') {
  let now = new Date('2026-01-01T00:00:00Z');
  const storage = openMemoryStorage();
  const m = new SessionManager({ config: CONFIG, storage, logger: silentLogger(), now: () => now, issuer, addressOf: () => '192.0.2.1' });
  const app = Fastify();
  await app.register(cookie);
  app.post('/login/:user', async (req, reply) => {
    const { user } = req.params as { user: string };
    await recordIdentity(storage, loggedIn(user), now);
    const s = await m.establish(req, reply, loggedIn(user), { rememberMe: (req.query as { r?: string }).r === '1' });
    return { id: s.id };
  });
  app.get('/current', async (req, reply) => ({ id: (await m.current(req, reply))?.id ?? null }));
  app.post('/issued/:user', async (req, reply) => {
    const { user } = req.params as { user: string };
    return { id: await m.issuedFor(req, reply, loggedIn(user, 'other-app'), now) };
  });
  const jarOf = (setCookie: string | string[] | undefined) => String([setCookie].flat()[0] ?? '').split(';')[0] ?? '';
  return { m, app, storage, jarOf, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

test('a login sets dex\'s cookie; the same user again keeps the session, another user replaces and deletes it', async () => {
  const { app, storage, jarOf } = await setup();
  const first = await app.inject({ method: 'POST', url: '/login/alice?r=1' });
  const setCookie = String(first.headers['set-cookie']);
  assert.match(setCookie, /^dex_session=[A-Za-z0-9_-]+; Max-Age=86400; Path=\/dex; HttpOnly; Secure; SameSite=Lax$/);
  const jar = jarOf(first.headers['set-cookie']);
  const id = first.json().id as string;
  assert.equal((await app.inject({ url: '/current', headers: { cookie: jar } })).json().id, id);
  const again = await app.inject({ method: 'POST', url: '/login/alice', headers: { cookie: jar } });
  assert.equal(again.json().id, id, 'same session');
  assert.doesNotMatch(String(again.headers['set-cookie']), /Max-Age/, 'without remember-me: a browser-session cookie');
  const bob = await app.inject({ method: 'POST', url: '/login/bob', headers: { cookie: jar } });
  assert.notEqual(bob.json().id, id);
  await assert.rejects(storage.getAuthSession(id), /not found/i, 'the replaced session is deleted');
  const ui = await storage.getUserIdentity('bob', 'local');
  assert.equal(ui.claims.email, 'bob@x', 'the identity is recorded');
});

test('attack: a guessed secret (the id is public as sid) is refused and the cookie cleared', async () => {
  const { app } = await setup();
  const id = (await app.inject({ method: 'POST', url: '/login/alice' })).json().id as string;
  const forged = `dex_session=${encodeSessionCookie(id, 'guess', Buffer.alloc(0))}`;
  const r = await app.inject({ url: '/current', headers: { cookie: forged } });
  assert.equal(r.json().id, null);
  assert.match(String(r.headers['set-cookie']), /^dex_session=; Max-Age=0;/);
  const junk = await app.inject({ url: '/current', headers: { cookie: 'dex_session=%%%' } });
  assert.equal(junk.json().id, null);
  assert.match(String(junk.headers['set-cookie']), /Max-Age=0/);
});

test('an idle or too old session is refused and deleted on sight', async () => {
  const { app, storage, jarOf, advance } = await setup();
  const first = await app.inject({ method: 'POST', url: '/login/alice' });
  const jar = jarOf(first.headers['set-cookie']);
  const id = first.json().id as string;
  advance(HOUR - 1000);
  assert.equal((await app.inject({ url: '/current', headers: { cookie: jar } })).json().id, id, 'still alive');
  advance(2000);
  assert.equal((await app.inject({ url: '/current', headers: { cookie: jar } })).json().id, null, 'idle for over an hour');
  await assert.rejects(storage.getAuthSession(id), /not found/i);
});

test('an http issuer at the root: no Secure, Path=/', async () => {
  const { app } = await setup('http://127.0.0.1:5556');
  const r = await app.inject({ method: 'POST', url: '/login/alice' });
  assert.match(String(r.headers['set-cookie']), /; Path=\/; HttpOnly; SameSite=Lax$/);
});

test('issuedFor: the own session is touched in one update; a guessed secret, another user or an expired session is not', async () => {
  const { m, app, storage, jarOf, advance } = await setup();
  const first = await app.inject({ method: 'POST', url: '/login/alice' });
  const jar = jarOf(first.headers['set-cookie']);
  const id = first.json().id as string;
  advance(60_000);
  const mine = await app.inject({ method: 'POST', url: '/issued/alice', headers: { cookie: jar } });
  assert.equal(mine.json().id, id);
  const touched = await storage.getAuthSession(id);
  assert.equal(touched.clientStates['other-app'], undefined, 'a client without state is not added without `via`');
  // Client ids that name Object.prototype members have no state either (they once read the inherited function).
  for (const clientId of ['toString', 'constructor', 'hasOwnProperty']) await m.touchClient(id, clientId, new Date('2026-01-01T00:01:00Z'));
  assert.deepEqual(Object.keys((await storage.getAuthSession(id)).clientStates), Object.keys(touched.clientStates));
  assert.equal(touched.lastActivity.getTime(), Date.parse('2026-01-01T00:01:00Z'));
  const before = JSON.stringify(await storage.getAuthSession(id));
  assert.equal((await app.inject({ method: 'POST', url: '/issued/bob', headers: { cookie: jar } })).json().id, '', "another user's login");
  const forged = `dex_session=${encodeSessionCookie(id, 'guess', Buffer.alloc(0))}`;
  const guessed = await app.inject({ method: 'POST', url: '/issued/alice', headers: { cookie: forged } });
  assert.equal(guessed.json().id, '');
  assert.match(String(guessed.headers['set-cookie']), /^dex_session=; Max-Age=0;/, 'the bad cookie is cleared');
  assert.equal(JSON.stringify(await storage.getAuthSession(id)), before, 'neither touched the session');
  advance(2 * HOUR);
  assert.equal((await app.inject({ method: 'POST', url: '/issued/alice', headers: { cookie: jar } })).json().id, '', 'idle too long');
  await assert.rejects(storage.getAuthSession(id), /not found/i, 'the expired session is deleted on sight');
});

test('recordIdentity: a locked identity is refused (null) and left as it was', async () => {
  const storage = openMemoryStorage();
  const now = new Date('2026-01-01T00:00:00Z');
  const created = await recordIdentity(storage, loggedIn('alice'), now);
  assert.equal(created?.lastLogin.getTime(), now.getTime());
  await storage.updateUserIdentity('alice', 'local', (old) => ({ ...old, blockedUntil: new Date(now.getTime() + HOUR) }));
  const later = new Date(now.getTime() + 60_000);
  assert.equal(await recordIdentity(storage, loggedIn('alice'), later), null);
  assert.equal((await storage.getUserIdentity('alice', 'local')).lastLogin.getTime(), now.getTime(), 'not written');
  const unlocked = new Date(now.getTime() + 2 * HOUR);
  assert.equal((await recordIdentity(storage, loggedIn('alice'), unlocked))?.lastLogin.getTime(), unlocked.getTime());
});
