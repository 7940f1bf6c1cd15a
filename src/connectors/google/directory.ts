/**
 * Group membership from the Admin SDK Directory API (`GET /admin/directory/v1/groups?userKey=…`, 200 a page,
 * `nextPageToken`), as dex reads it: the group *emails* of a user, and with `fetchTransitiveGroupMembership` the
 * groups of those groups, depth first, each group once. The admin impersonated for a key is
 * `domainToAdminEmail[<domain of the key>]`, else the `*` entry.
 */

import { ConnectorError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { own } from '../../lib/own.js';
import { type JsonHttpClient } from '../http/index.js';
import { collectPages } from '../oauth2-client/index.js';
import type { ServiceAccount } from './service-account.js';

export interface DirectoryOptions {
  id: string;
  http: JsonHttpClient;
  /** API root, `https://admin.googleapis.com` for Google. */
  baseURL: string;
  account: ServiceAccount;
  domainToAdminEmail: Record<string, string>;
  logger: Logger;
}

const domainOf = (email: string) => {
  const at = email.lastIndexOf('@');
  return at >= 0 ? email.slice(at + 1) : '*';
};

export class Directory {
  private readonly o: DirectoryOptions;

  constructor(options: DirectoryOptions) {
    this.o = options;
  }

  private adminFor(key: string): string {
    const domain = domainOf(key);
    const admin = own(this.o.domainToAdminEmail, domain) ?? own(this.o.domainToAdminEmail, '*');
    if (admin === undefined) {
      throw new ConnectorError(this.o.id, `${this.o.id}: google: no domainToAdminEmail entry for ${domain} and no "*" entry`);
    }
    return admin;
  }

  /** The group emails `key` (a user's or a group's email) is a direct member of. */
  async directGroups(key: string): Promise<string[]> {
    const token = await this.o.account.accessToken(this.adminFor(key));
    const base = `${this.o.baseURL}/admin/directory/v1/groups`;
    const first = `${base}?${new URLSearchParams({ userKey: key, maxResults: '200' })}`;
    return collectPages(this.o.id, first, async (url) => {
      const { body } = await this.o.http.getJSON<Record<string, unknown>>(url, { bearer: token });
      const groups = Array.isArray(body?.groups) ? (body.groups as Record<string, unknown>[]) : [];
      const next = typeof body?.nextPageToken === 'string' && body.nextPageToken ? body.nextPageToken : null;
      const emails = groups.map((g) => (typeof g.email === 'string' ? g.email : '')).filter(Boolean);
      return { items: emails, next: next ? `${first}&${new URLSearchParams({ pageToken: next })}` : null };
    });
  }

  /** The user's groups; with `transitive`, also the groups those groups belong to (each once). */
  async groups(email: string, transitive: boolean, seen = new Set<string>()): Promise<string[]> {
    const out: string[] = [];
    for (const group of await this.directGroups(email)) {
      if (seen.has(group)) continue;
      seen.add(group);
      out.push(group);
      if (transitive) out.push(...(await this.groups(group, true, seen)));
    }
    return out;
  }
}
