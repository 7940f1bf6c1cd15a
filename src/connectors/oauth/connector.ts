/**
 * The generic `oauth` connector (dex `connector/oauth`): a callback connector without refresh.
 *
 *   loginURL        → authorizationURL with client_id, redirect_uri, scope and state (the AuthRequest id, kept in
 *                     the connector data and checked on return)
 *   handleCallback  → upstream `error` → ConnectorError; code → access token → userinfo JSON → Identity
 *                     (`mapping.ts`); with offline access the connector data is dex's `{"AccessToken": …}`
 */

import { constantTimeEqual } from '../../lib/constant-time.js';
import { ConnectorError, UserRefusedError } from '../../lib/errors.js';
import { callbackError } from '../upstream-refusal.js';
import type { CallbackConnector, CallbackRequest, Identity, Scopes } from '../types.js';
import type { OauthConfig } from './config.js';
import { userinfoToIdentity } from './mapping.js';
import type { OauthUpstream } from './upstream.js';

export class OauthConnector implements CallbackConnector {
  readonly #id: string;
  readonly #config: OauthConfig;
  readonly #upstream: OauthUpstream;

  constructor(id: string, config: OauthConfig, upstream: OauthUpstream) {
    this.#id = id;
    this.#config = config;
    this.#upstream = upstream;
  }

  async loginURL(_scopes: Scopes, callbackURL: string, state: string): Promise<{ url: string; connectorData: Uint8Array }> {
    if (callbackURL !== this.#config.redirectURI) {
      throw new ConnectorError(this.#id, `oauth: expected callback URL "${callbackURL}" did not match the URL in the config "${this.#config.redirectURI}"`);
    }
    const url = new URL(this.#config.authorizationURL);
    url.searchParams.set('client_id', this.#config.clientID);
    url.searchParams.set('redirect_uri', this.#config.redirectURI);
    url.searchParams.set('response_type', 'code');
    if (this.#config.scopes.length) url.searchParams.set('scope', this.#config.scopes.join(' '));
    url.searchParams.set('state', state);
    return { url: url.href, connectorData: new TextEncoder().encode(JSON.stringify({ state })) };
  }

  async handleCallback(scopes: Scopes, connectorData: Uint8Array | null, request: CallbackRequest): Promise<Identity> {
    const q = request.url.searchParams;
    const error = q.get('error');
    if (error !== null) throw callbackError(this.#id, error, 'oauth');
    if (!constantTimeEqual(q.get('state') ?? '', expectedState(connectorData))) throw new UserRefusedError(this.#id, 'bad_callback', 'oauth: state mismatch');
    const code = q.get('code');
    if (!code) throw new UserRefusedError(this.#id, 'bad_callback', 'oauth: the callback carries no code');
    const { accessToken } = await this.#upstream.exchangeCode(code);
    const info = await this.#upstream.userinfo(accessToken);
    const identity = userinfoToIdentity(this.#id, info, accessToken, this.#config, scopes.groups);
    if (scopes.offlineAccess) identity.connectorData = new TextEncoder().encode(JSON.stringify({ AccessToken: accessToken }));
    return identity;
  }
}

function expectedState(data: Uint8Array | null): string {
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(data ?? new Uint8Array()));
    const state = (v as { state?: unknown } | null)?.state;
    return typeof state === 'string' && state ? state : '\0missing';
  } catch {
    return '\0missing';
  }
}
