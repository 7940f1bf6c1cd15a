/**
 * The `bitbucket-cloud` connector: OAuth2 login with Bitbucket Cloud, workspaces as groups, refresh (Bitbucket
 * access tokens expire after 2 h; they are renewed with the upstream refresh token and stored back).
 *
 * Upstream scopes: `account email`. Identity: user id = account UUID; username = username; email = the primary
 * confirmed address (login fails without one), verified. Groups: workspace slugs, plus `<slug>:<permission>`
 * with `getWorkspacePermissions`; with `teams` they are filtered to those and a user in none is refused. Groups
 * are returned only with the `groups` scope.
 */

import { UserNotInRequiredGroupsError, UserRefusedError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { filterGroups } from '../groups.js';
import { type JsonHttpClient } from '../http/index.js';
import { TokenUserConnector, type OAuth2Client } from '../oauth2-client/index.js';
import type { Identity, Scopes } from '../types.js';
import type { BitbucketCloudConfig } from './config.js';
import { BitbucketAPI } from './upstream.js';

export interface BitbucketParts {
  id: string;
  config: BitbucketCloudConfig;
  oauth: OAuth2Client;
  http: JsonHttpClient;
  apiURL: string;
  logger: Logger;
}

export class BitbucketCloudConnector extends TokenUserConnector {
  private readonly p: BitbucketParts;
  protected readonly connectorId: string;
  protected readonly oauth: OAuth2Client;

  constructor(parts: BitbucketParts) {
    super();
    this.p = parts;
    this.connectorId = parts.id;
    this.oauth = parts.oauth;
  }

  async loginURL(_scopes: Scopes, callbackURL: string, state: string): Promise<{ url: string; connectorData: null }> {
    return { url: this.p.oauth.authorizeURL(callbackURL, ['account', 'email'], state), connectorData: null };
  }


  protected async identity(scopes: Scopes, accessToken: string): Promise<Omit<Identity, 'connectorData'>> {
    const api = new BitbucketAPI(this.p.http, this.p.apiURL, accessToken);
    const user = await api.user();
    const email = (await api.emails()).find((e) => e.primary && e.confirmed)?.email;
    if (!email) throw new UserRefusedError(this.p.id, 'no_verified_email', `${this.p.id}: the user has no confirmed primary email`);
    const needGroups = this.p.config.teams.length > 0 || scopes.groups;
    const groups = needGroups ? await this.groups(api, user.username) : [];
    return { userId: user.uuid, username: user.username, preferredUsername: '', email, emailVerified: true, groups: scopes.groups ? groups : [] };
  }

  private async groups(api: BitbucketAPI, username: string): Promise<string[]> {
    const c = this.p.config;
    const slugs = await api.workspaces();
    const groups = [...slugs];
    if (c.getWorkspacePermissions) {
      for (const slug of slugs) {
        // As dex: a workspace whose permission cannot be read just gets no suffix entry.
        const permission = await api.permission(slug).catch((err: unknown) => {
          this.p.logger.warn({ connector: this.p.id, workspace: slug, err: (err as Error).message }, 'bitbucket: workspace permission not readable; skipped');
          return null;
        });
        if (permission) groups.push(`${slug}:${permission}`);
      }
    }
    if (c.teams.length === 0) return groups;
    const kept = filterGroups(groups, c.teams);
    if (kept.length === 0) throw new UserNotInRequiredGroupsError(this.p.id, `bitbucket: user ${username} is not in any of the required teams`);
    return kept;
  }
}
