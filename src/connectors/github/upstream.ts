/**
 * The GitHub REST calls the connector makes (docs.github.com/rest, API version 2022-11-28), with one user's
 * access token: the user, their emails, org membership, their teams and orgs. Lists are read 100 a page, following
 * the `Link` header.
 */

import { collectPages, nextLink } from '../oauth2-client/index.js';
import { UpstreamAPI } from '../oauth2-client/upstream-api.js';

export interface GithubUser {
  id: number;
  login: string;
  name: string;
  email: string;
}

export interface GithubEmail {
  email: string;
  verified: boolean;
  primary: boolean;
}

export interface GithubTeam {
  name: string;
  slug: string;
  org: string;
}

const HEADERS = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export class GithubAPI extends UpstreamAPI {

  private get<T>(url: string) {
    return this.http.getJSON<T>(url, { bearer: this.token, headers: HEADERS });
  }

  private list<T>(path: string, map: (raw: Record<string, unknown>) => T): Promise<T[]> {
    const first = `${this.baseURL}${path}?per_page=100`;
    return collectPages(this.http.connectorId, first, async (url) => {
      const res = await this.get<unknown>(url);
      if (!Array.isArray(res.body)) throw this.unexpected(path);
      return { items: (res.body as Record<string, unknown>[]).map(map), next: nextLink(res.headers.link, url) };
    });
  }


  /** GET /user (docs: "Get the authenticated user"). */
  async user(): Promise<GithubUser> {
    const { body } = await this.get<Record<string, unknown>>(`${this.baseURL}/user`);
    if (typeof body?.id !== 'number' || typeof body.login !== 'string' || !body.login) throw this.unexpected('/user');
    return { id: body.id, login: body.login, name: str(body.name), email: str(body.email) };
  }

  /** GET /user/emails (needs `user:email`). */
  emails(): Promise<GithubEmail[]> {
    return this.list('/user/emails', (e) => ({ email: str(e.email), verified: e.verified === true, primary: e.primary === true }));
  }

  /** GET /orgs/{org}/members/{login}: 204 = member; 302 or 404 = not a member (or the app may not see the org). */
  async isOrgMember(org: string, login: string): Promise<boolean> {
    const url = `${this.baseURL}/orgs/${encodeURIComponent(org)}/members/${encodeURIComponent(login)}`;
    const res = await this.http.send('GET', new URL(url), undefined, HEADERS, { bearer: this.token, acceptStatus: [302, 404] });
    return res.status === 204;
  }

  /** GET /user/teams (needs `read:org`): every team of the user, across orgs. */
  teams(): Promise<GithubTeam[]> {
    return this.list('/user/teams', (t) => {
      const org = (typeof t.organization === 'object' && t.organization !== null ? t.organization : {}) as Record<string, unknown>;
      return { name: str(t.name), slug: str(t.slug), org: str(org.login) };
    });
  }

  /** GET /user/orgs: the logins of the user's orgs. */
  orgs(): Promise<string[]> {
    return this.list('/user/orgs', (o) => str(o.login));
  }
}
