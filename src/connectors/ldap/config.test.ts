import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../lib/errors.js';
import { parseLdapConfig, splitHost } from './config.js';

const minimal = { host: 'ldap.example.org', userSearch: { baseDN: 'dc=x', username: 'uid', idAttr: 'uid', emailAttr: 'mail' } };

function issues(raw: unknown): string[] {
  try {
    parseLdapConfig(raw, 'connectors[0].config');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail('expected a ConfigError');
}

test('defaults: LDAPS on 636, sub scopes, no groups, one username attribute', () => {
  const c = parseLdapConfig(minimal, 'c');
  assert.equal(c.host, 'ldap.example.org:636');
  assert.equal(c.hostname, 'ldap.example.org');
  assert.equal(c.userSearch.scope, 'sub');
  assert.deepEqual(c.userSearch.username, ['uid']);
  assert.equal(c.groupSearch.baseDN, '');
  assert.equal(c.bindDN, '');
  assert.equal(c.rootCAData, null);
});

test('ports: 389 with insecureNoSSL, kept when given, IPv6 literals bracketed', () => {
  assert.equal(splitHost('ldap', true).host, 'ldap:389');
  assert.equal(splitHost('ldap:10389', false).host, 'ldap:10389');
  assert.deepEqual(splitHost('[::1]:10636', false), { host: '[::1]:10636', hostname: '::1' });
  assert.deepEqual(splitHost('::1', false), { host: '[::1]:636', hostname: '::1' });
});

test('keys are case-insensitive, as dex reads them', () => {
  const c = parseLdapConfig({ HOST: 'h:1', usersearch: { BaseDN: 'dc=x', Username: ['uid', 'mail'], IDATTR: 'uid', emailattr: 'mail', Scope: 'one' } }, 'c');
  assert.equal(c.host, 'h:1');
  assert.deepEqual(c.userSearch.username, ['uid', 'mail']);
  assert.equal(c.userSearch.scope, 'one');
});

test('rootCAData is base64 of PEM', () => {
  const c = parseLdapConfig({ ...minimal, rootCAData: Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64') }, 'c');
  assert.equal(Buffer.from(c.rootCAData ?? []).toString(), '-----BEGIN CERTIFICATE-----');
  assert.deepEqual(issues({ ...minimal, rootCAData: '%%%' }), ['connectors[0].config.rootCAData: expected base64']);
});

test('required keys are named', () => {
  assert.deepEqual(issues({}), ['connectors[0].config.host: required', 'connectors[0].config.userSearch: required']);
  assert.deepEqual(issues({ host: 'h', userSearch: { baseDN: 'dc=x', username: '' } }), [
    'connectors[0].config.userSearch.username: required',
    'connectors[0].config.userSearch.idAttr: required (dex applies no default)',
    'connectors[0].config.userSearch.emailAttr: required unless emailSuffix is set (dex applies no default)',
  ]);
});

test('bad scopes, emailSuffix without nameAttr, half a client cert, bindDN without bindPW', () => {
  assert.deepEqual(issues({ ...minimal, userSearch: { ...minimal.userSearch, scope: 'base' } }), [
    'connectors[0].config.userSearch.scope: expected "sub" or "one"',
  ]);
  assert.deepEqual(issues({ ...minimal, userSearch: { ...minimal.userSearch, emailSuffix: 'x.org' } }), [
    'connectors[0].config.userSearch.nameAttr: required when emailSuffix is set (the email is <name>@<emailSuffix>)',
  ]);
  assert.deepEqual(issues({ ...minimal, clientCert: '/c.pem' }), ['connectors[0].config.clientKey: clientCert and clientKey go together']);
  assert.deepEqual(issues({ ...minimal, bindDN: 'cn=svc' }), [
    'connectors[0].config.bindPW: required when bindDN is set (an empty password would bind anonymously)',
  ]);
});

test('groupSearch: userMatchers, the deprecated userAttr/groupAttr form, and what a base DN requires', () => {
  const modern = parseLdapConfig({ ...minimal, groupSearch: { baseDN: 'ou=g', nameAttr: 'cn', userMatchers: [{ userAttr: 'uid', groupAttr: 'memberUid' }, { userAttr: 'DN', groupAttr: 'member', recursionGroupAttr: 'member' }] } }, 'c');
  assert.deepEqual(modern.groupSearch.userMatchers, [
    { userAttr: 'uid', groupAttr: 'memberUid', recursionGroupAttr: '' },
    { userAttr: 'DN', groupAttr: 'member', recursionGroupAttr: 'member' },
  ]);
  assert.equal(modern.deprecatedGroupAttrs, false);
  const old = parseLdapConfig({ ...minimal, groupSearch: { baseDN: 'ou=g', nameAttr: 'cn', userAttr: 'DN', groupAttr: 'member', recursionGroupAttr: 'memberOf' } }, 'c');
  assert.deepEqual(old.groupSearch.userMatchers, [{ userAttr: 'DN', groupAttr: 'member', recursionGroupAttr: 'memberOf' }]);
  assert.equal(old.deprecatedGroupAttrs, true);
  assert.deepEqual(issues({ ...minimal, groupSearch: { baseDN: 'ou=g' } }), [
    'connectors[0].config.groupSearch.nameAttr: required when groupSearch.baseDN is set',
    'connectors[0].config.groupSearch.userAttr: required when groupSearch.baseDN is set',
    'connectors[0].config.groupSearch.groupAttr: required when groupSearch.baseDN is set',
  ]);
  assert.deepEqual(issues({ ...minimal, groupSearch: { baseDN: 'ou=g', nameAttr: 'cn', userMatchers: [{ userAttr: 'uid' }] } }), [
    'connectors[0].config.groupSearch.userMatchers[0].groupAttr: required when groupSearch.baseDN is set',
  ]);
});

test('kerberos is accepted and flagged (SPNEGO is not supported)', () => {
  assert.equal(parseLdapConfig({ ...minimal, kerberos: { enabled: true, keytabPath: '/k' } }, 'c').kerberosRequested, true);
  assert.equal(parseLdapConfig(minimal, 'c').kerberosRequested, false);
});
