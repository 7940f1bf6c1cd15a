/**
 * Atlassian Crowd simulation of the Usermanagement REST API (`/crowd/rest/usermanagement/1`), checking the
 * application's HTTP Basic credentials on every call (401 `Application failed to authenticate` as text):
 * `POST /authentication?username=` (`{ value }` → the user, or 400 `{ reason, message }`), `GET /user?username=`
 * (404 USER_NOT_FOUND) and `GET /user/group/nested?username=` (`start-index`/`max-results`, default 1,000).
 */

import { json, startApiSim, type ApiSim, type SimReply, type SimRequest } from './api-sim.js';

export interface CrowdSimUser {
  key: string;
  name: string;
  password: string;
  email: string;
  active: boolean;
  displayName: string;
  /** Direct and nested group names. */
  groups: string[];
}

export const CROWD_APP = { name: 'ferry-app', password: 'crowd-app-password-do-not-log' };
export const CROWD_PATH = '/crowd/rest/usermanagement/1';

/** alice: two groups. bob: no groups. carol: inactive. dave: 1,500 groups. */
export function crowdUsers(): Record<string, CrowdSimUser> {
  const u = (key: string, name: string, password: string, groups: string[], active = true) =>
    ({ key, name, password, email: `${name}@example.com`, active, displayName: name[0]?.toUpperCase() + name.slice(1), groups });
  return {
    alice: u('32769:9f0c2a1e-alice', 'alice', 'alice-pw-do-not-log', ['jira-users', 'developers']),
    bob: u('32769:9f0c2a1e-bob', 'bob', 'bob-pw', []),
    carol: u('32769:9f0c2a1e-carol', 'carol', 'carol-pw', ['developers'], false),
    dave: u('32769:9f0c2a1e-dave', 'dave', 'dave-pw', Array.from({ length: 1500 }, (_, i) => `team-${i + 1}`)),
  };
}

const error = (status: number, reason: string, message: string): SimReply => json({ reason, message }, status);

export function startCrowdSim(users = crowdUsers()): Promise<ApiSim<CrowdSimUser>> {
  const appOk = (req: SimRequest) => req.headers.authorization === `Basic ${Buffer.from(`${CROWD_APP.name}:${CROWD_APP.password}`).toString('base64')}`;
  const guard = (handle: (req: SimRequest) => SimReply) => (req: SimRequest): SimReply =>
    appOk(req) ? handle(req) : { status: 401, headers: { 'content-type': 'text/plain' }, raw: 'Application failed to authenticate' };
  const find = (name: string | null) => Object.values(users).find((u) => u.name === name);
  const userJSON = (req: SimRequest, u: CrowdSimUser) => ({
    expand: 'attributes', link: { href: `${req.url.origin}${CROWD_PATH}/user?username=${u.name}`, rel: 'self' },
    name: u.name, key: u.key, active: u.active, email: u.email, 'first-name': u.displayName, 'last-name': '', 'display-name': u.displayName,
    password: { link: { href: `${req.url.origin}${CROWD_PATH}/user/password?username=${u.name}`, rel: 'edit' } },
  });
  return startApiSim<CrowdSimUser>({
    users,
    oauth: { authorizePath: '/sim/none', tokenPath: '/sim/none-token', clientId: 'n/a', clientSecret: 'n/a' },
    routes: [
      {
        method: 'POST', path: `${CROWD_PATH}/authentication`, auth: false,
        handle: guard((req) => {
          const u = find(req.query.get('username'));
          let value = '';
          try {
            value = String((JSON.parse(req.body) as { value?: unknown }).value ?? '');
          } catch {
            return error(400, 'ILLEGAL_ARGUMENT', 'Invalid body');
          }
          if (!u) return error(400, 'USER_NOT_FOUND', `User <${req.query.get('username')}> does not exist`);
          if (u.password !== value) return error(400, 'INVALID_USER_AUTHENTICATION', 'Failed to authenticate principal, password was invalid');
          if (!u.active) return error(400, 'INACTIVE_ACCOUNT', `Account with name <${u.name}> is inactive`);
          return json(userJSON(req, u));
        }),
      },
      {
        path: `${CROWD_PATH}/user`, auth: false,
        handle: guard((req) => {
          const u = find(req.query.get('username'));
          return u ? json(userJSON(req, u)) : error(404, 'USER_NOT_FOUND', `User <${req.query.get('username')}> does not exist`);
        }),
      },
      {
        path: `${CROWD_PATH}/user/group/nested`, auth: false,
        handle: guard((req) => {
          const u = find(req.query.get('username'));
          if (!u) return error(404, 'USER_NOT_FOUND', 'User does not exist');
          const start = Number(req.query.get('start-index') ?? 0) || 0;
          const max = Math.min(Number(req.query.get('max-results') ?? 1000) || 1000, 1000);
          const groups = u.groups.slice(start, start + max).map((name) => ({ link: { href: `${req.url.origin}${CROWD_PATH}/group?groupname=${name}`, rel: 'self' }, name }));
          return json({ expand: 'group', groups });
        }),
      },
    ],
  });
}
