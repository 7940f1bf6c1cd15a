/**
 * Verified assertion → Identity (dex v2.45.1 `connector/saml/saml.go`): user id = NameID; username and email = first value of
 * `usernameAttr` / `emailAttr` (both required); email verified. Groups come from `groupsAttr` (all values, or the
 * first value split by `groupsDelim`). Differences from dex, both asked for by dex users: a missing groups
 * attribute means no groups rather than a failed login (chef/automate#4075), and `allowedGroups` is enforced from
 * the IdP's groups even when the client did not ask for the `groups` scope (dex then refuses every login, #2083).
 *
 * Connector data is dex HEAD's cached identity (same JSON field names), so refresh replays it without contacting
 * the IdP and refresh tokens carry over between dex and Ferry.
 */

import { filterGroups } from '../groups.js';
import { UserNotInRequiredGroupsError } from '../../lib/errors.js';
import type { Identity, Scopes } from '../types.js';
import type { SamlConfig } from './config.js';
import type { ValidAssertion } from './validate-assertion.js';

/** Thrown when a required attribute is missing; the connector turns it into a `ConnectorError`. */
export class MappingError extends Error {}

function first(a: ValidAssertion, name: string): string {
  const v = a.attributes.get(name)?.[0] ?? '';
  if (!v) throw new MappingError(`no attribute ${JSON.stringify(name)}; got ${JSON.stringify([...a.attributes.keys()])}`);
  return v;
}

function readGroups(a: ValidAssertion, c: SamlConfig): string[] {
  const values = a.attributes.get(c.groupsAttr) ?? [];
  if (!c.groupsDelim) return values;
  return values.length ? (values[0] ?? '').split(c.groupsDelim) : [];
}

/** Builds the identity; throws `UserNotInRequiredGroupsError` when `allowedGroups` matches none of the user's groups. */
export function mapIdentity(id: string, a: ValidAssertion, c: SamlConfig, scopes: Scopes): Identity {
  const username = first(a, c.usernameAttr);
  const email = first(a, c.emailAttr);
  let groups: string[] = [];
  if (c.groupsAttr && (scopes.groups || c.allowedGroups.length > 0)) {
    groups = readGroups(a, c);
    if (c.allowedGroups.length > 0) {
      const matches = filterGroups(groups, c.allowedGroups);
      if (matches.length === 0) throw new UserNotInRequiredGroupsError(id);
      if (c.filterGroups) groups = matches;
    }
  }
  const identity: Identity = {
    userId: a.nameId,
    username,
    preferredUsername: '',
    email,
    emailVerified: true,
    groups: scopes.groups ? groups : [],
    connectorData: null,
  };
  return { ...identity, connectorData: encodeCachedIdentity(identity) };
}

interface CachedIdentity {
  userId: string;
  username: string;
  preferredUsername: string;
  email: string;
  emailVerified: boolean;
  groups?: string[];
}

export function encodeCachedIdentity(i: Identity): Uint8Array {
  const cached: CachedIdentity = {
    userId: i.userId,
    username: i.username,
    preferredUsername: i.preferredUsername,
    email: i.email,
    emailVerified: i.emailVerified,
    ...(i.groups.length ? { groups: i.groups } : {}),
  };
  return new TextEncoder().encode(JSON.stringify(cached));
}

/** Reads cached connector data; throws `MappingError` when it is missing or not a cached identity. */
export function decodeCachedIdentity(data: Uint8Array | null): CachedIdentity {
  if (!data || data.length === 0) throw new MappingError('no connector data to refresh from');
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder().decode(data));
  } catch {
    throw new MappingError('connector data is not JSON');
  }
  const o = v as Partial<CachedIdentity> | null;
  if (!o || typeof o.userId !== 'string' || !o.userId) throw new MappingError('connector data has no user id');
  return {
    userId: o.userId,
    username: String(o.username ?? ''),
    preferredUsername: String(o.preferredUsername ?? ''),
    email: String(o.email ?? ''),
    emailVerified: o.emailVerified === true,
    groups: Array.isArray(o.groups) ? o.groups.map(String) : [],
  };
}
