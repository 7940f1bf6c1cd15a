/**
 * GitLab group permissions → `<group>:<role>` claims (dex v2.45.1 `connector/gitlab/gitlab.go` `getGroupsPermission`).
 * The userinfo claims `https://gitlab.org/claims/groups/{owner,maintainer,developer}` list groups where the user
 * has that role; a role on a parent group applies to its subgroups. Numeric access levels come from the members API.
 */

export interface RoleClaims {
  owner: string[];
  maintainer: string[];
  developer: string[];
}

/** `path` is `parent` or a subgroup of it (`a/b` is under `a`; `ab` is not). */
const isUnder = (path: string, parent: string) => path === parent || path.startsWith(`${parent}/`);

/** The strongest role the userinfo claims give on `path`, or `null`. */
export function roleFromClaims(path: string, roles: RoleClaims): string | null {
  for (const role of ['owner', 'maintainer', 'developer'] as const) {
    if (roles[role].some((p) => isUnder(path, p))) return role;
  }
  return null;
}

/** `groups` followed by `<group>:<role>` for each group the claims give a role on. */
export function withClaimRoles(groups: readonly string[], roles: RoleClaims): string[] {
  const out = [...groups];
  for (const g of groups) {
    const role = roleFromClaims(g, roles);
    if (role) out.push(`${g}:${role}`);
  }
  return out;
}

const ACCESS_LEVELS: Readonly<Record<number, string>> = Object.freeze({
  5: 'minimal_access',
  10: 'guest',
  15: 'planner',
  20: 'reporter',
  25: 'security_manager',
  30: 'developer',
  40: 'maintainer',
  50: 'owner',
  60: 'admin',
});

/** GitLab's numeric access level as a role name, or `null` for an unknown level. */
export const roleFromAccessLevel = (level: number): string | null => ACCESS_LEVELS[level] ?? null;
