/**
 * The `github` connector: OAuth2 login with GitHub or GitHub Enterprise, groups from orgs and teams, and refresh
 * (long-lived OAuth App tokens are reused; expiring GitHub App tokens are renewed with the upstream refresh token
 * and the new token is stored back in the connector data).
 *
 * Upstream scopes: `user:email`, plus `read:org` when orgs are configured or groups are asked for.
 * Identity: user id = numeric id (or login with `useLoginAsID`); username = display name or login; preferred
 * username = login; email per `mapping.ts`, always verified; groups per `groups.ts`, returned only with the
 * `groups` scope (org/team membership is enforced either way).
 */

import type { Logger } from '../../lib/logger.js';
import { type JsonHttpClient } from '../http/index.js';
import { decodeTokenData, encodeTokenData, type OAuth2Client, type UpstreamToken } from '../oauth2-client/index.js';
import type { CallbackConnector, CallbackRequest, Identity, RefreshConnector, Scopes } from '../types.js';
import type { GithubConfig } from './config.js';
import { githubGroups, groupsRequired } from './groups.js';
import { pickEmail } from './mapping.js';
import { GithubAPI, type GithubUser } from './upstream.js';

export interface GithubParts {
  id: string;
  config: GithubConfig;
  oauth: OAuth2Client;
  http: JsonHttpClient;
  apiURL: string;
  logger: Logger;
}

export class GithubConnector implements CallbackConnector, RefreshConnector {
  private readonly p: GithubParts;

  constructor(parts: GithubParts) {
    this.p = parts;
  }

  async loginURL(scopes: Scopes, callbackURL: string, state: string): Promise<{ url: string; connectorData: null }> {
    const upstreamScopes = groupsRequired(this.p.config, scopes.groups) ? ['user:email', 'read:org'] : ['user:email'];
    return { url: this.p.oauth.authorizeURL(callbackURL, upstreamScopes, state), connectorData: null };
  }

  async handleCallback(scopes: Scopes, _data: Uint8Array | null, request: CallbackRequest): Promise<Identity> {
    const token = await this.p.oauth.exchange(request);
    const identity = await this.identity(scopes, token.accessToken);
    if (token.refreshToken) this.p.logger.debug({ connector: this.p.id, expiry: token.expiry }, 'github: received an upstream refresh token');
    return { ...identity, connectorData: scopes.offlineAccess ? encodeTokenData(token) : null };
  }

  async refresh(scopes: Scopes, old: Identity): Promise<Identity> {
    const stored: UpstreamToken = decodeTokenData(this.p.id, old.connectorData);
    const { token, refreshed } = await this.p.oauth.usable(stored);
    if (refreshed) this.p.logger.debug({ connector: this.p.id, expiry: token.expiry }, 'github: refreshed the upstream access token');
    const fresh = await this.identity(scopes, token.accessToken);
    return {
      ...old,
      username: fresh.username,
      preferredUsername: fresh.preferredUsername,
      email: fresh.email,
      groups: fresh.groups,
      connectorData: refreshed ? encodeTokenData(token) : old.connectorData,
    };
  }

  private async identity(scopes: Scopes, accessToken: string): Promise<Omit<Identity, 'connectorData'>> {
    const c = this.p.config;
    const api = new GithubAPI(this.p.http, this.p.apiURL, accessToken);
    const user = await api.user();
    const email = await this.email(api, user);
    const groups = groupsRequired(c, scopes.groups)
      ? await githubGroups(this.p.id, api, c, user.login, scopes.groups, this.p.logger)
      : [];
    return {
      userId: c.useLoginAsID ? user.login : String(user.id),
      username: user.name || user.login,
      preferredUsername: user.login,
      email,
      emailVerified: true,
      groups: scopes.groups ? groups : [],
    };
  }

  /** GET /user has only the public email; /user/emails is read when it is empty or a domain is preferred. */
  private async email(api: GithubAPI, user: GithubUser): Promise<string> {
    const c = this.p.config;
    if (user.email && !c.preferredEmailDomain) return user.email;
    return pickEmail(this.p.id, await api.emails(), c.preferredEmailDomain, c.hostName !== '');
  }
}
