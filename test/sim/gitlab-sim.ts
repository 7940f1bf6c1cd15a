/**
 * GitLab API simulation (self-hosted layout at the root): OAuth at `/oauth/authorize` and `/oauth/token`,
 * `/api/v4/user` (`read_user`), `/oauth/userinfo` (`openid`: direct groups and role claims),
 * `/api/v4/groups` (`read_api`; `page`/`per_page`, `Link` and `X-Next-Page` headers) and
 * `/api/v4/groups/:id/members/all/:user`. Access tokens expire after 2 h and refresh tokens rotate, as GitLab's do.
 */

import { json, startApiSim, status, type ApiSim, type Route } from './api-sim.js';
import { linkPage } from './sim-paging.js';

export interface GitlabSimGroup {
  id: number;
  fullPath: string;
  /** GitLab access level: 10 guest, 20 reporter, 30 developer, 40 maintainer, 50 owner. */
  accessLevel: number;
  /** A direct membership (listed in userinfo) rather than one inherited from a parent group. */
  direct: boolean;
}

export interface GitlabSimUser {
  id: number;
  username: string;
  name: string;
  email: string;
  groups: GitlabSimGroup[];
}

export const GITLAB_CLIENT = { clientId: 'gl-app-id', clientSecret: 'gl-secret-do-not-log' };

const g = (id: number, fullPath: string, accessLevel: number, direct = true): GitlabSimGroup => ({ id, fullPath, accessLevel, direct });

/** alice: owner of platform (and so of platform/infra, inherited), reporter in docs. bob: no name, no groups. erin: 1,500 groups. */
export function gitlabUsers(): Record<string, GitlabSimUser> {
  return {
    alice: { id: 11, username: 'alice', name: 'Alice Liddell', email: 'alice@example.com', groups: [g(1, 'platform', 50), g(2, 'platform/infra', 50, false), g(3, 'docs', 20)] },
    bob: { id: 12, username: 'bob', name: '', email: 'bob@example.com', groups: [] },
    erin: { id: 13, username: 'erin', name: 'Erin', email: 'erin@example.com', groups: Array.from({ length: 1500 }, (_, i) => g(1000 + i, `org/team-${i + 1}`, 30, false)) },
  };
}

const ROLE_CLAIMS = { 50: 'owner', 40: 'maintainer', 30: 'developer' } as Record<number, string>;

function userinfo(u: GitlabSimUser): Record<string, unknown> {
  const direct = u.groups.filter((x) => x.direct);
  const body: Record<string, unknown> = { sub: String(u.id), name: u.name, nickname: u.username, email: u.email, email_verified: true, groups: direct.map((x) => x.fullPath) };
  for (const [level, role] of Object.entries(ROLE_CLAIMS)) {
    body[`https://gitlab.org/claims/groups/${role}`] = direct.filter((x) => x.accessLevel === Number(level)).map((x) => x.fullPath);
  }
  return body;
}

function routes(): Route<GitlabSimUser>[] {
  const forbidden = status(403, '403 Forbidden - insufficient_scope');
  return [
    { path: '/api/v4/user', handle: (_r, { user: u }) => json({ id: u.id, username: u.username, name: u.name, state: 'active', email: u.email, is_admin: false }) },
    { path: '/oauth/userinfo', handle: (_r, { user, scopes }) => (scopes.includes('openid') ? json(userinfo(user)) : forbidden) },
    {
      path: '/api/v4/groups',
      handle: (req, { user, scopes }) =>
        scopes.includes('read_api') ? linkPage(req, user.groups.map((x) => ({ id: x.id, path: x.fullPath.split('/').pop(), full_path: x.fullPath })), { defaultSize: 20, maxSize: 100 }) : forbidden,
    },
    {
      path: '/api/v4/groups/:id/members/all/:user',
      handle: (req, { user }) => {
        const group = user.groups.find((x) => String(x.id) === req.params.id);
        return group && req.params.user === String(user.id) ? json({ id: user.id, username: user.username, access_level: group.accessLevel }) : status(404, '404 Not found');
      },
    },
  ];
}

export function startGitlabSim(opts: { tls?: boolean } = {}): Promise<ApiSim<GitlabSimUser>> {
  return startApiSim({
    users: gitlabUsers(),
    tls: opts.tls,
    routes: routes(),
    oauth: { ...GITLAB_CLIENT, authorizePath: '/oauth/authorize', tokenPath: '/oauth/token', accessTokenTtl: 7200 },
    unauthorized: json({ error: 'invalid_token', error_description: 'Token was revoked.' }, 401),
  });
}
