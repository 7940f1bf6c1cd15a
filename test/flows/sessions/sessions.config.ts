/**
 * Config for the session flows: the password DB with two users and four clients. `app-a` shares its sign-in with
 * `app-b` (ssoSharedWith), `app-b` shares with `app-c`; `app-c` shares with no one, nor does `toString` (a client id
 * that names an Object.prototype member). Sharing is one-way and not
 * transitive: a sign-in to `app-a` reaches `app-b` but not `app-c`. Every client has `REDIRECT` plus the given
 * extra redirect URIs (real relying parties in the browser tests).
 */

import { hash } from '@node-rs/bcrypt';
import { own } from '../../../src/lib/own.js';

export const REDIRECT = 'http://127.0.0.1:5555/callback';
export const ALICE = { email: 'alice@example.com', password: 'alice-pass', userId: 'a1b2c3' };
export const BOB = { email: 'bob@example.com', password: 'bob-pass', userId: 'b4d5e6' };

export interface SessionsConfigOptions {
  /** Extra redirect URIs per client id. */
  redirects?: Record<string, string[]>;
  /** Extra top-level YAML (a `sessions:` block, say). */
  extra?: string;
  /** Storage block (default memory). */
  storage?: string;
}

export async function sessionsConfig(opts: SessionsConfigOptions = {}): Promise<(issuer: string, listen: string) => string> {
  const [a, b] = await Promise.all([hash(ALICE.password, 10), hash(BOB.password, 10)]);
  const uris = (id: string) => JSON.stringify([REDIRECT, ...((opts.redirects && own(opts.redirects, id)) ?? [])]);
  return (issuer, listen) => `
issuer: ${issuer}
storage:
${opts.storage ?? '  type: memory'}
web:
  http: ${listen}
enablePasswordDB: true
staticPasswords:
- {email: ${ALICE.email}, hash: "${a}", username: alice, userID: ${ALICE.userId}}
- {email: ${BOB.email}, hash: "${b}", username: bob, userID: ${BOB.userId}}
staticClients:
- {id: app-a, name: App A, secret: secret-a, redirectURIs: ${uris('app-a')}, ssoSharedWith: [app-b]}
- {id: app-b, name: App B, secret: secret-b, redirectURIs: ${uris('app-b')}, ssoSharedWith: [app-c]}
- {id: app-c, name: App C, secret: secret-c, redirectURIs: ${uris('app-c')}, ssoSharedWith: []}
- {id: app-d, name: App D, public: true, redirectURIs: ${uris('app-d')}}
- {id: toString, name: Inherited Name, secret: secret-t, redirectURIs: ${uris('toString')}}
${opts.extra ?? ''}
`;
}
