import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseConfig } from '../../config/load.js';
import { ConfigError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import { resolveNameIDFormat } from './config.js';
import { saml } from './factory.js';

const cert = readFileSync(new URL('../../../test/fixtures/saml/keys/idp.crt', import.meta.url), 'utf8');
const base = {
  ssoURL: 'https://idp.example.org/sso',
  redirectURI: 'https://ferry.example.org/dex/callback',
  caData: Buffer.from(cert).toString('base64'),
  usernameAttr: 'name',
  emailAttr: 'email',
};

function issues(raw: Record<string, unknown>): string[] {
  try {
    saml.parseConfig(raw, 'connectors[0].config');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

describe('saml config', () => {
  test("dex's keys (any case), dex's defaults, and clockSkew", () => {
    const c = saml.parseConfig({ ...base, SSOURL: base.ssoURL, ssoURL: undefined, groupsattr: 'groups', clockSkew: '2m' }, 'c');
    assert.equal(c.ssoURL, base.ssoURL);
    assert.equal(c.groupsAttr, 'groups');
    assert.equal(c.nameIDPolicyFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
    assert.equal(c.clockSkewMs, 120_000);
    assert.equal(saml.parseConfig(base, 'c').clockSkewMs, 30_000, 'dex hard-codes 30s');
    assert.equal(c.caCerts.length, 1);
  });

  test('nameIDPolicyFormat takes a full URN or its last part', () => {
    assert.equal(resolveNameIDFormat('emailAddress'), 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    assert.equal(resolveNameIDFormat('urn:oasis:names:tc:SAML:2.0:nameid-format:transient'), 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
    assert.equal(resolveNameIDFormat('bogus'), undefined);
  });

  test('every problem is reported with its key path', () => {
    const p = 'connectors[0].config';
    assert.deepEqual(issues({}), [`${p}.ssoURL: required`, `${p}.redirectURI: required`, `${p}.usernameAttr: required`, `${p}.emailAttr: required`]);
    assert.deepEqual(issues({ ...base, caData: undefined }), [`${p}.ca: provide exactly one of 'ca' or 'caData'`]);
    assert.deepEqual(issues({ ...base, ca: '/x.pem' }), [`${p}.ca: provide exactly one of 'ca' or 'caData'`]);
    assert.deepEqual(issues({ ...base, caData: Buffer.from('not a cert').toString('base64') }), [`${p}.caData: unexpected data besides PEM certificates`]);
    assert.deepEqual(issues({ ...base, nameIDPolicyFormat: 'bogus' }), [`${p}.nameIDPolicyFormat: unknown NameID format`]);
    assert.deepEqual(issues({ ...base, allowedGroups: ['a'] }), [`${p}.allowedGroups: needs groupsAttr (no login could ever pass)`]);
    assert.equal(issues({ ...base, clockSkew: 'soon' }).length, 1);
    assert.deepEqual(issues({ ...base, caData: undefined, insecureSkipSignatureValidation: true }), []);
  });

  test('a `ca` file that cannot be read fails open() naming the key', async () => {
    const c = saml.parseConfig({ ...base, caData: undefined, ca: '/nonexistent/idp.pem' }, 'c');
    await assert.rejects(Promise.resolve(saml.open('s', c, { logger: silentLogger(), now: () => new Date(), issuer: 'x' })), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.issues[0]?.path, 'ca');
      return true;
    });
  });

  test('a dex config with type samlExperimental loads', () => {
    const yaml = `
issuer: http://127.0.0.1:5556/dex
storage: {type: memory}
web: {http: 127.0.0.1:5556}
connectors:
- type: samlExperimental
  id: saml
  name: SAML
  config:
    ssoURL: https://idp.example.org/sso
    caData: ${base.caData}
    redirectURI: http://127.0.0.1:5556/dex/callback
    usernameAttr: name
    emailAttr: email
    nameIDPolicyFormat: persistent
`;
    const { config } = parseConfig(yaml, {});
    assert.equal(config.connectors[0]?.type, 'samlExperimental');
    assert.throws(() => parseConfig(yaml.replace('usernameAttr: name', ''), {}), /connectors\[0\]\.config\.usernameAttr: required/);
  });
});
