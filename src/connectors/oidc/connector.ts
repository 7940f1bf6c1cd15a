/**
 * The `oidc` connector's capabilities (dex v2.45.1 `connector/oidc/oidc.go`):
 *
 *   loginURL        → redirect to the provider with state (the AuthRequest id), a fresh nonce and, when the
 *                     provider supports it, a PKCE challenge; state/nonce/verifier go into the connector data
 *   handleCallback  → upstream `error` → ConnectorError; code → tokens; ID token (+ userinfo) → Identity whose
 *                     connector data holds the upstream refresh token (dex's format)
 *   refresh         → upstream refresh_token grant; a response without an ID token keeps the previous claims
 *                     (or re-reads userinfo with `getUserInfo`)
 *   tokenIdentity   → token exchange: an upstream ID token (verified: JWKS, iss, aud) or, with `getUserInfo` and
 *                     `accessTokenExchangeAudiences` (opt-in), a JWT access token whose `aud` is listed there and
 *                     that the userinfo endpoint accepts
 *
 * Discovery happens when the connector opens; if the provider cannot be reached then, it is retried on use.
 */

import type * as OpenIdClient from 'openid-client';
import { constantTimeEqual } from '../../lib/constant-time.js';
import { ConnectorError, UserRefusedError } from '../../lib/errors.js';
import type { Fetch } from '../http/index.js';
import { callbackError } from '../upstream-refusal.js';
import type {
  CallbackConnector,
  CallbackRequest,
  ConnectorDeps,
  Identity,
  LogoutCallbackConnector,
  RefreshConnector,
  Scopes,
  TokenIdentityConnector,
} from '../types.js';
import { accessTokenHasAudience } from './access-token-audience.js';
import { upstreamScopes, type OidcConfig } from './config.js';
import { decodeLoginState, decodeRefreshData, encodeLoginState, encodeRefreshData } from './connector-data.js';
import { claimsToIdentity, type Claims } from './mapping.js';
import { OidcUpstream, type Tokens } from './upstream.js';

export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** An upstream `error` code, reduced to the characters RFC 6749 allows, for the log line. */
const safeCode = (s: string) => s.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?').slice(0, 64);

export class OidcConnector implements CallbackConnector, RefreshConnector, TokenIdentityConnector, LogoutCallbackConnector {
  readonly #id: string;
  readonly #config: OidcConfig;
  readonly #deps: ConnectorDeps;
  readonly #lib: typeof OpenIdClient;
  readonly #fetch: Fetch;
  readonly #scopes: string[];
  readonly #groupsFilter: RegExp | null;
  #upstream: Promise<OidcUpstream> | null = null;

  constructor(id: string, config: OidcConfig, deps: ConnectorDeps, lib: typeof OpenIdClient, fetchFn: Fetch) {
    this.#id = id;
    this.#config = config;
    this.#deps = deps;
    this.#lib = lib;
    this.#fetch = fetchFn;
    this.#scopes = upstreamScopes(config);
    const filter = config.claimModifications.filterGroupClaims.groupsFilter;
    this.#groupsFilter = filter ? new RegExp(filter) : null;
  }

  /** Discovers the provider now; a failure is logged and discovery is retried on the next use. */
  async warmUp(): Promise<void> {
    await this.#provider().catch((err: unknown) => {
      this.#deps.logger.warn({ err: (err as Error).message }, 'oidc: provider discovery failed; retrying on first use');
    });
  }

  #provider(): Promise<OidcUpstream> {
    this.#upstream ??= OidcUpstream.discover(this.#id, this.#lib, this.#config, this.#fetch).then((up) => {
      const wanted = this.#config.pkceChallenge;
      const supported = up.metadata.code_challenge_methods_supported ?? [];
      if (wanted && !supported.includes(wanted)) this.#deps.logger.warn({ method: wanted }, 'oidc: provider does not advertise the configured PKCE method');
      return up;
    });
    const p = this.#upstream;
    p.catch(() => {
      if (this.#upstream === p) this.#upstream = null;
    });
    return p;
  }

  /** The PKCE method in use: the configured one, else the best the provider advertises, else none. */
  #pkceMethod(up: OidcUpstream): string {
    if (this.#config.pkceChallenge) return this.#config.pkceChallenge;
    const supported = up.metadata.code_challenge_methods_supported ?? [];
    return supported.includes('S256') ? 'S256' : supported.includes('plain') ? 'plain' : '';
  }

  async loginURL(scopes: Scopes, callbackURL: string, state: string): Promise<{ url: string; connectorData: Uint8Array }> {
    if (callbackURL !== this.#config.redirectURI) {
      throw new ConnectorError(this.#id, `oidc: expected callback URL "${callbackURL}" did not match the URL in the config "${this.#config.redirectURI}"`);
    }
    const up = await this.#provider();
    const nonce = this.#lib.randomNonce();
    const params: Record<string, string> = { redirect_uri: this.#config.redirectURI, scope: this.#scopes.join(' '), state, nonce };
    if (this.#config.acrValues.length) params.acr_values = this.#config.acrValues.join(' ');
    if (scopes.offlineAccess) {
      params.access_type = 'offline';
      if (this.#config.promptType) params.prompt = this.#config.promptType;
    }
    const method = this.#pkceMethod(up);
    const verifier = method ? this.#lib.randomPKCECodeVerifier() : '';
    if (method === 'S256') Object.assign(params, { code_challenge: await this.#lib.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    if (method === 'plain') Object.assign(params, { code_challenge: verifier, code_challenge_method: 'plain' });
    return { url: up.authorizationURL(params), connectorData: encodeLoginState({ state, nonce, verifier }) };
  }

  async handleCallback(scopes: Scopes, connectorData: Uint8Array | null, request: CallbackRequest): Promise<Identity> {
    const q = request.url.searchParams;
    const error = q.get('error');
    if (error !== null) throw callbackError(this.#id, error, 'oidc');
    const login = decodeLoginState(connectorData);
    if (!login) throw new ConnectorError(this.#id, 'oidc: the login state is missing from the auth request');
    if (!constantTimeEqual(q.get('state') ?? '', login.state)) throw new UserRefusedError(this.#id, 'bad_callback', 'oidc: state mismatch');
    const callback = new URL(this.#config.redirectURI);
    for (const [k, v] of q) callback.searchParams.append(k, v);
    const up = await this.#provider();
    const tokens = await up.codeGrant(callback, login);
    return this.#identity(up, tokens, scopes.groups, null);
  }

  /**
   * The upstream's `end_session_endpoint` (discovered, or `providerDiscoveryOverrides.endSessionURL`) with
   * `post_logout_redirect_uri` and `client_id` (OpenID Connect RP-Initiated Logout 1.0 §2; dex HEAD
   * connector/oidc/oidc.go LogoutURL); '' when the provider has none.
   */
  async logoutURL(postLogoutRedirectURI: string): Promise<string> {
    const endpoint = (await this.#provider()).metadata.end_session_endpoint;
    if (typeof endpoint !== 'string' || endpoint === '') return '';
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new ConnectorError(this.#id, 'oidc: invalid end_session_endpoint');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConnectorError(this.#id, 'oidc: end_session_endpoint must use http or https');
    if (postLogoutRedirectURI) {
      url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectURI);
      url.searchParams.set('client_id', this.#config.clientID);
    }
    return url.toString();
  }

  /** Nothing to check: the provider redirects back without a structured answer (as dex HEAD). */
  async handleLogoutCallback(_request: CallbackRequest): Promise<void> {}

  async refresh(scopes: Scopes, identity: Identity): Promise<Identity> {
    const refreshToken = decodeRefreshData(identity.connectorData);
    if (refreshToken === null) throw new ConnectorError(this.#id, 'oidc: failed to unmarshal connector data');
    if (!refreshToken) throw new ConnectorError(this.#id, 'oidc: no upstream refresh token (is offline_access among the scopes?)');
    const up = await this.#provider();
    const tokens = await up.refresh(refreshToken);
    return this.#identity(up, tokens, scopes.groups, identity);
  }

  async tokenIdentity(subjectTokenType: string, subjectToken: string): Promise<Identity> {
    const up = await this.#provider();
    let claims: Claims;
    if (subjectTokenType === ID_TOKEN_TYPE) {
      claims = await up.verifyIdToken(subjectToken, this.#deps.now());
    } else if (subjectTokenType === ACCESS_TOKEN_TYPE) {
      if (!this.#config.getUserInfo) throw new ConnectorError(this.#id, 'oidc: getUserInfo is required for access token exchange');
      if (!accessTokenHasAudience(subjectToken, this.#config.accessTokenExchangeAudiences)) {
        throw new ConnectorError(this.#id, 'oidc: access token exchange needs a JWT access token whose aud is in accessTokenExchangeAudiences');
      }
      claims = await up.userinfo(subjectToken, null);
    } else {
      throw new ConnectorError(this.#id, `oidc: unknown token type for token exchange: ${safeCode(subjectTokenType)}`);
    }
    return this.#map(claims, true);
  }

  #map(claims: Claims, wantGroups: boolean): Identity {
    return claimsToIdentity(this.#id, claims, { config: this.#config, scopes: this.#scopes, groupsFilter: this.#groupsFilter, wantGroups });
  }

  /** Claims of a token response (+ userinfo) → Identity; `previous` is set on refresh. */
  async #identity(up: OidcUpstream, tokens: Tokens, wantGroups: boolean, previous: Identity | null): Promise<Identity> {
    let claims = tokens.idClaims;
    if (this.#config.getUserInfo) {
      const sub = typeof claims?.sub === 'string' ? claims.sub : null;
      claims = { ...claims, ...(await up.userinfo(tokens.accessToken, sub)) };
    }
    const connectorData = encodeRefreshData(tokens.refreshToken);
    if (!claims) {
      // ID tokens are optional in refresh responses (OIDC Core §12.2): keep what the login established.
      if (previous) return { ...previous, groups: [...previous.groups], connectorData };
      throw new ConnectorError(this.#id, 'oidc: no id_token in token response');
    }
    return { ...this.#map(claims, wantGroups), connectorData };
  }
}
