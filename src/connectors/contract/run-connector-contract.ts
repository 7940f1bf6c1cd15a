/**
 * The behaviours every connector must show:
 * a stable user id across logins; email and email_verified as configured; groups only when the `groups` scope is
 * asked, filtered by the allowed groups; wrong credentials fail cleanly; an outage is a `ConnectorError` that
 * carries no upstream detail meant for a client; connector data round-trips into refresh; and a change made upstream
 * shows after refresh.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConnectorError, UserRefusedError } from '../../lib/errors.js';
import { isPasswordConnector, isRefreshConnector } from '../capabilities.js';
import type { Connector, Scopes } from '../types.js';
import type { ContractSubject } from './subject.js';

const PLAIN: Scopes = { offlineAccess: false, groups: false };
const GROUPS: Scopes = { offlineAccess: false, groups: true };
const OFFLINE_GROUPS: Scopes = { offlineAccess: true, groups: true };

async function defaultWrongCredentials(conn: Connector, username: string): Promise<void> {
  assert.ok(isPasswordConnector(conn), 'supply wrongCredentials() for connectors without passwords');
  const r = await conn.login(PLAIN, username, 'definitely-not-the-password');
  assert.equal(r.valid, false, 'a wrong password is { valid: false }');
  assert.equal(r.identity, null);
}

/** One behaviour of the contract, runnable on its own (the mock connector's test runs them against broken mocks). */
export interface ContractCheck {
  name: string;
  run(): Promise<void>;
}

/** The contract's checks for `s`, in order; only those the subject's capabilities call for. */
export function contractChecks(s: ContractSubject): ContractCheck[] {
  const user = s.users.primary;
  const checks: ContractCheck[] = [
    {
      name: 'a valid login yields a stable, non-empty user id',
      run: async () => {
        const conn = await s.open();
        const a = await s.login(conn, PLAIN, user);
        const b = await s.login(conn, PLAIN, user);
        assert.ok(a.userId, 'user id is set');
        assert.equal(a.userId, b.userId);
      },
    },
    {
      name: 'email and email_verified are as configured',
      run: async () => {
        const id = await s.login(await s.open(), PLAIN, user);
        assert.equal(id.email, user.email);
        assert.equal(id.emailVerified, user.emailVerified);
      },
    },
    {
      name: 'groups appear only when the groups scope is asked',
      run: async () => {
        const conn = await s.open();
        assert.deepEqual((await s.login(conn, PLAIN, user)).groups, [], 'no groups without the scope');
        assert.deepEqual([...(await s.login(conn, GROUPS, user)).groups].sort(), [...user.groups].sort());
      },
    },
  ];
  const allowed = s.allowedGroups;
  if (allowed) {
    checks.push({
      name: 'groups are filtered by the allowed groups',
      run: async () => {
        const id = await s.login(await allowed.open(), GROUPS, user);
        assert.deepEqual([...id.groups].sort(), [...allowed.expected].sort());
      },
    });
  }
  checks.push({
    name: 'wrong credentials fail cleanly',
    run: async () => {
      const conn = await s.open();
      await (s.wrongCredentials ? s.wrongCredentials(conn) : defaultWrongCredentials(conn, user.username));
    },
  });
  const openUnreachable = s.openUnreachable;
  if (openUnreachable) {
    checks.push({
      name: 'an unreachable upstream is a ConnectorError (SAML: an empty response, refused)',
      run: async () => {
        const conn = await openUnreachable();
        await assert.rejects(s.login(conn, PLAIN, user), (err: unknown) => {
          const expected = s.unreachableAs === 'invalid-response'
            ? err instanceof UserRefusedError && err.reason === 'invalid_response'
            : err instanceof ConnectorError;
          assert.ok(expected, `got ${(err as Error)?.name}: ${(err as Error)?.message}`);
          return true;
        });
      },
    });
  }
  if (s.refresh) {
    checks.push({
      name: 'connector data round-trips into refresh',
      run: async () => {
        const conn = await s.open();
        assert.ok(isRefreshConnector(conn), 'the connector implements refresh');
        const id = await s.login(conn, OFFLINE_GROUPS, user);
        const again = await conn.refresh(OFFLINE_GROUPS, id);
        assert.equal(again.userId, id.userId);
        assert.equal(again.email, id.email);
        assert.deepEqual([...again.groups].sort(), [...id.groups].sort());
      },
    });
  }
  const change = s.upstreamChange;
  if (s.refresh && change) {
    checks.push({
      name: 'a change made upstream shows after refresh',
      run: async () => {
        const conn = await s.open();
        assert.ok(isRefreshConnector(conn));
        const id = await s.login(conn, OFFLINE_GROUPS, user);
        assert.ok(id.groups.includes(change.group), `the user starts in ${change.group}`);
        await change.removeFromGroup();
        try {
          const after = await conn.refresh(OFFLINE_GROUPS, id);
          assert.ok(!after.groups.includes(change.group), `${change.group} is gone after refresh`);
        } finally {
          await change.restore();
        }
      },
    });
  }
  return checks;
}

/**
 * Registers the contract for `s` with node:test. A subject without an upstream (`noUpstream`) has no unreachable
 * case; that is reported as a skip with the subject's reason, never dropped silently.
 */
export function runConnectorContract(s: ContractSubject): void {
  if (!s.openUnreachable === !s.noUpstream) {
    throw new TypeError(`${s.name}: give exactly one of openUnreachable and noUpstream`);
  }
  describe(`connector contract: ${s.name}`, () => {
    for (const check of contractChecks(s)) test(check.name, () => check.run());
    if (s.noUpstream) test('an unreachable upstream is a ConnectorError', { skip: `no upstream: ${s.noUpstream}` }, () => {});
  });
}
