/** AuthRequestCRUD: auth requests, with claims, PKCE, connector data and the HMAC key. */
import * as f from '../fixtures.js';
import type { Harness } from '../harness.js';
import { runCrud } from './run-crud.js';

export function authRequestCrud(h: Harness): void {
  runCrud(h, {
    make: (v) => f.authRequest(v),
    keyFields: ['id'],
    sortKey: (a) => a.id,
    create: (s, a) => s.createAuthRequest(a),
    get: (s, a) => s.getAuthRequest(a.id),
    update: (s, a, fn) => s.updateAuthRequest(a.id, fn),
    change: (old) => ({
      ...old,
      loggedIn: true,
      claims: { ...old.claims, groups: ['new-group'], emailVerified: !old.claims.emailVerified },
      connectorData: f.bytes(42),
      authTime: f.at(-3),
    }),
    remove: (s, a) => s.deleteAuthRequest(a.id),
  });
}
