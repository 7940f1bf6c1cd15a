/**
 * The `google` connector: OpenID Connect login with Google, `hd` (hosted domain) enforcement, groups from the
 * Admin SDK Directory API, and refresh with the upstream refresh token (dex v2.45.1 `connector/google/google.go`).
 *
 * Login URL: scopes `openid` + configured (default `profile email`), `hd` = the hosted domain (`*` for several),
 * and with offline_access `access_type=offline` + `prompt=<promptType>` (Google issues a refresh token only then).
 * Identity: user id = ID token `sub`; username = `name` (kept from the previous identity when a refreshed ID token
 * has none); email and email_verified from the ID token; no preferred username. Connector data = the raw upstream
 * refresh token, byte for byte as dex stores it, so offline sessions carry over.
 */

import { ConnectorError, UserNotInRequiredGroupsError, UserRefusedError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { filterGroups } from '../groups.js';
import { type JsonHttpClient } from '../http/index.js';
import { OAuth2Client, type UpstreamToken } from '../oauth2-client/index.js';
import type { CallbackConnector, CallbackRequest, Identity, RefreshConnector, Scopes } from '../types.js';
import type { GoogleConfig } from './config.js';
import type { Directory } from './directory.js';
import type { GoogleClaims, GoogleProvider } from './id-token.js';

export interface GoogleParts {
  id: string;
  config: GoogleConfig;
  http: JsonHttpClient;
  provider: GoogleProvider;
  /** `null` when no `domainToAdminEmail` is configured: no groups. */
  directory: Directory | null;
  logger: Logger;
  now: () => Date;
}

export class GoogleConnector implements CallbackConnector, RefreshConnector {
  private readonly p: GoogleParts;
  private oauth: Promise<OAuth2Client> | null = null;

  constructor(parts: GoogleParts) {
    this.p = parts;
  }

  private client(): Promise<OAuth2Client> {
    const { config: c, id } = this.p;
    this.oauth ??= this.p.provider.discover().then(
      (m) =>
        new OAuth2Client({
          connectorId: id, clientId: c.clientID, clientSecret: c.clientSecret, redirectURI: c.redirectURI,
          authURL: m.authURL, tokenURL: m.tokenURL, authStyle: 'post', http: this.p.http, now: this.p.now,
        }),
      (err: unknown) => {
        this.oauth = null;
        throw err;
      },
    );
    return this.oauth;
  }

  async loginURL(scopes: Scopes, callbackURL: string, state: string): Promise<{ url: string; connectorData: null }> {
    const c = this.p.config;
    const extra: Record<string, string> = {};
    if (c.hostedDomains.length > 0) extra.hd = c.hostedDomains.length > 1 ? '*' : (c.hostedDomains[0] ?? '');
    if (scopes.offlineAccess) {
      extra.access_type = 'offline';
      if (c.promptType) extra.prompt = c.promptType;
    }
    const upstreamScopes = ['openid', ...(c.scopes.length > 0 ? c.scopes : ['profile', 'email'])];
    return { url: (await this.client()).authorizeURL(callbackURL, upstreamScopes, state, extra), connectorData: null };
  }

  async handleCallback(scopes: Scopes, _data: Uint8Array | null, request: CallbackRequest): Promise<Identity> {
    const token = await (await this.client()).exchange(request);
    if (scopes.offlineAccess && !token.refreshToken) {
      this.p.logger.warn({ connector: this.p.id }, 'google: no upstream refresh token was issued (promptType must make Google ask for consent); refresh will fail');
    }
    return this.identity(scopes, token, '');
  }

  async refresh(scopes: Scopes, old: Identity): Promise<Identity> {
    const refreshToken = old.connectorData ? new TextDecoder().decode(old.connectorData) : '';
    if (!refreshToken) throw new ConnectorError(this.p.id, `${this.p.id}: google: no upstream refresh token stored for this session`);
    const token = await (await this.client()).refresh(refreshToken);
    const fresh = await this.identity(scopes, token, old.username);
    if (fresh.userId !== old.userId) throw new ConnectorError(this.p.id, `${this.p.id}: google: the refreshed ID token is for another user`);
    return fresh;
  }

  private async identity(scopes: Scopes, token: UpstreamToken, previousName: string): Promise<Identity> {
    const c = this.p.config;
    if (!token.idToken) throw new ConnectorError(this.p.id, `${this.p.id}: google: no id_token in the token response`);
    const claims = await this.p.provider.verify(token.idToken, c.clientID);
    if (c.hostedDomains.length > 0 && !c.hostedDomains.includes(claims.hd)) {
      throw new UserRefusedError(this.p.id, 'not_allowed', `${this.p.id}: google: unexpected hd claim ${JSON.stringify(claims.hd)}`);
    }
    const groups = await this.groups(scopes, claims);
    return {
      userId: claims.sub,
      username: claims.name || previousName,
      preferredUsername: '',
      email: claims.email,
      emailVerified: claims.emailVerified,
      groups: scopes.groups ? groups : [],
      connectorData: scopes.offlineAccess && token.refreshToken ? new TextEncoder().encode(token.refreshToken) : null,
    };
  }

  /**
   * Directory groups. Read with the groups scope, and also without it when `groups` restricts who may log in
   * (dex checks the restriction only when the client asked for groups; Ferry always does).
   */
  private async groups(scopes: Scopes, claims: GoogleClaims): Promise<string[]> {
    const c = this.p.config;
    const directory = this.p.directory;
    if (!directory || (!scopes.groups && c.groups.length === 0)) return [];
    let groups = await directory.groups(claims.email, c.fetchTransitiveGroupMembership);
    if (c.groups.length > 0) {
      groups = filterGroups(groups, c.groups);
      if (groups.length === 0) throw new UserNotInRequiredGroupsError(this.p.id, `google: user ${claims.sub} is in none of the required groups`);
    }
    return groups;
  }
}
