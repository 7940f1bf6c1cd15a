/**
 * The Bitbucket Cloud calls the connector makes (developer.atlassian.com/cloud/bitbucket/rest, 2.0), with one
 * user's access token: the user, their emails and workspaces (paged as `{ values, next }`), and their permission
 * in a workspace.
 */

import { collectPages } from '../oauth2-client/index.js';
import { UpstreamAPI } from '../oauth2-client/upstream-api.js';

export interface BitbucketUser {
  uuid: string;
  username: string;
}

export interface BitbucketEmail {
  email: string;
  primary: boolean;
  confirmed: boolean;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const obj = (v: unknown) => (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;

export class BitbucketAPI extends UpstreamAPI {


  private list<T>(path: string, map: (v: Record<string, unknown>) => T): Promise<T[]> {
    return collectPages(this.http.connectorId, `${this.baseURL}${path}`, async (url) => {
      const { body } = await this.http.getJSON<Record<string, unknown>>(url, { bearer: this.token });
      if (!Array.isArray(body?.values)) throw this.unexpected(path.split('?')[0] ?? path);
      const next = typeof body.next === 'string' && body.next ? body.next : null;
      return { items: (body.values as unknown[]).map((v) => map(obj(v))), next };
    });
  }

  /** GET /user (scope `account`). */
  async user(): Promise<BitbucketUser> {
    const { body } = await this.http.getJSON<Record<string, unknown>>(`${this.baseURL}/user`, { bearer: this.token });
    if (!str(body?.uuid)) throw this.unexpected('/user');
    return { uuid: str(body.uuid), username: str(body.username) };
  }

  /** GET /user/emails (scope `email`). */
  emails(): Promise<BitbucketEmail[]> {
    return this.list('/user/emails', (e) => ({ email: str(e.email), primary: e.is_primary === true, confirmed: e.is_confirmed === true }));
  }

  /** GET /user/workspaces: the slugs of the user's workspaces. */
  workspaces(): Promise<string[]> {
    return this.list('/user/workspaces?pagelen=100', (w) => str(obj(w.workspace).slug));
  }

  /** GET /user/workspaces/{slug}/permission: `owner`, `collaborator` or `member`. */
  async permission(slug: string): Promise<string> {
    const path = `/user/workspaces/${encodeURIComponent(slug)}/permission`;
    const { body } = await this.http.getJSON<Record<string, unknown>>(`${this.baseURL}${path}`, { bearer: this.token });
    const permission = str(body?.permission);
    if (!permission) throw this.unexpected(path);
    return permission;
  }
}
