/**
 * The callback-and-refresh shape shared by SaaS connectors whose upstream token is all they keep: exchange the code,
 * read the user with the access token, keep the token (when offline access was asked) for refresh; on refresh,
 * renew the token if it expired, read the user again and keep the original user id. Subclasses supply `loginURL`
 * and `identity`.
 */

import type { CallbackConnector, CallbackRequest, Identity, RefreshConnector, Scopes } from '../types.js';
import type { OAuth2Client } from './oauth2-client.js';
import { decodeTokenData, encodeTokenData } from './upstream-token.js';

export abstract class TokenUserConnector implements CallbackConnector, RefreshConnector {
  protected abstract readonly connectorId: string;
  protected abstract readonly oauth: OAuth2Client;

  abstract loginURL(scopes: Scopes, callbackURL: string, state: string): Promise<{ url: string; connectorData: null }>;

  /** Who the access token belongs to, with groups filled when `scopes.groups` is set. */
  protected abstract identity(scopes: Scopes, accessToken: string): Promise<Omit<Identity, 'connectorData'>>;

  async handleCallback(scopes: Scopes, _data: Uint8Array | null, request: CallbackRequest): Promise<Identity> {
    const token = await this.oauth.exchange(request);
    return { ...(await this.identity(scopes, token.accessToken)), connectorData: scopes.offlineAccess ? encodeTokenData(token) : null };
  }

  async refresh(scopes: Scopes, old: Identity): Promise<Identity> {
    const { token, refreshed } = await this.oauth.usable(decodeTokenData(this.connectorId, old.connectorData));
    const fresh = await this.identity(scopes, token.accessToken);
    return { ...fresh, userId: old.userId, connectorData: refreshed ? encodeTokenData(token) : old.connectorData };
  }
}
