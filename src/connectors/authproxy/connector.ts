/**
 * The `authproxy` connector (dex v2.45.1 `connector/authproxy/authproxy.go`): the user was already authenticated by a
 * reverse proxy in front of Ferry, which passes who they are in request headers.
 *
 * `loginURL` sends the browser to `<issuer>/callback/<connector id>?state=…`, the path the proxy must protect;
 * `handleCallback` reads the headers there. The server refuses to complete this connector's login on the bare
 * `/callback` (`trustsRequestHeaders`), whatever the header names are. SAFE ONLY behind a proxy that removes these headers from client requests and sets
 * them itself: anyone who can reach Ferry directly could otherwise claim to be anyone.
 */

import { UserRefusedError } from '../../lib/errors.js';
import type { CallbackConnector, CallbackRequest, Identity, Scopes } from '../types.js';
import type { AuthProxyConfig } from './config.js';

export class AuthProxyConnector implements CallbackConnector {
  /** Completed only on `/callback/<id>`: a custom `userHeader` would otherwise be read on the bare `/callback`. */
  readonly trustsRequestHeaders = true;
  readonly #id: string;
  readonly #config: AuthProxyConfig;

  constructor(id: string, config: AuthProxyConfig) {
    this.#id = id;
    this.#config = config;
  }

  async loginURL(_scopes: Scopes, callbackURL: string, state: string): Promise<{ url: string; connectorData: null }> {
    const url = new URL(callbackURL);
    url.pathname = `${url.pathname.replace(/\/$/, '')}/${encodeURIComponent(this.#id)}`;
    url.searchParams.set('state', state);
    return { url: url.toString(), connectorData: null };
  }

  async handleCallback(scopes: Scopes, _data: Uint8Array | null, request: CallbackRequest): Promise<Identity> {
    const c = this.#config;
    const get = (name: string): string => (request.headers[name.toLowerCase()] ?? '').trim();
    const user = get(c.userHeader);
    if (!user) throw new UserRefusedError(this.#id, 'unauthenticated', `authproxy: required HTTP header ${c.userHeader} is not set`);
    const headerGroups = get(c.groupHeader);
    const groups = [...(headerGroups ? headerGroups.split(c.groupHeaderSeparator).map((g) => g.trim()).filter(Boolean) : []), ...c.staticGroups];
    return {
      userId: get(c.userIDHeader) || user,
      username: user,
      preferredUsername: get(c.userNameHeader) || user,
      email: get(c.emailHeader) || user,
      emailVerified: true,
      groups: scopes.groups ? groups : [],
      connectorData: null,
    };
  }
}
