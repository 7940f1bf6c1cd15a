/**
 * Decorators layering entities from the config file over a storage (dex v2.45.1 `storage/static.go`):
 * static entries answer `get*`/`list*` first and shadow stored ones with the same id; creating, updating or
 * deleting a static id throws `ReadOnlyError`; lists return the stored entries that are not shadowed, then the
 * static ones. Static passwords are matched case-insensitively by email.
 */

import { ReadOnlyError } from '../lib/errors.js';
import type { Storage } from './storage.js';
import type { Client, Connector, Password } from './types.js';

/**
 * A view of `base` where `overrides` replace some methods. A Proxy (not a spread) so class-based storages keep
 * their `this`; other methods are bound to `base` once and cached.
 */
function overlay(base: Storage, overrides: Partial<Storage>): Storage {
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(base, {
    get(target, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof Storage];
      let fn = bound.get(prop);
      if (fn === undefined) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        fn = value.bind(target);
        bound.set(prop, fn);
      }
      return fn;
    },
  });
}

/**
 * A deep copy, so callers may change what they get. Plain objects and arrays (all a static client is) are copied
 * directly, several times faster than `structuredClone`, which a client lookup on every token request paid for
 * (issue 13 item 2); anything else (a Date, bytes) goes through `structuredClone`.
 */
function clone<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(clone) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = clone((value as Record<string, unknown>)[k]);
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out as T;
}

const readOnly = (what: string, op: string) =>
  new ReadOnlyError(`static ${what}: read-only: cannot ${op} a ${what.replace(/s$/, '')} defined in the config file`);

/** Serves `clients` (from `staticClients`) ahead of the stored clients. */
export function withStaticClients(storage: Storage, clients: readonly Client[]): Storage {
  const byId = new Map(clients.map((c) => [c.id, c]));
  const guard = (id: string, op: string) => {
    if (byId.has(id)) throw readOnly('clients', op);
  };
  return overlay(storage, {
    getClient: async (id) => {
      const c = byId.get(id);
      return c ? clone(c) : storage.getClient(id);
    },
    listClients: async () => [
      ...(await storage.listClients()).filter((c) => !byId.has(c.id)),
      ...clients.map(clone),
    ],
    createClient: async (c) => {
      guard(c.id, 'create');
      return storage.createClient(c);
    },
    updateClient: async (id, fn) => {
      guard(id, 'update');
      return storage.updateClient(id, fn);
    },
    deleteClient: async (id) => {
      guard(id, 'delete');
      return storage.deleteClient(id);
    },
  });
}

/** Serves `passwords` (from `staticPasswords`) ahead of the stored ones, matching emails case-insensitively. */
export function withStaticPasswords(storage: Storage, passwords: readonly Password[]): Storage {
  const byEmail = new Map(passwords.map((p) => [p.email.toLowerCase(), p]));
  const guard = (email: string, op: string) => {
    if (byEmail.has(email.toLowerCase())) throw readOnly('passwords', op);
  };
  return overlay(storage, {
    getPassword: async (email) => {
      const p = byEmail.get(email.toLowerCase());
      return p ? clone(p) : storage.getPassword(email);
    },
    listPasswords: async () => [
      ...(await storage.listPasswords()).filter((p) => !byEmail.has(p.email.toLowerCase())),
      ...passwords.map(clone),
    ],
    createPassword: async (p) => {
      guard(p.email, 'create');
      return storage.createPassword(p);
    },
    updatePassword: async (email, fn) => {
      guard(email, 'update');
      return storage.updatePassword(email, fn);
    },
    deletePassword: async (email) => {
      guard(email, 'delete');
      return storage.deletePassword(email);
    },
  });
}

/** Serves `connectors` (from `connectors:` in the config) ahead of the stored ones. */
export function withStaticConnectors(storage: Storage, connectors: readonly Connector[]): Storage {
  const byId = new Map(connectors.map((c) => [c.id, c]));
  const guard = (id: string, op: string) => {
    if (byId.has(id)) throw readOnly('connectors', op);
  };
  return overlay(storage, {
    getConnector: async (id) => {
      const c = byId.get(id);
      return c ? clone(c) : storage.getConnector(id);
    },
    listConnectors: async () => [
      ...(await storage.listConnectors()).filter((c) => !byId.has(c.id)),
      ...connectors.map(clone),
    ],
    createConnector: async (c) => {
      guard(c.id, 'create');
      return storage.createConnector(c);
    },
    updateConnector: async (id, fn) => {
      guard(id, 'update');
      return storage.updateConnector(id, fn);
    },
    deleteConnector: async (id) => {
      guard(id, 'delete');
      return storage.deleteConnector(id);
    },
  });
}
