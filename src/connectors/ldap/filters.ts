/**
 * LDAP search filters built from user input (RFC 4515). Every value that comes from a user or from a directory
 * entry is escaped, so a username such as `*)(uid=*` matches only a user literally named that.
 * Operator-written parts (`userSearch.filter`, attribute names) are used as written, as dex does.
 */

import type { LdapConfig } from './config.js';

/**
 * Escapes an assertion value for a filter (RFC 4515 §3): `*`, `(`, `)`, `\` and NUL become `\2a`, `\28`, `\29`,
 * `\5c`, `\00`. Non-ASCII characters stay UTF-8, which the RFC allows. (dex/go-ldap additionally escapes bytes
 * >= 0x80, which matches the same values.)
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `(attr=value)` with the value escaped. */
export function equalityFilter(attr: string, value: string): string {
  return `(${attr}=${escapeFilterValue(value)})`;
}

/** ANDs the operator's optional filter with ours: `(&<extra><filter>)`, or just ours when there is none. */
export function withExtraFilter(extra: string, filter: string): string {
  return extra ? `(&${extra}${filter})` : filter;
}

/**
 * The user search: `(<attr>=<username>)` for one username attribute, `(|(<a1>=<u>)(<a2>=<u>)…)` for several,
 * ANDed with `userSearch.filter`.
 */
export function userFilter(config: LdapConfig, username: string): string {
  const parts = config.userSearch.username.map((attr) => equalityFilter(attr, username));
  const byName = parts.length === 1 ? (parts[0] as string) : `(|${parts.join('')})`;
  return withExtraFilter(config.userSearch.filter, byName);
}

/** A group search: groups whose `memberAttr` equals `value` (a user attribute, or a group DN when recursing). */
export function groupFilter(config: LdapConfig, memberAttr: string, value: string): string {
  return withExtraFilter(config.groupSearch.filter, equalityFilter(memberAttr, value));
}
