/**
 * Drives a callback connector through an API simulation the way a browser would: `loginURL` → the simulation's
 * authorize endpoint (as the chosen user) → `handleCallback` with the returned `code` and `state`.
 */

import { isCallbackConnector } from '../../src/connectors/capabilities.js';
import type { ContractUser } from '../../src/connectors/contract/index.js';
import type { CallbackRequest, Connector, Identity, Scopes } from '../../src/connectors/types.js';
import type { ApiSim } from './api-sim.js';

export const SIM_ISSUER = 'http://127.0.0.1:5556/dex';
export const SIM_CALLBACK = `${SIM_ISSUER}/callback`;

/** The request `/callback` hands to the connector for a redirect back to `url`. */
export function callbackRequest(url: URL): CallbackRequest {
  return { method: 'GET', url, headers: { host: url.host }, form: null };
}

/** Logs `userKey` in with `conn` against `sim`; `extra` adds authorize parameters (e.g. `{ sim_deny: '1' }`). */
export async function simLogin<U>(
  sim: ApiSim<U>,
  conn: Connector,
  scopes: Scopes,
  userKey: string,
  extra: Record<string, string> = {},
): Promise<Identity> {
  if (!isCallbackConnector(conn)) throw new TypeError('simLogin needs a callback connector');
  const state = `state-${Math.random().toString(36).slice(2)}`;
  const { url, connectorData } = await conn.loginURL(scopes, SIM_CALLBACK, state);
  const back = await sim.authorize(url, userKey, extra);
  if (`${back.origin}${back.pathname}` !== SIM_CALLBACK) throw new Error(`redirected to ${back.href}, not the callback`);
  if (back.searchParams.get('state') !== state) throw new Error('state did not round-trip');
  return conn.handleCallback(scopes, connectorData, callbackRequest(back));
}

/**
 * `ContractSubject.login` over a simulation: the contract user's `username` is the sim user key. A connector
 * whose login URL points elsewhere (the contract's unreachable upstream) gets a callback with a made-up code, as
 * if the browser had come back, so its server-side calls meet the dead upstream.
 */
export function contractLogin<U>(sim: () => ApiSim<U>) {
  return async (conn: Connector, scopes: Scopes, user: ContractUser) => {
    if (!isCallbackConnector(conn)) throw new TypeError('contractLogin needs a callback connector');
    const { url } = await conn.loginURL(scopes, SIM_CALLBACK, 'probe');
    if (new URL(url).origin !== sim().url) return loginWithCode(conn, scopes, 'code-for-an-unreachable-upstream');
    return simLogin(sim(), conn, scopes, user.username);
  };
}

/** For connectors that never reach the simulation (unreachable upstream): a login with a made-up code. */
export async function loginWithCode(conn: Connector, scopes: Scopes, code: string): Promise<Identity> {
  if (!isCallbackConnector(conn)) throw new TypeError('loginWithCode needs a callback connector');
  const { connectorData } = await conn.loginURL(scopes, SIM_CALLBACK, 'st');
  const url = new URL(SIM_CALLBACK);
  url.searchParams.set('code', code);
  url.searchParams.set('state', 'st');
  return conn.handleCallback(scopes, connectorData, callbackRequest(url));
}
