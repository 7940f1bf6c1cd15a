import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import pino from 'pino';
import { openMemoryStorage } from '../../storage/memory/index.js';
import { ACCOUNT_QUEUE_LIMIT, createAttemptGuard } from './attempt-guard.js';
import { CLAIM_MS } from './throttle.js';
import { clientAddressReader } from './client-address.js';
import { subjectKey } from './throttle.js';

const req = (peer: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress: peer }, headers }) as unknown as FastifyRequest;

test('client address: the header counts only from a trusted proxy, and only when it is one IP', () => {
  const read = clientAddressReader({ header: 'X-Forwarded-For', trustedProxies: ['10.0.0.0/8', '::1'] });
  assert.equal(read(req('10.1.2.3', { 'x-forwarded-for': '203.0.113.9' })), '203.0.113.9');
  assert.equal(read(req('::ffff:10.1.2.3', { 'x-forwarded-for': '203.0.113.9' })), '203.0.113.9');
  assert.equal(read(req('192.0.2.1', { 'x-forwarded-for': '203.0.113.9' })), '192.0.2.1', 'an untrusted peer cannot spoof');
  assert.equal(read(req('10.1.2.3', { 'x-forwarded-for': '203.0.113.9, 10.1.2.3' })), '10.1.2.3', 'a list is not one IP');
  const noProxies = clientAddressReader({ header: 'X-Real-IP', trustedProxies: [] });
  assert.equal(noProxies(req('192.0.2.1', { 'x-real-ip': '203.0.113.9' })), '192.0.2.1', 'no trusted proxy: header ignored');
  assert.throws(() => clientAddressReader({ header: 'X', trustedProxies: ['nonsense'] }), /trustedProxies\[0\]/);
});

test('a failure is logged with the client address and a hashed username, never the username or password', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const storage = await openMemoryStorage();
  const counted: string[] = [];
  const metrics = { countAuthFailure: (k: string) => counted.push(k), countThrottled: () => undefined } as never;
  const guard = createAttemptGuard({ storage, now: () => new Date(), logger: pino(sink), metrics, clientRemoteIP: { header: '', trustedProxies: [] } });
  const out = await guard.run({ scope: 'password', address: '192.0.2.44', account: 'local\0jane@example.com', requestId: 'r1' }, async () => null);
  assert.deepEqual(out, { refused: false, value: null });
  const log = lines.join('');
  assert.match(log, /"client_remote_addr":"192\.0\.2\.44"/);
  assert.match(log, /"username_hash":"[A-Za-z0-9_-]{16}"/);
  assert.doesNotMatch(log, /jane/);
  assert.deepEqual(counted, ['password']);
  const stored = await storage.garbageCollect(new Date(Date.now() + 2 * 24 * 3600_000));
  assert.equal(stored.throttles, 2, 'one record per subject, keyed by hash');
});

test('backoff doubles past the free attempts; a blocked subject is not counted further', async () => {
  const storage = await openMemoryStorage();
  let t = Date.parse('2026-01-01T00:00:00Z');
  const guard = createAttemptGuard({ storage, now: () => new Date(t), logger: pino({ level: 'silent' }), clientRemoteIP: { header: '', trustedProxies: [] } });
  const attempt = () => guard.run({ scope: 'totp', address: `a${t}`, account: 'u', requestId: '' }, async () => null);
  const waits: number[] = [];
  for (let i = 0; i < 8; i++) {
    let out = await attempt();
    while (out.refused) {
      waits.push(out.retryAfter);
      t += out.retryAfter * 1000;
      out = await attempt();
    }
  }
  assert.deepEqual(waits, [1, 2]);
});

test('a successful login costs four throttle writes and no failed one: claim address and account, drop the address claim, clear', async () => {
  const inner = openMemoryStorage();
  const calls: string[] = [];
  const storage = new Proxy(inner, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const call = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (String(prop).endsWith('Throttle')) {
          calls.push(String(prop));
          call.catch((err: unknown) => calls.push(`${String(prop)} threw ${(err as Error).name}`));
        }
        return call;
      };
    },
  });
  const guard = createAttemptGuard({ storage, now: () => new Date(), logger: pino({ level: 'silent' }), clientRemoteIP: { header: '', trustedProxies: [] } });
  const login = () => guard.run({ scope: 'password', address: '192.0.2.7', account: 'mock\0kilgore', requestId: '' }, async () => 'ok');
  assert.deepEqual(await login(), { refused: false, value: 'ok' });
  assert.deepEqual(calls, ['updateThrottle', 'updateThrottle threw NotFoundError', 'createThrottle', 'createThrottle', 'updateThrottle', 'deleteThrottle'], 'first login from a new address');
  calls.length = 0;
  assert.deepEqual(await login(), { refused: false, value: 'ok' });
  assert.deepEqual(calls, ['updateThrottle', 'createThrottle', 'updateThrottle', 'deleteThrottle']);
  assert.equal((await inner.getThrottle(subjectKey({ kind: 'address', scope: 'password', id: '192.0.2.7' }))).failures, 0, 'the address got its attempts back');
  const stored = await inner.garbageCollect(new Date(Date.now() + 2 * 24 * 3600_000));
  assert.equal(stored.throttles, 1, 'and it is the only record left: the account was cleared');
});

/** Checks that answer `answer` after `ms`, counting how many ran and how many ran at once. */
function tracedChecks(ms: number) {
  const seen = { checks: 0, most: 0, inFlight: 0 };
  const check = (answer: string | null) => async () => {
    seen.checks++;
    seen.most = Math.max(seen.most, ++seen.inFlight);
    await new Promise((resolve) => setTimeout(resolve, ms));
    seen.inFlight--;
    return answer;
  };
  return { check, seen };
}

test('parallel attempts on one account take turns: a burst of right passwords all pass, guesses are checked one at a time', async () => {
  const storage = await openMemoryStorage();
  const guard = createAttemptGuard({ storage, now: () => new Date(), logger: pino({ level: 'silent' }), clientRemoteIP: { header: '', trustedProxies: [] } });
  const { check, seen } = tracedChecks(2);
  const run = (account: string, answer: string | null) =>
    guard.run({ scope: 'password', address: '192.0.2.8', account, requestId: '' }, check(answer));

  // Counted before its check, each of twelve parallel checks used to count as a failure until one succeeded: the
  // sixth blocked the account and the rest got 429 although every password was right.
  const right = await Promise.all(Array.from({ length: 12 }, () => run('ci-bot', 'ok')));
  assert.deepEqual(right.map((o) => o.refused), Array(12).fill(false), 'no right password refused');
  assert.equal(seen.most, 1, 'one check of the account at a time');

  seen.checks = 0;
  seen.most = 0;
  const guesses = await Promise.all(Array.from({ length: 12 }, () => run('victim', null)));
  assert.equal(seen.checks, 6, 'the five free failures, then the one whose count set the block');
  assert.equal(guesses.filter((o) => o.refused).length, 6);
  assert.equal(seen.most, 1);

  // Another account does not wait behind this one.
  const other = await Promise.race([run('someone-else', 'ok'), new Promise((resolve) => setTimeout(() => resolve('waited'), 1000))]);
  assert.deepEqual(other, { refused: false, value: 'ok' });
});

test('a check that throws releases its turn; past the queue limit the next attempt is refused at once', async () => {
  const storage = await openMemoryStorage();
  const guard = createAttemptGuard({ storage, now: () => new Date(), logger: pino({ level: 'silent' }), clientRemoteIP: { header: '', trustedProxies: [] } });
  const attempt = { scope: 'password', address: '192.0.2.9', account: 'a', requestId: '' };
  await assert.rejects(guard.run(attempt, async () => Promise.reject(new Error('ldap down'))), /ldap down/);
  assert.deepEqual(await guard.run(attempt, async () => 'ok'), { refused: false, value: 'ok' }, 'the next attempt is not stuck');

  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const held = Array.from({ length: ACCOUNT_QUEUE_LIMIT }, () => guard.run(attempt, async () => (await gate, 'ok')));
  assert.deepEqual(await guard.run(attempt, async () => 'ok'), { refused: true, retryAfter: 1 });
  open();
  assert.ok((await Promise.all(held)).every((o) => !o.refused));
});

test('across processes the stored claims make parallel attempts wait, not fail: right passwords all pass, guesses stop at the block', async () => {
  const storage = await openMemoryStorage();
  // Six processes (or replicas) on one store, each with its own guard and so its own in-process turns.
  const guards = Array.from({ length: 6 }, () =>
    createAttemptGuard({ storage, now: () => new Date(), logger: pino({ level: 'silent' }), clientRemoteIP: { header: '', trustedProxies: [] } }),
  );
  const { check, seen } = tracedChecks(5);
  const run = (i: number, account: string, answer: string | null, address = `192.0.2.${i}`) =>
    guards[i % guards.length]!.run({ scope: 'password', address, account, requestId: '' }, check(answer));

  const right = await Promise.all(Array.from({ length: 12 }, (_, i) => run(i, 'ci-bot', 'ok')));
  assert.deepEqual(right.map((o) => o.refused), Array(12).fill(false), 'no right password refused');

  seen.checks = 0;
  seen.most = 0;
  const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => run(i, 'victim', null)));
  assert.equal(seen.checks, 6, 'the free failures and the one that sets the block; never more');
  assert.ok(seen.most <= 6, `at most six guesses checked at once (${seen.most})`);
  assert.equal(guesses.filter((o) => o.refused).length, 6);

  // Forty logins from one address (a NAT) with right passwords, all at once: the address lets 31 be checked at a
  // time and never blocks for that; before, the 31st counted attempt blocked the address.
  seen.checks = 0;
  seen.most = 0;
  const nat = await Promise.all(Array.from({ length: 40 }, (_, i) => run(i, `user-${i}`, 'ok', '198.51.100.7')));
  assert.deepEqual(nat.map((o) => o.refused), Array(40).fill(false));
  assert.ok(seen.most <= 31, `at most free + 1 checks of one address at once (${seen.most})`);
});

test('a claim left by a process that died mid-check lapses', async () => {
  const storage = await openMemoryStorage();
  let t = Date.parse('2026-01-01T00:00:00Z');
  const guard = createAttemptGuard({ storage, now: () => new Date(t), logger: pino({ level: 'silent' }), clientRemoteIP: { header: '', trustedProxies: [] } });
  const attempt = { scope: 'password', address: '192.0.2.10', account: 'a', requestId: '' };
  // Five failures, then a check that never settles (its process died): the account is one claim from its block.
  for (let i = 0; i < 5; i++) assert.deepEqual(await guard.run(attempt, async () => null), { refused: false, value: null });
  const dead = createAttemptGuard({ storage, now: () => new Date(t), logger: pino({ level: 'silent' }), clientRemoteIP: { header: '', trustedProxies: [] } });
  void dead.run(attempt, () => new Promise<null>(() => undefined));
  await new Promise((resolve) => setTimeout(resolve, 20));
  const waiting = guard.run(attempt, async () => 'ok');
  await new Promise((resolve) => setTimeout(resolve, 200));
  t += CLAIM_MS + 1000;
  assert.deepEqual(await waiting, { refused: false, value: 'ok' }, 'waited for the claim, then went ahead once it lapsed');
});
