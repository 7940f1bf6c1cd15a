/**
 * The GitLab calls the connector makes (docs.gitlab.com/api, v4), with one user's access token: the user, the
 * OpenID userinfo (direct groups and role claims), the groups API (inherited groups, 100 a page) and a member's
 * effective access level in a group.
 */

import { ConnectorError } from '../../lib/errors.js';
import type { RoleClaims } from './permissions.js';
import { UpstreamAPI } from '../oauth2-client/upstream-api.js';

export interface GitlabUser {
  id: number;
  name: string;
  username: string;
  email: string;
}

export interface GitlabGroup {
  id: number;
  path: string;
}

const PER_PAGE = 100;
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export class GitlabAPI extends UpstreamAPI {


  /** GET /api/v4/user (scope `read_user`). */
  async user(): Promise<GitlabUser> {
    const { body } = await this.http.getJSON<Record<string, unknown>>(`${this.baseURL}/api/v4/user`, { bearer: this.token });
    if (typeof body?.id !== 'number' || !str(body.username)) throw this.unexpected('/api/v4/user');
    return { id: body.id, name: str(body.name), username: str(body.username), email: str(body.email) };
  }

  /** GET /oauth/userinfo (scope `openid`): direct groups and the owner/maintainer/developer claims. */
  async userInfo(): Promise<{ groups: string[]; roles: RoleClaims }> {
    const { body } = await this.http.getJSON<Record<string, unknown>>(`${this.baseURL}/oauth/userinfo`, { bearer: this.token });
    if (typeof body !== 'object' || body === null) throw this.unexpected('/oauth/userinfo');
    const claim = (role: string) => strings(body[`https://gitlab.org/claims/groups/${role}`]);
    return { groups: strings(body.groups), roles: { owner: claim('owner'), maintainer: claim('maintainer'), developer: claim('developer') } };
  }

  /** GET /api/v4/groups?all_available=false (scope `read_api`): every group the user is a member of, paged. */
  async groups(): Promise<GitlabGroup[]> {
    const out: GitlabGroup[] = [];
    for (let page = 1; ; page++) {
      if (page > 200) throw new ConnectorError(this.http.connectorId, `${this.http.connectorId}: more than 200 pages of groups`);
      const url = `${this.baseURL}/api/v4/groups?all_available=false&per_page=${PER_PAGE}&page=${page}`;
      const { body } = await this.http.getJSON<unknown>(url, { bearer: this.token });
      if (!Array.isArray(body)) throw this.unexpected('/api/v4/groups');
      for (const g of body as Record<string, unknown>[]) {
        const path = str(g.full_path) || str(g.path);
        if (path) out.push({ id: typeof g.id === 'number' ? g.id : 0, path });
      }
      if (body.length < PER_PAGE) return out;
    }
  }

  /** GET /api/v4/groups/:id/members/all/:user: the effective access level, or `null` when not visible (403/404). */
  async accessLevel(groupId: number, userId: number): Promise<number | null> {
    const url = `${this.baseURL}/api/v4/groups/${groupId}/members/all/${userId}`;
    const res = await this.http.getJSON<Record<string, unknown>>(url, { bearer: this.token, acceptStatus: [403, 404] });
    if (res.status !== 200) return null;
    return typeof res.body?.access_level === 'number' ? res.body.access_level : null;
  }
}
