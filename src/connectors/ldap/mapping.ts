/**
 * LDAP entry → Identity (dex v2.45.1 `connector/ldap/ldap.go` `identityFromEntry`), and the connector data kept for refresh.
 *
 * - userId ← `idAttr`; username ← `nameAttr` and preferredUsername ← `preferredUsernameAttr` when configured;
 *   email ← `<username>@<emailSuffix>` when `emailSuffix` is set, else `emailAttr`. Every configured attribute
 *   is required on the entry; a missing one fails the login. email_verified is always true, as in dex.
 * - The attribute name `DN` (any case) means the entry's DN when the entry has no attribute of that name.
 * - Connector data is dex's JSON `{"username": …, "entry": {"DN": …, "Attributes": [{"Name", "Values"}]}}`, so
 *   refresh tokens written by dex keep working; refresh only needs the username and the DN.
 */

import type { LdapConfig } from './config.js';

/** One search result: its DN and attributes in the server's order (go-ldap's `Entry`). */
export interface LdapEntry {
  dn: string;
  attributes: { name: string; values: string[] }[];
}

/** The user's claims from an entry; groups and connector data are added by the connector. */
export interface MappedUser {
  userId: string;
  username: string;
  preferredUsername: string;
  email: string;
  emailVerified: boolean;
}

/**
 * Values of attribute `name`: an exact match first, then a case-insensitive one (LDAP attribute names are
 * case-insensitive; dex compares exactly), then the DN for `dn`.
 */
export function getAttrs(entry: LdapEntry, name: string): string[] {
  if (!name) return [];
  const exact = entry.attributes.find((a) => a.name === name);
  if (exact) return exact.values;
  const lower = name.toLowerCase();
  const loose = entry.attributes.find((a) => a.name.toLowerCase() === lower);
  if (loose) return loose.values;
  return lower === 'dn' ? [entry.dn] : [];
}

/** The first value of `name`, or '' when there is none. */
export function getAttr(entry: LdapEntry, name: string): string {
  return getAttrs(entry, name)[0] ?? '';
}

/** The attributes the user search must return for mapping, group matching and the username attributes. */
export function userAttributes(config: LdapConfig): string[] {
  const us = config.userSearch;
  const names = [us.idAttr, us.emailAttr, ...us.username, ...config.groupSearch.userMatchers.map((m) => m.userAttr), us.nameAttr, us.preferredUsernameAttr];
  const seen = new Set<string>();
  return names.filter((n) => n && n.toLowerCase() !== 'dn' && !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase()));
}

/** Maps an entry to the user's claims; throws `Error` naming the missing attributes (the caller wraps it). */
export function identityFromEntry(config: LdapConfig, entry: LdapEntry): MappedUser {
  const us = config.userSearch;
  const missing: string[] = [];
  const required = (attr: string): string => {
    const v = getAttr(entry, attr);
    if (!v) missing.push(attr);
    return v;
  };
  const userId = required(us.idAttr);
  const username = us.nameAttr ? required(us.nameAttr) : '';
  const preferredUsername = us.preferredUsernameAttr ? required(us.preferredUsernameAttr) : '';
  const email = us.emailSuffix ? `${username}@${us.emailSuffix}` : required(us.emailAttr);
  if (missing.length > 0) {
    throw new Error(`ldap: entry ${JSON.stringify(entry.dn)} is missing required attribute(s): ${missing.join(', ')}`);
  }
  return { userId, username, preferredUsername, email, emailVerified: true };
}

/** The refresh data stored with offline sessions, in dex's JSON shape. */
export function encodeConnectorData(username: string, entry: LdapEntry): Uint8Array {
  const json = {
    username,
    entry: { DN: entry.dn, Attributes: entry.attributes.map((a) => ({ Name: a.name, Values: a.values })) },
  };
  return new TextEncoder().encode(JSON.stringify(json));
}

const field = (obj: Record<string, unknown>, name: string): unknown =>
  obj[name] ?? Object.entries(obj).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

/** Reads refresh data written by Ferry or dex (keys case-insensitive, as Go decodes them). */
export function decodeConnectorData(data: Uint8Array | null): { username: string; dn: string } {
  if (!data || data.length === 0) throw new Error('ldap: no connector data to refresh with');
  const parsed: unknown = JSON.parse(new TextDecoder().decode(data));
  if (typeof parsed !== 'object' || parsed === null) throw new Error('ldap: connector data is not an object');
  const username = field(parsed as Record<string, unknown>, 'username');
  const entry = field(parsed as Record<string, unknown>, 'entry');
  const dn = typeof entry === 'object' && entry !== null ? field(entry as Record<string, unknown>, 'dn') : undefined;
  if (typeof username !== 'string' || !username || typeof dn !== 'string') throw new Error('ldap: connector data lacks username or entry DN');
  return { username, dn };
}
