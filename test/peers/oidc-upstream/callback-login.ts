/**
 * `login` for callback connectors in the contract suite and the focused tests: `loginURL` → the scripted upstream
 * login (`opLogin`) → `handleCallback` with the provider's redirect, as Ferry's `/callback` would pass it.
 */

import { isCallbackConnector } from '../../../src/connectors/capabilities.js';
import type { CallbackRequest, Connector, Identity, Scopes } from '../../../src/connectors/types.js';
import { opLogin, TEST_CALLBACK } from './op-login.js';

export function callbackRequest(url: URL): CallbackRequest {
  return { method: 'GET', url, headers: {}, form: null };
}

/** The authorization URL the connector sends the browser to, and its connector data. */
export async function startLogin(conn: Connector, scopes: Scopes, state = `st-${Math.random().toString(36).slice(2)}`) {
  if (!isCallbackConnector(conn)) throw new TypeError('startLogin needs a callback connector');
  const { url, connectorData } = await conn.loginURL(scopes, TEST_CALLBACK, state);
  return { url: new URL(url), connectorData, state };
}

/** Logs `login` in at the upstream through `conn` and returns the identity. */
export async function callbackLogin(conn: Connector, scopes: Scopes, login: string, opts: { abort?: boolean } = {}): Promise<Identity> {
  if (!isCallbackConnector(conn)) throw new TypeError('callbackLogin needs a callback connector');
  const { url, connectorData } = await startLogin(conn, scopes);
  const callback = await opLogin(url.href, login, opts);
  return conn.handleCallback(scopes, connectorData, callbackRequest(callback));
}
