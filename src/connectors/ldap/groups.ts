/**
 * The user's groups (dex v2.45.1 `connector/ldap/ldap.go` `groups`), searched with the service account:
 * for each user matcher and each value of the user's `userAttr`, the groups under `groupSearch.baseDN` matching
 * `(&<filter>(<groupAttr>=<value>))`; each group's name is its `nameAttr` (required on every group).
 * With `recursionGroupAttr`, parents are found breadth first by `(<recursionGroupAttr>=<group DN>)`, each group
 * counted once, so cycles end. A missing base DN (noSuchObject) means no groups.
 */

import type { LdapConfig } from './config.js';
import { groupFilter } from './filters.js';
import { getAttr, getAttrs, type LdapEntry } from './mapping.js';
import type { LdapSession } from './upstream.js';

/** Upper bound on recursion levels, in case a directory's nesting is pathological (each level costs searches). */
const MAX_DEPTH = 32;

function groupName(config: LdapConfig, group: LdapEntry): string {
  const name = getAttr(group, config.groupSearch.nameAttr);
  if (!name) throw new Error(`ldap: group ${JSON.stringify(group.dn)} is missing required attribute ${JSON.stringify(config.groupSearch.nameAttr)}`);
  return name;
}

/** Returns the group names of `user` in discovery order (dex's order); [] when no `groupSearch.baseDN`. */
export async function searchGroups(session: LdapSession, config: LdapConfig, user: LdapEntry): Promise<string[]> {
  const gs = config.groupSearch;
  if (!gs.baseDN) return [];
  const attrs = [gs.nameAttr].filter((a) => a.toLowerCase() !== 'dn');
  const query = (memberAttr: string, value: string) => session.search(gs.baseDN, gs.scope, groupFilter(config, memberAttr, value), attrs, true);

  const names: string[] = [];
  for (const matcher of gs.userMatchers) {
    let level: LdapEntry[] = [];
    for (const value of getAttrs(user, matcher.userAttr)) level.push(...(await query(matcher.groupAttr, value)));

    if (!matcher.recursionGroupAttr) {
      for (const group of level) names.push(groupName(config, group));
      continue;
    }
    const seen = new Set<string>(names);
    for (let depth = 0; level.length > 0 && depth < MAX_DEPTH; depth++) {
      const next: LdapEntry[] = [];
      for (const group of level) {
        const name = groupName(config, group);
        if (seen.has(name)) continue;
        seen.add(name);
        names.push(name);
        next.push(...(await query(matcher.recursionGroupAttr, group.dn)));
      }
      level = next;
    }
  }
  return names;
}
