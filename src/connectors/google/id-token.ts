/**
 * Google's OpenID provider as the connector sees it: discovery (`<issuer>/.well-known/openid-configuration`, read
 * once and cached; a failure is retried on the next login) and ID token verification with `jose` against the
 * discovered `jwks_uri`: RS256 signature, `iss` (Google writes `https://accounts.google.com` or
 * `accounts.google.com`), `aud` = client ID, `exp`/`iat` on the injected clock (OIDC Core §3.1.3.7).
 * Keys are fetched through the connector's HTTP client and fetched again, at most once a minute, when a token
 * names an unknown `kid` (Google rotates its keys).
 */

import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { ConnectorError } from '../../lib/errors.js';
import type { JsonHttpClient } from '../http/index.js';

export interface GoogleMetadata {
  authURL: string;
  tokenURL: string;
  jwksURL: string;
}

export interface GoogleClaims {
  sub: string;
  name: string;
  email: string;
  emailVerified: boolean;
  hd: string;
}

const GOOGLE_ISSUER = 'https://accounts.google.com';
const JWKS_REFETCH_MS = 60_000;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export class GoogleProvider {
  private readonly id: string;
  private readonly issuer: string;
  private readonly http: JsonHttpClient;
  private readonly now: () => Date;
  private metadata: Promise<GoogleMetadata> | null = null;
  private keys: { set: ReturnType<typeof createLocalJWKSet>; fetchedAt: number } | null = null;

  constructor(id: string, issuer: string, http: JsonHttpClient, now: () => Date) {
    this.id = id;
    this.issuer = issuer.replace(/\/$/, '');
    this.http = http;
    this.now = now;
  }

  /** The discovered endpoints. */
  discover(): Promise<GoogleMetadata> {
    this.metadata ??= this.fetchMetadata().catch((err: unknown) => {
      this.metadata = null;
      throw err;
    });
    return this.metadata;
  }

  private async fetchMetadata(): Promise<GoogleMetadata> {
    const { body } = await this.http.getJSON<Record<string, unknown>>(`${this.issuer}/.well-known/openid-configuration`);
    const m = body ?? {};
    if (str(m.issuer).replace(/\/$/, '') !== this.issuer) throw this.fail('discovery: the document names another issuer');
    const meta = { authURL: str(m.authorization_endpoint), tokenURL: str(m.token_endpoint), jwksURL: str(m.jwks_uri) };
    if (!meta.authURL || !meta.tokenURL || !meta.jwksURL) throw this.fail('discovery: endpoints missing from the document');
    return meta;
  }

  private fail(what: string, cause?: unknown): ConnectorError {
    return new ConnectorError(this.id, `${this.id}: google ${what}`, { cause });
  }

  private async keySet(force: boolean): Promise<ReturnType<typeof createLocalJWKSet>> {
    const now = this.now().getTime();
    if (this.keys && (!force || now - this.keys.fetchedAt < JWKS_REFETCH_MS)) return this.keys.set;
    const { jwksURL } = await this.discover();
    const { body } = await this.http.getJSON<JSONWebKeySet>(jwksURL);
    if (!body || !Array.isArray(body.keys)) throw this.fail('JWKS: not a key set');
    this.keys = { set: createLocalJWKSet(body), fetchedAt: now };
    return this.keys.set;
  }

  /** Verifies `raw` and returns the claims the connector maps. Any failure is a `ConnectorError`. */
  async verify(raw: string, clientId: string): Promise<GoogleClaims> {
    const issuers = this.issuer === GOOGLE_ISSUER ? [GOOGLE_ISSUER, 'accounts.google.com'] : [this.issuer];
    const options = { issuer: issuers, audience: clientId, algorithms: ['RS256'], currentDate: this.now(), clockTolerance: 30 };
    let payload: JWTPayload;
    try {
      payload = (await jwtVerify(raw, await this.keySet(false), options)).payload;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw this.verifyFailure(err);
      try {
        payload = (await jwtVerify(raw, await this.keySet(true), options)).payload;
      } catch (again) {
        throw this.verifyFailure(again);
      }
    }
    if (!payload.sub) throw this.fail('ID token without sub');
    const verified = payload.email_verified;
    return {
      sub: payload.sub,
      name: str(payload.name),
      email: str(payload.email),
      emailVerified: verified === true || verified === 'true',
      hd: str(payload.hd),
    };
  }

  private verifyFailure(err: unknown): ConnectorError {
    if (err instanceof ConnectorError) return err;
    // jose's messages name the failed check, never the token; its errors carry the payload, so no `cause`.
    const { code = 'error', message = '' } = err as { code?: string; message?: string };
    return this.fail(`ID token rejected (${code}: ${message.slice(0, 120)})`);
  }
}
