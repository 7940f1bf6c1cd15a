/**
 * The active introspection answer, with dex's fields in dex's order (dex v2.45.1 `server/introspectionhandler.go`): `active`, `client_id`,
 * `sub`, `exp`, `iat`, `nbf` (= iat), `username` (= preferred_username, omitted when empty), `aud` (a string when
 * it has one entry), `iss`, `token_type: "Bearer"`, `token_use`, and `ext` with the identity claims. `scope` and
 * `jti` are never filled (dex neither).
 */

import type { JWTPayload } from 'jose';
import type { RefreshToken } from '../../storage/types.js';
import { encodeSubject } from '../tokens/subject.js';

export interface Introspection {
  active: true;
  client_id: string;
  sub: string;
  exp: number;
  iat: number;
  nbf: number;
  username?: string;
  aud: string | string[];
  iss: string;
  token_type: 'Bearer';
  token_use: 'access_token' | 'refresh_token';
  ext: Record<string, unknown>;
}

const EXT_CLAIMS = ['azp', 'sid', 'email', 'email_verified', 'groups', 'name', 'preferred_username', 'federated_claims'] as const;
const unix = (d: Date) => Math.floor(d.getTime() / 1000);

export function accessTokenIntrospection(claims: JWTPayload, clientId: string, issuer: string): Introspection {
  const ext: Record<string, unknown> = {};
  for (const k of EXT_CLAIMS) if (claims[k] !== undefined && claims[k] !== '') ext[k] = claims[k];
  const iat = claims.iat ?? 0;
  const username = typeof claims.preferred_username === 'string' && claims.preferred_username ? claims.preferred_username : undefined;
  const aud = Array.isArray(claims.aud) && claims.aud.length === 1 ? claims.aud[0] ?? '' : claims.aud ?? clientId;
  return {
    active: true,
    client_id: clientId,
    sub: String(claims.sub ?? ''),
    exp: claims.exp ?? 0,
    iat,
    nbf: iat,
    username,
    aud,
    iss: issuer,
    token_type: 'Bearer',
    token_use: 'access_token',
    ext,
  };
}

/** `exp` is `createdAt` + the absolute lifetime, which equals `iat` when no absolute lifetime is set (as dex). */
export function refreshTokenIntrospection(r: RefreshToken, absoluteLifetimeMs: number, issuer: string): Introspection {
  const c = r.claims;
  const ext: Record<string, unknown> = {};
  if (c.email) ext.email = c.email;
  ext.email_verified = c.emailVerified;
  if (c.groups.length > 0) ext.groups = [...c.groups];
  if (c.username) ext.name = c.username;
  if (c.preferredUsername) ext.preferred_username = c.preferredUsername;
  return {
    active: true,
    client_id: r.clientId,
    sub: encodeSubject(c.userId, r.connectorId),
    exp: unix(new Date(r.createdAt.getTime() + absoluteLifetimeMs)),
    iat: unix(r.createdAt),
    nbf: unix(r.createdAt),
    username: c.preferredUsername || undefined,
    aud: r.clientId,
    iss: issuer,
    token_type: 'Bearer',
    token_use: 'refresh_token',
    ext,
  };
}
