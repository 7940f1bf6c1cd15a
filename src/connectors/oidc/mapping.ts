/**
 * Upstream claims → Identity, as dex's `oidc` connector maps them (dex v2.45.1 `connector/oidc/oidc.go`):
 * - user id: `sub`, or the `userIDKey` claim (required when set);
 * - username: `name`, or the `userNameKey` claim — missing is a login error;
 * - preferred username / email: the standard claim, else the `claimMapping` key (the mapped key first with
 *   `overrideClaimMapping`); a missing email is an error only when `email` is among the upstream scopes;
 * - email_verified: the claim; when missing, true with `insecureSkipEmailVerified`, else an error with the email
 *   scope (a present `false` stays false, as in dex);
 * - groups (only with `insecureEnableGroups`): `groups` or the mapped key, as strings, objects with `name`, or one
 *   string; the `groupsFilter` regex applies while collecting; `allowedGroups` must match at least one
 *   (`UserNotInRequiredGroupsError`) and narrows the list; then `modifyGroupNames` prefix/suffix; then each
 *   `newGroupFromClaims` rule appends one group joined from string claims (not subject to `allowedGroups`).
 */

import { ConnectorError, UserNotInRequiredGroupsError } from '../../lib/errors.js';
import { filterGroups } from '../groups.js';
import type { Identity } from '../types.js';
import type { OidcConfig } from './config.js';

export type Claims = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A claim under the standard key, else under the mapped key (mapped first when `override`). */
function mapped(claims: Claims, standard: string, key: string, override: boolean): { value: string | undefined; key: string } {
  const first = str(claims[standard]);
  if ((first === undefined || override) && key) return { value: str(claims[key]), key };
  return { value: first, key: standard };
}

function collectGroups(id: string, claims: Claims, config: OidcConfig, filter: RegExp | null): string[] {
  const mappedKey = config.claimMapping.groups;
  let key = 'groups';
  let list = Array.isArray(claims[key]) ? (claims[key] as unknown[]) : undefined;
  if ((list === undefined || config.overrideClaimMapping) && mappedKey) {
    key = mappedKey;
    list = Array.isArray(claims[key]) ? (claims[key] as unknown[]) : undefined;
  }
  const keep = (g: string) => (filter === null || filter.test(g) ? [g] : []);
  const single = str(claims[key]);
  if (single !== undefined) return keep(single);
  return (list ?? []).flatMap((g: unknown) => {
    if (typeof g === 'string') return keep(g);
    if (typeof g === 'object' && g !== null && !Array.isArray(g)) {
      const name = (g as Record<string, unknown>).name;
      return typeof name === 'string' ? keep(name) : [];
    }
    throw new ConnectorError(id, `malformed "${key}" claim`);
  });
}

function groupsFromClaims(id: string, claims: Claims, config: OidcConfig, filter: RegExp | null): string[] {
  let groups: string[] = [];
  if (config.insecureEnableGroups) {
    groups = collectGroups(id, claims, config, filter);
    if (config.allowedGroups.length > 0) {
      groups = filterGroups(groups, config.allowedGroups);
      if (groups.length === 0) throw new UserNotInRequiredGroupsError(id);
    }
  }
  const { prefix, suffix } = config.claimModifications.modifyGroupNames;
  if (prefix || suffix) groups = groups.map((g) => prefix + g + suffix);
  for (const rule of config.claimModifications.newGroupFromClaims) {
    const parts = rule.claims.flatMap((name) => {
      const v = str(claims[name]);
      if (v === undefined) return [];
      return [rule.clearDelimiter && rule.delimiter ? v.split(rule.delimiter).join('') : v];
    });
    if (parts.length > 0) groups.push([rule.prefix, ...parts].join(rule.delimiter));
  }
  return groups;
}

export interface MappingOptions {
  config: OidcConfig;
  /** The scopes sent upstream (decides whether a missing email is an error). */
  scopes: string[];
  groupsFilter: RegExp | null;
  /** Whether the client asked for groups; without it the identity carries none (they are still checked). */
  wantGroups: boolean;
}

/** Maps verified claims to an Identity; `connectorData` is the caller's to set. */
export function claimsToIdentity(id: string, claims: Claims, opts: MappingOptions): Identity {
  const { config } = opts;
  const sub = str(claims.sub);
  if (sub === undefined) throw new ConnectorError(id, 'missing "sub" claim');
  const nameKey = config.userNameKey || 'name';
  const username = str(claims[nameKey]);
  if (username === undefined) throw new ConnectorError(id, `missing "${nameKey}" claim`);

  const preferred = mapped(claims, 'preferred_username', config.claimMapping.preferred_username, config.overrideClaimMapping);
  const email = mapped(claims, 'email', config.claimMapping.email, config.overrideClaimMapping);
  const hasEmailScope = opts.scopes.includes('email');
  if (email.value === undefined && hasEmailScope) throw new ConnectorError(id, `missing email claim, not found "${email.key}" key`);
  let emailVerified = typeof claims.email_verified === 'boolean' ? claims.email_verified : undefined;
  if (emailVerified === undefined) {
    if (!config.insecureSkipEmailVerified && hasEmailScope) throw new ConnectorError(id, 'missing "email_verified" claim');
    emailVerified = config.insecureSkipEmailVerified;
  }

  const groups = groupsFromClaims(id, claims, config, opts.groupsFilter);
  let userId = sub;
  if (config.userIDKey) {
    const v = str(claims[config.userIDKey]);
    if (v === undefined) throw new ConnectorError(id, `missing "${config.userIDKey}" claim`);
    userId = v;
  }
  return {
    userId,
    username,
    preferredUsername: preferred.value ?? '',
    email: email.value ?? '',
    emailVerified,
    groups: opts.wantGroups ? groups : [],
    connectorData: null,
  };
}
