/**
 * The `saml` connector against two independent real IdPs with different XML-signature stacks: the samlify IdP
 * (test/peers/saml-idp, Node xml-crypto) and Debian's SimpleSAMLphp 1.19 (test/peers/simplesamlphp, PHP
 * xmlseclibs). Each runs the shared connector contract (a scripted browser fills the IdP's login form and hands
 * the real SAMLResponse to `handlePost`), plus the SAML-specific behaviours: groups options, a missing groups
 * attribute, replay, a response to another request, every signing mode and an IdP error status.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isRefreshConnector } from '../../../src/connectors/capabilities.js';
import { runConnectorContract, type ContractSubject } from '../../../src/connectors/contract/index.js';
import { saml } from '../../../src/connectors/saml/index.js';
import type { Connector, SAMLConnector, Scopes } from '../../../src/connectors/types.js';
import { UserNotInRequiredGroupsError, UserRefusedError } from '../../../src/lib/errors.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { freePort } from '../../helpers/ferry.js';
import { idpLogin, newRequestId, samlLogin } from '../../fixtures/saml/idp-login.js';

const GROUPS: Scopes = { offlineAccess: true, groups: true };
const deps = { logger: silentLogger(), now: () => new Date(), issuer: 'http://127.0.0.1:5556/dex' };

function env(name: string, script: string): string {
  const v = process.env[name];
  assert.ok(v, `${name} is not set: start the IdP with ${script} (node scripts/test.mjs --peers saml-idp,simplesamlphp does it)`);
  return v;
}

interface Idp {
  label: string;
  base: Record<string, unknown>;
}

/** The same config pointed at a loopback port where nothing listens. */
async function unreachable(idp: Idp): Promise<Record<string, unknown>> {
  const url = new URL(String(idp.base.ssoURL));
  url.port = String(await freePort());
  return { ...idp.base, ssoURL: url.href };
}

function samlifyIdp(): Idp {
  const s = 'test/peers/saml-idp/start.sh';
  const sso = env('FERRY_SAML_IDP_SSO_URL', s);
  const base = {
    ssoURL: sso,
    ca: env('FERRY_SAML_IDP_CA', s),
    redirectURI: 'http://127.0.0.1:5556/dex/callback',
    entityIssuer: env('FERRY_SAML_IDP_SP_ENTITY_ID', s),
    ssoIssuer: env('FERRY_SAML_IDP_ENTITY_ID', s),
    usernameAttr: 'name',
    emailAttr: 'email',
    groupsAttr: 'groups',
    nameIDPolicyFormat: 'emailAddress',
  };
  return { label: 'samlify IdP', base };
}

function simpleSamlPhp(): Idp {
  const s = 'test/peers/simplesamlphp/start.sh';
  const base = {
    ssoURL: env('FERRY_SAML_SSP_SSO_URL', s),
    ca: env('FERRY_SAML_SSP_CA', s),
    redirectURI: env('FERRY_SAML_SSP_ACS_URL', s),
    entityIssuer: env('FERRY_SAML_SSP_SP_ENTITY_ID', s),
    ssoIssuer: env('FERRY_SAML_SSP_ENTITY_ID', s),
    usernameAttr: 'name',
    emailAttr: 'email',
    groupsAttr: 'groups',
  };
  return { label: 'SimpleSAMLphp', base };
}

const openWith = async (cfg: Record<string, unknown>) => (await saml.open('saml', saml.parseConfig(cfg, 'connectors[0].config'), deps)) as SAMLConnector;
const jane = { username: 'janedoe', password: 'foo', email: 'janedoe@example.org', emailVerified: true, groups: ['admins', 'developers'] };

function subject(idp: () => Idp, label: string): ContractSubject {
  return {
    name: `saml against ${label}`,
    open: () => openWith(idp().base),
    openUnreachable: async () => openWith(await unreachable(idp())),
    unreachableAs: 'invalid-response',
    login: (conn: Connector, scopes: Scopes, user) => samlLogin(conn, scopes, { username: user.username, password: user.password ?? '' }),
    users: { primary: jane },
    wrongCredentials: async (conn) => {
      const post = await idpLogin(conn, GROUPS, newRequestId(), { username: 'janedoe', password: 'wrong' });
      assert.equal(post, null, 'the IdP issues no response for a wrong password');
    },
    refresh: true,
    allowedGroups: { open: () => openWith({ ...idp().base, allowedGroups: ['admins', 'auditors'], filterGroups: true }), expected: ['admins'] },
  };
}

/** The SAML behaviours beyond the contract, the same for both IdPs. */
function samlBehaviours(idp: () => Idp, label: string): void {
  describe(`saml specifics against ${label}`, () => {
    test('a user without a groups attribute logs in with no groups', async () => {
      const id = await samlLogin(await openWith(idp().base), GROUPS, { username: 'nogroups', password: 'baz' });
      assert.equal(id.email, 'nogroups@example.org');
      assert.deepEqual(id.groups, []);
    });

    test('allowedGroups refuses a user in none of them', async () => {
      const conn = await openWith({ ...idp().base, allowedGroups: ['admins'] });
      await assert.rejects(samlLogin(conn, GROUPS, { username: 'johndoe', password: 'bar' }), UserNotInRequiredGroupsError);
      const id = await samlLogin(conn, { offlineAccess: false, groups: false }, { username: 'janedoe', password: 'foo' });
      assert.deepEqual(id.groups, [], 'allowedGroups is enforced without the groups scope, which still hides the groups');
    });

    test('a real response is accepted once, and never for another request', async () => {
      const conn = await openWith(idp().base);
      const requestId = newRequestId();
      const post = await idpLogin(conn, GROUPS, requestId, { username: 'janedoe', password: 'foo' });
      assert.ok(post);
      assert.equal(post.relayState, requestId);
      assert.equal(post.action, idp().base.redirectURI, 'the IdP posts to our ACS URL');
      await assert.rejects(conn.handlePost(GROUPS, post.samlResponse, newRequestId()), /InResponseTo/);
      await conn.handlePost(GROUPS, post.samlResponse, requestId);
      await assert.rejects(conn.handlePost(GROUPS, post.samlResponse, requestId), /already used/);
    });

    test('a response signed by this IdP is refused when another CA is configured', async () => {
      const other = label === 'SimpleSAMLphp' ? samlifyIdp().base.ca : simpleSamlPhp().base.ca;
      const conn = await openWith({ ...idp().base, ca: other });
      await assert.rejects(samlLogin(conn, GROUPS, { username: 'janedoe', password: 'foo' }), /signature verification failed/);
    });
  });
}

runConnectorContract(subject(samlifyIdp, 'the samlify IdP'));
samlBehaviours(samlifyIdp, 'the samlify IdP');
runConnectorContract(subject(simpleSamlPhp, 'SimpleSAMLphp'));
samlBehaviours(simpleSamlPhp, 'SimpleSAMLphp');

describe('samlify IdP options', () => {
  for (const sign of ['response', 'both']) {
    test(`a response with sign=${sign} is verified`, async () => {
      const conn = await openWith({ ...samlifyIdp().base, ssoURL: `${samlifyIdp().base.ssoURL}?sign=${sign}` });
      const id = await samlLogin(conn, GROUPS, { username: 'janedoe', password: 'foo' });
      assert.deepEqual(id.groups, ['admins', 'developers']);
    });
  }

  // A status is unauthenticated (anyone can post one), so it is refused as an invalid response (a 400 page), not a 5xx.
  test('an IdP error status is refused as an invalid response (UserRefusedError)', async () => {
    const conn = await openWith({ ...samlifyIdp().base, ssoURL: `${samlifyIdp().base.ssoURL}?outage=1` });
    await assert.rejects(samlLogin(conn, GROUPS, { username: 'janedoe', password: 'foo' }), (err: unknown) => {
      assert.ok(err instanceof UserRefusedError && err.reason === 'invalid_response');
      assert.match(err.message, /status is "urn:oasis:names:tc:SAML:2.0:status:Responder"/);
      return true;
    });
  });

  test('groupsDelim splits a single-valued groups attribute', async () => {
    const conn = await openWith({ ...samlifyIdp().base, groupsAttr: 'groupsCsv', groupsDelim: ',' });
    const id = await samlLogin(conn, GROUPS, { username: 'janedoe', password: 'foo' });
    assert.deepEqual(id.groups, ['admins', 'developers']);
  });

  test('a group change at the IdP shows at the next login; refresh replays the cached identity (dex HEAD)', async () => {
    // johndoe, not janedoe: the browser test (another process) logs janedoe in at the same time.
    const admin = env('FERRY_SAML_IDP_URL', 'test/peers/saml-idp/start.sh');
    const conn = await openWith(samlifyIdp().base);
    const john = { username: 'johndoe', password: 'bar' };
    const before = await samlLogin(conn, GROUPS, john);
    assert.deepEqual(before.groups, ['developers']);
    const set = (groups: string[]) => fetch(`${admin}/admin/groups`, { method: 'POST', body: JSON.stringify({ user: 'johndoe', groups }) });
    assert.equal((await set(['developers', 'auditors'])).status, 204);
    try {
      assert.deepEqual((await samlLogin(conn, GROUPS, john)).groups, ['developers', 'auditors']);
      assert.ok(isRefreshConnector(conn));
      assert.deepEqual((await conn.refresh(GROUPS, before)).groups, ['developers'], 'refresh does not contact the IdP');
    } finally {
      await set(['developers']);
    }
  });
});
