/**
 * The token book of an API simulation: authorization codes (single use, bound to a redirect URI), access tokens
 * (optionally expiring on the simulation's clock) and refresh tokens (optionally rotated), all revocable per user.
 */

import { randomBytes } from 'node:crypto';

export interface Grant {
  userKey: string;
  scopes: string[];
}

interface CodeEntry extends Grant {
  redirectURI: string;
  clientId: string;
}

interface AccessEntry extends Grant {
  /** Milliseconds on the sim clock; `null` = never expires (GitHub OAuth Apps, LinkedIn's 60 days, ...). */
  expiresAt: number | null;
  revoked: boolean;
}

interface RefreshEntry extends Grant {
  revoked: boolean;
}

export interface TokenPolicy {
  /** Lifetime of access tokens in seconds; omit for tokens that never expire. */
  accessTokenTtl?: number;
  /** Issue refresh tokens with access tokens (default true). */
  refreshTokens?: boolean;
  /** A refresh grant returns a new refresh token and invalidates the old one (default true). */
  rotateRefreshTokens?: boolean;
}

const token = (prefix: string) => `${prefix}_${randomBytes(18).toString('base64url')}`;

export class TokenBook {
  private readonly codes = new Map<string, CodeEntry>();
  private readonly access = new Map<string, AccessEntry>();
  private readonly refreshes = new Map<string, RefreshEntry>();

  private readonly policy: TokenPolicy;
  private readonly now: () => number;

  constructor(policy: TokenPolicy, now: () => number) {
    this.policy = policy;
    this.now = now;
  }

  newCode(entry: CodeEntry): string {
    const code = token('code');
    this.codes.set(code, entry);
    return code;
  }

  /** Consumes a code; `null` when unknown, used, or issued for another client or redirect URI. */
  takeCode(code: string, clientId: string, redirectURI: string | null): Grant | null {
    const entry = this.codes.get(code);
    this.codes.delete(code);
    if (!entry || entry.clientId !== clientId) return null;
    if (redirectURI !== null && redirectURI !== entry.redirectURI) return null;
    return { userKey: entry.userKey, scopes: entry.scopes };
  }

  /** Issues an access token (and a refresh token unless disabled) as an OAuth2 token response body. */
  issue(grant: Grant, refreshToken?: string): Record<string, unknown> {
    const accessToken = token('at');
    const ttl = this.policy.accessTokenTtl;
    this.access.set(accessToken, { ...grant, expiresAt: ttl === undefined ? null : this.now() + ttl * 1000, revoked: false });
    const body: Record<string, unknown> = { access_token: accessToken, token_type: 'bearer', scope: grant.scopes.join(' ') };
    if (ttl !== undefined) body.expires_in = ttl;
    if (this.policy.refreshTokens !== false) {
      const rt = refreshToken ?? token('rt');
      this.refreshes.set(rt, { ...grant, revoked: false });
      body.refresh_token = rt;
    }
    return body;
  }

  /** Redeems a refresh token; `null` when unknown or revoked. Rotation invalidates the presented token. */
  redeemRefresh(refreshToken: string): Record<string, unknown> | null {
    const entry = this.refreshes.get(refreshToken);
    if (!entry || entry.revoked) return null;
    const rotate = this.policy.rotateRefreshTokens !== false;
    if (rotate) entry.revoked = true;
    return this.issue({ userKey: entry.userKey, scopes: entry.scopes }, rotate ? undefined : refreshToken);
  }

  /** The grant behind a bearer token, or `null` when unknown, revoked or expired. */
  check(accessToken: string): Grant | null {
    const entry = this.access.get(accessToken);
    if (!entry || entry.revoked) return null;
    if (entry.expiresAt !== null && this.now() >= entry.expiresAt) return null;
    return entry;
  }

  /** Revokes every access and refresh token of `userKey` (the user removed the app's authorization). */
  revoke(userKey: string): void {
    for (const e of [...this.access.values(), ...this.refreshes.values()]) if (e.userKey === userKey) e.revoked = true;
  }

  /** Expires every access token of `userKey` (or of everyone) now; refresh tokens stay valid. */
  expire(userKey?: string): void {
    const now = this.now();
    for (const e of this.access.values()) if (userKey === undefined || e.userKey === userKey) e.expiresAt = now;
  }
}
