/**
 * The `openshift` connector: OAuth2 login with an OpenShift cluster's OAuth server, whose endpoints are read from
 * `<issuer>/.well-known/oauth-authorization-server` (RFC 8414; read once, retried after a failure), the user from
 * `GET <issuer>/apis/user.openshift.io/v1/users/~`, and refresh with the stored token.
 *
 * Upstream scope: `user:info`. Identity (as dex): user id = `metadata.uid`; username = preferred username =
 * email = `metadata.name`; email not verified; groups = the user's OpenShift groups (returned with the groups
 * scope; `groups` membership is enforced either way). Connector data: the token in dex's JSON shape for openshift
 * (golang.org/x/oauth2 `Token`: `access_token`, `token_type`, `refresh_token`, `expiry`).
 */

import { ConnectorError, UserNotInRequiredGroupsError } from '../../lib/errors.js';
import { filterGroups } from '../groups.js';
import { type JsonHttpClient } from '../http/index.js';
import { OAuth2Client, type UpstreamToken } from '../oauth2-client/index.js';
import type { CallbackConnector, CallbackRequest, Identity, RefreshConnector, Scopes } from '../types.js';
import type { OpenshiftConfig } from './config.js';
import { decodeOpenshiftToken, encodeOpenshiftToken } from './token-data.js';

export interface OpenshiftParts {
  id: string;
  config: OpenshiftConfig;
  http: JsonHttpClient;
  now: () => Date;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export class OpenshiftConnector implements CallbackConnector, RefreshConnector {
  private readonly p: OpenshiftParts;
  private oauth: Promise<OAuth2Client> | null = null;

  constructor(parts: OpenshiftParts) {
    this.p = parts;
  }

  private client(): Promise<OAuth2Client> {
    this.oauth ??= this.discover().catch((err: unknown) => {
      this.oauth = null;
      throw err;
    });
    return this.oauth;
  }

  private async discover(): Promise<OAuth2Client> {
    const { id, config: c } = this.p;
    const { body } = await this.p.http.getJSON<Record<string, unknown>>(`${c.issuer}/.well-known/oauth-authorization-server`);
    const authURL = str(body?.authorization_endpoint);
    const tokenURL = str(body?.token_endpoint);
    if (!authURL || !tokenURL) throw new ConnectorError(id, `${id}: openshift: discovery document without authorization or token endpoint`);
    return new OAuth2Client({
      connectorId: id, clientId: c.clientID, clientSecret: c.clientSecret, redirectURI: c.redirectURI,
      authURL, tokenURL, http: this.p.http, now: this.p.now,
    });
  }

  async loginURL(_scopes: Scopes, callbackURL: string, state: string): Promise<{ url: string; connectorData: null }> {
    return { url: (await this.client()).authorizeURL(callbackURL, ['user:info'], state), connectorData: null };
  }

  async handleCallback(scopes: Scopes, _data: Uint8Array | null, request: CallbackRequest): Promise<Identity> {
    const token = await (await this.client()).exchange(request);
    return this.identity(scopes, token);
  }

  async refresh(scopes: Scopes, old: Identity): Promise<Identity> {
    const stored = decodeOpenshiftToken(this.p.id, old.connectorData);
    const { token } = await (await this.client()).usable(stored);
    const fresh = await this.identity(scopes, token);
    if (fresh.userId !== old.userId) throw new ConnectorError(this.p.id, `${this.p.id}: openshift: the user was recreated (uid changed)`);
    return fresh;
  }

  private async identity(scopes: Scopes, token: UpstreamToken): Promise<Identity> {
    const { id, config: c } = this.p;
    const { body } = await this.p.http.getJSON<Record<string, unknown>>(`${c.issuer}/apis/user.openshift.io/v1/users/~`, { bearer: token.accessToken });
    const meta = (typeof body?.metadata === 'object' && body.metadata !== null ? body.metadata : {}) as Record<string, unknown>;
    const name = str(meta.name);
    const uid = str(meta.uid);
    if (!name || !uid) throw new ConnectorError(id, `${id}: openshift: the user object has no name or uid`);
    const groups = Array.isArray(body.groups) ? body.groups.filter((g): g is string => typeof g === 'string') : [];
    if (c.groups.length > 0 && filterGroups(groups, c.groups).length === 0) {
      throw new UserNotInRequiredGroupsError(id, `openshift: user ${name} is in none of the required groups`);
    }
    return {
      userId: uid,
      username: name,
      preferredUsername: name,
      email: name,
      emailVerified: false,
      groups: scopes.groups ? groups : [],
      connectorData: scopes.offlineAccess ? encodeOpenshiftToken(token) : null,
    };
  }
}
