/**
 * GitLab groups (dex v2.45.1 `connector/gitlab/gitlab.go`): direct groups from `/oauth/userinfo`, or with `inheritedGroups` every
 * group from the groups API (full paths). `getGroupsPermission` adds `<group>:<role>` entries: from the userinfo
 * role claims, and with inherited groups from each remaining group's effective access level. With `groups`
 * configured the result is filtered to them and a user in none is refused.
 */

import { UserNotInRequiredGroupsError } from '../../lib/errors.js';
import { filterGroups } from '../groups.js';
import type { GitlabConfig } from './config.js';
import { roleFromAccessLevel, roleFromClaims, withClaimRoles } from './permissions.js';
import type { GitlabAPI, GitlabUser } from './upstream.js';

async function direct(api: GitlabAPI, c: GitlabConfig): Promise<string[]> {
  const info = await api.userInfo();
  return c.getGroupsPermission ? withClaimRoles(info.groups, info.roles) : info.groups;
}

async function inherited(api: GitlabAPI, c: GitlabConfig, user: GitlabUser): Promise<string[]> {
  const records = await api.groups();
  const paths = records.map((g) => g.path);
  if (!c.getGroupsPermission) return paths;
  const info = await api.userInfo();
  const out = withClaimRoles(paths, info.roles);
  for (const g of records) {
    if (roleFromClaims(g.path, info.roles) || !g.id) continue;
    const level = await api.accessLevel(g.id, user.id);
    const role = level === null ? null : roleFromAccessLevel(level);
    if (role) out.push(`${g.path}:${role}`);
  }
  return out;
}

/** The user's groups, filtered and enforced by `groups` when configured. */
export async function gitlabGroups(connectorId: string, api: GitlabAPI, c: GitlabConfig, user: GitlabUser): Promise<string[]> {
  const all = c.inheritedGroups ? await inherited(api, c, user) : await direct(api, c);
  if (c.groups.length === 0) return all;
  const kept = filterGroups(all, c.groups);
  if (kept.length === 0) throw new UserNotInRequiredGroupsError(connectorId, `gitlab: user ${user.username} is not in any of the required groups`);
  return kept;
}
