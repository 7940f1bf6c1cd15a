/**
 * The ID-token claim set (dex v2.45.1 `server/oauth2.go` `newIDToken`). Access tokens carry the same set.
 * Claims are built in dex's JSON order so serialized tokens read the same.
 */

import type { JWTPayload } from 'jose';
import type { Identity } from '../../connectors/types.js';
import type { Claims } from '../../storage/types.js';
import { crossClientPeer, SCOPES } from '../oauth2/scopes.js';
import { encodeSubject } from './subject.js';

/** Everything a token is minted from: who, for which client, with which scopes. */
export interface TokenContext {
  clientId: string;
  scopes: string[];
  claims: Claims;
  connectorId: string;
  /** Empty when the request had none. */
  nonce: string;
  /** When the user last authenticated interactively; null when unknown. */
  authTime: Date | null;
  /** Browser session id (`sid`); empty when sessions are off or the token is not tied to one. */
  sessionId: string;
  /** Authentication methods and context class (OIDC Core §2), set when the login passed MFA. */
  amr?: string[];
  acr?: string;
  /** The grant an access token is minted from (src/server/tokens/grant-revocation.ts); absent: not revocable as one. */
  grantId?: string;
}

/** The user claims of a connector's identity (everything but its connector data). */
export function claimsOf(identity: Identity): Claims {
  return {
    userId: identity.userId,
    username: identity.username,
    preferredUsername: identity.preferredUsername,
    email: identity.email,
    emailVerified: identity.emailVerified,
    groups: identity.groups,
  };
}

/** Per-token values the issuer computes. */
export interface TokenStamp {
  issuer: string;
  issuedAt: Date;
  expiry: Date;
  jti: string;
  atHash?: string;
  cHash?: string;
}

/**
 * `aud`: the client alone, or, with `audience:server:client_id:<peer>` scopes, the peers in scope order plus
 * the requesting client (appended when not already named). Trust between peers is checked at /auth, not here.
 */
export function tokenAudience(clientId: string, scopes: readonly string[]): string[] {
  const aud: string[] = [];
  for (const scope of scopes) {
    const peer = crossClientPeer(scope);
    if (peer !== null) aud.push(peer);
  }
  if (!aud.includes(clientId)) aud.push(clientId);
  return aud;
}

const unix = (d: Date) => Math.floor(d.getTime() / 1000);

/** The claim set for one token. `aud` is a string when it has one entry; `azp` only when it has several. */
export function buildClaims(ctx: TokenContext, stamp: TokenStamp): JWTPayload {
  const aud = tokenAudience(ctx.clientId, ctx.scopes);
  const has = (s: string) => ctx.scopes.includes(s);
  const c: Record<string, unknown> = {
    iss: stamp.issuer,
    sub: encodeSubject(ctx.claims.userId, ctx.connectorId),
    aud: aud.length === 1 ? aud[0] : aud,
    exp: unix(stamp.expiry),
    iat: unix(stamp.issuedAt),
    jti: stamp.jti,
  };
  if (aud.length > 1) c.azp = ctx.clientId;
  if (ctx.nonce) c.nonce = ctx.nonce;
  if (ctx.authTime) c.auth_time = unix(ctx.authTime);
  if (ctx.sessionId) c.sid = ctx.sessionId;
  if (ctx.acr) c.acr = ctx.acr;
  if (ctx.amr && ctx.amr.length > 0) c.amr = [...ctx.amr];
  if (stamp.atHash) c.at_hash = stamp.atHash;
  if (stamp.cHash) c.c_hash = stamp.cHash;
  if (has(SCOPES.email)) {
    if (ctx.claims.email) c.email = ctx.claims.email;
    c.email_verified = ctx.claims.emailVerified === true;
  }
  if (has(SCOPES.groups) && ctx.claims.groups.length > 0) c.groups = [...ctx.claims.groups];
  if (has(SCOPES.profile)) {
    if (ctx.claims.username) c.name = ctx.claims.username;
    if (ctx.claims.preferredUsername) c.preferred_username = ctx.claims.preferredUsername;
  }
  if (has(SCOPES.federatedId)) {
    const fed: Record<string, string> = {};
    if (ctx.connectorId) fed.connector_id = ctx.connectorId;
    if (ctx.claims.userId) fed.user_id = ctx.claims.userId;
    c.federated_claims = fed;
  }
  return c as JWTPayload;
}
