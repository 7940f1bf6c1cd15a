/**
 * The `linkedin` connector (dex `connector/linkedin`): OAuth2 login with the scopes `r_liteprofile
 * r_emailaddress`; the profile from `/v2/me`, the email from `/v2/emailAddress`. No groups. Refresh re-reads the
 * profile with the stored access token (LinkedIn tokens live 60 days; dex stores no refresh token either).
 *
 * Identity: user id = member id; username = first and last name (else the email); email verified.
 */

import { ConnectorError, UserRefusedError } from '../../lib/errors.js';
import { type JsonHttpClient } from '../http/index.js';
import { decodeTokenData, encodeTokenData, type OAuth2Client } from '../oauth2-client/index.js';
import type { CallbackConnector, CallbackRequest, Identity, RefreshConnector, Scopes } from '../types.js';

export interface LinkedinParts {
  id: string;
  oauth: OAuth2Client;
  http: JsonHttpClient;
  apiURL: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export class LinkedinConnector implements CallbackConnector, RefreshConnector {
  private readonly p: LinkedinParts;

  constructor(parts: LinkedinParts) {
    this.p = parts;
  }

  async loginURL(_scopes: Scopes, callbackURL: string, state: string): Promise<{ url: string; connectorData: null }> {
    return { url: this.p.oauth.authorizeURL(callbackURL, ['r_liteprofile', 'r_emailaddress'], state), connectorData: null };
  }

  async handleCallback(scopes: Scopes, _data: Uint8Array | null, request: CallbackRequest): Promise<Identity> {
    const token = await this.p.oauth.exchange(request);
    const profile = await this.profile(token.accessToken);
    // Only the access token is kept, as dex does.
    const data = scopes.offlineAccess ? encodeTokenData({ accessToken: token.accessToken, refreshToken: '', expiry: null }) : null;
    return { userId: profile.id, username: profile.name, preferredUsername: '', email: profile.email, emailVerified: true, groups: [], connectorData: data };
  }

  async refresh(_scopes: Scopes, old: Identity): Promise<Identity> {
    const { accessToken } = decodeTokenData(this.p.id, old.connectorData);
    const profile = await this.profile(accessToken);
    return { ...old, username: profile.name, email: profile.email };
  }

  private async profile(accessToken: string): Promise<{ id: string; name: string; email: string }> {
    const { body: me } = await this.p.http.getJSON<Record<string, unknown>>(`${this.p.apiURL}/me`, { bearer: accessToken });
    const id = str(me?.id);
    if (!id) throw new ConnectorError(this.p.id, `${this.p.id}: GET /v2/me: unexpected answer shape`);
    const email = await this.email(accessToken);
    const name = `${str(me.localizedFirstName)} ${str(me.localizedLastName)}`.trim() || email;
    return { id, name, email };
  }

  /** GET /v2/emailAddress?q=members&projection=(elements*(handle~)); the last listed address, as dex. */
  private async email(accessToken: string): Promise<string> {
    const url = `${this.p.apiURL}/emailAddress?q=members&projection=(elements*(handle~))`;
    const { body } = await this.p.http.getJSON<Record<string, unknown>>(url, { bearer: accessToken });
    const elements = Array.isArray(body?.elements) ? (body.elements as Record<string, unknown>[]) : [];
    const addresses = elements.map((e) => str((e['handle~'] as Record<string, unknown> | undefined)?.emailAddress)).filter(Boolean);
    const email = addresses.at(-1);
    if (!email) throw new UserRefusedError(this.p.id, 'no_verified_email', `${this.p.id}: the member has no email address`);
    return email;
  }
}
