/**
 * The LDAP connector's user and group searches against a real OpenLDAP (test/peers/ldap, seed in
 * test/fixtures/ldap/seed.ldif): wrong passwords, unknown users, injection attempts, the search base and scope,
 * several username attributes, mapping options, DN-based, POSIX and nested groups, and the deprecated group form.
 * (This file only reads the directory; ldap.test.ts changes janedoe's groups, so these cases use other users.)
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isPasswordConnector } from '../../../src/connectors/capabilities.js';
import type { PasswordConnector, Scopes } from '../../../src/connectors/types.js';
import { ConnectorError } from '../../../src/lib/errors.js';
import { GROUPS, JOHN, ldapConfig, ldapPeer, openLdap, WEIRD } from '../../fixtures/ldap/peer.js';

const peer = ldapPeer();
const PLAIN: Scopes = { offlineAccess: false, groups: false };
const WITH_GROUPS: Scopes = { offlineAccess: false, groups: true };
const INVALID = { identity: null, valid: false };

async function open(extra: Record<string, unknown> = {}): Promise<PasswordConnector> {
  const conn = await openLdap(ldapConfig(peer, 'plain', extra));
  assert.ok(isPasswordConnector(conn));
  return conn;
}

const baseUserSearch = ldapConfig(peer, 'plain').userSearch as Record<string, unknown>;
const baseGroupSearch = ldapConfig(peer, 'plain').groupSearch as Record<string, unknown>;
const userSearch = (over: Record<string, unknown>) => ({ userSearch: { ...baseUserSearch, ...over } });
const groupSearch = (over: Record<string, unknown>) => ({ groupSearch: { ...baseGroupSearch, ...over } });

async function groupsOf(extra: Record<string, unknown>, user: { username: string; password: string } = JOHN): Promise<string[]> {
  const r = await (await open(extra)).login(WITH_GROUPS, user.username, user.password);
  assert.equal(r.valid, true);
  return r.identity?.groups ?? [];
}

describe('ldap: who can log in', () => {
  test('a wrong password and an unknown user are both plain invalid logins', async () => {
    const conn = await open();
    assert.deepEqual(await conn.login(PLAIN, JOHN.username, 'not-bar'), INVALID);
    assert.deepEqual(await conn.login(PLAIN, 'nobody', 'bar'), INVALID);
  });

  test('filter injection does not match anyone (and never becomes a multi-match error)', async () => {
    const conn = await open();
    for (const attempt of ['*)(uid=*', '*', 'j*', 'johndoe)(|(uid=*', '*)(|(objectClass=*)', 'johndoe\\', '\0']) {
      assert.deepEqual(await conn.login(PLAIN, attempt, JOHN.password), INVALID, attempt);
    }
  });

  test('a user whose uid contains * ( ) \\ logs in, and their DN finds their groups', async () => {
    const r = await (await open({ ...userSearch({ idAttr: 'DN' }) })).login(WITH_GROUPS, WEIRD.username, WEIRD.password);
    assert.equal(r.valid, true);
    assert.equal(r.identity?.userId, WEIRD.dn);
    assert.equal(r.identity?.preferredUsername, WEIRD.username);
    assert.deepEqual(r.identity?.groups, ['developers']);
  });

  test('a user outside userSearch.baseDN cannot log in; widening the base lets them in', async () => {
    assert.deepEqual(await (await open()).login(PLAIN, 'outsider', 'outsider-pw'), INVALID);
    const wide = await open(userSearch({ baseDN: 'dc=example,dc=org' }));
    assert.equal((await wide.login(PLAIN, 'outsider', 'outsider-pw')).identity?.email, 'outsider@example.org');
  });

  test('scope "one" searches only the base level', async () => {
    const root = await open(userSearch({ baseDN: 'dc=example,dc=org', scope: 'one' }));
    assert.deepEqual(await root.login(PLAIN, JOHN.username, JOHN.password), INVALID);
    const people = await open(userSearch({ scope: 'one' }));
    assert.equal((await people.login(PLAIN, JOHN.username, JOHN.password)).valid, true);
  });

  test('the operator filter restricts who matches', async () => {
    const conn = await open(userSearch({ filter: '(objectClass=posixAccount)' }));
    assert.equal((await conn.login(PLAIN, JOHN.username, JOHN.password)).valid, true);
    assert.deepEqual(await conn.login(PLAIN, 'hashed', 'hashed-pw'), INVALID, 'hashed is not a posixAccount');
  });

  test('several username attributes: uid or mail reach the same user', async () => {
    const conn = await open();
    const byUid = await conn.login(PLAIN, JOHN.username, JOHN.password);
    const byMail = await conn.login(PLAIN, JOHN.email, JOHN.password);
    assert.equal(byUid.identity?.userId, JOHN.username);
    assert.equal(byMail.identity?.userId, JOHN.username);
    const uidOnly = await open(userSearch({ username: 'uid' }));
    assert.deepEqual(await uidOnly.login(PLAIN, JOHN.email, JOHN.password), INVALID);
  });

  test('more than one matching entry is an error, not a login', async () => {
    const conn = await open(userSearch({ username: 'cn' }));
    await assert.rejects(conn.login(PLAIN, 'Twin', 'twin-pw'), (err: unknown) => err instanceof ConnectorError && /matched 2 entries/.test(err.message));
  });

  test('a {SSHA}-hashed password works (the server checks it)', async () => {
    assert.equal((await (await open()).login(PLAIN, 'hashed', 'hashed-pw')).identity?.email, 'hashed@example.org');
  });
});

describe('ldap: mapping', () => {
  test('nameAttr, preferredUsernameAttr and the DN as id', async () => {
    const r = await (await open(userSearch({ idAttr: 'DN', nameAttr: 'cn', preferredUsernameAttr: 'displayName' }))).login(PLAIN, JOHN.username, JOHN.password);
    assert.deepEqual({ ...r.identity, connectorData: undefined }, {
      userId: JOHN.dn,
      username: 'John Doe',
      preferredUsername: 'john',
      email: JOHN.email,
      emailVerified: true,
      groups: [],
      connectorData: undefined,
    });
  });

  test('emailSuffix gives a user without mail an email; without it that user cannot be mapped', async () => {
    const suffixed = await open(userSearch({ nameAttr: 'uid', emailSuffix: 'corp.example' }));
    assert.equal((await suffixed.login(PLAIN, 'nomail', 'nomail-pw')).identity?.email, 'nomail@corp.example');
    await assert.rejects((await open()).login(PLAIN, 'nomail', 'nomail-pw'), (err: unknown) => err instanceof ConnectorError && /missing required attribute\(s\): mail/.test(err.message));
  });
});

describe('ldap: groups', () => {
  test('DN-based (member) and POSIX (memberUid) groups together, in matcher order', async () => {
    assert.deepEqual(await groupsOf({}), ['developers', 'posix-users', 'posix-ops']);
  });

  test('POSIX groups alone (userAttr uid → memberUid)', async () => {
    assert.deepEqual(await groupsOf(groupSearch({ filter: '(objectClass=posixGroup)', userMatchers: [{ userAttr: 'uid', groupAttr: 'memberUid' }] })), ['posix-users', 'posix-ops']);
  });

  test('nested groups: recursionGroupAttr walks parents breadth first and stops at the cycle', async () => {
    const nested = groupSearch({ filter: '(objectClass=groupOfNames)', userMatchers: [{ userAttr: 'DN', groupAttr: 'member', recursionGroupAttr: 'member' }] });
    assert.deepEqual(await groupsOf(nested), ['developers', 'engineering', 'all-staff']);
    const flat = groupSearch({ filter: '(objectClass=groupOfNames)', userMatchers: [{ userAttr: 'DN', groupAttr: 'member' }] });
    assert.deepEqual(await groupsOf(flat), ['developers']);
  });

  test('the deprecated groupSearch.userAttr/groupAttr form still works', async () => {
    const old = { groupSearch: { baseDN: GROUPS, filter: '(objectClass=groupOfNames)', userAttr: 'DN', groupAttr: 'member', recursionGroupAttr: 'member', nameAttr: 'cn' } };
    assert.deepEqual(await groupsOf(old), ['developers', 'engineering', 'all-staff']);
  });

  test('group scope "one" and a group filter narrow the search', async () => {
    assert.deepEqual(await groupsOf(groupSearch({ baseDN: 'dc=example,dc=org', scope: 'one' })), []);
    assert.deepEqual(await groupsOf(groupSearch({ filter: '(cn=posix-*)' })), ['posix-users', 'posix-ops']);
  });

  test('a group base that does not exist means no groups; no groupSearch means no groups', async () => {
    assert.deepEqual(await groupsOf(groupSearch({ baseDN: 'ou=Nowhere,dc=example,dc=org' })), []);
    assert.deepEqual(await groupsOf({ groupSearch: undefined }), []);
  });

  test('a group without the name attribute fails the login', async () => {
    await assert.rejects(
      (await open(groupSearch({ nameAttr: 'description' }))).login(WITH_GROUPS, JOHN.username, JOHN.password),
      (err: unknown) => err instanceof ConnectorError && /missing required attribute "description"/.test(err.message),
    );
  });
});
