/**
 * GitHub user → identity pieces (dex v2.45.1 `connector/github/github.go`): which email to use and how teams are named.
 * Email: the first verified address in `preferredEmailDomain` if one is set and matches, else the primary verified
 * address; on GitHub Enterprise every address counts as verified (it has no verification).
 */

import { ConnectorError, UserRefusedError } from '../../lib/errors.js';
import type { GithubEmail, GithubTeam } from './upstream.js';

/** `domain` matches `preferred` exactly or label by label, where a `*` label matches any one label. */
export function isPreferredEmailDomain(domain: string, preferred: string): boolean {
  if (domain === preferred) return true;
  const want = preferred.split('.');
  const have = domain.split('.');
  return want.length === have.length && want.every((label, i) => label === '*' || label === have[i]);
}

export function pickEmail(connectorId: string, emails: readonly GithubEmail[], preferredDomain: string, enterprise: boolean): string {
  let primary = '';
  for (const e of emails) {
    const verified = enterprise || e.verified;
    if (!verified) continue;
    if (preferredDomain) {
      const at = e.email.lastIndexOf('@');
      if (at < 0) throw new ConnectorError(connectorId, `${connectorId}: an email address without "@" in /user/emails`);
      if (isPreferredEmailDomain(e.email.slice(at + 1), preferredDomain)) return e.email;
    }
    if (e.primary && !primary) primary = e.email;
  }
  if (primary) return primary;
  throw new UserRefusedError(connectorId, 'no_verified_email', `${connectorId}: the user has no verified primary email (nor one in the preferred domain)`);
}

export type TeamNameField = 'name' | 'slug' | 'both' | '';

/** The group names one team contributes, per `teamNameField`. */
export function teamNames(team: GithubTeam, field: TeamNameField): string[] {
  if (field === 'both') return [team.name, team.slug];
  return [field === 'slug' ? team.slug : team.name];
}
