import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLdapConfig } from './config.js';
import { decodeConnectorData, encodeConnectorData, getAttr, getAttrs, identityFromEntry, userAttributes, type LdapEntry } from './mapping.js';

const entry: LdapEntry = {
  dn: 'uid=jane,ou=People,dc=example,dc=org',
  attributes: [
    { name: 'uid', values: ['jane'] },
    { name: 'mail', values: ['jane@example.org', 'j@example.org'] },
    { name: 'cn', values: ['Jane Doe'] },
    { name: 'displayName', values: ['jd'] },
  ],
};

const cfg = (userSearch: Record<string, unknown>, groupSearch?: Record<string, unknown>) =>
  parseLdapConfig({ host: 'h', userSearch: { baseDN: 'dc=example,dc=org', username: 'uid', ...userSearch }, groupSearch }, 'c');

test('attribute lookup: exact, then case-insensitive, then DN as a pseudo-attribute', () => {
  assert.deepEqual(getAttrs(entry, 'mail'), ['jane@example.org', 'j@example.org']);
  assert.equal(getAttr(entry, 'displayname'), 'jd');
  assert.equal(getAttr(entry, 'DN'), entry.dn);
  assert.equal(getAttr(entry, 'dn'), entry.dn);
  assert.deepEqual(getAttrs(entry, 'missing'), []);
  const withDnAttr = { ...entry, attributes: [...entry.attributes, { name: 'dn', values: ['real-attr'] }] };
  assert.equal(getAttr(withDnAttr, 'DN'), 'real-attr', 'an attribute named DN wins over the entry DN, as in dex');
});

test('maps id, name, preferred username and the first email', () => {
  const id = identityFromEntry(cfg({ idAttr: 'uid', emailAttr: 'mail', nameAttr: 'cn', preferredUsernameAttr: 'displayName' }), entry);
  assert.deepEqual(id, { userId: 'jane', username: 'Jane Doe', preferredUsername: 'jd', email: 'jane@example.org', emailVerified: true });
});

test('without nameAttr/preferredUsernameAttr those claims stay empty', () => {
  const id = identityFromEntry(cfg({ idAttr: 'DN', emailAttr: 'mail' }), entry);
  assert.equal(id.userId, entry.dn);
  assert.equal(id.username, '');
  assert.equal(id.preferredUsername, '');
});

test('emailSuffix builds the email from the name attribute (dex code, not its comment)', () => {
  const id = identityFromEntry(cfg({ idAttr: 'uid', nameAttr: 'uid', emailSuffix: 'corp.example' }), entry);
  assert.equal(id.email, 'jane@corp.example');
});

test('a missing required attribute fails with every missing name listed', () => {
  assert.throws(
    () => identityFromEntry(cfg({ idAttr: 'employeeNumber', emailAttr: 'email', nameAttr: 'cn' }), entry),
    /missing required attribute\(s\): employeeNumber, email/,
  );
  assert.throws(() => identityFromEntry(cfg({ idAttr: 'uid', emailAttr: 'mail', preferredUsernameAttr: 'nick' }), entry), /nick/);
});

test('the user search asks for every attribute it maps, once, and never for DN', () => {
  const c = cfg(
    { username: ['uid', 'mail'], idAttr: 'uid', emailAttr: 'mail', nameAttr: 'cn', preferredUsernameAttr: 'UID' },
    { baseDN: 'ou=g', nameAttr: 'cn', userMatchers: [{ userAttr: 'DN', groupAttr: 'member' }, { userAttr: 'gidNumber', groupAttr: 'gidNumber' }] },
  );
  assert.deepEqual(userAttributes(c), ['uid', 'mail', 'gidNumber', 'cn']);
});

test('connector data uses dex JSON and round-trips', () => {
  const data = encodeConnectorData('jane', entry);
  const json = JSON.parse(new TextDecoder().decode(data));
  assert.equal(json.username, 'jane');
  assert.equal(json.entry.DN, entry.dn);
  assert.deepEqual(json.entry.Attributes[0], { Name: 'uid', Values: ['jane'] });
  assert.deepEqual(decodeConnectorData(data), { username: 'jane', dn: entry.dn });
});

test('connector data written by dex (Go field names, ByteValues) is read', () => {
  const dex = '{"username":"jane","entry":{"DN":"uid=jane,dc=x","Attributes":[{"Name":"uid","Values":["jane"],"ByteValues":["amFuZQ=="]}]}}';
  assert.deepEqual(decodeConnectorData(new TextEncoder().encode(dex)), { username: 'jane', dn: 'uid=jane,dc=x' });
});

test('missing or malformed connector data is an error', () => {
  assert.throws(() => decodeConnectorData(null), /no connector data/);
  assert.throws(() => decodeConnectorData(new TextEncoder().encode('{"username":"x"}')), /lacks/);
  assert.throws(() => decodeConnectorData(new TextEncoder().encode('not json')));
});
