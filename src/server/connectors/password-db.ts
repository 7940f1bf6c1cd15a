/**
 * The built-in `local` connector: the password DB (dex reference §11 `local`). Enabled by `enablePasswordDB`;
 * users come from `staticPasswords` and the API. Login by email (case-insensitive) and bcrypt; bcrypt runs on
 * libuv's thread pool (@node-rs/bcrypt), never on the event loop. Hashes with a cost outside 10..16 are refused.
 * An unknown email costs the same bcrypt time as a wrong password, so timing does not reveal which emails exist.
 */

import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/bcrypt';
import type { Identity, PasswordConnector, RefreshConnector, Scopes } from '../../connectors/types.js';
import { ConnectorError, NotFoundError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';
import type { Password } from '../../storage/types.js';

export const LOCAL_CONNECTOR = { id: 'local', type: 'local', name: 'Email' } as const;

/** A cost-10 hash of a random string, made once, verified against when the email is unknown. */
let dummyHash: Promise<string> | null = null;
const getDummyHash = () => (dummyHash ??= hash(randomBytes(16).toString('hex'), 10));

function bcryptCost(hash: string): number {
  const m = /^\$2[abxy]?\$(\d{2})\$/.exec(hash);
  return m ? Number(m[1]) : -1;
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

  constructor(storage: Storage) {
    this.storage = storage;
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
    const usable = user !== null && cost >= 10 && cost <= 16;
    const ok = await verify(password, usable ? user.hash : await getDummyHash()).catch(() => false);
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
