/**
 * GitHub (and GitHub Enterprise) API simulation: the OAuth web flow at `/login/oauth/*` (token errors answered
 * 200 with `{ error }`, form-encoded unless JSON is asked for, as GitHub does) and the REST endpoints the
 * connector calls under `/api/v3` (GitHub Enterprise's layout): `/user`, `/user/emails`, `/user/orgs`,
 * `/user/teams` (Link-header paging), `/orgs/{org}/members/{user}` (204 / 404, 302 without `read:org`).
 * `app: true` simulates a GitHub App: access tokens expire after 8 h and come with refresh tokens.
 */

import { json, startApiSim, status, type ApiSim, type Route } from './api-sim.js';
import { linkPage } from './sim-paging.js';

export interface GithubSimUser {
  id: number;
  login: string;
  name: string | null;
  /** The public profile email (`null` when private). */
  email: string | null;
  emails: { email: string; verified: boolean; primary: boolean }[];
  orgs: string[];
  teams: { org: string; name: string; slug: string }[];
}

export const GITHUB_CLIENT = { clientId: 'gh-client', clientSecret: 'gh-client-secret-do-not-log' };

const email = (address: string, primary: boolean, verified = true) => ({ email: address, primary, verified });
const team = (org: string, name: string) => ({ org, name, slug: name.toLowerCase().replace(/\s+/g, '-') });

/** alice: two orgs, three teams. bob: no verified email. carol: public email, only in `elsewhere`. dave: 1,500 teams. */
export function githubUsers(): Record<string, GithubSimUser> {
  return {
    alice: {
      id: 1001, login: 'alice', name: 'Alice Liddell', email: null,
      emails: [email('alice@old.example.net', false, false), email('alice@example.com', true), email('alice@corp.example.org', false)],
      orgs: ['wonderland', 'looking-glass'],
      teams: [team('wonderland', 'Red Team'), team('wonderland', 'Blue Team'), team('looking-glass', 'Chess')],
    },
    bob: { id: 1002, login: 'bob', name: null, email: null, emails: [email('bob@example.com', true, false)], orgs: ['wonderland'], teams: [] },
    carol: {
      id: 1003, login: 'carol', name: 'Carol', email: 'carol@public.example',
      emails: [email('carol@example.com', true)], orgs: ['elsewhere'], teams: [team('elsewhere', 'Ops')],
    },
    dave: {
      id: 1004, login: 'dave', name: 'Dave', email: 'dave@example.com', emails: [email('dave@example.com', true)], orgs: ['big-org'],
      teams: Array.from({ length: 1500 }, (_, i) => team('big-org', `Team ${String(i + 1).padStart(4, '0')}`)),
    },
  };
}

const orgJSON = (login: string) => ({ login, id: login.length * 7919, url: `https://api.github.com/orgs/${login}`, description: null });

function routes(): Route<GithubSimUser>[] {
  const api = '/api/v3';
  return [
    {
      path: `${api}/user`,
      handle: (_req, { user: u }) =>
        json({ login: u.login, id: u.id, node_id: `U_${u.id}`, type: 'User', site_admin: false, name: u.name, company: null, email: u.email }),
    },
    {
      path: `${api}/user/emails`,
      handle: (req, { user, scopes }) =>
        scopes.includes('user:email') || scopes.includes('user')
          ? linkPage(req, user.emails.map((e) => ({ ...e, visibility: e.primary ? 'private' : null })))
          : status(404, 'Not Found'),
    },
    {
      path: `${api}/orgs/:org/members/:member`,
      handle: (req, { user, scopes }) => {
        if (!scopes.includes('read:org')) return { status: 302, headers: { location: `${req.url.origin}${api}/orgs/${req.params.org}/public_members/${req.params.member}` } };
        return status(req.params.member === user.login && user.orgs.includes(req.params.org ?? '') ? 204 : 404);
      },
    },
    {
      path: `${api}/user/teams`,
      handle: (req, { user, scopes }) =>
        scopes.includes('read:org')
          ? linkPage(req, user.teams.map((t, i) => ({ id: i + 1, name: t.name, slug: t.slug, privacy: 'closed', organization: orgJSON(t.org) })))
          : status(403, 'Resource not accessible by integration'),
    },
    { path: `${api}/user/orgs`, handle: (req, { user }) => linkPage(req, user.orgs.map(orgJSON)) },
  ];
}

export function startGithubSim(opts: { app?: boolean; tls?: boolean; users?: Record<string, GithubSimUser> } = {}): Promise<ApiSim<GithubSimUser>> {
  return startApiSim({
    users: opts.users ?? githubUsers(),
    tls: opts.tls,
    routes: routes(),
    oauth: {
      ...GITHUB_CLIENT,
      authorizePath: '/login/oauth/authorize',
      tokenPath: '/login/oauth/access_token',
      tokenErrorStatus: 200,
      formUnlessAcceptJSON: true,
      accessTokenTtl: opts.app ? 8 * 3600 : undefined,
      refreshTokens: opts.app === true,
    },
    unauthorized: json({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }, 401),
  });
}
