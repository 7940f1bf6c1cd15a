/**
 * OpenStack Keystone Identity API v3 simulation: `POST /v3/auth/tokens` (password method, user by name in a domain
 * given by id or name; 201 with `X-Subject-Token`, 401 `{ error }` otherwise), `GET /v3/users/{id}` and
 * `GET /v3/users/{id}/groups` with `X-Auth-Token` (a user may read themself; an admin anyone; 404 for unknown
 * users; groups 500 a page with `links.next`). Tokens expire after an hour on the sim clock.
 */

import { randomBytes } from 'node:crypto';
import { json, startApiSim, type ApiSim, type SimReply, type SimRequest } from './api-sim.js';

export interface KeystoneSimUser {
  id: string;
  name: string;
  password: string;
  domainId: string;
  email?: string;
  admin?: boolean;
  groups: string[];
}

export const KEYSTONE_DOMAINS: Record<string, string> = { default: 'Default', c4d6f0f6a0e94d3f8d2c1b6e7a9f0e11: 'Corp' };
export const KEYSTONE_ADMIN = { username: 'admin', password: 'keystone-admin-secret-do-not-log' };

/** alice: two groups, email. bob: no email. carol: same name as alice in the Corp domain. dave: 1,500 groups. */
export function keystoneUsers(): Record<string, KeystoneSimUser> {
  return {
    admin: { id: 'a0000000000000000000000000000000', name: 'admin', password: KEYSTONE_ADMIN.password, domainId: 'default', admin: true, groups: ['admins'] },
    alice: { id: '1f5a6c3e9b8d4a2e8f7c6b5a4d3c2b11', name: 'alice', password: 'alice-pw-do-not-log', domainId: 'default', email: 'alice@example.org', groups: ['developers', 'operators'] },
    bob: { id: '2f5a6c3e9b8d4a2e8f7c6b5a4d3c2b22', name: 'bob', password: 'bob-pw', domainId: 'default', groups: [] },
    carol: { id: '3f5a6c3e9b8d4a2e8f7c6b5a4d3c2b33', name: 'alice', password: 'corp-alice-pw', domainId: 'c4d6f0f6a0e94d3f8d2c1b6e7a9f0e11', email: 'alice@corp.example', groups: ['corp'] },
    dave: { id: '4f5a6c3e9b8d4a2e8f7c6b5a4d3c2b44', name: 'dave', password: 'dave-pw', domainId: 'default', groups: Array.from({ length: 1500 }, (_, i) => `project-${i + 1}`) },
  };
}

const unauthorized = (): SimReply => json({ error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } }, 401);
const notFound = (what: string): SimReply => json({ error: { code: 404, message: `Could not find user: ${what}.`, title: 'Not Found' } }, 404);

interface AuthDocument {
  auth?: { identity?: { methods?: string[]; password?: { user?: { name?: string; password?: string; domain?: { id?: string; name?: string } } } } };
}

export interface KeystoneSim extends ApiSim<KeystoneSimUser> {
  /** Subject tokens issued so far (to assert none leaks). */
  issued: string[];
}

export async function startKeystoneSim(users = keystoneUsers()): Promise<KeystoneSim> {
  const tokens = new Map<string, { userKey: string; expiresAt: number }>();
  const issued: string[] = [];

  const caller = (req: SimRequest) => {
    const t = tokens.get(String(req.headers['x-auth-token'] ?? ''));
    return t && t.expiresAt > sim.now() ? users[t.userKey] : undefined;
  };
  const target = (req: SimRequest): [string, KeystoneSimUser | undefined] => {
    const entry = Object.entries(users).find(([, u]) => u.id === req.params.id);
    return [entry?.[0] ?? '', entry?.[1]];
  };

  function authTokens(req: SimRequest): SimReply {
    let doc: AuthDocument = {};
    try {
      doc = JSON.parse(req.body) as AuthDocument;
    } catch {
      return json({ error: { code: 400, message: 'Invalid input', title: 'Bad Request' } }, 400);
    }
    const u = doc.auth?.identity?.password?.user ?? {};
    const domainId = u.domain?.id ?? Object.keys(KEYSTONE_DOMAINS).find((id) => KEYSTONE_DOMAINS[id] === u.domain?.name);
    const entry = Object.entries(users).find(([, x]) => x.name === u.name && x.domainId === domainId);
    if (!entry || entry[1].password !== u.password || !doc.auth?.identity?.methods?.includes('password')) return unauthorized();
    const token = `gAAAAAB${randomBytes(24).toString('base64url')}`;
    tokens.set(token, { userKey: entry[0], expiresAt: sim.now() + 3600_000 });
    issued.push(token);
    const user = entry[1];
    return json({
      token: {
        methods: ['password'], expires_at: new Date(sim.now() + 3600_000).toISOString(), issued_at: new Date(sim.now()).toISOString(),
        user: { id: user.id, name: user.name, domain: { id: user.domainId, name: KEYSTONE_DOMAINS[user.domainId] }, password_expires_at: null },
        audit_ids: ['sim'],
      },
    }, 201, { 'x-subject-token': token });
  }

  const base = await startApiSim<KeystoneSimUser>({
    users,
    oauth: { authorizePath: '/sim/none', tokenPath: '/sim/none-token', clientId: 'n/a', clientSecret: 'n/a' },
    routes: [
      { method: 'POST', path: '/v3/auth/tokens', auth: false, handle: authTokens },
      {
        path: '/v3/users/:id',
        auth: false,
        handle: (req) => {
          const me = caller(req);
          if (!me) return unauthorized();
          const [, u] = target(req);
          if (!u) return notFound(req.params.id ?? '');
          if (!me.admin && me.id !== u.id) return json({ error: { code: 403, message: 'You are not authorized.', title: 'Forbidden' } }, 403);
          const user: Record<string, unknown> = { id: u.id, name: u.name, domain_id: u.domainId, enabled: true, password_expires_at: null, links: { self: `${req.url.origin}/v3/users/${u.id}` } };
          if (u.email) user.email = u.email;
          return json({ user });
        },
      },
      {
        path: '/v3/users/:id/groups',
        auth: false,
        handle: (req) => {
          const me = caller(req);
          if (!me) return unauthorized();
          const [, u] = target(req);
          if (!u) return notFound(req.params.id ?? '');
          const start = Number(req.query.get('marker') ?? 0) || 0;
          const page = u.groups.slice(start, start + 500).map((name, i) => ({ id: `g${start + i}`, name, domain_id: u.domainId, description: '' }));
          const next = start + 500 < u.groups.length ? `${req.url.origin}${req.path}?marker=${start + 500}` : null;
          return json({ groups: page, links: { self: req.url.href, previous: null, next } });
        },
      },
    ],
  });
  const sim: KeystoneSim = Object.assign(base, { issued });
  return sim;
}
