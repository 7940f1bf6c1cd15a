/**
 * The CRUD checks every entity gets (dex conformance `test<Entity>CRUD`): create, duplicate create, get with a
 * deep compare of every field, get missing, update through an updater and re-read, an updater that throws writes
 * nothing, list, delete, get after delete, delete missing. Operations an entity lacks are left out of its spec.
 * An entity read with `find*` (null when missing, never `NotFoundError`) gives `find` instead of `get`: the same
 * checks run, a miss must be exactly null.
 */

import assert from 'node:assert/strict';
import { AlreadyExistsError, NotFoundError } from '../../../lib/errors.js';
import type { Storage, Updater } from '../../storage.js';
import type { Variant } from '../fixtures.js';
import type { Harness } from '../harness.js';

export interface CrudSpec<T> {
  /** A fully populated entity with fresh random keys. */
  make(v: Variant): T;
  /** The fields that make up the storage key. */
  keyFields: (keyof T)[];
  /** A string that orders list results. */
  sortKey(value: T): string;
  create(s: Storage, value: T): Promise<void>;
  /** Reads the entity stored under `value`'s key (throws `NotFoundError` when missing). */
  get?(s: Storage, value: T): Promise<T>;
  /** Instead of `get`: reads it, null when missing. */
  find?(s: Storage, value: T): Promise<T | null>;
  update?(s: Storage, value: T, fn: Updater<T>): Promise<T>;
  /** The change the update test applies (must spread `old`). */
  change?(old: T): T;
  remove?(s: Storage, value: T): Promise<void>;
  list?(s: Storage): Promise<T[]>;
}

class Boom extends Error {}

const sorted = <T>(spec: CrudSpec<T>, xs: T[]): T[] =>
  [...xs].sort((a, b) => (spec.sortKey(a) < spec.sortKey(b) ? -1 : spec.sortKey(a) > spec.sortKey(b) ? 1 : 0));

/** Resolves to the stored value; rejects with `NotFoundError` when missing (for `find`: when it answered null). */
function reader<T>(spec: CrudSpec<T>): (s: Storage, value: T) => Promise<T> {
  const { get, find } = spec;
  if (get) return get;
  if (!find) throw new TypeError('runCrud: the spec needs get or find');
  return async (s, value) => {
    const found = await find(s, value);
    if (found === null) throw new NotFoundError('find answered null');
    assert.notEqual(found, undefined, 'find answers null, not undefined, when missing');
    return found;
  };
}

export function runCrud<T>(h: Harness, spec: CrudSpec<T>): void {
  const get = reader(spec);
  h.test('create, get, duplicate', async (s) => {
    const a = spec.make(0);
    await spec.create(s, a);
    assert.deepStrictEqual(await get(s, a), a);
    await assert.rejects(spec.create(s, a), AlreadyExistsError);
    await assert.rejects(spec.create(s, { ...spec.make(1), ...keyOf(spec, a) }), AlreadyExistsError);
    const b = spec.make(1);
    await spec.create(s, b);
    assert.deepStrictEqual(await get(s, b), b);
  });

  h.test('get missing', async (s) => {
    const { find } = spec;
    if (find) assert.equal(await find(s, spec.make(0)), null);
    else await assert.rejects(get(s, spec.make(0)), NotFoundError);
  });

  const { update, change } = spec;
  if (update && change) {
    h.test('update', async (s) => {
      const a = spec.make(0);
      await spec.create(s, a);
      let seen: T | undefined;
      const returned = await update(s, a, (old) => {
        seen = old;
        return change(old);
      });
      assert.deepStrictEqual(seen, a, 'the updater receives the stored value');
      assert.deepStrictEqual(returned, change(a));
      assert.deepStrictEqual(await get(s, a), change(a));
    });

    h.test('updater throwing writes nothing', async (s) => {
      const a = spec.make(0);
      await spec.create(s, a);
      const boom = new Boom('abort');
      await assert.rejects(
        update(s, a, (old) => {
          change(old);
          throw boom;
        }),
        (err) => err === boom,
      );
      assert.deepStrictEqual(await get(s, a), a);
    });

    h.test('update missing', async (s) => {
      await assert.rejects(update(s, spec.make(0), change), NotFoundError);
    });
  }

  const { list } = spec;
  if (list) {
    h.test('list', async (s) => {
      assert.deepStrictEqual(await list(s), []);
      const items = [spec.make(0), spec.make(1)];
      for (const x of items) await spec.create(s, x);
      assert.deepStrictEqual(sorted(spec, await list(s)), sorted(spec, items));
    });
  }

  const { remove } = spec;
  if (remove) {
    h.test('delete', async (s) => {
      const a = spec.make(0);
      const b = spec.make(1);
      await spec.create(s, a);
      await spec.create(s, b);
      await remove(s, a);
      if (spec.find) assert.equal(await spec.find(s, a), null);
      await assert.rejects(get(s, a), NotFoundError);
      await assert.rejects(remove(s, a), NotFoundError);
      assert.deepStrictEqual(await get(s, b), b, 'deleting one entity leaves the others');
    });
  }
}

/** `value` reduced to its key fields. */
function keyOf<T>(spec: CrudSpec<T>, value: T): Partial<T> {
  return Object.fromEntries(spec.keyFields.map((k) => [k, value[k]])) as Partial<T>;
}
