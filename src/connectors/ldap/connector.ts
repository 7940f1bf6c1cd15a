/**
 * The `ldap` connector (dex v2.45.1 `connector/ldap/ldap.go`): a password connector that can refresh.
 *
 * login: an empty password is refused before any bind → service bind → search the user with an escaped filter
 * (0 results: invalid; more than 1: an error) → bind as the user's DN (wrong password: invalid) → map the entry →
 * with the `groups` scope, re-bind as the service account and search the groups → with `offline_access`, keep
 * `{username, entry}` as connector data.
 * refresh: service bind → search the saved username again → require the same DN → re-map and re-read the groups.
 * The user's password is never needed again (dex #510): group changes show up at the next refresh.
 */

import { randomUUID } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import { ConnectorError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Identity, PasswordConnector, RefreshConnector, Scopes } from '../types.js';
import type { LdapConfig } from './config.js';
import { userFilter } from './filters.js';
import { searchGroups } from './groups.js';
import { decodeConnectorData, encodeConnectorData, identityFromEntry, userAttributes, type LdapEntry } from './mapping.js';
import { LdapSession } from './upstream.js';

type LoginResult = { identity: Identity | null; valid: boolean };
const INVALID: LoginResult = { identity: null, valid: false };

export class LdapConnector implements PasswordConnector, RefreshConnector {
  readonly #id: string;
  readonly #config: LdapConfig;
  readonly #tls: ConnectionOptions;
  readonly #logger: Logger;

  constructor(id: string, config: LdapConfig, tls: ConnectionOptions, logger: Logger) {
    this.#id = id;
    this.#config = config;
    this.#tls = tls;
    this.#logger = logger;
  }

  /** The label of the username field: `usernamePrompt`, else "Username". */
  prompt(): string {
    return this.#config.usernamePrompt || 'Username';
  }

  async login(scopes: Scopes, username: string, password: string): Promise<LoginResult> {
    if (!password || !username) return INVALID;
    return this.#withSession(async (session) => {
      const user = await this.#findUser(session, username);
      if (!user) {
        this.#logger.info('ldap: no user matched the username');
        // Spend the bind a real user's wrong password costs, so timing does not tell unknown names apart.
        await session.bindUser(`cn=${randomUUID()},${this.#config.userSearch.baseDN}`, password).catch(() => false);
        return INVALID;
      }
      if (!(await session.bindUser(user.dn, password))) {
        this.#logger.info({ user_dn: user.dn }, 'ldap: invalid password');
        return INVALID;
      }
      const identity = this.#identity(user, scopes.offlineAccess ? encodeConnectorData(username, user) : null);
      if (scopes.groups) {
        await session.bindService();
        identity.groups = await this.#groups(session, user);
      }
      return { identity, valid: true };
    });
  }

  async refresh(scopes: Scopes, previous: Identity): Promise<Identity> {
    let saved: { username: string; dn: string };
    try {
      saved = decodeConnectorData(previous.connectorData);
    } catch (err) {
      throw new ConnectorError(this.#id, `ldap: refresh: ${(err as Error).message}`, { cause: err });
    }
    return this.#withSession(async (session) => {
      const user = await this.#findUser(session, saved.username);
      if (!user) throw new ConnectorError(this.#id, `ldap: refresh: user ${JSON.stringify(saved.username)} no longer found`);
      if (user.dn !== saved.dn) {
        throw new ConnectorError(this.#id, `ldap: refresh: username ${JSON.stringify(saved.username)} now maps to ${JSON.stringify(user.dn)}, expected ${JSON.stringify(saved.dn)}`);
      }
      const identity = this.#identity(user, previous.connectorData);
      if (scopes.groups) identity.groups = await this.#groups(session, user);
      return identity;
    });
  }

  async #withSession<T>(fn: (session: LdapSession) => Promise<T>): Promise<T> {
    const session = await LdapSession.open(this.#id, this.#config, this.#tls);
    try {
      return await fn(session);
    } finally {
      await session.close();
    }
  }

  /** The one entry matching `username`; null when none; an error when several match. */
  async #findUser(session: LdapSession, username: string): Promise<LdapEntry | null> {
    const us = this.#config.userSearch;
    const filter = userFilter(this.#config, username);
    this.#logger.debug({ base_dn: us.baseDN, scope: us.scope, filter }, 'ldap: searching for user');
    const entries = await session.search(us.baseDN, us.scope, filter, userAttributes(this.#config));
    if (entries.length > 1) throw new ConnectorError(this.#id, `ldap: filter ${JSON.stringify(filter)} matched ${entries.length} entries`);
    return entries[0] ?? null;
  }

  #identity(user: LdapEntry, connectorData: Uint8Array | null): Identity {
    try {
      return { ...identityFromEntry(this.#config, user), groups: [], connectorData };
    } catch (err) {
      throw new ConnectorError(this.#id, (err as Error).message, { cause: err });
    }
  }

  async #groups(session: LdapSession, user: LdapEntry): Promise<string[]> {
    try {
      return await searchGroups(session, this.#config, user);
    } catch (err) {
      if (err instanceof ConnectorError) throw err;
      throw new ConnectorError(this.#id, `ldap: groups: ${(err as Error).message}`, { cause: err });
    }
  }
}
