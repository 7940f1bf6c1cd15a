/** AuthSessionCRUD: browser sessions with per-client state and logout state. */
import * as f from '../fixtures.js';
import type { Harness } from '../harness.js';
import { runCrud } from './run-crud.js';

export function authSessionCrud(h: Harness): void {
  runCrud(h, {
    make: (v) => f.authSession(v),
    keyFields: ['id'],
    sortKey: (a) => a.id,
    create: (s, a) => s.createAuthSession(a),
    get: (s, a) => s.getAuthSession(a.id),
    update: (s, a, fn) => s.updateAuthSession(a.id, fn),
    change: (old) => ({
      ...old,
      lastActivity: f.at(0),
      idleExpiry: f.at(2),
      clientStates: {
        ...old.clientStates,
        'client-z': { authenticatedAt: f.at(0), lastActivity: f.at(0), lastTokenIssuedAt: f.at(0), viaSSO: false },
      },
    }),
    remove: (s, a) => s.deleteAuthSession(a.id),
    list: (s) => s.listAuthSessions(),
  });
}
