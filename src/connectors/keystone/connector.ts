/**
 * The `keystone` connector: username/password login against OpenStack Keystone (Identity API v3), groups, and
 * refresh with the configured admin account (dex v2.45.1 `connector/keystone/keystone.go`).
 *
 * Login: password auth as the user in `domain` (401 → wrong credentials, `{ valid: false }`), then the user record
 * and, with the groups scope, the group names, read with the user's own token. Identity: user id = Keystone user id;
 * username = the name typed in; email from the user record, verified when present; no preferred username.
 * Refresh: an admin token (`keystoneUsername`/`keystonePassword`) checks the user still exists and re-reads
 * email and groups. No connector data: the user id is all refresh needs.
 */

import { ConnectorError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Identity, PasswordConnector, RefreshConnector, Scopes } from '../types.js';
import type { KeystoneConfig } from './config.js';
import type { KeystoneAPI, KeystoneUser } from './upstream.js';

export interface KeystoneParts {
  id: string;
  config: KeystoneConfig;
  api: KeystoneAPI;
  logger: Logger;
}

export class KeystoneConnector implements PasswordConnector, RefreshConnector {
  private readonly p: KeystoneParts;

  constructor(parts: KeystoneParts) {
    this.p = parts;
  }

  prompt(): string {
    return 'username';
  }

  async login(scopes: Scopes, username: string, password: string): Promise<{ identity: Identity | null; valid: boolean }> {
    if (!username || !password) return { identity: null, valid: false };
    const auth = await this.p.api.authenticate(username, password);
    if (!auth) return { identity: null, valid: false };
    const user = await this.p.api.user(auth.userId, auth.token);
    if (!user) throw new ConnectorError(this.p.id, `${this.p.id}: keystone: the authenticated user cannot be read`);
    const groups = scopes.groups ? await this.p.api.groups(auth.userId, auth.token) : [];
    return { identity: this.identity(user, username, groups), valid: true };
  }

  async refresh(scopes: Scopes, old: Identity): Promise<Identity> {
    const c = this.p.config;
    if (!c.keystoneUsername || !c.keystonePassword) {
      throw new ConnectorError(this.p.id, `${this.p.id}: keystone: refresh needs keystoneUsername and keystonePassword`);
    }
    const admin = await this.p.api.authenticate(c.keystoneUsername, c.keystonePassword);
    if (!admin) throw new ConnectorError(this.p.id, `${this.p.id}: keystone: the admin credentials were refused`);
    const user = await this.p.api.user(old.userId, admin.token);
    if (!user) throw new ConnectorError(this.p.id, `${this.p.id}: keystone: user ${old.userId} no longer exists`);
    const groups = scopes.groups ? await this.p.api.groups(old.userId, admin.token) : [];
    return { ...this.identity(user, old.username, groups), preferredUsername: old.preferredUsername };
  }

  private identity(user: KeystoneUser, username: string, groups: string[]): Identity {
    return { userId: user.id, username, preferredUsername: '', email: user.email, emailVerified: user.email !== '', groups, connectorData: null };
  }
}
