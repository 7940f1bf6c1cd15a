/**
 * Gitea orgs and teams → groups (dex v2.45.1 `connector/gitea/gitea.go`): every org of the user and `org:team` for each team,
 * without duplicates. With `orgs`, only listed orgs (and, where an org lists teams, only those teams) are kept and
 * a user matching none is refused.
 */

import { UserNotInRequiredGroupsError } from '../../lib/errors.js';
import type { GiteaConfig } from './config.js';
import type { GiteaTeam } from './upstream.js';

/** `org`, `org:team` pairs in the upstream's order, each once. */
export function allGiteaGroups(teams: readonly GiteaTeam[]): string[] {
  return [...new Set(teams.flatMap((t) => [t.org, `${t.org}:${t.name}`]))];
}

/** The user's groups kept by the `orgs` rules, in the upstream's order; throws when the user matches none. */
export function giteaOrgGroups(connectorId: string, c: GiteaConfig, teams: readonly GiteaTeam[], login: string): string[] {
  const teamAllowed = (org: string, team: string) => c.orgs.some((o) => o.name === org && (o.teams.length === 0 || o.teams.includes(team)));
  const kept = allGiteaGroups(teams).filter((g) => {
    const i = g.indexOf(':');
    if (i >= 0) return teamAllowed(g.slice(0, i), g.slice(i + 1));
    return teams.some((t) => t.org === g && teamAllowed(g, t.name));
  });
  if (kept.length === 0) throw new UserNotInRequiredGroupsError(connectorId, `gitea: user ${login} is not in any of the approved orgs or teams`);
  return kept;
}
