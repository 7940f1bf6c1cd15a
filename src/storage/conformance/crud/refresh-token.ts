/** RefreshTokenCRUD: refresh tokens, with rotation-style updates. */
import * as f from '../fixtures.js';
import type { Harness } from '../harness.js';
import { runCrud } from './run-crud.js';

export function refreshTokenCrud(h: Harness): void {
  runCrud(h, {
    make: f.refreshToken,
    keyFields: ['id'],
    sortKey: (r) => r.id,
    create: (s, r) => s.createRefresh(r),
    get: (s, r) => s.getRefresh(r.id),
    update: (s, r, fn) => s.updateRefreshToken(r.id, fn),
    change: (old) => ({ ...old, obsoleteToken: old.token, token: 'next-token', lastUsed: f.at(1) }),
    remove: (s, r) => s.deleteRefresh(r.id),
    list: (s) => s.listRefreshTokens(),
  });
}
