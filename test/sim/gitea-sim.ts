/**
 * Gitea API simulation (self-hosted layout at the root): OAuth at `/login/oauth/authorize` and
 * `/login/oauth/access_token`, `/api/v1/user` and `/api/v1/user/teams` (`page`/`limit`, an empty page past the
 * end, at most 50 a page). Access tokens expire after 1 h with rotating refresh tokens, as Gitea's do.
 */

import { json, startApiSim, type ApiSim, type Route } from './api-sim.js';
import { offsetPage } from './sim-paging.js';

export interface GiteaSimUser {
  id: number;
  login: string;
  fullName: string;
  email: string;
  teams: { org: string; name: string }[];
}

export const GITEA_CLIENT = { clientId: 'gitea-client', clientSecret: 'gitea-secret-do-not-log' };

/** alice: acme (Owners, devs) and beta (qa). carol: only in `other`. frank: 1,500 teams in `huge`. */
export function giteaUsers(): Record<string, GiteaSimUser> {
  return {
    alice: { id: 21, login: 'alice', fullName: 'Alice Liddell', email: 'alice@example.com', teams: [{ org: 'acme', name: 'Owners' }, { org: 'acme', name: 'devs' }, { org: 'beta', name: 'qa' }] },
    carol: { id: 23, login: 'carol', fullName: '', email: 'carol@example.com', teams: [{ org: 'other', name: 'Owners' }] },
    frank: { id: 26, login: 'frank', fullName: 'Frank', email: 'frank@example.com', teams: Array.from({ length: 1500 }, (_, i) => ({ org: 'huge', name: `t${i + 1}` })) },
  };
}

function routes(): Route<GiteaSimUser>[] {
  return [
    { path: '/api/v1/user', handle: (_r, { user: u }) => json({ id: u.id, login: u.login, full_name: u.fullName, email: u.email, is_admin: false, username: u.login }) },
    {
      path: '/api/v1/user/teams',
      handle: (req, { user }) =>
        offsetPage(req, user.teams.map((t, i) => ({ id: i + 1, name: t.name, permission: 'write', organization: { id: t.org.length, username: t.org, full_name: t.org.toUpperCase() } })), {
          sizeParam: 'limit', defaultSize: 30, maxSize: 50,
        }),
    },
  ];
}

export function startGiteaSim(): Promise<ApiSim<GiteaSimUser>> {
  return startApiSim({
    users: giteaUsers(),
    routes: routes(),
    oauth: { ...GITEA_CLIENT, authorizePath: '/login/oauth/authorize', tokenPath: '/login/oauth/access_token', accessTokenTtl: 3600 },
    unauthorized: json({ message: 'token is required', url: 'https://gitea.com/api/swagger' }, 401),
  });
}
