/**
 * TransactionTests (dex `RunTransactionTests`): an updater that itself starts an update of the same key must not
 * lose a write. Each of the two updates either succeeds, and then its change is in the final value, or fails
 * cleanly with a storage error, and then its change is absent.
 */
import assert from 'node:assert/strict';
import { isDexError } from '../../lib/errors.js';
import type { Storage, Updater } from '../storage.js';
import type { AuthRequest, Client, Keys, Password } from '../types.js';
import * as f from './fixtures.js';
import type { Harness } from './harness.js';

interface NestedCase<T> {
  name: string;
  /** Stores the object and returns its update and get functions. */
  setup(s: Storage): Promise<{ update(fn: Updater<T>): Promise<T>; get(): Promise<T> }>;
  outer(old: T): T;
  inner(old: T): T;
  hasOuter(v: T): boolean;
  hasInner(v: T): boolean;
}

async function settle<T>(p: Promise<T> | undefined): Promise<boolean> {
  assert.ok(p, 'the outer updater ran');
  try {
    await p;
    return true;
  } catch (err) {
    assert.ok(isDexError(err), `a nested update may only fail cleanly, got ${String(err)}`);
    return false;
  }
}

function nested<T>(h: Harness, c: NestedCase<T>): void {
  h.test(`nested update of one ${c.name}`, async (s) => {
    const { update, get } = await c.setup(s);
    let inner: Promise<T> | undefined;
    const outer = update((old) => {
      inner ??= update(c.inner);
      return c.outer(old);
    });
    const outerOk = await settle(outer);
    const innerOk = await settle(inner);
    const final = await get();
    assert.equal(c.hasOuter(final), outerOk, 'the outer write is present exactly when it succeeded');
    assert.equal(c.hasInner(final), innerOk, 'the inner write is present exactly when it succeeded');
  });
}

export function transactionSuite(h: Harness): void {
  nested<AuthRequest>(h, {
    name: 'auth request',
    setup: async (s) => {
      const a = f.authRequest(0);
      await s.createAuthRequest(a);
      return { update: (fn) => s.updateAuthRequest(a.id, fn), get: () => s.getAuthRequest(a.id) };
    },
    outer: (old) => ({ ...old, state: 'outer' }),
    inner: (old) => ({ ...old, nonce: 'inner' }),
    hasOuter: (v) => v.state === 'outer',
    hasInner: (v) => v.nonce === 'inner',
  });
  nested<Client>(h, {
    name: 'client',
    setup: async (s) => {
      const c = f.client(0);
      await s.createClient(c);
      return { update: (fn) => s.updateClient(c.id, fn), get: () => s.getClient(c.id) };
    },
    outer: (old) => ({ ...old, secret: 'outer' }),
    inner: (old) => ({ ...old, name: 'inner' }),
    hasOuter: (v) => v.secret === 'outer',
    hasInner: (v) => v.name === 'inner',
  });
  nested<Password>(h, {
    name: 'password',
    setup: async (s) => {
      const p = f.password(0);
      await s.createPassword(p);
      return { update: (fn) => s.updatePassword(p.email.toUpperCase(), fn), get: () => s.getPassword(p.email) };
    },
    outer: (old) => ({ ...old, hash: 'outer' }),
    inner: (old) => ({ ...old, username: 'inner' }),
    hasOuter: (v) => v.hash === 'outer',
    hasInner: (v) => v.username === 'inner',
  });
  nested<Keys>(h, {
    name: 'keys record',
    setup: async (s) => ({ update: (fn) => s.updateKeys(fn), get: () => s.getKeys() }),
    outer: (old) => ({ ...old, nextRotation: f.at(1) }),
    inner: (old) => ({ ...old, verificationKeys: [{ publicKey: { kty: 'oct', kid: 'inner' }, expiry: f.at(2) }] }),
    hasOuter: (v) => v.nextRotation.getTime() === f.at(1).getTime(),
    hasInner: (v) => v.verificationKeys[0]?.publicKey.kid === 'inner',
  });
}
