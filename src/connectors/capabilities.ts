/**
 * Runtime guards for the connector capabilities in `types.ts`. Interfaces are erased at run time, so the server
 * asks these what a connector can do (dex does the same with Go type assertions, e.g. `conn.(PasswordConnector)`).
 * A guard checks that every method of the capability is present.
 */

import type {
  CallbackConnector,
  Connector,
  LogoutCallbackConnector,
  PasswordConnector,
  RefreshConnector,
  SAMLConnector,
  TokenIdentityConnector,
} from './types.js';

function hasMethods(c: unknown, ...names: string[]): boolean {
  if (typeof c !== 'object' || c === null) return false;
  return names.every((n) => typeof (c as Record<string, unknown>)[n] === 'function');
}

/** Redirect-based login: `loginURL` + `handleCallback`. */
export function isCallbackConnector(c: Connector): c is CallbackConnector {
  return hasMethods(c, 'loginURL', 'handleCallback');
}

/** Username/password login: `prompt` + `login`. */
export function isPasswordConnector(c: Connector): c is PasswordConnector {
  return hasMethods(c, 'prompt', 'login');
}

/** SAML HTTP-POST binding: `postData` + `handlePost`. */
export function isSAMLConnector(c: Connector): c is SAMLConnector {
  return hasMethods(c, 'postData', 'handlePost');
}

/** Can refresh an identity: `refresh`. */
export function isRefreshConnector(c: Connector): c is RefreshConnector {
  return hasMethods(c, 'refresh');
}

/** Can log out upstream: `logoutURL` + `handleLogoutCallback`. */
export function isLogoutCallbackConnector(c: Connector): c is LogoutCallbackConnector {
  return hasMethods(c, 'logoutURL', 'handleLogoutCallback');
}

/** Can verify an upstream token for token exchange: `tokenIdentity`. */
export function isTokenIdentityConnector(c: Connector): c is TokenIdentityConnector {
  return hasMethods(c, 'tokenIdentity');
}
