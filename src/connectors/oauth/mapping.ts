/**
 * Userinfo JSON → Identity for the `oauth` connector (dex `connector/oauth`): the user id under `userIDKey`
 * (a string or a number; required); name, preferred username, email and email_verified under their mapped keys
 * (optional); with the `groups` scope, the union of the groups claim of the userinfo response and of the access
 * token when it is a JWT (strings, or objects with `name`). The access token is read, not verified: it came
 * straight from the token endpoint, like the userinfo response itself.
 */

import { ConnectorError } from '../../lib/errors.js';
import type { Identity } from '../types.js';
import type { OauthConfig } from './config.js';

type Json = Record<string, unknown>;

function groupsOf(source: Json | null, key: string): string[] {
  const v = source?.[key];
  if (!Array.isArray(v)) return [];
  return v.flatMap((g: unknown) => {
    if (typeof g === 'string') return [g];
    const name = typeof g === 'object' && g !== null ? (g as Json).name : undefined;
    return typeof name === 'string' ? [name] : [];
  });
}

/** The payload of a JWT access token, or null when the token is not a JWT. */
export function jwtPayload(token: string): Json | null {
  const parts = token.split('.');
  if (parts.length < 2 || !parts[1]) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
}

export function userinfoToIdentity(id: string, info: Json, accessToken: string, config: OauthConfig, wantGroups: boolean): Identity {
  const rawId = info[config.userIDKey];
  if (rawId === undefined || rawId === null) throw new ConnectorError(id, `oauth: not found ${config.userIDKey} claim`);
  if (typeof rawId !== 'string' && typeof rawId !== 'number') {
    throw new ConnectorError(id, `oauth: ${config.userIDKey} claim should be string or number, got ${typeof rawId}`);
  }
  const text = (key: string) => (typeof info[key] === 'string' ? (info[key] as string) : '');
  const m = config.claimMapping;
  const groups = wantGroups ? [...new Set([...groupsOf(info, m.groupsKey), ...groupsOf(jwtPayload(accessToken), m.groupsKey)])] : [];
  return {
    userId: String(rawId),
    username: text(m.userNameKey),
    preferredUsername: text(m.preferredUsernameKey),
    email: text(m.emailKey),
    emailVerified: info[m.emailVerifiedKey] === true,
    groups,
    connectorData: null,
  };
}
