import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserNotInRequiredGroupsError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import type { SamlConfig } from './config.js';
import { SamlConnector } from './connector.js';
import { MappingError, decodeCachedIdentity, mapIdentity } from './mapping.js';
import type { ValidAssertion } from './validate-assertion.js';

const config: SamlConfig = {
  ssoURL: 'https://idp.example.org/sso',
  redirectURI: 'https://ferry.example.org/dex/callback',
  entityIssuer: '',
  ssoIssuer: '',
  ca: '',
  caCerts: [],
  insecureSkipSignatureValidation: true,
  insecureAllowSHA1: false,
  usernameAttr: 'name',
  emailAttr: 'mail',
  groupsAttr: 'memberOf',
  groupsDelim: '',
  allowedGroups: [],
  filterGroups: false,
  nameIDPolicyFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  clockSkewMs: 30_000,
};

const assertion = (attrs: Record<string, string[]>): ValidAssertion => ({
  assertionId: '_a',
  nameId: 'u-1',
  expiresAt: new Date(0),
  attributes: new Map(Object.entries(attrs)),
});
const jane = assertion({ name: ['Jane'], mail: ['jane@example.org'], memberOf: ['admins', 'dev'] });
const GROUPS = { groups: true, offlineAccess: true };
const PLAIN = { groups: false, offlineAccess: false };

describe('saml mapping', () => {
  test('NameID, first values, verified email, no preferred username', () => {
    const id = mapIdentity('saml', jane, config, GROUPS);
    assert.deepEqual({ ...id, connectorData: null }, {
      userId: 'u-1', username: 'Jane', preferredUsername: '', email: 'jane@example.org', emailVerified: true, groups: ['admins', 'dev'], connectorData: null,
    });
  });

  test('missing username or email attribute is an error naming it', () => {
    assert.throws(() => mapIdentity('saml', assertion({ name: ['Jane'] }), config, PLAIN), (e: unknown) => e instanceof MappingError && /"mail"/.test(e.message));
    assert.throws(() => mapIdentity('saml', assertion({ mail: ['j@x'] }), config, PLAIN), MappingError);
  });

  test('groups: only with the scope; missing attribute = none; delimiter splits the first value', () => {
    assert.deepEqual(mapIdentity('saml', jane, config, PLAIN).groups, []);
    assert.deepEqual(mapIdentity('saml', assertion({ name: ['J'], mail: ['j@x'] }), config, GROUPS).groups, []);
    const csv = assertion({ name: ['J'], mail: ['j@x'], memberOf: ['a;b;c'] });
    assert.deepEqual(mapIdentity('saml', csv, { ...config, groupsDelim: ';' }, GROUPS).groups, ['a', 'b', 'c']);
  });

  test('allowedGroups must match one group; filterGroups keeps only those', () => {
    const allowed = { ...config, allowedGroups: ['dev', 'ops'] };
    assert.deepEqual(mapIdentity('saml', jane, allowed, GROUPS).groups, ['admins', 'dev']);
    assert.deepEqual(mapIdentity('saml', jane, { ...allowed, filterGroups: true }, GROUPS).groups, ['dev']);
    assert.throws(() => mapIdentity('saml', jane, { ...config, allowedGroups: ['ops'] }, GROUPS), UserNotInRequiredGroupsError);
    assert.throws(() => mapIdentity('saml', jane, { ...config, allowedGroups: ['ops'] }, PLAIN), UserNotInRequiredGroupsError, 'enforced without the scope too');
    const none = assertion({ name: ['J'], mail: ['j@x'] });
    assert.throws(() => mapIdentity('saml', none, allowed, GROUPS), UserNotInRequiredGroupsError, 'no groups attribute, no match');
  });

  test("connector data is dex HEAD's cached identity, and refresh replays it", async () => {
    const id = mapIdentity('saml', jane, config, GROUPS);
    const cached = JSON.parse(new TextDecoder().decode(id.connectorData ?? new Uint8Array()));
    assert.deepEqual(cached, { userId: 'u-1', username: 'Jane', preferredUsername: '', email: 'jane@example.org', emailVerified: true, groups: ['admins', 'dev'] });
    const conn = new SamlConnector({ id: 'saml', config, certs: null, logger: silentLogger(), now: () => new Date() });
    const stale = { ...id, username: 'changed', groups: [] };
    assert.deepEqual((await conn.refresh(GROUPS, stale)).groups, ['admins', 'dev']);
    assert.equal((await conn.refresh(GROUPS, stale)).username, 'Jane');
    assert.deepEqual((await conn.refresh(PLAIN, stale)).groups, [], 'no groups without the scope');
    await assert.rejects(conn.refresh(GROUPS, { ...id, connectorData: null }), /no connector data/);
    assert.throws(() => decodeCachedIdentity(new TextEncoder().encode('{}')), MappingError);
  });

  test('postData: the AuthnRequest carries the request id, ACS URL, POST binding and NameID policy', async () => {
    const conn = new SamlConnector({ id: 'saml', config: { ...config, entityIssuer: 'urn:sp' }, certs: null, logger: silentLogger(), now: () => new Date('2030-01-01T00:00:00Z') });
    const { ssoURL, samlRequest } = await conn.postData(PLAIN, 'req123');
    assert.equal(ssoURL, config.ssoURL);
    const xml = Buffer.from(samlRequest, 'base64').toString('utf8');
    assert.match(xml, /ID="req123"/);
    assert.match(xml, /IssueInstant="2030-01-01T00:00:00Z"/);
    assert.match(xml, /AssertionConsumerServiceURL="https:\/\/ferry.example.org\/dex\/callback"/);
    assert.match(xml, /ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"/);
    assert.match(xml, /<saml:Issuer>urn:sp<\/saml:Issuer><samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" AllowCreate="true"\/>/);
  });
});
