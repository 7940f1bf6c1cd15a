/**
 * The connector contract suite for `oidc`, against the real upstream provider (oidc-provider 9.13.3 from
 * test/peers/oidc-upstream): scripted upstream logins, group changes through the upstream's admin endpoint, and an
 * upstream `error=access_denied` (the user aborts at the provider) as the "wrong credentials" case.
 */

import assert from 'node:assert/strict';
import { runConnectorContract } from '../../../src/connectors/contract/index.js';
import { oidc } from '../../../src/connectors/oidc/index.js';
import { UserRefusedError } from '../../../src/lib/errors.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { freePort } from '../../helpers/ferry.js';
import { callbackLogin } from '../../peers/oidc-upstream/callback-login.js';
import { admin, TEST_CALLBACK, TEST_ISSUER, upstreamEnv } from '../../peers/oidc-upstream/op-login.js';

const up = upstreamEnv();
const deps = { logger: silentLogger(), now: () => new Date(), issuer: TEST_ISSUER };
const base = {
  issuer: up.issuer,
  clientID: up.clientID,
  clientSecret: up.clientSecret,
  redirectURI: TEST_CALLBACK,
  scopes: ['profile', 'email', 'groups', 'offline_access'],
  insecureEnableGroups: true,
};
const open = (extra: Record<string, unknown> = {}) => oidc.open('upstream', oidc.parseConfig({ ...base, ...extra }, 'connectors[0].config'), deps);
const ALICE_GROUPS = ['admins', 'developers', 'ops'];

runConnectorContract({
  name: 'oidc against oidc-provider 9.13.3',
  open: () => open(),
  openUnreachable: async () => open({ issuer: `http://127.0.0.1:${await freePort()}` }),
  login: (conn, scopes, user) => callbackLogin(conn, scopes, user.username),
  users: { primary: { username: 'alice', email: 'alice@example.org', emailVerified: true, groups: ALICE_GROUPS } },
  wrongCredentials: async (conn) => {
    await assert.rejects(callbackLogin(conn, { offlineAccess: false, groups: false }, 'alice', { abort: true }), (err: unknown) => {
      assert.ok(err instanceof UserRefusedError && err.reason === 'access_denied', `got ${String(err)}`);
      assert.match(err.message, /access_denied/);
      assert.doesNotMatch(err.message, /aborted/i, 'the upstream description is not carried');
      return true;
    });
  },
  refresh: true,
  upstreamChange: {
    group: 'ops',
    removeFromGroup: async () => void (await admin.setGroups('alice', ['admins', 'developers'])),
    restore: async () => void (await admin.setGroups('alice', ALICE_GROUPS)),
  },
  allowedGroups: { open: () => open({ allowedGroups: ['developers', 'nobody'] }), expected: ['developers'] },
});
