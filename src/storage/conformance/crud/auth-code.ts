/** AuthCodeCRUD: authorization codes (no update, no list). */
import * as f from '../fixtures.js';
import type { Harness } from '../harness.js';
import { runCrud } from './run-crud.js';

export function authCodeCrud(h: Harness): void {
  runCrud(h, {
    make: (v) => f.authCode(v),
    keyFields: ['id'],
    sortKey: (c) => c.id,
    create: (s, c) => s.createAuthCode(c),
    get: (s, c) => s.getAuthCode(c.id),
    remove: (s, c) => s.deleteAuthCode(c.id),
  });
}
