/**
 * The `microsoft` connector: login with the Microsoft identity platform (v2.0 endpoints of `tenant`), the user
 * from Microsoft Graph, groups from `getMemberGroups` (+ names from `getByIds`) in organisation tenants, refresh.
 *
 * Upstream scopes: configured (default `user.read`), `directory.read.all` when groups are needed, `offline_access`
 * with offline access. Identity: user id = Graph `id`; username = `displayName`; email = `userPrincipalName`
 * (lower-cased with `emailToLowercase`), always verified; preferred username per `preferredUsernameField`.
 * Groups (tenant ids only): with `groups` the user must be in one of them (`UserNotInRequiredGroupsError`, 403
 * as in dex); `useGroupsAsWhitelist` returns only those. Connector data: the upstream token in dex's JSON shape.
 */

import { UserNotInRequiredGroupsError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { own } from '../../lib/own.js';
import { filterGroups } from '../groups.js';
import { type JsonHttpClient } from '../http/index.js';
import { decodeTokenData, encodeTokenData, type OAuth2Client } from '../oauth2-client/index.js';
import type { CallbackConnector, CallbackRequest, Identity, RefreshConnector, Scopes } from '../types.js';
import { isOrgTenant, type MicrosoftConfig } from './config.js';
import { GraphAPI, type GraphUser } from './graph.js';

export interface MicrosoftParts {
  id: string;
  config: MicrosoftConfig;
  oauth: OAuth2Client;
  http: JsonHttpClient;
  logger: Logger;
}

type Profile = Omit<Identity, 'connectorData' | 'groups'>;

export class MicrosoftConnector implements CallbackConnector, RefreshConnector {
  private readonly p: MicrosoftParts;

  constructor(parts: MicrosoftParts) {
    this.p = parts;
  }

  /** Groups are read when the client asks for them or `groups` restricts logins, and only in an org tenant. */
  private groupsRequired(groupsScope: boolean): boolean {
    const c = this.p.config;
    return (c.groups.length > 0 || groupsScope) && isOrgTenant(c.tenant);
  }

  async loginURL(scopes: Scopes, callbackURL: string, state: string): Promise<{ url: string; connectorData: null }> {
    const c = this.p.config;
    const upstream = [...(c.scopes.length > 0 ? c.scopes : ['user.read'])];
    if (this.groupsRequired(scopes.groups)) upstream.push('directory.read.all');
    if (scopes.offlineAccess) upstream.push('offline_access');
    const extra: Record<string, string> = {};
    if (c.promptType) extra.prompt = c.promptType;
    if (c.domainHint) extra.domain_hint = c.domainHint;
    return { url: this.p.oauth.authorizeURL(callbackURL, upstream, state, extra), connectorData: null };
  }

  async handleCallback(scopes: Scopes, _data: Uint8Array | null, request: CallbackRequest): Promise<Identity> {
    const token = await this.p.oauth.exchange(request);
    const graph = new GraphAPI(this.p.http, this.p.config.graphURL, token.accessToken);
    const user = await graph.me();
    const groups = this.groupsRequired(scopes.groups) ? await this.groups(graph, user) : [];
    return { ...this.profile(user), groups: scopes.groups ? groups : [], connectorData: scopes.offlineAccess ? encodeTokenData(token) : null };
  }

  async refresh(scopes: Scopes, old: Identity): Promise<Identity> {
    const { token, refreshed } = await this.p.oauth.usable(decodeTokenData(this.p.id, old.connectorData));
    const graph = new GraphAPI(this.p.http, this.p.config.graphURL, token.accessToken);
    const user = await graph.me();
    const groups = this.groupsRequired(scopes.groups) ? await this.groups(graph, user) : [];
    // dex keeps the email as Graph spells it on refresh; Ferry applies emailToLowercase on both paths.
    const { userId: _same, ...profile } = this.profile(user);
    return { ...old, ...profile, groups: scopes.groups ? groups : [], connectorData: refreshed ? encodeTokenData(token) : old.connectorData };
  }

  private profile(u: GraphUser): Profile {
    const c = this.p.config;
    const email = c.emailToLowercase ? u.userPrincipalName.toLowerCase() : u.userPrincipalName;
    const preferred: Record<string, string> = { name: u.displayName, email, mailNickname: u.mailNickname, onPremisesSamAccountName: u.onPremisesSamAccountName };
    return { userId: u.id, username: u.displayName, preferredUsername: own(preferred, c.preferredUsernameField) ?? '', email, emailVerified: true };
  }

  private async groups(graph: GraphAPI, user: GraphUser): Promise<string[]> {
    const c = this.p.config;
    const ids = await graph.memberGroupIds(c.onlySecurityGroups);
    const all = c.groupNameFormat === 'name' ? await graph.groupNames(ids) : ids;
    const allowed = filterGroups(all, c.groups);
    if (c.groups.length > 0 && allowed.length === 0) {
      throw new UserNotInRequiredGroupsError(this.p.id, `microsoft: user ${user.id} is in none of the required groups`);
    }
    return c.useGroupsAsWhitelist ? allowed : all;
  }
}
