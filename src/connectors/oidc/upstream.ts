/**
 * The calls the `oidc` connector makes to its upstream provider, through `openid-client` (loaded lazily by the
 * factory) and `jose`:
 *
 *   discover   GET <issuer>/.well-known/openid-configuration; `issuer` must equal `issuerAlias || issuer`;
 *              `providerDiscoveryOverrides` then replace endpoints
 *   codeGrant  POST token_endpoint (code, PKCE verifier); the ID token is required and validated: signature
 *              against jwks_uri, iss, aud, exp, nonce (openid-client)
 *   refresh    POST token_endpoint (refresh_token); an ID token, when returned, is validated the same way
 *   userinfo   GET userinfo_endpoint with the access token; `sub` must match when known
 *   verifyIdToken  a standalone upstream ID token (token exchange): JWKS signature, iss, aud = clientID, exp
 *
 * Every failure becomes a `ConnectorError` whose message is for logs only.
 */

import type * as OpenIdClient from 'openid-client';
import { createRemoteJWKSet, customFetch as joseCustomFetch, jwtVerify } from 'jose';
import { ConnectorError, UserRefusedError } from '../../lib/errors.js';
import type { Fetch } from '../http/index.js';
import { codeExchangeError } from '../upstream-refusal.js';
import { usesClientSecretPost, type OidcConfig } from './config.js';
import type { Claims } from './mapping.js';

type Lib = typeof OpenIdClient;
type Metadata = OpenIdClient.ServerMetadata;

/** Seconds an upstream call may take (the deadline of the connector's HTTP client, and openid-client's). */
export const TIMEOUT_S = 15;

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Claims of the validated ID token, when the response had one. */
  idClaims: Claims | undefined;
}

function fail(id: string, what: string, err: unknown): ConnectorError | UserRefusedError {
  if (err instanceof ConnectorError || err instanceof UserRefusedError) return err;
  // An upstream OAuth error keeps its code (e.g. invalid_grant) in the log line; its free-text description does not.
  const code = (err as { error?: unknown } | null)?.error;
  const detail = typeof code === 'string' ? `upstream error "${code.replace(/[^\x21-\x7e]/g, '?').slice(0, 64)}"` : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  // A stale, used or forged code (or refresh token) is the request's fault, not the upstream's (RFC 6749 §5.2).
  return codeExchangeError(id, typeof code === 'string' ? code : '', `oidc: ${what}: ${detail}`, err);
}

async function fetchMetadata(id: string, config: OidcConfig, fetchFn: Fetch): Promise<Metadata> {
  const url = `${config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let res: Response;
  try {
    res = await fetchFn(url, { headers: { accept: 'application/json' } }); // the connector's HTTP client has the deadline
  } catch (err) {
    throw fail(id, 'failed to get provider', err);
  }
  if (res.status !== 200) throw new ConnectorError(id, `oidc: failed to get provider: ${url}: HTTP ${res.status}`);
  const doc: unknown = await res.json().catch(() => null);
  if (typeof doc !== 'object' || doc === null || typeof (doc as Metadata).issuer !== 'string') {
    throw new ConnectorError(id, 'oidc: failed to get provider: discovery document is not a JSON object with an issuer');
  }
  const expected = config.issuerAlias || config.issuer;
  if ((doc as Metadata).issuer !== expected) {
    throw new ConnectorError(id, `oidc: issuer did not match the issuer returned by provider, expected "${expected}" got "${(doc as Metadata).issuer}"`);
  }
  return doc as Metadata;
}

/** Applies `providerDiscoveryOverrides` to the discovered metadata. */
export function applyOverrides(doc: Metadata, o: OidcConfig['providerDiscoveryOverrides']): Metadata {
  return {
    ...doc,
    ...(o.authURL && { authorization_endpoint: o.authURL }),
    ...(o.tokenURL && { token_endpoint: o.tokenURL }),
    ...(o.jwksURL && { jwks_uri: o.jwksURL }),
    ...(o.userInfoURL && { userinfo_endpoint: o.userInfoURL }),
    ...(o.deviceAuthURL && { device_authorization_endpoint: o.deviceAuthURL }),
    ...(o.endSessionURL && { end_session_endpoint: o.endSessionURL }),
  };
}

export class OidcUpstream {
  readonly metadata: Metadata;
  readonly #id: string;
  readonly #lib: Lib;
  readonly #client: OpenIdClient.Configuration;
  readonly #config: OidcConfig;
  readonly #jwks: ReturnType<typeof createRemoteJWKSet> | null;

  private constructor(id: string, lib: Lib, config: OidcConfig, metadata: Metadata, fetchFn: Fetch) {
    this.#id = id;
    this.#lib = lib;
    this.#config = config;
    this.metadata = metadata;
    const secret = config.clientSecret;
    const auth = !secret ? lib.None() : usesClientSecretPost(config) ? lib.ClientSecretPost(secret) : lib.ClientSecretBasic(secret);
    this.#client = new lib.Configuration(metadata, config.clientID, secret ? { client_secret: secret } : undefined, auth);
    this.#client[lib.customFetch] = (url, init) => fetchFn(url, init as RequestInit);
    this.#client.timeout = TIMEOUT_S;
    lib.allowInsecureRequests(this.#client); // dex talks to http:// upstreams too (loopback, tests)
    lib.enableNonRepudiationChecks(this.#client); // verify ID token signatures, as go-oidc does
    this.#jwks = metadata.jwks_uri
      ? createRemoteJWKSet(new URL(metadata.jwks_uri), { [joseCustomFetch]: (url: string, init: RequestInit) => fetchFn(url, init) })
      : null;
  }

  /** Discovers the provider; throws `ConnectorError` when it cannot be reached or does not match. */
  static async discover(id: string, lib: Lib, config: OidcConfig, fetchFn: Fetch): Promise<OidcUpstream> {
    const doc = await fetchMetadata(id, config, fetchFn);
    return new OidcUpstream(id, lib, config, applyOverrides(doc, config.providerDiscoveryOverrides), fetchFn);
  }

  authorizationURL(params: Record<string, string>): string {
    return this.#lib.buildAuthorizationUrl(this.#client, { response_type: 'code', ...params }).href;
  }

  async codeGrant(callbackURL: URL, checks: { state: string; nonce: string; verifier: string }): Promise<Tokens> {
    try {
      const t = await this.#lib.authorizationCodeGrant(this.#client, callbackURL, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.verifier || undefined,
        idTokenExpected: true,
      });
      return { accessToken: t.access_token, refreshToken: t.refresh_token ?? '', idClaims: t.claims() as Claims | undefined };
    } catch (err) {
      throw fail(this.#id, 'failed to get token', err);
    }
  }

  async refresh(refreshToken: string): Promise<Tokens> {
    try {
      const t = await this.#lib.refreshTokenGrant(this.#client, refreshToken);
      return { accessToken: t.access_token, refreshToken: t.refresh_token ?? refreshToken, idClaims: t.claims() as Claims | undefined };
    } catch (err) {
      throw fail(this.#id, 'failed to get refresh token', err);
    }
  }

  /** Userinfo claims; `expectedSub` null skips the subject check (token exchange of an access token). */
  async userinfo(accessToken: string, expectedSub: string | null): Promise<Claims> {
    try {
      const sub = expectedSub ?? this.#lib.skipSubjectCheck;
      return (await this.#lib.fetchUserInfo(this.#client, accessToken, sub)) as Claims;
    } catch (err) {
      throw fail(this.#id, 'error loading userinfo', err);
    }
  }

  /** Verifies an upstream ID token presented for token exchange. */
  async verifyIdToken(token: string, now: Date): Promise<Claims> {
    if (!this.#jwks) throw new ConnectorError(this.#id, 'oidc: the provider has no jwks_uri');
    const advertised = this.metadata.id_token_signing_alg_values_supported ?? [];
    const algorithms = advertised.filter((a) => a !== 'none' && !a.startsWith('HS'));
    try {
      const { payload } = await jwtVerify(token, this.#jwks, {
        issuer: this.metadata.issuer,
        audience: this.#config.clientID,
        algorithms: algorithms.length ? algorithms : ['RS256'],
        currentDate: now,
        clockTolerance: 30,
      });
      return payload as Claims;
    } catch (err) {
      throw fail(this.#id, 'failed to verify token', err);
    }
  }
}
