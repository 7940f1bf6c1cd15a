/**
 * The `atlassian-crowd` connector: username/password login against Atlassian Crowd, groups (nested), required
 * groups, and refresh (dex v2.45.1 `connector/atlassiancrowd/atlassiancrowd.go`).
 *
 * Identity: user id = Crowd user key; username = Crowd user name; email, always verified; preferred username per
 * `preferredUsernameField` (`key`, `name`, `email`; empty otherwise). Groups: with `groups` configured the user must
 * be in one of them (checked on every login and refresh, with or without the groups scope) and only those are
 * returned; otherwise all groups with the groups scope. Connector data: `{"username": …}`, dex's shape.
 */

import { ConnectorError, UserNotInRequiredGroupsError, UserRefusedError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { own } from '../../lib/own.js';
import { filterGroups } from '../groups.js';
import type { Identity, PasswordConnector, RefreshConnector, Scopes } from '../types.js';
import type { CrowdConfig } from './config.js';
import type { CrowdAPI, CrowdUser } from './upstream.js';

export interface CrowdParts {
  id: string;
  config: CrowdConfig;
  api: CrowdAPI;
  logger: Logger;
}

export class CrowdConnector implements PasswordConnector, RefreshConnector {
  private readonly p: CrowdParts;

  constructor(parts: CrowdParts) {
    this.p = parts;
  }

  prompt(): string {
    return this.p.config.usernamePrompt;
  }

  async login(scopes: Scopes, username: string, password: string): Promise<{ identity: Identity | null; valid: boolean }> {
    if (!username || !password) return { identity: null, valid: false };
    const { user, reason } = await this.p.api.authenticate(username, password);
    if (!user) {
      if (reason !== 'INVALID_USER_AUTHENTICATION' && reason !== 'USER_NOT_FOUND') this.p.logger.info({ connector: this.p.id, reason }, 'crowd: login refused');
      return { identity: null, valid: false };
    }
    const identity = await this.identity(scopes, user);
    return { identity: { ...identity, connectorData: scopes.offlineAccess ? this.data(user.name) : null }, valid: true };
  }

  async refresh(scopes: Scopes, old: Identity): Promise<Identity> {
    const username = this.username(old.connectorData);
    const user = await this.p.api.user(username);
    if (!user) throw new UserRefusedError(this.p.id, 'not_allowed', `${this.p.id}: crowd: user ${username} no longer exists`);
    if (!user.active) throw new UserRefusedError(this.p.id, 'not_allowed', `${this.p.id}: crowd: user ${username} is inactive`);
    return { ...(await this.identity(scopes, user)), connectorData: old.connectorData };
  }

  private async identity(scopes: Scopes, user: CrowdUser): Promise<Identity> {
    const required = this.p.config.groups;
    let groups: string[] = [];
    if (scopes.groups || required.length > 0) {
      groups = await this.p.api.groups(user.name);
      if (required.length > 0) {
        groups = filterGroups(groups, required);
        if (groups.length === 0) throw new UserNotInRequiredGroupsError(this.p.id, `crowd: user ${user.name} is in none of the required groups`);
      }
    }
    const preferred: Record<string, string> = { key: user.key, name: user.name, email: user.email };
    return {
      userId: user.key,
      username: user.name,
      preferredUsername: own(preferred, this.p.config.preferredUsernameField) ?? '',
      email: user.email,
      emailVerified: true,
      groups: scopes.groups ? groups : [],
      connectorData: null,
    };
  }

  private data(username: string): Uint8Array {
    return new TextEncoder().encode(JSON.stringify({ username }));
  }

  private username(data: Uint8Array | null): string {
    try {
      const o = JSON.parse(new TextDecoder().decode(data ?? new Uint8Array())) as { username?: unknown };
      if (typeof o.username === 'string' && o.username) return o.username;
    } catch {
      // reported below
    }
    throw new ConnectorError(this.p.id, `${this.p.id}: crowd: no username in the connector data`);
  }
}
