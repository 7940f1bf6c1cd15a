/**
 * Bitbucket Cloud API simulation: OAuth at `/site/oauth2/authorize` and `/site/oauth2/access_token` (client by
 * HTTP Basic), and the 2.0 API under `/2.0`: `/user`, `/user/emails`, `/user/workspaces` (`{ values, next }`
 * paging, `pagelen` up to 100) and `/user/workspaces/{slug}/permission`. Access tokens expire after 2 h; refresh
 * tokens are long-lived and not rotated, as Bitbucket's.
 */

import { json, startApiSim, status, type ApiSim, type Route } from './api-sim.js';
import { bodyPage } from './sim-paging.js';

export interface BitbucketSimUser {
  uuid: string;
  username: string;
  emails: { email: string; primary: boolean; confirmed: boolean }[];
  workspaces: { slug: string; permission: string }[];
}

export const BITBUCKET_CLIENT = { clientId: 'bb-key', clientSecret: 'bb-secret-do-not-log' };

/** alice: owner of atlas, member of zephyr. bob: no confirmed primary email. grace: 1,500 workspaces. */
export function bitbucketUsers(): Record<string, BitbucketSimUser> {
  return {
    alice: {
      uuid: '{0f7c1c2e-1d6b-4f0e-9a51-6b1f1b2a3c4d}', username: 'alice',
      emails: [{ email: 'alice@old.example', primary: false, confirmed: true }, { email: 'alice@example.com', primary: true, confirmed: true }],
      workspaces: [{ slug: 'atlas', permission: 'owner' }, { slug: 'zephyr', permission: 'member' }],
    },
    bob: { uuid: '{bbbbbbbb-0000-4000-8000-000000000002}', username: 'bob', emails: [{ email: 'bob@example.com', primary: true, confirmed: false }], workspaces: [] },
    grace: {
      uuid: '{99999999-0000-4000-8000-000000000007}', username: 'grace', emails: [{ email: 'grace@example.com', primary: true, confirmed: true }],
      workspaces: Array.from({ length: 1500 }, (_, i) => ({ slug: `ws-${i + 1}`, permission: 'member' })),
    },
  };
}

function routes(): Route<BitbucketSimUser>[] {
  const api = '/2.0';
  return [
    { path: `${api}/user`, handle: (_r, { user: u }) => json({ type: 'user', uuid: u.uuid, username: u.username, display_name: u.username, account_id: `acc-${u.username}` }) },
    {
      path: `${api}/user/emails`,
      handle: (req, { user, scopes }) =>
        scopes.includes('email') ? bodyPage(req, user.emails.map((e) => ({ type: 'email', email: e.email, is_primary: e.primary, is_confirmed: e.confirmed }))) : status(403, 'Access denied'),
    },
    {
      path: `${api}/user/workspaces`,
      handle: (req, { user }) => bodyPage(req, user.workspaces.map((w) => ({ type: 'workspace_access', workspace: { type: 'workspace_base', slug: w.slug, uuid: `{ws-${w.slug}}` } }))),
    },
    {
      path: `${api}/user/workspaces/:slug/permission`,
      handle: (req, { user }) => {
        const w = user.workspaces.find((x) => x.slug === req.params.slug);
        return w ? json({ type: 'workspace_membership', permission: w.permission }) : status(404, 'No workspace');
      },
    },
  ];
}

export function startBitbucketSim(): Promise<ApiSim<BitbucketSimUser>> {
  return startApiSim({
    users: bitbucketUsers(),
    routes: routes(),
    oauth: { ...BITBUCKET_CLIENT, authorizePath: '/site/oauth2/authorize', tokenPath: '/site/oauth2/access_token', accessTokenTtl: 7200, rotateRefreshTokens: false },
    unauthorized: json({ type: 'error', error: { message: 'Access token expired.' } }, 401),
  });
}
