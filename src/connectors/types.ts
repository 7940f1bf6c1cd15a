/**
 * The connector contract (dex v2.45.1 `connector/connector.go`).
 *
 * A connector is any object; what it can do is expressed by the optional capability interfaces below, which its
 * class declares with `implements` (the TS form of dex's compile-time assertions). `capabilities.ts` holds the
 * matching runtime guards. Connectors never import `src/server`; they get what they need through `ConnectorDeps`.
 *
 * Flow: the server picks a connector → Callback: redirect to `loginURL`, upstream returns to `/callback`,
 * `handleCallback` yields the Identity; Password: the server renders the form and calls `login`; SAML: the
 * server auto-POSTs `postData` and passes the response to `handlePost`. On the refresh grant the server calls
 * `refresh` with the identity saved at login (including `connectorData`).
 */

import type { Logger } from '../lib/logger.js';

/** What the client asked for that the connector must know. Set by the server from the requested scopes. */
export interface Scopes {
  /** `offline_access` was requested: keep what `refresh` will need in `connectorData`. */
  offlineAccess: boolean;
  /** `groups` was requested: fill `Identity.groups`. */
  groups: boolean;
}

/** Who the upstream says the user is. */
export interface Identity {
  userId: string;
  username: string;
  preferredUsername: string;
  email: string;
  emailVerified: boolean;
  groups: string[];
  /** Opaque bytes stored with refresh tokens and offline sessions; never logged, never exposed by the API. */
  connectorData: Uint8Array | null;
}

/** A framework-neutral view of the upstream's request to `/callback`. */
export interface CallbackRequest {
  method: string;
  /** Absolute URL of the request, with its query. */
  url: URL;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** Form fields of a POST, if any. */
  form: URLSearchParams | null;
}

/** Redirect-based login (OIDC, OAuth2, GitHub, ...). */
export interface CallbackConnector {
  loginURL(
    scopes: Scopes,
    callbackURL: string,
    state: string,
  ): Promise<{ url: string; connectorData: Uint8Array | null }>;
  handleCallback(scopes: Scopes, connectorData: Uint8Array | null, request: CallbackRequest): Promise<Identity>;
  /**
   * True when the connector takes the identity from request headers set by a reverse proxy (authproxy): the server
   * then completes its login only on `/callback/<connector id>`, the path the proxy protects, never the bare one.
   */
  readonly trustsRequestHeaders?: boolean;
}

/** Username/password login (LDAP, Keystone, Crowd, the local password DB). */
export interface PasswordConnector {
  /** Label of the username field, e.g. "Email Address"; empty means "Username". */
  prompt(): string;
  /** A wrong password is `{ valid: false }`, never a thrown error; a thrown error means the upstream failed. */
  login(scopes: Scopes, username: string, password: string): Promise<{ identity: Identity | null; valid: boolean }>;
}

/** SAML 2.0 HTTP-POST binding. The server renders the auto-submit form and owns RelayState. */
export interface SAMLConnector {
  postData(scopes: Scopes, requestId: string): Promise<{ ssoURL: string; samlRequest: string }>;
  handlePost(scopes: Scopes, samlResponse: string, inResponseTo: string): Promise<Identity>;
}

/** Can re-read the user at refresh time. Must not widen claims the user no longer has. */
export interface RefreshConnector {
  refresh(scopes: Scopes, identity: Identity): Promise<Identity>;
}

/** Can turn an upstream token into an identity (token exchange, RFC 8693). */
export interface TokenIdentityConnector {
  tokenIdentity(subjectTokenType: string, subjectToken: string): Promise<Identity>;
}

/** Can end the user's session at the upstream too (dex HEAD connector/connector.go LogoutCallbackConnector). */
export interface LogoutCallbackConnector {
  /** The upstream's logout URL that sends the browser back to `postLogoutRedirectURI`; '' when it has none. */
  logoutURL(postLogoutRedirectURI: string): Promise<string>;
  /** Checks the upstream's answer arriving at `/logout/callback`; throws when it is unacceptable. */
  handleLogoutCallback(request: CallbackRequest): Promise<void>;
}

/** Any connector: an object implementing one or more capabilities above. */
export type Connector = object;

/** What a connector may use from its host. */
export interface ConnectorDeps {
  logger: Logger;
  now: () => Date;
  /** The issuer URL, e.g. `http://127.0.0.1:5556/dex`; callback URL = issuer + `/callback`. */
  issuer: string;
  /**
   * Records `key` (in this connector's own namespace) until `until`; false when it is already recorded, by this or
   * any other replica on the same storage (the server stores it). Absent outside a server: the connector then keeps
   * its own in-process record.
   */
  claimOnce?: (key: string, until: Date) => Promise<boolean>;
}

/**
 * One per connector type, registered in `src/config/registry.ts`.
 * `parseConfig` validates the raw (already env-expanded) config object and throws `ConfigError` naming the key
 * path under `path` (e.g. `connectors[2].config.host`); `strict` (dex `DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS`) makes
 * unknown keys errors too.
 */
export interface ConnectorFactory<C = unknown> {
  type: string;
  parseConfig(raw: unknown, path: string, strict?: boolean): C;
  open(id: string, config: C, deps: ConnectorDeps): Promise<Connector> | Connector;
}
