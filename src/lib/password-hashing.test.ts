import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { test } from 'node:test';
import { hash } from '@node-rs/bcrypt';
import { hashingSlots, Slots, threadPoolSize, verifyPassword } from './password-hashing.js';

test('one hash per core, always leaving a pool thread free, never fewer than one', () => {
  assert.equal(hashingSlots(2, 4), 2);
  assert.equal(hashingSlots(8, 4), 3);
  assert.equal(hashingSlots(1, 4), 1);
  assert.equal(hashingSlots(4, 64), 4);
  assert.equal(hashingSlots(16, 1), 1);
});

test("the pool size is libuv's: UV_THREADPOOL_SIZE from 1 to 1024, else 4", () => {
  assert.equal(threadPoolSize({}), 4);
  assert.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '8' }), 8);
  assert.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '0' }), 4);
  assert.equal(threadPoolSize({ UV_THREADPOOL_SIZE: 'many' }), 4);
  assert.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '5000' }), 1024);
});

test('Slots: at most `size` calls in flight, the waiting ones started in arrival order, a failure frees its slot', async () => {
  const slots = new Slots(2);
  let inFlight = 0;
  let peak = 0;
  const started: number[] = [];
  const releases: (() => void)[] = [];
  const call = (i: number, fail = false) =>
    slots.run(async () => {
      started.push(i);
      peak = Math.max(peak, ++inFlight);
      await new Promise<void>((resolve) => releases.push(resolve));
      inFlight--;
      if (fail) throw new Error(`call ${i} failed`);
      return i;
    });
  const calls = [call(0, true), call(1), call(2), call(3), call(4)];
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1]);
  assert.equal(slots.queued, 3);
  releases.shift()!(); // call 0 fails: its slot goes to call 2
  await assert.rejects(calls[0]!, /call 0 failed/);
  while (releases.length > 0 || slots.queued > 0) {
    await new Promise((r) => setImmediate(r));
    releases.shift()?.();
  }
  assert.deepEqual(await Promise.all(calls.slice(1)), [1, 2, 3, 4]);
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
  assert.equal(peak, 2);
  assert.equal(slots.queued, 0);
});

test('verifyPassword: true for the password, false for another one or a malformed hash', async () => {
  const h = await hash('right', 10);
  assert.equal(await verifyPassword('right', h), true);
  assert.equal(await verifyPassword('wrong', h), false);
  assert.equal(await verifyPassword('right', 'not-a-bcrypt-hash'), false);
});

test('a burst of password checks leaves a pool thread for signatures: the signature does not wait for a hash', async () => {
  // Unlimited, eight cost-12 checks would fill all four pool threads and the signature would queue behind them
  // (it finished only after the first checks did). Limited, it runs on the thread left free.
  const h = await hash('burst', 12);
  let finished = 0;
  const checks = Array.from({ length: 8 }, () => verifyPassword('burst', h).then((ok) => (finished++, ok)));
  const key = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  await new Promise((r) => setImmediate(r));
  await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.privateKey, new Uint8Array(32));
  assert.equal(finished, 0, 'the signature was done before any check');
  assert.deepEqual(await Promise.all(checks), Array(8).fill(true));
});
