import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLdapConfig } from './config.js';
import { equalityFilter, escapeFilterValue, groupFilter, userFilter } from './filters.js';

const config = (username: string | string[], filter = '') =>
  parseLdapConfig({ host: 'ldap.example.org', userSearch: { baseDN: 'dc=x', username, filter, idAttr: 'uid', emailAttr: 'mail' } }, 'c');

test('escapes every RFC 4515 special character', () => {
  assert.equal(escapeFilterValue('*'), '\\2a');
  assert.equal(escapeFilterValue('('), '\\28');
  assert.equal(escapeFilterValue(')'), '\\29');
  assert.equal(escapeFilterValue('\\'), '\\5c');
  assert.equal(escapeFilterValue('\0'), '\\00');
  assert.equal(escapeFilterValue('*)(uid=*'), '\\2a\\29\\28uid=\\2a');
  assert.equal(escapeFilterValue('a\\2a'), 'a\\5c2a', 'an already-escaped-looking value is escaped again');
});

test('leaves ordinary and non-ASCII values alone', () => {
  assert.equal(escapeFilterValue('jane.doe@example.org'), 'jane.doe@example.org');
  assert.equal(escapeFilterValue('Zoë Ødegård'), 'Zoë Ødegård');
  assert.equal(escapeFilterValue('uid=jane,ou=People,dc=x'), 'uid=jane,ou=People,dc=x');
});

test('an injection attempt stays one equality assertion', () => {
  assert.equal(equalityFilter('uid', '*)(uid=*'), '(uid=\\2a\\29\\28uid=\\2a)');
  assert.equal(equalityFilter('uid', 'x)(|(objectClass=*)'), '(uid=x\\29\\28|\\28objectClass=\\2a\\29)');
});

test('the user filter: one attribute, several attributes, with the operator filter', () => {
  assert.equal(userFilter(config('uid'), 'jane'), '(uid=jane)');
  assert.equal(userFilter(config(['uid', 'mail']), 'j*'), '(|(uid=j\\2a)(mail=j\\2a))');
  assert.equal(userFilter(config(['uid', 'mail'], '(objectClass=person)'), 'jane'), '(&(objectClass=person)(|(uid=jane)(mail=jane)))');
  assert.equal(userFilter(config('uid', '(objectClass=person)'), 'jane'), '(&(objectClass=person)(uid=jane))');
});

test('the group filter escapes the member value (a DN may contain metacharacters)', () => {
  const c = parseLdapConfig(
    {
      host: 'h',
      userSearch: { baseDN: 'dc=x', username: 'uid', idAttr: 'uid', emailAttr: 'mail' },
      groupSearch: { baseDN: 'ou=g', filter: '(objectClass=groupOfNames)', nameAttr: 'cn', userMatchers: [{ userAttr: 'DN', groupAttr: 'member' }] },
    },
    'c',
  );
  assert.equal(groupFilter(c, 'member', 'uid=a*(b)\\5Cc,dc=x'), '(&(objectClass=groupOfNames)(member=uid=a\\2a\\28b\\29\\5c5Cc,dc=x))');
});
