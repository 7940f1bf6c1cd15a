/**
 * The `gitea` connector: OAuth2 login with gitea.com or a self-hosted Gitea, groups from orgs and teams, refresh
 * (the stored access token while valid, else the upstream refresh token; the new token is stored back).
 *
 * Identity: user id = numeric id (or login with `useLoginAsID`); username = full name or email; preferred
 * username = login; email verified. Groups are read when `orgs` or `loadAllGroups` is configured (as dex) and
 * returned only with the `groups` scope; org membership is enforced either way.
 */

import { type JsonHttpClient } from '../http/index.js';
import { TokenUserConnector, type OAuth2Client } from '../oauth2-client/index.js';
import type { Identity, Scopes } from '../types.js';
import type { GiteaConfig } from './config.js';
import { allGiteaGroups, giteaOrgGroups } from './groups.js';
import { GiteaAPI } from './upstream.js';

export interface GiteaParts {
  id: string;
  config: GiteaConfig;
  oauth: OAuth2Client;
  http: JsonHttpClient;
}

export class GiteaConnector extends TokenUserConnector {
  private readonly p: GiteaParts;
  protected readonly connectorId: string;
  protected readonly oauth: OAuth2Client;

  constructor(parts: GiteaParts) {
    super();
    this.p = parts;
    this.connectorId = parts.id;
    this.oauth = parts.oauth;
  }

  async loginURL(_scopes: Scopes, callbackURL: string, state: string): Promise<{ url: string; connectorData: null }> {
    return { url: this.p.oauth.authorizeURL(callbackURL, [], state), connectorData: null };
  }


  protected async identity(scopes: Scopes, accessToken: string): Promise<Omit<Identity, 'connectorData'>> {
    const c = this.p.config;
    const api = new GiteaAPI(this.p.http, c.baseURL, accessToken);
    const user = await api.user();
    let groups: string[] = [];
    if (c.orgs.length > 0) groups = giteaOrgGroups(this.p.id, c, await api.teams(), user.login);
    else if (c.loadAllGroups) groups = allGiteaGroups(await api.teams());
    return {
      userId: c.useLoginAsID ? user.login : String(user.id),
      username: user.fullName || user.email,
      preferredUsername: user.login,
      email: user.email,
      emailVerified: true,
      groups: scopes.groups ? groups : [],
    };
  }
}
