/**
 * `runStorageConformance`: the one behavioural suite every `Storage` backend runs (dex `storage/conformance`),
 * so a backend's own test file is ~20 lines. Sub-suites carry dex's names so skip lists read alike.
 *
 * @example
 * ```ts
 * runStorageConformance({
 *   name: 'memory',
 *   open: async () => openMemoryStorage(),
 *   skip: [{ tests: ['TransactionTests'], reason: 'no transactions in this backend' }],
 * });
 * ```
 */

import { describe } from 'node:test';
import { concurrencySuite } from './concurrency.js';
import { authCodeCrud } from './crud/auth-code.js';
import { authRequestCrud } from './crud/auth-request.js';
import { authSessionCrud } from './crud/auth-session.js';
import { clientCrud } from './crud/client.js';
import { connectorCrud } from './crud/connector.js';
import { accessTokenCrud, deviceRequestCrud, deviceTokenCrud, logoutDeliveryCrud, revokedTokenCrud, throttleCrud } from './crud/device.js';
import { keysCrud } from './crud/keys.js';
import { passwordCrud } from './crud/password.js';
import { offlineSessionCrud, userIdentityCrud } from './crud/per-user.js';
import { refreshTokenCrud } from './crud/refresh-token.js';
import { gcSuite } from './gc.js';
import { type ConformanceOptions, createHarness, type Harness } from './harness.js';
import { timezoneSuite } from './timezones.js';
import { transactionSuite } from './transactions.js';

/** Sub-suite names (usable in `skip`) and the function that registers each. */
export const CONFORMANCE_SUITES: readonly (readonly [string, (h: Harness) => void])[] = [
  ['AuthCodeCRUD', authCodeCrud],
  ['AuthRequestCRUD', authRequestCrud],
  ['ClientCRUD', clientCrud],
  ['RefreshTokenCRUD', refreshTokenCrud],
  ['PasswordCRUD', passwordCrud],
  ['KeysCRUD', keysCrud],
  ['OfflineSessionCRUD', offlineSessionCrud],
  ['ConnectorCRUD', connectorCrud],
  ['GarbageCollection', gcSuite],
  ['TimezoneSupport', timezoneSuite],
  ['DeviceRequestCRUD', deviceRequestCrud],
  ['DeviceTokenCRUD', deviceTokenCrud],
  ['RevokedTokenCRUD', revokedTokenCrud],
  ['AccessTokenCRUD', accessTokenCrud],
  ['ThrottleCRUD', throttleCrud],
  ['LogoutDeliveryCRUD', logoutDeliveryCrud],
  ['UserIdentityCRUD', userIdentityCrud],
  ['AuthSessionCRUD', authSessionCrud],
  ['TransactionTests', transactionSuite],
  ['ConcurrencyTests', concurrencySuite],
];

/** Registers the whole suite under `describe(opts.name)`; call it at the top level of a test file. */
export function runStorageConformance(opts: ConformanceOptions): void {
  const known = new Set(CONFORMANCE_SUITES.map(([name]) => name));
  for (const entry of opts.skip ?? []) {
    for (const t of entry.tests) {
      if (!known.has(t.split('/')[0] ?? '')) throw new TypeError(`runStorageConformance: unknown suite in skip: ${t}`);
    }
  }
  describe(opts.name, () => {
    for (const [suite, register] of CONFORMANCE_SUITES) describe(suite, () => register(createHarness(opts, suite)));
  });
}
