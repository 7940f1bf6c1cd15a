/**
 * The `gitlab` connector: OAuth2 login with gitlab.com or a self-hosted GitLab, groups, refresh with the upstream
 * refresh token (or the stored access token when there is none), and token exchange of a GitLab access token.
 *
 * Upstream scopes: `read_user`; plus `openid` when groups are needed (configured or asked), plus `read_api` with
 * `inheritedGroups`. Identity: user id = numeric id (or username with `useLoginAsID`); username = name or email;
 * preferred username = username; email verified; groups per `groups.ts`, returned only with the `groups` scope.
 */

import { ConnectorError } from '../../lib/errors.js';
import { type JsonHttpClient } from '../http/index.js';
import { decodeTokenData, encodeTokenData, type OAuth2Client, type UpstreamToken } from '../oauth2-client/index.js';
import type { CallbackConnector, CallbackRequest, Identity, RefreshConnector, Scopes, TokenIdentityConnector } from '../types.js';
import type { GitlabConfig } from './config.js';
import { gitlabGroups } from './groups.js';
import { GitlabAPI } from './upstream.js';

export interface GitlabParts {
  id: string;
  config: GitlabConfig;
  oauth: OAuth2Client;
  http: JsonHttpClient;
}

export class GitlabConnector implements CallbackConnector, RefreshConnector, TokenIdentityConnector {
  private readonly p: GitlabParts;

  constructor(parts: GitlabParts) {
    this.p = parts;
  }

  private groupsRequired(groupsScope: boolean): boolean {
    return this.p.config.groups.length > 0 || groupsScope;
  }

  async loginURL(scopes: Scopes, callbackURL: string, state: string): Promise<{ url: string; connectorData: null }> {
    const upstream = ['read_user'];
    if (this.groupsRequired(scopes.groups)) upstream.push('openid', ...(this.p.config.inheritedGroups ? ['read_api'] : []));
    return { url: this.p.oauth.authorizeURL(callbackURL, upstream, state), connectorData: null };
  }

  async handleCallback(scopes: Scopes, _data: Uint8Array | null, request: CallbackRequest): Promise<Identity> {
    const token = await this.p.oauth.exchange(request);
    return { ...(await this.identity(scopes, token.accessToken)), connectorData: scopes.offlineAccess ? encodeTokenData(token) : null };
  }

  async refresh(scopes: Scopes, old: Identity): Promise<Identity> {
    const stored: UpstreamToken = decodeTokenData(this.p.id, old.connectorData);
    const token = stored.refreshToken ? await this.p.oauth.refresh(stored.refreshToken) : stored;
    const fresh = await this.identity(scopes, token.accessToken);
    return { ...fresh, userId: old.userId, connectorData: encodeTokenData(token) };
  }

  /** Token exchange: the subject token is a GitLab access token; groups are always read (the server filters by scope). */
  async tokenIdentity(_subjectTokenType: string, subjectToken: string): Promise<Identity> {
    if (!subjectToken) throw new ConnectorError(this.p.id, `${this.p.id}: empty subject token`);
    return { ...(await this.identity({ offlineAccess: false, groups: true }, subjectToken)), connectorData: null };
  }

  private async identity(scopes: Scopes, accessToken: string): Promise<Omit<Identity, 'connectorData'>> {
    const c = this.p.config;
    const api = new GitlabAPI(this.p.http, c.baseURL, accessToken);
    const user = await api.user();
    const groups = this.groupsRequired(scopes.groups) ? await gitlabGroups(this.p.id, api, c, user) : [];
    return {
      userId: c.useLoginAsID ? user.username : String(user.id),
      username: user.name || user.email,
      preferredUsername: user.username,
      email: user.email,
      emailVerified: true,
      groups: scopes.groups ? groups : [],
    };
  }
}
