/**
 * The built-in `local` connector: the password DB (dex v2.45.1 `server/server.go` `passwordDB`). Enabled by `enablePasswordDB`;
 * users come from `staticPasswords` and the API. Login by email (case-insensitive) and bcrypt; bcrypt runs on
 * libuv's thread pool (@node-rs/bcrypt), never on the event loop, at most one per core (src/lib/password-hashing.ts).
 * Hashes with a cost outside 10..16 are refused.
 * An unknown email costs the same bcrypt time as a wrong password (a dummy hash of the configured cost), so neither
 * the answer nor its timing reveals which emails exist.
 */

import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/bcrypt';
import type { Identity, PasswordConnector, RefreshConnector, Scopes } from '../../connectors/types.js';
import { bcryptCost, loginAcceptsCost } from '../../lib/bcrypt-cost.js';
import { verifyPassword } from '../../lib/password-hashing.js';
import { ConnectorError, NotFoundError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';
import type { Password } from '../../storage/types.js';

export const LOCAL_CONNECTOR = { id: 'local', type: 'local', name: 'Email' } as const;

/** Hashes of a random string, one per cost, made once: verified against when the email is unknown. */
const dummyHashes = new Map<number, Promise<string>>();
function dummyHash(cost: number): Promise<string> {
  let h = dummyHashes.get(cost);
  if (!h) dummyHashes.set(cost, (h = hash(randomBytes(16).toString('hex'), cost)));
  return h;
}


/**
 * The cost of the dummy hash: the highest usable cost among `hashes` (the configured static passwords), 10 when
 * there are none, so an unknown email costs what a known one does.
 */
export function dummyCostOf(hashes: string[]): number {
  const usable = hashes.map(bcryptCost).filter(loginAcceptsCost);
  return usable.length ? Math.max(...usable) : 10;
}

function toIdentity(p: Password): Identity {
  return {
    userId: p.userId,
    username: p.name || p.username,
    preferredUsername: p.preferredUsername,
    email: p.email,
    emailVerified: p.emailVerified ?? true,
    groups: p.groups,
    connectorData: null,
  };
}

export class PasswordDBConnector implements PasswordConnector, RefreshConnector {
  private readonly storage: Storage;
  private readonly dummyCost: number;

  constructor(storage: Storage, dummyCost = 10) {
    this.storage = storage;
    this.dummyCost = dummyCost;
  }

  prompt(): string {
    return 'Email Address';
  }

  async login(_scopes: Scopes, email: string, password: string): Promise<{ identity: Identity | null; valid: boolean }> {
    if (!password) return { identity: null, valid: false };
    const user = await this.storage.getPassword(email).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    });
    const cost = user ? bcryptCost(user.hash) : -1;
    const usable = user !== null && loginAcceptsCost(cost);
    const ok = await verifyPassword(password, usable ? user.hash : await dummyHash(this.dummyCost));
    return usable && ok ? { identity: toIdentity(user), valid: true } : { identity: null, valid: false };
  }

  async refresh(_scopes: Scopes, identity: Identity): Promise<Identity> {
    const user = await this.storage.getPassword(identity.email).catch((err: unknown) => {
      if (err instanceof NotFoundError) throw new ConnectorError(LOCAL_CONNECTOR.id, 'password entry was deleted');
      throw err;
    });
    if (user.userId !== identity.userId) throw new ConnectorError(LOCAL_CONNECTOR.id, 'password entry changed user id');
    return { ...toIdentity(user), connectorData: identity.connectorData };
  }
}
