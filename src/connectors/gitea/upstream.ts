/**
 * The Gitea calls the connector makes (gitea.com/api/swagger, v1), with one user's access token: the user and
 * their teams (`page`/`limit` paging until an empty page).
 */

import { ConnectorError } from '../../lib/errors.js';
import { MAX_PAGES } from '../oauth2-client/index.js';
import { UpstreamAPI } from '../oauth2-client/upstream-api.js';

export interface GiteaUser {
  id: number;
  login: string;
  fullName: string;
  email: string;
}

export interface GiteaTeam {
  org: string;
  name: string;
}

const LIMIT = 50;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

export class GiteaAPI extends UpstreamAPI {


  /** GET /api/v1/user. */
  async user(): Promise<GiteaUser> {
    const { body } = await this.http.getJSON<Record<string, unknown>>(`${this.baseURL}/api/v1/user`, { bearer: this.token });
    if (typeof body?.id !== 'number' || !str(body.login)) throw this.unexpected('/api/v1/user');
    return { id: body.id, login: str(body.login), fullName: str(body.full_name), email: str(body.email) };
  }

  /** GET /api/v1/user/teams, every page. */
  async teams(): Promise<GiteaTeam[]> {
    const out: GiteaTeam[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const url = `${this.baseURL}/api/v1/user/teams?page=${page}&limit=${LIMIT}`;
      const { body } = await this.http.getJSON<unknown>(url, { bearer: this.token });
      if (!Array.isArray(body)) throw this.unexpected('/api/v1/user/teams');
      if (body.length === 0) return out;
      for (const t of body as Record<string, unknown>[]) {
        const org = (typeof t.organization === 'object' && t.organization !== null ? t.organization : {}) as Record<string, unknown>;
        out.push({ org: str(org.username), name: str(t.name) });
      }
    }
    throw new ConnectorError(this.http.connectorId, `${this.http.connectorId}: more than ${MAX_PAGES} pages of teams`);
  }
}
