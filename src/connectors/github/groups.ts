/**
 * GitHub orgs and teams → groups (dex v2.45.1 `connector/github/github.go`):
 * - `orgs`: the user must be a member of at least one listed org, and of one listed team when the org lists teams
 *   (else `UserNotInRequiredGroupsError`); groups are `org:team`.
 * - legacy `org`: the names of the user's teams in that org, without prefix; membership is not enforced.
 * - `loadAllGroups` (groups scope, no orgs): every org login, each followed by its `org:team` entries.
 */

import { UserNotInRequiredGroupsError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { filterGroups } from '../groups.js';
import { teamNames, type TeamNameField } from './mapping.js';
import type { GithubAPI, GithubTeam } from './upstream.js';

export interface GroupRules {
  org: string;
  orgs: { name: string; teams: string[] }[];
  loadAllGroups: boolean;
  teamNameField: TeamNameField;
}

/** Whether GitHub must be asked about orgs (and `read:org` requested): orgs configured or groups asked. */
export const groupsRequired = (r: GroupRules, groupsScope: boolean) => r.orgs.length > 0 || r.org !== '' || groupsScope;

function teamsOf(org: string, teams: readonly GithubTeam[], field: TeamNameField): string[] {
  return teams.filter((t) => t.org === org).flatMap((t) => teamNames(t, field));
}

async function groupsForOrgs(connectorId: string, api: GithubAPI, r: GroupRules, login: string, logger: Logger): Promise<string[]> {
  const groups: string[] = [];
  let inOrgNoTeams = false;
  let teams: GithubTeam[] | undefined;
  for (const org of r.orgs) {
    if (!(await api.isOrgMember(org.name, login))) continue;
    teams ??= await api.teams();
    let names = teamsOf(org.name, teams, r.teamNameField);
    if (org.teams.length === 0) {
      inOrgNoTeams = true;
    } else {
      names = filterGroups(names, org.teams);
      if (names.length === 0) logger.info({ connector: connectorId, org: org.name }, 'github: user in org but in none of its listed teams');
    }
    groups.push(...names.map((t) => `${org.name}:${t}`));
  }
  if (inOrgNoTeams || groups.length > 0) return groups;
  throw new UserNotInRequiredGroupsError(connectorId, `github: user ${login} is not in the required orgs or teams`);
}

async function allGroups(api: GithubAPI, r: GroupRules): Promise<string[]> {
  const [orgs, teams] = [await api.orgs(), await api.teams()];
  return orgs.flatMap((o) => [o, ...teamsOf(o, teams, r.teamNameField).map((t) => `${o}:${t}`)]);
}

/** The user's groups under the configured rules; may refuse the user (orgs configured). */
export async function githubGroups(
  connectorId: string,
  api: GithubAPI,
  r: GroupRules,
  login: string,
  groupsScope: boolean,
  logger: Logger,
): Promise<string[]> {
  if (r.orgs.length > 0) return groupsForOrgs(connectorId, api, r, login, logger);
  if (r.org) return teamsOf(r.org, await api.teams(), r.teamNameField);
  if (groupsScope && r.loadAllGroups) return allGroups(api, r);
  return [];
}
